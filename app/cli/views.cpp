#include "app/cli/views.hpp"

namespace niikit::cli {

const ViewTable& views() {
  static const ViewTable table = [] {
    ViewTable t;
    add_registry_views(t);
    add_scanner_views(t);
    add_lifecycle_views(t);
    add_admin_views(t);
    add_user_views(t);
    add_test_views(t);
    add_report_views(t);
    add_rad_views(t);
    add_procurement_views(t);
    add_imaging_views(t);
    add_tender_views(t);
    return t;
  }();
  return table;
}

}  // namespace niikit::cli
