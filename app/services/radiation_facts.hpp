// The radiation safety gate fact source (see gate_facts.hpp): fills valid_licence,
// licence_required, commissioning_survey_passed, periodic_survey_valid and
// clearance_survey_passed of domain::GateFacts from the rad_* records, for one scanner or the
// whole fleet with a constant number of queries (settings, licence links, closed surveys).
//
//  - valid_licence: an active possession or use licence linked to the scanner, issued on or
//    before today and not expired;
//  - licence_required: false only when an active, unexpired `exemption` from the regulator is
//    linked to the scanner;
//  - commissioning_survey_passed: a closed commissioning survey with verdict pass;
//  - periodic_survey_valid: the newest closed survey other than a clearance survey passed and
//    is dated within `survey_period_months` (setting, default 12) of today;
//  - clearance_survey_passed: a closed decommissioning clearance survey passed.
// Lives inside the caller's transaction. Not thread-safe.
#pragma once

#include "app/services/gate_facts.hpp"

namespace niikit::services::rad {

std::unique_ptr<GateFactSource> load_radiation_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                     const std::string& now_utc);

}  // namespace niikit::services::rad
