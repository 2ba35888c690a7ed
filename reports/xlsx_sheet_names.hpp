// Excel sheet names from section titles (used by the XLSX writer, tested on its own): at most
// 31 characters, none of []:*?/\ ('[' ']' become '(' ')', the others '-'), no leading or
// trailing apostrophe, not the reserved "History", unique ignoring case (" (2)", " (3)"...
// appended within the 31 characters); an empty title becomes "Section N" (1-based position).
// Pure function, thread-safe.
#pragma once

#include <string>
#include <vector>

namespace niikit::reports {

std::vector<std::string> xlsx_sheet_names(const std::vector<std::string>& titles);

}  // namespace niikit::reports
