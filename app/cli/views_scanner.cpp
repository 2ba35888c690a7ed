// Text views of the scanner and document operations: registry lines, the scanner sheet with
// its timeline and blockers, document records and their check.
#include <fmt/format.h>

#include "app/api/scanner_types.hpp"
#include "app/cli/views.hpp"
#include "app/domain/lifecycle.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }

std::string energy_text(const db::Scanner& s) {
  if (!s.energy_mev) return "—";
  return *s.energy_mev < 1.0 ? fmt::format("{:g} kV", *s.energy_mev * 1000) : fmt::format("{:g} MeV", *s.energy_mev);
}

void scanner_line(std::ostream& out, const db::Scanner& s, const char* headline) {
  out << fmt::format("{} {} ({} {}, {}), stage {}\n", headline, s.asset_tag, s.manufacturer, s.model,
                     s.site_name.empty() ? "no site" : s.site_name, s.stage);
}

void scanner_list(std::ostream& out, const std::vector<db::Scanner>& scanners) {
  reports::TextTable t{{"ASSET", "MANUFACTURER", "MODEL", "TECHNOLOGY", "ENERGY", "CONFIG", "SITE", "STAGE"}, {}, {}};
  for (const auto& s : scanners)
    t.rows.push_back({s.asset_tag, s.manufacturer, s.model, s.technology, energy_text(s), s.configuration,
                      or_dash(s.site_name), s.stage});
  out << t.render();
}

std::string stage_text(const db::Scanner& s) {
  const auto stage = domain::parse_stage(s.stage);
  const std::string label = stage ? std::string(domain::stage_info(*stage).label) : s.stage;
  return fmt::format("{} ({}), since {}", label, s.stage, s.stage_since_utc);
}

void scanner_sheet(std::ostream& out, const api::ScannerDetail& d) {
  const auto& s = d.scanner;
  out << reports::render_fields({{"Asset tag", s.asset_tag}, {"Scanner", s.manufacturer + " " + s.model},
                                 {"Serial", or_dash(s.serial)},
                                 {"Source", fmt::format("{}, {}{}", s.technology, energy_text(s),
                                                        s.dual_energy ? ", dual energy" : "")},
                                 {"Configuration", s.configuration}, {"Site", or_dash(s.site_name)},
                                 {"Software", or_dash(s.software_version)}, {"Firmware", or_dash(s.firmware_version)},
                                 {"Stage", stage_text(s)}});
  reports::TextTable t{{"WHEN (UTC)", "DECISION", "MOVE", "BY", "NOTE"}, {}, {}};
  for (const auto& x : d.timeline)
    t.rows.push_back({x.effective_at_utc, x.kind, fmt::format("{} → {}", x.from_stage.value_or("·"), x.to_stage),
                      x.decided_by_name.empty() ? "—" : fmt::format("{} ({})", x.decided_by_name, x.decided_role),
                      x.note});
  out << "\nTimeline\n" << t.render();
  reports::TextTable docs{{"ID", "KIND", "TITLE", "SHA-256"}, {}, {true}};
  for (const auto& x : d.documents) docs.rows.push_back({std::to_string(x.id), x.kind, x.title, x.sha256.substr(0, 12)});
  out << "\nDocuments\n" << docs.render();
  if (d.next_stage) {
    const auto& n = *d.next_stage;
    out << fmt::format("\nNext stage: {} — {}\n", n.stage, n.passed ? "gate holds" : "blocked:");
    for (const auto& c : n.gate.conditions)
      if (!c.holds) out << "  - " << c.why << (c.hint.empty() ? "" : "  [" + c.hint + "]") << "\n";
  }
}

void document_line(std::ostream& out, const db::Document& d, const char* headline) {
  out << fmt::format("{} {}: {} ({}), sha256 {}, {} bytes\n", headline, d.id, d.title, d.kind, d.sha256, d.size_bytes);
}

void document_list(std::ostream& out, const std::vector<db::Document>& docs) {
  reports::TextTable t{{"ID", "KIND", "TITLE", "FILE"}, {}, {true}};
  for (const auto& d : docs) t.rows.push_back({std::to_string(d.id), d.kind, d.title, d.file_path});
  out << t.render();
}

void document_check(std::ostream& out, const services::DocumentCheck& c) {
  const auto& d = c.document;
  out << reports::render_fields(
      {{"Document", std::to_string(d.id)}, {"Title", d.title}, {"Kind", d.kind}, {"File", d.file_path},
       {"SHA-256", d.sha256}, {"Size", fmt::format("{} bytes", d.size_bytes)}, {"Added", d.added_at_utc},
       {"Check", !c.file_present ? "FILE MISSING"
                 : c.hash_matches ? "file matches its recorded SHA-256"
                                  : "FILE CHANGED since it was recorded (now " + c.current_sha256 + ")"}});
}

}  // namespace

void add_scanner_views(ViewTable& t) {
  t.add<db::Scanner>("scanner.add", [](std::ostream& out, const db::Scanner& s) { scanner_line(out, s, "Registered scanner"); });
  t.add<db::Scanner>("scanner.edit", [](std::ostream& out, const db::Scanner& s) { scanner_line(out, s, "Updated scanner"); });
  t.add<std::vector<db::Scanner>>("scanner.list", scanner_list);
  t.add<api::ScannerDetail>("scanner.show", scanner_sheet);
  t.add<db::Document>("document.add", [](std::ostream& out, const db::Document& d) { document_line(out, d, "Added document"); });
  t.add<db::Document>("document.edit",
                      [](std::ostream& out, const db::Document& d) { document_line(out, d, "Updated document"); });
  t.add<std::vector<db::Document>>("document.list", document_list);
  t.add<services::DocumentCheck>("document.show", document_check);
}

}  // namespace niikit::cli
