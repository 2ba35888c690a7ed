// Phantom localisation: levels, fiducial blobs, pair-hypothesis matching, affine fit.
#include "testkits/kits/locate.hpp"

#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>

namespace niikit::testkits::kits {
namespace {

using phantoms::FiducialDisc;
using phantoms::Phantom;

constexpr double kPi = std::numbers::pi;

cv::Mat as_float(const cv::Mat& image) {
  cv::Mat f;
  image.convertTo(f, CV_32F);
  return f;
}

// Robust per-pixel noise from horizontal first differences: σ = 1.4826·MAD(Δ)/√2. Structure
// (edges) touches few pixels, so the median ignores it.
double difference_sigma(const cv::Mat& f) {
  std::vector<float> d;
  const int step = std::max(1, f.rows / 400);
  d.reserve(static_cast<std::size_t>(f.rows / step + 1) * static_cast<std::size_t>(f.cols));
  for (int r = 0; r < f.rows; r += step) {
    const float* p = f.ptr<float>(r);
    for (int c = 1; c < f.cols; ++c) d.push_back(std::abs(p[c] - p[c - 1]));
  }
  if (d.empty()) return 0;
  auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return 1.4826 * static_cast<double>(*mid) / std::sqrt(2.0);
}

struct Blob {
  cv::Point2d center_px;
  double peak = 0;
};

struct Match {
  std::size_t fiducial = 0;
  std::size_t blob = 0;
};

// Similarity in nominal-mm space: q = s·R(θ)·F·p + t, F = diag(mirror ? −1 : 1, 1).
struct Similarity {
  double s = 1, theta = 0, tx = 0, ty = 0;
  bool mirror = false;
  [[nodiscard]] cv::Point2d apply(cv::Point2d p) const {
    const double x = mirror ? -p.x : p.x;
    const double c = std::cos(theta), sn = std::sin(theta);
    return {s * (c * x - sn * p.y) + tx, s * (sn * x + c * p.y) + ty};
  }
};

Similarity similarity_from_pair(cv::Point2d p0, cv::Point2d p1, cv::Point2d q0, cv::Point2d q1, bool mirror) {
  if (mirror) {
    p0.x = -p0.x;
    p1.x = -p1.x;
  }
  const cv::Point2d dp = p1 - p0, dq = q1 - q0;
  Similarity t;
  t.mirror = mirror;
  t.s = std::hypot(dq.x, dq.y) / std::hypot(dp.x, dp.y);
  t.theta = std::atan2(dq.y, dq.x) - std::atan2(dp.y, dp.x);
  const double c = std::cos(t.theta), sn = std::sin(t.theta);
  t.tx = q0.x - t.s * (c * p0.x - sn * p0.y);
  t.ty = q0.y - t.s * (sn * p0.x + c * p0.y);
  return t;
}

double wrap_deg(double a) {
  while (a > 180) a -= 360;
  while (a <= -180) a += 360;
  return a;
}

// Candidate fiducial blobs at a decimated scale, refined at full resolution.
std::vector<Blob> find_blobs(const cv::Mat& signal, const ImageLevels& levels, double r_px_x, double r_px_y) {
  const int dec = std::max(1, static_cast<int>(std::floor(std::min(r_px_x, r_px_y) / 4.0)));
  cv::Mat small;
  if (dec > 1)
    cv::resize(signal, small, cv::Size(signal.cols / dec, signal.rows / dec), 0, 0, cv::INTER_AREA);
  else
    small = signal;
  cv::Mat smooth;
  cv::GaussianBlur(small, smooth, cv::Size(0, 0), 1.0);
  // White top-hat with a square too large for a disc to hold (side 2.4·r ≥ √2·r): removes the
  // smooth background (an uncorrected flat field of a few per cent, scatter glare) and regions
  // larger than a disc, so a disc in a dim corner does not merge with the "signal" of the
  // gain shading around it (issue 18).
  {
    const double r_small = std::max(r_px_x, r_px_y) / dec;
    const int side = 2 * static_cast<int>(std::ceil(2.4 * r_small)) + 1;
    cv::Mat opened;
    cv::morphologyEx(smooth, opened, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side)),
                     cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    smooth -= opened;
    // The opening of noisy data sits a few σ below the local mean: take the top-hat's median
    // (the background, most of the image) back out so the noise threshold below keeps its meaning.
    std::vector<float> values(smooth.begin<float>(), smooth.end<float>());
    auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    smooth -= static_cast<double>(*mid);
  }
  const double sigma_small = std::max(difference_sigma(smooth), 1e-6);
  const double range = std::max(levels.high - levels.low, 1e-6);
  const double threshold = std::max(6.0 * sigma_small, 0.03 * range);
  cv::Mat mask = smooth > threshold;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  const double rx = r_px_x / dec, ry = r_px_y / dec;
  const double area_nominal = kPi * rx * ry;
  std::vector<Blob> blobs;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const double area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (area < 0.3 * area_nominal || area > 4.0 * area_nominal) continue;
    if (w > 2.0 * 2 * rx * 1.15 + 4 || h > 2.0 * 2 * ry * 1.15 + 4) continue;
    if (x <= 0 || y <= 0 || x + w >= small.cols || y + h >= small.rows) continue;  // clipped by the border
    // Half-maximum footprint: the disc itself, independent of the blur skirt.
    double peak = 0;
    for (int r = y; r < y + h; ++r)
      for (int c = x; c < x + w; ++c)
        if (labels.at<int>(r, c) == i) peak = std::max(peak, static_cast<double>(smooth.at<float>(r, c)));
    int half_area = 0, hx0 = x + w, hx1 = x - 1, hy0 = y + h, hy1 = y - 1;
    for (int r = y; r < y + h; ++r)
      for (int c = x; c < x + w; ++c)
        if (labels.at<int>(r, c) == i && smooth.at<float>(r, c) > peak / 2) {
          ++half_area;
          hx0 = std::min(hx0, c), hx1 = std::max(hx1, c), hy0 = std::min(hy0, r), hy1 = std::max(hy1, r);
        }
    if (half_area < 0.45 * area_nominal || half_area > 1.8 * area_nominal) continue;
    const double box = static_cast<double>(hx1 - hx0 + 1) * (hy1 - hy0 + 1);
    const double fill = half_area / box;
    const double aspect = static_cast<double>(hx1 - hx0 + 1) / (hy1 - hy0 + 1) * (ry / rx);
    if (fill < 0.5 || aspect < 0.6 || aspect > 1.67) continue;
    blobs.push_back({{(centroids.at<double>(i, 0) + 0.5) * dec - 0.5, (centroids.at<double>(i, 1) + 0.5) * dec - 0.5},
                     peak});
  }
  // Sub-pixel refinement: centroid of the background-subtracted signal in an elliptic window
  // wide enough to hold the whole blurred disc, so noise-only pixels average out.
  const double wx = r_px_x * 1.2 + 3, wy = r_px_y * 1.2 + 3;
  for (auto& b : blobs) {
    for (int iter = 0; iter < 3; ++iter) {
      const int x0 = static_cast<int>(std::floor(b.center_px.x - wx - 2)), x1 = static_cast<int>(std::ceil(b.center_px.x + wx + 2));
      const int y0 = static_cast<int>(std::floor(b.center_px.y - wy - 2)), y1 = static_cast<int>(std::ceil(b.center_px.y + wy + 2));
      if (x0 < 0 || y0 < 0 || x1 >= signal.cols || y1 >= signal.rows) break;
      // Local background: median of a ring just outside the window.
      std::vector<float> ring;
      for (int r = y0; r <= y1; ++r)
        for (int c = x0; c <= x1; ++c) {
          const double u = (c - b.center_px.x) / wx, v = (r - b.center_px.y) / wy;
          const double q = u * u + v * v;
          if (q > 1.0 && q <= 1.6) ring.push_back(signal.at<float>(r, c));
        }
      double background = 0;
      if (!ring.empty()) {
        auto mid = ring.begin() + static_cast<std::ptrdiff_t>(ring.size() / 2);
        std::nth_element(ring.begin(), mid, ring.end());
        background = *mid;
      }
      double sw = 0, sx = 0, sy = 0;
      for (int r = y0; r <= y1; ++r)
        for (int c = x0; c <= x1; ++c) {
          const double u = (c - b.center_px.x) / wx, v = (r - b.center_px.y) / wy;
          if (u * u + v * v > 1.0) continue;
          const double wgt = signal.at<float>(r, c) - background;
          sw += wgt, sx += wgt * c, sy += wgt * r;
        }
      if (sw <= 0) break;
      b.center_px = {sx / sw, sy / sw};
    }
  }
  return blobs;
}

