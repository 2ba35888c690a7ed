// Wire detection: Radon-style projection z-score and Gumbel threshold (see wire_detect.hpp).
#include "testkits/metrics/wire_detect.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include <fmt/format.h>

namespace niikit::testkits {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double euler_gamma = 0.57721566490153286;
constexpr double mad_to_sigma = 1.4826;

Status check_options(const WireDetectOptions& o) {
  auto bad = [](std::string what) { return fail(ErrorCode::input, "wire detection options: " + what); };
  if (!std::isfinite(o.nominal_angle_deg)) return bad("nominal_angle_deg must be finite");
  if (!(o.angle_half_range_deg >= 0 && o.angle_half_range_deg <= 20))
    return bad(fmt::format("angle_half_range_deg must be in [0, 20], got {}", o.angle_half_range_deg));
  if (!(o.angle_step_deg >= 0.01 && o.angle_step_deg <= 5))
    return bad(fmt::format("angle_step_deg must be in [0.01, 5], got {}", o.angle_step_deg));
  if (!(o.false_alarm_rate >= 1e-4 && o.false_alarm_rate <= 0.5))
    return bad(fmt::format("false_alarm_rate must be in [0.0001, 0.5], got {}", o.false_alarm_rate));
  if (o.background_order < 0 || o.background_order > 2)
    return bad(fmt::format("background_order must be 0, 1 or 2, got {}", o.background_order));
  if (o.profile_background_px != 0 &&
      (o.profile_background_px < 5 || o.profile_background_px > 501 || o.profile_background_px % 2 == 0))
    return bad(fmt::format("profile_background_px must be 0 or odd in [5, 501], got {}", o.profile_background_px));
  if (o.wire_width_px < 1 || o.wire_width_px > 51)
    return bad(fmt::format("wire_width_px must be in [1, 51], got {}", o.wire_width_px));
  if (o.exclusion_half_width_px < 0 || o.exclusion_half_width_px > 50)
    return bad(fmt::format("exclusion_half_width_px must be in [0, 50], got {}", o.exclusion_half_width_px));
  return {};
}

// Angle modulo 180° into (−90, 90].
double normalise_angle(double deg) {
  double a = std::fmod(deg, 180.0);
  if (a <= -90.0) a += 180.0;
  if (a > 90.0) a -= 180.0;
  return a;
}

// Subtracts the least-squares polynomial of total degree `order` in (x, y), on centred, scaled
// coordinates (at most 6 terms), solved through the normal equations.
cv::Mat remove_polynomial_background(const cv::Mat& roi, int order) {
  cv::Mat img;
  roi.convertTo(img, CV_64F);
  const int w = img.cols, h = img.rows;
  const int terms = order == 0 ? 1 : order == 1 ? 3 : 6;
  cv::Mat design(w * h, terms, CV_64F);
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
  const double sx = std::max(1.0, w / 2.0), sy = std::max(1.0, h / 2.0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double* b = design.ptr<double>(y * w + x);
      const double u = (x - cx) / sx, v = (y - cy) / sy;
      b[0] = 1;
      if (terms > 1) { b[1] = u; b[2] = v; }
      if (terms > 3) { b[3] = u * u; b[4] = u * v; b[5] = v * v; }
    }
  const cv::Mat values = img.reshape(1, w * h);  // shares img's pixels
  cv::Mat ata, coef;
  cv::mulTransposed(design, ata, true);
  const cv::Mat atb = design.t() * values;
  cv::solve(ata, atb, coef, cv::DECOMP_SVD);
  const cv::Mat fit = design * coef;
  cv::subtract(values, fit, values);
  return img;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  double m = *mid;
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), mid)) / 2.0;
  return m;
}

// Median and robust σ of `values`, leaving out indices within `exclude` of `centre` (centre < 0:
// none left out).
std::pair<double, double> robust_level(const std::vector<double>& values, int centre, int exclude) {
  std::vector<double> kept;
  kept.reserve(values.size());
  for (int i = 0; i < static_cast<int>(values.size()); ++i)
    if (centre < 0 || std::abs(i - centre) > exclude) kept.push_back(values[static_cast<std::size_t>(i)]);
  const double med = median_of(kept);
  for (double& k : kept) k = std::abs(k - med);
  return {med, mad_to_sigma * median_of(kept)};
}

