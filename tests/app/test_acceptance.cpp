// Acceptance test sessions (issue 7): sessions, evidence, verdicts, deviations, signatures and
// the stage gates that read them, on a temporary database with a frozen specification.
#define BOOST_TEST_MODULE acceptance
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include <fmt/format.h>

#include <algorithm>

#include "app/services/acceptance_service.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"
#include "app/acceptance_fixture.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using services::DeviationRequest;
using services::MeasurementRequest;
using services::StartSessionRequest;
using niikit::testing::TempDir;

using namespace niikit::testing::acceptance;

BOOST_FIXTURE_TEST_CASE(a_typed_value_never_overrides_a_kit_measurement_of_the_same_metric, Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  const auto run = kit_steel(s, 280);
  const auto before = count(db, "SELECT count(*) FROM measurements");
  auto typed = services::add_measurement(db, {s, "cargo.penetration.steel_mm", 500, "mm", "ruler", "", "retyped", "Efua"});
  BOOST_REQUIRE(!typed.has_value());
  BOOST_TEST(typed.error().code == ErrorCode::conflict);
  BOOST_TEST(typed.error().message ==
             fmt::format("metric cargo.penetration.steel_mm: measured by kit run {} (kit cargo 1.0: 280 mm) in session "
                         "{}; a typed value cannot replace a kit's measurement (run the kit again, or start a retest "
                         "session)", run, s));
  BOOST_TEST(count(db, "SELECT count(*) FROM measurements") == before);   // nothing stored
  auto closed = close(s);
  for (const auto& r : closed.results)
    if (r.requirement.id == "IQ-01") {
      BOOST_TEST(r.measured.value_or(0) == 280.0);
      BOOST_TEST((r.verdict == domain::Verdict::fail));
    }
}

BOOST_FIXTURE_TEST_CASE(a_manual_value_of_a_kit_metric_needs_instrument_and_reason_and_a_later_kit_run_outranks_it,
                        Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  auto bare = services::add_measurement(db, {s, "cargo.penetration.steel_mm", 500, "mm", "", "", "", "Efua"});
  BOOST_REQUIRE(!bare.has_value());
  BOOST_TEST(bare.error().code == ErrorCode::usage);
  BOOST_TEST(contains(bare.error().message, "--instrument (what measured it) and --note (why no kit run)"));
  BOOST_TEST(count(db, "SELECT count(*) FROM measurements") == 0);
  measure(s, "cargo.penetration.steel_mm", 500, "mm");   // typed first, with instrument and reason
  kit_steel(s, 280);                                     // the kit's value stands, though it came later
  auto detail = services::session_detail(db, s);
  BOOST_REQUIRE(detail.has_value());
  for (const auto& r : detail->results)
    if (r.requirement.id == "IQ-01") {
      BOOST_TEST(r.measured.value_or(0) == 280.0);
      BOOST_TEST((r.verdict == domain::Verdict::fail));
    }
}

BOOST_FIXTURE_TEST_CASE(a_session_starts_only_at_its_stage_with_witnesses_who_are_people, Fixture) {
  scanner("S1", "fat");
  auto sat = services::start_session(db, {"S1", "sat", "site", {"Kofi"}, "Efua", {}});
  BOOST_REQUIRE(!sat.has_value());
  BOOST_TEST(sat.error().code == ErrorCode::gate_refused);
  BOOST_TEST(sat.error().message == "scanner S1: a sat session needs the scanner at stage sat, it is at fat");
  auto nobody = services::start_session(db, {"S1", "fat", "plant", {}, "Efua", {}});
  BOOST_REQUIRE(!nobody.has_value());
  BOOST_TEST(nobody.error().code == ErrorCode::usage);
  auto ghost = services::start_session(db, {"S1", "fat", "plant", {"Nobody"}, "Efua", {}});
  BOOST_REQUIRE(!ghost.has_value());
  BOOST_TEST(ghost.error().code == ErrorCode::not_found);
  BOOST_TEST(count(db, "SELECT count(*) FROM test_sessions") == 0);   // refused → nothing written
  const auto id = start("S1", "fat");
  auto twice = services::start_session(db, {"S1", "fat", "plant", {"Kofi"}, "Efua", {}});
  BOOST_REQUIRE(!twice.has_value());
  BOOST_TEST(twice.error().code == ErrorCode::conflict);
  auto detail = services::session_detail(db, id);
  BOOST_REQUIRE(detail.has_value());
  BOOST_TEST(detail->requirements.size() == 5u);
  BOOST_TEST(detail->results.size() == 5u);   // every requirement is verified at FAT
  BOOST_TEST(detail->session.specification_version.value_or(0) == 1);
  BOOST_TEST(detail->session.specification_sha256.size() == 64u);
}

