// The fleet board: one line per scanner with its site, model, stage, days in stage and the
// blockers on its usual next move (every unmet gate condition). Read-only.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::services {

struct FleetLine {
  std::string asset_tag;
  std::string site;            // "" when not yet assigned
  std::string manufacturer;
  std::string model;
  std::string stage;
  std::string stage_label;
  std::string stage_since_utc;
  int days_in_stage = 0;
  std::string next_stage;      // usual next stage, "" when final
  std::vector<std::string> blockers;
};

struct FleetFilter {
  std::string site;            // site name; empty = all
  std::string stage;           // stage code; empty = all
};

Result<std::vector<FleetLine>> fleet_board(db::Database& db, const FleetFilter& filter = {});

}  // namespace niikit::services
