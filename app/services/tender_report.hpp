// The tender evaluation report as data (issue 14, `niikit tender report --json`): the
// compliance matrix (every bid × every requirement: claimed value, compliance answer, verdict),
// every evaluator's scores with the spread and the moderated score, the ranking per lot under
// every price formula with the rank-reversal check, and the award recommendation (the first
// ranked bid under the tender's own formula). Readable by the committee once technical scoring
// is locked (scores and prices are sealed before). Pure reads; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/services/tender_service.hpp"

namespace niikit::services {

struct ComplianceLine {
  std::int64_t bid_id = 0;
  std::string bidder;
  std::string requirement, text;
  bool mandatory = false;
  std::string target;                  // "≥ 300 mm" as the specification states it
  std::optional<double> claimed;       // the bid's claimed value, if any
  std::optional<bool> complies;        // the bid's compliance answer, if any
  std::string evidence;
  std::string verdict;                 // pass | fail | not_answered (claims judged against the target)
};

struct FormulaRanking {
  std::string formula;                 // "lowest_ratio/1"
  std::vector<LotRanking> lots;
};

struct Recommendation {
  std::int64_t lot_number = 0;
  std::int64_t bid_id = 0;
  std::string bidder;
  double total_points = 0;
  std::string formula;
  bool rank_reversal_seen = false;     // the check found a reversal: the committee should say why it still holds
};

struct TenderReport {
  TenderView tender;                   // prices unsealed
  std::vector<ComplianceLine> compliance;
  ScoreSheet scores;
  std::vector<FormulaRanking> rankings;  // the tender's formula first
  std::vector<Recommendation> recommendation;
};

// Errors: not_found (tender), forbidden (before the technical lock, or the actor not an
// evaluator before it), conflict (a moderated score missing: no ranking yet).
Result<TenderReport> tender_report(db::Database& db, const Actor& actor, const std::string& tender);

}  // namespace niikit::services
