#include "reports/chart_axes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace niikit::reports {

Axis nice_axis(double lo, double hi, int target_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) lo = 0, hi = 1;
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  Axis a;
  a.step = step;
  a.lo = std::floor(lo / step + 1e-9) * step;
  a.hi = std::ceil(hi / step - 1e-9) * step;
  if (a.hi <= a.lo) a.hi = a.lo + step;
  for (double t = a.lo; t <= a.hi + step * 1e-6; t += step) a.ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return a;
}

std::string tick_label(double v, double step) {
  char buf[32];
  const double a = std::max(std::abs(v), step);
  if (a >= 1e6 || step < 1e-4) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  int decimals = 0;
  while (decimals < 6) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++decimals;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::vector<ChartPoint> finite_points(const ChartSeries& s) {
  std::vector<ChartPoint> out;
  for (const auto& p : s.points)
    if (std::isfinite(p.x) && std::isfinite(p.y)) out.push_back(p);
  return out;
}

ChartAxes chart_axes(const Chart& chart) {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo;
  double ylo = xlo, yhi = -xlo;
  for (const auto& s : chart.series)
    for (const auto& p : finite_points(s)) {
      xlo = std::min(xlo, p.x), xhi = std::max(xhi, p.x);
      ylo = std::min(ylo, p.y), yhi = std::max(yhi, p.y);
    }
  for (const auto& l : chart.limits)
    if (std::isfinite(l.y)) ylo = std::min(ylo, l.y), yhi = std::max(yhi, l.y);
  ChartAxes axes;
  if (chart.kind == ChartKind::bar) {
    ylo = std::min(ylo, 0.0);
    yhi = std::max(yhi, 0.0);
    axes.categorical = true;
    int slots = static_cast<int>(chart.categories.size());
    if (std::isfinite(xhi)) slots = std::max(slots, static_cast<int>(std::floor(xhi)) + 1);
    axes.slots = std::max(slots, 1);
    axes.x.lo = -0.5;
    axes.x.hi = axes.slots - 0.5;
    axes.x.step = 1;
  } else {
    if (!std::isfinite(xlo)) xlo = 0, xhi = 1;
    axes.x = nice_axis(xlo, xhi);
  }
  if (!std::isfinite(ylo)) ylo = 0, yhi = 1;
  // A little headroom so the top point and limit labels are not on the frame.
  axes.y = nice_axis(ylo, yhi + (yhi - ylo) * 0.04);
  return axes;
}

const char* series_colour(std::size_t i) {
  static constexpr std::array<const char*, 7> palette{"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                                      "#56b4e9", "#d55e00", "#000000"};
  return palette[i % palette.size()];
}

}  // namespace niikit::reports
