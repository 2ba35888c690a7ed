// Dual-energy material classification (see material_classes.hpp).
#include "testkits/metrics/material_classes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

namespace niikit::testkits {
namespace {

constexpr std::array<std::string_view, 4> class_names{"organic", "mixed", "inorganic", "heavy"};

bool known_class(std::string_view name) {
  return std::find(class_names.begin(), class_names.end(), name) != class_names.end();
}

// Sort key: the standard classes in their order, then any other name, "unclassified" last.
int class_rank(std::string_view name) {
  for (std::size_t i = 0; i < class_names.size(); ++i)
    if (class_names[i] == name) return static_cast<int>(i);
  return name == unclassified_material_class ? 1000 : 100;
}

void sort_classes(std::vector<std::string>& names) {
  std::stable_sort(names.begin(), names.end(),
                   [](const std::string& a, const std::string& b) { return class_rank(a) < class_rank(b); });
}

// The curve's R at `a_high`: piecewise linear between points, constant beyond the ends.
double curve_r(const MaterialClassCurve& curve, double a_high) {
  const auto& p = curve.points;
  if (a_high <= p.front().a_high) return p.front().r;
  if (a_high >= p.back().a_high) return p.back().r;
  for (std::size_t i = 1; i < p.size(); ++i)
    if (a_high <= p[i].a_high) {
      const double t = (a_high - p[i - 1].a_high) / (p[i].a_high - p[i - 1].a_high);
      return p[i - 1].r + t * (p[i].r - p[i - 1].r);
    }
  return p.back().r;
}

Status check_calibration(const MaterialCalibration& c) {
  if (c.classes.size() < 2)
    return fail(ErrorCode::input, fmt::format("material calibration '{}': at least 2 classes needed", c.source));
  for (const auto& k : c.classes)
    if (k.points.empty())
      return fail(ErrorCode::input, fmt::format("material calibration '{}': class '{}' has no points", c.source, k.name));
  return {};
}

Status check_planes(const cv::Mat& high, const cv::Mat& low) {
  if (high.empty() || low.empty()) return fail(ErrorCode::input, "dual-energy planes: empty image");
  if (high.channels() != 1 || low.channels() != 1)
    return fail(ErrorCode::input, "dual-energy planes: images must have one channel");
  if (high.size() != low.size())
    return fail(ErrorCode::input, fmt::format("dual-energy planes: sizes differ (high {}x{}, low {}x{})", high.cols,
                                              high.rows, low.cols, low.rows));
  return {};
}

struct PlaneStats {
  double mean = 0, sigma = 0;
  long long count = 0;
  int saturated = 0;
};

PlaneStats plane_stats(const cv::Mat& plane, const RoiPx& roi) {
  const cv::Mat r = plane(roi.rect());
  cv::Scalar mean, sd;
  cv::meanStdDev(r, mean, sd);
  PlaneStats s;
  s.mean = mean[0];
  s.count = roi.pixels();
  s.sigma = sd[0] * std::sqrt(static_cast<double>(s.count) / std::max<double>(1.0, static_cast<double>(s.count - 1)));
  if (plane.depth() == CV_16U) s.saturated = cv::countNonZero(r >= 65535);
  if (plane.depth() == CV_8U) s.saturated = cv::countNonZero(r >= 255);
  return s;
}

// Nearest class curve at (a_high, r), and the distance to the nearest boundary of that class.
std::pair<std::string, double> nearest_class(const MaterialCalibration& c, double a_high, double r,
                                             std::string* neighbour) {
  std::string best;
  double best_d = std::numeric_limits<double>::infinity();
  for (const auto& k : c.classes) {
    const double d = std::abs(r - curve_r(k, a_high));
    if (d < best_d) {
      best_d = d;
      best = k.name;
    }
  }
  double to_boundary = std::numeric_limits<double>::infinity();
  for (const auto& b : material_boundaries(c, a_high))
    if (b.class_below == best || b.class_above == best) {
      const double d = std::abs(r - b.r);
      if (d < to_boundary) {
        to_boundary = d;
        *neighbour = b.class_below == best ? b.class_above : b.class_below;
      }
    }
  return {best, to_boundary};
}

MaterialResult classify_one(const cv::Mat& high, const cv::Mat& low, const DualEnergyLevels& lv,
                            const MaterialSample& sample, const MaterialCalibration& cal) {
  MaterialResult res;
  res.label = sample.label;
  res.expected_class = sample.expected_class;
  res.roi = sample.roi;
  res.measured_class = std::string(unclassified_material_class);
  const PlaneStats h = plane_stats(high, sample.roi), l = plane_stats(low, sample.roi);
  res.mean_high = h.mean;
  res.mean_low = l.mean;
  res.t_high = (h.mean - lv.dark_high) / (lv.air_high - lv.dark_high);
  res.t_low = (l.mean - lv.dark_low) / (lv.air_low - lv.dark_low);
  for (const auto& note : cal.notes) res.warnings.push_back("calibration: " + note);
  if (h.saturated + l.saturated > 0)
    res.warnings.push_back(fmt::format("saturated: {} px (high) and {} px (low) at full scale", h.saturated, l.saturated));
  if (res.t_high < cal.min_transmission || res.t_low < cal.min_transmission) {
    res.warnings.push_back(fmt::format("starved: transmission {:.3g} (high), {:.3g} (low) below {:.3g}; cannot classify",
                                       res.t_high, res.t_low, cal.min_transmission));
    return res;
  }
  res.a_high = -std::log(res.t_high);
  res.a_low = -std::log(res.t_low);
  if (res.a_high < cal.min_a_high || res.a_low <= 0) {
    res.warnings.push_back(
        fmt::format("thin: A_high {:.4f} below {:.4f}; R = A_low/A_high is noise", res.a_high, cal.min_a_high));
    return res;
  }
  res.r = res.a_low / res.a_high;
  const double sa_h = h.sigma / std::sqrt(static_cast<double>(h.count)) / (h.mean - lv.dark_high);
  const double sa_l = l.sigma / std::sqrt(static_cast<double>(l.count)) / (l.mean - lv.dark_low);
  res.r_sigma = res.r * std::hypot(sa_h / res.a_high, sa_l / res.a_low);
  std::string neighbour;
  const auto [name, to_boundary] = nearest_class(cal, res.a_high, res.r, &neighbour);
  res.measured_class = name;
  res.margin_sigma = res.r_sigma > 0 ? to_boundary / res.r_sigma : std::numeric_limits<double>::infinity();
  if (std::isfinite(to_boundary) && res.margin_sigma < 2.0)
    res.warnings.push_back(fmt::format("ambiguous: R {:.4f} ± {:.4f} is within 2σ of the {}|{} boundary", res.r,
                                       res.r_sigma, name, neighbour));
  res.correct = !res.expected_class.empty() && res.expected_class == res.measured_class;
  return res;
}

}  // namespace

std::span<const std::string_view> material_class_names() { return class_names; }

Result<DualEnergyLevels> measure_air_levels(const cv::Mat& high, const cv::Mat& low, std::span<const RoiPx> air_rois,
                                            double dark_high, double dark_low) {
  if (auto ok = check_planes(high, low); !ok) return tl::unexpected(ok.error());
  if (air_rois.empty()) return fail(ErrorCode::input, "air levels: at least one air ROI needed");
  double sum_h = 0, sum_l = 0;
  long long n = 0;
  for (const RoiPx& roi : air_rois) {
    if (auto ok = check_roi(high, roi, 3, 3); !ok) return tl::unexpected(ok.error().with_context("air ROI"));
    sum_h += cv::sum(high(roi.rect()))[0];
    sum_l += cv::sum(low(roi.rect()))[0];
    n += roi.pixels();
  }
  DualEnergyLevels lv{sum_h / static_cast<double>(n), sum_l / static_cast<double>(n), dark_high, dark_low};
  if (!(lv.air_high > dark_high) || !(lv.air_low > dark_low))
    return fail(ErrorCode::input, fmt::format("air levels: air ({:.1f} high, {:.1f} low) not above dark ({}, {})",
                                              lv.air_high, lv.air_low, dark_high, dark_low));
  return lv;
}

Result<MaterialCalibration> calibrate_material_classes(std::span<const MaterialReference> references,
                                                       std::string source) {
  std::map<std::string, std::vector<MaterialCurvePoint>> by_class;
  for (const auto& ref : references) {
    if (!known_class(ref.class_name))
      return fail(ErrorCode::input, fmt::format("material references: unknown class '{}' (organic, mixed, inorganic, "
                                                "heavy)",
                                                ref.class_name));
    if (!(ref.a_high > 0) || !(ref.r > 0) || !std::isfinite(ref.a_high) || !std::isfinite(ref.r))
      return fail(ErrorCode::input, fmt::format("material references: class '{}': A_high {} and R {} must be > 0",
                                                ref.class_name, ref.a_high, ref.r));
    by_class[ref.class_name].push_back({ref.a_high, ref.r});
  }
  if (by_class.size() < 2)
    return fail(ErrorCode::input, fmt::format("material references: at least 2 classes needed, got {}", by_class.size()));
  MaterialCalibration cal;
  cal.source = std::move(source);
  std::vector<std::string> names;
  for (const auto& [name, pts] : by_class) names.push_back(name);
  sort_classes(names);
  for (const auto& name : names) {
    auto pts = by_class[name];
    std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.a_high < b.a_high; });
    // Average runs of points whose A_high lie within 2 % of the run's first point.
    MaterialClassCurve curve{name, {}};
    for (std::size_t i = 0; i < pts.size();) {
      std::size_t j = i;
      double sa = 0, sr = 0;
      while (j < pts.size() && pts[j].a_high <= pts[i].a_high * 1.02) {
        sa += pts[j].a_high;
        sr += pts[j].r;
        ++j;
      }
      const double m = static_cast<double>(j - i);
      curve.points.push_back({sa / m, sr / m});
      i = j;
    }
    cal.classes.push_back(std::move(curve));
  }
  return cal;
}

