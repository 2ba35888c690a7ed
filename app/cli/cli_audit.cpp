// `niikit audit verify|log`.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <memory>

#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/signatures.hpp"
#include "db/audit.hpp"
#include "db/database.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

struct VerifyOptions {
  std::string expect_head;
  std::string trusted_keys;
};

Status run_verify(CliContext& ctx, const VerifyOptions& opts) {
  auto db = db::Database::open(ctx.resolved_db_path(), db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  if (!opts.expect_head.empty() &&
      (opts.expect_head.size() != 64 || opts.expect_head.find_first_not_of("0123456789abcdef") != std::string::npos))
    return fail(ErrorCode::usage, fmt::format("--expect-head '{}': expected a SHA-256 (64 lower-case hex digits), as "
                                              "printed by audit verify and on every report", opts.expect_head));
  std::optional<services::TrustedKeys> trusted;
  if (!opts.trusted_keys.empty()) {
    auto keys = services::read_trusted_keys(opts.trusted_keys);
    if (!keys) return tl::unexpected(keys.error().with_context("--trusted-keys"));
    trusted = std::move(*keys);
  }
  std::int64_t signatures_checked = 0;
  auto report = db->read([&](SQLite::Database& sql) -> Result<db::AuditReport> {
    auto r = db::verify_audit(sql, opts.expect_head.empty() ? std::nullopt : std::optional(opts.expect_head));
    if (!r) return r;
    for (auto& p : services::signature_problems(sql, trusted ? &*trusted : nullptr, signatures_checked))
      r->problems.push_back({"signature_invalid", std::move(p)});
    return r;
  });
  if (!report) return tl::unexpected(report.error());
  QJsonArray problems;
  for (const auto& p : report->problems) problems.append(QJsonObject{{"kind", qs(p.kind)}, {"message", qs(p.message)}});
  ctx.print(QJsonObject{{"ok", report->ok()},
                        {"entries", qint64(report->entries)},
                        {"records_checked", qint64(report->records_checked)},
                        {"head_hash", qs(report->head_hash)},
                        {"signatures_checked", qint64(signatures_checked)},
                        {"problems", problems}},
            [&](std::ostream& out) {
              for (const auto& p : report->problems) out << "PROBLEM " << p.kind << ": " << p.message << "\n";
              out << fmt::format("{}: {} audit entries, {} records reconciled, {} signatures checked; head {}\n",
                                 report->ok() ? "Audit trail intact" : "Audit trail BROKEN", report->entries,
                                 report->records_checked, signatures_checked,
                                 report->head_hash.empty() ? "(empty)" : report->head_hash);
            });
  if (!report->ok())
    return fail(ErrorCode::integrity, fmt::format("audit trail of {}: {} problem(s); first: {}", db->path(),
                                                  report->problems.size(), report->problems.front().message));
  return {};
}

struct LogOptions {
  std::string table;
  std::int64_t record_id = 0;
  int limit = 50;
};

Status run_log(CliContext& ctx, const LogOptions& opts) {
  auto db = db::Database::open(ctx.resolved_db_path(), db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  auto rows = db->read([&](SQLite::Database& sql) -> Result<std::vector<db::AuditEntry>> {
    if (!opts.table.empty()) return db::audit_entries_for(sql, opts.table, opts.record_id);
    return db::recent_audit_entries(sql, opts.limit);
  });
  if (!rows) return tl::unexpected(rows.error());
  QJsonArray json;
  reports::TextTable table{{"SEQ", "AT (UTC)", "ACTOR", "ACTION", "RECORD"}, {}, {true}};
  for (const auto& e : *rows) {
    auto parse = [](const std::optional<std::string>& s) {
      return s ? QJsonValue(QJsonDocument::fromJson(QByteArray::fromStdString(*s)).object()) : QJsonValue();
    };
    json.append(QJsonObject{{"seq", qint64(e.seq)}, {"at_utc", qs(e.at_utc)}, {"actor", qs(e.actor)},
                            {"action", qs(e.action)}, {"table", qs(e.table_name)}, {"record_id", qint64(e.record_id)},
                            {"before", parse(e.before_json)}, {"after", parse(e.after_json)}, {"hash", qs(e.hash)}});
    table.rows.push_back({std::to_string(e.seq), e.at_utc, e.actor, e.action,
                          fmt::format("{} {}", e.table_name, e.record_id)});
  }
  ctx.print(json, [&](std::ostream& out) { out << table.render(); });
  return {};
}

}  // namespace

void register_audit_commands(CLI::App& root, CliContext& ctx) {
  auto* audit = root.add_subcommand("audit", "Inspect and verify the hash-chained audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Check the hash chain and reconcile every audited record with its last logged state; "
                "exit status 8 when anything was edited, deleted or inserted behind niikit's back");
  auto vopts = std::make_shared<VerifyOptions>();
  verify->add_option("--expect-head", vopts->expect_head,
                     "An audit chain head recorded elsewhere earlier (every report prints one); detects removal of "
                     "the newest entries");
  verify->add_option("--trusted-keys", vopts->trusted_keys,
                     "Public keys kept outside the database (niikit user keys > FILE): a key swapped in the "
                     "database then shows")
      ->type_name("FILE");
  verify->callback([&ctx, vopts] { ctx.action = [&ctx, vopts] { return run_verify(ctx, *vopts); }; });
  auto* log = audit->add_subcommand("log", "List audit entries (newest last)");
  auto lopts = std::make_shared<LogOptions>();
  log->add_option("--table", lopts->table, "Only entries of this table (sites, people, scanners, documents, decisions)");
  log->add_option("--id", lopts->record_id, "Record id within --table");
  log->add_option("--limit", lopts->limit, "How many of the newest entries (default 50)")->check(CLI::Range(1, 100000));
  log->callback([&ctx, lopts] { ctx.action = [&ctx, lopts] { return run_log(ctx, *lopts); }; });
}

}  // namespace niikit::cli
