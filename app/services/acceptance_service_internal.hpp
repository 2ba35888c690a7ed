// Internal to the acceptance service (acceptance_service*.cpp, acceptance_facts.cpp): the stored
// form of per-requirement results (test_sessions.results_json), the requirements a phase
// verifies, and record lookups shared by the use cases. Not a public interface. Pure helpers
// except where they take a connection; not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/domain/requirements.hpp"
#include "app/services/acceptance_service.hpp"
#include "db/acceptance.hpp"
#include "db/registry.hpp"

namespace niikit::services::acceptance_detail {

// One element of results_json: {"requirement_id", "mandatory", "metric_key", "verdict",
// "reason", "measured", "unit", "measurement_id", "from_session"}.
struct StoredResult {
  std::string requirement_id;
  bool mandatory = true;
  std::string metric_key;
  std::string verdict;                      // pass | fail | not_measured
  std::string reason;
  std::optional<double> measured;
  std::string unit;
  std::optional<std::int64_t> measurement_id;
  std::optional<std::int64_t> from_session;
};
std::vector<StoredResult> parse_results_json(const std::string& json);
std::string results_to_json(const std::vector<RequirementResult>& results);
domain::Verdict parse_verdict(const std::string& code);

// The session's copy of its specification's requirements.
std::vector<domain::Requirement> session_requirements(const db::TestSession& session);
// True when `requirement` is verified at `phase`; return-to-service QC verifies the
// requirements marked return_to_service and those marked periodic.
bool verified_in_phase(const domain::Requirement& requirement, const std::string& phase);

// The person named `key` (name or id), or a not_found Error; `what` names the option ("--by").
Result<db::Person> person_in(SQLite::Database& sql, const std::string& key, const std::string& what);
// The session, or not_found; when `must_be_open`, a closed session is a conflict Error.
Result<db::TestSession> session_in(SQLite::Database& sql, std::int64_t id, bool must_be_open);

// The evidence rule for one metric in one session (docs/acceptance.md "Methods"): a kit's
// measurement always stands over a typed (manual) one, whatever their order; among the same
// method the newer wins. True when `candidate` (recorded after `held`) takes `held`'s place.
bool supersedes(const db::Measurement& candidate, const db::Measurement& held);

// Judges the phase's requirements of an open session against its measurements (latest value per
// metric key), carrying over the retested session's results for requirements not re-measured.
std::vector<RequirementResult> judge_session(SQLite::Database& sql, const db::TestSession& session);

// Results of a closed session rebuilt from results_json and its requirement copy.
std::vector<RequirementResult> stored_results(const db::TestSession& session,
                                              const std::vector<db::Witness>& witnesses);

}  // namespace niikit::services::acceptance_detail
