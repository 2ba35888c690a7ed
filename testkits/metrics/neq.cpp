#include "testkits/metrics/neq.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "testkits/metrics/noise_power.hpp"

namespace niikit::testkits {

namespace {

struct Sample {
  double f = 0.0;
  double v = 0.0;
};

// Linear interpolation in a curve sorted by f; empty outside [first f, last f].
std::optional<double> interpolate(const std::vector<Sample>& curve, double f) {
  if (curve.empty() || f < curve.front().f - 1e-12 || f > curve.back().f + 1e-12) return std::nullopt;
  auto hi = std::lower_bound(curve.begin(), curve.end(), f, [](const Sample& s, double x) { return s.f < x; });
  if (hi == curve.end()) return curve.back().v;
  if (hi == curve.begin() || hi->f == f) return hi->v;
  const auto lo = hi - 1;
  const double t = (f - lo->f) / (hi->f - lo->f);
  return lo->v + t * (hi->v - lo->v);
}

std::vector<Sample> mtf_samples(const std::vector<MtfPoint>& curve) {
  std::vector<Sample> s;
  for (const auto& p : curve) s.push_back({p.f_cy_px, p.mtf});
  return s;
}

std::vector<Sample> nnps_samples(const std::vector<NnpsPoint>& curve) {
  std::vector<Sample> s;
  for (const auto& p : curve) s.push_back({p.frequency, p.nnps});
  return s;
}

Status check_options(const std::vector<MtfPoint>& mtf_x, const std::vector<MtfPoint>& mtf_y,
                     const std::vector<cv::Mat>& blanks, const NeqOptions& o) {
  if (mtf_x.empty() && mtf_y.empty()) return fail(ErrorCode::input, "NEQ: no MTF curve (edge along x or y) given");
  if (blanks.empty()) return fail(ErrorCode::input, "NEQ: no blank (flat) image given");
  if (!(o.pixel_mm_x > 0.0 && o.pixel_mm_y > 0.0))
    return fail(ErrorCode::input, "NEQ: the pixel pitch is unknown (give --pixel-mm or images with pitch metadata)");
  if (o.at_lp_mm.empty()) return fail(ErrorCode::input, "NEQ: no frequency to report");
  for (double f : o.at_lp_mm)
    if (!(f > 0.0)) return fail(ErrorCode::input, fmt::format("NEQ: frequency {:g} lp/mm: must be > 0", f));
  for (std::size_t i = 0; i < blanks.size(); ++i)
    if (blanks[i].empty() || blanks[i].channels() != 1 || blanks[i].size() != blanks[0].size())
      return fail(ErrorCode::input, fmt::format("NEQ: blank {} is empty, not one channel or of another size", i + 1));
  return {};
}

// NEQ at each frequency from the MTF (cy/px curve, pitch mm) and a noise curve in cy/mm:
// value = scale · MTF² / noise. Out-of-range frequencies stay empty, with a warning.
std::vector<NeqAt> neq_at(const std::vector<MtfPoint>& mtf, double pixel_mm, const std::vector<Sample>& noise,
                          double scale, const NeqOptions& o, char axis, std::vector<std::string>& warnings) {
  std::vector<NeqAt> out;
  if (mtf.empty()) return out;
  const auto m = mtf_samples(mtf);
  for (double f : o.at_lp_mm) {
    NeqAt at{f, std::nullopt};
    const auto t = interpolate(m, f * pixel_mm);
    const auto n = interpolate(noise, f);
    if (t && n && *n > 0.0)
      at.neq = scale * (*t) * (*t) / *n;
    else
      warnings.push_back(fmt::format("range: NEQ_{} at {:g} lp/mm not available (beyond the MTF curve, Nyquist "
                                     "{:g} lp/mm, or the NPS frequency range)",
                                     axis, f, 0.5 / pixel_mm));
    out.push_back(at);
  }
  return out;
}

Result<NeqResult> neq_iec62220(const std::vector<MtfPoint>& mtf_x, const std::vector<MtfPoint>& mtf_y,
                               const std::vector<cv::Mat>& blanks, const NeqOptions& o) {
  NpsOptions nps_options;
  nps_options.roi = o.flat_roi;
  nps_options.pixel_mm_x = o.pixel_mm_x;
  nps_options.pixel_mm_y = o.pixel_mm_y;
  nps_options.tile_px = o.tile_px;
  auto nps = measure_nps(blanks, nps_options);
  if (!nps) return tl::unexpected(nps.error());
  NeqResult r;
  r.unit = "1/mm2";
  r.mean_signal = nps->mean_signal;
  const RoiPx roi = o.flat_roi ? *o.flat_roi : full_roi(blanks.front());
  r.crop_width_px = roi.width_px;
  r.crop_height_px = roi.height_px;
  r.neq_x_at = neq_at(mtf_x, o.pixel_mm_x, nnps_samples(nps->nnps_x), 1.0, o, 'x', r.warnings);
  r.neq_y_at = neq_at(mtf_y, o.pixel_mm_y, nnps_samples(nps->nnps_y), 1.0, o, 'y', r.warnings);
  return r;
}

// NIST/N42.55 1-D NPS along the rows of `m`: mean over rows of |2·DFT/N|², k = 0 … N/2, at
// f = k / (N · pitch) cy/mm.
std::vector<Sample> row_nps(const cv::Mat& m, double pixel_mm) {
  cv::Mat spectrum;
  cv::dft(m, spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  const int n = m.cols;
  std::vector<Sample> out(static_cast<std::size_t>(n / 2 + 1));
  for (int k = 0; k <= n / 2; ++k) {
    double s = 0.0;
    for (int r = 0; r < m.rows; ++r) {
      const auto c = spectrum.at<cv::Vec2d>(r, k);
      s += 4.0 * (c[0] * c[0] + c[1] * c[1]) / (static_cast<double>(n) * n);
    }
    out[static_cast<std::size_t>(k)] = {k / (n * pixel_mm), s / m.rows};
  }
  return out;
}

void accumulate(std::vector<NeqAt>& total, const std::vector<NeqAt>& one, std::size_t blanks) {
  if (total.empty()) {
    total = one;
    for (auto& t : total)
      if (t.neq) *t.neq /= static_cast<double>(blanks);
    return;
  }
  for (std::size_t i = 0; i < total.size(); ++i) {
    if (total[i].neq && one[i].neq) *total[i].neq += *one[i].neq / static_cast<double>(blanks);
    else total[i].neq.reset();
  }
}

Result<NeqResult> neq_n4255(const std::vector<MtfPoint>& mtf_x, const std::vector<MtfPoint>& mtf_y,
                            const std::vector<cv::Mat>& blanks, const NeqOptions& o) {
  const RoiPx roi = o.flat_roi ? *o.flat_roi : full_roi(blanks.front());
  if (auto ok = check_roi(blanks.front(), roi, 8, 8); !ok) return tl::unexpected(ok.error());
  NeqResult r;
  r.unit = "1";
  r.crop_width_px = std::min(roi.width_px, static_cast<int>(std::floor(o.n4255_max_side_mm / o.pixel_mm_x + 1e-9)));
  r.crop_height_px = std::min(roi.height_px, static_cast<int>(std::floor(o.n4255_max_side_mm / o.pixel_mm_y + 1e-9)));
  if (r.crop_width_px < 8 || r.crop_height_px < 8)
    return fail(ErrorCode::input, fmt::format("NEQ n4255: crop {} x {} px too small", r.crop_width_px, r.crop_height_px));
  const cv::Rect crop(roi.x_px + (roi.width_px - r.crop_width_px) / 2, roi.y_px + (roi.height_px - r.crop_height_px) / 2,
                      r.crop_width_px, r.crop_height_px);
  std::vector<std::string> warnings;  // identical per blank: keep the first blank's
  for (const auto& blank : blanks) {
    cv::Mat m, t;
    blank(crop).convertTo(m, CV_64F);
    const double s_out = cv::mean(m)[0];
    if (!(s_out > 0.0)) return fail(ErrorCode::input, fmt::format("NEQ n4255: blank mean {:g} is not > 0", s_out));
    cv::transpose(m, t);
    const auto nps_x = row_nps(m, o.pixel_mm_x);
    const auto nps_y = row_nps(t, o.pixel_mm_y);
    warnings.clear();
    accumulate(r.neq_x_at, neq_at(mtf_x, o.pixel_mm_x, nps_x, s_out * s_out, o, 'x', warnings), blanks.size());
    accumulate(r.neq_y_at, neq_at(mtf_y, o.pixel_mm_y, nps_y, s_out * s_out, o, 'y', warnings), blanks.size());
    r.mean_signal += s_out / static_cast<double>(blanks.size());
  }
  r.warnings = warnings;
  return r;
}

}  // namespace

std::string_view neq_definition_name(NeqDefinition definition) {
  return definition == NeqDefinition::n4255 ? "n4255" : "iec62220";
}

std::optional<NeqDefinition> parse_neq_definition(std::string_view text) {
  if (text == "iec62220") return NeqDefinition::iec62220;
  if (text == "n4255") return NeqDefinition::n4255;
  return std::nullopt;
}

Result<NeqResult> compute_neq(const std::vector<MtfPoint>& mtf_x, const std::vector<MtfPoint>& mtf_y,
                              const std::vector<cv::Mat>& blanks, const NeqOptions& options) {
  if (auto ok = check_options(mtf_x, mtf_y, blanks, options); !ok) return tl::unexpected(ok.error());
  Result<NeqResult> r;
  try {
    r = options.definition == NeqDefinition::n4255 ? neq_n4255(mtf_x, mtf_y, blanks, options)
                                                   : neq_iec62220(mtf_x, mtf_y, blanks, options);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::input, fmt::format("NEQ: {}", e.what()));
  }
  if (!r) return r;
  r->definition = options.definition;
  r->blank_count = static_cast<int>(blanks.size());
  return r;
}

}  // namespace niikit::testkits
