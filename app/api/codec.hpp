// JSON codecs for the operation table's typed requests and responses, written once from a
// description of each type's fields (a small reflection: a type lists its fields with their
// JSON names, members and help text), so the CLI's --json, the web API and the generated
// reference all agree, and every request and response round-trips through JSON.
//
//   struct SiteAddRequest { std::string name, country, site_type; };
//   template <> struct Describe<SiteAddRequest> {
//     static auto fields() {
//       return std::make_tuple(field("name", &SiteAddRequest::name, "Site name (unique)", kRequired), ...);
//     }
//   };
//   QJsonValue v = encode(request);  Status st = decode(v, request);
//
// Supported members: bool, integers, double (finite only), std::string (UTF-8; single-line
// unless kMultiline; length-limited), std::optional<T>, std::vector<T>, std::set<std::string>,
// std::map<std::string, T>, described structs, enums with EnumCodes<E>, QJsonValue/QJsonObject/
// QJsonArray (free-form, e.g. a kit's own result document) and JsonText (a string that holds
// JSON, written as that JSON).
//
// Decoding is strict: unknown keys, wrong types, non-finite numbers, control characters and
// over-long text are input errors naming the field path (Error::field, e.g. "points/3/label").
// Thread-safe (pure functions).
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "app/domain/text_rules.hpp"
#include "core/error.hpp"

