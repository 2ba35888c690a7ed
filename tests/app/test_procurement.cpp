// Procurements and versioned specifications: import (JSON, XLSX), drafts and versions, freezing
// and its refusal, frozen immutability, round trips, broken files, the shipped catalogue.
#define BOOST_TEST_MODULE procurement
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <set>

#include "app/domain/measurement_keys.hpp"
#include "app/domain/requirements.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/requirements_xlsx.hpp"
#include "app/services/xlsx_reader.hpp"
#include "db/audit.hpp"
#include "db/procurement.hpp"
#include "support/test_db.hpp"
#include "testkits/kits/kit.hpp"

using namespace niikit;
using niikit::testing::TempDir;

namespace {

std::int64_t count(db::Database& db, const std::string& table) {
  SQLite::Statement q(db.sql(), "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

const char* kSpecV1 = R"({"requirements": [
  {"id": "IQ-01", "text": "Steel penetration", "category": "image_quality", "metric_key": "cargo.penetration.steel_mm",
   "comparator": ">=", "target": 300, "unit": "mm", "method": "IEC 62523 steel penetration", "verified_at": ["fat", "sat"]},
  {"id": "RAD-01", "text": "Boundary dose rate", "category": "radiation", "metric_key": "radiation.dose_rate.boundary_usv_h",
   "comparator": "<=", "target": 2.5, "unit": "uSv/h", "method": "IEC 62523 survey", "verified_at": ["sat"]},
  {"id": "SW-01", "text": "UFF export", "category": "data_format", "mandatory": false, "metric_key": "software.uff_export",
   "comparator": "true", "method": "WCO UFF", "verified_at": ["fat"]}]})";

// A database with a person, a scanner and procurement P-1.
struct Fixture {
  TempDir dir;
  db::Database db = testing::fresh_db(dir);
  Fixture() {
    BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Ama Mensah"}, {"role", "procurement"}}).has_value());
    BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", "GH-TEM-03"}, {"manufacturer", "ScanCorp"},
                                                  {"model", "CX"}, {"technology", "linac"}, {"configuration", "portal"}})
                      .has_value());
    BOOST_REQUIRE(services::add_procurement(db, "t", {"P-1", "Cargo scanners for Tema", "", "2500000.50", "usd"})
                      .has_value());
  }
  std::string write(const std::string& name, const std::string& text) const {
    testing::write_file(dir.file(name), text);
    return dir.file(name);
  }
  void audit_ok() {
    auto report = db::verify_audit(db.sql());
    BOOST_REQUIRE(report.has_value());
    for (const auto& p : report->problems) BOOST_TEST_MESSAGE(p.message);
    BOOST_TEST(report->ok());
  }
};

