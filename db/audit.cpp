#include "db/audit.hpp"

#include "db/database.hpp"

#include <QCryptographicHash>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <set>

#include "core/time_format.hpp"

namespace niikit::db {

namespace {
constexpr const char* genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::vector<std::string> table_columns(SQLite::Database& sql, const std::string& table) {
  std::vector<std::string> columns;
  SQLite::Statement q(sql, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  while (q.executeStep()) columns.push_back(q.getColumn(0).getString());
  return columns;
}

// SQL expression json_object('a', a, 'b', b, ...) over every column of `table`.
std::string snapshot_expression(SQLite::Database& sql, const std::string& table) {
  std::string expr = "json_object(";
  bool first = true;
  for (const auto& c : table_columns(sql, table)) {
    expr += fmt::format("{}'{}', \"{}\"", first ? "" : ", ", c, c);
    first = false;
  }
  return expr + ")";
}

std::optional<std::string> column_text(SQLite::Statement& q, int index) {
  if (q.getColumn(index).isNull()) return std::nullopt;
  return q.getColumn(index).getString();
}

AuditEntry entry_from_row(SQLite::Statement& q) {
  AuditEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.at_utc = q.getColumn(1).getString();
  e.actor = q.getColumn(2).getString();
  e.action = q.getColumn(3).getString();
  e.table_name = q.getColumn(4).getString();
  e.record_id = q.getColumn(5).getInt64();
  e.before_json = column_text(q, 6);
  e.after_json = column_text(q, 7);
  e.prev_hash = q.getColumn(8).getString();
  e.hash = q.getColumn(9).getString();
  return e;
}

constexpr const char* entry_columns =
    "seq, at_utc, actor, action, table_name, record_id, before_json, after_json, prev_hash, hash";

// One pass over the log in seq order; holds one entry at a time.
void check_chain(SQLite::Database& sql, AuditReport& report) {
  SQLite::Statement q(sql, fmt::format("SELECT {} FROM audit_log ORDER BY seq", entry_columns));
  std::string prev = genesis_hash;
  std::int64_t expected_seq = 1;
  while (q.executeStep()) {
    AuditEntry e = entry_from_row(q);
    if (e.seq != expected_seq)
      report.problems.push_back({"chain_gap", fmt::format("audit rows {}..{} missing (chain jumps from {} to {})",
                                                          expected_seq, e.seq - 1, expected_seq - 1, e.seq)});
    if (e.prev_hash != prev)
      report.problems.push_back({"prev_mismatch", fmt::format("audit row {}: does not follow the row before it "
                                                              "(row inserted, deleted or re-chained)", e.seq)});
    if (audit_hash(e) != e.hash)
      report.problems.push_back({"hash_mismatch", fmt::format("audit row {}: content does not match its hash "
                                                              "(row edited)", e.seq)});
    prev = std::move(e.hash);
    expected_seq = e.seq + 1;
    ++report.entries;
  }
  report.head_hash = report.entries > 0 ? prev : std::string();
}

// The newest audit entry of every record of `table`, in record id order (the index
// audit_log_record (table_name, record_id, seq) gives them without sorting).
constexpr const char* newest_per_record =
    "SELECT m.record_id, a.seq, a.action, a.after_json FROM "
    "(SELECT record_id, max(seq) AS seq FROM audit_log WHERE table_name = ? GROUP BY record_id) m "
    "JOIN audit_log a ON a.seq = m.seq ORDER BY m.record_id";

void record_missing(AuditReport& report, const std::string& table, std::int64_t id, std::int64_t seq) {
  report.problems.push_back({"record_missing",
                             fmt::format("{} {}: audited as present (audit row {}) but missing (deleted behind niikit's back)",
                                         table, id, seq)});
}

// Merges the table's rows (by id) with the newest audit entry of each record (by record id):
// both cursors stream, so memory does not grow with the number of records.
void reconcile_table(SQLite::Database& sql, AuditReport& report, const std::string& table, bool exists) {
  SQLite::Statement audit(sql, newest_per_record);
  audit.bind(1, table);
  std::optional<SQLite::Statement> rows;
  if (exists)
    rows.emplace(sql, fmt::format("SELECT id, {} FROM \"{}\" ORDER BY id", snapshot_expression(sql, table), table));
  bool have_row = rows && rows->executeStep();
  bool have_audit = audit.executeStep();
  while (have_row || have_audit) {
    const std::int64_t row_id = have_row ? rows->getColumn(0).getInt64() : 0;
    const std::int64_t audit_id = have_audit ? audit.getColumn(0).getInt64() : 0;
    if (have_audit && (!have_row || audit_id < row_id)) {  // audited, no such row now
      if (audit.getColumn(2).getString() != "delete") record_missing(report, table, audit_id, audit.getColumn(1).getInt64());
      have_audit = audit.executeStep();
      continue;
    }
    ++report.records_checked;
    const bool logged = have_audit && audit_id == row_id && audit.getColumn(2).getString() != "delete";
    if (!logged) {
      report.problems.push_back({"record_unlogged",
                                 fmt::format("{} {}: present but never recorded by niikit (inserted behind its back)", table, row_id)});
    } else if (audit.getColumn(3).isNull() || audit.getColumn(3).getString() != rows->getColumn(1).getString()) {
      report.problems.push_back({"record_changed",
                                 fmt::format("{} {}: differs from its last audited state (edited behind niikit's back, audit row {})",
                                             table, row_id, audit.getColumn(1).getInt64())});
    }
    if (have_audit && audit_id == row_id) have_audit = audit.executeStep();
    have_row = rows->executeStep();
  }
}

// Every audited table, then every other table name the log mentions (a table dropped behind
// niikit's back: its audited records are all missing). Names found by index seeks.
void reconcile(SQLite::Database& sql, AuditReport& report) {
  const auto tables = audited_tables(sql);
  const std::set<std::string> known(tables.begin(), tables.end());
  for (const auto& table : tables) reconcile_table(sql, report, table, true);
  SQLite::Statement next(sql, "SELECT min(table_name) FROM audit_log WHERE table_name > ?");
  std::string after;
  for (;;) {
    next.reset();
    next.bind(1, after);
    if (!next.executeStep() || next.getColumn(0).isNull()) break;
    after = next.getColumn(0).getString();
    if (!known.count(after)) reconcile_table(sql, report, after, false);
  }
}
}  // namespace

std::vector<std::string> audited_tables(SQLite::Database& sql) {
  std::vector<std::string> tables;
  SQLite::Statement q(sql,
                      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                      "AND name NOT IN ('audit_log', 'schema_migrations') ORDER BY name");
  while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  return tables;
}

std::string sha256_hex(std::string_view data) {
  return QCryptographicHash::hash(QByteArrayView(data.data(), static_cast<qsizetype>(data.size())),
                                  QCryptographicHash::Sha256)
      .toHex()
      .toStdString();
}

std::string audit_hash(const AuditEntry& e) {
  // Fields joined with the ASCII unit separator; an absent snapshot is written as \x18
  // (cancel) so that NULL and "" hash differently.
  const std::string none = "\x18";
  const std::string material = fmt::format(
      "{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", e.seq, e.at_utc, e.actor, e.action,
      e.table_name, e.record_id, e.before_json.value_or(none), e.after_json.value_or(none), e.prev_hash);
  return sha256_hex(material);
}

std::optional<std::string> row_snapshot(SQLite::Database& sql, const std::string& table, std::int64_t id) {
  StatementCache cache(sql);
  return row_snapshot(cache, table, id);
}

std::optional<std::string> row_snapshot(StatementCache& cache, const std::string& table, std::int64_t id) {
  const std::string& text = cache.memo("snapshot:" + table, [&] {
    return fmt::format("SELECT {} FROM \"{}\" WHERE id = ?", snapshot_expression(cache.sql(), table), table);
  });
  SQLite::Statement& q = cache.get(text);
  q.bind(1, id);
  std::optional<std::string> out;
  if (q.executeStep()) out = q.getColumn(0).getString();
  q.tryReset();
  return out;
}

void append_audit(SQLite::Database& sql, const std::string& actor, TimePoint at, const std::string& action,
                  const std::string& table, std::int64_t record_id, const std::optional<std::string>& before,
                  const std::optional<std::string>& after) {
  StatementCache cache(sql);
  append_audit(cache, actor, at, action, table, record_id, before, after);
}

void append_audit(StatementCache& cache, const std::string& actor, TimePoint at, const std::string& action,
                  const std::string& table, std::int64_t record_id, const std::optional<std::string>& before,
                  const std::optional<std::string>& after) {
  AuditEntry e;
  {
    SQLite::Statement& head = cache.get("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (head.executeStep()) {
      e.seq = head.getColumn(0).getInt64() + 1;
      e.prev_hash = head.getColumn(1).getString();
    } else {
      e.seq = 1;
      e.prev_hash = genesis_hash;
    }
    head.tryReset();
  }
  e.at_utc = format_utc(at);
  e.actor = actor;
  e.action = action;
  e.table_name = table;
  e.record_id = record_id;
  e.before_json = before;
  e.after_json = after;
  e.hash = audit_hash(e);
  SQLite::Statement& ins =
      cache.get(fmt::format("INSERT INTO audit_log ({}) VALUES (?,?,?,?,?,?,?,?,?,?)", entry_columns));
  ins.bind(1, e.seq);
  ins.bind(2, e.at_utc);
  ins.bind(3, e.actor);
  ins.bind(4, e.action);
  ins.bind(5, e.table_name);
  ins.bind(6, e.record_id);
  if (before) ins.bind(7, *before); else ins.bind(7);
  if (after) ins.bind(8, *after); else ins.bind(8);
  ins.bind(9, e.prev_hash);
  ins.bind(10, e.hash);
  ins.exec();
}

Result<AuditReport> verify_audit(SQLite::Database& sql, const std::optional<std::string>& expected_head) {
  AuditReport report;
  check_chain(sql, report);
  reconcile(sql, report);
  // A head recorded earlier (by `audit verify`, on a report, in a signature) is a checkpoint:
  // the chain may have grown since, but that entry must still be in it.
  if (expected_head && *expected_head != report.head_hash && !audit_hash_exists(sql, *expected_head))
    report.problems.push_back({"head_mismatch", fmt::format("the audit entry {} recorded earlier is no longer in the "
                                                            "chain (newest {}): entries were removed or rewritten",
                                                            *expected_head,
                                                            report.head_hash.empty() ? "(none)" : report.head_hash)});
  return report;
}

std::vector<AuditEntry> audit_entries_for(SQLite::Database& sql, const std::string& table, std::int64_t record_id) {
  SQLite::Statement q(sql, fmt::format("SELECT {} FROM audit_log WHERE table_name = ? AND record_id = ? ORDER BY seq",
                                       entry_columns));
  q.bind(1, table);
  q.bind(2, record_id);
  std::vector<AuditEntry> out;
  while (q.executeStep()) out.push_back(entry_from_row(q));
  return out;
}

std::vector<AuditEntry> recent_audit_entries(SQLite::Database& sql, int limit) {
  SQLite::Statement q(sql, fmt::format("SELECT * FROM (SELECT {} FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                                       entry_columns));
  q.bind(1, limit);
  std::vector<AuditEntry> out;
  while (q.executeStep()) out.push_back(entry_from_row(q));
  return out;
}

std::string audit_head(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::string current_audit_head(Database& db) {
  auto head = db.read([](SQLite::Database& sql) -> Result<std::string> { return audit_head(sql); });
  return head ? *head : std::string();
}

bool audit_hash_exists(SQLite::Database& sql, const std::string& hash) {
  SQLite::Statement q(sql, "SELECT 1 FROM audit_log WHERE hash = ? LIMIT 1");
  q.bind(1, hash);
  return q.executeStep();
}

}  // namespace niikit::db
