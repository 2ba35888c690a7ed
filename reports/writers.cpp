// Format parsing and dispatch to the four writers (writers.hpp).
#include "reports/writers.hpp"

#include <cstdlib>

namespace niikit::reports {

Result<Format> parse_format(std::string_view text) {
  if (text == "pdf") return Format::pdf;
  if (text == "xlsx") return Format::xlsx;
  if (text == "html") return Format::html;
  if (text == "json") return Format::json;
  return fail(ErrorCode::usage,
              "report format '" + std::string(text) + "' is not known; use pdf, xlsx, html or json");
}

const char* to_string(Format f) {
  switch (f) {
    case Format::xlsx: return "xlsx";
    case Format::html: return "html";
    case Format::json: return "json";
    case Format::pdf: break;
  }
  return "pdf";
}

Status write_report(const Report& report, Format format, const std::string& path,
                    const std::string& template_dir, const OutputGuard* guard) {
  switch (format) {
    case Format::xlsx: return write_xlsx(report, path, guard);
    case Format::html: return write_html(report, template_dir, path, guard);
    case Format::json: return write_json(report, path, guard);
    case Format::pdf: break;
  }
  return write_pdf(report, path, guard);
}

std::string default_template_dir() {
  if (const char* dir = std::getenv("NIIKIT_TEMPLATES"); dir && *dir) return dir;
  return NIIKIT_TEMPLATES_DIR;
}

}  // namespace niikit::reports
