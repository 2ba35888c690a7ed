// Operations of the topics needs, tender, bid and contract (issue 14): from the needs and
// business case through the tender, bids, independent scoring and moderation to the award and
// the contract. Each handler asks the Context for the acting person allowed to act (the
// permission table); the services check what only the tender knows (committee membership and
// role, independence of the evaluators, dates and status).
#include <fmt/format.h>

#include <charconv>

#include "app/api/operations.hpp"
#include "app/api/tender_types.hpp"
#include "app/services/tender_ocds.hpp"
#include "app/services/tender_service.hpp"

namespace niikit::api {

namespace {

using services::Actor;

// Runs `fn(actor)` as the acting person allowed to perform `action`.
template <class F>
auto as_actor(Context& ctx, const char* action, F&& fn) -> decltype(fn(std::declval<const Actor&>())) {
  auto actor = ctx.require(action);
  if (!actor) return tl::unexpected(actor.error());
  return fn(*actor);
}

Result<double> number_in(const std::string& text, const std::string& field) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end)
    return fail_field(ErrorCode::input, field, fmt::format("'{}': not a number", text));
  return v;
}

// "CODE:KIND:WEIGHT:NAME" → a criterion.
Result<std::vector<services::CriterionInput>> parse_criteria(const std::vector<std::string>& items) {
  std::vector<services::CriterionInput> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = fmt::format("criteria/{}", i);
    const auto& s = items[i];
    const auto a = s.find(':');
    const auto b = a == std::string::npos ? a : s.find(':', a + 1);
    const auto c = b == std::string::npos ? b : s.find(':', b + 1);
    if (c == std::string::npos)
      return fail_field(ErrorCode::input, at, fmt::format("'{}': expected CODE:KIND:WEIGHT:NAME", s));
    auto weight = number_in(s.substr(b + 1, c - b - 1), at);
    if (!weight) return tl::unexpected(weight.error());
    out.push_back({s.substr(0, a), s.substr(c + 1), s.substr(a + 1, b - a - 1), *weight});
  }
  return out;
}

// "REQ=VALUE" claims and "REQ[:EVIDENCE]" answers.
Status parse_bid_lists(const BidSubmitRequest& q, services::BidInput& in) {
  for (std::size_t i = 0; i < q.claims.size(); ++i) {
    const auto& s = q.claims[i];
    const auto eq = s.find('=');
    const std::string at = fmt::format("claims/{}", i);
    if (eq == std::string::npos || eq == 0) return fail_field(ErrorCode::input, at, fmt::format("'{}': expected REQUIREMENT=VALUE", s));
    auto v = number_in(s.substr(eq + 1), at);
    if (!v) return tl::unexpected(v.error());
    if (!in.claims.emplace(s.substr(0, eq), *v).second)
      return fail_field(ErrorCode::input, at, fmt::format("'{}': claimed twice", s.substr(0, eq)));
  }
  for (const auto* list : {&q.complies, &q.does_not_comply})
    for (const auto& s : *list) {
      const auto colon = s.find(':');
      in.compliance.push_back({s.substr(0, colon), list == &q.complies, colon == std::string::npos ? "" : s.substr(colon + 1)});
    }
  return {};
}

Result<std::vector<services::MilestoneInput>> parse_milestones(const std::vector<std::string>& items) {
  std::vector<services::MilestoneInput> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = fmt::format("milestones/{}", i);
    const auto& s = items[i];
    const auto a = s.find(':');
    const auto b = a == std::string::npos ? a : s.find(':', a + 1);
    if (b == std::string::npos) return fail_field(ErrorCode::input, at, fmt::format("'{}': expected KIND:DUE_DATE:SHARE_PCT", s));
    auto share = number_in(s.substr(b + 1), at);
    if (!share) return tl::unexpected(share.error());
    out.push_back({s.substr(0, a), s.substr(a + 1, b - a - 1), *share});
  }
  return out;
}