std::vector<domain::Requirement> parse(const std::string& json) {
  auto r = domain::parse_requirements_json(json, "test");
  BOOST_REQUIRE(r.has_value());
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_budget_is_stored_exactly_in_minor_units_of_its_currency) {
  Fixture f;
  auto p = services::show_procurement(f.db, "P-1");
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(*p->procurement.budget_minor == 250000050);
  BOOST_TEST(p->procurement.currency == "USD");
  BOOST_TEST(services::format_budget(p->procurement) == "2 500 000.50 USD");
  auto xof = services::add_procurement(f.db, "t", {"P-2", "Portables", "", "1000.5", "XOF"});
  BOOST_REQUIRE(!xof.has_value());
  BOOST_TEST(xof.error().message == "procurement P-2: budget '1000.5': XOF has 0 decimal place(s)");
  BOOST_TEST(services::add_procurement(f.db, "t", {"P-1", "Again", "", "", ""}).error().code == ErrorCode::conflict);
  BOOST_TEST(services::add_procurement(f.db, "t", {"P-3", "x", "", "12", ""}).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(imports_replace_the_draft_until_a_freeze_then_start_the_next_version) {
  Fixture f;
  auto first = services::import_specification(f.db, "t", "P-1", f.write("v1.json", kSpecV1));
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->errors.empty());
  BOOST_TEST(first->specification.version == 1);
  BOOST_TEST(first->specification.status == "draft");
  BOOST_TEST(!first->replaced_draft);
  BOOST_TEST(first->rows == 3);

  // A second import replaces the draft's requirements; still version 1.
  std::string edited = kSpecV1;
  edited.replace(edited.find("\"target\": 300"), 13, "\"target\": 350");
  auto second = services::import_specification(f.db, "t", "P-1", f.write("v1b.json", edited));
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->replaced_draft);
  BOOST_TEST(second->specification.version == 1);
  BOOST_TEST(second->specification.source_file == "v1b.json");
  BOOST_TEST(count(f.db, "specifications") == 1);
  BOOST_TEST(count(f.db, "spec_requirements") == 3);

  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-1", "GH-TEM-03").has_value());
  const auto scanner_id = services::get_scanner(f.db, "GH-TEM-03")->id;
  BOOST_TEST(!db::specification_for_scanner(f.db.sql(), scanner_id).has_value());  // nothing frozen yet
  auto status = db::specification_status_by_scanner(f.db.sql());
  BOOST_TEST(status.at(scanner_id).frozen == false);
  BOOST_TEST(status.at(scanner_id).version == 1);

  auto frozen = services::freeze_specification(f.db, "t", "P-1", "Ama Mensah");
  BOOST_REQUIRE(frozen.has_value());
  BOOST_TEST(frozen->frozen);
  BOOST_TEST(frozen->view.specification.status == "frozen");
  BOOST_TEST(frozen->view.specification.frozen_by_name == "Ama Mensah");
  BOOST_TEST(*frozen->view.specification.frozen_at_utc == "2026-11-24T09:00:00Z");
  const auto v1 = parse(edited);
  BOOST_TEST(frozen->view.specification.requirements_sha256 == domain::requirements_sha256(v1));
  BOOST_TEST(frozen->view.specification.requirements_sha256.size() == 64u);

  auto spec = db::specification_for_scanner(f.db.sql(), scanner_id);
  BOOST_REQUIRE(spec.has_value());
  BOOST_TEST(spec->procurement_reference == "P-1");
  BOOST_TEST(spec->version == 1);
  BOOST_TEST(domain::requirements_to_json(services::from_rows(spec->requirements)) == domain::requirements_to_json(v1));
  BOOST_TEST(spec->requirements[0].target == 350.0);

  // After the freeze an import starts version 2; version 1 stays as frozen, and acceptance
  // keeps judging against it until version 2 is frozen.
  auto third = services::import_specification(f.db, "t", "P-1", f.write("v2.json", kSpecV1));
  BOOST_REQUIRE(third.has_value());
  BOOST_TEST(!third->replaced_draft);
  BOOST_TEST(third->specification.version == 2);
  auto old = services::get_specification(f.db, "P-1", 1);
  BOOST_TEST(old->specification.status == "frozen");
  BOOST_TEST(domain::requirements_to_json(old->requirements) == domain::requirements_to_json(v1));
  BOOST_TEST(db::specification_for_scanner(f.db.sql(), scanner_id)->version == 1);
  status = db::specification_status_by_scanner(f.db.sql());
  BOOST_TEST(status.at(scanner_id).frozen);
  BOOST_TEST(status.at(scanner_id).version == 1);
  BOOST_TEST(services::get_specification(f.db, "P-1", std::nullopt)->specification.version == 2);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(a_frozen_version_cannot_be_changed_even_past_the_service) {
  Fixture f;
  BOOST_REQUIRE(services::import_specification(f.db, "t", "P-1", f.write("v1.json", kSpecV1)).has_value());
  BOOST_REQUIRE(services::freeze_specification(f.db, "t", "P-1", "Ama Mensah")->frozen);
  auto view = services::get_specification(f.db, "P-1", 1);
  const auto before = domain::requirements_to_json(view->requirements);
  const auto spec_id = view->specification.id;

  auto again = services::freeze_specification(f.db, "t", "P-1", "Ama Mensah");
  BOOST_REQUIRE(!again.has_value());
  BOOST_TEST(again.error().code == ErrorCode::conflict);
  BOOST_TEST(again.error().message == "procurement P-1 version 1: already frozen; `spec import` starts version 2");

  // Repository calls that bypass the service are stopped by the schema's triggers.
  auto replaced = f.db.write("t", [&](db::WriteTx& tx) -> Status {
    return services::store_requirements(tx, spec_id, parse(kSpecV1));
  });
  BOOST_TEST(!replaced.has_value());
  auto reopened = f.db.write("t", [&](db::WriteTx& tx) -> Status {
    auto s = *db::find_specification_by_id(tx.sql(), spec_id);
    s.status = "draft";
    s.frozen_at_utc.reset();
    s.frozen_by.reset();
    s.requirements_sha256.clear();
    return db::update_specification(tx, s);
  });
  BOOST_TEST(!reopened.has_value());
  BOOST_CHECK_THROW(f.db.sql().exec("UPDATE spec_requirements SET target_in_unit = 1"), SQLite::Exception);
  BOOST_CHECK_THROW(f.db.sql().exec("DELETE FROM spec_requirements"), SQLite::Exception);
  BOOST_CHECK_THROW(f.db.sql().exec("DELETE FROM specifications"), SQLite::Exception);

  view = services::get_specification(f.db, "P-1", 1);
  BOOST_TEST(view->specification.status == "frozen");
  BOOST_TEST(domain::requirements_to_json(view->requirements) == before);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(freezing_is_refused_listing_every_mandatory_requirement_without_method_or_phase) {
  Fixture f;
  const char* gaps = R"({"requirements": [
    {"id": "A", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 1, "verified_at": ["fat"]},
    {"id": "B", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 1, "method": "m", "verified_at": []},
    {"id": "C", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 1, "method": "  "},
    {"id": "D", "text": "t", "category": "other", "mandatory": false, "metric_key": "portable.organic.snr", "comparator": ">=", "target": 1},
    {"id": "E", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 1, "method": "m", "verified_at": ["sat"]}]})";
  auto imported = services::import_specification(f.db, "t", "P-1", f.write("gaps.json", gaps));
  BOOST_REQUIRE(imported.has_value());
  BOOST_TEST(imported->errors.empty());
  // Warned at import (not refused): the three gaps.
  BOOST_TEST(imported->warnings.size() == 3u);

  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-1", "GH-TEM-03").has_value());
  const auto scanner_id = services::get_scanner(f.db, "GH-TEM-03")->id;
  BOOST_TEST(db::specification_status_by_scanner(f.db.sql()).at(scanner_id).mandatory_without_method == 3);

  auto r = services::freeze_specification(f.db, "t", "P-1", "Ama Mensah");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(!r->frozen);
  BOOST_REQUIRE(r->gaps.size() == 3u);
  BOOST_TEST(r->gaps[0].requirement_id == "A");
  BOOST_TEST(r->gaps[0].problem == "mandatory requirement has no test method");
  BOOST_TEST(r->gaps[1].requirement_id == "B");
  BOOST_TEST(r->gaps[1].problem == "mandatory requirement has no verification phase (verified_at)");
  BOOST_TEST(r->gaps[2].requirement_id == "C");
  BOOST_TEST(r->gaps[2].problem == "mandatory requirement has no test method and no verification phase");
  BOOST_TEST(services::get_specification(f.db, "P-1", 1)->specification.status == "draft");
  BOOST_TEST(services::freeze_specification(f.db, "t", "P-1", "Nobody").error().code == ErrorCode::not_found);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(json_to_xlsx_to_json_is_lossless) {
  TempDir dir;
  auto list = services::load_catalogue("cargo");
  BOOST_REQUIRE(list.has_value());
  auto extra = parse(R"({"requirements": [
    {"id": "X-1", "text": "=SUM(A1) \"quoted\", µSv/h ≤ 1.0\nsecond line", "category": "other", "mandatory": false,
     "metric_key": "portable.aspect.ratio", "comparator": "==", "target": 1, "tolerance": 0.05, "unit": "",
     "method": "", "verified_at": []},
    {"id": "X-2", "text": "small and odd numbers", "category": "other", "metric_key": "k", "comparator": "<",
     "target": 1.2345678901234e-7, "unit": "Gy", "method": "m", "verified_at": ["review", "fat"]},
    {"id": "0042", "text": "numeric-looking id", "category": "other", "metric_key": "k", "comparator": ">",
     "target": -12345.6789, "unit": "", "method": "m", "verified_at": ["periodic", "return_to_service"]}]})");
  list->insert(list->end(), extra.begin(), extra.end());
  BOOST_REQUIRE(services::write_requirements_xlsx(*list, {"round trip", "", "", 0, "", "", "", ""}, dir.file("r.xlsx")));
  auto back = services::read_requirements_xlsx(dir.file("r.xlsx"));
  BOOST_REQUIRE(back.has_value());
  for (const auto& e : back->errors) BOOST_TEST_MESSAGE(e);
  BOOST_TEST(back->errors.empty());
  BOOST_TEST(back->rows == static_cast<int>(list->size()));
  BOOST_TEST(domain::requirements_to_json(back->requirements) == domain::requirements_to_json(*list));
  BOOST_TEST(!std::filesystem::exists(dir.file(".tmp-r.xlsx")));
}