BOOST_FIXTURE_TEST_CASE(measurements_are_checked_against_known_keys_and_units, Fixture) {
  scanner("S1", "fat");
  const auto id = start("S1", "fat");
  auto typo = services::add_measurement(db, {id, "throughput.scan_per_h", 24, "scans/h", "", "", "", "Efua"});
  BOOST_REQUIRE(!typo.has_value());
  BOOST_TEST(typo.error().code == ErrorCode::input);
  BOOST_TEST(contains(typo.error().message, "did you mean throughput.scans_per_h"), typo.error().message);
  auto unit = services::add_measurement(db, {id, "throughput.scans_per_h", 24, "scans/min", "", "", "", "Efua"});
  BOOST_REQUIRE(!unit.has_value());
  BOOST_TEST(unit.error().message == "metric throughput.scans_per_h: unit 'scans/min' given, the key is measured in 'scans/h'");
  auto no_meter = services::add_measurement(db, {id, "radiation.dose_rate.boundary_usv_h", 1, "uSv/h", "", "", "", "Efua"});
  BOOST_REQUIRE(!no_meter.has_value());
  BOOST_TEST(contains(no_meter.error().message, "--instrument"));
  BOOST_TEST(count(db, "SELECT count(*) FROM measurements") == 0);
}

BOOST_FIXTURE_TEST_CASE(fat_cannot_pass_with_an_unverified_mandatory_requirement_or_an_open_major_deviation, Fixture) {
  scanner("S1", "fat");
  // Session 1: steel penetration never measured.
  const auto s1 = start("S1", "fat");
  measure(s1, "throughput.scans_per_h", 24, "scans/h");
  measure(s1, "radiation.dose_rate.boundary_usv_h", 1.2, "uSv/h");
  measure(s1, "functional.interlocks", 1, "bool");
  auto c1 = close(s1);
  BOOST_TEST(*c1.session.verdict == "fail");
  BOOST_TEST(c1.raised.empty());   // unmeasured is "not verified", not a deviation
  auto g1 = gate("S1", "deployment", "Efua");
  BOOST_TEST(!g1.passed());
  BOOST_TEST(contains(unmet(g1), "FAT session 1: 1 mandatory requirement(s) not verified (IQ-01)"), unmet(g1));

  // Session 2: everything passes, but a major deviation is raised by hand and left open.
  const auto s2 = start("S1", "fat");
  measure_fat(s2, 320, 1);
  auto dev = services::add_deviation(db, DeviationRequest{s2, "TP-01", "major", "conveyor stalls under load", "Kofi"});
  BOOST_REQUIRE(dev.has_value());
  auto c2 = close(s2);
  BOOST_TEST(*c2.session.verdict == "fail");   // all requirements pass, the open major deviation fails it
  BOOST_TEST(std::all_of(c2.results.begin(), c2.results.end(),
                         [](const auto& r) { return r.verdict == domain::Verdict::pass; }));
  BOOST_REQUIRE(services::sign_session(db, s2, "Kofi", "witness").has_value());
  auto g2 = gate("S1", "deployment", "Efua");
  BOOST_TEST(contains(unmet(g2), "1 major deviation(s) still open"), unmet(g2));
  BOOST_TEST(contains(unmet(g2), "FAT session 2 failed"), unmet(g2));
  BOOST_TEST(db::verify_audit(db.sql())->ok());
}

