// Toolkit version, stamped on every stored result and report. Header-only.
#pragma once
#include <string_view>

namespace niikit {
inline constexpr std::string_view toolkit_version = NIIKIT_VERSION;
}
