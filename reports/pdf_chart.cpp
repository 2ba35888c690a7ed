// Charts painted with QPainter for the PDF writer: frame, grid, ticks, axis labels, legend,
// series (line / bar / scatter) and dashed limit lines with their labels.
#include <QFontMetricsF>
#include <QPainterPath>
#include <cmath>

#include "reports/chart_axes.hpp"
#include "reports/pdf_blocks.hpp"

namespace niikit::reports::pdf {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QFont chart_font(double points, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPointSizeF(points);
  f.setBold(bold);
  return f;
}

const QColor kLimit(0xc0, 0x39, 0x2b);

struct Legend {
  double height = 0;
  std::vector<std::pair<QPointF, std::size_t>> items;   // swatch position, series index
};

// Lays the legend out in rows under the title, centred.
Legend layout_legend(const Chart& chart, const QFontMetricsF& fm, const QRectF& area, double upm) {
  Legend legend;
  if (chart.series.size() < 2 && (chart.series.empty() || chart.series.front().name.empty())) return legend;
  const double swatch = 6 * upm, gap = 2 * upm, item_gap = 5 * upm;
  std::vector<std::vector<std::pair<double, std::size_t>>> rows(1);
  std::vector<double> row_w{0};
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const double w = swatch + gap + fm.horizontalAdvance(q(chart.series[i].name));
    if (!rows.back().empty() && row_w.back() + item_gap + w > area.width()) rows.emplace_back(), row_w.push_back(0);
    if (!rows.back().empty()) row_w.back() += item_gap;
    rows.back().push_back({row_w.back(), i});
    row_w.back() += w;
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double x0 = area.left() + (area.width() - row_w[r]) / 2;
    const double y = area.top() + static_cast<double>(r) * fm.lineSpacing();
    for (const auto& [dx, i] : rows[r]) legend.items.push_back({QPointF(x0 + dx, y), i});
  }
  legend.height = static_cast<double>(rows.size()) * fm.lineSpacing();
  return legend;
}

// Everything the painting steps share: fonts, axes and the plot rectangle.
struct Frame {
  const Chart& chart;
  ChartAxes ax;
  double upm;   // device units per mm
  QFont small, label;
  QFontMetricsF fs, fl;
  QRectF plot;
  double ytick_w = 0;
  bool rotate = false;   // category labels turned 45°

  [[nodiscard]] double px(double x) const { return plot.left() + (x - ax.x.lo) / (ax.x.hi - ax.x.lo) * plot.width(); }
  [[nodiscard]] double py(double y) const { return plot.bottom() - (y - ax.y.lo) / (ax.y.hi - ax.y.lo) * plot.height(); }
};

// Title and legend at the top of `box`; returns the y where the plot may start.
double paint_header(QPainter& p, const Frame& f, const QRectF& box) {
  const QFont title_font = chart_font(9, true);
  const QFontMetricsF ft(title_font, p.device());
  const double upm = f.upm;
  double top = box.top();
  if (!f.chart.title.empty()) {
    p.setFont(title_font);
    p.setPen(Qt::black);
    p.drawText(QRectF(box.left(), top, box.width(), ft.lineSpacing()), Qt::AlignHCenter | Qt::AlignTop,
               q(f.chart.title));
    top += ft.lineSpacing() + 1 * upm;
  }
  const Legend legend = layout_legend(f.chart, f.fs, QRectF(box.left(), top, box.width(), box.height()), upm);
  for (const auto& [pos, i] : legend.items) {
    const QColor colour(series_colour(i));
    const double mid = pos.y() + f.fs.lineSpacing() / 2;
    if (f.chart.kind == ChartKind::bar) {
      p.fillRect(QRectF(pos.x(), mid - 1.5 * upm, 6 * upm, 3 * upm), colour);
    } else if (f.chart.kind == ChartKind::scatter) {
      p.setPen(Qt::NoPen);
      p.setBrush(colour);
      p.drawEllipse(QPointF(pos.x() + 3 * upm, mid), 0.9 * upm, 0.9 * upm);
      p.setBrush(Qt::NoBrush);
    } else {
      p.setPen(QPen(colour, 0.5 * upm));
      p.drawLine(QPointF(pos.x(), mid), QPointF(pos.x() + 6 * upm, mid));
    }
    p.setFont(f.small);
    p.setPen(Qt::black);
    p.drawText(QPointF(pos.x() + 8 * upm, pos.y() + f.fs.ascent()), q(f.chart.series[i].name));
  }
  return top + legend.height + (legend.height > 0 ? 1.5 * upm : 0) + f.fs.lineSpacing() / 2;
}

