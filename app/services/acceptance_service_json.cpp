// JSON forms of acceptance records (docs/cli-json.md "test"): shared by `niikit test --json`
// and the JSON acceptance report.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/services/acceptance_service.hpp"

namespace niikit::services {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
QJsonValue id_or_null(const std::optional<std::int64_t>& v) { return v ? QJsonValue(qint64(*v)) : QJsonValue(); }
QJsonValue text_or_null(const std::optional<std::string>& v) { return v ? QJsonValue(qs(*v)) : QJsonValue(); }
QJsonValue parsed(const std::string& json) {
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
  if (doc.isObject()) return doc.object();
  if (doc.isArray()) return doc.array();
  return QJsonValue();
}

QJsonObject requirement_json(const domain::Requirement& r) {
  QJsonArray phases;
  for (const auto& p : r.verified_at) phases.append(qs(p));
  return {{"id", qs(r.id)},
          {"text", qs(r.text)},
          {"category", qs(r.category)},
          {"mandatory", r.mandatory},
          {"metric_key", qs(r.metric_key)},
          {"comparator", qs(std::string(domain::comparator_symbol(r.comparator)))},
          {"target", r.target},
          {"tolerance", r.tolerance},
          {"target_text", qs(domain::describe_target(r))},
          {"unit", qs(r.unit)},
          {"method", qs(r.method)},
          {"verified_at", phases}};
}

}  // namespace

QJsonObject to_json(const db::TestSession& s) {
  return {{"id", qint64(s.id)},
          {"scanner_id", qint64(s.scanner_id)},
          {"asset_tag", qs(s.asset_tag)},
          {"phase", qs(s.phase)},
          {"location", qs(s.location)},
          {"retest_of", id_or_null(s.retest_of)},
          {"specification_id", id_or_null(s.specification_id)},
          {"specification_version", id_or_null(s.specification_version)},
          {"specification_sha256", qs(s.specification_sha256)},
          {"started_at_utc", qs(s.started_at_utc)},
          {"started_by", qs(s.started_by_name)},
          {"status", qs(s.status)},
          {"closed_at_utc", text_or_null(s.closed_at_utc)},
          {"closed_by", s.closed_by ? QJsonValue(qs(s.closed_by_name)) : QJsonValue()},
          {"verdict", text_or_null(s.verdict)},
          {"content_sha256", s.content_sha256.empty() ? QJsonValue() : QJsonValue(qs(s.content_sha256))}};
}

QJsonObject to_json(const RequirementResult& r) {
  return {{"requirement", requirement_json(r.requirement)},
          {"verdict", qs(std::string(domain::verdict_code(r.verdict)))},
          {"reason", qs(r.reason)},
          {"measured", r.measured ? QJsonValue(*r.measured) : QJsonValue()},
          {"unit", qs(r.unit)},
          {"measurement_id", id_or_null(r.measurement_id)},
          {"from_session", id_or_null(r.from_session)},
          {"witnessed_by", [&] {
             QJsonArray a;
             for (const auto& w : r.witnessed_by) a.append(qs(w));
             return a;
           }()}};
}

QJsonObject to_json(const db::KitRun& k) {
  return {{"id", qint64(k.id)},
          {"kit_id", qs(k.kit_id)},
          {"kit_version", qs(k.kit_version)},
          {"phantom", qs(k.phantom)},
          {"image_path", qs(k.image_path)},
          {"image_sha256", qs(k.image_sha256)},
          {"low_energy_path", qs(k.low_energy_path)},
          {"low_energy_sha256", qs(k.low_energy_sha256)},
          {"blank_images", parsed(k.blank_images_json)},
          {"options", parsed(k.options_json)},
          {"overlay_path", qs(k.overlay_path)},
          {"toolkit_version", qs(k.toolkit_version)},
          {"run_at_utc", qs(k.run_at_utc)},
          {"run_by", qs(k.run_by_name)},
          {"result", parsed(k.result_json)}};
}

