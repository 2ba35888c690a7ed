#include "app/domain/text_rules.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace niikit::domain {

std::string trim(std::string_view text) {
  const auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

namespace {

// Decodes the UTF-8 sequence at `i`; returns its length (0 = invalid) and the code point.
std::size_t decode(std::string_view t, std::size_t i, std::uint32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  if (c < 0x80) { cp = c; return 1; }
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > t.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = decode(text, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::optional<std::string> text_problem(std::string_view value, std::size_t max_chars, bool multiline) {
  std::uint32_t cp = 0;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t n = decode(value, i, cp);
    if (n == 0)
      return fmt::format("not valid UTF-8 (byte 0x{:02X} at byte {})", static_cast<unsigned char>(value[i]), i + 1);
    ++chars;
    const bool allowed_in_text = multiline && (cp == '\n' || cp == '\r' || cp == '\t');
    if ((cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && !allowed_in_text)
      return fmt::format("contains a control character (U+{:04X}) at character {}; it must be {} of printable text",
                         cp, chars, multiline ? "lines" : "one line");
    i += n;
  }
  if (chars > max_chars) return fmt::format("{} characters, at most {}", chars, max_chars);
  return std::nullopt;
}

Status check_line(std::string_view field, std::string_view value, std::size_t max_chars) {
  if (auto problem = text_problem(value, max_chars, false))
    return fail(ErrorCode::input, fmt::format("{}: {}", field, *problem));
  return {};
}

}  // namespace niikit::domain
