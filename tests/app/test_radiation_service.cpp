// Radiation safety records through the services: lapsed meter refusal and override, failed
// survey and expired licence forcing out of service (decision, follow-up, audit), the CSV
// point import's all-or-nothing errors, limits stored with the survey, gate facts, the report.
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include <cmath>

#include "app/services/lifecycle_service.hpp"
#include "app/services/radiation_service.hpp"
#include "app/services/survey_report.hpp"
#include "db/audit.hpp"
#include "reports/writers.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;
namespace S = niikit::services::rad;

namespace {

std::int64_t count(db::Database& db, const std::string& table) {
  SQLite::Statement q(db.sql(), "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// Clock: 2026-11-24. An RSO, an engineer, an in-service scanner and one at deployment, a meter
// calibrated until 2027-03-01 and one whose calibration lapsed on 2026-10-01.
struct RadFixture {
  TempDir dir;
  db::Database db = testing::fresh_db(dir);
  RadFixture() {
    BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Kofi"}, {"role", "rso"}}).has_value());
    BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Efua"}, {"role", "engineer"}}).has_value());
    BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", "S1"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                  {"technology", "linac"}, {"configuration", "portal"},
                                                  {"stage", "in_service"}, {"stage_since", "2025-01-10"}})
                      .has_value());
    BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", "S2"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                  {"technology", "linac"}, {"configuration", "portal"},
                                                  {"stage", "deployment"}, {"stage_since", "2026-09-01"}})
                      .has_value());
    BOOST_REQUIRE(S::add_meter(db, "t", {"Thermo", "FH40", "M-OK", "proportional", "C1", "2026-03-01", "2027-03-01", ""})
                      .has_value());
    BOOST_REQUIRE(S::add_meter(db, "t", {"Thermo", "FH40", "M-OLD", "gm", "C0", "2025-10-01", "2026-10-01", ""})
                      .has_value());
  }
  S::SurveyInput survey(const std::string& scanner, const std::string& type, const std::string& meter) {
    S::SurveyInput in;
    in.scanner = scanner;
    in.type = type;
    in.date = "2026-11-20";
    in.meter = meter;
    in.surveyor = "Kofi";
    in.background_usv_h = 0.1;
    in.interlock = in.estop = in.warning_light = in.signage = "pass";
    return in;
  }
  std::int64_t add_points(std::int64_t survey, double boundary_rate) {
    for (auto [label, zone, rate] : {std::tuple{"B1", "public_boundary", boundary_rate},
                                     {"OP1", "operator_position", 0.3},
                                     {"C1", "controlled", 40.0}}) {
      auto p = S::add_point(db, "Kofi", survey,
                            {{"label", label}, {"zone", zone}, {"dose_rate_usv_h", std::to_string(rate)},
                             {"occupancy_factor", std::string(zone) == std::string("controlled") ? "0.01" : "0.25"}});
      BOOST_REQUIRE_MESSAGE(p.has_value(), p.error().message);
    }
    return survey;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(records)

BOOST_FIXTURE_TEST_CASE(a_lapsed_meter_is_refused_and_the_override_is_marked, RadFixture) {
  const auto before = count(db, "audit_log");
  auto refused = S::add_survey(db, "Kofi", survey("S1", "periodic", "M-OLD"));
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().code == ErrorCode::gate_refused);
  BOOST_TEST(refused.error().message.find("2026-10-01") != std::string::npos);
  BOOST_TEST(refused.error().message.find("--allow-lapsed-meter") != std::string::npos);
  BOOST_TEST(count(db, "rad_surveys") == 0);
  BOOST_TEST(count(db, "audit_log") == before);

  auto in = survey("S1", "periodic", "M-OLD");
  in.allow_lapsed_meter_reason = "only meter on site; recalibration booked";
  auto s = S::add_survey(db, "Kofi", in);
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(s->meter_calibration_override);
  BOOST_TEST(s->override_reason == in.allow_lapsed_meter_reason);
  add_points(s->id, 0.5);
  auto report = S::build_survey_report(db, s->id, "2026-11-24T09:00:00Z");
  BOOST_REQUIRE(report.has_value());
  const auto json = reports::to_json_text(*report);
  BOOST_TEST(json.find("recalibration booked") != std::string::npos);
  BOOST_TEST(json.find("LAPSED") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_failed_survey_takes_the_scanner_out_of_service_with_a_follow_up, RadFixture) {
  auto s = S::add_survey(db, "Kofi", survey("S1", "periodic", "M-OK"));
  BOOST_REQUIRE(s.has_value());
  add_points(s->id, 3.2);   // boundary 3.2 µSv/h > 2.5
  auto closed = S::close_survey(db, "Kofi", s->id, "");
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(!closed->judgement.pass);
  BOOST_TEST(closed->survey.verdict.value() == "fail");
  BOOST_REQUIRE(closed->forced_out_of_service.has_value());
  BOOST_TEST(closed->forced_out_of_service->kind == "out_of_service");
  BOOST_TEST(closed->forced_out_of_service->note.find("point 'B1'") != std::string::npos);
  BOOST_REQUIRE(closed->follow_up.has_value());
  BOOST_TEST(services::get_scanner(db, "S1")->stage == "out_of_service");
  BOOST_TEST(count(db, "rad_follow_ups") == 1);
  auto audit = db.read([](SQLite::Database& sql) { return db::verify_audit(sql); });
  BOOST_REQUIRE(audit.has_value());
  BOOST_TEST(audit->ok());
  // A closed survey takes no more points and cannot be closed twice.
  BOOST_TEST(S::add_point(db, "Kofi", s->id, {{"label", "X"}, {"zone", "supervised"}, {"dose_rate_usv_h", "1"}})
                 .error().code == ErrorCode::conflict);
  BOOST_TEST(S::close_survey(db, "Kofi", s->id, "").error().code == ErrorCode::conflict);
  // Return to service is refused on the survey: the latest survey failed.
  auto gate = services::check_move(db, "S1", "in_service", "Efua");
  BOOST_REQUIRE(gate.has_value());
  bool survey_unmet = false;
  for (const auto& why : gate->unmet()) survey_unmet = survey_unmet || why.find("radiation survey") != std::string::npos;
  BOOST_TEST(survey_unmet);
}

BOOST_FIXTURE_TEST_CASE(an_expired_licence_forces_out_of_service_once, RadFixture) {
  S::LicenceInput old;
  old.regulator = "NRA";
  old.number = "L-OLD";
  old.type = "use";
  old.issued = "2021-07-01";
  old.expires = "2026-06-30";
  old.scanners = {"S1"};
  BOOST_REQUIRE(S::add_licence(db, "Kofi", old).has_value());
  auto forced = S::enforce(db, "Kofi");
  BOOST_REQUIRE(forced.has_value());
  BOOST_REQUIRE(forced->size() == 1u);
  BOOST_TEST(forced->front().scanner == "S1");
  BOOST_TEST(services::get_scanner(db, "S1")->stage == "out_of_service");
  auto timeline = services::scanner_timeline(db, "S1");
  BOOST_TEST(timeline->decisions.back().note.find("L-OLD") != std::string::npos);
  BOOST_TEST(timeline->decisions.back().decided_role == "system");
  BOOST_TEST(S::enforce(db, "Kofi")->empty());   // idempotent
  BOOST_TEST(count(db, "rad_follow_ups") == 1);
  auto audit = db.read([](SQLite::Database& sql) { return db::verify_audit(sql); });
  BOOST_TEST(audit->ok());
}

BOOST_FIXTURE_TEST_CASE(a_scanner_with_another_valid_licence_stays_in_service, RadFixture) {
  S::LicenceInput l;
  l.regulator = "NRA";
  l.number = "L-OLD";
  l.type = "use";
  l.issued = "2021-07-01";
  l.expires = "2026-06-30";
  l.scanners = {"S1"};
  BOOST_REQUIRE(S::add_licence(db, "Kofi", l).has_value());
  l.number = "L-NEW";
  l.issued = "2026-06-15";
  l.expires = "2031-06-14";
  BOOST_REQUIRE(S::add_licence(db, "Kofi", l).has_value());
  BOOST_TEST(S::enforce(db, "Kofi")->empty());
  BOOST_TEST(services::get_scanner(db, "S1")->stage == "in_service");
}

BOOST_FIXTURE_TEST_CASE(csv_import_reports_every_bad_row_and_stores_none, RadFixture) {
  auto s = S::add_survey(db, "Kofi", survey("S1", "periodic", "M-OK"));
  BOOST_REQUIRE(s.has_value());
  const std::string file = dir.file("meter-export.csv");
  testing::write_file(file,
                      "label,zone,distance_m,dose_rate_usv_h,occupancy_factor\n"
                      "B1,public_boundary,12,0.45,0.25\n"         // line 2 ok
                      "B2,public_boundary,12,abc,0.25\n"          // line 3 bad number
                      "B3,lobby,12,0.3,0.25\n"                    // line 4 unknown zone
                      "OP1,operator_position,25,0.18,1\n"         // line 5 ok
                      "B1,supervised,8,2.0,0.1\n"                 // line 6 duplicate label
                      "S1,supervised,8,2.0,1.5\n");               // line 7 occupancy out of range
  const auto before = count(db, "audit_log");
  auto r = S::import_points(db, "Kofi", s->id, file);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->rows == 6);
  BOOST_TEST(r->stored == 0);
  BOOST_REQUIRE(r->errors.size() == 4u);
  const int lines[] = {3, 4, 6, 7};
  const char* fields[] = {"dose_rate_usv_h", "zone", "label", "occupancy_factor"};
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST(r->errors[i].line == lines[i]);
    BOOST_TEST_MESSAGE(r->errors[i].message);
    BOOST_TEST(r->errors[i].message.find("line " + std::to_string(lines[i])) != std::string::npos);
    BOOST_TEST(r->errors[i].message.find(fields[i]) != std::string::npos, r->errors[i].message);
  }
  BOOST_TEST(count(db, "rad_survey_points") == 0);
  BOOST_TEST(count(db, "audit_log") == before);
  // Fixed file: every row stored.
  testing::write_file(file, "label,zone,dose_rate_usv_h\nB1,public_boundary,0.45\nOP1,operator_position,0.18\n");
  r = S::import_points(db, "Kofi", s->id, file);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->stored == 2);
  BOOST_TEST(count(db, "rad_survey_points") == 2);
}

