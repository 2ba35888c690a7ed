// Overlay drawing for kit results.
#include "testkits/kits/overlay.hpp"

#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace niikit::testkits::kits {

namespace {

cv::Scalar colour(Verdict v) {
  switch (v) {
    case Verdict::pass: return {60, 200, 60};     // green (BGR)
    case Verdict::fail: return {40, 40, 230};     // red
    case Verdict::not_judged: return {0, 220, 240};  // yellow
    case Verdict::info: return {230, 160, 40};    // blue
  }
  return {255, 255, 255};
}

cv::Mat window_8bit(const cv::Mat& image) {
  cv::Mat f;
  image.convertTo(f, CV_32F);
  std::vector<float> v;
  const int step = std::max(1, static_cast<int>(f.total() / 200000));
  for (std::size_t i = 0; i < f.total(); i += static_cast<std::size_t>(step)) v.push_back(f.ptr<float>()[i]);
  std::sort(v.begin(), v.end());
  const double lo = v[v.size() / 200], hi = v[v.size() - 1 - v.size() / 200];
  cv::Mat out;
  const double scale = hi > lo ? 255.0 / (hi - lo) : 1.0;
  f.convertTo(out, CV_8U, scale, -lo * scale);
  return out;
}

}  // namespace

Result<cv::Mat> render_overlay(const cv::Mat& image, const KitResult& result, const OverlayOptions& options) {
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "overlay: expected one non-empty grey plane");
  if (options.zoom < 0 || options.zoom > 8) return fail(ErrorCode::input, "overlay: zoom must be 0 or 1..8");
  int zoom = options.zoom;
  if (zoom == 0) zoom = std::clamp(static_cast<int>(std::ceil(1200.0 / std::max(image.cols, image.rows))), 1, 4);
  cv::Mat grey = window_8bit(image);
  if (zoom > 1) cv::resize(grey, grey, cv::Size(), zoom, zoom, cv::INTER_NEAREST);
  cv::Mat rgb;
  cv::cvtColor(grey, rgb, cv::COLOR_GRAY2BGR);
  const double font = 0.4 + 0.1 * zoom;
  auto to_canvas = [zoom](cv::Point2d p) {
    return cv::Point(static_cast<int>(std::lround((p.x + 0.5) * zoom)), static_cast<int>(std::lround((p.y + 0.5) * zoom)));
  };
  for (const auto& t : result.tests)
    for (const auto& r : t.rois) {
      std::vector<cv::Point> poly;
      for (const auto& p : r.polygon) poly.push_back(to_canvas(p));
      if (poly.empty()) continue;
      cv::polylines(rgb, poly, true, colour(r.verdict), 1, cv::LINE_AA);
      if (!r.label.empty()) {
        const cv::Point at = poly.front() + cv::Point(2, -3);
        cv::putText(rgb, r.label, at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
        cv::putText(rgb, r.label, at, cv::FONT_HERSHEY_SIMPLEX, font, colour(r.verdict), 1, cv::LINE_AA);
      }
    }
  for (const auto& f : result.located.fiducials) {
    const auto c = to_canvas(f.expected_px);
    cv::drawMarker(rgb, c, f.found_px ? colour(Verdict::pass) : colour(Verdict::not_judged), cv::MARKER_CROSS, 6 * zoom, 1);
  }
  const std::string title = fmt::format("{} kit {} | {} | residual {:.2f} px", result.kit_id, result.kit_version,
                                        result.phantom_id, result.located.residual_px);
  cv::putText(rgb, title, {6, static_cast<int>(18 * font / 0.5)}, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), 3,
              cv::LINE_AA);
  cv::putText(rgb, title, {6, static_cast<int>(18 * font / 0.5)}, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255), 1,
              cv::LINE_AA);
  return rgb;
}

}  // namespace niikit::testkits::kits
