// Surveys: header, points (one by one or from a survey meter's CSV export), closing with a
// verdict (and its consequences), and the view used by `rad survey show` and the report.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <set>

#include "core/time_format.hpp"
#include "app/services/csv.hpp"
#include "app/services/csv_batch.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/radiation_service.hpp"
#include "app/services/radiation_service_internal.hpp"

namespace niikit::services::rad {

namespace R = domain::rad;
using namespace detail;

namespace {

const std::vector<std::string> required_point_columns{"label", "zone", "dose_rate_usv_h"};
const std::vector<std::string> optional_point_columns{"distance_m",  "dose_per_scan_usv", "occupancy_factor",
                                                      "scans_per_h", "scans_per_year",    "note"};

std::string field_of(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : it->second;
}

Result<std::optional<double>> optional_number(const Fields& f, const std::string& key, double lo, double hi) {
  const std::string text = field_of(f, key);
  if (text.empty()) return std::optional<double>{};
  auto n = number_field(key, text, lo, hi);
  if (!n) return tl::unexpected(n.error());
  return std::optional<double>{*n};
}

Result<R::RadiationSettings> survey_settings(const db::rad::Survey& s) {
  return R::settings_from(limits_from_json(s.limits_json));
}

R::PointInput point_input(const db::rad::SurveyPoint& p) {
  return {*R::parse_zone(p.zone_class), p.dose_rate_usv_h, p.dose_per_scan_usv, p.occupancy_factor, p.scans_per_h,
          p.scans_per_year};
}

std::vector<R::JudgedPoint> judged(const std::vector<db::rad::SurveyPoint>& points, double background,
                                   const R::RadiationSettings& cfg) {
  std::vector<R::JudgedPoint> out;
  for (const auto& p : points) {
    auto in = point_input(p);
    out.push_back({p.label, in, R::evaluate_point(in, background, cfg)});
  }
  return out;
}

// Checks the fields of one point and stores it, judged against the survey's limits.
Result<db::rad::SurveyPoint> store_point(db::WriteTx& tx, const db::rad::Survey& survey, const R::RadiationSettings& cfg,
                                         const Fields& f) {
  for (const auto& [k, v] : f)
    if (std::find(required_point_columns.begin(), required_point_columns.end(), k) == required_point_columns.end() &&
        std::find(optional_point_columns.begin(), optional_point_columns.end(), k) == optional_point_columns.end())
      return fail(ErrorCode::input, fmt::format("field '{}': unknown", k));
  db::rad::SurveyPoint p;
  p.survey_id = survey.id;
  p.label = field_of(f, "label");
  if (p.label.empty()) return fail(ErrorCode::input, "field 'label': empty");
  auto zone = parse_code(R::zone_classes(), field_of(f, "zone"));
  if (!zone) return fail(ErrorCode::input, fmt::format("field 'zone': {}", zone.error().message));
  p.zone_class = *zone;
  auto rate_text = field_of(f, "dose_rate_usv_h");
  if (rate_text.empty()) return fail(ErrorCode::input, "field 'dose_rate_usv_h': empty");
  auto rate = number_field("dose_rate_usv_h", rate_text, 0, 1e7);
  if (!rate) return tl::unexpected(rate.error());
  p.dose_rate_usv_h = *rate;
  struct Opt {
    const char* key;
    double lo, hi;
    std::optional<double>* out;
  };
  std::optional<double> occupancy;
  for (const Opt& o : {Opt{"distance_m", 0, 1000, &p.distance_m}, Opt{"dose_per_scan_usv", 0, 1e6, &p.dose_per_scan_usv},
                       Opt{"occupancy_factor", 1e-6, 1, &occupancy}, Opt{"scans_per_h", 1e-6, 10000, &p.scans_per_h},
                       Opt{"scans_per_year", 0, 1e8, &p.scans_per_year}}) {
    auto n = optional_number(f, o.key, o.lo, o.hi);
    if (!n) return tl::unexpected(n.error());
    *o.out = *n;
  }
  p.occupancy_factor = occupancy.value_or(1.0);
  p.note = field_of(f, "note");
  if (db::rad::point_label_taken(tx.sql(), survey.id, p.label))
    return fail(ErrorCode::conflict, fmt::format("field 'label': point '{}' already in survey {}", p.label, survey.id));
  const auto r = R::evaluate_point(point_input(p), survey.background_usv_h, cfg);
  p.net_of_background = r.net_of_background;
  p.judged_rate_usv_h = r.judged_rate_usv_h;
  p.limit_usv_h = r.limit_usv_h;
  p.projected_annual_usv = r.projected_annual_usv;
  p.verdict = r.pass ? "pass" : "fail";
  auto id = db::rad::insert_point(tx, p);
  if (!id) return tl::unexpected(id.error());
  p.id = *id;
  return p;
}

Result<db::rad::Survey> open_survey(SQLite::Database& sql, std::int64_t id) {
  auto s = db::rad::find_survey(sql, id);
  if (!s) return fail(ErrorCode::not_found, fmt::format("survey {}: not found", id));
  if (s->status != "open")
    return fail(ErrorCode::conflict, fmt::format("survey {}: closed ({}); record a new survey", id, s->verdict.value_or("")));
  return *s;
}

std::string zones_json(const std::vector<R::ZoneAnnual>& zones) {
  QJsonArray a;
  for (const auto& z : zones)
    a.append(QJsonObject{{"zone", QString::fromStdString(std::string(R::zone_code(z.zone)))},
                         {"annual_class", QString::fromStdString(std::string(R::dose_class_code(z.annual_class)))},
                         {"points", z.points},
                         {"max_projected_msv", z.max_projected_msv},
                         {"worst_point", QString::fromStdString(z.worst_point)},
                         {"limit_msv", z.limit_msv},
                         {"pass", z.pass}});
  return QJsonDocument(a).toJson(QJsonDocument::Compact).toStdString();
}

std::string strings_json(const std::vector<std::string>& items) {
  QJsonArray a;
  for (const auto& s : items) a.append(QString::fromStdString(s));
  return QJsonDocument(a).toJson(QJsonDocument::Compact).toStdString();
}

}  // namespace

std::vector<std::string> point_columns() {
  std::vector<std::string> out;
  for (const auto& c : required_point_columns) out.push_back(c + "*");
  out.insert(out.end(), optional_point_columns.begin(), optional_point_columns.end());
  return out;
}

Result<db::rad::Survey> add_survey(db::Database& db, const std::string& actor, const SurveyInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::Survey> {
    db::rad::Survey s;
    auto scanner = db::find_scanner(tx.sql(), in.scanner);
    if (!scanner) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", in.scanner));
    s.scanner_id = scanner->id;
    auto type = parse_code(R::survey_types(), in.type);
    if (!type) return tl::unexpected(type.error());
    s.survey_type = *type;
    auto date = date_field("date", in.date, true);
    if (!date) return tl::unexpected(date.error());
    if (*date > format_date(tx.now())) return fail(ErrorCode::input, fmt::format("date {}: in the future", *date));
    s.survey_date = *date;
    auto surveyor = db::find_person(tx.sql(), in.surveyor);
    if (!surveyor) return fail(ErrorCode::not_found, fmt::format("person '{}': not found (--by)", in.surveyor));
    s.surveyor_id = surveyor->id;
    auto meter = db::rad::find_meter(tx.sql(), in.meter);
    if (!meter) return fail(ErrorCode::not_found, fmt::format("meter '{}': not found", in.meter));
    s.meter_id = meter->id;
    // Valid when some recorded calibration covers the survey date (calibrated on or before it,
    // due on or after it); the meter row holds only the newest.
    bool lapsed = true;
    for (const auto& c : db::rad::calibrations_for(tx.sql(), meter->id))
      if (c.calibrated_date <= *date && c.calibration_due_date >= *date) {
        lapsed = false;
        s.meter_calibration_due_date = c.calibration_due_date;
      }
    if (lapsed) s.meter_calibration_due_date = meter->calibration_due_date;
    if (lapsed) {
      const std::string why =
          meter->calibration_due_date
              ? fmt::format("has no calibration covering the survey date {} (current calibration {} → due {})", *date,
                            meter->calibrated_date.value_or("?"), *meter->calibration_due_date)
              : std::string("has no calibration recorded");
      if (in.allow_lapsed_meter_reason.empty())
        return fail(ErrorCode::gate_refused,
                    fmt::format("survey refused: meter {} {}; recalibrate it, or record the survey as invalid with "
                                "--allow-lapsed-meter REASON",
                                meter->serial, why));
      s.meter_calibration_override = true;
      s.override_reason = in.allow_lapsed_meter_reason;
    }
    if (!in.background_usv_h || *in.background_usv_h < 0 || *in.background_usv_h >= 100)
      return fail(ErrorCode::input, "survey: --background-usv-h is required (0 ≤ value < 100)");
    s.background_usv_h = *in.background_usv_h;
    for (auto [value, out, name] : {std::tuple{&in.interlock, &s.interlock_check, "interlock"},
                                    {&in.estop, &s.estop_check, "estop"},
                                    {&in.warning_light, &s.warning_light_check, "warning_light"},
                                    {&in.signage, &s.signage_check, "signage"}}) {
      auto c = R::parse_check(*value);
      if (!c) return fail(ErrorCode::input, fmt::format("{} '{}': expected pass, fail or not_checked", name, *value));
      *out = *value;
    }
    s.energy_mode = in.energy_mode;
    s.scan_mode = in.scan_mode;
    s.object_in_beam = in.object_in_beam;
    s.note = in.note;
    // The limits in force now are stored with the survey: later setting changes never re-judge it.
    s.limits_json = limits_to_json(R::full_setting_values(db::rad::load_settings(tx.sql())));
    auto id = db::rad::insert_survey(tx, s);
    if (!id) return tl::unexpected(id.error());
    return *db::rad::find_survey(tx.sql(), *id);
  });
}

