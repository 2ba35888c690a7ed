#include "app/domain/registry_codes.hpp"

#include "app/domain/text_rules.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace niikit::domain {

namespace {
constexpr std::array<std::string_view, 5> site_type_codes{"seaport", "land_border", "airport", "rail", "inland"};
constexpr std::array<std::string_view, 5> technology_codes{"linac", "betatron", "xray_tube", "co60", "cs137"};
constexpr std::array<std::string_view, 8> configuration_codes{"fixed", "relocatable", "mobile", "portal",
                                                              "gantry", "rail", "cabinet", "portable"};
constexpr std::array<std::string_view, 5> role_codes{"procurement", "engineer", "rso", "manager", "vendor"};
constexpr std::array<std::string_view, 21> document_kind_codes{
    "needs_statement", "business_case", "specification", "tender_dossier", "bid_evaluation",
    "award_decision", "contract", "fat_report", "installation_certificate", "licence",
    "survey_report", "training_record", "sat_report", "acceptance_certificate", "fault_report",
    "qc_report", "maintenance_record", "regulator_confirmation", "manual", "photo", "other"};

std::string squash(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '-' && c != '_' && !std::isspace(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const Vocabulary& site_types() { static const Vocabulary v{"site_type", site_type_codes}; return v; }
const Vocabulary& technologies() { static const Vocabulary v{"technology", technology_codes}; return v; }
const Vocabulary& configurations() { static const Vocabulary v{"configuration", configuration_codes}; return v; }
const Vocabulary& roles() { static const Vocabulary v{"role", role_codes}; return v; }
const Vocabulary& document_kinds() { static const Vocabulary v{"kind", document_kind_codes}; return v; }

std::string join_codes(const Vocabulary& vocabulary) {
  std::string out;
  for (auto c : vocabulary.codes) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

Result<std::string> parse_code(const Vocabulary& vocabulary, std::string_view text) {
  const std::string key = squash(text);
  for (auto code : vocabulary.codes)
    if (squash(code) == key && !key.empty()) return std::string(code);
  return fail(ErrorCode::input,
              fmt::format("{} '{}': expected one of {}", vocabulary.field, trim(text), join_codes(vocabulary)));
}

Result<bool> parse_yes_no(std::string_view field, std::string_view text) {
  const std::string key = squash(text);
  if (key == "yes" || key == "y" || key == "true" || key == "1") return true;
  if (key == "no" || key == "n" || key == "false" || key == "0") return false;
  return fail(ErrorCode::input, fmt::format("{} '{}': expected yes or no", field, trim(text)));
}

Result<double> parse_number(std::string_view field, std::string_view text, double min, double max) {
  const std::string t = trim(text);
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
    return fail(ErrorCode::input, fmt::format("{} '{}': not a number", field, t));
  if (v < min || v > max)
    return fail(ErrorCode::input, fmt::format("{} {}: out of range [{}, {}]", field, t, min, max));
  return v;
}

}  // namespace niikit::domain
