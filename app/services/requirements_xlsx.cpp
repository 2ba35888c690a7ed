#include "app/services/requirements_xlsx.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <QString>
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/version.hpp"
#include "app/services/xlsx_reader.hpp"

namespace niikit::services {

namespace {

using domain::Comparator;
using domain::Requirement;

// JSON field order (requirements_to_json), which is also the sheet's column order.
constexpr std::array<const char*, 11> kColumns{"id",         "text",   "category",  "mandatory",
                                               "metric_key", "comparator", "target", "tolerance",
                                               "unit",       "method", "verified_at"};
constexpr std::array<const char*, 5> kRequiredColumns{"id", "text", "category", "metric_key", "comparator"};
constexpr std::array<double, 11> kWidths{10, 60, 14, 11, 36, 11, 10, 10, 9, 30, 22};

int column_of(std::string_view name) {
  for (std::size_t i = 0; i < kColumns.size(); ++i)
    if (name == kColumns[i]) return static_cast<int>(i);
  return -1;
}

std::string lower_trimmed(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string phases_text(const std::set<std::string>& phases) {
  std::string out;
  for (auto p : domain::verification_phases())
    if (phases.count(std::string(p))) {
      if (!out.empty()) out.append(", ");
      out.append(p);
    }
  return out;
}

// ---- writing ---------------------------------------------------------------------------------

struct WorkbookFree {
  void operator()(lxw_workbook* wb) const {
    if (wb) lxw_workbook_free(wb);
  }
};
using Workbook = std::unique_ptr<lxw_workbook, WorkbookFree>;

Status check(lxw_error e, const std::string& path, const std::string& what) {
  if (e == LXW_NO_ERROR) return {};
  return fail(ErrorCode::io, fmt::format("{}: {}: {}", path, what, lxw_strerror(e)));
}

// A drop-down list on rows 2..last of `col`. `items` must outlive the call only.
Status add_list(lxw_worksheet* ws, int col, const std::vector<std::string>& items, lxw_row_t last_row,
                const std::string& path) {
  std::vector<char*> list;
  for (const auto& item : items) list.push_back(const_cast<char*>(item.c_str()));
  list.push_back(nullptr);
  lxw_data_validation v{};
  v.validate = LXW_VALIDATION_TYPE_LIST;
  v.value_list = list.data();
  v.ignore_blank = LXW_VALIDATION_ON;
  v.show_error = LXW_VALIDATION_ON;
  v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;  // other spellings ("at least") are still accepted on import
  const auto c = static_cast<lxw_col_t>(col);
  return check(worksheet_data_validation_range(ws, 1, c, last_row, c, &v), path, "data validation");
}

Status write_requirements_sheet(lxw_workbook* wb, const std::vector<Requirement>& requirements,
                                const std::string& path) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Requirements");
  if (!ws) return fail(ErrorCode::io, fmt::format("{}: cannot add the Requirements sheet", path));
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDE4EE);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    if (auto st = check(worksheet_write_string(ws, 0, col, kColumns[c], header), path, "header"); !st) return st;
    if (auto st = check(worksheet_set_column(ws, col, col, kWidths[c], c == 1 ? wrap : nullptr), path, "column"); !st)
      return st;
  }
  worksheet_freeze_panes(ws, 1, 1);
  lxw_row_t row = 1;
  for (const auto& r : requirements) {
    auto text = [&](int col, const std::string& value) {
      return check(worksheet_write_string(ws, row, static_cast<lxw_col_t>(col), value.c_str(), nullptr), path,
                   fmt::format("requirement {} column '{}'", r.id, kColumns[static_cast<std::size_t>(col)]));
    };
    auto number = [&](int col, double value) {
      return check(worksheet_write_number(ws, row, static_cast<lxw_col_t>(col), value, nullptr), path,
                   fmt::format("requirement {} column '{}'", r.id, kColumns[static_cast<std::size_t>(col)]));
    };
    Status st = text(0, r.id);
    if (st) st = text(1, r.text);
    if (st) st = text(2, r.category);
    if (st) st = text(3, r.mandatory ? "yes" : "no");
    if (st) st = text(4, r.metric_key);
    if (st) st = text(5, std::string(domain::comparator_symbol(r.comparator)));
    if (st && r.comparator != Comparator::is_true) st = number(6, r.target);
    if (st && (r.comparator == Comparator::equals || r.tolerance != 0)) st = number(7, r.tolerance);
    if (st) st = text(8, r.unit);
    if (st) st = text(9, r.method);
    if (st) st = text(10, phases_text(r.verified_at));
    if (!st) return st;
    ++row;
  }
  const lxw_row_t last = std::max<lxw_row_t>(row + 200, 500);
  std::vector<std::string> categories(domain::requirement_categories().begin(), domain::requirement_categories().end());
  std::vector<std::string> comparators{">=", ">", "<=", "<", "==", "true"};
  if (auto st = add_list(ws, 2, categories, last, path); !st) return st;
  if (auto st = add_list(ws, 3, {"yes", "no"}, last, path); !st) return st;
  return add_list(ws, 5, comparators, last, path);
}

