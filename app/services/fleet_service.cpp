#include "app/services/fleet_service.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/lifecycle_service.hpp"
#include "db/registry.hpp"

namespace niikit::services {

using namespace niikit::domain;

Result<std::vector<FleetLine>> fleet_board(db::Database& db, const FleetFilter& filter) {
  if (!filter.stage.empty() && !parse_stage(filter.stage))
    return fail(ErrorCode::input, fmt::format("stage '{}': unknown stage code", filter.stage));
  const TimePoint now = db.clock().now();
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<FleetLine>> {
    if (!filter.site.empty() && !db::find_site(sql, filter.site))
      return fail(ErrorCode::not_found, fmt::format("site '{}': not found", filter.site));
    std::vector<FleetLine> lines;
    const FleetFacts facts(sql, format_utc(now));
    for (const auto& s : db::list_scanners(sql)) {
      if (!filter.site.empty() && s.site_name != filter.site) continue;
      if (!filter.stage.empty() && s.stage != filter.stage) continue;
      FleetLine line{s.asset_tag, s.site_name, s.manufacturer, s.model, s.stage, "", s.stage_since_utc, 0, "", {}};
      const Stage stage = *parse_stage(s.stage);
      const auto& info = stage_info(stage);
      line.stage_label = std::string(info.label);
      if (auto since = parse_utc(s.stage_since_utc))
        line.days_in_stage = static_cast<int>(std::chrono::floor<std::chrono::days>(now - *since).count());
      // In service, the usual "next move" is going out of service, which is no goal: no blockers.
      if (!info.successors.empty() && stage != Stage::in_service) {
        const Stage next = info.successors.front();
        line.next_stage = std::string(stage_info(next).code);
        // The decider is unknown here; assume the role the gate asks for so only record gaps show.
        line.blockers = evaluate_gate(stage, next, facts.for_scanner(s, "manager", "(fleet board)")).unmet();
      }
      lines.push_back(std::move(line));
    }
    return lines;
  });
}

}  // namespace niikit::services
