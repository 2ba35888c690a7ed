#include "app/api/codec.hpp"

#include "app/domain/text_rules.hpp"

#include <QStringDecoder>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace niikit::api {

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::boolean: return "boolean";
    case Kind::integer: return "integer";
    case Kind::number: return "number";
    case Kind::text: return "text";
    case Kind::list: return "list";
    case Kind::map: return "map";
    case Kind::object: return "object";
    case Kind::any: break;
  }
  return "any";
}

QString to_qstring(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

std::string to_std(const QString& s) { return s.toStdString(); }

QJsonValue encode_json_text(const std::string& text) {
  // QJsonDocument holds only objects and arrays: wrap the text so scalars parse too.
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + text + "]"));
  return doc.isArray() && doc.array().size() == 1 ? doc.array().at(0) : QJsonValue();
}

Status decode_json_text(const QJsonValue& json, std::string& out) {
  const auto t = QJsonDocument(QJsonArray{json}).toJson(QJsonDocument::Compact).toStdString();
  out = t.substr(1, t.size() - 2);
  return {};
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "/" + std::string(key);
}

std::string child_path(const std::string& parent, std::size_t index) { return child_path(parent, std::to_string(index)); }

tl::unexpected<Error> decode_error(const std::string& path, std::string message) {
  return fail_field(ErrorCode::input, path, std::move(message));
}

Status check_text(const std::string& path, const QString& text, unsigned flags) {
  const std::size_t limit = (flags & kPath) ? kMaxPathChars : (flags & kMultiline) ? kMaxMultilineChars : kMaxLineChars;
  if (auto problem = domain::text_problem(text.toStdString(), limit, (flags & kMultiline) != 0))
    return decode_error(path, std::move(*problem));
  return {};
}

Result<QJsonValue> value_from_text(Kind kind, const std::string& text, const std::string& field) {
  QStringDecoder utf8(QStringDecoder::Utf8);
  const QString s = utf8(QByteArray::fromStdString(text));
  if (utf8.hasError()) return fail_field(ErrorCode::usage, field, "not valid UTF-8");
  if (kind == Kind::integer) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE)
      return fail_field(ErrorCode::usage, field, fmt::format("'{}' is not an integer", text));
    return QJsonValue(static_cast<qint64>(v));
  }
  if (kind == Kind::number) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
      return fail_field(ErrorCode::usage, field, fmt::format("'{}' is not a finite number", text));
    return QJsonValue(v);
  }
  if (kind == Kind::boolean) {
    if (text == "true" || text == "on" || text == "yes" || text == "1") return QJsonValue(true);
    if (text == "false" || text == "off" || text == "no" || text == "0" || text.empty()) return QJsonValue(false);
    return fail_field(ErrorCode::usage, field, fmt::format("'{}' is not yes or no", text));
  }
  return QJsonValue(s);
}

}  // namespace niikit::api
