// Needs, tender set-up, bids and their opening (tender_evaluation.cpp: scoring to contract).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "app/domain/money.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/domain/requirements.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/tender_service.hpp"

#include "app/domain/text_rules.hpp"
#include "app/services/tender_service_internal.hpp"
#include "db/procurement.hpp"
#include "db/registry.hpp"

namespace niikit::services {

using namespace tender_detail;
using domain::trim;

namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<std::string> currency_field(const std::string& text, const std::string& field) {
  const std::string code = upper(trim(text));
  if (!domain::is_currency_code(code))
    return fail_field(ErrorCode::input, field, fmt::format("'{}': expected a 3-letter ISO 4217 code such as USD", text));
  return code;
}

Result<db::Procurement> load_procurement(SQLite::Database& sql, const std::string& key) {
  auto p = db::find_procurement(sql, key);
  if (!p) return tl::unexpected(not_found("procurement", key));
  return *p;
}

NeedsView needs_view(const db::NeedsRow& n, const std::string& reference) {
  NeedsView v{n, reference, {}};
  v.business_case = domain::business_case({domain::to_major(n.capex_minor, n.currency),
                                           domain::to_major(n.opex_minor_per_year, n.currency),
                                           domain::to_major(n.benefit_minor_per_year, n.currency), n.annual_scans,
                                           static_cast<int>(n.life_years)});
  return v;
}

Result<NeedsView> read_needs(SQLite::Database& sql, const std::string& procurement) {
  auto p = load_procurement(sql, procurement);
  if (!p) return tl::unexpected(p.error());
  auto n = db::needs_of_procurement(sql, p->id);
  if (!n) return fail(ErrorCode::not_found, fmt::format("procurement {}: no needs recorded (niikit needs add)", p->reference));
  return needs_view(*n, p->reference);
}

Status in_status(const db::TenderRow& t, std::initializer_list<const char*> allowed, const char* action) {
  for (const char* s : allowed)
    if (t.status == s) return {};
  return tl::unexpected(refused(t, fmt::format("cannot {} while {}", action, t.status)));
}

TenderView view_of(SQLite::Database& sql, const db::TenderRow& t) {
  TenderView v;
  v.tender = t;
  v.lots = db::lots_of(sql, t.id);
  v.criteria = db::criteria_of(sql, t.id);
  v.committee = db::committee_of(sql, t.id);
  v.clarifications = db::clarifications_of(sql, t.id);
  v.bids = db::bids_of(sql, t.id);
  v.awards = db::awards_of(sql, t.id);
  v.prices_sealed = !t.technical_locked_at_utc.has_value();
  if (v.prices_sealed)
    for (auto& b : v.bids) b.price_minor = b.tender_price_minor = 0, b.rate_to_tender = 0;
  return v;
}

}  // namespace

// ---- needs

