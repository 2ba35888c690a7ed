#include "app/services/acceptance_report.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "core/time_format.hpp"
#include "core/version.hpp"
#include "db/audit.hpp"
#include "app/services/acceptance_service.hpp"
#include "app/services/registry_service.hpp"

namespace niikit::services {

namespace {

using reports::Align;
using reports::Block;
using reports::Chart;
using reports::KeyValues;
using reports::Notice;
using reports::NoticeLevel;
using reports::Paragraph;
using reports::Section;
using reports::Table;
using reports::TableRow;

std::string phase_title(const std::string& phase) {
  if (phase == "fat") return "Factory acceptance test report";
  if (phase == "sat") return "Site acceptance test report";
  if (phase == "periodic") return "Periodic quality-control report";
  return "Return-to-service quality-control report";
}

std::string phase_label(const std::string& phase) {
  if (phase == "fat") return "Factory acceptance (FAT)";
  if (phase == "sat") return "Site acceptance (SAT)";
  if (phase == "periodic") return "Periodic QC";
  return "Return-to-service QC";
}

// 4 significant figures, no trailing noise: 312, 0.4521, 22500.
std::string num(double v) { return fmt::format("{:.4g}", v); }

std::string with_unit(double v, const std::string& unit) {
  if (unit == "bool") return v >= 0.5 ? "yes" : "no";
  return unit.empty() ? num(v) : num(v) + " " + unit;
}

reports::Verdict to_report(domain::Verdict v) {
  switch (v) {
    case domain::Verdict::pass: return reports::Verdict::pass;
    case domain::Verdict::fail: return reports::Verdict::fail;
    case domain::Verdict::not_measured: return reports::Verdict::not_measured;
  }
  return reports::Verdict::none;
}

reports::Verdict kit_verdict(const QString& v) {
  if (v == "pass") return reports::Verdict::pass;
  if (v == "fail") return reports::Verdict::fail;
  if (v == "not_judged") return reports::Verdict::not_measured;
  return reports::Verdict::none;
}

std::string short_hash(const std::string& h) { return h.size() > 16 ? h.substr(0, 16) + "…" : h; }

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::pair<std::string, std::string>> scanner_fields(const db::Scanner& s) {
  std::string source = s.technology;
  if (s.energy_mev) source += fmt::format(", {:g} MeV", *s.energy_mev);
  return {{"Scanner", s.asset_tag},
          {"Manufacturer and model", s.manufacturer + " " + s.model},
          {"Serial number", s.serial.empty() ? "(not recorded)" : s.serial},
          {"Source", source},
          {"Configuration", s.configuration + (s.dual_energy ? ", dual energy" : ", single energy")},
          {"Software version", s.software_version.empty() ? "not recorded" : s.software_version},
          {"Firmware version", s.firmware_version.empty() ? "not recorded" : s.firmware_version},
          {"Site", s.site_name.empty() ? "(none)" : s.site_name},
          {"Lifecycle stage", s.stage}};
}

// A number alone (so XLSX stores it as a number), its unit in a column of its own.
std::string bare(double v, const std::string& unit) {
  if (unit == "bool") return v >= 0.5 ? "yes" : "no";
  return num(v);
}
std::string unit_cell(const std::string& unit) { return unit == "bool" ? "" : unit; }

// Where a verdict's value came from: the kit run or manual entry of this session, or the
// retested session it was carried over from.
std::string evidence_of(const RequirementResult& r, const SessionDetail& d) {
  if (r.from_session) return fmt::format("carried from session {}", *r.from_session);
  if (!r.measurement_id) return "—";
  for (const auto& m : d.measurements) {
    if (m.id != *r.measurement_id) continue;
    if (m.source == "kit" && m.kit_run_id) return fmt::format("kit run {}", *m.kit_run_id);
    return m.instrument.empty() ? "manual" : "manual: " + m.instrument;
  }
  return fmt::format("measurement {}", *r.measurement_id);
}

Section requirement_section(const SessionDetail& d) {
  Table t;
  t.columns = {{"ID", Align::left},       {"Requirement", Align::left}, {"M/D", Align::center},
               {"Target", Align::right},  {"Measured", Align::right},   {"Unit", Align::left},
               {"Verdict", Align::center}, {"Method and evidence", Align::left}, {"Witnessed by", Align::left}};
  t.verdict_column = 6;
  int carried = 0;
  for (const auto& r : d.results) {
    TableRow row;
    const std::string unit = r.unit.empty() ? r.requirement.unit : r.unit;
    std::string target = domain::describe_target(r.requirement);
    if (!unit_cell(unit).empty() && target.ends_with(" " + unit)) target.resize(target.size() - unit.size() - 1);
    std::string verdict(domain::verdict_code(r.verdict));
    if (r.from_session) {
      ++carried;
      verdict += " (carried)";
    }
    const std::string method = r.requirement.method.empty() ? "" : r.requirement.method + " — ";
    std::string witnessed = join(r.witnessed_by);
    if (r.from_session) witnessed = fmt::format("session {}: {}", *r.from_session, witnessed.empty() ? "none" : witnessed);
    row.cells = {r.requirement.id,
                 r.requirement.text,
                 r.requirement.mandatory ? "M" : "D",
                 target,
                 r.measured ? bare(*r.measured, unit) : "—",
                 unit_cell(unit),
                 verdict,
                 method + evidence_of(r, d),
                 witnessed};
    row.verdict = to_report(r.verdict);
    t.rows.push_back(std::move(row));
  }
  Section s{"Requirements and verdicts", {}, true};
  s.blocks.push_back(Paragraph{fmt::format(
      "Every requirement of the frozen specification that is verified at this phase, judged on the value that "
      "stands in this session: a kit's measurement over a typed one, else the newest (M = mandatory, D = "
      "desirable). Mandatory: {} passed, {} failed, {} not measured of {}.",
      d.mandatory_passed, d.mandatory_failed, d.mandatory_not_measured, d.mandatory_total)});
  if (carried > 0 && d.session.retest_of)
    s.blocks.push_back(Notice{NoticeLevel::info,
                              fmt::format("This session retests session {}. {} verdict(s) marked \"carried\" were "
                                          "not measured again here: they are session {}'s verdicts, with its "
                                          "evidence and witnesses.",
                                          *d.session.retest_of, carried, *d.session.retest_of)});
  s.blocks.push_back(std::move(t));
  return s;
}

// One chart per test that measured curves (MTF along x/y, CNR per step...).
std::vector<Chart> test_charts(const QJsonObject& test) {
  std::vector<Chart> charts;
  const auto series = test.value("series").toArray();
  if (series.isEmpty()) return charts;
  // Group series by their axes, so MTF x and y share one chart.
  std::map<std::pair<QString, QString>, Chart> by_axes;
  for (const auto& sv : series) {
    const auto so = sv.toObject();
    const auto key = std::make_pair(so.value("x_unit").toString(), so.value("y_unit").toString());
    auto& chart = by_axes[key];
    chart.kind = reports::ChartKind::line;
    chart.title = test.value("title").toString().toStdString();
    chart.x_label = key.first.isEmpty() ? "x" : key.first.toStdString();
    chart.y_label = key.second.isEmpty() ? "value" : key.second.toStdString();
    reports::ChartSeries cs;
    cs.name = so.value("name").toString().toStdString();
    const auto xs = so.value("x").toArray(), ys = so.value("y").toArray();
    for (qsizetype i = 0; i < std::min(xs.size(), ys.size()); ++i)
      cs.points.push_back({xs[i].toDouble(), ys[i].toDouble()});
    chart.series.push_back(std::move(cs));
  }
  for (auto& [axes, chart] : by_axes) charts.push_back(std::move(chart));
  return charts;
}

// Kit warnings grouped by cause: the same sentence with other numbers in it ("step 3: starved",
// "step 4: starved") is one cause, shown once with how often and in which tests it occurred.
struct WarningCause {
  std::string example;
  int count = 0;
  std::vector<std::string> tests;
};
std::vector<WarningCause> warning_causes(const std::vector<std::pair<std::string, std::string>>& warnings) {
  std::vector<WarningCause> out;
  std::map<std::string, std::size_t> index;   // cause key → position in out
  for (const auto& [test, text] : warnings) {
    std::string key;
    for (char c : text) {
      const bool digit = std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
      if (!digit) key.push_back(c);
      else if (key.empty() || key.back() != '#') key.push_back('#');
    }
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.push_back({text, 0, {}});
    auto& cause = out[it->second];
    ++cause.count;
    if (std::find(cause.tests.begin(), cause.tests.end(), test) == cause.tests.end()) cause.tests.push_back(test);
  }
  return out;
}

Section kit_run_section(const db::KitRun& run, int index, std::vector<reports::InputFile>& inputs) {
  Section s{fmt::format("Kit run {}: {} kit on {}", index, run.kit_id,
                        std::filesystem::path(run.image_path).filename().string()),
            {},
            true};
  inputs.push_back({run.image_path, run.image_sha256});
  if (!run.low_energy_path.empty()) inputs.push_back({run.low_energy_path, run.low_energy_sha256});
  const auto result = QJsonDocument::fromJson(QByteArray::fromStdString(run.result_json)).object();
  const auto located = result.value("located").toObject();
  KeyValues kv;
  kv.rows = {{"Image", run.image_path},
             {"Image SHA-256", run.image_sha256},
             {"Kit", fmt::format("{} {} (niikit {})", run.kit_id, run.kit_version, run.toolkit_version)},
             {"Phantom", result.value("phantom_name").toString().toStdString() + " (" + run.phantom + ")"},
             {"Run", fmt::format("{} by {}", run.run_at_utc, run.run_by_name)}};
  if (!run.low_energy_path.empty()) kv.rows.push_back({"Low-energy image", run.low_energy_path});
  if (!located.isEmpty())
    kv.rows.push_back({"Phantom located",
                       fmt::format("rotation {:.2f}°, scale {:.3f} × {:.3f}, fiducial residual {:.2f} px{}{}",
                                   located.value("rotation_deg").toDouble(), located.value("scale_x").toDouble(),
                                   located.value("scale_y").toDouble(), located.value("residual_px").toDouble(),
                                   located.value("flipped_x").toBool() || located.value("flipped_y").toBool()
                                       ? ", flipped"
                                       : "",
                                   located.value("inverted").toBool() ? ", inverted polarity" : "")});
  if (result.contains("pixel_mm_x"))
    kv.rows.push_back({"Pixel pitch", fmt::format("{:g} × {:g} mm", result.value("pixel_mm_x").toDouble(),
                                                  result.value("pixel_mm_y").toDouble())});
  s.blocks.push_back(std::move(kv));
  if (!run.overlay_path.empty() && std::filesystem::exists(run.overlay_path))
    s.blocks.push_back(reports::Figure{run.overlay_path,
                                       "Annotated scan: every region the kit measured, green = visible/pass, "
                                       "red = not visible/fail",
                                       170});
  Table t;
  t.title = "Tests";
  t.columns = {{"Test", Align::left}, {"Result", Align::left}, {"Kit verdict", Align::center},
               {"Decision rule", Align::left}, {"Threshold", Align::right}};
  t.verdict_column = 2;
  std::vector<Chart> charts;
  std::vector<std::pair<std::string, std::string>> warnings;   // test, warning
  for (const auto& tv : result.value("tests").toArray()) {
    const auto to = tv.toObject();
    TableRow row;
    const bool ran = to.value("status").toString() != "not_run";
    row.cells = {to.value("title").toString().toStdString(),
                 ran ? to.value("result_text").toString().toStdString()
                     : "not run: " + to.value("not_run_reason").toString().toStdString(),
                 to.value("verdict").toString().toStdString(), to.value("rule").toString().toStdString(),
                 ran ? num(to.value("threshold").toDouble()) : ""};
    row.verdict = ran ? kit_verdict(to.value("verdict").toString()) : reports::Verdict::not_measured;
    t.rows.push_back(std::move(row));
    for (auto& c : test_charts(to)) charts.push_back(std::move(c));
    for (const auto& w : to.value("warnings").toArray())
      warnings.push_back({to.value("title").toString().toStdString(), w.toString().toStdString()});
  }
  for (const auto& w : result.value("warnings").toArray()) warnings.push_back({"(kit)", w.toString().toStdString()});
  s.blocks.push_back(std::move(t));
  for (auto& c : charts) s.blocks.push_back(std::move(c));
  if (!warnings.empty()) {
    auto causes = warning_causes(warnings);
    s.blocks.push_back(Notice{NoticeLevel::warning,
                              fmt::format("The kit raised {} warning(s) on this image, from {} cause(s); they "
                                          "qualify the results above and are summarised below, once per cause.",
                                          warnings.size(), causes.size())});
    Table w;
    w.title = "Kit warnings";
    w.columns = {{"Warning (first occurrence)", Align::left}, {"Times", Align::right}, {"Tests", Align::left}};
    for (auto& c : causes) w.rows.push_back({{c.example, std::to_string(c.count), join(c.tests)}, reports::Verdict::none});
    s.blocks.push_back(std::move(w));
  }
  return s;
}

Section measurement_section(const SessionDetail& d) {
  Table t;
  t.columns = {{"Metric", Align::left},     {"Value", Align::right}, {"Unit", Align::left}, {"Source", Align::left},
               {"Instrument", Align::left}, {"Recorded", Align::left}, {"Note", Align::left}};
  for (const auto& m : d.measurements) {
    std::string instrument = m.instrument;
    if (!m.instrument_serial.empty()) instrument += " (s/n " + m.instrument_serial + ")";
    t.rows.push_back({{m.metric_key, bare(m.value, m.unit), unit_cell(m.unit),
                       m.source == "kit" && m.kit_run_id ? fmt::format("kit run {}", *m.kit_run_id) : m.source,
                       instrument, m.recorded_at_utc.substr(0, 16) + " " + m.recorded_by_name, m.note},
                      reports::Verdict::none});
  }
  Section s{"Measurements", {}, true};
  s.blocks.push_back(Paragraph{"Every value recorded in the session, from kit runs and manual measurements, in "
                               "the order recorded. For one metric a kit's value stands over a manual one; among "
                               "values of the same source the later supersedes the earlier."});
  s.blocks.push_back(std::move(t));
  return s;
}

void deviation_rows(Table& t, const std::vector<db::Deviation>& list) {
  for (const auto& v : list) {
    std::string outcome = v.status;
    if (v.status == "waived") outcome += ": " + v.waiver_condition;
    if (v.status == "closed") outcome += ": " + v.resolution_note;
    if (v.closed_by_session) outcome += fmt::format(" (retest session {})", *v.closed_by_session);
    TableRow row{{std::to_string(v.id), v.requirement_id, v.severity, v.description, outcome,
                  fmt::format("{} {}", v.raised_at_utc.substr(0, 10), v.raised_by_name),
                  v.closed_at_utc ? v.closed_at_utc->substr(0, 10) + " " + v.closed_by_name : ""},
                 v.status == "open" ? reports::Verdict::fail : reports::Verdict::pass};
    t.rows.push_back(std::move(row));
  }
}

Section deviation_section(const SessionDetail& d) {
  Section s{"Deviations", {}, false};
  if (d.deviations.empty() && d.closed_deviations.empty()) {
    s.blocks.push_back(Paragraph{"No deviation was raised in this session."});
    return s;
  }
  Table t;
  t.columns = {{"No.", Align::right},     {"Requirement", Align::left}, {"Severity", Align::center},
               {"Description", Align::left}, {"Status", Align::left}, {"Raised", Align::left},
               {"Closed", Align::left}};
  t.verdict_column = 4;
  deviation_rows(t, d.deviations);
  if (!t.rows.empty()) {
    t.title = "Raised in this session";
    s.blocks.push_back(t);
  }
  if (!d.closed_deviations.empty()) {
    Table c = t;
    c.rows.clear();
    c.title = "Earlier deviations closed by this session's retest";
    deviation_rows(c, d.closed_deviations);
    s.blocks.push_back(std::move(c));
  }
  return s;
}

}  // namespace

Result<reports::Report> build_acceptance_report(db::Database& db, const AcceptanceReportRequest& request,
                                                const std::string& generated_at_utc) {
  std::int64_t session_id = 0;
  if (request.session_id) {
    session_id = *request.session_id;
  } else {
    auto phase = parse_phase(request.phase);
    if (!phase) return tl::unexpected(phase.error());
    auto latest = latest_session(db, request.scanner, *phase);
    if (!latest) return tl::unexpected(latest.error());
    session_id = latest->id;
  }
  auto detail = session_detail(db, session_id);
  if (!detail) return tl::unexpected(detail.error());
  const auto& d = *detail;
  const auto& ses = d.session;

  reports::Report r;
  r.kind = "acceptance";
  r.title = phase_title(ses.phase);
  r.subtitle = fmt::format("{} — {} {}, session {}", d.scanner.asset_tag, d.scanner.manufacturer, d.scanner.model,
                           ses.id);
  r.cover_fields = scanner_fields(d.scanner);
  std::vector<std::string> witnesses;
  for (const auto& w : d.witnesses) witnesses.push_back(w.name + " (" + w.person_role + ")");
  r.cover_fields.insert(
      r.cover_fields.end(),
      {{"Phase", phase_label(ses.phase)},
       {"Session", fmt::format("{}{}", ses.id, ses.retest_of ? fmt::format(" (retest of session {})", *ses.retest_of) : "")},
       {"Location", ses.location.empty() ? "(not recorded)" : ses.location},
       {"Started", ses.started_at_utc + " by " + ses.started_by_name},
       {"Closed", ses.closed_at_utc ? *ses.closed_at_utc + " by " + ses.closed_by_name : "open (not yet closed)"},
       {"Specification", ses.specification_version
                             ? fmt::format("version {}, SHA-256 {}", *ses.specification_version,
                                           short_hash(ses.specification_sha256))
                             : "(none)"},
       {"Witnesses", witnesses.empty() ? "(none)" : join(witnesses)}});
  if (ses.verdict) r.overall_verdict = *ses.verdict == "pass" ? reports::Verdict::pass : reports::Verdict::fail;
  if (ses.status != "closed") {
    r.watermark = "DRAFT";
    r.title = "DRAFT — " + r.title + " (session open, verdicts provisional)";
  }

  Section summary{"Summary", {}, false};
  if (ses.status != "closed")
    summary.blocks.push_back(Notice{NoticeLevel::warning,
                                    "This session is still open: the verdicts below are provisional."});
  if (!d.content_intact)
    summary.blocks.push_back(Notice{NoticeLevel::fail,
                                    "The stored results changed after the session was closed: the content hash "
                                    "no longer matches and every signature is invalid."});
  int open_major = 0, open_any = 0;
  for (const auto& v : d.deviations)
    if (v.status == "open") {
      ++open_any;
      if (v.severity == "major") ++open_major;
    }
  summary.blocks.push_back(KeyValues{{
      {"Verdict", ses.verdict ? *ses.verdict : "not yet judged"},
      {"Mandatory requirements", fmt::format("{} of {} passed, {} failed, {} not measured", d.mandatory_passed,
                                             d.mandatory_total, d.mandatory_failed, d.mandatory_not_measured)},
      {"Kit runs", std::to_string(d.kit_runs.size())},
      {"Measurements", std::to_string(d.measurements.size())},
      {"Open deviations", fmt::format("{} ({} major)", open_any, open_major)},
      {"Content SHA-256", d.current_content_sha256},
  }});
  r.sections.push_back(std::move(summary));
  r.sections.push_back(requirement_section(d));
  int index = 0;
  for (const auto& run : d.kit_runs) r.sections.push_back(kit_run_section(run, ++index, r.provenance.input_files));
  r.sections.push_back(measurement_section(d));
  r.sections.push_back(deviation_section(d));

  for (const auto& s : d.signatures) {
    reports::Signature sig;
    sig.name = s.signature.name;
    sig.role = s.signature.role;
    sig.signed_at_utc = s.signature.signed_at_utc;
    sig.covers_hash = s.signature.content_sha256;
    sig.status = s.valid ? reports::SignatureStatus::valid : reports::SignatureStatus::invalid;
    if (!s.valid) sig.note = s.status;
    else if (!s.key_fingerprint.empty()) sig.note = "Ed25519 signature, key " + s.key_fingerprint;
    else sig.note = "content hash only (signed before the database had user accounts)";
    r.signatures.push_back(std::move(sig));
  }
  // Witnesses who have not signed are shown as expected signatures.
  for (const auto& w : d.witnesses) {
    const bool signed_by = std::any_of(d.signatures.begin(), d.signatures.end(),
                                       [&](const SignatureStatus& s) { return s.signature.person_id == w.person_id; });
    if (!signed_by) r.signatures.push_back({w.name, "witness", "", "", reports::SignatureStatus::not_signed, ""});
  }
  r.provenance.toolkit_version = std::string(toolkit_version);
  r.provenance.generated_at_utc = generated_at_utc;
  r.provenance.audit_head_sha256 = db::current_audit_head(db);
  std::map<std::string, std::string> kits;
  for (const auto& run : d.kit_runs) kits[run.kit_id + " kit"] = run.kit_version;
  for (const auto& [k, v] : kits) r.provenance.versions.push_back({k, v});
  if (ses.specification_version)
    r.provenance.versions.push_back({"specification", fmt::format("v{} ({})", *ses.specification_version,
                                                                  short_hash(ses.specification_sha256))});
  return r;
}

Result<reports::Report> build_trend_report(db::Database& db, const std::string& scanner,
                                           const std::string& metric_key, const std::string& generated_at_utc) {
  auto s = get_scanner(db, scanner);
  if (!s) return tl::unexpected(s.error());
  auto points = metric_trend(db, scanner, metric_key);
  if (!points) return tl::unexpected(points.error());
  if (points->empty())
    return fail(ErrorCode::not_found,
                fmt::format("scanner {}: no closed session measured '{}'", s->asset_tag, metric_key));
  reports::Report r;
  r.kind = "trend";
  r.title = "Quality-control trend";
  r.subtitle = fmt::format("{} — {}", s->asset_tag, metric_key);
  r.cover_fields = scanner_fields(*s);
  r.cover_fields.push_back({"Metric", metric_key});
  r.cover_fields.push_back({"Sessions", std::to_string(points->size())});

  const auto first = parse_utc(points->front().at_utc);
  Chart chart;
  chart.kind = reports::ChartKind::line;
  chart.title = metric_key;
  chart.x_label = "Days since " + points->front().at_utc.substr(0, 10);
  chart.y_label = metric_key + (points->front().unit.empty() ? "" : " (" + points->front().unit + ")");
  reports::ChartSeries series{metric_key, {}};
  Table t;
  t.columns = {{"Date", Align::left},   {"Session", Align::right}, {"Phase", Align::left},
               {"Value", Align::right}, {"Target", Align::right},  {"Verdict", Align::center}};
  t.verdict_column = 5;
  std::optional<domain::Requirement> limit;
  for (const auto& p : *points) {
    const auto at = parse_utc(p.at_utc);
    const double days = first && at ? std::chrono::duration<double>(*at - *first).count() / 86400.0 : 0;
    series.points.push_back({days, p.value});
    if (p.requirement) limit = p.requirement;
    t.rows.push_back({{p.at_utc.substr(0, 10), std::to_string(p.session_id), p.phase, with_unit(p.value, p.unit),
                       p.requirement ? domain::describe_target(*p.requirement) : "—",
                       std::string(domain::verdict_code(p.verdict))},
                      to_report(p.verdict)});
  }
  chart.series.push_back(std::move(series));
  if (limit && limit->comparator != domain::Comparator::is_true)
    chart.limits.push_back({"Requirement " + limit->id + ": " + domain::describe_target(*limit), limit->target});
  Section sec{"Trend", {}, false};
  sec.blocks.push_back(Paragraph{fmt::format(
      "The newest value of {} in every closed session of {} (FAT, SAT, periodic and return-to-service QC), against "
      "the requirement of the session's specification.",
      metric_key, s->asset_tag)});
  sec.blocks.push_back(std::move(chart));
  sec.blocks.push_back(std::move(t));
  r.sections.push_back(std::move(sec));
  r.provenance.toolkit_version = std::string(toolkit_version);
  r.provenance.generated_at_utc = generated_at_utc;
  r.provenance.audit_head_sha256 = db::current_audit_head(db);
  return r;
}

}  // namespace niikit::services
