// The acceptance tests' fixture: a temporary database with people (a manager, two engineers, a
// vendor), procurement P-1 and its frozen five-requirement specification, and helpers to add
// scanners, start and close sessions, measure and record kit runs. Shared by test_acceptance.cpp
// and test_acceptance_report.cpp.
#pragma once

#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/services/acceptance_service.hpp"
#include "app/services/evidence_store.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"
#include "support/test_db.hpp"

namespace niikit::testing::acceptance {

using niikit::testing::TempDir;

// Five requirements: four mandatory (throughput, boundary dose rate, interlocks, steel
// penetration) and one desirable (remote analysis), verified at different phases.
inline const char* kSpec = R"({"requirements": [
  {"id": "TP-01", "text": "Throughput at least 20 scans/h", "category": "throughput", "mandatory": true,
   "metric_key": "throughput.scans_per_h", "comparator": ">=", "target": 20, "unit": "scans/h",
   "method": "1 h trial", "verified_at": ["fat", "sat"]},
  {"id": "RD-01", "text": "Boundary dose rate at most 2.5 uSv/h", "category": "radiation", "mandatory": true,
   "metric_key": "radiation.dose_rate.boundary_usv_h", "comparator": "<=", "target": 2.5, "unit": "uSv/h",
   "method": "IEC 62523 survey", "verified_at": ["fat", "sat", "periodic"]},
  {"id": "FN-01", "text": "Interlocks work", "category": "functional", "mandatory": true,
   "metric_key": "functional.interlocks", "comparator": "true", "unit": "bool",
   "method": "functional check", "verified_at": ["fat", "sat", "periodic"]},
  {"id": "IQ-01", "text": "Steel penetration at least 300 mm", "category": "image_quality", "mandatory": true,
   "metric_key": "cargo.penetration.steel_mm", "comparator": ">=", "target": 300, "unit": "mm",
   "method": "IEC 62523 7.2", "verified_at": ["fat", "sat"]},
  {"id": "SW-01", "text": "Remote analysis", "category": "software", "mandatory": false,
   "metric_key": "software.remote_analysis", "comparator": "true", "unit": "bool",
   "method": "demonstration", "verified_at": ["fat"]}
]})";

inline std::int64_t count(db::Database& db, const std::string& sql) {
  SQLite::Statement q(db.sql(), sql);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Fixture {
  TempDir dir;
  db::Database db = testing::fresh_db(dir);
  services::EvidenceStore store{dir.path() / "evidence"};

  Fixture() {
    for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
             {"Ama", "manager"}, {"Efua", "engineer"}, {"Kofi", "engineer"}, {"Vic", "vendor"}})
      BOOST_REQUIRE(services::add_person(db, "t", {{"name", name}, {"role", role}}).has_value());
    BOOST_REQUIRE(services::add_procurement(db, "t", {"P-1", "Cargo scanners", "", "", ""}).has_value());
    testing::write_file(dir.file("spec.json"), kSpec);
    auto imported = services::import_specification(db, "t", "P-1", dir.file("spec.json"));
    BOOST_REQUIRE_MESSAGE(imported.has_value() && imported->errors.empty(), "spec import");
    auto frozen = services::freeze_specification(db, "t", "P-1", "Ama");
    BOOST_REQUIRE(frozen.has_value() && frozen->frozen);
  }

  void scanner(const std::string& tag, const std::string& stage) {
    BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", tag}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                  {"technology", "linac"}, {"configuration", "portal"},
                                                  {"stage", stage}, {"stage_since", "2026-01-01"}})
                      .has_value());
    BOOST_REQUIRE(services::link_scanner_to_procurement(db, "t", "P-1", tag).has_value());
  }

  std::int64_t start(const std::string& tag, const std::string& phase, std::optional<std::int64_t> retest = {}) {
    auto s = services::start_session(db, {tag, phase, "plant", {"Kofi"}, "Efua", retest});
    BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    return s->id;
  }

  void measure(std::int64_t session, const std::string& key, double value, const std::string& unit) {
    auto m = services::add_measurement(db, {session, key, value, unit, "RadEye G-10", "SN1", "measured by hand", "Efua"});
    BOOST_REQUIRE_MESSAGE(m.has_value(), (m ? "" : m.error().message));
  }

  // Every FAT requirement measured; steel penetration `steel_mm`, remote analysis `remote`.
  void measure_fat(std::int64_t session, double steel_mm, double remote) {
    measure(session, "throughput.scans_per_h", 24, "scans/h");
    measure(session, "radiation.dose_rate.boundary_usv_h", 1.2, "uSv/h");
    measure(session, "functional.interlocks", 1, "bool");
    measure(session, "cargo.penetration.steel_mm", steel_mm, "mm");
    measure(session, "software.remote_analysis", remote, "bool");
  }

  services::CloseOutcome close(std::int64_t session) {
    auto c = services::close_session(db, session, "Efua");
    BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? "" : c.error().message));
    return *c;
  }

  domain::GateOutcome gate(const std::string& tag, const std::string& to, const std::string& by = "Ama") {
    auto g = services::check_move(db, tag, to, by);
    BOOST_REQUIRE(g.has_value());
    return *g;
  }

  std::string unmet(const domain::GateOutcome& g) {
    std::string all;
    for (const auto& w : g.unmet()) all += w + "; ";
    return all;
  }

  // A kit run of the cargo kit in `session` whose stored result measured steel penetration `steel_mm`.
  std::int64_t kit_steel(std::int64_t session, double steel_mm) {
    testing::write_file(dir.file("scan.tiff"), "not really a tiff: only its hash is recorded");
    testing::write_file(dir.file("result.json"),
                        fmt::format(R"({{"kit_id": "cargo", "kit_version": "1.0", "phantom_id": "cargo-c1", "tests": [
                          {{"test_id": "penetration", "metrics": [
                            {{"key": "cargo.penetration.steel_mm", "value": {}, "unit": "mm"}}]}}]}})",
                                    steel_mm));
    services::KitRunRequest k;
    k.session_id = session;
    k.kit_id = "cargo";
    k.image_path = dir.file("scan.tiff");
    k.result_json_path = dir.file("result.json");
    k.by = "Efua";
    auto run = services::add_kit_run(db, k);
    BOOST_REQUIRE_MESSAGE(run.has_value(), (run ? "" : run.error().message));
    return run->run.id;
  }
};

}  // namespace niikit::testing::acceptance
