// Tenders to contract (issue 14): the scoring arithmetic against a hand-worked example (three
// bids, two evaluators, one exclusion, two price formulas), the rank-reversal check, the date
// rules, the conflict-of-interest gate, the independence of evaluators, bad input refused with
// nothing stored, the business case, award standstill and contract milestones.
#define BOOST_TEST_MODULE tender
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "app/domain/tender_scoring.hpp"
#include "app/services/context.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/tender_service.hpp"
#include "core/time_format.hpp"
#include "db/audit.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;
namespace tt = boost::test_tools;

namespace {

std::int64_t count(db::Database& db, const std::string& table) {
  SQLite::Statement q(db.sql(), "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// Steel penetration and boundary dose rate are mandatory; UFF export is desirable.
const char* kSpec = R"({"requirements": [
  {"id": "IQ-01", "text": "Steel penetration", "category": "image_quality", "metric_key": "cargo.penetration.steel_mm",
   "comparator": ">=", "target": 300, "unit": "mm", "method": "IEC 62523 steel penetration", "verified_at": ["fat", "sat"]},
  {"id": "RAD-01", "text": "Boundary dose rate", "category": "radiation", "metric_key": "radiation.dose_rate.boundary_usv_h",
   "comparator": "<=", "target": 2.5, "unit": "uSv/h", "method": "IEC 62523 survey", "verified_at": ["sat"]},
  {"id": "SW-01", "text": "UFF export", "category": "data_format", "mandatory": false, "metric_key": "software.uff_export",
   "comparator": "true", "method": "WCO UFF", "verified_at": ["fat"]}]})";

void at(db::Database& db, const char* utc) { db.set_clock(Clock(*parse_utc(utc))); }

// People, procurement P-1 with its frozen specification, and a draft tender T-1 with one lot
// (budget 3 000 000 USD), criteria IQ 40 %, SVC 20 %, PRICE 40 % and its committee: Ama
// chairs, Kofi and Efua evaluate. The clock starts at 2026-11-24T09:00:00Z.
struct Fixture {
  TempDir dir;
  db::Database db = testing::fresh_db(dir);
  domain::Actor ama, kofi, efua, yaw, esi;

  domain::Actor person(const std::string& name, const std::string& role) {
    auto p = services::add_person(db, "t", {{"name", name}, {"role", role}});
    BOOST_REQUIRE(p.has_value());
    return services::actor_of(*p);
  }

  Fixture() {
    ama = person("Ama Mensah", "procurement");
    kofi = person("Kofi Boateng", "engineer");
    efua = person("Efua Asante", "engineer");
    yaw = person("Yaw Owusu", "manager");
    esi = person("Esi Darko", "rso");
    BOOST_REQUIRE(services::add_procurement(db, "t", {"P-1", "Cargo scanners for Tema", "", "3000000", "USD"}));
    testing::write_file(dir.file("spec.json"), kSpec);
    BOOST_REQUIRE(services::import_specification(db, "t", "P-1", dir.file("spec.json"))->errors.empty());
    BOOST_REQUIRE(services::freeze_specification(db, "t", "P-1", "Ama Mensah")->frozen);
  }

  services::TenderInput tender_input() const {
    return {"P-1", "T-1", "Tema cargo scanners", "open", "USD", "2026-11-25", "2026-12-01", "2026-12-10T09:00:00Z",
            "2026-12-10T10:00:00Z", 10, "lowest_ratio"};
  }

  void draft_tender() {
    BOOST_REQUIRE(services::create_tender(db, ama, tender_input()));
    BOOST_REQUIRE(services::add_lot(db, ama, {"T-1", "Drive-through portal", "portal", 1, "3000000"}));
    BOOST_REQUIRE(services::set_criteria(db, ama, "T-1",
                                         {{"IQ", "Image quality", "technical", 40},
                                          {"SVC", "Service and support", "technical", 20},
                                          {"PRICE", "Price", "price", 40}}));
    BOOST_REQUIRE(services::add_committee_member(db, ama, "T-1", "Ama Mensah", "chair"));
    BOOST_REQUIRE(services::add_committee_member(db, ama, "T-1", "Kofi Boateng", "evaluator"));
    BOOST_REQUIRE(services::add_committee_member(db, ama, "T-1", "Efua Asante", "evaluator"));
  }

  void declare_all() {
    for (const auto* a : {&ama, &kofi, &efua}) BOOST_REQUIRE(services::declare_interest(db, *a, "T-1", false, ""));
  }

  services::BidInput bid(const std::string& bidder, const std::string& price, double iq_mm) const {
    services::BidInput in;
    in.tender = "T-1";
    in.bidder = bidder;
    in.price = price;
    in.valid_until = "2027-03-31";
    in.claims = {{"IQ-01", iq_mm}, {"RAD-01", 2.0}};
    in.compliance = {{"IQ-01", true, "Technical offer p. 12"}, {"RAD-01", true, "Dose report p. 40"}};
    return in;
  }

