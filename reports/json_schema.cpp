#include "reports/json_schema.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace niikit::reports {

namespace {

QString type_of(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "boolean";
    case QJsonValue::Double: return "number";
    case QJsonValue::String: return "string";
    case QJsonValue::Array: return "array";
    case QJsonValue::Object: return "object";
    case QJsonValue::Undefined: break;
  }
  return "undefined";
}

bool has_type(const QJsonValue& v, const QString& type) {
  if (type == "integer") return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
  return type_of(v) == type;
}

class Checker {
 public:
  explicit Checker(QJsonObject root) : root_(std::move(root)) {}

  void check(const QJsonValue& v, const QJsonObject& schema, const std::string& where) {
    if (++depth_ > 64) {
      add(where, "schema recursion too deep");
      --depth_;
      return;
    }
    if (schema.contains("$ref")) check_ref(v, schema.value("$ref").toString(), where);
    check_type(v, schema, where);
    if (schema.contains("const") && schema.value("const") != v)
      add(where, fmt::format("expected {}, got {}", render(schema.value("const")), render(v)));
    if (schema.contains("enum") && !schema.value("enum").toArray().contains(v))
      add(where, fmt::format("{} is not one of {}", render(v), render(schema.value("enum"))));
    check_combinators(v, schema, where);
    if (v.isObject()) check_object(v.toObject(), schema, where);
    if (v.isArray()) check_array(v.toArray(), schema, where);
    if (v.isDouble()) check_number(v.toDouble(), schema, where);
    if (v.isString()) check_string(v.toString(), schema, where);
    --depth_;
  }

  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

 private:
  static std::string render(const QJsonValue& v) {
    if (v.isString()) return fmt::format("\"{}\"", v.toString().toStdString());
    if (v.isArray()) return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString();
    if (v.isObject()) return "an object";
    if (v.isDouble()) return QString::number(v.toDouble()).toStdString();
    if (v.isBool()) return v.toBool() ? "true" : "false";
    return "null";
  }

  void add(const std::string& where, const std::string& what) { problems_.push_back(fmt::format("{}: {}", where, what)); }

  void check_ref(const QJsonValue& v, const QString& ref, const std::string& where) {
    if (!ref.startsWith("#/")) {
      add(where, fmt::format("unsupported $ref '{}'", ref.toStdString()));
      return;
    }
    QJsonValue target = root_;
    for (const QString& part : ref.mid(2).split('/')) target = target.toObject().value(part);
    if (!target.isObject()) {
      add(where, fmt::format("$ref '{}' does not resolve", ref.toStdString()));
      return;
    }
    check(v, target.toObject(), where);
  }

  void check_type(const QJsonValue& v, const QJsonObject& schema, const std::string& where) {
    if (!schema.contains("type")) return;
    const QJsonValue t = schema.value("type");
    QStringList types;
    if (t.isArray())
      for (const auto& x : t.toArray()) types << x.toString();
    else
      types << t.toString();
    for (const auto& type : types)
      if (has_type(v, type)) return;
    add(where, fmt::format("expected {}, got {}", types.join(" or ").toStdString(), type_of(v).toStdString()));
  }

  // Number of problems `v` has against `schema`, without recording them.
  std::size_t trial(const QJsonValue& v, const QJsonObject& schema, const std::string& where) {
    const auto before = problems_.size();
    check(v, schema, where);
    const auto found = problems_.size() - before;
    problems_.resize(before);
    return found;
  }

  void check_combinators(const QJsonValue& v, const QJsonObject& schema, const std::string& where) {
    for (const auto& s : schema.value("allOf").toArray()) check(v, s.toObject(), where);
    if (schema.contains("anyOf")) {
      bool any = false;
      for (const auto& s : schema.value("anyOf").toArray()) any = any || trial(v, s.toObject(), where) == 0;
      if (!any) add(where, "matches none of the anyOf alternatives");
    }
    if (schema.contains("oneOf")) {
      const QJsonArray alts = schema.value("oneOf").toArray();
      int matches = 0;
      std::size_t best = SIZE_MAX;
      int best_index = -1;
      for (int i = 0; i < alts.size(); ++i) {
        const auto n = trial(v, alts[i].toObject(), where);
        if (n == 0) ++matches;
        if (n < best) best = n, best_index = i;
      }
      if (matches == 1) return;
      if (matches > 1) {
        add(where, "matches more than one oneOf alternative");
      } else if (v.isObject() && v.toObject().contains("type")) {
        // Report the closest alternative's own problems: more useful than "matches none".
        check(v, alts[best_index].toObject(), where);
      } else {
        add(where, fmt::format("{} matches none of the oneOf alternatives", render(v).substr(0, 60)));
      }
    }
  }

