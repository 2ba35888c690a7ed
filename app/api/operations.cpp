// The one list of operation topics: each topic file registers its operations and groups, in
// help order. A new topic adds one line here and one file app/api/ops_TOPIC.cpp.
#include "app/api/operations.hpp"

namespace niikit::api {

namespace {

struct Built {
  OperationTable table;
  std::vector<GroupSpec> groups;
};

const Built& built() {
  static const Built b = [] {
    Built out;
    Registry r{out.table, out.groups};
    add_registry_operations(r);  // site, person
    add_scanner_operations(r);
    add_lifecycle_operations(r);
    add_admin_operations(r);
    add_test_operations(r);
    add_report_operations(r);
    add_rad_operations(r);
    add_procurement_operations(r);
    add_tender_operations(r);
    add_imaging_operations(r);
    add_user_operations(r);
    return out;
  }();
  return b;
}

}  // namespace

const OperationTable& operations() { return built().table; }
const std::vector<GroupSpec>& operation_groups() { return built().groups; }

}  // namespace niikit::api
