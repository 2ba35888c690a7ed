// `niikit iq wire IMAGE --roi X,Y,W,H --angle DEG`: is a straight wire visible in the ROI?
// Radon-style projection score against a Gumbel threshold calibrated on simulated white noise
// (default) or on wire-free areas of the same image (--calibration-roi). Method:
// testkits/metrics/wire_detect.hpp, docs/methods/wire.md.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>
#include <iostream>

#include "app/cli/commands.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/wire_detect.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

struct IqWireOptions {
  std::string path;
  std::string roi;
  double angle_deg = 0.0;
  double angle_range_deg = 3.0;
  double angle_step_deg = 0.25;
  double false_alarm_rate = 0.01;
  std::vector<std::string> calibration_rois;
  int calibration_samples = 200;
  int wire_width_px = 1;
  bool wire_brighter = false;
};

QJsonObject threshold_json(const tk::WireThreshold& t) {
  return QJsonObject{{"source", QString::fromStdString(t.source)},
                     {"samples", t.samples},
                     {"seed", QString::number(t.seed)},
                     {"gumbel_location", t.location},
                     {"gumbel_scale", t.scale},
                     {"score_mean", t.score_mean},
                     {"score_sigma", t.score_sigma},
                     {"roi_width_px", t.roi_width_px},
                     {"roi_height_px", t.roi_height_px}};
}

QJsonObject result_json(const std::string& path, const tk::RoiPx& roi, const tk::WireDetectOptions& o,
                        const tk::WireScore& r) {
  QJsonArray warnings;
  for (const auto& w : r.warnings) warnings.append(QString::fromStdString(w));
  return QJsonObject{{"image", QString::fromStdString(path)},
                     {"roi", QString::fromStdString(tk::to_string(roi))},
                     {"nominal_angle_deg", o.nominal_angle_deg},
                     {"angle_half_range_deg", o.angle_half_range_deg},
                     {"angle_step_deg", o.angle_step_deg},
                     {"wire_darker", o.wire_darker},
                     {"score", r.score},
                     {"threshold", r.threshold.threshold},
                     {"detected", r.detected},
                     {"false_alarm_rate", r.false_alarm_rate},
                     {"angle_deg", r.angle_deg},
                     {"offset_px", r.offset_px},
                     {"x_px", r.x_px},
                     {"y_px", r.y_px},
                     {"contrast", r.contrast},
                     {"contrast_rel", r.contrast_rel},
                     {"noise_sigma", r.noise_sigma},
                     {"angles_searched", r.angles_searched},
                     {"calibration", threshold_json(r.threshold)},
                     {"warnings", warnings}};
}

void print_text(std::ostream& out, const std::string& path, const tk::RoiPx& roi, const tk::WireScore& r) {
  const auto& t = r.threshold;
  out << reports::render_fields(
      {{"image", path},
       {"roi", tk::to_string(roi)},
       {"verdict", r.detected ? "wire detected" : "not detected"},
       {"score", fmt::format("{:.2f} (threshold {:.2f})", r.score, t.threshold)},
       {"false-alarm rate", fmt::format("{:g}", r.false_alarm_rate)},
       {"best line", fmt::format("{:.2f}° through ({:.1f}, {:.1f}) px, offset {:+.0f} px", r.angle_deg, r.x_px, r.y_px,
                                 r.offset_px)},
       {"contrast", fmt::format("{:.4g} ({:.3g} % of the ROI mean)", r.contrast, 100.0 * r.contrast_rel)},
       {"noise σ", fmt::format("{:.4g} per pixel", r.noise_sigma)},
       {"calibration", fmt::format("{}, {} ROIs of {}x{} px, Gumbel μ {:.3f} β {:.3f}", t.source, t.samples,
                                   t.roi_width_px, t.roi_height_px, t.location, t.scale)}});
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
}

