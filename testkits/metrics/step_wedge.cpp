// Step wedge / penetration statistics; see step_wedge.hpp and docs/methods/step-wedge.md.
#include "testkits/metrics/step_wedge.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace niikit::testkits {

namespace {

// The ROI as doubles with the least-squares plane a + b·x + c·y removed. On a full rectangle
// the centred x and y are orthogonal, so b and c are independent 1-D regressions.
cv::Mat detrended_residuals(const cv::Mat& image, const RoiPx& roi) {
  cv::Mat z;
  image(roi.rect()).convertTo(z, CV_64F);
  const double mean = cv::mean(z)[0];
  const double cx = (z.cols - 1) / 2.0, cy = (z.rows - 1) / 2.0;
  double sxz = 0.0, syz = 0.0, sxx = 0.0, syy = 0.0;
  for (int r = 0; r < z.rows; ++r)
    for (int c = 0; c < z.cols; ++c) {
      const double dx = c - cx, dy = r - cy, v = z.at<double>(r, c) - mean;
      sxz += dx * v;
      syz += dy * v;
      sxx += dx * dx;
      syy += dy * dy;
    }
  const double b = sxx > 0.0 ? sxz / sxx : 0.0, k = syy > 0.0 ? syz / syy : 0.0;
  for (int r = 0; r < z.rows; ++r)
    for (int c = 0; c < z.cols; ++c) z.at<double>(r, c) -= mean + b * (c - cx) + k * (r - cy);
  return z;
}

// The ROI as doubles with the least-squares degree-2 surface (1, x, y, x², x·y, y²) removed.
cv::Mat quadratic_residuals(const cv::Mat& image, const RoiPx& roi) {
  cv::Mat z;
  image(roi.rect()).convertTo(z, CV_64F);
  const double cx = (z.cols - 1) / 2.0, cy = (z.rows - 1) / 2.0;
  const double sx = std::max(1.0, cx), sy = std::max(1.0, cy);  // scaled to [−1, 1]: well conditioned
  cv::Mat design(static_cast<int>(z.total()), 6, CV_64F), values(static_cast<int>(z.total()), 1, CV_64F);
  int i = 0;
  for (int r = 0; r < z.rows; ++r)
    for (int c = 0; c < z.cols; ++c, ++i) {
      const double u = (c - cx) / sx, v = (r - cy) / sy;
      double* row = design.ptr<double>(i);
      row[0] = 1, row[1] = u, row[2] = v, row[3] = u * u, row[4] = u * v, row[5] = v * v;
      values.at<double>(i) = z.at<double>(r, c);
    }
  cv::Mat coef;
  cv::solve(design, values, coef, cv::DECOMP_SVD);
  const cv::Mat fitted = design * coef;
  i = 0;
  for (int r = 0; r < z.rows; ++r)
    for (int c = 0; c < z.cols; ++c, ++i) z.at<double>(r, c) -= fitted.at<double>(i);
  return z;
}

// σ of the ROI's residuals about its degree-2 surface (n − 6 dof): the pixel noise without the
// smooth signal (glare, gain shading) under it.
double quadratic_sigma(const cv::Mat& image, const RoiPx& roi) {
  const cv::Mat res = quadratic_residuals(image, roi);
  const double n = static_cast<double>(res.total());
  return n > 6 ? std::sqrt(res.dot(res) / (n - 6)) : 0.0;
}

// Lag-`lag` autocorrelation of the residuals along x (dx = lag) or y (dy = lag): mean product
// of the pairs over the mean square. 0 when there are no pairs or no variance.
double autocorrelation(const cv::Mat& res, int dx, int dy) {
  double products = 0.0, squares = 0.0;
  long long pairs = 0;
  for (int r = 0; r < res.rows; ++r)
    for (int c = 0; c < res.cols; ++c) {
      const double v = res.at<double>(r, c);
      squares += v * v;
      if (r + dy < res.rows && c + dx < res.cols) {
        products += v * res.at<double>(r + dy, c + dx);
        ++pairs;
      }
    }
  if (pairs == 0 || squares <= 0.0) return 0.0;
  return (products / static_cast<double>(pairs)) / (squares / static_cast<double>(res.total()));
}

// 1 + 2 Σ ρ_k over the initial positive sequence of lags 1, 2 (negative values stop the sum).
double axis_inflation(double rho1, double rho2) {
  if (rho1 <= 0.0) return 1.0;
  return 1.0 + 2.0 * (rho1 + std::max(rho2, 0.0));
}

struct TypeLimits {
  double min = 0.0;
  std::optional<double> max;  // empty for floating-point images
};

TypeLimits type_limits(int depth) {
  switch (depth) {
    case CV_8U: return {0.0, 255.0};
    case CV_8S: return {-128.0, 127.0};
    case CV_16U: return {0.0, 65535.0};
    case CV_16S: return {-32768.0, 32767.0};
    case CV_32S: return {-2147483648.0, 2147483647.0};
    default: return {0.0, std::nullopt};
  }
}

struct Clipping {
  double at_min = 0.0;  // fraction of pixels at or below the type minimum (0 for floats)
  double at_max = 0.0;  // fraction at or above the type maximum
};

Clipping clipping(const cv::Mat& image, const RoiPx& roi) {
  const auto limits = type_limits(image.depth());
  cv::Mat z;
  image(roi.rect()).convertTo(z, CV_64F);
  const auto n = static_cast<double>(z.total());
  const auto low = static_cast<double>(cv::countNonZero(z <= limits.min));
  const auto high = limits.max ? static_cast<double>(cv::countNonZero(z >= *limits.max)) : 0.0;
  return {low / n, high / n};
}

Result<double> parse_positive(std::string_view text, std::string_view option, std::string_view whole) {
  double v = 0.0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v) || v <= 0.0)
    return fail(ErrorCode::usage, fmt::format("{} {}: thickness '{}' is not a positive number of mm", option, whole,
                                              text));
  return v;
}

