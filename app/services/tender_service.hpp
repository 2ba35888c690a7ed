// Tenders to contract (issue 14), the use cases shared by every adapter: a procurement's needs
// and business case; a tender on a frozen specification with lots, dates, weighted criteria, a
// committee whose members declare conflicts of interest, and clarifications; bids with a price,
// currency, validity, claimed values and compliance answers; opening (mandatory clauses
// pass/fail, failing bids excluded with the reason); independent scoring by each evaluator;
// the technical lock; moderation; ranking by a named price formula with the rank-reversal
// check; award with a standstill period; the contract with milestones and SLA.
//
// Rules enforced here (each refusal a one-line Error naming the input, nothing stored):
//  - dates: publication < clarification deadline < closing <= opening; no bid at or after
//    closing; no opening before the opening time (never before closing);
//  - status flow draft → published → closed (bids opened) → evaluated → awarded; cancelled
//    from any status before awarded; lots and criteria change only in draft;
//  - every committee member declares conflicts of interest before bids are opened, and a
//    declared conflict blocks the opening until the member is replaced;
//  - independence: before technical scoring is locked an evaluator reads only their own scores
//    and nobody reads bid prices (forbidden); price criteria are never scored by hand;
//  - weights sum to 100 %; milestone payment shares sum to 100 %.
//
// Each function is one unit of work (audited as `actor.name`). The acting person is resolved
// and permission-checked by the caller (Context::require); these functions check what only the
// tender knows (committee membership, the member's role on the committee).
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/domain/permissions.hpp"
#include "app/domain/tender_scoring.hpp"
#include "core/error.hpp"
#include "db/database.hpp"
#include "db/tender.hpp"

