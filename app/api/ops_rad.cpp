// Operations of the topic rad: radiation safety.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_rad_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
