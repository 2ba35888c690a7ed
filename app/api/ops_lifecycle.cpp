// Operations of the topic stage and fleet: lifecycle decisions and the fleet board. The person
// deciding is the acting person of the Context (--as on the command line, the signed-in user on
// the web); the permission table says who may decide, the gates what must be recorded first.
#include <fmt/format.h>

#include "app/api/lifecycle_types.hpp"
#include "app/api/operations.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/fleet_service.hpp"
#include "app/services/lifecycle_service.hpp"

namespace niikit::api {

namespace {

using MoveFn = Result<services::MoveResult> (*)(db::Database&, const services::MoveRequest&);

// Runs a decision as the acting person allowed to make `action`.
Result<MoveReply> decide(Context& ctx, const char* action, MoveFn fn, services::MoveRequest request,
                         std::optional<std::int64_t> evidence) {
  auto actor = ctx.require(action);
  if (!actor) return tl::unexpected(actor.error());
  request.by = actor->name;
  request.evidence_document_id = evidence;
  auto moved = fn(ctx.db(), request);
  if (!moved) return tl::unexpected(moved.error());
  return MoveReply{moved->scanner, moved->decision};
}

std::vector<StageRow> stage_rows() {
  std::vector<StageRow> rows;
  for (const auto& s : domain::stage_table()) {
    StageRow row{std::string(s.code), std::string(s.label), {}, std::string(s.gate)};
    for (auto n : s.successors) row.successors.emplace_back(domain::stage_info(n).code);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<GateCheck> check_gate(Context& ctx, const StageCheckRequest& q) {
  auto person = ctx.acting_person();  // the person who would decide: their role counts
  if (!person) return tl::unexpected(person.error());
  auto gate = services::check_move(ctx.db(), q.scanner, q.to, *person ? (*person)->name : "");
  if (!gate) return tl::unexpected(gate.error());
  return GateCheck{q.scanner, q.to, gate->passed(), gate->conditions};
}

std::optional<Error> gate_status(const GateCheck& g) {
  if (g.passed) return std::nullopt;
  std::size_t unmet = 0;
  for (const auto& c : g.conditions) unmet += c.holds ? 0 : 1;
  return Error{ErrorCode::gate_refused, fmt::format("scanner {}: {} unmet condition(s) for {}", g.scanner, unmet, g.to)};
}

}  // namespace

void add_lifecycle_operations(Registry& r) {
  r.add(make_operation<FleetRequest, std::vector<services::FleetLine>>(
      {"fleet", "Fleet board: one line per scanner with site, model, stage, days in stage and what blocks its next stage",
       "", Access::read},
      [](Context& ctx, const FleetRequest& q) {
        return services::fleet_board(ctx.db(), {q.site.value_or(""), q.stage.value_or("")});
      }));

  r.group("stage", "Lifecycle: list stages, move scanners through them (gated), out of service");
  r.add(make_operation<Empty, std::vector<StageRow>>(
      {"stage.list", "The lifecycle stages, their successors and gates", "", Access::none},
      [](Context&, const Empty&) -> Result<std::vector<StageRow>> { return stage_rows(); }));
  r.add(make_operation<AdvanceRequest, MoveReply>(
      {"stage.advance", "Move a scanner to its next stage; refused with every unmet gate condition listed (exit status 6)",
       "The acting person (--as) decides; their role is recorded on the decision.", Access::write},
      [](Context& ctx, const AdvanceRequest& q) {
        return decide(ctx, "stage.advance", services::advance_stage, {q.scanner, q.to, "", q.note.value_or(""), {}},
                      q.evidence);
      }));
  r.add(make_operation<StageCheckRequest, GateCheck>(
      {"stage.check", "Evaluate a move's gate without making it",
       "The acting person (--as), when one is known, counts as the person who would decide. Exit status 6 when "
       "the gate would refuse.",
       Access::read},
      check_gate, gate_status));
  r.add(make_operation<OutOfServiceRequest, MoveReply>(
      {"stage.out-of-service", "Take an in-service scanner out of service (reason required)",
       "The acting person (--as) decides; their role is recorded on the decision.", Access::write},
      [](Context& ctx, const OutOfServiceRequest& q) {
        return decide(ctx, "stage.out-of-service", services::take_out_of_service, {q.scanner, "", "", q.note, {}},
                      q.evidence);
      }));
  r.add(make_operation<ReturnRequest, MoveReply>(
      {"stage.return", "Return an out-of-service scanner to service (faults closed, QC passed, survey and licence valid)",
       "The acting person (--as) decides; their role is recorded on the decision.", Access::write},
      [](Context& ctx, const ReturnRequest& q) {
        return decide(ctx, "stage.return", services::return_to_service, {q.scanner, "", "", q.note.value_or(""), {}},
                      q.evidence);
      }));
}

}  // namespace niikit::api
