// The truth document, format "niikit-render-truth" version 1 (described in docs/generator.md).
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "phantoms/generator/truth.hpp"
#include "phantoms/materials.hpp"

namespace niikit::phantoms::generator {
namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QJsonArray pair(double x, double y) { return QJsonArray{x, y}; }

QJsonObject per_material(const std::array<double, material_count>& values, bool skip_zero) {
  QJsonObject out;
  for (const auto& info : all_materials()) {
    const double v = values[static_cast<std::size_t>(info.material)];
    if (!skip_zero || v != 0) out[qs(info.name)] = v;
  }
  return out;
}

QJsonObject mass_attenuation(double energy_keV) {
  QJsonObject out;
  for (const auto& info : all_materials()) out[qs(info.name)] = mass_attenuation_cm2_g(info.material, energy_keV);
  return out;
}

QJsonObject plane_json(const PlaneTruth& p) {
  QJsonArray gains;
  for (const double g : p.channel_gain) gains.append(g);
  return {{"channel", qs(p.channel)},
          {"energy_kev", p.energy_keV},
          {"mu_per_mm", per_material(p.mu_per_mm, false)},
          {"mass_attenuation_cm2_g", mass_attenuation(p.energy_keV)},
          {"channel_gain", gains},
          {"clamped_low_pixels", static_cast<double>(p.clamped_low)},
          {"clamped_high_pixels", static_cast<double>(p.clamped_high)}};
}

QJsonObject region_json(const RegionTruth& r) {
  QJsonArray planes;
  for (const auto& p : r.planes)
    planes.append(QJsonObject{{"transmission", p.transmission},
                              {"photons", p.photons},
                              {"counts", p.counts},
                              {"noise_counts", p.noise_counts}});
  QJsonObject out{{"id", qs(r.id)},
                  {"feature_id", qs(r.feature_id)},
                  {"center_mm", pair(r.center_mm.x_mm, r.center_mm.y_mm)},
                  {"center_px", pair(r.center_px.x_px, r.center_px.y_px)},
                  {"stack_mm", per_material(r.stack, true)},
                  {"planes", planes}};
  if (r.roi_px) out["roi_px"] = QJsonArray{r.roi_px->x, r.roi_px->y, r.roi_px->width, r.roi_px->height};
  return out;
}

QJsonObject step_json(const StepTruth& s) {
  QJsonArray planes;
  for (std::size_t e = 0; e < s.cnr.size(); ++e)
    planes.append(QJsonObject{{"transmission_beside", s.transmission_beside[e]},
                              {"transmission_behind", s.transmission_behind[e]},
                              {"contrast_counts", s.contrast_counts[e]},
                              {"cnr", s.cnr[e]}});
  return {{"feature_id", qs(s.feature_id)},
          {"index", s.index},
          {"thickness_mm", s.step_thickness_mm},
          {"beside_region", qs(s.beside_region)},
          {"behind_region", qs(s.behind_region)},
          {"planes", planes}};
}

QJsonObject mtf_json(const MtfTruth& m) {
  QJsonArray curve;
  for (const auto& p : m.curve)
    curve.append(QJsonObject{{"cycles_per_px", p.cycles_per_px}, {"lp_per_mm", p.lp_per_mm}, {"mtf", p.mtf}});
  const auto level = [&](double f) { return QJsonObject{{"cycles_per_px", f}, {"lp_per_mm", f / m.pixel_mm}}; };
  return {{"psf_sigma_mm", m.psf_sigma_mm},
          {"pixel_mm", m.pixel_mm},
          {"model", "exp(-2 pi^2 sigma_px^2 f^2) * sinc(pi f)"},
          {"curve", curve},
          {"mtf50", level(m.mtf50_cycles_per_px)},
          {"mtf20", level(m.mtf20_cycles_per_px)},
          {"mtf10", level(m.mtf10_cycles_per_px)}};
}

QJsonObject detector_json(const Truth& t) {
  const auto& o = t.options;
  return {{"gain_counts_per_photon", t.gain_counts_per_photon},
          {"dark_offset_counts", o.dark_offset_counts},
          {"electronic_noise_counts", o.electronic_noise_counts},
          {"gain_stripes_rel", o.gain_stripes_rel},
          {"gain_field_rel", o.gain_field_rel},
          {"scatter_fraction", o.scatter_fraction},
          {"scatter_sigma_mm", o.scatter_sigma_mm},
          {"poisson_exact_below", o.poisson_exact_below},
          {"counts_model", "round(dark + gain * channel_gain[col] * gain_field(row, col) * N + electronic), clamped to [0, 65535]"},
          {"photon_noise", "Poisson(mean); Gaussian(mean, mean) at and above poisson_exact_below"}};
}

}  // namespace

