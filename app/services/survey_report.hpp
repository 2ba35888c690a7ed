// The radiation survey report: one survey as a reports::Report (reports/report.hpp) that the
// writers turn into PDF, XLSX, HTML or JSON. It holds the scanner and operating conditions, the
// meter and its calibration (with a warning notice when the survey was recorded over a lapsed
// calibration), the safety checks, the point table with verdicts, a bar chart of dose rate by
// point with the zone limits as lines, the projected annual dose per zone, the limits the
// survey was judged against (as stored with it), reasons and follow-up actions, and the
// surveyor's and closing RSO's signature lines.
// Reads in one transaction; pure otherwise. Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "db/database.hpp"
#include "reports/report.hpp"

namespace niikit::services::rad {

// `generated_at_utc` is the report's provenance time (from the injected clock).
Result<reports::Report> build_survey_report(db::Database& db, std::int64_t survey_id,
                                            const std::string& generated_at_utc);

}  // namespace niikit::services::rad
