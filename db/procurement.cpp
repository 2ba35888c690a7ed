#include "db/procurement.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <charconv>
#include <utility>

#include "core/time_format.hpp"
#include "db/repository_support.hpp"

namespace niikit::db {

namespace {

using namespace support;

constexpr std::array<const char*, 5> kPhaseOrder{"fat", "sat", "periodic", "return_to_service", "review"};

std::string phases_text(const std::set<std::string>& phases) {
  std::vector<std::string> ordered;
  for (const char* p : kPhaseOrder)
    if (phases.count(p)) ordered.emplace_back(p);
  for (const auto& p : phases) {  // phases unknown to this order keep their place at the end
    bool known = false;
    for (const char* k : kPhaseOrder) known = known || p == k;
    if (!known) ordered.push_back(p);
  }
  std::string out;
  for (const auto& p : ordered) {
    if (!out.empty()) out.push_back(',');
    out.append(p);
  }
  return out;
}

std::set<std::string> phases_from_text(const std::string& text) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!piece.empty()) out.insert(piece);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// ---- procurements
const std::string procurement_select =
    "SELECT x.id, x.reference, x.title, x.description, x.budget_minor, x.currency, x.created_at_utc "
    "FROM procurements x";
Procurement map_procurement(SQLite::Statement& q) {
  Procurement p;
  p.id = q.getColumn(0).getInt64();
  p.reference = q.getColumn(1).getString();
  p.title = q.getColumn(2).getString();
  p.description = q.getColumn(3).getString();
  if (!q.getColumn(4).isNull()) p.budget_minor = q.getColumn(4).getInt64();
  p.currency = q.getColumn(5).getString();
  p.created_at_utc = q.getColumn(6).getString();
  return p;
}
Row procurement_row(const Procurement& p) {
  return {{"reference", p.reference},
          {"title", p.title},
          {"description", p.description},
          {"budget_minor", opt(p.budget_minor)},
          {"currency", p.currency}};
}

// ---- specifications
const std::string specification_select =
    "SELECT x.id, x.procurement_id, x.version, x.status, x.source_file, x.created_at_utc, x.updated_at_utc, "
    "x.frozen_at_utc, x.frozen_by, coalesce(p.name, ''), x.requirements_sha256, "
    "(SELECT count(*) FROM spec_requirements r WHERE r.specification_id = x.id) "
    "FROM specifications x LEFT JOIN people p ON p.id = x.frozen_by";
Specification map_specification(SQLite::Statement& q) {
  Specification s;
  s.id = q.getColumn(0).getInt64();
  s.procurement_id = q.getColumn(1).getInt64();
  s.version = q.getColumn(2).getInt();
  s.status = q.getColumn(3).getString();
  s.source_file = q.getColumn(4).getString();
  s.created_at_utc = q.getColumn(5).getString();
  s.updated_at_utc = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) s.frozen_at_utc = q.getColumn(7).getString();
  if (!q.getColumn(8).isNull()) s.frozen_by = q.getColumn(8).getInt64();
  s.frozen_by_name = q.getColumn(9).getString();
  s.requirements_sha256 = q.getColumn(10).getString();
  s.requirement_count = q.getColumn(11).getInt();
  return s;
}

// ---- requirements
const std::string requirement_select =
    "SELECT requirement_id, text, category, mandatory, metric_key, comparator, target_in_unit, tolerance_in_unit, "
    "unit, method, verified_at FROM spec_requirements";
RequirementRow map_requirement(SQLite::Statement& q, int first = 0) {
  RequirementRow r;
  r.id = q.getColumn(first + 0).getString();
  r.text = q.getColumn(first + 1).getString();
  r.category = q.getColumn(first + 2).getString();
  r.mandatory = q.getColumn(first + 3).getInt() != 0;
  r.metric_key = q.getColumn(first + 4).getString();
  r.comparator = q.getColumn(first + 5).getString();
  r.target = q.getColumn(first + 6).getDouble();
  r.tolerance = q.getColumn(first + 7).getDouble();
  r.unit = q.getColumn(first + 8).getString();
  r.method = q.getColumn(first + 9).getString();
  r.verified_at = phases_from_text(q.getColumn(first + 10).getString());
  return r;
}

// A mandatory requirement that cannot be verified: no method or no phase (the freeze rule).
bool lacks_verification(const RequirementRow& r) {
  bool blank_method = true;
  for (char c : r.method) blank_method = blank_method && (c == ' ' || c == '\t');
  return r.mandatory && (blank_method || r.verified_at.empty());
}

}  // namespace

// ---- procurements ------------------------------------------------------------------------

