#include "app/services/user_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "app/domain/registry_codes.hpp"
#include "core/time_format.hpp"
#include "db/registry.hpp"

namespace niikit::services {

namespace {

Status check_username(const std::string& u) {
  if (u.size() < 2 || u.size() > 64) return fail_field(ErrorCode::input, "username", "2 to 64 characters");
  for (char c : u)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
          c == '-' || c == '_'))
      return fail_field(ErrorCode::input, "username", "lower-case letters, digits, '.', '-' and '_' only");
  return {};
}

crypto::SealedKeyPair sealed_of(const db::User& u) { return {u.public_key, u.sealed_secret_key, u.key_salt}; }

Result<db::User> user_named(SQLite::Database& sql, const std::string& key) {
  if (auto u = db::find_user(sql, key)) return *u;
  if (auto p = db::find_person(sql, key))
    if (auto u = db::find_user_of_person(sql, p->id)) return *u;
  return fail(ErrorCode::not_found, fmt::format("user '{}': no such user (niikit user list)", key));
}

std::string later(const Clock& clock, std::chrono::minutes m) { return format_utc(clock.now() + m); }

std::vector<std::string> split_roles(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string r;
  while (std::getline(in, r, ','))
    if (!r.empty()) out.push_back(r);
  return out;
}

}  // namespace

Result<db::User> add_user(Context& ctx, const NewUser& input) {
  if (auto st = check_username(input.username); !st) return tl::unexpected(st.error());
  if (auto st = crypto::check_password_rules(input.password); !st) return tl::unexpected(st.error());
  auto hash = crypto::hash_password(input.password);
  if (!hash) return tl::unexpected(hash.error());
  auto keys = crypto::make_key_pair(input.password);
  if (!keys) return tl::unexpected(keys.error());
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Result<db::User> {
    auto person = db::find_person(tx.sql(), input.person);
    if (!person) return fail_field(ErrorCode::not_found, "person", fmt::format("person '{}': not registered", input.person));
    if (db::find_user_of_person(tx.sql(), person->id))
      return fail_field(ErrorCode::conflict, "person", fmt::format("{} already has a user account", person->name));
    if (db::find_user(tx.sql(), input.username))
      return fail_field(ErrorCode::conflict, "username", fmt::format("user '{}' already exists", input.username));
    db::User u;
    u.person_id = person->id;
    u.username = input.username;
    u.password_hash = *hash;
    u.public_key = keys->public_key_hex;
    u.sealed_secret_key = keys->sealed_secret_hex;
    u.key_salt = keys->salt_hex;
    u.created_at_utc = format_utc(tx.now());
    auto id = db::insert_user(tx, u);
    if (!id) return tl::unexpected(id.error());
    return *db::find_user_by_id(tx.sql(), *id);
  });
}

Result<db::User> change_password(Context& ctx, const std::string& username, std::string_view old_password,
                                  std::string_view new_password) {
  if (auto st = crypto::check_password_rules(new_password); !st) return tl::unexpected(st.error());
  auto user = authenticate(ctx, username, old_password);
  if (!user) return user;
  auto resealed = crypto::reseal(sealed_of(*user), old_password, new_password);
  if (!resealed) return tl::unexpected(resealed.error());
  auto hash = crypto::hash_password(new_password);
  if (!hash) return tl::unexpected(hash.error());
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Result<db::User> {
    db::User u = *user;
    u.password_hash = *hash;
    u.sealed_secret_key = resealed->sealed_secret_hex;
    u.key_salt = resealed->salt_hex;
    if (auto st = db::update_user(tx, u); !st) return tl::unexpected(st.error());
    return *db::find_user_by_id(tx.sql(), u.id);
  });
}

Result<db::User> set_user_disabled(Context& ctx, const std::string& username, bool disabled) {
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Result<db::User> {
    auto u = user_named(tx.sql(), username);
    if (!u) return u;
    u->disabled = disabled;
    if (auto st = db::update_user(tx, *u); !st) return tl::unexpected(st.error());
    return *db::find_user_by_id(tx.sql(), u->id);
  });
}

