// The catalogue of manually measured metric keys: what a test engineer or RSO records by hand
// in an acceptance session (dose-rate readings, a throughput trial, availability figures from
// the contract log, yes/no software and functional checks). Image-quality keys come from the
// kits (testkits/kits/kit.hpp, docs/kits.md); these are the rest. A requirement's metric_key
// names one or the other (docs/requirements.md lists both).
//
// Keys are `<category>.<what>[_<unit>]` and are a contract like the kit keys: never renamed,
// only added. Pure, thread-safe (the catalogue is an immutable static table).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::domain {

enum class BetterDirection {
  higher,   // larger is better (throughput, availability)
  lower,    // smaller is better (dose rate, repair time)
  yes,      // a yes/no check: 1 = yes (passes), 0 = no
};
std::string_view better_direction_name(BetterDirection d);   // "higher", "lower", "yes"

struct MeasurementKey {
  std::string_view key;          // e.g. "radiation.dose_rate.boundary_usv_h"
  std::string_view unit;         // "uSv/h", "%", "h", "scans/h", "bit", "bool"
  std::string_view category;     // a requirement category (requirements.hpp)
  BetterDirection better = BetterDirection::higher;
  double min_value = 0;          // smallest value a reading may have (inclusive)
  double max_value = 0;          // largest (inclusive); bool keys: 0..1
  std::string_view description;  // what is measured, where and how, one sentence
};

// Every manual key, grouped by category, in a fixed order.
const std::vector<MeasurementKey>& measurement_keys();
// nullptr when `key` is not a manual key.
const MeasurementKey* find_measurement_key(std::string_view key);

// Checks a reading for `key`: the key must be known and `value` finite and within
// [min_value, max_value]; bool keys take exactly 0 or 1. Errors are `input`, one line:
// "measurement availability.uptime_pct: 120 is outside 0..100 %".
Status check_measurement(std::string_view key, double value);

}  // namespace niikit::domain