BOOST_FIXTURE_TEST_CASE(a_failing_requirement_raises_a_deviation_that_a_passing_retest_closes, Fixture) {
  scanner("S1", "fat");
  const auto s1 = start("S1", "fat");
  measure_fat(s1, 280, 0);   // steel 280 mm < 300 (mandatory), no remote analysis (desirable)
  auto c1 = close(s1);
  BOOST_TEST(*c1.session.verdict == "fail");
  BOOST_REQUIRE(c1.raised.size() == 2u);
  BOOST_TEST(c1.raised[0].requirement_id == "IQ-01");
  BOOST_TEST(c1.raised[0].severity == "major");
  BOOST_TEST(c1.raised[0].raised_automatically);
  BOOST_TEST(c1.raised[0].description == "IQ-01 failed at fat session 1: 280 mm against >= 300 mm");
  BOOST_TEST(c1.raised[1].severity == "minor");   // desirable
  // Evidence on a closed session is refused.
  auto late = services::add_measurement(db, {s1, "cargo.penetration.steel_mm", 310, "mm", "", "", "", "Efua"});
  BOOST_REQUIRE(!late.has_value());
  BOOST_TEST(late.error().code == ErrorCode::conflict);

  const auto s2 = start("S1", "fat", s1);
  measure(s2, "cargo.penetration.steel_mm", 310, "mm");
  auto c2 = close(s2);
  BOOST_TEST(*c2.session.verdict == "pass");
  BOOST_REQUIRE(c2.closed_by_retest.size() == 1u);
  BOOST_TEST(c2.closed_by_retest[0].id == c1.raised[0].id);
  BOOST_TEST(c2.closed_by_retest[0].status == "closed");
  BOOST_TEST(*c2.closed_by_retest[0].closed_by_session == s2);
  BOOST_TEST(contains(c2.closed_by_retest[0].resolution_note, "closed by retest, session 2"));
  for (const auto& r : c2.results) {
    if (r.requirement.id == "IQ-01") BOOST_TEST(!r.from_session.has_value());
    if (r.requirement.id == "TP-01") BOOST_TEST(r.from_session.value_or(0) == s1);   // carried over
  }
  // Not yet signed by the witness: the gate names who must sign.
  auto g = gate("S1", "deployment", "Efua");
  BOOST_TEST(unmet(g) == "FAT session 2: not signed by witness(es) Kofi; ", unmet(g));
  auto not_witness = services::sign_session(db, s2, "Ama", "witness");
  BOOST_REQUIRE(!not_witness.has_value());
  BOOST_TEST(not_witness.error().code == ErrorCode::input);
  BOOST_REQUIRE(services::sign_session(db, s2, "Kofi", "witness").has_value());
  BOOST_REQUIRE(services::sign_session(db, s2, "Vic", "vendor").has_value());
  BOOST_TEST(gate("S1", "deployment", "Efua").passed());
  auto moved = services::advance_stage(db, {"S1", "deployment", "Efua", "FAT accepted", std::nullopt});
  BOOST_REQUIRE_MESSAGE(moved.has_value(), (moved ? "" : moved.error().message));
  // The minor deviation is still open: it will hold the SAT gate until closed or waived.
  auto detail = services::session_detail(db, s1);
  BOOST_REQUIRE(detail->deviations.size() == 2u);
  BOOST_TEST(detail->deviations[1].status == "open");
  BOOST_TEST(db::verify_audit(db.sql())->ok());
}

BOOST_FIXTURE_TEST_CASE(a_change_after_signing_is_refused_or_shows_as_an_invalid_signature, Fixture) {
  scanner("S1", "fat");
  const auto s1 = start("S1", "fat");
  measure_fat(s1, 320, 1);
  BOOST_TEST(*close(s1).session.verdict == "pass");
  BOOST_REQUIRE(services::sign_session(db, s1, "Kofi", "witness").has_value());
  auto before = services::session_detail(db, s1);
  BOOST_TEST(before->content_intact);
  BOOST_TEST(before->signatures.at(0).valid);
  BOOST_TEST(before->signatures.at(0).signature.content_sha256 == before->session.content_sha256);
  BOOST_TEST(gate("S1", "deployment", "Efua").passed());

  // Through niikit: refused.
  auto changed = services::add_measurement(db, {s1, "cargo.penetration.steel_mm", 250, "mm", "", "", "", "Efua"});
  BOOST_REQUIRE(!changed.has_value());
  BOOST_TEST(changed.error().code == ErrorCode::conflict);
  auto dev = services::add_deviation(db, {s1, "IQ-01", "major", "late", "Efua"});
  BOOST_REQUIRE(!dev.has_value());

  // Behind niikit's back: the stored steel penetration edited with plain SQL.
  db.sql().exec("UPDATE measurements SET value = 250 WHERE metric_key = 'cargo.penetration.steel_mm'");
  auto after = services::session_detail(db, s1);
  BOOST_REQUIRE(after.has_value());
  BOOST_TEST(!after->content_intact);
  BOOST_TEST(!after->signatures.at(0).valid);
  BOOST_TEST(after->signatures.at(0).status == "invalid: content changed since signing");
  auto g = gate("S1", "deployment", "Efua");
  BOOST_TEST(contains(unmet(g), "records changed since it was closed"), unmet(g));
  BOOST_TEST(contains(unmet(g), "signature(s) of Kofi (witness) invalid: content changed since signing"), unmet(g));
  auto resign = services::sign_session(db, s1, "Efua", "tester");
  BOOST_REQUIRE(!resign.has_value());
  BOOST_TEST(resign.error().code == ErrorCode::integrity);
  auto audit = db::verify_audit(db.sql());
  BOOST_REQUIRE(audit.has_value());
  BOOST_TEST(!audit->ok());
  BOOST_TEST(audit->problems.at(0).kind == "record_changed");
}