namespace niikit::services {

using domain::Actor;

// ---- needs and business case

struct NeedsInput {
  std::string procurement;       // reference or id
  std::string purposes;          // comma-separated (revenue, drugs, weapons, people, rn_material...)
  std::string conveyance_types;  // comma-separated (container, truck, car, rail, ...)
  std::int64_t annual_scans = 0;
  double peak_scans_per_hour = 0;
  double required_scans_per_hour = 0;
  std::string candidate_sites, operating_model;
  std::int64_t staff_per_shift = 0;
  std::int64_t life_years = 10;
  std::string currency;
  std::string capex, opex_per_year, benefit_per_year;  // decimal amounts in major units
};

struct NeedsView {
  db::NeedsRow needs;
  std::string procurement_reference;
  domain::BusinessCase business_case;  // computed from the stored figures
};

Result<NeedsView> record_needs(db::Database& db, const Actor& actor, const NeedsInput& in);
// The budget holder approves (the caller checks the role); refused when already approved.
Result<NeedsView> approve_needs(db::Database& db, const Actor& actor, const std::string& procurement);
Result<NeedsView> show_needs(db::Database& db, const std::string& procurement);

// ---- tender set-up

struct TenderInput {
  std::string procurement, reference, title;
  std::string procedure = "open";
  std::string currency;
  std::string publication, clarification_deadline, closing, opening;  // "YYYY-MM-DD[THH:MM:SSZ]"
  std::int64_t standstill_days = 10;
  std::string price_formula = "lowest_ratio";
};

struct LotInput {
  std::string tender, title, configuration;
  std::int64_t quantity = 1;
  std::string budget;  // in the tender's currency, major units
};

struct CriterionInput {
  std::string code, name;
  std::string kind;  // technical | price
  double weight_pct = 0;
};

// What anyone may read about a tender. Before the technical lock, bid prices are sealed:
// `prices_sealed` is true and every bid's price fields are 0.
struct TenderView {
  db::TenderRow tender;
  std::vector<db::LotRow> lots;
  std::vector<db::CriterionRow> criteria;
  std::vector<db::CommitteeRow> committee;
  std::vector<db::ClarificationRow> clarifications;
  std::vector<db::BidRow> bids;
  std::vector<db::AwardRow> awards;
  bool prices_sealed = true;
};

Result<TenderView> create_tender(db::Database& db, const Actor& actor, const TenderInput& in);
Result<db::LotRow> add_lot(db::Database& db, const Actor& actor, const LotInput& in);
// Replaces the tender's criteria as a whole (weights must sum to 100 %); draft only.
Result<std::vector<db::CriterionRow>> set_criteria(db::Database& db, const Actor& actor, const std::string& tender,
                                                   const std::vector<CriterionInput>& criteria);
// committee_role: chair | evaluator | observer. Before opening only.
Result<db::CommitteeRow> add_committee_member(db::Database& db, const Actor& actor, const std::string& tender,
                                              const std::string& person, const std::string& committee_role);
// The acting person declares for themself (must be on the committee).
Result<db::CommitteeRow> declare_interest(db::Database& db, const Actor& actor, const std::string& tender,
                                          bool conflict, const std::string& statement);
Result<TenderView> publish_tender(db::Database& db, const Actor& actor, const std::string& tender);
Result<TenderView> cancel_tender(db::Database& db, const Actor& actor, const std::string& tender,
                                 const std::string& reason);
Result<db::ClarificationRow> ask_clarification(db::Database& db, const Actor& actor, const std::string& tender,
                                               const std::string& question, const std::string& asked_by);
Result<db::ClarificationRow> answer_clarification(db::Database& db, const Actor& actor, const std::string& tender,
                                                  std::int64_t clarification_id, const std::string& answer);
Result<TenderView> show_tender(db::Database& db, const std::string& tender);
Result<std::vector<db::TenderRow>> list_tenders(db::Database& db);

// ---- bids

struct ComplianceInput {
  std::string requirement;
  bool complies = false;
  std::string evidence;
};

struct BidInput {
  std::string tender;
  std::int64_t lot = 1;          // lot number
  std::string bidder;            // registered on first use
  std::string bidder_country;
  std::string price;             // decimal, in `currency`
  std::string currency;          // "" = the tender's
  std::optional<double> rate;    // tender currency per unit of `currency`; required when they differ
  std::string valid_until;       // date
  std::map<std::string, double> claims;   // requirement id → claimed value in its unit
  std::vector<ComplianceInput> compliance;
};

struct BidView {
  db::BidRow bid;
  std::vector<db::ClaimRow> claims;
  std::vector<db::ComplianceRow> compliance;
};

Result<BidView> submit_bid(db::Database& db, const Actor& actor, const BidInput& in);

// Opens the bids: published → closed. Refused before the opening time, while a committee
// member has not declared (or has declared a conflict), or without an evaluator. Judges each
// bid's mandatory clauses: admissible, or excluded with every failing clause as the reason.
Result<TenderView> open_bids(db::Database& db, const Actor& actor, const std::string& tender);

// ---- evaluation

// The acting evaluator's score of one bid on one technical criterion (0..10); replaces their
// earlier score until the lock.
Result<db::ScoreRow> score_bid(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t bid_id,
                               const std::string& criterion, double score, const std::string& note);

struct ScoreSheet {
  std::string tender;
  bool locked = false;
  std::vector<db::ScoreRow> scores;   // what the reader may see
  struct Line {
    std::int64_t bid_id = 0;
    std::string bidder, criterion;
    domain::Spread spread;
    std::optional<double> moderated;
    std::string method, rationale;
  };
  std::vector<Line> spreads;          // after the lock only
};

// Before the lock: only the reader's own scores (asking for another evaluator's: forbidden).
// After: every score with the spread per bid and criterion.
Result<ScoreSheet> read_scores(db::Database& db, const Actor& actor, const std::string& tender,
                               const std::optional<std::string>& evaluator);

// Locks technical scoring (chair only): every evaluator has scored every admissible bid on every
// technical criterion. Prices become readable.
Result<TenderView> lock_technical(db::Database& db, const Actor& actor, const std::string& tender);

// Prices of the bids; forbidden before the technical lock.
Result<std::vector<db::BidRow>> read_prices(db::Database& db, const std::string& tender);

// method "mean": the evaluators' mean (score must be absent); "consensus": the agreed score.
Result<db::ModeratedRow> moderate(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t bid_id,
                                  const std::string& criterion, const std::string& method,
                                  std::optional<double> score, const std::string& rationale);

struct LotRanking {
  std::int64_t lot_number = 0;
  domain::Ranking ranking;
  std::vector<std::string> excluded;  // "Bidder: reason"
};

// The ranking of every lot (after the lock, every admissible bid moderated). `formula` nullopt:
// the tender's own formula.
Result<std::vector<LotRanking>> rank_tender(db::Database& db, const std::string& tender,
                                            const std::optional<std::string>& formula);
// closed → evaluated (chair only): the ranking is final.
Result<std::vector<LotRanking>> evaluate_tender(db::Database& db, const Actor& actor, const std::string& tender);

// ---- award and contract

Result<db::AwardRow> award_lot(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                               std::int64_t bid_id, const std::string& justification);
Result<std::int64_t> lodge_complaint(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                                     const std::string& complainant, const std::string& text);

// Resolves a complaint against the lot's award (the contract waits while one is open).
Result<std::int64_t> resolve_complaint(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                                       std::int64_t complaint_id, const std::string& resolution);

struct MilestoneInput {
  std::string kind;   // fat | delivery | sat | final_acceptance
  std::string due_on;
  double payment_share_pct = 0;
};

struct ContractInput {
  std::string tender;
  std::int64_t lot = 1;
  std::string reference;
  std::string value;   // tender currency, major units
  std::string signed_on;
  std::int64_t warranty_months = 24;
  double sla_response_h = 4, sla_repair_h = 24, sla_availability_pct = 95;
  std::string penalties, performance_security, decommissioning_clause;
  std::vector<MilestoneInput> milestones;
};

struct ContractView {
  db::ContractRow contract;
  std::string tender_reference;
  std::int64_t lot_number = 0;
  std::vector<db::MilestoneRow> milestones;
};

// After the standstill period, with no open complaint; the supplier is the awarded bidder.
Result<ContractView> sign_contract(db::Database& db, const Actor& actor, const ContractInput& in);
Result<ContractView> show_contract(db::Database& db, const std::string& contract);
Result<ContractView> meet_milestone(db::Database& db, const Actor& actor, const std::string& contract,
                                    const std::string& kind, const std::string& met_on);

}  // namespace niikit::services