// Least-squares affine from mm points to px points (≥ 3 points).
std::optional<MmToPx> fit_affine(const std::vector<cv::Point2d>& mm, const std::vector<cv::Point2d>& px) {
  const int n = static_cast<int>(mm.size());
  if (n < 3) return std::nullopt;
  cv::Mat a(n, 3, CV_64F), bx(n, 1, CV_64F), by(n, 1, CV_64F);
  for (int i = 0; i < n; ++i) {
    a.at<double>(i, 0) = mm[static_cast<std::size_t>(i)].x;
    a.at<double>(i, 1) = mm[static_cast<std::size_t>(i)].y;
    a.at<double>(i, 2) = 1;
    bx.at<double>(i, 0) = px[static_cast<std::size_t>(i)].x;
    by.at<double>(i, 0) = px[static_cast<std::size_t>(i)].y;
  }
  cv::Mat sx, sy;
  if (!cv::solve(a, bx, sx, cv::DECOMP_SVD) || !cv::solve(a, by, sy, cv::DECOMP_SVD)) return std::nullopt;
  MmToPx t;
  t.m = {sx.at<double>(0), sx.at<double>(1), sx.at<double>(2), sy.at<double>(0), sy.at<double>(1), sy.at<double>(2)};
  if (std::abs(t.determinant()) < 1e-12) return std::nullopt;
  return t;
}

