#include "db/registry.hpp"

#include <SQLiteCpp/Statement.h>

#include <charconv>

#include "core/time_format.hpp"
#include "db/repository_support.hpp"

namespace niikit::db {

namespace {

using namespace support;

std::optional<std::int64_t> col_id(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return q.getColumn(i).getInt64();
}

// ---- sites
const std::string site_select = "SELECT x.id, x.name, x.country, x.site_type, x.created_at_utc FROM sites x";
Site map_site(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getString()};
}
Row site_row(const Site& s) {
  return {{"name", s.name}, {"country", s.country}, {"site_type", s.site_type}};
}

// ---- people
const std::string person_select =
    "SELECT x.id, x.name, x.role, x.organisation, x.email, x.created_at_utc, coalesce(x.os_user, '') FROM people x";
Person map_person(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
          q.getColumn(6).getString()};
}
Row person_row(const Person& p) {
  return {{"name", p.name},
          {"role", p.role},
          {"organisation", p.organisation},
          {"email", p.email},
          {"os_user", p.os_user.empty() ? Value{nullptr} : Value{p.os_user}}};
}

// ---- scanners
const std::string scanner_select =
    "SELECT x.id, x.asset_tag, x.manufacturer, x.model, x.serial, x.technology, x.energy_mev, x.configuration, "
    "x.dual_energy, x.software_version, x.firmware_version, x.site_id, coalesce(s.name, ''), x.stage, "
    "x.stage_since_utc, x.created_at_utc FROM scanners x LEFT JOIN sites s ON s.id = x.site_id";
Scanner map_scanner(SQLite::Statement& q) {
  Scanner s;
  s.id = q.getColumn(0).getInt64();
  s.asset_tag = q.getColumn(1).getString();
  s.manufacturer = q.getColumn(2).getString();
  s.model = q.getColumn(3).getString();
  s.serial = q.getColumn(4).getString();
  s.technology = q.getColumn(5).getString();
  if (!q.getColumn(6).isNull()) s.energy_mev = q.getColumn(6).getDouble();
  s.configuration = q.getColumn(7).getString();
  s.dual_energy = q.getColumn(8).getInt() != 0;
  s.software_version = q.getColumn(9).getString();
  s.firmware_version = q.getColumn(10).getString();
  s.site_id = col_id(q, 11);
  s.site_name = q.getColumn(12).getString();
  s.stage = q.getColumn(13).getString();
  s.stage_since_utc = q.getColumn(14).getString();
  s.created_at_utc = q.getColumn(15).getString();
  return s;
}
Row scanner_row(const Scanner& s) {
  return {{"asset_tag", s.asset_tag},
          {"manufacturer", s.manufacturer},
          {"model", s.model},
          {"serial", s.serial},
          {"technology", s.technology},
          {"energy_mev", opt(s.energy_mev)},
          {"configuration", s.configuration},
          {"dual_energy", std::int64_t{s.dual_energy ? 1 : 0}},
          {"software_version", s.software_version},
          {"firmware_version", s.firmware_version},
          {"site_id", opt(s.site_id)},
          {"stage", s.stage},
          {"stage_since_utc", s.stage_since_utc}};
}

// ---- documents
const std::string document_select =
    "SELECT x.id, x.title, x.kind, x.file_path, x.sha256, x.size_bytes, x.scanner_id, x.site_id, x.added_by, "
    "x.added_at_utc, EXISTS (SELECT 1 FROM stored_documents k WHERE k.id = x.id) FROM documents x";
Document map_document(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
          col_id(q, 6),               col_id(q, 7),               col_id(q, 8),
          q.getColumn(9).getString(), q.getColumn(10).getInt() != 0};
}
Row document_row(const Document& d) {
  return {{"title", d.title},           {"kind", d.kind},       {"file_path", d.file_path},
          {"sha256", d.sha256},         {"size_bytes", d.size_bytes}, {"scanner_id", opt(d.scanner_id)},
          {"site_id", opt(d.site_id)},  {"added_by", opt(d.added_by)}};
}

}  // namespace

Result<std::int64_t> insert_site(WriteTx& tx, const Site& s) {
  auto row = site_row(s);
  row.emplace_back("created_at_utc", format_utc(tx.now()));
  return tx.insert("sites", row);
}
Status update_site(WriteTx& tx, const Site& s) { return tx.update("sites", s.id, site_row(s)); }
std::optional<Site> find_site(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Site>(sql, site_select, "x.name", key, map_site);
}
std::vector<Site> list_sites(SQLite::Database& sql) {
  return query_list<Site>(sql, site_select + " ORDER BY x.name", map_site);
}

