// The command reference (docs/commands.md), generated from the operation table and the
// permission table so it cannot drift: `niikit reference > docs/commands.md`; a test checks
// that the committed file equals the generated text.
#pragma once

#include <string>

namespace niikit::cli {

std::string command_reference_markdown();

}  // namespace niikit::cli
