// Requests and responses of the tender operations (ops_tender.cpp) and the JSON shapes of the
// tender records: needs and business case, tenders, bids, scores, rankings, awards, contracts.
// Money is integer minor units with the currency code beside it; prices in rankings are major
// units of the tender's currency (for arithmetic only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/api/codec.hpp"
#include "app/domain/tender_scoring.hpp"
#include "app/services/tender_report.hpp"
#include "app/services/tender_service.hpp"
#include "db/tender.hpp"

namespace niikit::api {

// ---- records

template <>
struct Describe<db::NeedsRow> {
  static auto fields() {
    using T = db::NeedsRow;
    return std::make_tuple(
        field("id", &T::id), field("procurement_id", &T::procurement_id), field("purposes", &T::purposes),
        field("conveyance_types", &T::conveyance_types), field("annual_scans", &T::annual_scans),
        field("peak_scans_per_hour", &T::peak_scans_per_hour),
        field("required_scans_per_hour", &T::required_scans_per_hour), field("candidate_sites", &T::candidate_sites),
        field("operating_model", &T::operating_model), field("staff_per_shift", &T::staff_per_shift),
        field("life_years", &T::life_years), field("currency", &T::currency), field("capex_minor", &T::capex_minor),
        field("opex_minor_per_year", &T::opex_minor_per_year),
        field("benefit_minor_per_year", &T::benefit_minor_per_year), field("created_at_utc", &T::created_at_utc),
        field("approved_by", &T::approved_by, "person id of the budget holder who approved"),
        field("approved_at_utc", &T::approved_at_utc), field("approved_by_name", &T::approved_by_name));
  }
};

template <>
struct Describe<domain::BusinessCase> {
  static auto fields() {
    using T = domain::BusinessCase;
    return std::make_tuple(field("life_cost", &T::life_cost, "capex + opex × life, major units"),
                           field("cost_per_scan", &T::cost_per_scan, "life cost / (annual scans × life)"),
                           field("payback_years", &T::payback_years, "capex / (benefit − opex); null when benefit ≤ opex"));
  }
};

template <>
struct Describe<services::NeedsView> {
  static auto fields() {
    using T = services::NeedsView;
    return std::make_tuple(field("procurement", &T::procurement_reference), field("needs", &T::needs),
                           field("business_case", &T::business_case));
  }
};

template <>
struct Describe<db::TenderRow> {
  static auto fields() {
    using T = db::TenderRow;
    return std::make_tuple(
        field("id", &T::id), field("reference", &T::reference), field("title", &T::title),
        field("procurement", &T::procurement_reference), field("specification_version", &T::specification_version),
        field("procedure", &T::procedure), field("currency", &T::currency), field("publication_utc", &T::publication_utc),
        field("clarification_deadline_utc", &T::clarification_deadline_utc), field("closing_utc", &T::closing_utc),
        field("opening_utc", &T::opening_utc), field("standstill_days", &T::standstill_days),
        field("price_formula", &T::price_formula, "named, versioned price formula"), field("status", &T::status),
        field("technical_locked_at_utc", &T::technical_locked_at_utc), field("cancel_reason", &T::cancel_reason),
        field("created_at_utc", &T::created_at_utc));
  }
};

template <>
struct Describe<db::LotRow> {
  static auto fields() {
    using T = db::LotRow;
    return std::make_tuple(field("lot", &T::lot_number), field("title", &T::title),
                           field("configuration", &T::configuration), field("quantity", &T::quantity),
                           field("budget_minor", &T::budget_minor, "in the tender's currency"));
  }
};

template <>
struct Describe<db::CriterionRow> {
  static auto fields() {
    using T = db::CriterionRow;
    return std::make_tuple(field("code", &T::code), field("name", &T::name), field("kind", &T::kind),
                           field("weight_pct", &T::weight_pct));
  }
};

template <>
struct Describe<db::CommitteeRow> {
  static auto fields() {
    using T = db::CommitteeRow;
    return std::make_tuple(field("person_id", &T::person_id), field("person", &T::person_name),
                           field("role", &T::committee_role), field("coi_declared_at_utc", &T::coi_declared_at_utc),
                           field("coi_conflict", &T::coi_conflict), field("coi_statement", &T::coi_statement));
  }
};

template <>
struct Describe<db::ClarificationRow> {
  static auto fields() {
    using T = db::ClarificationRow;
    return std::make_tuple(field("id", &T::id), field("question", &T::question), field("asked_by", &T::asked_by),
                           field("asked_at_utc", &T::asked_at_utc), field("answer", &T::answer),
                           field("answered_at_utc", &T::answered_at_utc));
  }
};

template <>
struct Describe<db::BidRow> {
  static auto fields() {
    using T = db::BidRow;
    return std::make_tuple(field("id", &T::id), field("lot", &T::lot_number), field("bidder", &T::bidder_name),
                           field("price_minor", &T::price_minor, "in `currency`; 0 while prices are sealed"),
                           field("currency", &T::currency), field("rate_to_tender", &T::rate_to_tender),
                           field("tender_price_minor", &T::tender_price_minor, "in the tender's currency"),
                           field("valid_until", &T::valid_until), field("submitted_at_utc", &T::submitted_at_utc),
                           field("status", &T::status, "submitted, admissible or excluded"),
                           field("exclusion_reason", &T::exclusion_reason));
  }
};

template <>
struct Describe<db::ClaimRow> {
  static auto fields() {
    using T = db::ClaimRow;
    return std::make_tuple(field("requirement", &T::requirement_id), field("claimed_value", &T::claimed_value));
  }
};

template <>
struct Describe<db::ComplianceRow> {
  static auto fields() {
    using T = db::ComplianceRow;
    return std::make_tuple(field("requirement", &T::requirement_id), field("complies", &T::complies),
                           field("evidence", &T::evidence));
  }
};

template <>
struct Describe<db::ScoreRow> {
  static auto fields() {
    using T = db::ScoreRow;
    return std::make_tuple(field("bid", &T::bid_id), field("criterion", &T::criterion_code),
                           field("evaluator", &T::evaluator_name), field("score", &T::score), field("note", &T::note),
                           field("scored_at_utc", &T::scored_at_utc));
  }
};

template <>
struct Describe<db::ModeratedRow> {
  static auto fields() {
    using T = db::ModeratedRow;
    return std::make_tuple(field("bid", &T::bid_id), field("criterion", &T::criterion_code), field("score", &T::score),
                           field("method", &T::method), field("rationale", &T::rationale),
                           field("spread", &T::spread, "max − min of the evaluators' scores"),
                           field("moderated_at_utc", &T::moderated_at_utc));
  }
};

template <>
struct Describe<db::AwardRow> {
  static auto fields() {
    using T = db::AwardRow;
    return std::make_tuple(field("id", &T::id), field("bid", &T::bid_id), field("decided_by", &T::decided_by_name),
                           field("decided_at_utc", &T::decided_at_utc),
                           field("standstill_until_utc", &T::standstill_until_utc),
                           field("justification", &T::justification));
  }
};

template <>
struct Describe<db::ContractRow> {
  static auto fields() {
    using T = db::ContractRow;
    return std::make_tuple(
        field("reference", &T::reference), field("supplier", &T::supplier_name), field("value_minor", &T::value_minor),
        field("currency", &T::currency), field("signed_on", &T::signed_on), field("warranty_months", &T::warranty_months),
        field("sla_response_h", &T::sla_response_h), field("sla_repair_h", &T::sla_repair_h),
        field("sla_availability_pct", &T::sla_availability_pct), field("penalties", &T::penalties),
        field("performance_security_minor", &T::performance_security_minor),
        field("decommissioning_clause", &T::decommissioning_clause));
  }
};

template <>
struct Describe<db::MilestoneRow> {
  static auto fields() {
    using T = db::MilestoneRow;
    return std::make_tuple(field("kind", &T::kind), field("due_on", &T::due_on),
                           field("payment_share_pct", &T::payment_share_pct), field("met_on", &T::met_on));
  }
};

template <>
struct Describe<services::TenderView> {
  static auto fields() {
    using T = services::TenderView;
    return std::make_tuple(field("tender", &T::tender), field("lots", &T::lots), field("criteria", &T::criteria),
                           field("committee", &T::committee), field("clarifications", &T::clarifications),
                           field("bids", &T::bids), field("awards", &T::awards),
                           field("prices_sealed", &T::prices_sealed, "true until technical scoring is locked"));
  }
};

template <>
struct Describe<services::BidView> {
  static auto fields() {
    using T = services::BidView;
    return std::make_tuple(field("bid", &T::bid), field("claims", &T::claims), field("compliance", &T::compliance));
  }
};

template <>
struct Describe<domain::Spread> {
  static auto fields() {
    using T = domain::Spread;
    return std::make_tuple(field("min", &T::min), field("max", &T::max), field("mean", &T::mean),
                           field("evaluators", &T::evaluators));
  }
};

template <>
struct Describe<services::ScoreSheet::Line> {
  static auto fields() {
    using T = services::ScoreSheet::Line;
    return std::make_tuple(field("bid", &T::bid_id), field("bidder", &T::bidder), field("criterion", &T::criterion),
                           field("spread", &T::spread), field("moderated", &T::moderated), field("method", &T::method),
                           field("rationale", &T::rationale));
  }
};

template <>
struct Describe<services::ScoreSheet> {
  static auto fields() {
    using T = services::ScoreSheet;
    return std::make_tuple(field("tender", &T::tender), field("locked", &T::locked),
                           field("scores", &T::scores, "the scores the reader may see"),
                           field("spreads", &T::spreads, "per bid and criterion, after the lock"));
  }
};

template <>
struct Describe<domain::RankLine> {
  static auto fields() {
    using T = domain::RankLine;
    return std::make_tuple(field("rank", &T::rank), field("bid", &T::bid_id), field("bidder", &T::bidder),
                           field("price", &T::price, "major units of the tender's currency"),
                           field("technical_points", &T::technical_points), field("price_points", &T::price_points),
                           field("total_points", &T::total_points));
  }
};

template <>
struct Describe<domain::ReversalCheck> {
  static auto fields() {
    using T = domain::ReversalCheck;
    return std::make_tuple(field("removed_bid", &T::removed_bid_id), field("removed_bidder", &T::removed_bidder),
                           field("order", &T::order), field("reversed", &T::reversed), field("note", &T::note));
  }
};

template <>
struct Describe<domain::Ranking> {
  static auto fields() {
    using T = domain::Ranking;
    return std::make_tuple(field("formula", &T::formula), field("lowest_price", &T::lowest_price),
                           field("budget", &T::budget), field("lines", &T::lines, "best first"),
                           field("rank_reversal", &T::reversal, "re-ranked with each bid removed"));
  }
};

template <>
struct Describe<services::LotRanking> {
  static auto fields() {
    using T = services::LotRanking;
    return std::make_tuple(field("lot", &T::lot_number), field("ranking", &T::ranking),
                           field("excluded", &T::excluded, "excluded bids with the reason"));
  }
};

template <>
struct Describe<services::ContractView> {
  static auto fields() {
    using T = services::ContractView;
    return std::make_tuple(field("tender", &T::tender_reference), field("lot", &T::lot_number),
                           field("contract", &T::contract), field("milestones", &T::milestones));
  }
};

template <>
struct Describe<services::ComplianceLine> {
  static auto fields() {
    using T = services::ComplianceLine;
    return std::make_tuple(field("bid", &T::bid_id), field("bidder", &T::bidder), field("requirement", &T::requirement),
                           field("text", &T::text), field("mandatory", &T::mandatory), field("target", &T::target),
                           field("claimed", &T::claimed), field("complies", &T::complies), field("evidence", &T::evidence),
                           field("verdict", &T::verdict, "pass, fail or not_answered"));
  }
};

template <>
struct Describe<services::FormulaRanking> {
  static auto fields() {
    using T = services::FormulaRanking;
    return std::make_tuple(field("formula", &T::formula), field("lots", &T::lots));
  }
};

template <>
struct Describe<services::Recommendation> {
  static auto fields() {
    using T = services::Recommendation;
    return std::make_tuple(field("lot", &T::lot_number), field("bid", &T::bid_id), field("bidder", &T::bidder),
                           field("total_points", &T::total_points), field("formula", &T::formula),
                           field("rank_reversal_seen", &T::rank_reversal_seen));
  }
};

template <>
struct Describe<services::TenderReport> {
  static auto fields() {
    using T = services::TenderReport;
    return std::make_tuple(field("tender", &T::tender), field("compliance", &T::compliance, "bid × requirement"),
                           field("scores", &T::scores, "every evaluator's scores, spread and moderated score"),
                           field("rankings", &T::rankings, "per price formula, the tender's own first"),
                           field("recommendation", &T::recommendation, "first ranked bid per lot"));
  }
};

// ---- requests

struct NeedsAddRequest {
  std::string procurement, purposes, conveyance_types;
  std::int64_t annual_scans = 0;
  double peak_scans_per_hour = 0, required_scans_per_hour = 0;
  std::optional<std::string> candidate_sites, operating_model;
  std::optional<std::int64_t> staff_per_shift, life_years;
  std::string currency, capex, opex_per_year;
  std::optional<std::string> benefit_per_year;
};
template <>
struct Describe<NeedsAddRequest> {
  static auto fields() {
    using T = NeedsAddRequest;
    return std::make_tuple(
        field("procurement", &T::procurement, "Procurement reference or id", kRequired | kPositional, "PROCUREMENT"),
        field("purposes", &T::purposes, "Inspection purposes, comma-separated (revenue,drugs,weapons,people,rn_material)", kRequired),
        field("conveyance_types", &T::conveyance_types, "Conveyance types, comma-separated (container,truck,rail,...)", kRequired),
        field("annual_scans", &T::annual_scans, "Scans per year expected", kRequired),
        field("peak_scans_per_hour", &T::peak_scans_per_hour, "Peak traffic, scans per hour", kRequired),
        field("required_scans_per_hour", &T::required_scans_per_hour, "Throughput the scanner must reach", kRequired),
        field("candidate_sites", &T::candidate_sites, "Candidate sites"),
        field("operating_model", &T::operating_model, "Operating model (own staff, outsourced, shifts)"),
        field("staff_per_shift", &T::staff_per_shift, "Staff per shift"),
        field("life_years", &T::life_years, "Life in years for the business case (default 10)"),
        field("currency", &T::currency, "ISO 4217 currency of the figures", kRequired),
        field("capex", &T::capex, "Capital expenditure (major units)", kRequired),
        field("opex_per_year", &T::opex_per_year, "Operating cost per year (major units)", kRequired),
        field("benefit_per_year", &T::benefit_per_year, "Revenue recovered or cost avoided per year, for the payback"));
  }
};

struct ProcurementKeyRequest {
  std::string procurement;
};
template <>
struct Describe<ProcurementKeyRequest> {
  static auto fields() {
    return std::make_tuple(field("procurement", &ProcurementKeyRequest::procurement, "Procurement reference or id",
                                 kRequired | kPositional, "PROCUREMENT"));
  }
};

struct TenderAddRequest {
  std::string procurement, reference, title;
  std::optional<std::string> procedure, currency;
  std::string publication, clarification_deadline, closing, opening;
  std::optional<std::int64_t> standstill_days;
  std::optional<std::string> price_formula;
};
template <>
struct Describe<TenderAddRequest> {
  static auto fields() {
    using T = TenderAddRequest;
    return std::make_tuple(
        field("procurement", &T::procurement, "Procurement reference or id (its newest frozen specification is tendered)",
              kRequired),
        field("reference", &T::reference, "Tender reference (unique)", kRequired | kPositional, "REFERENCE"),
        field("title", &T::title, "Title", kRequired),
        field("procedure", &T::procedure, "open (default), restricted, negotiated, competitive_dialogue"),
        field("currency", &T::currency, "Tender currency (default: the procurement's)"),
        field("publication", &T::publication, "Publication date or UTC time", kRequired),
        field("clarification_deadline", &T::clarification_deadline, "Last day for questions (after publication)", kRequired),
        field("closing", &T::closing, "Bids close (after the clarification deadline)", kRequired),
        field("opening", &T::opening, "Bids are opened (not before closing)", kRequired),
        field("standstill_days", &T::standstill_days, "Standstill days between award and contract (default 10)"),
        field("price_formula", &T::price_formula, "Price formula: " + domain::price_formula_ids() + " (default lowest_ratio)"));
  }
};

struct TenderKey {
  std::string tender;
};
template <>
struct Describe<TenderKey> {
  static auto fields() {
    return std::make_tuple(field("tender", &TenderKey::tender, "Tender reference or id", kRequired | kPositional, "TENDER"));
  }
};

struct LotAddRequest {
  std::string tender, title, configuration;
  std::optional<std::int64_t> quantity;
  std::string budget;
};
template <>
struct Describe<LotAddRequest> {
  static auto fields() {
    using T = LotAddRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("title", &T::title, "Lot title", kRequired),
                           field("configuration", &T::configuration, "Scanner configuration (registry code)", kRequired),
                           field("quantity", &T::quantity, "Number of scanners (default 1)"),
                           field("budget", &T::budget, "Lot budget in the tender's currency", kRequired));
  }
};

