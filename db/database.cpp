#include "db/database.hpp"

#include "core/atomic_file.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/time_format.hpp"
#include "db/audit.hpp"
#include "db/busy_wait.hpp"

namespace niikit::db {

namespace fs = std::filesystem;

namespace {

// "UNIQUE constraint failed: sites.name, sites.country" → {"sites", "name"} (the first column).
std::pair<std::string, std::string> failed_column(const std::string& what) {
  const auto colon = what.find(": ");
  if (colon == std::string::npos) return {};
  std::string rest = what.substr(colon + 2);
  rest = rest.substr(0, rest.find(','));
  const auto dot = rest.find('.');
  if (dot == std::string::npos) return {"", rest};
  return {rest.substr(0, dot), rest.substr(dot + 1)};
}

}  // namespace

// SQLite's own texts ("CHECK constraint failed: ...") never reach the user: each constraint
// kind becomes a plain sentence, with the column as the error's field where SQLite names one.
// Trigger aborts (RAISE) carry niikit's own wording and are kept.
Error error_from_exception(const std::exception& e, const std::string& context) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = se->getErrorCode();
    const int extended = se->getExtendedErrorCode();
    const std::string what = se->what();
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
      auto [table, column] = failed_column(what);
      return Error{ErrorCode::conflict,
                   fmt::format("{}: another {} record already has this {}", context, table.empty() ? "stored" : table,
                               column.empty() ? "value" : column),
                   column};
    }
    if (extended == SQLITE_CONSTRAINT_FOREIGNKEY)
      return Error{ErrorCode::conflict, context + ": a record it refers to is missing, or other records refer to it"};
    if (extended == SQLITE_CONSTRAINT_NOTNULL) {
      auto [table, column] = failed_column(what);
      return Error{ErrorCode::input, fmt::format("{}: {} is required", context, column.empty() ? "a value" : column),
                   column};
    }
    if (extended == SQLITE_CONSTRAINT_TRIGGER) return Error{ErrorCode::conflict, context + ": " + what};
    if (code == SQLITE_CONSTRAINT)
      return Error{ErrorCode::input, context + ": a value is outside what the record allows (a rule of the database)"};
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      return Error{ErrorCode::io, context + ": database busy: another niikit kept writing for longer than the wait "
                                            "limit (NIIKIT_BUSY_TIMEOUT); try again"};
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      return Error{ErrorCode::integrity, context + ": not a niikit database, or damaged"};
    if (code == SQLITE_READONLY)
      return Error{ErrorCode::io, context + ": read-only (the file, its folder or the medium cannot be written)"};
    if (code == SQLITE_FULL) return Error{ErrorCode::io, context + ": the disk is full"};
    if (code == SQLITE_CANTOPEN || code == SQLITE_IOERR)
      return Error{ErrorCode::io, context + ": cannot open or read the file"};
  }
  return Error{ErrorCode::internal, context + ": " + e.what()};
}

void bind_value(SQLite::Statement& stmt, int index, const Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) stmt.bind(index);
        else stmt.bind(index, v);
      },
      value);
}

Database::Database(std::unique_ptr<SQLite::Database> sql, std::unique_ptr<BusyState> busy, std::string path,
                   Clock clock, bool read_only)
    : busy_(std::move(busy)), sql_(std::move(sql)), path_(std::move(path)), clock_(clock), read_only_(read_only) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

