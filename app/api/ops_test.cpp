// Operations of the topic test: witnessed acceptance sessions.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_test_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
