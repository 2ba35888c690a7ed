#include "db/tender.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "db/repository_support.hpp"

namespace niikit::db {

namespace {

using namespace support;

Value text_or_null(const std::optional<std::string>& v) { return opt(v); }

// ---- needs
const std::string needs_select =
    "SELECT x.id, x.procurement_id, x.purposes, x.conveyance_types, x.annual_scans, x.peak_scans_per_hour, "
    "x.required_scans_per_hour, x.candidate_sites, x.operating_model, x.staff_per_shift, x.life_years, x.currency, "
    "x.capex_minor, x.opex_minor_per_year, x.benefit_minor_per_year, x.created_at_utc, x.approved_by, "
    "x.approved_at_utc, coalesce(p.name, '') FROM tender_needs x LEFT JOIN people p ON p.id = x.approved_by";
NeedsRow map_needs(SQLite::Statement& q) {
  Cols c(q);
  NeedsRow n;
  n.id = c.id();
  n.procurement_id = c.id();
  n.purposes = c.text();
  n.conveyance_types = c.text();
  n.annual_scans = c.id();
  n.peak_scans_per_hour = c.real();
  n.required_scans_per_hour = c.real();
  n.candidate_sites = c.text();
  n.operating_model = c.text();
  n.staff_per_shift = c.id();
  n.life_years = c.id();
  n.currency = c.text();
  n.capex_minor = c.id();
  n.opex_minor_per_year = c.id();
  n.benefit_minor_per_year = c.id();
  n.created_at_utc = c.text();
  n.approved_by = c.opt_id();
  n.approved_at_utc = c.opt_text();
  n.approved_by_name = c.text();
  return n;
}

// ---- tenders
const std::string tender_select =
    "SELECT x.id, x.procurement_id, x.specification_id, x.reference, x.title, x.procedure, x.currency, "
    "x.publication_utc, x.clarification_deadline_utc, x.closing_utc, x.opening_utc, x.standstill_days, "
    "x.price_formula, x.status, x.technical_locked_at_utc, x.cancel_reason, x.created_at_utc, p.reference, "
    "s.version FROM tenders x JOIN procurements p ON p.id = x.procurement_id "
    "JOIN specifications s ON s.id = x.specification_id";
TenderRow map_tender(SQLite::Statement& q) {
  Cols c(q);
  TenderRow t;
  t.id = c.id();
  t.procurement_id = c.id();
  t.specification_id = c.id();
  t.reference = c.text();
  t.title = c.text();
  t.procedure = c.text();
  t.currency = c.text();
  t.publication_utc = c.text();
  t.clarification_deadline_utc = c.text();
  t.closing_utc = c.text();
  t.opening_utc = c.text();
  t.standstill_days = c.id();
  t.price_formula = c.text();
  t.status = c.text();
  t.technical_locked_at_utc = c.opt_text();
  t.cancel_reason = c.text();
  t.created_at_utc = c.text();
  t.procurement_reference = c.text();
  t.specification_version = static_cast<int>(c.id());
  return t;
}

LotRow map_lot(SQLite::Statement& q) {
  Cols c(q);
  LotRow l;
  l.id = c.id();
  l.tender_id = c.id();
  l.lot_number = c.id();
  l.title = c.text();
  l.configuration = c.text();
  l.quantity = c.id();
  l.budget_minor = c.id();
  return l;
}

CommitteeRow map_member(SQLite::Statement& q) {
  Cols c(q);
  CommitteeRow m;
  m.id = c.id();
  m.tender_id = c.id();
  m.person_id = c.id();
  m.person_name = c.text();
  m.committee_role = c.text();
  m.coi_declared_at_utc = c.opt_text();
  if (auto v = c.opt_id()) m.coi_conflict = *v != 0;
  m.coi_statement = c.text();
  return m;
}

ClarificationRow map_clarification(SQLite::Statement& q) {
  Cols c(q);
  ClarificationRow r;
  r.id = c.id();
  r.tender_id = c.id();
  r.question = c.text();
  r.asked_by = c.text();
  r.asked_at_utc = c.text();
  r.answer = c.text();
  r.answered_by = c.opt_id();
  r.answered_at_utc = c.opt_text();
  return r;
}

const std::string bid_select =
    "SELECT x.id, x.tender_id, x.lot_id, x.bidder_id, x.price_minor, x.currency, x.rate_to_tender, "
    "x.tender_price_minor, x.valid_until, x.submitted_at_utc, x.status, x.exclusion_reason, b.name, l.lot_number "
    "FROM bids x JOIN bidders b ON b.id = x.bidder_id JOIN tender_lots l ON l.id = x.lot_id";
BidRow map_bid(SQLite::Statement& q) {
  Cols c(q);
  BidRow b;
  b.id = c.id();
  b.tender_id = c.id();
  b.lot_id = c.id();
  b.bidder_id = c.id();
  b.price_minor = c.id();
  b.currency = c.text();
  b.rate_to_tender = c.real();
  b.tender_price_minor = c.id();
  b.valid_until = c.text();
  b.submitted_at_utc = c.text();
  b.status = c.text();
  b.exclusion_reason = c.text();
  b.bidder_name = c.text();
  b.lot_number = c.id();
  return b;
}

const std::string score_select =
    "SELECT x.id, x.bid_id, x.criterion_id, k.code, x.evaluator_id, p.name, x.score, x.note, x.scored_at_utc "
    "FROM evaluator_scores x JOIN people p ON p.id = x.evaluator_id JOIN bids b ON b.id = x.bid_id "
    "JOIN tender_criteria k ON k.id = x.criterion_id";
ScoreRow map_score(SQLite::Statement& q) {
  Cols c(q);
  ScoreRow s;
  s.id = c.id();
  s.bid_id = c.id();
  s.criterion_id = c.id();
  s.criterion_code = c.text();
  s.evaluator_id = c.id();
  s.evaluator_name = c.text();
  s.score = c.real();
  s.note = c.text();
  s.scored_at_utc = c.text();
  return s;
}

const std::string contract_select =
    "SELECT x.id, x.award_id, x.reference, x.supplier_id, b.name, x.value_minor, x.currency, x.signed_on, "
    "x.warranty_months, x.sla_response_h, x.sla_repair_h, x.sla_availability_pct, x.penalties, "
    "x.performance_security_minor, x.decommissioning_clause, x.created_at_utc "
    "FROM contracts x JOIN bidders b ON b.id = x.supplier_id";
ContractRow map_contract(SQLite::Statement& q) {
  Cols c(q);
  ContractRow r;
  r.id = c.id();
  r.award_id = c.id();
  r.reference = c.text();
  r.supplier_id = c.id();
  r.supplier_name = c.text();
  r.value_minor = c.id();
  r.currency = c.text();
  r.signed_on = c.text();
  r.warranty_months = c.id();
  r.sla_response_h = c.real();
  r.sla_repair_h = c.real();
  r.sla_availability_pct = c.real();
  r.penalties = c.text();
  r.performance_security_minor = c.id();
  r.decommissioning_clause = c.text();
  r.created_at_utc = c.text();
  return r;
}

// The id of the row of `table` whose two key columns hold (a, b), if any.
std::optional<std::int64_t> id_by_pair(SQLite::Database& sql, const std::string& table, const char* col_a,
                                       std::int64_t a, const char* col_b, std::int64_t b) {
  SQLite::Statement q(sql, "SELECT id FROM " + table + " WHERE " + col_a + " = ? AND " + col_b + " = ?");
  q.bind(1, a);
  q.bind(2, b);
  if (q.executeStep()) return q.getColumn(0).getInt64();
  return std::nullopt;
}

}  // namespace

// ---- what the stage gates read

std::map<std::int64_t, ScannerTenderState> tender_state_by_scanner(SQLite::Database& sql,
                                                                   std::optional<std::int64_t> only_scanner) {
  std::map<std::int64_t, ScannerTenderState> out;
  const std::string where = only_scanner ? " AND ps.scanner_id = ?" : "";
  const auto each = [&](const std::string& text, std::string ScannerTenderState::*field) {
    SQLite::Statement q(sql, text + where + " ORDER BY 2");
    if (only_scanner) q.bind(1, *only_scanner);
    while (q.executeStep()) out[q.getColumn(0).getInt64()].*field = q.getColumn(1).getString();
  };
  const std::string tenders =
      "FROM procurement_scanners ps JOIN tenders t ON t.procurement_id = ps.procurement_id ";
  each("SELECT ps.scanner_id, p.name FROM procurement_scanners ps "
       "JOIN tender_needs n ON n.procurement_id = ps.procurement_id JOIN people p ON p.id = n.approved_by WHERE 1 = 1",
       &ScannerTenderState::needs_approved_by);
  each("SELECT ps.scanner_id, t.reference " + tenders + "WHERE t.status IN ('evaluated', 'awarded')",
       &ScannerTenderState::evaluated_tender);
  each("SELECT ps.scanner_id, t.reference " + tenders + "JOIN tender_awards a ON a.tender_id = t.id WHERE 1 = 1",
       &ScannerTenderState::awarded_tender);
  each("SELECT ps.scanner_id, c.reference " + tenders +
           "JOIN tender_awards a ON a.tender_id = t.id JOIN contracts c ON c.award_id = a.id WHERE 1 = 1",
       &ScannerTenderState::contract);
  return out;
}

// ---- needs

Result<std::int64_t> insert_needs(WriteTx& tx, const NeedsRow& n) {
  return tx.insert("tender_needs", {{"procurement_id", n.procurement_id},
                                    {"purposes", n.purposes},
                                    {"conveyance_types", n.conveyance_types},
                                    {"annual_scans", n.annual_scans},
                                    {"peak_scans_per_hour", n.peak_scans_per_hour},
                                    {"required_scans_per_hour", n.required_scans_per_hour},
                                    {"candidate_sites", n.candidate_sites},
                                    {"operating_model", n.operating_model},
                                    {"staff_per_shift", n.staff_per_shift},
                                    {"life_years", n.life_years},
                                    {"currency", n.currency},
                                    {"capex_minor", n.capex_minor},
                                    {"opex_minor_per_year", n.opex_minor_per_year},
                                    {"benefit_minor_per_year", n.benefit_minor_per_year},
                                    {"created_at_utc", n.created_at_utc}});
}

Status approve_needs(WriteTx& tx, std::int64_t needs_id, std::int64_t person_id, const std::string& at_utc) {
  return tx.update("tender_needs", needs_id, {{"approved_by", person_id}, {"approved_at_utc", at_utc}});
}

std::optional<NeedsRow> needs_of_procurement(SQLite::Database& sql, std::int64_t procurement_id) {
  auto rows = query_list<NeedsRow>(sql, needs_select + " WHERE x.procurement_id = ?", map_needs, procurement_id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

// ---- tenders

Result<std::int64_t> insert_tender(WriteTx& tx, const TenderRow& t) {
  return tx.insert("tenders", {{"procurement_id", t.procurement_id},
                               {"specification_id", t.specification_id},
                               {"reference", t.reference},
                               {"title", t.title},
                               {"procedure", t.procedure},
                               {"currency", t.currency},
                               {"publication_utc", t.publication_utc},
                               {"clarification_deadline_utc", t.clarification_deadline_utc},
                               {"closing_utc", t.closing_utc},
                               {"opening_utc", t.opening_utc},
                               {"standstill_days", t.standstill_days},
                               {"price_formula", t.price_formula},
                               {"status", t.status},
                               {"created_at_utc", t.created_at_utc}});
}

Status update_tender_state(WriteTx& tx, const TenderRow& t) {
  return tx.update("tenders", t.id, {{"status", t.status},
                                     {"technical_locked_at_utc", text_or_null(t.technical_locked_at_utc)},
                                     {"cancel_reason", t.cancel_reason}});
}

std::optional<TenderRow> find_tender(SQLite::Database& sql, const std::string& reference_or_id) {
  return find_by_key_or_id<TenderRow>(sql, tender_select, "x.reference", reference_or_id, map_tender);
}

std::vector<TenderRow> list_tenders(SQLite::Database& sql) {
  return query_list<TenderRow>(sql, tender_select + " ORDER BY x.id", map_tender);
}

Result<std::int64_t> insert_lot(WriteTx& tx, const LotRow& l) {
  return tx.insert("tender_lots", {{"tender_id", l.tender_id},
                                   {"lot_number", l.lot_number},
                                   {"title", l.title},
                                   {"configuration", l.configuration},
                                   {"quantity", l.quantity},
                                   {"budget_minor", l.budget_minor}});
}

std::vector<LotRow> lots_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<LotRow>(sql,
                            "SELECT id, tender_id, lot_number, title, configuration, quantity, budget_minor "
                            "FROM tender_lots WHERE tender_id = ? ORDER BY lot_number",
                            map_lot, tender_id);
}

Result<std::int64_t> insert_committee_member(WriteTx& tx, const CommitteeRow& c) {
  return tx.insert("tender_committee",
                   {{"tender_id", c.tender_id}, {"person_id", c.person_id}, {"committee_role", c.committee_role}});
}

Status record_coi(WriteTx& tx, std::int64_t member_id, bool conflict, const std::string& statement,
                  const std::string& at_utc) {
  return tx.update("tender_committee",
                   member_id, {{"coi_declared_at_utc", at_utc}, {"coi_conflict", flag(conflict)}, {"coi_statement", statement}});
}

std::vector<CommitteeRow> committee_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<CommitteeRow>(
      sql,
      "SELECT x.id, x.tender_id, x.person_id, p.name, x.committee_role, x.coi_declared_at_utc, x.coi_conflict, "
      "x.coi_statement FROM tender_committee x JOIN people p ON p.id = x.person_id WHERE x.tender_id = ? ORDER BY x.id",
      map_member, tender_id);
}

Result<std::int64_t> insert_clarification(WriteTx& tx, const ClarificationRow& c) {
  return tx.insert("tender_clarifications", {{"tender_id", c.tender_id},
                                             {"question", c.question},
                                             {"asked_by", c.asked_by},
                                             {"asked_at_utc", c.asked_at_utc}});
}

Status answer_clarification(WriteTx& tx, std::int64_t id, const std::string& answer, std::int64_t by,
                            const std::string& at_utc) {
  return tx.update("tender_clarifications", id, {{"answer", answer}, {"answered_by", by}, {"answered_at_utc", at_utc}});
}

std::vector<ClarificationRow> clarifications_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<ClarificationRow>(sql,
                                      "SELECT id, tender_id, question, asked_by, asked_at_utc, answer, answered_by, "
                                      "answered_at_utc FROM tender_clarifications WHERE tender_id = ? ORDER BY id",
                                      map_clarification, tender_id);
}

