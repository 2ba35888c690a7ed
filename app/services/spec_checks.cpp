#include "app/services/spec_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "app/domain/measurement_keys.hpp"
#include "app/domain/units.hpp"
#include "app/services/acceptance_service_kit.hpp"

namespace niikit::services {

namespace {

using domain::Comparator;
using domain::Requirement;

// Kit keys with a thickness placeholder ("cargo.wire.cu_behind_fe<T>_mm") match any digits.
bool matches(const std::string& pattern, const std::string& key) {
  const auto at = pattern.find("<T>");
  if (at == std::string::npos) return pattern == key;
  const std::string prefix = pattern.substr(0, at), suffix = pattern.substr(at + 3);
  if (key.size() <= prefix.size() + suffix.size() || !key.starts_with(prefix) || !key.ends_with(suffix)) return false;
  const std::string middle = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
  return std::all_of(middle.begin(), middle.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string unit_text(const std::string& unit) { return unit.empty() ? "(no unit)" : "'" + unit + "'"; }
std::string number(double v) { return fmt::format("{:.6g}", v); }
std::string with_unit(double v, const std::string& unit) {
  return unit.empty() || unit == "bool" ? number(v) : number(v) + " " + unit;
}

// One requirement against its metric: converts its unit in place; returns the refusal, if any.
std::string check_one(Requirement& r, const MetricFacts& f, std::vector<std::string>& notes) {
  const bool yes_no_metric = f.unit == "bool";
  if (yes_no_metric) {
    const bool zero_or_one = r.comparator == Comparator::equals && (r.target == 0 || r.target == 1);
    if (r.comparator != Comparator::is_true && !zero_or_one)
      return fmt::format("{}: {} is a yes/no check; its target is yes (comparator 'true'), not {} {}", r.id,
                         r.metric_key, domain::comparator_symbol(r.comparator), number(r.target));
    r.unit = "bool";
    return {};
  }
  if (r.comparator == Comparator::is_true)
    return fmt::format("{}: {} is measured in {}, not a yes/no check; give a comparator and a target", r.id,
                       r.metric_key, unit_text(f.unit));
  if (r.unit != f.unit) {
    auto target = domain::convert_unit(r.target, r.unit, f.unit);
    auto tolerance = domain::convert_unit(r.tolerance, r.unit, f.unit);
    if (!target || !tolerance)
      return fmt::format("{}: unit {} cannot express {}, which is measured in {}", r.id, unit_text(r.unit), r.metric_key,
                         unit_text(f.unit));
    notes.push_back(fmt::format("{}: target {} converted to {} (the unit {} is measured in)", r.id,
                                with_unit(r.target, r.unit), with_unit(*target, f.unit), r.metric_key));
    r.target = *target;
    r.tolerance = *tolerance;
    r.unit = f.unit;
  }
  if (f.min_value && r.target < *f.min_value)
    return fmt::format("{}: target {} is below {}, the smallest value {} can have", r.id, with_unit(r.target, r.unit),
                       with_unit(*f.min_value, r.unit), r.metric_key);
  if (f.max_value && r.target > *f.max_value)
    return fmt::format("{}: target {} is above {}, the largest value {} can have", r.id, with_unit(r.target, r.unit),
                       with_unit(*f.max_value, r.unit), r.metric_key);
  return {};
}

}  // namespace

std::optional<MetricFacts> metric_facts(const std::string& key) {
  if (const auto* m = domain::find_measurement_key(key))
    return MetricFacts{std::string(m->unit), "manual", m->min_value, m->max_value};
  for (const auto& [pattern, unit] : kit_metric_units())
    if (matches(pattern, key)) return MetricFacts{unit, "kit", 0.0, std::nullopt};   // kit metrics are magnitudes
  return std::nullopt;
}

SpecCheck normalise_requirements(std::vector<Requirement>& requirements) {
  SpecCheck out;
  for (auto& r : requirements) {
    const auto facts = metric_facts(r.metric_key);
    if (!facts) continue;   // unknown keys: a warning at import, a gap at freeze when mandatory
    if (auto error = check_one(r, *facts, out.notes); !error.empty()) out.errors.push_back(std::move(error));
  }
  return out;
}

std::vector<domain::VerificationGap> metric_gaps(const std::vector<Requirement>& requirements) {
  std::vector<domain::VerificationGap> out;
  for (const auto& original : requirements) {
    const auto facts = metric_facts(original.metric_key);
    if (!facts) {
      if (original.mandatory)
        out.push_back({original.id, fmt::format("mandatory requirement on {}, which no kit produces and no manual "
                                                "measurement records", original.metric_key)});
      continue;
    }
    Requirement r = original;
    std::vector<std::string> notes;
    if (auto error = check_one(r, *facts, notes); !error.empty())
      out.push_back({r.id, error.substr(r.id.size() + 2)});
    else if (!notes.empty())
      out.push_back({r.id, fmt::format("target in {}, but {} is measured in {}; import it again to convert it",
                                       unit_text(original.unit), r.metric_key, unit_text(facts->unit))});
  }
  return out;
}

}  // namespace niikit::services