BOOST_FIXTURE_TEST_CASE(final_acceptance_needs_sat_passed_and_signed_and_deviations_resolved, Fixture) {
  scanner("S2", "sat");
  const auto s = start("S2", "sat");
  measure(s, "throughput.scans_per_h", 22, "scans/h");
  measure(s, "radiation.dose_rate.boundary_usv_h", 0.8, "uSv/h");
  measure(s, "functional.interlocks", 1, "bool");
  measure(s, "cargo.penetration.steel_mm", 305, "mm");
  auto minor = services::add_deviation(db, {s, "TP-01", "minor", "label on console missing", "Kofi"});
  BOOST_REQUIRE(minor.has_value());
  BOOST_TEST(*close(s).session.verdict == "pass");   // a minor deviation does not fail a session
  auto g1 = gate("S2", "final_acceptance", "Efua");
  BOOST_TEST(unmet(g1) == "SAT session 1: not signed by witness(es) Kofi; 1 deviation(s) neither closed nor waived; ",
             unmet(g1));
  BOOST_REQUIRE(services::sign_session(db, s, "Kofi", "witness").has_value());
  auto vendor = services::waive_deviation(db, minor->id, "fit label within 30 days", "Vic");
  BOOST_REQUIRE(!vendor.has_value());
  BOOST_TEST(vendor.error().code == ErrorCode::gate_refused);
  auto waived = services::waive_deviation(db, minor->id, "fit label within 30 days", "Efua");
  BOOST_REQUIRE(waived.has_value());
  BOOST_TEST(waived->status == "waived");
  BOOST_TEST(gate("S2", "final_acceptance", "Efua").passed());
  BOOST_REQUIRE(services::advance_stage(db, {"S2", "final_acceptance", "Efua", "", std::nullopt}).has_value());
  // final_acceptance → in_service: certificate and manager, plus SAT passed with valid signatures.
  testing::write_file(dir.file("cert.txt"), "certificate");
  auto cert = services::add_document(db, store, "Ama", {"Certificate", "acceptance_certificate", dir.file("cert.txt"), "S2", "", "Ama"});
  BOOST_REQUIRE(cert.has_value());
  BOOST_TEST(gate("S2", "in_service", "Ama").passed());
  db.sql().exec("UPDATE test_sessions SET location = 'elsewhere' WHERE id = " + std::to_string(s));
  auto g2 = gate("S2", "in_service", "Ama");
  BOOST_TEST(unmet(g2) == "SAT session 1: records changed since it was closed; ", unmet(g2));
}

BOOST_FIXTURE_TEST_CASE(major_deviations_are_waived_by_managers_only, Fixture) {
  scanner("S1", "fat");
  const auto s = start("S1", "fat");
  auto major = services::add_deviation(db, {s, "RD-01", "major", "shielding gap", "Kofi"});
  BOOST_REQUIRE(major.has_value());
  auto no_condition = services::waive_deviation(db, major->id, " ", "Ama");
  BOOST_REQUIRE(!no_condition.has_value());
  BOOST_TEST(no_condition.error().code == ErrorCode::usage);
  auto engineer = services::waive_deviation(db, major->id, "extra shielding by March", "Efua");
  BOOST_REQUIRE(!engineer.has_value());
  BOOST_TEST(engineer.error().message ==
             "deviation 1: a major deviation can only be waived by a manager, not by the engineer given");
  auto manager = services::waive_deviation(db, major->id, "extra shielding by March", "Ama");
  BOOST_REQUIRE(manager.has_value());
  BOOST_TEST(manager->waiver_condition == "extra shielding by March");
  auto again = services::close_deviation(db, major->id, "fixed", "Ama");
  BOOST_REQUIRE(!again.has_value());
  BOOST_TEST(again.error().code == ErrorCode::conflict);
  BOOST_TEST(db::verify_audit(db.sql())->ok());
}

