#include "phantoms/generator/forward_model.hpp"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <string>

#include "phantoms/materials.hpp"

namespace niikit::phantoms::generator {
namespace {

// A 1-D Gaussian sampled at sample centres, normalised to unit sum; radius ⌈4σ⌉ (the truncated
// tails hold < 1e-4 of the weight). σ ≤ 0.05 samples is treated as no blur.
std::vector<double> gaussian_taps(double sigma_samples) {
  if (sigma_samples <= 0.05) return {1.0};
  const int radius = static_cast<int>(std::ceil(4.0 * sigma_samples));
  std::vector<double> g;
  double sum = 0;
  for (int t = -radius; t <= radius; ++t) {
    g.push_back(std::exp(-0.5 * t * t / (sigma_samples * sigma_samples)));
    sum += g.back();
  }
  for (auto& v : g) v /= sum;
  return g;
}

// Blur with the Gaussian g, then average S samples into one pixel, as one decimating filter
// split into S polyphase kernels: out[c] = Σ_p Σ_q k_p[q] · E[(c + q)·S + p], with
// k_p[q] = h[q·S + p] and h[j] = (1/S) Σ_{r<S} g[r − j]. Evaluating only the kept outputs
// costs S× less than blurring every sample.
struct DecimatingFilter {
  std::vector<cv::Mat> phase_kernels;  // S kernels of taps q_min … q_max (CV_32F, n × 1)
  int q_min = 0;
  int reach_px = 0;                    // max(|q_min|, q_max): pixels of context needed per side

