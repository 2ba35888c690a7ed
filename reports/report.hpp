// The report document model: what a report says, independent of how it is written.
//
// A builder (acceptance report, radiation survey report, trend report) fills a `Report` from
// database records and kit results; the writers in writers.hpp turn the same value into PDF,
// XLSX, HTML or JSON. The model holds only text and numbers that are already formatted for a
// reader (units in labels or cells, e.g. "MTF50 (lp/mm)"), plus chart data as doubles, so every
// writer shows the same thing. Nothing here touches the database, OpenCV or the CLI.
//
// Plain values: copyable, no shared state, thread-safe to read from several threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace niikit::reports {

// A row's or cell's judgement, used to colour it (green / red / grey) and spelled in JSON as
// "pass", "fail", "not_measured", "none".
enum class Verdict { none, pass, fail, not_measured };

// Horizontal alignment of a table column; numbers read best right-aligned.
enum class Align { left, right, center };

// A paragraph of plain text (no markup; every writer escapes it). Line breaks ("\n") are kept.
struct Paragraph {
  std::string text;
};

// Label → value lines ("Scanner: X-1"), in the given order.
struct KeyValues {
  std::vector<std::pair<std::string, std::string>> rows;
};

struct TableColumn {
  std::string header;          // e.g. "Measured (lp/mm)"
  Align align = Align::left;   // alignment of the column's cells
};

struct TableRow {
  std::vector<std::string> cells;   // one per column; missing cells print empty
  Verdict verdict = Verdict::none;  // colours the row's verdict cell (see Table::verdict_column)
};

// A table that may run over several pages (the PDF repeats the header on each page). In XLSX a
// cell that parses completely as a number is written as a number.
struct Table {
  std::string title;                 // optional caption above the table ("" = none)
  std::vector<TableColumn> columns;
  std::vector<TableRow> rows;
  // Index of the column whose cell is coloured by the row's verdict; -1 = colour the whole row.
  // Rows with Verdict::none are never coloured.
  int verdict_column = -1;
};

enum class ChartKind { line, bar, scatter };

struct ChartPoint {
  double x = 0;   // for bar charts: position index (0, 1, 2 ...) unless categories are given
  double y = 0;
};

struct ChartSeries {
  std::string name;                // legend text
  std::vector<ChartPoint> points;  // in drawing order; for lines sorted by x
};

// A horizontal reference line, e.g. a limit "Public boundary 1 µSv/h" or target "MTF50 ≥ 1.0".
struct LimitLine {
  std::string label;
  double y = 0;
};

struct Chart {
  ChartKind kind = ChartKind::line;
  std::string title;
  std::string x_label;   // with unit: "Spatial frequency (lp/mm)"
  std::string y_label;   // with unit: "Dose rate (µSv/h)"
  std::vector<ChartSeries> series;
  std::vector<LimitLine> limits;
  // Optional x-axis category labels for bar charts (point x = index into this list), e.g.
  // survey point labels "P1", "P2"... Empty = numeric x axis.
  std::vector<std::string> categories;
};

// An image file (PNG or JPEG) placed in the document, e.g. an annotated phantom image.
struct Figure {
  std::string image_path;       // absolute or relative to the working directory; must exist
  std::string caption;          // shown below the image
  double max_width_mm = 160;    // printed width limit; default 160, range 20..180 (A4 text width)
};

enum class NoticeLevel { info, warning, fail };

// A highlighted box: "Survey meter calibration lapsed — recorded with override" etc.
struct Notice {
  NoticeLevel level = NoticeLevel::info;
  std::string text;
};

using Block = std::variant<Paragraph, KeyValues, Table, Chart, Figure, Notice>;

struct Section {
  std::string title;
  std::vector<Block> blocks;
  bool page_break_before = false;   // PDF only: start this section on a new page
};

enum class SignatureStatus { valid, invalid, not_signed };

struct Signature {
  std::string name;            // person who signed (or is expected to sign)
  std::string role;            // "Customs project officer", "Vendor engineer", "RSO"...
  std::string signed_at_utc;   // ISO-8601 UTC, "" when not signed
  std::string covers_hash;     // hex SHA-256 of the content the signature covers, "" when not signed
  SignatureStatus status = SignatureStatus::not_signed;
  std::string note;            // e.g. "content changed after signing" for invalid ones
};

struct InputFile {
  std::string path;     // as given by the user or stored in the database
  std::string sha256;   // hex, lower case
};

// How every format labels Provenance::audit_head_sha256.
inline constexpr const char* kAuditHeadLabel = "Audit chain head (SHA-256)";

// Where the report came from: shown on its last page / sheet and in JSON.
struct Provenance {
  std::string toolkit_version;    // niikit version, e.g. "0.1.0"
  std::string generated_at_utc;   // ISO-8601 UTC, from the injected clock
  std::vector<std::pair<std::string, std::string>> versions;   // kit and template versions: name → version
  std::vector<InputFile> input_files;
  // The audit chain's newest hash when the report was made ("" = not given): kept with the
  // report, it detects later removal of the newest records (`niikit audit verify --expect-head`).
  std::string audit_head_sha256;
};

struct Report {
  std::string kind;       // machine key: "acceptance", "survey", "trend"...
  std::string title;      // "Factory acceptance test report"
  std::string subtitle;   // optional second line, "" = none
  std::vector<std::pair<std::string, std::string>> cover_fields;   // label → value on the cover
  std::optional<Verdict> overall_verdict;   // shown large on the cover when set
  std::vector<Section> sections;
  std::vector<Signature> signatures;
  Provenance provenance;
  std::string logo_path;  // optional PNG/JPEG for the cover and header, "" = none
  // Printed large across every PDF page and in every page footer ("DRAFT" for a report of
  // records still open); "" = none. Builders also put it in the title, for the other formats.
  std::string watermark;
};

// Stable lower-case spellings used by JSON and the HTML template ("pass", "not_measured"...).
const char* to_string(Verdict v);
const char* to_string(Align a);
const char* to_string(ChartKind k);
const char* to_string(NoticeLevel l);
const char* to_string(SignatureStatus s);

}  // namespace niikit::reports