  // Published tender with three bids: Alpha 2 400 000 USD; Beta 1 818 181.82 EUR at 1.1 USD/EUR
  // (2 000 000.00 USD); Gamma 1 800 000 USD claiming 250 mm steel penetration (IQ-01 needs ≥ 300).
  void three_bids() {
    draft_tender();
    BOOST_REQUIRE(services::publish_tender(db, ama, "T-1"));
    at(db, "2026-12-02T09:00:00Z");
    BOOST_REQUIRE(services::submit_bid(db, ama, bid("Alpha Scan", "2400000", 320)));
    auto beta = bid("Beta Imaging", "1818181.82", 310);
    beta.currency = "EUR";
    beta.rate = 1.1;
    BOOST_REQUIRE(services::submit_bid(db, ama, beta));
    BOOST_REQUIRE(services::submit_bid(db, ama, bid("Gamma Systems", "1800000", 250)));
  }

  std::int64_t bid_id(const std::string& bidder) {
    SQLite::Statement q(db.sql(), "SELECT b.id FROM bids b JOIN bidders x ON x.id = b.bidder_id WHERE x.name = ?");
    q.bind(1, bidder);
    BOOST_REQUIRE(q.executeStep());
    return q.getColumn(0).getInt64();
  }

  void score(const domain::Actor& who, const std::string& bidder, const std::string& criterion, double value) {
    auto s = services::score_bid(db, who, "T-1", bid_id(bidder), criterion, value, "");
    BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
  }

  void audit_ok() {
    auto report = db::verify_audit(db.sql());
    BOOST_REQUIRE(report.has_value());
    for (const auto& p : report->problems) BOOST_TEST_MESSAGE(p.message);
    BOOST_TEST(report->ok());
  }
};

