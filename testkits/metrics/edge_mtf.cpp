// Slanted-edge MTF: see edge_mtf.hpp and docs/methods/mtf.md for the method and its limits.
#include "testkits/metrics/edge_mtf.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include <opencv2/imgproc.hpp>

namespace niikit::testkits {

namespace {

constexpr double pi = std::numbers::pi;
constexpr double min_contrast_sigmas = 5.0;      // edge contrast below this many noise σ: no edge
constexpr double max_empty_bin_fraction = 0.10;  // more empty ESF bins inside the LSF window: error
constexpr double centroid_half_width_px = 10.0;  // per-row derivative centroid window, pass 1
constexpr double refine_half_width_px = 8.0;     // narrower window around the fitted line, pass 2

double sinc(double x) { return std::abs(x) < 1e-12 ? 1.0 : std::sin(x) / x; }

struct EdgeLine {
  double x0 = 0.0;     // edge column at row 0 (working frame)
  double slope = 0.0;  // d(column)/d(row)
};

// The ROI as doubles with the edge running along the rows (transposed for a near-horizontal
// edge), oriented so that intensity rises with the column (sign = −1 flips polarity).
struct WorkFrame {
  cv::Mat m;           // CV_64F
  char orientation = 'v';
  double sign = 1.0;
  double contrast = 0.0;
  double noise_sigma = 0.0;
};

Status check_options(const EdgeMtfOptions& o) {
  if (o.bins_per_px < 2 || o.bins_per_px > 16)
    return fail(ErrorCode::input, fmt::format("bins_per_px {}: must be 2..16", o.bins_per_px));
  if (o.curve_points < 2 || o.curve_points > 1001)
    return fail(ErrorCode::input, fmt::format("curve_points {}: must be 2..1001", o.curve_points));
  if (!(o.pixel_mm_x >= 0.0) || !(o.pixel_mm_y >= 0.0))
    return fail(ErrorCode::input, "pixel pitch must be 0 (unknown) or positive");
  if (!(o.lsf_window_half_width_px >= 2.0))
    return fail(ErrorCode::input, "lsf_window_half_width_px must be at least 2 px");
  return {};
}

// Robust noise σ from differences between neighbours along the edge (rows of the work frame):
// the edge itself touches few of them, so the median absolute difference ignores it.
double noise_sigma_along_edge(const cv::Mat& m) {
  std::vector<double> diffs;
  diffs.reserve(static_cast<size_t>(m.rows - 1) * static_cast<size_t>(m.cols));
  for (int r = 0; r + 1 < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c) diffs.push_back(std::abs(m.at<double>(r + 1, c) - m.at<double>(r, c)));
  if (diffs.empty()) return 0.0;
  auto mid = diffs.begin() + static_cast<std::ptrdiff_t>(diffs.size() / 2);
  std::nth_element(diffs.begin(), mid, diffs.end());
  return *mid * 1.4826 / std::sqrt(2.0);
}

double column_band_mean(const cv::Mat& m, int c0, int c1) {
  return cv::mean(m(cv::Range::all(), cv::Range(c0, c1)))[0];
}

Result<WorkFrame> make_work_frame(const cv::Mat& roi_pixels, const RoiPx& roi, const EdgeMtfOptions& o) {
  WorkFrame w;
  roi_pixels.convertTo(w.m, CV_64F);
  cv::Mat dx, dy;
  cv::Sobel(w.m, dx, CV_64F, 1, 0);
  cv::Sobel(w.m, dy, CV_64F, 0, 1);
  if (cv::norm(dy, cv::NORM_L1) > cv::norm(dx, cv::NORM_L1)) {
    w.orientation = 'h';
    w.m = w.m.t();
  }
  if (w.m.cols < o.min_across_px || w.m.rows < o.min_along_px)
    return fail(ErrorCode::input, fmt::format("ROI {}: too small for a {} edge (at least {} px across the edge and "
                                              "{} px along it)", to_string(roi),
                                              w.orientation == 'v' ? "near-vertical" : "near-horizontal",
                                              o.min_across_px, o.min_along_px));
  const int band = std::max(2, w.m.cols / 8);
  const double left = column_band_mean(w.m, 0, band), right = column_band_mean(w.m, w.m.cols - band, w.m.cols);
  w.contrast = std::abs(right - left);
  w.sign = right >= left ? 1.0 : -1.0;
  w.noise_sigma = noise_sigma_along_edge(w.m);
  if (w.contrast <= min_contrast_sigmas * w.noise_sigma || w.contrast <= 0.0)
    return fail(ErrorCode::input, fmt::format("no edge found in ROI {}: contrast {:.4g} is below {} noise sigma "
                                              "(sigma {:.4g})", to_string(roi), w.contrast, min_contrast_sigmas,
                                              w.noise_sigma));
  return w;
}

// Sign-corrected derivative of a lightly smoothed ([1 2 1]/4) row; used for the centroid only.
std::vector<double> row_derivative(const cv::Mat& m, int r, double sign) {
  const int n = m.cols;
  const double* p = m.ptr<double>(r);
  std::vector<double> s(static_cast<size_t>(n)), d(static_cast<size_t>(n), 0.0);
  for (int c = 0; c < n; ++c)
    s[static_cast<size_t>(c)] = 0.25 * (p[std::max(c - 1, 0)] + 2.0 * p[c] + p[std::min(c + 1, n - 1)]);
  for (int c = 1; c + 1 < n; ++c)
    d[static_cast<size_t>(c)] = sign * 0.5 * (s[static_cast<size_t>(c + 1)] - s[static_cast<size_t>(c - 1)]);
  return d;
}

// Centroid of d within ±half_width of `centre`; nullopt when the window holds too little of the
// step (a row where noise dominates).
std::optional<double> centroid(const std::vector<double>& d, double centre, double half_width, double contrast) {
  const int n = static_cast<int>(d.size());
  const int c0 = std::max(1, static_cast<int>(std::floor(centre - half_width)));
  const int c1 = std::min(n - 2, static_cast<int>(std::ceil(centre + half_width)));
  double sum = 0.0, moment = 0.0;
  for (int c = c0; c <= c1; ++c) {
    sum += d[static_cast<size_t>(c)];
    moment += c * d[static_cast<size_t>(c)];
  }
  if (sum < 0.5 * contrast) return std::nullopt;
  return moment / sum;
}

struct Point {
  double r, c;
};

Result<EdgeLine> fit_line(const std::vector<Point>& pts, int min_points) {
  if (static_cast<int>(pts.size()) < min_points)
    return fail(ErrorCode::input, fmt::format("edge located in only {} rows (need {})", pts.size(), min_points));
  double sr = 0, sc = 0, srr = 0, src = 0;
  for (const auto& p : pts) {
    sr += p.r, sc += p.c, srr += p.r * p.r, src += p.r * p.c;
  }
  const double n = static_cast<double>(pts.size());
  const double den = n * srr - sr * sr;
  if (den <= 0.0) return fail(ErrorCode::input, "edge fit is degenerate");
  EdgeLine line;
  line.slope = (n * src - sr * sc) / den;
  line.x0 = (sc - line.slope * sr) / n;
  return line;
}

// Locates the edge per row (derivative centroid), fits a line, drops outlying rows, then
// refines once with a narrower window centred on the fitted line.
Result<EdgeLine> locate_edge(const WorkFrame& w, const RoiPx& roi) {
  std::vector<std::vector<double>> derivs;
  std::vector<Point> pts;
  for (int r = 0; r < w.m.rows; ++r) {
    derivs.push_back(row_derivative(w.m, r, w.sign));
    const auto& d = derivs.back();
    const auto peak = std::max_element(d.begin(), d.end()) - d.begin();
    if (auto c = centroid(d, static_cast<double>(peak), centroid_half_width_px, w.contrast))
      pts.push_back({static_cast<double>(r), *c});
  }
  const int min_rows = std::max(3, w.m.rows / 2);
  auto line = fit_line(pts, min_rows);
  if (!line) return tl::unexpected(line.error().with_context(fmt::format("no edge found in ROI {}", to_string(roi))));
  std::vector<Point> kept;
  for (const auto& p : pts)
    if (std::abs(p.c - (line->x0 + line->slope * p.r)) <= 3.0) kept.push_back(p);
  line = fit_line(kept, min_rows);
  if (!line) return tl::unexpected(line.error().with_context(fmt::format("no straight edge in ROI {}", to_string(roi))));
  std::vector<Point> refined;
  for (int r = 0; r < w.m.rows; ++r) {
    const double at = line->x0 + line->slope * r;
    if (auto c = centroid(derivs[static_cast<size_t>(r)], at, refine_half_width_px, w.contrast))
      refined.push_back({static_cast<double>(r), *c});
  }
  line = fit_line(refined, min_rows);
  if (!line) return tl::unexpected(line.error().with_context(fmt::format("no straight edge in ROI {}", to_string(roi))));
  return line;
}

struct Esf {
  std::vector<double> value;  // bin means; u of bin k = u_min + (k + 0.5) * bin_px
  std::vector<int> count;
  double u_min = 0.0;
  double bin_px = 0.25;
  double half_extent_px = 0.0;  // ESF covers −half_extent .. +half_extent along the normal
};

// Projects pixel centres onto the edge normal and averages them into bins (ISO 12233 ESF).
Result<Esf> bin_esf(const WorkFrame& w, const EdgeLine& line, int bins_per_px, const RoiPx& roi) {
  const double cos_t = 1.0 / std::sqrt(1.0 + line.slope * line.slope);
  const double x_first = line.x0, x_last = line.x0 + line.slope * (w.m.rows - 1);
  const double margin_px = std::min(std::min(x_first, x_last), (w.m.cols - 1) - std::max(x_first, x_last)) * cos_t;
  if (margin_px < 6.0)
    return fail(ErrorCode::input, fmt::format("ROI {}: the edge runs within {:.1f} px of the ROI border; centre the "
                                              "edge in the ROI", to_string(roi), margin_px));
  Esf esf;
  esf.bin_px = 1.0 / bins_per_px;
  esf.half_extent_px = margin_px;
  const int nbins = 2 * static_cast<int>(std::floor(margin_px * bins_per_px));
  esf.u_min = -0.5 * nbins * esf.bin_px;
  esf.value.assign(static_cast<size_t>(nbins), 0.0);
  esf.count.assign(static_cast<size_t>(nbins), 0);
  for (int r = 0; r < w.m.rows; ++r) {
    const double* p = w.m.ptr<double>(r);
    const double edge_c = line.x0 + line.slope * r;
    for (int c = 0; c < w.m.cols; ++c) {
      const int k = static_cast<int>(std::floor(((c - edge_c) * cos_t - esf.u_min) / esf.bin_px));
      if (k < 0 || k >= nbins) continue;
      esf.value[static_cast<size_t>(k)] += w.sign * p[c];
      ++esf.count[static_cast<size_t>(k)];
    }
  }
  for (size_t k = 0; k < esf.value.size(); ++k)
    if (esf.count[k] > 0) esf.value[k] /= esf.count[k];
  return esf;
}

// Fills empty bins by linear interpolation between filled neighbours; returns how many were
// empty inside ±window_px of the edge.
Result<int> fill_empty_bins(Esf& esf, double window_px) {
  const int n = static_cast<int>(esf.value.size());
  int empty_in_window = 0, in_window = 0;
  for (int k = 0; k < n; ++k) {
    const double u = esf.u_min + (k + 0.5) * esf.bin_px;
    if (std::abs(u) <= window_px) {
      ++in_window;
      if (esf.count[static_cast<size_t>(k)] == 0) ++empty_in_window;
    }
    if (esf.count[static_cast<size_t>(k)] > 0) continue;
    int lo = k - 1, hi = k + 1;
    while (lo >= 0 && esf.count[static_cast<size_t>(lo)] == 0) --lo;
    while (hi < n && esf.count[static_cast<size_t>(hi)] == 0) ++hi;
    if (lo < 0 && hi >= n) return fail(ErrorCode::input, "ESF has no filled bins");
    if (lo < 0) esf.value[static_cast<size_t>(k)] = esf.value[static_cast<size_t>(hi)];
    else if (hi >= n) esf.value[static_cast<size_t>(k)] = esf.value[static_cast<size_t>(lo)];
    else {
      const double t = static_cast<double>(k - lo) / (hi - lo);
      esf.value[static_cast<size_t>(k)] =
          (1 - t) * esf.value[static_cast<size_t>(lo)] + t * esf.value[static_cast<size_t>(hi)];
    }
  }
  if (in_window > 0 && empty_in_window > max_empty_bin_fraction * in_window)
    return fail(ErrorCode::input, fmt::format("ESF binning failed: {} of {} bins near the edge are empty (edge angle "
                                              "near 0°, 45° or a simple fraction such as 26.57°; tilt the edge 2–10°)",
                                              empty_in_window, in_window));
  return empty_in_window;
}

// 10–90 % rise distance of the ESF, px (plateaus from the outer fifth of each side).
double rise_10_90_px(const Esf& esf) {
  const size_t n = esf.value.size(), band = std::max<size_t>(1, n / 5);
  double lo = 0, hi = 0;
  for (size_t k = 0; k < band; ++k) lo += esf.value[k], hi += esf.value[n - 1 - k];
  lo /= static_cast<double>(band), hi /= static_cast<double>(band);
  const size_t mid = n / 2;
  size_t k10 = mid, k90 = mid;
  while (k10 > 0 && (esf.value[k10] - lo) > 0.1 * (hi - lo)) --k10;
  while (k90 + 1 < n && (esf.value[k90] - lo) < 0.9 * (hi - lo)) ++k90;
  return static_cast<double>(k90 - k10) * esf.bin_px;
}

// Tukey window: flat over |u| ≤ L/2, cosine taper to 0 at |u| = L.
double tukey(double u, double half_width) {
  const double a = std::abs(u), flat = 0.5 * half_width;
  if (a <= flat) return 1.0;
  if (a >= half_width) return 0.0;
  return 0.5 * (1.0 + std::cos(pi * (a - flat) / (half_width - flat)));
}

// Windowed LSF (central difference of the ESF) with its positions along the normal, px.
struct Lsf {
  std::vector<double> u_px, value;
};

Lsf windowed_lsf(const Esf& esf, double half_width_px) {
  Lsf lsf;
  for (size_t k = 1; k + 1 < esf.value.size(); ++k) {
    const double u = esf.u_min + (static_cast<double>(k) + 0.5) * esf.bin_px;
    const double w = tukey(u, half_width_px);
    if (w <= 0.0) continue;
    lsf.u_px.push_back(u);
    lsf.value.push_back(w * 0.5 * (esf.value[k + 1] - esf.value[k - 1]));
  }
  return lsf;
}

// |DFT| of the LSF at f, normalised at f = 0 and divided by the transfer function of the
// measurement itself: the central difference over ±h (sin(2πfh)/(2πfh)) and the averaging of
// samples in bins of width h (sin(πfh)/(πfh)), h = 1 / bins_per_px.
double mtf_value(const Lsf& lsf, double dc, double f_cy_px, double bin_px) {
  std::complex<double> acc{0.0, 0.0};
  for (size_t i = 0; i < lsf.value.size(); ++i)
    acc += lsf.value[i] * std::polar(1.0, -2.0 * pi * f_cy_px * lsf.u_px[i]);
  const double correction = sinc(2.0 * pi * f_cy_px * bin_px) * sinc(pi * f_cy_px * bin_px);
  return std::abs(acc) / dc / correction;
}

std::optional<double> first_crossing(const Lsf& lsf, double dc, double bin_px, double level) {
  constexpr double step = 0.0005;
  double f_prev = 0.0, m_prev = 1.0;
  for (double f = step; f <= 0.5 + 1e-12; f += step) {
    const double m = mtf_value(lsf, dc, f, bin_px);
    if (m <= level) return f_prev + (m_prev - level) / (m_prev - m) * (f - f_prev);
    f_prev = f, m_prev = m;
  }
  return std::nullopt;
}

Status check_angle(double angle_deg, EdgeMtfResult& out) {
  const double a = std::abs(angle_deg);
  if (a < 1.0 || a > 44.0)
    return fail(ErrorCode::input, fmt::format("edge angle {:.2f}° is within 1° of {}°: the ESF cannot be "
                                              "oversampled; tilt the edge 2–10°", angle_deg, a < 1.0 ? 0 : 45));
  if (a < 2.0 || a > 10.0)
    out.warnings.push_back(fmt::format("angle: edge angle {:.2f}° is outside 2–10°", angle_deg));
  return {};
}

void check_saturation(const cv::Mat& roi_pixels, EdgeMtfResult& out) {
  double max_value = 0.0;
  if (roi_pixels.depth() == CV_8U) max_value = 255.0;
  else if (roi_pixels.depth() == CV_16U) max_value = 65535.0;
  else return;
  cv::Mat at_max;
  cv::compare(roi_pixels, cv::Scalar(max_value), at_max, cv::CMP_GE);
  const int n = cv::countNonZero(at_max);
  if (n > 0)
    out.warnings.push_back(fmt::format("saturated: {} pixel(s) at {} in the ROI; the MTF is unreliable",
                                       n, max_value));
}

void fill_mtf(const Lsf& lsf, double bin_px, const EdgeMtfOptions& o, EdgeMtfResult& out) {
  double dc = 0.0;
  for (double v : lsf.value) dc += v;
  for (int i = 0; i < o.curve_points; ++i) {
    const double f = 0.5 * i / (o.curve_points - 1);
    out.curve.push_back({f, mtf_value(lsf, dc, f, bin_px)});
  }
  const struct {
    double level;
    std::optional<double>* cy;
    std::optional<double>* lp;
    const char* name;
  } levels[] = {{0.5, &out.mtf50_cy_px, &out.mtf50_lp_mm, "mtf50"},
                {0.2, &out.mtf20_cy_px, &out.mtf20_lp_mm, "mtf20"},
                {0.1, &out.mtf10_cy_px, &out.mtf10_lp_mm, "mtf10"}};
  for (const auto& l : levels) {
    *l.cy = first_crossing(lsf, dc, bin_px, l.level);
    if (!*l.cy) {
      out.warnings.push_back(fmt::format("{} not reached below Nyquist (0.5 cy/px): MTF stays above {}", l.name,
                                         l.level));
      continue;
    }
    if (out.pixel_mm > 0.0) *l.lp = **l.cy / out.pixel_mm;
  }
}

Result<EdgeMtfResult> measure(const cv::Mat& image, const EdgeMtfOptions& o) {
  if (image.empty() || image.channels() != 1 ||
      (image.depth() != CV_8U && image.depth() != CV_16U && image.depth() != CV_32F))
    return fail(ErrorCode::input, "image must be one channel of 8-bit, 16-bit or 32-bit float pixels");
  if (auto ok = check_options(o); !ok) return tl::unexpected(ok.error());
  EdgeMtfResult out;
  out.roi = o.roi ? *o.roi : full_roi(image);
  if (auto ok = check_roi(image, out.roi); !ok) return tl::unexpected(ok.error());
  const cv::Mat roi_pixels = image(out.roi.rect());
  auto work = make_work_frame(roi_pixels, out.roi, o);
  if (!work) return tl::unexpected(work.error());
  out.orientation = work->orientation;
  out.edge_contrast = work->contrast;
  out.noise_sigma = work->noise_sigma;
  out.pixel_mm = out.orientation == 'v' ? o.pixel_mm_x : o.pixel_mm_y;
  check_saturation(roi_pixels, out);
  auto line = locate_edge(*work, out.roi);
  if (!line) return tl::unexpected(line.error());
  // Reported as the edge's rotation from its axis, + from +x towards +y (the phantom and
  // generator convention). The fit's slope is dx/dy for a near-vertical edge, and rotating +y by
  // θ gives (−sin θ, cos θ), hence the minus; the near-horizontal case (transposed) is dy/dx.
  out.edge_angle_deg = (out.orientation == 'v' ? -1.0 : 1.0) * std::atan(line->slope) * 180.0 / pi;
  if (auto ok = check_angle(out.edge_angle_deg, out); !ok) return tl::unexpected(ok.error());
  auto esf = bin_esf(*work, *line, o.bins_per_px, out.roi);
  if (!esf) return tl::unexpected(esf.error());
  const double half_width =
      std::min(std::max(o.lsf_window_half_width_px, 3.0 * rise_10_90_px(*esf)), esf->half_extent_px - 1.0);
  auto empty = fill_empty_bins(*esf, half_width);
  if (!empty) return tl::unexpected(empty.error().with_context(fmt::format("ROI {}", to_string(out.roi))));
  if (*empty > 0)
    out.warnings.push_back(fmt::format("empty bins: {} ESF bin(s) near the edge were interpolated", *empty));
  fill_mtf(windowed_lsf(*esf, half_width), esf->bin_px, o, out);
  return out;
}

}  // namespace

Result<EdgeMtfResult> measure_edge_mtf(const cv::Mat& image, const EdgeMtfOptions& options) {
  try {
    return measure(image, options);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::internal, fmt::format("edge MTF: OpenCV error: {}", e.what()));
  }
}

std::optional<double> mtf_at(const EdgeMtfResult& result, double f_cy_px) {
  const auto& c = result.curve;
  if (c.empty() || f_cy_px < c.front().f_cy_px || f_cy_px > c.back().f_cy_px) return std::nullopt;
  for (size_t i = 1; i < c.size(); ++i) {
    if (f_cy_px <= c[i].f_cy_px) {
      const double t = (f_cy_px - c[i - 1].f_cy_px) / (c[i].f_cy_px - c[i - 1].f_cy_px);
      return (1 - t) * c[i - 1].mtf + t * c[i].mtf;
    }
  }
  return c.back().mtf;
}

}  // namespace niikit::testkits