BOOST_AUTO_TEST_CASE(an_xlsx_import_exports_back_to_the_same_json) {
  Fixture f;
  BOOST_REQUIRE(services::copy_catalogue("portable", f.dir.file("portable.xlsx")));
  auto imported = services::import_specification(f.db, "t", "P-1", f.dir.file("portable.xlsx"));
  BOOST_REQUIRE(imported.has_value());
  BOOST_TEST(imported->errors.empty());
  BOOST_TEST(imported->warnings.empty());
  BOOST_REQUIRE(services::export_specification(f.db, "P-1", std::nullopt, services::SpecFormat::json,
                                               f.dir.file("out.json")));
  auto catalogue = services::load_catalogue("portable");
  BOOST_TEST(testing::read_file(f.dir.file("out.json")) == domain::requirements_to_json(*catalogue));
  // And the XLSX export reads back to the same list.
  BOOST_REQUIRE(services::export_specification(f.db, "P-1", 1, services::SpecFormat::xlsx, f.dir.file("out.xlsx")));
  auto again = services::read_requirements_xlsx(f.dir.file("out.xlsx"));
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(domain::requirements_to_json(again->requirements) == domain::requirements_to_json(*catalogue));
  auto sheet = services::read_xlsx_sheet(f.dir.file("out.xlsx"), "About");
  BOOST_REQUIRE(sheet.has_value());
  BOOST_TEST(sheet->name == "About");
  BOOST_TEST(sheet->rows[0].cells.at(1).text == "Specification P-1 version 1");
}