// Plot rectangle from the tick label sizes: y labels on the left, x labels (maybe turned) below.
void place_plot(Frame& f, const QRectF& box, double top) {
  const double upm = f.upm;
  for (double t : f.ax.y.ticks) f.ytick_w = std::max(f.ytick_w, f.fs.horizontalAdvance(q(tick_label(t, f.ax.y.step))));
  double max_cat_w = 0;
  for (const auto& cat : f.chart.categories) max_cat_w = std::max(max_cat_w, f.fs.horizontalAdvance(q(cat)));
  const double left = box.left() + (f.chart.y_label.empty() ? 0 : f.fl.lineSpacing() + 1.5 * upm) + f.ytick_w + 1.5 * upm;
  const double right = box.right() - 3 * upm;
  const double slot_w = f.ax.categorical ? (right - left) / f.ax.slots : 0;
  f.rotate = f.ax.categorical && max_cat_w > slot_w * 0.9;
  const double xtick_h = f.rotate ? max_cat_w * 0.72 + f.fs.lineSpacing() : f.fs.lineSpacing();
  const double bottom =
      box.bottom() - xtick_h - 1.5 * upm - (f.chart.x_label.empty() ? 0 : f.fl.lineSpacing() + upm);
  f.plot = QRectF(QPointF(left, top), QPointF(right, bottom));
}

void paint_axes(QPainter& p, const Frame& f, const QRectF& box) {
  const double upm = f.upm;
  const QRectF& plot = f.plot;
  const QPen grid(QColor(0xe2, 0xe2, 0xe2), 0.2 * upm);
  p.setFont(f.small);
  for (double t : f.ax.y.ticks) {
    const double y = f.py(t);
    p.setPen(grid);
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    p.setPen(Qt::black);
    p.drawText(QRectF(plot.left() - f.ytick_w - 1.5 * upm, y - f.fs.lineSpacing() / 2, f.ytick_w, f.fs.lineSpacing()),
               Qt::AlignRight | Qt::AlignVCenter, q(tick_label(t, f.ax.y.step)));
  }
  if (f.ax.categorical) {
    const double slot_w = plot.width() / f.ax.slots;
    for (int s = 0; s < f.ax.slots; ++s) {
      const auto k = static_cast<std::size_t>(s);
      const QString text = k < f.chart.categories.size() ? q(f.chart.categories[k]) : QString::number(s);
      const double cx = f.px(s);
      if (f.rotate) {
        p.save();
        p.translate(cx, plot.bottom() + 1.2 * upm);
        p.rotate(-45);
        p.drawText(QPointF(-f.fs.horizontalAdvance(text), f.fs.ascent() / 2), text);
        p.restore();
      } else {
        p.drawText(QRectF(cx - slot_w / 2, plot.bottom() + 1 * upm, slot_w, f.fs.lineSpacing()), Qt::AlignHCenter, text);
      }
    }
  } else {
    for (double t : f.ax.x.ticks) {
      const double x = f.px(t);
      p.setPen(grid);
      p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
      p.setPen(Qt::black);
      p.drawText(QRectF(x - 12 * upm, plot.bottom() + 1 * upm, 24 * upm, f.fs.lineSpacing()), Qt::AlignHCenter,
                 q(tick_label(t, f.ax.x.step)));
    }
  }
  p.setPen(QPen(QColor(0x55, 0x55, 0x55), 0.25 * upm));
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot);
  p.setFont(f.label);
  p.setPen(Qt::black);
  if (!f.chart.x_label.empty())
    p.drawText(QRectF(plot.left(), box.bottom() - f.fl.lineSpacing(), plot.width(), f.fl.lineSpacing()),
               Qt::AlignHCenter, q(f.chart.x_label));
  if (!f.chart.y_label.empty()) {
    p.save();
    p.translate(box.left(), plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), f.fl.lineSpacing()), Qt::AlignHCenter, q(f.chart.y_label));
    p.restore();
  }
}