Result<db::rad::SurveyPoint> add_point(db::Database& db, const std::string& actor, std::int64_t survey_id,
                                       const Fields& fields) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::SurveyPoint> {
    auto s = open_survey(tx.sql(), survey_id);
    if (!s) return tl::unexpected(s.error());
    auto cfg = survey_settings(*s);
    if (!cfg) return tl::unexpected(cfg.error().with_context(fmt::format("survey {} stored limits", survey_id)));
    auto p = store_point(tx, *s, *cfg, fields);
    if (!p) return tl::unexpected(p.error().with_context(fmt::format("survey {} point", survey_id)));
    return p;
  });
}

Result<ImportResult> import_points(db::Database& db, const std::string& actor, std::int64_t survey_id,
                                   const std::string& path) {
  auto table = read_batch_csv(path, required_point_columns, optional_point_columns);
  if (!table) return tl::unexpected(table.error());
  ImportResult result;
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status {
    auto s = open_survey(tx.sql(), survey_id);
    if (!s) return tl::unexpected(s.error());
    auto cfg = survey_settings(*s);
    if (!cfg) return tl::unexpected(cfg.error());
    return store_rows_all_or_nothing(
        tx, *table, path,
        [&](const Fields& f) -> Status {
          auto p = store_point(tx, *s, *cfg, f);
          if (!p) return tl::unexpected(p.error());
          return {};
        },
        result);
  });
  if (!st && result.errors.empty()) return tl::unexpected(st.error());
  return result;
}