// ---- bidders and bids

Result<std::int64_t> insert_bidder(WriteTx& tx, const BidderRow& b) {
  return tx.insert("bidders", {{"name", b.name}, {"country", b.country}, {"created_at_utc", b.created_at_utc}});
}

std::optional<BidderRow> find_bidder(SQLite::Database& sql, const std::string& name_or_id) {
  return find_by_key_or_id<BidderRow>(sql, "SELECT x.id, x.name, x.country, x.created_at_utc FROM bidders x", "x.name",
                                      name_or_id, [](SQLite::Statement& q) {
                                        Cols c(q);
                                        BidderRow b;
                                        b.id = c.id();
                                        b.name = c.text();
                                        b.country = c.text();
                                        b.created_at_utc = c.text();
                                        return b;
                                      });
}

Result<std::int64_t> insert_bid(WriteTx& tx, const BidRow& b) {
  return tx.insert("bids", {{"tender_id", b.tender_id},
                            {"lot_id", b.lot_id},
                            {"bidder_id", b.bidder_id},
                            {"price_minor", b.price_minor},
                            {"currency", b.currency},
                            {"rate_to_tender", b.rate_to_tender},
                            {"tender_price_minor", b.tender_price_minor},
                            {"valid_until", b.valid_until},
                            {"submitted_at_utc", b.submitted_at_utc},
                            {"status", b.status},
                            {"exclusion_reason", b.exclusion_reason}});
}

