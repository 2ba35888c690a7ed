#include "reports/pdf_blocks.hpp"

#include <QImageReader>
#include <algorithm>
#include <numeric>

namespace niikit::reports::pdf {

namespace {

constexpr double kBody_pt = 9;
constexpr double kTable_pt = 8;
const QColor kGrid(0xc4, 0xc8, 0xcc);
const QColor kHeaderFill(0xe3, 0xe9, 0xf1);
const QColor kStripe(0xf6, 0xf7, 0xf8);

QString q(const std::string& s) { return QString::fromStdString(s); }

// Column widths that fill `total`: columns keep their natural width when everything fits
// (scaled up to fill the line); otherwise the widest are capped at a common width ("water
// filling") but never below their floor (longest word, e.g. a timestamp), so narrow columns
// such as ids, dates and verdicts are not squeezed while long free text wraps.
std::vector<double> fit_columns(const std::vector<double>& natural, std::vector<double> floor, double total) {
  const double sum = std::accumulate(natural.begin(), natural.end(), 0.0);
  std::vector<double> w = natural;
  if (sum <= total) {
    for (auto& x : w) x *= total / std::max(sum, 1.0);
    return w;
  }
  for (std::size_t i = 0; i < floor.size(); ++i) floor[i] = std::min({floor[i], natural[i], total * 0.35});
  if (std::accumulate(floor.begin(), floor.end(), 0.0) > total) std::fill(floor.begin(), floor.end(), 0.0);
  auto width_at = [&](double cap, std::size_t i) { return std::max(floor[i], std::min(natural[i], cap)); };
  double lo = 0, hi = total;
  for (int it = 0; it < 60; ++it) {
    const double cap = (lo + hi) / 2;
    double s = 0;
    for (std::size_t i = 0; i < w.size(); ++i) s += width_at(cap, i);
    (s > total ? hi : lo) = cap;
  }
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = width_at(lo, i);
  const double used = std::accumulate(w.begin(), w.end(), 0.0);
  if (used > 0)
    for (auto& x : w) x *= total / used;
  return w;
}

Qt::Alignment qt_align(Align a) {
  switch (a) {
    case Align::right: return Qt::AlignRight;
    case Align::center: return Qt::AlignHCenter;
    case Align::left: break;
  }
  return Qt::AlignLeft;
}

struct Row {
  std::vector<std::vector<TextLine>> cells;
  double height = 0;
};

}  // namespace

void draw_paragraph(Composer& c, const Paragraph& p) {
  c.flow_text(q(p.text), {c.font(kBody_pt), Qt::black});
  c.advance(c.mm(2.5));
}

void draw_key_values(Composer& c, const KeyValues& kv, double points) {
  const QFont label_font = c.font(points, true);
  const QFont value_font = c.font(points);
  double label_w = 0;
  for (const auto& [label, value] : kv.rows) label_w = std::max(label_w, c.advance_of(q(label), label_font));
  label_w = std::min(label_w + c.mm(4), c.width() * 0.42);
  const double lh = c.line_height(value_font);
  for (const auto& [label, value] : kv.rows) {
    const auto llines = c.wrap(q(label), label_font, label_w - c.mm(3));
    const auto vlines = c.wrap(q(value), value_font, c.width() - label_w);
    const double h = static_cast<double>(std::max(llines.size(), vlines.size())) * lh + c.mm(0.8);
    c.ensure(h);
    c.draw_lines(llines, {label_font, QColor(0x33, 0x3d, 0x4a)}, c.left(), c.y(), label_w, Qt::AlignLeft);
    c.draw_lines(vlines, {value_font, Qt::black}, c.left() + label_w, c.y(), c.width() - label_w, Qt::AlignLeft);
    c.advance(h);
  }
  c.advance(c.mm(2.5));
}

void draw_table(Composer& c, const Table& t) {
  const std::size_t ncol = t.columns.size();
  if (ncol == 0) return;
  const QFont head_font = c.font(kTable_pt, true);
  const QFont cell_font = c.font(kTable_pt);
  const double pad_x = c.mm(1.3), pad_y = c.mm(0.9);
  const double lh = c.line_height(cell_font);

  std::vector<double> natural(ncol, c.mm(8)), floor(ncol, c.mm(8));
  for (std::size_t i = 0; i < ncol; ++i) {
    // Headers may wrap at spaces, so only their longest word sets a floor.
    for (const auto& word : q(t.columns[i].header).split(QLatin1Char(' ')))
      floor[i] = std::max(floor[i], c.advance_of(word, head_font) + 2 * pad_x);
    natural[i] = floor[i];
    for (const auto& r : t.rows) {
      if (i >= r.cells.size()) continue;
      const QString cell = q(r.cells[i]);
      natural[i] = std::max(natural[i], c.advance_of(cell, cell_font) + 2 * pad_x);
      for (const auto& word : cell.split(QLatin1Char(' ')))
        floor[i] = std::max(floor[i], c.advance_of(word, cell_font) + 2 * pad_x);
    }
  }
  const std::vector<double> w = fit_columns(natural, floor, c.width());

  auto layout_row = [&](const std::vector<std::string>& cells, const QFont& f) {
    Row row;
    std::size_t lines = 1;
    for (std::size_t i = 0; i < ncol; ++i) {
      row.cells.push_back(c.wrap(i < cells.size() ? q(cells[i]) : QString(), f, w[i] - 2 * pad_x));
      lines = std::max(lines, row.cells.back().size());
    }
    row.height = static_cast<double>(lines) * lh + 2 * pad_y;
    return row;
  };
  std::vector<std::string> headers;
  for (const auto& col : t.columns) headers.push_back(col.header);
  const Row header = layout_row(headers, head_font);

  auto paint_row = [&](const Row& row, const QFont& f, const QColor& fill, const std::vector<QColor>& cell_fill,
                       bool is_header) {
    double x = c.left();
    const double top = c.y(), h = row.height;
    for (std::size_t i = 0; i < ncol; ++i) {
      const QRectF rect(x, top, w[i], h);
      const QColor bg = cell_fill[i].isValid() ? cell_fill[i] : fill;
      c.add([rect, bg](QPainter& p) {
        if (bg.isValid()) p.fillRect(rect, bg);
        p.setPen(QPen(kGrid, 0));
        p.drawRect(rect);
      });
      const Qt::Alignment a = is_header ? Qt::AlignLeft : qt_align(t.columns[i].align);
      c.draw_lines(row.cells[i], {f, Qt::black}, x + pad_x, top + pad_y, w[i] - 2 * pad_x, a);
      x += w[i];
    }
    c.advance(h);
  };
  const std::vector<QColor> no_fill(ncol);

  if (!t.title.empty()) {
    const QFont title_font = c.font(kBody_pt, true);
    const double first = t.rows.empty() ? 0 : layout_row(t.rows.front().cells, cell_font).height;
    c.ensure(c.line_height(title_font) + header.height + first + c.mm(1));
    c.flow_text(q(t.title), {title_font, QColor(0x1f, 0x3a, 0x5f)});
    c.advance(c.mm(1));
  }
  const double first_h = t.rows.empty() ? 0 : layout_row(t.rows.front().cells, cell_font).height;
  c.ensure(header.height + first_h);
  paint_row(header, head_font, kHeaderFill, no_fill, true);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& src = t.rows[r];
    const Row row = layout_row(src.cells, cell_font);
    if (c.y() + row.height > c.bottom()) {  // repeat the header on the next page
      c.new_page();
      paint_row(header, head_font, kHeaderFill, no_fill, true);
    }
    std::vector<QColor> cell_fill(ncol);
    QColor fill = r % 2 == 1 ? kStripe : QColor();
    const QColor vf = verdict_fill(static_cast<int>(src.verdict));
    if (vf.isValid()) {
      if (t.verdict_column >= 0 && static_cast<std::size_t>(t.verdict_column) < ncol)
        cell_fill[static_cast<std::size_t>(t.verdict_column)] = vf;
      else
        fill = vf;
    }
    paint_row(row, cell_font, fill, cell_fill, false);
  }
  c.advance(c.mm(3));
}