namespace {
// A hand-made workbook as a user might fill it in: columns in another order, a blank row, text
// where numbers belong, mistakes in several rows.
void write_user_workbook(const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* notes = workbook_add_worksheet(wb, "Notes");
  worksheet_write_string(notes, 0, 0, "ignored", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Requirements");
  const char* header[] = {"ID", "Metric key", "Comparator", "Target", "Text", "Category", "Mandatory", "Method",
                          "Verified at"};
  for (int c = 0; c < 9; ++c) worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
  auto row = [&](lxw_row_t r, const char* id, const char* cmp, const char* target, const char* category,
                 const char* mandatory, const char* phases) {
    worksheet_write_string(ws, r, 0, id, nullptr);
    worksheet_write_string(ws, r, 1, "cargo.penetration.steel_mm", nullptr);
    worksheet_write_string(ws, r, 2, cmp, nullptr);
    if (target) worksheet_write_string(ws, r, 3, target, nullptr);
    worksheet_write_string(ws, r, 4, "Steel penetration", nullptr);
    worksheet_write_string(ws, r, 5, category, nullptr);
    worksheet_write_string(ws, r, 6, mandatory, nullptr);
    worksheet_write_string(ws, r, 7, "IEC 62523", nullptr);
    worksheet_write_string(ws, r, 8, phases, nullptr);
  };
  row(1, "IQ-01", ">=", "300", "image_quality", "yes", "fat, sat");     // good (number typed as text)
  row(2, "IQ-02", ">=", "abc", "image_quality", "yes", "fat");          // row 3: target
  // row 4 left blank
  row(4, "IQ-03", "about", "3", "colour", "maybe", "factory");          // row 5: four cells
  row(5, "IQ-01", "at least", "250", "image_quality", "no", "sat");     // row 6: duplicate id
  row(6, "IQ-05", "<=", nullptr, "image_quality", "yes", "fat");        // row 7: target missing
  worksheet_write_number(ws, 7, 0, 6, nullptr);                          // row 8: numeric id, good
  worksheet_write_string(ws, 7, 1, "radiation.dose_rate.boundary_usv_h", nullptr);
  worksheet_write_string(ws, 7, 2, "<=", nullptr);
  worksheet_write_number(ws, 7, 3, 2.5, nullptr);
  worksheet_write_string(ws, 7, 4, "Boundary dose rate", nullptr);
  worksheet_write_string(ws, 7, 5, "Radiation", nullptr);
  worksheet_write_boolean(ws, 7, 6, 1, nullptr);
  workbook_close(wb);
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_bad_xlsx_cell_is_reported_with_row_and_column_and_nothing_is_stored) {
  Fixture f;
  const std::string path = f.dir.file("spec.xlsx");
  write_user_workbook(path);
  auto r = services::import_specification(f.db, "t", "P-1", path);
  BOOST_REQUIRE(r.has_value());
  const std::vector<std::string> want{
      path + " row 3 column 'target': 'abc' is not a number",
      path + " row 5 column 'category': 'colour' is not one of image_quality, radiation, throughput, availability, "
             "software, data_format, functional, other",
      path + " row 5 column 'mandatory': 'maybe' is not yes or no",
      path + " row 5 column 'comparator': 'about' is not one of >=, >, <=, <, ==, true",
      path + " row 5 column 'verified_at': 'factory' is not one of fat, sat, periodic, return_to_service, review",
      path + " row 6 column 'id': duplicate id 'IQ-01' (first on row 2)",
      path + " row 7 column 'target': missing (required unless the comparator is 'true')",
  };
  BOOST_TEST(r->errors == want, boost::test_tools::per_element());
  BOOST_TEST(count(f.db, "specifications") == 0);
  BOOST_TEST(count(f.db, "spec_requirements") == 0);

  // The good rows on their own read as expected (header order and case do not matter).
  auto read = services::read_requirements_xlsx(path);
  BOOST_REQUIRE(read.has_value());
  BOOST_TEST(read->rows == 6);
}

BOOST_AUTO_TEST_CASE(broken_files_are_refused_naming_the_file_and_nothing_is_stored) {
  Fixture f;
  // Not a ZIP archive.
  auto notzip = services::import_specification(f.db, "t", "P-1", f.write("fake.xlsx", "id,text\n1,2\n"));
  BOOST_REQUIRE(!notzip.has_value());
  BOOST_TEST(notzip.error().code == ErrorCode::input);
  BOOST_TEST(notzip.error().message == f.dir.file("fake.xlsx") + ": not an .xlsx workbook (not a ZIP archive)");
  // Truncated workbook.
  BOOST_REQUIRE(services::copy_catalogue("cargo", f.dir.file("good.xlsx")));
  auto bytes = testing::read_file(f.dir.file("good.xlsx"));
  auto cut = services::import_specification(f.db, "t", "P-1", f.write("cut.xlsx", bytes.substr(0, bytes.size() / 2)));
  BOOST_REQUIRE(!cut.has_value());
  BOOST_TEST(cut.error().code == ErrorCode::input);
  // A JSON row with a bad field: the row and field are named.
  auto json = services::import_specification(
      f.db, "t", "P-1",
      f.write("bad.json", R"({"requirements": [{"id": "A", "text": "t", "category": "other", "metric_key": "k",
        "comparator": ">=", "target": 1}, {"id": "B", "text": "t", "category": "other", "metric_key": "k",
        "comparator": ">=", "target": "abc"}]})"));
  BOOST_REQUIRE(json.has_value());
  BOOST_REQUIRE(json->errors.size() == 1u);
  BOOST_TEST(json->errors[0] == f.dir.file("bad.json") + ": requirement 2 (B): field 'target' must be a number");
  BOOST_TEST(services::import_specification(f.db, "t", "P-1", f.write("spec.csv", "x")).error().code == ErrorCode::usage);
  BOOST_TEST(services::import_specification(f.db, "t", "P-9", f.write("ok.json", kSpecV1)).error().code ==
             ErrorCode::not_found);
  BOOST_TEST(count(f.db, "specifications") == 0);
  BOOST_TEST(count(f.db, "spec_requirements") == 0);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(the_shipped_catalogues_parse_use_known_keys_and_units_and_can_be_frozen) {
  std::map<std::string, std::string> kit_units;
  for (const auto& kit : testkits::kits::kit_registry())
    for (const auto& test : kit.tests)
      for (const auto& m : test.metrics) kit_units[m.key] = m.unit;
  for (const auto& kit : services::catalogue_kits()) {
    BOOST_TEST_CONTEXT(kit) {
      auto text = testing::read_file(services::catalogue_path(kit));
      auto list = domain::parse_requirements_json(text, kit);
      BOOST_REQUIRE(list.has_value());
      BOOST_TEST(list->size() >= 10u);
      BOOST_TEST(services::unknown_metric_key_warnings(*list).empty());
      BOOST_TEST(domain::verification_gaps(*list).empty());
      std::set<std::string> categories;
      for (const auto& r : *list) {
        BOOST_TEST_CONTEXT(r.id) {
          categories.insert(r.category);
          if (const auto* m = domain::find_measurement_key(r.metric_key)) {
            BOOST_TEST(r.unit == std::string(m->unit));
            BOOST_TEST(r.category == std::string(m->category));
          } else {
            BOOST_TEST(r.metric_key.rfind(kit + ".", 0) == 0u);   // the kit's own image-quality keys
            BOOST_REQUIRE(kit_units.count(r.metric_key) == 1u);
            BOOST_TEST(r.unit == kit_units[r.metric_key]);
          }
        }
      }
      BOOST_TEST(categories.count("image_quality") == 1u);
      BOOST_TEST(categories.count("radiation") == 1u);
    }
  }
  // The cargo catalogue carries the DESIGN §2 defaults.
  auto cargo = *services::load_catalogue("cargo");
  auto find = [&](const std::string& key) {
    return *std::find_if(cargo.begin(), cargo.end(), [&](const auto& r) { return r.metric_key == key; });
  };
  BOOST_TEST(find("radiation.dose_rate.boundary_usv_h").target == 2.5);
  BOOST_TEST(find("radiation.dose_rate.operator_usv_h").target == 1.0);
  BOOST_TEST(find("availability.uptime_pct").target == 95.0);
  BOOST_TEST((find("software.uff_export").comparator == domain::Comparator::is_true));
  auto portable = *services::load_catalogue("portable");
  const auto neq = *std::find_if(portable.begin(), portable.end(),
                                 [](const auto& r) { return r.metric_key == "portable.neq.n4255_1lpmm"; });
  BOOST_TEST(neq.target == 22500.0);
}

BOOST_AUTO_TEST_CASE(unknown_metric_keys_are_warned_about_not_refused) {
  BOOST_TEST(services::is_known_metric_key("cargo.wire.cu_behind_fe150_mm"));
  BOOST_TEST(services::is_known_metric_key("functional.interlocks"));
  BOOST_TEST(!services::is_known_metric_key("cargo.wire.cu_behind_feX_mm"));
  auto w = services::unknown_metric_key_warnings(parse(R"({"requirements": [{"id": "Z", "text": "t",
      "category": "other", "metric_key": "cargo.colour", "comparator": ">=", "target": 1}]})"));
  BOOST_REQUIRE(w.size() == 1u);
  BOOST_TEST(w[0] == "Z: metric key 'cargo.colour' is produced by no kit and is no manual measurement key; no result "
                     "will ever be judged against it");
}

