#include "app/services/demo_service.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "app/services/fleet_service.hpp"
#include "app/services/import_service.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"
#include "phantoms/generator/render.hpp"
#include "phantoms/generator/scan_files.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "db/database.hpp"

namespace niikit::services {

namespace fs = std::filesystem;

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

Status write_text(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + ".partial";
  {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) return fail(ErrorCode::io, fmt::format("{}: cannot write", temp.string()));
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) return fail(ErrorCode::io, fmt::format("{}: {}", path.string(), ec.message()));
  return {};
}

struct Demo {
  fs::path dir;
  db::Database db;
  DemoResult result;
  std::function<void(const DemoStep&)> on_step;

  void step(std::string title, std::string detail, bool ok = true) {
    result.steps.push_back({std::move(title), std::move(detail), ok});
    if (on_step) on_step(result.steps.back());
  }

  Result<std::string> import(ImportKind kind, const std::string& file, const char* text) {
    const fs::path path = dir / file;
    if (auto st = write_text(path, text); !st) return tl::unexpected(st.error());
    auto r = import_csv(db, "Efua Owusu", kind, path.string());
    if (!r) return tl::unexpected(r.error());
    if (!r->errors.empty()) return fail(ErrorCode::internal, "demo data rejected: " + r->errors.front().message);
    result.files.push_back({path.string(), fmt::format("input CSV, {} rows imported", r->stored)});
    return fmt::format("{} rows from {}", r->stored, path.filename().string());
  }

  Result<std::int64_t> document(const std::string& scanner, const std::string& kind, const std::string& title) {
    const fs::path path = dir / "documents" / fmt::format("{}-{}.txt", scanner, kind);
    if (auto st = write_text(path, fmt::format("{}\nScanner: {}\n(demo evidence document)\n", title, scanner)); !st)
      return tl::unexpected(st.error());
    auto d = add_document(db, "Kofi Boateng", {title, kind, path.string(), scanner, "", "Kofi Boateng"});
    if (!d) return tl::unexpected(d.error());
    result.files.push_back({path.string(), fmt::format("evidence document {} ({}), sha256 {}", d->id, kind,
                                                       d->sha256.substr(0, 12))});
    return d->id;
  }

  Status advance(const std::string& scanner, const std::string& to, const std::string& by, const std::string& note,
                 std::optional<std::int64_t> evidence = std::nullopt) {
    auto moved = advance_stage(db, {scanner, to, by, note, evidence});
    if (!moved) return tl::unexpected(moved.error());
    step(fmt::format("{} → {}", scanner, to),
         fmt::format("{}: decision {} by {} ({}): gate held ({} conditions)", moved->decision.decided_at_utc.substr(0, 10),
                     moved->decision.id, by, moved->decision.decided_role, moved->gate.conditions.size()));
    return {};
  }
};

// Sets the demo's clock to `days` before the real "now", so the history reads like one.
void days_ago(Demo& d, const Clock& now, int days) {
  d.db.set_clock(Clock(now.now() - std::chrono::days(days)));
}

Status procurement_story(Demo& d, const Clock& now) {
  days_ago(d, now, 300);
  auto s = add_scanner(d.db, "Kofi Boateng",
                       {{"asset_tag", "GH-TEM-03"}, {"manufacturer", "ScanCorp"}, {"model", "CX-6000 Portal"},
                        {"technology", "linac"}, {"energy_mev", "6"}, {"configuration", "portal"},
                        {"dual_energy", "yes"}, {"site", "Port of Tema"}, {"by", "Kofi Boateng"}});
  if (!s) return tl::unexpected(s.error());
  d.step("Register a new scanner", "GH-TEM-03 (ScanCorp CX-6000 Portal, 6 MeV linac) at stage needs");
  // A move without its evidence is refused, and says why.
  auto refused = advance_stage(d.db, {"GH-TEM-03", "specification", "Efua Owusu", "", std::nullopt});
  if (refused) return fail(ErrorCode::internal, "demo: gate should have refused");
  d.step("Try to approve needs without a business case", refused.error().message, false);
  days_ago(d, now, 285);
  auto bc = d.document("GH-TEM-03", "business_case", "Business case: second portal for Tema container terminal");
  if (!bc) return tl::unexpected(bc.error());
  if (auto st = d.advance("GH-TEM-03", "specification", "Ama Mensah", "needs approved", *bc); !st) return st;
  days_ago(d, now, 230);
  auto spec = d.document("GH-TEM-03", "specification", "Technical specification v1.0 (frozen)");
  if (!spec) return tl::unexpected(spec.error());
  if (auto st = d.advance("GH-TEM-03", "tender", "Kofi Boateng", "specification frozen", *spec); !st) return st;
  days_ago(d, now, 150);
  if (auto r = d.document("GH-TEM-03", "bid_evaluation", "Bid evaluation report, 3 bidders"); !r) return tl::unexpected(r.error());
  auto award = d.document("GH-TEM-03", "award_decision", "Award decision to ScanCorp");
  if (!award) return tl::unexpected(award.error());
  if (auto st = d.advance("GH-TEM-03", "contract", "Kofi Boateng", "awarded", *award); !st) return st;
  days_ago(d, now, 120);
  auto contract = d.document("GH-TEM-03", "contract", "Signed supply contract, 24-month warranty, 95 % availability");
  if (!contract) return tl::unexpected(contract.error());
  auto st = d.advance("GH-TEM-03", "fat", "Kofi Boateng", "contract signed", *contract);
  d.db.set_clock(now);
  return st;
}

