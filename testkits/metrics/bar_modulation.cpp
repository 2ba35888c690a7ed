// Bar-group modulation: profile, joint trend + fundamental fit, period search. See the header.
#include "testkits/metrics/bar_modulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace niikit::testkits {

namespace {

struct SineFit {
  double a = 0.0, b = 0.0, c = 0.0, s = 0.0;
  double rss = 0.0;
  bool ok = false;
};

// Least squares p(i) ≈ a + b·(i − centre) + c·cos(ωi) + s·sin(ωi), ω = 2π / period.
SineFit fit_sine(const std::vector<double>& p, double period) {
  const int n = static_cast<int>(p.size());
  const double centre = 0.5 * (n - 1);
  const double w = 2.0 * std::numbers::pi / period;
  cv::Mat ata = cv::Mat::zeros(4, 4, CV_64F), atb = cv::Mat::zeros(4, 1, CV_64F);
  for (int i = 0; i < n; ++i) {
    const double row[4] = {1.0, i - centre, std::cos(w * i), std::sin(w * i)};
    for (int r = 0; r < 4; ++r) {
      atb.at<double>(r) += row[r] * p[static_cast<std::size_t>(i)];
      for (int c = 0; c < 4; ++c) ata.at<double>(r, c) += row[r] * row[c];
    }
  }
  cv::Mat x;
  SineFit f;
  if (!cv::solve(ata, atb, x, cv::DECOMP_SVD)) return f;
  f = {x.at<double>(0), x.at<double>(1), x.at<double>(2), x.at<double>(3), 0.0, true};
  for (int i = 0; i < n; ++i) {
    const double model = f.a + f.b * (i - centre) + f.c * std::cos(w * i) + f.s * std::sin(w * i);
    const double e = p[static_cast<std::size_t>(i)] - model;
    f.rss += e * e;
  }
  return f;
}

// The period in [0.7, 1.3]·nominal with the smallest residual: grid, then golden section.
double measure_period(const std::vector<double>& p, double nominal) {
  const double lo = std::max(bar_min_pitch_px * 0.9, 0.7 * nominal), hi = 1.3 * nominal;
  constexpr int steps = 240;
  double best = nominal, best_rss = fit_sine(p, nominal).rss;
  for (int k = 0; k <= steps; ++k) {
    const double period = lo + (hi - lo) * k / steps;
    const double rss = fit_sine(p, period).rss;
    if (rss < best_rss) best_rss = rss, best = period;
  }
  const double step = (hi - lo) / steps;
  double a = std::max(lo, best - step), b = std::min(hi, best + step);
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  for (int it = 0; it < 40; ++it) {
    const double x1 = b - g * (b - a), x2 = a + g * (b - a);
    if (fit_sine(p, x1).rss < fit_sine(p, x2).rss) b = x2;
    else a = x1;
  }
  return 0.5 * (a + b);
}

std::vector<double> bar_profile(const cv::Mat& image, const RoiPx& roi, BarOrientation o) {
  cv::Mat region;
  image(roi.rect()).convertTo(region, CV_64F);
  cv::Mat reduced;
  // Bars vertical: average each column (over rows) → profile along x.
  if (o == BarOrientation::vertical) cv::reduce(region, reduced, 0, cv::REDUCE_AVG, CV_64F);
  else cv::reduce(region, reduced, 1, cv::REDUCE_AVG, CV_64F);
  return std::vector<double>(reduced.begin<double>(), reduced.end<double>());
}

// Mean of per-period maxima and minima of the detrended profile (trend centre level added back).
double extremes_modulation(const std::vector<double>& p, const SineFit& f, double period) {
  const int n = static_cast<int>(p.size());
  const double centre = 0.5 * (n - 1);
  double sum_max = 0.0, sum_min = 0.0;
  int windows = 0;
  for (double start = 0.0; start + period <= n + 1e-9; start += period, ++windows) {
    double mx = -1e300, mn = 1e300;
    for (int i = static_cast<int>(std::ceil(start)); i < std::min(n, static_cast<int>(std::ceil(start + period))); ++i) {
      const double v = p[static_cast<std::size_t>(i)] - f.b * (i - centre);
      mx = std::max(mx, v);
      mn = std::min(mn, v);
    }
    sum_max += mx;
    sum_min += mn;
  }
  if (windows == 0 || sum_max + sum_min <= 0) return 0.0;
  return std::abs(sum_max - sum_min) / (sum_max + sum_min);
}

Status check_options(const cv::Mat& image, const BarOptions& o) {
  if (!std::isfinite(o.pitch_px) || o.pitch_px < bar_min_pitch_px)
    return fail(ErrorCode::input, fmt::format("bar pitch {:g} px is above Nyquist (pitch < {:g} px)", o.pitch_px,
                                              bar_min_pitch_px));
  if (!(o.threshold > 0.0 && o.threshold <= 1.0))
    return fail(ErrorCode::input, fmt::format("threshold {:g}: must be in (0, 1]", o.threshold));
  if (o.bar_count < 0) return fail(ErrorCode::input, "bar count must be ≥ 0");
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "bar modulation needs a one-channel image");
  return check_roi(image, o.roi, 2, 2);
}

}  // namespace