std::vector<double> running_median(const std::vector<double>& v, int window) {
  const int n = static_cast<int>(v.size()), half = window / 2;
  std::vector<double> out(v.size());
  std::vector<double> buf;
  for (int i = 0; i < n; ++i) {
    const int lo = std::max(0, i - half), hi = std::min(n - 1, i + half);
    buf.assign(v.begin() + lo, v.begin() + hi + 1);
    out[static_cast<std::size_t>(i)] = median_of(buf);
  }
  return out;
}

std::vector<double> box_smooth(const std::vector<double>& v, int width) {
  const int n = static_cast<int>(v.size()), half = width / 2;
  std::vector<double> out(v.size());
  for (int i = 0; i < n; ++i) {
    const int lo = std::max(0, i - half), hi = std::min(n - 1, i - half + width - 1);
    double s = 0;
    for (int k = lo; k <= hi; ++k) s += v[static_cast<std::size_t>(k)];
    // Rescaled so white noise keeps unit σ after smoothing (sum of m values / √m).
    out[static_cast<std::size_t>(i)] = s / std::sqrt(static_cast<double>(hi - lo + 1));
  }
  return out;
}

struct AngleScore {
  double z = -1e300;
  double offset_px = 0;
  double contrast = 0;      // image units, expected polarity positive
  double noise_sigma = 0;   // robust σ of the √n-scaled profile, image units per pixel
};

// Strip mode of score_angle (options.resampled_strip): the σ of each bin's mean is measured from
// the spread of that bin over K segments along the strip (columns), pooled over off-peak bins.
AngleScore score_angle_strip(const cv::Mat& img, double angle_deg, const WireDetectOptions& o, int smax, int first, int n) {
  const int w = img.cols, h = img.rows;
  const int segs = std::clamp(w / 8, 3, 8);
  const double th = angle_deg * pi / 180.0;
  const double nx = -std::sin(th), ny = std::cos(th);
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
  const auto nb = static_cast<std::size_t>(n), ns = static_cast<std::size_t>(segs);
  std::vector<double> sum(nb * ns, 0.0);
  std::vector<int> count(nb * ns, 0);
  for (int y = 0; y < h; ++y) {
    const double* row = img.ptr<double>(y);
    const double base = (y - cy) * ny + smax + 0.5 - first;
    for (int x = 0; x < w; ++x) {
      const int b = static_cast<int>(std::floor(base + (x - cx) * nx));
      if (b < 0 || b >= n) continue;
      const auto k = static_cast<std::size_t>(b) * ns + static_cast<std::size_t>(x * segs / w);
      sum[k] += row[x];
      ++count[k];
    }
  }
  const double sign = o.wire_darker ? -1.0 : 1.0;
  std::vector<double> mean(nb, 0.0), var(nb, -1.0);
  for (std::size_t b = 0; b < nb; ++b) {
    double s_all = 0;
    int c_all = 0;
    bool every = true;
    std::vector<double> m(ns);
    for (std::size_t k = 0; k < ns; ++k) {
      s_all += sum[b * ns + k];
      c_all += count[b * ns + k];
      if (count[b * ns + k] == 0) every = false;
      else m[k] = sign * sum[b * ns + k] / count[b * ns + k];
    }
    mean[b] = c_all > 0 ? sign * s_all / c_all : 0.0;
    if (every) {
      const double mm = std::accumulate(m.begin(), m.end(), 0.0) / static_cast<double>(ns);
      double ss = 0;
      for (double v : m) ss += (v - mm) * (v - mm);
      var[b] = ss / static_cast<double>(ns - 1);
    }
  }
  if (o.profile_background_px > 0 && n > o.profile_background_px) {
    const auto bg = running_median(mean, o.profile_background_px);
    for (std::size_t i = 0; i < nb; ++i) mean[i] -= bg[i];
  }
  const int m_w = std::min(o.wire_width_px, n);
  const std::vector<double> test = m_w > 1 ? box_smooth(mean, m_w) : mean;  // sum / √m
  const int exclude = std::max(2, m_w);
  // The wire is expected on the strip's centre line: the peak is searched within ±exclude bins of it.
  int peak = -1;
  for (int i = 0; i < n; ++i)
    if (std::abs(first + i - smax) <= exclude && (peak < 0 || test[static_cast<std::size_t>(i)] > test[static_cast<std::size_t>(peak)]))
      peak = i;
  if (peak < 0) return AngleScore{};
  std::vector<double> off, off_var;
  for (int i = 0; i < n; ++i)
    if (std::abs(i - peak) > exclude) {
      off.push_back(test[static_cast<std::size_t>(i)]);
      if (var[static_cast<std::size_t>(i)] >= 0) off_var.push_back(var[static_cast<std::size_t>(i)]);
    }
  if (off_var.size() < 2)
    for (double v : var)
      if (v >= 0) off_var.push_back(v);
  AngleScore out;
  if (off_var.empty()) return out;
  const double pooled = median_of(off_var);  // robust to bins crossed by a cover edge
  const double sigma_mean = std::sqrt(pooled / static_cast<double>(segs));  // σ of one bin's mean
  if (!(sigma_mean > 0)) return out;
  const double level = off.empty() ? 0.0 : median_of(off);
  out.z = (test[static_cast<std::size_t>(peak)] - level) / sigma_mean;
  out.offset_px = first + peak - smax;
  std::vector<double> mean_off;
  for (int i = 0; i < n; ++i)
    if (std::abs(i - peak) > exclude) mean_off.push_back(mean[static_cast<std::size_t>(i)]);
  out.contrast = mean[static_cast<std::size_t>(peak)] - (mean_off.empty() ? 0.0 : median_of(mean_off));
  out.noise_sigma = sigma_mean * std::sqrt(static_cast<double>(w));
  return out;
}