Result<std::vector<db::User>> list_users(Context& ctx) {
  return ctx.db().read([](SQLite::Database& sql) -> Result<std::vector<db::User>> { return db::list_users(sql); });
}

Result<db::User> authenticate(Context& ctx, const std::string& user_or_person, std::string_view password) {
  auto found = ctx.db().read([&](SQLite::Database& sql) { return user_named(sql, user_or_person); });
  if (!found) return found;
  db::User u = *found;
  const std::string now = format_utc(ctx.clock().now());
  if (u.disabled) return fail(ErrorCode::forbidden, fmt::format("user '{}': disabled", u.username));
  if (u.locked_until_utc && *u.locked_until_utc > now)
    return fail(ErrorCode::forbidden, fmt::format("user '{}': locked after {} wrong passwords until {}", u.username,
                                                  kMaxFailedLogins, *u.locked_until_utc));
  const bool ok = crypto::password_matches(u.password_hash, password);
  if (ok && u.failed_logins == 0 && !u.locked_until_utc) return u;
  // The failure count is recorded even though the command itself fails (its own unit of work).
  if (ctx.db().read_only()) {
    if (ok) return u;
    return fail(ErrorCode::forbidden, fmt::format("user '{}': wrong password", u.username));
  }
  auto counted = ctx.db().write("niikit", [&](db::WriteTx& tx) -> Status {
    u.failed_logins = ok ? 0 : u.failed_logins + 1;
    u.locked_until_utc = std::nullopt;
    if (u.failed_logins >= kMaxFailedLogins) u.locked_until_utc = later(ctx.clock(), kLockout);
    return db::update_user(tx, u);
  });
  if (!counted) return tl::unexpected(counted.error());
  if (!ok)
    return fail(ErrorCode::forbidden, fmt::format("user '{}': wrong password{}", u.username,
                                                  u.locked_until_utc ? " (locked for 15 minutes)" : ""));
  return u;
}

