// Acceptance reports say what the records say (issue 13): a retest marks the verdicts it carried
// over with their source session and witnesses, an open session's report is a DRAFT, unknown
// versions read "not recorded", kit warnings come once per cause, and XLSX cells hold numbers
// with their unit in a column of its own.
#define BOOST_TEST_MODULE acceptance_report
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "app/acceptance_fixture.hpp"
#include "app/services/acceptance_report.hpp"
#include "app/services/xlsx_reader.hpp"
#include "reports/writers.hpp"

using namespace niikit;
using namespace niikit::testing::acceptance;

namespace {

const reports::Table& table_of(const reports::Report& r, const std::string& section, const std::string& title = "") {
  for (const auto& s : r.sections)
    if (s.title.rfind(section, 0) == 0)
      for (const auto& b : s.blocks)
        if (const auto* t = std::get_if<reports::Table>(&b); t && (title.empty() || t->title == title)) return *t;
  BOOST_FAIL("no table in section " + section);
  static reports::Table none;
  return none;
}

const reports::TableRow& row_of(const reports::Table& t, const std::string& first_cell) {
  for (const auto& row : t.rows)
    if (!row.cells.empty() && row.cells[0] == first_cell) return row;
  BOOST_FAIL("no row " + first_cell);
  static reports::TableRow none;
  return none;
}

std::string cover(const reports::Report& r, const std::string& label) {
  for (const auto& [l, v] : r.cover_fields)
    if (l == label) return v;
  return "(absent)";
}

reports::Report report_of(db::Database& db, std::int64_t session) {
  auto r = services::build_acceptance_report(db, {"", "", session}, "2026-11-24T09:00:00Z");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return *r;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_retest_report_marks_carried_verdicts_with_their_session_and_witnesses, Fixture) {
  scanner("S1", "fat");
  const auto s1 = start("S1", "fat");
  measure_fat(s1, 280, 1);
  close(s1);
  // The retest is witnessed by Ama, not Kofi, and measures only the steel penetration again.
  auto s2 = services::start_session(db, {"S1", "fat", "plant", {"Ama"}, "Efua", s1});
  BOOST_REQUIRE(s2.has_value());
  measure(s2->id, "cargo.penetration.steel_mm", 310, "mm");
  close(s2->id);
  const auto r = report_of(db, s2->id);
  const auto& t = table_of(r, "Requirements");
  BOOST_REQUIRE(t.columns.size() == 9u);
  BOOST_TEST(t.columns[5].header == "Unit");
  const auto& steel = row_of(t, "IQ-01");
  BOOST_TEST(steel.cells[4] == "310");
  BOOST_TEST(steel.cells[5] == "mm");
  BOOST_TEST(steel.cells[6] == "pass");
  BOOST_TEST(steel.cells[7] == "IEC 62523 7.2 — manual: RadEye G-10");
  BOOST_TEST(steel.cells[8] == "Ama");
  const auto& throughput = row_of(t, "TP-01");
  BOOST_TEST(throughput.cells[6] == "pass (carried)");
  BOOST_TEST(throughput.cells[7] == fmt::format("1 h trial — carried from session {}", s1));
  BOOST_TEST(throughput.cells[8] == fmt::format("session {}: Kofi", s1));   // not the retest's witness
  BOOST_TEST(r.watermark.empty());
  BOOST_TEST(cover(r, "Software version") == "not recorded");
  BOOST_TEST(cover(r, "Firmware version") == "not recorded");
}

BOOST_FIXTURE_TEST_CASE(an_open_session_report_is_a_draft_on_every_format, Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  measure(s, "throughput.scans_per_h", 24, "scans/h");
  const auto r = report_of(db, s);
  BOOST_TEST(r.watermark == "DRAFT");
  BOOST_TEST(r.title.rfind("DRAFT — ", 0) == 0u, r.title);
  close(s);
  BOOST_TEST(report_of(db, s).watermark.empty());
}

BOOST_FIXTURE_TEST_CASE(xlsx_cells_hold_numbers_with_the_unit_beside_them, Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  measure_fat(s, 312.5, 1);
  close(s);
  const std::string path = dir.file("fat.xlsx");
  BOOST_REQUIRE(reports::write_report(report_of(db, s), reports::Format::xlsx, path, reports::default_template_dir()));
  auto sheet = services::read_xlsx_sheet(path, "Requirements and verdicts");
  BOOST_REQUIRE(sheet.has_value());
  bool found = false;
  for (const auto& row : sheet->rows) {
    auto id = row.cells.find(0);
    if (id == row.cells.end() || id->second.text != "IQ-01") continue;
    found = true;
    BOOST_TEST((row.cells.at(4).kind == services::XlsxCell::Kind::number));
    BOOST_TEST(row.cells.at(4).number == 312.5);
    BOOST_TEST(row.cells.at(5).text == "mm");
  }
  BOOST_TEST(found);
}

BOOST_FIXTURE_TEST_CASE(kit_warnings_are_summarised_once_per_cause, Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  testing::write_file(dir.file("scan.tiff"), "only hashed");
  testing::write_file(dir.file("result.json"), R"json({"kit_id": "cargo", "kit_version": "1.0", "tests": [
    {"test_id": "penetration", "title": "Steel penetration", "status": "ran", "verdict": "pass",
     "metrics": [{"key": "cargo.penetration.steel_mm", "value": 320, "unit": "mm"}],
     "warnings": ["step 3: starved (mean 12 counts)", "step 4: starved (mean 9 counts)", "lead block tilted"]},
    {"test_id": "wire", "title": "Wire detection", "status": "ran", "verdict": "pass", "metrics": [],
     "warnings": ["step 5: starved (mean 3 counts)"]}]})json");
  services::KitRunRequest k;
  k.session_id = s;
  k.kit_id = "cargo";
  k.image_path = dir.file("scan.tiff");
  k.result_json_path = dir.file("result.json");
  k.by = "Efua";
  BOOST_REQUIRE(services::add_kit_run(db, k).has_value());
  const auto r = report_of(db, s);
  const auto& w = table_of(r, "Kit run 1", "Kit warnings");
  BOOST_REQUIRE(w.rows.size() == 2u);
  BOOST_TEST(w.rows[0].cells[0] == "step 3: starved (mean 12 counts)");
  BOOST_TEST(w.rows[0].cells[1] == "3");
  BOOST_TEST(w.rows[0].cells[2] == "Steel penetration, Wire detection");
  BOOST_TEST(w.rows[1].cells[0] == "lead block tilted");
  BOOST_TEST(w.rows[1].cells[1] == "1");
}
