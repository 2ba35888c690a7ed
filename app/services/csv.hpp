// A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes (with ""
// for a quote and embedded commas/newlines), CRLF or LF, a UTF-8 BOM skipped. The first
// record is the header. Each record remembers its starting line for error messages.
// Pure, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::services {

struct CsvRecord {
  int line = 0;                       // 1-based line where the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;    // trimmed, lower-cased
  std::vector<CsvRecord> records;     // data records (blank lines skipped)

  // Index of column `name` in the header, if present.
  [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const;
};

// Parses `text`; `source` names the input in messages ("fleet.csv line 7: unterminated quote").
Result<CsvTable> parse_csv(std::string_view text, const std::string& source);
Result<CsvTable> read_csv_file(const std::string& path);

}  // namespace niikit::services
