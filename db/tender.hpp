// Tenders to contract (migration 0010_tender.sql): the repository functions for a
// procurement's needs and business case, tenders with lots, committee and clarifications,
// bidders and bids with their claims and compliance answers, evaluation criteria, evaluator and
// moderated scores, awards, complaints and contracts with milestones.
//
// Plain rows only: the rules (status flow, date order, conflict-of-interest gate, independence
// of evaluators, weights summing to 100 %) live in app/services/tender_service and the scoring
// arithmetic in app/domain/tender_scoring. Writes take a WriteTx (the caller's audited unit of
// work); reads take the connection. Not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db {

struct NeedsRow {
  std::int64_t id = 0;
  std::int64_t procurement_id = 0;
  std::string purposes;          // comma-separated codes
  std::string conveyance_types;  // comma-separated codes
  std::int64_t annual_scans = 0;
  double peak_scans_per_hour = 0;
  double required_scans_per_hour = 0;
  std::string candidate_sites;
  std::string operating_model;
  std::int64_t staff_per_shift = 0;
  std::int64_t life_years = 10;
  std::string currency;
  std::int64_t capex_minor = 0;
  std::int64_t opex_minor_per_year = 0;
  std::int64_t benefit_minor_per_year = 0;
  std::string created_at_utc;
  std::optional<std::int64_t> approved_by;
  std::optional<std::string> approved_at_utc;
  std::string approved_by_name;  // read-only, joined
};

struct TenderRow {
  std::int64_t id = 0;
  std::int64_t procurement_id = 0;
  std::int64_t specification_id = 0;
  std::string reference, title, procedure, currency;
  std::string publication_utc, clarification_deadline_utc, closing_utc, opening_utc;
  std::int64_t standstill_days = 10;
  std::string price_formula;
  std::string status;
  std::optional<std::string> technical_locked_at_utc;
  std::string cancel_reason;
  std::string created_at_utc;
  std::string procurement_reference;  // read-only, joined
  int specification_version = 0;     // read-only, joined
};

struct LotRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_number = 0;
  std::string title, configuration;
  std::int64_t quantity = 1;
  std::int64_t budget_minor = 0;
};

struct CommitteeRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t person_id = 0;
  std::string person_name;  // read-only, joined
  std::string committee_role;
  std::optional<std::string> coi_declared_at_utc;
  std::optional<bool> coi_conflict;
  std::string coi_statement;
};

struct ClarificationRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::string question, asked_by, asked_at_utc, answer;
  std::optional<std::int64_t> answered_by;
  std::optional<std::string> answered_at_utc;
};

struct BidderRow {
  std::int64_t id = 0;
  std::string name, country, created_at_utc;
};

struct BidRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t bidder_id = 0;
  std::int64_t price_minor = 0;
  std::string currency;
  double rate_to_tender = 1;
  std::int64_t tender_price_minor = 0;
  std::string valid_until, submitted_at_utc, status, exclusion_reason;
  std::string bidder_name;   // read-only, joined
  std::int64_t lot_number = 0;  // read-only, joined
};

struct ClaimRow {
  std::int64_t id = 0;
  std::int64_t bid_id = 0;
  std::string requirement_id;
  double claimed_value = 0;
  std::string note;
};

struct ComplianceRow {
  std::int64_t id = 0;
  std::int64_t bid_id = 0;
  std::string requirement_id;
  bool complies = false;
  std::string evidence;
};

struct CriterionRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::string code, name, kind;  // kind: technical | price
  double weight_pct = 0;
  std::int64_t position = 0;
};

struct ScoreRow {
  std::int64_t id = 0;
  std::int64_t bid_id = 0;
  std::int64_t criterion_id = 0;
  std::string criterion_code;  // read-only, joined
  std::int64_t evaluator_id = 0;
  std::string evaluator_name;  // read-only, joined
  double score = 0;
  std::string note, scored_at_utc;
};

struct ModeratedRow {
  std::int64_t id = 0;
  std::int64_t bid_id = 0;
  std::int64_t criterion_id = 0;
  std::string criterion_code;  // read-only, joined
  double score = 0;
  std::string method, rationale;
  double spread = 0;
  std::int64_t moderated_by = 0;
  std::string moderated_at_utc;
};

struct AwardRow {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t bid_id = 0;
  std::int64_t decided_by = 0;
  std::string decided_by_name;  // read-only, joined
  std::string decided_at_utc, standstill_until_utc, justification;
};

struct ContractRow {
  std::int64_t id = 0;
  std::int64_t award_id = 0;
  std::string reference;
  std::int64_t supplier_id = 0;
  std::string supplier_name;  // read-only, joined
  std::int64_t value_minor = 0;
  std::string currency, signed_on;
  std::int64_t warranty_months = 0;
  double sla_response_h = 0, sla_repair_h = 0, sla_availability_pct = 0;
  std::string penalties;
  std::int64_t performance_security_minor = 0;
  std::string decommissioning_clause, created_at_utc;
};

struct MilestoneRow {
  std::int64_t id = 0;
  std::int64_t contract_id = 0;
  std::string kind, due_on;
  double payment_share_pct = 0;
  std::optional<std::string> met_on;
};

