// Scoring, moderation, ranking, award and contract (tender_service.cpp: needs, set-up, bids).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "app/domain/money.hpp"
#include "app/services/tender_service.hpp"

#include "app/domain/text_rules.hpp"
#include "app/services/tender_service_internal.hpp"
#include "db/registry.hpp"

namespace niikit::services {

using namespace tender_detail;
using domain::trim;

namespace {

Result<db::BidRow> bid_of_tender(SQLite::Database& sql, const db::TenderRow& t, std::int64_t bid_id) {
  auto b = db::find_bid(sql, bid_id);
  if (!b || b->tender_id != t.id)
    return tl::unexpected(Error{ErrorCode::not_found, fmt::format("tender {}: bid {}: not found", t.reference, bid_id), "bid"});
  return *b;
}

Result<db::CriterionRow> technical_criterion(SQLite::Database& sql, const db::TenderRow& t, const std::string& code) {
  const auto criteria = db::criteria_of(sql, t.id);
  const auto* c = criterion_by_code(criteria, code);
  if (!c)
    return tl::unexpected(Error{ErrorCode::not_found, fmt::format("tender {}: criterion '{}': not found", t.reference, code),
                                "criterion"});
  if (c->kind == "price")
    return tl::unexpected(Error{ErrorCode::input,
                                fmt::format("criterion {} is the price criterion: it is computed by the formula {}, never "
                                            "scored by hand", c->code, t.price_formula),
                                "criterion"});
  return *c;
}

std::vector<db::CommitteeRow> evaluators_of(SQLite::Database& sql, std::int64_t tender_id) {
  std::vector<db::CommitteeRow> out;
  for (auto& m : db::committee_of(sql, tender_id))
    if (m.committee_role == "evaluator") out.push_back(m);
  return out;
}

std::string day_after(const std::string& utc, std::int64_t days) {
  auto t = parse_utc(utc);
  return format_utc(*t + std::chrono::days(days));
}

Result<std::vector<LotRanking>> ranking_of(SQLite::Database& sql, const db::TenderRow& t,
                                           const std::optional<std::string>& formula_text) {
  if (!t.technical_locked_at_utc)
    return tl::unexpected(forbidden(t, "prices stay sealed until technical scoring is locked, so no ranking yet"));
  auto formula = domain::find_price_formula(formula_text.value_or(t.price_formula));
  if (!formula) return tl::unexpected(Error{formula.error().code, formula.error().message, "formula"});
  const auto criteria_rows = db::criteria_of(sql, t.id);
  std::vector<domain::Criterion> criteria;
  for (const auto& c : criteria_rows) criteria.push_back({c.code, c.kind == "price", c.weight_pct});
  std::map<std::int64_t, std::string> code_of;
  for (const auto& c : criteria_rows) code_of[c.id] = c.code;
  std::map<std::int64_t, std::map<std::string, double>> moderated;
  for (const auto& m : db::moderated_of(sql, t.id)) moderated[m.bid_id][code_of[m.criterion_id]] = m.score;
  const auto bids = db::bids_of(sql, t.id);
  std::vector<LotRanking> out;
  for (const auto& lot : db::lots_of(sql, t.id)) {
    LotRanking lr;
    lr.lot_number = lot.lot_number;
    std::vector<domain::BidToRank> to_rank;
    for (const auto& b : bids) {
      if (b.lot_id != lot.id) continue;
      if (b.status == "excluded") {
        lr.excluded.push_back(fmt::format("{}: {}", b.bidder_name, b.exclusion_reason));
        continue;
      }
      to_rank.push_back({b.id, b.bidder_name, domain::to_major(b.tender_price_minor, t.currency), moderated[b.id]});
    }
    auto ranking = domain::rank_bids(criteria, to_rank, *formula, domain::to_major(lot.budget_minor, t.currency));
    if (!ranking) return tl::unexpected(ranking.error().with_context(fmt::format("tender {} lot {}", t.reference, lot.lot_number)));
    lr.ranking = std::move(*ranking);
    out.push_back(std::move(lr));
  }
  return out;
}

}  // namespace

// ---- independent scoring

Result<db::ScoreRow> score_bid(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t bid_id,
                               const std::string& criterion, double score, const std::string& note) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::ScoreRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (t->status != "closed")
      return tl::unexpected(refused(*t, fmt::format("bids are scored after opening and before evaluation; it is {}", t->status)));
    if (t->technical_locked_at_utc)
      return tl::unexpected(refused(*t, fmt::format("technical scoring was locked at {}", *t->technical_locked_at_utc)));
    auto m = member_of(tx.sql(), t->id, actor.person_id);
    if (!m || m->committee_role != "evaluator")
      return tl::unexpected(forbidden(*t, fmt::format("{} is not an evaluator on the committee", actor.name)));
    auto b = bid_of_tender(tx.sql(), *t, bid_id);
    if (!b) return tl::unexpected(b.error());
    if (b->status != "admissible")
      return fail_field(ErrorCode::conflict, "bid", fmt::format("bid {} ({}) is excluded: {}", b->id, b->bidder_name, b->exclusion_reason));
    auto c = technical_criterion(tx.sql(), *t, criterion);
    if (!c) return tl::unexpected(c.error());
    if (!(score >= 0 && score <= domain::kMaxScore))
      return fail_field(ErrorCode::input, "score", fmt::format("{:g}: must be 0 to {:g}", score, domain::kMaxScore));
    db::ScoreRow s{0, b->id, c->id, c->code, actor.person_id, actor.name, score, trim(note), format_utc(tx.now())};
    if (auto st = db::put_score(tx, s); !st) return tl::unexpected(st.error());
    for (auto& row : db::scores_of(tx.sql(), t->id, actor.person_id))
      if (row.bid_id == b->id && row.criterion_id == c->id) return row;
    return fail(ErrorCode::internal, "score not stored");
  });
}

