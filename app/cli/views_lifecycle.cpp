// Text views of the topic stage and fleet: lifecycle decisions and the fleet board.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "app/api/lifecycle_types.hpp"
#include "app/cli/views.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

void fleet_view(std::ostream& out, const std::vector<services::FleetLine>& lines) {
  reports::TextTable table{{"ASSET", "SITE", "MODEL", "STAGE", "DAYS", "BLOCKERS"}, {}, {false, false, false, false, true}};
  for (const auto& l : lines) {
    std::string blockers = l.blockers.empty() ? "—" : l.blockers.front();
    if (l.blockers.size() > 1) blockers += " (+" + std::to_string(l.blockers.size() - 1) + " more)";
    table.rows.push_back({l.asset_tag, l.site.empty() ? "—" : l.site, l.manufacturer + " " + l.model, l.stage,
                          std::to_string(l.days_in_stage), blockers});
  }
  out << table.render();
  if (!lines.empty()) out << lines.size() << " scanner(s). `niikit scanner show ASSET` lists every blocker.\n";
}

void stage_list(std::ostream& out, const std::vector<api::StageRow>& rows) {
  reports::TextTable t{{"STAGE", "LABEL", "NEXT", "TO LEAVE IT"}, {}, {}};
  for (const auto& s : rows) {
    std::string next;
    for (const auto& n : s.successors) next += (next.empty() ? "" : ", ") + n;
    t.rows.push_back({s.code, s.label, next.empty() ? "—" : next, s.gate});
  }
  out << t.render();
}

void move_line(std::ostream& out, const api::MoveReply& m) {
  out << fmt::format("{}: {} → {} (decision {}, by {} as {})\n", m.scanner.asset_tag, m.decision.from_stage.value_or("·"),
                     m.decision.to_stage, m.decision.id, m.decision.decided_by_name, m.decision.decided_role);
}

void gate_check(std::ostream& out, const api::GateCheck& g) {
  for (const auto& c : g.conditions)
    out << (c.holds ? "  ok    " : "  MISS  ") << (c.holds ? c.text : c.why) << (c.hint.empty() ? "" : "  [" + c.hint + "]")
        << "\n";
  out << (g.passed ? "Gate holds.\n" : "Gate refused.\n");
}

}  // namespace

void add_lifecycle_views(ViewTable& t) {
  t.add<std::vector<services::FleetLine>>("fleet", fleet_view);
  t.add<std::vector<api::StageRow>>("stage.list", stage_list);
  for (const char* op : {"stage.advance", "stage.out-of-service", "stage.return"}) t.add<api::MoveReply>(op, move_line);
  t.add<api::GateCheck>("stage.check", gate_check);
}

}  // namespace niikit::cli
