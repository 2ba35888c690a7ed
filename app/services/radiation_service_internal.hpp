// Helpers shared by the radiation service's source files (radiation_service*.cpp): date and
// number checks with one-line messages, licence state, the stored limits' JSON form.
// Internal to app/services; pure except where a connection is passed. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "db/radiation.hpp"

namespace niikit::services::rad::detail {

// "YYYY-MM-DD" checked ("date 'x': expected YYYY-MM-DD"); "" allowed when !required (returns "").
Result<std::string> date_field(const std::string& field, const std::string& text, bool required);

// A number field of a CSV row or point: "field 'dose_rate_usv_h': 'abc' is not a number",
// "field 'occupancy_factor': 1.5 is out of range [1e-06, 1]".
Result<double> number_field(const std::string& field, const std::string& text, double lo, double hi);

// in_force | expired | not_yet_valid | suspended | terminated, as of `today` (YYYY-MM-DD).
std::string licence_state(const db::rad::Licence& l, const std::string& today);
// Whole days from `from` to `to` (both YYYY-MM-DD).
int days_between(const std::string& from, const std::string& to);

std::string limits_to_json(const std::map<std::string, std::string>& values);
std::map<std::string, std::string> limits_from_json(const std::string& text);

// Settings in force in the caller's transaction.
Result<std::map<std::string, std::string>> stored_overrides(SQLite::Database& sql);

}  // namespace niikit::services::rad::detail
