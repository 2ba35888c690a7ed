// What every CLI command shares: global options, the clock, output streams, and the
// action the parsed subcommand chose to run.
//
// New commands are operations (app/api/ops_*.cpp, views in app/cli/views_*.cpp; the adapter
// in adapter.hpp builds their commands). Groups not yet ported still register CLI11 commands
// here by hand (cli_*.cpp):
//   auto* cmd = root.add_subcommand("name", "summary");
//   cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_name(ctx, *opts); }; });
// `main` parses, then runs ctx.action and maps a returned Error to its exit status from the
// catalogue in core/error.hpp. Commands print through ctx.print() so `--json` works everywhere.
// Not thread-safe: one per process.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <functional>
#include <iosfwd>
#include <string>

#include "app/services/context.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace niikit::db {
class Database;
}

namespace niikit::cli {

struct CliContext {
  services::Config config;  // read once from the environment by main
  std::string db_path;   // from --db; empty means config.db_path ($NIIKIT_DB, else ./niikit.db)
  std::string as_person; // from --as: the person this command acts as (else config.as_person / OS user)
  std::string password_file;  // from --password-file: the acting user's password (first line)
  bool json = false;     // --json: machine output on stdout, one JSON document
  Clock clock;           // system clock, or NIIKIT_NOW when set
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::function<Status()> action;  // set by the chosen subcommand's callback
  mutable bool printed = false;    // print() wrote the result (main then adds no JSON error document)

  // Resolved database path: --db, else $NIIKIT_DB, else ./niikit.db (documented in README).
  [[nodiscard]] std::string resolved_db_path() const;

  // Opens the database at resolved_db_path() and applies pending migrations.
  [[nodiscard]] Result<db::Database> open_db(bool create_if_missing = false) const;

  // The documented --json error members of `error`: error, exit_status, message (and field).
  [[nodiscard]] static QJsonObject error_members(const Error& error);

  // Prints `json` (when --json) or calls `text` to print the human-readable form.
  void print(const QJsonValue& value, const std::function<void(std::ostream&)>& text) const;

  // True when progress bars may be drawn (stderr is a terminal and not --json).
  [[nodiscard]] bool show_progress() const;

  // Who the audit log names for a change: the --by person when given, else "os:$USER".
  [[nodiscard]] std::string actor(const std::string& by) const;
};

}  // namespace niikit::cli
