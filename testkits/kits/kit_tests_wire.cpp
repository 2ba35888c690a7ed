// Shared kit tests: wire detection, dual-energy material classes, edge MTF.
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
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

// True when the phantom point p lies inside `r` shrunk by `inset_mm` on every side.
bool inside_rect(const Rect& r, phantoms::PointMm p, double inset_mm) {
  const auto c = r.center();
  const double a = -r.angle_deg * std::numbers::pi / 180.0;
  const double dx = p.x_mm - c.x_mm, dy = p.y_mm - c.y_mm;
  const double lx = std::cos(a) * dx - std::sin(a) * dy, ly = std::sin(a) * dx + std::cos(a) * dy;
  return std::abs(lx) <= r.width_mm / 2 - inset_mm && std::abs(ly) <= r.height_mm / 2 - inset_mm;
}

phantoms::PointMm along(phantoms::PointMm p, double ux, double uy, double s) { return {p.x_mm + ux * s, p.y_mm + uy * s}; }

// The strip (phantom mm) sampled around one wire: its axis end points and half width.
struct StripMm {
  phantoms::PointMm a, b;
  double half_width_mm = 0;
};

// Widest strip (up to `want_hw_mm`, at least `min_hw_mm`) around the wire that stays `inset_mm`
// inside the cover, preferring length: ends trimmed in steps of 5 % (at most 30 %); nullopt when none fits.
std::optional<StripMm> fit_strip_in_cover(const phantoms::Wire& w, const Rect& cover, double want_hw_mm, double min_hw_mm,
                                          double inset_mm) {
  const double len = w.length_mm();
  const double ux = (w.end.x_mm - w.start.x_mm) / len, uy = (w.end.y_mm - w.start.y_mm) / len;
  const double nx = -uy, ny = ux;
  const double step = std::max(0.05, min_hw_mm / 8);
  for (double trim = 0; trim <= 0.3 * len; trim += std::max(step, 0.05 * len))
    for (double hw = want_hw_mm; hw >= min_hw_mm - 1e-9; hw -= step) {
      const auto a = along(w.start, ux, uy, trim), b = along(w.start, ux, uy, len - trim);
      bool ok = true;
      for (const auto& q : {along(a, nx, ny, hw), along(a, nx, ny, -hw), along(b, nx, ny, hw), along(b, nx, ny, -hw)})
        ok = ok && inside_rect(cover, q, inset_mm);
      if (ok) return StripMm{a, b, hw};
    }
  return std::nullopt;
}

// Perpendicular clearance, mm, from wire `w` to the nearest other wire of the phantom that runs
// beside it (overlapping along its length); +inf when none.
double neighbour_clearance_mm(const KitContext& ctx, const phantoms::Feature& self, const phantoms::Wire& w) {
  const double len = w.length_mm();
  const double ux = (w.end.x_mm - w.start.x_mm) / len, uy = (w.end.y_mm - w.start.y_mm) / len;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& f : ctx.input->phantom.features) {
    if (f.id == self.id) continue;
    const auto* o = std::get_if<phantoms::Wire>(&f.shape);
    if (!o) continue;
    double lo = 1e300, hi = -1e300, perp = 1e300;
    for (const auto& q : {o->start, o->end}) {
      const double dx = q.x_mm - w.start.x_mm, dy = q.y_mm - w.start.y_mm;
      const double s = dx * ux + dy * uy;
      lo = std::min(lo, s), hi = std::max(hi, s);
      perp = std::min(perp, std::abs(-dx * uy + dy * ux));
    }
    if (hi < 0 || lo > len) continue;
    best = std::min(best, perp - o->diameter_mm / 2);
  }
  return best;
}

// Wire-free calibration strips: windows of the strip's size and orientation (unit direction
// `d` in image px) placed on a grid over the open fields; at most `max_count`, spread evenly.
std::vector<cv::Mat> calibration_strips(const cv::Mat& image, const std::vector<RoiPx>& fields, cv::Size size, cv::Point2d d,
                                        int max_count) {
  struct Place {
    cv::Point2d a, b;
  };
  std::vector<Place> places;
  const cv::Point2d n(-d.y, d.x);
  const double half_len = (size.width - 1) / 2.0, hw = (size.height - 1) / 2.0;
  const double ex = std::abs(d.x) * half_len + std::abs(n.x) * hw + 1, ey = std::abs(d.y) * half_len + std::abs(n.y) * hw + 1;
  for (const auto& f : fields) {
    const double step_x = std::max(4.0, size.width * 0.75 * std::abs(d.x) + size.height * std::abs(n.x));
    const double step_y = std::max(4.0, size.height * std::abs(n.y) + size.width * 0.75 * std::abs(d.y));
    for (double cy = f.y_px + ey; cy <= f.y_px + f.height_px - 1 - ey; cy += step_y)
      for (double cx = f.x_px + ex; cx <= f.x_px + f.width_px - 1 - ex; cx += step_x)
        places.push_back({cv::Point2d(cx, cy) - d * (size.width / 2.0), cv::Point2d(cx, cy) + d * (size.width / 2.0)});
  }
  std::vector<cv::Mat> out;
  const std::size_t stride = std::max<std::size_t>(1, places.size() / static_cast<std::size_t>(max_count));
  for (std::size_t i = 0; i < places.size() && static_cast<int>(out.size()) < max_count; i += stride)
    if (auto s = sample_wire_strip(image, places[i].a, places[i].b, hw); s && s->size() == size) out.push_back(*s);
  return out;
}

}  // namespace

