#include "app/domain/permissions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace niikit::domain {

namespace {

Permission anyone(std::string action) { return {std::move(action), Audience::anyone, {}, "reads or analyses only"}; }

Permission person(std::string action, std::string why) {
  return {std::move(action), Audience::any_person, {}, std::move(why)};
}

Permission by(std::string action, std::vector<std::string> roles, std::string why) {
  return {std::move(action), Audience::roles, std::move(roles), std::move(why)};
}

std::vector<Permission> build() {
  std::vector<Permission> t;
  // Reads, image analysis, definitions and help: no acting person needed.
  for (const char* a :
       {"fleet", "scanner.list", "scanner.show", "site.list", "site.show", "person.list", "person.show",
        "document.list", "document.show", "stage.list", "stage.check", "test.show", "test.list", "test.keys",
        "rad.licence.status", "rad.licence.list", "rad.licence.show", "rad.source.list", "rad.source.show",
        "rad.meter.list", "rad.survey.show", "rad.survey.list", "rad.due", "rad.settings.show", "procurement.list",
        "procurement.show", "spec.export", "spec.show", "spec.catalogue", "audit.verify", "audit.log",
        "phantom.list", "phantom.show", "phantom.validate", "phantom.render", "image.info", "iq.mtf", "iq.roi",
        "iq.nps", "iq.neq", "iq.steps", "iq.bars", "iq.uniformity", "iq.wire", "iq.material", "iq.analyze",
        "kit.list", "kit.show", "report.acceptance", "report.trend", "report.survey", "db.init", "db.migrate",
        "db.check", "db.backup", "demo"})
    t.push_back(anyone(a));
  t.push_back(by("rad.dose.summary", {"rso", "manager"}, "staff dose records are personal data"));

  // Registry.
  for (const char* a : {"site.add", "site.edit", "site.import"})
    t.push_back(by(a, {"manager"}, "sites are the administration's own organisation"));
  for (const char* a : {"person.add", "person.edit", "person.import"})
    t.push_back({a, Audience::bootstrap, {"manager"},
                 "people and their roles decide who may act; the first person may be added by anyone"});
  for (const char* a : {"scanner.add", "scanner.edit", "scanner.import"})
    t.push_back(by(a, {"manager", "procurement"}, "the asset register is kept by management and procurement"));
  t.push_back(person("document.add", "anyone registered may file evidence; the audit log names them"));
  t.push_back(person("document.edit", "anyone registered may correct a document's title or links"));

  // Lifecycle decisions.
  t.push_back(by("stage.advance", {"manager"}, "stage decisions are management decisions"));
  t.push_back(by("stage.return", {"manager"}, "returning a scanner to service is a management decision"));
  t.push_back(by("stage.out-of-service", {"manager", "engineer", "rso"},
                 "whoever finds a scanner unsafe or broken must be able to stop it"));

  // Acceptance sessions.
  for (const char* a : {"test.start", "test.kit", "test.measure", "test.close", "test.deviation.add"})
    t.push_back(by(a, {"engineer"}, "test sessions are run by test engineers"));
  t.push_back(by("test.deviation.close", {"engineer", "manager"}, "a resolved deviation is closed by engineering"));
  t.push_back(by("test.deviation.waive", {"engineer", "manager"}, "minor deviations may be waived by engineering"));
  t.push_back(by("test.deviation.waive.major", {"manager"}, "waiving a mandatory requirement is a management decision"));
  t.push_back(person("test.sign", "the meaning of the signature decides the role (test.sign.*)"));
  t.push_back(by("test.sign.tester", {"engineer"}, "the tester is the engineer who ran the tests"));
  t.push_back(by("test.sign.witness", {"engineer", "rso", "manager", "procurement"},
                 "witnesses are the administration's staff"));
  t.push_back(by("test.sign.vendor", {"vendor"}, "only the vendor's representative acknowledges for the vendor"));
  t.push_back(by("test.sign.approver", {"manager"}, "approval is a management decision"));

  // Radiation safety.
  for (const char* a : {"rad.licence.add", "rad.licence.link", "rad.source.add", "rad.source.leak-test",
                        "rad.source.transfer", "rad.meter.add", "rad.meter.calibrate", "rad.survey.add",
                        "rad.survey.point.add", "rad.survey.import", "rad.survey.close", "rad.dose.import",
                        "rad.settings.set"})
    t.push_back(by(a, {"rso"}, "radiation records are kept by the radiation safety officer"));
  t.push_back(by("rad.enforce", {"rso", "manager"}, "enforcing licence lapses takes scanners out of service"));

  // Users, credentials and signatures (issue 16).
  for (const char* a : {"user.list", "user.keys", "login", "logout"}) t.push_back(anyone(a));
  t.push_back(by("user.add", {"manager"}, "accounts decide who can sign; management grants them"));
  t.push_back(by("user.disable", {"manager"}, "management withdraws accounts"));
  t.push_back(by("user.enable", {"manager"}, "management restores accounts"));
  t.push_back(person("user.passwd", "people change their own password (the old one is required)"));
  t.push_back(person("user.token.add", "people create API tokens for their own scripts, within their roles"));
  t.push_back(person("user.token.revoke", "people revoke their own API tokens"));

  // Procurement.
  for (const char* a : {"procurement.add", "procurement.link"})
    t.push_back(by(a, {"procurement", "manager"}, "procurement projects are run by procurement"));
  t.push_back(by("spec.import", {"procurement"}, "specifications are written by procurement"));
  t.push_back(by("spec.freeze", {"procurement", "manager"},
                 "freezing a specification is procurement's decision (or the budget holder's)"));

  // Tenders to contract (issue 14). Committee membership and the role on the committee (chair,
  // evaluator) are checked by the tender service on top of these rows.
  for (const char* a : {"needs.show", "tender.list", "tender.show", "tender.ocds", "contract.show"}) t.push_back(anyone(a));
  t.push_back(by("needs.add", {"procurement", "manager"}, "needs and the business case are prepared by procurement"));
  t.push_back(by("needs.approve", {"manager"}, "the budget holder approves needs"));
  for (const char* a : {"tender.add", "tender.lot", "tender.criteria", "tender.committee", "tender.publish",
                        "tender.cancel", "tender.ask", "tender.answer", "tender.open", "tender.complaint",
                        "tender.resolve"})
    t.push_back(by(a, {"procurement", "manager"}, "tenders are run by procurement"));
  t.push_back(by("bid.submit", {"procurement"}, "bids received are recorded by the procurement officer"));
  const std::vector<std::string> staff{"procurement", "engineer", "rso", "manager"};
  t.push_back(by("tender.declare", staff, "committee members are the administration's staff, never a vendor"));
  t.push_back(by("tender.score", staff, "evaluators are the administration's staff on the committee"));
  t.push_back(by("tender.scores", staff, "scores are read by the committee (each evaluator only their own before the lock)"));
  t.push_back(by("tender.prices", staff, "prices are read by the committee once technical scoring is locked"));
  t.push_back(by("tender.rank", staff, "the ranking is the committee's, once technical scoring is locked"));
  t.push_back(by("tender.report", staff, "the evaluation report holds every evaluator's scores: the committee's"));
  for (const char* a : {"tender.lock", "tender.moderate", "tender.evaluate"})
    t.push_back(by(a, {"procurement", "manager"}, "the committee chair (procurement) steers the evaluation"));
  t.push_back(by("tender.award", {"manager"}, "the award is a management decision"));
  t.push_back(by("contract.sign", {"procurement", "manager"}, "contracts are recorded by procurement"));
  t.push_back(by("contract.milestone", {"procurement", "manager"}, "contract milestones are tracked by procurement"));
  return t;
}

}  // namespace

