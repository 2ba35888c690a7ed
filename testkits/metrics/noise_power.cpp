#include "testkits/metrics/noise_power.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace niikit::testkits {

namespace {

// Discrete polynomials of degree 0, 1, 2 in the centred index, orthogonal on n equally spaced
// points: 1, u, u² − mean(u²).
std::array<std::vector<double>, 3> grid_polynomials(int n) {
  std::array<std::vector<double>, 3> p;
  for (auto& v : p) v.assign(static_cast<std::size_t>(n), 0.0);
  double mean_u2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = i - 0.5 * (n - 1);
    mean_u2 += u * u / n;
  }
  for (int i = 0; i < n; ++i) {
    const double u = i - 0.5 * (n - 1);
    const auto k = static_cast<std::size_t>(i);
    p[0][k] = 1.0;
    p[1][k] = u;
    p[2][k] = u * u - mean_u2;
  }
  return p;
}

double norm2(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return s;
}

Result<RoiPx> check_inputs(const std::vector<cv::Mat>& images, const NpsOptions& o) {
  if (images.empty()) return fail(ErrorCode::input, "NPS: no flat image given");
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].empty() || images[i].channels() != 1)
      return fail(ErrorCode::input, fmt::format("NPS: flat image {} is empty or not one channel", i + 1));
    if (images[i].size() != images[0].size())
      return fail(ErrorCode::input, fmt::format("NPS: flat image {} is {} x {} px, image 1 is {} x {} px", i + 1,
                                                images[i].cols, images[i].rows, images[0].cols, images[0].rows));
  }
  if (o.tile_px < 16 || o.tile_px > 1024 || o.tile_px % 2 != 0)
    return fail(ErrorCode::input, fmt::format("NPS: tile size {} px: must be even, 16 … 1024", o.tile_px));
  if (o.detrend_order < 0 || o.detrend_order > 2)
    return fail(ErrorCode::input, fmt::format("NPS: detrend order {}: must be 0, 1 or 2", o.detrend_order));
  if (o.axis_lines < 1 || o.axis_lines > o.tile_px / 2 - 1)
    return fail(ErrorCode::input, fmt::format("NPS: axis lines {}: must be 1 … {}", o.axis_lines, o.tile_px / 2 - 1));
  const RoiPx roi = o.roi ? *o.roi : full_roi(images[0]);
  if (auto ok = check_roi(images[0], roi, o.tile_px, o.tile_px); !ok) return tl::unexpected(ok.error());
  const int step = o.tile_px / 2;
  const int tiles = ((roi.width_px - o.tile_px) / step + 1) * ((roi.height_px - o.tile_px) / step + 1);
  if (tiles < 2)
    return fail(ErrorCode::input, fmt::format("ROI {}: room for only 1 tile of {} px (at least 2 needed; at least {} x "
                                              "{} or {} x {} px)",
                                              to_string(roi), o.tile_px, o.tile_px + step, o.tile_px, o.tile_px,
                                              o.tile_px + step));
  return roi;
}

struct Structured {
  double column_means_variance = 0.0;
  double row_means_variance = 0.0;
  double residual_variance = 0.0;  // two-way ANOVA residual: the random part
};

// Column and row means of a zero-mean (detrended) image, and the residual after removing both,
// whose variance σ²_r estimates the random noise that leaks into a column mean as σ²_r / H.
Structured structured_noise(const cv::Mat& z) {
  cv::Mat col_means, row_means;
  cv::reduce(z, col_means, 0, cv::REDUCE_AVG, CV_64F);
  cv::reduce(z, row_means, 1, cv::REDUCE_AVG, CV_64F);
  const double grand = cv::mean(z)[0];
  Structured s;
  double ss_res = 0.0;
  for (int r = 0; r < z.rows; ++r) {
    const auto* row = z.ptr<double>(r);
    for (int c = 0; c < z.cols; ++c) {
      const double e = row[c] - col_means.at<double>(0, c) - row_means.at<double>(r, 0) + grand;
      ss_res += e * e;
    }
  }
  for (int c = 0; c < z.cols; ++c) s.column_means_variance += std::pow(col_means.at<double>(0, c) - grand, 2);
  for (int r = 0; r < z.rows; ++r) s.row_means_variance += std::pow(row_means.at<double>(r, 0) - grand, 2);
  s.column_means_variance /= (z.cols - 1);
  s.row_means_variance /= (z.rows - 1);
  s.residual_variance = ss_res / (static_cast<double>(z.cols - 1) * (z.rows - 1));
  return s;
}

