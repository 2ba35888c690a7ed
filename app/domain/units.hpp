// The one unit table: the units requirements and measurements are written in, grouped by the
// quantity they measure, with the factor to that quantity's base unit. A value converts only
// between units of the same quantity (0.3 m → 300 mm); across quantities (km → uSv/h) it never
// does, so a target is never relabelled into another unit.
//
// Units without a quantity of their own ("bool", "AWG", "bit", "" for counts and ratios)
// convert only to themselves. Pure, thread-safe (immutable static table).
#pragma once

#include <optional>
#include <string_view>

namespace niikit::domain {

// True when `unit` is in the table (or is one of the self-only units above).
bool is_known_unit(std::string_view unit);

// `value` given in `from`, expressed in `to`; nullopt when the two units measure different
// quantities or either is unknown. The same unit (known or not): the value unchanged.
std::optional<double> convert_unit(double value, std::string_view from, std::string_view to);

}  // namespace niikit::domain