struct CriteriaRequest {
  std::string tender;
  std::vector<std::string> criteria;
};
template <>
struct Describe<CriteriaRequest> {
  static auto fields() {
    using T = CriteriaRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("criteria", &T::criteria,
                                 "CODE:KIND:WEIGHT:NAME (kind technical or price; weights in % summing to 100)",
                                 kRequired, "CRITERION"));
  }
};

struct CommitteeRequest {
  std::string tender, person, role;
};
template <>
struct Describe<CommitteeRequest> {
  static auto fields() {
    using T = CommitteeRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("person", &T::person, "Person (name or id)", kRequired),
                           field("role", &T::role, "chair, evaluator or observer", kRequired));
  }
};

struct DeclareRequest {
  std::string tender;
  bool conflict = false;
  std::optional<std::string> statement;
};
template <>
struct Describe<DeclareRequest> {
  static auto fields() {
    using T = DeclareRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("conflict", &T::conflict, "Declare a conflict of interest (blocks the opening)"),
                           field("statement", &T::statement, "What the interest is (required with --conflict)"));
  }
};

struct ReasonRequest {
  std::string tender, reason;
};
template <>
struct Describe<ReasonRequest> {
  static auto fields() {
    return std::make_tuple(field("tender", &ReasonRequest::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("reason", &ReasonRequest::reason, "Why", kRequired));
  }
};

struct AskRequest {
  std::string tender, question;
  std::optional<std::string> asked_by;
};
template <>
struct Describe<AskRequest> {
  static auto fields() {
    using T = AskRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("question", &T::question, "The question", kRequired | kMultiline),
                           field("asked_by", &T::asked_by, "Who asked (a bidder)"));
  }
};