namespace {

// Percent-encodes what a SQLite URI path may not hold literally.
std::string uri_path(const std::string& path) {
  std::string out;
  for (unsigned char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) out += fmt::format("%{:02X}", c);
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

// What the file holds: niikit's schema, nothing yet, or someone else's tables.
enum class Content { niikit, empty, foreign };

Content content_of(SQLite::Database& sql, std::int64_t* application_id) {
  SQLite::Statement id(sql, "PRAGMA application_id");
  id.executeStep();
  *application_id = id.getColumn(0).getInt64();
  if (*application_id == kApplicationId) return Content::niikit;
  SQLite::Statement tables(sql, "SELECT count(*), coalesce(sum(name IN ('schema_migrations', 'audit_log')), 0) "
                                "FROM sqlite_schema WHERE type = 'table'");
  tables.executeStep();
  const auto all = tables.getColumn(0).getInt64(), ours = tables.getColumn(1).getInt64();
  if (all == 0 && *application_id == 0) return Content::empty;
  // A niikit database from before databases were marked: it holds the migration ledger and the
  // audit log; it is marked at its next migration.
  if (*application_id == 0 && ours == 2) return Content::niikit;
  return Content::foreign;
}

// Creates an absent database file owner-only (it holds staff dose records); SQLite gives the
// -wal and -shm files the same permissions.
Status create_private(const std::string& path) {
  if (path == ":memory:" || fs::exists(path)) return {};
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    return fail(ErrorCode::io, fmt::format("database {}: cannot create: {}", path, std::strerror(errno)));
  if (fd >= 0) ::close(fd);
  return {};
}

}  // namespace

Result<Database> Database::open(const std::string& path, OpenMode mode, Clock clock) {
  const bool memory = path == ":memory:";
  if (!memory && mode != OpenMode::create && !fs::exists(path))
    return fail(ErrorCode::not_found, fmt::format("database {}: no such file (create it with `niikit db init`)", path));
  if (!memory && fs::exists(path) && !fs::is_regular_file(path))
    return fail(ErrorCode::input, fmt::format("database {}: not a regular file", path));
  if (mode == OpenMode::create)
    if (auto st = create_private(path); !st) return tl::unexpected(st.error());
  try {
    std::unique_ptr<SQLite::Database> sql;
    if (mode == OpenMode::read_only) {
      try {
        sql = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
        sql->exec("SELECT count(*) FROM sqlite_schema");
      } catch (const SQLite::Exception&) {
        // On read-only media SQLite cannot create the WAL index; nobody can write there, so
        // the file can be read as immutable.
        sql = std::make_unique<SQLite::Database>("file:" + uri_path(path) + "?immutable=1",
                                                 SQLite::OPEN_READONLY | SQLITE_OPEN_URI, 5000);
      }
    } else {
      sql = std::make_unique<SQLite::Database>(
          path, SQLite::OPEN_READWRITE | (mode == OpenMode::create ? SQLite::OPEN_CREATE : 0), 5000);
    }
    auto busy = install_busy_wait(*sql, path);
    // A file that is not SQLite fails on the first read, so read the schema now.
    sql->exec("SELECT count(*) FROM sqlite_schema");
    std::int64_t application_id = 0;
    const Content content = content_of(*sql, &application_id);
    if (content == Content::foreign)
      return fail(ErrorCode::input, fmt::format("database {}: not a niikit database (an SQLite file of another "
                                                "application, application_id {}); niikit leaves it untouched",
                                                path, application_id));
    if (content == Content::empty && mode != OpenMode::create)
      return fail(ErrorCode::input, fmt::format("database {}: empty, not a niikit database (create one with "
                                                "`niikit db init`)", path));
    if (mode != OpenMode::read_only) {
      if (!memory) {
        SQLite::Statement wal(*sql, "PRAGMA journal_mode = WAL");
        wal.executeStep();
      }
      sql->exec("PRAGMA synchronous = NORMAL");
    }
    sql->exec("PRAGMA foreign_keys = ON");
    return Database(std::move(sql), std::move(busy), path, clock, mode == OpenMode::read_only);
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path));
  }
}

Result<bool> Database::needs_migration() {
  auto applied = applied_migrations();
  if (!applied) return tl::unexpected(applied.error());
  const auto& embedded = embedded_migrations();
  const int newest = embedded.empty() ? 0 : embedded.back().version;
  return applied->empty() || applied->back().version < newest;
}

Result<Database> Database::open_ready(const std::string& path, OpenMode mode, Clock clock) {
  auto db = open(path, mode, clock);
  if (!db) return db;
  if (mode == OpenMode::read_only) {
    auto needs = db->needs_migration();
    if (!needs) return tl::unexpected(needs.error());
    if (!*needs) return db;
    // An upgraded niikit reading an older database: bring the schema forward once through a
    // writable connection (niikit's own file, every migration audited), then read.
    auto rw = open(path, OpenMode::existing, clock);
    if (!rw)
      return fail(ErrorCode::io, fmt::format("database {}: its schema is older than this niikit and the file cannot "
                                             "be written ({}); run `niikit db migrate` where it is writable",
                                             path, rw.error().message));
    if (auto applied = rw->migrate(); !applied) return tl::unexpected(applied.error());
    return open(path, OpenMode::read_only, clock);
  }
  if (auto applied = db->migrate(); !applied) return tl::unexpected(applied.error());
  return db;
}

