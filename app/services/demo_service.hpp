// The end-to-end demo behind the README's first command: builds a fresh demo database in a
// folder from real input files it writes there (sites, people and fleet CSVs, evidence
// documents), then exercises the lifecycle: imports, gated moves, a refused move with its
// reasons, out of service, and the audit check. Each step is reported through `step` so the
// CLI can print it. Later features add their steps here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace niikit::services {

struct DemoStep {
  std::string title;     // "Import the fleet"
  std::string detail;    // what happened, one or more lines
  bool ok = true;        // false for steps that show a refusal (expected)
};

struct DemoResult {
  std::string database_path;
  std::vector<DemoStep> steps;
  std::vector<std::pair<std::string, std::string>> files;   // path, one-line summary
};

Result<DemoResult> run_demo(const std::string& out_dir, const Clock& clock,
                            const std::function<void(const DemoStep&)>& on_step = {});

}  // namespace niikit::services
