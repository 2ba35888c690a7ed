// Users, login sessions, API tokens and record signatures (migration 0008_users.sql): the
// narrow repository functions over them. Plain data; the rules (password checks, token
// digests, signature verification) live in app/services/user_service and signatures.
// Writes take a WriteTx (audited); reads take the connection. Not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db {

struct User {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;   // read-only, joined
  std::string person_role;   // read-only, joined
  std::string username;
  std::string password_hash;
  std::string public_key;        // Ed25519, hex
  std::string sealed_secret_key; // hex
  std::string key_salt;          // hex
  bool disabled = false;
  int failed_logins = 0;
  std::optional<std::string> locked_until_utc;
  std::string created_at_utc;
};

struct LoginSession {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;          // cli | web
  std::string token_sha256;
  std::string csrf_token;
  std::string created_at_utc;
  std::string expires_at_utc;
  std::optional<std::string> ended_at_utc;
};

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string token_sha256;
  std::string roles;         // comma-separated
  std::string created_at_utc;
  std::optional<std::string> expires_at_utc;
  std::optional<std::string> revoked_at_utc;
};

struct RecordSignature {
  std::int64_t id = 0;
  std::string record_kind;   // "test_session", "survey", "specification", "award", ...
  std::int64_t record_id = 0;
  std::string meaning;       // "witnessed", "approved", "vendor_acknowledgement", ...
  std::int64_t person_id = 0;
  std::int64_t user_id = 0;
  std::string signer_name;
  std::string signed_at_utc;
  std::string content_sha256;
  std::string audit_head_sha256;
  std::string public_key;
  std::string signature;
};

// --- users
Result<std::int64_t> insert_user(WriteTx& tx, const User& u);
// Writes password_hash, sealed_secret_key, key_salt, disabled, failed_logins, locked_until_utc.
Status update_user(WriteTx& tx, const User& u);
std::optional<User> find_user(SQLite::Database& sql, const std::string& username_or_id);
std::optional<User> find_user_of_person(SQLite::Database& sql, std::int64_t person_id);
std::optional<User> find_user_by_id(SQLite::Database& sql, std::int64_t id);
std::vector<User> list_users(SQLite::Database& sql);
std::int64_t count_users(SQLite::Database& sql);

// --- login sessions
Result<std::int64_t> insert_login_session(WriteTx& tx, const LoginSession& s);
Status end_login_session(WriteTx& tx, std::int64_t id, const std::string& ended_at_utc);
std::optional<LoginSession> find_login_session(SQLite::Database& sql, const std::string& token_sha256);

// --- API tokens
Result<std::int64_t> insert_api_token(WriteTx& tx, const ApiToken& t);
Status revoke_api_token(WriteTx& tx, std::int64_t id, const std::string& revoked_at_utc);
std::optional<ApiToken> find_api_token(SQLite::Database& sql, const std::string& token_sha256);
std::vector<ApiToken> api_tokens_of(SQLite::Database& sql, std::int64_t user_id);

// --- record signatures
Result<std::int64_t> insert_record_signature(WriteTx& tx, const RecordSignature& s);
std::vector<RecordSignature> signatures_of(SQLite::Database& sql, const std::string& record_kind, std::int64_t record_id);
std::vector<RecordSignature> all_record_signatures(SQLite::Database& sql);
std::vector<RecordSignature> record_signatures_of_kind(SQLite::Database& sql, const std::string& record_kind);
// When the database's first user account was made ("" when it has none): from then on every
// signature must be made with a key.
std::string first_user_created_at(SQLite::Database& sql);

}  // namespace niikit::db
