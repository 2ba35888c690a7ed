// Where shipped phantom definition files live: $NIIKIT_PHANTOMS when set, else the source
// tree's phantoms/ folder recorded at build time.
#include "phantoms/phantom_dir.hpp"

#include <cstdlib>

namespace niikit::phantoms {
std::string shipped_phantom_dir() {
  if (const char* env = std::getenv("NIIKIT_PHANTOMS"); env && *env) return env;
  return NIIKIT_PHANTOM_DIR;
}
}  // namespace niikit::phantoms
