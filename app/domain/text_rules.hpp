// What free text niikit accepts into its records (issue 13, "input hygiene"): valid UTF-8, no
// control characters (escape codes, newlines, tabs, NUL), and a length limit per field counted
// in characters. Names, tags and codes are one line; a value that breaks a rule is refused with
// a message naming the field and where the problem is, never stored or echoed raw.
// Pure, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace niikit::domain {

// The longest one-line text field (names, asset tags, models, serials, versions), characters.
inline constexpr std::size_t kMaxLineChars = 200;

// Byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid); nullopt when `text` is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

// `text` without leading and trailing blanks (space, tab, CR, LF).
std::string trim(std::string_view text);

// Checks a one-line field: UTF-8, no control character (U+0000–U+001F, U+007F–U+009F), at most
// `max_chars` characters. Errors are `input` and name the field: "asset_tag: contains a control
// character (U+001B) at character 4", "asset_tag: 5000 characters, at most 200".
Status check_line(std::string_view field, std::string_view value, std::size_t max_chars = kMaxLineChars);

// What is wrong with `value` as text of at most `max_chars` characters, without the field name
// ("5000 characters, at most 200"), or nullopt when nothing is. Multi-line text (notes,
// descriptions) may hold line feeds, carriage returns and tabs; one-line text no control
// character at all. Adapters that name the field their own way (the CLI as --asset-tag, the
// web API as /asset_tag) use this; services use check_line.
std::optional<std::string> text_problem(std::string_view value, std::size_t max_chars, bool multiline);

}  // namespace niikit::domain