const domain::RankLine& line_of(const domain::Ranking& r, const std::string& bidder) {
  for (const auto& l : r.lines)
    if (l.bidder == bidder) return l;
  throw std::runtime_error("no line for " + bidder);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_scoring_arithmetic_matches_the_hand_worked_example) {
  Fixture f;
  f.three_bids();
  // Beta's EUR price in the tender's currency: 1 818 181.82 × 1.1 = 2 000 000.002 → 2 000 000.00 USD.
  BOOST_TEST(db::find_bid(f.db.sql(), f.bid_id("Beta Imaging"))->tender_price_minor == 200000000);

  at(f.db, "2026-12-10T10:00:00Z");
  f.declare_all();
  auto opened = services::open_bids(f.db, f.ama, "T-1");
  BOOST_REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  BOOST_TEST(opened->tender.status == "closed");
  BOOST_TEST(opened->prices_sealed);
  for (const auto& b : opened->bids) BOOST_TEST(b.tender_price_minor == 0);  // sealed until the lock
  const auto gamma = db::find_bid(f.db.sql(), f.bid_id("Gamma Systems"));
  BOOST_TEST(gamma->status == "excluded");
  BOOST_TEST(gamma->exclusion_reason == "mandatory clause failed: IQ-01: claimed 250 mm, required >= 300 mm");
  BOOST_TEST(db::find_bid(f.db.sql(), f.bid_id("Alpha Scan"))->status == "admissible");

  // An excluded bid is never scored.
  BOOST_TEST(services::score_bid(f.db, f.kofi, "T-1", f.bid_id("Gamma Systems"), "IQ", 9, "").error().code ==
             ErrorCode::conflict);

  //            IQ (40 %)      SVC (20 %)
  //            Kofi  Efua     Kofi  Efua
  // Alpha       8     6        9     7
  // Beta        6     7        5     5
  f.score(f.kofi, "Alpha Scan", "IQ", 8);
  f.score(f.efua, "Alpha Scan", "IQ", 6);
  f.score(f.kofi, "Alpha Scan", "SVC", 9);
  f.score(f.efua, "Alpha Scan", "SVC", 7);
  f.score(f.kofi, "Beta Imaging", "IQ", 6);
  f.score(f.efua, "Beta Imaging", "IQ", 7);
  f.score(f.kofi, "Beta Imaging", "SVC", 5);
  f.score(f.efua, "Beta Imaging", "SVC", 5);
  BOOST_REQUIRE(services::lock_technical(f.db, f.ama, "T-1"));

  // Moderation: Alpha IQ mean (8+6)/2 = 7, spread 2; Alpha SVC mean (9+7)/2 = 8, spread 2;
  // Beta IQ consensus 6.5 (evaluators gave 6 and 7, spread 1); Beta SVC mean 5, spread 0.
  auto m1 = services::moderate(f.db, f.ama, "T-1", f.bid_id("Alpha Scan"), "IQ", "mean", std::nullopt, "declared mean");
  BOOST_REQUIRE(m1.has_value());
  BOOST_TEST(m1->score == 7.0);
  BOOST_TEST(m1->spread == 2.0);
  BOOST_REQUIRE(services::moderate(f.db, f.ama, "T-1", f.bid_id("Alpha Scan"), "SVC", "mean", std::nullopt, "mean"));
  auto m3 = services::moderate(f.db, f.ama, "T-1", f.bid_id("Beta Imaging"), "IQ", "consensus", 6.5,
                               "wire detection shown at the demo was between the two evaluators' views");
  BOOST_REQUIRE(m3.has_value());
  BOOST_TEST(m3->spread == 1.0);
  BOOST_REQUIRE(services::moderate(f.db, f.ama, "T-1", f.bid_id("Beta Imaging"), "SVC", "mean", std::nullopt, "agreed"));

  // Technical points = Σ score / 10 × weight:
  //   Alpha: 7/10 × 40 + 8/10 × 20 = 28 + 16 = 44;  Beta: 6.5/10 × 40 + 5/10 × 20 = 26 + 10 = 36.
  // lowest_ratio/1 (40 × lowest / price; lowest admissible = Beta's 2 000 000 — Gamma's excluded
  // 1 800 000 must not count):
  //   Alpha: 40 × 2.0 / 2.4 = 33.333…, total 77.333…;  Beta: 40, total 76.  Alpha ranks first.
  auto ratio = services::rank_tender(f.db, "T-1", std::nullopt);
  BOOST_REQUIRE(ratio.has_value());
  BOOST_REQUIRE(ratio->size() == 1u);
  const auto& r1 = ratio->front().ranking;
  BOOST_TEST(r1.formula == "lowest_ratio/1");
  BOOST_TEST(r1.lowest_price == 2000000.0);
  BOOST_TEST(line_of(r1, "Alpha Scan").technical_points == 44.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r1, "Alpha Scan").price_points == 100.0 / 3.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r1, "Alpha Scan").total_points == 44.0 + 100.0 / 3.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r1, "Beta Imaging").technical_points == 36.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r1, "Beta Imaging").price_points == 40.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r1, "Beta Imaging").total_points == 76.0, tt::tolerance(1e-9));
  BOOST_TEST(r1.lines.front().bidder == "Alpha Scan");
  BOOST_TEST(line_of(r1, "Beta Imaging").rank == 2);
  BOOST_REQUIRE(ratio->front().excluded.size() == 1u);
  BOOST_TEST(ratio->front().excluded.front().rfind("Gamma Systems: ", 0) == 0u);
  BOOST_TEST(r1.reversal.empty());  // two ranked bids: nothing to re-rank

  // linear_budget/1 (40 × (budget − price) / (budget − lowest), budget 3 000 000):
  //   Alpha: 40 × (3.0 − 2.4) / (3.0 − 2.0) = 24, total 68;  Beta: 40, total 76.  Beta first.
  auto linear = services::rank_tender(f.db, "T-1", std::string("linear_budget"));
  BOOST_REQUIRE(linear.has_value());
  const auto& r2 = linear->front().ranking;
  BOOST_TEST(r2.formula == "linear_budget/1");
  BOOST_TEST(line_of(r2, "Alpha Scan").price_points == 24.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r2, "Alpha Scan").total_points == 68.0, tt::tolerance(1e-9));
  BOOST_TEST(line_of(r2, "Beta Imaging").total_points == 76.0, tt::tolerance(1e-9));
  BOOST_TEST(r2.lines.front().bidder == "Beta Imaging");

  // After the lock every score is readable, with the spread per bid and criterion.
  auto sheet = services::read_scores(f.db, f.kofi, "T-1", std::string("Efua Asante"));
  BOOST_REQUIRE(sheet.has_value());
  BOOST_TEST(sheet->scores.size() == 4u);
  BOOST_TEST(sheet->spreads.size() == 4u);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(rank_reversal_is_found_when_removing_the_cheapest_bid_changes_the_order) {
  // T 50 %, PRICE 50 %, lowest_ratio/1.  X: 100, tech 0;  Y: 200, tech 6;  Z: 300, tech 8.
  //   all three: X = 0 + 50 = 50;  Y = 30 + 50 × 100/200 = 55;  Z = 40 + 50 × 100/300 = 56.667 → Z, Y, X.
  //   without X (lowest 200): Y = 30 + 50 = 80;  Z = 40 + 50 × 200/300 = 73.333 → Y ahead of Z: reversal.
  //   without Y: X 50, Z 56.667 → Z, X (kept);  without Z: X 50, Y 55 → Y, X (kept).
  const std::vector<domain::Criterion> criteria{{"T", false, 50}, {"PRICE", true, 50}};
  const std::vector<domain::BidToRank> bids{{1, "X", 100, {{"T", 0}}}, {2, "Y", 200, {{"T", 6}}}, {3, "Z", 300, {{"T", 8}}}};
  auto formula = domain::find_price_formula("lowest_ratio");
  BOOST_REQUIRE(formula.has_value());
  auto r = domain::rank_bids(criteria, bids, *formula, 400);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->lines[0].bidder == "Z");
  BOOST_TEST(r->lines[0].total_points == 40 + 50.0 / 3.0, tt::tolerance(1e-9));
  BOOST_TEST(r->lines[1].bidder == "Y");
  BOOST_TEST(r->lines[1].total_points == 55.0, tt::tolerance(1e-9));
  BOOST_TEST(r->lines[2].bidder == "X");
  BOOST_REQUIRE(r->reversal.size() == 3u);
  BOOST_TEST(r->reversal[0].removed_bidder == "X");
  BOOST_TEST(r->reversal[0].reversed);
  BOOST_TEST(r->reversal[0].note == "Y moves ahead of Z");
  BOOST_TEST((r->reversal[0].order == std::vector<std::string>{"Y", "Z"}));
  BOOST_TEST(!r->reversal[1].reversed);
  BOOST_TEST(!r->reversal[2].reversed);
  BOOST_TEST(r->any_reversal());
  BOOST_TEST(domain::find_price_formula("lowest_ratio/2").error().message ==
             "price formula 'lowest_ratio/2': not one of lowest_ratio/1, linear_budget/1");
}

