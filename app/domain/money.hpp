// Money as the storage keeps it (DESIGN.md §6): integer minor units of an ISO 4217 currency.
// Parsing decimal text exactly (no floating point), the minor-unit digits of a currency, and
// formatting. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace niikit::domain {

// ISO 4217 minor-unit digits: most currencies have 2; a few have 0 (XOF, JPY...) or 3 (KWD...).
int minor_digits(const std::string& currency);

// True for three upper-case ASCII letters.
bool is_currency_code(const std::string& code);

// "2500000.5" in `currency` → minor units, exact. Errors: input, "WHAT 'TEXT': why" (a negative
// amount, more decimals than the currency has, not a number).
Result<std::int64_t> parse_money(const std::string& text, const std::string& currency, const std::string& what);

// Minor units → major units as a double (for ratios and scores; never stored).
double to_major(std::int64_t minor, const std::string& currency);

// "2 500 000.50 USD"
std::string format_money(std::int64_t minor, const std::string& currency);

}  // namespace niikit::domain
