// Flat-field uniformity and dead/hot detector channels (DESIGN.md §3.2 "Uniformity"; method:
// docs/methods/uniformity.md).
//
// From a flat (open-field) image, optionally restricted to an ROI:
//  * column means — line-scan detector channels run along columns, one channel per column;
//  * a robust baseline: a least-squares line across the column means plus a running median
//    (window 31 columns, truncated at the ends) of the residuals from that line;
//  * robust σ = 1.4826 · MAD of (column mean − baseline), floored at 1e-6 · |global mean| so a
//    noise-free image does not flag rounding;
//  * channels deviating by more than k·σ (default k = 5): below → dead/low, above → hot/high;
//  * a 3 × 3 grid of ROI-cell means: max/min and integral non-uniformity (max − min)/(max + min);
//    the same non-uniformity over the column means of the channels that were not flagged.
// Pure functions, no state, thread-safe; any single-channel depth.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

struct UniformityOptions {
  std::optional<RoiPx> roi;  // default: the whole image
  int baseline_window = 31;  // running-median window, columns, odd, ≥ 3
  double k_sigma = 5.0;      // flag threshold in robust σ; > 0
};

struct ChannelFlag {
  int column = 0;            // image column index (ROI x offset added)
  double mean = 0.0;         // column mean
  double baseline = 0.0;
  double deviation_sigma = 0.0;  // (mean − baseline) / robust σ
};

struct UniformityResult {
  std::vector<double> column_means;
  std::vector<double> baseline;
  double robust_sigma = 0.0;
  double k_sigma = 5.0;
  std::vector<ChannelFlag> dead_low;
  std::vector<ChannelFlag> hot_high;
  std::array<double, 9> grid_means{};  // row-major, top-left first
  double grid_max = 0.0, grid_min = 0.0;
  double grid_max_over_min = 0.0;
  double grid_nonuniformity = 0.0;    // (max − min) / (max + min)
  double column_max = 0.0, column_min = 0.0;  // over unflagged channels
  double column_nonuniformity = 0.0;
};

// Input error when the ROI is outside the image or smaller than 3 × 3 px, the window is even
// or < 3, k ≤ 0, or a grid mean is ≤ 0.
Result<UniformityResult> measure_uniformity(const cv::Mat& image, const UniformityOptions& options = {});

}  // namespace niikit::testkits