Status Database::begin(const char* statement) {
  try {
    sql_->exec(statement);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
}

void Database::rollback() noexcept { sql_->tryExec("ROLLBACK"); }

Status Database::commit() {
  try {
    sql_->exec("COMMIT");
    return {};
  } catch (const std::exception& e) {
    rollback();
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
}

Result<std::vector<AppliedMigration>> Database::applied_migrations() {
  try {
    std::vector<AppliedMigration> out;
    SQLite::Statement exists(*sql_, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name='schema_migrations'");
    if (!exists.executeStep()) return out;
    SQLite::Statement q(*sql_, "SELECT version, name, sha256, applied_at_utc FROM schema_migrations ORDER BY version");
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString()});
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
}

Result<std::vector<int>> Database::migrate() {
  if (read_only_) return fail(ErrorCode::internal, fmt::format("database {}: opened read-only, cannot migrate", path_));
  try {
    sql_->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "sha256 TEXT NOT NULL, applied_at_utc TEXT NOT NULL)");
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
  auto applied = applied_migrations();
  if (!applied) return tl::unexpected(applied.error());
  const auto& embedded = embedded_migrations();
  std::map<int, const AppliedMigration*> done;
  for (const auto& a : *applied) done[a.version] = &a;
  if (!applied->empty() && applied->back().version > (embedded.empty() ? 0 : embedded.back().version))
    return fail(ErrorCode::integrity, fmt::format("database {}: schema version {} is newer than this niikit "
                                                  "(knows up to {}); upgrade niikit",
                                                  path_, applied->back().version, embedded.back().version));
  std::vector<int> newly;
  for (const auto& m : embedded) {
    if (auto it = done.find(m.version); it != done.end()) {
      if (it->second->sha256 != m.sha256)
        return fail(ErrorCode::integrity, fmt::format("database {}: migration {} ({}) was applied from a different "
                                                      "text than this niikit embeds", path_, m.version, m.name));
      continue;
    }
    auto st = write("niikit", [&](WriteTx& tx) -> Status {
      tx.sql().exec(m.sql);
      SQLite::Statement rec(tx.sql(), "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)");
      rec.bind(1, m.version);
      rec.bind(2, m.name);
      rec.bind(3, m.sha256);
      rec.bind(4, format_utc(tx.now()));
      rec.exec();
      return {};
    });
    if (!st) return tl::unexpected(st.error().with_context(fmt::format("migration {} ({})", m.version, m.name)));
    newly.push_back(m.version);
  }
  try {
    sql_->exec(fmt::format("PRAGMA application_id = {}", kApplicationId));  // marks the file as niikit's
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path_));
  }
  return newly;
}

Status Database::backup_to(const std::string& out_path, const OutputGuard* guard) {
  if (path_ == ":memory:") return fail(ErrorCode::usage, "database :memory: cannot be backed up");
  const fs::path target(out_path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir)) return fail(ErrorCode::not_found, fmt::format("backup {}: folder {} does not exist", out_path, dir.string()));
  OutputGuard own = guard ? *guard : OutputGuard{};
  own.protect_database(path_);  // a backup never replaces its own source
  // Owner-only, like the database itself: it holds staff dose records.
  auto file = AtomicFile::create(out_path, &own, 0600);
  if (!file) return tl::unexpected(file.error().with_context("backup"));
  try {
    // VACUUM INTO reads one consistent snapshot (a read transaction on the WAL), so writers in
    // other processes go on and the copy holds only committed transactions. The temporary file
    // exists and is empty, which VACUUM INTO accepts.
    SQLite::Statement q(*sql_, "VACUUM INTO ?");
    q.bind(1, file->temp_path());
    q.exec();
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "backup " + out_path));
  }
  return file->commit();
}

// ---- audited writes ----------------------------------------------------------------------

Result<std::int64_t> WriteTx::insert(const std::string& table, const Row& values) {
  std::string columns, marks;
  for (const auto& [name, _] : values) {
    columns += (columns.empty() ? "\"" : ", \"") + name + "\"";
    marks += marks.empty() ? "?" : ", ?";
  }
  SQLite::Statement& q = cache_.get(fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table, columns, marks));
  int i = 1;
  for (const auto& [_, v] : values) bind_value(q, i++, v);
  q.exec();
  const std::int64_t id = sql_.getLastInsertRowid();
  append_audit(cache_, actor_, now_, "insert", table, id, std::nullopt, row_snapshot(cache_, table, id));
  return id;
}

Status WriteTx::update(const std::string& table, std::int64_t id, const Row& values) {
  auto before = row_snapshot(cache_, table, id);
  if (!before) return fail(ErrorCode::not_found, fmt::format("{} {}: no such record", table, id));
  std::string sets;
  for (const auto& [name, _] : values) sets += (sets.empty() ? "\"" : ", \"") + name + "\" = ?";
  SQLite::Statement& q = cache_.get(fmt::format("UPDATE \"{}\" SET {} WHERE id = ?", table, sets));
  int i = 1;
  for (const auto& [_, v] : values) bind_value(q, i++, v);
  q.bind(i, id);
  q.exec();
  auto after = row_snapshot(cache_, table, id);
  if (after != before) append_audit(cache_, actor_, now_, "update", table, id, before, after);
  return {};
}

Status WriteTx::remove(const std::string& table, std::int64_t id) {
  auto before = row_snapshot(cache_, table, id);
  if (!before) return fail(ErrorCode::not_found, fmt::format("{} {}: no such record", table, id));
  SQLite::Statement& q = cache_.get(fmt::format("DELETE FROM \"{}\" WHERE id = ?", table));
  q.bind(1, id);
  q.exec();
  append_audit(cache_, actor_, now_, "delete", table, id, before, std::nullopt);
  return {};
}

}  // namespace niikit::db