// True when the points (≥ 2) lie close to one line: smallest/largest principal spread < 2 %.
bool collinear(const std::vector<cv::Point2d>& p) {
  cv::Point2d c(0, 0);
  for (const auto& q : p) c += q;
  c *= 1.0 / static_cast<double>(p.size());
  double sxx = 0, syy = 0, sxy = 0;
  for (const auto& q : p) sxx += (q.x - c.x) * (q.x - c.x), syy += (q.y - c.y) * (q.y - c.y), sxy += (q.x - c.x) * (q.y - c.y);
  const double tr = sxx + syy, det = sxx * syy - sxy * sxy;
  const double disc = std::sqrt(std::max(0.0, tr * tr / 4 - det));
  const double l1 = tr / 2 + disc, l2 = tr / 2 - disc;
  return l1 <= 0 || std::sqrt(std::max(l2, 0.0) / l1) < 0.02;
}

// Least-squares similarity (optionally mirrored) in pitch-scaled coordinates, as an MmToPx.
std::optional<MmToPx> fit_similarity(const std::vector<cv::Point2d>& mm, const std::vector<cv::Point2d>& px, double pitch_x,
                                     double pitch_y, bool mirror) {
  if (mm.size() < 2) return std::nullopt;
  cv::Point2d pc(0, 0), qc(0, 0);
  std::vector<cv::Point2d> p, q;
  for (std::size_t i = 0; i < mm.size(); ++i) {
    p.push_back({mirror ? -mm[i].x : mm[i].x, mm[i].y});
    q.push_back({px[i].x * pitch_x, px[i].y * pitch_y});
    pc += p.back(), qc += q.back();
  }
  pc *= 1.0 / static_cast<double>(p.size()), qc *= 1.0 / static_cast<double>(q.size());
  // a = Σ conj(p̃)·q̃ / Σ|p̃|² with points as complex numbers.
  double re = 0, im = 0, nn = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const cv::Point2d a = p[i] - pc, b = q[i] - qc;
    re += a.x * b.x + a.y * b.y, im += a.x * b.y - a.y * b.x, nn += a.x * a.x + a.y * a.y;
  }
  if (nn <= 0) return std::nullopt;
  re /= nn, im /= nn;
  // q = [re −im; im re]·p' + t, p' = F·mm.
  const double f = mirror ? -1 : 1;
  const double tx = qc.x - (re * pc.x - im * pc.y), ty = qc.y - (im * pc.x + re * pc.y);
  MmToPx t;
  t.m = {f * re / pitch_x, -im / pitch_x, tx / pitch_x, f * im / pitch_y, re / pitch_y, ty / pitch_y};
  return t;
}

