// The scanner lifecycle of DESIGN.md §2 as one table, and its gates as pure functions.
//
// A stage has a code (stored in the database), a label, the stages it may move to, and the
// gate that must hold to leave it. A gate is evaluated over GateFacts, a plain snapshot of
// what is recorded about the scanner (gathered by app/services/gate_facts.cpp), and returns
// every condition with whether it holds, so a refusal lists every unmet condition. Facts
// that later features record (test sessions, licences, surveys) start empty, and the gates
// refuse with a clear reason until such records exist. Pure, thread-safe.
#pragma once

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

// What is recorded about one scanner, as the gates need it.
struct GateFacts {
  std::string decider_role;                    // role of the person deciding
  std::set<std::string> document_kinds;        // kinds of documents linked to the scanner
  std::string note;                            // the decision's note
  // Recorded by later features; empty/false until those records exist.
  int fat_sessions_passed = 0;                 // acceptance tests (FAT)
  int sat_sessions_passed = 0;                 // acceptance tests (SAT)
  int rts_sessions_passed = 0;                 // return-to-service QC sessions
  int open_major_deviations = 0;
  int open_deviations = 0;                     // any severity, not waived
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
