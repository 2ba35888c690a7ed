// Report writers: one `Report` (report.hpp) out as PDF, XLSX, HTML or JSON.
//
// Every writer writes atomically: the document is produced in a temporary file in the target's
// folder and renamed over the target only when complete, so a failure never leaves a partial
// file. Errors are one-line `io` errors naming the path (or `input` for a missing figure or
// template). Writers read `Report` only; they are safe to call from several threads on different
// reports EXCEPT write_pdf, which uses Qt Gui and must run on the thread that owns the
// QGuiApplication (the main thread in the CLI).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "reports/report.hpp"

namespace niikit::reports {

enum class Format { pdf, xlsx, html, json };

// "pdf" | "xlsx" | "html" | "json" (case-sensitive); anything else is a `usage` error naming
// the value and the accepted ones.
Result<Format> parse_format(std::string_view text);
const char* to_string(Format f);

// Qt Gui (fonts, QPainter on a QPdfWriter) needs a QGuiApplication. `GuiGuard` makes sure one
// exists: if a QCoreApplication/QGuiApplication already exists it does nothing; otherwise it sets
// QT_QPA_PLATFORM=offscreen when unset and creates the process's QGuiApplication, which then
// lives until the process ends. Create it on the main thread; write_pdf calls ensure_gui()
// itself, so programs that never write a PDF never start Qt Gui.
class GuiGuard {
 public:
  GuiGuard();
  ~GuiGuard();
  GuiGuard(const GuiGuard&) = delete;
  GuiGuard& operator=(const GuiGuard&) = delete;
  struct State;  // the process's application (gui.cpp)
};
[[nodiscard]] std::unique_ptr<GuiGuard> ensure_gui();


// A4 portrait, 20 mm margins, title and "page N of M" in the footer; tables break across
// pages with their header repeated; charts drawn as vector graphics; DejaVu Sans.
Status write_pdf(const Report& report, const std::string& path, const OutputGuard* guard = nullptr);

// Cover sheet, one sheet per section (names ≤ 31 chars, unique, without []:*?/\), native Excel
// charts with their data on the section's sheet, a Signatures sheet and a Provenance sheet.
Status write_xlsx(const Report& report, const std::string& path, const OutputGuard* guard = nullptr);

// One self-contained HTML file from `template_dir`/report.html.mustache (+ report.css inlined,
// figures as base64 data URIs, charts as inline SVG). Everything from the model is escaped.
Status write_html(const Report& report, const std::string& template_dir, const std::string& path, const OutputGuard* guard = nullptr);

// The model as JSON (schema: docs/schemas/report.schema.json, described in docs/reports.md).
Status write_json(const Report& report, const std::string& path, const OutputGuard* guard = nullptr);
// The same JSON as text (indented), for tests and for `--json` output.
std::string to_json_text(const Report& report);

// Dispatch by format; `template_dir` is used by HTML only.
// `guard` (may be null) lists paths the output must not replace (core/atomic_file.hpp).
Status write_report(const Report& report, Format format, const std::string& path,
                    const std::string& template_dir, const OutputGuard* guard = nullptr);

// The directory of the HTML templates shipped with niikit: $NIIKIT_TEMPLATES if set, else the
// source tree's templates/ folder compiled in at build time.
std::string default_template_dir();

}  // namespace niikit::reports