// The tender records of each scanner's procurement (procurement_scanners), for the stage gates;
// `only_scanner` given: that scanner only. A constant number of queries.
struct ScannerTenderState {
  std::string needs_approved_by;  // name of the person who approved the needs record
  std::string evaluated_tender;   // reference of a tender evaluated or awarded
  std::string awarded_tender;     // reference of a tender with an award
  std::string contract;           // reference of a signed contract
};
std::map<std::int64_t, ScannerTenderState> tender_state_by_scanner(SQLite::Database& sql,
                                                                   std::optional<std::int64_t> only_scanner);

// --- needs
Result<std::int64_t> insert_needs(WriteTx& tx, const NeedsRow& n);
Status approve_needs(WriteTx& tx, std::int64_t needs_id, std::int64_t person_id, const std::string& at_utc);
std::optional<NeedsRow> needs_of_procurement(SQLite::Database& sql, std::int64_t procurement_id);

// --- tenders
Result<std::int64_t> insert_tender(WriteTx& tx, const TenderRow& t);
// Writes status, technical_locked_at_utc and cancel_reason.
Status update_tender_state(WriteTx& tx, const TenderRow& t);
std::optional<TenderRow> find_tender(SQLite::Database& sql, const std::string& reference_or_id);
std::vector<TenderRow> list_tenders(SQLite::Database& sql);

Result<std::int64_t> insert_lot(WriteTx& tx, const LotRow& l);
std::vector<LotRow> lots_of(SQLite::Database& sql, std::int64_t tender_id);

Result<std::int64_t> insert_committee_member(WriteTx& tx, const CommitteeRow& c);
Status record_coi(WriteTx& tx, std::int64_t member_id, bool conflict, const std::string& statement,
                  const std::string& at_utc);
std::vector<CommitteeRow> committee_of(SQLite::Database& sql, std::int64_t tender_id);

Result<std::int64_t> insert_clarification(WriteTx& tx, const ClarificationRow& c);
Status answer_clarification(WriteTx& tx, std::int64_t id, const std::string& answer, std::int64_t by,
                            const std::string& at_utc);
std::vector<ClarificationRow> clarifications_of(SQLite::Database& sql, std::int64_t tender_id);

// --- bidders and bids
Result<std::int64_t> insert_bidder(WriteTx& tx, const BidderRow& b);
std::optional<BidderRow> find_bidder(SQLite::Database& sql, const std::string& name_or_id);

Result<std::int64_t> insert_bid(WriteTx& tx, const BidRow& b);
Status set_bid_status(WriteTx& tx, std::int64_t bid_id, const std::string& status, const std::string& reason);
std::vector<BidRow> bids_of(SQLite::Database& sql, std::int64_t tender_id);
std::optional<BidRow> find_bid(SQLite::Database& sql, std::int64_t bid_id);

Result<std::int64_t> insert_claim(WriteTx& tx, const ClaimRow& c);
Result<std::int64_t> insert_compliance(WriteTx& tx, const ComplianceRow& c);
std::vector<ClaimRow> claims_of(SQLite::Database& sql, std::int64_t bid_id);
std::vector<ComplianceRow> compliance_of(SQLite::Database& sql, std::int64_t bid_id);

// --- evaluation
Result<std::int64_t> insert_criterion(WriteTx& tx, const CriterionRow& c);
std::vector<CriterionRow> criteria_of(SQLite::Database& sql, std::int64_t tender_id);

// Inserts or replaces the evaluator's score of (bid, criterion).
Status put_score(WriteTx& tx, const ScoreRow& s);
// Every evaluator score of the tender's bids; `evaluator_id` given: only that evaluator's.
std::vector<ScoreRow> scores_of(SQLite::Database& sql, std::int64_t tender_id,
                                std::optional<std::int64_t> evaluator_id = std::nullopt);

// Inserts or replaces the moderated score of (bid, criterion).
Status put_moderated(WriteTx& tx, const ModeratedRow& m);
std::vector<ModeratedRow> moderated_of(SQLite::Database& sql, std::int64_t tender_id);

// --- award and contract
Result<std::int64_t> insert_award(WriteTx& tx, const AwardRow& a);
std::vector<AwardRow> awards_of(SQLite::Database& sql, std::int64_t tender_id);
Result<std::int64_t> insert_complaint(WriteTx& tx, std::int64_t award_id, const std::string& complainant,
                                      const std::string& text, const std::string& at_utc);

// Records the resolution of a complaint of `award_id`. Errors: not_found (no such complaint of
// that award), conflict (already resolved).
Status resolve_complaint(WriteTx& tx, std::int64_t award_id, std::int64_t complaint_id, const std::string& resolution,
                         const std::string& at_utc);

Result<std::int64_t> insert_contract(WriteTx& tx, const ContractRow& c);
std::optional<ContractRow> find_contract(SQLite::Database& sql, const std::string& reference_or_id);
std::optional<ContractRow> contract_of_award(SQLite::Database& sql, std::int64_t award_id);
Result<std::int64_t> insert_milestone(WriteTx& tx, const MilestoneRow& m);
Status set_milestone_met(WriteTx& tx, std::int64_t milestone_id, const std::string& met_on);
std::vector<MilestoneRow> milestones_of(SQLite::Database& sql, std::int64_t contract_id);

}  // namespace niikit::db
