// `niikit fleet`: the fleet board. Also the smallest complete example of a command: options
// in a struct held by shared_ptr, a callback that sets ctx.action, a run function that calls
// a service and prints through ctx.print (text table or --json).
#include <QJsonArray>
#include <QJsonObject>

#include <memory>

#include "app/cli/commands.hpp"
#include "app/cli/fleet_view.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/fleet_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

Status run_fleet(CliContext& ctx, const services::FleetFilter& filter) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  return print_fleet_board(ctx, *db, filter);
}

}  // namespace

Status print_fleet_board(CliContext& ctx, db::Database& db, const services::FleetFilter& filter) {
  auto lines = services::fleet_board(db, filter);
  if (!lines) return tl::unexpected(lines.error());

  QJsonArray json;
  reports::TextTable table{{"ASSET", "SITE", "MODEL", "STAGE", "DAYS", "BLOCKERS"}, {}, {false, false, false, false, true}};
  for (const auto& l : *lines) {
    json.append(QJsonObject{{"asset_tag", qs(l.asset_tag)},
                            {"site", l.site.empty() ? QJsonValue() : QJsonValue(qs(l.site))},
                            {"manufacturer", qs(l.manufacturer)},
                            {"model", qs(l.model)},
                            {"stage", qs(l.stage)},
                            {"stage_since_utc", qs(l.stage_since_utc)},
                            {"days_in_stage", l.days_in_stage},
                            {"next_stage", l.next_stage.empty() ? QJsonValue() : QJsonValue(qs(l.next_stage))},
                            {"blockers", string_array(l.blockers)}});
    std::string blockers = l.blockers.empty() ? "—" : l.blockers.front();
    if (l.blockers.size() > 1) blockers += " (+" + std::to_string(l.blockers.size() - 1) + " more)";
    table.rows.push_back({l.asset_tag, l.site.empty() ? "—" : l.site, l.manufacturer + " " + l.model, l.stage,
                          std::to_string(l.days_in_stage), blockers});
  }
  ctx.print(json, [&](std::ostream& out) {
    out << table.render();
    if (!lines->empty()) out << lines->size() << " scanner(s). `niikit scanner show ASSET` lists every blocker.\n";
  });
  return {};
}

void register_fleet_commands(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("fleet", "Fleet board: one line per scanner with site, model, stage, days in stage "
                                           "and what blocks its next stage");
  auto filter = std::make_shared<services::FleetFilter>();
  cmd->add_option("--site", filter->site, "Only scanners at this site (name)");
  cmd->add_option("--stage", filter->stage, "Only scanners in this stage (code, e.g. in_service)");
  cmd->callback([&ctx, filter] { ctx.action = [&ctx, filter] { return run_fleet(ctx, *filter); }; });
}

}  // namespace niikit::cli
