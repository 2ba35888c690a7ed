// Charts as inline SVG for the HTML writer: same axes and palette as the PDF (chart_axes.hpp),
// all text XML-escaped. Text widths are estimated (0.6 em per character) because no font
// metrics are available; labels are anchored so that the estimate only sets margins.
// Pure function, thread-safe.
#pragma once

#include <string>

#include "reports/report.hpp"

namespace niikit::reports {

// An <svg> element (viewBox width_px × height_px, scales with the page via CSS).
std::string svg_chart(const Chart& chart, double width_px = 720, double height_px = 380);

// &, <, >, " and ' as entities.
std::string xml_escape(const std::string& text);

}  // namespace niikit::reports
