#include "app/services/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "app/domain/text_rules.hpp"

namespace niikit::services {

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

namespace {
std::string normalise_header(std::string h) {
  auto b = h.find_first_not_of(" \t");
  auto e = h.find_last_not_of(" \t");
  h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return h;
}
}  // namespace

Result<CsvTable> parse_csv(std::string_view text, const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) are refused, never stored raw.
  if (auto at = domain::invalid_utf8_at(text))
    return fail(ErrorCode::input, fmt::format("{} line {}: byte 0x{:02X} is not UTF-8; save the file as UTF-8 and "
                                              "import it again",
                                              source, 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*at), '\n'),
                                              static_cast<unsigned char>(text[*at])));
  std::vector<CsvRecord> rows;
  CsvRecord current{1, {}};
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, quote_line = 0;
  auto end_record = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
    const bool blank = current.fields.size() == 1 && current.fields[0].empty();
    if (!blank) rows.push_back(std::move(current));
    current = CsvRecord{line + 1, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else { if (c == '\n') ++line; field += c; }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
      quote_line = line;
    } else if (c == ',') {
      current.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return fail(ErrorCode::input, fmt::format("{} line {}: unterminated quoted field", source, quote_line));
  if (field_started || !current.fields.empty()) end_record();
  if (rows.empty()) return fail(ErrorCode::input, fmt::format("{}: empty, expected a header line", source));
  CsvTable table;
  for (auto& h : rows.front().fields) table.header.push_back(normalise_header(h));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].fields.size() != table.header.size())
      return fail(ErrorCode::input, fmt::format("{} line {}: {} fields, the header has {}", source, rows[i].line,
                                                rows[i].fields.size(), table.header.size()));
    table.records.push_back(std::move(rows[i]));
  }
  return table;
}

Result<CsvTable> read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::not_found, fmt::format("{}: cannot open", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_csv(buf.str(), path);
}

}  // namespace niikit::services
