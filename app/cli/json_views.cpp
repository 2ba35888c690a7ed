#include "app/cli/json_views.hpp"

#include <QJsonDocument>

namespace niikit::cli {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QJsonArray string_array(const std::vector<std::string>& items) {
  QJsonArray a;
  for (const auto& i : items) a.append(qs(i));
  return a;
}

namespace {
QJsonValue id_or_null(const std::optional<std::int64_t>& v) { return v ? QJsonValue(qint64(*v)) : QJsonValue(); }
}  // namespace

QJsonObject to_json(const db::Site& s) {
  return {{"id", qint64(s.id)}, {"name", qs(s.name)}, {"country", qs(s.country)},
          {"site_type", qs(s.site_type)}, {"created_at_utc", qs(s.created_at_utc)}};
}

QJsonObject to_json(const db::Person& p) {
  return {{"id", qint64(p.id)},  {"name", qs(p.name)},   {"role", qs(p.role)}, {"organisation", qs(p.organisation)},
          {"email", qs(p.email)}, {"created_at_utc", qs(p.created_at_utc)}};
}

QJsonObject to_json(const db::Scanner& s) {
  return {{"id", qint64(s.id)},
          {"asset_tag", qs(s.asset_tag)},
          {"manufacturer", qs(s.manufacturer)},
          {"model", qs(s.model)},
          {"serial", qs(s.serial)},
          {"technology", qs(s.technology)},
          {"energy_mev", s.energy_mev ? QJsonValue(*s.energy_mev) : QJsonValue()},
          {"configuration", qs(s.configuration)},
          {"dual_energy", s.dual_energy},
          {"software_version", qs(s.software_version)},
          {"firmware_version", qs(s.firmware_version)},
          {"site_id", id_or_null(s.site_id)},
          {"site", s.site_name.empty() ? QJsonValue() : QJsonValue(qs(s.site_name))},
          {"stage", qs(s.stage)},
          {"stage_since_utc", qs(s.stage_since_utc)},
          {"created_at_utc", qs(s.created_at_utc)}};
}

QJsonObject to_json(const db::Document& d) {
  return {{"id", qint64(d.id)},
          {"title", qs(d.title)},
          {"kind", qs(d.kind)},
          {"file_path", qs(d.file_path)},
          {"sha256", qs(d.sha256)},
          {"size_bytes", qint64(d.size_bytes)},
          {"scanner_id", id_or_null(d.scanner_id)},
          {"site_id", id_or_null(d.site_id)},
          {"added_by", id_or_null(d.added_by)},
          {"added_at_utc", qs(d.added_at_utc)}};
}

QJsonObject to_json(const db::Decision& d) {
  return {{"id", qint64(d.id)},
          {"kind", qs(d.kind)},
          {"from_stage", d.from_stage ? QJsonValue(qs(*d.from_stage)) : QJsonValue()},
          {"to_stage", qs(d.to_stage)},
          {"decided_by", d.decided_by_name.empty() ? QJsonValue() : QJsonValue(qs(d.decided_by_name))},
          {"decided_role", qs(d.decided_role)},
          {"decided_at_utc", qs(d.decided_at_utc)},
          {"effective_at_utc", qs(d.effective_at_utc)},
          {"note", qs(d.note)},
          {"evidence_document_id", id_or_null(d.evidence_document_id)},
          {"gate", QJsonDocument::fromJson(QByteArray::fromStdString(d.gate_json)).array()}};
}

QJsonObject to_json(const domain::GateOutcome& g) {
  QJsonArray conditions;
  for (const auto& c : g.conditions) {
    QJsonObject o{{"condition", qs(c.text)}, {"holds", c.holds}};
    if (!c.holds) o["why"] = qs(c.why);
    if (!c.hint.empty()) o["hint"] = qs(c.hint);
    conditions.append(o);
  }
  return {{"passed", g.passed()}, {"conditions", conditions}};
}

}  // namespace niikit::cli
