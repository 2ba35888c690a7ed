// Lifecycle use cases: register or import a scanner at a stage, move it through its stages
// (each move a `decision` record, refused with every unmet gate condition listed), take it out
// of service and return it, and read its timeline. Gate facts are gathered from what is
// recorded (gather_gate_facts), the rules themselves are app/domain/lifecycle.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/base/error.hpp"
#include "app/domain/lifecycle.hpp"
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

// Evaluates a move without making it (the fleet board's blockers, `stage check`).
Result<domain::GateOutcome> check_move(db::Database& db, const std::string& scanner, const std::string& to_stage,
                                       const std::string& by);

// What is recorded about the scanner as the gates see it (in the caller's transaction).
domain::GateFacts gather_gate_facts(SQLite::Database& sql, const db::Scanner& scanner, const std::string& decider_role,
                                    const std::string& note);

// The same for every scanner at once, with a constant number of queries (fleet board).
class FleetFacts {
 public:
  explicit FleetFacts(SQLite::Database& sql);
  [[nodiscard]] domain::GateFacts for_scanner(const db::Scanner& scanner, const std::string& decider_role,
                                              const std::string& note) const;

 private:
  std::map<std::int64_t, std::set<std::string>> document_kinds_;
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
