// What every use case runs with (DESIGN.md §5 "The application boundary"): the configuration
// read once at the boundary, the clock, the database (opened on first use, read-only for
// operations that only read), the acting person, the evidence store, progress reporting, and
// the one place permissions are checked.
//
// Adapters build one Context per request (the CLI: per process; the web: per HTTP request) and
// never read the environment anywhere else: Config::from_environment is the only reader.
//
// Identity: the acting person is resolved once, lazily, when an action needs one:
// Config::as_person (CLI --as, or the signed-in user on the web) names a registered person by
// name or id; otherwise the person whose `os_user` is Config::os_user. Context::require checks
// the permission table (app/domain/permissions.hpp) for an action and returns the actor.
//
// Not thread-safe: one Context per thread of work.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/domain/permissions.hpp"
#include "app/services/evidence_store.hpp"
#include "core/atomic_file.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

namespace niikit::services {

// Settings read once at the boundary (environment, command line).
struct Config {
  std::string db_path = "niikit.db";  // --db, else $NIIKIT_DB, else ./niikit.db
  std::string evidence_root;          // $NIIKIT_EVIDENCE, else EvidenceStore::default_root(db_path)
  bool evidence_group_readable = false;  // $NIIKIT_EVIDENCE_GROUP=1: store folders 0750, objects 0440
  std::string as_person;              // --as / $NIIKIT_AS: the acting person (name or id); "" = by OS user
  std::string os_user;                // $USER (or $LOGNAME) when the process started
  std::optional<TimePoint> fixed_now; // $NIIKIT_NOW: a fixed clock (reproducible demos and tests)
  std::string requirements_dir;       // $NIIKIT_REQUIREMENTS, else "" = the built-in catalogue folder
  std::string templates_dir;          // $NIIKIT_TEMPLATES, else "" = the built-in templates folder
  std::string password_file;          // --password-file / $NIIKIT_PASSWORD_FILE: first line = the password
  std::string session_dir;            // where `niikit login` keeps its session token:
                                      // $NIIKIT_SESSION_DIR, else $XDG_RUNTIME_DIR/niikit, else ~/.cache/niikit
  std::string session_token;          // a login session token given by the adapter (web cookie)
  std::string api_token;              // an API token given by the adapter (web: Authorization: Bearer)
  // $NIIKIT_BUSY_TIMEOUT (seconds, 0-86400): how long a writer waits while another process
  // writes (a long import) before failing as "database busy"; default 10 minutes.
  std::chrono::seconds busy_timeout{600};

  // Reads the variables above through `getenv` (injected for tests). Errors: usage, naming the
  // variable (NIIKIT_NOW not a UTC timestamp, NIIKIT_BUSY_TIMEOUT not a number of seconds).
  static Result<Config> from_environment(const std::function<const char*(const char*)>& getenv);
  // The evidence root in use (evidence_root, else the default beside db_path).
  [[nodiscard]] std::string evidence_folder() const;
};

enum class Access {
  none,   // no database
  read,   // the database opened read-only
  write,  // the database opened for writing and migrated
  create, // like write, creating the file when missing (db init)
};

// Progress of long work: `what` ("rows"), done of total (total 0 = unknown).
using Progress = std::function<void(std::string_view what, std::int64_t done, std::int64_t total)>;

class Context {
 public:
  explicit Context(Config config);
  Context(Context&&) noexcept;
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  // Replaces the clock for later work (the demo replays a history); the open database follows.
  void set_clock(Clock clock);

  // Opens the database for `access` on first use (a later write access reopens a read-only
  // connection for writing). Errors name the database file.
  Result<db::Database*> database(Access access);
  // The open database; call database() first (internal error otherwise).
  db::Database& db();

  // Asks for the acting user's password (prompt: what it is for): through password_source when
  // the adapter set one (terminal prompt, web form), else the password file. Errors: forbidden.
  Result<std::string> ask_password(const std::string& prompt);
  std::function<Result<std::string>(const std::string& prompt)> password_source;
  // The file that holds this database's unlocked CLI session token (niikit login).
  [[nodiscard]] std::string session_file() const;

  // Checks that the acting person may perform `action` (a row of domain::permission_table()):
  // resolves the actor when the row needs one. Errors: forbidden (no person known, or the
  // person lacks the role), not_found (--as names nobody), internal (no row for `action`).
  Result<domain::Actor> require(std::string_view action);
  // The acting person when one is named (--as) or mapped to the OS account; nullopt when none
  // is known (reads that only take a person into account, e.g. `stage check`). Errors: a named
  // person who is not registered (field "as").
  Result<std::optional<domain::Actor>> acting_person();
  // The acting person, authenticated on a database with users (their password, or their
  // unlocked session). Errors keep their own words (wrong password, account locked, no user
  // account); forbidden with an empty message when no person is known at all.
  Result<domain::Actor> authenticated_actor() { return actor_ ? Result<domain::Actor>(*actor_) : resolve_actor(); }
  // The resolved actor, if one was resolved (or set).
  [[nodiscard]] const std::optional<domain::Actor>& actor() const { return actor_; }
  // The name the audit log records: the actor's name, else "os:USER".
  [[nodiscard]] std::string audit_name() const;
  // Sets the actor directly (the web adapter after sign-in; the demo acting as its people).
  void act_as(domain::Actor actor) {
    actor_ = std::move(actor);
    actor_resolved_ = true;
  }
  // Acts as the registered person named `person` (name or id). Errors: not_found.
  Result<domain::Actor> act_as_person(const std::string& person);

  EvidenceStore& evidence();
  // Paths no output may replace: the database and its companions, the evidence store.
  [[nodiscard]] OutputGuard output_guard() const;

  Progress progress;  // may be empty (quiet)
  void report_progress(std::string_view what, std::int64_t done, std::int64_t total) const {
    if (progress) progress(what, done, total);
  }

 private:
  Result<domain::Actor> resolve_actor();
  Result<domain::Actor> authenticate_actor(const std::optional<db::Person>& named);

  Config config_;
  Clock clock_;
  std::unique_ptr<db::Database> db_;
  Access opened_ = Access::none;
  std::optional<domain::Actor> actor_;
  bool actor_resolved_ = false;
  EvidenceStore evidence_;
};

// The Actor for a registered person (roles from the registry).
domain::Actor actor_of(const db::Person& person);

}  // namespace niikit::services