Status set_bid_status(WriteTx& tx, std::int64_t bid_id, const std::string& status, const std::string& reason) {
  return tx.update("bids", bid_id, {{"status", status}, {"exclusion_reason", reason}});
}

std::vector<BidRow> bids_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<BidRow>(sql, bid_select + " WHERE x.tender_id = ? ORDER BY l.lot_number, x.id", map_bid, tender_id);
}

std::optional<BidRow> find_bid(SQLite::Database& sql, std::int64_t bid_id) {
  auto rows = query_list<BidRow>(sql, bid_select + " WHERE x.id = ?", map_bid, bid_id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

Result<std::int64_t> insert_claim(WriteTx& tx, const ClaimRow& c) {
  return tx.insert("bid_claims", {{"bid_id", c.bid_id},
                                  {"requirement_id", c.requirement_id},
                                  {"claimed_value", c.claimed_value},
                                  {"note", c.note}});
}

Result<std::int64_t> insert_compliance(WriteTx& tx, const ComplianceRow& c) {
  return tx.insert("bid_compliance", {{"bid_id", c.bid_id},
                                      {"requirement_id", c.requirement_id},
                                      {"complies", flag(c.complies)},
                                      {"evidence", c.evidence}});
}

std::vector<ClaimRow> claims_of(SQLite::Database& sql, std::int64_t bid_id) {
  return query_list<ClaimRow>(sql,
                              "SELECT id, bid_id, requirement_id, claimed_value, note FROM bid_claims WHERE bid_id = ? "
                              "ORDER BY id",
                              [](SQLite::Statement& q) {
                                Cols c(q);
                                ClaimRow r;
                                r.id = c.id();
                                r.bid_id = c.id();
                                r.requirement_id = c.text();
                                r.claimed_value = c.real();
                                r.note = c.text();
                                return r;
                              },
                              bid_id);
}

std::vector<ComplianceRow> compliance_of(SQLite::Database& sql, std::int64_t bid_id) {
  return query_list<ComplianceRow>(sql,
                                   "SELECT id, bid_id, requirement_id, complies, evidence FROM bid_compliance "
                                   "WHERE bid_id = ? ORDER BY id",
                                   [](SQLite::Statement& q) {
                                     Cols c(q);
                                     ComplianceRow r;
                                     r.id = c.id();
                                     r.bid_id = c.id();
                                     r.requirement_id = c.text();
                                     r.complies = c.yes();
                                     r.evidence = c.text();
                                     return r;
                                   },
                                   bid_id);
}

// ---- evaluation

Result<std::int64_t> insert_criterion(WriteTx& tx, const CriterionRow& c) {
  return tx.insert("tender_criteria", {{"tender_id", c.tender_id},
                                       {"code", c.code},
                                       {"name", c.name},
                                       {"kind", c.kind},
                                       {"weight_pct", c.weight_pct},
                                       {"position", c.position}});
}

std::vector<CriterionRow> criteria_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<CriterionRow>(sql,
                                  "SELECT id, tender_id, code, name, kind, weight_pct, position FROM tender_criteria "
                                  "WHERE tender_id = ? ORDER BY position",
                                  [](SQLite::Statement& q) {
                                    Cols c(q);
                                    CriterionRow r;
                                    r.id = c.id();
                                    r.tender_id = c.id();
                                    r.code = c.text();
                                    r.name = c.text();
                                    r.kind = c.text();
                                    r.weight_pct = c.real();
                                    r.position = c.id();
                                    return r;
                                  },
                                  tender_id);
}

Status put_score(WriteTx& tx, const ScoreRow& s) {
  SQLite::Statement q(tx.sql(),
                      "SELECT id FROM evaluator_scores WHERE bid_id = ? AND criterion_id = ? AND evaluator_id = ?");
  q.bind(1, s.bid_id);
  q.bind(2, s.criterion_id);
  q.bind(3, s.evaluator_id);
  const Row values{{"score", s.score}, {"note", s.note}, {"scored_at_utc", s.scored_at_utc}};
  if (q.executeStep()) return tx.update("evaluator_scores", q.getColumn(0).getInt64(), values);
  Row row{{"bid_id", s.bid_id}, {"criterion_id", s.criterion_id}, {"evaluator_id", s.evaluator_id}};
  row.insert(row.end(), values.begin(), values.end());
  auto id = tx.insert("evaluator_scores", row);
  if (!id) return tl::unexpected(id.error());
  return {};
}

std::vector<ScoreRow> scores_of(SQLite::Database& sql, std::int64_t tender_id, std::optional<std::int64_t> evaluator_id) {
  SQLite::Statement q(sql, score_select + " WHERE b.tender_id = ?" + (evaluator_id ? " AND x.evaluator_id = ?" : "") +
                               " ORDER BY b.id, k.position, p.name");
  q.bind(1, tender_id);
  if (evaluator_id) q.bind(2, *evaluator_id);
  std::vector<ScoreRow> out;
  while (q.executeStep()) out.push_back(map_score(q));
  return out;
}

Status put_moderated(WriteTx& tx, const ModeratedRow& m) {
  const Row values{{"score", m.score},   {"method", m.method},
                   {"rationale", m.rationale}, {"spread", m.spread},
                   {"moderated_by", m.moderated_by}, {"moderated_at_utc", m.moderated_at_utc}};
  if (auto id = id_by_pair(tx.sql(), "moderated_scores", "bid_id", m.bid_id, "criterion_id", m.criterion_id))
    return tx.update("moderated_scores", *id, values);
  Row row{{"bid_id", m.bid_id}, {"criterion_id", m.criterion_id}};
  row.insert(row.end(), values.begin(), values.end());
  auto id = tx.insert("moderated_scores", row);
  if (!id) return tl::unexpected(id.error());
  return {};
}

std::vector<ModeratedRow> moderated_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<ModeratedRow>(
      sql,
      "SELECT x.id, x.bid_id, x.criterion_id, k.code, x.score, x.method, x.rationale, x.spread, x.moderated_by, "
      "x.moderated_at_utc FROM moderated_scores x JOIN bids b ON b.id = x.bid_id "
      "JOIN tender_criteria k ON k.id = x.criterion_id WHERE b.tender_id = ? ORDER BY x.id",
      [](SQLite::Statement& q) {
        Cols c(q);
        ModeratedRow m;
        m.id = c.id();
        m.bid_id = c.id();
        m.criterion_id = c.id();
        m.criterion_code = c.text();
        m.score = c.real();
        m.method = c.text();
        m.rationale = c.text();
        m.spread = c.real();
        m.moderated_by = c.id();
        m.moderated_at_utc = c.text();
        return m;
      },
      tender_id);
}

