// Requests and responses of the lifecycle operations (ops_lifecycle.cpp): the fleet board and
// stage decisions, and the JSON shape of a gate's conditions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/api/codec.hpp"
#include "app/api/describe_registry.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/fleet_service.hpp"
#include "db/registry.hpp"

namespace niikit::api {

template <>
struct Describe<domain::GateCondition> {
  static auto fields() {
    using T = domain::GateCondition;
    return std::make_tuple(field("condition", &T::text), field("holds", &T::holds),
                           field("why", &T::why, "what is missing when it does not hold"),
                           field("hint", &T::hint, "the command that records what is missing"));
  }
};

template <>
struct Describe<domain::GateOutcome> {
  static auto fields() {
    return std::make_tuple(field("conditions", &domain::GateOutcome::conditions, "every condition of the gate"));
  }
};

// ---- fleet board

struct FleetRequest {
  std::optional<std::string> site, stage;
};
template <>
struct Describe<FleetRequest> {
  static auto fields() {
    using T = FleetRequest;
    return std::make_tuple(field("site", &T::site, "Only scanners at this site (name)"),
                           field("stage", &T::stage, "Only scanners in this stage (code, e.g. in_service)"));
  }
};

template <>
struct Describe<services::FleetLine> {
  static auto fields() {
    using T = services::FleetLine;
    return std::make_tuple(field("asset_tag", &T::asset_tag), field("site", &T::site, "site name, \"\" when unassigned"),
                           field("manufacturer", &T::manufacturer), field("model", &T::model),
                           field("stage", &T::stage), field("stage_label", &T::stage_label),
                           field("stage_since_utc", &T::stage_since_utc), field("days_in_stage", &T::days_in_stage),
                           field("next_stage", &T::next_stage, "usual next stage, \"\" when final"),
                           field("blockers", &T::blockers, "every unmet condition of the next stage's gate"));
  }
};

// ---- stages

struct StageRow {
  std::string code, label;
  std::vector<std::string> successors;
  std::string gate;  // what it takes to leave the stage
};
template <>
struct Describe<StageRow> {
  static auto fields() {
    using T = StageRow;
    return std::make_tuple(field("code", &T::code), field("label", &T::label), field("successors", &T::successors),
                           field("gate", &T::gate, "what it takes to leave the stage"));
  }
};

// Decisions the acting person (--as) makes: advance, out of service, return.
struct AdvanceRequest {
  std::string scanner, to;
  std::optional<std::string> note;
  std::optional<std::int64_t> evidence;
};
template <>
struct Describe<AdvanceRequest> {
  static auto fields() {
    using T = AdvanceRequest;
    return std::make_tuple(field("scanner", &T::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER"),
                           field("to", &T::to, "Target stage code (see `niikit stage list`)", kRequired),
                           field("note", &T::note, "Note / reason recorded on the decision"),
                           field("evidence", &T::evidence, "Document id supporting the decision"));
  }
};

struct OutOfServiceRequest {
  std::string scanner, note;
  std::optional<std::int64_t> evidence;
};
template <>
struct Describe<OutOfServiceRequest> {
  static auto fields() {
    using T = OutOfServiceRequest;
    return std::make_tuple(field("scanner", &T::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER"),
                           field("note", &T::note, "Reason recorded on the decision", kRequired),
                           field("evidence", &T::evidence, "Document id supporting the decision"));
  }
};

struct ReturnRequest {
  std::string scanner;
  std::optional<std::string> note;
  std::optional<std::int64_t> evidence;
};
template <>
struct Describe<ReturnRequest> {
  static auto fields() {
    using T = ReturnRequest;
    return std::make_tuple(field("scanner", &T::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER"),
                           field("note", &T::note, "Note recorded on the decision"),
                           field("evidence", &T::evidence, "Document id supporting the decision"));
  }
};

struct MoveReply {
  db::Scanner scanner;  // after the move
  db::Decision decision;
};
template <>
struct Describe<MoveReply> {
  static auto fields() {
    return std::make_tuple(field("scanner", &MoveReply::scanner, "the scanner after the move"),
                           field("decision", &MoveReply::decision, "the decision recorded"));
  }
};

struct StageCheckRequest {
  std::string scanner, to;
};
template <>
struct Describe<StageCheckRequest> {
  static auto fields() {
    using T = StageCheckRequest;
    return std::make_tuple(field("scanner", &T::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER"),
                           field("to", &T::to, "Target stage code", kRequired));
  }
};

struct GateCheck {
  std::string scanner, to;
  bool passed = false;
  std::vector<domain::GateCondition> conditions;
};
template <>
struct Describe<GateCheck> {
  static auto fields() {
    using T = GateCheck;
    return std::make_tuple(field("scanner", &T::scanner), field("to", &T::to, "target stage"),
                           field("passed", &T::passed, "the gate holds"),
                           field("conditions", &T::conditions, "every condition of the gate"));
  }
};

}  // namespace niikit::api
