// Text views of the topic stage and fleet: lifecycle decisions and the fleet board.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_lifecycle_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