// ---- award and contract

Result<std::int64_t> insert_award(WriteTx& tx, const AwardRow& a) {
  return tx.insert("tender_awards", {{"tender_id", a.tender_id},
                                     {"lot_id", a.lot_id},
                                     {"bid_id", a.bid_id},
                                     {"decided_by", a.decided_by},
                                     {"decided_at_utc", a.decided_at_utc},
                                     {"standstill_until_utc", a.standstill_until_utc},
                                     {"justification", a.justification}});
}

std::vector<AwardRow> awards_of(SQLite::Database& sql, std::int64_t tender_id) {
  return query_list<AwardRow>(
      sql,
      "SELECT x.id, x.tender_id, x.lot_id, x.bid_id, x.decided_by, p.name, x.decided_at_utc, x.standstill_until_utc, "
      "x.justification FROM tender_awards x JOIN people p ON p.id = x.decided_by WHERE x.tender_id = ? ORDER BY x.id",
      [](SQLite::Statement& q) {
        Cols c(q);
        AwardRow a;
        a.id = c.id();
        a.tender_id = c.id();
        a.lot_id = c.id();
        a.bid_id = c.id();
        a.decided_by = c.id();
        a.decided_by_name = c.text();
        a.decided_at_utc = c.text();
        a.standstill_until_utc = c.text();
        a.justification = c.text();
        return a;
      },
      tender_id);
}

