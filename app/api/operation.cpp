#include "app/api/operation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace niikit::api {

Status prepare(Context& ctx, std::string_view name, Access access) {
  // The database is opened first (a write access opens it writable, so a wrong password is
  // counted), then the permission row is checked; a refused actor writes nothing.
  if (access != Access::none)
    if (auto db = ctx.database(access); !db) return tl::unexpected(db.error());
  if (auto actor = ctx.require(name); !actor) return tl::unexpected(actor.error());
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
