// Text views of the topic procurement and spec: procurement projects and specifications.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_procurement_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
