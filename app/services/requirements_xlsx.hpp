// Requirement lists as .xlsx workbooks, for procurement officers who write specifications in
// a spreadsheet. Layout (docs/requirements.md):
//   sheet "Requirements": row 1 is a header with the JSON field names in JSON order (id, text,
//     category, mandatory, metric_key, comparator, target, tolerance, unit, method,
//     verified_at); one requirement per row below it. mandatory is yes/no, verified_at a
//     comma-separated list of phases; drop-down lists offer the allowed codes.
//   sheet "About": what the workbook holds (procurement, version, status, SHA-256, tool version).
// Reading takes the "Requirements" sheet (else the first sheet), matches columns by header
// name in any order, and reports EVERY bad cell as "spec.xlsx row 7 column 'target': 'abc' is
// not a number". Writing is atomic (temporary file in the target directory, then rename).
// A JSON → XLSX → JSON round trip is lossless for numbers with at most 15 significant digits
// (libxlsxwriter writes numbers with 16).
// Not thread-safe per call target file; otherwise no shared state.
#pragma once

#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "app/domain/requirements.hpp"

namespace niikit::services {

// What the "About" sheet says; empty fields are left out.
struct RequirementsWorkbookInfo {
  std::string title;                 // "Specification GRA-NII-2026-01 version 2"
  std::string procurement_reference;
  std::string procurement_title;
  int version = 0;                   // 0: not a stored version (e.g. the catalogue)
  std::string status;                // draft | frozen
  std::string frozen_by;
  std::string frozen_at_utc;
  std::string requirements_sha256;
};

// Writes atomically; `guard` (may be null) lists paths the output must not replace.
Status write_requirements_xlsx(const std::vector<domain::Requirement>& requirements,
                               const RequirementsWorkbookInfo& info, const std::string& path,
                               const OutputGuard* guard = nullptr);

// Every cell problem, one line each, in sheet order.
struct XlsxRequirementsRead {
  std::vector<domain::Requirement> requirements;   // valid only when `errors` is empty
  std::vector<std::string> errors;
  int rows = 0;                                    // data rows read (blank rows skipped)
};

// File-level problems (unreadable workbook, no header, unknown or missing columns) are an
// Error; row problems are listed in `errors`.
Result<XlsxRequirementsRead> read_requirements_xlsx(const std::string& path);

}  // namespace niikit::services