Result<ScoreSheet> read_scores(db::Database& db, const Actor& actor, const std::string& tender,
                               const std::optional<std::string>& evaluator) {
  return db.read([&](SQLite::Database& sql) -> Result<ScoreSheet> {
    auto t = load_tender(sql, tender);
    if (!t) return tl::unexpected(t.error());
    ScoreSheet sheet;
    sheet.tender = t->reference;
    sheet.locked = t->technical_locked_at_utc.has_value();
    std::optional<std::int64_t> only;
    if (evaluator) {
      auto p = db::find_person(sql, *evaluator);
      if (!p) return tl::unexpected(Error{ErrorCode::not_found, fmt::format("person '{}': not found", *evaluator), "evaluator"});
      only = p->id;
    }
    if (!sheet.locked) {
      // Independence: until the lock, each evaluator sees their own scores and nobody else's.
      if (only && *only != actor.person_id)
        return tl::unexpected(forbidden(*t, fmt::format("{} may not read {}'s scores before technical scoring is locked",
                                                        actor.name, *evaluator)));
      auto m = member_of(sql, t->id, actor.person_id);
      if (!m || m->committee_role != "evaluator")
        return tl::unexpected(forbidden(*t, fmt::format("evaluator scores stay sealed until technical scoring is locked; "
                                                        "{} is not an evaluator and has none", actor.name)));
      sheet.scores = db::scores_of(sql, t->id, actor.person_id);
      return sheet;
    }
    sheet.scores = db::scores_of(sql, t->id, only);
    const auto criteria = db::criteria_of(sql, t->id);
    const auto all = db::scores_of(sql, t->id);
    const auto moderated = db::moderated_of(sql, t->id);
    for (const auto& b : db::bids_of(sql, t->id)) {
      if (b.status != "admissible") continue;
      for (const auto& c : criteria) {
        if (c.kind != "technical") continue;
        std::vector<double> values;
        for (const auto& s : all)
          if (s.bid_id == b.id && s.criterion_id == c.id) values.push_back(s.score);
        ScoreSheet::Line line{b.id, b.bidder_name, c.code, domain::spread_of(values), {}, "", ""};
        for (const auto& m : moderated)
          if (m.bid_id == b.id && m.criterion_id == c.id) line.moderated = m.score, line.method = m.method, line.rationale = m.rationale;
        sheet.spreads.push_back(line);
      }
    }
    return sheet;
  });
}