Result<NeedsView> record_needs(db::Database& db, const Actor& actor, const NeedsInput& in) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<NeedsView> {
    auto p = load_procurement(tx.sql(), in.procurement);
    if (!p) return tl::unexpected(p.error());
    if (db::needs_of_procurement(tx.sql(), p->id))
      return fail(ErrorCode::conflict, fmt::format("procurement {}: needs already recorded", p->reference));
    db::NeedsRow n;
    n.procurement_id = p->id;
    n.purposes = trim(in.purposes);
    n.conveyance_types = trim(in.conveyance_types);
    if (n.purposes.empty()) return fail_field(ErrorCode::input, "purposes", "required (e.g. revenue,drugs)");
    if (n.conveyance_types.empty()) return fail_field(ErrorCode::input, "conveyance_types", "required (e.g. container,truck)");
    if (in.annual_scans <= 0) return fail_field(ErrorCode::input, "annual_scans", "must be positive");
    if (!(in.peak_scans_per_hour > 0)) return fail_field(ErrorCode::input, "peak_scans_per_hour", "must be positive");
    if (!(in.required_scans_per_hour > 0))
      return fail_field(ErrorCode::input, "required_scans_per_hour", "must be positive");
    if (in.life_years < 1 || in.life_years > 40) return fail_field(ErrorCode::input, "life_years", "must be 1 to 40");
    if (in.staff_per_shift < 0) return fail_field(ErrorCode::input, "staff_per_shift", "must not be negative");
    n.annual_scans = in.annual_scans;
    n.peak_scans_per_hour = in.peak_scans_per_hour;
    n.required_scans_per_hour = in.required_scans_per_hour;
    n.candidate_sites = trim(in.candidate_sites);
    n.operating_model = trim(in.operating_model);
    n.staff_per_shift = in.staff_per_shift;
    n.life_years = in.life_years;
    auto currency = currency_field(in.currency, "currency");
    if (!currency) return tl::unexpected(currency.error());
    n.currency = *currency;
    struct Money { const std::string& text; const char* field; std::int64_t& out; bool required; };
    for (Money m : {Money{in.capex, "capex", n.capex_minor, true}, Money{in.opex_per_year, "opex_per_year", n.opex_minor_per_year, true},
                    Money{in.benefit_per_year, "benefit_per_year", n.benefit_minor_per_year, false}}) {
      if (m.text.empty() && !m.required) continue;
      auto v = domain::parse_money(m.text, n.currency, m.field);
      if (!v) return tl::unexpected(Error{v.error().code, v.error().message, m.field});
      m.out = *v;
    }
    n.created_at_utc = format_utc(tx.now());
    auto id = db::insert_needs(tx, n);
    if (!id) return tl::unexpected(id.error());
    return read_needs(tx.sql(), std::to_string(p->id));
  });
}

Result<NeedsView> approve_needs(db::Database& db, const Actor& actor, const std::string& procurement) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<NeedsView> {
    auto v = read_needs(tx.sql(), procurement);
    if (!v) return v;
    if (v->needs.approved_at_utc)
      return fail(ErrorCode::conflict, fmt::format("procurement {}: needs already approved by {} on {}", v->procurement_reference,
                                                   v->needs.approved_by_name, *v->needs.approved_at_utc));
    if (auto st = db::approve_needs(tx, v->needs.id, actor.person_id, format_utc(tx.now())); !st)
      return tl::unexpected(st.error());
    return read_needs(tx.sql(), procurement);
  });
}

Result<NeedsView> show_needs(db::Database& db, const std::string& procurement) {
  return db.read([&](SQLite::Database& sql) { return read_needs(sql, procurement); });
}

// ---- tender set-up

Result<TenderView> create_tender(db::Database& db, const Actor& actor, const TenderInput& in) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<TenderView> {
    auto p = load_procurement(tx.sql(), in.procurement);
    if (!p) return tl::unexpected(p.error());
    auto spec = db::newest_frozen_specification(tx.sql(), p->id);
    if (!spec)
      return fail_field(ErrorCode::conflict, "procurement",
                        fmt::format("procurement {}: no frozen specification; tenders are issued on a frozen version "
                                    "(niikit spec freeze)", p->reference));
    db::TenderRow t;
    t.procurement_id = p->id;
    t.specification_id = spec->id;
    t.reference = trim(in.reference);
    t.title = trim(in.title);
    if (t.reference.empty()) return fail_field(ErrorCode::input, "reference", "required");
    if (t.title.empty()) return fail_field(ErrorCode::input, "title", "required");
    static const std::set<std::string> procedures{"open", "restricted", "negotiated", "competitive_dialogue"};
    if (!procedures.count(in.procedure))
      return fail_field(ErrorCode::input, "procedure",
                        fmt::format("'{}': not one of open, restricted, negotiated, competitive_dialogue", in.procedure));
    t.procedure = in.procedure;
    auto currency = currency_field(in.currency.empty() ? p->currency : in.currency, "currency");
    if (!currency) return tl::unexpected(currency.error());
    t.currency = *currency;
    struct D { const std::string& text; const char* field; std::string& out; };
    for (D d : {D{in.publication, "publication", t.publication_utc},
                D{in.clarification_deadline, "clarification_deadline", t.clarification_deadline_utc},
                D{in.closing, "closing", t.closing_utc}, D{in.opening, "opening", t.opening_utc}}) {
      auto v = utc_field(d.text, d.field);
      if (!v) return tl::unexpected(v.error());
      d.out = *v;
    }
    if (!(t.publication_utc < t.clarification_deadline_utc))
      return fail_field(ErrorCode::input, "clarification_deadline", "must be after the publication");
    if (!(t.clarification_deadline_utc < t.closing_utc))
      return fail_field(ErrorCode::input, "closing", "must be after the clarification deadline");
    if (!(t.closing_utc <= t.opening_utc))
      return fail_field(ErrorCode::input, "opening", "must not be before the closing (bids are opened after closing)");
    if (in.standstill_days < 0 || in.standstill_days > 90)
      return fail_field(ErrorCode::input, "standstill_days", "must be 0 to 90");
    t.standstill_days = in.standstill_days;
    auto formula = domain::find_price_formula(in.price_formula);
    if (!formula) return tl::unexpected(Error{formula.error().code, formula.error().message, "price_formula"});
    t.price_formula = formula->id();
    t.status = "draft";
    t.created_at_utc = format_utc(tx.now());
    auto id = db::insert_tender(tx, t);
    if (!id) return tl::unexpected(id.error());
    return view_of(tx.sql(), *db::find_tender(tx.sql(), std::to_string(*id)));
  });
}