BOOST_AUTO_TEST_CASE(manual_measurements_are_checked_against_their_key) {
  BOOST_TEST(domain::check_measurement("availability.uptime_pct", 96.5).has_value());
  BOOST_TEST(domain::check_measurement("availability.uptime_pct", 120).error().message ==
             "measurement availability.uptime_pct: 120 is outside 0..100 %");
  BOOST_TEST(domain::check_measurement("functional.interlocks", 1).has_value());
  BOOST_TEST(domain::check_measurement("functional.interlocks", 0.5).error().message ==
             "measurement functional.interlocks: 0.5 must be 1 (yes) or 0 (no)");
  BOOST_TEST(domain::check_measurement("radiation.dose_rate.boundary_usv_h", -1).error().code == ErrorCode::input);
  BOOST_TEST(domain::check_measurement("radiation.colour", 1).error().code == ErrorCode::input);
  std::set<std::string_view> keys;
  for (const auto& k : domain::measurement_keys()) {
    BOOST_TEST(keys.insert(k.key).second);
    const auto& cats = domain::requirement_categories();
    BOOST_TEST((std::find(cats.begin(), cats.end(), k.category) != cats.end()), k.key);
  }
}

BOOST_AUTO_TEST_CASE(a_scanner_belongs_to_at_most_one_procurement) {
  Fixture f;
  BOOST_REQUIRE(services::add_procurement(f.db, "t", {"P-2", "Second", "", "", ""}).has_value());
  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-1", "GH-TEM-03").has_value());
  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-1", "GH-TEM-03").has_value());  // no change
  auto other = services::link_scanner_to_procurement(f.db, "t", "P-2", "GH-TEM-03");
  BOOST_REQUIRE(!other.has_value());
  BOOST_TEST(other.error().code == ErrorCode::conflict);
  BOOST_TEST(other.error().message == "scanner GH-TEM-03: already belongs to procurement P-1 (use --move to relink it)");
  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-2", "GH-TEM-03", true).has_value());
  BOOST_TEST(db::procurement_for_scanner(f.db.sql(), services::get_scanner(f.db, "GH-TEM-03")->id)->reference == "P-2");
  BOOST_TEST(count(f.db, "procurement_scanners") == 1);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(the_demo_helper_creates_links_and_freezes_the_cargo_catalogue_in_one_unit_of_work) {
  Fixture f;
  auto r = services::create_procurement_with_cargo_catalogue(f.db, "demo", "GRA-NII-2026-01", "Tema cargo scanner",
                                                             "GH-TEM-03", "Ama Mensah");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->specification.status == "frozen");
  BOOST_TEST(r->specification.version == 1);
  BOOST_TEST(r->requirements.size() == services::load_catalogue("cargo")->size());
  auto spec = db::specification_for_scanner(f.db.sql(), services::get_scanner(f.db, "GH-TEM-03")->id);
  BOOST_REQUIRE(spec.has_value());
  BOOST_TEST(spec->sha256 == domain::requirements_sha256(services::from_rows(spec->requirements)));
  // A second call fails as a whole: nothing half-written.
  const auto rows = count(f.db, "audit_log");
  BOOST_TEST(!services::create_procurement_with_cargo_catalogue(f.db, "demo", "GRA-NII-2026-02", "x", "GH-TEM-03",
                                                                 "Ama Mensah")
                  .has_value());
  BOOST_TEST(count(f.db, "audit_log") == rows);
  BOOST_TEST(count(f.db, "procurements") == 2);  // P-1 and the demo's
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(xlsx_column_letters_convert_both_ways) {
  BOOST_TEST(services::xlsx_column_index("A") == 0);
  BOOST_TEST(services::xlsx_column_index("Z") == 25);
  BOOST_TEST(services::xlsx_column_index("AB") == 27);
  BOOST_TEST(services::xlsx_column_index("a1") == -1);
  for (int i : {0, 25, 26, 27, 701, 702, 16383}) BOOST_TEST(services::xlsx_column_index(services::xlsx_column_name(i)) == i);
}

BOOST_AUTO_TEST_CASE(a_target_in_another_unit_is_converted_never_relabelled_and_nonsense_is_refused) {
  Fixture f;
  // 0.3 m on a metric measured in mm: stored as 300 mm, with a note.
  auto metres = services::import_specification(f.db, "t", "P-1", f.write("m.json", R"([
    {"id": "IQ-01", "text": "t", "category": "image_quality", "metric_key": "cargo.penetration.steel_mm",
     "comparator": ">=", "target": 0.3, "unit": "m", "method": "m", "verified_at": ["fat"]}])"));
  BOOST_REQUIRE(metres.has_value());
  BOOST_TEST(metres->errors.empty());
  BOOST_TEST(std::count(metres->warnings.begin(), metres->warnings.end(),
                        "IQ-01: target 0.3 m converted to 300 mm (the unit cargo.penetration.steel_mm is measured in)") ==
             1);
  auto stored = services::get_specification(f.db, "P-1", 1);
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->requirements.at(0).target == 300.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(stored->requirements.at(0).unit == "mm");

  const std::string before = domain::requirements_to_json(stored->requirements);
  const std::vector<std::pair<std::string, std::string>> refused{
      {R"({"id": "X", "text": "t", "category": "image_quality", "metric_key": "cargo.penetration.steel_mm",
          "comparator": ">=", "target": 300, "unit": "uSv/h"})",
       "X: unit 'uSv/h' cannot express cargo.penetration.steel_mm, which is measured in 'mm'"},
      {R"({"id": "X", "text": "t", "category": "image_quality", "metric_key": "cargo.penetration.steel_mm",
          "comparator": ">=", "target": -300, "unit": "mm"})",
       "X: target -300 mm is below 0 mm, the smallest value cargo.penetration.steel_mm can have"},
      {R"({"id": "X", "text": "t", "category": "availability", "metric_key": "availability.uptime_pct",
          "comparator": ">=", "target": 120, "unit": "%"})",
       "X: target 120 % is above 100 %, the largest value availability.uptime_pct can have"},
      {R"({"id": "X", "text": "t", "category": "functional", "metric_key": "functional.interlocks",
          "comparator": ">=", "target": 0.5, "unit": "bool"})",
       "X: functional.interlocks is a yes/no check; its target is yes (comparator 'true'), not >= 0.5"},
  };
  for (const auto& [row, message] : refused) {
    const std::string path = f.write("bad.json", "[" + row + "]");
    auto r = services::import_specification(f.db, "t", "P-1", path);
    BOOST_REQUIRE(r.has_value());
    BOOST_REQUIRE(r->errors.size() == 1u);
    BOOST_TEST(r->errors[0] == path + ": " + message);
  }
  // "maybe" as a yes/no target is refused.
  auto maybe = services::import_specification(f.db, "t", "P-1", f.write("maybe.json", R"([
    {"id": "FN-01", "text": "t", "category": "functional", "metric_key": "functional.interlocks",
     "comparator": "true", "target": "maybe"}])"));
  BOOST_REQUIRE(maybe.has_value());
  BOOST_REQUIRE(maybe->errors.size() == 1u);
  BOOST_TEST(maybe->errors[0].find("FN-01): target 'maybe': a yes/no requirement's target is yes") != std::string::npos,
             maybe->errors[0]);
  // Nothing refused was stored: the draft is still the converted one.
  BOOST_TEST(domain::requirements_to_json(services::get_specification(f.db, "P-1", 1)->requirements) == before);
}

