// The one list of CLI command groups. Each group registers its subcommands on the root app
// (see cli_context.hpp for the pattern); register_all_commands calls them in help order.
#pragma once
#include <CLI/CLI.hpp>

#include "app/cli/cli_context.hpp"

namespace niikit::cli {

// Global options (--db, --json, --version) and help formatting.
void configure_root(CLI::App& root, CliContext& ctx);
void register_all_commands(CLI::App& root, CliContext& ctx);

void register_db_commands(CLI::App& root, CliContext& ctx);
void register_registry_commands(CLI::App& root, CliContext& ctx);   // site, person, scanner, document
void register_stage_commands(CLI::App& root, CliContext& ctx);
void register_fleet_commands(CLI::App& root, CliContext& ctx);
void register_audit_commands(CLI::App& root, CliContext& ctx);
void register_demo_commands(CLI::App& root, CliContext& ctx);

}  // namespace niikit::cli