// Steps 2–4 for one angle on the background-free ROI `img` (CV_64F).
AngleScore score_angle(const cv::Mat& img, double angle_deg, const WireDetectOptions& o) {
  const int w = img.cols, h = img.rows;
  const double th = angle_deg * pi / 180.0;
  const double nx = -std::sin(th), ny = std::cos(th);
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
  const int smax = static_cast<int>(std::ceil((std::abs(nx) * (w - 1) + std::abs(ny) * (h - 1)) / 2.0)) + 1;
  const int bins = 2 * smax + 1;
  std::vector<double> sum(static_cast<std::size_t>(bins), 0.0);
  std::vector<int> count(static_cast<std::size_t>(bins), 0);
  for (int y = 0; y < h; ++y) {
    const double* row = img.ptr<double>(y);
    const double base = (y - cy) * ny + smax + 0.5;
    for (int x = 0; x < w; ++x) {
      const auto b = static_cast<std::size_t>(std::floor(base + (x - cx) * nx));
      sum[b] += row[x];
      ++count[b];
    }
  }
  const int full = *std::max_element(count.begin(), count.end());
  int first = 0, last = bins - 1;
  while (first < bins && 2 * count[static_cast<std::size_t>(first)] < full) ++first;
  while (last > first && 2 * count[static_cast<std::size_t>(last)] < full) --last;
  const int n = last - first + 1;
  AngleScore out;
  if (n < 5) return out;
  if (o.resampled_strip) return score_angle_strip(img, angle_deg, o, smax, first, n);

  const double sign = o.wire_darker ? -1.0 : 1.0;
  std::vector<double> mean(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto b = static_cast<std::size_t>(first + i);
    mean[static_cast<std::size_t>(i)] = sign * sum[b] / count[b];
  }
  if (o.profile_background_px > 0 && n > o.profile_background_px) {
    const auto bg = running_median(mean, o.profile_background_px);
    for (int i = 0; i < n; ++i) mean[static_cast<std::size_t>(i)] -= bg[static_cast<std::size_t>(i)];
  }
  std::vector<double> scaled(mean.size());
  for (int i = 0; i < n; ++i)
    scaled[static_cast<std::size_t>(i)] =
        mean[static_cast<std::size_t>(i)] * std::sqrt(static_cast<double>(count[static_cast<std::size_t>(first + i)]));
  const std::vector<double> test = o.wire_width_px > 1 ? box_smooth(scaled, o.wire_width_px) : scaled;

  const int exclude = std::max(o.exclusion_half_width_px, o.wire_width_px);
  const int peak = static_cast<int>(std::max_element(test.begin(), test.end()) - test.begin());
  const auto [level, sigma] = robust_level(test, peak, exclude);
  if (!(sigma > 0)) return out;
  out.z = (test[static_cast<std::size_t>(peak)] - level) / sigma;
  out.offset_px = first + peak - smax;
  const auto [mean_level, mean_sigma] = robust_level(mean, peak, exclude);
  (void)mean_sigma;
  out.contrast = mean[static_cast<std::size_t>(peak)] - mean_level;
  out.noise_sigma = robust_level(scaled, peak, exclude).second;
  return out;
}