BOOST_FIXTURE_TEST_CASE(a_failed_periodic_qc_takes_the_scanner_out_of_service_and_a_return_qc_brings_it_back, Fixture) {
  scanner("S3", "in_service");
  const auto p = start("S3", "periodic");
  measure(p, "radiation.dose_rate.boundary_usv_h", 3.1, "uSv/h");
  measure(p, "functional.interlocks", 1, "bool");
  auto c = close(p);
  BOOST_TEST(*c.session.verdict == "fail");
  BOOST_REQUIRE(c.out_of_service.has_value());
  BOOST_TEST(c.out_of_service->note == "periodic QC session 1 failed: RD-01");
  BOOST_TEST(services::get_scanner(db, "S3")->stage == "out_of_service");
  BOOST_REQUIRE(c.raised.size() == 1u);

  auto g1 = gate("S3", "in_service", "Efua");
  BOOST_TEST(contains(unmet(g1), "no passed return-to-service QC session recorded"), unmet(g1));
  const auto r = start("S3", "return-to-service");
  measure(r, "radiation.dose_rate.boundary_usv_h", 1.1, "uSv/h");
  measure(r, "functional.interlocks", 1, "bool");
  auto back = close(r);
  BOOST_TEST(*back.session.verdict == "pass");
  BOOST_REQUIRE(back.closed_by_retest.size() == 1u);   // the periodic deviation, closed by the return QC
  BOOST_TEST(back.closed_by_retest[0].id == c.raised[0].id);
  auto g2 = gate("S3", "in_service", "Efua");
  BOOST_TEST(!contains(unmet(g2), "QC"), unmet(g2));   // what remains is radiation safety, not QC
  auto trend = services::metric_trend(db, "S3", "radiation.dose_rate.boundary_usv_h");
  BOOST_REQUIRE(trend.has_value());
  BOOST_REQUIRE(trend->size() == 2u);
  BOOST_TEST((*trend)[0].value == 3.1);
  BOOST_TEST(((*trend)[0].verdict == domain::Verdict::fail));
  BOOST_TEST((*trend)[1].phase == "return_to_service");
  BOOST_TEST((*trend)[1].requirement->target == 2.5);
  BOOST_TEST(db::verify_audit(db.sql())->ok());
}

BOOST_FIXTURE_TEST_CASE(the_fleet_board_reads_the_same_gate_facts_as_a_single_scanner, Fixture) {
  scanner("S1", "fat");
  scanner("S4", "fat");
  const auto s = start("S1", "fat");
  measure_fat(s, 320, 1);
  close(s);
  BOOST_REQUIRE(services::sign_session(db, s, "Kofi", "witness").has_value());
  services::FleetFacts fleet(db.sql(), "2026-11-24T09:00:00Z");
  auto s1 = services::get_scanner(db, "S1");
  auto s4 = services::get_scanner(db, "S4");
  const auto f1 = fleet.for_scanner(*s1, "manager", "");
  BOOST_TEST(f1.fat.recorded);
  BOOST_TEST(f1.fat.passed);
  BOOST_TEST(f1.fat.valid_signatures == 1);
  BOOST_TEST(f1.specification.frozen);
  BOOST_TEST(f1.specification.reference == "P-1 v1");
  BOOST_TEST(!fleet.for_scanner(*s4, "manager", "").fat.recorded);
  BOOST_TEST(evaluate_gate(domain::Stage::fat, domain::Stage::deployment, f1).passed());
}