// Rotation, scales and flips of an affine fit; of the two mirror decompositions the one with
// the smaller rotation is kept.
void decompose(const MmToPx& t, double pitch_x, double pitch_y, LocatedPhantom& out) {
  // P·A = F·S·R with P = diag(pitch), S = diag(sx, sy), R rotation, F flips.
  const double a = t.m[0] * pitch_x, b = t.m[1] * pitch_x, c = t.m[3] * pitch_y, d = t.m[4] * pitch_y;
  const bool mirrored = (a * d - b * c) < 0;
  struct Option {
    bool fx, fy;
  };
  const std::array<Option, 2> options = mirrored ? std::array<Option, 2>{{{true, false}, {false, true}}}
                                                 : std::array<Option, 2>{{{false, false}, {true, true}}};
  double best = 1e9;
  for (const auto& o : options) {
    const double r0x = (o.fx ? -a : a), r0y = (o.fx ? -b : b), r1x = (o.fy ? -c : c), r1y = (o.fy ? -d : d);
    const double theta = std::atan2(r1x, r1y) * 180 / kPi;  // row1 = sy·(sin θ, cos θ)
    if (std::abs(theta) < best) {
      best = std::abs(theta);
      out.rotation_deg = theta;
      out.scale_x = std::hypot(r0x, r0y);
      out.scale_y = std::hypot(r1x, r1y);
      out.flipped_x = o.fx;
      out.flipped_y = o.fy;
    }
  }
}

// The transform the overrides alone describe (centre, angle, scale; flips default to none).
MmToPx override_transform(const Phantom& phantom, const LocateOverrides& o, double pitch_x, double pitch_y) {
  const double th = *o.angle_deg * kPi / 180, s = *o.scale;
  const double fx = o.flip_x.value_or(false) ? -1 : 1, fy = o.flip_y.value_or(false) ? -1 : 1;
  const double c = std::cos(th), sn = std::sin(th);
  MmToPx t;
  t.m[0] = fx * s * c / pitch_x;
  t.m[1] = -fx * s * sn / pitch_x;
  t.m[3] = fy * s * sn / pitch_y;
  t.m[4] = fy * s * c / pitch_y;
  const double cx = phantom.width_mm / 2, cy = phantom.height_mm / 2;
  t.m[2] = *o.center_x_px - (t.m[0] * cx + t.m[1] * cy);
  t.m[5] = *o.center_y_px - (t.m[3] * cx + t.m[4] * cy);
  return t;
}

}  // namespace

Result<ImageLevels> estimate_levels(const cv::Mat& image) {
  if (image.empty() || image.channels() != 1) return fail(ErrorCode::input, "image: expected one non-empty grey plane");
  cv::Mat f = as_float(image);
  cv::Mat sample = f;
  if (f.total() > 2'000'000) {
    const int dec = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(f.total()) / 1'000'000.0)));
    cv::resize(f, sample, cv::Size(std::max(1, f.cols / dec), std::max(1, f.rows / dec)), 0, 0, cv::INTER_NEAREST);
  }
  std::vector<float> v(sample.begin<float>(), sample.end<float>());
  std::sort(v.begin(), v.end());
  ImageLevels lv;
  lv.low = v[v.size() / 1000];
  lv.high = v[v.size() - 1 - v.size() / 1000];
  if (!(lv.high > lv.low)) return fail(ErrorCode::input, "image: constant (no structure to analyse)");
  // Mode of a 1024-bin histogram between the percentiles, refined as the mean of its bin ± 2.
  constexpr int bins = 1024;
  std::vector<int> hist(bins, 0);
  const double w = (lv.high - lv.low) / bins;
  for (float x : v) {
    const int b = std::clamp(static_cast<int>((x - lv.low) / w), 0, bins - 1);
    ++hist[static_cast<std::size_t>(b)];
  }
  // Smooth the histogram a little so single-bin noise does not pick the mode.
  int mode = 0;
  long best = -1;
  for (int b = 0; b < bins; ++b) {
    long s = 0;
    for (int k = std::max(0, b - 3); k <= std::min(bins - 1, b + 3); ++k) s += hist[static_cast<std::size_t>(k)];
    if (s > best) best = s, mode = b;
  }
  const double lo = lv.low + (mode - 3) * w, hi = lv.low + (mode + 4) * w;
  double sum = 0;
  long cnt = 0;
  for (float x : v)
    if (x >= lo && x < hi) sum += x, ++cnt;
  lv.air = cnt > 0 ? sum / static_cast<double>(cnt) : lv.low + (mode + 0.5) * w;
  lv.noise_sigma = std::max(difference_sigma(f), 1e-9);
  // Polarity: attenuating material lies on the far side of the air mode.
  const double margin = std::max(6 * lv.noise_sigma, 0.02 * (lv.high - lv.low));
  const auto below = std::lower_bound(v.begin(), v.end(), static_cast<float>(lv.air - margin)) - v.begin();
  const auto above = v.end() - std::upper_bound(v.begin(), v.end(), static_cast<float>(lv.air + margin));
  lv.inverted = above > below;
  return lv;
}

