#include "app/domain/lifecycle.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace niikit::domain {

using S = Stage;

const std::vector<StageInfo>& stage_table() {
  static const std::vector<StageInfo> table{
      {S::needs, "needs", "Needs", {S::specification},
       "needs approved by the budget holder (a manager) on a business case or needs statement"},
      {S::specification, "specification", "Specification", {S::tender},
       "specification frozen and linked; every mandatory requirement has a verification method"},
      {S::tender, "tender", "Tender", {S::contract}, "bid evaluation approved and award decision recorded"},
      {S::contract, "contract", "Contract", {S::fat}, "signed contract linked"},
      {S::fat, "fat", "Factory acceptance test", {S::deployment},
       "FAT passed for all mandatory requirements, no open major deviation, witnesses signed"},
      {S::deployment, "deployment", "Deployment", {S::sat},
       "installation certificate, valid licence, commissioning survey passed"},
      {S::sat, "sat", "Site acceptance (field validation)", {S::final_acceptance},
       "SAT passed for all requirements; deviations closed or waived"},
      {S::final_acceptance, "final_acceptance", "Final acceptance", {S::in_service},
       "acceptance certificate signed by a manager"},
      {S::in_service, "in_service", "In service", {S::out_of_service, S::decommissioned},
       "out of service: a reason; decommissioning: see decommissioned"},
      {S::out_of_service, "out_of_service", "Out of service", {S::in_service, S::decommissioned},
       "return to service: faults closed, return-to-service QC passed, survey valid, licence valid"},
      {S::decommissioned, "decommissioned", "Decommissioned", {}, "final: regulator confirmation recorded"},
  };
  return table;
}

const StageInfo& stage_info(Stage stage) {
  return stage_table().at(static_cast<std::size_t>(stage));
}

std::optional<Stage> parse_stage(std::string_view code) {
  for (const auto& s : stage_table())
    if (s.code == code) return s.stage;
  return std::nullopt;
}

bool is_allowed_move(Stage from, Stage to) {
  const auto& next = stage_info(from).successors;
  return std::find(next.begin(), next.end(), to) != next.end();
}

bool GateOutcome::passed() const {
  return std::all_of(conditions.begin(), conditions.end(), [](const auto& c) { return c.holds; });
}

std::vector<std::string> GateOutcome::unmet() const {
  std::vector<std::string> out;
  for (const auto& c : conditions)
    if (!c.holds) out.push_back(c.why);
  return out;
}

namespace {

struct GateBuilder {
  const GateFacts& facts;
  GateOutcome out;

  void require(bool holds, std::string text, std::string why, std::string hint = {}) {
    out.conditions.push_back({std::move(text), holds, holds ? "" : std::move(why), holds ? "" : std::move(hint)});
  }
  void document(std::string_view kind, std::string_view what) {
    require(facts.document_kinds.count(std::string(kind)) > 0, fmt::format("{} linked", what),
            fmt::format("no {} linked", what), fmt::format("niikit document add FILE --kind {} --scanner ...", kind));
  }
  void decider(std::string_view role, std::string_view why_role) {
    require(facts.decider_role == role, fmt::format("decided by a {}", role),
            fmt::format("must be decided by a {} ({}), not by the {} given", role, why_role,
                        facts.decider_role.empty() ? "nobody" : facts.decider_role));
  }
  void count(int have, std::string text, std::string why) { require(have > 0, std::move(text), std::move(why)); }
};

void leave_needs(GateBuilder& g) {
  g.decider("manager", "the budget holder approves needs");
  g.require(g.facts.document_kinds.count("business_case") || g.facts.document_kinds.count("needs_statement"),
            "business case or needs statement linked",
            "no business case or needs statement linked", "niikit document add FILE --kind business_case --scanner ...");
}

void leave_fat(GateBuilder& g) {
  g.count(g.facts.fat_sessions_passed, "FAT session passed and signed by witnesses",
          "no passed and signed FAT session recorded");
  g.require(g.facts.open_major_deviations == 0, "no open major deviation",
            fmt::format("{} major deviation(s) still open", g.facts.open_major_deviations));
}

void leave_deployment(GateBuilder& g) {
  g.document("installation_certificate", "installation certificate");
  g.require(g.facts.valid_licence || !g.facts.licence_required, "valid licence from the radiation regulator",
            "no valid radiation licence recorded for the scanner");
  g.require(g.facts.commissioning_survey_passed, "commissioning radiation survey passed",
            "no passed commissioning radiation survey recorded");
}

void leave_sat(GateBuilder& g) {
  g.count(g.facts.sat_sessions_passed, "SAT session passed and signed", "no passed and signed SAT session recorded");
  g.require(g.facts.open_deviations == 0, "deviations closed or waived",
            fmt::format("{} deviation(s) neither closed nor waived", g.facts.open_deviations));
}

void return_to_service(GateBuilder& g) {
  g.require(g.facts.open_faults == 0, "faults closed", fmt::format("{} fault(s) still open", g.facts.open_faults));
  g.count(g.facts.rts_sessions_passed, "return-to-service QC passed", "no passed return-to-service QC session recorded");
  g.require(g.facts.periodic_survey_valid, "radiation survey valid", "no valid passed radiation survey recorded");
  g.require(g.facts.valid_licence || !g.facts.licence_required, "valid licence",
            "no valid radiation licence recorded for the scanner");
}

void decommission(GateBuilder& g) {
  g.document("regulator_confirmation", "regulator confirmation");
  g.require(g.facts.clearance_survey_passed, "final clearance survey passed",
            "no passed decommissioning clearance survey recorded");
}

void leave(Stage from, Stage to, GateBuilder& g) {
  if (to == S::decommissioned) return decommission(g);
  switch (from) {
    case S::needs: return leave_needs(g);
    case S::specification: return g.document("specification", "frozen specification");
    case S::tender:
      g.document("bid_evaluation", "approved bid evaluation");
      return g.document("award_decision", "award decision");
    case S::contract: return g.document("contract", "signed contract");
    case S::fat: return leave_fat(g);
    case S::deployment: return leave_deployment(g);
    case S::sat: return leave_sat(g);
    case S::final_acceptance:
      g.document("acceptance_certificate", "signed acceptance certificate");
      return g.decider("manager", "final acceptance is a management decision");
    case S::in_service:
      return g.require(!g.facts.note.empty(), "reason given", "taking a scanner out of service needs a reason (--note)");
    case S::out_of_service: return return_to_service(g);
    case S::decommissioned: return;
  }
}

}  // namespace

GateOutcome evaluate_gate(Stage from, Stage to, const GateFacts& facts) {
  GateBuilder g{facts, {}};
  if (!is_allowed_move(from, to)) {
    std::string allowed;
    for (auto s : stage_info(from).successors) allowed += (allowed.empty() ? "" : ", ") + std::string(stage_info(s).code);
    g.require(false, "allowed move",
              fmt::format("{} cannot move to {} (allowed: {})", stage_info(from).code, stage_info(to).code,
                          allowed.empty() ? "none, the stage is final" : allowed));
    return g.out;
  }
  g.require(facts.decider_role != "vendor", "decided by the administration",
            "a vendor cannot decide a stage move for the administration");
  leave(from, to, g);
  return g.out;
}

}  // namespace niikit::domain
