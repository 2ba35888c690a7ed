// Prints the fleet board (table or --json); shared by `niikit fleet` and `niikit demo`.
#pragma once

#include "app/cli/cli_context.hpp"
#include "app/services/fleet_service.hpp"
#include "db/database.hpp"

namespace niikit::cli {
Status print_fleet_board(CliContext& ctx, db::Database& db, const services::FleetFilter& filter);
}
