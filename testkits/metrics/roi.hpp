// A rectangular region of interest in image pixels, shared by every metric.
// x = column, y = row, origin at the top-left pixel; w, h in pixels. Plain value, thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace niikit::testkits {

struct RoiPx {
  int x_px = 0;
  int y_px = 0;
  int width_px = 0;
  int height_px = 0;
  [[nodiscard]] cv::Rect rect() const { return {x_px, y_px, width_px, height_px}; }
  [[nodiscard]] long long pixels() const { return static_cast<long long>(width_px) * height_px; }
};

// Parses "X,Y,W,H" (integers, W and H > 0): usage error naming `option` otherwise.
Result<RoiPx> parse_roi(std::string_view text, std::string_view option = "--roi");

// The whole image as an ROI.
RoiPx full_roi(const cv::Mat& image);

// Input error unless the ROI lies inside the image and has at least `min_width_px` ×
// `min_height_px` pixels: "ROI 10,10,4,4: too small (at least 8 x 8 px)".
Status check_roi(const cv::Mat& image, const RoiPx& roi, int min_width_px = 1, int min_height_px = 1);

std::string to_string(const RoiPx& roi);   // "X,Y,W,H"

}  // namespace niikit::testkits