void add_needs(Registry& r) {
  r.group("needs", "Needs and business case of a procurement: purposes, traffic, capex/opex, cost per scan, payback");
  r.add(make_operation<NeedsAddRequest, services::NeedsView>(
      {"needs.add", "Record a procurement's needs and business case (cost per scan and payback computed)", "", Access::write},
      [](Context& ctx, const NeedsAddRequest& q) {
        return as_actor(ctx, "needs.add", [&](const Actor& a) {
          services::NeedsInput in{q.procurement, q.purposes, q.conveyance_types, q.annual_scans, q.peak_scans_per_hour,
                                  q.required_scans_per_hour, q.candidate_sites.value_or(""), q.operating_model.value_or(""),
                                  q.staff_per_shift.value_or(0), q.life_years.value_or(10), q.currency, q.capex,
                                  q.opex_per_year, q.benefit_per_year.value_or("")};
          return services::record_needs(ctx.db(), a, in);
        });
      }));
  r.add(make_operation<ProcurementKeyRequest, services::NeedsView>(
      {"needs.approve", "Approve the needs and business case (the budget holder)", "", Access::write},
      [](Context& ctx, const ProcurementKeyRequest& q) {
        return as_actor(ctx, "needs.approve", [&](const Actor& a) { return services::approve_needs(ctx.db(), a, q.procurement); });
      }));
  r.add(make_operation<ProcurementKeyRequest, services::NeedsView>(
      {"needs.show", "Show the needs and the computed business case", "", Access::read},
      [](Context& ctx, const ProcurementKeyRequest& q) { return services::show_needs(ctx.db(), q.procurement); }));
}

void add_tender_setup(Registry& r) {
  r.group("tender", "Tenders: lots, dates, criteria, committee and conflicts of interest, opening, scoring, award");
  r.add(make_operation<TenderAddRequest, services::TenderView>(
      {"tender.add", "Create a tender (draft) on the procurement's frozen specification",
       "Dates must run publication < clarification deadline < closing <= opening.", Access::write},
      [](Context& ctx, const TenderAddRequest& q) {
        return as_actor(ctx, "tender.add", [&](const Actor& a) {
          services::TenderInput in{q.procurement, q.reference, q.title, q.procedure.value_or("open"), q.currency.value_or(""),
                                   q.publication, q.clarification_deadline, q.closing, q.opening,
                                   q.standstill_days.value_or(10), q.price_formula.value_or("lowest_ratio")};
          return services::create_tender(ctx.db(), a, in);
        });
      }));
  r.add(make_operation<Empty, std::vector<db::TenderRow>>(
      {"tender.list", "List tenders", "", Access::read},
      [](Context& ctx, const Empty&) { return services::list_tenders(ctx.db()); }));
  r.add(make_operation<TenderKey, services::TenderView>(
      {"tender.show", "Show a tender: lots, criteria, committee, clarifications, bids (prices sealed until the lock), awards",
       "", Access::read},
      [](Context& ctx, const TenderKey& q) { return services::show_tender(ctx.db(), q.tender); }));
  r.add(make_operation<LotAddRequest, db::LotRow>(
      {"tender.lot", "Add a lot (a scanner configuration, quantity and budget) to a draft tender", "", Access::write},
      [](Context& ctx, const LotAddRequest& q) {
        return as_actor(ctx, "tender.lot", [&](const Actor& a) {
          return services::add_lot(ctx.db(), a, {q.tender, q.title, q.configuration, q.quantity.value_or(1), q.budget});
        });
      }));
  r.add(make_operation<CriteriaRequest, std::vector<db::CriterionRow>>(
      {"tender.criteria", "Set the weighted evaluation criteria of a draft tender (weights sum to 100 %)",
       "Replaces the criteria as a whole; they are frozen when the tender is published.", Access::write},
      [](Context& ctx, const CriteriaRequest& q) -> Result<std::vector<db::CriterionRow>> {
        auto criteria = parse_criteria(q.criteria);
        if (!criteria) return tl::unexpected(criteria.error());
        return as_actor(ctx, "tender.criteria",
                        [&](const Actor& a) { return services::set_criteria(ctx.db(), a, q.tender, *criteria); });
      }));
  r.add(make_operation<CommitteeRequest, db::CommitteeRow>(
      {"tender.committee", "Put a person on the evaluation committee (chair, evaluator, observer)", "", Access::write},
      [](Context& ctx, const CommitteeRequest& q) {
        return as_actor(ctx, "tender.committee", [&](const Actor& a) {
          return services::add_committee_member(ctx.db(), a, q.tender, q.person, q.role);
        });
      }));
  r.add(make_operation<DeclareRequest, db::CommitteeRow>(
      {"tender.declare", "Declare your conflicts of interest (every committee member, before bids are opened)", "",
       Access::write},
      [](Context& ctx, const DeclareRequest& q) {
        return as_actor(ctx, "tender.declare", [&](const Actor& a) {
          return services::declare_interest(ctx.db(), a, q.tender, q.conflict, q.statement.value_or(""));
        });
      }));
  r.add(make_operation<TenderKey, services::TenderView>(
      {"tender.publish", "Publish a draft tender (lots and criteria summing to 100 % required)", "", Access::write},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.publish", [&](const Actor& a) { return services::publish_tender(ctx.db(), a, q.tender); });
      }));
  r.add(make_operation<ReasonRequest, services::TenderView>(
      {"tender.cancel", "Cancel a tender (before award), with the reason", "", Access::write},
      [](Context& ctx, const ReasonRequest& q) {
        return as_actor(ctx, "tender.cancel",
                        [&](const Actor& a) { return services::cancel_tender(ctx.db(), a, q.tender, q.reason); });
      }));
  r.add(make_operation<AskRequest, db::ClarificationRow>(
      {"tender.ask", "Record a bidder's clarification question (before the clarification deadline)", "", Access::write},
      [](Context& ctx, const AskRequest& q) {
        return as_actor(ctx, "tender.ask", [&](const Actor& a) {
          return services::ask_clarification(ctx.db(), a, q.tender, q.question, q.asked_by.value_or(""));
        });
      }));
  r.add(make_operation<AnswerRequest, db::ClarificationRow>(
      {"tender.answer", "Answer a clarification question", "", Access::write}, [](Context& ctx, const AnswerRequest& q) {
        return as_actor(ctx, "tender.answer",
                        [&](const Actor& a) { return services::answer_clarification(ctx.db(), a, q.tender, q.id, q.answer); });
      }));
}

