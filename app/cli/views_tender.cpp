// Text views of the tender operations: needs and business case, the tender sheet, bids,
// evaluator scores with their spread, rankings with the rank-reversal check, contracts.
#include <QJsonDocument>
#include <fmt/format.h>

#include "app/api/tender_types.hpp"
#include "app/cli/views.hpp"
#include "app/domain/money.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }
std::string or_dash(const std::optional<std::string>& s) { return s ? *s : "—"; }

void needs_view(std::ostream& out, const services::NeedsView& v) {
  const auto& n = v.needs;
  const auto& c = v.business_case;
  out << reports::render_fields(
      {{"Procurement", v.procurement_reference},
       {"Purposes", n.purposes},
       {"Conveyances", n.conveyance_types},
       {"Traffic", fmt::format("{} scans/year, peak {:g} scans/h, required {:g} scans/h", n.annual_scans,
                               n.peak_scans_per_hour, n.required_scans_per_hour)},
       {"Sites", or_dash(n.candidate_sites)},
       {"Operating model", fmt::format("{} ({} staff per shift)", or_dash(n.operating_model), n.staff_per_shift)},
       {"Capex", domain::format_money(n.capex_minor, n.currency)},
       {"Opex per year", domain::format_money(n.opex_minor_per_year, n.currency)},
       {"Benefit per year", domain::format_money(n.benefit_minor_per_year, n.currency)},
       {"Life", fmt::format("{} years", n.life_years)},
       {"Life cost", fmt::format("{:.2f} {}", c.life_cost, n.currency)},
       {"Cost per scan", fmt::format("{:.2f} {}", c.cost_per_scan, n.currency)},
       {"Payback", c.payback_years ? fmt::format("{:.1f} years", *c.payback_years) : "never (benefit ≤ opex)"},
       {"Approved", n.approved_at_utc ? fmt::format("{} by {}", *n.approved_at_utc, n.approved_by_name) : "no"}});
}

void tender_view(std::ostream& out, const services::TenderView& v) {
  const auto& t = v.tender;
  out << reports::render_fields({{"Tender", fmt::format("{} — {}", t.reference, t.title)},
                                 {"Procurement", fmt::format("{} (specification version {})", t.procurement_reference,
                                                             t.specification_version)},
                                 {"Status", t.status + (t.cancel_reason.empty() ? "" : ": " + t.cancel_reason)},
                                 {"Procedure", t.procedure},
                                 {"Publication", t.publication_utc},
                                 {"Clarifications until", t.clarification_deadline_utc},
                                 {"Closing", t.closing_utc},
                                 {"Opening", t.opening_utc},
                                 {"Price formula", t.price_formula},
                                 {"Technical lock", or_dash(t.technical_locked_at_utc)}});
  reports::TextTable lots{{"LOT", "TITLE", "CONFIG", "QTY", "BUDGET"}, {}, {true, false, false, true, true}};
  for (const auto& l : v.lots)
    lots.rows.push_back({std::to_string(l.lot_number), l.title, l.configuration, std::to_string(l.quantity),
                         domain::format_money(l.budget_minor, t.currency)});
  out << "\nLots\n" << lots.render();
  reports::TextTable criteria{{"CODE", "NAME", "KIND", "WEIGHT %"}, {}, {false, false, false, true}};
  for (const auto& c : v.criteria) criteria.rows.push_back({c.code, c.name, c.kind, fmt::format("{:g}", c.weight_pct)});
  out << "\nCriteria\n" << criteria.render();
  reports::TextTable committee{{"PERSON", "ROLE", "CONFLICT OF INTEREST"}, {}, {}};
  for (const auto& m : v.committee)
    committee.rows.push_back({m.person_name, m.committee_role,
                              !m.coi_declared_at_utc ? "not declared"
                              : *m.coi_conflict      ? "CONFLICT: " + m.coi_statement
                                                     : "none declared " + *m.coi_declared_at_utc});
  out << "\nCommittee\n" << committee.render();
  reports::TextTable bids{{"BID", "LOT", "BIDDER", "PRICE", "STATUS", "REASON"}, {}, {true, true}};
  for (const auto& b : v.bids)
    bids.rows.push_back({std::to_string(b.id), std::to_string(b.lot_number), b.bidder_name,
                         v.prices_sealed ? "sealed" : domain::format_money(b.price_minor, b.currency), b.status,
                         or_dash(b.exclusion_reason)});
  out << "\nBids\n" << bids.render();
  if (!v.clarifications.empty()) {
    out << "\nClarifications\n";
    for (const auto& c : v.clarifications)
      out << fmt::format("  #{} {}\n     → {}\n", c.id, c.question, c.answer.empty() ? "(not answered)" : c.answer);
  }
  for (const auto& a : v.awards)
    out << fmt::format("\nAwarded: bid {} by {} on {}; standstill until {}\n", a.bid_id, a.decided_by_name,
                       a.decided_at_utc, a.standstill_until_utc);
}

