// Lifecycle use cases: register or import a scanner at a stage, move it through its stages
// (each move a `decision` record, refused with every unmet gate condition listed), take it out
// of service and return it, and read its timeline. Gate facts are gathered from what is
// recorded (gather_gate_facts), the rules themselves are app/domain/lifecycle.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/gate_facts.hpp"
#include "app/services/registry_service.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

namespace niikit::services {

struct MoveRequest {
  std::string scanner;      // asset tag or id
  std::string to_stage;     // stage code
  std::string by;           // person name or id (required)
  std::string note;
  std::optional<std::int64_t> evidence_document_id;
};

struct MoveResult {
  db::Scanner scanner;      // after the move
  db::Decision decision;
  domain::GateOutcome gate;
};

// Moves the scanner when the gate holds; otherwise an ErrorCode::gate_refused error whose
// message lists every unmet condition ("; "-separated), and nothing is written.
Result<MoveResult> advance_stage(db::Database& db, const MoveRequest& request);
Result<MoveResult> take_out_of_service(db::Database& db, const MoveRequest& request);   // to_stage ignored
Result<MoveResult> return_to_service(db::Database& db, const MoveRequest& request);     // to_stage ignored

// Takes an in-service scanner out of service inside the caller's unit of work because a record
// demands it (failed radiation survey, expired licence, failed QC). No gate is asked; the
// decision carries `reason` as its note, and role "system" when `by` is not given. Returns the
// decision, or nullopt when the scanner is not in service (a scanner not yet operating is held
// by its gates instead, one already out of service stays so).
Result<std::optional<db::Decision>> force_out_of_service_in(db::WriteTx& tx, std::int64_t scanner_id,
                                                            const std::optional<db::Person>& by,
                                                            const std::string& reason);

// Evaluates a move without making it (the fleet board's blockers, `stage check`).
Result<domain::GateOutcome> check_move(db::Database& db, const std::string& scanner, const std::string& to_stage,
                                       const std::string& by);

// What is recorded about the scanner as the gates see it, as of `now_utc` (in the caller's
// transaction), from every source in gate_fact_sources().
domain::GateFacts gather_gate_facts(SQLite::Database& sql, const db::Scanner& scanner, const std::string& decider_role,
                                    const std::string& note, const std::string& now_utc);

// The same for every scanner at once, with a constant number of queries (fleet board).
class FleetFacts {
 public:
  FleetFacts(SQLite::Database& sql, const std::string& now_utc);
  ~FleetFacts();
  [[nodiscard]] domain::GateFacts for_scanner(const db::Scanner& scanner, const std::string& decider_role,
                                              const std::string& note) const;

 private:
  std::vector<std::unique_ptr<GateFactSource>> sources_;
};

// Registers a scanner (see registry_service.hpp add_scanner); `fields` may hold "stage",
// "stage_since" and "note" for an import, and "by" for the person recorded.
Result<db::Scanner> add_scanner(db::Database& db, const std::string& actor, const Fields& fields);
Status add_scanner_in(db::WriteTx& tx, const Fields& fields, db::Scanner* out = nullptr);

struct Timeline {
  db::Scanner scanner;
  std::vector<db::Decision> decisions;
  std::vector<db::Document> documents;
};
Result<Timeline> scanner_timeline(db::Database& db, const std::string& scanner);

}  // namespace niikit::services
