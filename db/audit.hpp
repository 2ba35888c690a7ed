// Append-only audit log, chained by SHA-256.
//
// Each row records who (actor), when (UTC), what (action on table/record) and the record's
// JSON snapshot before and after. Row n's hash covers its own fields and row n−1's hash, so
// editing, deleting or inserting a row by hand breaks the chain. `verify_audit` also
// reconciles the audited tables with the log: every stored record must equal the `after` of
// its newest audit row, so a record edited, inserted or deleted behind niikit's back is found.
// Limit: deleting the newest audit rows together with the records they describe cannot be
// seen from inside the file; check that a head hash recorded elsewhere earlier is still in the
// chain (`niikit audit verify --expect-head`; every report prints the head when it was made). Functions run inside the caller's transaction.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/statement_cache.hpp"

namespace niikit::db {

class Database;

// Tables whose every change is audited and reconciled by verify_audit: every table of the
// schema except the audit log itself and the migration ledger. A new migration's tables are
// audited without being listed anywhere, so their writes must go through WriteTx.
std::vector<std::string> audited_tables(SQLite::Database& sql);

struct AuditEntry {
  std::int64_t seq = 0;
  std::string at_utc;
  std::string actor;
  std::string action;      // insert | update | delete
  std::string table_name;
  std::int64_t record_id = 0;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string prev_hash;
  std::string hash;
};

// The record's JSON snapshot (every column, in table order), or nothing when it is absent.
std::optional<std::string> row_snapshot(SQLite::Database& sql, const std::string& table,
                                        std::int64_t id);

// The same through `cache`'s prepared statements (a unit of work reuses them for every row).
std::optional<std::string> row_snapshot(StatementCache& cache, const std::string& table, std::int64_t id);

// Appends one entry; computes seq, prev_hash and hash.
void append_audit(SQLite::Database& sql, const std::string& actor, TimePoint at,
                  const std::string& action, const std::string& table, std::int64_t record_id,
                  const std::optional<std::string>& before, const std::optional<std::string>& after);
void append_audit(StatementCache& cache, const std::string& actor, TimePoint at,
                  const std::string& action, const std::string& table, std::int64_t record_id,
                  const std::optional<std::string>& before, const std::optional<std::string>& after);

std::string audit_hash(const AuditEntry& entry);

struct AuditProblem {
  std::string kind;        // chain_gap | hash_mismatch | prev_mismatch | record_changed |
                           // record_missing | record_unlogged | head_mismatch
  std::string message;     // one line, names the row or record
};

struct AuditReport {
  std::int64_t entries = 0;
  std::string head_hash;   // hash of the newest entry ("" when empty)
  std::int64_t records_checked = 0;
  std::vector<AuditProblem> problems;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Checks the chain and reconciles audited tables. `expected_head`, when given (a head recorded
// earlier: printed by `audit verify`, on every report, in every signature), must still be an
// entry of the chain; the chain may have grown since.
Result<AuditReport> verify_audit(SQLite::Database& sql,
                                 const std::optional<std::string>& expected_head = std::nullopt);

std::vector<AuditEntry> audit_entries_for(SQLite::Database& sql, const std::string& table,
                                          std::int64_t record_id);

// The newest `limit` entries, oldest first.
std::vector<AuditEntry> recent_audit_entries(SQLite::Database& sql, int limit);

std::string sha256_hex(std::string_view data);

// The newest entry's hash ("" when the log is empty): what a signature and a report pin.
std::string audit_head(SQLite::Database& sql);
// The same in its own read transaction ("" also when it cannot be read).
std::string current_audit_head(Database& db);
// True when some entry of the chain has this hash.
bool audit_hash_exists(SQLite::Database& sql, const std::string& hash);

}  // namespace niikit::db
