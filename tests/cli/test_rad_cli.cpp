// `niikit rad ...` end to end through the binary: exit statuses, --json shapes, refusals,
// all-or-nothing imports, a failed survey forcing a scanner out of service, dues.
#define BOOST_TEST_MODULE rad_cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

QJsonObject object_of(const std::string& text) {
  QJsonParseError err;
  auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
  BOOST_TEST(err.error == QJsonParseError::NoError, "not JSON: " << text.substr(0, 300));
  return doc.object();
}

// A database at 2026-11-24 with an RSO, an in-service scanner, a calibrated meter and one
// whose calibration lapsed.
struct RadCli {
  TempDir dir;
  std::string env = "NIIKIT_NOW=2026-11-24T09:00:00Z";
  std::string db;
  RadCli() : db("--db " + dir.file("rad.db")) {
    for (const std::string& cmd :
         {std::string("db init"), std::string("person add --name Ama --role manager"),
          std::string("--as Ama person add --name Kofi --role rso"),
          std::string("--as Ama scanner add --asset-tag T1 --manufacturer ScanCorp --model CX --technology linac "
                      "--configuration portal --stage in_service --since 2025-01-01"),
          std::string("rad meter add --model FH40 --serial M1 --detector proportional --certificate C-1 "
                      "--calibrated 2026-03-01 --due 2027-03-01"),
          std::string("rad meter add --model FH40 --serial M0 --detector gm --certificate C-0 "
                      "--calibrated 2025-09-01 --due 2026-09-01")}) {
      auto r = run(cmd);
      BOOST_REQUIRE_MESSAGE(r.status == 0, cmd << ": " << r.err);
    }
  }
  niikit::testing::RunResult run(const std::string& args) const { return run_niikit(db + " " + args, env); }
  int survey(const std::string& meter, const std::string& extra = "") const {
    auto r = run("rad survey add --scanner T1 --type periodic --date 2026-11-20 --meter " + meter +
                 " --by Kofi --background-usv-h 0.1 --interlock pass --estop pass --warning-light pass "
                 "--signage pass --json " + extra);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    return object_of(r.out)["id"].toInt();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(lapsed_meter_exits_6_and_override_is_shown, RadCli) {
  auto r = run("rad survey add --scanner T1 --type periodic --date 2026-11-20 --meter M0 --by Kofi "
               "--background-usv-h 0.1 --json");
  BOOST_TEST(r.status == 6);
  const auto err = object_of(r.out);
  BOOST_TEST(err["error"].toString().toStdString() == "gate_refused");
  BOOST_TEST(err["message"].toString().toStdString().find("2026-09-01") != std::string::npos);
  const int id = survey("M0", "--allow-lapsed-meter 'meter M1 away for repair'");
  auto show = run("rad survey show " + std::to_string(id));
  BOOST_TEST(show.status == 0);
  BOOST_TEST(show.out.find("meter M1 away for repair") != std::string::npos, show.out);
  auto list = object_of("{\"l\":" + run("rad survey list --json").out + "}")["l"].toArray();
  BOOST_REQUIRE(list.size() == 1);
  BOOST_TEST(list[0].toObject()["meter_calibration_override"].toBool());
}

BOOST_FIXTURE_TEST_CASE(import_with_bad_rows_exits_3_naming_each_and_stores_none, RadCli) {
  const int id = survey("M1");
  const std::string csv = dir.file("export.csv");
  niikit::testing::write_file(csv, "label,zone,dose_rate_usv_h,distance_m\n"
                                   "B1,public_boundary,0.4,12\n"
                                   "B2,public_boundary,x,12\n"
                                   "OP1,cabin,0.2,20\n");
  auto r = run("rad survey import " + std::to_string(id) + " --csv " + csv + " --json");
  BOOST_TEST(r.status == 3);
  const auto out = object_of(r.out);
  BOOST_TEST(out["stored"].toInt() == 0);
  const auto errors = out["errors"].toArray();
  BOOST_REQUIRE(errors.size() == 2);
  BOOST_TEST(errors[0].toObject()["line"].toInt() == 3);
  BOOST_TEST(errors[0].toObject()["message"].toString().toStdString().find("field 'dose_rate_usv_h'") !=
             std::string::npos);
  BOOST_TEST(errors[1].toObject()["line"].toInt() == 4);
  BOOST_TEST(errors[1].toObject()["message"].toString().toStdString().find("field 'zone'") != std::string::npos);
  auto show = object_of(run("rad survey show " + std::to_string(id) + " --json").out);
  BOOST_TEST(show["points"].toArray().size() == 0);
}

BOOST_FIXTURE_TEST_CASE(failed_survey_exits_7_and_takes_the_scanner_out_of_service, RadCli) {
  const int id = survey("M1");
  const std::string sid = std::to_string(id);
  BOOST_REQUIRE(run("rad survey point add " + sid + " --label B1 --zone public_boundary --dose-rate-usv-h 3.1").status == 0);
  BOOST_REQUIRE(run("rad survey point add " + sid + " --label OP1 --zone operator_position --dose-rate-usv-h 0.4 "
                    "--occupancy 1 --scans-per-h 20 --scans-per-year 40000").status == 0);
  auto r = run("rad survey close " + sid + " --by Kofi --json");
  BOOST_TEST(r.status == 7);
  const auto out = object_of(r.out);
  BOOST_TEST(out["verdict"].toString().toStdString() == "fail");
  BOOST_TEST(out["forced_out_of_service"].toObject()["to_stage"].toString().toStdString() == "out_of_service");
  BOOST_TEST(out["follow_up"].toObject()["status"].toString().toStdString() == "open");
  auto scanner = object_of(run("scanner show T1 --json").out);
  BOOST_TEST(scanner["scanner"].toObject()["stage"].toString().toStdString() == "out_of_service");
  BOOST_TEST(run("audit verify").status == 0);
}

BOOST_FIXTURE_TEST_CASE(due_lists_lapsed_meter_and_missing_survey_and_enforces_licences, RadCli) {
  BOOST_REQUIRE(run("rad licence add --regulator NRA --number L-1 --type use --issued 2021-01-01 --expires 2026-06-30 "
                    "--scanner T1").status == 0);
  auto r = run("rad due --within 30 --json");
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  const auto out = object_of(r.out);
  BOOST_TEST(out["forced_out_of_service"].toArray().size() == 1);
  std::set<std::string> kinds;
  for (const auto& i : out["items"].toArray())
    kinds.insert(i.toObject()["kind"].toString().toStdString() + ":" + i.toObject()["item"].toString().toStdString());
  BOOST_TEST(kinds.count("meter_calibration:M0") == 1u);
  BOOST_TEST(kinds.count("licence:L-1") == 1u);
  BOOST_TEST(kinds.count("periodic_survey:T1") == 1u);
  BOOST_TEST(kinds.count("meter_calibration:M1") == 0u);   // due 2027-03-01, beyond 30 days
  // Second run: nothing more to enforce.
  BOOST_TEST(object_of(run("rad due --json").out)["forced_out_of_service"].toArray().size() == 0);
}

BOOST_FIXTURE_TEST_CASE(dose_import_and_summary_with_flags, RadCli) {
  const std::string csv = dir.file("doses.csv");
  niikit::testing::write_file(csv, "worker,dosimeter,period_start,period_end,hp10_msv,hp007_msv\n"
                                   "Ama,D-1,2026-01-01,2026-03-31,3.5,4.0\n"
                                   "Ama,D-1,2026-04-01,2026-06-30,3.0,3.2\n"
                                   "Yaw,D-2,2026-01-01,2026-03-31,0.2,0.2\n");
  auto r = run("rad dose import --csv " + csv + " --json");
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.out + r.err);
  BOOST_TEST(object_of(r.out)["stored"].toInt() == 3);
  auto again = run("rad dose import --csv " + csv);   // duplicates: every row refused
  BOOST_TEST(again.status == 3);
  BOOST_TEST(again.out.empty(), again.out);   // every refused row on stderr, the one-line error last
  BOOST_TEST(again.err.find("rows rejected; nothing stored") != std::string::npos, again.err);
  auto s = object_of(run("rad dose summary --year 2026 --json").out);
  const auto workers = s["workers"].toArray();
  BOOST_REQUIRE(workers.size() == 2);
  const auto ama = workers[0].toObject();
  BOOST_TEST(ama["annual_hp10_msv"].toDouble() == 6.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ama["flags"].toArray().size() == 1);
  BOOST_TEST(ama["flags"].toArray()[0].toString().toStdString() == "investigation_level");
  BOOST_TEST(workers[1].toObject()["flags"].toArray().size() == 0);
}

BOOST_FIXTURE_TEST_CASE(settings_show_and_set_validate, RadCli) {
  BOOST_TEST(run("rad settings set limit_usv_h.public_boundary 2.0").status == 0);
  BOOST_TEST(run("rad settings set limit_usv_h.public_boundary abc").status == 3);
  BOOST_TEST(run("rad settings set no.such.key 1").status == 3);
  auto rows = object_of("{\"r\":" + run("rad settings show --json").out + "}")["r"].toArray();
  bool found = false;
  for (const auto& row : rows)
    if (row.toObject()["key"].toString() == "limit_usv_h.public_boundary") {
      found = true;
      BOOST_TEST(row.toObject()["value"].toString().toStdString() == "2.0");
      BOOST_TEST(row.toObject()["changed"].toBool());
    }
  BOOST_TEST(found);
}
