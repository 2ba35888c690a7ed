#include "app/domain/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace niikit::domain {

int minor_digits(const std::string& currency) {
  static const std::array<std::string_view, 16> zero{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                                     "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const std::array<std::string_view, 7> three{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (std::find(zero.begin(), zero.end(), currency) != zero.end()) return 0;
  if (std::find(three.begin(), three.end(), currency) != three.end()) return 3;
  return 2;
}

bool is_currency_code(const std::string& code) {
  return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Result<std::int64_t> parse_money(const std::string& text, const std::string& currency, const std::string& what) {
  const int digits = minor_digits(currency);
  const auto bad = [&](const std::string& why) { return fail(ErrorCode::input, fmt::format("{} '{}': {}", what, text, why)); };
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (!whole.empty() && whole[0] == '-') return bad("must not be negative");
  if (whole.empty() || whole.size() > 15 || !std::all_of(whole.begin(), whole.end(), ::isdigit) ||
      !std::all_of(frac.begin(), frac.end(), ::isdigit) || (dot != std::string::npos && frac.empty()))
    return bad("expected a non-negative amount such as 2500000 or 2500000.50");
  if (static_cast<int>(frac.size()) > digits) return bad(fmt::format("{} has {} decimal place(s)", currency, digits));
  std::int64_t v = std::stoll(whole);
  for (int i = 0; i < digits; ++i)
    v = v * 10 + (i < static_cast<int>(frac.size()) ? frac[static_cast<std::size_t>(i)] - '0' : 0);
  return v;
}

double to_major(std::int64_t minor, const std::string& currency) {
  return static_cast<double>(minor) / std::pow(10.0, minor_digits(currency));
}

std::string format_money(std::int64_t minor, const std::string& currency) {
  const int digits = minor_digits(currency);
  std::int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string whole = std::to_string(minor / scale);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), " ");
  if (digits == 0) return fmt::format("{} {}", whole, currency);
  return fmt::format("{}.{:0{}} {}", whole, minor % scale, digits, currency);
}

}  // namespace niikit::domain
