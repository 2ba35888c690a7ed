// Operations of the topic db, audit and demo: the database, the audit trail, the end-to-end demo.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_admin_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
