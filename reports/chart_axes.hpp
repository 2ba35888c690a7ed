// Axis scaling shared by the drawn charts (PDF via QPainter, HTML via SVG): data extents of a
// Chart, "nice" tick steps (1, 2, 5 × 10^n) and tick label text, plus the series palette, so
// both writers show the same axes. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "reports/report.hpp"

namespace niikit::reports {

struct Axis {
  double lo = 0;                // axis start (a multiple of step)
  double hi = 1;                // axis end (a multiple of step), hi > lo
  double step = 0.2;            // tick spacing
  std::vector<double> ticks;    // lo, lo+step, ... hi
};

// An axis covering [lo, hi] with about `target_ticks` ticks; a zero-width or empty range is
// widened around its value.
Axis nice_axis(double lo, double hi, int target_ticks = 6);

// Tick label for `v` with just enough decimals for `step` ("0.25", "1500", "1e-05").
std::string tick_label(double v, double step);

struct ChartAxes {
  Axis x;               // numeric x axis (for category bar charts: -0.5 .. n-0.5, no ticks)
  Axis y;               // covers every finite y and every limit line; bar charts include 0
  bool categorical = false;   // bar chart with category labels / integer slots
  int slots = 0;              // number of category slots when categorical
};

ChartAxes chart_axes(const Chart& chart);

// The i-th series colour as "#rrggbb" (colour-blind-friendly Okabe–Ito order).
const char* series_colour(std::size_t i);

// Finite points of a series, in order.
std::vector<ChartPoint> finite_points(const ChartSeries& s);

}  // namespace niikit::reports