Result<MaterialCalibration> calibrate_material_classes(const cv::Mat& high, const cv::Mat& low,
                                                       const DualEnergyLevels& levels,
                                                       std::span<const MaterialSample> samples) {
  for (const auto& s : samples)
    if (!known_class(s.expected_class))
      return fail(ErrorCode::input, fmt::format("reference '{}': expected class '{}' is not one of organic, mixed, "
                                                "inorganic, heavy",
                                                s.label, s.expected_class));
  MaterialCalibration open;  // classify_blocks needs a calibration; only the measurements are used
  open.classes = {{"organic", {{1.0, 1.0}}}, {"heavy", {{1.0, 2.0}}}};
  open.min_a_high = 0;
  auto measured = classify_blocks(high, low, levels, samples, open);
  if (!measured) return tl::unexpected(measured.error());
  std::vector<MaterialReference> refs;
  for (const auto& m : *measured) {
    if (!(m.r > 0))
      return fail(ErrorCode::input, fmt::format("reference '{}': cannot be measured ({})", m.label,
                                                m.warnings.empty() ? "no signal" : m.warnings.back()));
    refs.push_back({m.expected_class, m.a_high, m.r});
  }
  return calibrate_material_classes(refs, fmt::format("references ({} samples)", refs.size()));
}

