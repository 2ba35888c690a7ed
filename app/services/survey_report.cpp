#include "app/services/survey_report.hpp"

#include <QCryptographicHash>
#include <fmt/format.h>

#include <set>

#include "core/version.hpp"
#include "app/domain/radiation.hpp"
#include "app/services/radiation_service.hpp"
#include "db/audit.hpp"

namespace niikit::services::rad {

namespace {

namespace R = domain::rad;
using reports::Verdict;

Verdict verdict_of(const std::string& v) {
  if (v == "pass") return Verdict::pass;
  if (v == "fail") return Verdict::fail;
  return Verdict::none;
}

std::string num(std::optional<double> v, const char* spec = "{:g}") {
  return v ? fmt::format(fmt::runtime(spec), *v) : "—";
}

std::string zone_label(std::string_view code) {
  if (code == "controlled") return "Controlled area";
  if (code == "supervised") return "Supervised area";
  if (code == "public_boundary") return "Public boundary";
  if (code == "operator_position") return "Operator position";
  return "Driver waiting area";
}

// SHA-256 over the survey's judged content: the closing RSO's line covers exactly this.
std::string content_hash(const SurveyView& v) {
  std::string text = fmt::format("{}|{}|{}|{}|{}|{}|{}", v.survey.id, v.survey.scanner_id, v.survey.survey_type,
                                 v.survey.survey_date, v.survey.background_usv_h, v.survey.limits_json,
                                 v.survey.verdict.value_or(""));
  for (const auto& p : v.points)
    text += fmt::format("\n{}|{}|{}|{}|{}", p.label, p.zone_class, p.dose_rate_usv_h, p.occupancy_factor, p.verdict);
  return QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256).toHex().toStdString();
}

reports::Section conditions_section(const SurveyView& v) {
  const auto& s = v.survey;
  const auto& sc = v.scanner;
  reports::Section sec{"Scanner and operating conditions", {}, false};
  if (s.meter_calibration_override)
    sec.blocks.emplace_back(reports::Notice{
        reports::NoticeLevel::warning,
        fmt::format("Survey meter calibration had lapsed (due {}, survey {}). Recorded with override by {}: \"{}\". "
                    "The measurements are not traceable to a valid calibration.",
                    s.meter_calibration_due_date.value_or("never calibrated"), s.survey_date, s.surveyor_name,
                    s.override_reason)});
  if (s.status == "open")
    sec.blocks.emplace_back(reports::Notice{reports::NoticeLevel::info,
                                            "Survey still open: not yet judged. Verdicts below are per point only."});
  sec.blocks.emplace_back(reports::KeyValues{{
      {"Scanner", fmt::format("{} — {} {} (serial {})", sc.asset_tag, sc.manufacturer, sc.model,
                              sc.serial.empty() ? "—" : sc.serial)},
      {"Source", fmt::format("{}{}{}", sc.technology, sc.energy_mev ? fmt::format(", {:g} MeV", *sc.energy_mev) : "",
                             sc.dual_energy ? ", dual energy" : "")},
      {"Site", sc.site_name.empty() ? "—" : sc.site_name},
      {"Stage at report time", sc.stage},
      {"Energy mode", s.energy_mode.empty() ? "—" : s.energy_mode},
      {"Scan mode", s.scan_mode.empty() ? "—" : s.scan_mode},
      {"Object in beam", s.object_in_beam.empty() ? "—" : s.object_in_beam},
      {"Background", fmt::format("{:g} µSv/h", s.background_usv_h)},
  }});
  return sec;
}

reports::Section meter_section(const SurveyView& v) {
  const auto& m = v.meter;
  reports::Section sec{"Survey meter and calibration", {}, false};
  sec.blocks.emplace_back(reports::KeyValues{{
      {"Meter", fmt::format("{} {}", m.manufacturer, m.model)},
      {"Serial", m.serial},
      {"Detector", m.detector_type},
      {"Calibration due (at survey)", v.survey.meter_calibration_due_date.value_or("none recorded")},
      {"Current certificate", m.calibration_certificate.empty() ? "—" : m.calibration_certificate},
      {"Current calibration", fmt::format("{} → {}", m.calibrated_date.value_or("—"), m.calibration_due_date.value_or("—"))},
      {"Calibration valid on survey date", v.survey.meter_calibration_override ? "NO — override recorded" : "yes"},
  }});
  reports::Table checks{"Safety checks", {{"Check", reports::Align::left}, {"Result", reports::Align::center}}, {}, 1};
  for (const auto& [name, value] : {std::pair{"Interlocks", v.survey.interlock_check},
                                    {"Emergency stops", v.survey.estop_check},
                                    {"Warning lights", v.survey.warning_light_check},
                                    {"Signage", v.survey.signage_check}})
    checks.rows.push_back({{name, value == "not_checked" ? "not checked" : value},
                           value == "not_checked" ? Verdict::not_measured : verdict_of(value)});
  sec.blocks.emplace_back(std::move(checks));
  return sec;
}

reports::Section points_section(const SurveyView& v) {
  reports::Section sec{"Measurement points", {}, false};
  using reports::Align;
  reports::Table t{"Dose rate per point against its zone limit",
                   {{"Point", Align::left},
                    {"Zone", Align::left},
                    {"Location", Align::left},
                    {"Distance (m)", Align::right},
                    {"Dose rate (µSv/h)", Align::right},
                    {"Judged (µSv/h)", Align::right},
                    {"Limit (µSv/h)", Align::right},
                    {"Occupancy T", Align::right},
                    {"Annual (mSv)", Align::right},
                    {"Verdict", Align::center}},
                   {},
                   9};
  reports::Chart chart;
  chart.kind = reports::ChartKind::bar;
  chart.title = "Dose rate by point";
  chart.x_label = "Survey point";
  chart.y_label = "Dose rate (µSv/h)";
  reports::ChartSeries gross{"Measured (gross)", {}}, judged{"Judged (net of background where the zone rule says so)", {}};
  std::set<std::pair<double, std::string>> limits;
  for (std::size_t i = 0; i < v.points.size(); ++i) {
    const auto& p = v.points[i];
    t.rows.push_back({{p.label, zone_label(p.zone_class), p.note, num(p.distance_m), fmt::format("{:g}", p.dose_rate_usv_h),
                       fmt::format("{:.3g}{}", p.judged_rate_usv_h, p.net_of_background ? " (net)" : ""),
                       p.limit_usv_h ? fmt::format("{:g}", *p.limit_usv_h) : "none", fmt::format("{:g}", p.occupancy_factor),
                       fmt::format("{:.3f}", p.projected_annual_usv / 1000), p.verdict},
                      verdict_of(p.verdict)});
    chart.categories.push_back(p.label);
    gross.points.push_back({static_cast<double>(i), p.dose_rate_usv_h});
    judged.points.push_back({static_cast<double>(i), p.judged_rate_usv_h});
    if (p.limit_usv_h)
      limits.insert({*p.limit_usv_h, fmt::format("{} {:g} µSv/h{}", zone_label(p.zone_class), *p.limit_usv_h,
                                                 p.net_of_background ? " above background" : "")});
  }
  chart.series = {gross, judged};
  for (const auto& [y, label] : limits) chart.limits.push_back({label, y});
  sec.blocks.emplace_back(std::move(t));
  sec.blocks.emplace_back(reports::Paragraph{
      "Judged rate: the gross reading, or the reading minus background for zones judged above background. "
      "Annual dose: net rate × exposure hours (scans per year ÷ scans per hour, else the operating hours setting) × "
      "occupancy, or dose per scan × scans per year × occupancy."});
  sec.blocks.emplace_back(std::move(chart));
  return sec;
}

reports::Section zones_section(const SurveyView& v) {
  using reports::Align;
  reports::Section sec{"Projected annual dose per zone", {}, false};
  reports::Table t{"",
                   {{"Zone", Align::left},
                    {"Limit class", Align::left},
                    {"Points", Align::right},
                    {"Worst point", Align::left},
                    {"Projected (mSv/y)", Align::right},
                    {"Limit (mSv/y)", Align::right},
                    {"Verdict", Align::center}},
                   {},
                   6};
  for (const auto& z : v.zones)
    t.rows.push_back({{zone_label(R::zone_code(z.zone)), std::string(R::dose_class_code(z.annual_class)),
                       std::to_string(z.points), z.worst_point, fmt::format("{:.3f}", z.max_projected_msv),
                       fmt::format("{:g}", z.limit_msv), z.pass ? "pass" : "fail"},
                      z.pass ? Verdict::pass : Verdict::fail});
  sec.blocks.emplace_back(std::move(t));
  return sec;
}

reports::Section limits_section(const SurveyView& v) {
  using reports::Align;
  reports::Section sec{"Limits used", {}, false};
  sec.blocks.emplace_back(reports::Paragraph{
      "The limits in force when the survey was recorded, stored with it; later changes of the settings do not "
      "re-judge it."});
  reports::Table t{"", {{"Setting", Align::left}, {"Value", Align::right}, {"Default", Align::right},
                        {"Unit", Align::left}}, {}, -1};
  for (const auto& info : R::radiation_setting_table()) {
    const std::string key(info.key);
    if (key.starts_with("leak_test") || key == "due_soon_days") continue;
    auto it = v.limits.find(key);
    const std::string value = it == v.limits.end() ? std::string(info.default_text) : it->second;
    t.rows.push_back({{key, value, std::string(info.default_text), std::string(info.unit)}, Verdict::none});
  }
  sec.blocks.emplace_back(std::move(t));
  return sec;
}

reports::Section verdict_section(const SurveyView& v) {
  reports::Section sec{"Verdict and follow-up", {}, false};
  const auto& s = v.survey;
  if (!s.verdict) {
    sec.blocks.emplace_back(reports::Paragraph{"Not judged yet: the survey is open."});
    return sec;
  }
  sec.blocks.emplace_back(reports::Notice{
      *s.verdict == "pass" ? reports::NoticeLevel::info : reports::NoticeLevel::fail,
      *s.verdict == "pass" ? "Survey PASSED: every point within its limit, every zone within its annual limit."
                           : "Survey FAILED: the scanner may not operate until the follow-up actions are closed and a "
                             "new survey passes."});
  std::string reasons;
  for (const auto& r : v.verdict_reasons) reasons += (reasons.empty() ? "" : "\n") + ("• " + r);
  if (!reasons.empty()) sec.blocks.emplace_back(reports::Paragraph{reasons});
  if (!v.follow_ups.empty()) {
    reports::Table t{"Follow-up actions", {{"#", reports::Align::right}, {"Action", reports::Align::left},
                                           {"Due", reports::Align::left}, {"Status", reports::Align::left}}, {}, -1};
    for (const auto& f : v.follow_ups)
      t.rows.push_back({{std::to_string(f.id), f.action_text, f.due_date.value_or("—"), f.status}, Verdict::none});
    sec.blocks.emplace_back(std::move(t));
  }
  return sec;
}

}  // namespace

