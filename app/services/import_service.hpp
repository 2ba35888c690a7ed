// Bulk import of an existing fleet from CSV: sites, people and scanners, each scanner
// entering at the stage it is really in (an `import` decision dated `stage_since`).
// All-or-nothing: every row is checked, every bad row is reported (line and field), and the
// batch is stored only when no row is bad, in one unit of work.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::services {

enum class ImportKind { sites, people, scanners };

struct ImportRowError {
  int line = 0;
  std::string message;   // "line 7: energy_mev '9x': not a number"
};

struct ImportResult {
  int rows = 0;
  int stored = 0;        // rows stored (0 when any row failed)
  std::vector<ImportRowError> errors;
};

// Expected CSV columns per kind (header names, lower case); "*" marks required.
std::vector<std::string> import_columns(ImportKind kind);

// Imports `path`. Returns the per-row outcome; when `errors` is non-empty nothing was stored.
// A file-level problem (missing file, unknown column, no rows) is an Error.
Result<ImportResult> import_csv(db::Database& db, const std::string& actor, ImportKind kind, const std::string& path,
                                const std::function<void(int done, int total)>& progress = {});

}  // namespace niikit::services