std::string_view bar_orientation_name(BarOrientation o) {
  switch (o) {
    case BarOrientation::vertical: return "vertical";
    case BarOrientation::horizontal: return "horizontal";
    case BarOrientation::automatic: return "auto";
  }
  return "auto";
}

Result<BarOrientation> parse_bar_orientation(std::string_view text) {
  if (text == "vertical") return BarOrientation::vertical;
  if (text == "horizontal") return BarOrientation::horizontal;
  if (text == "auto") return BarOrientation::automatic;
  return fail(ErrorCode::usage, fmt::format("--orientation {}: expected vertical, horizontal or auto", text));
}

BarOrientation detect_bar_orientation(const cv::Mat& image, const RoiPx& roi) {
  cv::Mat region;
  image(roi.rect()).convertTo(region, CV_64F);
  double ex = 0.0, ey = 0.0;
  if (region.cols > 1) ex = cv::norm(region.colRange(1, region.cols) - region.colRange(0, region.cols - 1), cv::NORM_L2SQR) / (region.cols - 1);
  if (region.rows > 1) ey = cv::norm(region.rowRange(1, region.rows) - region.rowRange(0, region.rows - 1), cv::NORM_L2SQR) / (region.rows - 1);
  return ex >= ey ? BarOrientation::vertical : BarOrientation::horizontal;
}

Result<BarResult> measure_bars(const cv::Mat& image, const BarOptions& o) {
  if (auto ok = check_options(image, o); !ok) return tl::unexpected(ok.error());
  BarResult r;
  r.orientation = o.orientation == BarOrientation::automatic ? detect_bar_orientation(image, o.roi) : o.orientation;
  r.profile = bar_profile(image, o.roi, r.orientation);
  const double length = static_cast<double>(r.profile.size());
  if (length < 2.0 * o.pitch_px)
    return fail(ErrorCode::input, fmt::format("ROI {}: profile of {} px is shorter than two pitches ({:g} px)",
                                              to_string(o.roi), r.profile.size(), 2.0 * o.pitch_px));
  const SineFit f = fit_sine(r.profile, o.pitch_px);
  if (!f.ok) return fail(ErrorCode::internal, "bar modulation: sinusoid fit failed");
  if (!(f.a > 0.0)) return fail(ErrorCode::input, fmt::format("ROI {}: background level {:g} ≤ 0", to_string(o.roi), f.a));
  r.nominal_pitch_px = o.pitch_px;
  r.threshold = o.threshold;
  r.background = f.a;
  r.amplitude = std::hypot(f.c, f.s);
  r.modulation = r.amplitude / f.a;
  r.modulation_extremes = extremes_modulation(r.profile, f, o.pitch_px);
  r.resolved = r.modulation >= o.threshold;
  r.measured_pitch_px = measure_period(r.profile, o.pitch_px);
  const double dev = std::abs(r.measured_pitch_px - o.pitch_px) / o.pitch_px;
  if (dev > bar_pitch_warn_fraction)
    r.warnings.push_back(fmt::format("period {:.3g} px differs from nominal {:g} px by {:.0f} %", r.measured_pitch_px,
                                     o.pitch_px, 100.0 * dev));
  if (o.bar_count > 0 && length < (o.bar_count - 0.5) * o.pitch_px)
    r.warnings.push_back(fmt::format("ROI covers {:g} px, less than the {} bars at pitch {:g} px", length,
                                     o.bar_count, o.pitch_px));
  return r;
}

}  // namespace niikit::testkits