Result<std::vector<WireOutcome>> detect_wires(const KitContext& ctx, phantoms::Purpose purpose, TestEntry& entry) {
  const auto& t = ctx.located.mm_to_px;
  const auto& opt = ctx.input->options;
  const auto open_rois = open_field_rois(ctx);
  // One threshold per (strip size, orientation to 1°, wire width), shared by the wires.
  std::map<std::tuple<int, int, int, int>, WireThreshold> thresholds;
  std::vector<WireOutcome> out;
  bool simulated = false;
  for (const auto& f : ctx.input->phantom.features) {
    if (f.purpose != purpose) continue;
    const auto* w = std::get_if<phantoms::Wire>(&f.shape);
    if (!w) continue;
    const double len_mm = w->length_mm();
    const double ux = (w->end.x_mm - w->start.x_mm) / len_mm, uy = (w->end.y_mm - w->start.y_mm) / len_mm;
    const cv::Point2d p0 = t.apply(w->start);
    const double px_per_mm = cv::norm(t.apply(along(w->start, -uy, ux, 1.0)) - p0);  // across the wire
    const double d_px = w->diameter_mm * px_per_mm;
    // Strip half width: a few wire diameters plus margin, 8–24 px, less than half the gap to a
    // neighbouring wire, on the cover when there is one.
    double want_hw_mm = std::clamp(std::max(8.0, 5.0 * d_px), 8.0, 24.0) / px_per_mm;
    want_hw_mm = std::min(want_hw_mm, 0.5 * neighbour_clearance_mm(ctx, f, *w));
    const double min_hw_mm = 4.0 / px_per_mm;
    std::optional<StripMm> strip;
    if (want_hw_mm >= min_hw_mm) {
      if (auto cover = w->cover_area())
        strip = fit_strip_in_cover(*w, *cover, want_hw_mm, min_hw_mm, 1.0 / px_per_mm);  // edges' blur: see docs
      else
        strip = StripMm{w->start, w->end, want_hw_mm};
    }
    const cv::Point2d a = strip ? t.apply(strip->a) : p0, b = strip ? t.apply(strip->b) : t.apply(w->end);
    auto sampled = strip ? sample_wire_strip(ctx.image_f, a, b, strip->half_width_mm * px_per_mm)
                         : Result<cv::Mat>(fail(ErrorCode::input, "no strip fits"));
    if (!sampled) {
      entry.missing.push_back(f.id);
      continue;
    }
    const cv::Mat& img = *sampled;
    const cv::Point2d dir = (b - a) / cv::norm(b - a);
    WireDetectOptions wo;
    wo.nominal_angle_deg = 0;
    wo.angle_half_range_deg = 2.0;
    wo.resampled_strip = true;
    wo.background_order = 1;  // a quadratic across a narrow strip would absorb a centred wire
    wo.wire_darker = !ctx.levels.inverted;
    wo.false_alarm_rate = opt.wire_false_alarm;
    wo.wire_width_px = std::clamp(static_cast<int>(std::lround(d_px)), 1, 51);
    wo.profile_background_px = std::min(501, odd_at_least(std::max(15, 3 * wo.wire_width_px + 2)));
    wo.exclusion_half_width_px = std::max(2, wo.wire_width_px + 1);
    const int angle_key = static_cast<int>(std::lround(std::atan2(dir.y, dir.x) * 180 / std::numbers::pi));
    const auto size_key = std::make_tuple(img.cols, img.rows, angle_key, wo.wire_width_px);
    auto it = thresholds.find(size_key);
    if (it == thresholds.end()) {
      // Calibrate on wire-free strips of this size and orientation cut from the open fields of this
      // very image (same noise texture, same resampling), else on simulated noise.
      std::optional<WireThreshold> th;
      if (!open_rois.empty()) {
        auto strips = calibration_strips(ctx.image_f, open_rois, img.size(), dir, 24);
        if (strips.size() >= 20)
          if (auto c = calibrate_wire_threshold_rois(strips, wo)) th = *c;
      }
      if (!th) {
        auto c = calibrate_wire_threshold_noise(img.size(), wo, 200);
        if (!c) return tl::unexpected(c.error().with_context("wire " + f.id));
        th = *c;
        simulated = true;
      }
      it = thresholds.emplace(size_key, *th).first;
    }
    auto r = detect_wire(img, wo, it->second);
    if (!r) return tl::unexpected(r.error().with_context("wire " + f.id));
    WireOutcome o{f.id, w->diameter_mm, w->cover ? w->cover->thickness_mm : 0.0, r->detected, r->score, r->threshold.threshold};
    out.push_back(o);
    const cv::Point2d wa = t.apply(w->start), wb = t.apply(w->end);
    entry.rois.push_back(polygon_shape({wa, wb, wb, wa}, num(w->diameter_mm), r->detected ? Verdict::pass : Verdict::fail));
    const cv::Point2d nrm(-dir.y, dir.x);
    const double hw_px = (img.rows - 1) / 2.0;
    entry.rois.push_back(polygon_shape({a + nrm * hw_px, b + nrm * hw_px, b - nrm * hw_px, a - nrm * hw_px}, "", Verdict::info));
    entry.details.push_back(fmt::format("{} ({} mm behind {} mm): score {:.2f} vs threshold {:.2f} {} (strip {}x{} px)", f.id,
                                        num(w->diameter_mm), num(o.cover_mm), r->score, r->threshold.threshold,
                                        r->detected ? "detected" : "not detected", img.cols, img.rows));
    for (const auto& wm : r->warnings)
      if (wm.rfind("calibration:", 0) != 0) entry.warnings.push_back(f.id + ": " + wm);
  }
  if (simulated)
    entry.warnings.push_back("wire threshold calibrated on simulated white noise (open fields too small for wire-free strips)");
  entry.rule = "wire detected when the Radon peak z-score >= the Gumbel-calibrated threshold";
  entry.threshold = opt.wire_false_alarm;
  entry.provenance = "false-alarm rate per wire search, kit option wire_false_alarm (default 0.01); threshold from "
                     "wire-free strips of the same size and orientation cut from the open fields";
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
  e.rule = "reported value (no visibility decision); sides with edge SNR below the threshold are not measurable";
  e.threshold = ctx.input->options.mtf_min_edge_snr;
  e.provenance = "kit option mtf_min_edge_snr (default 20: below it the noise moves MTF50 by 5-20 %)";
  e.verdict = Verdict::info;
  std::map<char, std::vector<EdgeMtfResult>> per_axis;
  std::map<char, double> weak;  // axis → best edge SNR among the sides below the floor
  const double floor = ctx.input->options.mtf_min_edge_snr;
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
      const double snr = r->noise_sigma > 0 ? r->edge_contrast / r->noise_sigma : 1e9;
      e.details.push_back(fmt::format("{}: edge angle {:.2f}°, edge SNR {:.1f}, MTF50 {} cy/px, MTF20 {} cy/px along {}", side,
                                      r->edge_angle_deg, snr, r->mtf50_cy_px ? num(*r->mtf50_cy_px) : "n/a",
                                      r->mtf20_cy_px ? num(*r->mtf20_cy_px) : "n/a", axis));
      if (snr < floor) {
        // Below the floor the noise moves MTF50 by 5-20 % (docs/kits.md): no number from this side.
        e.warnings.push_back(fmt::format("{}: edge SNR {:.1f} is below the floor {}: MTF not measurable from this side", side,
                                         snr, num(floor)));
        e.rois.push_back(roi_shape(roi, fmt::format("MTF {}: SNR low", axis), Verdict::not_judged));
        weak[axis] = std::max(weak[axis], snr);
        continue;
      }
      for (const auto& w : r->warnings) e.warnings.push_back(side + ": " + w);
      per_axis[axis].push_back(*r);
    }
  }
  std::vector<std::string> not_measurable;
  for (const auto& [axis, snr] : weak)
    if (!per_axis.count(axis)) {
      not_measurable.push_back(fmt::format("MTF along {} not measurable (edge SNR {:.1f} < {})", axis, snr, num(floor)));
      e.warnings.push_back(not_measurable.back() + ": no MTF figure along " + std::string(1, axis));
    }
  if (per_axis.empty() && !not_measurable.empty()) {
    e.verdict = Verdict::not_judged;
    for (const auto& t : not_measurable) e.result_text += (e.result_text.empty() ? "" : "; ") + t;
    return e;
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
  for (const auto& t : not_measurable) e.result_text += (e.result_text.empty() ? "" : "; ") + t;
  if (e.result_text.empty()) e.result_text = "MTF20 above the Nyquist frequency";
  return e;
}

}  // namespace niikit::testkits::kits