Result<db::LotRow> add_lot(db::Database& db, const Actor& actor, const LotInput& in) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::LotRow> {
    auto t = load_tender(tx.sql(), in.tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft"}, "add a lot"); !st) return tl::unexpected(st.error());
    db::LotRow l;
    l.tender_id = t->id;
    l.lot_number = static_cast<std::int64_t>(db::lots_of(tx.sql(), t->id).size()) + 1;
    l.title = trim(in.title);
    if (l.title.empty()) return fail_field(ErrorCode::input, "title", "required");
    auto configuration = domain::parse_code(domain::configurations(), in.configuration);
    if (!configuration) return tl::unexpected(Error{configuration.error().code, configuration.error().message, "configuration"});
    l.configuration = *configuration;
    if (in.quantity < 1) return fail_field(ErrorCode::input, "quantity", "must be at least 1");
    l.quantity = in.quantity;
    auto budget = domain::parse_money(in.budget, t->currency, "budget");
    if (!budget) return tl::unexpected(Error{budget.error().code, budget.error().message, "budget"});
    if (*budget <= 0) return fail_field(ErrorCode::input, "budget", "must be positive");
    l.budget_minor = *budget;
    auto id = db::insert_lot(tx, l);
    if (!id) return tl::unexpected(id.error());
    l.id = *id;
    return l;
  });
}

Result<std::vector<db::CriterionRow>> set_criteria(db::Database& db, const Actor& actor, const std::string& tender,
                                                   const std::vector<CriterionInput>& criteria) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<std::vector<db::CriterionRow>> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft"}, "change the criteria (they are frozen at publication)"); !st)
      return tl::unexpected(st.error());
    std::vector<domain::Criterion> check;
    for (std::size_t i = 0; i < criteria.size(); ++i) {
      const auto& c = criteria[i];
      const std::string at = fmt::format("criteria/{}", i);
      if (trim(c.code).empty()) return fail_field(ErrorCode::input, at + "/code", "required");
      if (trim(c.name).empty()) return fail_field(ErrorCode::input, at + "/name", "required");
      if (c.kind != "technical" && c.kind != "price")
        return fail_field(ErrorCode::input, at + "/kind", fmt::format("'{}': not one of technical, price", c.kind));
      check.push_back({trim(c.code), c.kind == "price", c.weight_pct});
    }
    if (auto st = domain::check_criteria(check); !st) return tl::unexpected(Error{st.error().code, st.error().message, "criteria"});
    for (const auto& old : db::criteria_of(tx.sql(), t->id))
      if (auto st = tx.remove("tender_criteria", old.id); !st) return tl::unexpected(st.error());
    for (std::size_t i = 0; i < criteria.size(); ++i) {
      db::CriterionRow row{0, t->id, trim(criteria[i].code), trim(criteria[i].name), criteria[i].kind,
                           criteria[i].weight_pct, static_cast<std::int64_t>(i) + 1};
      if (auto id = db::insert_criterion(tx, row); !id) return tl::unexpected(id.error());
    }
    return db::criteria_of(tx.sql(), t->id);
  });
}