Status write_about_sheet(lxw_workbook* wb, const RequirementsWorkbookInfo& info, std::size_t count,
                         const std::string& path) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "About");
  if (!ws) return fail(ErrorCode::io, fmt::format("{}: cannot add the About sheet", path));
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  worksheet_set_column(ws, 0, 0, 24, bold);
  worksheet_set_column(ws, 1, 1, 90, nullptr);
  std::vector<std::pair<std::string, std::string>> lines{{"Title", info.title}};
  if (!info.procurement_reference.empty()) lines.emplace_back("Procurement", info.procurement_reference);
  if (!info.procurement_title.empty()) lines.emplace_back("Procurement title", info.procurement_title);
  if (info.version > 0) lines.emplace_back("Specification version", std::to_string(info.version));
  if (!info.status.empty()) lines.emplace_back("Status", info.status);
  if (!info.frozen_by.empty()) lines.emplace_back("Frozen by", info.frozen_by);
  if (!info.frozen_at_utc.empty()) lines.emplace_back("Frozen at (UTC)", info.frozen_at_utc);
  if (!info.requirements_sha256.empty()) lines.emplace_back("Requirements SHA-256", info.requirements_sha256);
  lines.emplace_back("Requirements", std::to_string(count));
  lines.emplace_back("Written by", fmt::format("niikit {}", toolkit_version));
  lines.emplace_back("", "");
  lines.emplace_back("Columns", "id, text, category, mandatory (yes/no), metric_key, comparator (>=, >, <=, <, ==, "
                                "true), target (number, in unit), tolerance (== only), unit, method (standard clause), "
                                "verified_at (comma-separated: fat, sat, periodic, return_to_service, review)");
  lines.emplace_back("Import", "niikit spec import --procurement REF THIS.xlsx  (reads the Requirements sheet; "
                               "this sheet is ignored). Format: docs/requirements.md");
  lxw_row_t row = 0;
  for (const auto& [key, value] : lines) {
    if (auto st = check(worksheet_write_string(ws, row, 0, key.c_str(), nullptr), path, "About sheet"); !st) return st;
    if (auto st = check(worksheet_write_string(ws, row, 1, value.c_str(), nullptr), path, "About sheet"); !st) return st;
    ++row;
  }
  return {};
}

// ---- reading ---------------------------------------------------------------------------------

// The cell's text as a user sees it (numbers in their shortest form).
std::string cell_text(const XlsxCell& c) {
  if (c.kind == XlsxCell::Kind::number) return fmt::format("{}", c.number);
  if (c.kind == XlsxCell::Kind::boolean) return c.number != 0 ? "TRUE" : "FALSE";
  return c.text;
}

struct RowReader {
  const std::string& path;
  const XlsxRow& row;
  const std::map<int, int>& field_to_col;   // field index → sheet column
  std::vector<std::string>& errors;