Result<TenderView> lock_technical(db::Database& db, const Actor& actor, const std::string& tender) {
  auto locked = db.write(actor.name, [&](db::WriteTx& tx) -> Result<std::string> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (t->status != "closed" || t->technical_locked_at_utc)
      return tl::unexpected(refused(*t, t->technical_locked_at_utc ? "technical scoring is already locked"
                                                                    : "technical scoring is locked after the bids are opened"));
    if (auto st = require_chair(tx.sql(), *t, actor, "locking technical scoring"); !st) return tl::unexpected(st.error());
    const auto scores = db::scores_of(tx.sql(), t->id);
    std::vector<std::string> missing;
    for (const auto& e : evaluators_of(tx.sql(), t->id))
      for (const auto& b : db::bids_of(tx.sql(), t->id)) {
        if (b.status != "admissible") continue;
        for (const auto& c : db::criteria_of(tx.sql(), t->id)) {
          if (c.kind != "technical") continue;
          const bool has = std::any_of(scores.begin(), scores.end(), [&](const db::ScoreRow& s) {
            return s.evaluator_id == e.person_id && s.bid_id == b.id && s.criterion_id == c.id;
          });
          if (!has) missing.push_back(fmt::format("{} on bid {} ({}) {}", e.person_name, b.id, b.bidder_name, c.code));
        }
      }
    if (!missing.empty())
      return tl::unexpected(refused(*t, fmt::format("{} score(s) missing, first: {}", missing.size(), missing.front())));
    t->technical_locked_at_utc = format_utc(tx.now());
    if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    return t->reference;
  });
  if (!locked) return tl::unexpected(locked.error());
  return show_tender(db, *locked);
}

Result<std::vector<db::BidRow>> read_prices(db::Database& db, const std::string& tender) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<db::BidRow>> {
    auto t = load_tender(sql, tender);
    if (!t) return tl::unexpected(t.error());
    if (!t->technical_locked_at_utc)
      return tl::unexpected(forbidden(*t, "prices stay sealed until technical scoring is locked (niikit tender lock)"));
    return db::bids_of(sql, t->id);
  });
}

Result<db::ModeratedRow> moderate(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t bid_id,
                                  const std::string& criterion, const std::string& method,
                                  std::optional<double> score, const std::string& rationale) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::ModeratedRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (t->status != "closed" || !t->technical_locked_at_utc)
      return tl::unexpected(refused(*t, "moderation follows the technical lock and precedes evaluation"));
    if (auto st = require_chair(tx.sql(), *t, actor, "moderation"); !st) return tl::unexpected(st.error());
    auto b = bid_of_tender(tx.sql(), *t, bid_id);
    if (!b) return tl::unexpected(b.error());
    if (b->status != "admissible")
      return fail_field(ErrorCode::conflict, "bid", fmt::format("bid {} ({}) is excluded", b->id, b->bidder_name));
    auto c = technical_criterion(tx.sql(), *t, criterion);
    if (!c) return tl::unexpected(c.error());
    std::vector<double> values;
    for (const auto& s : db::scores_of(tx.sql(), t->id))
      if (s.bid_id == b->id && s.criterion_id == c->id) values.push_back(s.score);
    const auto spread = domain::spread_of(values);
    if (trim(rationale).empty()) return fail_field(ErrorCode::input, "rationale", "required: why this score");
    db::ModeratedRow m{0, b->id, c->id, c->code, 0, method, trim(rationale), spread.range(), actor.person_id, format_utc(tx.now())};
    if (method == "mean") {
      if (score) return fail_field(ErrorCode::input, "score", "the declared mean takes no score: it is the evaluators' mean");
      m.score = spread.mean;
    } else if (method == "consensus") {
      if (!score) return fail_field(ErrorCode::input, "score", "required for a consensus score");
      if (!(*score >= 0 && *score <= domain::kMaxScore))
        return fail_field(ErrorCode::input, "score", fmt::format("{:g}: must be 0 to {:g}", *score, domain::kMaxScore));
      m.score = *score;
    } else {
      return fail_field(ErrorCode::input, "method", fmt::format("'{}': not one of consensus, mean", method));
    }
    if (auto st = db::put_moderated(tx, m); !st) return tl::unexpected(st.error());
    for (auto& row : db::moderated_of(tx.sql(), t->id))
      if (row.bid_id == b->id && row.criterion_id == c->id) return row;
    return fail(ErrorCode::internal, "moderated score not stored");
  });
}

