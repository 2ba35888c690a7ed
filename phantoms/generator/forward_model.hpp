// The noise-free forward model: expected detected photons per detector pixel, one plane per
// effective energy.
//
// Per band of detector rows (plus a margin of the PSF's reach), the phantom's solids are
// rasterised into supersampled thickness maps per material; Beer–Lambert gives the expected
// photons at every sample, I0 · exp(−Σ_m µ_m(E) · t_m); a separable Gaussian PSF (σ_x, σ_y
// converted to samples) blurs them; S × S box averages integrate them into detector pixels.
// Bands are independent and run in parallel (cv::parallel_for_); the result does not depend
// on band size or thread count. Pure apart from the progress callback: thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <functional>
#include <vector>

#include "phantoms/generator/placement.hpp"
#include "phantoms/generator/render_options.hpp"
#include "phantoms/generator/solid_raster.hpp"

namespace niikit::phantoms::generator {

// Called with the fraction of work done in [0, 1]; calls are serialised (never concurrent)
// but may come from worker threads.
using ProgressFn = std::function<void(double fraction_done)>;

// Linear attenuation µ in 1/mm of every material at `energy_keV` (index = Material).
std::array<double, material_count> attenuation_per_mm(double energy_keV);

// Expected photons per detector pixel (CV_32FC1, placement size), one Mat per entry of
// `energies_keV`. ErrorCode::internal when OpenCV throws (e.g. out of memory).
Result<std::vector<cv::Mat>> expected_photons(const std::vector<LocalSolid>& solids, const Placement& placement,
                                              const RenderOptions& options, const std::vector<double>& energies_keV,
                                              const ProgressFn& progress = {});

// Adds the scatter tail of RenderOptions (scatter_fraction a, scatter_sigma_mm) to one plane of
// expected photons in place: E ← (1 − a)·E + a·(E ⊗ G_wide), the wide Gaussian separate in x and
// y pixels (σ / pitch), image borders replicated (open beam continues beyond the image). Tails
// wider than 16 px are blurred on a copy reduced by an integer factor (area average) and
// brought back by bilinear interpolation: the tail is smooth, so this costs < 0.1 % of it.
// Does nothing when a = 0. ErrorCode::internal when OpenCV throws.
Status add_scatter_tail(cv::Mat& photons, const RenderOptions& options);

}  // namespace niikit::phantoms::generator