namespace niikit::api {

// ---- field descriptions ------------------------------------------------------------------------

enum FieldFlags : unsigned {
  kNone = 0,
  kRequired = 1u << 0,    // a request must give it
  kPositional = 1u << 1,  // CLI: a positional argument, not --name
  kMultiline = 1u << 2,   // text may hold newlines and tabs (notes, clause texts)
  kSecret = 1u << 3,      // never echoed (passwords)
  kCliHidden = 1u << 4,   // not offered on the command line (set by the adapter itself)
  kPath = 1u << 5,        // a file path (longer limit; the CLI shows FILE)
  kJsonText = 1u << 6,    // a std::string member holding JSON text, written as that JSON
};

template <class T, class M>
struct Field {
  std::string_view name;        // JSON key; CLI option --name (underscores shown as dashes)
  M T::*member;
  std::string help;             // may be built at start-up (e.g. listing the allowed codes)
  unsigned flags = kNone;
  std::string_view value_name;  // CLI placeholder ("ID", "FILE"); empty = from the type
};

template <class T, class M>
Field<T, M> field(std::string_view name, M T::*member, std::string help = {}, unsigned flags = kNone,
                  std::string_view value_name = {}) {
  return {name, member, std::move(help), flags, value_name};
}

// Specialise with `static auto fields()` returning a std::tuple of Field (built once per type
// and cached by the codec).
template <class T>
struct Describe;

// The fields of a described type, built once.
template <class T>
const auto& described_fields() {
  static const auto fields = Describe<T>::fields();
  return fields;
}

// Specialise for enums with `static constexpr auto codes()` returning a std::array of
// std::pair<E, std::string_view>.
template <class E>
struct EnumCodes;

template <class T>
concept Described = requires { Describe<T>::fields(); };
template <class E>
concept Coded = std::is_enum_v<E> && requires { EnumCodes<E>::codes(); };

// A string member that holds JSON text (stored documents): written and read as that JSON.
struct JsonText {
  std::string text = "null";
  bool operator==(const JsonText&) const = default;
};

// Text limits (characters): single-line fields (the domain's one limit), multi-line fields, paths.
inline constexpr std::size_t kMaxLineChars = domain::kMaxLineChars;
inline constexpr std::size_t kMaxMultilineChars = 20'000;
inline constexpr std::size_t kMaxPathChars = 4'096;

// ---- the JSON kind of a member type (for the CLI, the docs and the API reference) -------------

enum class Kind { boolean, integer, number, text, list, map, object, any };
std::string_view kind_name(Kind k);  // "boolean", "integer", ...

template <class M> struct KindOf { static constexpr Kind value = Kind::any; };
template <> struct KindOf<bool> { static constexpr Kind value = Kind::boolean; };
template <std::integral I> requires(!std::same_as<I, bool>) struct KindOf<I> { static constexpr Kind value = Kind::integer; };
template <std::floating_point F> struct KindOf<F> { static constexpr Kind value = Kind::number; };
template <> struct KindOf<std::string> { static constexpr Kind value = Kind::text; };
template <> struct KindOf<JsonText> { static constexpr Kind value = Kind::any; };
template <Coded E> struct KindOf<E> { static constexpr Kind value = Kind::text; };
template <class T> struct KindOf<std::optional<T>> { static constexpr Kind value = KindOf<T>::value; };
template <class T> struct KindOf<std::vector<T>> { static constexpr Kind value = Kind::list; };
template <class T> struct KindOf<std::set<T>> { static constexpr Kind value = Kind::list; };
template <class T> struct KindOf<std::map<std::string, T>> { static constexpr Kind value = Kind::map; };
template <Described T> struct KindOf<T> { static constexpr Kind value = Kind::object; };

// The element kind of a list member (text for std::vector<std::string>).
template <class M> struct ElementKind { static constexpr Kind value = Kind::any; };
template <class T> struct ElementKind<std::vector<T>> { static constexpr Kind value = KindOf<T>::value; };
template <class T> struct ElementKind<std::set<T>> { static constexpr Kind value = KindOf<T>::value; };
template <class T> struct ElementKind<std::optional<T>> { static constexpr Kind value = ElementKind<T>::value; };

// ---- encode ----------------------------------------------------------------------------------

QString to_qstring(std::string_view s);
std::string to_std(const QString& s);

template <class T>
QJsonValue encode(const T& value, unsigned flags = kNone);
QJsonValue encode_json_text(const std::string& text);
Status decode_json_text(const QJsonValue& json, std::string& out);
template <class T>
QJsonValue encode_container(const std::optional<T>& v);
template <class T>
QJsonValue encode_container(const std::vector<T>& v);
template <class T>
QJsonValue encode_container(const std::set<T>& v);
template <class T>
QJsonValue encode_container(const std::map<std::string, T>& v);

namespace detail {

template <class T>
QJsonObject encode_described(const T& value) {
  QJsonObject o;
  std::apply([&](const auto&... f) { ((o.insert(to_qstring(f.name), encode(value.*(f.member), f.flags))), ...); },
             described_fields<T>());
  return o;
}

}  // namespace detail

template <class T>
QJsonValue encode(const T& value, unsigned flags) {
  if constexpr (std::is_same_v<T, bool>) {
    return QJsonValue(value);
  } else if constexpr (std::is_integral_v<T>) {
    return QJsonValue(static_cast<qint64>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::isfinite(value) ? QJsonValue(static_cast<double>(value)) : QJsonValue();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (flags & kJsonText) return encode_json_text(value);
    return QJsonValue(to_qstring(value));
  } else if constexpr (std::is_same_v<T, JsonText>) {
    return encode_json_text(value.text);
  } else if constexpr (std::is_same_v<T, QJsonValue>) {
    return value;
  } else if constexpr (std::is_same_v<T, QJsonObject> || std::is_same_v<T, QJsonArray>) {
    return QJsonValue(value);
  } else if constexpr (Coded<T>) {
    for (const auto& [code, text] : EnumCodes<T>::codes())
      if (code == value) return QJsonValue(to_qstring(text));
    return QJsonValue();
  } else if constexpr (Described<T>) {
    return detail::encode_described(value);
  } else {
    return encode_container(value);
  }
}

template <class T>
QJsonValue encode_container(const std::optional<T>& v) {
  return v ? encode(*v) : QJsonValue();
}
template <class T>
QJsonValue encode_container(const std::vector<T>& v) {
  QJsonArray a;
  for (const auto& item : v) a.append(encode(item));
  return a;
}
template <class T>
QJsonValue encode_container(const std::set<T>& v) {
  QJsonArray a;
  for (const auto& item : v) a.append(encode(item));
  return a;
}
template <class T>
QJsonValue encode_container(const std::map<std::string, T>& v) {
  QJsonObject o;
  for (const auto& [k, item] : v) o.insert(to_qstring(k), encode(item));
  return o;
}

// ---- decode ----------------------------------------------------------------------------------

// "points/3/label" from a parent path and a key or index.
std::string child_path(const std::string& parent, std::string_view key);
std::string child_path(const std::string& parent, std::size_t index);
tl::unexpected<Error> decode_error(const std::string& path, std::string message);

// Text checks shared by every string: valid UTF-8 is guaranteed by QString; refused are
// control characters (newline and tab allowed when `multiline`) and text beyond the limit.
Status check_text(const std::string& path, const QString& text, unsigned flags);

template <class T>
Status decode(const QJsonValue& json, T& out, const std::string& path = {}, unsigned flags = kNone);
template <class T>
Status decode_container(const QJsonValue& json, std::optional<T>& out, const std::string& path, unsigned flags);
template <class T>
Status decode_container(const QJsonValue& json, std::vector<T>& out, const std::string& path, unsigned flags);
template <class T>
Status decode_container(const QJsonValue& json, std::set<T>& out, const std::string& path, unsigned flags);
template <class T>
Status decode_container(const QJsonValue& json, std::map<std::string, T>& out, const std::string& path,
                        unsigned flags);

namespace detail {

template <class T, class M>
Status decode_field(const QJsonObject& o, const Field<T, M>& f, T& out, const std::string& path) {
  const QString key = to_qstring(f.name);
  const auto it = o.constFind(key);
  const std::string here = child_path(path, f.name);
  if (it == o.constEnd() || it->isNull()) {
    if (f.flags & kRequired) return decode_error(here, "required");
    if constexpr (requires { out.*(f.member) = std::nullopt; }) out.*(f.member) = std::nullopt;
    return {};
  }
  return decode(*it, out.*(f.member), here, f.flags);
}

template <class T>
Status decode_described(const QJsonValue& json, T& out, const std::string& path) {
  if (!json.isObject()) return decode_error(path, "expected an object");
  const QJsonObject o = json.toObject();
  // Strict: every key must be a field of T.
  for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
    bool known = false;
    const std::string key = to_std(it.key());
    std::apply([&](const auto&... f) { ((known = known || f.name == key), ...); }, described_fields<T>());
    if (!known) return decode_error(child_path(path, key), "unknown field");
  }
  Status st;
  std::apply([&](const auto&... f) { ((st = st ? decode_field(o, f, out, path) : st), ...); }, described_fields<T>());
  return st;
}

}  // namespace detail

template <class T>
Status decode(const QJsonValue& json, T& out, const std::string& path, unsigned flags) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!json.isBool()) return decode_error(path, "expected true or false");
    out = json.toBool();
  } else if constexpr (std::is_integral_v<T>) {
    if (!json.isDouble()) return decode_error(path, "expected an integer");
    const double d = json.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d) return decode_error(path, "expected an integer");
    const qint64 v = json.toInteger();
    if (v < static_cast<qint64>(std::numeric_limits<T>::min()) ||
        static_cast<long double>(v) > static_cast<long double>(std::numeric_limits<T>::max()))
      return decode_error(path, "integer out of range");
    out = static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!json.isDouble()) return decode_error(path, "expected a number");
    const double d = json.toDouble();
    if (!std::isfinite(d)) return decode_error(path, "expected a finite number");
    out = static_cast<T>(d);
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (flags & kJsonText) return decode_json_text(json, out);
    if (!json.isString()) return decode_error(path, "expected text");
    if (auto st = check_text(path, json.toString(), flags); !st) return st;
    out = to_std(json.toString());
  } else if constexpr (std::is_same_v<T, JsonText>) {
    return decode_json_text(json, out.text);
  } else if constexpr (std::is_same_v<T, QJsonValue>) {
    out = json;
  } else if constexpr (std::is_same_v<T, QJsonObject>) {
    if (!json.isObject()) return decode_error(path, "expected an object");
    out = json.toObject();
  } else if constexpr (std::is_same_v<T, QJsonArray>) {
    if (!json.isArray()) return decode_error(path, "expected a list");
    out = json.toArray();
  } else if constexpr (Coded<T>) {
    if (!json.isString()) return decode_error(path, "expected text");
    const std::string text = to_std(json.toString());
    std::string allowed;
    for (const auto& [code, name] : EnumCodes<T>::codes()) {
      if (name == text) {
        out = code;
        return {};
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    return decode_error(path, "'" + text + "' is not one of " + allowed);
  } else if constexpr (Described<T>) {
    return detail::decode_described(json, out, path);
  } else {
    return decode_container(json, out, path, flags);
  }
  return {};
}

template <class T>
Status decode_container(const QJsonValue& json, std::optional<T>& out, const std::string& path, unsigned flags) {
  if (json.isNull() || json.isUndefined()) {
    out.reset();
    return {};
  }
  T value{};
  if (auto st = decode(json, value, path, flags); !st) return st;
  out = std::move(value);
  return {};
}
template <class T>
Status decode_container(const QJsonValue& json, std::vector<T>& out, const std::string& path, unsigned flags) {
  if (!json.isArray()) return decode_error(path, "expected a list");
  out.clear();
  const QJsonArray a = json.toArray();
  for (qsizetype i = 0; i < a.size(); ++i) {
    T value{};
    if (auto st = decode(a.at(i), value, child_path(path, static_cast<std::size_t>(i)), flags); !st) return st;
    out.push_back(std::move(value));
  }
  return {};
}
template <class T>
Status decode_container(const QJsonValue& json, std::set<T>& out, const std::string& path, unsigned flags) {
  std::vector<T> items;
  if (auto st = decode_container(json, items, path, flags); !st) return st;
  out = std::set<T>(items.begin(), items.end());
  return {};
}
template <class T>
Status decode_container(const QJsonValue& json, std::map<std::string, T>& out, const std::string& path,
                        unsigned flags) {
  if (!json.isObject()) return decode_error(path, "expected an object");
  out.clear();
  const QJsonObject o = json.toObject();
  for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
    T value{};
    const std::string key = to_std(it.key());
    if (auto st = decode(it.value(), value, child_path(path, key), flags); !st) return st;
    out.emplace(key, std::move(value));
  }
  return {};
}