std::vector<std::string> roi_warnings(const cv::Mat& roi, const WireDetectOptions& o) {
  std::vector<std::string> warnings;
  if ((o.resampled_strip ? roi.cols : std::min(roi.cols, roi.rows)) < wire_roi_small_side_px)
    warnings.push_back(fmt::format("roi: {}x{} px is small (under {} px a side); the score is noisy", roi.cols, roi.rows,
                                   wire_roi_small_side_px));
  double top = 0;
  if (roi.depth() == CV_16U) top = 65535;
  if (roi.depth() == CV_8U) top = 255;
  if (top > 0) {
    const int saturated = cv::countNonZero(roi >= top);
    if (saturated > 0)
      warnings.push_back(fmt::format("saturated: {} px at {} (full scale)", saturated, static_cast<int>(top)));
  }
  const double a = std::abs(normalise_angle(o.nominal_angle_deg));
  const double to_axis = std::min(a, 90.0 - a);
  if (!o.resampled_strip && to_axis - o.angle_half_range_deg < 1.0)
    warnings.push_back(fmt::format(
        "angle: the search {:.2f}° ± {:.2f}° comes within 1° of a pixel axis; row/column artefacts can mimic a wire "
        "(slant wires 5–15°)",
        normalise_angle(o.nominal_angle_deg), o.angle_half_range_deg));
  return warnings;
}

}  // namespace

GumbelFit fit_gumbel_moments(std::span<const double> maxima) {
  GumbelFit fit;
  if (maxima.empty()) return fit;
  const double n = static_cast<double>(maxima.size());
  const double mean = std::accumulate(maxima.begin(), maxima.end(), 0.0) / n;
  double ss = 0;
  for (double m : maxima) ss += (m - mean) * (m - mean);
  const double sigma = maxima.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  fit.scale = sigma * std::sqrt(6.0) / pi;
  fit.location = mean - euler_gamma * fit.scale;
  return fit;
}

double gumbel_quantile(const GumbelFit& fit, double q) { return fit.location - fit.scale * std::log(-std::log(q)); }

Result<WireScore> score_wire(const cv::Mat& roi_image, const WireDetectOptions& options) {
  if (auto ok = check_options(options); !ok) return tl::unexpected(ok.error());
  if (roi_image.empty()) return fail(ErrorCode::input, "wire ROI: empty image");
  if (roi_image.channels() != 1) return fail(ErrorCode::input, "wire ROI: image must have one channel");
  if (roi_image.depth() != CV_8U && roi_image.depth() != CV_16U && roi_image.depth() != CV_32F &&
      roi_image.depth() != CV_64F)
    return fail(ErrorCode::input, "wire ROI: pixel type must be 8/16-bit unsigned or 32/64-bit float");
  if (std::min(roi_image.cols, roi_image.rows) < wire_roi_min_side_px)
    return fail(ErrorCode::input, fmt::format("wire ROI {}x{} px: too small (at least {} x {} px)", roi_image.cols,
                                              roi_image.rows, wire_roi_min_side_px, wire_roi_min_side_px));
  const cv::Mat img = remove_polynomial_background(roi_image, options.background_order);
  if (!cv::checkRange(img)) return fail(ErrorCode::input, "wire ROI: contains NaN or infinite values");

  WireScore result;
  result.warnings = roi_warnings(roi_image, options);
  const int steps = static_cast<int>(std::floor(2 * options.angle_half_range_deg / options.angle_step_deg + 1e-9));
  AngleScore best;
  double best_angle = options.nominal_angle_deg;
  for (int k = 0; k <= steps; ++k) {
    const double angle = options.nominal_angle_deg - options.angle_half_range_deg + k * options.angle_step_deg;
    const AngleScore s = score_angle(img, angle, options);
    if (s.z > best.z) {
      best = s;
      best_angle = angle;
    }
  }
  result.angles_searched = steps + 1;
  if (best.z < -1e299 || !(best.noise_sigma > 0))
    return fail(ErrorCode::input, fmt::format("wire ROI {}x{} px: no noise to score against (flat or too few pixels)",
                                              roi_image.cols, roi_image.rows));
  result.score = best.z;
  result.angle_deg = normalise_angle(best_angle);
  result.offset_px = best.offset_px;
  const double th = best_angle * pi / 180.0;
  result.x_px = (roi_image.cols - 1) / 2.0 - best.offset_px * std::sin(th);
  result.y_px = (roi_image.rows - 1) / 2.0 + best.offset_px * std::cos(th);
  result.contrast = best.contrast;
  const double roi_mean = cv::mean(roi_image)[0];
  result.contrast_rel = roi_mean != 0 ? best.contrast / roi_mean : 0.0;
  result.noise_sigma = best.noise_sigma;
  return result;
}

