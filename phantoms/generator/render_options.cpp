#include "phantoms/generator/render_options.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace niikit::phantoms::generator {
namespace {

struct PresetRow {
  BeamPreset preset;
  std::string_view name;
  double high_keV;
  double low_keV;  // 0 for single-energy presets
};

constexpr std::array<PresetRow, 5> preset_table{{
    {BeamPreset::low_kv, "low-kv", 70.0, 0.0},
    {BeamPreset::high_kv, "high-kv", 150.0, 0.0},
    {BeamPreset::mev, "mev", 2000.0, 0.0},
    {BeamPreset::dual_mev, "dual-mev", 2000.0, 1400.0},
    {BeamPreset::dual_kv, "dual-kv", 70.0, 40.0},
}};

const PresetRow& row_of(BeamPreset preset) {
  for (const auto& row : preset_table)
    if (row.preset == preset) return row;
  return preset_table.front();
}

tl::unexpected<Error> out_of_range(std::string_view field, std::string_view range, double value) {
  return fail(ErrorCode::input,
              fmt::format("render options: {} must be in {}, got {}", field, range, value));
}

// Checks lo <= value <= hi (closed) and that value is finite.
bool within(double value, double lo, double hi) {
  return std::isfinite(value) && value >= lo && value <= hi;
}

Status validate_beam(const RenderOptions& o) {
  if (!(o.energy_high_keV == 0 || within(o.energy_high_keV, 20, 10000)))
    return out_of_range("energy_high_keV", "{0} or [20, 10000]", o.energy_high_keV);
  if (!(o.energy_low_keV == 0 || within(o.energy_low_keV, 20, 10000)))
    return out_of_range("energy_low_keV", "{0} or [20, 10000]", o.energy_low_keV);
  if (!(std::isfinite(o.dose_photons) && o.dose_photons > 0 && o.dose_photons <= 1e9))
    return out_of_range("dose_photons", "(0, 1e9]", o.dose_photons);
  if (is_dual_energy(o.beam)) {
    const auto energies = effective_energies_keV(o);
    if (!(energies[1] < energies[0]))
      return fail(ErrorCode::input,
                  fmt::format("render options: low energy {} keV must be below high energy {} keV",
                              energies[1], energies[0]));
  }
  return {};
}

Status validate_detector(const RenderOptions& o) {
  if (!within(o.psf_sigma_mm_x, 0, 100)) return out_of_range("psf_sigma_mm_x", "[0, 100]", o.psf_sigma_mm_x);
  if (!within(o.psf_sigma_mm_y, 0, 100)) return out_of_range("psf_sigma_mm_y", "[0, 100]", o.psf_sigma_mm_y);
  if (!within(o.pixel_mm_x, 0.01, 100)) return out_of_range("pixel_mm_x", "[0.01, 100]", o.pixel_mm_x);
  if (!within(o.pixel_mm_y, 0.01, 100)) return out_of_range("pixel_mm_y", "[0.01, 100]", o.pixel_mm_y);
  if (!within(o.gain_counts_per_photon, 0, 1000))
    return out_of_range("gain_counts_per_photon", "[0, 1000]", o.gain_counts_per_photon);
  if (!within(o.electronic_noise_counts, 0, 5000))
    return out_of_range("electronic_noise_counts", "[0, 5000]", o.electronic_noise_counts);
  if (!within(o.gain_stripes_rel, 0, 0.5)) return out_of_range("gain_stripes_rel", "[0, 0.5]", o.gain_stripes_rel);
  if (!within(o.dark_offset_counts, 0, 30000))
    return out_of_range("dark_offset_counts", "[0, 30000]", o.dark_offset_counts);
  if (!within(o.scatter_fraction, 0, 0.5)) return out_of_range("scatter_fraction", "[0, 0.5]", o.scatter_fraction);
  if (!(std::isfinite(o.scatter_sigma_mm) && o.scatter_sigma_mm > 0 && o.scatter_sigma_mm <= 10000))
    return out_of_range("scatter_sigma_mm", "(0, 10000]", o.scatter_sigma_mm);
  if (!within(o.gain_field_rel, 0, 0.3)) return out_of_range("gain_field_rel", "[0, 0.3]", o.gain_field_rel);
  return {};
}

Status validate_placement(const RenderOptions& o) {
  if (!within(o.shift_px_x, -10000, 10000)) return out_of_range("shift_px_x", "[-10000, 10000]", o.shift_px_x);
  if (!within(o.shift_px_y, -10000, 10000)) return out_of_range("shift_px_y", "[-10000, 10000]", o.shift_px_y);
  if (!within(o.rotation_deg, -360, 360)) return out_of_range("rotation_deg", "[-360, 360]", o.rotation_deg);
  if (!within(o.scale_x, 0.1, 10)) return out_of_range("scale_x", "[0.1, 10]", o.scale_x);
  if (!within(o.scale_y, 0.1, 10)) return out_of_range("scale_y", "[0.1, 10]", o.scale_y);
  if (!within(o.margin_mm, 0, 10000)) return out_of_range("margin_mm", "[0, 10000]", o.margin_mm);
  for (const auto& [name, value] : {std::pair{"image_width_px", o.image_width_px},
                                    std::pair{"image_height_px", o.image_height_px}}) {
    if (value != 0 && (value < 8 || value > 65536))
      return out_of_range(name, "{0} or [8, 65536]", value);
  }
  return {};
}

Status validate_numerics(const RenderOptions& o) {
  if (o.supersample < 1 || o.supersample > 16) return out_of_range("supersample", "[1, 16]", o.supersample);
  if (!within(o.poisson_exact_below, 10, 1e9))
    return out_of_range("poisson_exact_below", "[10, 1e9]", o.poisson_exact_below);
  if (o.band_rows < 1 || o.band_rows > 65536) return out_of_range("band_rows", "[1, 65536]", o.band_rows);
  return {};
}

}  // namespace

std::string_view beam_preset_name(BeamPreset preset) { return row_of(preset).name; }

std::optional<BeamPreset> beam_preset_from_name(std::string_view name) {
  if (name == "dual") return BeamPreset::dual_mev;
  for (const auto& row : preset_table)
    if (row.name == name) return row.preset;
  return std::nullopt;
}

bool is_dual_energy(BeamPreset preset) { return row_of(preset).low_keV > 0; }

std::vector<double> preset_energies_keV(BeamPreset preset) {
  const auto& row = row_of(preset);
  if (row.low_keV > 0) return {row.high_keV, row.low_keV};
  return {row.high_keV};
}

std::vector<double> effective_energies_keV(const RenderOptions& options) {
  auto energies = preset_energies_keV(options.beam);
  if (options.energy_high_keV > 0) energies[0] = options.energy_high_keV;
  if (energies.size() > 1 && options.energy_low_keV > 0) energies[1] = options.energy_low_keV;
  return energies;
}

Status validate_render_options(const RenderOptions& options) {
  if (auto s = validate_beam(options); !s) return s;
  if (auto s = validate_detector(options); !s) return s;
  if (auto s = validate_placement(options); !s) return s;
  return validate_numerics(options);
}

}  // namespace niikit::phantoms::generator
