#include "db/users.hpp"

#include <SQLiteCpp/Statement.h>

#include "db/repository_support.hpp"

namespace niikit::db {

namespace {

using namespace support;

const std::string user_select =
    "SELECT x.id, x.person_id, p.name, p.role, x.username, x.password_hash, x.public_key, x.sealed_secret_key, "
    "x.key_salt, x.disabled, x.failed_logins, x.locked_until_utc, x.created_at_utc FROM users x "
    "JOIN people p ON p.id = x.person_id";

User map_user(SQLite::Statement& q) {
  Cols c(q);
  User u;
  u.id = c.id();
  u.person_id = c.id();
  u.person_name = c.text();
  u.person_role = c.text();
  u.username = c.text();
  u.password_hash = c.text();
  u.public_key = c.text();
  u.sealed_secret_key = c.text();
  u.key_salt = c.text();
  u.disabled = c.yes();
  u.failed_logins = static_cast<int>(c.id());
  u.locked_until_utc = c.opt_text();
  u.created_at_utc = c.text();
  return u;
}

const std::string session_select =
    "SELECT x.id, x.user_id, x.kind, x.token_sha256, x.csrf_token, x.created_at_utc, x.expires_at_utc, "
    "x.ended_at_utc FROM login_sessions x";

LoginSession map_session(SQLite::Statement& q) {
  Cols c(q);
  LoginSession s;
  s.id = c.id();
  s.user_id = c.id();
  s.kind = c.text();
  s.token_sha256 = c.text();
  s.csrf_token = c.text();
  s.created_at_utc = c.text();
  s.expires_at_utc = c.text();
  s.ended_at_utc = c.opt_text();
  return s;
}

const std::string token_select =
    "SELECT x.id, x.user_id, x.name, x.token_sha256, x.roles, x.created_at_utc, x.expires_at_utc, x.revoked_at_utc "
    "FROM api_tokens x";

ApiToken map_token(SQLite::Statement& q) {
  Cols c(q);
  ApiToken t;
  t.id = c.id();
  t.user_id = c.id();
  t.name = c.text();
  t.token_sha256 = c.text();
  t.roles = c.text();
  t.created_at_utc = c.text();
  t.expires_at_utc = c.opt_text();
  t.revoked_at_utc = c.opt_text();
  return t;
}

const std::string signature_select =
    "SELECT x.id, x.record_kind, x.record_id, x.meaning, x.person_id, x.user_id, x.signer_name, x.signed_at_utc, "
    "x.content_sha256, x.audit_head_sha256, x.public_key, x.signature FROM record_signatures x";

RecordSignature map_signature(SQLite::Statement& q) {
  Cols c(q);
  RecordSignature s;
  s.id = c.id();
  s.record_kind = c.text();
  s.record_id = c.id();
  s.meaning = c.text();
  s.person_id = c.id();
  s.user_id = c.id();
  s.signer_name = c.text();
  s.signed_at_utc = c.text();
  s.content_sha256 = c.text();
  s.audit_head_sha256 = c.text();
  s.public_key = c.text();
  s.signature = c.text();
  return s;
}

}  // namespace

Result<std::int64_t> insert_user(WriteTx& tx, const User& u) {
  return tx.insert("users", {{"person_id", u.person_id},
                             {"username", u.username},
                             {"password_hash", u.password_hash},
                             {"public_key", u.public_key},
                             {"sealed_secret_key", u.sealed_secret_key},
                             {"key_salt", u.key_salt},
                             {"disabled", flag(u.disabled)},
                             {"failed_logins", std::int64_t{u.failed_logins}},
                             {"locked_until_utc", opt(u.locked_until_utc)},
                             {"created_at_utc", u.created_at_utc}});
}

Status update_user(WriteTx& tx, const User& u) {
  return tx.update("users", u.id,
                   {{"password_hash", u.password_hash},
                    {"sealed_secret_key", u.sealed_secret_key},
                    {"key_salt", u.key_salt},
                    {"disabled", flag(u.disabled)},
                    {"failed_logins", std::int64_t{u.failed_logins}},
                    {"locked_until_utc", opt(u.locked_until_utc)}});
}

std::optional<User> find_user(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<User>(sql, user_select, "x.username", key, map_user);
}

std::optional<User> find_user_of_person(SQLite::Database& sql, std::int64_t person_id) {
  SQLite::Statement q(sql, user_select + " WHERE x.person_id = ?");
  q.bind(1, person_id);
  if (q.executeStep()) return map_user(q);
  return std::nullopt;
}

std::optional<User> find_user_by_id(SQLite::Database& sql, std::int64_t id) {
  SQLite::Statement q(sql, user_select + " WHERE x.id = ?");
  q.bind(1, id);
  if (q.executeStep()) return map_user(q);
  return std::nullopt;
}

std::vector<User> list_users(SQLite::Database& sql) { return query_list<User>(sql, user_select + " ORDER BY x.username", map_user); }

std::int64_t count_users(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT count(*) FROM users");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

Result<std::int64_t> insert_login_session(WriteTx& tx, const LoginSession& s) {
  return tx.insert("login_sessions", {{"user_id", s.user_id},
                                      {"kind", s.kind},
                                      {"token_sha256", s.token_sha256},
                                      {"csrf_token", s.csrf_token},
                                      {"created_at_utc", s.created_at_utc},
                                      {"expires_at_utc", s.expires_at_utc}});
}

Status end_login_session(WriteTx& tx, std::int64_t id, const std::string& ended_at_utc) {
  return tx.update("login_sessions", id, {{"ended_at_utc", ended_at_utc}});
}

std::optional<LoginSession> find_login_session(SQLite::Database& sql, const std::string& token_sha256) {
  SQLite::Statement q(sql, session_select + " WHERE x.token_sha256 = ?");
  q.bind(1, token_sha256);
  if (q.executeStep()) return map_session(q);
  return std::nullopt;
}

Result<std::int64_t> insert_api_token(WriteTx& tx, const ApiToken& t) {
  return tx.insert("api_tokens", {{"user_id", t.user_id},
                                  {"name", t.name},
                                  {"token_sha256", t.token_sha256},
                                  {"roles", t.roles},
                                  {"created_at_utc", t.created_at_utc},
                                  {"expires_at_utc", opt(t.expires_at_utc)}});
}

Status revoke_api_token(WriteTx& tx, std::int64_t id, const std::string& revoked_at_utc) {
  return tx.update("api_tokens", id, {{"revoked_at_utc", revoked_at_utc}});
}

std::optional<ApiToken> find_api_token(SQLite::Database& sql, const std::string& token_sha256) {
  SQLite::Statement q(sql, token_select + " WHERE x.token_sha256 = ?");
  q.bind(1, token_sha256);
  if (q.executeStep()) return map_token(q);
  return std::nullopt;
}

std::vector<ApiToken> api_tokens_of(SQLite::Database& sql, std::int64_t user_id) {
  return query_list<ApiToken>(sql, token_select + " WHERE x.user_id = ? ORDER BY x.id", map_token, user_id);
}

Result<std::int64_t> insert_record_signature(WriteTx& tx, const RecordSignature& s) {
  return tx.insert("record_signatures", {{"record_kind", s.record_kind},
                                         {"record_id", s.record_id},
                                         {"meaning", s.meaning},
                                         {"person_id", s.person_id},
                                         {"user_id", s.user_id},
                                         {"signer_name", s.signer_name},
                                         {"signed_at_utc", s.signed_at_utc},
                                         {"content_sha256", s.content_sha256},
                                         {"audit_head_sha256", s.audit_head_sha256},
                                         {"public_key", s.public_key},
                                         {"signature", s.signature}});
}

std::vector<RecordSignature> signatures_of(SQLite::Database& sql, const std::string& record_kind, std::int64_t record_id) {
  SQLite::Statement q(sql, signature_select + " WHERE x.record_kind = ? AND x.record_id = ? ORDER BY x.id");
  q.bind(1, record_kind);
  q.bind(2, record_id);
  std::vector<RecordSignature> out;
  while (q.executeStep()) out.push_back(map_signature(q));
  return out;
}

std::vector<RecordSignature> all_record_signatures(SQLite::Database& sql) {
  return query_list<RecordSignature>(sql, signature_select + " ORDER BY x.id", map_signature);
}

std::vector<RecordSignature> record_signatures_of_kind(SQLite::Database& sql, const std::string& record_kind) {
  SQLite::Statement q(sql, signature_select + " WHERE x.record_kind = ? ORDER BY x.id");
  q.bind(1, record_kind);
  std::vector<RecordSignature> out;
  while (q.executeStep()) out.push_back(map_signature(q));
  return out;
}

std::string first_user_created_at(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT min(created_at_utc) FROM users");
  return q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getString() : std::string();
}

}  // namespace niikit::db