void rankings_view(std::ostream& out, const std::vector<services::LotRanking>& lots) {
  for (const auto& lot : lots) {
    const auto& r = lot.ranking;
    out << fmt::format("Lot {} — formula {}, lowest admissible price {:.2f}, budget {:.2f}\n", lot.lot_number, r.formula,
                       r.lowest_price, r.budget);
    reports::TextTable t{{"RANK", "BID", "BIDDER", "PRICE", "TECHNICAL", "PRICE PTS", "TOTAL"},
                         {},
                         {true, true, false, true, true, true, true}};
    for (const auto& l : r.lines)
      t.rows.push_back({std::to_string(l.rank), std::to_string(l.bid_id), l.bidder, fmt::format("{:.2f}", l.price),
                        fmt::format("{:.3f}", l.technical_points), fmt::format("{:.3f}", l.price_points),
                        fmt::format("{:.3f}", l.total_points)});
    out << t.render();
    for (const auto& e : lot.excluded) out << "Excluded: " << e << "\n";
    for (const auto& c : r.reversal)
      out << fmt::format("Without {}: {}{}\n", c.removed_bidder, c.reversed ? "RANK REVERSAL, " : "", c.note);
    out << "\n";
  }
}

void scores_view(std::ostream& out, const services::ScoreSheet& s) {
  out << fmt::format("Tender {}: technical scoring {}\n", s.tender, s.locked ? "locked" : "open (your own scores only)");
  reports::TextTable t{{"BID", "CRITERION", "EVALUATOR", "SCORE", "NOTE"}, {}, {true, false, false, true}};
  for (const auto& r : s.scores)
    t.rows.push_back({std::to_string(r.bid_id), r.criterion_code, r.evaluator_name, fmt::format("{:g}", r.score),
                      or_dash(r.note)});
  out << t.render();
  if (s.spreads.empty()) return;
  reports::TextTable m{{"BID", "BIDDER", "CRITERION", "MIN", "MAX", "MEAN", "SPREAD", "MODERATED", "METHOD"},
                       {},
                       {true, false, false, true, true, true, true, true}};
  for (const auto& l : s.spreads)
    m.rows.push_back({std::to_string(l.bid_id), l.bidder, l.criterion, fmt::format("{:g}", l.spread.min),
                      fmt::format("{:g}", l.spread.max), fmt::format("{:.2f}", l.spread.mean),
                      fmt::format("{:g}", l.spread.range()), l.moderated ? fmt::format("{:g}", *l.moderated) : "—",
                      or_dash(l.method)});
  out << "\nSpread and moderation\n" << m.render();
}