struct AnswerRequest {
  std::string tender;
  std::int64_t id = 0;
  std::string answer;
};
template <>
struct Describe<AnswerRequest> {
  static auto fields() {
    using T = AnswerRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("id", &T::id, "Question id", kRequired),
                           field("answer", &T::answer, "The answer (published to every bidder)", kRequired | kMultiline));
  }
};

struct BidSubmitRequest {
  std::string tender;
  std::optional<std::int64_t> lot;
  std::string bidder;
  std::optional<std::string> country;
  std::string price;
  std::optional<std::string> currency;
  std::optional<double> rate;
  std::string valid_until;
  std::vector<std::string> claims, complies, does_not_comply;
};
template <>
struct Describe<BidSubmitRequest> {
  static auto fields() {
    using T = BidSubmitRequest;
    return std::make_tuple(
        field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
        field("lot", &T::lot, "Lot number (default 1)"), field("bidder", &T::bidder, "Bidder name", kRequired),
        field("country", &T::country, "Bidder's country"),
        field("price", &T::price, "Price (major units of the bid's currency)", kRequired),
        field("currency", &T::currency, "Bid currency (default: the tender's)"),
        field("rate", &T::rate, "Exchange rate: tender currency per 1 unit of the bid currency (required when they differ)"),
        field("valid_until", &T::valid_until, "Bid validity (date; must reach past the opening)", kRequired),
        field("claims", &T::claims, "REQUIREMENT=VALUE: the value the bid claims, in the requirement's unit", kNone, "CLAIM"),
        field("complies", &T::complies, "REQUIREMENT[:EVIDENCE]: the bid complies with the clause", kNone, "CLAUSE"),
        field("does_not_comply", &T::does_not_comply, "REQUIREMENT[:EVIDENCE]: the bid does not comply", kNone, "CLAUSE"));
  }
};