std::optional<double> two_sided_p(double t, double dof) {
  if (!std::isfinite(t) || !std::isfinite(dof) || dof <= 0.0) return std::nullopt;
  const boost::math::students_t dist(dof);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

bool is_starved(const StepResult& s, const StepWedgeOptions& o, const Clipping& ct, const Clipping& cb) {
  const auto low = [&](const RoiStats& st) {
    const double sigma = o.dark_sigma > 0.0 ? o.dark_sigma : st.detrended_sigma;
    return st.mean - o.floor < o.starved_k * sigma;
  };
  return low(s.target) || low(s.background) || ct.at_min >= o.clipped_fraction || cb.at_min >= o.clipped_fraction;
}

// The t statistics, n_eff and p-value of one step whose ROI statistics are filled in.
void fill_statistics(StepResult& s) {
  const auto nt = static_cast<double>(s.target.pixel_count);
  const double nb = s.local_background ? std::max(2.0, s.background_equivalent_n)
                                       : static_cast<double>(s.background.pixel_count);
  s.n_eff_target = std::clamp(nt / s.neff.inflation, 2.0, nt);
  s.n_eff_background = std::clamp(nb / s.neff.inflation, 2.0, nb);
  const double vt = s.target.detrended_sigma * s.target.detrended_sigma;
  const double vb = s.background.detrended_sigma * s.background.detrended_sigma;
  const double diff = s.target.mean - s.background.mean;
  const double a = vt / s.n_eff_target, b = vb / s.n_eff_background;
  s.t_welch = diff / std::sqrt(a + b);
  s.t_naive = diff / std::sqrt(vt / nt + vb / nb);
  s.dof = (a + b) * (a + b) / (a * a / (s.n_eff_target - 1.0) + b * b / (s.n_eff_background - 1.0));
  s.p_value = two_sided_p(s.t_welch, s.dof);
}

// Local background (WedgeStep::background_other_side): the plane a + b·x + c·y over both
// references' pixels (x, y in image px relative to the target's centroid, so the level at the
// centroid is a and its variance factor is (XᵀX)⁻¹[0][0]).
struct LocalBackground {
  double level = 0.0;     // the plane at the target's centroid
  double sigma = 0.0;     // residual σ about the plane, n − 3 dof
  double leverage = 0.0;  // (XᵀX)⁻¹[0][0]: Var(level) = σ² · leverage
  long long n = 0;
};

Result<LocalBackground> local_background(const cv::Mat& image, const RoiPx& target, const RoiPx& a, const RoiPx& b) {
  const double tx = target.x_px + (target.width_px - 1) / 2.0, ty = target.y_px + (target.height_px - 1) / 2.0;
  const int n = static_cast<int>(a.pixels() + b.pixels());
  cv::Mat design(n, 3, CV_64F), values(n, 1, CV_64F);
  int i = 0;
  for (const RoiPx* roi : {&a, &b}) {
    cv::Mat z;
    image(roi->rect()).convertTo(z, CV_64F);
    for (int r = 0; r < z.rows; ++r)
      for (int c = 0; c < z.cols; ++c, ++i) {
        double* row = design.ptr<double>(i);
        row[0] = 1, row[1] = roi->x_px + c - tx, row[2] = roi->y_px + r - ty;
        values.at<double>(i) = z.at<double>(r, c);
      }
  }
  const cv::Mat normal = design.t() * design;
  cv::Mat inverse;
  if (cv::invert(normal, inverse, cv::DECOMP_SVD) <= 0.0 || n <= 3)
    return fail(ErrorCode::input, "local background: the reference ROIs do not span a plane");
  const cv::Mat coef = inverse * (design.t() * values);
  const cv::Mat residual = values - design * coef;
  LocalBackground out;
  out.level = coef.at<double>(0);
  out.sigma = std::sqrt(residual.dot(residual) / (n - 3));
  out.leverage = inverse.at<double>(0, 0);
  out.n = n;
  return out;
}

// Noise-correlation inflation for the local model: ρ on degree-2 residuals of each ROI,
// averaged over the references weighted by their pixel counts.
Result<NeffEstimate> local_inflation(const cv::Mat& image, const RoiPx& a, const RoiPx& b) {
  auto ea = effective_sample_size(image, a, 2);
  if (!ea) return tl::unexpected(ea.error());
  auto eb = effective_sample_size(image, b, 2);
  if (!eb) return tl::unexpected(eb.error());
  const double wa = static_cast<double>(ea->n), wb = static_cast<double>(eb->n), w = wa + wb;
  NeffEstimate e;
  e.n = ea->n + eb->n;
  e.rho_x1 = (wa * ea->rho_x1 + wb * eb->rho_x1) / w;
  e.rho_x2 = (wa * ea->rho_x2 + wb * eb->rho_x2) / w;
  e.rho_y1 = (wa * ea->rho_y1 + wb * eb->rho_y1) / w;
  e.rho_y2 = (wa * ea->rho_y2 + wb * eb->rho_y2) / w;
  e.inflation = axis_inflation(e.rho_x1, e.rho_x2) * axis_inflation(e.rho_y1, e.rho_y2);
  e.n_eff = std::clamp(static_cast<double>(e.n) / e.inflation, 2.0, static_cast<double>(e.n));
  return e;
}

Result<StepResult> measure_step(const cv::Mat& image, const WedgeStep& step, const StepWedgeOptions& o) {
  const std::string name = fmt::format("step {:g} mm", step.thickness_mm);
  if (!std::isfinite(step.thickness_mm) || step.thickness_mm <= 0.0)
    return fail(ErrorCode::input, name + ": thickness must be > 0");
  StepResult s;
  s.thickness_mm = step.thickness_mm;
  s.target_roi = step.target;
  s.background_roi = step.background;
  auto target = with_context(measure_roi(image, step.target), name + ": target ROI");
  if (!target) return tl::unexpected(target.error());
  auto background = with_context(measure_roi(image, step.background), name + ": background ROI");
  if (!background) return tl::unexpected(background.error());
  if (background->detrended_sigma <= 0.0)
    return fail(ErrorCode::input, name + ": background ROI has no noise (detrended sigma 0), CNR undefined");
  s.target = *target;
  s.background = *background;
  if (step.background_other_side) {
    auto other = with_context(measure_roi(image, *step.background_other_side), name + ": second background ROI");
    if (!other) return tl::unexpected(other.error());
    auto model = with_context(local_background(image, step.target, step.background, *step.background_other_side), name);
    if (!model) return tl::unexpected(model.error());
    if (model->sigma <= 0.0)
      return fail(ErrorCode::input, name + ": background ROIs have no noise (residual sigma 0), CNR undefined");
    auto neff = local_inflation(image, step.background, *step.background_other_side);
    if (!neff) return tl::unexpected(neff.error());
    s.neff = *neff;
    s.local_background = true;
    s.background_other_roi = *step.background_other_side;
    s.background_equivalent_n = 1.0 / model->leverage;
    // Noise σ from each ROI's degree-2 residuals (pooled over the references): the plane's
    // residuals would also hold the smooth glare's curvature and deflate t.
    const double na = static_cast<double>(step.background.pixels()), nb2 = static_cast<double>(step.background_other_side->pixels());
    const double sa = quadratic_sigma(image, step.background), sb = quadratic_sigma(image, *step.background_other_side);
    s.background.mean = model->level;
    s.background.detrended_sigma = std::sqrt((na * sa * sa + nb2 * sb * sb) / (na + nb2));
    s.background.pixel_count = model->n;
    s.target.detrended_sigma = quadratic_sigma(image, step.target);
  } else {
    auto neff = effective_sample_size(image, step.background);
    if (!neff) return tl::unexpected(neff.error());
    s.neff = *neff;
  }
  s.contrast = std::fabs(s.target.mean - s.background.mean);
  s.cnr = s.contrast / s.background.detrended_sigma;
  fill_statistics(s);
  s.pass = o.rule == StepRule::welch_t ? std::fabs(s.t_welch) >= o.threshold : s.cnr >= o.threshold;
  const auto ct = clipping(image, step.target);
  auto cb = clipping(image, step.background);
  if (step.background_other_side) {
    const auto cb2 = clipping(image, *step.background_other_side);
    cb = {std::max(cb.at_min, cb2.at_min), std::max(cb.at_max, cb2.at_max)};
  }
  s.starved = is_starved(s, o, ct, cb);
  s.saturated = ct.at_max >= o.clipped_fraction || cb.at_max >= o.clipped_fraction;
  return s;
}

// Penetration over the steps sorted by thickness: the last of the leading run of passes.
void judge_penetration(StepWedgeResult& r) {
  std::vector<std::size_t> order(r.steps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return r.steps[a].thickness_mm < r.steps[b].thickness_mm; });
  std::optional<double> first_fail;
  for (const auto i : order) {
    const auto& s = r.steps[i];
    if (!s.pass && !first_fail) first_fail = s.thickness_mm;
    if (s.pass && !first_fail) r.penetration_mm = s.thickness_mm;
    if (s.pass && first_fail) {
      r.monotone = false;
      r.warnings.push_back(fmt::format("non-monotone: step {:g} mm passes but the thinner step {:g} mm fails",
                                       s.thickness_mm, *first_fail));
    }
  }
}

}  // namespace