Result<CloseResult> close_survey(db::Database& db, const std::string& by, std::int64_t survey_id,
                                 const std::string& follow_up_text) {
  if (by.empty()) return fail(ErrorCode::usage, "closing a survey needs --by PERSON");
  auto person = get_person(db, by);
  if (!person) return tl::unexpected(person.error());
  return db.write(person->name, [&](db::WriteTx& tx) -> Result<CloseResult> {
    auto s = open_survey(tx.sql(), survey_id);
    if (!s) return tl::unexpected(s.error());
    auto cfg = survey_settings(*s);
    if (!cfg) return tl::unexpected(cfg.error());
    const auto points = db::rad::points_for(tx.sql(), s->id);
    R::SafetyChecks checks{*R::parse_check(s->interlock_check), *R::parse_check(s->estop_check),
                           *R::parse_check(s->warning_light_check), *R::parse_check(s->signage_check)};
    auto j = R::judge_survey(s->survey_type, judged(points, s->background_usv_h, *cfg), checks, *cfg);
    if (!j) return tl::unexpected(j.error().with_context(fmt::format("survey {}", survey_id)));
    CloseResult out;
    out.judgement = *j;
    s->status = "closed";
    s->verdict = j->pass ? "pass" : "fail";
    s->verdict_reasons_json = strings_json(j->reasons);
    s->zone_results_json = zones_json(j->zones);
    s->closed_by = person->id;
    s->closed_at_utc = format_utc(tx.now());
    if (auto st = db::rad::update_survey(tx, *s); !st) return tl::unexpected(st.error());
    if (!j->pass) {
      const std::string reason = fmt::format("{} radiation survey {} of {} failed: {}", s->survey_type, s->id,
                                             s->survey_date, j->reasons.front());
      auto d = force_out_of_service_in(tx, s->scanner_id, *person, reason);
      if (!d) return tl::unexpected(d.error());
      out.forced_out_of_service = *d;
      db::rad::FollowUp f;
      f.scanner_id = s->scanner_id;
      f.survey_id = s->id;
      f.action_text = follow_up_text.empty()
                          ? fmt::format("Investigate and correct: {}; repeat the survey before operation",
                                        fmt::join(j->reasons, "; "))
                          : follow_up_text;
      f.due_date = format_date(tx.now() + std::chrono::days{14});
      auto fid = db::rad::insert_follow_up(tx, f);
      if (!fid) return tl::unexpected(fid.error());
      f.id = *fid;
      out.follow_up = f;
    }
    out.survey = *db::rad::find_survey(tx.sql(), s->id);
    return out;
  });
}

