#include "testkits/metrics/roi.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>

namespace niikit::testkits {

Result<RoiPx> parse_roi(std::string_view text, std::string_view option) {
  std::vector<int> v;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    int n = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size()) {
      v.clear();
      break;
    }
    v.push_back(n);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (v.size() != 4 || v[2] <= 0 || v[3] <= 0 || v[0] < 0 || v[1] < 0)
    return fail(ErrorCode::usage, fmt::format("{} '{}': expected X,Y,W,H in pixels (W, H > 0)", option, text));
  return RoiPx{v[0], v[1], v[2], v[3]};
}

RoiPx full_roi(const cv::Mat& image) { return {0, 0, image.cols, image.rows}; }

std::string to_string(const RoiPx& roi) {
  return fmt::format("{},{},{},{}", roi.x_px, roi.y_px, roi.width_px, roi.height_px);
}

Status check_roi(const cv::Mat& image, const RoiPx& roi, int min_width_px, int min_height_px) {
  if (roi.x_px < 0 || roi.y_px < 0 || roi.x_px + roi.width_px > image.cols || roi.y_px + roi.height_px > image.rows)
    return fail(ErrorCode::input, fmt::format("ROI {}: outside the {} x {} px image", to_string(roi), image.cols,
                                              image.rows));
  if (roi.width_px < min_width_px || roi.height_px < min_height_px)
    return fail(ErrorCode::input, fmt::format("ROI {}: too small (at least {} x {} px)", to_string(roi), min_width_px,
                                              min_height_px));
  return {};
}

}  // namespace niikit::testkits
