#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "app/services/csv.hpp"
#include "app/services/import_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/registry.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

BOOST_AUTO_TEST_CASE(csv_handles_quotes_crlf_bom_and_reports_bad_shapes) {
  auto t = services::parse_csv("\xEF\xBB\xBF" "Name, Note\r\n\"Port, Tema\",\"said \"\"hi\"\"\nthere\"\r\n\r\nB,x\n", "f.csv");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->header == (std::vector<std::string>{"name", "note"}));
  BOOST_REQUIRE(t->records.size() == 2u);
  BOOST_TEST(t->records[0].fields[0] == "Port, Tema");
  BOOST_TEST(t->records[0].fields[1] == "said \"hi\"\nthere");
  BOOST_TEST(t->records[1].line == 5);
  BOOST_TEST(services::parse_csv("a,b\n1\n", "f.csv").error().message == "f.csv line 2: 1 fields, the header has 2");
  BOOST_TEST(services::parse_csv("a\n\"open\n", "f.csv").error().message == "f.csv line 2: unterminated quoted field");
  BOOST_TEST(services::parse_csv("", "f.csv").error().code == ErrorCode::input);
}

namespace {
std::int64_t count(db::Database& db, const std::string& table) {
  SQLite::Statement q(db.sql(), "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}
const char* header =
    "asset_tag,manufacturer,model,technology,energy_mev,configuration,dual_energy,site,stage,stage_since\n";
}  // namespace

BOOST_AUTO_TEST_CASE(a_fleet_imports_each_scanner_at_its_real_stage) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  BOOST_REQUIRE(services::add_site(db, "t", {{"name", "Tema"}, {"country", "GH"}, {"site_type", "seaport"}}).has_value());
  testing::write_file(dir.file("fleet.csv"), std::string(header) +
                                                 "A1,ScanCorp,CX,linac,6,portal,yes,Tema,in_service,2021-05-03\n"
                                                 "A2,Bagtek,XB,x-ray tube,0.16,cabinet,no,,deployment,2026-09-01\n");
  auto r = services::import_csv(db, "t", services::ImportKind::scanners, dir.file("fleet.csv"));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->errors.empty());
  BOOST_TEST(r->stored == 2);
  auto a1 = services::get_scanner(db, "A1");
  BOOST_TEST(a1->stage == "in_service");
  BOOST_TEST(a1->stage_since_utc == "2021-05-03T00:00:00Z");
  auto decisions = db::decisions_for_scanner(db.sql(), a1->id);
  BOOST_REQUIRE(decisions.size() == 1u);
  BOOST_TEST(decisions[0].kind == "import");
  BOOST_TEST(decisions[0].effective_at_utc == "2021-05-03T00:00:00Z");
  BOOST_TEST(decisions[0].decided_at_utc == "2026-11-24T09:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_batch_with_bad_rows_reports_every_one_and_stores_none) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  testing::write_file(dir.file("fleet.csv"), std::string(header) +
                                                 "B1,ScanCorp,CX,linac,6,portal,yes,,in_service,2021-05-03\n"
                                                 "B2,ScanCorp,CX,laser,6,portal,yes,,in_service,2021-05-03\n"
                                                 "B3,ScanCorp,CX,linac,6x,portal,yes,,in_service,2021-05-03\n"
                                                 "B1,ScanCorp,CX,linac,6,portal,yes,,in_service,2021-05-03\n"
                                                 "B5,ScanCorp,CX,linac,6,portal,yes,Nowhere,fat,2021-05-03\n"
                                                 "B6,ScanCorp,CX,linac,6,portal,yes,,retired,2021-05-03\n"
                                                 "B7,ScanCorp,CX,linac,6,portal,yes,,fat,2021-02-30\n"
                                                 "B8,ScanCorp,CX,linac,6,portal,yes,,fat,2030-01-01\n"
                                                 "B9,ScanCorp,CX,linac,6,portal,yes,,fat,2021-05-03\n");
  const auto audit_before = count(db, "audit_log");
  auto r = services::import_csv(db, "t", services::ImportKind::scanners, dir.file("fleet.csv"));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->stored == 0);
  BOOST_REQUIRE(r->errors.size() == 7u);
  const std::string f = dir.file("fleet.csv");
  BOOST_TEST(r->errors[0].message == f + " line 3: technology 'laser': expected one of linac, betatron, xray_tube, co60, cs137");
  BOOST_TEST(r->errors[1].message == f + " line 4: energy_mev '6x': not a number");
  BOOST_TEST(r->errors[2].message == f + " line 5: scanner 'B1': already exists");
  BOOST_TEST(r->errors[3].message == f + " line 6: site 'Nowhere': not found");
  BOOST_TEST(r->errors[4].message == f + " line 7: stage 'retired': unknown stage code");
  BOOST_TEST(r->errors[5].message == f + " line 8: stage_since '2021-02-30': expected YYYY-MM-DD");
  BOOST_TEST(r->errors[6].message == f + " line 9: stage_since 2030-01-01: in the future");
  BOOST_TEST(count(db, "scanners") == 0);
  BOOST_TEST(count(db, "decisions") == 0);
  BOOST_TEST(count(db, "audit_log") == audit_before);
}

BOOST_AUTO_TEST_CASE(file_level_problems_are_errors) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  auto none = services::import_csv(db, "t", services::ImportKind::sites, dir.file("none.csv"));
  BOOST_TEST(none.error().code == ErrorCode::not_found);
  testing::write_file(dir.file("s.csv"), "name,country,colour\nA,GH,red\n");
  auto unknown = services::import_csv(db, "t", services::ImportKind::sites, dir.file("s.csv"));
  BOOST_TEST(unknown.error().message == dir.file("s.csv") + ": unknown column 'colour'");
  testing::write_file(dir.file("p.csv"), "name\nA\n");
  auto required = services::import_csv(db, "t", services::ImportKind::people, dir.file("p.csv"));
  BOOST_TEST(required.error().message == dir.file("p.csv") + ": required column 'role' missing");
  testing::write_file(dir.file("e.csv"), "name,role\n");
  BOOST_TEST(services::import_csv(db, "t", services::ImportKind::people, dir.file("e.csv")).error().message ==
             dir.file("e.csv") + ": no data rows");
}
