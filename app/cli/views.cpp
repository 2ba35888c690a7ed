#include "app/cli/views.hpp"

namespace niikit::cli {

const ViewTable& views() {
  static const ViewTable table = [] {
    ViewTable t;
    add_registry_views(t);
    return t;
  }();
  return table;
}

}  // namespace niikit::cli
