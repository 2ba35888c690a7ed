// Internal to the PDF writer: page composition for QPainter on a QPdfWriter. The composer keeps
// a cursor on the current page, wraps text with QTextLayout, starts new pages when content does
// not fit, and records drawing as per-page operations so that the footer ("page N of M") can be
// painted once the page count is known. Lengths are device units (the writer's resolution);
// `mm()` converts. Single-threaded, lives for one write_pdf call.
#pragma once

#include <QColor>
#include <QFont>
#include <QPaintDevice>
#include <QPainter>
#include <QString>
#include <functional>
#include <vector>

namespace niikit::reports::pdf {

using DrawOp = std::function<void(QPainter&)>;

struct TextLine {
  QString text;
  double width = 0;   // advance of `text`
};

struct Style {
  QFont font;
  QColor colour = Qt::black;
};

class Composer {
 public:
  Composer(QPaintDevice* device, double page_w_mm, double page_h_mm);

  [[nodiscard]] double mm(double v) const { return v * units_per_mm_; }
  [[nodiscard]] QPaintDevice* device() const { return device_; }

  // Text area of every page (device units).
  [[nodiscard]] double left() const { return left_; }
  [[nodiscard]] double right() const { return right_; }
  [[nodiscard]] double top() const { return top_; }
  [[nodiscard]] double bottom() const { return bottom_; }
  [[nodiscard]] double width() const { return right_ - left_; }
  [[nodiscard]] double page_width() const { return page_w_; }
  [[nodiscard]] double page_height() const { return page_h_; }

  [[nodiscard]] double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  void advance(double dy) { y_ += dy; }
  [[nodiscard]] double remaining() const { return bottom_ - y_; }
  [[nodiscard]] bool at_page_top() const { return y_ <= top_ + 0.5; }

  void new_page();
  // Starts a new page when `height` does not fit below the cursor (and the page is not empty).
  void ensure(double height);
  void add(DrawOp op) { pages_.back().push_back(std::move(op)); }

  [[nodiscard]] QFont font(double points, bool bold = false, bool italic = false, bool mono = false) const;
  [[nodiscard]] double line_height(const QFont& f) const;
  [[nodiscard]] double advance_of(const QString& text, const QFont& f) const;

  // Lines of `text` wrapped to `width` (words, then anywhere for over-long words such as
  // hashes); "\n" starts a new line; empty text gives one empty line.
  [[nodiscard]] std::vector<TextLine> wrap(const QString& text, const QFont& f, double width) const;

  // Draws wrapped lines at (x, top) with the given alignment inside `width`.
  void draw_lines(const std::vector<TextLine>& lines, const Style& s, double x, double top, double width,
                  Qt::Alignment align);
  // Flowing text at the cursor, broken across pages line by line; advances the cursor.
  void flow_text(const QString& text, const Style& s, double indent = 0);

  [[nodiscard]] const std::vector<std::vector<DrawOp>>& pages() const { return pages_; }

 private:
  QPaintDevice* device_;
  double units_per_mm_;
  double page_w_, page_h_;
  double left_, right_, top_, bottom_;
  double y_;
  std::vector<std::vector<DrawOp>> pages_;
};

QColor verdict_fill(int verdict);   // background for Verdict (as int) cells, invalid → no fill

}  // namespace niikit::reports::pdf
