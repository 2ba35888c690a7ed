// `niikit rad survey add|point add|import|close|show|list`.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>

#include "app/cli/cli_rad_views.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/radiation_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

namespace S = services::rad;
namespace R = domain::rad;

template <class Fn>
void on_run(CLI::App* cmd, CliContext& ctx, Fn fn) {
  cmd->callback([&ctx, fn] {
    ctx.action = [&ctx, fn]() -> Status {
      auto db = ctx.open_db();
      if (!db) return tl::unexpected(db.error());
      return fn(*db);
    };
  });
}

std::string num(std::optional<double> v) { return v ? fmt::format("{:g}", *v) : "—"; }

void print_points(std::ostream& out, const std::vector<db::rad::SurveyPoint>& points) {
  reports::TextTable t{{"POINT", "ZONE", "DIST (m)", "RATE (µSv/h)", "JUDGED (µSv/h)", "LIMIT (µSv/h)", "T",
                        "ANNUAL (mSv)", "VERDICT"},
                       {},
                       {false, false, true, true, true, true, true, true}};
  for (const auto& p : points)
    t.rows.push_back({p.label, p.zone_class, num(p.distance_m), fmt::format("{:g}", p.dose_rate_usv_h),
                      fmt::format("{:.3g}{}", p.judged_rate_usv_h, p.net_of_background ? " net" : ""),
                      p.limit_usv_h ? fmt::format("{:g}", *p.limit_usv_h) : "none", fmt::format("{:g}", p.occupancy_factor),
                      fmt::format("{:.3f}", p.projected_annual_usv / 1000), p.verdict == "pass" ? "pass" : "FAIL"});
  out << t.render();
}

void print_view(std::ostream& out, const S::SurveyView& v) {
  const auto& s = v.survey;
  out << reports::render_fields(
      {{"Survey", std::to_string(s.id)},
       {"Scanner", v.scanner.asset_tag + " (" + v.scanner.stage + ")"},
       {"Type / date", s.survey_type + " " + s.survey_date},
       {"Surveyor", s.surveyor_name},
       {"Meter", fmt::format("{} {} {} ({}), certificate {}, due {}", v.meter.manufacturer, v.meter.model, v.meter.serial,
                             v.meter.detector_type, v.meter.calibration_certificate,
                             s.meter_calibration_due_date.value_or("none"))},
       {"Conditions", fmt::format("energy {}; scan {}; object in beam: {}", s.energy_mode, s.scan_mode, s.object_in_beam)},
       {"Background", fmt::format("{:g} µSv/h", s.background_usv_h)},
       {"Checks", fmt::format("interlock {}, e-stop {}, warning light {}, signage {}", s.interlock_check, s.estop_check,
                              s.warning_light_check, s.signage_check)},
       {"Status", s.status + (s.verdict ? " — verdict " + *s.verdict : "")}});
  if (s.meter_calibration_override)
    out << "WARNING: meter calibration had lapsed; recorded with override: " << s.override_reason << "\n";
  print_points(out, v.points);
  for (const auto& z : v.zones)
    out << fmt::format("  zone {:<20} projected {:.3f} mSv/y at {} against {} {:g} mSv/y: {}\n", R::zone_code(z.zone),
                       z.max_projected_msv, z.worst_point, R::dose_class_code(z.annual_class), z.limit_msv,
                       z.pass ? "pass" : "FAIL");
  for (const auto& r : v.verdict_reasons) out << "  reason: " << r << "\n";
  for (const auto& f : v.follow_ups) out << fmt::format("  follow-up {} ({}): {}\n", f.id, f.status, f.action_text);
}

struct PointOptions {
  std::int64_t survey = 0;
  services::Fields fields;
  std::string by;
};

void point_field(CLI::App* cmd, std::shared_ptr<PointOptions> o, const std::string& flag, const std::string& key,
                 const std::string& help, bool required = false) {
  auto* opt = cmd->add_option_function<std::string>(
      flag, [o, key](const std::string& v) { o->fields[key] = v; }, help);
  if (required) opt->required();
}

}  // namespace