void draw_chart(Composer& c, const Chart& chart) {
  const double h = c.mm(80);
  c.ensure(h);
  const QRectF box(c.left(), c.y(), c.width(), h);
  const double upm = c.mm(1);
  c.add([chart, box, upm](QPainter& p) { paint_chart(p, chart, box, upm); });
  c.advance(h + c.mm(4));
}

Status draw_figure(Composer& c, const Figure& f) {
  QImageReader reader(q(f.image_path));
  reader.setAutoTransform(true);
  const QImage image = reader.read();
  if (image.isNull())
    return fail(ErrorCode::input, "figure '" + f.image_path + "': cannot read image (" +
                                      reader.errorString().toStdString() + ")");
  const QFont cap_font = c.font(8, false, true);
  const auto caption = c.wrap(q(f.caption), cap_font, c.width());
  const double cap_h = f.caption.empty() ? 0 : static_cast<double>(caption.size()) * c.line_height(cap_font) + c.mm(1);
  double w = std::min(c.mm(std::clamp(f.max_width_mm, 20.0, 180.0)), c.width());
  double h = w * image.height() / std::max(1, image.width());
  const double max_h = (c.bottom() - c.top()) * 0.8;
  if (h > max_h) w *= max_h / h, h = max_h;
  c.ensure(h + cap_h);
  const QRectF rect(c.left() + (c.width() - w) / 2, c.y(), w, h);
  c.add([image, rect](QPainter& p) {
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(rect, image);
    p.setPen(QPen(kGrid, 0));
    p.drawRect(rect);
  });
  c.advance(h + c.mm(1));
  if (!f.caption.empty()) {
    c.draw_lines(caption, {cap_font, QColor(0x44, 0x44, 0x44)}, c.left(), c.y(), c.width(), Qt::AlignHCenter);
    c.advance(cap_h);
  }
  c.advance(c.mm(3));
  return {};
}