Result<std::int64_t> insert_complaint(WriteTx& tx, std::int64_t award_id, const std::string& complainant,
                                      const std::string& text, const std::string& at_utc) {
  return tx.insert("tender_complaints",
                   {{"award_id", award_id}, {"complainant", complainant}, {"text", text}, {"lodged_at_utc", at_utc}});
}

Status resolve_complaint(WriteTx& tx, std::int64_t award_id, std::int64_t complaint_id, const std::string& resolution,
                         const std::string& at_utc) {
  SQLite::Statement q(tx.sql(), "SELECT resolved_at_utc FROM tender_complaints WHERE id = ? AND award_id = ?");
  q.bind(1, complaint_id);
  q.bind(2, award_id);
  if (!q.executeStep()) return fail(ErrorCode::not_found, fmt::format("complaint {}: not found for this award", complaint_id));
  if (!q.getColumn(0).isNull())
    return fail(ErrorCode::conflict, fmt::format("complaint {} was resolved on {}", complaint_id, q.getColumn(0).getString()));
  return tx.update("tender_complaints", complaint_id, {{"resolution", resolution}, {"resolved_at_utc", at_utc}});
}

Result<std::int64_t> insert_contract(WriteTx& tx, const ContractRow& c) {
  return tx.insert("contracts", {{"award_id", c.award_id},
                                 {"reference", c.reference},
                                 {"supplier_id", c.supplier_id},
                                 {"value_minor", c.value_minor},
                                 {"currency", c.currency},
                                 {"signed_on", c.signed_on},
                                 {"warranty_months", c.warranty_months},
                                 {"sla_response_h", c.sla_response_h},
                                 {"sla_repair_h", c.sla_repair_h},
                                 {"sla_availability_pct", c.sla_availability_pct},
                                 {"penalties", c.penalties},
                                 {"performance_security_minor", c.performance_security_minor},
                                 {"decommissioning_clause", c.decommissioning_clause},
                                 {"created_at_utc", c.created_at_utc}});
}

