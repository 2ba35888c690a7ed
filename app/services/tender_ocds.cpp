#include "app/services/tender_ocds.hpp"

#include <QJsonArray>
#include <fmt/format.h>

#include <map>

#include "app/domain/money.hpp"
#include "app/domain/requirements.hpp"
#include "app/domain/tender_scoring.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/tender_service.hpp"
#include "app/services/tender_service_internal.hpp"
#include "db/tender.hpp"

namespace niikit::services {

using namespace tender_detail;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// OCDS dates are date-times; a stored date is midnight UTC.
QString when(const std::string& date_or_time) {
  return q(date_or_time.size() == 10 ? date_or_time + "T00:00:00Z" : date_or_time);
}

QJsonObject value(std::int64_t minor, const std::string& currency) {
  return {{"amount", domain::to_major(minor, currency)}, {"currency", q(currency)}};
}

QString lot_id(std::int64_t lot_number) { return q(fmt::format("lot-{}", lot_number)); }
QString bid_id(std::int64_t id) { return q(fmt::format("bid-{}", id)); }
QString bidder_id(std::int64_t id) { return q(fmt::format("tenderer-{}", id)); }

const char* tender_status(const std::string& s) {
  if (s == "draft") return "planned";
  if (s == "awarded") return "complete";
  if (s == "cancelled") return "cancelled";
  return "active";
}

const char* method(const std::string& procedure) {
  if (procedure == "open") return "open";
  if (procedure == "negotiated") return "limited";
  return "selective";
}

QJsonArray tags(const db::TenderRow& t, bool has_contract) {
  if (t.status == "draft") return {"planning"};
  if (t.status == "published") return {"tender"};
  if (t.status == "cancelled") return {"tenderCancellation"};
  if (t.status == "awarded") return has_contract ? QJsonArray{"award", "contract"} : QJsonArray{"award"};
  return {"tenderUpdate"};
}

// A specification requirement as an OCDS criterion with one requirement group.
QJsonObject requirement_criterion(const domain::Requirement& r) {
  QJsonObject req{{"id", q(r.id)}, {"title", q(r.text)}};
  const double target = r.target;
  switch (r.comparator) {
    case domain::Comparator::at_least:
    case domain::Comparator::more_than:
      req["dataType"] = "number";
      req["minValue"] = target;
      break;
    case domain::Comparator::at_most:
    case domain::Comparator::less_than:
      req["dataType"] = "number";
      req["maxValue"] = target;
      break;
    case domain::Comparator::equals:
      req["dataType"] = "number";
      req["expectedValue"] = target;
      break;
    case domain::Comparator::is_true:
      req["dataType"] = "boolean";
      req["expectedValue"] = true;
      break;
  }
  req["description"] = q(fmt::format("{} {} ({}; {}; verified by {})", r.mandatory ? "Mandatory:" : "Desirable:",
                                     domain::describe_target(r), r.category, r.unit.empty() ? "no unit" : r.unit,
                                     r.method.empty() ? "—" : r.method));
  return {{"id", q(r.id)},
          {"title", q(r.text)},
          {"relatesToTenderer", false},
          {"requirementGroups", QJsonArray{QJsonObject{{"id", q(r.id + "-1")}, {"requirements", QJsonArray{req}}}}}};
}

struct Loaded {
  db::TenderRow tender;
  std::vector<db::LotRow> lots;
  std::vector<db::CriterionRow> criteria;
  std::vector<db::BidRow> bids;
  std::vector<db::AwardRow> awards;
  std::vector<domain::Requirement> requirements;
  std::map<std::int64_t, db::BidderRow> bidders;
  std::map<std::int64_t, std::vector<db::ClaimRow>> claims;
  std::map<std::int64_t, std::vector<db::ComplianceRow>> compliance;
  std::vector<services::ContractView> contracts;
  std::vector<db::MilestoneRow> milestones;
  bool has_clarifications = false;
  std::string now;
};

QJsonObject tender_block(const Loaded& d, const QJsonArray& tenderers) {
  const auto& t = d.tender;
  std::int64_t total = 0;
  QJsonArray lots, items;
  for (const auto& l : d.lots) {
    total += l.budget_minor;
    QJsonArray criteria;
    for (const auto& c : d.criteria)
      criteria.append(QJsonObject{
          {"type", c.kind == "price" ? "price" : "quality"},
          {"name", q(c.name)},
          {"description", q(c.kind == "price" ? fmt::format("{}: scored by the formula {}", c.code, t.price_formula)
                                              : fmt::format("{}: scored 0–10 by each evaluator, then moderated", c.code))},
          {"numbers", QJsonArray{QJsonObject{{"number", c.weight_pct}, {"weight", "percentageExact"}}}}});
    QJsonObject lot{{"id", lot_id(l.lot_number)},
                    {"title", q(l.title)},
                    {"description", q(fmt::format("{} × {} scanner", l.quantity, l.configuration))},
                    {"status", tender_status(t.status)},
                    {"value", value(l.budget_minor, t.currency)}};
    if (!criteria.isEmpty())
      lot["awardCriteria"] = QJsonObject{{"weightingDescription", "Weights in percent of 100 points"}, {"criteria", criteria}};
    lots.append(lot);
    items.append(QJsonObject{{"id", q(fmt::format("item-{}", l.lot_number))},
                             {"description", q(fmt::format("{} ({})", l.title, l.configuration))},
                             {"quantity", static_cast<double>(l.quantity)},
                             {"relatedLot", lot_id(l.lot_number)}});
  }
  QJsonArray criteria;
  for (const auto& r : d.requirements) criteria.append(requirement_criterion(r));
  QJsonObject out{{"id", q(t.reference)},
                  {"title", q(t.title)},
                  {"status", tender_status(t.status)},
                  {"procurementMethod", method(t.procedure)},
                  {"procurementMethodDetails", q(t.procedure)},
                  {"mainProcurementCategory", "goods"},
                  {"value", value(total, t.currency)},
                  {"awardCriteria", "ratedCriteria"},
                  {"awardCriteriaDetails",
                   q(fmt::format("Mandatory clauses pass/fail; weighted criteria; price by {}; ranking checked for rank "
                                 "reversal", t.price_formula))},
                  {"tenderPeriod", QJsonObject{{"startDate", when(t.publication_utc)}, {"endDate", when(t.closing_utc)}}},
                  {"enquiryPeriod",
                   QJsonObject{{"startDate", when(t.publication_utc)}, {"endDate", when(t.clarification_deadline_utc)}}},
                  {"hasEnquiries", d.has_clarifications},
                  {"numberOfTenderers", static_cast<int>(tenderers.size())},
                  {"items", items}};
  if (!tenderers.isEmpty()) out["tenderers"] = tenderers;
  if (!lots.isEmpty()) out["lots"] = lots;
  if (!criteria.isEmpty()) out["criteria"] = criteria;
  if (t.status == "evaluated" || t.status == "awarded")
    out["documents"] = QJsonArray{QJsonObject{
        {"id", q(t.reference + "-evaluation-report")},
        {"documentType", "evaluationReports"},
        {"title", q(fmt::format("Evaluation report, tender {}", t.reference))},
        {"description", "The committee's evaluation: compliance with the mandatory clauses, moderated scores per "
                        "criterion, price scores and the ranking. Individual evaluator scores are kept internal."},
        {"datePublished", when(d.now)}}};
  return out;
}

QJsonObject bids_block(const Loaded& d, bool prices_open) {
  QJsonArray details, statistics;
  for (const auto& l : d.lots) {
    int all = 0, valid = 0, disqualified = 0;
    for (const auto& b : d.bids) {
      if (b.lot_id != l.id) continue;
      ++all;
      valid += b.status == "admissible" ? 1 : 0;
      disqualified += b.status == "excluded" ? 1 : 0;
    }
    const auto stat = [&](const char* measure, int v) {
      statistics.append(QJsonObject{{"id", q(fmt::format("{}-{}", measure, l.lot_number))},
                                    {"measure", measure},
                                    {"value", v},
                                    {"relatedLot", lot_id(l.lot_number)}});
    };
    stat("bids", all);
    if (d.tender.status != "published" && d.tender.status != "draft") {
      stat("validBids", valid);
      stat("disqualifiedBids", disqualified);
    }
  }
  for (const auto& b : d.bids) {
    QJsonArray responses;
    for (const auto& c : d.claims.at(b.id))
      responses.append(QJsonObject{{"id", q(fmt::format("bid-{}-claim-{}", b.id, c.requirement_id))},
                                   {"value", c.claimed_value},
                                   {"requirement", QJsonObject{{"id", q(c.requirement_id)}}}});
    for (const auto& c : d.compliance.at(b.id)) {
      QJsonObject response{{"id", q(fmt::format("bid-{}-complies-{}", b.id, c.requirement_id))},
                           {"title", "Compliance statement"},
                           {"value", c.complies},
                           {"requirement", QJsonObject{{"id", q(c.requirement_id)}}}};
      if (!c.evidence.empty()) response["description"] = q(c.evidence);  // OCDS: no empty strings
      responses.append(response);
    }
    const auto& bidder = d.bidders.at(b.bidder_id);
    QJsonObject detail{{"id", bid_id(b.id)},
                       {"date", when(b.submitted_at_utc)},
                       {"status", b.status == "admissible" ? "valid" : b.status == "excluded" ? "disqualified" : "pending"},
                       {"tenderers", QJsonArray{QJsonObject{{"id", bidder_id(bidder.id)}, {"name", q(bidder.name)}}}},
                       {"validityPeriod", QJsonObject{{"endDate", when(b.valid_until)}}},
                       {"relatedLots", QJsonArray{lot_id(b.lot_number)}}};
    if (b.status == "excluded") detail["description"] = q(b.exclusion_reason);
    if (prices_open) detail["value"] = value(b.price_minor, b.currency);
    if (!responses.isEmpty()) detail["requirementResponses"] = responses;
    details.append(detail);
  }
  QJsonObject out;
  if (!statistics.isEmpty()) out["statistics"] = statistics;
  if (!details.isEmpty()) out["details"] = details;
  return out;
}

const char* milestone_type(const std::string& kind) {
  if (kind == "delivery") return "delivery";
  if (kind == "final_acceptance") return "approval";
  return "assessment";  // fat, sat
}

}  // namespace