void add_bids_and_evaluation(Registry& r) {
  r.group("bid", "Bids: price, currency, validity, claimed values and compliance per clause");
  r.add(make_operation<BidSubmitRequest, services::BidView>(
      {"bid.submit", "Record a bid received before closing (one per bidder and lot)",
       "Claims and compliance answers name requirements of the tender's frozen specification; every mandatory clause "
       "needs a compliance answer or the bid is excluded at opening.",
       Access::write},
      [](Context& ctx, const BidSubmitRequest& q) -> Result<services::BidView> {
        services::BidInput in{q.tender, q.lot.value_or(1), q.bidder, q.country.value_or(""), q.price,
                              q.currency.value_or(""), q.rate, q.valid_until, {}, {}};
        if (auto st = parse_bid_lists(q, in); !st) return tl::unexpected(st.error());
        auto bid = as_actor(ctx, "bid.submit", [&](const Actor& a) { return services::submit_bid(ctx.db(), a, in); });
        // The service names compliance answers in one list; the request has two.
        if (!bid && bid.error().field.rfind("compliance/", 0) == 0) {
          const auto index = std::stoul(bid.error().field.substr(11));
          Error e = bid.error();
          e.field = index < q.complies.size() ? fmt::format("complies/{}", index)
                                              : fmt::format("does_not_comply/{}", index - q.complies.size());
          return tl::unexpected(e);
        }
        return bid;
      }));

  r.add(make_operation<TenderKey, services::TenderView>(
      {"tender.open", "Open the bids after closing: mandatory clauses judged, failing bids excluded with the reason",
       "Refused before the opening time and until every committee member has declared no conflict of interest.",
       Access::write},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.open", [&](const Actor& a) { return services::open_bids(ctx.db(), a, q.tender); });
      }));
  r.add(make_operation<ScoreRequest, db::ScoreRow>(
      {"tender.score", "Score a bid on a technical criterion, as an evaluator (0 to 10)",
       "Each evaluator scores independently: nobody reads another's scores or the prices before the lock.",
       Access::write},
      [](Context& ctx, const ScoreRequest& q) {
        return as_actor(ctx, "tender.score", [&](const Actor& a) {
          return services::score_bid(ctx.db(), a, q.tender, q.bid, q.criterion, q.score, q.note.value_or(""));
        });
      }));
  r.add(make_operation<ScoresRequest, services::ScoreSheet>(
      {"tender.scores", "Read evaluator scores: your own before the lock; all, with their spread, after", "",
       Access::read},
      [](Context& ctx, const ScoresRequest& q) {
        return as_actor(ctx, "tender.scores",
                        [&](const Actor& a) { return services::read_scores(ctx.db(), a, q.tender, q.evaluator); });
      }));
  r.add(make_operation<TenderKey, services::TenderView>(
      {"tender.lock", "Lock technical scoring (committee chair; every evaluator has scored every admissible bid)", "",
       Access::write},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.lock", [&](const Actor& a) { return services::lock_technical(ctx.db(), a, q.tender); });
      }));
  r.add(make_operation<TenderKey, std::vector<db::BidRow>>(
      {"tender.prices", "The bid prices (sealed until technical scoring is locked)", "", Access::read},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.prices", [&](const Actor&) { return services::read_prices(ctx.db(), q.tender); });
      }));
  r.add(make_operation<ModerateRequest, db::ModeratedRow>(
      {"tender.moderate", "Record the moderated score of a bid on a criterion (consensus or declared mean) with its rationale",
       "", Access::write},
      [](Context& ctx, const ModerateRequest& q) {
        return as_actor(ctx, "tender.moderate", [&](const Actor& a) {
          return services::moderate(ctx.db(), a, q.tender, q.bid, q.criterion, q.method, q.score, q.rationale);
        });
      }));
  r.add(make_operation<RankRequest, std::vector<services::LotRanking>>(
      {"tender.rank", "Rank the admissible bids per lot, with the rank-reversal check (after the lock)", "",
       Access::read},
      [](Context& ctx, const RankRequest& q) {
        return as_actor(ctx, "tender.rank",
                        [&](const Actor&) { return services::rank_tender(ctx.db(), q.tender, q.formula); });
      }));
  r.add(make_operation<TenderKey, std::vector<services::LotRanking>>(
      {"tender.evaluate", "Complete the evaluation (committee chair): the ranking becomes final", "", Access::write},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.evaluate", [&](const Actor& a) { return services::evaluate_tender(ctx.db(), a, q.tender); });
      }));
  r.add(make_operation<AwardRequest, db::AwardRow>(
      {"tender.award", "Award a lot to an admissible bid; the standstill period starts", "", Access::write},
      [](Context& ctx, const AwardRequest& q) {
        return as_actor(ctx, "tender.award", [&](const Actor& a) {
          return services::award_lot(ctx.db(), a, q.tender, q.lot.value_or(1), q.bid, q.justification);
        });
      }));
  r.add(make_operation<ComplaintRequest, ComplaintReply>(
      {"tender.complaint", "Record a complaint against an award (blocks the contract until resolved)", "", Access::write},
      [](Context& ctx, const ComplaintRequest& q) -> Result<ComplaintReply> {
        return as_actor(ctx, "tender.complaint", [&](const Actor& a) -> Result<ComplaintReply> {
          auto id = services::lodge_complaint(ctx.db(), a, q.tender, q.lot.value_or(1), q.complainant, q.text);
          if (!id) return tl::unexpected(id.error());
          return ComplaintReply{q.tender, q.lot.value_or(1), *id};
        });
      }));
  r.add(make_operation<ResolveRequest, ComplaintReply>(
      {"tender.resolve", "Record the resolution of a complaint against an award", "", Access::write},
      [](Context& ctx, const ResolveRequest& q) -> Result<ComplaintReply> {
        return as_actor(ctx, "tender.resolve", [&](const Actor& a) -> Result<ComplaintReply> {
          auto id = services::resolve_complaint(ctx.db(), a, q.tender, q.lot.value_or(1), q.complaint, q.resolution);
          if (!id) return tl::unexpected(id.error());
          return ComplaintReply{q.tender, q.lot.value_or(1), *id};
        });
      }));
  r.add(make_operation<TenderKey, services::TenderReport>(
      {"tender.report", "The evaluation report: compliance matrix, scores per evaluator and moderated, rankings under "
                        "every price formula, rank reversal, award recommendation (after the technical lock)",
       "--json gives the whole report as one document.", Access::read},
      [](Context& ctx, const TenderKey& q) {
        return as_actor(ctx, "tender.report", [&](const Actor& a) { return services::tender_report(ctx.db(), a, q.tender); });
      }));
  r.add(make_operation<OcdsRequest, QJsonObject>(
      {"tender.ocds", "The tender as an OCDS 1.1 release package (bid, lots, awardCriteria, requirements extensions)",
       "Bid prices appear once the evaluation is complete; evaluator scores stay internal. Write it to a file with "
       "--json > package.json.",
       Access::read},
      [](Context& ctx, const OcdsRequest& q) {
        services::OcdsOptions options;
        if (q.ocid_prefix) options.ocid_prefix = *q.ocid_prefix;
        if (q.publisher) options.publisher = *q.publisher;
        return services::tender_ocds_package(ctx.db(), q.tender, options);
      }));
}

