// Tender evaluation arithmetic (issue 14): weighted criteria, moderation of independent
// evaluator scores, price scores by named and versioned formulas, the business case of a need,
// ranking and the rank-reversal check. Pure data and functions; thread-safe.
//
// Scores are points 0–10 per technical criterion; a criterion of weight w % adds
// score / 10 × w points to the total. The price criterion adds the formula's points (0..w).
// Totals are therefore on a 0–100 scale.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::domain {

inline constexpr double kMaxScore = 10.0;    // evaluator and moderated scores are 0..kMaxScore
inline constexpr double kWeightTolerance = 1e-6;  // weights sum to 100 % within this

// A price formula, named and versioned so a stored evaluation says which arithmetic it used.
struct PriceFormula {
  std::string_view code;         // "lowest_ratio"
  int version = 1;
  std::string_view description;  // shown in reports and help
  [[nodiscard]] std::string id() const;  // "lowest_ratio/1"
};

// lowest_ratio/1: weight × lowest / price (lowest = the lowest admissible price of the lot).
// linear_budget/1: weight × (budget − price) / (budget − lowest), clamped to 0..weight: the
//   lowest admissible price scores the whole weight, a price at or above the lot budget nothing.
const std::vector<PriceFormula>& price_formulas();
// "lowest_ratio" (newest version) or "lowest_ratio/1". Errors: input naming the known ids.
Result<PriceFormula> find_price_formula(std::string_view text);
// "lowest_ratio/1, linear_budget/1"
std::string price_formula_ids();

// Points of `price` under `formula` for a lot whose lowest admissible price is `lowest` and
// whose budget is `budget` (all in the same currency), for a criterion of `weight_pct`.
double price_points(const PriceFormula& formula, double price, double lowest, double budget, double weight_pct);

struct Criterion {
  std::string code;
  bool is_price = false;
  double weight_pct = 0;
};

// Weights are positive, codes unique, at most one price criterion, and the weights sum to
// 100 %. Errors: input naming the problem ("weights sum to 90 %, not 100 %").
Status check_criteria(const std::vector<Criterion>& criteria);

// The evaluators' scores of one bid on one criterion, and their moderation.
struct Spread {
  double min = 0, max = 0, mean = 0;
  int evaluators = 0;
  [[nodiscard]] double range() const { return max - min; }
};
Spread spread_of(const std::vector<double>& scores);

// One admissible bid to rank: its price in the tender currency (major units) and its moderated
// technical scores (criterion code → 0..10).
struct BidToRank {
  std::int64_t bid_id = 0;
  std::string bidder;
  double price = 0;
  std::map<std::string, double> scores;
};

struct RankLine {
  std::int64_t bid_id = 0;
  std::string bidder;
  double price = 0;
  double technical_points = 0;  // Σ score/10 × weight over technical criteria
  double price_points = 0;
  double total_points = 0;
  int rank = 0;                 // 1 = best; ties share the rank
};

// The ranking with one bid removed, and whether the other bids kept their order.
struct ReversalCheck {
  std::int64_t removed_bid_id = 0;
  std::string removed_bidder;
  std::vector<std::string> order;  // bidders best first without the removed one
  bool reversed = false;           // some pair of the remaining bids swapped places
  std::string note;                // "Y and Z swap places" or "order kept"
};

struct Ranking {
  std::string formula;             // "lowest_ratio/1"
  double lowest_price = 0;
  double budget = 0;
  std::vector<RankLine> lines;     // best first
  std::vector<ReversalCheck> reversal;  // one per bid (empty for fewer than 3 bids)
  [[nodiscard]] bool any_reversal() const;
};

// Ranks `bids` (each must have a score for every technical criterion; checked: input error
// naming the bid and criterion). Ties are broken by lower price, then by bid id.
Result<Ranking> rank_bids(const std::vector<Criterion>& criteria, const std::vector<BidToRank>& bids,
                          const PriceFormula& formula, double budget, bool check_reversal = true);

// ---- business case

struct BusinessCaseInput {
  double capex = 0;             // major units
  double opex_per_year = 0;
  double benefit_per_year = 0;  // revenue recovered or cost avoided per year; 0: not stated
  std::int64_t annual_scans = 0;
  int life_years = 10;
};
struct BusinessCase {
  double life_cost = 0;                 // capex + opex × life
  double cost_per_scan = 0;             // life_cost / (annual_scans × life)
  std::optional<double> payback_years;  // capex / (benefit − opex); none when benefit ≤ opex
};
BusinessCase business_case(const BusinessCaseInput& in);

}  // namespace niikit::domain
