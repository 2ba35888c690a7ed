// `niikit iq ...`: image-quality measurements an engineer points at an image and a region
// (DESIGN.md §3.2). Each metric registers its own subcommand here.
#include "app/cli/commands.hpp"

namespace niikit::cli {

void register_iq_commands(CLI::App& root, CliContext& ctx) {
  auto* iq = root.add_subcommand("iq", "Image-quality measurements on an image and a region: MTF, noise, NEQ, ROI "
                                       "statistics, steps, bars, wires, dual-energy materials");
  iq->require_subcommand(1);
  (void)ctx;
  // Metric commands register below (one line each).
  register_iq_mtf_command(*iq, ctx);
  register_iq_noise_commands(*iq, ctx);
  register_iq_steps_command(*iq, ctx);
  register_iq_bars_command(*iq, ctx);
  register_iq_wire_command(*iq, ctx);
  register_iq_material_command(*iq, ctx);
  register_iq_analyze_command(*iq, ctx);
}

}  // namespace niikit::cli