Result<WireScore> detect_wire(const cv::Mat& roi_image, const WireDetectOptions& options, const WireThreshold& threshold) {
  if (!(threshold.scale > 0) || !std::isfinite(threshold.threshold))
    return fail(ErrorCode::input, "wire threshold: not calibrated (scale must be > 0)");
  auto score = score_wire(roi_image, options);
  if (!score) return score;
  score->threshold = threshold;
  score->false_alarm_rate = threshold.false_alarm_rate;
  score->detected = score->score >= threshold.threshold;
  if (threshold.roi_width_px != roi_image.cols || threshold.roi_height_px != roi_image.rows ||
      std::abs(threshold.angle_half_range_deg - options.angle_half_range_deg) > 1e-9 ||
      std::abs(threshold.angle_step_deg - options.angle_step_deg) > 1e-9)
    score->warnings.push_back(fmt::format(
        "calibration: threshold made for {}x{} px, ±{}° step {}° but used on {}x{} px, ±{}° step {}°; the false-alarm "
        "rate is not the requested one",
        threshold.roi_width_px, threshold.roi_height_px, threshold.angle_half_range_deg, threshold.angle_step_deg,
        roi_image.cols, roi_image.rows, options.angle_half_range_deg, options.angle_step_deg));
  return score;
}

Result<WireScore> detect_wire(const cv::Mat& image, const RoiPx& roi, const WireDetectOptions& options,
                              const WireThreshold& threshold) {
  if (auto ok = check_roi(image, roi, wire_roi_min_side_px, wire_roi_min_side_px); !ok)
    return tl::unexpected(ok.error());
  auto score = detect_wire(image(roi.rect()), options, threshold);
  if (!score) return tl::unexpected(score.error().with_context("ROI " + to_string(roi)));
  score->x_px += roi.x_px;
  score->y_px += roi.y_px;
  return score;
}

namespace {

Result<WireThreshold> threshold_from_scores(const std::vector<double>& scores, const WireDetectOptions& options,
                                            cv::Size roi_size, std::string source, std::uint64_t seed) {
  const GumbelFit fit = fit_gumbel_moments(scores);
  if (!(fit.scale > 0))
    return fail(ErrorCode::input, "wire calibration: the wire-free scores do not vary (identical ROIs?)");
  WireThreshold t;
  t.location = fit.location;
  t.scale = fit.scale;
  t.false_alarm_rate = options.false_alarm_rate;
  t.threshold = gumbel_quantile(fit, 1.0 - options.false_alarm_rate);
  t.samples = static_cast<int>(scores.size());
  t.source = std::move(source);
  t.seed = seed;
  t.roi_width_px = roi_size.width;
  t.roi_height_px = roi_size.height;
  t.angle_half_range_deg = options.angle_half_range_deg;
  t.angle_step_deg = options.angle_step_deg;
  t.score_sigma = fit.scale * pi / std::sqrt(6.0);
  t.score_mean = fit.location + euler_gamma * fit.scale;
  return t;
}

}  // namespace

Result<WireThreshold> calibrate_wire_threshold_noise(cv::Size roi_size, const WireDetectOptions& options, int samples,
                                                     std::uint64_t seed) {
  if (auto ok = check_options(options); !ok) return tl::unexpected(ok.error());
  if (samples < 20 || samples > 100000)
    return fail(ErrorCode::input, fmt::format("wire calibration: samples must be in [20, 100000], got {}", samples));
  if (std::min(roi_size.width, roi_size.height) < wire_roi_min_side_px || roi_size.width > 4096 ||
      roi_size.height > 4096)
    return fail(ErrorCode::input, fmt::format("wire calibration: ROI {}x{} px out of range ({} to 4096 px a side)",
                                              roi_size.width, roi_size.height, wire_roi_min_side_px));
  cv::RNG rng(seed);
  cv::Mat noise(roi_size, CV_32F);
  std::vector<double> scores;
  scores.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    rng.fill(noise, cv::RNG::NORMAL, 1000.0, 10.0);
    auto s = score_wire(noise, options);
    if (!s) return tl::unexpected(s.error().with_context("wire calibration"));
    scores.push_back(s->score);
  }
  return threshold_from_scores(scores, options, roi_size, "noise-simulation", seed);
}

