// Users, login sessions, API tokens and trusted keys (issue 16).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "app/api/operations.hpp"
#include "app/api/user_types.hpp"
#include "app/services/crypto.hpp"
#include "app/services/signatures.hpp"
#include "app/services/user_service.hpp"
#include "core/atomic_file.hpp"
#include "db/registry.hpp"

namespace niikit::api {

namespace {

UserView view_of(const db::User& u) {
  return {u.id,        u.username,  u.person_name, u.person_role, u.disabled, u.public_key,
          services::crypto::key_fingerprint(u.public_key), u.locked_until_utc, u.created_at_utc};
}

Result<UserView> as_view(Result<db::User> u) {
  if (!u) return tl::unexpected(u.error());
  return view_of(*u);
}

// The acting person may manage only their own account, unless they are a manager.
Status own_or_manager(Context& ctx, const std::string& username) {
  const auto& actor = ctx.actor();
  if (actor && actor->holds("manager")) return {};
  auto user = ctx.db().read([&](SQLite::Database& sql) -> Result<db::User> {
    if (auto u = db::find_user(sql, username)) return *u;
    return fail(ErrorCode::not_found, fmt::format("user '{}': no such user", username));
  });
  if (!user) return tl::unexpected(user.error());
  if (!actor || actor->person_id != user->person_id)
    return fail(ErrorCode::forbidden, fmt::format("user '{}': only its owner or a manager may do this", username));
  return {};
}

Result<LoginReply> login(Context& ctx, const LoginRequest& q) {
  std::string who = q.user.value_or(ctx.config().as_person);
  if (who.empty()) {
    auto person = ctx.db().read([&](SQLite::Database& sql) -> Result<db::Person> {
      if (auto p = db::find_person_by_os_user(sql, ctx.config().os_user)) return *p;
      return fail(ErrorCode::usage, fmt::format("login: name the user (--user NAME or --as PERSON); OS account '{}' "
                                                "is mapped to nobody", ctx.config().os_user));
    });
    if (!person) return tl::unexpected(person.error());
    who = person->name;
  }
  auto password = ctx.ask_password("Password of " + who);
  if (!password) return tl::unexpected(password.error());
  auto user = services::authenticate(ctx, who, *password);
  if (!user) return tl::unexpected(user.error());
  auto session = services::open_login_session(ctx, *user, "cli", q.minutes);
  if (!session) return tl::unexpected(session.error());
  const std::string file = ctx.session_file();
  if (file.empty()) return fail(ErrorCode::io, "login: no folder for the session token (set NIIKIT_SESSION_DIR)");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  std::filesystem::permissions(std::filesystem::path(file).parent_path(), std::filesystem::perms::owner_all, ec);
  if (auto st = write_file_atomically(file, session->token + "\n", nullptr, 0600); !st) return tl::unexpected(st.error());
  return LoginReply{user->username, user->person_name, session->expires_at_utc, file};
}

Result<Empty> logout(Context& ctx, const Empty&) {
  const std::string file = ctx.session_file();
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty())
    if (auto st = services::end_login_session(ctx, token); !st) return tl::unexpected(st.error());
  std::error_code ec;
  std::filesystem::remove(file, ec);
  return Empty{};
}

}  // namespace

void add_user_operations(Registry& r) {
  r.group("user", "Users: accounts of registered people, passwords, signing keys and API tokens");
  r.add(make_operation<UserAddRequest, UserView>(
      {"user.add", "Give a registered person a user account with a password and a signing key",
       "Once a database has a user, every change needs an authenticated user (password, or an unlocked session "
       "from `niikit login`). The Ed25519 signing key is created now and sealed under the password.",
       Access::write},
      [](Context& ctx, const UserAddRequest& q) {
        return as_view(services::add_user(ctx, {q.person, q.username, q.new_password}));
      }));
  r.add(make_operation<PasswdRequest, UserView>(
      {"user.passwd", "Change your password (your signing key is resealed; its public key stays)", "", Access::write},
      [](Context& ctx, const PasswdRequest& q) -> Result<UserView> {
        if (auto st = own_or_manager(ctx, q.username); !st) return tl::unexpected(st.error());
        return as_view(services::change_password(ctx, q.username, q.password, q.new_password));
      }));
  r.add(make_operation<UserKey, UserView>(
      {"user.disable", "Disable a user account (it can no longer log in or sign; its signatures stay valid)", "",
       Access::write},
      [](Context& ctx, const UserKey& q) { return as_view(services::set_user_disabled(ctx, q.username, true)); }));
  r.add(make_operation<UserKey, UserView>(
      {"user.enable", "Enable a disabled user account again", "", Access::write},
      [](Context& ctx, const UserKey& q) { return as_view(services::set_user_disabled(ctx, q.username, false)); }));
  r.add(make_operation<Empty, std::vector<UserView>>(
      {"user.list", "List user accounts with their key fingerprints", "", Access::read},
      [](Context& ctx, const Empty&) -> Result<std::vector<UserView>> {
        auto users = services::list_users(ctx);
        if (!users) return tl::unexpected(users.error());
        std::vector<UserView> out;
        for (const auto& u : *users) out.push_back(view_of(u));
        return out;
      }));
  r.add(make_operation<Empty, KeysReply>(
      {"user.keys", "Print the trusted keys file (username and public key per line) to keep outside the database",
       "Kept elsewhere, the file pins each user's public key, so that a key swapped in the database can be "
       "told from the user's own: niikit user keys > keys.txt, later niikit audit verify --trusted-keys keys.txt.",
       Access::read},
      [](Context& ctx, const Empty&) -> Result<KeysReply> {
        auto users = services::list_users(ctx);
        if (!users) return tl::unexpected(users.error());
        return KeysReply{services::trusted_keys_text(*users)};
      }));
  r.group("user.token", "API tokens for scripts: create one (shown once) or revoke it");
  r.add(make_operation<TokenAddRequest, TokenReply>(
      {"user.token.add", "Create an API token for scripts (shown once), scoped to the user's roles", "", Access::write},
      [](Context& ctx, const TokenAddRequest& q) -> Result<TokenReply> {
        if (auto st = own_or_manager(ctx, q.username); !st) return tl::unexpected(st.error());
        auto t = services::create_api_token(ctx, {q.username, q.name, q.roles, q.days});
        if (!t) return tl::unexpected(t.error());
        return TokenReply{t->first.id, t->first.name, t->first.roles, t->first.expires_at_utc.value_or(""), t->second};
      }));
  r.add(make_operation<TokenRevokeRequest, Empty>(
      {"user.token.revoke", "Revoke an API token", "", Access::write},
      [](Context& ctx, const TokenRevokeRequest& q) -> Result<Empty> {
        if (auto st = own_or_manager(ctx, q.username); !st) return tl::unexpected(st.error());
        if (auto st = services::revoke_api_token(ctx, q.username, q.token); !st) return tl::unexpected(st.error());
        return Empty{};
      }));
  r.group("login", "");
  r.add(make_operation<LoginRequest, LoginReply>(
      {"login", "Unlock a command-line session: later commands act as you without asking your password",
       "The session ends after --minutes or at `niikit logout`. Signing always asks the password again.",
       Access::write, false},
      login));
  r.add(make_operation<Empty, Empty>({"logout", "End the unlocked command-line session", "", Access::write, false},
                                     logout));
}

}  // namespace niikit::api
