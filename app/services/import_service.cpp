#include "app/services/import_service.hpp"

#include <fmt/format.h>

#include <set>

#include "app/domain/registry_codes.hpp"
#include "app/services/csv.hpp"
#include "app/services/csv_batch.hpp"
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
  const auto s = spec(kind);
  auto table = read_batch_csv(path, s.required, s.optional);
  if (!table) return tl::unexpected(table.error());
  ImportResult result;
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status {
    return store_rows_all_or_nothing(
        tx, *table, path, [&](const Fields& f) { return import_row(tx, kind, f); }, result, progress);
  });
  if (!st && result.errors.empty()) return tl::unexpected(st.error());
  return result;
}

}  // namespace niikit::services