struct ScoreRequest {
  std::string tender;
  std::int64_t bid = 0;
  std::string criterion;
  double score = 0;
  std::optional<std::string> note;
};
template <>
struct Describe<ScoreRequest> {
  static auto fields() {
    using T = ScoreRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("bid", &T::bid, "Bid id", kRequired),
                           field("criterion", &T::criterion, "Technical criterion code", kRequired),
                           field("score", &T::score, "Score 0 to 10", kRequired), field("note", &T::note, "Why"));
  }
};

struct ScoresRequest {
  std::string tender;
  std::optional<std::string> evaluator;
};
template <>
struct Describe<ScoresRequest> {
  static auto fields() {
    using T = ScoresRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("evaluator", &T::evaluator, "Only this evaluator's scores (name or id)"));
  }
};

struct ModerateRequest {
  std::string tender;
  std::int64_t bid = 0;
  std::string criterion, method;
  std::optional<double> score;
  std::string rationale;
};
template <>
struct Describe<ModerateRequest> {
  static auto fields() {
    using T = ModerateRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("bid", &T::bid, "Bid id", kRequired),
                           field("criterion", &T::criterion, "Technical criterion code", kRequired),
                           field("method", &T::method, "consensus (give --score) or mean (the evaluators' mean)", kRequired),
                           field("score", &T::score, "The agreed score 0 to 10 (consensus)"),
                           field("rationale", &T::rationale, "Why this score", kRequired | kMultiline));
  }
};