void contract_view(std::ostream& out, const services::ContractView& v) {
  const auto& c = v.contract;
  out << reports::render_fields(
      {{"Contract", c.reference},
       {"Tender", fmt::format("{} lot {}", v.tender_reference, v.lot_number)},
       {"Supplier", c.supplier_name},
       {"Value", domain::format_money(c.value_minor, c.currency)},
       {"Signed", c.signed_on},
       {"Warranty", fmt::format("{} months", c.warranty_months)},
       {"SLA", fmt::format("response {:g} h, repair {:g} h, availability {:g} %", c.sla_response_h, c.sla_repair_h,
                           c.sla_availability_pct)},
       {"Penalties", or_dash(c.penalties)},
       {"Performance security", domain::format_money(c.performance_security_minor, c.currency)},
       {"Decommissioning", or_dash(c.decommissioning_clause)}});
  reports::TextTable t{{"MILESTONE", "DUE", "SHARE %", "MET"}, {}, {false, false, true}};
  for (const auto& m : v.milestones)
    t.rows.push_back({m.kind, m.due_on, fmt::format("{:g}", m.payment_share_pct), or_dash(m.met_on)});
  out << "\nMilestones\n" << t.render();
}

void lot_view(std::ostream& out, const db::LotRow& l) {
  out << fmt::format("Added lot {}: {} ({} × {}), budget {} minor units\n", l.lot_number, l.title, l.quantity,
                     l.configuration, l.budget_minor);
}

void criteria_view(std::ostream& out, const std::vector<db::CriterionRow>& criteria) {
  reports::TextTable t{{"CODE", "NAME", "KIND", "WEIGHT %"}, {}, {false, false, false, true}};
  for (const auto& c : criteria) t.rows.push_back({c.code, c.name, c.kind, fmt::format("{:g}", c.weight_pct)});
  out << t.render();
}

void member_view(std::ostream& out, const db::CommitteeRow& m) {
  if (!m.coi_declared_at_utc) {
    out << fmt::format("{} is on the committee as {}; no conflict-of-interest declaration yet\n", m.person_name,
                       m.committee_role);
  } else {
    out << fmt::format("{} ({}) declared {} on {}{}\n", m.person_name, m.committee_role,
                       *m.coi_conflict ? "a CONFLICT of interest" : "no conflict of interest", *m.coi_declared_at_utc,
                       m.coi_statement.empty() ? "" : ": " + m.coi_statement);
  }
}

void clarification_view(std::ostream& out, const db::ClarificationRow& c) {
  out << fmt::format("Question {} ({}): {}\n", c.id, c.asked_by.empty() ? "anonymous" : c.asked_by, c.question);
  if (c.answered_at_utc) out << fmt::format("Answer ({}): {}\n", *c.answered_at_utc, c.answer);
}

void report_view(std::ostream& out, const services::TenderReport& r) {
  out << fmt::format("Evaluation report — tender {} ({})\n\nCompliance with mandatory clauses\n", r.tender.tender.reference,
                     r.tender.tender.title);
  reports::TextTable c{{"BID", "BIDDER", "REQUIREMENT", "TARGET", "CLAIMED", "ANSWER", "VERDICT"}, {}, {true}};
  for (const auto& l : r.compliance) {
    if (!l.mandatory) continue;
    c.rows.push_back({std::to_string(l.bid_id), l.bidder, l.requirement, l.target,
                      l.claimed ? fmt::format("{:g}", *l.claimed) : "—",
                      l.complies ? (*l.complies ? "complies" : "does not comply") : "—", l.verdict});
  }
  out << c.render() << "\n";
  scores_view(out, r.scores);
  for (const auto& f : r.rankings) {
    out << "\nRanking under " << f.formula << "\n";
    rankings_view(out, f.lots);
  }
  for (const auto& rec : r.recommendation)
    out << fmt::format("Recommendation, lot {}: bid {} ({}), {:.3f} points under {}{}\n", rec.lot_number, rec.bid_id,
                       rec.bidder, rec.total_points, rec.formula,
                       rec.rank_reversal_seen ? " — rank reversal seen: the committee states why the award holds" : "");
}

}  // namespace