void register_rad_survey_commands(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("survey", "Radiation surveys: header, points, verdict against the stored limits");
  g->require_subcommand(1);

  auto in = std::make_shared<S::SurveyInput>();
  auto* add = g->add_subcommand("add", "Start a survey (header). Refused (exit 6) when the meter's calibration had "
                                       "lapsed on the survey date, unless --allow-lapsed-meter REASON");
  add->add_option("--scanner", in->scanner, "Scanner (asset tag or id)")->required();
  add->add_option("--type", in->type, "Type: " + join_codes(R::survey_types()))->required();
  add->add_option("--date", in->date, "Survey date YYYY-MM-DD")->required();
  add->add_option("--meter", in->meter, "Survey meter (serial or id)")->required();
  add->add_option("--by", in->surveyor, "Surveyor (person name or id)")->required();
  add->add_option("--background-usv-h", in->background_usv_h, "Background dose rate, µSv/h (0 ≤ value < 100)")
      ->required();
  add->add_option("--energy-mode", in->energy_mode, "Operating condition: energy mode, e.g. '6 MeV dual'");
  add->add_option("--scan-mode", in->scan_mode, "Operating condition: scan mode, e.g. 'drive-through'");
  add->add_option("--object-in-beam", in->object_in_beam, "Operating condition: object in the beam");
  const std::string checks = " check: pass, fail or not_checked (default; a commissioning survey needs all passed)";
  add->add_option("--interlock", in->interlock, "Interlock" + checks);
  add->add_option("--estop", in->estop, "Emergency stop" + checks);
  add->add_option("--warning-light", in->warning_light, "Warning light" + checks);
  add->add_option("--signage", in->signage, "Signage" + checks);
  add->add_option("--allow-lapsed-meter", in->allow_lapsed_meter_reason,
                  "Record despite a lapsed meter calibration; the reason shows on every view and report");
  add->add_option("--note", in->note, "Note");
  on_run(add, ctx, [&ctx, in](db::Database& db) -> Status {
    auto s = S::add_survey(db, ctx.actor(in->surveyor), *in);
    if (!s) return tl::unexpected(s.error());
    ctx.print(to_json(*s), [&](std::ostream& out) {
      out << fmt::format("Survey {} started: {} {} of {}; add points with `niikit rad survey point add {}` or "
                         "`rad survey import {} --csv FILE`, then `rad survey close {}`\n",
                         s->id, s->survey_type, s->survey_date, s->scanner_tag, s->id, s->id, s->id);
      if (s->meter_calibration_override)
        out << "WARNING: meter calibration lapsed; survey marked with override: " << s->override_reason << "\n";
    });
    return {};
  });

  auto* point = g->add_subcommand("point", "Survey points");
  point->require_subcommand(1);
  auto po = std::make_shared<PointOptions>();
  auto* padd = point->add_subcommand("add", "Add a measured point, judged at once against the survey's limits");
  padd->add_option("SURVEY", po->survey, "Survey id")->required();
  point_field(padd, po, "--label", "label", "Point label, unique in the survey (e.g. B1)", true);
  point_field(padd, po, "--zone", "zone", "Zone class: " + join_codes(R::zone_classes()), true);
  point_field(padd, po, "--dose-rate-usv-h", "dose_rate_usv_h", "Measured dose rate, µSv/h (gross)", true);
  point_field(padd, po, "--distance-m", "distance_m", "Distance from the source or beam, m");
  point_field(padd, po, "--dose-per-scan-usv", "dose_per_scan_usv", "Dose per scan, µSv (net of background)");
  point_field(padd, po, "--occupancy", "occupancy_factor", "Occupancy factor T, 0 < T ≤ 1 (default 1)");
  point_field(padd, po, "--scans-per-h", "scans_per_h", "Workload: scans per hour");
  point_field(padd, po, "--scans-per-year", "scans_per_year", "Workload: scans per year");
  point_field(padd, po, "--note", "note", "Note (where exactly)");
  padd->add_option("--by", po->by, "Person recording it");
  on_run(padd, ctx, [&ctx, po](db::Database& db) -> Status {
    auto p = S::add_point(db, ctx.actor(po->by), po->survey, po->fields);
    if (!p) return tl::unexpected(p.error());
    ctx.print(to_json(*p), [&](std::ostream& out) { print_points(out, {*p}); });
    return {};
  });

  auto imp_survey = std::make_shared<std::int64_t>(0);
  auto imp_file = std::make_shared<std::string>();
  auto imp_by = std::make_shared<std::string>();
  std::string cols;
  for (const auto& c : S::point_columns()) cols += (cols.empty() ? "" : ",") + c;
  auto* imp = g->add_subcommand("import", "Bulk points from a survey meter export (all rows or none; every bad row "
                                          "listed with line and field). Columns: " + cols + " (* required)");
  imp->add_option("SURVEY", *imp_survey, "Survey id")->required();
  imp->add_option("--csv", *imp_file, "CSV file with a header line")->required();
  imp->add_option("--by", *imp_by, "Person importing");
  on_run(imp, ctx, [&ctx, imp_survey, imp_file, imp_by](db::Database& db) -> Status {
    auto r = S::import_points(db, ctx.actor(*imp_by), *imp_survey, *imp_file);
    if (!r) return tl::unexpected(r.error());
    if (!r->errors.empty() && !ctx.json) {
      for (const auto& e : r->errors) *ctx.err << e.message << "\n";   // the error's detail: stderr
    } else {
      ctx.print(to_json(*r, *imp_file), [&](std::ostream& out) {
        if (r->errors.empty()) out << fmt::format("Imported {} point(s) into survey {}\n", r->stored, *imp_survey);
      });
    }
    if (!r->errors.empty())
      return fail(ErrorCode::input,
                  fmt::format("{}: {} of {} rows rejected; nothing stored", *imp_file, r->errors.size(), r->rows));
    return {};
  });

  auto cl_survey = std::make_shared<std::int64_t>(0);
  auto cl_by = std::make_shared<std::string>();
  auto cl_text = std::make_shared<std::string>();
  auto* close = g->add_subcommand("close", "Judge and close a survey. A failed survey takes an in-service scanner "
                                           "out of service and opens a follow-up action (exit status 7)");
  close->add_option("SURVEY", *cl_survey, "Survey id")->required();
  close->add_option("--by", *cl_by, "Person closing it (RSO)")->required();
  close->add_option("--follow-up", *cl_text, "Follow-up action text when it fails (default: the reasons)");
  on_run(close, ctx, [&ctx, cl_survey, cl_by, cl_text](db::Database& db) -> Status {
    auto r = S::close_survey(db, *cl_by, *cl_survey, *cl_text);
    if (!r) return tl::unexpected(r.error());
    QJsonObject json = to_json(r->survey);
    QJsonArray zones;
    for (const auto& z : r->judgement.zones) zones.append(to_json(z));
    json["zones"] = zones;
    json["forced_out_of_service"] =
        r->forced_out_of_service ? QJsonValue(to_json(*r->forced_out_of_service)) : QJsonValue();
    json["follow_up"] = r->follow_up ? QJsonValue(to_json(*r->follow_up)) : QJsonValue();
    ctx.print(json, [&](std::ostream& out) {
      out << fmt::format("Survey {} closed: {}\n", r->survey.id, r->judgement.pass ? "PASS" : "FAIL");
      for (const auto& why : r->judgement.reasons) out << "  " << why << "\n";
      if (r->forced_out_of_service)
        out << fmt::format("Scanner {} taken out of service (decision {})\n", r->survey.scanner_tag,
                           r->forced_out_of_service->id);
      if (r->follow_up) out << fmt::format("Follow-up {} opened: {}\n", r->follow_up->id, r->follow_up->action_text);
    });
    if (!r->judgement.pass)
      return fail(ErrorCode::test_failed, fmt::format("survey {}: failed ({} reason(s))", r->survey.id,
                                                      r->judgement.reasons.size()));
    return {};
  });

  auto sh = std::make_shared<std::int64_t>(0);
  auto* show = g->add_subcommand("show", "Show a survey: header, points with verdicts, zones, reasons, follow-ups");
  show->add_option("SURVEY", *sh, "Survey id")->required();
  on_run(show, ctx, [&ctx, sh](db::Database& db) -> Status {
    auto v = S::show_survey(db, *sh);
    if (!v) return tl::unexpected(v.error());
    ctx.print(to_json(*v), [&](std::ostream& out) { print_view(out, *v); });
    return {};
  });

  auto ls = std::make_shared<std::string>();
  auto* list = g->add_subcommand("list", "List surveys (optionally of one scanner)");
  list->add_option("--scanner", *ls, "Scanner (asset tag or id)");
  on_run(list, ctx, [&ctx, ls](db::Database& db) -> Status {
    auto rows = S::list_surveys(db, *ls);
    if (!rows) return tl::unexpected(rows.error());
    QJsonArray json;
    reports::TextTable t{{"ID", "SCANNER", "TYPE", "DATE", "STATUS", "VERDICT", "OVERRIDE"}, {}, {true}};
    for (const auto& s : *rows) {
      json.append(to_json(s));
      t.rows.push_back({std::to_string(s.id), s.scanner_tag, s.survey_type, s.survey_date, s.status,
                        s.verdict.value_or("—"), s.meter_calibration_override ? "lapsed meter" : ""});
    }
    ctx.print(json, [&](std::ostream& out) { out << t.render(); });
    return {};
  });
}

}  // namespace niikit::cli