BOOST_FIXTURE_TEST_CASE(limits_are_stored_with_the_survey, RadFixture) {
  auto s = S::add_survey(db, "Kofi", survey("S1", "periodic", "M-OK"));
  BOOST_REQUIRE(s.has_value());
  BOOST_REQUIRE(S::set_setting(db, "Kofi", "limit_usv_h.public_boundary", "0.5").has_value());
  auto p = S::add_point(db, "Kofi", s->id, {{"label", "B1"}, {"zone", "public_boundary"}, {"dose_rate_usv_h", "1.0"}});
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->limit_usv_h.value() == 2.5);   // the survey's stored limit, not the new setting
  BOOST_TEST(p->verdict == "pass");
  auto later = S::add_survey(db, "Kofi", survey("S1", "periodic", "M-OK"));
  auto q = S::add_point(db, "Kofi", later->id, {{"label", "B1"}, {"zone", "public_boundary"}, {"dose_rate_usv_h", "1.0"}});
  BOOST_TEST(q->limit_usv_h.value() == 0.5);
  BOOST_TEST(q->verdict == "fail");
}

BOOST_FIXTURE_TEST_CASE(deployment_gate_passes_only_with_licence_and_commissioning_survey, RadFixture) {
  // The installation certificate is linked; licence and commissioning survey are missing.
  BOOST_REQUIRE(db.write("t", [&](db::WriteTx& tx) -> Status {
                    auto s = db::find_scanner(tx.sql(), "S2");
                    db::Document d{0, "Installation", "installation_certificate", "/dev/null", std::string(64, 'a'), 0,
                                   s->id, std::nullopt, std::nullopt, ""};
                    return db::insert_document(tx, d).map([](auto) {});
                  }).has_value());
  auto gate = services::check_move(db, "S2", "sat", "Efua");
  BOOST_REQUIRE(gate.has_value());
  BOOST_TEST(gate->unmet().size() == 2u);
  S::LicenceInput l;
  l.regulator = "NRA";
  l.number = "L-S2";
  l.type = "use";
  l.issued = "2026-09-01";
  l.expires = "2031-08-31";
  l.scanners = {"S2"};
  BOOST_REQUIRE(S::add_licence(db, "Kofi", l).has_value());
  BOOST_TEST(services::check_move(db, "S2", "sat", "Efua")->unmet().size() == 1u);
  auto s = S::add_survey(db, "Kofi", survey("S2", "commissioning", "M-OK"));
  BOOST_REQUIRE(s.has_value());
  add_points(s->id, 0.5);
  auto closed = S::close_survey(db, "Kofi", s->id, "");
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(closed->judgement.pass);
  BOOST_TEST(!closed->forced_out_of_service.has_value());   // not in service: nothing forced
  auto after = services::check_move(db, "S2", "sat", "Efua");
  BOOST_TEST(after->passed());
  // The fleet's batch source sees the same facts.
  auto facts = db.read([&](SQLite::Database& sql) -> Result<domain::GateFacts> {
    services::FleetFacts fleet(sql, "2026-11-24T09:00:00Z");
    return fleet.for_scanner(*db::find_scanner(sql, "S2"), "engineer", "");
  });
  BOOST_TEST(facts->valid_licence);
  BOOST_TEST(facts->commissioning_survey_passed);
  BOOST_TEST(facts->periodic_survey_valid);
  BOOST_TEST(!facts->clearance_survey_passed);
}

