#include "app/api/operation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace niikit::api {

Status prepare(Context& ctx, std::string_view name, Access access) {
  // The permission row is checked first: a refused actor never opens the database for writing.
  if (auto actor = ctx.require(name); !actor) return tl::unexpected(actor.error());
  if (access == Access::none) return {};
  auto db = ctx.database(access);
  if (!db) return tl::unexpected(db.error());
  return {};
}

void OperationTable::add(Operation op) {
  if (find(op.name())) throw std::logic_error("operation '" + op.name() + "' registered twice");
  ops_.push_back(std::move(op));
}

const Operation* OperationTable::find(std::string_view name) const {
  auto it = std::find_if(ops_.begin(), ops_.end(), [&](const Operation& op) { return op.name() == name; });
  return it == ops_.end() ? nullptr : &*it;
}

Result<Outcome> invoke(Context& ctx, std::string_view name, const QJsonValue& request) {
  const auto* op = operations().find(name);
  if (!op) return fail(ErrorCode::not_found, fmt::format("operation '{}': no such operation", name));
  return op->run(ctx, request);
}

}  // namespace niikit::api
