// Users and how they prove who they are (issue 16 item 4): a user is a registered person with
// an argon2id password hash and an Ed25519 key pair sealed under the password
// (app/services/crypto.hpp). Once a database has users, every write needs an authenticated
// user: on the command line by password (asked on the terminal or read from a password file)
// or an unlocked session (`niikit login`, with a timeout); on the web by a signed-in session or
// an API token scoped to roles. Five wrong passwords lock a user for 15 minutes.
//
// A forgotten password cannot be reset (the signing key is sealed under it): an administrator
// disables the account and adds a new one; earlier signatures stay verifiable with the old key.
// Not thread-safe (one Context per thread).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/services/context.hpp"
#include "app/services/crypto.hpp"
#include "core/error.hpp"
#include "db/users.hpp"

namespace niikit::services {

inline constexpr int kMaxFailedLogins = 5;
inline constexpr std::chrono::minutes kLockout{15};

struct NewUser {
  std::string person;    // registered person (name or id) the account belongs to
  std::string username;  // lower case, unique
  std::string password;
};

Result<db::User> add_user(Context& ctx, const NewUser& input);
// Changes the password (the signing key is resealed; the public key stays).
Result<db::User> change_password(Context& ctx, const std::string& username, std::string_view old_password,
                                 std::string_view new_password);
Result<db::User> set_user_disabled(Context& ctx, const std::string& username, bool disabled);
Result<std::vector<db::User>> list_users(Context& ctx);

// Checks `password` for the user (by username, or by the person's name or id): counts failures
// and locks after kMaxFailedLogins. Errors: forbidden ("wrong password", "locked until ..."),
// not_found.
Result<db::User> authenticate(Context& ctx, const std::string& user_or_person, std::string_view password);

// A login session of `kind` ("cli" or "web") for `minutes`; returns the token (shown once).
struct OpenedSession {
  std::string token;
  std::string csrf_token;   // web sessions
  std::string expires_at_utc;
};
Result<OpenedSession> open_login_session(Context& ctx, const db::User& user, const std::string& kind, int minutes);
// The user of a live session token (not expired, not ended, user enabled); nullopt otherwise.
Result<std::optional<std::pair<db::User, db::LoginSession>>> session_user(Context& ctx, const std::string& token,
                                                                          const std::string& kind);
Status end_login_session(Context& ctx, const std::string& token);

// API tokens for scripts: scoped to a subset of the user's roles; the token is shown once.
struct NewApiToken {
  std::string username;
  std::string name;
  std::vector<std::string> roles;   // empty = the user's roles
  int days = 90;                    // 1..3650
};
Result<std::pair<db::ApiToken, std::string>> create_api_token(Context& ctx, const NewApiToken& input);
Status revoke_api_token(Context& ctx, const std::string& username, std::int64_t token_id);
// The actor an API token acts as (its user's person, roles narrowed to the token's scope).
Result<domain::Actor> actor_of_api_token(Context& ctx, const std::string& token);

// The user's signing key, unsealed with their password (asked through the Context).
Result<std::pair<db::User, crypto::SecretKey>> unlock_signing_key(Context& ctx, const std::string& purpose);

}  // namespace niikit::services
