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
       "a frozen specification (procurement record); every mandatory requirement has a verification method"},
      {S::tender, "tender", "Tender", {S::contract}, "bid evaluation approved and award decision recorded"},
      {S::contract, "contract", "Contract", {S::fat}, "signed contract linked"},
      {S::fat, "fat", "Factory acceptance test", {S::deployment},
       "newest FAT session passed, every mandatory FAT requirement passed, no open major deviation, "
       "every witness signed"},
      {S::deployment, "deployment", "Deployment", {S::sat},
       "installation certificate, valid licence, commissioning survey passed"},
      {S::sat, "sat", "Site acceptance (field validation)", {S::final_acceptance},
       "newest SAT session passed and signed by its witnesses; deviations closed or waived"},
      {S::final_acceptance, "final_acceptance", "Final acceptance", {S::in_service},
       "acceptance certificate, decided by a manager; SAT passed and signatures valid"},
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
  // A condition met by a tender record (`recorded`, its text) or else by an uploaded document.
  void record_or_document(const std::string& recorded, std::string text, std::string_view kind, std::string_view what) {
    if (!recorded.empty()) return require(true, std::move(text), "");
    document(kind, what);
  }
  void decider(std::string_view role, std::string_view why_role) {
    require(facts.decider_role == role, fmt::format("decided by a {}", role),
            fmt::format("must be decided by a {} ({}), not by the {} given", role, why_role,
                        facts.decider_role.empty() ? "nobody" : facts.decider_role));
  }
};

void leave_needs(GateBuilder& g) {
  g.decider("manager", "the budget holder approves needs");
  if (const auto& by = g.facts.tender.needs_approved_by; !by.empty())
    return g.require(true, fmt::format("needs and business case approved by {} (needs record)", by), "");
  g.require(g.facts.document_kinds.count("business_case") || g.facts.document_kinds.count("needs_statement"),
            "business case or needs statement linked",
            "no business case or needs statement linked", "niikit document add FILE --kind business_case --scanner ...");
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

void leave_specification(GateBuilder& g) {
  const auto& spec = g.facts.specification;
  g.require(spec.linked && spec.frozen, "specification frozen",
            !spec.linked ? "no specification recorded for the scanner (link it to a procurement with a frozen "
                           "specification)"
                         : fmt::format("specification {} is a draft, not frozen", spec.reference),
            !spec.linked ? "niikit procurement link ... --scanner ..." : "niikit spec freeze ...");
  if (spec.linked)
    g.require(spec.mandatory_without_method == 0, "every mandatory requirement has a verification method",
              fmt::format("specification {}: {} mandatory requirement(s) without a test method or phase",
                          spec.reference, spec.mandatory_without_method));
}

// The newest closed session of a phase: passed, every mandatory requirement of the phase
// passed (failed and unverified ones named), and — when `signed_by_witnesses` — every witness
// holding a valid signature. `label` is "FAT", "SAT" or "return-to-service QC".
void session_passed(GateBuilder& g, const SessionFacts& f, std::string_view label, bool signed_by_witnesses) {
  if (!f.recorded) {
    g.require(false, fmt::format("{} session passed", label), fmt::format("no closed {} session recorded", label),
              "niikit test start --scanner ... --phase ...");
    return;
  }
  if (f.content_changed)
    g.require(false, fmt::format("{} session {} records unchanged since close", label, f.session_id),
              fmt::format("{} session {}: records changed since it was closed (content hash mismatch)", label,
                          f.session_id));
  std::string why = fmt::format("{} session {} failed", label, f.session_id);
  if (!f.mandatory_failed.empty())
    why += fmt::format(": {} mandatory requirement(s) failed ({})", f.mandatory_failed.size(), join_ids(f.mandatory_failed));
  g.require(f.passed, fmt::format("{} session {} passed", label, f.session_id), why);
  g.require(f.mandatory_unverified.empty(), "every mandatory requirement verified",
            fmt::format("{} session {}: {} mandatory requirement(s) not verified ({})", label, f.session_id,
                        f.mandatory_unverified.size(), join_ids(f.mandatory_unverified)));
  if (!signed_by_witnesses) return;
  g.require(f.unsigned_witnesses.empty(), "every witness signed",
            fmt::format("{} session {}: not signed by witness(es) {}", label, f.session_id, join_ids(f.unsigned_witnesses)),
            fmt::format("niikit test sign --session {} --by ... --role witness", f.session_id));
  g.require(f.invalid_signatures.empty(), "signatures valid",
            fmt::format("{} session {}: signature(s) of {} invalid: content changed since signing", label,
                        f.session_id, join_ids(f.invalid_signatures)));
}

void leave_fat(GateBuilder& g) {
  session_passed(g, g.facts.fat, "FAT", true);
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
  session_passed(g, g.facts.sat, "SAT", true);
  g.require(g.facts.open_deviations == 0, "deviations closed or waived",
            fmt::format("{} deviation(s) neither closed nor waived", g.facts.open_deviations));
}

void leave_final_acceptance(GateBuilder& g) {
  g.document("acceptance_certificate", "signed acceptance certificate");
  g.decider("manager", "final acceptance is a management decision");
  const auto& sat = g.facts.sat;
  const bool ok = sat.recorded && sat.passed && !sat.content_changed && sat.unsigned_witnesses.empty() &&
                  sat.invalid_signatures.empty();
  std::string why = !sat.recorded ? "no closed SAT session recorded"
                    : !sat.passed ? fmt::format("SAT session {} failed", sat.session_id)
                    : sat.content_changed
                        ? fmt::format("SAT session {}: records changed since it was closed", sat.session_id)
                    : !sat.invalid_signatures.empty()
                        ? fmt::format("SAT session {}: signature(s) of {} invalid: content changed since signing",
                                      sat.session_id, join_ids(sat.invalid_signatures))
                        : fmt::format("SAT session {}: not signed by witness(es) {}", sat.session_id,
                                      join_ids(sat.unsigned_witnesses));
  g.require(ok, "SAT passed and signatures valid", why);
}

void return_to_service(GateBuilder& g) {
  g.require(g.facts.open_faults == 0, "faults closed", fmt::format("{} fault(s) still open", g.facts.open_faults));
  const auto& rts = g.facts.rts;
  g.require(rts.recorded && rts.passed && !rts.content_changed, "return-to-service QC passed",
            rts.recorded ? fmt::format("return-to-service QC session {} {}", rts.session_id,
                                       rts.content_changed ? "changed since it was closed" : "failed")
                         : "no passed return-to-service QC session recorded",
            "niikit test start --scanner ... --phase return-to-service");
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
    case S::specification: return leave_specification(g);
    case S::tender:
      g.record_or_document(g.facts.tender.evaluated_tender,
                           fmt::format("evaluation of tender {} completed", g.facts.tender.evaluated_tender),
                           "bid_evaluation", "approved bid evaluation");
      return g.record_or_document(g.facts.tender.awarded_tender,
                                  fmt::format("award decision recorded on tender {}", g.facts.tender.awarded_tender),
                                  "award_decision", "award decision");
    case S::contract:
      return g.record_or_document(g.facts.tender.contract, fmt::format("contract {} signed", g.facts.tender.contract),
                                  "contract", "signed contract");
    case S::fat: return leave_fat(g);
    case S::deployment: return leave_deployment(g);
    case S::sat: return leave_sat(g);
    case S::final_acceptance: return leave_final_acceptance(g);
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