Result<SurveyView> show_survey(db::Database& db, std::int64_t survey_id) {
  return db.read([&](SQLite::Database& sql) -> Result<SurveyView> {
    auto s = db::rad::find_survey(sql, survey_id);
    if (!s) return fail(ErrorCode::not_found, fmt::format("survey {}: not found", survey_id));
    SurveyView v;
    v.survey = *s;
    v.scanner = *db::find_scanner(sql, std::to_string(s->scanner_id));
    v.meter = *db::rad::find_meter(sql, std::to_string(s->meter_id));
    v.points = db::rad::points_for(sql, s->id);
    v.limits = limits_from_json(s->limits_json);
    auto cfg = R::settings_from(v.limits);
    if (!cfg) return tl::unexpected(cfg.error().with_context(fmt::format("survey {} stored limits", survey_id)));
    v.zones = R::zone_annual_doses(judged(v.points, s->background_usv_h, *cfg), *cfg);
    const auto reasons = QJsonDocument::fromJson(QByteArray::fromStdString(s->verdict_reasons_json)).array();
    for (const auto& r : reasons) v.verdict_reasons.push_back(r.toString().toStdString());
    for (const auto& f : db::rad::follow_ups(sql, s->scanner_id, false))
      if (f.survey_id == s->id) v.follow_ups.push_back(f);
    v.meter_lapsed_on_survey_date = s->meter_calibration_override;
    return v;
  });
}

Result<std::vector<db::rad::Survey>> list_surveys(db::Database& db, const std::string& scanner) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<db::rad::Survey>> {
    std::optional<std::int64_t> id;
    if (!scanner.empty()) {
      auto s = db::find_scanner(sql, scanner);
      if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
      id = s->id;
    }
    return db::rad::list_surveys(sql, id);
  });
}

}  // namespace niikit::services::rad
