// Text views of the user operations.
#include "app/api/user_types.hpp"
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_user_views(ViewTable& t) {
  // The trusted keys file as it is to be kept: `niikit user keys > keys.txt`, then
  // `niikit audit verify --trusted-keys keys.txt`.
  t.add<api::KeysReply>("user.keys", [](std::ostream& out, const api::KeysReply& r) { out << r.text; });
}

}  // namespace niikit::cli