QJsonObject render_options_to_json(const RenderOptions& o) {
  return {{"beam", qs(beam_preset_name(o.beam))},
          {"energy_high_kev", o.energy_high_keV},
          {"energy_low_kev", o.energy_low_keV},
          {"dose_photons", o.dose_photons},
          {"psf_sigma_mm_x", o.psf_sigma_mm_x},
          {"psf_sigma_mm_y", o.psf_sigma_mm_y},
          {"pixel_mm_x", o.pixel_mm_x},
          {"pixel_mm_y", o.pixel_mm_y},
          {"gain_counts_per_photon", o.gain_counts_per_photon},
          {"electronic_noise_counts", o.electronic_noise_counts},
          {"gain_stripes_rel", o.gain_stripes_rel},
          {"dark_offset_counts", o.dark_offset_counts},
          {"scatter_fraction", o.scatter_fraction},
          {"scatter_sigma_mm", o.scatter_sigma_mm},
          {"gain_field_rel", o.gain_field_rel},
          {"shift_px_x", o.shift_px_x},
          {"shift_px_y", o.shift_px_y},
          {"rotation_deg", o.rotation_deg},
          {"scale_x", o.scale_x},
          {"scale_y", o.scale_y},
          {"flip_x", o.flip_x},
          {"flip_y", o.flip_y},
          {"margin_mm", o.margin_mm},
          {"image_width_px", o.image_width_px},
          {"image_height_px", o.image_height_px},
          {"supersample", o.supersample},
          {"seed", QString::number(o.seed)},
          {"poisson_exact_below", o.poisson_exact_below},
          {"band_rows", o.band_rows}};
}

QJsonObject truth_to_json(const Truth& t) {
  const auto& m = t.placement.mm_to_px.m;
  QJsonArray planes, regions, steps, warnings;
  for (const auto& p : t.planes) planes.append(plane_json(p));
  for (const auto& r : t.regions) regions.append(region_json(r));
  for (const auto& s : t.steps) steps.append(step_json(s));
  for (const auto& w : t.warnings) warnings.append(qs(w));
  return {
      {"format", "niikit-render-truth"},
      {"format_version", 1},
      {"toolkit_version", NIIKIT_VERSION},
      {"phantom", QJsonObject{{"id", qs(t.phantom_id)}, {"revision", t.phantom_revision}, {"source", qs(t.phantom_source)}}},
      {"image", QJsonObject{{"width_px", t.placement.width_px},
                            {"height_px", t.placement.height_px},
                            {"pixel_mm_x", t.options.pixel_mm_x},
                            {"pixel_mm_y", t.options.pixel_mm_y},
                            {"bits", 16},
                            {"pixel_convention", "x = column, y = row, centre of the top-left pixel at (0, 0)"}}},
      {"mm_to_px", QJsonArray{QJsonArray{m[0][0], m[0][1], m[0][2]}, QJsonArray{m[1][0], m[1][1], m[1][2]}}},
      {"options", render_options_to_json(t.options)},
      {"detector", detector_json(t)},
      {"planes", planes},
      {"regions", regions},
      {"penetration_steps", steps},
      {"mtf", QJsonObject{{"x", mtf_json(t.mtf_x)}, {"y", mtf_json(t.mtf_y)}}},
      {"features", t.features},
      {"warnings", warnings},
  };
}

}  // namespace niikit::phantoms::generator