BOOST_FIXTURE_TEST_CASE(sealed_source_decays_and_leak_tests_judge_against_the_setting, RadFixture) {
  S::SourceInput in;
  in.kind = "sealed";
  in.serial = "CO-1";
  in.isotope = "co60";
  in.activity_bq = 1.0e11;
  in.reference_date = "2016-11-24";
  auto src = S::add_source(db, "Kofi", in);
  BOOST_REQUIRE(src.has_value());
  // 2016-11-24 → 2026-11-24T09:00Z (the test clock): 3652 days and 9 hours.
  BOOST_TEST(*src->current_activity_bq == 1.0e11 * std::exp2(-((3652 + 9.0 / 24) / 365.25) / 5.2714),
             boost::test_tools::tolerance(1e-12));
  auto pass = S::record_leak_test(db, "Kofi", {"CO-1", "2026-11-01", 12.0, std::nullopt, "Lab", "W-1"});
  BOOST_REQUIRE(pass.has_value());
  BOOST_TEST(pass->pass);
  BOOST_TEST(pass->limit_bq == 185.0);
  auto failed = S::record_leak_test(db, "Kofi", {"CO-1", "2026-11-02", 200.0, std::nullopt, "Lab", "W-2"});
  BOOST_TEST(!failed->pass);
  BOOST_TEST(S::show_source(db, "CO-1")->leak_test_due_date.value() == "2027-05-02");
  auto t = S::record_transfer(db, "Kofi", {"CO-1", "return", "Customs", "Supplier", "2026-11-10", "Kofi", "TD-9", "", ""});
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(S::show_source(db, "CO-1")->source.status == "returned");
}