void add_tender_views(ViewTable& t) {
  t.add<services::TenderReport>("tender.report", report_view);
  t.add<db::LotRow>("tender.lot", lot_view);
  t.add<std::vector<db::CriterionRow>>("tender.criteria", criteria_view);
  for (const char* op : {"tender.committee", "tender.declare"}) t.add<db::CommitteeRow>(op, member_view);
  for (const char* op : {"tender.ask", "tender.answer"}) t.add<db::ClarificationRow>(op, clarification_view);
  t.add<db::ScoreRow>("tender.score", [](std::ostream& out, const db::ScoreRow& s) {
    out << fmt::format("{} scored bid {} on {}: {:g}\n", s.evaluator_name, s.bid_id, s.criterion_code, s.score);
  });
  t.add<db::ModeratedRow>("tender.moderate", [](std::ostream& out, const db::ModeratedRow& m) {
    out << fmt::format("Bid {} on {}: moderated score {:g} ({}; evaluators' spread {:g}): {}\n", m.bid_id, m.criterion_code,
                       m.score, m.method, m.spread, m.rationale);
  });
  t.add<db::AwardRow>("tender.award", [](std::ostream& out, const db::AwardRow& a) {
    out << fmt::format("Awarded to bid {} by {} on {}; standstill until {}\n", a.bid_id, a.decided_by_name,
                       a.decided_at_utc, a.standstill_until_utc);
  });
  for (const char* op : {"needs.add", "needs.approve", "needs.show"}) t.add<services::NeedsView>(op, needs_view);
  for (const char* op : {"tender.add", "tender.show", "tender.publish", "tender.cancel", "tender.open", "tender.lock"})
    t.add<services::TenderView>(op, tender_view);
  t.add<std::vector<db::TenderRow>>("tender.list", [](std::ostream& out, const std::vector<db::TenderRow>& tenders) {
    reports::TextTable table{{"REFERENCE", "TITLE", "PROCUREMENT", "STATUS", "CLOSING"}, {}, {}};
    for (const auto& x : tenders)
      table.rows.push_back({x.reference, x.title, x.procurement_reference, x.status, x.closing_utc});
    out << table.render();
  });
  for (const char* op : {"tender.rank", "tender.evaluate"}) t.add<std::vector<services::LotRanking>>(op, rankings_view);
  t.add<services::ScoreSheet>("tender.scores", scores_view);
  t.add<std::vector<db::BidRow>>("tender.prices", [](std::ostream& out, const std::vector<db::BidRow>& bids) {
    reports::TextTable table{{"BID", "LOT", "BIDDER", "PRICE", "RATE", "TENDER CURRENCY MINOR", "STATUS"}, {}, {true, true}};
    for (const auto& b : bids)
      table.rows.push_back({std::to_string(b.id), std::to_string(b.lot_number), b.bidder_name,
                            domain::format_money(b.price_minor, b.currency), fmt::format("{:g}", b.rate_to_tender),
                            std::to_string(b.tender_price_minor), b.status});
    out << table.render();
  });
  t.add<services::BidView>("bid.submit", [](std::ostream& out, const services::BidView& v) {
    out << fmt::format("Recorded bid {} of {} on lot {}: {} claim(s), {} compliance answer(s); valid until {}\n",
                       v.bid.id, v.bid.bidder_name, v.bid.lot_number, v.claims.size(), v.compliance.size(),
                       v.bid.valid_until);
  });
  t.add<QJsonObject>("tender.ocds", [](std::ostream& out, const QJsonObject& package) {
    out << QJsonDocument(package).toJson(QJsonDocument::Indented).toStdString();
  });
  for (const char* op : {"contract.sign", "contract.show", "contract.milestone"})
    t.add<services::ContractView>(op, contract_view);
}

}  // namespace niikit::cli