void paint_series(QPainter& p, const Frame& f) {
  const double upm = f.upm;
  const Chart& chart = f.chart;
  p.save();
  p.setClipRect(f.plot.adjusted(-1.5 * upm, -1.5 * upm, 1.5 * upm, 1.5 * upm));
  const std::size_t n = std::max<std::size_t>(chart.series.size(), 1);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const QColor colour(series_colour(i));
    const auto pts = finite_points(chart.series[i]);
    if (chart.kind == ChartKind::bar) {
      const double group = 0.8, bw = group / static_cast<double>(n);
      for (const auto& pt : pts) {
        const double x0 = std::round(pt.x) - group / 2 + bw * static_cast<double>(i);
        p.fillRect(QRectF(QPointF(f.px(x0), f.py(std::max(pt.y, 0.0))), QPointF(f.px(x0 + bw), f.py(std::min(pt.y, 0.0)))),
                   colour);
      }
      continue;
    }
    if (chart.kind == ChartKind::line && pts.size() > 1) {
      QPainterPath path(QPointF(f.px(pts[0].x), f.py(pts[0].y)));
      for (std::size_t k = 1; k < pts.size(); ++k) path.lineTo(f.px(pts[k].x), f.py(pts[k].y));
      p.setPen(QPen(colour, 0.45 * upm));
      p.setBrush(Qt::NoBrush);
      p.drawPath(path);
    }
    // Markers: always for scatter, for lines only while they stay distinguishable.
    const double r = (chart.kind == ChartKind::scatter ? 0.9 : 0.6) * upm;
    if (chart.kind == ChartKind::scatter || pts.size() <= 40) {
      p.setPen(Qt::NoPen);
      p.setBrush(colour);
      for (const auto& pt : pts) p.drawEllipse(QPointF(f.px(pt.x), f.py(pt.y)), r, r);
    }
  }
  p.restore();
}

// Dashed limit lines, labelled at the right end (below the line when it is near the top).
void paint_limits(QPainter& p, const Frame& f) {
  const double upm = f.upm;
  p.setFont(f.small);
  for (const auto& l : f.chart.limits) {
    if (!std::isfinite(l.y)) continue;
    const double y = f.py(l.y);
    QPen pen(kLimit, 0.35 * upm);
    pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.drawLine(QPointF(f.plot.left(), y), QPointF(f.plot.right(), y));
    p.setPen(kLimit);
    const double ty = y - f.plot.top() < f.fs.lineSpacing() * 1.2 ? y + f.fs.ascent() + 0.5 * upm : y - 0.8 * upm;
    const QString text = q(l.label);
    const double tw = f.fs.horizontalAdvance(text);
    const QPointF at(f.plot.right() - tw - 1.5 * upm, ty);
    // A translucent white plate keeps the label readable over bars and curves.
    p.fillRect(QRectF(at.x() - 0.8 * upm, ty - f.fs.ascent() - 0.3 * upm, tw + 1.6 * upm, f.fs.height() + 0.6 * upm),
               QColor(255, 255, 255, 215));
    p.drawText(at, text);
  }
}

}  // namespace

void paint_chart(QPainter& p, const Chart& chart, const QRectF& box, double upm) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  const QFont small = chart_font(7), label = chart_font(7.5);
  Frame f{chart, chart_axes(chart), upm, small, label, QFontMetricsF(small, p.device()),
          QFontMetricsF(label, p.device()), {}, 0, false};
  const double top = paint_header(p, f, box);
  place_plot(f, box, top);
  paint_axes(p, f, box);
  paint_series(p, f);
  paint_limits(p, f);
  p.restore();
}

}  // namespace niikit::reports::pdf
