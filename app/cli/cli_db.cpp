// `niikit db init|migrate|check|backup`.
#include <QJsonArray>
#include <QJsonObject>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "app/cli/commands.hpp"
#include "app/services/signatures.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"
#include "db/registry.hpp"
#include "db/database.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

Status run_init(CliContext& ctx) {
  const std::string path = ctx.resolved_db_path();
  const bool existed = std::filesystem::exists(path);
  auto db = db::Database::open(path, db::OpenMode::create, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  auto applied = db->migrate();
  if (!applied) return tl::unexpected(applied.error());
  const int version = db::embedded_migrations().empty() ? 0 : db::embedded_migrations().back().version;
  ctx.print(QJsonObject{{"database", qs(path)}, {"created", !existed}, {"schema_version", version},
                        {"migrations_applied", QJsonArray::fromVariantList([&] {
                           QVariantList l;
                           for (int v : *applied) l.append(v);
                           return l;
                         }())}},
            [&](std::ostream& out) {
              out << fmt::format("{} {} (schema version {}, {} migration(s) applied)\n",
                                 existed ? "Opened existing database" : "Created database", path, version,
                                 applied->size());
            });
  return {};
}

Status run_migrate(CliContext& ctx) {
  auto db = db::Database::open(ctx.resolved_db_path(), db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  auto applied = db->migrate();
  if (!applied) return tl::unexpected(applied.error());
  QJsonArray list;
  for (int v : *applied) list.append(v);
  ctx.print(QJsonObject{{"database", qs(db->path())}, {"migrations_applied", list}}, [&](std::ostream& out) {
    if (applied->empty()) out << "Schema is up to date.\n";
    for (int v : *applied) out << "Applied migration " << v << "\n";
  });
  return {};
}

struct CheckLine {
  std::string check;
  bool ok;
  std::string detail;
};

std::vector<CheckLine> run_checks(db::Database& db, const services::EvidenceStore& store) {
  std::vector<CheckLine> lines;
  auto& sql = db.sql();
  {
    SQLite::Statement q(sql, "PRAGMA integrity_check");
    std::string detail;
    while (q.executeStep()) detail += (detail.empty() ? "" : "; ") + q.getColumn(0).getString();
    lines.push_back({"sqlite integrity", detail == "ok", detail});
  }
  {
    SQLite::Statement q(sql, "PRAGMA foreign_key_check");
    int n = 0;
    std::string detail;
    while (q.executeStep()) {
      if (n++ < 3) detail += fmt::format("{}{} row {} → {}", detail.empty() ? "" : "; ", q.getColumn(0).getString(),
                                         q.getColumn(1).getInt64(), q.getColumn(2).getString());
    }
    lines.push_back({"foreign keys", n == 0, n == 0 ? "ok" : fmt::format("{} broken reference(s): {}", n, detail)});
  }
  {
    auto applied = db.applied_migrations();
    const auto& embedded = db::embedded_migrations();
    bool ok = applied && applied->size() == embedded.size();
    for (std::size_t i = 0; ok && i < embedded.size(); ++i) ok = (*applied)[i].sha256 == embedded[i].sha256;
    lines.push_back({"schema", ok,
                     ok ? fmt::format("version {} ({} migrations, checksums match)", embedded.back().version, embedded.size())
                        : "migrations missing or differ from this niikit's (run `niikit db migrate`)"});
  }
  {
    SQLite::Statement q(sql,
                        "SELECT s.asset_tag, s.stage, (SELECT to_stage FROM decisions d WHERE d.scanner_id = s.id "
                        "ORDER BY d.id DESC LIMIT 1) FROM scanners s");
    std::string detail;
    while (q.executeStep())
      if (q.getColumn(2).isNull() || q.getColumn(1).getString() != q.getColumn(2).getString())
        detail += fmt::format("{}{} is {} but its last decision says {}", detail.empty() ? "" : "; ",
                              q.getColumn(0).getString(), q.getColumn(1).getString(),
                              q.getColumn(2).isNull() ? "nothing" : q.getColumn(2).getString());
    lines.push_back({"stages", detail.empty(), detail.empty() ? "every scanner's stage matches its last decision" : detail});
  }
  {
    int changed = 0, missing = 0, total = 0;
    std::string first;
    for (const auto& d : db::list_documents(sql, std::nullopt)) {
      ++total;
      auto hash = services::sha256_file(services::document_bytes(d, store).string());
      if (!hash) ++missing;
      else if (*hash != d.sha256) ++changed;
      if ((!hash || *hash != d.sha256) && first.empty())
        first = fmt::format("document {} ({}) {}", d.id, d.file_path, hash ? "changed" : "missing");
    }
    lines.push_back({"documents", changed + missing == 0,
                     changed + missing == 0 ? fmt::format("{} file(s) match their recorded SHA-256", total)
                                            : fmt::format("{} changed, {} missing of {}; first: {}", changed, missing,
                                                          total, first)});
  }
  if (auto audit = db::verify_audit(sql)) {
    std::string detail = audit->ok() ? fmt::format("{} entries chained, {} records reconciled", audit->entries,
                                                   audit->records_checked)
                                     : fmt::format("{} problem(s), first: {}", audit->problems.size(),
                                                   audit->problems.front().message);
    lines.push_back({"audit trail", audit->ok(), detail});
  }
  {
    std::int64_t checked = 0;
    const auto problems = services::signature_problems(sql, nullptr, checked);
    lines.push_back({"signatures", problems.empty(),
                     problems.empty() ? fmt::format("{} signature(s) hold", checked)
                                      : fmt::format("{} of {} invalid; first: {}", problems.size(), checked,
                                                    problems.front())});
  }
  return lines;
}

Status run_check(CliContext& ctx) {
  auto db = db::Database::open(ctx.resolved_db_path(), db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  services::Config config = ctx.config;
  config.db_path = ctx.resolved_db_path();
  const services::EvidenceStore store(config.evidence_folder(), config.evidence_group_readable);
  auto lines = db->read([&](SQLite::Database&) -> Result<std::vector<CheckLine>> { return run_checks(*db, store); });
  if (!lines) return tl::unexpected(lines.error());
  QJsonArray json;
  reports::TextTable table{{"CHECK", "RESULT", "DETAIL"}, {}, {}};
  int failed = 0;
  for (const auto& l : *lines) {
    failed += l.ok ? 0 : 1;
    json.append(QJsonObject{{"check", qs(l.check)}, {"ok", l.ok}, {"detail", qs(l.detail)}});
    table.rows.push_back({l.check, l.ok ? "ok" : "FAILED", l.detail});
  }
  ctx.print(QJsonObject{{"database", qs(db->path())}, {"ok", failed == 0}, {"checks", json}},
            [&](std::ostream& out) { out << table.render(); });
  if (failed) return fail(ErrorCode::integrity, fmt::format("database {}: {} check(s) failed", db->path(), failed));
  return {};
}

Status run_backup(CliContext& ctx, const std::string& out_path) {
  auto db = db::Database::open(ctx.resolved_db_path(), db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  if (auto st = db->backup_to(out_path); !st) return st;
  const auto size = std::filesystem::file_size(out_path);
  ctx.print(QJsonObject{{"database", qs(db->path())}, {"backup", qs(out_path)}, {"size_bytes", qint64(size)}},
            [&](std::ostream& out) { out << fmt::format("Backed up {} to {} ({} bytes)\n", db->path(), out_path, size); });
  return {};
}

}  // namespace

void register_db_commands(CLI::App& root, CliContext& ctx) {
  auto* db = root.add_subcommand("db", "Create, migrate, check and back up the database");
  db->require_subcommand(1);
  db->add_subcommand("init", "Create the database file (or open an existing one) and apply the schema")
      ->callback([&ctx] { ctx.action = [&ctx] { return run_init(ctx); }; });
  db->add_subcommand("migrate", "Apply pending schema migrations in order, each recorded")
      ->callback([&ctx] { ctx.action = [&ctx] { return run_migrate(ctx); }; });
  db->add_subcommand("check", "Check SQLite integrity, foreign keys, schema version, stages, document files and the audit trail")
      ->callback([&ctx] { ctx.action = [&ctx] { return run_check(ctx); }; });
  auto* backup = db->add_subcommand("backup", "Write a consistent copy of the database (safe while others write)");
  auto out = std::make_shared<std::string>();
  backup->add_option("OUT", *out, "Backup file to write (replaced atomically)")->required();
  backup->callback([&ctx, out] { ctx.action = [&ctx, out] { return run_backup(ctx, *out); }; });
}

}  // namespace niikit::cli
