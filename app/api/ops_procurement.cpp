// Operations of the topic procurement and spec: procurement projects and specifications.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_procurement_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