Result<WireThreshold> calibrate_wire_threshold_rois(const std::vector<cv::Mat>& wire_free_rois,
                                                    const WireDetectOptions& options) {
  if (wire_free_rois.size() < 10)
    return fail(ErrorCode::input, fmt::format("wire calibration: at least 10 wire-free ROIs needed, got {}",
                                              wire_free_rois.size()));
  std::vector<double> scores;
  scores.reserve(wire_free_rois.size());
  for (std::size_t i = 0; i < wire_free_rois.size(); ++i) {
    auto s = score_wire(wire_free_rois[i], options);
    if (!s) return tl::unexpected(s.error().with_context(fmt::format("wire calibration ROI {}", i + 1)));
    scores.push_back(s->score);
  }
  return threshold_from_scores(scores, options, wire_free_rois.front().size(), "wire-free-rois", 0);
}

Result<cv::Mat> sample_wire_strip(const cv::Mat& image, cv::Point2d start_px, cv::Point2d end_px, double half_width_px) {
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "wire strip: image must be non-empty, one channel");
  const cv::Point2d v = end_px - start_px;
  const double len = std::hypot(v.x, v.y);
  if (!std::isfinite(len) || len < wire_roi_min_side_px)
    return fail(ErrorCode::input, fmt::format("wire strip: segment {:.1f} px long (at least {} px)", len, wire_roi_min_side_px));
  if (!(half_width_px >= 4) || !std::isfinite(half_width_px))
    return fail(ErrorCode::input, fmt::format("wire strip: half width {} px (at least 4 px)", half_width_px));
  const int cols = static_cast<int>(std::lround(len)), hw = static_cast<int>(std::lround(half_width_px));
  const int rows = 2 * hw + 1;
  const cv::Point2d d = v / len, nrm(-d.y, d.x);
  const cv::Point2d origin = start_px - nrm * static_cast<double>(hw);  // strip pixel (0, 0)
  for (const cv::Point2d c : {origin, origin + d * static_cast<double>(cols - 1), origin + nrm * static_cast<double>(rows - 1),
                              origin + d * static_cast<double>(cols - 1) + nrm * static_cast<double>(rows - 1)})
    if (c.x < 0 || c.y < 0 || c.x > image.cols - 1 || c.y > image.rows - 1)
      return fail(ErrorCode::input, fmt::format("wire strip: corner ({:.1f}, {:.1f}) px outside the {}x{} image", c.x, c.y,
                                                image.cols, image.rows));
  // Destination (u, v) → source origin + u·d + v·n (inverse map).
  const cv::Matx23d m(d.x, nrm.x, origin.x, d.y, nrm.y, origin.y);
  cv::Mat strip;
  cv::warpAffine(image, strip, m, cv::Size(cols, rows), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  if (strip.depth() != CV_32F) strip.convertTo(strip, CV_32F);
  return strip;
}

Result<std::vector<cv::Mat>> tile_calibration_rois(const cv::Mat& image, std::span<const RoiPx> areas, cv::Size window) {
  if (window.width < wire_roi_min_side_px || window.height < wire_roi_min_side_px)
    return fail(ErrorCode::input, fmt::format("wire calibration: window {}x{} px too small", window.width, window.height));
  std::vector<cv::Mat> tiles;
  for (const RoiPx& area : areas) {
    if (auto ok = check_roi(image, area, window.width, window.height); !ok)
      return tl::unexpected(ok.error().with_context("calibration area"));
    const int step_x = std::max(1, window.width / 2), step_y = std::max(1, window.height / 2);
    for (int y = area.y_px; y + window.height <= area.y_px + area.height_px; y += step_y)
      for (int x = area.x_px; x + window.width <= area.x_px + area.width_px; x += step_x)
        tiles.push_back(image(cv::Rect(x, y, window.width, window.height)));
  }
  return tiles;
}

}  // namespace niikit::testkits