const std::vector<Permission>& permission_table() {
  static const std::vector<Permission> table = build();
  return table;
}

const Permission* find_permission(std::string_view action) {
  const auto& t = permission_table();
  auto it = std::find_if(t.begin(), t.end(), [&](const Permission& p) { return p.action == action; });
  return it == t.end() ? nullptr : &*it;
}

std::string describe_roles(const Permission& p) {
  switch (p.audience) {
    case Audience::anyone: return "anyone";
    case Audience::any_person: return "any registered person";
    case Audience::roles:
    case Audience::bootstrap: break;
  }
  std::string out;
  for (std::size_t i = 0; i < p.roles.size(); ++i)
    out += (i == 0 ? "" : i + 1 == p.roles.size() ? " or " : ", ") + p.roles[i];
  return out;
}

Status permits(const Actor& actor, std::string_view action) {
  const auto* p = find_permission(action);
  if (!p) return fail(ErrorCode::internal, fmt::format("action '{}' has no row in the permission table", action));
  if (p->audience == Audience::anyone || p->audience == Audience::any_person) return {};
  for (const auto& role : p->roles)
    if (actor.holds(role)) return {};
  std::string held;
  for (const auto& r : actor.roles) held += (held.empty() ? "" : ", ") + r;
  return fail(ErrorCode::forbidden, fmt::format("{}: {} acts as {}, but this needs {} ({})", action, actor.name,
                                                held.empty() ? "no role" : held, describe_roles(*p), p->why));
}

}  // namespace niikit::domain
