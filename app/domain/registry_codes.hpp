// The closed vocabularies of the registry (site types, technologies, configurations, roles,
// document kinds) and a forgiving parser for each: case, spaces, hyphens and underscores are
// ignored, so "X-ray tube", "xray_tube" and "XRAY TUBE" all mean `xray_tube`. The lists match
// the CHECK constraints of db/migrations/0001_foundation.sql (a test keeps them in step).
// Pure, thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace niikit::domain {

struct Vocabulary {
  std::string_view field;                  // "technology": used in messages
  std::span<const std::string_view> codes;
};

const Vocabulary& site_types();
const Vocabulary& technologies();
const Vocabulary& configurations();
const Vocabulary& roles();
const Vocabulary& document_kinds();

// The code for `text`, or an input Error: "technology 'laser': expected one of linac, ...".
Result<std::string> parse_code(const Vocabulary& vocabulary, std::string_view text);

// "yes/no/true/false/1/0/y/n" → bool.
Result<bool> parse_yes_no(std::string_view field, std::string_view text);

// A decimal number within [min, max]; "energy_mev '12x': not a number".
Result<double> parse_number(std::string_view field, std::string_view text, double min, double max);

std::string join_codes(const Vocabulary& vocabulary);

}  // namespace niikit::domain