cv::Mat signal_image(const cv::Mat& image, const ImageLevels& levels) {
  cv::Mat f = as_float(image);
  if (levels.inverted)
    f -= levels.air;
  else
    f = levels.air - f;
  return f;
}

namespace {

struct Sample {
  double mean = 0, var = 0;
  int n = 0;
};

// Pixel values (nearest) on a grid of about one pixel inside `rect` shrunk to `keep` of its
// sides about its centre; points outside the image are skipped. `hole` (if > 0) keeps only the
// points farther than `hole` mm from the centre (an annulus round a disc).
Sample sample_rect(const cv::Mat& f, const phantoms::Rect& rect, const MmToPx& t, double pitch, double keep,
                   double hole = 0) {
  const auto c = rect.center();
  const double hw = rect.width_mm * keep / 2, hh = rect.height_mm * keep / 2;
  const int nx = std::clamp(static_cast<int>(2 * hw / pitch), 2, 200), ny = std::clamp(static_cast<int>(2 * hh / pitch), 2, 200);
  double s = 0, s2 = 0;
  int n = 0;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double x = c.x_mm - hw + (i + 0.5) * 2 * hw / nx, y = c.y_mm - hh + (j + 0.5) * 2 * hh / ny;
      if (hole > 0 && std::hypot(x - c.x_mm, y - c.y_mm) < hole) continue;
      const auto p = t.apply(x, y);
      const int px = static_cast<int>(std::lround(p.x)), py = static_cast<int>(std::lround(p.y));
      if (px < 0 || py < 0 || px >= f.cols || py >= f.rows) continue;
      const double v = f.at<float>(py, px);
      s += v, s2 += v * v, ++n;
    }
  Sample out;
  out.n = n;
  if (n > 0) out.mean = s / n, out.var = std::max(0.0, s2 / n - out.mean * out.mean);
  return out;
}

// +1 when `dark` (the more attenuating part) reads darker than `bright`, −1 when brighter, 0 when
// the difference is within 3 standard errors or a side has too few points.
int contrast_sign(const Sample& dark, const Sample& bright) {
  if (dark.n < 4 || bright.n < 4) return 0;
  const double se = std::sqrt(dark.var / dark.n + bright.var / bright.n);
  const double d = bright.mean - dark.mean;
  if (std::abs(d) <= 3 * se) return 0;
  return d > 0 ? 1 : -1;
}

struct ObjectPolarity {
  int contrasts = 0;   // contrasts that gave a clear sign (0 = undecided)
  int agreeing = 0;    // of them, those agreeing with the decision
  bool inverted = false;
};

// Polarity from the located object's known contrasts: thickest vs thinnest step of each wedge,
// each fiducial disc vs the ring round it, each material slab/plate/edge vs the open fields. In
// transmission the more attenuating side is darker.
ObjectPolarity polarity_from_object(const cv::Mat& image, const Phantom& phantom, const MmToPx& t, double pitch_x,
                                    double pitch_y) {
  const cv::Mat f = as_float(image);
  const double pitch = std::min(pitch_x, pitch_y);  // sampling step, mm (about one pixel)
  std::vector<int> signs;
  std::vector<Sample> open;
  for (const auto& feat : phantom.features)
    if (const auto* o = std::get_if<phantoms::OpenField>(&feat.shape)) open.push_back(sample_rect(f, o->area, t, pitch, 0.6));
  Sample air;
  for (const auto& o : open)
    if (o.n > air.n) air = o;
  for (const auto& feat : phantom.features) {
    if (const auto* w = std::get_if<phantoms::StepWedge>(&feat.shape); w && w->step_count() >= 2) {
      const auto& th = w->step_thicknesses_mm;
      const auto thick = static_cast<std::size_t>(std::max_element(th.begin(), th.end()) - th.begin());
      const auto thin = static_cast<std::size_t>(std::min_element(th.begin(), th.end()) - th.begin());
      if (th[thick] > th[thin])
        signs.push_back(contrast_sign(sample_rect(f, w->step_area(thick), t, pitch, 0.5),
                                      sample_rect(f, w->step_area(thin), t, pitch, 0.5)));
    } else if (const auto* d = std::get_if<FiducialDisc>(&feat.shape)) {
      const double r = d->diameter_mm / 2;
      const phantoms::Rect inner{d->center.x_mm - r, d->center.y_mm - r, 2 * r, 2 * r, 0};
      const phantoms::Rect ring{d->center.x_mm - 2.2 * r, d->center.y_mm - 2.2 * r, 4.4 * r, 4.4 * r, 0};
      signs.push_back(contrast_sign(sample_rect(f, inner, t, pitch, 0.5), sample_rect(f, ring, t, pitch, 1.0, 1.5 * r)));
    } else if (air.n > 0) {
      const phantoms::Rect* area = nullptr;
      if (const auto* sl = std::get_if<phantoms::Slab>(&feat.shape); sl && sl->layer.material != phantoms::Material::air)
        area = &sl->area;
      if (const auto* e = std::get_if<phantoms::SharpEdge>(&feat.shape)) area = &e->area;
      if (area) signs.push_back(contrast_sign(sample_rect(f, *area, t, pitch, 0.5), air));
    }
  }
  int normal = 0, inverted = 0;
  for (int sgn : signs) normal += sgn > 0, inverted += sgn < 0;
  ObjectPolarity out;
  if (normal == inverted) return out;
  out.inverted = inverted > normal;
  out.contrasts = normal + inverted;
  out.agreeing = std::max(normal, inverted);
  return out;
}

