// The report model as JSON (writers.hpp; schema docs/schemas/report.schema.json). Keys are
// lower case and stable; QJsonObject orders them alphabetically. Non-finite chart values
// cannot be represented in JSON and are dropped, as every other writer drops them.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

#include "core/atomic_file.hpp"
#include "reports/writers.hpp"

namespace niikit::reports {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QJsonArray pairs(const std::vector<std::pair<std::string, std::string>>& rows, const char* k,
                 const char* v) {
  QJsonArray a;
  for (const auto& [key, value] : rows)
    a.append(QJsonObject{{QLatin1String(k), q(key)}, {QLatin1String(v), q(value)}});
  return a;
}

QJsonObject table_json(const Table& t) {
  QJsonArray columns;
  for (const auto& c : t.columns)
    columns.append(QJsonObject{{"header", q(c.header)}, {"align", to_string(c.align)}});
  QJsonArray rows;
  for (const auto& r : t.rows) {
    QJsonArray cells;
    for (const auto& c : r.cells) cells.append(q(c));
    rows.append(QJsonObject{{"cells", cells}, {"verdict", to_string(r.verdict)}});
  }
  return QJsonObject{{"type", "table"},      {"title", q(t.title)}, {"columns", columns},
                     {"rows", rows}, {"verdict_column", t.verdict_column}};
}

QJsonObject chart_json(const Chart& c) {
  QJsonArray series;
  for (const auto& s : c.series) {
    QJsonArray points;
    for (const auto& p : s.points)
      if (std::isfinite(p.x) && std::isfinite(p.y)) points.append(QJsonArray{p.x, p.y});
    series.append(QJsonObject{{"name", q(s.name)}, {"points", points}});
  }
  QJsonArray limits;
  for (const auto& l : c.limits)
    if (std::isfinite(l.y)) limits.append(QJsonObject{{"label", q(l.label)}, {"y", l.y}});
  QJsonArray categories;
  for (const auto& cat : c.categories) categories.append(q(cat));
  return QJsonObject{{"type", "chart"},        {"kind", to_string(c.kind)}, {"title", q(c.title)},
                     {"x_label", q(c.x_label)}, {"y_label", q(c.y_label)}, {"series", series},
                     {"limits", limits},        {"categories", categories}};
}

QJsonObject block_json(const Block& block) {
  struct Visitor {
    QJsonObject operator()(const Paragraph& p) const { return {{"type", "paragraph"}, {"text", q(p.text)}}; }
    QJsonObject operator()(const KeyValues& kv) const {
      return {{"type", "key_values"}, {"rows", pairs(kv.rows, "label", "value")}};
    }
    QJsonObject operator()(const Table& t) const { return table_json(t); }
    QJsonObject operator()(const Chart& c) const { return chart_json(c); }
    QJsonObject operator()(const Figure& f) const {
      return {{"type", "figure"}, {"image_path", q(f.image_path)}, {"caption", q(f.caption)},
              {"max_width_mm", f.max_width_mm}};
    }
    QJsonObject operator()(const Notice& n) const {
      return {{"type", "notice"}, {"level", to_string(n.level)}, {"text", q(n.text)}};
    }
  };
  return std::visit(Visitor{}, block);
}

QJsonObject report_json(const Report& r) {
  QJsonArray sections;
  for (const auto& s : r.sections) {
    QJsonArray blocks;
    for (const auto& b : s.blocks) blocks.append(block_json(b));
    sections.append(QJsonObject{{"title", q(s.title)}, {"page_break_before", s.page_break_before},
                                {"blocks", blocks}});
  }
  QJsonArray signatures;
  for (const auto& s : r.signatures)
    signatures.append(QJsonObject{{"name", q(s.name)},
                                  {"role", q(s.role)},
                                  {"signed_at_utc", q(s.signed_at_utc)},
                                  {"covers_hash", q(s.covers_hash)},
                                  {"status", to_string(s.status)},
                                  {"note", q(s.note)}});
  QJsonArray inputs;
  for (const auto& f : r.provenance.input_files)
    inputs.append(QJsonObject{{"path", q(f.path)}, {"sha256", q(f.sha256)}});
  const QJsonObject provenance{{"toolkit_version", q(r.provenance.toolkit_version)},
                               {"generated_at_utc", q(r.provenance.generated_at_utc)},
                               {"versions", pairs(r.provenance.versions, "name", "version")},
                               {"audit_head_sha256", q(r.provenance.audit_head_sha256)},
                               {"input_files", inputs}};
  return QJsonObject{
      {"schema", "niikit.report/1"},
      {"kind", q(r.kind)},
      {"title", q(r.title)},
      {"subtitle", q(r.subtitle)},
      {"cover_fields", pairs(r.cover_fields, "label", "value")},
      {"overall_verdict", r.overall_verdict ? QJsonValue(to_string(*r.overall_verdict)) : QJsonValue()},
      {"sections", sections},
      {"signatures", signatures},
      {"provenance", provenance},
      {"logo_path", q(r.logo_path)},
  };
}

}  // namespace

std::string to_json_text(const Report& report) {
  return QJsonDocument(report_json(report)).toJson(QJsonDocument::Indented).toStdString();
}

Status write_json(const Report& report, const std::string& path, const OutputGuard* guard) {
  auto file = AtomicFile::create(path, guard);
  if (!file) return tl::unexpected(file.error());
  if (auto st = file->write_all(to_json_text(report)); !st) return st;
  return file->commit();
}

}  // namespace niikit::reports