std::optional<ContractRow> find_contract(SQLite::Database& sql, const std::string& reference_or_id) {
  return find_by_key_or_id<ContractRow>(sql, contract_select, "x.reference", reference_or_id, map_contract);
}

std::optional<ContractRow> contract_of_award(SQLite::Database& sql, std::int64_t award_id) {
  auto rows = query_list<ContractRow>(sql, contract_select + " WHERE x.award_id = ?", map_contract, award_id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

Result<std::int64_t> insert_milestone(WriteTx& tx, const MilestoneRow& m) {
  return tx.insert("contract_milestones", {{"contract_id", m.contract_id},
                                           {"kind", m.kind},
                                           {"due_on", m.due_on},
                                           {"payment_share_pct", m.payment_share_pct}});
}

Status set_milestone_met(WriteTx& tx, std::int64_t milestone_id, const std::string& met_on) {
  return tx.update("contract_milestones", milestone_id, {{"met_on", met_on}});
}

std::vector<MilestoneRow> milestones_of(SQLite::Database& sql, std::int64_t contract_id) {
  return query_list<MilestoneRow>(sql,
                                  "SELECT id, contract_id, kind, due_on, payment_share_pct, met_on "
                                  "FROM contract_milestones WHERE contract_id = ? ORDER BY due_on, id",
                                  [](SQLite::Statement& q) {
                                    Cols c(q);
                                    MilestoneRow m;
                                    m.id = c.id();
                                    m.contract_id = c.id();
                                    m.kind = c.text();
                                    m.due_on = c.text();
                                    m.payment_share_pct = c.real();
                                    m.met_on = c.opt_text();
                                    return m;
                                  },
                                  contract_id);
}

}  // namespace niikit::db
