// Strict JSON field reading for the phantom loader (json_fields.hpp).
#include "phantoms/json_fields.hpp"

#include <QString>
#include <cmath>
#include <set>

namespace niikit::phantoms::detail {
namespace {
QString qkey(std::string_view key) {
  return QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()));
}
}  // namespace

std::string json_type_name(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "a boolean";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: return "nothing";
  }
  return "nothing";
}

FieldReader::FieldReader(const QJsonObject& object, std::string path)
    : object_(object), path_(std::move(path)) {}

std::string FieldReader::name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void FieldReader::set_error(std::string message) {
  if (!error_) error_ = std::move(message);
}

void FieldReader::allow_only(std::initializer_list<std::string_view> allowed) {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    const std::string key = it.key().toStdString();
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) set_error("unknown key '" + name(key) + "'");
  }
}

bool FieldReader::has(std::string_view key) const { return object_.contains(qkey(key)); }

QJsonValue FieldReader::require(std::string_view key) {
  if (failed()) return {};
  if (!has(key)) {
    set_error(name(key) + " missing");
    return {};
  }
  return object_.value(qkey(key));
}

double FieldReader::number(std::string_view key) {
  const QJsonValue v = require(key);
  if (failed()) return 0;
  if (!v.isDouble() || !std::isfinite(v.toDouble())) {
    set_error(name(key) + ": expected a number, got " + json_type_name(v));
    return 0;
  }
  return v.toDouble();
}

std::optional<double> FieldReader::optional_number(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return number(key);
}

int FieldReader::integer(std::string_view key) {
  const double d = number(key);
  if (failed()) return 0;
  if (std::floor(d) != d || std::abs(d) > 1e9) {
    set_error(name(key) + ": expected an integer, got " + std::to_string(d));
    return 0;
  }
  return static_cast<int>(d);
}

std::optional<int> FieldReader::optional_integer(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return integer(key);
}

std::string FieldReader::string(std::string_view key) {
  const QJsonValue v = require(key);
  if (failed()) return {};
  if (!v.isString()) {
    set_error(name(key) + ": expected a string, got " + json_type_name(v));
    return {};
  }
  return v.toString().toStdString();
}

std::optional<std::string> FieldReader::optional_string(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return string(key);
}

Material FieldReader::material(std::string_view key) {
  return choice<Material>(key, material_from_name,
                          "air, polyethylene, pom, aluminium, steel, copper, lead, tungsten",
                          Material::air);
}

QJsonArray FieldReader::array(std::string_view key) {
  const QJsonValue v = require(key);
  if (failed()) return {};
  if (!v.isArray()) {
    set_error(name(key) + ": expected an array, got " + json_type_name(v));
    return {};
  }
  return v.toArray();
}

std::vector<double> FieldReader::numbers(std::string_view key) {
  const QJsonArray a = array(key);
  std::vector<double> out;
  if (failed()) return out;
  if (a.isEmpty()) set_error(name(key) + ": empty array");
  for (qsizetype i = 0; i < a.size() && !failed(); ++i) {
    if (!a.at(i).isDouble()) {
      set_error(name(key) + "[" + std::to_string(i) + "]: expected a number, got " +
                json_type_name(a.at(i)));
    }
    out.push_back(a.at(i).toDouble());
  }
  return out;
}

QJsonObject FieldReader::object(std::string_view key) {
  const QJsonValue v = require(key);
  if (failed()) return {};
  if (!v.isObject()) {
    set_error(name(key) + ": expected an object, got " + json_type_name(v));
    return {};
  }
  return v.toObject();
}

std::optional<QJsonObject> FieldReader::optional_object(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return object(key);
}

namespace {

// Index just past the string literal opening at `at` (json[at] == '"').
std::size_t skip_string(std::string_view json, std::size_t at) {
  for (std::size_t i = at + 1; i < json.size(); ++i) {
    if (json[i] == '\\') ++i;
    else if (json[i] == '"') return i + 1;
  }
  return json.size();
}

bool followed_by_colon(std::string_view json, std::size_t i) {
  while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
  return i < json.size() && json[i] == ':';
}

}  // namespace

std::optional<std::string> find_duplicate_key(std::string_view json) {
  std::vector<std::set<std::string_view>> objects;  // keys seen, one set per open object
  int line = 1;
  for (std::size_t i = 0; i < json.size();) {
    const char ch = json[i];
    if (ch == '\n') ++line;
    if (ch == '{') objects.emplace_back();
    if (ch == '}' && !objects.empty()) objects.pop_back();
    if (ch != '"') {
      ++i;
      continue;
    }
    const std::size_t end = skip_string(json, i);
    const std::string_view key = json.substr(i + 1, end - i - 2);
    if (!objects.empty() && followed_by_colon(json, end) && !objects.back().insert(key).second)
      return "line " + std::to_string(line) + ": duplicate key '" + std::string(key) + "'";
    i = end;
  }
  return std::nullopt;
}

}  // namespace niikit::phantoms::detail