struct RankRequest {
  std::string tender;
  std::optional<std::string> formula;
};
template <>
struct Describe<RankRequest> {
  static auto fields() {
    using T = RankRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("formula", &T::formula, "Rank with this price formula instead of the tender's: " +
                                                             domain::price_formula_ids()));
  }
};

struct AwardRequest {
  std::string tender;
  std::optional<std::int64_t> lot;
  std::int64_t bid = 0;
  std::string justification;
};
template <>
struct Describe<AwardRequest> {
  static auto fields() {
    using T = AwardRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("lot", &T::lot, "Lot number (default 1)"), field("bid", &T::bid, "Bid id", kRequired),
                           field("justification", &T::justification, "Why (the ranking, the recommendation)",
                                 kRequired | kMultiline));
  }
};

struct ComplaintRequest {
  std::string tender;
  std::optional<std::int64_t> lot;
  std::string complainant, text;
};
template <>
struct Describe<ComplaintRequest> {
  static auto fields() {
    using T = ComplaintRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("lot", &T::lot, "Lot number (default 1)"),
                           field("complainant", &T::complainant, "Who complains", kRequired),
                           field("text", &T::text, "The complaint", kRequired | kMultiline));
  }
};

struct ResolveRequest {
  std::string tender;
  std::optional<std::int64_t> lot;
  std::int64_t complaint = 0;
  std::string resolution;
};
template <>
struct Describe<ResolveRequest> {
  static auto fields() {
    using T = ResolveRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("lot", &T::lot, "Lot number (default 1)"),
                           field("complaint", &T::complaint, "Complaint id", kRequired),
                           field("resolution", &T::resolution, "How it was resolved", kRequired | kMultiline));
  }
};

