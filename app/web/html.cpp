#include "app/web/html.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <fmt/format.h>

#include <vector>

#include "reports/svg_chart.hpp"

namespace niikit::web {

namespace {

constexpr int kMaxDepth = 6;

std::string scalar_text(const QJsonValue& v) {
  if (v.isBool()) return v.toBool() ? "yes" : "no";
  if (v.isDouble()) {
    const double d = v.toDouble();
    if (d == static_cast<double>(static_cast<long long>(d)) && d > -1e15 && d < 1e15)
      return std::to_string(static_cast<long long>(d));
    return fmt::format("{:g}", d);
  }
  if (v.isNull() || v.isUndefined()) return "";
  return v.toString().toStdString();
}

bool is_scalar(const QJsonValue& v) { return !v.isArray() && !v.isObject(); }

std::string render(const QJsonValue& v, int depth);

std::string render_table(const QJsonArray& rows, int depth) {
  std::vector<QString> columns;
  for (const auto& row : rows)
    for (const auto& key : row.toObject().keys())
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
  std::string out = "<table class=\"records\"><thead><tr>";
  for (const auto& c : columns) out += "<th>" + escape_html(c.toStdString()) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    const auto o = row.toObject();
    out += "<tr>";
    for (const auto& c : columns) {
      const auto cell = o.value(c);
      const bool number = cell.isDouble();
      out += number ? "<td class=\"num\">" : "<td>";
      out += render(cell, depth + 1) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string render(const QJsonValue& v, int depth) {
  if (is_scalar(v)) return escape_html(scalar_text(v));
  if (depth > kMaxDepth)
    return "<code>" + escape_html(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
                                      .toJson(QJsonDocument::Compact)
                                      .toStdString()) +
           "</code>";
  if (v.isArray()) {
    const auto a = v.toArray();
    if (a.isEmpty()) return "<span class=\"none\">none</span>";
    bool objects = true, scalars = true;
    for (const auto& e : a) {
      objects = objects && e.isObject();
      scalars = scalars && is_scalar(e);
    }
    if (objects) return render_table(a, depth);
    std::string out = scalars ? "<span class=\"list\">" : "<ol>";
    for (qsizetype i = 0; i < a.size(); ++i) {
      if (scalars)
        out += (i ? ", " : "") + render(a[i], depth + 1);
      else
        out += "<li>" + render(a[i], depth + 1) + "</li>";
    }
    return out + (scalars ? "</span>" : "</ol>");
  }
  const auto o = v.toObject();
  if (o.isEmpty()) return "<span class=\"none\">done</span>";
  std::string out = "<dl class=\"record\">";
  for (auto it = o.begin(); it != o.end(); ++it)
    out += "<dt>" + escape_html(it.key().toStdString()) + "</dt><dd>" + render(it.value(), depth + 1) + "</dd>";
  return out + "</dl>";
}

}  // namespace

// HTML text and attribute values escape the same five characters as the reports' SVG/XML.
std::string escape_html(std::string_view text) { return reports::xml_escape(std::string(text)); }

std::string html_of(const QJsonValue& value) { return render(value, 0); }

}  // namespace niikit::web
