#include "app/services/demo_story.hpp"

#include "core/atomic_file.hpp"

#include <fmt/format.h>

#include <fstream>

#include "app/services/lifecycle_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/registry_service.hpp"

namespace niikit::services::demo {

namespace {

const char* demo_sites =
    "name,country,site_type\n"
    "Port of Tema,GH,seaport\n"
    "Aflao border post,GH,land_border\n"
    "Kotoka airport cargo,GH,airport\n";

const char* demo_people =
    "name,role,organisation,email\n"
    "Ama Mensah,manager,Customs HQ,ama.mensah@customs.example\n"
    "Kofi Boateng,procurement,Customs HQ,kofi.boateng@customs.example\n"
    "Efua Owusu,engineer,NII unit,efua.owusu@customs.example\n"
    "Yaw Asante,rso,Radiation safety office,yaw.asante@customs.example\n"
    "Lena Fischer,vendor,ScanCorp GmbH,lena.fischer@scancorp.example\n";

// Five scanners at the stages they are really in: the import records each as a decision.
const char* demo_fleet =
    "asset_tag,manufacturer,model,serial,technology,energy_mev,configuration,dual_energy,software_version,"
    "firmware_version,site,stage,stage_since,note,by\n"
    "GH-TEM-01,ScanCorp,CX-6000 Portal,SC-60-0117,linac,6,portal,yes,4.2.1,1.9,Port of Tema,in_service,2022-03-14,"
    "in service since 2022,Ama Mensah\n"
    "GH-TEM-02,ScanCorp,CX-4500 Gantry,SC-45-0342,linac,4.5,gantry,yes,4.1.0,1.8,Port of Tema,fat,2026-10-02,"
    "factory tests scheduled,Kofi Boateng\n"
    "GH-AFL-01,RayWorks,MobileRay 2.5,RW-25-0871,betatron,2.5,mobile,no,2.7,3.1,Aflao border post,deployment,"
    "2026-08-20,site works under way,Kofi Boateng\n"
    "GH-KIA-01,Bagtek,XB-100100,BT-1001-22,xray_tube,0.16,cabinet,yes,7.0.3,7.0,Kotoka airport cargo,in_service,"
    "2019-06-01,,Ama Mensah\n"
    "GH-KIA-02,Bagtek,PX-Lite,BT-PX-0093,xray_tube,0.15,portable,no,1.2,1.0,Kotoka airport cargo,in_service,"
    "2024-01-10,,Ama Mensah\n";

}  // namespace

Status write_text(const fs::path& path, const std::string& text) { return write_file_atomically(path.string(), text); }

Result<Context*> Demo::as(const std::string& name) {
  if (auto actor = ctx.act_as_person(name); !actor) return tl::unexpected(actor.error());
  return &ctx;
}

void Demo::step(std::string title, std::string detail, bool ok) {
  result.steps.push_back({std::move(title), std::move(detail), ok});
  if (on_step) on_step(result.steps.back());
}

Result<std::string> Demo::import(ImportKind kind, const std::string& file, const char* text) {
  const fs::path path = dir / file;
  if (auto st = write_text(path, text); !st) return tl::unexpected(st.error());
  auto r = import_csv(db(), "Efua Owusu", kind, path.string());
  if (!r) return tl::unexpected(r.error());
  if (!r->errors.empty()) return fail(ErrorCode::internal, "demo data rejected: " + r->errors.front().message);
  result.files.push_back({path.string(), fmt::format("input CSV, {} rows imported", r->stored)});
  return fmt::format("{} rows from {}", r->stored, path.filename().string());
}

Result<std::int64_t> Demo::document(const std::string& scanner, const std::string& kind, const std::string& title) {
  const fs::path path = dir / "documents" / fmt::format("{}-{}.txt", scanner, kind);
  if (auto st = write_text(path, fmt::format("{}\nScanner: {}\n(demo evidence document)\n", title, scanner)); !st)
    return tl::unexpected(st.error());
  auto d = add_document(db(), ctx.evidence(), "Kofi Boateng", {title, kind, path.string(), scanner, "", "Kofi Boateng"});
  if (!d) return tl::unexpected(d.error());
  result.files.push_back({path.string(), fmt::format("evidence document {} ({}), sha256 {}", d->id, kind,
                                                     d->sha256.substr(0, 12))});
  return d->id;
}

Status Demo::advance(const std::string& scanner, const std::string& to, const std::string& by, const std::string& note,
               std::optional<std::int64_t> evidence) {
  auto moved = advance_stage(db(), {scanner, to, by, note, evidence});
  if (!moved) return tl::unexpected(moved.error());
  step(fmt::format("{} → {}", scanner, to),
       fmt::format("{}: decision {} by {} ({}): gate held ({} conditions)", moved->decision.decided_at_utc.substr(0, 10),
                   moved->decision.id, by, moved->decision.decided_role, moved->gate.conditions.size()));
  return {};
}
void days_ago(Demo& d, const Clock& now, int days) {
  d.ctx.set_clock(Clock(now.now() - std::chrono::days(days)));
}

Status import_story(Demo& d) {
  for (auto [kind, file, text, title] :
       {std::tuple{ImportKind::sites, "sites.csv", demo_sites, "Import sites"},
        std::tuple{ImportKind::people, "people.csv", demo_people, "Import people"},
        std::tuple{ImportKind::scanners, "fleet.csv", demo_fleet, "Import the existing fleet at its real stages"}}) {
    auto r = d.import(kind, file, text);
    if (!r) return tl::unexpected(r.error());
    d.step(title, *r);
  }
  return {};
}

Status procurement_story(Demo& d, const Clock& now) {
  days_ago(d, now, 300);
  auto s = add_scanner(d.db(), "Kofi Boateng",
                       {{"asset_tag", "GH-TEM-03"}, {"manufacturer", "ScanCorp"}, {"model", "CX-6000 Portal"},
                        {"technology", "linac"}, {"energy_mev", "6"}, {"configuration", "portal"},
                        {"dual_energy", "yes"}, {"serial", "SC-60-0231"}, {"software_version", "4.3.0"},
                        {"firmware_version", "2.0"}, {"site", "Port of Tema"}, {"by", "Kofi Boateng"}});
  if (!s) return tl::unexpected(s.error());
  d.step("Register a new scanner", "GH-TEM-03 (ScanCorp CX-6000 Portal, 6 MeV linac) at stage needs");
  // A move without its evidence is refused, and says why.
  auto refused = advance_stage(d.db(), {"GH-TEM-03", "specification", "Efua Owusu", "", std::nullopt});
  if (refused) return fail(ErrorCode::internal, "demo: gate should have refused");
  d.step("Try to approve needs without a business case", refused.error().message, false);
  days_ago(d, now, 285);
  auto bc = d.document("GH-TEM-03", "business_case", "Business case: second portal for Tema container terminal");
  if (!bc) return tl::unexpected(bc.error());
  if (auto st = d.advance("GH-TEM-03", "specification", "Ama Mensah", "needs approved", *bc); !st) return st;
  days_ago(d, now, 230);
  auto procurement = create_procurement_with_cargo_catalogue(d.db(), "Kofi Boateng", "GRA-NII-2026-01",
                                                             "Second container portal for Tema", "GH-TEM-03",
                                                             "Kofi Boateng");
  if (!procurement) return tl::unexpected(procurement.error());
  int mandatory = 0;
  for (const auto& r : procurement->requirements) mandatory += r.mandatory ? 1 : 0;
  d.step("Write and freeze the specification (niikit procurement add, spec import, spec freeze)",
         fmt::format("{}: {} requirements from the cargo catalogue ({} mandatory), version {} frozen, SHA-256 {}…",
                     procurement->procurement.reference, procurement->requirements.size(), mandatory,
                     procurement->specification.version, procurement->specification.requirements_sha256.substr(0, 12)));
  auto spec = d.document("GH-TEM-03", "specification", "Technical specification v1 (frozen)");
  if (!spec) return tl::unexpected(spec.error());
  if (auto st = d.advance("GH-TEM-03", "tender", "Kofi Boateng", "specification frozen", *spec); !st) return st;
  std::vector<std::string> mandatory_ids;
  for (const auto& r : procurement->requirements)
    if (r.mandatory) mandatory_ids.push_back(r.id);
  auto st = tender_chapter(d, now, procurement->procurement.reference, mandatory_ids);
  d.ctx.set_clock(now);
  return st;
}

Status operations_story(Demo& d) {
  auto refused = advance_stage(d.db(), {"GH-TEM-02", "deployment", "Efua Owusu", "", std::nullopt});
  if (refused) return fail(ErrorCode::internal, "demo: FAT gate should have refused");
  d.step("Try to leave FAT without test records", refused.error().message, false);
  auto out = take_out_of_service(d.db(), {"GH-KIA-01", "", "Efua Owusu", "conveyor belt motor failed", std::nullopt});
  if (!out) return tl::unexpected(out.error());
  d.step("Take GH-KIA-01 out of service", fmt::format("decision {}: {}", out->decision.id, out->decision.note));
  auto back = return_to_service(d.db(), {"GH-KIA-01", "", "Efua Owusu", "motor replaced", std::nullopt});
  if (back) return fail(ErrorCode::internal, "demo: return-to-service gate should have refused");
  d.step("Try to return it to service before QC and survey", back.error().message, false);
  auto edited = edit_scanner(d.db(), "Efua Owusu", "GH-TEM-01", {{"software_version", "4.3.0"}});
  if (!edited) return tl::unexpected(edited.error());
  d.step("Record a software upgrade", "GH-TEM-01 software 4.2.1 → 4.3.0 (audited)");
  return {};
}

}  // namespace niikit::services::demo
