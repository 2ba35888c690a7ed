// Text views of the topic rad: radiation safety.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_rad_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