  DecimatingFilter(const std::vector<double>& g, int s) {
    const int radius = static_cast<int>(g.size() / 2);
    const auto h = [&](int j) {  // j in samples relative to the pixel's first sample
      double sum = 0;
      for (int r = 0; r < s; ++r)
        if (std::abs(r - j) <= radius) sum += g[static_cast<std::size_t>(r - j + radius)];
      return sum / s;
    };
    q_min = -((radius + s - 1) / s);
    const int q_max = (s - 1 + radius) / s;
    reach_px = std::max(-q_min, q_max);
    for (int p = 0; p < s; ++p) {
      cv::Mat k(q_max - q_min + 1, 1, CV_32F);
      for (int q = q_min; q <= q_max; ++q) k.at<float>(q - q_min) = static_cast<float>(h(q * s + p));
      phase_kernels.push_back(k);
    }
  }
};

struct BandPlan {
  const std::vector<LocalSolid>* solids = nullptr;
  Affine2 px_to_mm;
  int width_px = 0;
  int supersample = 1;
  std::optional<DecimatingFilter> filter_x, filter_y;
  int margin_cols_px = 0;  // detector pixels of scene rendered beyond each side, for the PSF
  int margin_rows_px = 0;
  double dose_photons = 0;
  std::vector<std::array<double, material_count>> mu_per_mm;  // per energy
};

// Per-worker buffers, reused from band to band (avoids page-faulting fresh maps every band).
struct BandBuffers {
  std::array<cv::Mat, material_count> thickness;
  cv::Mat line_integral, photons, filtered, x_pass, y_pass;
  std::vector<cv::Mat> phases;
};

// Decimating filter along x: the S interleaved phases of each row are split apart (an S-channel
// view), filtered and summed. `src` rows × (W'·S) → `dst` rows × W'.
void filter_x(const DecimatingFilter& f, const cv::Mat& src, int s, BandBuffers& b, cv::Mat& dst) {
  cv::split(src.reshape(s), b.phases);
  const cv::Mat one(1, 1, CV_32F, cv::Scalar(1.0));
  for (int p = 0; p < s; ++p) {
    cv::Mat& out = p == 0 ? dst : b.filtered;
    cv::sepFilter2D(b.phases[static_cast<std::size_t>(p)], out, CV_32F, f.phase_kernels[static_cast<std::size_t>(p)],
                    one, cv::Point(-f.q_min, 0), 0, cv::BORDER_REPLICATE);
    if (p > 0) dst += b.filtered;
  }
}

// Decimating filter along y: viewing rows_ss × W' as (rows_ss/S) × (W'·S), phase p is the
// column block [p·W', (p+1)·W').
void filter_y(const DecimatingFilter& f, const cv::Mat& src, int s, BandBuffers& b, cv::Mat& dst) {
  const cv::Mat grouped = src.reshape(1, src.rows / s);
  const int w = src.cols;
  const cv::Mat one(1, 1, CV_32F, cv::Scalar(1.0));
  for (int p = 0; p < s; ++p) {
    cv::Mat& out = p == 0 ? dst : b.filtered;
    cv::sepFilter2D(grouped.colRange(p * w, (p + 1) * w), out, CV_32F, one, f.phase_kernels[static_cast<std::size_t>(p)],
                    cv::Point(0, -f.q_min), 0, cv::BORDER_REPLICATE | cv::BORDER_ISOLATED);
    if (p > 0) dst += b.filtered;
  }
}

// Renders detector rows [row_begin, row_end) of every energy plane into `planes`.
void render_band(const BandPlan& plan, int row_begin, int row_end, BandBuffers& b, std::vector<cv::Mat>& planes) {
  const int s = plan.supersample;
  Canvas canvas;
  canvas.supersample = s;
  canvas.origin_col = -plan.margin_cols_px;
  canvas.origin_row = row_begin - plan.margin_rows_px;
  canvas.cols = (plan.width_px + 2 * plan.margin_cols_px) * s;
  canvas.rows = (row_end - row_begin + 2 * plan.margin_rows_px) * s;
  const auto used = rasterise(*plan.solids, plan.px_to_mm, canvas, b.thickness);

  const cv::Rect inner(plan.margin_cols_px, plan.margin_rows_px, plan.width_px, row_end - row_begin);
  for (std::size_t e = 0; e < planes.size(); ++e) {
    b.line_integral.create(canvas.rows, canvas.cols, CV_32F);
    b.line_integral.setTo(0);
    for (std::size_t m = 0; m < material_count; ++m)
      if (used[m]) cv::scaleAdd(b.thickness[m], -plan.mu_per_mm[e][m], b.line_integral, b.line_integral);
    cv::exp(b.line_integral, b.photons);
    b.photons *= plan.dose_photons;
    filter_x(*plan.filter_x, b.photons, s, b, b.x_pass);
    filter_y(*plan.filter_y, b.x_pass, s, b, b.y_pass);
    b.y_pass(inner).copyTo(planes[e].rowRange(row_begin, row_end));
  }
}

BandPlan make_plan(const std::vector<LocalSolid>& solids, const Placement& placement, const RenderOptions& o,
                   const std::vector<double>& energies_keV) {
  BandPlan plan;
  plan.solids = &solids;
  plan.px_to_mm = placement.mm_to_px.inverse();
  plan.width_px = placement.width_px;
  plan.supersample = o.supersample;
  plan.filter_x.emplace(gaussian_taps(o.psf_sigma_mm_x / o.pixel_mm_x * o.supersample), o.supersample);
  plan.filter_y.emplace(gaussian_taps(o.psf_sigma_mm_y / o.pixel_mm_y * o.supersample), o.supersample);
  plan.margin_cols_px = plan.filter_x->reach_px + 1;
  plan.margin_rows_px = plan.filter_y->reach_px + 1;
  plan.dose_photons = o.dose_photons;
  for (const double energy : energies_keV) plan.mu_per_mm.push_back(attenuation_per_mm(energy));
  return plan;
}

}  // namespace

std::array<double, material_count> attenuation_per_mm(double energy_keV) {
  std::array<double, material_count> mu{};
  for (const auto& info : all_materials())
    mu[static_cast<std::size_t>(info.material)] =
        info.material == Material::air ? 0.0 : linear_attenuation_per_mm(info.material, energy_keV);
  return mu;
}

Result<std::vector<cv::Mat>> expected_photons(const std::vector<LocalSolid>& solids, const Placement& placement,
                                              const RenderOptions& options, const std::vector<double>& energies_keV,
                                              const ProgressFn& progress) {
  try {
    const BandPlan plan = make_plan(solids, placement, options, energies_keV);
    std::vector<cv::Mat> planes;
    for (std::size_t e = 0; e < energies_keV.size(); ++e)
      planes.emplace_back(placement.height_px, placement.width_px, CV_32F);
    const int band_rows = options.band_rows;
    const int bands = (placement.height_px + band_rows - 1) / band_rows;
    std::mutex mutex;
    int done = 0;
    std::optional<std::string> failure;
    // One stripe per thread (contiguous bands) so each worker reuses its buffers.
    const double stripes = std::max(1, std::min(bands, cv::getNumThreads()));
    cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range& range) {
      BandBuffers buffers;
      for (int b = range.start; b < range.end; ++b) {
        try {
          render_band(plan, b * band_rows, std::min(placement.height_px, (b + 1) * band_rows), buffers, planes);
        } catch (const std::exception& e) {
          const std::lock_guard lock(mutex);
          failure = e.what();
          return;
        }
        const std::lock_guard lock(mutex);
        ++done;
        if (progress) progress(static_cast<double>(done) / bands);
      }
    }, stripes);
    if (failure) return fail(ErrorCode::internal, "render: forward model failed: " + *failure);
    return planes;
  } catch (const std::exception& e) {  // cv::Exception, std::bad_alloc
    return fail(ErrorCode::internal, std::string("render: forward model failed: ") + e.what());
  }
}

Status add_scatter_tail(cv::Mat& photons, const RenderOptions& options) {
  const double a = options.scatter_fraction;
  if (a <= 0 || photons.empty()) return {};
  try {
    const double sx = options.scatter_sigma_mm / options.pixel_mm_x, sy = options.scatter_sigma_mm / options.pixel_mm_y;
    const int factor = std::max(1, static_cast<int>(std::min(sx, sy) / 8.0));
    cv::Mat tail;
    if (factor > 1 && photons.cols >= 4 * factor && photons.rows >= 4 * factor) {
      cv::Mat small;
      cv::resize(photons, small, cv::Size(photons.cols / factor, photons.rows / factor), 0, 0, cv::INTER_AREA);
      cv::GaussianBlur(small, small, cv::Size(0, 0), sx / factor, sy / factor, cv::BORDER_REPLICATE);
      cv::resize(small, tail, photons.size(), 0, 0, cv::INTER_LINEAR);
    } else {
      cv::GaussianBlur(photons, tail, cv::Size(0, 0), sx, sy, cv::BORDER_REPLICATE);
    }
    cv::addWeighted(photons, 1.0 - a, tail, a, 0.0, photons);
    return {};
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("render: scatter tail failed: ") + e.what());
  }
}

}  // namespace niikit::phantoms::generator
