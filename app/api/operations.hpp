// Topic registration for the operation table (operations.cpp calls these in help order).
// Internal to app/api: adapters use operations() and operation_groups() from operation.hpp.
#pragma once

#include <vector>

#include "app/api/operation.hpp"

namespace niikit::api {

struct Registry {
  OperationTable& table;
  std::vector<GroupSpec>& groups;
  void group(std::string name, std::string summary) { groups.push_back({std::move(name), std::move(summary)}); }
  void add(Operation op) { table.add(std::move(op)); }
};

void add_registry_operations(Registry& r);   // site, person (ops_registry.cpp)
void add_scanner_operations(Registry& r);   // ops_scanner.cpp
void add_lifecycle_operations(Registry& r);   // ops_lifecycle.cpp
void add_admin_operations(Registry& r);   // ops_admin.cpp
void add_test_operations(Registry& r);   // ops_test.cpp
void add_report_operations(Registry& r);   // ops_report.cpp
void add_rad_operations(Registry& r);   // ops_rad.cpp
void add_procurement_operations(Registry& r);   // ops_procurement.cpp
void add_imaging_operations(Registry& r);   // ops_imaging.cpp
void add_user_operations(Registry& r);      // ops_user.cpp
void add_tender_operations(Registry& r);    // needs, tender, bid, contract (ops_tender.cpp)

}  // namespace niikit::api
