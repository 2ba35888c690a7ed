// Text views of the topic db, audit and demo: the database, the audit trail, the end-to-end demo.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_admin_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