std::string_view step_rule_name(StepRule rule) { return rule == StepRule::cnr ? "cnr" : "welch_t"; }

std::optional<StepRule> parse_step_rule(std::string_view text) {
  if (text == "welch_t") return StepRule::welch_t;
  if (text == "cnr") return StepRule::cnr;
  return std::nullopt;
}

Result<WedgeStep> parse_wedge_step(std::string_view text, std::string_view option) {
  const auto first = text.find(':');
  const auto second = first == std::string_view::npos ? first : text.find(':', first + 1);
  if (second == std::string_view::npos || text.find(':', second + 1) != std::string_view::npos)
    return fail(ErrorCode::usage,
                fmt::format("{} {}: expected THICKNESS_MM:X,Y,W,H:X,Y,W,H (target ROI, background ROI)", option, text));
  auto thickness = parse_positive(text.substr(0, first), option, text);
  if (!thickness) return tl::unexpected(thickness.error());
  const std::string target_option = fmt::format("{} {} (target ROI)", option, text);
  auto target = parse_roi(text.substr(first + 1, second - first - 1), target_option);
  if (!target) return tl::unexpected(target.error());
  const std::string background_option = fmt::format("{} {} (background ROI)", option, text);
  auto background = parse_roi(text.substr(second + 1), background_option);
  if (!background) return tl::unexpected(background.error());
  return WedgeStep{*thickness, *target, *background, std::nullopt};
}