// Adds Σ over tiles of |DFT(tile − mean)|² into `sum` and returns the number of tiles; adds the
// tiles' variances into `variance_sum`.
int accumulate_tiles(const cv::Mat& z, int n, cv::Mat& sum, double& variance_sum) {
  const int step = n / 2;
  int count = 0;
  cv::Mat tile, spectrum;
  for (int y0 = 0; y0 + n <= z.rows; y0 += step) {
    for (int x0 = 0; x0 + n <= z.cols; x0 += step) {
      tile = z(cv::Rect(x0, y0, n, n)) - cv::mean(z(cv::Rect(x0, y0, n, n)))[0];
      variance_sum += tile.dot(tile) / (static_cast<double>(n) * n);
      cv::dft(tile, spectrum, cv::DFT_COMPLEX_OUTPUT);
      for (int l = 0; l < n; ++l) {
        const auto* in = spectrum.ptr<cv::Vec2d>(l);
        auto* out = sum.ptr<double>(l);
        for (int k = 0; k < n; ++k) out[k] += in[k][0] * in[k][0] + in[k][1] * in[k][1];
      }
      ++count;
    }
  }
  return count;
}

// Mean of nnps over lines ±1 … ±lines of the other axis, at index k and its mirror N − k.
// `along_x`: k indexes columns (fx), lines are rows (fy); else the transpose.
double axis_average(const cv::Mat& nnps, int k, int lines, bool along_x) {
  const int n = nnps.rows;
  double s = 0.0;
  int count = 0;
  for (int kk : {k, (n - k) % n}) {
    for (int j = 1; j <= lines; ++j) {
      for (int l : {j, n - j}) {
        s += along_x ? nnps.at<double>(l, kk) : nnps.at<double>(kk, l);
        ++count;
      }
    }
  }
  return s / count;
}

std::vector<NnpsPoint> radial_average(const cv::Mat& nnps, double dfx, double dfy) {
  const int n = nnps.rows;
  const double width = std::max(dfx, dfy);
  const int bins = static_cast<int>(std::floor(std::min(dfx, dfy) * (n / 2) / width + 1e-9));
  std::vector<double> f_sum(static_cast<std::size_t>(bins + 1), 0.0), v_sum(f_sum.size(), 0.0);
  std::vector<int> count(f_sum.size(), 0);
  for (int l = 0; l < n; ++l) {
    const double fy = (l <= n / 2 ? l : l - n) * dfy;
    for (int k = 0; k < n; ++k) {
      const double fx = (k <= n / 2 ? k : k - n) * dfx;
      const double f = std::hypot(fx, fy);
      const auto b = static_cast<int>(std::lround(f / width));
      if (b < 1 || b > bins) continue;
      f_sum[static_cast<std::size_t>(b)] += f;
      v_sum[static_cast<std::size_t>(b)] += nnps.at<double>(l, k);
      ++count[static_cast<std::size_t>(b)];
    }
  }
  std::vector<NnpsPoint> out;
  for (std::size_t b = 1; b < f_sum.size(); ++b)
    if (count[b] > 0) out.push_back({f_sum[b] / count[b], v_sum[b] / count[b]});
  return out;
}

void fill_curves(NpsResult& r) {
  const int n = r.tile_px;
  const double dfx = 1.0 / (n * r.pixel_mm_x), dfy = 1.0 / (n * r.pixel_mm_y);
  const cv::Mat nnps = r.nps_2d / (r.mean_signal * r.mean_signal);
  for (int k = 1; k <= n / 2; ++k) {
    r.nnps_x.push_back({k * dfx, axis_average(nnps, k, r.axis_lines, true)});
    r.nnps_y.push_back({k * dfy, axis_average(nnps, k, r.axis_lines, false)});
  }
  r.nnps_radial = radial_average(nnps, dfx, dfy);
}

}  // namespace

