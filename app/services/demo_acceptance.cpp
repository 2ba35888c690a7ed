// The demo's acceptance chapter (issue 7): GH-TEM-03 goes from FAT to service. The FAT scan is
// rendered with the linac derated, so steel penetration fails its requirement and the session
// raises a major deviation; the vendor retunes, a retest passes and closes it. Deployment
// records the licence and a passed commissioning survey; SAT runs the same kit on a site scan;
// final acceptance hands the scanner over. Every report is written to DIR/reports.
#include <fmt/format.h>

#include <filesystem>

#include "core/time_format.hpp"
#include "app/services/acceptance_report.hpp"
#include "app/services/acceptance_service.hpp"
#include "app/services/crypto.hpp"
#include "app/services/demo_story.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/radiation_service.hpp"
#include "app/services/survey_report.hpp"
#include "app/services/user_service.hpp"
#include "core/atomic_file.hpp"
#include "phantoms/generator/render.hpp"
#include "phantoms/generator/scan_files.hpp"
#include "phantoms/phantom_dir.hpp"
#include "reports/writers.hpp"

namespace niikit::services::demo {

namespace {

constexpr const char* kScanner = "GH-TEM-03";
// The administration's independent witness at FAT and SAT (the engineer runs the sessions).
constexpr const char* kWitness = "Kofi Boateng";

// A cargo scan of the shipped test object as this dual-energy portal images it (the generator's
// dual-MeV beam, whose material calibration the cargo kit ships), `dose` photons per pixel in air.
Result<fs::path> render_cargo_scan(Demo& d, const std::string& name, double dose, std::uint64_t seed,
                                   double rotation_deg, double shift_x, double shift_y) {
  auto cargo = phantoms::resolve_phantom("cargo-iec62523", phantoms::shipped_phantom_dir());
  if (!cargo) return tl::unexpected(cargo.error());
  phantoms::generator::RenderOptions options;
  options.beam = phantoms::generator::BeamPreset::dual_mev;
  options.dose_photons = dose;
  options.seed = seed;
  options.rotation_deg = rotation_deg;
  options.shift_px_x = shift_x;
  options.shift_px_y = shift_y;
  auto scan = phantoms::generator::render_scan(*cargo, options);
  if (!scan) return tl::unexpected(scan.error());
  std::error_code ec;
  fs::create_directories(d.dir / "scans", ec);
  const auto image = d.dir / "scans" / (name + ".tiff");
  const auto truth = d.dir / "scans" / (name + ".truth.json");
  auto written = phantoms::generator::write_scan_files(*scan, {image.string(), "", truth.string()});
  if (!written) return tl::unexpected(written.error());
  d.file(image, fmt::format("16-bit dual-energy TIFF (2 pages), {} photons/px in air, seed {}", dose, seed));
  d.file(truth, "forward-model truth of the scan above");
  return image;
}

Result<db::KitRun> kit_run(Demo& d, std::int64_t session, const fs::path& image, const std::string& by) {
  KitRunRequest request;
  request.session_id = session;
  request.kit_id = "cargo";
  request.image_path = image.string();
  request.overlay_path = (image.parent_path() / (image.stem().string() + ".overlay.png")).string();
  request.by = by;
  auto run = add_kit_run(d.db(), request);
  if (!run) return tl::unexpected(run.error().with_context("demo kit run on " + image.filename().string()));
  d.file(request.overlay_path, "annotated scan: every ROI the cargo kit measured, coloured by verdict");
  std::string values;
  for (const auto& m : run->measurements)
    if (m.metric_key == "cargo.penetration.steel_mm" || m.metric_key == "cargo.mtf.mtf20_x_lp_mm" ||
        m.metric_key == "cargo.wire.cu_in_air_mm")
      values += fmt::format("{}{} = {:g} {}", values.empty() ? "" : ", ", m.metric_key, m.value, m.unit);
  d.step(fmt::format("Run the cargo kit on {} (niikit test kit)", image.filename().string()),
         fmt::format("kit run {}: {} metric values stored with the image SHA-256 {}…; {}", run->run.id,
                     run->measurements.size(), run->run.image_sha256.substr(0, 12), values));
  return run->run;
}

struct Manual {
  const char* key;
  double value;
  const char* unit;
  const char* instrument;
  const char* note;
};

Status measure(Demo& d, std::int64_t session, const std::vector<Manual>& values, const std::string& by) {
  for (const auto& m : values) {
    auto r = add_measurement(d.db(), {session, m.key, m.value, m.unit, m.instrument, "", m.note, by});
    if (!r) return tl::unexpected(r.error().with_context("demo measurement"));
  }
  return {};
}

std::string close_summary(const CloseOutcome& c) {
  std::string s = fmt::format("session {} closed: verdict {}", c.session.id, c.session.verdict.value_or("?"));
  int pass = 0, failed = 0, missing = 0;
  for (const auto& r : c.results)
    (r.verdict == domain::Verdict::pass ? pass : r.verdict == domain::Verdict::fail ? failed : missing)++;
  s += fmt::format(" ({} requirements passed, {} failed, {} not measured)", pass, failed, missing);
  for (const auto& r : c.results)
    if (r.verdict == domain::Verdict::fail) s += fmt::format("; {} failed: {}", r.requirement.id, r.reason);
  for (const auto& v : c.raised)
    s += fmt::format("; deviation {} raised ({}, {})", v.id, v.severity, v.requirement_id);
  for (const auto& v : c.closed_by_retest) s += fmt::format("; deviation {} closed by this retest", v.id);
  return s;
}

// Writes the newest session of `phase` as every format; returns the PDF's path.
Result<fs::path> write_acceptance_reports(Demo& d, const std::string& phase,
                                          const std::vector<reports::Format>& formats) {
  auto report = build_acceptance_report(d.db(), {kScanner, phase, std::nullopt}, format_utc(d.db().clock().now()));
  if (!report) return tl::unexpected(report.error());
  fs::path pdf;
  int rows = 0;
  for (const auto& s : report->sections)
    for (const auto& b : s.blocks)
      if (const auto* t = std::get_if<reports::Table>(&b); t && s.title.rfind("Requirements", 0) == 0)
        rows = static_cast<int>(t->rows.size());
  for (auto format : formats) {
    const auto path = d.dir / "reports" / fmt::format("{}-{}-acceptance.{}", kScanner, phase, reports::to_string(format));
    if (auto st = reports::write_report(*report, format, path.string(), reports::default_template_dir()); !st)
      return tl::unexpected(st.error());
    d.file(path, fmt::format("{} ({}): {} requirements judged, verdict {}, {} signatures", report->title,
                             reports::to_string(format), rows,
                             report->overall_verdict ? reports::to_string(*report->overall_verdict) : "none",
                             report->signatures.size()));
    if (format == reports::Format::pdf) pdf = path;
  }
  return pdf;
}

// The people who sign acceptance sessions get user accounts before the first signature, so
// every signature the demo makes is an Ed25519 signature with the signer's own key (issue 16).
// Their passwords are written to DIR/passwords/USER.password (mode 0600).
Status signer_accounts(Demo& d) {
  const std::vector<std::pair<std::string, std::string>> people{{"Ama Mensah", "ama"},     {"Efua Owusu", "efua"},
                                                                {"Kofi Boateng", "kofi"},  {"Lena Fischer", "lena"},
                                                                {"Yaw Asante", "yaw"}};
  if (auto admin = d.as("Ama Mensah"); !admin) return tl::unexpected(admin.error());
  std::error_code ec;
  fs::create_directories(d.dir / "passwords", ec);
  std::string names;
  for (const auto& [person, username] : people) {
    const std::string password = "demo-" + crypto::random_token().substr(0, 20);
    const auto file = d.dir / "passwords" / (username + ".password");
    if (auto st = write_file_atomically(file.string(), password + "\n", nullptr, 0600); !st) return st;
    auto user = add_user(d.ctx, {person, username, password});
    if (!user) return tl::unexpected(user.error().with_context("demo user " + username));
    d.passwords[person] = password;
    names += fmt::format("{}{} ({}, key {})", names.empty() ? "" : ", ", username, person,
                         crypto::key_fingerprint(user->public_key));
  }
  d.step("Give the people who sign user accounts (niikit user add)",
         fmt::format("{}; each has an Ed25519 key sealed under their password (in {}), so only they can sign",
                     names, (d.dir / "passwords").string()));
  return {};
}

Status sign_all(Demo& d, std::int64_t session, const std::vector<std::pair<std::string, std::string>>& who) {
  std::string names;
  for (const auto& [person, role] : who) {
    auto as = d.as(person);
    if (!as) return tl::unexpected(as.error());
    const std::string password = d.passwords[person];
    d.ctx.password_source = [password](const std::string&) -> Result<std::string> { return password; };
    auto key = unlock_signing_key(d.ctx, fmt::format("session {} as {}", session, role));
    d.ctx.password_source = nullptr;
    if (!key) return tl::unexpected(key.error().with_context("demo signature"));
    const KeySigner signer{std::move(key->first), std::move(key->second)};
    auto s = sign_session(d.db(), session, person, role, &signer);
    if (!s) return tl::unexpected(s.error().with_context("demo signature"));
    names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", person, role);
  }
  auto checked = verify_signatures(d.db(), session);
  if (!checked) return tl::unexpected(checked.error());
  int keyed = 0;
  for (const auto& c : *checked) keyed += c.valid && !c.key_fingerprint.empty() ? 1 : 0;
  d.step(fmt::format("Sign session {} (niikit test sign, each signer's password)", session),
         fmt::format("{}; {} of {} signatures verify as Ed25519 signatures over the session's content hash", names,
                     keyed, checked->size()),
         keyed == static_cast<int>(checked->size()));
  return {};
}

Status fat_chapter(Demo& d, const Clock& now) {
  const std::string engineer = "Efua Owusu";
  days_ago(d, now, 110);
  auto own = start_session(d.db(), {kScanner, "fat", "ScanCorp factory, Bremen", {engineer}, engineer, std::nullopt});
  if (own) return fail(ErrorCode::internal, "demo: a tester witnessing their own session should be refused");
  d.step("Try to witness one's own test session", own.error().message, false);
  auto first = start_session(d.db(), {kScanner, "fat", "ScanCorp factory, Bremen", {kWitness, "Lena Fischer"},
                                      engineer, std::nullopt});
  if (!first) return tl::unexpected(first.error());
  d.step("Start the factory acceptance test (niikit test start)",
         fmt::format("session {} at {}, run by {}, witnesses {} and Lena Fischer; {} requirements of specification "
                     "v{} apply",
                     first->id, first->location, engineer, kWitness, "the cargo catalogue's",
                     first->specification_version.value_or(0)));
  // The linac runs derated on the first factory day: too few photons to see through 300 mm.
  auto derated = render_cargo_scan(d, "GH-TEM-03-fat-day1", 3.0e3, 11, 2.5, 14, -9);
  if (!derated) return tl::unexpected(derated.error());
  if (auto r = kit_run(d, first->id, *derated, engineer); !r) return tl::unexpected(r.error());
  auto typed = add_measurement(d.db(), {first->id, "cargo.penetration.steel_mm", 500, "mm", "tape measure", "",
                                        "vendor says the kit under-reads", engineer});
  if (typed) return fail(ErrorCode::internal, "demo: a typed value over a kit's measurement should be refused");
  d.step("Try to type over the kit's steel penetration (niikit test measure)", typed.error().message, false);
  const std::vector<Manual> fat_manual{
      {"radiation.dose_rate.boundary_usv_h", 1.6, "uSv/h", "Thermo RadEye G-10", "highest of 8 boundary points"},
      {"radiation.dose_rate.operator_usv_h", 0.12, "uSv/h", "Thermo RadEye G-10", "control cabin, net of background"},
      {"radiation.dose.driver_per_scan_usv", 0.04, "uSv", "Thermo RadEye G-10", "cab position, driver-protect mode"},
      {"radiation.dose.cargo_per_scan_usv", 18, "uSv", "Mirion DMC 3000", "dosimeter in an empty container"},
      {"software.uff_export", 1, "bool", "", "UFF 2.0 file opened in the WCO reference viewer"},
      {"software.image_bit_depth", 16, "bit", "", "TIFF export inspected with niikit image info"},
      {"software.operator_audit_log", 1, "bool", "", "log lists log-in, scan, export"},
      {"functional.interlocks", 1, "bool", "", "6 door interlocks each stop the beam"},
      {"functional.emergency_stops", 1, "bool", "", "4 e-stops each stop the beam"},
      {"functional.warning_lights", 1, "bool", "", "beam-on lights at both portal ends"},
  };
  if (auto st = measure(d, first->id, fat_manual, engineer); !st) return st;
  d.step("Record the factory's manual checks (niikit test measure)",
         fmt::format("{} values: dose rates, dose per scan, UFF export, bit depth, audit log, interlocks, e-stops, "
                     "warning lights",
                     fat_manual.size()));
  auto closed = close_session(d.db(), first->id, engineer);
  if (!closed) return tl::unexpected(closed.error());
  d.step("Close the first FAT session: it fails, as the derated linac makes it (niikit test close)",
         close_summary(*closed));
  auto refused = advance_stage(d.db(), {kScanner, "deployment", "Ama Mensah", "FAT done?", std::nullopt});
  if (refused) return fail(ErrorCode::internal, "demo: the FAT gate should refuse with an open major deviation");
  d.step("Try to leave FAT with the deviation open", refused.error().message, false);

  days_ago(d, now, 104);
  auto retest = start_session(d.db(), {kScanner, "fat", "ScanCorp factory, Bremen", {kWitness, "Lena Fischer"},
                                     engineer, first->id});
  if (!retest) return tl::unexpected(retest.error());
  auto full = render_cargo_scan(d, "GH-TEM-03-fat-retest", 4.0e5, 12, -3.0, -6, 11);
  if (!full) return tl::unexpected(full.error());
  if (auto r = kit_run(d, retest->id, *full, engineer); !r) return tl::unexpected(r.error());
  auto passed = close_session(d.db(), retest->id, engineer);
  if (!passed) return tl::unexpected(passed.error());
  d.step(fmt::format("Retest after the vendor retuned the linac (session {}, retest of {})", retest->id, first->id),
         close_summary(*passed), passed->session.verdict == "pass");
  if (auto st = sign_all(d, retest->id, {{engineer, "tester"}, {kWitness, "witness"}, {"Lena Fischer", "vendor"},
                                         {"Ama Mensah", "approver"}});
      !st)
    return st;
  std::error_code ec;
  fs::create_directories(d.dir / "reports", ec);
  auto pdf = write_acceptance_reports(d, "fat", {reports::Format::pdf, reports::Format::xlsx, reports::Format::html,
                                                 reports::Format::json});
  if (!pdf) return tl::unexpected(pdf.error());
  auto doc = add_document(d.db(), d.ctx.evidence(), engineer, {"FAT report (signed)", "fat_report", pdf->string(), kScanner, "", engineer});
  if (!doc) return tl::unexpected(doc.error());
  return d.advance(kScanner, "deployment", "Ama Mensah", "FAT passed on retest, signed", doc->id);
}

Status deployment_chapter(Demo& d, const Clock& now) {
  days_ago(d, now, 80);
  auto install = d.document(kScanner, "installation_certificate", "Installation certificate, lane 3 Tema terminal");
  if (!install) return tl::unexpected(install.error());
  if (auto t = d.document(kScanner, "training_record", "Operator training, 12 officers"); !t)
    return tl::unexpected(t.error());
  auto rad = rad::record_demo_radiation(d.db(), kScanner, "Yaw Asante", format_date(d.db().clock().now()));
  if (!rad) return tl::unexpected(rad.error());
  d.step("Licence, survey meter and commissioning survey (niikit rad ...)",
         fmt::format("licence {}, meter {} in calibration, commissioning survey {}: {}", rad->licence_id, rad->meter_id,
                     rad->survey_id, rad->verdict));
  auto survey = rad::build_survey_report(d.db(), rad->survey_id, format_utc(d.db().clock().now()));
  if (!survey) return tl::unexpected(survey.error());
  for (auto format : {reports::Format::pdf, reports::Format::xlsx}) {
    const auto path = d.dir / "reports" / fmt::format("{}-commissioning-survey.{}", kScanner, reports::to_string(format));
    if (auto st = reports::write_report(*survey, format, path.string(), reports::default_template_dir()); !st)
      return tl::unexpected(st.error());
    d.file(path, fmt::format("{} ({}): verdict {}", survey->title, reports::to_string(format),
                             survey->overall_verdict ? reports::to_string(*survey->overall_verdict) : "none"));
  }
  return d.advance(kScanner, "sat", "Ama Mensah", "installed, licensed, commissioning survey passed", *install);
}

Status sat_chapter(Demo& d, const Clock& now) {
  const std::string engineer = "Efua Owusu";
  days_ago(d, now, 60);
  auto sat = start_session(d.db(), {kScanner, "sat", "Port of Tema, lane 3", {"Yaw Asante", kWitness}, engineer,
                                  std::nullopt});
  if (!sat) return tl::unexpected(sat.error());
  auto scan = render_cargo_scan(d, "GH-TEM-03-sat", 4.0e5, 21, 4.0, 20, 5);
  if (!scan) return tl::unexpected(scan.error());
  if (auto r = kit_run(d, sat->id, *scan, engineer); !r) return tl::unexpected(r.error());
  const std::vector<Manual> sat_manual{
      {"throughput.scans_per_h", 23, "scans/h", "stopwatch", "2-hour trial with live traffic, 46 trucks"},
      {"radiation.dose_rate.boundary_usv_h", 1.9, "uSv/h", "Thermo RadEye G-10", "commissioning survey, point B4"},
      {"radiation.dose_rate.operator_usv_h", 0.08, "uSv/h", "Thermo RadEye G-10", "operator cabin, net"},
      {"radiation.dose.driver_per_scan_usv", 0.05, "uSv", "Thermo RadEye G-10", "driver cab"},
      {"software.uff_export", 1, "bool", "", "UFF file sent to the national image archive"},
      {"software.operator_audit_log", 1, "bool", "", "checked in the site's log"},
      {"functional.interlocks", 1, "bool", "", "all interlocks tested on site"},
      {"functional.emergency_stops", 1, "bool", "", "all e-stops tested on site"},
      {"functional.warning_lights", 1, "bool", "", "lights and sirens tested"},
  };
  if (auto st = measure(d, sat->id, sat_manual, engineer); !st) return st;
  auto closed = close_session(d.db(), sat->id, engineer);
  if (!closed) return tl::unexpected(closed.error());
  d.step("Site acceptance test (niikit test start|kit|measure|close)", close_summary(*closed),
         closed->session.verdict == "pass");
  if (auto st = sign_all(d, sat->id, {{engineer, "tester"}, {"Yaw Asante", "witness"}, {kWitness, "witness"},
                                     {"Ama Mensah", "approver"}});
      !st)
    return st;
  auto pdf = write_acceptance_reports(d, "sat", {reports::Format::pdf, reports::Format::xlsx});
  if (!pdf) return tl::unexpected(pdf.error());
  auto doc = add_document(d.db(), d.ctx.evidence(), engineer, {"SAT report (signed)", "sat_report", pdf->string(), kScanner, "", engineer});
  if (!doc) return tl::unexpected(doc.error());
  if (auto st = d.advance(kScanner, "final_acceptance", "Ama Mensah", "SAT passed and signed", doc->id); !st) return st;
  days_ago(d, now, 50);
  auto cert = d.document(kScanner, "acceptance_certificate", "Final acceptance certificate; warranty starts");
  if (!cert) return tl::unexpected(cert.error());
  return d.advance(kScanner, "in_service", "Ama Mensah", "handed over; warranty and SLA clocks start", *cert);
}

}  // namespace

Status acceptance_story(Demo& d, const Clock& now) {
  days_ago(d, now, 112);
  if (auto st = signer_accounts(d); !st) return st;
  if (auto st = fat_chapter(d, now); !st) return st;
  if (auto st = deployment_chapter(d, now); !st) return st;
  auto st = sat_chapter(d, now);
  d.ctx.set_clock(now);
  return st;
}

}  // namespace niikit::services::demo
