#include "app/services/tender_report.hpp"

#include <fmt/format.h>

#include <map>

#include "app/domain/requirements.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/tender_service_internal.hpp"

namespace niikit::services {

using namespace tender_detail;

namespace {

std::vector<ComplianceLine> compliance_matrix(SQLite::Database& sql, const db::TenderRow& t) {
  const auto requirements = load_requirements(sql, t.specification_id);
  std::vector<ComplianceLine> out;
  for (const auto& b : db::bids_of(sql, t.id)) {
    std::map<std::string, db::ClaimRow> claims;
    for (auto& c : db::claims_of(sql, b.id)) claims.emplace(c.requirement_id, c);
    std::map<std::string, db::ComplianceRow> answers;
    for (auto& c : db::compliance_of(sql, b.id)) answers.emplace(c.requirement_id, c);
    for (const auto& r : requirements) {
      ComplianceLine line{b.id, b.bidder_name, r.id, r.text, r.mandatory, domain::describe_target(r), {}, {}, "", ""};
      if (auto c = claims.find(r.id); c != claims.end()) line.claimed = c->second.claimed_value;
      if (auto a = answers.find(r.id); a != answers.end()) {
        line.complies = a->second.complies;
        line.evidence = a->second.evidence;
      }
      if (!line.complies) line.verdict = "not_answered";
      else if (!*line.complies) line.verdict = "fail";
      else if (line.claimed && domain::judge(r, *line.claimed).verdict == domain::Verdict::fail) line.verdict = "fail";
      else line.verdict = "pass";
      out.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace

Result<TenderReport> tender_report(db::Database& db, const Actor& actor, const std::string& tender) {
  auto t = db.read([&](SQLite::Database& sql) { return load_tender(sql, tender); });
  if (!t) return tl::unexpected(t.error());
  if (!t->technical_locked_at_utc)
    return tl::unexpected(forbidden(*t, "the evaluation report needs technical scoring locked (scores and prices are "
                                        "sealed before)"));
  TenderReport report;
  auto prices = read_prices(db, tender);
  if (!prices) return tl::unexpected(prices.error());
  auto view = show_tender(db, tender);
  if (!view) return tl::unexpected(view.error());
  report.tender = std::move(*view);
  report.tender.bids = *prices;
  report.tender.prices_sealed = false;
  auto matrix = db.read([&](SQLite::Database& sql) -> Result<std::vector<ComplianceLine>> { return compliance_matrix(sql, *t); });
  if (!matrix) return tl::unexpected(matrix.error());
  report.compliance = std::move(*matrix);
  auto scores = read_scores(db, actor, tender, std::nullopt);
  if (!scores) return tl::unexpected(scores.error());
  report.scores = std::move(*scores);
  std::vector<std::string> formulas{t->price_formula};
  for (const auto& f : domain::price_formulas())
    if (f.id() != t->price_formula) formulas.push_back(f.id());
  for (const auto& f : formulas) {
    auto lots = rank_tender(db, tender, f);
    if (!lots) return tl::unexpected(Error{ErrorCode::conflict, lots.error().message, lots.error().field});
    report.rankings.push_back({f, std::move(*lots)});
  }
  for (const auto& lot : report.rankings.front().lots) {
    if (lot.ranking.lines.empty()) continue;
    const auto& first = lot.ranking.lines.front();
    report.recommendation.push_back(
        {lot.lot_number, first.bid_id, first.bidder, first.total_points, lot.ranking.formula, lot.ranking.any_reversal()});
  }
  return report;
}

}  // namespace niikit::services
