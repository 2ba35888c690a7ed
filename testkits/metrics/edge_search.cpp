// Strongest straight slanted edge search (see edge_search.hpp).
#include "testkits/metrics/edge_search.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

namespace niikit::testkits {
namespace {

constexpr double rad_to_deg = 180.0 / std::numbers::pi;
constexpr int step_half_px = 3;  // the step across the edge sums the derivative over ±3 px

struct Line {
  double a = 0, b = 0;  // position = a + b·(t − centre), t = row (for 'v')
  int inliers = 0;
};

// Least squares through the points with use[i] set; positions p[i] at t = i − centre.
Line fit_line(const std::vector<double>& p, const std::vector<char>& use, double centre) {
  double n = 0, st = 0, sp = 0, stt = 0, stp = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!use[i]) continue;
    const double t = static_cast<double>(i) - centre;
    n += 1;
    st += t;
    sp += p[i];
    stt += t * t;
    stp += t * p[i];
  }
  Line l;
  const double det = n * stt - st * st;
  if (n < 3 || std::abs(det) < 1e-12) return l;
  l.b = (n * stp - st * sp) / det;
  l.a = (sp - l.b * st) / n;
  return l;
}

struct TileScore {
  bool ok = false;
  double score = 0, step = 0, slope = 0, centre_pos = 0, inlier_fraction = 0;
};

// Scores a near-vertical edge in the S×S tile at (x0, y0) of gradient image g (∂/∂x, CV_32F):
// per row the sub-pixel column of the largest |g|; a line through them.
TileScore score_tile(const cv::Mat& g, int x0, int y0, int side, double min_step, const EdgeSearchOptions& o) {
  std::vector<double> pos(static_cast<std::size_t>(side)), step(static_cast<std::size_t>(side));
  const int margin = step_half_px + 1;
  for (int r = 0; r < side; ++r) {
    const float* row = g.ptr<float>(y0 + r) + x0;
    int best = margin;
    for (int c = margin; c < side - margin; ++c)
      if (std::abs(row[c]) > std::abs(row[best])) best = c;
    double s = 0, wsum = 0, wpos = 0;
    for (int c = best - step_half_px; c <= best + step_half_px; ++c) {
      s += row[c];
      if (std::abs(c - best) <= 2) {
        const double w = std::abs(row[c]);
        wsum += w;
        wpos += w * c;
      }
    }
    pos[static_cast<std::size_t>(r)] = wsum > 0 ? wpos / wsum : best;
    step[static_cast<std::size_t>(r)] = s;
  }
  TileScore out;
  const double centre = (side - 1) / 2.0;
  std::vector<char> use(static_cast<std::size_t>(side), 1);
  Line line = fit_line(pos, use, centre);
  for (int pass = 0; pass < 2; ++pass) {
    for (int r = 0; r < side; ++r) {
      const double res = pos[static_cast<std::size_t>(r)] - (line.a + line.b * (r - centre));
      use[static_cast<std::size_t>(r)] = std::abs(res) <= 1.5 ? 1 : 0;
    }
    line = fit_line(pos, use, centre);
  }
  // Inliers of the majority gradient sign only.
  int pos_sign = 0, neg_sign = 0;
  for (int r = 0; r < side; ++r)
    if (use[static_cast<std::size_t>(r)]) (step[static_cast<std::size_t>(r)] >= 0 ? pos_sign : neg_sign)++;
  const bool positive = pos_sign >= neg_sign;
  std::vector<double> steps;
  for (int r = 0; r < side; ++r)
    if (use[static_cast<std::size_t>(r)] && (step[static_cast<std::size_t>(r)] >= 0) == positive)
      steps.push_back(step[static_cast<std::size_t>(r)]);
  out.inlier_fraction = static_cast<double>(steps.size()) / side;
  if (out.inlier_fraction < o.min_inlier_fraction) return out;
  const double tilt = std::abs(std::atan(line.b)) * rad_to_deg;
  if (tilt < o.min_angle_deg || tilt > o.max_angle_deg) return out;
  auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), mid, steps.end());
  out.step = *mid;
  if (std::abs(out.step) < min_step) return out;
  // The edge must stay clear of the tile's sides along its whole length.
  const double end_a = line.a - line.b * centre, end_b = line.a + line.b * centre;
  if (std::min(end_a, end_b) < margin || std::max(end_a, end_b) > side - 1 - margin) return out;
  out.ok = true;
  out.slope = line.b;
  out.centre_pos = line.a;
  out.score = std::abs(out.step) * out.inlier_fraction * (tilt >= 2.0 && tilt <= 10.0 ? 1.0 : 0.5);
  return out;
}

double robust_sigma(const cv::Mat& g) {
  std::vector<float> v;
  const int stride = std::max(1, static_cast<int>(g.total() / 200000));
  for (int i = 0; i < static_cast<int>(g.total()); i += stride) v.push_back(std::abs(g.at<float>(i / g.cols, i % g.cols)));
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return 1.4826 * *mid;
}

}  // namespace

