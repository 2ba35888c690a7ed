// ROI statistics, SNR, CNR and Rose visibility (DESIGN.md §3.2; method: docs/methods/roi-cnr-rose.md).
//
// measure_roi() summarises the pixels of one rectangular ROI (optionally restricted by a mask,
// e.g. a disc feature inside its bounding box): count, mean, median, sample σ, robust σ
// (1.4826·MAD), detrended σ (σ of the residuals after a least-squares plane a + b·x + c·y, so a
// heel-effect or flat-field slope is not mistaken for noise), min, max and SNR = mean/σ.
// measure_cnr() compares a feature ROI with a background ROI:
//   CNR  = |μ_feature − μ_background| / σ_background, σ_background = the *detrended* σ of the
//          background by default (CnrOptions::background_sigma chooses);
//   Rose = CNR × √(pixels in the feature), visible when Rose ≥ the threshold (default 5, the
//          Rose criterion). CNR here is per pixel: σ is the per-pixel noise, not a mean's σ.
// Pure functions over images; no state, thread-safe. Any single-channel depth is accepted.
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

// Smallest ROI measured: 3 × 3 px (a plane fit and a σ need more than a handful of pixels).
inline constexpr int roi_stats_min_side_px = 3;

struct RoiStats {
  long long pixel_count = 0;
  double mean = 0.0;
  double median = 0.0;
  double sigma = 0.0;             // sample standard deviation (n − 1)
  double robust_sigma = 0.0;      // 1.4826 · median absolute deviation
  double detrended_sigma = 0.0;   // σ of residuals after a least-squares plane (n − 3 dof)
  double min = 0.0;
  double max = 0.0;
  std::optional<double> snr;            // mean / sigma; empty when sigma = 0
  std::optional<double> snr_detrended;  // mean / detrended_sigma; empty when it is 0
};

// Statistics of `roi` in `image` (one channel). `mask`, when not empty, is CV_8UC1 of the ROI's
// size and selects the pixels used (non-zero = used); at least 9 pixels must be selected.
// Input error when the ROI is outside the image or smaller than 3 × 3 px.
Result<RoiStats> measure_roi(const cv::Mat& image, const RoiPx& roi, const cv::Mat& mask = {});

enum class SigmaKind { detrended, sample, robust };
std::string_view sigma_kind_name(SigmaKind kind);  // "detrended", "sample", "robust"

struct CnrOptions {
  double rose_threshold = 5.0;                       // Rose criterion k; must be > 0
  SigmaKind background_sigma = SigmaKind::detrended; // which background σ divides the contrast
};

struct CnrResult {
  RoiStats feature;
  RoiStats background;
  double contrast = 0.0;          // |μ_feature − μ_background|
  double background_sigma = 0.0;  // the σ used (kind below)
  SigmaKind sigma_kind = SigmaKind::detrended;
  double cnr = 0.0;               // contrast / background_sigma (per pixel)
  double rose = 0.0;              // cnr · √(feature pixel count)
  double rose_threshold = 5.0;
  bool visible = false;           // rose ≥ rose_threshold
};

// CNR and Rose visibility from already measured statistics. Input error when the chosen
// background σ is zero (CNR undefined) or the threshold is not > 0.
Result<CnrResult> cnr_from_stats(const RoiStats& feature, const RoiStats& background, const CnrOptions& options = {});

// Measures both ROIs (feature optionally masked) and calls cnr_from_stats().
Result<CnrResult> measure_cnr(const cv::Mat& image, const RoiPx& feature_roi, const RoiPx& background_roi,
                              const CnrOptions& options = {}, const cv::Mat& feature_mask = {});

}  // namespace niikit::testkits