Result<MaterialCalibration> default_material_calibration(std::string_view beam_preset) {
  // R = µ/ρ(low) / µ/ρ(high) from the NIST tables of phantoms/materials at the presets'
  // effective energies (mono-energetic: R does not depend on thickness). organic = mean of
  // polyethylene and POM, mixed = aluminium, inorganic = steel, heavy = lead (the materials of
  // the shipped phantoms). test_material_classes recomputes them from phantoms/materials.
  auto flat = [](const char* name, double r) {
    return MaterialClassCurve{name, {{0.01, r}, {20.0, r}}};
  };
  MaterialCalibration cal;
  if (beam_preset == "dual-mev" || beam_preset == "dual") {
    cal.source = "default dual-mev (2000/1400 keV)";
    cal.classes = {flat("organic", 1.20842), flat("mixed", 1.19937), flat("inorganic", 1.18516),
                   flat("heavy", 1.18551)};
    cal.notes.push_back(
        "heavy (lead) and inorganic (steel) differ by 0.03 % in R at 2000/1400 keV: not separable by R");
    return cal;
  }
  if (beam_preset == "dual-kv") {
    cal.source = "default dual-kv (70/40 keV)";
    cal.classes = {flat("organic", 1.26794), flat("mixed", 2.42872), flat("heavy", 4.22968),
                   flat("inorganic", 4.39481)};
    cal.notes.push_back(
        "heavy (lead) and inorganic (steel) differ by 4 % in R at 70/40 keV and lead starves the 40 keV plane");
    return cal;
  }
  return fail(ErrorCode::not_found,
              fmt::format("material calibration: no default for beam '{}' (dual-mev, dual-kv)", beam_preset));
}

