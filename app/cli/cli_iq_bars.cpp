// `niikit iq bars`: modulation of one bar group (line-pair gauge) in an ROI (DESIGN.md §3.2
// "Bar gauges"; method: docs/methods/bars.md), and `niikit iq uniformity`: flat-field
// uniformity and dead/hot channels (docs/methods/uniformity.md). The metrics live in
// testkits/metrics/bar_modulation and uniformity; this file reads images, resolves options and prints.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>
#include <iostream>

#include "app/cli/commands.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/bar_modulation.hpp"
#include "testkits/metrics/uniformity.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

struct BarsCliOptions {
  std::string path;
  std::string roi;
  double pitch_px = 0.0;
  double pitch_mm = 0.0;
  double pixel_mm = 0.0;
  int bars = 0;
  std::string orientation = "auto";
  double threshold = tk::bar_default_threshold;
};

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string num(double v) { return fmt::format("{:.6g}", v); }

// Nominal pitch in px: --pitch-px, or --pitch-mm over --pixel-mm (else the image metadata along
// the profile axis: x for vertical bars, y for horizontal).
Result<double> nominal_pitch(const BarsCliOptions& o, const tk::ImageMeta& meta, tk::BarOrientation orientation) {
  if (o.pitch_px > 0) return o.pitch_px;
  if (!(o.pitch_mm > 0)) return fail(ErrorCode::usage, "give --pitch-px or --pitch-mm");
  const double axis_mm = orientation == tk::BarOrientation::vertical ? meta.pixel_mm_x : meta.pixel_mm_y;
  const double pixel = o.pixel_mm > 0 ? o.pixel_mm : axis_mm;
  if (!(pixel > 0)) return fail(ErrorCode::input, o.path + ": no pixel pitch in the metadata; give --pixel-mm");
  return o.pitch_mm / pixel;
}

QJsonObject bars_json(const BarsCliOptions& o, const tk::BarOptions& opts, const tk::BarResult& r) {
  QJsonArray warnings;
  for (const auto& w : r.warnings) warnings.append(q(w));
  return QJsonObject{{"file", q(o.path)},
                     {"roi", q(tk::to_string(opts.roi))},
                     {"modulation", r.modulation},
                     {"modulation_extremes", r.modulation_extremes},
                     {"amplitude", r.amplitude},
                     {"background", r.background},
                     {"measured_pitch_px", r.measured_pitch_px},
                     {"nominal_pitch_px", r.nominal_pitch_px},
                     {"bars", opts.bar_count},
                     {"resolved", r.resolved},
                     {"threshold", r.threshold},
                     {"orientation", q(std::string(tk::bar_orientation_name(r.orientation)))},
                     {"warnings", warnings}};
}

Status run_bars(CliContext& ctx, const BarsCliOptions& o) {
  tk::BarOptions opts;
  auto roi = tk::parse_roi(o.roi, "--roi");
  if (!roi) return tl::unexpected(roi.error());
  opts.roi = *roi;
  auto orientation = tk::parse_bar_orientation(o.orientation);
  if (!orientation) return tl::unexpected(orientation.error());
  auto image = tk::read_image(o.path);
  if (!image) return tl::unexpected(image.error());
  if (auto ok = with_context(tk::check_roi(image->pixels, opts.roi, 2, 2), o.path + ": --roi"); !ok)
    return tl::unexpected(ok.error());
  opts.orientation = *orientation == tk::BarOrientation::automatic ? tk::detect_bar_orientation(image->pixels, opts.roi)
                                                                   : *orientation;
  auto pitch = nominal_pitch(o, image->meta, opts.orientation);
  if (!pitch) return tl::unexpected(pitch.error());
  opts.pitch_px = *pitch;
  opts.bar_count = o.bars;
  opts.threshold = o.threshold;
  auto r = with_context(tk::measure_bars(image->pixels, opts), o.path);
  if (!r) return tl::unexpected(r.error());
  ctx.print(bars_json(o, opts, *r), [&](std::ostream& out) {
    out << o.path << ", ROI " << tk::to_string(opts.roi) << ", bars " << tk::bar_orientation_name(r->orientation)
        << ":\n";
    out << reports::render_fields(
        {{"modulation (fundamental fit, A/m)", num(r->modulation)},
         {"modulation (per-period extremes)", num(r->modulation_extremes)},
         {"nominal / measured pitch, px", num(r->nominal_pitch_px) + " / " + num(r->measured_pitch_px)},
         {"resolved", fmt::format("{} (threshold {:g})", r->resolved ? "yes" : "no", r->threshold)}});
    for (const auto& w : r->warnings) std::cerr << "warning: " << w << "\n";
  });
  return {};
}

// ---- iq uniformity ------------------------------------------------------------------------

struct UniformityCliOptions {
  std::string path;
  std::string roi;
  double k_sigma = 5.0;
  int window = 31;
};