Result<db::CommitteeRow> add_committee_member(db::Database& db, const Actor& actor, const std::string& tender,
                                              const std::string& person, const std::string& committee_role) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::CommitteeRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft", "published"}, "change the committee"); !st) return tl::unexpected(st.error());
    auto p = db::find_person(tx.sql(), person);
    if (!p) return tl::unexpected(Error{ErrorCode::not_found, fmt::format("person '{}': not found", person), "person"});
    if (committee_role != "chair" && committee_role != "evaluator" && committee_role != "observer")
      return fail_field(ErrorCode::input, "role", fmt::format("'{}': not one of chair, evaluator, observer", committee_role));
    if (p->role == "vendor")
      return fail_field(ErrorCode::input, "person", fmt::format("{} is a vendor's representative and cannot sit on the committee", p->name));
    if (member_of(tx.sql(), t->id, p->id))
      return fail_field(ErrorCode::conflict, "person", fmt::format("{} is already on the committee", p->name));
    if (committee_role == "chair")
      for (const auto& m : db::committee_of(tx.sql(), t->id))
        if (m.committee_role == "chair")
          return fail_field(ErrorCode::conflict, "role", fmt::format("{} already chairs the committee", m.person_name));
    db::CommitteeRow m;
    m.tender_id = t->id;
    m.person_id = p->id;
    m.committee_role = committee_role;
    auto id = db::insert_committee_member(tx, m);
    if (!id) return tl::unexpected(id.error());
    return *member_of(tx.sql(), t->id, p->id);
  });
}

Result<db::CommitteeRow> declare_interest(db::Database& db, const Actor& actor, const std::string& tender,
                                          bool conflict, const std::string& statement) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::CommitteeRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft", "published"}, "declare interests (bids are opened)"); !st)
      return tl::unexpected(st.error());
    auto m = member_of(tx.sql(), t->id, actor.person_id);
    if (!m) return tl::unexpected(forbidden(*t, fmt::format("{} is not on the committee", actor.name)));
    if (conflict && trim(statement).empty())
      return fail_field(ErrorCode::input, "statement", "a declared conflict needs a statement of what it is");
    if (auto st = db::record_coi(tx, m->id, conflict, trim(statement), format_utc(tx.now())); !st)
      return tl::unexpected(st.error());
    return *member_of(tx.sql(), t->id, actor.person_id);
  });
}

Result<TenderView> publish_tender(db::Database& db, const Actor& actor, const std::string& tender) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<TenderView> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft"}, "publish"); !st) return tl::unexpected(st.error());
    if (db::lots_of(tx.sql(), t->id).empty()) return tl::unexpected(refused(*t, "no lots (niikit tender lot add)"));
    std::vector<domain::Criterion> check;
    for (const auto& c : db::criteria_of(tx.sql(), t->id)) check.push_back({c.code, c.kind == "price", c.weight_pct});
    if (auto st = domain::check_criteria(check); !st)
      return tl::unexpected(refused(*t, st.error().message + " (niikit tender criteria)"));
    if (format_utc(tx.now()) >= t->closing_utc)
      return tl::unexpected(refused(*t, fmt::format("closing {} has passed; it cannot be published", t->closing_utc)));
    t->status = "published";
    if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    return view_of(tx.sql(), *t);
  });
}

