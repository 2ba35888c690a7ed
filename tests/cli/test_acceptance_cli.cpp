// `niikit test ...` end to end through the binary: a FAT session with a kit result and manual
// measurements, close (exit 7 on a failing session), sign, show --json, and a plain-SQL edit
// after signing that `test show` reports (exit 8, every signature invalid).
#define BOOST_TEST_MODULE acceptance_cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <SQLiteCpp/Database.h>

#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

const char* kSpec = R"({"requirements": [
  {"id": "TP-01", "text": "Throughput at least 20 scans/h", "category": "throughput", "mandatory": true,
   "metric_key": "throughput.scans_per_h", "comparator": ">=", "target": 20, "unit": "scans/h",
   "method": "1 h trial", "verified_at": ["fat"]},
  {"id": "IQ-01", "text": "Steel penetration at least 300 mm", "category": "image_quality", "mandatory": true,
   "metric_key": "cargo.penetration.steel_mm", "comparator": ">=", "target": 300, "unit": "mm",
   "method": "IEC 62523 7.2", "verified_at": ["fat"]}
]})";

// A kit result as `niikit iq analyze --json` prints it (only the fields acceptance reads).
const char* kKitResult = R"({"kit_id": "cargo", "kit_version": "1.0", "phantom_id": "cargo-iec62523",
  "tests": [{"test_id": "penetration", "metrics": [{"key": "cargo.penetration.steel_mm", "value": 310, "unit": "mm"}]}]})";

QJsonObject json_of(const std::string& text) {
  QJsonParseError err;
  auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
  BOOST_TEST(err.error == QJsonParseError::NoError, "not JSON: " << text.substr(0, 200));
  return doc.object();
}

struct CliFixture {
  TempDir dir;
  std::string db;
  const std::string env = "NIIKIT_NOW=2026-11-24T10:00:00Z";