Status operations_story(Demo& d) {
  auto refused = advance_stage(d.db, {"GH-TEM-02", "deployment", "Efua Owusu", "", std::nullopt});
  if (refused) return fail(ErrorCode::internal, "demo: FAT gate should have refused");
  d.step("Try to leave FAT without test records", refused.error().message, false);
  auto out = take_out_of_service(d.db, {"GH-KIA-01", "", "Efua Owusu", "conveyor belt motor failed", std::nullopt});
  if (!out) return tl::unexpected(out.error());
  d.step("Take GH-KIA-01 out of service", fmt::format("decision {}: {}", out->decision.id, out->decision.note));
  auto back = return_to_service(d.db, {"GH-KIA-01", "", "Efua Owusu", "motor replaced", std::nullopt});
  if (back) return fail(ErrorCode::internal, "demo: return-to-service gate should have refused");
  d.step("Try to return it to service before QC and survey", back.error().message, false);
  auto edited = edit_scanner(d.db, "Efua Owusu", "GH-TEM-01", {{"software_version", "4.3.0"}});
  if (!edited) return tl::unexpected(edited.error());
  d.step("Record a software upgrade", "GH-TEM-01 software 4.2.1 → 4.3.0 (audited)");
  return {};
}

// The ROI around the middle of the sharp edge's side that runs nearest to the scan direction
// (a near-vertical edge in the image: MTF across the scan), from the phantom geometry mapped by
// the render's own mm → px transform.
std::optional<testkits::RoiPx> edge_roi(const phantoms::Phantom& phantom, const phantoms::generator::Placement& place) {
  for (const auto& f : phantom.features) {
    const auto* edge = std::get_if<phantoms::SharpEdge>(&f.shape);
    if (!edge) continue;
    const auto c = edge->area.corners();
    for (std::size_t i = 0; i < c.size(); ++i) {
      const auto a = place.to_px(c[i]), b = place.to_px(c[(i + 1) % c.size()]);
      if (std::abs(b.y_px - a.y_px) < 2 * std::abs(b.x_px - a.x_px)) continue;   // not near-vertical
      const double cx = (a.x_px + b.x_px) / 2, cy = (a.y_px + b.y_px) / 2;
      const int half_h = static_cast<int>(std::abs(b.y_px - a.y_px) * 0.35), half_w = 30;
      return testkits::RoiPx{static_cast<int>(cx) - half_w, static_cast<int>(cy) - half_h, 2 * half_w, 2 * half_h};
    }
  }
  return std::nullopt;
}

