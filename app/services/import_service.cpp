#include "app/services/import_service.hpp"

#include <fmt/format.h>

#include <set>

#include "app/domain/registry_codes.hpp"
#include "app/services/csv.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/registry.hpp"

namespace niikit::services {

namespace {

struct Spec {
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

Spec spec(ImportKind kind) {
  switch (kind) {
    case ImportKind::sites: return {{"name", "country", "site_type"}, {}};
    case ImportKind::people: return {{"name", "role"}, {"organisation", "email"}};
    case ImportKind::scanners:
      return {{"asset_tag", "manufacturer", "model", "technology", "configuration"},
              {"serial", "energy_mev", "dual_energy", "software_version", "firmware_version", "site", "stage",
               "stage_since", "note", "by"}};
  }
  return {};
}

Status check_header(const CsvTable& table, const Spec& s, const std::string& path) {
  std::set<std::string> known(s.required.begin(), s.required.end());
  known.insert(s.optional.begin(), s.optional.end());
  for (const auto& h : table.header)
    if (!known.count(h)) return fail(ErrorCode::input, fmt::format("{}: unknown column '{}'", path, h));
  for (const auto& r : s.required)
    if (!table.column(r)) return fail(ErrorCode::input, fmt::format("{}: required column '{}' missing", path, r));
  return {};
}

// One row in the batch's transaction. Errors carry the row's context; the caller collects them.
Status import_row(db::WriteTx& tx, ImportKind kind, const Fields& f) {
  switch (kind) {
    case ImportKind::scanners: return add_scanner_in(tx, f);
    case ImportKind::sites: {
      if (db::find_site(tx.sql(), f.at("name"))) return fail(ErrorCode::conflict, fmt::format("site '{}': already exists", f.at("name")));
      db::Site s{0, f.at("name"), f.at("country"), "", ""};
      auto type = domain::parse_code(domain::site_types(), f.at("site_type"));
      if (!type) return tl::unexpected(type.error());
      s.site_type = *type;
      if (s.name.empty() || s.country.empty()) return fail(ErrorCode::input, "name and country must not be empty");
      return db::insert_site(tx, s).map([](auto) {});
    }
    case ImportKind::people: {
      if (db::find_person(tx.sql(), f.at("name"))) return fail(ErrorCode::conflict, fmt::format("person '{}': already exists", f.at("name")));
      db::Person p;
      p.name = f.at("name");
      auto role = domain::parse_code(domain::roles(), f.at("role"));
      if (!role) return tl::unexpected(role.error());
      p.role = *role;
      if (auto it = f.find("organisation"); it != f.end()) p.organisation = it->second;
      if (auto it = f.find("email"); it != f.end()) p.email = it->second;
      if (p.name.empty()) return fail(ErrorCode::input, "name must not be empty");
      return db::insert_person(tx, p).map([](auto) {});
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> import_columns(ImportKind kind) {
  auto s = spec(kind);
  std::vector<std::string> out;
  for (auto& r : s.required) out.push_back(r + "*");
  for (auto& o : s.optional) out.push_back(o);
  return out;
}

Result<ImportResult> import_csv(db::Database& db, const std::string& actor, ImportKind kind, const std::string& path,
                                const std::function<void(int, int)>& progress) {
  auto table = read_csv_file(path);
  if (!table) return tl::unexpected(table.error());
  if (auto st = check_header(*table, spec(kind), path); !st) return tl::unexpected(st.error());
  if (table->records.empty()) return fail(ErrorCode::input, fmt::format("{}: no data rows", path));
  ImportResult result;
  result.rows = static_cast<int>(table->records.size());
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status {
    for (const auto& rec : table->records) {
      Fields f;
      for (std::size_t i = 0; i < table->header.size(); ++i) f[table->header[i]] = rec.fields[i];
      // Each row runs in a savepoint so a failed row leaves no trace while the others go on
      // being checked against the rows before them (e.g. duplicate asset tags in one file).
      tx.sql().exec("SAVEPOINT import_row");
      auto row = import_row(tx, kind, f);
      if (row) {
        tx.sql().exec("RELEASE import_row");
      } else {
        tx.sql().exec("ROLLBACK TO import_row");
        tx.sql().exec("RELEASE import_row");
        result.errors.push_back({rec.line, fmt::format("{} line {}: {}", path, rec.line, row.error().message)});
      }
      if (progress) progress(static_cast<int>(&rec - table->records.data()) + 1, result.rows);
    }
    if (!result.errors.empty())
      return fail(ErrorCode::input, fmt::format("{}: {} of {} rows rejected; nothing stored", path,
                                                result.errors.size(), result.rows));
    result.stored = result.rows;
    return {};
  });
  if (!st && result.errors.empty()) return tl::unexpected(st.error());
  return result;
}

}  // namespace niikit::services
