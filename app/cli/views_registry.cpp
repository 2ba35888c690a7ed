// Text views of the registry operations (sites, people, imports).
#include <fmt/format.h>

#include "app/api/registry_types.hpp"
#include "app/cli/views.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }

void import_view(std::ostream& out, const api::ImportReply& r) {
  for (const auto& e : r.errors) out << e.message << "\n";
  if (r.errors.empty()) out << fmt::format("Imported {} row(s) from {}\n", r.stored, r.file);
}

void site_line(std::ostream& out, const db::Site& s, const char* headline) {
  out << fmt::format("{} {} ({}, {}), id {}\n", headline, s.name, s.site_type, s.country, s.id);
}

void person_line(std::ostream& out, const db::Person& p, const char* headline) {
  out << fmt::format("{} {} ({}), id {}\n", headline, p.name, p.role, p.id);
}

}  // namespace

void add_registry_views(ViewTable& t) {
  for (const char* op : {"site.import", "person.import", "scanner.import"}) {
    t.add<api::ImportReply>(op, import_view);
    t.details_of_failure(op);   // rejected rows are the error's detail: stderr
  }
  t.add<db::Site>("site.add", [](std::ostream& out, const db::Site& s) { site_line(out, s, "Added site"); });
  t.add<db::Site>("site.edit", [](std::ostream& out, const db::Site& s) { site_line(out, s, "Updated site"); });
  t.add<std::vector<db::Site>>("site.list", [](std::ostream& out, const std::vector<db::Site>& sites) {
    reports::TextTable table{{"ID", "NAME", "COUNTRY", "TYPE"}, {}, {true}};
    for (const auto& s : sites) table.rows.push_back({std::to_string(s.id), s.name, s.country, s.site_type});
    out << table.render();
  });
  t.add<api::SiteDetail>("site.show", [](std::ostream& out, const api::SiteDetail& d) {
    reports::TextTable table{{"ASSET", "MODEL", "STAGE"}, {}, {}};
    for (const auto& s : d.scanners) table.rows.push_back({s.asset_tag, s.model, s.stage});
    out << reports::render_fields({{"Site", d.site.name}, {"Country", d.site.country}, {"Type", d.site.site_type}})
        << "\nScanners\n" << table.render();
  });
  t.add<db::Person>("person.add", [](std::ostream& out, const db::Person& p) { person_line(out, p, "Added person"); });
  t.add<db::Person>("person.edit", [](std::ostream& out, const db::Person& p) { person_line(out, p, "Updated person"); });
  t.add<std::vector<db::Person>>("person.list", [](std::ostream& out, const std::vector<db::Person>& people) {
    reports::TextTable table{{"ID", "NAME", "ROLE", "ORGANISATION"}, {}, {true}};
    for (const auto& p : people) table.rows.push_back({std::to_string(p.id), p.name, p.role, or_dash(p.organisation)});
    out << table.render();
  });
  t.add<db::Person>("person.show", [](std::ostream& out, const db::Person& p) {
    out << reports::render_fields({{"Name", p.name}, {"Role", p.role}, {"Organisation", or_dash(p.organisation)},
                                   {"E-mail", or_dash(p.email)}, {"OS account", or_dash(p.os_user)},
                                   {"Since", p.created_at_utc}});
  });
}

}  // namespace niikit::cli