Result<std::int64_t> insert_procurement(WriteTx& tx, const Procurement& p) {
  auto row = procurement_row(p);
  row.emplace_back("created_at_utc", format_utc(tx.now()));
  return tx.insert("procurements", row);
}
Status update_procurement(WriteTx& tx, const Procurement& p) {
  return tx.update("procurements", p.id, procurement_row(p));
}
std::optional<Procurement> find_procurement(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Procurement>(sql, procurement_select, "x.reference", key, map_procurement);
}
std::vector<Procurement> list_procurements(SQLite::Database& sql) {
  SQLite::Statement q(sql, procurement_select + " ORDER BY x.reference");
  std::vector<Procurement> out;
  while (q.executeStep()) out.push_back(map_procurement(q));
  return out;
}

// ---- scanner links -------------------------------------------------------------------------

Result<std::int64_t> link_scanner(WriteTx& tx, std::int64_t procurement_id, std::int64_t scanner_id) {
  return tx.insert("procurement_scanners", {{"procurement_id", procurement_id},
                                            {"scanner_id", scanner_id},
                                            {"linked_at_utc", format_utc(tx.now())}});
}
Status unlink_scanner(WriteTx& tx, std::int64_t scanner_id) {
  SQLite::Statement q(tx.sql(), "SELECT id FROM procurement_scanners WHERE scanner_id = ?");
  q.bind(1, scanner_id);
  if (!q.executeStep()) return {};
  const std::int64_t id = q.getColumn(0).getInt64();
  q.reset();
  return tx.remove("procurement_scanners", id);
}
std::optional<Procurement> procurement_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  SQLite::Statement q(sql, procurement_select +
                               " JOIN procurement_scanners ps ON ps.procurement_id = x.id WHERE ps.scanner_id = ?");
  q.bind(1, scanner_id);
  if (q.executeStep()) return map_procurement(q);
  return std::nullopt;
}
std::vector<LinkedScanner> scanners_of_procurement(SQLite::Database& sql, std::int64_t procurement_id) {
  SQLite::Statement q(sql,
                      "SELECT s.id, s.asset_tag, s.stage, ps.linked_at_utc FROM procurement_scanners ps "
                      "JOIN scanners s ON s.id = ps.scanner_id WHERE ps.procurement_id = ? ORDER BY s.asset_tag");
  q.bind(1, procurement_id);
  std::vector<LinkedScanner> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString()});
  return out;
}

// ---- specification versions -----------------------------------------------------------------

Result<std::int64_t> insert_specification(WriteTx& tx, const Specification& s) {
  const std::string now = format_utc(tx.now());
  return tx.insert("specifications", {{"procurement_id", s.procurement_id},
                                      {"version", std::int64_t{s.version}},
                                      {"status", s.status},
                                      {"source_file", s.source_file},
                                      {"created_at_utc", now},
                                      {"updated_at_utc", now},
                                      {"frozen_at_utc", opt(s.frozen_at_utc)},
                                      {"frozen_by", opt(s.frozen_by)},
                                      {"requirements_sha256", s.requirements_sha256}});
}
Status update_specification(WriteTx& tx, const Specification& s) {
  return tx.update("specifications", s.id, {{"status", s.status},
                                            {"source_file", s.source_file},
                                            {"updated_at_utc", s.updated_at_utc},
                                            {"frozen_at_utc", opt(s.frozen_at_utc)},
                                            {"frozen_by", opt(s.frozen_by)},
                                            {"requirements_sha256", s.requirements_sha256}});
}
std::vector<Specification> list_specifications(SQLite::Database& sql, std::int64_t procurement_id) {
  SQLite::Statement q(sql, specification_select + " WHERE x.procurement_id = ? ORDER BY x.version");
  q.bind(1, procurement_id);
  std::vector<Specification> out;
  while (q.executeStep()) out.push_back(map_specification(q));
  return out;
}
std::optional<Specification> find_specification(SQLite::Database& sql, std::int64_t procurement_id,
                                                std::optional<int> version) {
  SQLite::Statement q(sql, specification_select + " WHERE x.procurement_id = ?" +
                               (version ? " AND x.version = ?" : "") + " ORDER BY x.version DESC LIMIT 1");
  q.bind(1, procurement_id);
  if (version) q.bind(2, *version);
  if (q.executeStep()) return map_specification(q);
  return std::nullopt;
}
std::optional<Specification> find_specification_by_id(SQLite::Database& sql, std::int64_t specification_id) {
  SQLite::Statement q(sql, specification_select + " WHERE x.id = ?");
  q.bind(1, specification_id);
  if (q.executeStep()) return map_specification(q);
  return std::nullopt;
}
std::optional<Specification> newest_frozen_specification(SQLite::Database& sql, std::int64_t procurement_id) {
  SQLite::Statement q(sql, specification_select +
                               " WHERE x.procurement_id = ? AND x.status = 'frozen' ORDER BY x.version DESC LIMIT 1");
  q.bind(1, procurement_id);
  if (q.executeStep()) return map_specification(q);
  return std::nullopt;
}

