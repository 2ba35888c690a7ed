// Shared kit helpers: context preparation, feature geometry in pixels, entry helpers.
#include "testkits/kits/kit_common.hpp"

#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "phantoms/materials.hpp"
#include "testkits/metrics/roi_stats.hpp"

namespace niikit::testkits::kits {

using phantoms::Feature;
using phantoms::Rect;

std::string num(double v) { return fmt::format("{:g}", std::round(v * 1000) / 1000); }

std::vector<cv::Point2d> rect_polygon_px(const Rect& rect, const MmToPx& t) {
  std::vector<cv::Point2d> out;
  for (const auto& c : rect.corners()) out.push_back(t.apply(c));
  return out;
}

std::vector<cv::Point2d> feature_polygon_px(const Feature& f, const MmToPx& t) {
  using namespace phantoms;
  return std::visit(
      [&](const auto& s) -> std::vector<cv::Point2d> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, FiducialDisc>) {
          const double r = s.diameter_mm / 2;
          return rect_polygon_px(Rect{s.center.x_mm - r, s.center.y_mm - r, 2 * r, 2 * r, 0}, t);
        } else if constexpr (std::is_same_v<T, StepWedge>) {
          return rect_polygon_px(s.area, t);
        } else if constexpr (std::is_same_v<T, Wire>) {
          if (auto c = s.cover_area()) return rect_polygon_px(*c, t);
          const double r = s.diameter_mm / 2;
          const double x0 = std::min(s.start.x_mm, s.end.x_mm) - r, x1 = std::max(s.start.x_mm, s.end.x_mm) + r;
          const double y0 = std::min(s.start.y_mm, s.end.y_mm) - r, y1 = std::max(s.start.y_mm, s.end.y_mm) + r;
          return rect_polygon_px(Rect{x0, y0, x1 - x0, y1 - y0, 0}, t);
        } else if constexpr (std::is_same_v<T, BarGroup>) {
          return rect_polygon_px(s.outline(), t);
        } else if constexpr (std::is_same_v<T, ContrastPlateGroup>) {
          return rect_polygon_px(s.base_area, t);
        } else {
          return rect_polygon_px(s.area, t);
        }
      },
      f.shape);
}

bool polygon_inside(const std::vector<cv::Point2d>& poly, const cv::Size& size, double margin_px) {
  for (const auto& p : poly)
    if (p.x < margin_px - 0.5 || p.y < margin_px - 0.5 || p.x > size.width - 0.5 - margin_px ||
        p.y > size.height - 0.5 - margin_px)
      return false;
  return true;
}

double roi_margin_mm(const Rect& rect, const KitContext& ctx) {
  const double side = std::min(rect.width_mm, rect.height_mm);
  const double px_mm = std::max(ctx.pitch_x, ctx.pitch_y);
  return std::min(std::max(2.5 * px_mm, 0.08 * side), 0.3 * side);
}