BOOST_FIXTURE_TEST_CASE(only_procurement_or_a_manager_freezes_a_specification, Fixture) {
  BOOST_REQUIRE(services::add_procurement(db, "t", {"P-2", "Baggage scanners", "", "", ""}).has_value());
  BOOST_REQUIRE(services::import_specification(db, "t", "P-2", dir.file("spec.json")).has_value());
  auto vendor = services::freeze_specification(db, "t", "P-2", "Vic");
  BOOST_REQUIRE(!vendor.has_value());
  BOOST_TEST(vendor.error().code == ErrorCode::forbidden);
  BOOST_TEST(vendor.error().message ==
             "procurement P-2: spec.freeze: Vic acts as vendor, but this needs procurement or manager (freezing a "
             "specification is procurement's decision (or the budget holder's))");
  auto engineer = services::freeze_specification(db, "t", "P-2", "Efua");
  BOOST_REQUIRE(!engineer.has_value());
  BOOST_TEST(engineer.error().code == ErrorCode::forbidden);
  BOOST_TEST(count(db, "SELECT count(*) FROM specifications WHERE status = 'frozen'") == 1);   // P-1's only
  BOOST_TEST(services::freeze_specification(db, "t", "P-2", "Ama")->frozen);
}

BOOST_FIXTURE_TEST_CASE(the_tester_is_never_their_own_witness_or_approver_and_the_gate_does_not_count_them, Fixture) {
  scanner("S1", "fat");
  auto self = services::start_session(db, {"S1", "fat", "plant", {"Efua"}, "Efua", {}});
  BOOST_REQUIRE(!self.has_value());
  BOOST_TEST(self.error().code == ErrorCode::forbidden);
  BOOST_TEST(self.error().message ==
             "--witness Efua: Efua runs the session and cannot be its witness; name someone independent");
  auto vendor_runs = services::start_session(db, {"S1", "fat", "plant", {"Kofi"}, "Vic", {}});
  BOOST_REQUIRE(!vendor_runs.has_value());
  BOOST_TEST(vendor_runs.error().code == ErrorCode::forbidden);
  BOOST_TEST(count(db, "SELECT count(*) FROM test_sessions") == 0);

  // A session recorded before the rule, with the tester listed as a witness beside Kofi.
  const auto s = start("S1", "fat");
  db.sql().exec(fmt::format("INSERT INTO session_witnesses (session_id, person_id) SELECT {}, id FROM people "
                            "WHERE name = 'Efua'", s));
  measure_fat(s, 320, 1);
  close(s);
  auto own = services::sign_session(db, s, "Efua", "witness");
  BOOST_REQUIRE(!own.has_value());
  BOOST_TEST(own.error().code == ErrorCode::forbidden);
  BOOST_TEST(own.error().message == fmt::format("session {}: Efua ran the session and cannot sign it as witness", s));
  auto approve = services::sign_session(db, s, "Efua", "approver");   // an engineer is no approver either
  BOOST_REQUIRE(!approve.has_value());
  BOOST_TEST(approve.error().code == ErrorCode::forbidden);
  BOOST_TEST(count(db, "SELECT count(*) FROM signatures") == 0);
  BOOST_REQUIRE(services::sign_session(db, s, "Efua", "tester").has_value());
  BOOST_REQUIRE(services::sign_session(db, s, "Kofi", "witness").has_value());
  auto g = gate("S1", "deployment");
  BOOST_TEST(!g.passed());
  BOOST_TEST(unmet(g) == fmt::format("FAT session {}: not signed by witness(es) Efua (ran the session, so not an "
                                     "independent witness); ", s),
             unmet(g));
}

BOOST_FIXTURE_TEST_CASE(a_stage_decision_refuses_evidence_of_another_scanner, Fixture) {
  scanner("S1", "fat");
  scanner("S9", "fat");
  testing::write_file(dir.file("other.txt"), "S9's certificate");
  auto doc = services::add_document(db, store, "Ama", {"S9 certificate", "other", dir.file("other.txt"), "S9", "", "Ama"});
  BOOST_REQUIRE(doc.has_value());
  const auto decisions = count(db, "SELECT count(*) FROM decisions");
  auto moved = services::advance_stage(db, {"S1", "deployment", "Ama", "", doc->id});
  BOOST_REQUIRE(!moved.has_value());
  BOOST_TEST(moved.error().code == ErrorCode::input);
  BOOST_TEST(moved.error().message ==
             fmt::format("--evidence {}: document 'S9 certificate' belongs to scanner S9, not to scanner S1", doc->id));
  BOOST_TEST(count(db, "SELECT count(*) FROM decisions") == decisions);
  BOOST_TEST(services::get_scanner(db, "S1")->stage == "fat");
}
