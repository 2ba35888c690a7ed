// Registry operations: sites and people (scanners and documents: ops_scanner.cpp).
#include <fmt/format.h>

#include "app/api/describe_registry.hpp"
#include "app/api/operations.hpp"
#include "app/api/registry_types.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/services/import_service.hpp"
#include "app/services/registry_service.hpp"

namespace niikit::api {

namespace {

// Optional request fields → the services' field map (absent fields are left unchanged).
void put(services::Fields& f, const char* name, const std::optional<std::string>& v) {
  if (v) f[name] = *v;
}

template <class T>
Result<std::vector<T>> read_list(Context& ctx, std::vector<T> (*list)(SQLite::Database&)) {
  return ctx.db().read([&](SQLite::Database& sql) -> Result<std::vector<T>> { return list(sql); });
}

}  // namespace

Operation import_operation(const std::string& name, services::ImportKind kind, const std::string& what) {
  std::string cols;
  for (const auto& c : services::import_columns(kind)) cols += (cols.empty() ? "" : ",") + c;
  return make_operation<ImportRequest, ImportReply>(
      {name, fmt::format("Import {} from CSV (all rows or none). Columns: {} (* required)", what, cols),
       "Every row is checked first; when any row is bad, every bad row is listed with its line and field and "
       "nothing is stored (exit 3).",
       Access::write},
      [kind](Context& ctx, const ImportRequest& r) -> Result<ImportReply> {
        auto progress = [&ctx](int done, int total) { ctx.report_progress("rows checked", done, total); };
        auto result = services::import_csv(ctx.db(), ctx.audit_name(), kind, r.file, progress);
        if (!result) return tl::unexpected(result.error());
        return ImportReply{r.file, result->rows, result->stored, result->errors};
      },
      [](const ImportReply& r) -> std::optional<Error> {
        if (r.errors.empty()) return std::nullopt;
        return Error{ErrorCode::input, fmt::format("{}: {} of {} rows rejected; nothing stored", r.file,
                                                   r.errors.size(), r.rows)};
      });
}

void add_registry_operations(Registry& r) {
  r.group("site", "Sites where scanners operate (seaport, land border, airport, rail, inland)");
  r.add(make_operation<SiteAddRequest, db::Site>(
      {"site.add", "Add a site", "", Access::write}, [](Context& ctx, const SiteAddRequest& q) {
        return services::add_site(ctx.db(), ctx.audit_name(),
                                  {{"name", q.name}, {"country", q.country}, {"site_type", q.site_type}});
      }));
  r.add(make_operation<SiteEditRequest, db::Site>(
      {"site.edit", "Change a site's name, country or type", "", Access::write},
      [](Context& ctx, const SiteEditRequest& q) {
        services::Fields f;
        put(f, "name", q.name);
        put(f, "country", q.country);
        put(f, "site_type", q.site_type);
        return services::edit_site(ctx.db(), ctx.audit_name(), q.site, f);
      }));
  r.add(make_operation<Empty, std::vector<db::Site>>({"site.list", "List sites", "", Access::read},
                                                     [](Context& ctx, const Empty&) {
                                                       return read_list<db::Site>(ctx, &db::list_sites);
                                                     }));
  r.add(make_operation<SiteKey, SiteDetail>(
      {"site.show", "Show a site and its scanners", "", Access::read},
      [](Context& ctx, const SiteKey& q) -> Result<SiteDetail> {
        auto site = services::get_site(ctx.db(), q.site);
        if (!site) return tl::unexpected(site.error());
        auto scanners = read_list<db::Scanner>(ctx, &db::list_scanners);
        if (!scanners) return tl::unexpected(scanners.error());
        SiteDetail d{*site, {}};
        for (const auto& s : *scanners)
          if (s.site_id == site->id) d.scanners.push_back({s.asset_tag, s.manufacturer + " " + s.model, s.stage});
        return d;
      }));
  r.add(import_operation("site.import", services::ImportKind::sites, "sites"));

  r.group("person", "People: procurement officers, engineers, RSOs, managers, vendors");
  r.add(make_operation<PersonAddRequest, db::Person>(
      {"person.add", "Add a person",
       "The first person of a new database may be added by anyone; after that only a manager adds people.",
       Access::write},
      [](Context& ctx, const PersonAddRequest& q) {
        services::Fields f{{"name", q.name}, {"role", q.role}};
        put(f, "organisation", q.organisation);
        put(f, "email", q.email);
        put(f, "os_user", q.os_user);
        return services::add_person(ctx.db(), ctx.audit_name(), f);
      }));
  r.add(make_operation<PersonEditRequest, db::Person>(
      {"person.edit", "Change a person's details, role or mapped OS account", "", Access::write},
      [](Context& ctx, const PersonEditRequest& q) {
        services::Fields f;
        put(f, "name", q.name);
        put(f, "role", q.role);
        put(f, "organisation", q.organisation);
        put(f, "email", q.email);
        put(f, "os_user", q.os_user);
        return services::edit_person(ctx.db(), ctx.audit_name(), q.person, f);
      }));
  r.add(make_operation<Empty, std::vector<db::Person>>({"person.list", "List people", "", Access::read},
                                                       [](Context& ctx, const Empty&) {
                                                         return read_list<db::Person>(ctx, &db::list_people);
                                                       }));
  r.add(make_operation<PersonKey, db::Person>(
      {"person.show", "Show a person", "", Access::read},
      [](Context& ctx, const PersonKey& q) { return services::get_person(ctx.db(), q.person); }));
  r.add(import_operation("person.import", services::ImportKind::people, "people"));
}

}  // namespace niikit::api
