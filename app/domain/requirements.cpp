#include "app/domain/requirements.hpp"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <utility>

namespace niikit::domain {

namespace {

std::string lower_trimmed(std::string_view text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)) || (!out.empty() && out.back() != ' '))
      out.push_back(std::isspace(static_cast<unsigned char>(c)) ? ' '
                                                                 : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Shortest decimal form that still reads back as the same figure for a reader: 300, 0.5, 1.25.
std::string number(double v) {
  std::string s = fmt::format("{:.6g}", v);
  return s;
}

const std::array<std::pair<std::string_view, Comparator>, 17> kComparatorWords{{
    {">=", Comparator::at_least},   {"ge", Comparator::at_least},   {"at least", Comparator::at_least},
    {"min", Comparator::at_least},  {">", Comparator::more_than},   {"gt", Comparator::more_than},
    {"<=", Comparator::at_most},    {"le", Comparator::at_most},    {"at most", Comparator::at_most},
    {"max", Comparator::at_most},   {"<", Comparator::less_than},   {"lt", Comparator::less_than},
    {"==", Comparator::equals},     {"eq", Comparator::equals},     {"=", Comparator::equals},
    {"true", Comparator::is_true},  {"yes", Comparator::is_true},
}};

const std::array<std::string_view, 8> kCategories{"image_quality", "radiation", "throughput", "availability",
                                                  "software",      "data_format", "functional", "other"};

}  // namespace

Result<Comparator> parse_comparator(std::string_view text) {
  const std::string key = lower_trimmed(text);
  for (const auto& [word, c] : kComparatorWords)
    if (key == word) return c;
  return fail(ErrorCode::input, fmt::format("comparator '{}': expected one of >=, >, <=, <, ==, true", text));
}

std::string_view comparator_symbol(Comparator c) {
  switch (c) {
    case Comparator::at_least: return ">=";
    case Comparator::more_than: return ">";
    case Comparator::at_most: return "<=";
    case Comparator::less_than: return "<";
    case Comparator::equals: return "==";
    case Comparator::is_true: return "true";
  }
  return "?";
}

std::string_view verdict_code(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::not_measured: return "not_measured";
  }
  return "?";
}

const std::vector<std::string_view>& requirement_categories() {
  static const std::vector<std::string_view> categories(kCategories.begin(), kCategories.end());
  return categories;
}

std::vector<VerificationGap> verification_gaps(const std::vector<Requirement>& requirements) {
  std::vector<VerificationGap> out;
  for (const auto& r : requirements) {
    if (!r.mandatory) continue;
    const bool no_method = lower_trimmed(r.method).empty();
    const bool no_phase = r.verified_at.empty();
    if (no_method && no_phase)
      out.push_back({r.id, "mandatory requirement has no test method and no verification phase"});
    else if (no_method)
      out.push_back({r.id, "mandatory requirement has no test method"});
    else if (no_phase)
      out.push_back({r.id, "mandatory requirement has no verification phase (verified_at)"});
  }
  return out;
}

std::string requirements_sha256(const std::vector<Requirement>& requirements) {
  const std::string canonical = requirements_to_json(requirements);
  return QCryptographicHash::hash(QByteArrayView(canonical.data(), static_cast<qsizetype>(canonical.size())),
                                  QCryptographicHash::Sha256)
      .toHex()
      .toStdString();
}

const std::vector<std::string_view>& verification_phases() {
  static const std::vector<std::string_view> phases{"fat", "sat", "periodic", "return_to_service", "review"};
  return phases;
}

std::string describe_target(const Requirement& r) {
  const std::string unit = r.unit.empty() || r.unit == "bool" ? "" : " " + r.unit;
  switch (r.comparator) {
    case Comparator::is_true: return "yes";
    case Comparator::equals:
      return r.tolerance > 0 ? fmt::format("{} ± {}{}", number(r.target), number(r.tolerance), unit)
                             : fmt::format("= {}{}", number(r.target), unit);
    default: return fmt::format("{} {}{}", comparator_symbol(r.comparator), number(r.target), unit);
  }
}

