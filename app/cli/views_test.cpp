// Text views of the topic test: witnessed acceptance sessions.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_test_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
