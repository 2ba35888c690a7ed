// Internal to the acceptance service: turns a kit run request into evidence — the image hashes,
// the kit's identity and version, its full result JSON and one metric value per key — either by
// running the kit on the images or, when given, by reading a stored kit result
// (`niikit iq analyze --json`) whose image must be the one named. Reads files, writes nothing
// to the database; not thread-safe only in that it reads the caller's files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/services/acceptance_service.hpp"
#include "db/acceptance.hpp"

namespace niikit::services {

struct KitMetric {
  std::string key;
  double value = 0;
  std::string unit;
};

struct KitEvidence {
  db::KitRun run;                    // paths, hashes, kit id/version, phantom, options, result, overlay
  std::vector<KitMetric> metrics;    // every metric value of the result
};

Result<KitEvidence> run_kit_for_session(const KitRunRequest& request);

// Every metric key the kits can produce, with its unit (empty while no kit is registered).
std::map<std::string, std::string> kit_metric_units();

// The metric values of a kit result JSON (kit_result_to_json shape: tests[].metrics[] of
// {key, value, unit}); `source` names the input in errors.
Result<std::vector<KitMetric>> metrics_from_result_json(const std::string& json_text, const std::string& source);

}  // namespace niikit::services
