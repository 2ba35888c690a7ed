// The demo's tender chapter (issue 14): the frozen specification GRA-NII-2026-01 goes out as a
// tender with one lot, three bids arrive (one in euros), a committee declares its interests
// before the opening, one bid is excluded on a mandatory clause, two evaluators score
// independently and disagree, the chair locks and moderates, the ranking is checked for rank
// reversal, the budget holder awards after the standstill and the contract is signed with its
// milestones. The stage gates read these records instead of uploaded files.
#include <fmt/format.h>

#include "app/services/demo_story.hpp"
#include "app/services/tender_service.hpp"
#include "core/time_format.hpp"

namespace niikit::services::demo {

namespace {

constexpr const char* kTender = "T-2026-07";
constexpr const char* kOfficer = "Kofi Boateng";   // procurement: runs the tender, chairs the committee

// Runs `fn(actor)` as the registered person `name`, allowed to perform `action`.
template <class F>
auto as(Demo& d, const std::string& name, const char* action, F&& fn) -> decltype(fn(std::declval<const Actor&>())) {
  if (auto c = d.as(name); !c) return tl::unexpected(c.error());
  auto actor = d.ctx.require(action);
  if (!actor) return tl::unexpected(actor.error().with_context("demo tender"));
  return fn(*actor);
}

std::string when(const Clock& now, int days_before, const char* time_of_day) {
  return format_date(now.now() - std::chrono::days(days_before)) + time_of_day;
}

// Every mandatory clause of the specification answered "complies".
std::vector<ComplianceInput> complies_with(const std::vector<std::string>& mandatory) {
  std::vector<ComplianceInput> out;
  for (const auto& id : mandatory) out.push_back({id, true, "technical offer"});
  return out;
}

}  // namespace

Status tender_chapter(Demo& d, const Clock& now, const std::string& procurement,
                      const std::vector<std::string>& mandatory) {
  days_ago(d, now, 228);
  auto tender = as(d, kOfficer, "tender.add", [&](const Actor& a) {
    TenderInput in;
    in.procurement = procurement;
    in.reference = kTender;
    in.title = "Second container portal for Tema";
    in.currency = "USD";
    in.publication = when(now, 227, "");
    in.clarification_deadline = when(now, 205, "");
    in.closing = when(now, 185, "T09:00:00Z");
    in.opening = when(now, 185, "T10:00:00Z");
    in.standstill_days = 10;
    return create_tender(d.db(), a, in);
  });
  if (!tender) return tl::unexpected(tender.error());
  auto setup = as(d, kOfficer, "tender.lot", [&](const Actor& a) -> Status {
    if (auto l = add_lot(d.db(), a, {kTender, "Drive-through container portal, 6 MeV", "portal", 1, "2600000"}); !l)
      return tl::unexpected(l.error());
    auto criteria = set_criteria(d.db(), a, kTender,
                                 {{"IQ", "Image quality", "technical", 40}, {"SVC", "Service and support", "technical", 20},
                                  {"PRICE", "Price", "price", 40}});
    if (!criteria) return tl::unexpected(criteria.error());
    for (const auto& [person, role] : std::vector<std::pair<std::string, std::string>>{
             {kOfficer, "chair"}, {"Efua Owusu", "evaluator"}, {"Yaw Asante", "evaluator"}})
      if (auto m = add_committee_member(d.db(), a, kTender, person, role); !m) return tl::unexpected(m.error());
    if (auto p = publish_tender(d.db(), a, kTender); !p) return tl::unexpected(p.error());
    return {};
  });
  if (!setup) return setup;
  d.step("Publish the tender (niikit tender add|lot|criteria|committee|publish)",
         fmt::format("{}: one lot (budget 2,600,000 USD), criteria image quality 40 %, service 20 %, price 40 % "
                     "(lowest_ratio/1), committee {} (chair), Efua Owusu and Yaw Asante (evaluators)",
                     kTender, kOfficer));

  days_ago(d, now, 190);
  struct Offer {
    const char* bidder;
    const char* country;
    const char* price;
    const char* currency;
    std::optional<double> rate;
    double steel_mm;
  };
  const std::vector<Offer> offers{{"ScanCorp GmbH", "DE", "2350000", "USD", std::nullopt, 320},
                                  {"Imagix SA", "FR", "2000000", "EUR", 1.08, 310},
                                  {"Portalis Ltd", "GB", "1950000", "USD", std::nullopt, 260}};
  for (const auto& o : offers) {
    auto bid = as(d, kOfficer, "bid.submit", [&](const Actor& a) {
      BidInput in;
      in.tender = kTender;
      in.bidder = o.bidder;
      in.bidder_country = o.country;
      in.price = o.price;
      in.currency = o.currency;
      in.rate = o.rate;
      in.valid_until = when(now, 60, "");
      in.claims = {{"IQ-01", o.steel_mm}};
      in.compliance = complies_with(mandatory);
      return submit_bid(d.db(), a, in);
    });
    if (!bid) return tl::unexpected(bid.error());
  }
  d.step("Receive three bids before closing (niikit bid submit)",
         "ScanCorp GmbH 2,350,000 USD; Imagix SA 2,000,000 EUR at 1.08 (2,160,000 USD); Portalis Ltd 1,950,000 USD "
         "claiming 260 mm steel penetration");

  // Five minutes after the opening time.
  d.ctx.set_clock(Clock(now.now() - std::chrono::days(185) - now.now().time_since_epoch() % std::chrono::days(1) +
                        std::chrono::hours(10) + std::chrono::minutes(5)));
  auto early = as(d, kOfficer, "tender.open", [&](const Actor& a) { return open_bids(d.db(), a, kTender); });
  if (early) return fail(ErrorCode::internal, "demo: bids opened before the committee declared");
  d.step("Try to open the bids before every member declared a conflict of interest", early.error().message, false);
  for (const char* member : {kOfficer, "Efua Owusu", "Yaw Asante"}) {
    auto declared = as(d, member, "tender.declare", [&](const Actor& a) {
      return declare_interest(d.db(), a, kTender, false, "no interest in any bidder");
    });
    if (!declared) return tl::unexpected(declared.error());
  }
  auto opened = as(d, kOfficer, "tender.open", [&](const Actor& a) { return open_bids(d.db(), a, kTender); });
  if (!opened) return tl::unexpected(opened.error());
  std::string excluded;
  for (const auto& b : opened->bids)
    if (b.status == "excluded") excluded += fmt::format("{}{}: {}", excluded.empty() ? "" : "; ", b.bidder_name,
                                                        b.exclusion_reason);
  d.step("Open the bids after three declarations (niikit tender declare|open)",
         excluded.empty() ? "no bid excluded" : "excluded on a mandatory clause: " + excluded);

  // Two evaluators who disagree on image quality; neither sees the other's scores or the prices.
  std::int64_t scancorp = 0, imagix = 0;
  for (const auto& b : opened->bids) {
    if (b.bidder_name == "ScanCorp GmbH") scancorp = b.id;
    if (b.bidder_name == "Imagix SA") imagix = b.id;
  }
  const std::vector<std::tuple<const char*, std::int64_t, const char*, double>> scores{
      {"Efua Owusu", scancorp, "IQ", 8}, {"Yaw Asante", scancorp, "IQ", 6}, {"Efua Owusu", scancorp, "SVC", 9},
      {"Yaw Asante", scancorp, "SVC", 7}, {"Efua Owusu", imagix, "IQ", 6},   {"Yaw Asante", imagix, "IQ", 8},
      {"Efua Owusu", imagix, "SVC", 5},   {"Yaw Asante", imagix, "SVC", 5}};
  for (const auto& [who, bid, criterion, score] : scores) {
    auto s = as(d, who, "tender.score", [&](const Actor& a) {
      return score_bid(d.db(), a, kTender, bid, criterion, score, "");
    });
    if (!s) return tl::unexpected(s.error());
  }
  auto peek = as(d, "Efua Owusu", "tender.scores", [&](const Actor& a) {
    return read_scores(d.db(), a, kTender, std::optional<std::string>("Yaw Asante"));
  });
  if (peek) return fail(ErrorCode::internal, "demo: an evaluator read another's scores before the lock");
  d.step("Try to read the other evaluator's scores before the lock", peek.error().message, false);
  auto moderated = as(d, kOfficer, "tender.lock", [&](const Actor& a) -> Status {
    if (auto l = lock_technical(d.db(), a, kTender); !l) return tl::unexpected(l.error());
    for (const auto& [bid, criterion, method, score, why] :
         std::vector<std::tuple<std::int64_t, const char*, const char*, std::optional<double>, const char*>>{
             {scancorp, "IQ", "consensus", 7.5, "agreed after reviewing the wire and penetration images"},
             {scancorp, "SVC", "mean", std::nullopt, "declared mean"},
             {imagix, "IQ", "consensus", 6.5, "agreed: the organic separation demo was weaker"},
             {imagix, "SVC", "mean", std::nullopt, "no spread"}})
      if (auto m = moderate(d.db(), a, kTender, bid, criterion, method, score, why); !m) return tl::unexpected(m.error());
    return {};
  });
  if (!moderated) return moderated;
  auto ranked = as(d, kOfficer, "tender.evaluate", [&](const Actor& a) { return evaluate_tender(d.db(), a, kTender); });
  if (!ranked) return tl::unexpected(ranked.error());
  if (ranked->empty() || ranked->front().ranking.lines.empty())
    return fail(ErrorCode::internal, "demo: the tender has no ranking");
  const auto& ranking = ranked->front().ranking;
  std::string lines;
  for (const auto& l : ranking.lines)
    lines += fmt::format("{}{}. {} {:.2f} points ({:.2f} technical + {:.2f} price)", lines.empty() ? "" : "; ", l.rank,
                         l.bidder, l.total_points, l.technical_points, l.price_points);
  d.step("Lock, moderate and rank (niikit tender lock|moderate|rank|evaluate)",
         fmt::format("{}: {}; rank reversal: {}", ranking.formula, lines,
                     ranking.reversal.empty() ? "not checked (fewer than 3 admissible bids)"
                     : ranking.any_reversal()  ? "the order changes when a bid is removed"
                                               : "order kept"));

  days_ago(d, now, 170);
  const auto& winner = ranking.lines.front();
  auto award = as(d, "Ama Mensah", "tender.award", [&](const Actor& a) {
    return award_lot(d.db(), a, kTender, 1, winner.bid_id,
                     fmt::format("ranked first under {} ({:.2f} points)", ranking.formula, winner.total_points));
  });
  if (!award) return tl::unexpected(award.error());
  if (auto st = d.advance("GH-TEM-03", "contract", kOfficer, "awarded (tender " + std::string(kTender) + ")"); !st)
    return st;

  days_ago(d, now, 150);
  auto contract = as(d, kOfficer, "contract.sign", [&](const Actor& a) {
    ContractInput in;
    in.tender = kTender;
    in.reference = "C-2026-07";
    in.value = fmt::format("{:.2f}", winner.price);
    in.signed_on = when(now, 150, "");
    in.penalties = "0.5 % of the value per day late, capped at 10 %";
    in.performance_security = fmt::format("{:.2f}", winner.price / 10);   // a 10 % bank guarantee
    in.decommissioning_clause = "supplier removes the linac and its shielding at end of life";
    in.milestones = {{"fat", when(now, 110, ""), 30}, {"delivery", when(now, 90, ""), 30},
                     {"sat", when(now, 40, ""), 30}, {"final_acceptance", when(now, 30, ""), 10}};
    return sign_contract(d.db(), a, in);
  });
  if (!contract) return tl::unexpected(contract.error());
  d.step("Award after the standstill and sign the contract (niikit tender award, contract sign)",
         fmt::format("{} awarded by Ama Mensah (budget holder); contract C-2026-07 {:.2f} USD, warranty 24 months, "
                     "SLA 4 h response / 24 h repair / 95 % availability, performance security 10 %, 4 milestones (30/30/30/10 %)",
                     winner.bidder, winner.price));
  return d.advance("GH-TEM-03", "fat", kOfficer, "contract C-2026-07 signed");
}

}  // namespace niikit::services::demo
