// A small reader for the cells of one worksheet of an .xlsx workbook (Office Open XML
// SpreadsheetML), for importing tables that users keep in spreadsheets. libxlsxwriter only
// writes; this opens the ZIP container with minizip (libminizip-dev) and reads the XML parts
// (workbook, relationships, shared strings, the worksheet) with QXmlStreamReader.
//
// It reads cell values only: shared and inline strings, numbers, booleans, cached formula
// results and error values. Styles, dates (they arrive as serial numbers), merged cells and
// formulas themselves are ignored. Every part is size-capped before it is inflated.
// Pure apart from reading the file; thread-safe (no shared state).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace niikit::services {

struct XlsxCell {
  enum class Kind { text, number, boolean, error };
  Kind kind = Kind::text;
  std::string text;     // the text as stored (numbers: their XML text, e.g. "2.5"; booleans "0"/"1")
  double number = 0;    // number and boolean cells
};

struct XlsxRow {
  int row = 0;                       // 1-based spreadsheet row number
  std::map<int, XlsxCell> cells;     // 0-based column index (A = 0) → value; blank cells absent
};

struct XlsxSheet {
  std::string name;                  // sheet name as shown on its tab
  std::vector<XlsxRow> rows;         // rows holding at least one cell, in row order
};

// Reads the worksheet named `sheet_name`, or the first worksheet when that name is empty or
// absent. Errors (`input`, or `io` when the file cannot be opened) name the file and the part:
// "spec.xlsx: not an .xlsx workbook (no xl/workbook.xml)".
Result<XlsxSheet> read_xlsx_sheet(const std::string& path, const std::string& sheet_name = {});

// "A" → 0, "AB" → 27; -1 when `letters` holds anything but A–Z.
int xlsx_column_index(const std::string& letters);
// 0 → "A", 27 → "AB".
std::string xlsx_column_name(int index);

}  // namespace niikit::services
