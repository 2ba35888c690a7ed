// Plain-text tables for the terminal: a header row and data rows, columns padded to their
// widest cell (UTF-8 aware), optional right alignment per column. Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

namespace niikit::reports {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_aligned;   // per column; missing = left

  // The table as text, one line per row, "\n"-terminated; an empty table prints "(none)\n".
  [[nodiscard]] std::string render() const;
};

// Key: value lines, keys padded to the widest.
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace niikit::reports
