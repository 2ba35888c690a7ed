// Shared kit tests: wire detection, dual-energy material classes, edge MTF.
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "testkits/kits/kit_tests.hpp"
#include "testkits/metrics/material_classes.hpp"
#include "testkits/metrics/wire_detect.hpp"

namespace niikit::testkits::kits {

using phantoms::Rect;

namespace {

std::string key(const TestNames& n, std::string_view quantity) { return fmt::format("{}.{}.{}", n.kit, n.id, quantity); }

// Wire-free calibration areas: the open fields' inner ROIs.
std::vector<RoiPx> open_field_rois(const KitContext& ctx) {
  std::vector<RoiPx> out;
  for (const auto& f : ctx.input->phantom.features)
    if (const auto* o = std::get_if<phantoms::OpenField>(&f.shape))
      if (auto roi = inner_roi(o->area, roi_margin_mm(o->area, ctx), ctx)) out.push_back(*roi);
  return out;
}

int odd_at_least(int v) { return v % 2 == 0 ? v + 1 : v; }

}  // namespace

Result<std::vector<WireOutcome>> detect_wires(const KitContext& ctx, phantoms::Purpose purpose, TestEntry& entry) {
  const auto& t = ctx.located.mm_to_px;
  const auto& opt = ctx.input->options;
  const auto open_rois = open_field_rois(ctx);
  std::map<std::pair<int, int>, WireThreshold> thresholds;  // by ROI size and wire width
  std::vector<WireOutcome> out;
  bool simulated = false;
  for (const auto& f : ctx.input->phantom.features) {
    if (f.purpose != purpose) continue;
    const auto* w = std::get_if<phantoms::Wire>(&f.shape);
    if (!w) continue;
    const auto a = t.apply(w->start), b = t.apply(w->end);
    const double d_px = w->diameter_mm / std::min(ctx.pitch_x, ctx.pitch_y) * std::max(ctx.located.scale_x, ctx.located.scale_y);
    const double margin = std::max(6.0, 3.0 * d_px);
    double x0 = std::min(a.x, b.x) - margin, x1 = std::max(a.x, b.x) + margin;
    double y0 = std::min(a.y, b.y) - margin, y1 = std::max(a.y, b.y) + margin;
    if (auto cover = w->cover_area()) {
      // Stay on the cover: its inner ROI bounds the search.
      if (auto c = inner_roi(*cover, std::max(ctx.pitch_x, ctx.pitch_y), ctx)) {
        x0 = std::max(x0, static_cast<double>(c->x_px)), y0 = std::max(y0, static_cast<double>(c->y_px));
        x1 = std::min(x1, static_cast<double>(c->x_px + c->width_px - 1));
        y1 = std::min(y1, static_cast<double>(c->y_px + c->height_px - 1));
      }
    }
    RoiPx roi{static_cast<int>(std::ceil(x0)), static_cast<int>(std::ceil(y0)), 0, 0};
    roi.width_px = static_cast<int>(std::floor(x1)) - roi.x_px + 1;
    roi.height_px = static_cast<int>(std::floor(y1)) - roi.y_px + 1;
    // Sizes rounded down to multiples of 4 px (centred) so wires of one row share a calibration.
    const int w4 = roi.width_px / 4 * 4, h4 = roi.height_px / 4 * 4;
    roi.x_px += (roi.width_px - w4) / 2, roi.y_px += (roi.height_px - h4) / 2;
    roi.width_px = w4, roi.height_px = h4;
    if (roi.x_px < 0 || roi.y_px < 0 || roi.x_px + roi.width_px > ctx.image.cols || roi.y_px + roi.height_px > ctx.image.rows ||
        roi.width_px < wire_roi_min_side_px || roi.height_px < wire_roi_min_side_px) {
      entry.missing.push_back(f.id);
      continue;
    }
    WireDetectOptions wo;
    wo.nominal_angle_deg = std::atan2(b.y - a.y, b.x - a.x) * 180 / std::numbers::pi;
    wo.wire_darker = !ctx.levels.inverted;
    wo.false_alarm_rate = opt.wire_false_alarm;
    wo.wire_width_px = std::clamp(static_cast<int>(std::lround(d_px)), 1, 51);
    wo.profile_background_px = std::min(501, odd_at_least(std::max(15, 3 * wo.wire_width_px + 2)));
    wo.exclusion_half_width_px = std::max(3, wo.wire_width_px);
    const auto size_key = std::make_pair(roi.width_px * 1000 + roi.height_px, wo.wire_width_px);
    auto it = thresholds.find(size_key);
    if (it == thresholds.end()) {
      // Calibrate on wire-free tiles of this very image (its own noise texture), else on noise.
      std::optional<WireThreshold> th;
      if (!open_rois.empty()) {
        auto tiles = tile_calibration_rois(ctx.image_f, open_rois, cv::Size(roi.width_px, roi.height_px));
        if (tiles && tiles->size() >= 10) {
          std::vector<cv::Mat> use;
          const std::size_t step = std::max<std::size_t>(1, tiles->size() / 24);
          for (std::size_t i = 0; i < tiles->size(); i += step) use.push_back((*tiles)[i]);
          auto c = calibrate_wire_threshold_rois(use, wo);
          if (c) th = *c;
        }
      }
      if (!th) {
        auto c = calibrate_wire_threshold_noise(cv::Size(roi.width_px, roi.height_px), wo, 200);
        if (!c) return tl::unexpected(c.error().with_context("wire " + f.id));
        th = *c;
        simulated = true;
      }
      it = thresholds.emplace(size_key, *th).first;
    }
    auto r = detect_wire(ctx.image_f, roi, wo, it->second);
    if (!r) return tl::unexpected(r.error().with_context("wire " + f.id));
    WireOutcome o{f.id, w->diameter_mm, w->cover ? w->cover->thickness_mm : 0.0, r->detected, r->score, r->threshold.threshold};
    out.push_back(o);
    entry.rois.push_back(polygon_shape({a, b, b, a}, num(w->diameter_mm), r->detected ? Verdict::pass : Verdict::fail));
    entry.rois.push_back(roi_shape(roi, "", Verdict::info));
    entry.details.push_back(fmt::format("{} ({} mm behind {} mm): score {:.2f} vs threshold {:.2f} {}", f.id,
                                        num(w->diameter_mm), num(o.cover_mm), r->score, r->threshold.threshold,
                                        r->detected ? "detected" : "not detected"));
    for (const auto& wm : r->warnings)
      if (wm.rfind("calibration:", 0) != 0) entry.warnings.push_back(f.id + ": " + wm);
  }
  if (simulated)
    entry.warnings.push_back("wire threshold calibrated on simulated white noise (open fields too small for wire-free tiles)");
  entry.rule = "wire detected when the Radon peak z-score >= the Gumbel-calibrated threshold";
  entry.threshold = opt.wire_false_alarm;
  entry.provenance = "false-alarm rate per wire search, kit option wire_false_alarm (default 0.01); threshold from "
                     "wire-free tiles of the open fields";
  return out;
}

Result<TestEntry> test_material(const KitContext& ctx, const TestNames& names, const std::string& default_calibration) {
  auto e = make_entry(names,
                      "Per material block: T = (I − dark)/(air − dark) in each plane with air from the open fields, "
                      "A = −ln T, R = A_low/A_high, class = nearest calibration curve at that A_high "
                      "(testkits/metrics/material_classes). Result = share of blocks in their expected class.");
  const auto& opt = ctx.input->options;
  const std::string cal_name = opt.material_calibration.empty() ? default_calibration : opt.material_calibration;
  e.rule = "block correct when the measured class equals the expected class";
  e.threshold = 0;
  e.provenance = "calibration '" + cal_name + "' (kit option material_calibration)";
  if (!ctx.input->low_energy) return not_run(opt, std::move(e), "no low-energy image (dual energy needed)");
  if (ctx.levels.inverted) return not_run(opt, std::move(e), "inverted (log) image: raw counts needed for transmission");
  std::vector<MaterialSample> samples;
  for (const auto& f : ctx.input->phantom.features) {
    const auto* b = std::get_if<phantoms::MaterialBlock>(&f.shape);
    if (!b) continue;
    auto roi = inner_roi(b->area, roi_margin_mm(b->area, ctx) * 1.5, ctx);
    if (!roi) {
      e.missing.push_back(f.id);
      continue;
    }
    samples.push_back({f.id, std::string(phantoms::material_class_name(b->expected_class)), *roi});
  }
  if (samples.empty()) return not_run(opt, std::move(e), "no material block in the image");
  const auto air = open_field_rois(ctx);
  if (air.empty()) return not_run(opt, std::move(e), "no open field in the image for the air level");
  const cv::Mat& low = ctx.input->low_energy->pixels;
  auto levels = measure_air_levels(ctx.image, low, air);
  if (!levels) return tl::unexpected(levels.error().with_context(names.title));
  auto cal = default_material_calibration(cal_name);
  if (!cal) return fail(ErrorCode::input, fmt::format("{}: material calibration '{}' unknown", names.title, cal_name));
  auto res = classify_blocks(ctx.image, low, *levels, samples, *cal);
  if (!res) return tl::unexpected(res.error().with_context(names.title));
  int correct = 0;
  for (const auto& r : *res) {
    correct += r.correct ? 1 : 0;
    e.rois.push_back(roi_shape(r.roi, r.measured_class, r.correct ? Verdict::pass : Verdict::fail));
    e.details.push_back(fmt::format("{}: R = {:.4f} (A_high {:.3f}) → {} (expected {}) {}", r.label, r.r, r.a_high,
                                    r.measured_class, r.expected_class, r.correct ? "correct" : "wrong"));
    for (const auto& w : r.warnings) e.warnings.push_back(r.label + ": " + w);
  }
  const auto table = confusion(*res);
  std::string tbl = "confusion (expected → measured):";
  for (std::size_t i = 0; i < table.expected_classes.size(); ++i)
    for (std::size_t j = 0; j < table.measured_classes.size(); ++j)
      if (table.counts[i][j] > 0)
        tbl += fmt::format(" {}→{}: {};", table.expected_classes[i], table.measured_classes[j], table.counts[i][j]);
  e.details.push_back(tbl);
  const double pct = 100.0 * correct / static_cast<double>(res->size());
  e.metrics.push_back({key(names, "correct_pct"), pct, "%"});
  e.verdict = correct == static_cast<int>(res->size()) ? Verdict::pass : Verdict::fail;
  e.result_text = fmt::format("material discrimination {} of {} blocks correct ({} %)", correct, res->size(), num(pct));
  return e;
}

Result<TestEntry> test_edge_mtf(const KitContext& ctx, const TestNames& names, std::vector<MtfPoint>* mtf_x,
                                std::vector<MtfPoint>* mtf_y) {
  auto e = make_entry(names,
                      "Slanted-edge MTF (ISO 12233 / IEC 62220-1 style, testkits/metrics/edge_mtf) on each side of "
                      "the tilted square, on the dose-linear intensities: near-vertical sides give the MTF along x, "
                      "near-horizontal ones along y; per axis the curves of the sides are averaged and MTF50/MTF20 "
                      "read off (lp/mm at the detector plane).");
  e.rule = "reported value (no visibility decision)";
  e.threshold = 0;
  e.provenance = "measurement only; judge it with a requirement";
  e.verdict = Verdict::info;
  std::map<char, std::vector<EdgeMtfResult>> per_axis;
  for (const auto& f : ctx.input->phantom.features) {
    if (f.purpose != phantoms::Purpose::edge_mtf) continue;
    const auto* s = std::get_if<phantoms::SharpEdge>(&f.shape);
    if (!s) continue;
    const auto corners = s->area.corners();
    for (int k = 0; k < 4; ++k) {
      const auto p = ctx.located.mm_to_px.apply(corners[static_cast<std::size_t>(k)]);
      const auto q = ctx.located.mm_to_px.apply(corners[static_cast<std::size_t>((k + 1) % 4)]);
      const cv::Point2d mid = (p + q) * 0.5;
      const double len = std::hypot(q.x - p.x, q.y - p.y);
      const bool vertical = std::abs(q.y - p.y) > std::abs(q.x - p.x);
      const double along = 0.3 * len, across = std::clamp(0.2 * len, 12.0, 48.0);
      const double hw = vertical ? across : along, hh = vertical ? along : across;
      RoiPx roi{static_cast<int>(std::lround(mid.x - hw)), static_cast<int>(std::lround(mid.y - hh)),
                static_cast<int>(std::lround(2 * hw)), static_cast<int>(std::lround(2 * hh))};
      const std::string side = fmt::format("{} side {}", f.id, k + 1);
      if (roi.x_px < 0 || roi.y_px < 0 || roi.x_px + roi.width_px > ctx.image.cols || roi.y_px + roi.height_px > ctx.image.rows) {
        e.missing.push_back(side);
        continue;
      }
      EdgeMtfOptions eo;
      eo.roi = roi;
      eo.pixel_mm_x = ctx.pitch_x;
      eo.pixel_mm_y = ctx.pitch_y;
      auto r = measure_edge_mtf(ctx.intensity, eo);
      if (!r) {
        e.warnings.push_back(side + ": " + r.error().message);
        e.rois.push_back(roi_shape(roi, "", Verdict::not_judged));
        continue;
      }
      const char axis = r->orientation == 'v' ? 'x' : 'y';
      e.rois.push_back(roi_shape(roi, fmt::format("MTF {}", axis), Verdict::info));
      e.details.push_back(fmt::format("{}: edge angle {:.2f}°, MTF50 {} cy/px, MTF20 {} cy/px along {}", side, r->edge_angle_deg,
                                      r->mtf50_cy_px ? num(*r->mtf50_cy_px) : "n/a", r->mtf20_cy_px ? num(*r->mtf20_cy_px) : "n/a",
                                      axis));
      for (const auto& w : r->warnings) e.warnings.push_back(side + ": " + w);
      per_axis[axis].push_back(*r);
    }
  }
  if (per_axis.empty()) return not_run(ctx.input->options, std::move(e), "no measurable edge in the image");
  for (auto& [axis, results] : per_axis) {
    // Mean curve over the sides, then MTF50/20 by linear interpolation on it.
    const auto& c0 = results.front().curve;
    std::vector<MtfPoint> mean(c0.size());
    for (std::size_t i = 0; i < c0.size(); ++i) {
      mean[i].f_cy_px = c0[i].f_cy_px;
      for (const auto& r : results) mean[i].mtf += r.curve[i].mtf / static_cast<double>(results.size());
    }
    const double pitch = axis == 'x' ? ctx.pitch_x : ctx.pitch_y;
    auto crossing = [&](double level) -> std::optional<double> {
      for (std::size_t i = 1; i < mean.size(); ++i)
        if (mean[i].mtf <= level && mean[i - 1].mtf > level) {
          const double u = (mean[i - 1].mtf - level) / (mean[i - 1].mtf - mean[i].mtf);
          return mean[i - 1].f_cy_px + u * (mean[i].f_cy_px - mean[i - 1].f_cy_px);
        }
      return std::nullopt;
    };
    Series s{fmt::format("mtf_{}", axis), "cy/px", "", {}, {}};
    for (const auto& m : mean) s.x.push_back(m.f_cy_px), s.y.push_back(m.mtf);
    e.series.push_back(s);
    if (axis == 'x' && mtf_x) *mtf_x = mean;
    if (axis == 'y' && mtf_y) *mtf_y = mean;
    for (const auto& [level, name] : {std::pair{0.2, "mtf20"}, std::pair{0.5, "mtf50"}}) {
      if (auto f = crossing(level)) {
        e.metrics.push_back({key(names, fmt::format("{}_{}_lp_mm", name, axis)), *f / pitch, "lp/mm"});
      } else {
        e.warnings.push_back(fmt::format("{} along {} not reached below the Nyquist frequency", name, axis));
      }
    }
  }
  for (const auto& m : e.metrics)
    if (m.key.find("mtf20") != std::string::npos)
      e.result_text += (e.result_text.empty() ? "" : "; ") +
                       fmt::format("MTF20 {:.3f} lp/mm along {}", m.value, m.key[m.key.find("mtf20_") + 6]);
  if (e.result_text.empty()) e.result_text = "MTF20 above the Nyquist frequency";
  return e;
}

}  // namespace niikit::testkits::kits