BOOST_AUTO_TEST_CASE(a_mandatory_requirement_on_a_metric_nothing_produces_cannot_be_frozen) {
  Fixture f;
  auto imported = services::import_specification(f.db, "t", "P-1", f.write("u.json", R"([
    {"id": "Q-1", "text": "t", "category": "other", "metric_key": "cargo.magic.sniffer_pct",
     "comparator": ">=", "target": 90, "unit": "%", "method": "m", "verified_at": ["fat"]},
    {"id": "Q-2", "text": "t", "category": "other", "mandatory": false, "metric_key": "cargo.magic.other",
     "comparator": ">=", "target": 1, "method": "m", "verified_at": ["fat"]}])"));
  BOOST_REQUIRE(imported.has_value());
  BOOST_TEST(imported->errors.empty());
  auto r = services::freeze_specification(f.db, "t", "P-1", "Ama Mensah");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(!r->frozen);
  BOOST_REQUIRE(r->gaps.size() == 1u);   // the desirable Q-2 is only warned about
  BOOST_TEST(r->gaps[0].requirement_id == "Q-1");
  BOOST_TEST(r->gaps[0].problem ==
             "mandatory requirement on cargo.magic.sniffer_pct, which no kit produces and no manual measurement records");
  BOOST_TEST(services::get_specification(f.db, "P-1", 1)->specification.status == "draft");
}
