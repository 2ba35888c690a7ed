// Requests and responses of the user operations (ops_user.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/api/codec.hpp"
#include "db/users.hpp"

namespace niikit::api {

// What a user record shows (never the hash or the sealed key).
struct UserView {
  std::int64_t id = 0;
  std::string username;
  std::string person;
  std::string role;
  bool disabled = false;
  std::string public_key;
  std::string key_fingerprint;
  std::optional<std::string> locked_until_utc;
  std::string created_at_utc;
};
template <>
struct Describe<UserView> {
  static auto fields() {
    using T = UserView;
    return std::make_tuple(field("id", &T::id), field("username", &T::username), field("person", &T::person),
                           field("role", &T::role), field("disabled", &T::disabled),
                           field("public_key", &T::public_key, "Ed25519 public key (hex) that verifies the user's signatures"),
                           field("key_fingerprint", &T::key_fingerprint, "first 16 hex digits of the key's SHA-256"),
                           field("locked_until_utc", &T::locked_until_utc, "set after 5 wrong passwords"),
                           field("created_at_utc", &T::created_at_utc));
  }
};

struct UserAddRequest {
  std::string person, username, new_password;
};
template <>
struct Describe<UserAddRequest> {
  static auto fields() {
    using T = UserAddRequest;
    return std::make_tuple(field("person", &T::person, "Registered person the account belongs to (name or id)", kRequired),
                           field("username", &T::username, "Login name: lower-case letters, digits, . - _", kRequired),
                           field("new_password", &T::new_password,
                                 "The new user's password (at least 10 characters)", kRequired | kSecret));
  }
};

struct UserKey {
  std::string username;
};
template <>
struct Describe<UserKey> {
  static auto fields() { return std::make_tuple(field("username", &UserKey::username, "User name", kRequired | kPositional, "USER")); }
};

struct PasswdRequest {
  std::string username, password, new_password;
};
template <>
struct Describe<PasswdRequest> {
  static auto fields() {
    using T = PasswdRequest;
    return std::make_tuple(field("username", &T::username, "Your user name", kRequired | kPositional, "USER"),
                           field("password", &T::password, "Your current password", kRequired | kSecret),
                           field("new_password", &T::new_password, "The new password", kRequired | kSecret));
  }
};

struct LoginRequest {
  std::optional<std::string> user;
  int minutes = 30;
};
template <>
struct Describe<LoginRequest> {
  static auto fields() {
    return std::make_tuple(field("user", &LoginRequest::user, "User name or person (default: --as, else your OS account's person)"),
                           field("minutes", &LoginRequest::minutes, "How long the session stays unlocked (1–1440, default 30)"));
  }
};

struct LoginReply {
  std::string username;
  std::string person;
  std::string expires_at_utc;
  std::string session_file;
};
template <>
struct Describe<LoginReply> {
  static auto fields() {
    using T = LoginReply;
    return std::make_tuple(field("username", &T::username), field("person", &T::person),
                           field("expires_at_utc", &T::expires_at_utc),
                           field("session_file", &T::session_file, "where the session token is kept (owner-only)"));
  }
};

struct TokenAddRequest {
  std::string username, name;
  std::vector<std::string> roles;
  int days = 90;
};
template <>
struct Describe<TokenAddRequest> {
  static auto fields() {
    using T = TokenAddRequest;
    return std::make_tuple(field("username", &T::username, "User the token acts for", kRequired | kPositional, "USER"),
                           field("name", &T::name, "What the token is for (e.g. 'nightly import')", kRequired),
                           field("role", &T::roles, "Role the token may act in (default: the user's)"),
                           field("days", &T::days, "Days until it expires (1–3650, default 90)"));
  }
};

struct TokenReply {
  std::int64_t id = 0;
  std::string name, roles, expires_at_utc;
  std::string token;  // shown once
};
template <>
struct Describe<TokenReply> {
  static auto fields() {
    using T = TokenReply;
    return std::make_tuple(field("id", &T::id), field("name", &T::name), field("roles", &T::roles),
                           field("expires_at_utc", &T::expires_at_utc),
                           field("token", &T::token, "the token itself: shown once, stored only as a digest"));
  }
};

struct TokenRevokeRequest {
  std::string username;
  std::int64_t token = 0;
};
template <>
struct Describe<TokenRevokeRequest> {
  static auto fields() {
    return std::make_tuple(field("username", &TokenRevokeRequest::username, "User name", kRequired | kPositional, "USER"),
                           field("token", &TokenRevokeRequest::token, "Token id", kRequired));
  }
};

struct KeysReply {
  std::string text;  // the trusted keys file
};
template <>
struct Describe<KeysReply> {
  static auto fields() { return std::make_tuple(field("text", &KeysReply::text, "trusted keys file text", kMultiline)); }
};

}  // namespace niikit::api