Result<std::vector<LotRanking>> rank_tender(db::Database& db, const std::string& tender,
                                            const std::optional<std::string>& formula) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<LotRanking>> {
    auto t = load_tender(sql, tender);
    if (!t) return tl::unexpected(t.error());
    return ranking_of(sql, *t, formula);
  });
}

Result<std::vector<LotRanking>> evaluate_tender(db::Database& db, const Actor& actor, const std::string& tender) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<std::vector<LotRanking>> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (t->status != "closed" || !t->technical_locked_at_utc)
      return tl::unexpected(refused(*t, "evaluation is completed after the technical lock and moderation"));
    if (auto st = require_chair(tx.sql(), *t, actor, "completing the evaluation"); !st) return tl::unexpected(st.error());
    auto ranking = ranking_of(tx.sql(), *t, std::nullopt);
    if (!ranking) return tl::unexpected(Error{ErrorCode::conflict, ranking.error().message, ranking.error().field});
    t->status = "evaluated";
    if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    return ranking;
  });
}

// ---- award and contract

Result<db::AwardRow> award_lot(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                               std::int64_t bid_id, const std::string& justification) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::AwardRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (t->status != "evaluated")
      return tl::unexpected(refused(*t, fmt::format("awards follow a completed evaluation; it is {}", t->status)));
    std::optional<db::LotRow> the_lot;
    for (const auto& l : db::lots_of(tx.sql(), t->id))
      if (l.lot_number == lot) the_lot = l;
    if (!the_lot) return fail_field(ErrorCode::not_found, "lot", fmt::format("tender {}: no lot {}", t->reference, lot));
    auto b = bid_of_tender(tx.sql(), *t, bid_id);
    if (!b) return tl::unexpected(b.error());
    if (b->lot_id != the_lot->id)
      return fail_field(ErrorCode::input, "bid", fmt::format("bid {} is for lot {}, not lot {}", b->id, b->lot_number, lot));
    if (b->status != "admissible")
      return fail_field(ErrorCode::conflict, "bid", fmt::format("bid {} ({}) is excluded: {}", b->id, b->bidder_name, b->exclusion_reason));
    if (trim(justification).empty()) return fail_field(ErrorCode::input, "justification", "required");
    for (const auto& a : db::awards_of(tx.sql(), t->id))
      if (a.lot_id == the_lot->id) return fail_field(ErrorCode::conflict, "lot", fmt::format("lot {} is already awarded", lot));
    const std::string now = format_utc(tx.now());
    db::AwardRow a{0, t->id, the_lot->id, b->id, actor.person_id, actor.name, now, day_after(now, t->standstill_days),
                   trim(justification)};
    auto id = db::insert_award(tx, a);
    if (!id) return tl::unexpected(id.error());
    a.id = *id;
    // The tender is awarded once every lot with an admissible bid has its award.
    const auto awards = db::awards_of(tx.sql(), t->id);
    const auto bids = db::bids_of(tx.sql(), t->id);
    bool all = true;
    for (const auto& l : db::lots_of(tx.sql(), t->id)) {
      const bool biddable = std::any_of(bids.begin(), bids.end(),
                                        [&](const db::BidRow& x) { return x.lot_id == l.id && x.status == "admissible"; });
      const bool awarded = std::any_of(awards.begin(), awards.end(), [&](const db::AwardRow& x) { return x.lot_id == l.id; });
      all = all && (!biddable || awarded);
    }
    if (all) {
      t->status = "awarded";
      if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    }
    return a;
  });
}