struct ComplaintReply {
  std::string tender;
  std::int64_t lot = 0;
  std::int64_t complaint = 0;
};
template <>
struct Describe<ComplaintReply> {
  static auto fields() {
    using T = ComplaintReply;
    return std::make_tuple(field("tender", &T::tender), field("lot", &T::lot), field("complaint", &T::complaint, "its id"));
  }
};

struct ContractSignRequest {
  std::string tender;
  std::optional<std::int64_t> lot;
  std::string reference, value, signed_on;
  std::optional<std::int64_t> warranty_months;
  std::optional<double> sla_response_h, sla_repair_h, sla_availability_pct;
  std::optional<std::string> penalties, performance_security, decommissioning;
  std::vector<std::string> milestones;
};
template <>
struct Describe<ContractSignRequest> {
  static auto fields() {
    using T = ContractSignRequest;
    return std::make_tuple(
        field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
        field("lot", &T::lot, "Lot number (default 1)"), field("reference", &T::reference, "Contract reference", kRequired),
        field("value", &T::value, "Contract value in the tender's currency", kRequired),
        field("signed_on", &T::signed_on, "Signing date", kRequired),
        field("warranty_months", &T::warranty_months, "Warranty months (default 24)"),
        field("sla_response_h", &T::sla_response_h, "SLA response time, hours (default 4)"),
        field("sla_repair_h", &T::sla_repair_h, "SLA repair time, hours (default 24)"),
        field("sla_availability_pct", &T::sla_availability_pct, "SLA availability, % (default 95)"),
        field("penalties", &T::penalties, "Penalty terms"),
        field("performance_security", &T::performance_security, "Performance security amount"),
        field("decommissioning", &T::decommissioning, "Decommissioning clause"),
        field("milestones", &T::milestones, "KIND:DUE_DATE:SHARE_PCT (fat, delivery, sat, final_acceptance; shares sum to 100)",
              kRequired, "MILESTONE"));
  }
};