Result<TenderView> cancel_tender(db::Database& db, const Actor& actor, const std::string& tender,
                                 const std::string& reason) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<TenderView> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"draft", "published", "closed", "evaluated"}, "cancel"); !st)
      return tl::unexpected(st.error());
    if (trim(reason).empty()) return fail_field(ErrorCode::input, "reason", "required");
    t->status = "cancelled";
    t->cancel_reason = trim(reason);
    if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    return view_of(tx.sql(), *t);
  });
}

Result<db::ClarificationRow> ask_clarification(db::Database& db, const Actor& actor, const std::string& tender,
                                               const std::string& question, const std::string& asked_by) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::ClarificationRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"published"}, "take clarification questions"); !st) return tl::unexpected(st.error());
    if (format_utc(tx.now()) >= t->clarification_deadline_utc)
      return tl::unexpected(refused(*t, fmt::format("the clarification deadline {} has passed", t->clarification_deadline_utc)));
    if (trim(question).empty()) return fail_field(ErrorCode::input, "question", "required");
    db::ClarificationRow c{0, t->id, trim(question), trim(asked_by), format_utc(tx.now()), "", {}, {}};
    auto id = db::insert_clarification(tx, c);
    if (!id) return tl::unexpected(id.error());
    c.id = *id;
    return c;
  });
}

Result<db::ClarificationRow> answer_clarification(db::Database& db, const Actor& actor, const std::string& tender,
                                                  std::int64_t clarification_id, const std::string& answer) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<db::ClarificationRow> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"published"}, "answer clarifications"); !st) return tl::unexpected(st.error());
    if (trim(answer).empty()) return fail_field(ErrorCode::input, "answer", "required");
    for (const auto& c : db::clarifications_of(tx.sql(), t->id)) {
      if (c.id != clarification_id) continue;
      if (c.answered_at_utc) return fail_field(ErrorCode::conflict, "id", fmt::format("question {} is already answered", c.id));
      if (auto st = db::answer_clarification(tx, c.id, trim(answer), actor.person_id, format_utc(tx.now())); !st)
        return tl::unexpected(st.error());
      for (const auto& done : db::clarifications_of(tx.sql(), t->id))
        if (done.id == c.id) return done;
    }
    return tl::unexpected(Error{ErrorCode::not_found,
                                fmt::format("tender {}: question {}: not found", t->reference, clarification_id), "id"});
  });
}

Result<TenderView> show_tender(db::Database& db, const std::string& tender) {
  return db.read([&](SQLite::Database& sql) -> Result<TenderView> {
    auto t = load_tender(sql, tender);
    if (!t) return tl::unexpected(t.error());
    return view_of(sql, *t);
  });
}

Result<std::vector<db::TenderRow>> list_tenders(db::Database& db) {
  return db.read([](SQLite::Database& sql) -> Result<std::vector<db::TenderRow>> { return db::list_tenders(sql); });
}

// ---- bids

