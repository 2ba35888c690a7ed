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

void add_registry_operations(Registry& r);   // site, person, scanner, document (ops_registry.cpp)

}  // namespace niikit::api