struct OcdsRequest {
  std::string tender;
  std::optional<std::string> ocid_prefix, publisher;
};
template <>
struct Describe<OcdsRequest> {
  static auto fields() {
    using T = OcdsRequest;
    return std::make_tuple(field("tender", &T::tender, "Tender reference or id", kRequired | kPositional, "TENDER"),
                           field("ocid_prefix", &T::ocid_prefix,
                                 "Your registered OCDS prefix, \"ocds-\" and 6 characters (default ocds-niikit)"),
                           field("publisher", &T::publisher, "Publishing organisation, also named as the buyer (default niikit)"));
  }
};

struct ContractKey {
  std::string contract;
};
template <>
struct Describe<ContractKey> {
  static auto fields() {
    return std::make_tuple(field("contract", &ContractKey::contract, "Contract reference or id", kRequired | kPositional, "CONTRACT"));
  }
};

struct MilestoneMetRequest {
  std::string contract, kind, met_on;
};
template <>
struct Describe<MilestoneMetRequest> {
  static auto fields() {
    using T = MilestoneMetRequest;
    return std::make_tuple(field("contract", &T::contract, "Contract reference or id", kRequired | kPositional, "CONTRACT"),
                           field("kind", &T::kind, "fat, delivery, sat or final_acceptance", kRequired),
                           field("met_on", &T::met_on, "Date met", kRequired));
  }
};

}  // namespace niikit::api
