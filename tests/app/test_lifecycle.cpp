#define BOOST_TEST_MODULE app
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "app/domain/lifecycle.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using namespace niikit::domain;
using niikit::testing::TempDir;

namespace {
GateFacts facts_with(std::initializer_list<const char*> docs, const std::string& role = "manager") {
  GateFacts f;
  f.decider_role = role;
  for (auto d : docs) f.document_kinds.insert(d);
  return f;
}
std::int64_t audit_rows(db::Database& db) {
  SQLite::Statement q(db.sql(), "SELECT count(*) FROM audit_log");
  q.executeStep();
  return q.getColumn(0).getInt64();
}
}  // namespace

BOOST_AUTO_TEST_CASE(stage_table_is_complete_and_ordered) {
  const auto& table = stage_table();
  BOOST_TEST(table.size() == 11u);
  for (std::size_t i = 0; i < table.size(); ++i) {
    BOOST_TEST(static_cast<std::size_t>(table[i].stage) == i);
    BOOST_TEST((parse_stage(table[i].code) == table[i].stage));
  }
  BOOST_TEST(stage_info(Stage::decommissioned).successors.empty());
  BOOST_TEST(!parse_stage("retired").has_value());
}

BOOST_AUTO_TEST_CASE(every_stage_and_code_is_accepted_by_the_schema_and_nothing_else) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  int n = 0;
  auto insert = [&](const std::string& stage, const std::string& tech, const std::string& config) {
    return db.write("t", [&](db::WriteTx& tx) -> Status {
      db::Scanner s;
      s.asset_tag = "S" + std::to_string(++n);
      s.manufacturer = s.model = "m";
      s.technology = tech;
      s.configuration = config;
      s.stage = stage;
      s.stage_since_utc = "2026-01-01T00:00:00Z";
      auto id = db::insert_scanner(tx, s);
      if (!id) return tl::unexpected(id.error());
      return {};
    });
  };
  for (const auto& s : stage_table()) BOOST_TEST(insert(std::string(s.code), "linac", "fixed").has_value());
  for (auto t : technologies().codes) BOOST_TEST(insert("needs", std::string(t), "fixed").has_value());
  for (auto c : configurations().codes) BOOST_TEST(insert("needs", "linac", std::string(c)).has_value());
  BOOST_TEST(!insert("retired", "linac", "fixed").has_value());
  BOOST_TEST(!insert("needs", "laser", "fixed").has_value());
}

BOOST_AUTO_TEST_CASE(gates_refuse_with_every_unmet_condition_and_pass_with_the_records) {
  struct Case {
    Stage from, to;
    GateFacts refused;
    std::size_t unmet;
    GateFacts passing;
  };
  GateFacts fat_ok;
  fat_ok.decider_role = "engineer";
  fat_ok.fat.recorded = fat_ok.fat.passed = true;
  GateFacts spec_ok = facts_with({});
  spec_ok.specification.linked = spec_ok.specification.frozen = true;
  GateFacts final_ok = facts_with({"acceptance_certificate"});
  final_ok.sat.recorded = final_ok.sat.passed = true;
  GateFacts deploy_ok = facts_with({"installation_certificate"}, "engineer");
  deploy_ok.valid_licence = deploy_ok.commissioning_survey_passed = true;
  GateFacts rts_ok = facts_with({}, "engineer");
  rts_ok.rts.recorded = rts_ok.rts.passed = true;
  rts_ok.periodic_survey_valid = rts_ok.valid_licence = true;
  GateFacts oos_ok = facts_with({}, "engineer");
  oos_ok.note = "belt motor failed";
  GateFacts decom_ok = facts_with({"regulator_confirmation"}, "rso");
  decom_ok.clearance_survey_passed = true;
  const std::vector<Case> cases{
      {Stage::needs, Stage::specification, facts_with({}, "engineer"), 2, facts_with({"business_case"})},
      {Stage::specification, Stage::tender, facts_with({"specification"}), 1, spec_ok},
      {Stage::tender, Stage::contract, facts_with({"bid_evaluation"}), 1, facts_with({"bid_evaluation", "award_decision"})},
      {Stage::contract, Stage::fat, facts_with({}), 1, facts_with({"contract"})},
      {Stage::fat, Stage::deployment, facts_with({}), 1, fat_ok},
      {Stage::deployment, Stage::sat, facts_with({}), 3, deploy_ok},
      {Stage::final_acceptance, Stage::in_service, facts_with({"acceptance_certificate"}, "engineer"), 2, final_ok},
      {Stage::in_service, Stage::out_of_service, facts_with({}), 1, oos_ok},
      {Stage::out_of_service, Stage::in_service, facts_with({}), 3, rts_ok},
      {Stage::in_service, Stage::decommissioned, facts_with({}), 2, decom_ok},
  };
  for (const auto& c : cases) {
    const auto label = std::string(stage_info(c.from).code) + "→" + std::string(stage_info(c.to).code);
    auto refused = evaluate_gate(c.from, c.to, c.refused);
    BOOST_TEST(!refused.passed(), label);
    BOOST_TEST(refused.unmet().size() == c.unmet, label << " unmet " << refused.unmet().size());
    for (const auto& why : refused.unmet()) BOOST_TEST(!why.empty(), label);
    BOOST_TEST(evaluate_gate(c.from, c.to, c.passing).passed(), label);
  }
}

