#include "reports/pdf_composer.hpp"

#include <QFontMetricsF>
#include <QTextLayout>
#include <QTextOption>

#include "reports/report.hpp"

namespace niikit::reports::pdf {

namespace {
constexpr double kMarginSide_mm = 20;
constexpr double kMarginTop_mm = 18;
constexpr double kMarginBottom_mm = 22;   // the footer sits inside this margin
}  // namespace

Composer::Composer(QPaintDevice* device, double page_w_mm, double page_h_mm)
    : device_(device), units_per_mm_(device->logicalDpiX() / 25.4) {
  page_w_ = mm(page_w_mm);
  page_h_ = mm(page_h_mm);
  left_ = mm(kMarginSide_mm);
  right_ = page_w_ - mm(kMarginSide_mm);
  top_ = mm(kMarginTop_mm);
  bottom_ = page_h_ - mm(kMarginBottom_mm);
  y_ = top_;
  pages_.emplace_back();
}

void Composer::new_page() {
  pages_.emplace_back();
  y_ = top_;
}

void Composer::ensure(double height) {
  if (y_ + height > bottom_ && !at_page_top()) new_page();
}

QFont Composer::font(double points, bool bold, bool italic, bool mono) const {
  QFont f(mono ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
  f.setPointSizeF(points);
  f.setBold(bold);
  f.setItalic(italic);
  f.setKerning(true);
  return f;
}

double Composer::line_height(const QFont& f) const { return QFontMetricsF(f, device_).lineSpacing(); }

double Composer::advance_of(const QString& text, const QFont& f) const {
  return QFontMetricsF(f, device_).horizontalAdvance(text);
}

std::vector<TextLine> Composer::wrap(const QString& text, const QFont& f, double width) const {
  std::vector<TextLine> out;
  const QFontMetricsF fm(f, device_);
  for (const QString& para : text.split(QLatin1Char('\n'))) {
    if (para.isEmpty()) {
      out.push_back({});
      continue;
    }
    QTextLayout layout(para, f, device_);
    QTextOption opt;
    opt.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(opt);
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
      line.setLineWidth(width);
      const QString piece = para.mid(line.textStart(), line.textLength()).trimmed();
      out.push_back({piece, fm.horizontalAdvance(piece)});
    }
    layout.endLayout();
  }
  if (out.empty()) out.push_back({});
  return out;
}

void Composer::draw_lines(const std::vector<TextLine>& lines, const Style& s, double x, double top, double width,
                          Qt::Alignment align) {
  const QFontMetricsF fm(s.font, device_);
  const double lh = fm.lineSpacing();
  const double ascent = fm.ascent();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    double lx = x;
    if (align & Qt::AlignRight) lx = x + width - lines[i].width;
    else if (align & Qt::AlignHCenter) lx = x + (width - lines[i].width) / 2;
    const double baseline = top + static_cast<double>(i) * lh + ascent;
    add([text = lines[i].text, s, lx, baseline](QPainter& p) {
      p.setFont(s.font);
      p.setPen(s.colour);
      p.drawText(QPointF(lx, baseline), text);
    });
  }
}

void Composer::flow_text(const QString& text, const Style& s, double indent) {
  const double lh = line_height(s.font);
  for (const auto& line : wrap(text, s.font, width() - indent)) {
    ensure(lh);
    draw_lines({line}, s, left_ + indent, y_, width() - indent, Qt::AlignLeft);
    y_ += lh;
  }
}

QColor verdict_fill(int verdict) {
  switch (static_cast<Verdict>(verdict)) {
    case Verdict::pass: return QColor(0xd4, 0xef, 0xd4);
    case Verdict::fail: return QColor(0xf7, 0xcf, 0xcf);
    case Verdict::not_measured: return QColor(0xe4, 0xe4, 0xe4);
    case Verdict::none: break;
  }
  return {};
}

}  // namespace niikit::reports::pdf