Result<OpenedSession> open_login_session(Context& ctx, const db::User& user, const std::string& kind, int minutes) {
  if (minutes < 1 || minutes > 24 * 60) return fail_field(ErrorCode::input, "minutes", "1 to 1440");
  OpenedSession out{crypto::random_token(), kind == "web" ? crypto::random_token() : "",
                    later(ctx.clock(), std::chrono::minutes(minutes))};
  auto st = ctx.db().write(user.person_name, [&](db::WriteTx& tx) -> Status {
    db::LoginSession s;
    s.user_id = user.id;
    s.kind = kind;
    s.token_sha256 = crypto::token_digest(out.token);
    s.csrf_token = out.csrf_token;
    s.created_at_utc = format_utc(tx.now());
    s.expires_at_utc = out.expires_at_utc;
    auto id = db::insert_login_session(tx, s);
    if (!id) return tl::unexpected(id.error());
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::optional<std::pair<db::User, db::LoginSession>>> session_user(Context& ctx, const std::string& token,
                                                                          const std::string& kind) {
  using Found = std::optional<std::pair<db::User, db::LoginSession>>;
  if (token.empty()) return Found{};
  return ctx.db().read([&](SQLite::Database& sql) -> Result<Found> {
    auto s = db::find_login_session(sql, crypto::token_digest(token));
    if (!s || s->kind != kind || s->ended_at_utc || s->expires_at_utc <= format_utc(ctx.clock().now())) return Found{};
    auto u = db::find_user_by_id(sql, s->user_id);
    if (!u || u->disabled) return Found{};
    return Found{std::make_pair(*u, *s)};
  });
}

Status end_login_session(Context& ctx, const std::string& token) {
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Status {
    auto s = db::find_login_session(tx.sql(), crypto::token_digest(token));
    if (!s || s->ended_at_utc) return {};
    return db::end_login_session(tx, s->id, format_utc(tx.now()));
  });
}

Result<std::pair<db::ApiToken, std::string>> create_api_token(Context& ctx, const NewApiToken& input) {
  if (input.days < 1 || input.days > 3650) return fail_field(ErrorCode::input, "days", "1 to 3650");
  const std::string token = crypto::random_token();
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Result<std::pair<db::ApiToken, std::string>> {
    auto u = user_named(tx.sql(), input.username);
    if (!u) return tl::unexpected(u.error());
    std::vector<std::string> roles = input.roles.empty() ? std::vector<std::string>{u->person_role} : input.roles;
    std::string joined;
    for (const auto& r : roles) {
      if (r != u->person_role)  // a token never widens what its user may do
        return fail_field(ErrorCode::forbidden, "roles", fmt::format("{} does not hold the role '{}'", u->person_name, r));
      joined += (joined.empty() ? "" : ",") + r;
    }
    db::ApiToken t;
    t.user_id = u->id;
    t.name = input.name;
    t.token_sha256 = crypto::token_digest(token);
    t.roles = joined;
    t.created_at_utc = format_utc(tx.now());
    t.expires_at_utc = format_utc(tx.now() + std::chrono::days(input.days));
    auto id = db::insert_api_token(tx, t);
    if (!id) return tl::unexpected(id.error());
    t.id = *id;
    return std::make_pair(t, token);
  });
}

Status revoke_api_token(Context& ctx, const std::string& username, std::int64_t token_id) {
  return ctx.db().write(ctx.audit_name(), [&](db::WriteTx& tx) -> Status {
    auto u = user_named(tx.sql(), username);
    if (!u) return tl::unexpected(u.error());
    for (const auto& t : db::api_tokens_of(tx.sql(), u->id))
      if (t.id == token_id) return t.revoked_at_utc ? Status{} : db::revoke_api_token(tx, t.id, format_utc(tx.now()));
    return fail(ErrorCode::not_found, fmt::format("user '{}': no API token {}", username, token_id));
  });
}

Result<domain::Actor> actor_of_api_token(Context& ctx, const std::string& token) {
  return ctx.db().read([&](SQLite::Database& sql) -> Result<domain::Actor> {
    auto t = db::find_api_token(sql, crypto::token_digest(token));
    const std::string now = format_utc(ctx.clock().now());
    if (!t || t->revoked_at_utc || (t->expires_at_utc && *t->expires_at_utc <= now))
      return fail(ErrorCode::forbidden, "API token: unknown, revoked or expired");
    auto u = db::find_user_by_id(sql, t->user_id);
    if (!u || u->disabled) return fail(ErrorCode::forbidden, "API token: its user is disabled");
    domain::Actor a{u->person_id, u->person_name, {}};
    for (const auto& r : split_roles(t->roles))
      if (r == u->person_role) a.roles.insert(r);
    return a;
  });
}

Result<std::pair<db::User, crypto::SecretKey>> unlock_signing_key(Context& ctx, const std::string& purpose) {
  const auto& actor = ctx.actor();
  if (!actor || actor->person_id == 0) return fail(ErrorCode::forbidden, purpose + ": needs a signed-in person");
  auto user = ctx.db().read([&](SQLite::Database& sql) -> Result<db::User> {
    if (auto u = db::find_user_of_person(sql, actor->person_id)) return *u;
    return fail(ErrorCode::forbidden, fmt::format("{}: {} has no user account, so cannot sign (niikit user add)",
                                                  purpose, actor->name));
  });
  if (!user) return tl::unexpected(user.error());
  auto password = ctx.ask_password(fmt::format("Password of {} to sign ({})", user->username, purpose));
  if (!password) return tl::unexpected(password.error());
  auto checked = authenticate(ctx, user->username, *password);
  if (!checked) return tl::unexpected(checked.error());
  auto key = crypto::unseal(sealed_of(*checked), *password);
  if (!key) return tl::unexpected(key.error());
  return std::make_pair(*checked, std::move(*key));
}

}  // namespace niikit::services