BOOST_AUTO_TEST_CASE(the_business_case_computes_cost_per_scan_and_payback_and_the_budget_holder_approves) {
  Fixture f;
  // Life cost 2 500 000 + 150 000 × 10 = 4 000 000; scans 50 000 × 10 = 500 000 → 8.00 per scan;
  // payback 2 500 000 / (600 000 − 150 000) = 5.556 years.
  services::NeedsInput in{"P-1", "revenue,drugs", "container,truck", 50000, 30, 25, "Tema port", "own staff, 2 shifts",
                          6, 10, "usd", "2500000", "150000", "600000"};
  auto n = services::record_needs(f.db, f.ama, in);
  BOOST_REQUIRE_MESSAGE(n.has_value(), (n ? "" : n.error().message));
  BOOST_TEST(n->needs.capex_minor == 250000000);
  BOOST_TEST(n->needs.currency == "USD");
  BOOST_TEST(n->business_case.life_cost == 4000000.0, tt::tolerance(1e-9));
  BOOST_TEST(n->business_case.cost_per_scan == 8.0, tt::tolerance(1e-9));
  BOOST_REQUIRE(n->business_case.payback_years.has_value());
  BOOST_TEST(*n->business_case.payback_years == 2500000.0 / 450000.0, tt::tolerance(1e-9));
  auto approved = services::approve_needs(f.db, f.yaw, "P-1");
  BOOST_REQUIRE(approved.has_value());
  BOOST_TEST(approved->needs.approved_by_name == "Yaw Owusu");
  BOOST_TEST(services::approve_needs(f.db, f.yaw, "P-1").error().code == ErrorCode::conflict);
  // A negative opex is refused naming the field; nothing stored.
  services::NeedsInput bad = in;
  bad.procurement = "P-1";
  BOOST_TEST(services::record_needs(f.db, f.ama, bad).error().code == ErrorCode::conflict);  // already recorded
  BOOST_REQUIRE(services::add_procurement(f.db, "t", {"P-2", "Portables", "", "", ""}));
  bad.procurement = "P-2";
  bad.opex_per_year = "-5";
  auto refused = services::record_needs(f.db, f.ama, bad);
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().field == "opex_per_year");
  BOOST_TEST(refused.error().message == "opex_per_year '-5': must not be negative");
  BOOST_TEST(count(f.db, "tender_needs") == 1);
}

BOOST_AUTO_TEST_CASE(dates_are_enforced_no_bid_after_closing_no_opening_before_the_opening_time) {
  Fixture f;
  auto in = f.tender_input();
  in.closing = "2026-11-30";  // before the clarification deadline 2026-12-01
  auto bad = services::create_tender(f.db, f.ama, in);
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().field == "closing");
  BOOST_TEST(bad.error().message == "must be after the clarification deadline");
  in = f.tender_input();
  in.opening = "2026-12-09";  // before closing
  BOOST_TEST(services::create_tender(f.db, f.ama, in).error().field == "opening");
  in = f.tender_input();
  in.publication = "2026-13-01";
  BOOST_TEST(services::create_tender(f.db, f.ama, in).error().field == "publication");
  BOOST_TEST(count(f.db, "tenders") == 0);

  f.draft_tender();
  // No bid on a draft tender.
  BOOST_TEST(services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "2400000", 320)).error().code == ErrorCode::conflict);
  BOOST_REQUIRE(services::publish_tender(f.db, f.ama, "T-1"));
  // Published, but before the publication date.
  BOOST_TEST(services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "2400000", 320)).error().message ==
             "tender T-1: not open for bids before its publication 2026-11-25T00:00:00Z");
  at(f.db, "2026-12-10T09:00:00Z");  // the closing instant
  auto late = services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "2400000", 320));
  BOOST_REQUIRE(!late.has_value());
  BOOST_TEST(late.error().message == "tender T-1: bids closed at 2026-12-10T09:00:00Z; no bid after closing");
  BOOST_TEST(count(f.db, "bids") == 0);
  BOOST_TEST(count(f.db, "bidders") == 0);
  f.declare_all();
  at(f.db, "2026-12-10T09:59:59Z");  // closed but not yet the opening time
  auto early = services::open_bids(f.db, f.ama, "T-1");
  BOOST_REQUIRE(!early.has_value());
  BOOST_TEST(early.error().message ==
             "tender T-1: bids may not be opened before 2026-12-10T10:00:00Z (closing 2026-12-10T09:00:00Z)");
  BOOST_TEST(services::show_tender(f.db, "T-1")->tender.status == "published");
}