void draw_notice(Composer& c, const Notice& n) {
  QColor bar(0x2f, 0x6d, 0xb5), bg(0xe8, 0xf1, 0xfb);
  QString prefix = QStringLiteral("Note: ");
  if (n.level == NoticeLevel::warning) bar = QColor(0xd9, 0x9a, 0x00), bg = QColor(0xff, 0xf4, 0xd6), prefix = "Warning: ";
  if (n.level == NoticeLevel::fail) bar = QColor(0xc0, 0x39, 0x2b), bg = QColor(0xfb, 0xe3, 0xe3), prefix = "Fail: ";
  const QFont f = c.font(kBody_pt);
  const double pad = c.mm(2);
  const auto lines = c.wrap(prefix + q(n.text), f, c.width() - 2 * pad - c.mm(1.5));
  const double h = static_cast<double>(lines.size()) * c.line_height(f) + 2 * pad;
  c.ensure(h);
  const QRectF rect(c.left(), c.y(), c.width(), h);
  const double bar_w = c.mm(1.5);
  c.add([rect, bar, bg, bar_w](QPainter& p) {
    p.fillRect(rect, bg);
    p.fillRect(QRectF(rect.left(), rect.top(), bar_w, rect.height()), bar);
  });
  c.draw_lines(lines, {f, Qt::black}, c.left() + bar_w + pad, c.y() + pad, c.width() - 2 * pad - bar_w, Qt::AlignLeft);
  c.advance(h + c.mm(3));
}

}  // namespace niikit::reports::pdf