void detrend_polynomial(cv::Mat& values, int order) {
  CV_Assert(values.type() == CV_64FC1);
  const auto px = grid_polynomials(values.cols);
  const auto py = grid_polynomials(values.rows);
  // Row sums against each x polynomial: r_i(y) = Σ_x z(x, y) P_i(x).
  std::array<std::vector<double>, 3> row_proj;
  for (auto& v : row_proj) v.assign(static_cast<std::size_t>(values.rows), 0.0);
  for (int y = 0; y < values.rows; ++y) {
    const auto* row = values.ptr<double>(y);
    for (int i = 0; i <= order; ++i) {
      double s = 0.0;
      for (int x = 0; x < values.cols; ++x) s += row[x] * px[static_cast<std::size_t>(i)][static_cast<std::size_t>(x)];
      row_proj[static_cast<std::size_t>(i)][static_cast<std::size_t>(y)] = s;
    }
  }
  std::array<std::array<double, 3>, 3> coef{};
  for (int i = 0; i <= order; ++i)
    for (int j = 0; i + j <= order; ++j) {
      const auto ii = static_cast<std::size_t>(i), jj = static_cast<std::size_t>(j);
      const double norm = norm2(px[ii]) * norm2(py[jj]);
      if (norm <= 0.0) continue;  // a degree the grid cannot carry (a single row or column)
      double s = 0.0;
      for (int y = 0; y < values.rows; ++y) s += row_proj[ii][static_cast<std::size_t>(y)] * py[jj][static_cast<std::size_t>(y)];
      coef[ii][jj] = s / norm;
    }
  for (int y = 0; y < values.rows; ++y) {
    auto* row = values.ptr<double>(y);
    for (int x = 0; x < values.cols; ++x) {
      double fit = 0.0;
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; i + j < 3; ++j)
          fit += coef[i][j] * px[i][static_cast<std::size_t>(x)] * py[j][static_cast<std::size_t>(y)];
      row[x] -= fit;
    }
  }
}

Result<NpsResult> measure_nps(const std::vector<cv::Mat>& images, const NpsOptions& options) {
  auto roi = check_inputs(images, options);
  if (!roi) return tl::unexpected(roi.error());
  NpsResult r;
  r.per_pixel = !(options.pixel_mm_x > 0.0 && options.pixel_mm_y > 0.0);
  r.pixel_mm_x = r.per_pixel ? 1.0 : options.pixel_mm_x;
  r.pixel_mm_y = r.per_pixel ? 1.0 : options.pixel_mm_y;
  r.tile_px = options.tile_px;
  r.detrend_order = options.detrend_order;
  r.axis_lines = options.axis_lines;
  r.image_count = static_cast<int>(images.size());
  const int n = options.tile_px;
  cv::Mat sum = cv::Mat::zeros(n, n, CV_64F);
  int tiles = 0;
  double tile_variance_sum = 0.0;
  Structured structured;
  cv::Mat z;
  try {
    for (const auto& image : images) {
      image(roi->rect()).convertTo(z, CV_64F);
      r.mean_signal += cv::mean(z)[0] / r.image_count;
      detrend_polynomial(z, options.detrend_order);
      r.variance_total += z.dot(z) / static_cast<double>(z.total()) / r.image_count;
      const Structured s = structured_noise(z);
      structured.column_means_variance += s.column_means_variance / r.image_count;
      structured.row_means_variance += s.row_means_variance / r.image_count;
      structured.residual_variance += s.residual_variance / r.image_count;
      tiles += accumulate_tiles(z, n, sum, tile_variance_sum);
    }
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::input, fmt::format("NPS: {}", e.what()));
  }
  if (!(r.mean_signal > 0.0))
    return fail(ErrorCode::input, fmt::format("NPS: mean signal {:g} is not > 0: NNPS undefined", r.mean_signal));
  r.tiles_per_image = tiles / r.image_count;
  r.variance_tiles = tile_variance_sum / tiles;
  if (!(r.variance_tiles > 0.0))
    return fail(ErrorCode::input, "NPS: the flat images have zero variance (constant image?)");
  // IEC 62220-1 normalisation: NPS = (Δx·Δy / (N·N)) · ⟨|DFT|²⟩, so Σ NPS · Δfx · Δfy = variance.
  r.nps_2d = sum * (r.pixel_mm_x * r.pixel_mm_y / (static_cast<double>(n) * n * tiles));
  r.nps_integral = cv::sum(r.nps_2d)[0] / (n * r.pixel_mm_x * n * r.pixel_mm_y);
  r.column_means_variance = structured.column_means_variance;
  r.row_means_variance = structured.row_means_variance;
  r.column_structured_variance =
      std::max(0.0, structured.column_means_variance - structured.residual_variance / roi->height_px);
  r.row_structured_variance = std::max(0.0, structured.row_means_variance - structured.residual_variance / roi->width_px);
  r.column_structured_fraction = r.column_structured_variance / r.variance_total;
  r.row_structured_fraction = r.row_structured_variance / r.variance_total;
  fill_curves(r);
  return r;
}

}  // namespace niikit::testkits
