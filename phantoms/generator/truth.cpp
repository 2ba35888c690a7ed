#include "phantoms/generator/truth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "phantoms/generator/detector_model.hpp"
#include "phantoms/generator/forward_model.hpp"

namespace niikit::phantoms::generator {
namespace {

struct RegionContext {
  const std::vector<LocalSolid>* solids;
  const Placement* placement;
  const RenderOptions* options;
  const std::vector<std::array<double, material_count>>* mu;
  double gain;
};

PlaneExpectation expect(const MaterialStack& stack, const std::array<double, material_count>& mu,
                        const RenderOptions& options, double gain) {
  double line_integral = 0;
  for (std::size_t m = 0; m < material_count; ++m) line_integral += mu[m] * stack[m];
  PlaneExpectation e;
  e.transmission = std::exp(-line_integral);
  e.photons = options.dose_photons * e.transmission;
  e.counts = options.dark_offset_counts + gain * e.photons;
  e.noise_counts = expected_noise_counts(options, gain, e.photons);
  return e;
}

RegionTruth make_region(const RegionContext& ctx, std::string id, std::string feature_id, PointMm p) {
  RegionTruth r;
  r.id = std::move(id);
  r.feature_id = std::move(feature_id);
  r.center_mm = p;
  r.center_px = ctx.placement->to_px(p);
  r.stack = stack_at(*ctx.solids, p);
  for (const auto& mu : *ctx.mu) r.planes.push_back(expect(r.stack, mu, *ctx.options, ctx.gain));
  return r;
}

// The widest image-border strip clear of the transformed outline (grown by 3 PSF σ + 1 px).
std::optional<cv::Rect> air_roi(const Phantom& phantom, const Placement& placement, const RenderOptions& o) {
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const PointMm c : {PointMm{0, 0}, PointMm{phantom.width_mm, 0}, PointMm{0, phantom.height_mm},
                          PointMm{phantom.width_mm, phantom.height_mm}}) {
    const auto p = placement.to_px(c);
    x0 = std::min(x0, p.x_px), x1 = std::max(x1, p.x_px), y0 = std::min(y0, p.y_px), y1 = std::max(y1, p.y_px);
  }
  const double gx = 3 * o.psf_sigma_mm_x / o.pixel_mm_x + 1, gy = 3 * o.psf_sigma_mm_y / o.pixel_mm_y + 1;
  const int w = placement.width_px, h = placement.height_px;
  const int left = std::clamp(static_cast<int>(std::floor(x0 - gx)), 0, w);
  const int right = std::clamp(static_cast<int>(std::ceil(x1 + gx)) + 1, 0, w);
  const int top = std::clamp(static_cast<int>(std::floor(y0 - gy)), 0, h);
  const int bottom = std::clamp(static_cast<int>(std::ceil(y1 + gy)) + 1, 0, h);
  const std::array<cv::Rect, 4> strips{cv::Rect(0, 0, left, h), cv::Rect(right, 0, w - right, h),
                                       cv::Rect(0, 0, w, top), cv::Rect(0, bottom, w, h - bottom)};
  const auto best = std::max_element(strips.begin(), strips.end(),
                                     [](const cv::Rect& a, const cv::Rect& b) { return a.area() < b.area(); });
  if (best->width < 2 || best->height < 2) return std::nullopt;
  return *best;
}

// A point of the step clear of the behind block: the middle of the wider free gap.
PointMm beside_point(const Rect& step, const std::optional<Rect>& behind) {
  const PointMm c = step.center();
  if (!behind) return c;
  const double gap_x = (step.width_mm - behind->width_mm) / 2, gap_y = (step.height_mm - behind->height_mm) / 2;
  if (gap_x >= gap_y) return {c.x_mm + behind->width_mm / 2 + gap_x / 2, c.y_mm};
  return {c.x_mm, c.y_mm + behind->height_mm / 2 + gap_y / 2};
}

void add_wedge(const RegionContext& ctx, const Feature& f, const StepWedge& wedge, Truth& t) {
  for (std::size_t k = 0; k < wedge.step_count(); ++k) {
    StepTruth step;
    step.feature_id = f.id;
    step.index = static_cast<int>(k);
    step.step_thickness_mm = wedge.step_thicknesses_mm[k];
    const Rect area = wedge.step_area(k);
    const auto behind = wedge.behind_area(k);
    const std::string prefix = fmt::format("{}/step{}", f.id, k + 1);
    // Copies, not references: pushing the behind region may reallocate t.regions.
    const RegionTruth beside = make_region(ctx, prefix + "/beside", f.id, beside_point(area, behind));
    const RegionTruth back = behind ? make_region(ctx, prefix + "/behind", f.id, behind->center()) : beside;
    step.beside_region = beside.id;
    if (behind) step.behind_region = back.id;
    for (std::size_t e = 0; e < beside.planes.size(); ++e) {
      const double contrast = std::abs(beside.planes[e].counts - back.planes[e].counts);
      step.transmission_beside.push_back(beside.planes[e].transmission);
      step.transmission_behind.push_back(back.planes[e].transmission);
      step.contrast_counts.push_back(contrast);
      step.cnr.push_back(contrast / beside.planes[e].noise_counts);
    }
    t.regions.push_back(beside);
    if (behind) t.regions.push_back(back);
    t.steps.push_back(std::move(step));
  }
}

// A point beside the wire's midpoint, inside its cover when it has one.
PointMm wire_background(const Wire& w) {
  const double len = std::max(w.length_mm(), 1e-9);
  const double nx = -(w.end.y_mm - w.start.y_mm) / len, ny = (w.end.x_mm - w.start.x_mm) / len;
  const double offset = w.cover ? w.diameter_mm / 2 + w.cover->margin_mm / 2 : 2 * w.diameter_mm + 1.0;
  return {(w.start.x_mm + w.end.x_mm) / 2 + nx * offset, (w.start.y_mm + w.end.y_mm) / 2 + ny * offset};
}

void add_contrast_plates(const RegionContext& ctx, const Feature& f, const ContrastPlateGroup& g, Truth& t) {
  for (const auto& plate : g.plates) {
    t.regions.push_back(make_region(ctx, f.id + "/" + plate.id, f.id, plate.area.center()));
    // Background: the first point left, right, above or below the plate on bare base.
    const PointMm c = plate.area.center();
    const double dx = plate.area.width_mm, dy = plate.area.height_mm;
    for (const PointMm p : {PointMm{c.x_mm - dx, c.y_mm}, PointMm{c.x_mm + dx, c.y_mm}, PointMm{c.x_mm, c.y_mm - dy},
                            PointMm{c.x_mm, c.y_mm + dy}}) {
      const bool on_plate = std::any_of(g.plates.begin(), g.plates.end(),
                                        [&](const ContrastPlate& other) { return other.area.contains(p); });
      if (g.base_area.contains(p) && !on_plate) {
        t.regions.push_back(make_region(ctx, f.id + "/" + plate.id + "/background", f.id, p));
        break;
      }
    }
  }
}

void add_feature_regions(const RegionContext& ctx, const Feature& f, Truth& t) {
  if (const auto* w = std::get_if<StepWedge>(&f.shape)) return add_wedge(ctx, f, *w, t);
  if (const auto* g = std::get_if<ContrastPlateGroup>(&f.shape)) return add_contrast_plates(ctx, f, *g, t);
  if (const auto* wire = std::get_if<Wire>(&f.shape)) {
    const PointMm mid{(wire->start.x_mm + wire->end.x_mm) / 2, (wire->start.y_mm + wire->end.y_mm) / 2};
    t.regions.push_back(make_region(ctx, f.id + "/axis", f.id, mid));
    t.regions.push_back(make_region(ctx, f.id + "/background", f.id, wire_background(*wire)));
    return;
  }
  if (const auto* d = std::get_if<FiducialDisc>(&f.shape)) {
    t.regions.push_back(make_region(ctx, f.id, f.id, d->center));
    return;
  }
  if (const auto* bars = std::get_if<BarGroup>(&f.shape)) {
    const Rect bar = bars->bar_area(0);
    const PointMm c = bar.center();
    const double half_pitch = bars->pitch_mm / 2;
    const PointMm gap = bars->resolution_axis == Axis::x ? PointMm{c.x_mm + half_pitch, c.y_mm}
                                                        : PointMm{c.x_mm, c.y_mm + half_pitch};
    t.regions.push_back(make_region(ctx, f.id + "/bar", f.id, c));
    t.regions.push_back(make_region(ctx, f.id + "/gap", f.id, gap));
    return;
  }
  std::optional<Rect> area;
  if (const auto* s = std::get_if<Slab>(&f.shape)) area = s->area;
  if (const auto* b = std::get_if<MaterialBlock>(&f.shape)) area = b->area;
  if (const auto* e = std::get_if<SharpEdge>(&f.shape)) area = e->area;
  if (const auto* o = std::get_if<OpenField>(&f.shape)) area = o->area;
  if (area) t.regions.push_back(make_region(ctx, f.id, f.id, area->center()));
}

// Frequency in [lo, hi] where the decreasing function `mtf` crosses `level` (bisection).
double crossing(double psf_sigma_px, double level) {
  double lo = 0, hi = 0.999;  // the pixel sinc's first zero is at 1 cycle/px
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (system_mtf(psf_sigma_px, mid) > level ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

void add_warnings(const RenderOptions& o, Truth& t) {
  for (const auto& [axis, sigma_mm, pixel_mm] : {std::tuple{"x", o.psf_sigma_mm_x, o.pixel_mm_x},
                                                 std::tuple{"y", o.psf_sigma_mm_y, o.pixel_mm_y}}) {
    const double samples = sigma_mm / pixel_mm * o.supersample;
    if (sigma_mm > 0 && samples < 0.7)
      t.warnings.push_back(fmt::format("PSF sigma along {} is {:.2f} supersamples: the sampled kernel is sharper "
                                       "than the analytic MTF says; raise supersample",
                                       axis, samples));
  }
  if (o.scatter_fraction > 0)
    t.warnings.push_back(fmt::format("scatter tail on ({:g} of the signal over sigma {:g} mm): region counts and the MTF "
                                     "are those of the core PSF; the image adds (1 - a) times the core plus the glare",
                                     o.scatter_fraction, o.scatter_sigma_mm));
  if (o.gain_field_rel > 0)
    t.warnings.push_back(fmt::format("smooth gain field on (+/-{:g}): region counts are at unit gain", o.gain_field_rel));
  for (const auto& region : t.regions)
    for (const auto& p : region.planes)
      if (p.counts > 65535)
        t.warnings.push_back(fmt::format("region {}: expected counts {:.0f} saturate the 16-bit range", region.id, p.counts));
}

}  // namespace

double system_mtf(double psf_sigma_px, double f) {
  const double gauss = std::exp(-2.0 * std::numbers::pi * std::numbers::pi * psf_sigma_px * psf_sigma_px * f * f);
  const double x = std::numbers::pi * f;
  const double aperture = std::abs(x) < 1e-12 ? 1.0 : std::sin(x) / x;
  return gauss * aperture;
}

MtfTruth mtf_truth(double psf_sigma_mm, double pixel_mm) {
  MtfTruth m;
  m.psf_sigma_mm = psf_sigma_mm;
  m.pixel_mm = pixel_mm;
  const double sigma_px = psf_sigma_mm / pixel_mm;
  for (int i = 0; i <= 50; ++i) {
    const double f = i / 100.0;
    m.curve.push_back({f, f / pixel_mm, system_mtf(sigma_px, f)});
  }
  m.mtf50_cycles_per_px = crossing(sigma_px, 0.5);
  m.mtf20_cycles_per_px = crossing(sigma_px, 0.2);
  m.mtf10_cycles_per_px = crossing(sigma_px, 0.1);
  return m;
}

const RegionTruth* Truth::region(std::string_view id) const {
  for (const auto& r : regions)
    if (r.id == id) return &r;
  return nullptr;
}

Truth build_truth(const Phantom& phantom, const std::vector<LocalSolid>& solids, const Placement& placement,
                  const RenderOptions& options, double gain) {
  Truth t;
  t.phantom_id = phantom.id;
  t.phantom_revision = phantom.revision;
  t.phantom_source = phantom.source;
  t.options = options;
  t.placement = placement;
  t.gain_counts_per_photon = gain;
  const auto energies = effective_energies_keV(options);
  std::vector<std::array<double, material_count>> mu;
  for (std::size_t e = 0; e < energies.size(); ++e) {
    PlaneTruth plane;
    plane.channel = energies.size() == 1 ? "single" : (e == 0 ? "high" : "low");
    plane.energy_keV = energies[e];
    plane.mu_per_mm = attenuation_per_mm(energies[e]);
    mu.push_back(plane.mu_per_mm);
    t.planes.push_back(std::move(plane));
  }
  const RegionContext ctx{&solids, &placement, &options, &mu, gain};
  RegionTruth air;  // outside the outline: nothing in the beam
  air.id = "air";
  for (const auto& m : mu) air.planes.push_back(expect(air.stack, m, options, gain));
  air.roi_px = air_roi(phantom, placement, options);
  if (air.roi_px) {
    air.center_px = {air.roi_px->x + (air.roi_px->width - 1) / 2.0, air.roi_px->y + (air.roi_px->height - 1) / 2.0};
    air.center_mm = placement.mm_to_px.inverse().apply({air.center_px.x_px, air.center_px.y_px});
  }
  t.regions.push_back(std::move(air));
  for (const auto& f : phantom.features) add_feature_regions(ctx, f, t);
  t.mtf_x = mtf_truth(options.psf_sigma_mm_x, options.pixel_mm_x);
  t.mtf_y = mtf_truth(options.psf_sigma_mm_y, options.pixel_mm_y);
  t.features = features_truth(phantom, placement);
  add_warnings(options, t);
  return t;
}

}  // namespace niikit::phantoms::generator
