// Flat-field uniformity and dead/hot channels. See the header.
#include "testkits/metrics/uniformity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace niikit::testkits {

namespace {

double median_of(std::vector<double> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

// Least-squares line through the column means plus a running median of the residuals.
std::vector<double> robust_baseline(const std::vector<double>& m, int window) {
  const int n = static_cast<int>(m.size());
  const double xc = 0.5 * (n - 1);
  double mean = 0.0, sxy = 0.0, sxx = 0.0;
  for (double v : m) mean += v;
  mean /= n;
  for (int i = 0; i < n; ++i) {
    sxy += (i - xc) * (m[static_cast<std::size_t>(i)] - mean);
    sxx += (i - xc) * (i - xc);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  std::vector<double> resid(m.size()), base(m.size());
  for (int i = 0; i < n; ++i) resid[static_cast<std::size_t>(i)] = m[static_cast<std::size_t>(i)] - mean - slope * (i - xc);
  const int half = window / 2;
  for (int i = 0; i < n; ++i) {
    const int a = std::max(0, i - half), b = std::min(n, i + half + 1);
    std::vector<double> w(resid.begin() + a, resid.begin() + b);
    base[static_cast<std::size_t>(i)] = mean + slope * (i - xc) + median_of(std::move(w));
  }
  return base;
}

void flag_channels(UniformityResult& r, int x0, double global_mean) {
  std::vector<double> dev(r.column_means.size());
  for (std::size_t i = 0; i < dev.size(); ++i) dev[i] = r.column_means[i] - r.baseline[i];
  std::vector<double> absdev(dev.size());
  const double med = median_of(dev);
  for (std::size_t i = 0; i < dev.size(); ++i) absdev[i] = std::abs(dev[i] - med);
  r.robust_sigma = std::max(1.4826 * median_of(absdev), 1e-6 * std::abs(global_mean));
  for (std::size_t i = 0; i < dev.size(); ++i) {
    const double z = dev[i] / r.robust_sigma;
    if (std::abs(z) <= r.k_sigma) continue;
    ChannelFlag f{x0 + static_cast<int>(i), r.column_means[i], r.baseline[i], z};
    (z < 0 ? r.dead_low : r.hot_high).push_back(f);
  }
}

Status grid_figures(UniformityResult& r, const cv::Mat& region) {
  for (int gy = 0; gy < 3; ++gy)
    for (int gx = 0; gx < 3; ++gx) {
      const int x0 = gx * region.cols / 3, x1 = (gx + 1) * region.cols / 3;
      const int y0 = gy * region.rows / 3, y1 = (gy + 1) * region.rows / 3;
      r.grid_means[static_cast<std::size_t>(gy * 3 + gx)] = cv::mean(region(cv::Rect(x0, y0, x1 - x0, y1 - y0)))[0];
    }
  r.grid_max = *std::max_element(r.grid_means.begin(), r.grid_means.end());
  r.grid_min = *std::min_element(r.grid_means.begin(), r.grid_means.end());
  if (!(r.grid_min > 0)) return fail(ErrorCode::input, fmt::format("grid mean {:g} ≤ 0: not a flat image", r.grid_min));
  r.grid_max_over_min = r.grid_max / r.grid_min;
  r.grid_nonuniformity = (r.grid_max - r.grid_min) / (r.grid_max + r.grid_min);
  return {};
}

void column_figures(UniformityResult& r, int x0) {
  std::vector<bool> flagged(r.column_means.size(), false);
  for (const auto* list : {&r.dead_low, &r.hot_high})
    for (const auto& f : *list) flagged[static_cast<std::size_t>(f.column - x0)] = true;
  r.column_max = -1e300;
  r.column_min = 1e300;
  for (std::size_t i = 0; i < r.column_means.size(); ++i) {
    if (flagged[i]) continue;
    r.column_max = std::max(r.column_max, r.column_means[i]);
    r.column_min = std::min(r.column_min, r.column_means[i]);
  }
  const double sum = r.column_max + r.column_min;
  r.column_nonuniformity = sum > 0 ? (r.column_max - r.column_min) / sum : 0.0;
}

}  // namespace

Result<UniformityResult> measure_uniformity(const cv::Mat& image, const UniformityOptions& o) {
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "uniformity needs a one-channel image");
  const RoiPx roi = o.roi ? *o.roi : full_roi(image);
  if (auto ok = check_roi(image, roi, 3, 3); !ok) return tl::unexpected(ok.error());
  if (o.baseline_window < 3 || o.baseline_window % 2 == 0)
    return fail(ErrorCode::input, fmt::format("baseline window {}: must be odd and ≥ 3", o.baseline_window));
  if (!(o.k_sigma > 0)) return fail(ErrorCode::input, fmt::format("k {:g}: must be > 0", o.k_sigma));
  cv::Mat region;
  image(roi.rect()).convertTo(region, CV_64F);
  UniformityResult r;
  r.k_sigma = o.k_sigma;
  if (auto ok = grid_figures(r, region); !ok) return tl::unexpected(ok.error());
  cv::Mat reduced;
  cv::reduce(region, reduced, 0, cv::REDUCE_AVG, CV_64F);
  r.column_means.assign(reduced.begin<double>(), reduced.end<double>());
  r.baseline = robust_baseline(r.column_means, o.baseline_window);
  flag_channels(r, roi.x_px, cv::mean(region)[0]);
  column_figures(r, roi.x_px);
  return r;
}

}  // namespace niikit::testkits