std::optional<RoiPx> inner_roi(const Rect& rect, double margin_mm, const KitContext& ctx) {
  Rect r = rect;
  r.x_mm += margin_mm, r.y_mm += margin_mm;
  r.width_mm -= 2 * margin_mm, r.height_mm -= 2 * margin_mm;
  if (r.width_mm <= 0 || r.height_mm <= 0) return std::nullopt;
  const auto poly = rect_polygon_px(r, ctx.located.mm_to_px);
  std::vector<cv::Point2f> contour;
  for (const auto& p : poly) contour.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  const auto c = ctx.located.mm_to_px.apply(r.center());
  double hx = 0, hy = 0;
  for (const auto& p : poly) hx = std::max(hx, std::abs(p.x - c.x)), hy = std::max(hy, std::abs(p.y - c.y));
  // Shrink the bounding box about the centre until every corner is inside the polygon.
  double lo = 0, hi = 1;
  for (int i = 0; i < 24; ++i) {
    const double k = (lo + hi) / 2;
    bool inside = true;
    for (int sx = -1; sx <= 1 && inside; sx += 2)
      for (int sy = -1; sy <= 1 && inside; sy += 2) {
        const cv::Point2f q(static_cast<float>(c.x + sx * k * hx), static_cast<float>(c.y + sy * k * hy));
        if (cv::pointPolygonTest(contour, q, false) < 0) inside = false;
      }
    (inside ? lo : hi) = k;
  }
  const int x0 = static_cast<int>(std::ceil(c.x - lo * hx)), x1 = static_cast<int>(std::floor(c.x + lo * hx));
  const int y0 = static_cast<int>(std::ceil(c.y - lo * hy)), y1 = static_cast<int>(std::floor(c.y + lo * hy));
  RoiPx roi{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
  if (roi.width_px < 3 || roi.height_px < 3) return std::nullopt;
  if (x0 < 0 || y0 < 0 || x1 >= ctx.image.cols || y1 >= ctx.image.rows) return std::nullopt;
  return roi;
}

cv::Mat rectify(const cv::Mat& image_f, const Rect& rect, const MmToPx& t, double step_x_mm, double step_y_mm) {
  const int w = std::max(1, static_cast<int>(std::floor(rect.width_mm / step_x_mm)));
  const int h = std::max(1, static_cast<int>(std::floor(rect.height_mm / step_y_mm)));
  // Patch pixel (u, v) sits at mm (x0 + (u + ½)·sx, y0 + (v + ½)·sy).
  const double x0 = rect.x_mm + step_x_mm / 2, y0 = rect.y_mm + step_y_mm / 2;
  cv::Mat m = (cv::Mat_<double>(2, 3) << t.m[0] * step_x_mm, t.m[1] * step_y_mm, t.m[0] * x0 + t.m[1] * y0 + t.m[2],
               t.m[3] * step_x_mm, t.m[4] * step_y_mm, t.m[3] * x0 + t.m[4] * y0 + t.m[5]);
  for (const auto& p : rect_polygon_px(rect, t))
    if (p.x < 0 || p.y < 0 || p.x > image_f.cols - 1 || p.y > image_f.rows - 1) return {};
  cv::Mat out;
  cv::warpAffine(image_f, out, m, cv::Size(w, h), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  return out;
}

RoiShape roi_shape(const RoiPx& roi, std::string label, Verdict verdict) {
  const double x0 = roi.x_px - 0.5, y0 = roi.y_px - 0.5, x1 = x0 + roi.width_px, y1 = y0 + roi.height_px;
  return {std::move(label), {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, verdict};
}

RoiShape polygon_shape(std::vector<cv::Point2d> poly, std::string label, Verdict verdict) {
  return {std::move(label), std::move(poly), verdict};
}

bool test_selected(const KitOptions& options, std::string_view test_id, bool* asked) {
  const bool named = std::find(options.tests.begin(), options.tests.end(), test_id) != options.tests.end();
  if (asked) *asked = named;
  return options.tests.empty() || named;
}

Result<TestEntry> not_run(const KitOptions& options, TestEntry entry, std::string reason) {
  bool asked = false;
  test_selected(options, entry.test_id, &asked);
  if (asked) return fail(ErrorCode::input, fmt::format("test '{}' cannot run: {}", entry.test_id, reason));
  entry.status = TestStatus::not_run;
  entry.verdict = Verdict::not_judged;
  entry.result_text = "not run: " + reason;
  entry.not_run_reason = std::move(reason);
  return entry;
}

KitResult make_result(const KitInfo& info, const KitContext& ctx) {
  KitResult r;
  r.kit_id = info.id;
  r.kit_version = info.version;
  const auto& ph = ctx.input->phantom;
  r.phantom_id = ph.id;
  r.phantom_name = ph.name;
  r.phantom_revision = ph.revision;
  r.image_source = ctx.input->image.source;
  r.pixel_mm_x = ctx.pitch_x;
  r.pixel_mm_y = ctx.pitch_y;
  r.located = ctx.located;
  r.warnings = ctx.warnings;
  r.missing_features = ctx.missing;
  r.options = ctx.input->options;
  if (!ctx.missing.empty())
    r.warnings.push_back(fmt::format("partial view: {} feature(s) outside the image, scored what is visible", ctx.missing.size()));
  return r;
}

Status add_test(KitResult& result, const KitOptions& options, std::string_view test_id,
                const std::function<Result<TestEntry>()>& run) {
  if (!test_selected(options, test_id)) return {};
  auto entry = run();
  if (!entry) return tl::unexpected(entry.error());
  result.tests.push_back(std::move(*entry));
  return {};
}

double max_transmission(const std::vector<phantoms::Layer>& layers) {
  double worst = 0;
  for (int i = 0; i <= 60; ++i) {
    const double energy_keV = 20.0 * std::pow(500.0, i / 60.0);  // 20 keV … 10 MeV
    double mu_t = 0;
    for (const auto& l : layers)
      if (l.material != phantoms::Material::air && l.thickness_mm > 0)
        mu_t += phantoms::linear_attenuation_per_mm(l.material, energy_keV) * l.thickness_mm;
    worst = std::max(worst, std::exp(-mu_t));
  }
  return worst;
}

namespace {

// Regions of the phantom whose layers are known from the definition alone: the steps of step
// wedges (with the block behind, when there is one) and slabs, each over the phantom's base.
std::vector<std::pair<std::string, std::pair<Rect, std::vector<phantoms::Layer>>>> dark_candidates(
    const phantoms::Phantom& ph) {
  std::vector<std::pair<std::string, std::pair<Rect, std::vector<phantoms::Layer>>>> out;
  for (const auto& f : ph.features) {
    if (const auto* w = std::get_if<phantoms::StepWedge>(&f.shape)) {
      for (std::size_t k = 0; k < w->step_count(); ++k) {
        std::vector<phantoms::Layer> layers{ph.base, {w->material, w->step_thicknesses_mm[k]}};
        if (w->behind) {
          layers.push_back({w->behind->material, w->behind->thickness_mm});
          out.push_back({fmt::format("{} block behind step {} mm", f.id, num(w->step_thicknesses_mm[k])),
                         {*w->behind_area(k), layers}});
        } else {
          out.push_back({fmt::format("{} step {} mm", f.id, num(w->step_thicknesses_mm[k])), {w->step_area(k), layers}});
        }
      }
    } else if (const auto* sl = std::get_if<phantoms::Slab>(&f.shape)) {
      out.push_back({f.id, {sl->area, {ph.base, sl->layer}}});
    }
  }
  return out;
}

}  // namespace

void estimate_dark_level(KitContext& ctx) {
  const auto& opt = ctx.input->options;
  auto& loc = ctx.located;
  if (opt.dark_level) {
    loc.dark_level = *opt.dark_level;
    loc.dark_method = fmt::format("stated: {}", num(*opt.dark_level));
    return;
  }
  std::optional<double> best;
  std::string where;
  for (const auto& [name, region] : dark_candidates(ctx.input->phantom)) {
    if (max_transmission(region.second) >= kFullyAttenuating) continue;
    const auto roi = inner_roi(region.first, roi_margin_mm(region.first, ctx), ctx);
    if (!roi) continue;
    const auto st = measure_roi(ctx.image_f, *roi);
    if (st && (!best || st->median < *best)) best = st->median, where = name;
  }
  if (best) {
    loc.dark_level = *best;
    loc.dark_method = fmt::format("median of the darkest fully attenuating region ({}): {}", where, num(*best));
    return;
  }
  loc.dark_level = 0;
  loc.dark_method = "no fully attenuating region in the image: taken as 0";
  // Only bar modulation (a ratio) depends on it today: warn where bars are scored.
  const auto& features = ctx.input->phantom.features;
  if (std::none_of(features.begin(), features.end(),
                   [](const phantoms::Feature& f) { return std::holds_alternative<phantoms::BarGroup>(f.shape); }))
    return;
  ctx.warnings.push_back("dark level unknown (no fully attenuating region of the phantom in the image): taken as 0; "
                         "give the dark level when the scan carries a detector offset");
}

Result<KitContext> prepare_context(const KitInput& input, phantoms::MethodFamily family, std::string_view kit_id) {
  const auto& ph = input.phantom;
  const std::string src = input.image.source.empty() ? std::string("image") : input.image.source;
  if (ph.features.empty()) return fail(ErrorCode::input, fmt::format("kit {}: no phantom given", kit_id));
  if (ph.method_family != family && ph.method_family != phantoms::MethodFamily::custom)
    return fail(ErrorCode::input,
                fmt::format("kit {}: phantom '{}' is a {} phantom; use the {} kit", kit_id, ph.id,
                            phantoms::method_family_name(ph.method_family), phantoms::method_family_name(ph.method_family)));
  const auto& img = input.image.pixels;
  if (img.empty() || img.channels() != 1) return fail(ErrorCode::input, src + ": expected one grey plane");
  if (!(std::isfinite(input.options.mtf_min_edge_snr) && input.options.mtf_min_edge_snr > 0 &&
        input.options.mtf_min_edge_snr <= 10000))
    return fail(ErrorCode::input,
                fmt::format("kit {}: mtf_min_edge_snr must be in (0, 10000], got {}", kit_id, input.options.mtf_min_edge_snr));
  if (input.options.dark_level && !std::isfinite(*input.options.dark_level))
    return fail(ErrorCode::input, fmt::format("kit {}: dark_level must be a finite number", kit_id));
  if (input.low_energy && input.low_energy->pixels.size() != img.size())
    return fail(ErrorCode::input, fmt::format("{}: low-energy image is {}x{} px, the scan {}x{} px", input.low_energy->source,
                                              input.low_energy->pixels.cols, input.low_energy->pixels.rows, img.cols, img.rows));
  KitContext ctx;
  ctx.input = &input;
  ctx.image = img;
  ctx.pitch_x = input.options.pixel_mm_x > 0 ? input.options.pixel_mm_x : input.image.meta.pixel_mm_x;
  ctx.pitch_y = input.options.pixel_mm_y > 0 ? input.options.pixel_mm_y : input.image.meta.pixel_mm_y;
  if (!(ctx.pitch_x > 0) || !(ctx.pitch_y > 0))
    return fail(ErrorCode::input, src + ": pixel pitch unknown (not in the image metadata): give --pixel-mm");
  auto lv = estimate_levels(img);
  if (!lv) return tl::unexpected(lv.error().with_context(src));
  ctx.levels = *lv;
  auto loc = locate_phantom(img, ph, ctx.pitch_x, ctx.pitch_y, input.options, ctx.warnings);
  if (!loc) return tl::unexpected(loc.error().with_context(src));
  ctx.located = *loc;
  ctx.levels.inverted = ctx.located.inverted;  // decided by locate_phantom (stated or from the object)
  img.convertTo(ctx.image_f, CV_32F);
  if (ctx.levels.inverted) {
    const double top = ctx.levels.high + 0.05 * (ctx.levels.high - ctx.levels.low);
    ctx.intensity = top - ctx.image_f;
    ctx.located.dark_method = "not used (inverted image)";
    ctx.warnings.push_back("inverted polarity (log or inverted image): intensities flipped; modulation and MTF are on "
                           "that flipped, not dose-linear, scale");
  }
  // Features outside the image (partial crop).
  for (const auto& f : ph.features)
    if (!polygon_inside(feature_polygon_px(f, ctx.located.mm_to_px), img.size())) ctx.missing.push_back(f.id);
  // Air level from the open fields, when visible: the histogram mode is only a first guess.
  std::vector<double> air;
  for (const auto& f : ph.features)
    if (const auto* o = std::get_if<phantoms::OpenField>(&f.shape))
      if (auto roi = inner_roi(o->area, roi_margin_mm(o->area, ctx), ctx))
        if (auto st = measure_roi(ctx.image_f, *roi)) air.push_back(st->median);
  if (!air.empty()) {
    std::sort(air.begin(), air.end());
    const double a = air[air.size() / 2];
    if (std::abs(a - ctx.levels.air) > 0.05 * std::max(std::abs(ctx.levels.air), ctx.levels.high - ctx.levels.low))
      ctx.warnings.push_back(fmt::format("air level: open fields read {:.1f}, histogram mode {:.1f}; the open fields are used",
                                         a, ctx.levels.air));
    ctx.levels.air = a;
  }
  ctx.located.air_level = ctx.levels.air;
  // Dose-linear intensities: the dark level (detector offset) removed, so ratios such as the
  // bar modulation (max − min)/(max + min) are the signal's own, not diluted by the offset.
  if (!ctx.levels.inverted) {
    estimate_dark_level(ctx);
    ctx.intensity = ctx.image_f - ctx.located.dark_level;
  }
  return ctx;
}

}  // namespace niikit::testkits::kits
