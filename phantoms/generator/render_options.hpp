// Options of the synthetic scan generator (DESIGN.md §3.3) and the beam presets.
//
// A RenderOptions value says everything about how a phantom is turned into a scan: beam
// (effective mono energies), dose, detector blur and sampling, noise, detector artefacts and
// the random placement of the phantom. Every field documents its meaning, unit, default and
// valid range; validate_render_options() enforces the ranges. The defaults render a clean,
// reproducible single-energy MeV scan (fixed seed 1, never the clock).
//
// Plain values and pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::phantoms::generator {

// Beam presets. Each is a set of *effective* mono energies: the energy at which a mono-energetic
// beam would attenuate a mid-thickness object like the real spectrum does (beam hardening is
// not modelled). Values are round numbers from the usual rules of thumb (effective ≈ 1/3–1/2 of
// the peak for filtered tube spectra; ≈ 1/3 of the end-point for linac bremsstrahlung).
enum class BeamPreset {
  low_kv,   // cabinet tube, 80–160 kVp: one plane at 70 keV
  high_kv,  // 300–450 kVp tube: one plane at 150 keV
  mev,      // 6 MV linac (cargo): one plane at 2,000 keV
  dual_mev, // cargo dual energy 6/4 MV: high 2,000 keV, low 1,400 keV
  dual_kv,  // cabinet dual energy 160/80 kVp: high 70 keV, low 40 keV
};

std::string_view beam_preset_name(BeamPreset preset);  // "low-kv", "high-kv", "mev", "dual-mev", "dual-kv"
// Accepts the names above, plus "dual" as an alias of "dual-mev". nullopt when unknown.
std::optional<BeamPreset> beam_preset_from_name(std::string_view name);
bool is_dual_energy(BeamPreset preset);
// Effective energies of the preset in keV: {single} or {high, low}.
std::vector<double> preset_energies_keV(BeamPreset preset);

struct RenderOptions {
  // --- Beam -----------------------------------------------------------------------------------
  BeamPreset beam = BeamPreset::mev;
  // Overrides of the preset's effective energies, keV; 0 = use the preset. Range 20–10,000
  // (the attenuation tables' range). energy_low_keV is used by dual-energy presets only and must
  // then be below the high energy.
  double energy_high_keV = 0;
  double energy_low_keV = 0;
  // Dose: expected photons detected per detector pixel in air (I0), the same for every energy
  // plane. Default 10,000; range (0, 1e9].
  double dose_photons = 10000;

  // --- Detector -------------------------------------------------------------------------------
  // Gaussian point-spread function σ at the detector plane, mm, across the scan (x, columns)
  // and along it (y, rows). Default 0.5; range [0, 100]. 0 = no blur beyond the pixel aperture.
  double psf_sigma_mm_x = 0.5;
  double psf_sigma_mm_y = 0.5;
  // Pixel pitch at the detector plane, mm, across (x) and along (y) the scan. Default 1.0;
  // range [0.01, 100].
  double pixel_mm_x = 1.0;
  double pixel_mm_y = 1.0;
  // Digital counts per detected photon; 0 = automatic: min(1, (0.9·65535 − dark) / I0), so air
  // sits at or below 90 % of the 16-bit range. Range [0, 1000]. The value used is in the truth.
  double gain_counts_per_photon = 0;
  // Electronic (read) noise σ, counts, Gaussian, added after the gain. Default 2; range [0, 5,000].
  double electronic_noise_counts = 2.0;
  // Per-channel (column) gain stripes: each column's gain is multiplied by 1 + s·N(0,1), with s
  // this relative σ. Default 0 (off); range [0, 0.5].
  double gain_stripes_rel = 0.0;
  // Dark offset added to every pixel, counts. Default 100; range [0, 30,000].
  double dark_offset_counts = 100.0;
  // Scatter tail (veiling glare) of the PSF: the fraction a of every photon's signal that is
  // spread by a wide Gaussian of σ scatter_sigma_mm (detector plane, both axes) on top of the
  // core PSF, so PSF = (1 − a)·core + a·(core ⊗ wide); the total signal is conserved. Real
  // detectors show a few per cent over tens of mm. Default 0 (off); range [0, 0.5].
  double scatter_fraction = 0.0;
  // σ of the scatter tail, mm at the detector plane. Default 50; range (0, 10,000]. Used only
  // when scatter_fraction > 0.
  double scatter_sigma_mm = 50.0;
  // Smooth detector gain field (an uncorrected flat field): counts are multiplied by
  // g(x, y) = 1 + r·p(u, v), p a seeded random polynomial of degree 2 in the image coordinates
  // u, v ∈ [−1, 1], scaled so that max |p| over the image is 1: the gain varies by ±r. The same
  // field multiplies every energy plane (one detector). Default 0 (off); range [0, 0.3].
  double gain_field_rel = 0.0;

  // --- Placement: mm → px (shift applied last, in output pixel axes) --------------------------
  double shift_px_x = 0;     // px, range ±10,000; default 0
  double shift_px_y = 0;     // px, range ±10,000; default 0
  double rotation_deg = 0;   // phantom rotation about its centre, + from +x to +y; range ±360
  double scale_x = 1.0;      // magnification along detector x; range [0.1, 10]
  double scale_y = 1.0;      // magnification along detector y; range [0.1, 10]
  bool flip_x = false;       // mirror the image left-right (about its centre)
  bool flip_y = false;       // mirror the image top-bottom (about its centre)
  // Air border around the transformed phantom outline when the image size is automatic, mm at
  // the detector plane. Default 20; range [0, 10,000].
  double margin_mm = 20;
  // Output size in px; 0 = automatic (transformed outline + margins). Range 0 or [8, 65,536].
  int image_width_px = 0;
  int image_height_px = 0;

  // --- Numerics -------------------------------------------------------------------------------
  // Supersampling factor per axis (samples per detector pixel side). Default 4; range [1, 16].
  int supersample = 4;
  // Seed of the random streams (std::mt19937_64). Same seed and options = bit-identical images.
  unsigned long long seed = 1;
  // Poisson photon noise is drawn exactly below this mean and approximated by a Gaussian of the
  // same mean and variance at and above it (error of the approximation's skewness ≤ 1/√mean).
  // Default 1,000; range [10, 1e9].
  double poisson_exact_below = 1000;
  // Detector rows rendered per band (memory bound: the supersampled maps of one band are held
  // per worker thread). Does not change the output. Default 64; range [1, 65,536].
  int band_rows = 64;
};

// Returns ErrorCode::input naming the first field out of range, e.g.
// "render options: dose_photons must be in (0, 1e9], got -5".
Status validate_render_options(const RenderOptions& options);

// The effective energies in keV the options select: preset, or the overrides. {single} or
// {high, low}.
std::vector<double> effective_energies_keV(const RenderOptions& options);

}  // namespace niikit::phantoms::generator