QJsonObject to_json(const db::Measurement& m) {
  return {{"id", qint64(m.id)},
          {"metric_key", qs(m.metric_key)},
          {"value", m.value},
          {"unit", qs(m.unit)},
          {"source", qs(m.source)},
          {"kit_run_id", id_or_null(m.kit_run_id)},
          {"instrument", qs(m.instrument)},
          {"instrument_serial", qs(m.instrument_serial)},
          {"note", qs(m.note)},
          {"recorded_at_utc", qs(m.recorded_at_utc)},
          {"recorded_by", qs(m.recorded_by_name)}};
}

QJsonObject to_json(const db::Deviation& d) {
  return {{"id", qint64(d.id)},
          {"session_id", qint64(d.session_id)},
          {"phase", qs(d.phase)},
          {"requirement_id", qs(d.requirement_id)},
          {"severity", qs(d.severity)},
          {"description", qs(d.description)},
          {"raised_automatically", d.raised_automatically},
          {"status", qs(d.status)},
          {"waiver_condition", qs(d.waiver_condition)},
          {"resolution_note", qs(d.resolution_note)},
          {"closed_by_session", id_or_null(d.closed_by_session)},
          {"raised_at_utc", qs(d.raised_at_utc)},
          {"raised_by", qs(d.raised_by_name)},
          {"closed_at_utc", text_or_null(d.closed_at_utc)},
          {"closed_by", d.closed_by ? QJsonValue(qs(d.closed_by_name)) : QJsonValue()}};
}

QJsonObject to_json(const SignatureStatus& g) {
  return {{"id", qint64(g.signature.id)},
          {"person", qs(g.signature.name)},
          {"role", qs(g.signature.role)},
          {"signed_at_utc", qs(g.signature.signed_at_utc)},
          {"content_sha256", qs(g.signature.content_sha256)},
          {"valid", g.valid},
          {"status", qs(g.status)},
          {"key_fingerprint", qs(g.key_fingerprint)}};
}

QJsonObject to_json(const SessionDetail& d) {
  QJsonArray requirements, results, witnesses, kit_runs, measurements, deviations, closed, signatures;
  for (const auto& r : d.requirements) requirements.append(requirement_json(r));
  for (const auto& r : d.results) results.append(to_json(r));
  for (const auto& w : d.witnesses) witnesses.append(QJsonObject{{"person", qs(w.name)}, {"role", qs(w.person_role)}});
  for (const auto& k : d.kit_runs) kit_runs.append(to_json(k));
  for (const auto& m : d.measurements) measurements.append(to_json(m));
  for (const auto& x : d.deviations) deviations.append(to_json(x));
  for (const auto& x : d.closed_deviations) closed.append(to_json(x));
  for (const auto& g : d.signatures) signatures.append(to_json(g));
  return {{"session", to_json(d.session)},
          {"scanner", QJsonObject{{"id", qint64(d.scanner.id)},
                                  {"asset_tag", qs(d.scanner.asset_tag)},
                                  {"manufacturer", qs(d.scanner.manufacturer)},
                                  {"model", qs(d.scanner.model)},
                                  {"serial", qs(d.scanner.serial)},
                                  {"stage", qs(d.scanner.stage)},
                                  {"software_version", qs(d.scanner.software_version)},
                                  {"firmware_version", qs(d.scanner.firmware_version)}}},
          {"requirements", requirements},
          {"results", results},
          {"summary", QJsonObject{{"mandatory_total", d.mandatory_total},
                                  {"mandatory_passed", d.mandatory_passed},
                                  {"mandatory_failed", d.mandatory_failed},
                                  {"mandatory_not_measured", d.mandatory_not_measured}}},
          {"witnesses", witnesses},
          {"kit_runs", kit_runs},
          {"measurements", measurements},
          {"deviations", deviations},
          {"deviations_closed_by_this_session", closed},
          {"signatures", signatures},
          {"current_content_sha256", qs(d.current_content_sha256)},
          {"content_intact", d.content_intact}};
}

}  // namespace niikit::services