std::vector<MaterialBoundary> material_boundaries(const MaterialCalibration& calibration, double a_high) {
  std::vector<std::pair<double, std::string>> at;
  for (const auto& k : calibration.classes)
    if (!k.points.empty()) at.emplace_back(curve_r(k, a_high), k.name);
  std::sort(at.begin(), at.end());
  std::vector<MaterialBoundary> out;
  for (std::size_t i = 1; i < at.size(); ++i)
    out.push_back({(at[i - 1].first + at[i].first) / 2.0, at[i - 1].second, at[i].second});
  return out;
}

Result<std::vector<MaterialResult>> classify_blocks(const cv::Mat& high, const cv::Mat& low,
                                                    const DualEnergyLevels& levels,
                                                    std::span<const MaterialSample> samples,
                                                    const MaterialCalibration& calibration) {
  if (auto ok = check_planes(high, low); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_calibration(calibration); !ok) return tl::unexpected(ok.error());
  if (!(levels.air_high > levels.dark_high) || !(levels.air_low > levels.dark_low))
    return fail(ErrorCode::input, fmt::format("air levels: air ({}, {}) must be above dark ({}, {})", levels.air_high,
                                              levels.air_low, levels.dark_high, levels.dark_low));
  std::vector<MaterialResult> out;
  out.reserve(samples.size());
  for (const auto& s : samples) {
    if (auto ok = check_roi(high, s.roi, 3, 3); !ok)
      return tl::unexpected(ok.error().with_context(fmt::format("block '{}'", s.label)));
    out.push_back(classify_one(high, low, levels, s, calibration));
  }
  return out;
}

ConfusionTable confusion(std::span<const MaterialResult> results) {
  ConfusionTable t;
  auto add_unique = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  for (const auto& r : results) {
    if (r.expected_class.empty()) continue;
    add_unique(t.expected_classes, r.expected_class);
    add_unique(t.measured_classes, r.expected_class);
    add_unique(t.measured_classes, r.measured_class);
  }
  sort_classes(t.expected_classes);
  sort_classes(t.measured_classes);
  t.counts.assign(t.expected_classes.size(), std::vector<int>(t.measured_classes.size(), 0));
  auto index = [](const std::vector<std::string>& v, const std::string& s) {
    return static_cast<std::size_t>(std::find(v.begin(), v.end(), s) - v.begin());
  };
  for (const auto& r : results) {
    if (r.expected_class.empty()) continue;
    ++t.counts[index(t.expected_classes, r.expected_class)][index(t.measured_classes, r.measured_class)];
    ++t.total;
    if (r.correct) ++t.correct;
  }
  return t;
}

}  // namespace niikit::testkits