// The fit for one assumed polarity (levels->inverted).
Result<LocatedPhantom> locate_with_levels(const cv::Mat& image, const Phantom& phantom, double pitch_x, double pitch_y,
                                          const KitOptions& options, const ImageLevels* levels,
                                          std::vector<std::string>& warnings) {
  LocatedPhantom out;
  out.air_level = levels->air;
  out.inverted = levels->inverted;
  const auto& ov = options.overrides;
  const bool full_override = ov.center_x_px && ov.center_y_px && ov.angle_deg && ov.scale;

  std::vector<const FiducialDisc*> fids;
  std::vector<std::string> fid_ids;
  for (const auto& f : phantom.features)
    if (const auto* d = std::get_if<FiducialDisc>(&f.shape)) fids.push_back(d), fid_ids.push_back(f.id);
  if (fids.empty() && !full_override)
    return fail(ErrorCode::input, fmt::format("phantom {}: no fiducials to locate it with", phantom.id));

  double r_mm = 1e9;
  for (const auto* d : fids) r_mm = std::min(r_mm, d->diameter_mm / 2);
  std::vector<Blob> blobs;
  if (!fids.empty()) {
    const cv::Mat signal = signal_image(image, *levels);
    blobs = find_blobs(signal, *levels, r_mm / pitch_x, r_mm / pitch_y);
  }

  // Hypotheses from every fiducial pair ↔ blob pair, in nominal-mm space (px · pitch).
  std::vector<cv::Point2d> bq;
  for (const auto& b : blobs) bq.push_back({b.center_px.x * pitch_x, b.center_px.y * pitch_y});
  std::vector<cv::Point2d> fp;
  for (const auto* d : fids) fp.push_back({d->center.x_mm, d->center.y_mm});
  const double tol_mm = std::max(0.5 * r_mm * 2, 3.0 * std::max(pitch_x, pitch_y));
  struct Hyp {
    std::vector<Match> matches;
    double rms = 1e18;
    double rot_abs = 0;
    bool mirror = false;
  };
  std::optional<Hyp> best;
  auto better = [](const Hyp& a, const Hyp& b) {
    if (a.matches.size() != b.matches.size()) return a.matches.size() > b.matches.size();
    // Symmetric fiducial layouts fit equally well several ways: prefer no mirror and the
    // smallest rotation among fits within 1 mm RMS of each other.
    if (std::abs(a.rms - b.rms) > 1.0) return a.rms < b.rms;
    if (a.mirror != b.mirror) return !a.mirror;
    return a.rot_abs < b.rot_abs;
  };
  int ties = 0;
  for (std::size_t i = 0; i < fp.size(); ++i)
    for (std::size_t j = 0; j < fp.size(); ++j) {
      if (i == j) continue;
      for (std::size_t a = 0; a < bq.size(); ++a)
        for (std::size_t b = 0; b < bq.size(); ++b) {
          if (a == b) continue;
          for (int mirror = 0; mirror < 2; ++mirror) {
            const auto t = similarity_from_pair(fp[i], fp[j], bq[a], bq[b], mirror != 0);
            if (t.s < 0.8 || t.s > 1.25) continue;
            if (ov.scale && std::abs(t.s / *ov.scale - 1) > 0.05) continue;
            const double rot = wrap_deg(t.theta * 180 / kPi);
            if (ov.angle_deg && std::abs(wrap_deg(rot - *ov.angle_deg)) > 3 && !mirror) continue;
            if (ov.flip_x || ov.flip_y) {
              const bool want_mirror = ov.flip_x.value_or(false) != ov.flip_y.value_or(false);
              if (want_mirror != (mirror != 0)) continue;
            }
            Hyp h;
            h.mirror = mirror != 0;
            h.rot_abs = std::abs(rot);
            double se = 0;
            std::vector<bool> used(bq.size(), false);
            for (std::size_t k = 0; k < fp.size(); ++k) {
              const auto p = t.apply(fp[k]);
              // A similarity cannot follow different x/y scales: allow 7 % of the distance.
              double dmin = tol_mm + 0.07 * std::hypot(fp[k].x - fp[i].x, fp[k].y - fp[i].y);
              std::optional<std::size_t> hit;
              for (std::size_t m = 0; m < bq.size(); ++m) {
                if (used[m]) continue;
                const double dd = std::hypot(bq[m].x - p.x, bq[m].y - p.y);
                if (dd < dmin) dmin = dd, hit = m;
              }
              if (hit) used[*hit] = true, h.matches.push_back({k, *hit}), se += dmin * dmin;
            }
            if (h.matches.size() < 2) continue;
            h.rms = std::sqrt(se / static_cast<double>(h.matches.size()));
            if (!best || better(h, *best)) {
              if (best && best->matches.size() == h.matches.size() && std::abs(best->rms - h.rms) <= 1.0 &&
                  (best->mirror != h.mirror || std::abs(best->rot_abs - h.rot_abs) > 20))
                ++ties;
              best = h;
            }
          }
        }
    }

  std::optional<MmToPx> fit;
  if (best && best->matches.size() >= 3) {
    std::vector<cv::Point2d> mm, px;
    for (const auto& m : best->matches) mm.push_back(fp[m.fiducial]), px.push_back(blobs[m.blob].center_px);
    const bool line = collinear(mm);
    fit = line ? fit_similarity(mm, px, pitch_x, pitch_y, best->mirror) : fit_affine(mm, px);
    if (line) warnings.push_back("locate: the fiducials found lie on one line: similarity fit (equal x/y scale); a mirror "
                                 "about that line cannot be told");
    if (fit && !line) {
      // Re-match every fiducial with the affine fit and a tight tolerance, then refit.
      std::vector<Match> rematch;
      for (std::size_t k = 0; k < fp.size(); ++k) {
        const auto e = fit->apply(fp[k].x, fp[k].y);
        double dmin = tol_mm / std::max(pitch_x, pitch_y);
        std::optional<std::size_t> hit;
        for (std::size_t m = 0; m < blobs.size(); ++m) {
          const double dd = std::hypot(blobs[m].center_px.x - e.x, blobs[m].center_px.y - e.y);
          if (dd < dmin) dmin = dd, hit = m;
        }
        if (hit) rematch.push_back({k, *hit});
      }
      if (rematch.size() >= best->matches.size()) {
        std::vector<cv::Point2d> mm2, px2;
        for (const auto& m : rematch) mm2.push_back(fp[m.fiducial]), px2.push_back(blobs[m.blob].center_px);
        if (auto f2 = fit_affine(mm2, px2)) fit = f2, best->matches = rematch, mm = mm2, px = px2;
      }
    }
    if (fit) {
      double se = 0;
      for (std::size_t k = 0; k < mm.size(); ++k) {
        const auto e = fit->apply(mm[k].x, mm[k].y) - px[k];
        se += e.dot(e);
      }
      // RMS with the fit's 6 degrees of freedom taken out where points allow.
      const double params = line ? 2.0 : 3.0;  // per coordinate
      const double dof = static_cast<double>(mm.size()) > params ? static_cast<double>(mm.size()) - params : 1.0;
      out.residual_px = std::sqrt(se / dof / 2.0);
      if (mm.size() == 3 && !line) warnings.push_back("locate: only 3 fiducials found: the fit cannot be checked");
      if (ties > 0) warnings.push_back("locate: fiducial layout is symmetric; orientation chosen as the smallest rotation without mirror");
    }
  }
  if (!fit) {
    if (full_override) {
      fit = override_transform(phantom, ov, pitch_x, pitch_y);
      out.overridden = true;
      warnings.push_back("locate: fiducials not found; placed from the centre/angle/scale overrides");
    } else {
      return fail(ErrorCode::input,
                  fmt::format("phantom not found: {} of {} fiducials of '{}' matched (need 3); check the kit, "
                              "the phantom and the pixel pitch, or give --center/--angle/--scale",
                              best ? best->matches.size() : 0, fids.size(), phantom.id));
    }
  } else if (out.residual_px > options.max_residual_px) {
    return fail(ErrorCode::input, fmt::format("phantom not found: fiducial fit residual {:.2f} px exceeds {:.2f} px",
                                              out.residual_px, options.max_residual_px));
  }
  if (ov.center_x_px || ov.angle_deg || ov.scale) out.overridden = true;
  out.mm_to_px = *fit;
  decompose(*fit, pitch_x, pitch_y, out);
  for (std::size_t k = 0; k < fids.size(); ++k) {
    FiducialMatch fm;
    fm.feature_id = fid_ids[k];
    fm.expected_px = fit->apply(fids[k]->center);
    if (best && !out.overridden)
      for (const auto& m : best->matches)
        if (m.fiducial == k) {
          fm.found_px = blobs[m.blob].center_px;
          fm.residual_px = std::hypot(fm.found_px->x - fm.expected_px.x, fm.found_px->y - fm.expected_px.y);
        }
    out.fiducials.push_back(fm);
  }
  return out;
}


}  // namespace