Judgement judge(const Requirement& r, std::optional<double> measured) {
  if (!measured || !std::isfinite(*measured))
    return {Verdict::not_measured, fmt::format("no measurement of {}", r.metric_key)};
  const double m = *measured;
  bool ok = false;
  switch (r.comparator) {
    case Comparator::at_least: ok = m >= r.target; break;
    case Comparator::more_than: ok = m > r.target; break;
    case Comparator::at_most: ok = m <= r.target; break;
    case Comparator::less_than: ok = m < r.target; break;
    case Comparator::equals: ok = std::abs(m - r.target) <= r.tolerance; break;
    case Comparator::is_true: ok = m >= 0.5; break;
  }
  const std::string unit = r.unit.empty() || r.unit == "bool" ? "" : " " + r.unit;
  std::string reason = r.comparator == Comparator::is_true
                           ? fmt::format("{} (required: yes)", m >= 0.5 ? "yes" : "no")
                           : fmt::format("{}{} against {}", number(m), unit, describe_target(r));
  return {ok ? Verdict::pass : Verdict::fail, std::move(reason)};
}

Result<std::vector<Requirement>> parse_requirements_json(std::string_view json_text, std::string_view source) {
  QJsonParseError perr;
  const auto doc = QJsonDocument::fromJson(QByteArray(json_text.data(), static_cast<qsizetype>(json_text.size())), &perr);
  if (perr.error != QJsonParseError::NoError)
    return fail(ErrorCode::input, fmt::format("{}: not valid JSON at offset {}: {}", source, perr.offset,
                                              perr.errorString().toStdString()));
  QJsonArray list;
  if (doc.isObject() && doc.object().value("requirements").isArray())
    list = doc.object().value("requirements").toArray();
  else if (doc.isArray())
    list = doc.array();
  else
    return fail(ErrorCode::input, fmt::format("{}: expected {{\"requirements\": [...]}}", source));

  static const std::set<QString> known{"id", "text", "category", "mandatory", "metric_key", "comparator",
                                       "target", "tolerance", "unit", "method", "verified_at"};
  std::vector<Requirement> out;
  std::set<std::string> ids;
  int n = 0;
  for (const auto& item : list) {
    ++n;
    const std::string where = fmt::format("{}: requirement {}", source, n);
    if (!item.isObject()) return fail(ErrorCode::input, where + ": not an object");
    const auto o = item.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!known.count(it.key()))
        return fail(ErrorCode::input, fmt::format("{}: unknown field '{}'", where, it.key().toStdString()));
    auto text_field = [&](const char* key, bool required) -> Result<std::string> {
      const auto v = o.value(key);
      if (v.isUndefined() && !required) return std::string{};
      if (!v.isString() || (required && v.toString().trimmed().isEmpty()))
        return fail(ErrorCode::input, fmt::format("{}: field '{}' must be a non-empty string", where, key));
      return v.toString().trimmed().toStdString();
    };
    Requirement r;
    auto id = text_field("id", true);
    if (!id) return tl::unexpected(id.error());
    r.id = *id;
    const std::string at = fmt::format("{} ({})", where, r.id);
    if (!ids.insert(r.id).second) return fail(ErrorCode::input, fmt::format("{}: duplicate id", at));
    auto set_text = [&](const char* key, bool required, std::string& dst) -> Status {
      auto v = text_field(key, required);
      if (!v) return tl::unexpected(Error{ErrorCode::input, at + v.error().message.substr(where.size())});
      dst = *v;
      return {};
    };
    if (auto st = set_text("text", true, r.text); !st) return tl::unexpected(st.error());
    if (auto st = set_text("category", true, r.category); !st) return tl::unexpected(st.error());
    if (std::find(kCategories.begin(), kCategories.end(), r.category) == kCategories.end()) {
      std::string all;
      for (auto c : kCategories) all += (all.empty() ? "" : ", ") + std::string(c);
      return fail(ErrorCode::input, fmt::format("{}: category '{}': expected one of {}", at, r.category, all));
    }
    if (auto st = set_text("metric_key", true, r.metric_key); !st) return tl::unexpected(st.error());
    if (auto st = set_text("unit", false, r.unit); !st) return tl::unexpected(st.error());
    if (auto st = set_text("method", false, r.method); !st) return tl::unexpected(st.error());
    if (o.contains("mandatory")) {
      if (!o.value("mandatory").isBool()) return fail(ErrorCode::input, at + ": field 'mandatory' must be true or false");
      r.mandatory = o.value("mandatory").toBool();
    }
    auto cmp = text_field("comparator", true);
    if (!cmp) return fail(ErrorCode::input, at + ": field 'comparator' must be a non-empty string");
    auto c = parse_comparator(*cmp);
    if (!c) return fail(ErrorCode::input, fmt::format("{}: {}", at, c.error().message));
    r.comparator = *c;
    if (r.comparator == Comparator::is_true) {
      r.target = 1;
      if (r.unit.empty()) r.unit = "bool";
      // A yes/no requirement's target, when written at all, is yes ("maybe" is a mistake).
      const auto t = o.value("target");
      const std::string word = lower_trimmed(t.toVariant().toString().toStdString());
      const bool yes = t.isUndefined() || (t.isBool() && t.toBool()) || (t.isDouble() && t.toDouble() == 1) ||
                       (t.isString() && (word == "yes" || word == "true"));
      if (!yes)
        return fail(ErrorCode::input, fmt::format("{}: target '{}': a yes/no requirement's target is yes", at,
                                                  t.isString() ? t.toString().toStdString() : word));
    } else {
      if (!o.value("target").isDouble()) return fail(ErrorCode::input, at + ": field 'target' must be a number");
      r.target = o.value("target").toDouble();
    }
    if (o.contains("tolerance")) {
      if (!o.value("tolerance").isDouble() || o.value("tolerance").toDouble() < 0)
        return fail(ErrorCode::input, at + ": field 'tolerance' must be a number ≥ 0");
      r.tolerance = o.value("tolerance").toDouble();
    }
    // An empty or missing list is allowed in a draft; freezing refuses it for a mandatory
    // requirement (verification_gaps).
    const auto phases = o.value("verified_at");
    if (!phases.isUndefined() && !phases.isArray())
      return fail(ErrorCode::input, at + ": field 'verified_at' must be a list of fat, sat, periodic, return_to_service, review");
    for (const auto& p : phases.toArray()) {
      const std::string code = lower_trimmed(p.toString().toStdString());
      const auto& all = verification_phases();
      if (std::find(all.begin(), all.end(), code) == all.end())
        return fail(ErrorCode::input, fmt::format("{}: verified_at '{}': expected one of fat, sat, periodic, return_to_service, review",
                                                  at, p.toString().toStdString()));
      r.verified_at.insert(code);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string requirements_to_json(const std::vector<Requirement>& requirements) {
  QJsonArray list;
  for (const auto& r : requirements) {
    QJsonObject o{{"id", QString::fromStdString(r.id)},
                  {"text", QString::fromStdString(r.text)},
                  {"category", QString::fromStdString(r.category)},
                  {"mandatory", r.mandatory},
                  {"metric_key", QString::fromStdString(r.metric_key)},
                  {"comparator", QString::fromUtf8(comparator_symbol(r.comparator).data(),
                                                   static_cast<qsizetype>(comparator_symbol(r.comparator).size()))},
                  {"unit", QString::fromStdString(r.unit)},
                  {"method", QString::fromStdString(r.method)}};
    if (r.comparator != Comparator::is_true) o["target"] = r.target;
    if (r.comparator == Comparator::equals || r.tolerance != 0) o["tolerance"] = r.tolerance;
    QJsonArray phases;
    for (auto p : verification_phases())
      if (r.verified_at.count(std::string(p))) phases.append(QString::fromUtf8(p.data(), static_cast<qsizetype>(p.size())));
    o["verified_at"] = phases;
    list.append(o);
  }
  return QJsonDocument(QJsonObject{{"requirements", list}}).toJson(QJsonDocument::Indented).toStdString();
}

}  // namespace niikit::domain