Result<BidView> submit_bid(db::Database& db, const Actor& actor, const BidInput& in) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<BidView> {
    auto t = load_tender(tx.sql(), in.tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"published"}, "take bids"); !st) return tl::unexpected(st.error());
    const std::string now = format_utc(tx.now());
    if (now >= t->closing_utc)
      return tl::unexpected(refused(*t, fmt::format("bids closed at {}; no bid after closing", t->closing_utc)));
    if (now < t->publication_utc)
      return tl::unexpected(refused(*t, fmt::format("not open for bids before its publication {}", t->publication_utc)));
    std::optional<db::LotRow> lot;
    for (const auto& l : db::lots_of(tx.sql(), t->id))
      if (l.lot_number == in.lot) lot = l;
    if (!lot) return fail_field(ErrorCode::not_found, "lot", fmt::format("tender {}: no lot {}", t->reference, in.lot));
    const std::string bidder_name = trim(in.bidder);
    if (bidder_name.empty()) return fail_field(ErrorCode::input, "bidder", "required");

    db::BidRow b;
    b.tender_id = t->id;
    b.lot_id = lot->id;
    auto currency = currency_field(in.currency.empty() ? t->currency : in.currency, "currency");
    if (!currency) return tl::unexpected(currency.error());
    b.currency = *currency;
    auto price = domain::parse_money(trim(in.price), b.currency, "price");
    if (!price) return tl::unexpected(Error{price.error().code, price.error().message, "price"});
    if (*price <= 0) return fail_field(ErrorCode::input, "price", fmt::format("'{}': must be positive", in.price));
    b.price_minor = *price;
    if (b.currency == t->currency) {
      if (in.rate && *in.rate != 1.0)
        return fail_field(ErrorCode::input, "rate", fmt::format("the bid is in the tender's currency {}; no rate applies", t->currency));
      b.rate_to_tender = 1;
      b.tender_price_minor = b.price_minor;
    } else {
      if (!in.rate)
        return fail_field(ErrorCode::input, "rate",
                          fmt::format("the bid is in {}, the tender in {}: give the exchange rate ({} per 1 {})", b.currency,
                                      t->currency, t->currency, b.currency));
      if (!(*in.rate > 0)) return fail_field(ErrorCode::input, "rate", "must be positive");
      b.rate_to_tender = *in.rate;
      const double major = domain::to_major(b.price_minor, b.currency) * *in.rate;
      b.tender_price_minor = std::llround(major * std::pow(10.0, domain::minor_digits(t->currency)));
      if (b.tender_price_minor <= 0) return fail_field(ErrorCode::input, "rate", "converts the price to nothing");
    }
    auto valid = utc_field(in.valid_until, "valid_until");
    if (!valid) return tl::unexpected(valid.error());
    if (*valid < t->opening_utc)
      return fail_field(ErrorCode::input, "valid_until",
                        fmt::format("{} ends before the opening {}; the bid must stay valid through evaluation", *valid,
                                    t->opening_utc));
    b.valid_until = valid->substr(0, 10);
    b.submitted_at_utc = now;
    b.status = "submitted";

    // Claims and compliance answers name requirements of the tender's frozen specification.
    std::map<std::string, domain::Requirement> requirements;
    for (auto& r : load_requirements(tx.sql(), t->specification_id)) requirements.emplace(r.id, r);
    const auto unknown = [&](const std::string& field, const std::string& id) {
      return fail_field(ErrorCode::input, field,
                        fmt::format("'{}': unknown requirement (not in the specification of {}, version {})", id,
                                    t->procurement_reference, t->specification_version));
    };
    for (const auto& [id, value] : in.claims)
      if (!requirements.count(id)) return unknown("claims/" + id, id);
    std::set<std::string> answered;
    for (std::size_t i = 0; i < in.compliance.size(); ++i) {
      const auto& c = in.compliance[i];
      if (!requirements.count(c.requirement)) return unknown(fmt::format("compliance/{}/requirement", i), c.requirement);
      if (!answered.insert(c.requirement).second)
        return fail_field(ErrorCode::input, fmt::format("compliance/{}/requirement", i),
                          fmt::format("'{}': answered twice", c.requirement));
    }

    auto bidder = db::find_bidder(tx.sql(), bidder_name);
    if (!bidder) {
      db::BidderRow row{0, bidder_name, trim(in.bidder_country), now};
      auto id = db::insert_bidder(tx, row);
      if (!id) return tl::unexpected(id.error());
      row.id = *id;
      bidder = row;
    }
    b.bidder_id = bidder->id;
    for (const auto& existing : db::bids_of(tx.sql(), t->id))
      if (existing.lot_id == b.lot_id && existing.bidder_id == b.bidder_id)
        return fail_field(ErrorCode::conflict, "bidder",
                          fmt::format("{} already has a bid on lot {} (one bid per lot)", bidder->name, in.lot));
    auto bid_id = db::insert_bid(tx, b);
    if (!bid_id) return tl::unexpected(bid_id.error());
    for (const auto& [id, value] : in.claims)
      if (auto st = db::insert_claim(tx, {0, *bid_id, id, value, ""}); !st) return tl::unexpected(st.error());
    for (const auto& c : in.compliance)
      if (auto st = db::insert_compliance(tx, {0, *bid_id, c.requirement, c.complies, trim(c.evidence)}); !st)
        return tl::unexpected(st.error());
    return BidView{*db::find_bid(tx.sql(), *bid_id), db::claims_of(tx.sql(), *bid_id), db::compliance_of(tx.sql(), *bid_id)};
  });
}