Result<EdgeSearchResult> find_strongest_edge(const cv::Mat& image, const EdgeSearchOptions& options) {
  const EdgeSearchOptions& o = options;
  if (image.empty() || image.channels() != 1)
    return fail(ErrorCode::input, "edge search: image must be one non-empty channel");
  if (!(o.min_angle_deg >= 1 && o.min_angle_deg < o.max_angle_deg && o.max_angle_deg <= 44))
    return fail(ErrorCode::input, fmt::format("edge search options: need 1 <= min_angle_deg < max_angle_deg <= 44, got "
                                              "{} and {}",
                                              o.min_angle_deg, o.max_angle_deg));
  if (!(o.min_inlier_fraction >= 0.5 && o.min_inlier_fraction <= 1))
    return fail(ErrorCode::input, "edge search options: min_inlier_fraction must be in [0.5, 1]");
  if (o.roi_side_px != 0 && (o.roi_side_px < 24 || o.roi_side_px > 4096))
    return fail(ErrorCode::input, fmt::format("edge search options: roi_side_px must be 0 or in [24, 4096], got {}",
                                              o.roi_side_px));
  const int side = o.roi_side_px > 0 ? o.roi_side_px : std::max(32, std::min(128, std::min(image.cols, image.rows) / 2));
  if (image.cols < side || image.rows < side)
    return fail(ErrorCode::input, fmt::format("edge search: image {}x{} px is smaller than the {} px ROI", image.cols,
                                              image.rows, side));
  cv::Mat f;
  image.convertTo(f, CV_32F);
  cv::GaussianBlur(f, f, cv::Size(0, 0), 1.0);
  cv::Mat gx, gy;
  const cv::Mat kx = (cv::Mat_<float>(1, 3) << -0.5f, 0.0f, 0.5f);
  cv::filter2D(f, gx, CV_32F, kx, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
  cv::filter2D(f, gy, CV_32F, kx.t(), cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
  const cv::Mat gy_t = gy.t();  // near-horizontal edges are near-vertical ones of the transpose
  // A real edge's step is well above the noise of a 7-px derivative sum.
  const double min_step = 5.0 * std::max(robust_sigma(gx), robust_sigma(gy)) * std::sqrt(2.0 * step_half_px + 1);

  EdgeSearchResult best;
  TileScore best_tile;
  int best_x = 0, best_y = 0;
  const int stride = std::max(1, side / 4);
  for (int orient = 0; orient < 2; ++orient) {
    const cv::Mat& g = orient == 0 ? gx : gy_t;
    // Quick screen: across an edge crossing every row the signed derivative sums to the step in
    // each row, so the tile's signed sum is ≈ side × step; tiles far below that are skipped.
    cv::Mat sums;
    cv::integral(g, sums, CV_64F);
    const double screen = 0.5 * side * min_step;
    for (int y = 0; y + side <= g.rows; y += stride)
      for (int x = 0; x + side <= g.cols; x += stride) {
        const double total = sums.at<double>(y + side, x + side) - sums.at<double>(y, x + side) -
                             sums.at<double>(y + side, x) + sums.at<double>(y, x);
        if (std::abs(total) < screen) continue;
        ++best.tiles_scored;
        const TileScore t = score_tile(g, x, y, side, min_step, o);
        if (!t.ok || t.score <= best_tile.score) continue;
        best_tile = t;
        best.orientation = orient == 0 ? 'v' : 'h';
        best_x = orient == 0 ? x : y;  // back to image axes
        best_y = orient == 0 ? y : x;
      }
  }
  if (!best_tile.ok)
    return fail(ErrorCode::input, fmt::format("edge search: no straight slanted edge found in the {}x{} px image (edges "
                                              "tilted {}–{}° from an axis, {} px tiles); give --roi",
                                              image.cols, image.rows, o.min_angle_deg, o.max_angle_deg, side));
  best.step = best_tile.step;
  best.inlier_fraction = best_tile.inlier_fraction;
  best.score = best_tile.score;
  const double tilt = std::atan(best_tile.slope) * rad_to_deg;
  // 'v': slope = dx/dy; rotating the +y axis by θ (from +x towards +y) gives direction
  // (−sin θ, cos θ), so θ = −atan(dx/dy). 'h' (searched on the transpose): slope = dy/dx,
  // θ = atan(dy/dx).
  best.edge_angle_deg = best.orientation == 'v' ? -tilt : tilt;
  const double centre = (side - 1) / 2.0;
  if (best.orientation == 'v') {
    const int x = static_cast<int>(std::lround(best_x + best_tile.centre_pos - centre));
    best.roi = {std::clamp(x, 0, image.cols - side), best_y, side, side};
  } else {
    const int y = static_cast<int>(std::lround(best_y + best_tile.centre_pos - centre));
    best.roi = {best_x, std::clamp(y, 0, image.rows - side), side, side};
  }
  if (std::abs(tilt) < 2.0 || std::abs(tilt) > 10.0)
    best.warnings.push_back(fmt::format("angle: the strongest edge is tilted {:.2f}°, outside the 2–10° the "
                                        "slanted-edge method prefers",
                                        best.edge_angle_deg));
  return best;
}

}  // namespace niikit::testkits
