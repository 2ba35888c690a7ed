// The portable kit (docs/kits.md): its registry entry and its runner. Pure, thread-safe.
#pragma once

#include "testkits/kits/kit.hpp"

namespace niikit::testkits::kits {

KitInfo portable_kit_info();
Result<KitResult> run_portable(const KitInput& input);

}  // namespace niikit::testkits::kits
