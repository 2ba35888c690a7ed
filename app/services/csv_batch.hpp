// All-or-nothing CSV batches, shared by every bulk import (sites/people/scanners, survey
// points, dosimetry): the file's columns are checked against the expected ones, then every
// row is stored inside the caller's write transaction, each in its own savepoint so a bad row
// leaves no trace while later rows are still checked against the earlier ones (duplicates
// within one file). Every bad row is reported with file, line and message; when any row
// failed the batch returns an input error and the caller's transaction rolls back, so
// nothing of the batch is stored. Not thread-safe (uses the caller's transaction).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/services/csv.hpp"
#include "app/services/import_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/database.hpp"

namespace niikit::services {

// Reads `path`: every header column must be in `required` or `optional`, every `required`
// column present, and at least one data row ("survey.csv: unknown column 'dose'").
Result<CsvTable> read_batch_csv(const std::string& path, const std::vector<std::string>& required,
                                const std::vector<std::string>& optional);

// Stores every row of `table` with `store` (fields keyed by header name). Fills `result`
// (rows, stored, errors "PATH line N: message"); returns an input error "PATH: K of N rows
// rejected; nothing stored" when any row failed. `progress(done, total)` is optional.
Status store_rows_all_or_nothing(db::WriteTx& tx, const CsvTable& table, const std::string& path,
                                 const std::function<Status(const Fields&)>& store, ImportResult& result,
                                 const std::function<void(int, int)>& progress = {});

}  // namespace niikit::services
