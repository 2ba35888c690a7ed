// Who may do what: the one permission table (operation → roles allowed) and the acting
// person. Every operation of the operation table (app/api/) and every finer-grained action a
// use case asks about ("test.sign.approver") has one row here; the application boundary checks
// it in one place (services::Context::require), so no service compares role strings.
//
// Roles are the registry's closed vocabulary (domain::roles(): procurement, engineer, rso,
// manager, vendor). A person acts only in the roles they hold.
//
// Pure data and functions; thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::domain {

// The person an operation runs as: resolved once at the boundary (CLI: --as PERSON or the OS
// user's mapped person; web: the signed-in user).
struct Actor {
  std::int64_t person_id = 0;
  std::string name;
  std::set<std::string> roles;  // role codes the person holds

  [[nodiscard]] bool holds(std::string_view role) const { return roles.count(std::string(role)) > 0; }
};

enum class Audience {
  anyone,        // no acting person needed (reads, image analysis, help)
  any_person,    // any registered person (their name goes into the audit log)
  roles,         // a person holding one of `roles`
  bootstrap,     // allowed without a person only while the database has no people yet; else `roles`
};

struct Permission {
  std::string action;             // "site.add", "test.sign.approver"
  Audience audience = Audience::roles;
  std::vector<std::string> roles; // for Audience::roles and ::bootstrap
  std::string why;                // one line: why these roles (shown in docs and refusals)
};

// Every row, in a fixed order (the generated command reference lists them).
const std::vector<Permission>& permission_table();

// The row for `action`; nullptr when the table has none (the boundary then refuses: an
// operation without a row is a bug, caught by a test that walks the operation table).
const Permission* find_permission(std::string_view action);

// "engineer or manager"
std::string describe_roles(const Permission& p);

// Whether `actor` may perform `action` (a row with Audience::roles or ::any_person); for use
// cases that act for a person named in the request (--by) rather than the boundary's actor.
// Errors: forbidden ("spec.freeze: Vic acts as vendor, but this needs procurement or manager
// (why)"), internal (no row for `action`).
Status permits(const Actor& actor, std::string_view action);

}  // namespace niikit::domain