  void check_object(const QJsonObject& o, const QJsonObject& schema, const std::string& where) {
    for (const auto& r : schema.value("required").toArray())
      if (!o.contains(r.toString())) add(where, fmt::format("required key '{}' missing", r.toString().toStdString()));
    const QJsonObject props = schema.value("properties").toObject();
    const QJsonValue extra = schema.value("additionalProperties");
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string child = fmt::format("{}.{}", where, it.key().toStdString());
      if (props.contains(it.key()))
        check(it.value(), props.value(it.key()).toObject(), child);
      else if (extra.isBool() && !extra.toBool())
        add(where, fmt::format("unexpected key '{}'", it.key().toStdString()));
      else if (extra.isObject())
        check(it.value(), extra.toObject(), child);
    }
  }

  void check_array(const QJsonArray& a, const QJsonObject& schema, const std::string& where) {
    if (schema.contains("minItems") && a.size() < schema.value("minItems").toInteger())
      add(where, fmt::format("expected at least {} items", schema.value("minItems").toInteger()));
    if (schema.contains("maxItems") && a.size() > schema.value("maxItems").toInteger())
      add(where, fmt::format("expected at most {} items", schema.value("maxItems").toInteger()));
    if (!schema.value("items").isObject()) return;
    const QJsonObject items = schema.value("items").toObject();
    for (int i = 0; i < a.size(); ++i) check(a[i], items, fmt::format("{}[{}]", where, i));
  }

  void check_number(double x, const QJsonObject& schema, const std::string& where) {
    if (schema.contains("minimum") && x < schema.value("minimum").toDouble())
      add(where, fmt::format("{} is below the minimum {}", x, schema.value("minimum").toDouble()));
    if (schema.contains("maximum") && x > schema.value("maximum").toDouble())
      add(where, fmt::format("{} is above the maximum {}", x, schema.value("maximum").toDouble()));
  }

  void check_string(const QString& s, const QJsonObject& schema, const std::string& where) {
    if (schema.contains("minLength") && s.size() < schema.value("minLength").toInteger())
      add(where, fmt::format("string shorter than {}", schema.value("minLength").toInteger()));
    if (schema.contains("pattern")) {
      const QRegularExpression re(schema.value("pattern").toString());
      if (!re.match(s).hasMatch())
        add(where, fmt::format("\"{}\" does not match {}", s.toStdString(), re.pattern().toStdString()));
    }
  }

  QJsonObject root_;
  std::vector<std::string> problems_;
  int depth_ = 0;
};

}  // namespace

Status validate_json(const std::string& json_text, const std::string& schema_text) {
  QJsonParseError err{};
  const auto schema = QJsonDocument::fromJson(QByteArray::fromStdString(schema_text), &err);
  if (err.error != QJsonParseError::NoError || !schema.isObject())
    return fail(ErrorCode::input, fmt::format("schema: not a JSON object ({})", err.errorString().toStdString()));
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json_text), &err);
  if (err.error != QJsonParseError::NoError)
    return fail(ErrorCode::input,
                fmt::format("json: parse error at offset {}: {}", err.offset, err.errorString().toStdString()));
  const QJsonValue value = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
  Checker checker(schema.object());
  checker.check(value, schema.object(), "$");
  const auto& p = checker.problems();
  if (p.empty()) return {};
  std::string msg = p.front();
  if (p.size() > 1) msg += fmt::format(" (and {} more problems)", p.size() - 1);
  return fail(ErrorCode::input, msg);
}

}  // namespace niikit::reports
