// Acceptance and trend reports (DESIGN.md §4, issue 7): turns a stored test session — its
// requirements with verdicts, kit runs (annotated images, curves), manual measurements,
// deviations and signatures — into a reports::Report that the writers in reports/writers.hpp
// print as PDF, XLSX, HTML or JSON. Also the trend of one metric over a scanner's periodic QC.
//
// Builders only read (one read unit of work each) and never change the database. Signature
// validity is recomputed while building, so a report of a session changed after signing says
// so on its cover and signature page. Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "db/database.hpp"
#include "reports/report.hpp"

namespace niikit::services {

struct AcceptanceReportRequest {
  std::string scanner;                      // asset tag or id (required unless session_id is given)
  std::string phase;                        // fat | sat | periodic | return_to_service
  std::optional<std::int64_t> session_id;   // a particular session; default: the newest of the phase
};

// Not found when the scanner has no session of the phase. `generated_at_utc` is stamped on the
// report (the CLI passes its clock, so NIIKIT_NOW makes reports reproducible).
Result<reports::Report> build_acceptance_report(db::Database& db, const AcceptanceReportRequest& request,
                                                const std::string& generated_at_utc);

// Every closed session's value of `metric_key` for the scanner, oldest first, with the
// requirement's target as a limit line. Not found when nothing was measured.
Result<reports::Report> build_trend_report(db::Database& db, const std::string& scanner,
                                           const std::string& metric_key, const std::string& generated_at_utc);

}  // namespace niikit::services
