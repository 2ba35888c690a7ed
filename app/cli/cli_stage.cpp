// `niikit stage list|advance|check|out-of-service|return`.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>

#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/lifecycle_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

struct StageOptions {
  services::MoveRequest request;
  std::int64_t evidence = 0;
};

Status run_list(CliContext& ctx) {
  QJsonArray json;
  reports::TextTable t{{"STAGE", "LABEL", "NEXT", "TO LEAVE IT"}, {}, {}};
  for (const auto& s : domain::stage_table()) {
    std::string next;
    QJsonArray successors;
    for (auto n : s.successors) {
      next += (next.empty() ? "" : ", ") + std::string(domain::stage_info(n).code);
      successors.append(qs(std::string(domain::stage_info(n).code)));
    }
    json.append(QJsonObject{{"code", qs(std::string(s.code))}, {"label", qs(std::string(s.label))},
                            {"successors", successors}, {"gate", qs(std::string(s.gate))}});
    t.rows.push_back({std::string(s.code), std::string(s.label), next.empty() ? "—" : next, std::string(s.gate)});
  }
  ctx.print(json, [&](std::ostream& out) { out << t.render(); });
  return {};
}

using MoveFn = Result<services::MoveResult> (*)(db::Database&, const services::MoveRequest&);

Status run_move(CliContext& ctx, StageOptions opts, MoveFn fn) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  if (opts.evidence > 0) opts.request.evidence_document_id = opts.evidence;
  auto moved = fn(*db, opts.request);
  if (!moved) return tl::unexpected(moved.error());
  QJsonObject json{{"scanner", to_json(moved->scanner)}, {"decision", to_json(moved->decision)}};
  ctx.print(json, [&](std::ostream& out) {
    out << fmt::format("{}: {} → {} (decision {}, by {} as {})\n", moved->scanner.asset_tag,
                       moved->decision.from_stage.value_or("·"), moved->decision.to_stage, moved->decision.id,
                       moved->decision.decided_by_name, moved->decision.decided_role);
  });
  return {};
}

Status run_check(CliContext& ctx, const StageOptions& opts) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  auto gate = services::check_move(*db, opts.request.scanner, opts.request.to_stage, opts.request.by);
  if (!gate) return tl::unexpected(gate.error());
  ctx.print(to_json(*gate), [&](std::ostream& out) {
    for (const auto& c : gate->conditions)
      out << (c.holds ? "  ok    " : "  MISS  ") << (c.holds ? c.text : c.why)
          << (c.hint.empty() ? "" : "  [" + c.hint + "]") << "\n";
    out << (gate->passed() ? "Gate holds.\n" : "Gate refused.\n");
  });
  if (!gate->passed())
    return fail(ErrorCode::gate_refused, fmt::format("scanner {}: {} unmet condition(s) for {}", opts.request.scanner,
                                                     gate->unmet().size(), opts.request.to_stage));
  return {};
}

void common(CLI::App* cmd, std::shared_ptr<StageOptions> o, bool note_required) {
  cmd->add_option("SCANNER", o->request.scanner, "Asset tag or id")->required();
  cmd->add_option("--by", o->request.by, "Person deciding (name or id); their role is recorded")->required();
  auto* note = cmd->add_option("--note", o->request.note, "Note / reason recorded on the decision");
  if (note_required) note->required();
  cmd->add_option("--evidence", o->evidence, "Document id supporting the decision");
}

}  // namespace

void register_stage_commands(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("stage", "Lifecycle: list stages, move scanners through them (gated), out of service");
  g->require_subcommand(1);
  g->add_subcommand("list", "The lifecycle stages, their successors and gates")->callback([&ctx] {
    ctx.action = [&ctx] { return run_list(ctx); };
  });

  auto adv = std::make_shared<StageOptions>();
  auto* advance = g->add_subcommand("advance", "Move a scanner to its next stage; refused with every unmet gate "
                                               "condition listed (exit status 6)");
  common(advance, adv, false);
  advance->add_option("--to", adv->request.to_stage, "Target stage code (see `niikit stage list`)")->required();
  advance->callback([&ctx, adv] { ctx.action = [&ctx, adv] { return run_move(ctx, *adv, services::advance_stage); }; });

  auto chk = std::make_shared<StageOptions>();
  auto* check = g->add_subcommand("check", "Evaluate a move's gate without making it");
  check->add_option("SCANNER", chk->request.scanner, "Asset tag or id")->required();
  check->add_option("--to", chk->request.to_stage, "Target stage code")->required();
  check->add_option("--by", chk->request.by, "Person who would decide (their role counts)");
  check->callback([&ctx, chk] { ctx.action = [&ctx, chk] { return run_check(ctx, *chk); }; });

  auto oos = std::make_shared<StageOptions>();
  auto* out = g->add_subcommand("out-of-service", "Take an in-service scanner out of service (reason required)");
  common(out, oos, true);
  out->callback([&ctx, oos] { ctx.action = [&ctx, oos] { return run_move(ctx, *oos, services::take_out_of_service); }; });

  auto rts = std::make_shared<StageOptions>();
  auto* ret = g->add_subcommand("return", "Return an out-of-service scanner to service (faults closed, QC passed, "
                                          "survey and licence valid)");
  common(ret, rts, false);
  ret->callback([&ctx, rts] { ctx.action = [&ctx, rts] { return run_move(ctx, *rts, services::return_to_service); }; });
}

}  // namespace niikit::cli