void add_contract(Registry& r) {
  r.group("contract", "Contracts: supplier, value, milestones with payment shares, warranty, SLA");
  r.add(make_operation<ContractSignRequest, services::ContractView>(
      {"contract.sign", "Record the signed contract of an awarded lot (after the standstill period)", "", Access::write},
      [](Context& ctx, const ContractSignRequest& q) -> Result<services::ContractView> {
        auto milestones = parse_milestones(q.milestones);
        if (!milestones) return tl::unexpected(milestones.error());
        services::ContractInput in;
        in.tender = q.tender;
        in.lot = q.lot.value_or(1);
        in.reference = q.reference;
        in.value = q.value;
        in.signed_on = q.signed_on;
        in.warranty_months = q.warranty_months.value_or(24);
        in.sla_response_h = q.sla_response_h.value_or(4);
        in.sla_repair_h = q.sla_repair_h.value_or(24);
        in.sla_availability_pct = q.sla_availability_pct.value_or(95);
        in.penalties = q.penalties.value_or("");
        in.performance_security = q.performance_security.value_or("");
        in.decommissioning_clause = q.decommissioning.value_or("");
        in.milestones = *milestones;
        return as_actor(ctx, "contract.sign", [&](const Actor& a) { return services::sign_contract(ctx.db(), a, in); });
      }));
  r.add(make_operation<ContractKey, services::ContractView>(
      {"contract.show", "Show a contract and its milestones", "", Access::read},
      [](Context& ctx, const ContractKey& q) { return services::show_contract(ctx.db(), q.contract); }));
  r.add(make_operation<MilestoneMetRequest, services::ContractView>(
      {"contract.milestone", "Record a contract milestone as met", "", Access::write},
      [](Context& ctx, const MilestoneMetRequest& q) {
        return as_actor(ctx, "contract.milestone",
                        [&](const Actor& a) { return services::meet_milestone(ctx.db(), a, q.contract, q.kind, q.met_on); });
      }));
}

}  // namespace

void add_tender_operations(Registry& r) {
  add_needs(r);
  add_tender_setup(r);
  add_bids_and_evaluation(r);
  add_contract(r);
}

}  // namespace niikit::api