  const XlsxCell* cell(int field) const {
    auto col = field_to_col.find(field);
    if (col == field_to_col.end()) return nullptr;
    auto it = row.cells.find(col->second);
    return it == row.cells.end() ? nullptr : &it->second;
  }
  std::string text(int field) const {
    const auto* c = cell(field);
    return c ? trimmed(cell_text(*c)) : std::string{};
  }
  void error(int field, const std::string& problem) const {
    errors.push_back(fmt::format("{} row {} column '{}': {}", path, row.row, kColumns[static_cast<std::size_t>(field)],
                                 problem));
  }
  std::string required_text(int field) const {
    auto t = text(field);
    if (t.empty()) error(field, "missing (required)");
    return t;
  }
  std::optional<double> number(int field) const {
    const auto* c = cell(field);
    if (!c) return std::nullopt;
    if (c->kind == XlsxCell::Kind::number) return c->number;
    const std::string t = trimmed(cell_text(*c));
    if (t.empty()) return std::nullopt;
    bool ok = false;
    const double v = QString::fromStdString(t).toDouble(&ok);
    if (!ok || !std::isfinite(v) || c->kind != XlsxCell::Kind::text) {
      error(field, fmt::format("'{}' is not a number", t));
      return std::nullopt;
    }
    return v;
  }
};