QJsonArray flags_json(const std::vector<tk::ChannelFlag>& flags) {
  QJsonArray a;
  for (const auto& f : flags)
    a.append(QJsonObject{{"column", f.column}, {"mean", f.mean}, {"baseline", f.baseline},
                         {"deviation_sigma", f.deviation_sigma}});
  return a;
}

QJsonObject uniformity_json(const UniformityCliOptions& o, const tk::RoiPx& roi, const tk::UniformityResult& r) {
  QJsonArray grid;
  for (double v : r.grid_means) grid.append(v);
  return QJsonObject{{"file", q(o.path)},
                     {"roi", q(tk::to_string(roi))},
                     {"k_sigma", r.k_sigma},
                     {"baseline_window", o.window},
                     {"robust_sigma", r.robust_sigma},
                     {"dead_low", flags_json(r.dead_low)},
                     {"hot_high", flags_json(r.hot_high)},
                     {"grid_means", grid},
                     {"grid_max_over_min", r.grid_max_over_min},
                     {"grid_nonuniformity", r.grid_nonuniformity},
                     {"column_nonuniformity", r.column_nonuniformity}};
}

std::string flag_list(const std::vector<tk::ChannelFlag>& flags) {
  std::string s;
  for (const auto& f : flags) s += (s.empty() ? "" : ", ") + std::to_string(f.column);
  return s.empty() ? std::string("none") : s;
}

Status run_uniformity(CliContext& ctx, const UniformityCliOptions& o) {
  auto image = tk::read_image(o.path);
  if (!image) return tl::unexpected(image.error());
  tk::UniformityOptions opts;
  opts.k_sigma = o.k_sigma;
  opts.baseline_window = o.window;
  if (!o.roi.empty()) {
    auto roi = tk::parse_roi(o.roi, "--roi");
    if (!roi) return tl::unexpected(roi.error());
    opts.roi = *roi;
  }
  const tk::RoiPx roi = opts.roi ? *opts.roi : tk::full_roi(image->pixels);
  auto r = with_context(tk::measure_uniformity(image->pixels, opts), o.path);
  if (!r) return tl::unexpected(r.error());
  ctx.print(uniformity_json(o, roi, *r), [&](std::ostream& out) {
    out << o.path << ", ROI " << tk::to_string(roi) << ":\n";
    out << reports::render_fields(
        {{"dead/low channels (columns)", flag_list(r->dead_low)},
         {"hot/high channels (columns)", flag_list(r->hot_high)},
         {fmt::format("robust sigma of column means (k = {:g})", r->k_sigma), num(r->robust_sigma)},
         {"3x3 grid max/min", num(r->grid_max_over_min)},
         {"grid non-uniformity (max-min)/(max+min)", num(r->grid_nonuniformity)},
         {"column non-uniformity (unflagged)", num(r->column_nonuniformity)}});
  });
  return {};
}

void register_uniformity(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("uniformity", "Flat-field uniformity (3x3 grid, columns) and dead/hot detector channels");
  auto o = std::make_shared<UniformityCliOptions>();
  cmd->add_option("IMAGE", o->path, "Flat (open-field) image file (TIFF, PNG)")->required();
  cmd->add_option("--roi", o->roi, "Region (default: whole image)")->type_name("X,Y,W,H");
  cmd->add_option("--k", o->k_sigma, "Flag channels deviating by more than k robust sigma (default 5)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--window", o->window, "Running-median window, columns, odd (default 31)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_uniformity(ctx, *o); }; });
}

}  // namespace

void register_iq_bars_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("bars", "Modulation of one bar group (line pairs) in an ROI; resolved against a threshold");
  auto o = std::make_shared<BarsCliOptions>();
  cmd->add_option("IMAGE", o->path, "Image file (TIFF, PNG)")->required();
  cmd->add_option("--roi", o->roi, "Region holding one bar group, pixels")->type_name("X,Y,W,H")->required();
  auto* px = cmd->add_option("--pitch-px", o->pitch_px, "Nominal bar pitch (bar + gap), px")->check(CLI::PositiveNumber);
  auto* mm = cmd->add_option("--pitch-mm", o->pitch_mm, "Nominal bar pitch (bar + gap), mm")->check(CLI::PositiveNumber);
  px->excludes(mm);
  cmd->add_option("--pixel-mm", o->pixel_mm, "Pixel pitch, mm, with --pitch-mm (default: image metadata)")
      ->check(CLI::PositiveNumber)
      ->needs(mm);
  cmd->add_option("--bars", o->bars, "Number of bars in the group (coverage warning only)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--orientation", o->orientation, "Bar orientation: vertical, horizontal or auto (default auto)")
      ->check(CLI::IsMember({"vertical", "horizontal", "auto"}));
  cmd->add_option("--threshold", o->threshold, "Modulation at which the group counts as resolved (default 0.1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_bars(ctx, *o); }; });
  register_uniformity(iq, ctx);
}

}  // namespace niikit::cli
