// The truth a synthetic scan is rendered with, and the forward-model expectations the kits are
// judged by (DESIGN.md §3.3).
//
// Expectations are analytic, not measured on the rendered image: the mean counts of a uniform
// region (one at least 3 PSF σ from any edge) are dark + gain · I0 · exp(−Σ µ_m t_m); its noise
// σ is Poisson + electronic + quantisation in quadrature (gain stripes are structured and left
// out); CNR is the noise-free contrast over the background region's σ; the system MTF is the
// Gaussian PSF's exp(−2π²σ²f²) times the pixel aperture's sinc(πf·pitch), per axis.
// Frequencies are in cycles/pixel and in lp/mm at the detector plane (divide by the scale to get
// lp/mm at the phantom). Plain values; build_truth is pure: thread-safe.
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <optional>
#include <string>
#include <vector>

#include "phantoms/generator/placement.hpp"
#include "phantoms/generator/render_options.hpp"
#include "phantoms/generator/solid_raster.hpp"

namespace niikit::phantoms::generator {

// Expected signal in one plane (energy) at a probe point.
struct PlaneExpectation {
  double transmission = 1;      // exp(−Σ µ t)
  double photons = 0;           // I0 · transmission
  double counts = 0;            // dark + gain · photons (noise-free, stripes averaged out)
  double noise_counts = 0;      // expected per-pixel σ at that signal
};

// A uniform region of the phantom, probed at its centre.
struct RegionTruth {
  std::string id;               // "air", "<feature>", "<wedge>/step<k>/beside", ...
  std::string feature_id;       // "" for air
  PointMm center_mm;            // phantom mm (air: the image point mapped back)
  PixelPoint center_px;
  MaterialStack stack{};        // thickness per material at the probe point, mm
  std::vector<PlaneExpectation> planes;
  std::optional<cv::Rect> roi_px;  // a suggested ROI (air only)
};

// One penetration step: the step itself ("beside" the behind block) and behind the block.
struct StepTruth {
  std::string feature_id;
  int index = 0;                 // 0-based, in file order
  double step_thickness_mm = 0;
  std::string beside_region;     // RegionTruth ids
  std::string behind_region;     // "" when the wedge has no behind block
  std::vector<double> transmission_beside;  // per plane, exp(−µ t) of the step alone (with base)
  std::vector<double> transmission_behind;  // per plane, step + block; equal to beside without a block
  std::vector<double> contrast_counts;  // per plane |beside − behind| (0 without a block)
  std::vector<double> cnr;              // per plane contrast / σ(beside)
};

struct MtfPoint {
  double cycles_per_px = 0;
  double lp_per_mm = 0;         // detector plane
  double mtf = 0;
};

struct MtfTruth {
  double psf_sigma_mm = 0;
  double pixel_mm = 0;
  std::vector<MtfPoint> curve;  // 0 … 0.5 cycles/px in steps of 0.01
  // Frequencies where the MTF falls to 50 %, 20 %, 10 %, cycles/px (may exceed Nyquist 0.5).
  double mtf50_cycles_per_px = 0, mtf20_cycles_per_px = 0, mtf10_cycles_per_px = 0;
};

// The analytic system MTF along one axis at frequency f (cycles/px).
double system_mtf(double psf_sigma_px, double f_cycles_per_px);
MtfTruth mtf_truth(double psf_sigma_mm, double pixel_mm);

struct PlaneTruth {
  std::string channel;          // "single", "high", "low"
  double energy_keV = 0;
  std::array<double, material_count> mu_per_mm{};
  std::vector<double> channel_gain;  // g_c per column
  long long clamped_low = 0, clamped_high = 0;
};

struct Truth {
  std::string phantom_id;
  int phantom_revision = 0;
  std::string phantom_source;
  RenderOptions options;
  Placement placement;
  double gain_counts_per_photon = 0;
  std::vector<PlaneTruth> planes;
  std::vector<RegionTruth> regions;
  std::vector<StepTruth> steps;
  MtfTruth mtf_x, mtf_y;
  QJsonArray features;          // per feature: nominal values and pixel-space positions
  std::vector<std::string> warnings;

  [[nodiscard]] const RegionTruth* region(std::string_view id) const;
};

// Everything but the per-plane detector results (channel gains, clamp counts), which render()
// fills in after detection.
Truth build_truth(const Phantom& phantom, const std::vector<LocalSolid>& solids, const Placement& placement,
                  const RenderOptions& options, double gain);

// Nominal values and pixel positions of every feature (truth_features.cpp).
QJsonArray features_truth(const Phantom& phantom, const Placement& placement);

// All options as JSON (keys as the field names, lower case; the seed as a decimal string).
QJsonObject render_options_to_json(const RenderOptions& options);

// The truth document (truth_json.cpp), format "niikit-render-truth" version 1 (docs/generator.md).
QJsonObject truth_to_json(const Truth& truth);

}  // namespace niikit::phantoms::generator