Result<LocatedPhantom> locate_phantom(const cv::Mat& image, const Phantom& phantom, double pitch_x, double pitch_y,
                                      const KitOptions& options, std::vector<std::string>& warnings) {
  if (!(pitch_x > 0) || !(pitch_y > 0)) return fail(ErrorCode::input, "pixel pitch unknown: give --pixel-mm");
  auto levels = estimate_levels(image);
  if (!levels) return tl::unexpected(levels.error());
  const Polarity stated = options.overrides.polarity.value_or(options.polarity);
  if (stated != Polarity::automatic) {
    levels->inverted = stated == Polarity::inverted;
    auto out = locate_with_levels(image, phantom, pitch_x, pitch_y, options, &*levels, warnings);
    if (out) out->polarity_method = fmt::format("stated: {}", polarity_name(stated));
    return out;
  }
  // Automatic: locate with the histogram's guess (or, failing that, the other polarity), then let
  // the located object decide; relocate when it disagrees with the polarity used.
  const bool guess = levels->inverted;
  std::vector<std::string> w1;
  auto out = locate_with_levels(image, phantom, pitch_x, pitch_y, options, &*levels, w1);
  if (!out) {
    levels->inverted = !guess;
    std::vector<std::string> w2;
    auto other = locate_with_levels(image, phantom, pitch_x, pitch_y, options, &*levels, w2);
    if (!other) return tl::unexpected(out.error());
    out = std::move(other), w1 = std::move(w2);
  }
  const ObjectPolarity vote = polarity_from_object(image, phantom, out->mm_to_px, pitch_x, pitch_y);
  if (vote.contrasts > 0 && vote.inverted != levels->inverted) {
    levels->inverted = vote.inverted;
    std::vector<std::string> w2;
    if (auto again = locate_with_levels(image, phantom, pitch_x, pitch_y, options, &*levels, w2))
      out = std::move(again), w1 = std::move(w2);
    out->inverted = vote.inverted;
  }
  warnings.insert(warnings.end(), w1.begin(), w1.end());
  if (vote.contrasts == 0) {
    out->polarity_method = fmt::format("auto: {} from the histogram (no known attenuating part of the object could be "
                                       "compared with its surroundings)",
                                       out->inverted ? "inverted" : "normal");
    return out;
  }
  out->polarity_method =
      fmt::format("auto: {} from the located object ({} of {} known contrasts (thicker vs thinner step, disc vs its "
                  "surround, material vs open field) say attenuating parts are {} than their surroundings){}",
                  vote.inverted ? "inverted" : "normal", vote.agreeing, vote.contrasts, vote.inverted ? "brighter" : "darker",
                  vote.inverted != guess ? "; the histogram guessed the opposite" : "");
  return out;
}

}  // namespace niikit::testkits::kits
