#include "reports/text_table.hpp"

#include <algorithm>

namespace niikit::reports {

namespace {
// Display width of UTF-8 text: counts code points (continuation bytes are not counted).
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = display_width(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}
}  // namespace

std::string TextTable::render() const {
  if (rows.empty()) return "(none)\n";
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], display_width(r[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const bool right = c < right_aligned.size() && right_aligned[c];
      const bool last = c + 1 == widths.size();
      out += last && !right ? cell : pad(cell, widths[c], right);
      if (!last) out += "  ";
    }
    return out + "\n";
  };
  std::string out = line(header);
  std::vector<std::string> rule;
  for (auto w : widths) rule.emplace_back(w, '-');
  out += line(rule);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::size_t width = 0;
  for (const auto& [k, _] : fields) width = std::max(width, display_width(k));
  std::string out;
  for (const auto& [k, v] : fields) out += pad(k + ":", width + 1, false) + " " + v + "\n";
  return out;
}

}  // namespace niikit::reports
