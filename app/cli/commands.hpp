// The one list of CLI command groups. Each group registers its subcommands on the root app
// (see cli_context.hpp for the pattern); register_all_commands calls them in help order.
#pragma once
#include <CLI/CLI.hpp>

#include "app/cli/cli_context.hpp"

namespace niikit::cli {

// Global options (--db, --json, --version) and help formatting.
void configure_root(CLI::App& root, CliContext& ctx);
void register_all_commands(CLI::App& root, CliContext& ctx);

void register_db_commands(CLI::App& root, CliContext& ctx);
void register_test_commands(CLI::App& root, CliContext& ctx);   // test start|kit|measure|deviation|close|sign|show|list (cli_test.cpp)
void register_audit_commands(CLI::App& root, CliContext& ctx);
void register_demo_commands(CLI::App& root, CliContext& ctx);
void register_serve_command(CLI::App& root, CliContext& ctx);  // serve (cli_serve.cpp)
// The demo's web story: a user, an API token, two requests to the in-process server (demo_web.cpp).
Status demo_web(CliContext& ctx, const std::string& db_path, const std::string& out_dir);
void register_iq_commands(CLI::App& root, CliContext& ctx);  // iq group (cli_iq.cpp); metric commands below
void register_iq_mtf_command(CLI::App& iq, CliContext& ctx);  // iq mtf (cli_iq_mtf.cpp)
void register_iq_noise_commands(CLI::App& iq, CliContext& ctx);  // iq roi, nps, neq (cli_iq_noise.cpp)
void register_iq_steps_command(CLI::App& iq, CliContext& ctx);  // iq steps (cli_iq_steps.cpp)
void register_iq_bars_command(CLI::App& iq, CliContext& ctx);  // iq bars, iq uniformity (cli_iq_bars.cpp)
void register_iq_wire_command(CLI::App& iq, CliContext& ctx);  // iq wire (cli_iq_wire.cpp)
void register_iq_material_command(CLI::App& iq, CliContext& ctx);  // iq material (cli_iq_material.cpp)
void register_iq_analyze_command(CLI::App& iq, CliContext& ctx);  // iq analyze (cli_kit.cpp)
void register_kit_commands(CLI::App& root, CliContext& ctx);  // kit list|show (cli_kit.cpp)
void register_phantom_commands(CLI::App& root, CliContext& ctx);        // phantom list|show|validate (cli_phantom.cpp)
void register_phantom_render_command(CLI::App& phantom_cmd, CliContext& ctx);  // phantom render (cli_phantom_render.cpp)
void register_image_commands(CLI::App& root, CliContext& ctx);
void register_report_commands(CLI::App& root, CliContext& ctx);  // report acceptance|trend (cli_report.cpp)  // image info (cli_image.cpp)
void register_rad_commands(CLI::App& root, CliContext& ctx);  // rad licence|source|meter|survey|dose|due|enforce|settings (cli_rad*.cpp)
void register_procurement_commands(CLI::App& root, CliContext& ctx);  // procurement, spec (cli_procurement.cpp)

}  // namespace niikit::cli
