#include "app/cli/registry_views.hpp"

#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include "app/cli/json_views.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {
std::string energy_text(const db::Scanner& s) {
  if (!s.energy_mev) return "—";
  return *s.energy_mev < 1.0 ? fmt::format("{:g} kV", *s.energy_mev * 1000) : fmt::format("{:g} MeV", *s.energy_mev);
}
std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }
}  // namespace






Status print_scanner_line(CliContext& ctx, const db::Scanner& s, const std::string& headline) {
  ctx.print(to_json(s), [&](std::ostream& out) {
    out << fmt::format("{} {} ({} {}, {}), stage {}\n", headline, s.asset_tag, s.manufacturer, s.model,
                       s.site_name.empty() ? "no site" : s.site_name, s.stage);
  });
  return {};
}

Status list_scanners(CliContext& ctx, db::Database& db) {
  auto scanners = db.read([](SQLite::Database& sql) -> Result<std::vector<db::Scanner>> { return db::list_scanners(sql); });
  if (!scanners) return tl::unexpected(scanners.error());
  QJsonArray json;
  reports::TextTable t{{"ASSET", "MANUFACTURER", "MODEL", "TECHNOLOGY", "ENERGY", "CONFIG", "SITE", "STAGE"}, {}, {}};
  for (const auto& s : *scanners) {
    json.append(to_json(s));
    t.rows.push_back({s.asset_tag, s.manufacturer, s.model, s.technology, energy_text(s), s.configuration,
                      or_dash(s.site_name), s.stage});
  }
  ctx.print(json, [&](std::ostream& out) { out << t.render(); });
  return {};
}

Status show_scanner(CliContext& ctx, db::Database& db, const std::string& key) {
  auto tl = services::scanner_timeline(db, key);
  if (!tl) return tl::unexpected(tl.error());
  const auto& s = tl->scanner;
  const auto& info = domain::stage_info(*domain::parse_stage(s.stage));
  std::optional<domain::GateOutcome> gate;
  std::string next;
  if (!info.successors.empty()) {
    next = std::string(domain::stage_info(info.successors.front()).code);
    auto g = services::check_move(db, s.asset_tag, next, "");
    if (g) gate = *g;
  }
  QJsonObject json = to_json(s);
  QJsonArray decisions, documents;
  for (const auto& d : tl->decisions) decisions.append(to_json(d));
  for (const auto& d : tl->documents) documents.append(to_json(d));
  json["timeline"] = decisions;
  json["documents"] = documents;
  if (gate) json["next_stage"] = QJsonObject{{"stage", qs(next)}, {"gate", to_json(*gate)}};
  ctx.print(json, [&](std::ostream& out) {
    out << reports::render_fields({{"Asset tag", s.asset_tag}, {"Scanner", s.manufacturer + " " + s.model},
                                   {"Serial", or_dash(s.serial)},
                                   {"Source", fmt::format("{}, {}{}", s.technology, energy_text(s),
                                                          s.dual_energy ? ", dual energy" : "")},
                                   {"Configuration", s.configuration}, {"Site", or_dash(s.site_name)},
                                   {"Software", or_dash(s.software_version)}, {"Firmware", or_dash(s.firmware_version)},
                                   {"Stage", fmt::format("{} ({}), since {}", info.label, s.stage, s.stage_since_utc)}});
    reports::TextTable t{{"WHEN (UTC)", "DECISION", "MOVE", "BY", "NOTE"}, {}, {}};
    for (const auto& d : tl->decisions)
      t.rows.push_back({d.effective_at_utc, d.kind, fmt::format("{} → {}", d.from_stage.value_or("·"), d.to_stage),
                        d.decided_by_name.empty() ? "—" : fmt::format("{} ({})", d.decided_by_name, d.decided_role),
                        d.note});
    out << "\nTimeline\n" << t.render();
    reports::TextTable docs{{"ID", "KIND", "TITLE", "SHA-256"}, {}, {true}};
    for (const auto& d : tl->documents) docs.rows.push_back({std::to_string(d.id), d.kind, d.title, d.sha256.substr(0, 12)});
    out << "\nDocuments\n" << docs.render();
    if (gate) {
      out << fmt::format("\nNext stage: {} — {}\n", next, gate->passed() ? "gate holds" : "blocked:");
      for (const auto& c : gate->conditions)
        if (!c.holds) out << "  - " << c.why << (c.hint.empty() ? "" : "  [" + c.hint + "]") << "\n";
    }
  });
  return {};
}

Status print_document(CliContext& ctx, const db::Document& d, const std::string& headline) {
  ctx.print(to_json(d), [&](std::ostream& out) {
    out << fmt::format("{} {}: {} ({}), sha256 {}, {} bytes\n", headline, d.id, d.title, d.kind, d.sha256, d.size_bytes);
  });
  return {};
}

Status list_documents(CliContext& ctx, db::Database& db, const std::string& scanner) {
  std::optional<std::int64_t> scanner_id;
  if (!scanner.empty()) {
    auto s = services::get_scanner(db, scanner);
    if (!s) return tl::unexpected(s.error());
    scanner_id = s->id;
  }
  auto docs = db.read([&](SQLite::Database& sql) -> Result<std::vector<db::Document>> {
    return db::list_documents(sql, scanner_id);
  });
  if (!docs) return tl::unexpected(docs.error());
  QJsonArray json;
  reports::TextTable t{{"ID", "KIND", "TITLE", "FILE"}, {}, {true}};
  for (const auto& d : *docs) {
    json.append(to_json(d));
    t.rows.push_back({std::to_string(d.id), d.kind, d.title, d.file_path});
  }
  ctx.print(json, [&](std::ostream& out) { out << t.render(); });
  return {};
}

Status check_document(CliContext& ctx, db::Database& db, std::int64_t id) {
  auto c = services::check_document(db, id);
  if (!c) return tl::unexpected(c.error());
  QJsonObject json = to_json(c->document);
  json["file_present"] = c->file_present;
  json["hash_matches"] = c->hash_matches;
  json["current_sha256"] = qs(c->current_sha256);
  ctx.print(json, [&](std::ostream& out) {
    const auto& d = c->document;
    out << reports::render_fields(
        {{"Document", std::to_string(d.id)}, {"Title", d.title}, {"Kind", d.kind}, {"File", d.file_path},
         {"SHA-256", d.sha256}, {"Size", fmt::format("{} bytes", d.size_bytes)}, {"Added", d.added_at_utc},
         {"Check", !c->file_present ? "FILE MISSING"
                   : c->hash_matches ? "file matches its recorded SHA-256"
                                     : "FILE CHANGED since it was recorded (now " + c->current_sha256 + ")"}});
  });
  if (!c->file_present) return fail(ErrorCode::not_found, fmt::format("document {}: {} is missing", id, c->document.file_path));
  if (!c->hash_matches)
    return fail(ErrorCode::integrity, fmt::format("document {}: {} changed since it was recorded", id, c->document.file_path));
  return {};
}

}  // namespace niikit::cli