// Decodes a whole value (a request): `json` must describe a T completely.
template <class T>
Result<T> decode_as(const QJsonValue& json) {
  T out{};
  if (auto st = decode(json, out); !st) return tl::unexpected(st.error());
  return out;
}

// ---- field information (for the CLI adapter, docs and the API reference) ----------------------

struct FieldInfo {
  std::string name;
  std::string help;
  unsigned flags = kNone;
  std::string value_name;
  Kind kind = Kind::any;          // the member's kind (an optional's inner kind)
  Kind element_kind = Kind::any;  // for lists
  bool optional = false;          // std::optional member (may be null)
  std::vector<std::string> choices;  // for enum members: the allowed codes
  std::vector<FieldInfo> fields;  // for object members (and lists of objects): their fields

  [[nodiscard]] bool required() const { return flags & kRequired; }
  [[nodiscard]] bool positional() const { return flags & kPositional; }
};

template <class T>
std::vector<FieldInfo> fields_of();

namespace detail {

template <class M> struct Unwrap { using type = M; };
template <class T> struct Unwrap<std::optional<T>> { using type = T; };
template <class T> struct Unwrap<std::vector<T>> { using type = T; };
template <class T> struct Unwrap<std::set<T>> { using type = T; };
template <class T> struct Unwrap<std::map<std::string, T>> { using type = T; };
template <class M> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};

