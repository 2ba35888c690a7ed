// The niikit database: one SQLite file in WAL mode with foreign keys on and a busy wait,
// its schema applied from embedded .sql migrations (db/migrations/NNNN_name.sql).
//
// Reads and writes go through units of work: `read(fn)` runs fn inside a read transaction,
// `write(actor, fn)` inside BEGIN IMMEDIATE ... COMMIT, rolling back if fn returns an Error or
// throws. No caller writes BEGIN/COMMIT by hand. Every change made through WriteTx's insert,
// update and remove is appended to the hash-chained audit log (db/audit.hpp), so a change
// cannot bypass the audit trail.
//
// A Database owns one connection; it is movable, not copyable, and not thread-safe (one per
// thread or process; SQLite's locking serialises writers across processes).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/statement_cache.hpp"

namespace niikit::db {

// A column value as stored: NULL, integer, real or text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
// Column name → value, in the order given (the order of INSERT columns).
using Row = std::vector<std::pair<std::string, Value>>;

struct Migration {
  int version = 0;
  std::string name;     // file name without the version prefix, e.g. "foundation"
  std::string sql;
  std::string sha256;   // of `sql`, hex
};

// The migrations compiled into this binary, in version order.
const std::vector<Migration>& embedded_migrations();

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string sha256;
  std::string applied_at_utc;
};

enum class OpenMode {
  existing,   // the file must exist and be niikit's (every writing command but `db init`)
  create,     // create the file when missing (owner-only, 0600)
  read_only,  // the file must exist and be niikit's; opened read-only (immutable on read-only media)
};

// PRAGMA application_id of every niikit database ("NIIK"). Files of other applications are
// refused, never changed.
inline constexpr std::int64_t kApplicationId = 0x4E49494B;

class WriteTx;

// How a connection waits while another process holds the write lock (SQLite's busy handler):
// retries with growing sleeps (1 ms doubling up to 100 ms) for up to `timeout`, so a second
// writer waits for a long import instead of failing; after `notice_after` of waiting, `notice`
// is called once per wait (the CLI says on stderr that it is waiting). After `timeout` the
// statement fails as "database busy".
struct BusyWait {
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds notice_after{std::chrono::seconds(1)};
  std::function<void(const std::string& db_path, std::chrono::milliseconds timeout)> notice;
};
// The wait of every database opened afterwards in this process (set once at start-up; not
// thread-safe against concurrent opens).
void set_busy_wait(BusyWait wait);
const BusyWait& busy_wait();
struct BusyState;

class Database {
 public:
  // Opens `path` ("file.db" or ":memory:"), sets WAL, foreign keys and the busy wait.
  // Refuses a file that holds another application's tables, and an empty file unless
  // creating. Does not migrate; call migrate() (commands use open_ready()).
  static Result<Database> open(const std::string& path, OpenMode mode, Clock clock = {});
  // Opens and migrates to the newest embedded schema version.
  static Result<Database> open_ready(const std::string& path, OpenMode mode, Clock clock = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // Applies the pending embedded migrations in order, each in its own transaction, recording
  // each in schema_migrations. Returns the versions applied. Refuses when a recorded
  // migration's checksum differs from the embedded one, or the file is newer than the binary.
  Result<std::vector<int>> migrate();
  Result<std::vector<AppliedMigration>> applied_migrations();
  // True when embedded migrations have not all been applied yet.
  Result<bool> needs_migration();
  [[nodiscard]] bool read_only() const { return read_only_; }

  // Runs fn(SQLite::Database&) in a read transaction. fn returns Result<T>.
  template <class F>
  auto read(F&& fn) -> decltype(fn(std::declval<SQLite::Database&>()));

  // Runs fn(WriteTx&) in BEGIN IMMEDIATE ... COMMIT as `actor` (a person's name or "niikit").
  template <class F>
  auto write(const std::string& actor, F&& fn) -> decltype(fn(std::declval<WriteTx&>()));

  // Consistent copy of the whole database to `out_path` (VACUUM INTO a temporary file, then
  // rename), safe while other processes write. Refuses to replace the database itself (or
  // anything in `guard`); the copy is readable by its owner only.
  Status backup_to(const std::string& out_path, const OutputGuard* guard = nullptr);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  // Replaces the clock for later units of work (the demo replays a history this way).
  void set_clock(Clock clock) { clock_ = clock; }
  SQLite::Database& sql() { return *sql_; }

 private:
  Database(std::unique_ptr<SQLite::Database> sql, std::unique_ptr<BusyState> busy, std::string path, Clock clock,
           bool read_only);
  Status begin(const char* statement);
  void rollback() noexcept;
  Status commit();

  std::unique_ptr<BusyState> busy_;  // before sql_: the connection's busy handler points here
  std::unique_ptr<SQLite::Database> sql_;
  std::string path_;
  Clock clock_;
  bool read_only_ = false;
};

// A write unit of work. Every change goes through insert/update/remove, which record the
// row's JSON snapshot before and after in the audit log. Raw `sql()` is for reads and for
// statements the audit does not cover (none in the audited tables).
class WriteTx {
 public:
  WriteTx(SQLite::Database& sql, std::string actor, TimePoint now)
      : sql_(sql), actor_(std::move(actor)), now_(now), cache_(sql) {}

  Result<std::int64_t> insert(const std::string& table, const Row& values);
  Status update(const std::string& table, std::int64_t id, const Row& values);
  Status remove(const std::string& table, std::int64_t id);

  SQLite::Database& sql() { return sql_; }
  // Statements prepared once for this unit of work (the audited writes use it; a bulk import
  // may too for its own per-row lookups).
  StatementCache& statements() { return cache_; }
  [[nodiscard]] const std::string& actor() const { return actor_; }
  [[nodiscard]] TimePoint now() const { return now_; }

 private:
  SQLite::Database& sql_;
  std::string actor_;
  TimePoint now_;
  StatementCache cache_;
};

// Binds a Value to parameter `index` (1-based) of `stmt`.
void bind_value(SQLite::Statement& stmt, int index, const Value& value);

// Maps a library exception to an Error: constraint violations → conflict/input, busy → io.
Error error_from_exception(const std::exception& e, const std::string& context);

// ---- template definitions -------------------------------------------------------------

template <class F>
auto Database::read(F&& fn) -> decltype(fn(std::declval<SQLite::Database&>())) {
  if (auto st = begin("BEGIN"); !st) return tl::unexpected(st.error());
  try {
    auto result = fn(*sql_);
    rollback();  // read-only: nothing to keep
    return result;
  } catch (const std::exception& e) {
    rollback();
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
}

template <class F>
auto Database::write(const std::string& actor, F&& fn) -> decltype(fn(std::declval<WriteTx&>())) {
  if (auto st = begin("BEGIN IMMEDIATE"); !st) return tl::unexpected(st.error());
  try {
    WriteTx tx(*sql_, actor, clock_.now());
    auto result = fn(tx);
    if (!result) {
      rollback();
      return result;
    }
    if (auto st = commit(); !st) return tl::unexpected(st.error());
    return result;
  } catch (const std::exception& e) {
    rollback();
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
}

}  // namespace niikit::db