Result<QJsonObject> tender_ocds_package(db::Database& db, const std::string& tender, const OcdsOptions& options) {
  if (options.ocid_prefix.size() != 11 || options.ocid_prefix.rfind("ocds-", 0) != 0)
    return fail_field(ErrorCode::input, "ocid_prefix",
                      fmt::format("'{}': an ocid prefix is \"ocds-\" and 6 characters", options.ocid_prefix));
  auto loaded = db.read([&](SQLite::Database& sql) -> Result<Loaded> {
    auto t = load_tender(sql, tender);
    if (!t) return tl::unexpected(t.error());
    Loaded d;
    d.tender = *t;
    d.lots = db::lots_of(sql, t->id);
    d.criteria = db::criteria_of(sql, t->id);
    d.bids = db::bids_of(sql, t->id);
    d.awards = db::awards_of(sql, t->id);
    d.requirements = load_requirements(sql, t->specification_id);
    d.has_clarifications = !db::clarifications_of(sql, t->id).empty();
    for (const auto& b : d.bids) {
      d.bidders.emplace(b.bidder_id, *db::find_bidder(sql, std::to_string(b.bidder_id)));
      d.claims[b.id] = db::claims_of(sql, b.id);
      d.compliance[b.id] = db::compliance_of(sql, b.id);
    }
    for (const auto& a : d.awards)
      if (auto c = db::contract_of_award(sql, a.id)) {
        services::ContractView v;
        v.contract = *c;
        v.milestones = db::milestones_of(sql, c->id);
        d.contracts.push_back(std::move(v));
      }
    d.now = format_utc(db.clock().now());
    return d;
  });
  if (!loaded) return tl::unexpected(loaded.error());
  const Loaded& d = *loaded;
  const auto& t = d.tender;
  // Prices become public with the evaluation (the committee reads them from the technical lock on).
  const bool prices_open = t.status == "evaluated" || t.status == "awarded";

  std::map<std::int64_t, bool> suppliers;  // bidder id → awarded
  for (const auto& b : d.bids) suppliers.emplace(b.bidder_id, false);
  for (const auto& a : d.awards)
    for (const auto& b : d.bids)
      if (b.id == a.bid_id) suppliers[b.bidder_id] = true;

  const QJsonObject buyer{{"id", "buyer"}, {"name", q(options.publisher)}};
  QJsonArray parties{QJsonObject{{"id", "buyer"}, {"name", q(options.publisher)}, {"roles", QJsonArray{"buyer", "procuringEntity"}}}};
  QJsonArray tenderers;
  for (const auto& [id, awarded] : suppliers) {
    const auto& bidder = d.bidders.at(id);
    QJsonArray roles{"tenderer"};
    if (awarded) roles.append("supplier");
    QJsonObject party{{"id", bidder_id(id)}, {"name", q(bidder.name)}, {"roles", roles}};
    if (!bidder.country.empty()) party["address"] = QJsonObject{{"countryName", q(bidder.country)}};
    parties.append(party);
    tenderers.append(QJsonObject{{"id", bidder_id(id)}, {"name", q(bidder.name)}});
  }

  QJsonArray awards, contracts;
  for (const auto& a : d.awards) {
    const db::BidRow* bid = nullptr;
    for (const auto& b : d.bids)
      if (b.id == a.bid_id) bid = &b;
    std::int64_t lot_number = bid ? bid->lot_number : 0;
    awards.append(QJsonObject{
        {"id", q(fmt::format("award-{}", a.id))},
        {"title", q(fmt::format("Award of lot {}", lot_number))},
        {"description", q(a.justification)},
        {"status", d.now < a.standstill_until_utc ? "pending" : "active"},
        {"date", when(a.decided_at_utc)},
        {"value", value(bid->tender_price_minor, t.currency)},
        {"suppliers", QJsonArray{QJsonObject{{"id", bidder_id(bid->bidder_id)}, {"name", q(bid->bidder_name)}}}},
        {"relatedLots", QJsonArray{lot_id(lot_number)}},
        {"relatedBid", bid_id(bid->id)}});
    for (const auto& c : d.contracts) {
      if (c.contract.award_id != a.id) continue;
      QJsonArray milestones;
      for (const auto& m : c.milestones) {
        QJsonObject ms{{"id", q(fmt::format("{}-{}", c.contract.reference, m.kind))},
                       {"title", q(m.kind)},
                       {"type", milestone_type(m.kind)},
                       {"code", q(m.kind)},
                       {"description", q(fmt::format("{:g} % of the contract value is paid when met", m.payment_share_pct))},
                       {"dueDate", when(m.due_on)},
                       {"status", m.met_on ? "met" : "scheduled"}};
        if (m.met_on) ms["dateMet"] = when(*m.met_on);
        milestones.append(ms);
      }
      QJsonObject contract{
          {"id", q(c.contract.reference)},
          {"awardID", q(fmt::format("award-{}", a.id))},
          {"title", q(fmt::format("Contract {} with {}", c.contract.reference, c.contract.supplier_name))},
          {"description", q(fmt::format("Warranty {} months; SLA response {:g} h, repair {:g} h, availability {:g} %. "
                                        "Penalties: {}. Decommissioning: {}.",
                                        c.contract.warranty_months, c.contract.sla_response_h, c.contract.sla_repair_h,
                                        c.contract.sla_availability_pct, c.contract.penalties.empty() ? "none stated" : c.contract.penalties,
                                        c.contract.decommissioning_clause.empty() ? "none stated" : c.contract.decommissioning_clause))},
          {"status", "active"},
          {"value", value(c.contract.value_minor, c.contract.currency)},
          {"dateSigned", when(c.contract.signed_on)},
          {"relatedBids", QJsonArray{bid_id(bid->id)}}};
      if (!milestones.isEmpty()) contract["milestones"] = milestones;
      contracts.append(contract);
    }
  }

  std::string compact = d.now;
  std::erase(compact, '-');
  std::erase(compact, ':');
  QJsonObject release{{"ocid", q(fmt::format("{}-{}", options.ocid_prefix, t.reference))},
                      {"id", q(fmt::format("{}-{}-{}", t.reference, t.status, compact))},
                      {"date", when(d.now)},
                      {"tag", tags(t, !contracts.isEmpty())},
                      {"initiationType", "tender"},
                      {"language", "en"},
                      {"parties", parties},
                      {"buyer", buyer},
                      {"tender", tender_block(d, tenderers)}};
  if (const auto bids = bids_block(d, prices_open); !bids.isEmpty()) release["bids"] = bids;
  if (!awards.isEmpty()) release["awards"] = awards;
  if (!contracts.isEmpty()) release["contracts"] = contracts;

  const QString base = "https://raw.githubusercontent.com/open-contracting-extensions/";
  return QJsonObject{{"uri", q(fmt::format("urn:niikit:ocds:{}:{}", t.reference, compact))},
                     {"version", "1.1"},
                     {"publishedDate", when(d.now)},
                     {"publisher", QJsonObject{{"name", q(options.publisher)}}},
                     {"extensions", QJsonArray{base + "ocds_bid_extension/master/extension.json",
                                               base + "ocds_lots_extension/master/extension.json",
                                               base + "ocds_awardCriteria_extension/master/extension.json",
                                               base + "ocds_requirements_extension/master/extension.json"}},
                     {"releases", QJsonArray{release}}};
}

}  // namespace niikit::services
