#include "app/domain/tender_scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace niikit::domain {

std::string PriceFormula::id() const { return fmt::format("{}/{}", code, version); }

const std::vector<PriceFormula>& price_formulas() {
  static const std::vector<PriceFormula> table{
      {"lowest_ratio", 1, "weight × lowest admissible price / price"},
      {"linear_budget", 1,
       "weight × (budget − price) / (budget − lowest admissible price), clamped to 0..weight"},
  };
  return table;
}

std::string price_formula_ids() {
  std::string out;
  for (const auto& f : price_formulas()) out += (out.empty() ? "" : ", ") + f.id();
  return out;
}

Result<PriceFormula> find_price_formula(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view code = text.substr(0, slash);
  std::optional<PriceFormula> found;
  for (const auto& f : price_formulas()) {
    if (f.code != code) continue;
    if (slash == std::string_view::npos) {
      if (!found || f.version > found->version) found = f;
    } else if (f.id() == text) {
      found = f;
    }
  }
  if (!found)
    return fail(ErrorCode::input, fmt::format("price formula '{}': not one of {}", text, price_formula_ids()));
  return *found;
}

double price_points(const PriceFormula& formula, double price, double lowest, double budget, double weight_pct) {
  if (price <= 0) return 0;
  if (formula.code == "lowest_ratio") return weight_pct * lowest / price;
  // linear_budget
  if (budget <= lowest) return price <= lowest ? weight_pct : 0;
  const double share = (budget - price) / (budget - lowest);
  return weight_pct * std::clamp(share, 0.0, 1.0);
}

Status check_criteria(const std::vector<Criterion>& criteria) {
  if (criteria.empty()) return fail(ErrorCode::input, "no evaluation criteria");
  double sum = 0;
  int prices = 0;
  std::set<std::string> codes;
  for (const auto& c : criteria) {
    if (!(c.weight_pct > 0) || c.weight_pct > 100)
      return fail(ErrorCode::input, fmt::format("criterion {}: weight {} % is not in (0, 100]", c.code, c.weight_pct));
    if (!codes.insert(c.code).second) return fail(ErrorCode::input, fmt::format("criterion {}: given twice", c.code));
    prices += c.is_price ? 1 : 0;
    sum += c.weight_pct;
  }
  if (prices > 1) return fail(ErrorCode::input, fmt::format("{} price criteria; at most one", prices));
  if (std::abs(sum - 100.0) > kWeightTolerance)
    return fail(ErrorCode::input, fmt::format("weights sum to {:g} %, not 100 %", sum));
  return {};
}

Spread spread_of(const std::vector<double>& scores) {
  Spread s;
  if (scores.empty()) return s;
  s.min = *std::min_element(scores.begin(), scores.end());
  s.max = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (double v : scores) sum += v;
  s.evaluators = static_cast<int>(scores.size());
  s.mean = sum / s.evaluators;
  return s;
}

bool Ranking::any_reversal() const {
  return std::any_of(reversal.begin(), reversal.end(), [](const ReversalCheck& r) { return r.reversed; });
}

namespace {

// Totals and ranks without the reversal check.
Result<std::vector<RankLine>> score_lines(const std::vector<Criterion>& criteria, const std::vector<BidToRank>& bids,
                                          const PriceFormula& formula, double budget, double& lowest) {
  lowest = 0;
  for (const auto& b : bids)
    if (lowest == 0 || b.price < lowest) lowest = b.price;
  std::vector<RankLine> lines;
  for (const auto& b : bids) {
    if (!(b.price > 0)) return fail(ErrorCode::input, fmt::format("bid {} ({}): price must be positive", b.bid_id, b.bidder));
    RankLine line{b.bid_id, b.bidder, b.price, 0, 0, 0, 0};
    for (const auto& c : criteria) {
      if (c.is_price) {
        line.price_points = price_points(formula, b.price, lowest, budget, c.weight_pct);
        continue;
      }
      auto it = b.scores.find(c.code);
      if (it == b.scores.end())
        return fail(ErrorCode::input, fmt::format("bid {} ({}): no moderated score for criterion {}", b.bid_id, b.bidder, c.code));
      line.technical_points += it->second / kMaxScore * c.weight_pct;
    }
    line.total_points = line.technical_points + line.price_points;
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end(), [](const RankLine& a, const RankLine& b) {
    if (std::abs(a.total_points - b.total_points) > 1e-9) return a.total_points > b.total_points;
    if (a.price != b.price) return a.price < b.price;
    return a.bid_id < b.bid_id;
  });
  for (std::size_t i = 0; i < lines.size(); ++i)
    lines[i].rank = (i > 0 && std::abs(lines[i].total_points - lines[i - 1].total_points) <= 1e-9)
                        ? lines[i - 1].rank
                        : static_cast<int>(i) + 1;
  return lines;
}

}  // namespace

Result<Ranking> rank_bids(const std::vector<Criterion>& criteria, const std::vector<BidToRank>& bids,
                          const PriceFormula& formula, double budget, bool check_reversal) {
  if (auto st = check_criteria(criteria); !st) return tl::unexpected(st.error());
  Ranking r;
  r.formula = formula.id();
  r.budget = budget;
  auto lines = score_lines(criteria, bids, formula, budget, r.lowest_price);
  if (!lines) return tl::unexpected(lines.error());
  r.lines = std::move(*lines);
  if (!check_reversal || bids.size() < 3) return r;
  // Rank reversal: drop each bid in turn and re-rank the others with the same formula (the
  // lowest price, and so every price score, may change). The others should keep their order.
  for (const auto& removed : bids) {
    std::vector<BidToRank> rest;
    for (const auto& b : bids)
      if (b.bid_id != removed.bid_id) rest.push_back(b);
    double lowest = 0;
    auto again = score_lines(criteria, rest, formula, budget, lowest);
    if (!again) return tl::unexpected(again.error());
    ReversalCheck check{removed.bid_id, removed.bidder, {}, false, "order kept"};
    std::vector<std::int64_t> before;
    for (const auto& l : r.lines)
      if (l.bid_id != removed.bid_id) before.push_back(l.bid_id);
    for (std::size_t i = 0; i < again->size(); ++i) {
      check.order.push_back((*again)[i].bidder);
      if ((*again)[i].bid_id != before[i] && !check.reversed) {
        check.reversed = true;
        const auto first = std::find_if(r.lines.begin(), r.lines.end(), [&](const RankLine& l) { return l.bid_id == before[i]; });
        check.note = fmt::format("{} moves ahead of {}", (*again)[i].bidder, first->bidder);
      }
    }
    r.reversal.push_back(std::move(check));
  }
  return r;
}

BusinessCase business_case(const BusinessCaseInput& in) {
  BusinessCase c;
  const int life = std::max(in.life_years, 1);
  c.life_cost = in.capex + in.opex_per_year * life;
  const double scans = static_cast<double>(in.annual_scans) * life;
  c.cost_per_scan = scans > 0 ? c.life_cost / scans : 0;
  if (in.benefit_per_year > in.opex_per_year) c.payback_years = in.capex / (in.benefit_per_year - in.opex_per_year);
  return c;
}

}  // namespace niikit::domain
