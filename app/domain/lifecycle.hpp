// The scanner lifecycle of DESIGN.md §2 as one table, and its gates as pure functions.
//
// A stage has a code (stored in the database), a label, the stages it may move to, and the
// gate that must hold to leave it. A gate is evaluated over GateFacts, a plain snapshot of
// what is recorded about the scanner (gathered by the sources of app/services/gate_facts.hpp),
// and returns every condition with whether it holds, so a refusal lists every unmet condition.
// Facts nothing has recorded yet (no session, no licence) read as empty, and the gates refuse
// with a clear reason. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace niikit::domain {

enum class Stage {
  needs, specification, tender, contract, fat, deployment, sat, final_acceptance,
  in_service, out_of_service, decommissioned,
};

struct StageInfo {
  Stage stage;
  std::string_view code;                 // stored value, e.g. "final_acceptance"
  std::string_view label;                // "Final acceptance"
  std::vector<Stage> successors;         // allowed moves, the usual next one first
  std::string_view gate;                 // what must hold to leave it (one line, for --help/docs)
};

const std::vector<StageInfo>& stage_table();
const StageInfo& stage_info(Stage stage);
std::optional<Stage> parse_stage(std::string_view code);
bool is_allowed_move(Stage from, Stage to);

// Roles of people (DESIGN §1); stored as these codes.
inline constexpr std::string_view person_roles[] = {"procurement", "engineer", "rso", "manager", "vendor"};

// One test phase's acceptance record as the gates see it: the newest closed session of that
// phase (FAT, SAT or return-to-service QC) for the scanner, filled by the acceptance source
// (app/services/acceptance_facts).
struct SessionFacts {
  bool recorded = false;                          // a closed session of the phase exists
  std::int64_t session_id = 0;                    // the newest closed one
  bool passed = false;                            // its verdict
  std::vector<std::string> mandatory_failed;      // ids of mandatory requirements judged fail
  std::vector<std::string> mandatory_unverified;  // ids of mandatory requirements not measured
  std::vector<std::string> unsigned_witnesses;    // witnesses (names) without a valid signature
  std::vector<std::string> invalid_signatures;    // "Ama Mensah (witness)": content changed since signing
  int valid_signatures = 0;
  bool content_changed = false;                   // its records differ from what was hashed at close
};

// The scanner's specification as the gates see it (procurement records).
struct SpecificationFacts {
  bool linked = false;                 // the scanner belongs to a procurement with a specification version
  std::string reference;               // "GRA-NII-2026-01 v2" (procurement and version)
  bool frozen = false;                 // a frozen version exists
  int mandatory_without_method = 0;    // mandatory requirements with no test method or no phase
};

// The tender records of the scanner's procurement (issue 14), as the gates see them; empty
// when not recorded. A gate that reads them still accepts the older uploaded documents.
struct TenderRecordFacts {
  std::string needs_approved_by;   // the budget holder who approved the needs record
  std::string evaluated_tender;    // a tender of the procurement whose evaluation is complete
  std::string awarded_tender;      // a tender of the procurement with an award decision
  std::string contract;            // a signed contract (reference) of the procurement's tenders
};

// What is recorded about one scanner, as the gates need it.
struct GateFacts {
  std::string decider_role;                    // role of the person deciding
  std::set<std::string> document_kinds;        // kinds of documents linked to the scanner
  std::string note;                            // the decision's note
  // Filled by the feature sources (app/services/gate_facts.hpp); empty/false until recorded.
  SpecificationFacts specification;            // procurement: frozen specification
  TenderRecordFacts tender;                    // procurement: needs, evaluation, award, contract records
  SessionFacts fat;                            // acceptance tests: newest closed FAT session
  SessionFacts sat;                            // newest closed SAT session
  SessionFacts rts;                            // newest closed return-to-service QC session
  int open_major_deviations = 0;               // FAT and SAT deviations neither closed nor waived, major
  int open_deviations = 0;                     // FAT and SAT deviations neither closed nor waived, any severity
  int open_faults = 0;                         // maintenance
  bool valid_licence = false;                  // radiation safety: licence in force
  bool commissioning_survey_passed = false;    // radiation safety
  bool periodic_survey_valid = false;          // radiation safety: a passed survey within its period
  bool clearance_survey_passed = false;        // decommissioning clearance survey
  bool licence_required = true;                // false only when the regulator waives it (recorded)
};

struct GateCondition {
  std::string text;   // "business case or needs statement linked to the scanner"
  bool holds = false;
  std::string why;    // when it does not hold: what is missing, one line
  std::string hint;   // when it does not hold and a command records what is missing
};

struct GateOutcome {
  std::vector<GateCondition> conditions;
  [[nodiscard]] bool passed() const;
  [[nodiscard]] std::vector<std::string> unmet() const;   // "why" of each failing condition
};

// Checks the move from → to: allowed successor and the gate of `from` (plus the rules of
// entering `to`, e.g. out of service needs a reason).
GateOutcome evaluate_gate(Stage from, Stage to, const GateFacts& facts);

}  // namespace niikit::domain