BOOST_AUTO_TEST_CASE(fat_gate_counts_open_major_deviations) {
  GateFacts f;
  f.decider_role = "engineer";
  f.fat.recorded = f.fat.passed = true;
  f.open_major_deviations = 2;
  auto g = evaluate_gate(Stage::fat, Stage::deployment, f);
  BOOST_TEST(!g.passed());
  BOOST_TEST(g.unmet().front() == "2 major deviation(s) still open");
}

BOOST_AUTO_TEST_CASE(fat_gate_names_failed_unverified_and_unsigned) {
  GateFacts f;
  f.decider_role = "engineer";
  f.fat.recorded = true;
  f.fat.session_id = 7;
  f.fat.mandatory_failed = {"IQ-03"};
  f.fat.mandatory_unverified = {"FN-01", "RD-02"};
  f.fat.unsigned_witnesses = {"Kofi Boateng"};
  auto g = evaluate_gate(Stage::fat, Stage::deployment, f);
  BOOST_TEST(g.unmet() == (std::vector<std::string>{
                              "FAT session 7 failed: 1 mandatory requirement(s) failed (IQ-03)",
                              "FAT session 7: 2 mandatory requirement(s) not verified (FN-01, RD-02)",
                              "FAT session 7: not signed by witness(es) Kofi Boateng"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(specification_gate_needs_a_frozen_specification_with_methods) {
  GateFacts f = facts_with({"specification"});
  BOOST_TEST(evaluate_gate(Stage::specification, Stage::tender, f).unmet().front().find("no specification recorded") == 0u);
  f.specification.linked = true;
  f.specification.reference = "P-1 v2";
  BOOST_TEST(evaluate_gate(Stage::specification, Stage::tender, f).unmet().front() ==
             "specification P-1 v2 is a draft, not frozen");
  f.specification.frozen = true;
  f.specification.mandatory_without_method = 3;
  BOOST_TEST(evaluate_gate(Stage::specification, Stage::tender, f).unmet() ==
             std::vector<std::string>{"specification P-1 v2: 3 mandatory requirement(s) without a test method or phase"});
}

BOOST_AUTO_TEST_CASE(skipping_stages_and_vendor_decisions_are_refused) {
  auto skip = evaluate_gate(Stage::needs, Stage::in_service, facts_with({"business_case"}));
  BOOST_TEST(!skip.passed());
  BOOST_TEST(skip.unmet().front() == "needs cannot move to in_service (allowed: specification)");
  auto vendor = evaluate_gate(Stage::contract, Stage::fat, facts_with({"contract"}, "vendor"));
  BOOST_TEST(vendor.unmet() == std::vector<std::string>{"a vendor cannot decide a stage move for the administration"});
  auto final_stage = evaluate_gate(Stage::decommissioned, Stage::in_service, facts_with({}));
  BOOST_TEST(final_stage.unmet().front().find("final") != std::string::npos);
}

struct LifecycleFixture {
  TempDir dir;
  db::Database db = testing::fresh_db(dir);
  services::EvidenceStore store{dir.path() / "evidence"};
  LifecycleFixture() {
    BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Ama"}, {"role", "manager"}}).has_value());
    BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Efua"}, {"role", "engineer"}}).has_value());
    BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", "S1"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                  {"technology", "linac"}, {"configuration", "portal"}})
                      .has_value());
  }
};

BOOST_FIXTURE_TEST_CASE(a_refused_move_writes_nothing_and_names_every_reason, LifecycleFixture) {
  const auto before = audit_rows(db);
  auto r = services::advance_stage(db, {"S1", "specification", "Efua", "", std::nullopt});
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == ErrorCode::gate_refused);
  BOOST_TEST(r.error().message ==
             "scanner S1: cannot move needs → specification: must be decided by a manager (the budget holder "
             "approves needs), not by the engineer given; no business case or needs statement linked");
  BOOST_TEST(audit_rows(db) == before);
  BOOST_TEST(services::get_scanner(db, "S1")->stage == "needs");
}

BOOST_FIXTURE_TEST_CASE(an_allowed_move_records_a_decision_and_the_new_stage, LifecycleFixture) {
  TempDir files;
  testing::write_file(files.file("bc.txt"), "business case");
  auto doc = services::add_document(db, store, "Efua", {"Business case", "business case", files.file("bc.txt"), "S1", "", "Efua"});
  BOOST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->sha256 == db::sha256_hex("business case"));
  auto r = services::advance_stage(db, {"S1", "specification", "Ama", "approved", doc->id});
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(r->scanner.stage == "specification");
  BOOST_TEST(r->decision.kind == "advance");
  BOOST_TEST(r->decision.decided_role == "manager");
  BOOST_TEST(*r->decision.evidence_document_id == doc->id);
  BOOST_TEST(r->decision.gate_json.find("\"holds\":true") != std::string::npos);
  auto tl = services::scanner_timeline(db, "S1");
  BOOST_REQUIRE(tl->decisions.size() == 2u);
  BOOST_TEST(tl->decisions[0].kind == "register");
  BOOST_TEST(tl->decisions[1].to_stage == "specification");
  BOOST_TEST(db::verify_audit(db.sql())->ok());
}

BOOST_FIXTURE_TEST_CASE(out_of_service_and_return, LifecycleFixture) {
  BOOST_REQUIRE(services::add_scanner(db, "t", {{"asset_tag", "S2"}, {"manufacturer", "B"}, {"model", "X"},
                                                {"technology", "xray tube"}, {"configuration", "cabinet"},
                                                {"stage", "in_service"}, {"stage_since", "2020-01-01"}})
                    .has_value());
  auto no_reason = services::take_out_of_service(db, {"S2", "", "Efua", "", std::nullopt});
  BOOST_REQUIRE(!no_reason.has_value());
  BOOST_TEST(no_reason.error().code == ErrorCode::gate_refused);
  auto out = services::take_out_of_service(db, {"S2", "", "Efua", "tube arcing", std::nullopt});
  BOOST_REQUIRE(out.has_value());
  BOOST_TEST(out->scanner.stage == "out_of_service");
  auto back = services::return_to_service(db, {"S2", "", "Efua", "", std::nullopt});
  BOOST_REQUIRE(!back.has_value());
  BOOST_TEST(back.error().message.find("return-to-service QC") != std::string::npos);
  auto not_out = services::return_to_service(db, {"S1", "", "Efua", "", std::nullopt});
  BOOST_REQUIRE(!not_out.has_value());
  BOOST_TEST(not_out.error().message == "scanner S1: is needs, not out of service");
}
