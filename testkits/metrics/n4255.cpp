// ANSI N42.55 metrics: NEQ (n4255 definition), dynamic range, boundary signal and its SNR,
// tilted-square geometry, flatness of field, mean with spread and the decision with
// uncertainty. Method: docs/methods/n4255.md.
#include "testkits/metrics/n4255.hpp"

#include <fmt/format.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

namespace niikit::testkits::n4255 {

namespace {

Status check_plane(const cv::Mat& image, std::string_view what) {
  if (image.empty() || image.channels() != 1)
    return fail(ErrorCode::input, fmt::format("{}: image is empty or not one channel", what));
  return {};
}

cv::Mat to_double(const cv::Mat& m) {
  cv::Mat d;
  m.convertTo(d, CV_64F);
  return d;
}

// Population mean and SD of a CV_64F region.
std::pair<double, double> mean_sd(const cv::Mat& region) {
  cv::Scalar mean, sd;
  cv::meanStdDev(region, mean, sd);
  return {mean[0], sd[0]};
}

double sample_sd(const std::vector<double>& v, double mean) {
  if (v.size() < 2) return 0.0;
  double s = 0.0;
  for (double x : v) s += (x - mean) * (x - mean);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Per-frequency mean and sample SD over blanks of the per-blank NEQ values.
std::vector<NeqN4255Value> combine(const std::vector<std::vector<NeqAt>>& per_blank, const std::vector<double>& at) {
  std::vector<NeqN4255Value> out;
  if (per_blank.empty() || per_blank.front().empty()) return out;
  for (std::size_t i = 0; i < at.size(); ++i) {
    NeqN4255Value v;
    v.f_lp_mm = at[i];
    for (const auto& blank : per_blank)
      if (i < blank.size() && blank[i].neq) v.per_blank.push_back(*blank[i].neq);
    if (!v.per_blank.empty()) {
      v.neq = mean_of(v.per_blank);
      if (v.per_blank.size() >= 2) v.sd = sample_sd(v.per_blank, *v.neq);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

// ---- NEQ ------------------------------------------------------------------------------------

Result<NeqN4255Result> neq_n4255(const std::vector<cv::Mat>& blanks, const std::vector<MtfPoint>& mtf_x,
                                 const std::vector<MtfPoint>& mtf_y, const NeqN4255Options& options) {
  if (blanks.empty()) return fail(ErrorCode::input, "N42.55 NEQ: no blank image given");
  if (!(options.max_side_mm > 0.0))
    return fail(ErrorCode::input, fmt::format("N42.55 NEQ: max_side_mm {:g} must be > 0", options.max_side_mm));
  NeqOptions o;
  o.definition = NeqDefinition::n4255;
  o.pixel_mm_x = options.pixel_mm_x;
  o.pixel_mm_y = options.pixel_mm_y;
  o.at_lp_mm = options.at_lp_mm;
  o.flat_roi = options.blank_roi;
  o.n4255_max_side_mm = options.max_side_mm;
  NeqN4255Result r;
  std::vector<std::vector<NeqAt>> xs, ys;
  std::vector<double> means;
  for (std::size_t i = 0; i < blanks.size(); ++i) {
    // Blanks of different sizes are fine: each is cropped on its own (centred, ≤ max_side_mm).
    if (blanks[i].size() != blanks.front().size()) r.sizes_differ = true;
    auto one = compute_neq(mtf_x, mtf_y, {blanks[i]}, o);
    if (!one) return tl::unexpected(one.error().with_context(fmt::format("N42.55 NEQ, blank {}", i + 1)));
    xs.push_back(one->neq_x_at);
    ys.push_back(one->neq_y_at);
    means.push_back(one->mean_signal);
    if (i == 0) {
      r.crop_width_px = one->crop_width_px;
      r.crop_height_px = one->crop_height_px;
      r.warnings = one->warnings;  // range warnings are the same for every blank
    }
  }
  r.x = combine(xs, options.at_lp_mm);
  r.y = combine(ys, options.at_lp_mm);
  r.mean_signal = mean_of(means);
  r.blank_count = static_cast<int>(blanks.size());
  return r;
}

// ---- Dynamic range --------------------------------------------------------------------------

Result<DynamicRangeResult> dynamic_range(const cv::Mat& image, const std::vector<RoiPx>& open_rois,
                                         const std::vector<RoiPx>& step_rois, const DynamicRangeOptions& options) {
  if (auto ok = check_plane(image, "dynamic range"); !ok) return tl::unexpected(ok.error());
  if (options.box_px < 1 || options.box_px > 101 || options.box_px % 2 == 0)
    return fail(ErrorCode::input, fmt::format("dynamic range: box_px {} must be odd, 1-101", options.box_px));
  if (!(options.min_step_sigma >= 0.0))
    return fail(ErrorCode::input, "dynamic range: min_step_sigma must be >= 0");
  if (open_rois.empty()) return fail(ErrorCode::input, "dynamic range: no open-field ROI given");
  if (step_rois.empty()) return fail(ErrorCode::input, "dynamic range: no step-wedge ROI given");
  const cv::Mat values = to_double(image);
  DynamicRangeResult r;
  r.open_max = -std::numeric_limits<double>::infinity();
  const int half = options.box_px / 2;
  for (std::size_t i = 0; i < open_rois.size(); ++i) {
    const RoiPx& roi = open_rois[i];
    if (auto ok = check_roi(image, roi, options.box_px, options.box_px); !ok)
      return tl::unexpected(ok.error().with_context(fmt::format("dynamic range: open-field ROI {}", i + 1)));
    cv::Mat blurred;
    cv::blur(values(roi.rect()), blurred, cv::Size(options.box_px, options.box_px), cv::Point(-1, -1),
             cv::BORDER_REFLECT);
    // Only positions whose whole box lies inside the ROI: the maximum never mixes in pixels
    // from outside the open field.
    const cv::Rect valid(half, half, roi.width_px - 2 * half, roi.height_px - 2 * half);
    double max_value = 0.0;
    cv::Point at;
    cv::minMaxLoc(blurred(valid), nullptr, &max_value, nullptr, &at);
    if (max_value > r.open_max) {
      r.open_max = max_value;
      r.open_roi_index = static_cast<int>(i);
      r.open_max_px = {roi.x_px + half + at.x, roi.y_px + half + at.y};
    }
  }
  for (std::size_t i = 0; i < step_rois.size(); ++i) {
    if (auto ok = check_roi(image, step_rois[i], 4, 4); !ok)
      return tl::unexpected(ok.error().with_context(fmt::format("dynamic range: step ROI {}", i + 1)));
    cv::Rect box = step_rois[i].rect();
    if (options.noise_box_px_x > 0 && options.noise_box_px_y > 0) {
      const int bw = std::min(options.noise_box_px_x, box.width), bh = std::min(options.noise_box_px_y, box.height);
      box = cv::Rect(box.x + (box.width - bw) / 2, box.y + (box.height - bh) / 2, bw, bh);
    }
    if (box.area() < 2) return fail(ErrorCode::input, fmt::format("dynamic range: noise box of step ROI {} under 2 px", i + 1));
    const cv::Mat region = values(box);
    auto [mean, sd] = mean_sd(region);
    const double n = static_cast<double>(region.total());
    r.steps.push_back({static_cast<int>(i), mean, sd * std::sqrt(n / (n - 1.0))});
  }
  for (const auto& s : r.steps)
    if (s.sigma > options.min_step_sigma && (r.step_index < 0 || s.mean < r.step_mean)) {
      r.step_index = s.index;
      r.step_mean = s.mean;
      r.step_sigma = s.sigma;
    }
  if (r.step_index < 0)
    return fail(ErrorCode::input, fmt::format("dynamic range: no step has a noise sigma above {:g} (all starved or "
                                              "clipped)",
                                              options.min_step_sigma));
  for (const auto& s : r.steps)
    if (s.sigma <= options.min_step_sigma && s.mean < r.step_mean)
      r.warnings.push_back(fmt::format("starved: step {} (mean {:.6g}) has sigma {:.3g} <= {:g}, not used", s.index + 1,
                                       s.mean, s.sigma, options.min_step_sigma));
  r.dynamic_range = r.open_max / r.step_sigma;
  return r;
}

// ---- Boundary signal and SNR ----------------------------------------------------------------

Result<BoundarySignal> boundary_signal(const cv::Mat& image, const std::vector<cv::Point2d>& outline,
                                       const BoundaryOptions& options) {
  if (auto ok = check_plane(image, "boundary signal"); !ok) return tl::unexpected(ok.error());
  if (outline.size() < 3) return fail(ErrorCode::input, "boundary signal: the outline needs at least 3 vertices");
  if (!(options.band_px > 0.0) || !(options.gap_px >= 0.0))
    return fail(ErrorCode::input, "boundary signal: band_px must be > 0 and gap_px >= 0");
  std::vector<cv::Point2f> contour;
  double x0 = outline.front().x, x1 = x0, y0 = outline.front().y, y1 = y0;
  for (const auto& p : outline) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      return fail(ErrorCode::input, "boundary signal: outline vertex is not finite");
    contour.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const double reach = options.gap_px + options.band_px;
  const cv::Rect box(static_cast<int>(std::floor(x0 - reach)), static_cast<int>(std::floor(y0 - reach)),
                     static_cast<int>(std::ceil(x1 + reach)) - static_cast<int>(std::floor(x0 - reach)) + 1,
                     static_cast<int>(std::ceil(y1 + reach)) - static_cast<int>(std::floor(y0 - reach)) + 1);
  if ((box & cv::Rect(0, 0, image.cols, image.rows)) != box)
    return fail(ErrorCode::input,
                fmt::format("boundary signal: the bands around the outline ({},{},{},{}) leave the {} x {} image", box.x,
                            box.y, box.width, box.height, image.cols, image.rows));
  const cv::Mat values = to_double(image(box));
  BoundarySignal r;
  double inner = 0.0, outer = 0.0;
  for (int y = 0; y < box.height; ++y)
    for (int x = 0; x < box.width; ++x) {
      const cv::Point2f p(static_cast<float>(box.x + x), static_cast<float>(box.y + y));
      const double d = cv::pointPolygonTest(contour, p, true);  // > 0 inside
      const double a = std::abs(d);
      if (a <= options.gap_px || a > reach) continue;
      if (d > 0) {
        inner += values.at<double>(y, x);
        ++r.inner_pixels;
      } else {
        outer += values.at<double>(y, x);
        ++r.outer_pixels;
      }
    }
  if (r.inner_pixels < 20 || r.outer_pixels < 20)
    return fail(ErrorCode::input, fmt::format("boundary signal: bands too small ({} inner, {} outer px; need 20 each)",
                                              r.inner_pixels, r.outer_pixels));
  r.inner_mean = inner / static_cast<double>(r.inner_pixels);
  r.outer_mean = outer / static_cast<double>(r.outer_pixels);
  if (!(r.outer_mean > 0.0))
    return fail(ErrorCode::input, fmt::format("boundary signal: outer band mean {:g} is not > 0", r.outer_mean));
  r.difference = r.outer_mean - r.inner_mean;
  r.signal = 1.0 - r.inner_mean / r.outer_mean;
  return r;
}

Result<BoundarySnrResult> boundary_snr(const std::vector<double>& signals) {
  if (signals.size() < 2)
    return fail(ErrorCode::input, fmt::format("boundary SNR: {} boundary signal(s); need at least 2 images",
                                              signals.size()));
  for (double s : signals)
    if (!std::isfinite(s)) return fail(ErrorCode::input, "boundary SNR: a boundary signal is not finite");
  BoundarySnrResult r;
  r.signals = signals;
  r.mean = mean_of(signals);
  r.sd = sample_sd(signals, r.mean);
  if (!(r.sd > 0.0)) return fail(ErrorCode::input, "boundary SNR: the boundary signals do not vary (SD 0)");
  r.snr = std::abs(r.mean) / r.sd;
  return r;
}

// ---- Tilted square --------------------------------------------------------------------------

namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Bilinear sample of a CV_64F image; NaN outside [0, cols − 1] × [0, rows − 1].
double bilinear(const cv::Mat& m, cv::Point2d p) {
  if (!(p.x >= 0.0 && p.y >= 0.0 && p.x <= m.cols - 1 && p.y <= m.rows - 1))
    return std::numeric_limits<double>::quiet_NaN();
  const int x0 = std::min(static_cast<int>(p.x), m.cols - 2), y0 = std::min(static_cast<int>(p.y), m.rows - 2);
  const double fx = p.x - x0, fy = p.y - y0;
  const double* r0 = m.ptr<double>(y0);
  const double* r1 = m.ptr<double>(y0 + 1);
  return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
}

struct Line {
  cv::Point2d point;      // centroid of the points
  cv::Point2d direction;  // unit vector
  double rms_px = 0.0;
  int points = 0;
};

// Total-least-squares line; one pass of rejecting points beyond 3 × RMS (at least 0.5 px).
Line fit_line(std::vector<cv::Point2d> pts) {
  Line line;
  for (int pass = 0; pass < 2; ++pass) {
    cv::Point2d c(0, 0);
    for (const auto& p : pts) c += p;
    c *= 1.0 / static_cast<double>(pts.size());
    double sxx = 0, sxy = 0, syy = 0;
    for (const auto& p : pts) {
      const cv::Point2d d = p - c;
      sxx += d.x * d.x, sxy += d.x * d.y, syy += d.y * d.y;
    }
    const double theta = 0.5 * std::atan2(2.0 * sxy, sxx - syy);  // principal axis
    line.point = c;
    line.direction = {std::cos(theta), std::sin(theta)};
    const cv::Point2d normal(-line.direction.y, line.direction.x);
    double ss = 0.0;
    for (const auto& p : pts) ss += std::pow((p - c).dot(normal), 2);
    line.rms_px = std::sqrt(ss / static_cast<double>(pts.size()));
    line.points = static_cast<int>(pts.size());
    if (pass == 1) break;
    const double limit = std::max(0.5, 3.0 * line.rms_px);
    std::erase_if(pts, [&](const cv::Point2d& p) { return std::abs((p - c).dot(normal)) > limit; });
    if (pts.size() < 10) break;
  }
  return line;
}

cv::Point2d intersect(const Line& a, const Line& b) {
  // a.point + t · a.direction = b.point + s · b.direction
  const double det = a.direction.x * (-b.direction.y) - a.direction.y * (-b.direction.x);
  const cv::Point2d d = b.point - a.point;
  const double t = (d.x * (-b.direction.y) - d.y * (-b.direction.x)) / det;
  return a.point + t * a.direction;
}

// Orders four corners clockwise on screen (y down), starting at the top-left-most (min x + y).
std::array<cv::Point2d, 4> order_corners(std::array<cv::Point2d, 4> c) {
  const cv::Point2d centre = 0.25 * (c[0] + c[1] + c[2] + c[3]);
  std::sort(c.begin(), c.end(), [&](const cv::Point2d& a, const cv::Point2d& b) {
    return std::atan2(a.y - centre.y, a.x - centre.x) < std::atan2(b.y - centre.y, b.x - centre.x);
  });
  const auto first = std::min_element(c.begin(), c.end(), [](const cv::Point2d& a, const cv::Point2d& b) {
    return a.x + a.y < b.x + b.y;
  });
  std::rotate(c.begin(), first, c.end());
  return c;
}

// Rough corners of the largest blob of the square's class: polygon approximation, else the
// minimum-area rectangle. Coordinates in the ROI's pixels.
std::optional<std::array<cv::Point2d, 4>> rough_corners(const cv::Mat& values, bool inside_low, double mid) {
  cv::Mat smooth, mask;
  cv::GaussianBlur(values, smooth, cv::Size(5, 5), 1.5);
  if (inside_low)
    mask = smooth < mid;
  else
    mask = smooth > mid;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  if (contours.empty()) return std::nullopt;
  const auto& largest = *std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  if (cv::contourArea(largest) < 0.02 * values.rows * values.cols) return std::nullopt;
  std::array<cv::Point2d, 4> out;
  const double perimeter = cv::arcLength(largest, true);
  for (double eps = 0.01; eps <= 0.1; eps += 0.01) {
    std::vector<cv::Point> poly;
    cv::approxPolyDP(largest, poly, eps * perimeter, true);
    if (poly.size() == 4) {
      for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = poly[static_cast<std::size_t>(i)];
      return order_corners(out);
    }
  }
  cv::Point2f box[4];
  cv::minAreaRect(largest).points(box);
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = box[i];
  return order_corners(out);
}

// Sub-pixel edge points along one side (corners a → b, `outward` normal): per position, the
// profile across the edge is reduced to its crossing point by the area method, x0 = h − ∫ g ds
// with g = (f − inner)/(outer − inner) over [−h, h], which for a blurred step with a symmetric
// PSF is its 50 % point and averages the noise over the whole profile.
std::vector<cv::Point2d> edge_points(const cv::Mat& values, cv::Point2d a, cv::Point2d b, cv::Point2d outward,
                                     const SquareOptions& o) {
  const double length = cv::norm(b - a);
  const double h = o.profile_half_px, ds = 0.5;
  const int samples = static_cast<int>(std::round(2.0 * h / ds)) + 1;
  std::vector<cv::Point2d> origins;
  std::vector<std::vector<double>> profiles;
  std::vector<double> inner_ends, outer_ends;
  for (double t = o.edge_trim; t <= 1.0 - o.edge_trim; t += 1.0 / length) {
    const cv::Point2d p = a + t * (b - a);
    std::vector<double> f(static_cast<std::size_t>(samples));
    bool inside = true;
    for (int k = 0; k < samples && inside; ++k) {
      f[static_cast<std::size_t>(k)] = bilinear(values, p + (-h + k * ds) * outward);
      inside = std::isfinite(f[static_cast<std::size_t>(k)]);
    }
    if (!inside) continue;
    for (int k = 0; k < 5; ++k) {
      inner_ends.push_back(f[static_cast<std::size_t>(k)]);
      outer_ends.push_back(f[static_cast<std::size_t>(samples - 1 - k)]);
    }
    origins.push_back(p);
    profiles.push_back(std::move(f));
  }
  const double inner = median_of(inner_ends), outer = median_of(outer_ends);
  std::vector<cv::Point2d> points;
  if (!(std::abs(outer - inner) > 0.0)) return points;
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const auto& f = profiles[i];
    double integral = 0.0;
    for (std::size_t k = 0; k < f.size(); ++k) {
      const double g = (f[k] - inner) / (outer - inner);
      integral += (k == 0 || k + 1 == f.size() ? 0.5 : 1.0) * g * ds;
    }
    const double x0 = h - integral;
    if (std::abs(x0) < h - 1.0) points.push_back(origins[i] + x0 * outward);
  }
  return points;
}

double side_mm(cv::Point2d a, cv::Point2d b, double px, double py) {
  return std::hypot((b.x - a.x) * px, (b.y - a.y) * py);
}

}  // namespace

Result<SquareResult> measure_square(const cv::Mat& image, const RoiPx& roi, const SquareOptions& options) {
  if (auto ok = check_plane(image, "square"); !ok) return tl::unexpected(ok.error());
  if (!(options.pixel_mm_x > 0.0 && options.pixel_mm_y > 0.0))
    return fail(ErrorCode::input, "square: the pixel pitch is unknown (must be > 0)");
  if (!(options.edge_trim >= 0.0 && options.edge_trim <= 0.4) || !(options.profile_half_px >= 3.0))
    return fail(ErrorCode::input, "square: edge_trim must be 0-0.4 and profile_half_px >= 3");
  if (options.known_side_mm && !(*options.known_side_mm > 0.0))
    return fail(ErrorCode::input, "square: known_side_mm must be > 0");
  if (auto ok = check_roi(image, roi, 24, 24); !ok) return tl::unexpected(ok.error().with_context("square"));
  const cv::Mat values = to_double(image(roi.rect()));
  // Polarity and levels: the ROI's central third is the square, its 2 px frame the surround.
  const int cw = values.cols / 3, ch = values.rows / 3;
  std::vector<double> centre, frame;
  for (int y = 0; y < values.rows; ++y)
    for (int x = 0; x < values.cols; ++x) {
      const double v = values.at<double>(y, x);
      if (x >= cw && x < values.cols - cw && y >= ch && y < values.rows - ch) centre.push_back(v);
      if (x < 2 || y < 2 || x >= values.cols - 2 || y >= values.rows - 2) frame.push_back(v);
    }
  const double centre_level = median_of(centre), frame_level = median_of(frame);
  std::vector<double> deviations;
  for (double v : frame) deviations.push_back(std::abs(v - frame_level));
  const double noise = 1.4826 * median_of(deviations);
  if (!(std::abs(centre_level - frame_level) > 5.0 * noise) || centre_level == frame_level)
    return fail(ErrorCode::input,
                fmt::format("square: ROI {}: no square found (centre {:.6g} vs surround {:.6g}, noise {:.3g})",
                            to_string(roi), centre_level, frame_level, noise));
  const bool inside_low = centre_level < frame_level;
  auto rough = rough_corners(values, inside_low, 0.5 * (centre_level + frame_level));
  if (!rough) return fail(ErrorCode::input, fmt::format("square: ROI {}: no four-sided outline found", to_string(roi)));
  const double rough_angle = std::atan2((*rough)[1].y - (*rough)[0].y, (*rough)[1].x - (*rough)[0].x) * 180.0 / CV_PI;
  if (std::abs(std::abs(rough_angle) - 45.0) < 1.0)
    return fail(ErrorCode::input, fmt::format("square: tilt {:.1f} deg is within 1 deg of 45 deg (sides ambiguous)",
                                              rough_angle));

  SquareResult r;
  std::array<cv::Point2d, 4> corners = *rough;
  std::array<Line, 4> lines;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass profiles across the refined sides
    const cv::Point2d centroid = 0.25 * (corners[0] + corners[1] + corners[2] + corners[3]);
    for (std::size_t i = 0; i < 4; ++i) {
      const cv::Point2d a = corners[i], b = corners[(i + 1) % 4];
      const cv::Point2d u = (b - a) * (1.0 / cv::norm(b - a));
      cv::Point2d n(-u.y, u.x);
      if (n.dot(0.5 * (a + b) - centroid) < 0) n = -n;
      // The profile runs from the square (s < 0) to the surround (s > 0) along `n`.
      const auto pts = edge_points(values, a, b, n, options);
      if (pts.size() < 10)
        return fail(ErrorCode::input, fmt::format("square: ROI {}: side {} has {} edge points (need 10; leave a margin "
                                                  "of {:g} px around the square)",
                                                  to_string(roi), i + 1, pts.size(), options.profile_half_px));
      lines[i] = fit_line(pts);
    }
    for (std::size_t i = 0; i < 4; ++i) corners[i] = intersect(lines[(i + 3) % 4], lines[i]);
  }
  const cv::Point2d offset(roi.x_px, roi.y_px);
  const double px = options.pixel_mm_x, py = options.pixel_mm_y;
  static constexpr std::array<const char*, 4> names = {"top", "right", "bottom", "left"};
  for (std::size_t i = 0; i < 4; ++i) {
    r.corners_px[i] = corners[i] + offset;
    auto& s = r.sides[i];
    s.from_px = corners[i] + offset;
    s.to_px = corners[(i + 1) % 4] + offset;
    s.length_px = cv::norm(s.to_px - s.from_px);
    s.length_mm = side_mm(s.from_px, s.to_px, px, py);
    s.fit_rms_px = lines[i].rms_px;
    s.points = lines[i].points;
    if (s.fit_rms_px > 0.5)
      r.warnings.push_back(fmt::format("fit: {} side edge points scatter {:.2f} px RMS about the line", names[i],
                                       s.fit_rms_px));
  }
  r.angle_deg = std::atan2((r.sides[0].to_px.y - r.sides[0].from_px.y) * py,
                          (r.sides[0].to_px.x - r.sides[0].from_px.x) * px) * 180.0 / CV_PI;
  r.width_mm = 0.5 * (r.sides[0].length_mm + r.sides[2].length_mm);
  r.height_mm = 0.5 * (r.sides[1].length_mm + r.sides[3].length_mm);
  r.aspect_ratio = r.width_mm / r.height_mm;
  r.aspect_deviation = std::abs(1.0 - r.height_mm / r.width_mm);
  double twice_area = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& a = r.corners_px[i];
    const auto& b = r.corners_px[(i + 1) % 4];
    twice_area += a.x * b.y - b.x * a.y;
  }
  r.area_mm2 = 0.5 * std::abs(twice_area) * px * py;

  // Pitch implied by a known side: each side gives K² = dx²·px² + dy²·py²; the top/bottom and
  // left/right pairs (averaged) are two linear equations in px², py².
  r.implied_pixel_mm_x = px;
  r.implied_pixel_mm_y = py;
  if (options.known_side_mm) {
    const auto comp = [&](std::size_t i, bool x_comp) {
      const cv::Point2d d = r.sides[i].to_px - r.sides[i].from_px;
      return x_comp ? d.x * d.x : d.y * d.y;
    };
    const double xt = 0.5 * (comp(0, true) + comp(2, true)), yt = 0.5 * (comp(0, false) + comp(2, false));
    const double xl = 0.5 * (comp(1, true) + comp(3, true)), yl = 0.5 * (comp(1, false) + comp(3, false));
    const double k2 = *options.known_side_mm * *options.known_side_mm;
    const double det = xt * yl - yt * xl;
    const double px2 = det != 0.0 ? k2 * (yl - yt) / det : -1.0;
    const double py2 = det != 0.0 ? k2 * (xt - xl) / det : -1.0;
    if (px2 > 0.0 && py2 > 0.0) {
      r.implied_pixel_mm_x = std::sqrt(px2);
      r.implied_pixel_mm_y = std::sqrt(py2);
    } else {
      r.warnings.push_back("fit: the known side does not give a pitch (sides near 45 deg); nominal pitch used");
    }
  }
  r.image_width_mm = image.cols * r.implied_pixel_mm_x;
  r.image_height_mm = image.rows * r.implied_pixel_mm_y;
  r.image_area_mm2 = r.image_width_mm * r.image_height_mm;
  return r;
}

// ---- Flatness of field ----------------------------------------------------------------------

Result<FlatnessResult> flatness_of_field(const std::vector<cv::Mat>& blanks, const FlatnessOptions& options) {
  if (blanks.empty()) return fail(ErrorCode::input, "flatness of field: no blank image given");
  for (std::size_t i = 0; i < blanks.size(); ++i) {
    if (auto ok = check_plane(blanks[i], fmt::format("flatness of field: blank {}", i + 1)); !ok)
      return tl::unexpected(ok.error());
  }
  if (!(options.pixel_mm_x > 0.0 && options.pixel_mm_y > 0.0))
    return fail(ErrorCode::input, "flatness of field: the pixel pitch is unknown (must be > 0)");
  if (!(options.region_mm > 0.0)) return fail(ErrorCode::input, "flatness of field: region_mm must be > 0");
  if (options.grid_x < 1 || options.grid_x > 256 || options.grid_y < 1 || options.grid_y > 256)
    return fail(ErrorCode::input, "flatness of field: grid must be 1-256 blocks per axis");
  // Blanks of different sizes: the region is centred in each blank and sized for the smallest.
  int cols = blanks.front().cols, rows = blanks.front().rows;
  for (const auto& b : blanks) cols = std::min(cols, b.cols), rows = std::min(rows, b.rows);
  // As NIST's scoring: a centred region_mm square, reduced to the image less 2 px where larger.
  int w = static_cast<int>(std::lround(options.region_mm / options.pixel_mm_x));
  int h = static_cast<int>(std::lround(options.region_mm / options.pixel_mm_y));
  if (w >= cols) w = cols - 2;
  if (h >= rows) h = rows - 2;
  if (w < 8 || h < 8)
    return fail(ErrorCode::input, fmt::format("flatness of field: region {} x {} px too small (at least 8 x 8)", w, h));
  if (w / options.grid_x < 2 || h / options.grid_y < 2)
    return fail(ErrorCode::input, fmt::format("flatness of field: {} x {} blocks in a {} x {} px region are under "
                                              "2 x 2 px",
                                              options.grid_x, options.grid_y, w, h));
  FlatnessResult r;
  r.region = {(blanks.front().cols - w) / 2, (blanks.front().rows - h) / 2, w, h};
  r.coverage_x = w * options.pixel_mm_x / options.region_mm;
  r.coverage_y = h * options.pixel_mm_y / options.region_mm;
  cv::Mat sum = cv::Mat::zeros(h, w, CV_64F);
  for (std::size_t i = 0; i < blanks.size(); ++i) {
    const cv::Rect centred((blanks[i].cols - w) / 2, (blanks[i].rows - h) / 2, w, h);
    if (blanks[i].size() != blanks.front().size()) r.sizes_differ = true;
    const cv::Mat region = to_double(blanks[i](centred));
    auto [mean, sd] = mean_sd(region);
    if (!(mean > 0.0))
      return fail(ErrorCode::input, fmt::format("flatness of field: blank {} mean {:g} is not > 0", i + 1, mean));
    r.per_blank.push_back(1.0 - sd / mean);
    sum += region;
  }
  r.blank_count = static_cast<int>(blanks.size());
  r.flatness_mean = mean_of(r.per_blank);
  double var = 0.0;
  for (double f : r.per_blank) var += (f - r.flatness_mean) * (f - r.flatness_mean);
  r.flatness_sd = std::sqrt(var / static_cast<double>(r.per_blank.size()));
  r.flatness = r.flatness_mean - 2.0 * r.flatness_sd;

  const cv::Mat average = sum / static_cast<double>(blanks.size());
  r.global_mean = cv::mean(average)[0];
  r.block_means = cv::Mat(options.grid_y, options.grid_x, CV_64F);
  for (int by = 0; by < options.grid_y; ++by)
    for (int bx = 0; bx < options.grid_x; ++bx) {
      const int xa = bx * w / options.grid_x, xb = (bx + 1) * w / options.grid_x;
      const int ya = by * h / options.grid_y, yb = (by + 1) * h / options.grid_y;
      r.block_means.at<double>(by, bx) = cv::mean(average(cv::Rect(xa, ya, xb - xa, yb - ya)))[0];
    }
  cv::minMaxLoc(r.block_means, &r.block_min, &r.block_max);
  r.max_relative_deviation =
      std::max(r.block_max - r.global_mean, r.global_mean - r.block_min) / r.global_mean;
  r.nonuniformity = (r.block_max - r.block_min) / (r.block_max + r.block_min);
  return r;
}

// ---- Spread and decisions -------------------------------------------------------------------

Result<MeanWithSpread> mean_with_spread(const std::vector<double>& values) {
  if (values.empty()) return fail(ErrorCode::input, "mean with spread: no value given");
  for (double v : values)
    if (!std::isfinite(v)) return fail(ErrorCode::input, "mean with spread: a value is not finite");
  MeanWithSpread r;
  r.n = static_cast<int>(values.size());
  r.mean = mean_of(values);
  r.sd = sample_sd(values, r.mean);
  return r;
}

UncertainDecision decide_with_uncertainty(double value, double uncertainty, double limit, LimitKind kind,
                                          double coverage_k) {
  const double u = std::abs(uncertainty) * std::max(0.0, coverage_k);
  UncertainDecision d;
  d.margin = kind == LimitKind::minimum ? value - u - limit : limit - (value + u);
  d.pass = d.margin >= 0.0;
  return d;
}

// ---- MTF as the reference scoring computes it -------------------------------------------------

std::vector<MtfPoint> reference_mtf(const std::vector<MtfPoint>& physical) {
  std::vector<MtfPoint> out = physical;
  for (auto& p : out) {
    const double x = 2.0 * std::numbers::pi * p.f_cy_px;
    const double kernel = std::abs(x) < 1e-12 ? 1.0 : std::sin(x) / x;
    p.mtf = std::abs(p.mtf * kernel);
  }
  return out;
}

std::optional<double> mtf_crossing(const std::vector<MtfPoint>& curve, double level) {
  for (std::size_t i = 1; i < curve.size(); ++i)
    if (curve[i].mtf <= level && curve[i - 1].mtf > level) {
      const double u = (curve[i - 1].mtf - level) / (curve[i - 1].mtf - curve[i].mtf);
      return curve[i - 1].f_cy_px + u * (curve[i].f_cy_px - curve[i - 1].f_cy_px);
    }
  return std::nullopt;
}

}  // namespace niikit::testkits::n4255
