// Operations of the topic stage and fleet: lifecycle decisions and the fleet board.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_lifecycle_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