template <class M>
void describe_member(FieldInfo& info) {
  using Inner = typename Unwrap<typename Unwrap<M>::type>::type;
  info.kind = KindOf<M>::value;
  info.element_kind = ElementKind<M>::value;
  info.optional = IsOptional<M>::value;
  if constexpr (Coded<Inner>)
    for (const auto& [code, text] : EnumCodes<Inner>::codes()) info.choices.emplace_back(text);
  if constexpr (Described<Inner>) info.fields = fields_of<Inner>();
}

}  // namespace detail

template <class T>
std::vector<FieldInfo> fields_of() {
  std::vector<FieldInfo> out;
  if constexpr (Described<T>) {
    std::apply(
        [&](const auto&... f) {
          (([&] {
             FieldInfo info;
             info.name = std::string(f.name);
             info.help = f.help;
             info.flags = f.flags;
             info.value_name = std::string(f.value_name);
             using M = std::remove_cvref_t<decltype(std::declval<T>().*(f.member))>;
             detail::describe_member<M>(info);
             out.push_back(std::move(info));
           }()),
           ...);
        },
        described_fields<T>());
  }
  return out;
}

// One value typed as text (a command-line option, a web form field) turned into the JSON the
// request's codec expects for `kind`: integers and finite numbers checked, text checked to be
// UTF-8. The error is a usage error with `field` as its field and a message without it.
Result<QJsonValue> value_from_text(Kind kind, const std::string& text, const std::string& field);

// An empty request or response.
struct Empty {};
template <>
struct Describe<Empty> {
  static auto fields() { return std::tuple<>(); }
};

}  // namespace niikit::api