namespace {

Result<db::AwardRow> award_of_lot(SQLite::Database& sql, const db::TenderRow& t, std::int64_t lot) {
  for (const auto& l : db::lots_of(sql, t.id))
    if (l.lot_number == lot)
      for (const auto& a : db::awards_of(sql, t.id))
        if (a.lot_id == l.id) return a;
  return tl::unexpected(Error{ErrorCode::not_found, fmt::format("tender {}: lot {} has no award", t.reference, lot), "lot"});
}

Result<ContractView> contract_view(SQLite::Database& sql, const std::string& key) {
  auto c = db::find_contract(sql, key);
  if (!c) return tl::unexpected(not_found("contract", key));
  ContractView v;
  v.contract = *c;
  SQLite::Statement q(sql, "SELECT t.reference, l.lot_number FROM tender_awards a JOIN tenders t ON t.id = a.tender_id "
                           "JOIN tender_lots l ON l.id = a.lot_id WHERE a.id = ?");
  q.bind(1, c->award_id);
  if (q.executeStep()) {
    v.tender_reference = q.getColumn(0).getString();
    v.lot_number = q.getColumn(1).getInt64();
  }
  v.milestones = db::milestones_of(sql, c->id);
  return v;
}

}  // namespace

Result<std::int64_t> lodge_complaint(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                                     const std::string& complainant, const std::string& text) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    auto a = award_of_lot(tx.sql(), *t, lot);
    if (!a) return tl::unexpected(a.error());
    if (trim(complainant).empty()) return fail_field(ErrorCode::input, "complainant", "required");
    if (trim(text).empty()) return fail_field(ErrorCode::input, "text", "required");
    return db::insert_complaint(tx, a->id, trim(complainant), trim(text), format_utc(tx.now()));
  });
}

Result<std::int64_t> resolve_complaint(db::Database& db, const Actor& actor, const std::string& tender, std::int64_t lot,
                                       std::int64_t complaint_id, const std::string& resolution) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    auto a = award_of_lot(tx.sql(), *t, lot);
    if (!a) return tl::unexpected(a.error());
    if (trim(resolution).empty()) return fail_field(ErrorCode::input, "resolution", "required");
    if (auto st = db::resolve_complaint(tx, a->id, complaint_id, trim(resolution), format_utc(tx.now())); !st)
      return tl::unexpected(Error{st.error().code, st.error().message, "complaint"});
    return complaint_id;
  });
}