Result<NeffEstimate> effective_sample_size(const cv::Mat& image, const RoiPx& roi, int detrend_degree) {
  if (image.channels() != 1) return fail(ErrorCode::input, "image must have one channel");
  if (detrend_degree != 1 && detrend_degree != 2)
    return fail(ErrorCode::input, fmt::format("effective sample size: detrend degree {} must be 1 or 2", detrend_degree));
  auto ok = check_roi(image, roi, roi_stats_min_side_px, roi_stats_min_side_px);
  if (!ok) return tl::unexpected(ok.error());
  const cv::Mat res = detrend_degree == 2 ? quadratic_residuals(image, roi) : detrended_residuals(image, roi);
  NeffEstimate e;
  e.n = roi.pixels();
  e.rho_x1 = autocorrelation(res, 1, 0);
  e.rho_x2 = autocorrelation(res, 2, 0);
  e.rho_y1 = autocorrelation(res, 0, 1);
  e.rho_y2 = autocorrelation(res, 0, 2);
  e.inflation = axis_inflation(e.rho_x1, e.rho_x2) * axis_inflation(e.rho_y1, e.rho_y2);
  const auto n = static_cast<double>(e.n);
  e.n_eff = std::clamp(n / e.inflation, 2.0, n);
  return e;
}

Result<StepWedgeResult> measure_step_wedge(const cv::Mat& image, const std::vector<WedgeStep>& steps,
                                           const StepWedgeOptions& options) {
  if (steps.empty()) return fail(ErrorCode::input, "step wedge: no step given");
  if (!std::isfinite(options.threshold) || options.threshold <= 0.0)
    return fail(ErrorCode::input, fmt::format("step wedge: threshold {:g} must be > 0", options.threshold));
  StepWedgeResult r;
  r.rule = options.rule;
  r.threshold = options.threshold;
  for (const auto& step : steps) {
    auto s = measure_step(image, step, options);
    if (!s) return tl::unexpected(s.error());
    if (s->starved)
      r.warnings.push_back(fmt::format("starved: step {:g} mm is at the detector floor (mean within {:g} sigma of "
                                       "{:g}, or >= {:g} % of pixels at the type minimum)",
                                       s->thickness_mm, options.starved_k, options.floor,
                                       100.0 * options.clipped_fraction));
    if (s->saturated)
      r.warnings.push_back(fmt::format("saturated: step {:g} mm has >= {:g} % of pixels at the type maximum",
                                       s->thickness_mm, 100.0 * options.clipped_fraction));
    r.steps.push_back(std::move(*s));
  }
  judge_penetration(r);
  return r;
}

}  // namespace niikit::testkits