// ---- requirements -------------------------------------------------------------------------------

std::vector<RequirementRow> requirements_of(SQLite::Database& sql, std::int64_t specification_id) {
  SQLite::Statement q(sql, requirement_select + " WHERE specification_id = ? ORDER BY position");
  q.bind(1, specification_id);
  std::vector<RequirementRow> out;
  while (q.executeStep()) out.push_back(map_requirement(q));
  return out;
}

Status replace_requirements(WriteTx& tx, std::int64_t specification_id,
                            const std::vector<RequirementRow>& requirements) {
  std::vector<std::int64_t> old_ids;
  {
    SQLite::Statement q(tx.sql(), "SELECT id FROM spec_requirements WHERE specification_id = ? ORDER BY position");
    q.bind(1, specification_id);
    while (q.executeStep()) old_ids.push_back(q.getColumn(0).getInt64());
  }
  for (auto id : old_ids)
    if (auto st = tx.remove("spec_requirements", id); !st) return st;
  std::int64_t position = 0;
  for (const auto& r : requirements) {
    auto id = tx.insert("spec_requirements", {{"specification_id", specification_id},
                                              {"position", ++position},
                                              {"requirement_id", r.id},
                                              {"text", r.text},
                                              {"category", r.category},
                                              {"mandatory", std::int64_t{r.mandatory ? 1 : 0}},
                                              {"metric_key", r.metric_key},
                                              {"comparator", r.comparator},
                                              {"target_in_unit", r.target},
                                              {"tolerance_in_unit", r.tolerance},
                                              {"unit", r.unit},
                                              {"method", r.method},
                                              {"verified_at", phases_text(r.verified_at)}});
    if (!id) return tl::unexpected(id.error());
  }
  return {};
}

// ---- acceptance and gates ---------------------------------------------------------------------

std::optional<ScannerSpecification> specification_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  auto p = procurement_for_scanner(sql, scanner_id);
  if (!p) return std::nullopt;
  auto s = newest_frozen_specification(sql, p->id);
  if (!s) return std::nullopt;
  ScannerSpecification out;
  out.procurement_id = p->id;
  out.procurement_reference = p->reference;
  out.specification_id = s->id;
  out.version = s->version;
  out.sha256 = s->requirements_sha256;
  out.frozen_at_utc = s->frozen_at_utc.value_or("");
  out.frozen_by_name = s->frozen_by_name;
  out.requirements = requirements_of(sql, s->id);
  return out;
}

std::map<std::int64_t, SpecSummary> specification_status_by_scanner(SQLite::Database& sql) {
  // Query 1: per procurement, the version that counts (newest frozen, else newest draft).
  struct Chosen {
    std::string reference;
    bool frozen = false;
    int version = 0;
    std::int64_t specification_id = 0;
  };
  std::map<std::int64_t, Chosen> by_procurement;
  {
    SQLite::Statement q(sql,
                        "SELECT p.id, p.reference, s.id, s.version, s.status FROM procurements p "
                        "LEFT JOIN specifications s ON s.procurement_id = p.id ORDER BY p.id, s.version");
    while (q.executeStep()) {
      auto& c = by_procurement[q.getColumn(0).getInt64()];
      c.reference = q.getColumn(1).getString();
      if (q.getColumn(2).isNull()) continue;
      const bool frozen = q.getColumn(4).getString() == "frozen";
      if (frozen || !c.frozen) {  // ascending versions: a later frozen one wins; a draft never replaces a frozen one
        c.frozen = c.frozen || frozen;
        c.version = q.getColumn(3).getInt();
        c.specification_id = q.getColumn(2).getInt64();
      }
    }
  }
  // Query 2: mandatory requirements lacking a method or a phase, per specification.
  std::map<std::int64_t, int> lacking;
  {
    SQLite::Statement q(sql, "SELECT specification_id, " + requirement_select.substr(7) +
                                 " WHERE mandatory = 1 AND (trim(method) = '' OR verified_at = '')");
    // requirement_select starts with "SELECT "; the row is specification_id then the fields.
    while (q.executeStep())
      if (lacks_verification(map_requirement(q, 1))) ++lacking[q.getColumn(0).getInt64()];
  }
  // Query 3: the links.
  std::map<std::int64_t, SpecSummary> out;
  SQLite::Statement q(sql, "SELECT scanner_id, procurement_id FROM procurement_scanners");
  while (q.executeStep()) {
    const auto& c = by_procurement[q.getColumn(1).getInt64()];
    SpecSummary s;
    s.procurement_reference = c.reference;
    s.frozen = c.frozen;
    s.version = c.version;
    s.specification_id = c.specification_id;
    if (auto it = lacking.find(c.specification_id); it != lacking.end()) s.mandatory_without_method = it->second;
    out[q.getColumn(0).getInt64()] = s;
  }
  return out;
}

}  // namespace niikit::db