  CliFixture() : db("--db " + dir.file("cli.db")) {
    auto d = testing::fresh_db(dir, "cli.db");
    for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
             {"Ama", "manager"}, {"Efua", "engineer"}, {"Kofi", "engineer"}})
      BOOST_REQUIRE(services::add_person(d, "t", {{"name", name}, {"role", role}}).has_value());
    BOOST_REQUIRE(services::add_scanner(d, "t", {{"asset_tag", "S1"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                 {"technology", "linac"}, {"configuration", "portal"},
                                                 {"stage", "fat"}, {"stage_since", "2026-01-01"}})
                      .has_value());
    BOOST_REQUIRE(services::add_procurement(d, "t", {"P-1", "Cargo scanners", "", "", ""}).has_value());
    BOOST_REQUIRE(services::link_scanner_to_procurement(d, "t", "P-1", "S1").has_value());
    testing::write_file(dir.file("spec.json"), kSpec);
    BOOST_REQUIRE(services::import_specification(d, "t", "P-1", dir.file("spec.json")).has_value());
    BOOST_REQUIRE(services::freeze_specification(d, "t", "P-1", "Ama")->frozen);
    testing::write_file(dir.file("scan.tiff"), "not really a tiff, hashed only");
    testing::write_file(dir.file("result.json"), kKitResult);
  }

  testing::RunResult run(const std::string& args) { return run_niikit(db + " " + args, env); }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_fat_session_through_the_cli_and_a_tampered_result_after_signing, CliFixture) {
  auto start = run("--json test start --scanner S1 --phase fat --location 'ScanCorp plant' --witness Kofi --by Efua");
  BOOST_REQUIRE_MESSAGE(start.status == 0, start.err);
  BOOST_TEST(json_of(start.out)["id"].toInt() == 1);
  BOOST_TEST(json_of(start.out)["status"].toString().toStdString() == "open");

  auto kit = run("--json test kit --session 1 --kit cargo " + dir.file("scan.tiff") + " --result " +
                 dir.file("result.json") + " --by Efua");
  BOOST_REQUIRE_MESSAGE(kit.status == 0, kit.err);
  const auto measurements = json_of(kit.out)["measurements"].toArray();
  BOOST_REQUIRE(measurements.size() == 1);
  BOOST_TEST(measurements[0].toObject()["metric_key"].toString().toStdString() == "cargo.penetration.steel_mm");
  BOOST_TEST(measurements[0].toObject()["value"].toDouble() == 310.0);
  BOOST_TEST(json_of(kit.out)["kit_run"].toObject()["image_sha256"].toString().size() == 64);

  auto typo = run("test measure --session 1 --metric throughput.scan_per_h --value 18 --unit scans/h --by Efua");
  BOOST_TEST(typo.status == 3);
  BOOST_TEST(typo.err.find("did you mean throughput.scans_per_h") != std::string::npos, typo.err);

  auto slow = run("test measure --session 1 --metric throughput.scans_per_h --value 18 --unit scans/h "
                  "--instrument stopwatch --by Efua");
  BOOST_REQUIRE_MESSAGE(slow.status == 0, slow.err);
  auto closed = run("--json test close --session 1 --by Efua");
  BOOST_TEST(closed.status == 7);   // TP-01 failed
  BOOST_TEST(json_of(closed.out)["session"].toObject()["verdict"].toString().toStdString() == "fail");
  BOOST_TEST(json_of(closed.out)["deviations_raised"].toArray().size() == 1);

  auto late = run("test measure --session 1 --metric throughput.scans_per_h --value 22 --unit scans/h --by Efua");
  BOOST_TEST(late.status == 5);   // a closed session takes no more evidence
  BOOST_TEST(late.err.find("closed session takes no more evidence") != std::string::npos, late.err);

  auto sign = run("test sign --session 1 --by Kofi --role witness");
  BOOST_REQUIRE_MESSAGE(sign.status == 0, sign.err);
  auto show = run("--json test show --session 1");
  BOOST_REQUIRE_MESSAGE(show.status == 0, show.err);
  auto detail = json_of(show.out);
  BOOST_TEST(detail["results"].toArray().size() == 2);
  BOOST_TEST(detail["kit_runs"].toArray()[0].toObject()["result"].toObject()["kit_id"].toString().toStdString() == "cargo");
  BOOST_TEST(detail["signatures"].toArray()[0].toObject()["valid"].toBool());
  BOOST_TEST(detail["content_intact"].toBool());

  {
    SQLite::Database sql(dir.file("cli.db"), SQLite::OPEN_READWRITE);
    sql.exec("UPDATE measurements SET value = 25 WHERE metric_key = 'throughput.scans_per_h'");
  }
  auto text = run("test show --session 1");
  BOOST_TEST(text.status == 8);
  BOOST_TEST(text.out.find("invalid: content changed since signing") != std::string::npos, text.out);
  auto tampered = json_of(run("--json test show --session 1").out);
  BOOST_TEST(!tampered["content_intact"].toBool());
  BOOST_TEST(tampered["signatures"].toArray()[0].toObject()["status"].toString().toStdString() ==
             "invalid: content changed since signing");
  auto gate = run("--as Efua stage check S1 --to deployment");
  BOOST_TEST(gate.status == 6);
  BOOST_TEST(gate.out.find("invalid: content changed since signing") != std::string::npos, gate.out);
  BOOST_TEST(run("audit verify").status == 8);
}

BOOST_FIXTURE_TEST_CASE(test_commands_refuse_what_the_lifecycle_does_not_allow, CliFixture) {
  auto sat = run("test start --scanner S1 --phase sat --witness Kofi --by Efua");
  BOOST_TEST(sat.status == 6);
  BOOST_TEST(sat.err == "niikit: gate_refused: scanner S1: a sat session needs the scanner at stage sat, it is at fat\n");
  auto phase = run("test start --scanner S1 --phase acceptance --witness Kofi --by Efua");
  BOOST_TEST(phase.status == 3);
  auto list = run("--json test list --scanner S1");
  BOOST_TEST(list.status == 0);
  BOOST_TEST(QJsonDocument::fromJson(QByteArray::fromStdString(list.out)).array().isEmpty());
  auto help = run("test --help");
  BOOST_TEST(help.status == 0);
  for (const char* sub : {"start", "kit", "measure", "deviation", "close", "sign", "show", "list"})
    BOOST_TEST(help.out.find(sub) != std::string::npos, sub);
}
