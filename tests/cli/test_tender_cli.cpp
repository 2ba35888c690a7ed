// `niikit needs|tender|bid|contract ...` end to end through the binary (issue 14): a tender from
// the frozen cargo catalogue to the signed contract, acting as the people who hold the roles;
// refusals with their exit statuses and one-line errors naming the option; the --json ranking;
// and the OCDS 1.1 release package validated against the OCDS schemas with the bid, lots,
// awardCriteria and requirements extensions (tests/tools/validate_ocds.py, python3-jsonschema).
#define BOOST_TEST_MODULE tender_cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;
namespace tt = boost::test_tools;

namespace {

QJsonDocument json_of(const std::string& text) { return QJsonDocument::fromJson(QByteArray::fromStdString(text)); }

const char* kMandatory =
    "IQ-01 IQ-02 IQ-03 IQ-04 IQ-05 IQ-06 RAD-01 RAD-02 THR-01 AV-01 AV-02 AV-03 SW-01 SW-02 SW-03 FN-01 FN-02 FN-03";

struct Cli {
  TempDir dir;
  std::string now = "2026-11-24T09:00:00Z";
  niikit::testing::RunResult run(const std::string& args) {
    return run_niikit("--db " + dir.file("n.db") + " " + args, "NIIKIT_NOW=" + now);
  }
  void ok(const std::string& args) {
    auto r = run(args);
    BOOST_REQUIRE_MESSAGE(r.status == 0, args << " → " << r.status << ": " << r.err);
  }
  void bid(const std::string& bidder, const std::string& price_options, const std::string& iq_mm) {
    ok("--as 'Ama Mensah' bid submit T-1 --bidder '" + bidder + "' " + price_options +
       " --valid-until 2027-03-31 --claims IQ-01=" + iq_mm + " RAD-01=2.0 --complies " + kMandatory);
  }
  // A published tender T-1 on the frozen cargo catalogue with three bids recorded.
  void tender_with_bids() {
    BOOST_REQUIRE(run("db init").status == 0);
    ok("person add --name 'Yaw Owusu' --role manager");
    for (const char* p : {"--name 'Ama Mensah' --role procurement", "--name 'Kofi Boateng' --role engineer",
                          "--name 'Efua Asante' --role engineer", "--name 'Vic Vendor' --role vendor"})
      ok(std::string("--as 'Yaw Owusu' person add ") + p);
    ok("procurement add --reference P-1 --title 'Tema cargo' --budget 3000000 --currency USD");
    ok("spec catalogue --kit cargo --out " + dir.file("cargo.json"));
    ok("spec import --procurement P-1 " + dir.file("cargo.json"));
    ok("spec freeze --procurement P-1 --by 'Ama Mensah'");
    ok("--as 'Ama Mensah' tender add T-1 --procurement P-1 --title 'Tema portal' --publication 2026-11-25 "
       "--clarification-deadline 2026-12-01 --closing 2026-12-10T09:00:00Z --opening 2026-12-10T10:00:00Z");
    ok("--as 'Ama Mensah' tender lot T-1 --title Portal --configuration portal --budget 3000000");
    ok("--as 'Ama Mensah' tender criteria T-1 --criteria 'IQ:technical:40:Image quality' "
       "'SVC:technical:20:Service' 'PRICE:price:40:Price'");
    ok("--as 'Ama Mensah' tender committee T-1 --person 'Ama Mensah' --role chair");
    ok("--as 'Ama Mensah' tender committee T-1 --person 'Kofi Boateng' --role evaluator");
    ok("--as 'Ama Mensah' tender committee T-1 --person 'Efua Asante' --role evaluator");
    ok("--as 'Ama Mensah' tender publish T-1");
    now = "2026-12-02T09:00:00Z";
    bid("Alpha Scan", "--price 2400000", "320");
    bid("Beta Imaging", "--price 1818181.82 --currency EUR --rate 1.1", "310");
    bid("Gamma Systems", "--price 1800000", "250");
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_tender_runs_from_the_frozen_specification_to_a_signed_contract_and_exports_valid_ocds) {
  Cli c;
  c.tender_with_bids();
  c.now = "2026-12-10T10:00:00Z";
  for (const char* p : {"Ama Mensah", "Kofi Boateng", "Efua Asante"}) c.ok(std::string("--as '") + p + "' tender declare T-1");
  c.ok("--as 'Ama Mensah' tender open T-1");
  //            IQ (40 %)      SVC (20 %)
  //            Kofi  Efua     Kofi  Efua
  // Alpha (1)   8     6        9     7
  // Beta (2)    6     7        5     5
  const std::vector<std::pair<const char*, const char*>> scores{
      {"Kofi Boateng", "--bid 1 --criterion IQ --score 8"}, {"Efua Asante", "--bid 1 --criterion IQ --score 6"},
      {"Kofi Boateng", "--bid 1 --criterion SVC --score 9"}, {"Efua Asante", "--bid 1 --criterion SVC --score 7"},
      {"Kofi Boateng", "--bid 2 --criterion IQ --score 6"}, {"Efua Asante", "--bid 2 --criterion IQ --score 7"},
      {"Kofi Boateng", "--bid 2 --criterion SVC --score 5"}, {"Efua Asante", "--bid 2 --criterion SVC --score 5"}};
  for (const auto& [who, what] : scores) c.ok(std::string("--as '") + who + "' tender score T-1 " + what);
  c.ok("--as 'Ama Mensah' tender lock T-1");
  c.ok("--as 'Ama Mensah' tender moderate T-1 --bid 1 --criterion IQ --method mean --rationale 'declared mean'");
  c.ok("--as 'Ama Mensah' tender moderate T-1 --bid 1 --criterion SVC --method mean --rationale 'declared mean'");
  c.ok("--as 'Ama Mensah' tender moderate T-1 --bid 2 --criterion IQ --method consensus --score 6.5 --rationale agreed");
  c.ok("--as 'Ama Mensah' tender moderate T-1 --bid 2 --criterion SVC --method mean --rationale 'no spread'");

  // The hand-worked numbers of tests/app/test_tender.cpp, through --json.
  auto rank = c.run("--as 'Ama Mensah' tender evaluate T-1 --json");
  BOOST_REQUIRE_MESSAGE(rank.status == 0, rank.err);
  const auto lot = json_of(rank.out).array().at(0).toObject();
  const auto lines = lot.value("ranking").toObject().value("lines").toArray();
  BOOST_REQUIRE(lines.size() == 2);
  BOOST_TEST(lines.at(0).toObject().value("bidder").toString().toStdString() == "Alpha Scan");
  BOOST_TEST(lines.at(0).toObject().value("total_points").toDouble() == 44.0 + 100.0 / 3.0, tt::tolerance(1e-9));
  BOOST_TEST(lines.at(1).toObject().value("total_points").toDouble() == 76.0, tt::tolerance(1e-9));
  BOOST_TEST(lot.value("excluded").toArray().at(0).toString().toStdString() ==
             "Gamma Systems: mandatory clause failed: IQ-01: claimed 250 mm, required >= 300 mm");

  // The award is a manager's decision; the contract waits out the standstill.
  auto not_manager = c.run("--as 'Ama Mensah' tender award T-1 --bid 1 --justification 'ranked first'");
  BOOST_TEST(not_manager.status == 10);
  c.ok("--as 'Yaw Owusu' tender award T-1 --bid 1 --justification 'ranked first (77.33 points)'");
  c.now = "2026-12-21T10:00:00Z";
  auto shares = c.run("--as 'Ama Mensah' contract sign T-1 --reference C-1 --value 2400000 --signed-on 2026-12-21 "
                      "--milestones fat:2027-03-01:30 sat:2027-06-15:60");
  BOOST_TEST(shares.status == 3);
  BOOST_TEST(shares.err == "niikit: input: --milestones: payment shares sum to 90 %, not 100 %\n");
  c.ok("--as 'Ama Mensah' contract sign T-1 --reference C-1 --value 2400000 --signed-on 2026-12-21 "
       "--milestones fat:2027-03-01:30 delivery:2027-05-01:30 sat:2027-06-15:30 final_acceptance:2027-07-01:10");
  c.ok("--as 'Ama Mensah' contract milestone C-1 --kind fat --met-on 2027-03-03");

  auto ocds = c.run("tender ocds T-1 --ocid-prefix ocds-abc123 --publisher 'Ghana Revenue Authority' --json");
  BOOST_REQUIRE_MESSAGE(ocds.status == 0, ocds.err);
  const auto package = json_of(ocds.out).object();
  const auto release = package.value("releases").toArray().at(0).toObject();
  BOOST_TEST(release.value("ocid").toString().toStdString() == "ocds-abc123-T-1");
  BOOST_TEST(release.value("bids").toObject().value("details").toArray().size() == 3);
  BOOST_TEST(release.value("contracts").toArray().at(0).toObject().value("milestones").toArray().size() == 4);
  BOOST_TEST(release.value("tender").toObject().value("documents").toArray().at(0).toObject().value("documentType")
                 .toString()
                 .toStdString() == "evaluationReports");
  BOOST_TEST(ocds.out.find("Kofi Boateng") == std::string::npos);  // evaluator scores stay internal
  const std::string file = c.dir.file("package.json");
  niikit::testing::write_file(file, ocds.out);
  const std::string validate = std::string("python3 ") + NIIKIT_SOURCE_DIR + "/tests/tools/validate_ocds.py " +
                               NIIKIT_SOURCE_DIR + "/tests/data/ocds-1.1 " + file +
                               " bid lots awardCriteria requirements > " + c.dir.file("validation.txt") + " 2>&1";
  const int status = std::system(validate.c_str());
  BOOST_TEST(status == 0, niikit::testing::read_file(c.dir.file("validation.txt")));

  // A broken package is refused by the same validator (the check can fail).
  std::string broken = ocds.out;
  broken.replace(broken.find("\"tender\"", broken.find("\"initiationType\"") + 16), 8, "\"auction\"");
  niikit::testing::write_file(file, broken);
  BOOST_TEST(std::system(validate.c_str()) != 0);
  BOOST_TEST(c.run("audit verify").status == 0);
}

BOOST_AUTO_TEST_CASE(refusals_name_the_option_exit_non_zero_and_store_nothing) {
  Cli c;
  c.tender_with_bids();
  auto negative = c.run("--as 'Ama Mensah' bid submit T-1 --bidder Delta --price -5 --valid-until 2027-03-31");
  BOOST_TEST(negative.status == 3);
  BOOST_TEST(negative.err == "niikit: input: --price: price '-5': must not be negative\n");
  auto no_rate = c.run("--as 'Ama Mensah' bid submit T-1 --bidder Delta --price 5 --currency EUR --valid-until 2027-03-31");
  BOOST_TEST(no_rate.status == 3);
  BOOST_TEST(no_rate.err == "niikit: input: --rate: the bid is in EUR, the tender in USD: give the exchange rate (USD per 1 EUR)\n");
  auto unknown = c.run("--as 'Ama Mensah' bid submit T-1 --bidder Delta --price 5 --valid-until 2027-03-31 --claims IQ-99=3");
  BOOST_TEST(unknown.status == 3);
  BOOST_TEST(unknown.err ==
             "niikit: input: --claims/IQ-99: 'IQ-99': unknown requirement (not in the specification of P-1, version 1)\n");
  auto bad_clause = c.run("--as 'Ama Mensah' bid submit T-1 --bidder Delta --price 5 --valid-until 2027-03-31 "
                          "--complies IQ-01 --does-not-comply XX-1");
  BOOST_TEST(bad_clause.status == 3);
  BOOST_TEST(bad_clause.err.find("--does-not-comply/0: 'XX-1': unknown requirement") != std::string::npos, bad_clause.err);
  auto weights = c.run("--as 'Ama Mensah' tender criteria T-1 --criteria 'IQ:technical:50:x' 'PRICE:price:40:y'");
  BOOST_TEST(weights.status == 5);  // published: criteria are frozen
  // A vendor acts only as a vendor: no committee, no bids recorded.
  BOOST_TEST(c.run("--as 'Vic Vendor' bid submit T-1 --bidder Vic --price 5 --valid-until 2027-03-31").status == 10);
  auto json = c.run("--as 'Ama Mensah' tender show T-1 --json");
  BOOST_REQUIRE(json.status == 0);
  BOOST_TEST(json_of(json.out).object().value("bids").toArray().size() == 3);
  BOOST_TEST(json_of(json.out).object().value("prices_sealed").toBool());
  // The evaluators' scores and the prices stay sealed before the lock (exit 10).
  c.now = "2026-12-10T10:00:00Z";
  for (const char* p : {"Ama Mensah", "Kofi Boateng", "Efua Asante"}) c.ok(std::string("--as '") + p + "' tender declare T-1");
  c.ok("--as 'Ama Mensah' tender open T-1");
  c.ok("--as 'Kofi Boateng' tender score T-1 --bid 1 --criterion IQ --score 8");
  auto peek = c.run("--as 'Efua Asante' tender scores T-1 --evaluator 'Kofi Boateng' --json");
  BOOST_TEST(peek.status == 10);
  BOOST_TEST(json_of(peek.out).object().value("error").toString().toStdString() == "forbidden");
  BOOST_TEST(c.run("--as 'Kofi Boateng' tender prices T-1").status == 10);
}