Result<reports::Report> build_survey_report(db::Database& db, std::int64_t survey_id, const std::string& generated_at_utc) {
  auto view = show_survey(db, survey_id);
  if (!view) return tl::unexpected(view.error());
  const auto& v = *view;
  const auto& s = v.survey;
  reports::Report r;
  r.kind = "survey";
  r.title = "Radiation survey report";
  r.subtitle = fmt::format("{} survey of {} on {}", s.survey_type, v.scanner.asset_tag, s.survey_date);
  r.cover_fields = {{"Scanner", v.scanner.asset_tag + " — " + v.scanner.manufacturer + " " + v.scanner.model},
                    {"Site", v.scanner.site_name.empty() ? "—" : v.scanner.site_name},
                    {"Survey", fmt::format("#{} {} on {}", s.id, s.survey_type, s.survey_date)},
                    {"Surveyor", s.surveyor_name},
                    {"Meter", fmt::format("{} {} (serial {})", v.meter.manufacturer, v.meter.model, v.meter.serial)},
                    {"Points", std::to_string(v.points.size())},
                    {"Status", s.status + (s.verdict ? ", verdict " + *s.verdict : "")}};
  if (s.meter_calibration_override)
    r.cover_fields.push_back({"Meter calibration", "LAPSED — recorded with override: " + s.override_reason});
  if (s.verdict) r.overall_verdict = verdict_of(*s.verdict);
  r.sections = {conditions_section(v), meter_section(v), points_section(v), zones_section(v), limits_section(v),
                verdict_section(v)};
  r.signatures.push_back({s.surveyor_name, "Surveyor", "", "", reports::SignatureStatus::not_signed,
                          "measured the points listed"});
  if (s.closed_by && s.closed_at_utc) {
    auto closer = get_person(db, std::to_string(*s.closed_by));
    r.signatures.push_back({closer ? closer->name : "", "Radiation safety officer (closed and judged the survey)",
                            *s.closed_at_utc, content_hash(v), reports::SignatureStatus::valid,
                            "covers the header, limits, points and verdict"});
  } else {
    r.signatures.push_back({"", "Radiation safety officer", "", "", reports::SignatureStatus::not_signed,
                            "survey not closed"});
  }
  r.provenance.toolkit_version = std::string(toolkit_version);
  r.provenance.generated_at_utc = generated_at_utc;
  r.provenance.audit_head_sha256 = db::current_audit_head(db);
  r.provenance.versions = {{"limits", "stored with survey " + std::to_string(s.id)}};
  return r;
}

}  // namespace niikit::services::rad
