// JSON forms of the radiation safety records (see cli_rad_views.hpp).
#include "app/cli/cli_rad_views.hpp"

#include <QJsonArray>
#include <QJsonDocument>

#include "app/cli/json_views.hpp"

namespace niikit::cli {

namespace {
QJsonValue opt(const std::optional<std::string>& v) { return v ? QJsonValue(qs(*v)) : QJsonValue(); }
QJsonValue opt(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(); }
QJsonValue opt(const std::optional<std::int64_t>& v) { return v ? QJsonValue(static_cast<double>(*v)) : QJsonValue(); }
QJsonValue parsed(const std::string& json) {
  auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
  return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}
}  // namespace

QJsonObject to_json(const services::rad::LicenceView& v) {
  const auto& l = v.licence;
  QJsonArray links;
  for (const auto& k : v.links)
    links.append(QJsonObject{{"kind", k.scanner_id ? "scanner" : "source"},
                             {"id", opt(k.scanner_id ? k.scanner_id : k.source_id)},
                             {"item", qs(k.item)}});
  return {{"id", static_cast<double>(l.id)},       {"regulator", qs(l.regulator)},
          {"licence_number", qs(l.licence_number)}, {"licence_type", qs(l.licence_type)},
          {"scope", qs(l.scope)},                   {"conditions", qs(l.conditions)},
          {"issued_date", qs(l.issued_date)},       {"expires_date", opt(l.expires_date)},
          {"status", qs(l.status)},                 {"state", qs(v.state)},
          {"days_to_expiry", v.days_to_expiry ? QJsonValue(*v.days_to_expiry) : QJsonValue()},
          {"links", links}};
}

QJsonObject to_json(const db::rad::LeakTest& t) {
  return {{"id", static_cast<double>(t.id)}, {"source_id", static_cast<double>(t.source_id)},
          {"tested_date", qs(t.tested_date)}, {"result_bq", t.result_bq},
          {"limit_bq", t.limit_bq},          {"verdict", t.pass ? "pass" : "fail"},
          {"tested_by", qs(t.tested_by)},    {"certificate", qs(t.certificate)}};
}

QJsonObject to_json(const db::rad::Transfer& t) {
  return {{"id", static_cast<double>(t.id)},   {"source_id", static_cast<double>(t.source_id)},
          {"transfer_kind", qs(t.transfer_kind)}, {"from_party", qs(t.from_party)},
          {"to_party", qs(t.to_party)},        {"transfer_date", qs(t.transfer_date)},
          {"custody_person", qs(t.custody_person)}, {"document_ref", qs(t.document_ref)},
          {"note", qs(t.note)}};
}

QJsonObject to_json(const services::rad::SourceView& v) {
  const auto& s = v.source;
  QJsonArray leaks, transfers;
  for (const auto& t : v.leak_tests) leaks.append(to_json(t));
  for (const auto& t : v.transfers) transfers.append(to_json(t));
  return {{"id", static_cast<double>(s.id)},
          {"source_kind", qs(s.source_kind)},
          {"serial", qs(s.serial)},
          {"manufacturer", qs(s.manufacturer)},
          {"model", qs(s.model)},
          {"isotope", opt(s.isotope)},
          {"isotope_name", qs(s.isotope_name)},
          {"half_life_y", opt(v.half_life_y)},
          {"activity_bq", opt(s.activity_bq)},
          {"reference_date", opt(s.reference_date)},
          {"current_activity_bq", opt(v.current_activity_bq)},
          {"generator_type", opt(s.generator_type)},
          {"energy_mev", opt(s.energy_mev)},
          {"scanner", s.scanner_tag.empty() ? QJsonValue() : QJsonValue(qs(s.scanner_tag))},
          {"status", qs(s.status)},
          {"leak_test_due_date", opt(v.leak_test_due_date)},
          {"leak_tests", leaks},
          {"transfers", transfers}};
}

QJsonObject to_json(const db::rad::Meter& m) {
  return {{"id", static_cast<double>(m.id)},
          {"manufacturer", qs(m.manufacturer)},
          {"model", qs(m.model)},
          {"serial", qs(m.serial)},
          {"detector_type", qs(m.detector_type)},
          {"calibration_certificate", qs(m.calibration_certificate)},
          {"calibrated_date", opt(m.calibrated_date)},
          {"calibration_due_date", opt(m.calibration_due_date)}};
}

QJsonObject to_json(const db::rad::Survey& s) {
  return {{"id", static_cast<double>(s.id)},
          {"scanner", qs(s.scanner_tag)},
          {"survey_type", qs(s.survey_type)},
          {"survey_date", qs(s.survey_date)},
          {"meter_id", static_cast<double>(s.meter_id)},
          {"meter_calibration_due_date", opt(s.meter_calibration_due_date)},
          {"surveyor", qs(s.surveyor_name)},
          {"energy_mode", qs(s.energy_mode)},
          {"scan_mode", qs(s.scan_mode)},
          {"object_in_beam", qs(s.object_in_beam)},
          {"background_usv_h", s.background_usv_h},
          {"checks", QJsonObject{{"interlock", qs(s.interlock_check)},
                                 {"estop", qs(s.estop_check)},
                                 {"warning_light", qs(s.warning_light_check)},
                                 {"signage", qs(s.signage_check)}}},
          {"meter_calibration_override", s.meter_calibration_override},
          {"override_reason", qs(s.override_reason)},
          {"status", qs(s.status)},
          {"verdict", opt(s.verdict)},
          {"verdict_reasons", parsed(s.verdict_reasons_json)},
          {"limits", parsed(s.limits_json)},
          {"closed_at_utc", opt(s.closed_at_utc)},
          {"note", qs(s.note)}};
}

QJsonObject to_json(const db::rad::SurveyPoint& p) {
  return {{"id", static_cast<double>(p.id)},
          {"label", qs(p.label)},
          {"zone_class", qs(p.zone_class)},
          {"distance_m", opt(p.distance_m)},
          {"dose_rate_usv_h", p.dose_rate_usv_h},
          {"dose_per_scan_usv", opt(p.dose_per_scan_usv)},
          {"occupancy_factor", p.occupancy_factor},
          {"scans_per_h", opt(p.scans_per_h)},
          {"scans_per_year", opt(p.scans_per_year)},
          {"net_of_background", p.net_of_background},
          {"judged_rate_usv_h", p.judged_rate_usv_h},
          {"limit_usv_h", opt(p.limit_usv_h)},
          {"projected_annual_usv", p.projected_annual_usv},
          {"verdict", qs(p.verdict)},
          {"note", qs(p.note)}};
}

QJsonObject to_json(const db::rad::FollowUp& f) {
  return {{"id", static_cast<double>(f.id)},   {"scanner_id", opt(f.scanner_id)},
          {"survey_id", opt(f.survey_id)},     {"licence_id", opt(f.licence_id)},
          {"action_text", qs(f.action_text)},  {"status", qs(f.status)},
          {"due_date", opt(f.due_date)}};
}

QJsonObject to_json(const domain::rad::ZoneAnnual& z) {
  return {{"zone", qs(std::string(domain::rad::zone_code(z.zone)))},
          {"annual_class", qs(std::string(domain::rad::dose_class_code(z.annual_class)))},
          {"points", z.points},
          {"max_projected_msv", z.max_projected_msv},
          {"worst_point", qs(z.worst_point)},
          {"limit_msv", z.limit_msv},
          {"verdict", z.pass ? "pass" : "fail"}};
}

QJsonObject to_json(const services::rad::SurveyView& v) {
  QJsonObject o = to_json(v.survey);
  QJsonArray points, zones, follow;
  for (const auto& p : v.points) points.append(to_json(p));
  for (const auto& z : v.zones) zones.append(to_json(z));
  for (const auto& f : v.follow_ups) follow.append(to_json(f));
  o["meter"] = to_json(v.meter);
  o["points"] = points;
  o["zones"] = zones;
  o["follow_ups"] = follow;
  return o;
}

QJsonObject to_json(const services::ImportResult& r, const std::string& file) {
  QJsonArray errors;
  for (const auto& e : r.errors) errors.append(QJsonObject{{"line", e.line}, {"message", qs(e.message)}});
  return {{"file", qs(file)}, {"rows", r.rows}, {"stored", r.stored}, {"errors", errors}};
}

}  // namespace niikit::cli
