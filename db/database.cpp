#include "db/database.hpp"

#include "core/atomic_file.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "core/time_format.hpp"
#include "db/audit.hpp"

namespace niikit::db {

namespace fs = std::filesystem;

Error error_from_exception(const std::exception& e, const std::string& context) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = se->getErrorCode();
    const int extended = se->getExtendedErrorCode();
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)
      return Error{ErrorCode::conflict, context + ": already exists (" + se->what() + ")"};
    if (extended == SQLITE_CONSTRAINT_FOREIGNKEY)
      return Error{ErrorCode::conflict, context + ": record is referenced or refers to a missing record"};
    if (code == SQLITE_CONSTRAINT)
      return Error{ErrorCode::input, context + ": value not allowed (" + se->what() + ")"};
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      return Error{ErrorCode::io, context + ": database busy, try again (" + se->what() + ")"};
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      return Error{ErrorCode::integrity, context + ": not a niikit database or damaged (" + se->what() + ")"};
    if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_IOERR || code == SQLITE_FULL)
      return Error{ErrorCode::io, context + ": " + se->what()};
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

Database::Database(std::unique_ptr<SQLite::Database> sql, std::string path, Clock clock)
    : sql_(std::move(sql)), path_(std::move(path)), clock_(clock) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::string& path, OpenMode mode, Clock clock) {
  const bool memory = path == ":memory:";
  if (!memory && mode == OpenMode::existing && !fs::exists(path))
    return fail(ErrorCode::not_found, fmt::format("database {}: no such file (create it with `niikit db init`)", path));
  try {
    int flags = SQLite::OPEN_READWRITE | (mode == OpenMode::create ? SQLite::OPEN_CREATE : 0);
    auto sql = std::make_unique<SQLite::Database>(path, flags, 5000);
    // A file that is not SQLite fails on the first read, so read the schema now.
    sql->exec("SELECT count(*) FROM sqlite_schema");
    if (!memory) {
      SQLite::Statement wal(*sql, "PRAGMA journal_mode = WAL");
      wal.executeStep();
    }
    sql->exec("PRAGMA foreign_keys = ON");
    sql->exec("PRAGMA synchronous = NORMAL");
    return Database(std::move(sql), path, clock);
  } catch (const std::exception& e) {
    return tl::unexpected(error_from_exception(e, "database " + path));
  }
}

Result<Database> Database::open_ready(const std::string& path, OpenMode mode, Clock clock) {
  auto db = open(path, mode, clock);
  if (!db) return db;
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
  SQLite::Statement q(sql_, fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table, columns, marks));
  int i = 1;
  for (const auto& [_, v] : values) bind_value(q, i++, v);
  q.exec();
  const std::int64_t id = sql_.getLastInsertRowid();
  append_audit(sql_, actor_, now_, "insert", table, id, std::nullopt, row_snapshot(sql_, table, id));
  return id;
}

Status WriteTx::update(const std::string& table, std::int64_t id, const Row& values) {
  auto before = row_snapshot(sql_, table, id);
  if (!before) return fail(ErrorCode::not_found, fmt::format("{} {}: no such record", table, id));
  std::string sets;
  for (const auto& [name, _] : values) sets += (sets.empty() ? "\"" : ", \"") + name + "\" = ?";
  SQLite::Statement q(sql_, fmt::format("UPDATE \"{}\" SET {} WHERE id = ?", table, sets));
  int i = 1;
  for (const auto& [_, v] : values) bind_value(q, i++, v);
  q.bind(i, id);
  q.exec();
  auto after = row_snapshot(sql_, table, id);
  if (after != before) append_audit(sql_, actor_, now_, "update", table, id, before, after);
  return {};
}

Status WriteTx::remove(const std::string& table, std::int64_t id) {
  auto before = row_snapshot(sql_, table, id);
  if (!before) return fail(ErrorCode::not_found, fmt::format("{} {}: no such record", table, id));
  SQLite::Statement q(sql_, fmt::format("DELETE FROM \"{}\" WHERE id = ?", table));
  q.bind(1, id);
  q.exec();
  append_audit(sql_, actor_, now_, "delete", table, id, before, std::nullopt);
  return {};
}

}  // namespace niikit::db