// The scans FAT will be judged on: every shipped test object validates, and the cargo test
// object is rendered as the scanner at FAT would image it, with the forward model's truth.
Status imaging_story(Demo& d) {
  auto files = phantoms::list_phantom_files(phantoms::shipped_phantom_dir());
  if (!files) return tl::unexpected(files.error());
  std::string shipped;
  for (const auto& f : *files) {
    auto p = phantoms::load_phantom(f);
    if (!p) return tl::unexpected(p.error());
    shipped += fmt::format("{}{} ({} features)", shipped.empty() ? "" : ", ", p->id, p->features.size());
  }
  d.step("Validate the shipped test objects", shipped);

  auto cargo = phantoms::resolve_phantom("cargo-iec62523", phantoms::shipped_phantom_dir());
  if (!cargo) return tl::unexpected(cargo.error());
  phantoms::generator::RenderOptions options;   // defaults: fixed seed, supersampled, 16-bit
  options.beam = phantoms::generator::BeamPreset::dual_mev;
  options.rotation_deg = 2.5;                   // the object is never placed perfectly square
  options.shift_px_x = 14;
  options.shift_px_y = -9;
  auto scan = phantoms::generator::render_scan(*cargo, options);
  if (!scan) return tl::unexpected(scan.error());
  std::error_code ec;
  fs::create_directories(d.dir / "scans", ec);
  const auto image = d.dir / "scans" / "GH-TEM-03-fat-cargo.tiff";
  const auto truth = d.dir / "scans" / "GH-TEM-03-fat-cargo.truth.json";
  auto written = phantoms::generator::write_scan_files(*scan, {image.string(), "", truth.string()});
  if (!written) return tl::unexpected(written.error());
  auto check = testkits::read_dual_energy(image.string());   // read back what was written
  if (!check) return tl::unexpected(check.error());
  const auto& t = scan->truth;
  double penetrated_mm = 0;
  for (const auto& step : t.steps)
    if (!step.cnr.empty() && step.cnr[0] >= 5.0) penetrated_mm = std::max(penetrated_mm, step.step_thickness_mm);
  d.step("Render the FAT scan of the cargo test object",
         fmt::format("{} x {} px, dual energy {} (high/low pages), seed {}; the forward model expects steel "
                     "penetration {:g} mm (lead block CNR >= 5) and MTF50 {:.2f} lp/mm across the scan",
                     check->high.pixels.cols, check->high.pixels.rows, image.filename().string(), options.seed,
                     penetrated_mm, t.mtf_x.mtf50_cycles_per_px / t.mtf_x.pixel_mm));
  // Measure what the forward model promised: the slanted-edge MTF on the image just read back.
  if (auto roi = edge_roi(*cargo, t.placement)) {
    testkits::EdgeMtfOptions mtf_options;
    mtf_options.roi = *roi;
    mtf_options.pixel_mm_x = check->high.meta.pixel_mm_x;
    mtf_options.pixel_mm_y = check->high.meta.pixel_mm_y;
    auto mtf = testkits::measure_edge_mtf(check->high.pixels, mtf_options);
    if (!mtf) return tl::unexpected(mtf.error().with_context("demo edge MTF"));
    d.step("Measure the slanted-edge MTF on the rendered scan (niikit iq mtf)",
           fmt::format("ROI {}, edge at {:.2f}°: MTF50 {:.4f} cy/px measured vs {:.4f} from the forward model; "
                       "MTF20 {:.4f} vs {:.4f}",
                       testkits::to_string(*roi), mtf->edge_angle_deg, mtf->mtf50_cy_px.value_or(0),
                       t.mtf_x.mtf50_cycles_per_px, mtf->mtf20_cy_px.value_or(0), t.mtf_x.mtf20_cycles_per_px));
  }
  d.result.files.push_back({image.string(), "16-bit dual-energy TIFF of the cargo test object (2 pages)"});
  d.result.files.push_back({truth.string(), fmt::format("truth: transform, {} regions, {} penetration steps, MTF",
                                                        t.regions.size(), t.steps.size())});
  return {};
}

}  // namespace

Result<DemoResult> run_demo(const std::string& out_dir, const Clock& clock,
                            const std::function<void(const DemoStep&)>& on_step) {
  std::error_code ec;
  const fs::path dir(out_dir);
  fs::create_directories(dir / "documents", ec);
  if (ec) return fail(ErrorCode::io, fmt::format("{}: cannot create ({})", out_dir, ec.message()));
  const fs::path db_path = dir / "niikit-demo.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix, ec);
  auto db = db::Database::open_ready(db_path.string(), db::OpenMode::create, clock);
  if (!db) return tl::unexpected(db.error());
  Demo d{dir, std::move(*db), {}, on_step};
  d.result.database_path = db_path.string();
  d.step("Create the database", fmt::format("{} (schema version {})", db_path.string(),
                                            db::embedded_migrations().back().version));
  for (auto [kind, file, text, title] :
       {std::tuple{ImportKind::sites, "sites.csv", demo_sites, "Import sites"},
        std::tuple{ImportKind::people, "people.csv", demo_people, "Import people"},
        std::tuple{ImportKind::scanners, "fleet.csv", demo_fleet, "Import the existing fleet at its real stages"}}) {
    auto r = d.import(kind, file, text);
    if (!r) return tl::unexpected(r.error());
    d.step(title, *r);
  }
  if (auto st = procurement_story(d, clock); !st) return tl::unexpected(st.error());
  if (auto st = imaging_story(d); !st) return tl::unexpected(st.error());
  if (auto st = operations_story(d); !st) return tl::unexpected(st.error());
  auto audit = d.db.read([](SQLite::Database& sql) { return db::verify_audit(sql); });
  if (!audit) return tl::unexpected(audit.error());
  d.step("Verify the audit trail", fmt::format("{} entries chained, {} records reconciled: {}", audit->entries,
                                               audit->records_checked, audit->ok() ? "intact" : "BROKEN"),
         audit->ok());
  d.result.files.insert(d.result.files.begin(),
                        {db_path.string(), fmt::format("SQLite database, {} audit entries", audit->entries)});
  return d.result;
}

}  // namespace niikit::services
