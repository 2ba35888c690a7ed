// Internal to the phantom loader: a strict reader of one JSON object's fields.
//
// It remembers the first problem (a missing key, a wrong type, an unknown enum spelling) and
// hands back harmless defaults afterwards, so parsing code reads as a list of fields and checks
// `error()` once. Messages are relative ("diameter_mm missing"); the caller prefixes the file
// and the feature. Not thread-safe; one per object being read.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phantoms/materials.hpp"

namespace niikit::phantoms::detail {

class FieldReader {
 public:
  // `path` names the object inside its feature for messages, e.g. "cover" → "cover.thickness_mm".
  FieldReader(const QJsonObject& object, std::string path = {});

  // Records an error unless every key of the object is in `allowed`.
  void allow_only(std::initializer_list<std::string_view> allowed);

  [[nodiscard]] bool has(std::string_view key) const;
  double number(std::string_view key);
  std::optional<double> optional_number(std::string_view key);
  int integer(std::string_view key);
  std::optional<int> optional_integer(std::string_view key);
  std::string string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  Material material(std::string_view key);
  std::vector<double> numbers(std::string_view key);  // non-empty array of numbers
  QJsonArray array(std::string_view key);
  QJsonObject object(std::string_view key);
  std::optional<QJsonObject> optional_object(std::string_view key);

  // Reads a string and maps it with `parse` (returns std::optional<T>); `what` lists the
  // accepted spellings for the message.
  template <class T, class Parse>
  T choice(std::string_view key, Parse parse, std::string_view what, T fallback) {
    const std::string text = string(key);
    if (failed()) return fallback;
    if (auto value = parse(text)) return *value;
    set_error(name(key) + ": unknown value '" + text + "' (expected " + std::string(what) + ")");
    return fallback;
  }

  void set_error(std::string message);
  [[nodiscard]] bool failed() const { return error_.has_value(); }
  [[nodiscard]] const std::optional<std::string>& error() const { return error_; }
  [[nodiscard]] std::string name(std::string_view key) const;

 private:
  QJsonValue require(std::string_view key);

  QJsonObject object_;
  std::string path_;
  std::optional<std::string> error_;
};

// Qt keeps the last of repeated keys silently; the loader refuses them. Scans valid JSON text
// and returns "line N: duplicate key 'k'" for the first key repeated within one object.
std::optional<std::string> find_duplicate_key(std::string_view json);

// JSON type names for messages: "a string", "an array", ...
std::string json_type_name(const QJsonValue& value);

}  // namespace niikit::phantoms::detail
