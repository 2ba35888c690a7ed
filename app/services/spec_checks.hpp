// Checks a specification's requirements against the metrics they cite, so that a specification
// means what it says (issue 13): the metric catalogue is the kits' metric keys
// (testkits/kits/kit.hpp) and the manual measurement keys (app/domain/measurement_keys.hpp).
//
// At import, a target written in another unit of the same quantity is converted into the unit
// the metric is measured in (0.3 m → 300 mm, with a note), never relabelled; a unit of another
// quantity, a negative target for a metric that cannot be negative, a target outside a manual
// key's range, and a yes/no metric judged other than "yes" (or == 0/1) are refused. At freeze
// the same checks, plus: a mandatory requirement citing a metric that no kit produces and no
// manual key records is a gap (nothing could ever verify it). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/domain/requirements.hpp"

namespace niikit::services {

// What the catalogue knows about a metric key; nullopt when nothing produces it.
struct MetricFacts {
  std::string unit;              // the unit values are measured in
  std::string produced_by;       // "kit" or "manual"
  std::optional<double> min_value, max_value;   // readings outside this range are impossible
};
std::optional<MetricFacts> metric_facts(const std::string& key);

struct SpecCheck {
  std::vector<std::string> errors;   // "IQ-01: unit 'km' ..." — refuse the import
  std::vector<std::string> notes;    // "IQ-01: target 0.3 m converted to 300 mm ..." — done, say so
};
// Converts compatible units in place and lists what is refused (see the header comment).
SpecCheck normalise_requirements(std::vector<domain::Requirement>& requirements);

// What stops a freeze beyond domain::verification_gaps: every error normalise_requirements
// would report, every unit that still needs converting, and every mandatory requirement on a
// metric nothing produces.
std::vector<domain::VerificationGap> metric_gaps(const std::vector<domain::Requirement>& requirements);

}  // namespace niikit::services
