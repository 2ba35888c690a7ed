#include "testkits/metrics/roi_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace niikit::testkits {

namespace {

struct Samples {
  std::vector<double> value;
  std::vector<double> x;  // column relative to the ROI origin
  std::vector<double> y;  // row relative to the ROI origin
};

Result<Samples> collect(const cv::Mat& image, const RoiPx& roi, const cv::Mat& mask) {
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "ROI statistics need a one-channel image");
  if (auto ok = check_roi(image, roi, roi_stats_min_side_px, roi_stats_min_side_px); !ok)
    return tl::unexpected(ok.error());
  if (!mask.empty() && (mask.type() != CV_8UC1 || mask.cols != roi.width_px || mask.rows != roi.height_px))
    return fail(ErrorCode::input, fmt::format("ROI {}: mask must be 8-bit and {} x {} px", to_string(roi),
                                              roi.width_px, roi.height_px));
  cv::Mat values;
  try {
    image(roi.rect()).convertTo(values, CV_64F);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::input, fmt::format("ROI {}: {}", to_string(roi), e.what()));
  }
  Samples s;
  s.value.reserve(static_cast<std::size_t>(roi.pixels()));
  for (int r = 0; r < values.rows; ++r) {
    const auto* row = values.ptr<double>(r);
    for (int c = 0; c < values.cols; ++c) {
      if (!mask.empty() && mask.at<unsigned char>(r, c) == 0) continue;
      s.value.push_back(row[c]);
      s.x.push_back(c);
      s.y.push_back(r);
    }
  }
  if (s.value.size() < 9)
    return fail(ErrorCode::input, fmt::format("ROI {}: mask selects {} px (at least 9 needed)", to_string(roi),
                                              s.value.size()));
  return s;
}

double median_of(std::vector<double> v) {
  const auto mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
}

// σ of the residuals of the least-squares plane a + b·x + c·y. Centring x and y decouples a
// from (b, c), leaving a 2 × 2 system; a degenerate geometry (one row or column) falls back to
// fewer terms.
double detrended_sigma_of(const Samples& s, double mean) {
  const auto n = static_cast<double>(s.value.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < s.value.size(); ++i) {
    mx += s.x[i];
    my += s.y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0.0, syy = 0.0, sxy = 0.0, sxz = 0.0, syz = 0.0;
  for (std::size_t i = 0; i < s.value.size(); ++i) {
    const double dx = s.x[i] - mx, dy = s.y[i] - my, dz = s.value[i] - mean;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
    sxz += dx * dz;
    syz += dy * dz;
  }
  const double det = sxx * syy - sxy * sxy;
  double b = 0.0, c = 0.0;
  if (det > 1e-12 * std::max(1.0, sxx * syy)) {
    b = (sxz * syy - syz * sxy) / det;
    c = (syz * sxx - sxz * sxy) / det;
  }
  double ss = 0.0;
  for (std::size_t i = 0; i < s.value.size(); ++i) {
    const double r = s.value[i] - mean - b * (s.x[i] - mx) - c * (s.y[i] - my);
    ss += r * r;
  }
  return std::sqrt(ss / (n - 3.0));
}

}  // namespace

std::string_view sigma_kind_name(SigmaKind kind) {
  switch (kind) {
    case SigmaKind::sample: return "sample";
    case SigmaKind::robust: return "robust";
    case SigmaKind::detrended: break;
  }
  return "detrended";
}

Result<RoiStats> measure_roi(const cv::Mat& image, const RoiPx& roi, const cv::Mat& mask) {
  auto samples = collect(image, roi, mask);
  if (!samples) return tl::unexpected(samples.error());
  const auto& v = samples->value;
  RoiStats st;
  st.pixel_count = static_cast<long long>(v.size());
  const auto n = static_cast<double>(v.size());
  double sum = 0.0;
  for (double x : v) sum += x;
  st.mean = sum / n;
  double ss = 0.0;
  for (double x : v) ss += (x - st.mean) * (x - st.mean);
  st.sigma = std::sqrt(ss / (n - 1.0));
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  st.min = *lo;
  st.max = *hi;
  st.median = median_of(v);
  std::vector<double> deviation(v.size());
  std::transform(v.begin(), v.end(), deviation.begin(), [&](double x) { return std::abs(x - st.median); });
  st.robust_sigma = 1.4826 * median_of(std::move(deviation));
  st.detrended_sigma = detrended_sigma_of(*samples, st.mean);
  if (st.sigma > 0.0) st.snr = st.mean / st.sigma;
  if (st.detrended_sigma > 0.0) st.snr_detrended = st.mean / st.detrended_sigma;
  return st;
}

Result<CnrResult> cnr_from_stats(const RoiStats& feature, const RoiStats& background, const CnrOptions& options) {
  if (!(options.rose_threshold > 0.0))
    return fail(ErrorCode::input, fmt::format("Rose threshold {:g}: must be > 0", options.rose_threshold));
  CnrResult r;
  r.feature = feature;
  r.background = background;
  r.sigma_kind = options.background_sigma;
  r.background_sigma = options.background_sigma == SigmaKind::sample   ? background.sigma
                       : options.background_sigma == SigmaKind::robust ? background.robust_sigma
                                                                        : background.detrended_sigma;
  if (!(r.background_sigma > 0.0))
    return fail(ErrorCode::input, fmt::format("background {} σ is zero: CNR undefined (constant or saturated region?)",
                                              sigma_kind_name(r.sigma_kind)));
  r.contrast = std::abs(feature.mean - background.mean);
  r.cnr = r.contrast / r.background_sigma;
  r.rose = r.cnr * std::sqrt(static_cast<double>(feature.pixel_count));
  r.rose_threshold = options.rose_threshold;
  r.visible = r.rose >= r.rose_threshold;
  return r;
}

Result<CnrResult> measure_cnr(const cv::Mat& image, const RoiPx& feature_roi, const RoiPx& background_roi,
                              const CnrOptions& options, const cv::Mat& feature_mask) {
  auto feature = with_context(measure_roi(image, feature_roi, feature_mask), "feature");
  if (!feature) return tl::unexpected(feature.error());
  auto background = with_context(measure_roi(image, background_roi), "background");
  if (!background) return tl::unexpected(background.error());
  return cnr_from_stats(*feature, *background, options);
}

}  // namespace niikit::testkits