Status run_iq_wire(CliContext& ctx, const IqWireOptions& opts) {
  auto roi = tk::parse_roi(opts.roi);
  if (!roi) return tl::unexpected(roi.error());
  std::vector<tk::RoiPx> areas;
  for (const auto& text : opts.calibration_rois) {
    auto area = tk::parse_roi(text, "--calibration-roi");
    if (!area) return tl::unexpected(area.error());
    areas.push_back(*area);
  }
  auto image = tk::read_image(opts.path);
  if (!image) return tl::unexpected(image.error());
  tk::WireDetectOptions o;
  o.nominal_angle_deg = opts.angle_deg;
  o.angle_half_range_deg = opts.angle_range_deg;
  o.angle_step_deg = opts.angle_step_deg;
  o.false_alarm_rate = opts.false_alarm_rate;
  o.wire_width_px = opts.wire_width_px;
  o.wire_darker = !opts.wire_brighter;
  if (auto ok = tk::check_roi(image->pixels, *roi, tk::wire_roi_min_side_px, tk::wire_roi_min_side_px); !ok)
    return tl::unexpected(ok.error().with_context(opts.path));
  Result<tk::WireThreshold> threshold;
  if (areas.empty()) {
    threshold = tk::calibrate_wire_threshold_noise(roi->rect().size(), o, opts.calibration_samples);
  } else {
    auto tiles = tk::tile_calibration_rois(image->pixels, areas, roi->rect().size());
    if (!tiles) return tl::unexpected(tiles.error().with_context(opts.path));
    if (tiles->size() < 10)
      return fail(ErrorCode::input,
                  fmt::format("{}: the calibration areas hold {} ROI-sized windows (half-overlapping); at least 10 are "
                              "needed: give larger or more --calibration-roi areas",
                              opts.path, tiles->size()));
    threshold = tk::calibrate_wire_threshold_rois(*tiles, o);
  }
  if (!threshold) return tl::unexpected(threshold.error());
  auto result = tk::detect_wire(image->pixels, *roi, o, *threshold);
  if (!result) return tl::unexpected(result.error().with_context(opts.path));
  ctx.print(result_json(opts.path, *roi, o, *result),
            [&](std::ostream& out) { print_text(out, opts.path, *roi, *result); });
  return {};
}

}  // namespace

void register_iq_wire_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("wire", "Wire detection in an ROI: Radon-style projection z-score over angles near "
                                        "the nominal one, against a threshold calibrated for a false-alarm rate");
  auto opts = std::make_shared<IqWireOptions>();
  cmd->add_option("IMAGE", opts->path, "Image (TIFF or PNG); a transmission image by default (wire darker)")
      ->required();
  cmd->add_option("--roi", opts->roi, "Region holding the wire (and little else)")->type_name("X,Y,W,H")->required();
  cmd->add_option("--angle", opts->angle_deg,
                  "Nominal wire angle, degrees from +x towards +y (clockwise on screen, y down), as in phantom files")
      ->required();
  cmd->add_option("--angle-range", opts->angle_range_deg, "Search ± this many degrees around --angle (0–20)")
      ->default_val(3.0);
  cmd->add_option("--angle-step", opts->angle_step_deg, "Angle search step, degrees (0.01–5)")->default_val(0.25);
  cmd->add_option("--false-alarm-rate", opts->false_alarm_rate,
                  "Probability that a wire-free ROI is called detected (0.0001–0.5)")
      ->default_val(0.01);
  cmd->add_option("--calibration-roi", opts->calibration_rois,
                  "Wire-free area of the same image to calibrate the threshold on (repeatable; cut into ROI-sized "
                  "half-overlapping windows, at least 10 in all). Default: simulated white noise")
      ->type_name("X,Y,W,H");
  cmd->add_option("--calibration-samples", opts->calibration_samples,
                  "Simulated noise ROIs for the default calibration (20–100000)")
      ->default_val(200);
  cmd->add_option("--wire-width", opts->wire_width_px, "Expected wire width in px; > 1 smooths the profile (1–51)")
      ->default_val(1);
  cmd->add_flag("--wire-brighter", opts->wire_brighter,
                "The wire is brighter than its surroundings (attenuation or inverted image)");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_iq_wire(ctx, *opts); }; });
}

}  // namespace niikit::cli