namespace {

// Every mandatory clause the bid fails: no compliance answer, declared not compliant, or a
// claimed value that does not meet the target.
std::vector<std::string> failing_clauses(SQLite::Database& sql, const db::BidRow& bid,
                                         const std::vector<domain::Requirement>& requirements) {
  std::map<std::string, db::ComplianceRow> answers;
  for (auto& c : db::compliance_of(sql, bid.id)) answers.emplace(c.requirement_id, c);
  std::map<std::string, double> claims;
  for (auto& c : db::claims_of(sql, bid.id)) claims.emplace(c.requirement_id, c.claimed_value);
  std::vector<std::string> out;
  for (const auto& r : requirements) {
    if (!r.mandatory) continue;
    auto a = answers.find(r.id);
    if (a == answers.end()) {
      out.push_back(fmt::format("{}: no compliance answer", r.id));
    } else if (!a->second.complies) {
      out.push_back(fmt::format("{}: declared not compliant", r.id));
    } else if (auto c = claims.find(r.id); c != claims.end()) {
      if (domain::judge(r, c->second).verdict == domain::Verdict::fail)
        out.push_back(fmt::format("{}: claimed {:g}{}{}, required {}", r.id, c->second, r.unit.empty() ? "" : " ", r.unit,
                                  domain::describe_target(r)));
    }
  }
  return out;
}

}  // namespace

Result<TenderView> open_bids(db::Database& db, const Actor& actor, const std::string& tender) {
  return db.write(actor.name, [&](db::WriteTx& tx) -> Result<TenderView> {
    auto t = load_tender(tx.sql(), tender);
    if (!t) return tl::unexpected(t.error());
    if (auto st = in_status(*t, {"published"}, "open bids"); !st) return tl::unexpected(st.error());
    const std::string now = format_utc(tx.now());
    if (now < t->opening_utc)
      return tl::unexpected(refused(*t, fmt::format("bids may not be opened before {} (closing {})", t->opening_utc,
                                                    t->closing_utc)));
    const auto committee = db::committee_of(tx.sql(), t->id);
    std::vector<std::string> pending, conflicted;
    int evaluators = 0;
    for (const auto& m : committee) {
      evaluators += m.committee_role == "evaluator" ? 1 : 0;
      if (!m.coi_declared_at_utc) pending.push_back(m.person_name);
      else if (*m.coi_conflict) conflicted.push_back(m.person_name);
    }
    const auto names = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
      return s;
    };
    if (!pending.empty())
      return tl::unexpected(refused(*t, fmt::format("conflict-of-interest declaration missing from {}; every committee "
                                                    "member declares before bids are opened", names(pending))));
    if (!conflicted.empty())
      return tl::unexpected(refused(*t, fmt::format("{} declared a conflict of interest; replace them before bids are "
                                                    "opened", names(conflicted))));
    if (evaluators == 0) return tl::unexpected(refused(*t, "the committee has no evaluator"));
    const auto requirements = load_requirements(tx.sql(), t->specification_id);
    for (const auto& b : db::bids_of(tx.sql(), t->id)) {
      const auto failing = failing_clauses(tx.sql(), b, requirements);
      std::string reason;
      for (const auto& f : failing) reason += (reason.empty() ? "mandatory clause failed: " : "; ") + f;
      if (auto st = db::set_bid_status(tx, b.id, failing.empty() ? "admissible" : "excluded", reason); !st)
        return tl::unexpected(st.error());
    }
    t->status = "closed";
    if (auto st = db::update_tender_state(tx, *t); !st) return tl::unexpected(st.error());
    return view_of(tx.sql(), *t);
  });
}

}  // namespace niikit::services