Result<ContractView> sign_contract(db::Database& db, const Actor& actor, const ContractInput& in) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<ContractView> {
    auto t = load_tender(tx.sql(), in.tender);
    if (!t) return tl::unexpected(t.error());
    auto a = award_of_lot(tx.sql(), *t, in.lot);
    if (!a) return tl::unexpected(a.error());
    const std::string now = format_utc(tx.now());
    if (now < a->standstill_until_utc)
      return tl::unexpected(refused(*t, fmt::format("lot {} is in its standstill period until {}; no contract before it ends",
                                                    in.lot, a->standstill_until_utc)));
    SQLite::Statement open(tx.sql(), "SELECT count(*) FROM tender_complaints WHERE award_id = ? AND resolved_at_utc IS NULL");
    open.bind(1, a->id);
    open.executeStep();
    if (open.getColumn(0).getInt64() > 0)
      return tl::unexpected(refused(*t, fmt::format("lot {} has an open complaint against its award", in.lot)));
    if (db::contract_of_award(tx.sql(), a->id))
      return fail_field(ErrorCode::conflict, "lot", fmt::format("lot {} already has a contract", in.lot));
    db::ContractRow c;
    c.award_id = a->id;
    c.reference = trim(in.reference);
    if (c.reference.empty()) return fail_field(ErrorCode::input, "reference", "required");
    c.supplier_id = db::find_bid(tx.sql(), a->bid_id)->bidder_id;
    c.currency = t->currency;
    auto value = domain::parse_money(trim(in.value), c.currency, "value");
    if (!value) return tl::unexpected(Error{value.error().code, value.error().message, "value"});
    if (*value <= 0) return fail_field(ErrorCode::input, "value", "must be positive");
    c.value_minor = *value;
    auto signed_on = utc_field(in.signed_on, "signed_on");
    if (!signed_on) return tl::unexpected(signed_on.error());
    c.signed_on = signed_on->substr(0, 10);
    if (in.warranty_months < 0 || in.warranty_months > 240)
      return fail_field(ErrorCode::input, "warranty_months", "must be 0 to 240");
    c.warranty_months = in.warranty_months;
    if (!(in.sla_response_h > 0)) return fail_field(ErrorCode::input, "sla_response_h", "must be positive");
    if (!(in.sla_repair_h > 0)) return fail_field(ErrorCode::input, "sla_repair_h", "must be positive");
    if (!(in.sla_availability_pct > 0 && in.sla_availability_pct <= 100))
      return fail_field(ErrorCode::input, "sla_availability_pct", "must be above 0 and at most 100");
    c.sla_response_h = in.sla_response_h;
    c.sla_repair_h = in.sla_repair_h;
    c.sla_availability_pct = in.sla_availability_pct;
    c.penalties = trim(in.penalties);
    c.decommissioning_clause = trim(in.decommissioning_clause);
    if (!trim(in.performance_security).empty()) {
      auto security = domain::parse_money(trim(in.performance_security), c.currency, "performance_security");
      if (!security) return tl::unexpected(Error{security.error().code, security.error().message, "performance_security"});
      c.performance_security_minor = *security;
    }
    c.created_at_utc = now;
    if (in.milestones.empty()) return fail_field(ErrorCode::input, "milestones", "required: at least one milestone");
    double shares = 0;
    std::set<std::string> kinds;
    std::vector<db::MilestoneRow> milestones;
    for (std::size_t i = 0; i < in.milestones.size(); ++i) {
      const auto& m = in.milestones[i];
      const std::string at = fmt::format("milestones/{}", i);
      static const std::set<std::string> allowed{"fat", "delivery", "sat", "final_acceptance"};
      if (!allowed.count(m.kind))
        return fail_field(ErrorCode::input, at + "/kind", fmt::format("'{}': not one of fat, delivery, sat, final_acceptance", m.kind));
      if (!kinds.insert(m.kind).second) return fail_field(ErrorCode::input, at + "/kind", fmt::format("'{}' given twice", m.kind));
      auto due = utc_field(m.due_on, at + "/due_on");
      if (!due) return tl::unexpected(due.error());
      if (!(m.payment_share_pct >= 0 && m.payment_share_pct <= 100))
        return fail_field(ErrorCode::input, at + "/payment_share_pct", "must be 0 to 100");
      shares += m.payment_share_pct;
      milestones.push_back({0, 0, m.kind, due->substr(0, 10), m.payment_share_pct, {}});
    }
    if (std::abs(shares - 100.0) > domain::kWeightTolerance)
      return fail_field(ErrorCode::input, "milestones", fmt::format("payment shares sum to {:g} %, not 100 %", shares));
    auto id = db::insert_contract(tx, c);
    if (!id) return tl::unexpected(id.error());
    for (auto& m : milestones) {
      m.contract_id = *id;
      if (auto st = db::insert_milestone(tx, m); !st) return tl::unexpected(st.error());
    }
    return contract_view(tx.sql(), std::to_string(*id));
  });
}

Result<ContractView> show_contract(db::Database& db, const std::string& contract) {
  return db.read([&](SQLite::Database& sql) { return contract_view(sql, contract); });
}

Result<ContractView> meet_milestone(db::Database& db, const Actor& actor, const std::string& contract,
                                    const std::string& kind, const std::string& met_on) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<ContractView> {
    auto v = contract_view(tx.sql(), contract);
    if (!v) return v;
    auto date = utc_field(met_on, "met_on");
    if (!date) return tl::unexpected(date.error());
    for (const auto& m : v->milestones) {
      if (m.kind != kind) continue;
      if (m.met_on) return fail_field(ErrorCode::conflict, "kind", fmt::format("milestone {} was met on {}", kind, *m.met_on));
      if (auto st = db::set_milestone_met(tx, m.id, date->substr(0, 10)); !st) return tl::unexpected(st.error());
      return contract_view(tx.sql(), contract);
    }
    return fail_field(ErrorCode::not_found, "kind",
                      fmt::format("contract {}: no milestone '{}'", v->contract.reference, kind));
  });
}

}  // namespace niikit::services
