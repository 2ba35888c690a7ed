#include "reports/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "reports/chart_axes.hpp"

namespace niikit::reports {

namespace {

constexpr double kSmall_px = 11, kLabel_px = 12, kTitle_px = 14;

// Characters, not bytes: UTF-8 continuation bytes do not count.
double est_width(const std::string& s, double font_px) {
  const auto chars = std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  return static_cast<double>(chars) * font_px * 0.6;
}

// Legend: centred rows (wrapping when wide) appended to `s`; returns the y below it.
double svg_legend(std::string& s, const Chart& chart, double width, double top) {
  const bool legend = chart.series.size() > 1 || (!chart.series.empty() && !chart.series.front().name.empty());
  if (!legend) return top;
  double x = 0, row_y = top + kSmall_px;
  std::string items;
  std::vector<std::pair<double, std::string>> row;
  auto flush = [&] {
    const double shift = (width - x) / 2;
    for (auto& [px, item] : row) items += fmt::format("<g transform=\"translate({:.1f},0)\">{}</g>", shift, item);
    row.clear();
    x = 0;
  };
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const double w = 22 + est_width(chart.series[i].name, kSmall_px);
    if (x > 0 && x + w > width - 20) flush(), row_y += kSmall_px + 4;
    const std::string swatch =
        chart.kind == ChartKind::scatter
            ? fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>", x + 7, row_y - 4, series_colour(i))
        : chart.kind == ChartKind::bar
                                   ? fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"8\" fill=\"{}\"/>",
                                                 x, row_y - 8, series_colour(i))
                                   : fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                                                 x, row_y - 4, x + 14, row_y - 4, series_colour(i));
    row.push_back({x, swatch + fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\">{}</text>", x + 18, row_y,
                                           kSmall_px, xml_escape(chart.series[i].name))});
    x += w + 14;
  }
  flush();
  s += items;
  top = row_y + 10;
  return top;
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_chart(const Chart& chart, double width, double height) {
  const ChartAxes ax = chart_axes(chart);
  std::string s = fmt::format(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
      "aria-label=\"{}\" font-family=\"DejaVu Sans, Verdana, sans-serif\">",
      width, height, xml_escape(chart.title));
  double top = 4;
  if (!chart.title.empty()) {
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\">{}</text>",
                     width / 2, top + kTitle_px, kTitle_px, xml_escape(chart.title));
    top += kTitle_px + 8;
  }
  top = svg_legend(s, chart, width, top);
  top += 6;

  std::vector<std::string> ylabels;
  double ytick_w = 0;
  for (double t : ax.y.ticks) {
    ylabels.push_back(tick_label(t, ax.y.step));
    ytick_w = std::max(ytick_w, est_width(ylabels.back(), kSmall_px));
  }
  double cat_w = 0;
  for (const auto& c : chart.categories) cat_w = std::max(cat_w, est_width(c, kSmall_px));
  const double left = (chart.y_label.empty() ? 6 : kLabel_px + 12) + ytick_w + 6;
  const double right = width - 12;
  const double slot_w = ax.categorical ? (right - left) / ax.slots : 0;
  const bool rotate = ax.categorical && cat_w > slot_w * 0.9;
  const double xtick_h = rotate ? cat_w * 0.72 + kSmall_px : kSmall_px + 4;
  const double bottom = height - 6 - xtick_h - (chart.x_label.empty() ? 0 : kLabel_px + 6);
  auto px = [&](double x) { return left + (x - ax.x.lo) / (ax.x.hi - ax.x.lo) * (right - left); };
  auto py = [&](double y) { return bottom - (y - ax.y.lo) / (ax.y.hi - ax.y.lo) * (bottom - top); };

  for (std::size_t i = 0; i < ax.y.ticks.size(); ++i) {
    const double y = py(ax.y.ticks[i]);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e2e2e2\"/>", left, y, right, y);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"{}\">{}</text>", left - 5,
                     y + kSmall_px * 0.35, kSmall_px, ylabels[i]);
  }
  if (ax.categorical) {
    for (int k = 0; k < ax.slots; ++k) {
      const std::string label = static_cast<std::size_t>(k) < chart.categories.size()
                                    ? chart.categories[static_cast<std::size_t>(k)]
                                    : std::to_string(k);
      const double x = px(k);
      if (rotate)
        s += fmt::format("<text transform=\"translate({:.1f},{:.1f}) rotate(-45)\" text-anchor=\"end\" font-size=\"{}\">{}</text>",
                         x + 3, bottom + 10, kSmall_px, xml_escape(label));
      else
        s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>", x,
                         bottom + kSmall_px + 3, kSmall_px, xml_escape(label));
    }
  } else {
    for (double t : ax.x.ticks) {
      const double x = px(t);
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e2e2e2\"/>", x, top, x, bottom);
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>", x,
                       bottom + kSmall_px + 3, kSmall_px, tick_label(t, ax.x.step));
    }
  }
  s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#555\"/>",
                   left, top, right - left, bottom - top);
  if (!chart.x_label.empty())
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>", (left + right) / 2,
                     height - 6, kLabel_px, xml_escape(chart.x_label));
  if (!chart.y_label.empty())
    s += fmt::format("<text transform=\"translate({:.1f},{:.1f}) rotate(-90)\" text-anchor=\"middle\" font-size=\"{}\">{}</text>",
                     kLabel_px + 2, (top + bottom) / 2, kLabel_px, xml_escape(chart.y_label));

  const std::size_t n = std::max<std::size_t>(chart.series.size(), 1);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto pts = finite_points(chart.series[i]);
    const char* colour = series_colour(i);
    if (chart.kind == ChartKind::bar) {
      const double group = 0.8, bw = group / static_cast<double>(n);
      for (const auto& p : pts) {
        const double x0 = std::round(p.x) - group / 2 + bw * static_cast<double>(i);
        const double y0 = py(std::max(p.y, 0.0)), y1 = py(std::min(p.y, 0.0));
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {}</title></rect>",
                         px(x0), y0, px(x0 + bw) - px(x0), y1 - y0, colour, xml_escape(chart.series[i].name), p.y);
      }
      continue;
    }
    if (chart.kind == ChartKind::line && pts.size() > 1) {
      std::string d;
      for (std::size_t k = 0; k < pts.size(); ++k) d += fmt::format("{}{:.1f},{:.1f}", k ? " L" : "M", px(pts[k].x), py(pts[k].y));
      s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>", d, colour);
    }
    if (chart.kind == ChartKind::scatter || pts.size() <= 40)
      for (const auto& p : pts)
        s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"/>", px(p.x), py(p.y),
                         chart.kind == ChartKind::scatter ? 3.5 : 2.5, colour);
  }
  for (const auto& l : chart.limits) {
    if (!std::isfinite(l.y)) continue;
    const double y = py(l.y);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                     left, y, right, y);
    const double ty = y - top < kSmall_px * 1.3 ? y + kSmall_px + 2 : y - 4;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"{}\" fill=\"#c0392b\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                     right - 4, ty, kSmall_px, xml_escape(l.label));
  }
  s += "</svg>";
  return s;
}

}  // namespace niikit::reports