BOOST_AUTO_TEST_CASE(bids_are_opened_only_after_every_committee_member_declared_no_conflict) {
  Fixture f;
  f.three_bids();
  at(f.db, "2026-12-10T10:00:00Z");
  // The committee changes only before opening, and never takes a vendor's representative.
  f.person("Vic Vendor", "vendor");
  BOOST_TEST(services::add_committee_member(f.db, f.ama, "T-1", "Vic Vendor", "evaluator").error().field == "person");
  BOOST_REQUIRE(services::declare_interest(f.db, f.ama, "T-1", false, ""));
  auto missing = services::open_bids(f.db, f.ama, "T-1");
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message ==
             "tender T-1: conflict-of-interest declaration missing from Kofi Boateng, Efua Asante; every committee "
             "member declares before bids are opened");
  // Someone not on the committee cannot declare for it.
  BOOST_TEST(services::declare_interest(f.db, f.esi, "T-1", false, "").error().code == ErrorCode::forbidden);
  BOOST_REQUIRE(services::declare_interest(f.db, f.kofi, "T-1", false, ""));
  // A declared conflict needs a statement, and blocks the opening.
  BOOST_TEST(services::declare_interest(f.db, f.efua, "T-1", true, " ").error().field == "statement");
  BOOST_REQUIRE(services::declare_interest(f.db, f.efua, "T-1", true, "My brother works for Beta Imaging"));
  BOOST_TEST(services::open_bids(f.db, f.ama, "T-1").error().message ==
             "tender T-1: Efua Asante declared a conflict of interest; replace them before bids are opened");
  BOOST_REQUIRE(services::declare_interest(f.db, f.efua, "T-1", false, "Checked: the relative left Beta in 2024"));
  BOOST_REQUIRE(services::open_bids(f.db, f.ama, "T-1"));
  // Declarations are closed once bids are open.
  BOOST_TEST(services::declare_interest(f.db, f.kofi, "T-1", false, "").error().code == ErrorCode::conflict);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(evaluators_cannot_read_each_others_scores_or_the_prices_before_the_lock) {
  Fixture f;
  f.three_bids();
  at(f.db, "2026-12-10T10:00:00Z");
  f.declare_all();
  BOOST_REQUIRE(services::open_bids(f.db, f.ama, "T-1"));
  f.score(f.kofi, "Alpha Scan", "IQ", 8);
  f.score(f.efua, "Alpha Scan", "IQ", 6);

  auto other = services::read_scores(f.db, f.kofi, "T-1", std::string("Efua Asante"));
  BOOST_REQUIRE(!other.has_value());
  BOOST_TEST(other.error().code == ErrorCode::forbidden);
  BOOST_TEST(other.error().message ==
             "tender T-1: Kofi Boateng may not read Efua Asante's scores before technical scoring is locked");
  auto own = services::read_scores(f.db, f.kofi, "T-1", std::nullopt);
  BOOST_REQUIRE(own.has_value());
  BOOST_REQUIRE(own->scores.size() == 1u);
  BOOST_TEST(own->scores[0].score == 8.0);
  BOOST_TEST(own->spreads.empty());
  // The chair is not an evaluator and sees no scores before the lock either.
  BOOST_TEST(services::read_scores(f.db, f.ama, "T-1", std::nullopt).error().code == ErrorCode::forbidden);
  auto prices = services::read_prices(f.db, "T-1");
  BOOST_REQUIRE(!prices.has_value());
  BOOST_TEST(prices.error().code == ErrorCode::forbidden);
  BOOST_TEST(prices.error().message ==
             "tender T-1: prices stay sealed until technical scoring is locked (niikit tender lock)");
  BOOST_TEST(services::rank_tender(f.db, "T-1", std::nullopt).error().code == ErrorCode::forbidden);
  // The price criterion is never scored by hand; only evaluators score; the lock needs every score.
  auto price = services::score_bid(f.db, f.kofi, "T-1", f.bid_id("Alpha Scan"), "PRICE", 9, "");
  BOOST_TEST(price.error().message ==
             "criterion PRICE is the price criterion: it is computed by the formula lowest_ratio/1, never scored by hand");
  BOOST_TEST(services::score_bid(f.db, f.ama, "T-1", f.bid_id("Alpha Scan"), "IQ", 9, "").error().code ==
             ErrorCode::forbidden);
  BOOST_TEST(services::score_bid(f.db, f.kofi, "T-1", f.bid_id("Alpha Scan"), "IQ", 11, "").error().field == "score");
  auto early_lock = services::lock_technical(f.db, f.ama, "T-1");
  BOOST_REQUIRE(!early_lock.has_value());
  BOOST_TEST(early_lock.error().message ==
             "tender T-1: 6 score(s) missing, first: Kofi Boateng on bid 1 (Alpha Scan) SVC");
  BOOST_TEST(services::lock_technical(f.db, f.kofi, "T-1").error().code == ErrorCode::forbidden);  // not the chair
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_naming_the_field_and_nothing_is_stored) {
  Fixture f;
  BOOST_REQUIRE(services::create_tender(f.db, f.ama, f.tender_input()));
  BOOST_REQUIRE(services::add_lot(f.db, f.ama, {"T-1", "Portal", "portal", 1, "3000000"}));
  const auto audit_before = count(f.db, "audit_log");
  // Weights not summing to 100 %.
  auto weights = services::set_criteria(f.db, f.ama, "T-1", {{"IQ", "Image quality", "technical", 40},
                                                             {"PRICE", "Price", "price", 50}});
  BOOST_REQUIRE(!weights.has_value());
  BOOST_TEST(weights.error().message == "weights sum to 90 %, not 100 %");
  BOOST_TEST(weights.error().field == "criteria");
  BOOST_TEST(services::set_criteria(f.db, f.ama, "T-1", {{"IQ", "x", "technical", 50}, {"P1", "x", "price", 25},
                                                         {"P2", "y", "price", 25}})
                 .error()
                 .message == "2 price criteria; at most one");
  BOOST_TEST(count(f.db, "tender_criteria") == 0);
  BOOST_TEST(count(f.db, "audit_log") == audit_before);
  // Publishing without valid criteria is refused.
  BOOST_TEST(services::publish_tender(f.db, f.ama, "T-1").error().message ==
             "tender T-1: no evaluation criteria (niikit tender criteria)");
  BOOST_REQUIRE(services::set_criteria(f.db, f.ama, "T-1", {{"IQ", "Image quality", "technical", 60},
                                                            {"PRICE", "Price", "price", 40}}));
  BOOST_REQUIRE(services::publish_tender(f.db, f.ama, "T-1"));
  at(f.db, "2026-12-02T09:00:00Z");
  const auto bids_audit = count(f.db, "audit_log");

  auto unknown = f.bid("Alpha Scan", "2400000", 320);
  unknown.claims["IQ-09"] = 5;
  auto e1 = services::submit_bid(f.db, f.ama, unknown);
  BOOST_REQUIRE(!e1.has_value());
  BOOST_TEST(e1.error().field == "claims/IQ-09");
  BOOST_TEST(e1.error().message == "'IQ-09': unknown requirement (not in the specification of P-1, version 1)");

  auto negative = f.bid("Alpha Scan", "-2400000", 320);
  auto e2 = services::submit_bid(f.db, f.ama, negative);
  BOOST_TEST(e2.error().field == "price");
  BOOST_TEST(e2.error().message == "price '-2400000': must not be negative");
  BOOST_TEST(services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "0", 320)).error().field == "price");

  auto no_rate = f.bid("Beta Imaging", "1818181.82", 310);
  no_rate.currency = "eur";
  auto e3 = services::submit_bid(f.db, f.ama, no_rate);
  BOOST_TEST(e3.error().field == "rate");
  BOOST_TEST(e3.error().message == "the bid is in EUR, the tender in USD: give the exchange rate (USD per 1 EUR)");

  auto short_validity = f.bid("Alpha Scan", "2400000", 320);
  short_validity.valid_until = "2026-12-05";
  BOOST_TEST(services::submit_bid(f.db, f.ama, short_validity).error().field == "valid_until");
  auto twice = f.bid("Alpha Scan", "2400000", 320);
  twice.compliance.push_back({"IQ-01", true, ""});
  BOOST_TEST(services::submit_bid(f.db, f.ama, twice).error().field == "compliance/2/requirement");

  BOOST_TEST(count(f.db, "bids") == 0);
  BOOST_TEST(count(f.db, "bidders") == 0);
  BOOST_TEST(count(f.db, "bid_claims") == 0);
  BOOST_TEST(count(f.db, "audit_log") == bids_audit);

  // One bid per bidder and lot.
  BOOST_REQUIRE(services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "2400000", 320)));
  BOOST_TEST(services::submit_bid(f.db, f.ama, f.bid("Alpha Scan", "2300000", 320)).error().code == ErrorCode::conflict);
  BOOST_TEST(count(f.db, "bids") == 1);
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(the_award_waits_out_the_standstill_and_the_contract_milestones_share_100_percent) {
  Fixture f;
  f.three_bids();
  at(f.db, "2026-12-10T10:00:00Z");
  f.declare_all();
  BOOST_REQUIRE(services::open_bids(f.db, f.ama, "T-1"));
  for (const char* b : {"Alpha Scan", "Beta Imaging"})
    for (const char* c : {"IQ", "SVC"})
      for (const auto* e : {&f.kofi, &f.efua}) f.score(*e, b, c, 7);
  BOOST_REQUIRE(services::lock_technical(f.db, f.ama, "T-1"));
  // Evaluation needs every moderated score.
  BOOST_TEST(services::evaluate_tender(f.db, f.ama, "T-1").error().message ==
             "tender T-1 lot 1: bid 1 (Alpha Scan): no moderated score for criterion IQ");
  for (const char* b : {"Alpha Scan", "Beta Imaging"})
    for (const char* c : {"IQ", "SVC"})
      BOOST_REQUIRE(services::moderate(f.db, f.ama, "T-1", f.bid_id(b), c, "mean", std::nullopt, "no spread"));
  auto evaluated = services::evaluate_tender(f.db, f.ama, "T-1");
  BOOST_REQUIRE(evaluated.has_value());
  BOOST_TEST(evaluated->front().ranking.lines.front().bidder == "Beta Imaging");  // equal quality, cheaper
  BOOST_TEST(services::award_lot(f.db, f.yaw, "T-1", 1, f.bid_id("Gamma Systems"), "cheapest").error().code ==
             ErrorCode::conflict);  // excluded
  auto award = services::award_lot(f.db, f.yaw, "T-1", 1, f.bid_id("Beta Imaging"), "Ranked first (76.0 points)");
  BOOST_REQUIRE(award.has_value());
  BOOST_TEST(award->standstill_until_utc == "2026-12-20T10:00:00Z");  // 10 days
  BOOST_TEST(services::show_tender(f.db, "T-1")->tender.status == "awarded");

  services::ContractInput c;
  c.tender = "T-1";
  c.reference = "C-2026-01";
  c.value = "2000000";
  c.signed_on = "2026-12-21";
  c.milestones = {{"fat", "2027-03-01", 30}, {"delivery", "2027-05-01", 30}, {"sat", "2027-06-15", 30},
                  {"final_acceptance", "2027-07-01", 10}};
  auto early = services::sign_contract(f.db, f.ama, c);
  BOOST_REQUIRE(!early.has_value());
  BOOST_TEST(early.error().message ==
             "tender T-1: lot 1 is in its standstill period until 2026-12-20T10:00:00Z; no contract before it ends");
  at(f.db, "2026-12-21T09:00:00Z");
  // A complaint against the award holds the contract back until it is resolved.
  auto complaint = services::lodge_complaint(f.db, f.ama, "T-1", 1, "Alpha Scan", "Our service score ignores the 24/7 hotline");
  BOOST_REQUIRE(complaint.has_value());
  BOOST_TEST(services::sign_contract(f.db, f.ama, c).error().message ==
             "tender T-1: lot 1 has an open complaint against its award");
  BOOST_TEST(services::resolve_complaint(f.db, f.ama, "T-1", 1, *complaint, " ").error().field == "resolution");
  BOOST_REQUIRE(services::resolve_complaint(f.db, f.ama, "T-1", 1, *complaint, "Reviewed: the hotline was scored under SVC"));
  BOOST_TEST(services::resolve_complaint(f.db, f.ama, "T-1", 1, *complaint, "again").error().code == ErrorCode::conflict);
  auto shares = c;
  shares.milestones.back().payment_share_pct = 5;
  auto bad = services::sign_contract(f.db, f.ama, shares);
  BOOST_TEST(bad.error().field == "milestones");
  BOOST_TEST(bad.error().message == "payment shares sum to 95 %, not 100 %");
  BOOST_TEST(count(f.db, "contracts") == 0);
  BOOST_TEST(count(f.db, "contract_milestones") == 0);
  auto signed_contract = services::sign_contract(f.db, f.ama, c);
  BOOST_REQUIRE_MESSAGE(signed_contract.has_value(), (signed_contract ? "" : signed_contract.error().message));
  BOOST_TEST(signed_contract->contract.supplier_name == "Beta Imaging");
  BOOST_TEST(signed_contract->contract.value_minor == 200000000);
  BOOST_TEST(signed_contract->contract.sla_availability_pct == 95.0);
  BOOST_TEST(signed_contract->milestones.size() == 4u);
  auto met = services::meet_milestone(f.db, f.ama, "C-2026-01", "fat", "2027-03-03");
  BOOST_REQUIRE(met.has_value());
  BOOST_TEST(*met->milestones.front().met_on == "2027-03-03");
  f.audit_ok();
}

