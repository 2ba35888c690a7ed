// Internal to the PDF writer: each block type of report.hpp laid out at the composer's cursor
// (pdf_composer.hpp), breaking pages where needed. Single-threaded.
#pragma once

#include "core/error.hpp"
#include "reports/pdf_composer.hpp"
#include "reports/report.hpp"

namespace niikit::reports::pdf {

void draw_paragraph(Composer& c, const Paragraph& p);
void draw_key_values(Composer& c, const KeyValues& kv, double points = 9);
void draw_table(Composer& c, const Table& t);
void draw_chart(Composer& c, const Chart& chart);
Status draw_figure(Composer& c, const Figure& f);
void draw_notice(Composer& c, const Notice& n);

// Paints a chart inside `box` (device units); used by draw_chart at paint time.
void paint_chart(QPainter& p, const Chart& chart, const QRectF& box, double units_per_mm);

}  // namespace niikit::reports::pdf