std::optional<Requirement> read_row(const RowReader& in) {
  const std::size_t before = in.errors.size();
  Requirement r;
  r.id = in.required_text(0);
  r.text = in.required_text(1);
  const std::string category = lower_trimmed(in.required_text(2));
  const auto& cats = domain::requirement_categories();
  if (!category.empty() && std::find(cats.begin(), cats.end(), category) == cats.end()) {
    std::string all;
    for (auto c : cats) all += (all.empty() ? "" : ", ") + std::string(c);
    in.error(2, fmt::format("'{}' is not one of {}", in.text(2), all));
  }
  r.category = category;
  if (const auto* c = in.cell(3); c && !trimmed(cell_text(*c)).empty()) {
    const std::string m = lower_trimmed(cell_text(*c));
    if (m == "yes" || m == "true" || m == "1" || m == "mandatory" || m == "y") r.mandatory = true;
    else if (m == "no" || m == "false" || m == "0" || m == "desirable" || m == "n") r.mandatory = false;
    else in.error(3, fmt::format("'{}' is not yes or no", trimmed(cell_text(*c))));
  }
  r.metric_key = in.required_text(4);
  if (const std::string cmp = in.required_text(5); !cmp.empty()) {
    if (auto parsed = domain::parse_comparator(cmp)) r.comparator = *parsed;
    else in.error(5, fmt::format("'{}' is not one of >=, >, <=, <, ==, true", cmp));
  }
  if (r.comparator == Comparator::is_true) {
    r.target = 1;
    // A yes/no requirement's target, when written at all, is yes; anything else is a mistake.
    const std::string t = lower_trimmed(in.text(6));
    if (!t.empty() && t != "yes" && t != "true" && t != "1" && t != "y")
      in.error(6, fmt::format("'{}' is not yes (the target of a yes/no requirement)", in.text(6)));
  } else if (auto t = in.number(6)) {
    r.target = *t;
  } else if (in.text(6).empty()) {
    in.error(6, "missing (required unless the comparator is 'true')");
  }
  if (auto tol = in.number(7)) {
    if (*tol < 0) in.error(7, fmt::format("'{}' must be ≥ 0", in.text(7)));
    r.tolerance = *tol;
  }
  r.unit = in.text(8);
  if (r.comparator == Comparator::is_true && r.unit.empty()) r.unit = "bool";
  r.method = in.text(9);
  std::string phases = in.text(10);
  std::replace_if(phases.begin(), phases.end(), [](char ch) { return ch == ';' || ch == ' ' || ch == '\n'; }, ',');
  std::size_t start = 0;
  while (start <= phases.size()) {
    const auto comma = phases.find(',', start);
    const std::string piece = lower_trimmed(phases.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!piece.empty()) {
      const auto& all = domain::verification_phases();
      if (std::find(all.begin(), all.end(), piece) == all.end())
        in.error(10, fmt::format("'{}' is not one of fat, sat, periodic, return_to_service, review", piece));
      else
        r.verified_at.insert(piece);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (in.errors.size() != before) return std::nullopt;
  return r;
}

}  // namespace

Status write_requirements_xlsx(const std::vector<Requirement>& requirements, const RequirementsWorkbookInfo& info,
                               const std::string& path, const OutputGuard* guard) {
  auto file = AtomicFile::create(path, guard);
  if (!file) return tl::unexpected(file.error());
  Workbook wb(workbook_new(file->temp_path().c_str()));
  if (!wb) return fail(ErrorCode::io, fmt::format("{}: cannot create the workbook", path));
  if (auto st = write_requirements_sheet(wb.get(), requirements, path); !st) return st;
  if (auto st = write_about_sheet(wb.get(), info, requirements.size(), path); !st) return st;
  // workbook_close writes the file and frees the workbook whatever the outcome.
  const lxw_error closed = workbook_close(wb.release());
  if (closed != LXW_NO_ERROR) return fail(ErrorCode::io, fmt::format("{}: cannot write: {}", path, lxw_strerror(closed)));
  return file->commit();
}

Result<XlsxRequirementsRead> read_requirements_xlsx(const std::string& path) {
  auto sheet = read_xlsx_sheet(path, "Requirements");
  if (!sheet) return tl::unexpected(sheet.error());
  if (sheet->rows.empty()) return fail(ErrorCode::input, fmt::format("{}: sheet '{}' is empty", path, sheet->name));
  // Header: the first row with cells. Field index → column.
  const XlsxRow& header = sheet->rows.front();
  std::map<int, int> field_to_col;
  for (const auto& [col, cell] : header.cells) {
    std::string name = lower_trimmed(cell_text(cell));
    std::replace(name.begin(), name.end(), ' ', '_');
    if (name.empty()) continue;
    const int field = column_of(name);
    if (field < 0)
      return fail(ErrorCode::input, fmt::format("{} row {} column {}: unknown column '{}' (expected: id, text, "
                                                "category, mandatory, metric_key, comparator, target, tolerance, "
                                                "unit, method, verified_at)",
                                                path, header.row, xlsx_column_name(col), cell_text(cell)));
    if (field_to_col.count(field))
      return fail(ErrorCode::input, fmt::format("{} row {}: column '{}' appears twice", path, header.row, name));
    field_to_col[field] = col;
  }
  for (const char* required : kRequiredColumns)
    if (!field_to_col.count(column_of(required)))
      return fail(ErrorCode::input, fmt::format("{}: required column '{}' missing from the header row", path, required));

  XlsxRequirementsRead out;
  std::map<std::string, int> first_row_of_id;
  for (std::size_t i = 1; i < sheet->rows.size(); ++i) {
    const XlsxRow& row = sheet->rows[i];
    bool blank = true;
    for (const auto& [field, col] : field_to_col)
      if (auto it = row.cells.find(col); it != row.cells.end() && !trimmed(cell_text(it->second)).empty()) blank = false;
    if (blank) continue;
    ++out.rows;
    RowReader in{path, row, field_to_col, out.errors};
    auto r = read_row(in);
    if (!r) continue;
    if (auto [it, fresh] = first_row_of_id.emplace(r->id, row.row); !fresh) {
      in.error(0, fmt::format("duplicate id '{}' (first on row {})", r->id, it->second));
      continue;
    }
    out.requirements.push_back(std::move(*r));
  }
  if (out.rows == 0) return fail(ErrorCode::input, fmt::format("{}: no requirement rows below the header", path));
  if (!out.errors.empty()) out.requirements.clear();
  return out;
}

}  // namespace niikit::services