BOOST_AUTO_TEST_CASE(the_needs_tender_and_contract_gates_read_the_tender_records_not_uploaded_files) {
  Fixture f;
  BOOST_REQUIRE(services::add_scanner(f.db, "t", {{"asset_tag", "GH-TEM-03"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                                  {"technology", "linac"}, {"configuration", "portal"}}));
  BOOST_REQUIRE(services::link_scanner_to_procurement(f.db, "t", "P-1", "GH-TEM-03"));
  const auto move = [&](const char* to) {
    return services::advance_stage(f.db, {"GH-TEM-03", to, "Yaw Owusu", "", std::nullopt});
  };
  // The gate's condition with this text (holds), or the one whose `why` is this text (does not hold).
  const auto condition = [](const Result<domain::GateOutcome>& g, const std::string& text) {
    BOOST_REQUIRE(g.has_value());
    for (const auto& c : g->conditions)
      if (c.text == text || c.why == text) return c;
    BOOST_FAIL("no condition '" + text + "'");
    return domain::GateCondition{};
  };
  // No needs record approved, no document: refused.
  BOOST_TEST(move("specification").error().code == ErrorCode::gate_refused);
  services::NeedsInput needs{"P-1", "revenue", "container", 50000, 30, 25, "", "", 0, 10, "USD", "2500000", "150000", ""};
  BOOST_REQUIRE(services::record_needs(f.db, f.ama, needs));
  BOOST_TEST(move("specification").error().code == ErrorCode::gate_refused);  // recorded, not approved
  BOOST_REQUIRE(services::approve_needs(f.db, f.yaw, "P-1"));
  auto needs_gate = services::check_move(f.db, "GH-TEM-03", "specification", "Yaw Owusu");
  BOOST_REQUIRE(needs_gate.has_value());
  BOOST_TEST(condition(needs_gate, "needs and business case approved by Yaw Owusu (needs record)").holds);
  BOOST_REQUIRE(move("specification"));
  BOOST_REQUIRE(move("tender"));

  // Tender → contract needs the completed evaluation and the award.
  f.three_bids();
  at(f.db, "2026-12-10T10:00:00Z");
  f.declare_all();
  BOOST_REQUIRE(services::open_bids(f.db, f.ama, "T-1"));
  auto open_gate = services::check_move(f.db, "GH-TEM-03", "contract", "Yaw Owusu");
  BOOST_TEST(!open_gate->passed());
  BOOST_TEST(!condition(open_gate, "no approved bid evaluation linked").holds);
  for (const char* b : {"Alpha Scan", "Beta Imaging"})
    for (const char* c : {"IQ", "SVC"})
      for (const auto* e : {&f.kofi, &f.efua}) f.score(*e, b, c, 7);
  BOOST_REQUIRE(services::lock_technical(f.db, f.ama, "T-1"));
  for (const char* b : {"Alpha Scan", "Beta Imaging"})
    for (const char* c : {"IQ", "SVC"})
      BOOST_REQUIRE(services::moderate(f.db, f.ama, "T-1", f.bid_id(b), c, "mean", std::nullopt, "no spread"));
  BOOST_REQUIRE(services::evaluate_tender(f.db, f.ama, "T-1"));
  BOOST_REQUIRE(services::award_lot(f.db, f.yaw, "T-1", 1, f.bid_id("Beta Imaging"), "ranked first"));
  auto tender_gate = services::check_move(f.db, "GH-TEM-03", "contract", "Yaw Owusu");
  BOOST_TEST(tender_gate->passed());
  BOOST_TEST(condition(tender_gate, "evaluation of tender T-1 completed").holds);
  BOOST_TEST(condition(tender_gate, "award decision recorded on tender T-1").holds);
  BOOST_REQUIRE(move("contract"));

  BOOST_TEST(move("fat").error().code == ErrorCode::gate_refused);  // no contract yet
  at(f.db, "2026-12-21T09:00:00Z");
  services::ContractInput c;
  c.tender = "T-1";
  c.reference = "C-1";
  c.value = "2000000";
  c.signed_on = "2026-12-21";
  c.milestones = {{"fat", "2027-03-01", 50}, {"final_acceptance", "2027-07-01", 50}};
  BOOST_REQUIRE(services::sign_contract(f.db, f.ama, c));
  auto contract_gate = services::check_move(f.db, "GH-TEM-03", "fat", "Yaw Owusu");
  BOOST_TEST(contract_gate->passed());
  BOOST_TEST(condition(contract_gate, "contract C-1 signed").holds);
  f.audit_ok();
}