BOOST_FIXTURE_TEST_CASE(demo_records_a_passed_commissioning_survey, RadFixture) {
  auto demo = S::record_demo_radiation(db, "S2", "Kofi", "2026-10-15");
  BOOST_REQUIRE_MESSAGE(demo.has_value(), demo.error().message);
  BOOST_TEST(demo->verdict == "pass");
  auto v = S::show_survey(db, demo->survey_id);
  BOOST_TEST(v->points.size() == 10u);
  auto report = S::build_survey_report(db, demo->survey_id, "2026-11-24T09:00:00Z");
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->sections.size() == 6u);
  BOOST_TEST((report->overall_verdict == reports::Verdict::pass));
  // Every writer produces its format from the survey report.
  for (auto [format, name, magic] : {std::tuple{reports::Format::json, "r.json", "{"},
                                     {reports::Format::html, "r.html", "<!DOCTYPE"},
                                     {reports::Format::xlsx, "r.xlsx", "PK"},
                                     {reports::Format::pdf, "r.pdf", "%PDF"}}) {
    const auto path = dir.file(name);
    auto st = reports::write_report(*report, format, path, reports::default_template_dir());
    BOOST_REQUIRE_MESSAGE(st.has_value(), st.error().message);
    const auto text = testing::read_file(path);
    BOOST_TEST(text.rfind(magic, 0) == 0u, name);
    if (format == reports::Format::json || format == reports::Format::html)
      BOOST_TEST(text.find("OP2") != std::string::npos, name);
  }
  BOOST_TEST(testing::read_file(dir.file("r.json")).find("above background") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