Result<std::int64_t> insert_person(WriteTx& tx, const Person& p) {
  auto row = person_row(p);
  row.emplace_back("created_at_utc", format_utc(tx.now()));
  return tx.insert("people", row);
}
Status update_person(WriteTx& tx, const Person& p) { return tx.update("people", p.id, person_row(p)); }
std::optional<Person> find_person(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Person>(sql, person_select, "x.name", key, map_person);
}
std::optional<Person> find_person_by_os_user(SQLite::Database& sql, const std::string& os_user) {
  SQLite::Statement q(sql, person_select + " WHERE x.os_user = ?");
  q.bind(1, os_user);
  if (q.executeStep()) return map_person(q);
  return std::nullopt;
}
std::int64_t count_people(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT count(*) FROM people");
  q.executeStep();
  return q.getColumn(0).getInt64();
}
std::vector<Person> list_people(SQLite::Database& sql) {
  return query_list<Person>(sql, person_select + " ORDER BY x.name", map_person);
}

Result<std::int64_t> insert_scanner(WriteTx& tx, const Scanner& s) {
  auto row = scanner_row(s);
  row.emplace_back("created_at_utc", format_utc(tx.now()));
  return tx.insert("scanners", row);
}
Status update_scanner(WriteTx& tx, const Scanner& s) { return tx.update("scanners", s.id, scanner_row(s)); }
std::optional<Scanner> find_scanner(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Scanner>(sql, scanner_select, "x.asset_tag", key, map_scanner);
}
std::vector<Scanner> list_scanners(SQLite::Database& sql) {
  return query_list<Scanner>(sql, scanner_select + " ORDER BY x.asset_tag", map_scanner);
}

Result<std::int64_t> insert_document(WriteTx& tx, const Document& d) {
  auto row = document_row(d);
  row.emplace_back("added_at_utc", format_utc(tx.now()));
  auto id = tx.insert("documents", row);
  if (!id || !d.stored) return id;
  if (auto marked = tx.insert("stored_documents", {{"id", *id}}); !marked) return marked;
  return id;
}
Status update_document(WriteTx& tx, const Document& d) { return tx.update("documents", d.id, document_row(d)); }
std::optional<Document> find_document(SQLite::Database& sql, std::int64_t id) {
  SQLite::Statement q(sql, document_select + " WHERE x.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return map_document(q);
}
std::vector<Document> list_documents(SQLite::Database& sql, std::optional<std::int64_t> scanner_id) {
  SQLite::Statement q(sql, document_select + (scanner_id ? " WHERE x.scanner_id = ?" : "") + " ORDER BY x.id");
  if (scanner_id) q.bind(1, *scanner_id);
  std::vector<Document> out;
  while (q.executeStep()) out.push_back(map_document(q));
  return out;
}
std::vector<std::string> document_kinds_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  SQLite::Statement q(sql, "SELECT DISTINCT kind FROM documents WHERE scanner_id = ?");
  q.bind(1, scanner_id);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

std::map<std::int64_t, std::set<std::string>> document_kinds_by_scanner(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT DISTINCT scanner_id, kind FROM documents WHERE scanner_id IS NOT NULL");
  std::map<std::int64_t, std::set<std::string>> out;
  while (q.executeStep()) out[q.getColumn(0).getInt64()].insert(q.getColumn(1).getString());
  return out;
}

Result<std::int64_t> insert_decision(WriteTx& tx, const Decision& d) {
  return tx.insert("decisions", {{"scanner_id", d.scanner_id},
                                 {"kind", d.kind},
                                 {"from_stage", opt(d.from_stage)},
                                 {"to_stage", d.to_stage},
                                 {"decided_by", opt(d.decided_by)},
                                 {"decided_role", d.decided_role},
                                 {"decided_at_utc", format_utc(tx.now())},
                                 {"effective_at_utc", d.effective_at_utc.empty() ? format_utc(tx.now()) : d.effective_at_utc},
                                 {"note", d.note},
                                 {"evidence_document_id", opt(d.evidence_document_id)},
                                 {"gate_json", d.gate_json}});
}

std::vector<Decision> decisions_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  SQLite::Statement q(sql,
                      "SELECT d.id, d.scanner_id, d.kind, d.from_stage, d.to_stage, d.decided_by, coalesce(p.name, ''), "
                      "d.decided_role, d.decided_at_utc, d.effective_at_utc, d.note, d.evidence_document_id, d.gate_json "
                      "FROM decisions d LEFT JOIN people p ON p.id = d.decided_by WHERE d.scanner_id = ? ORDER BY d.id");
  q.bind(1, scanner_id);
  std::vector<Decision> out;
  while (q.executeStep()) {
    Decision d;
    d.id = q.getColumn(0).getInt64();
    d.scanner_id = q.getColumn(1).getInt64();
    d.kind = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) d.from_stage = q.getColumn(3).getString();
    d.to_stage = q.getColumn(4).getString();
    d.decided_by = col_id(q, 5);
    d.decided_by_name = q.getColumn(6).getString();
    d.decided_role = q.getColumn(7).getString();
    d.decided_at_utc = q.getColumn(8).getString();
    d.effective_at_utc = q.getColumn(9).getString();
    d.note = q.getColumn(10).getString();
    d.evidence_document_id = col_id(q, 11);
    d.gate_json = q.getColumn(12).getString();
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace niikit::db
