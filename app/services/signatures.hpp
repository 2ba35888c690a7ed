// Signatures that prove who signed what (issue 16 item 5): an Ed25519 signature, made with the
// signer's own key (unsealed with their password), over a canonical text naming the record,
// the meaning of the signature, the signer, the time, the record's content hash and the audit
// chain's head at that moment. Verification needs only public keys: a record changed after
// signing (its content hash no longer matches), a signature row written without the key (the
// signature does not verify), or a key swapped in the users table (not the key pinned in a
// trusted-keys file, when one is given) all show as invalid, even when the audit chain was
// recomputed.
//
// Record kinds and how their current content hash is computed are listed in signatures.cpp
// (content_sha256_of). Pure functions over the connection; not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/services/crypto.hpp"
#include "core/error.hpp"
#include "db/acceptance.hpp"
#include "db/database.hpp"
#include "db/users.hpp"

namespace niikit::services {

// The text an Ed25519 signature covers (version 1). Every field on its own line; the record's
// own content is represented by its SHA-256.
std::string canonical_signature_message(const db::RecordSignature& s);

// The signer's user account and signing key, unsealed with their password
// (services::unlock_signing_key): what a use case that signs takes from its adapter.
struct KeySigner {
  db::User user;
  crypto::SecretKey key;
};

struct SignInput {
  std::string record_kind;     // "test_session", "survey", "specification", "award"
  std::int64_t record_id = 0;
  std::string meaning;         // "witnessed", "tested", "approved", "vendor_acknowledgement", ...
  std::string content_sha256;  // the record's canonical content hash now
};

// Signs inside the caller's unit of work as `user` (whose secret key the caller unsealed with
// the user's password) and stores the signature row.
Result<db::RecordSignature> sign_record(db::WriteTx& tx, const db::User& user, const crypto::SecretKey& key,
                                        const SignInput& input);

// Public keys pinned outside the database: "username public-key-hex" per line (# comments).
using TrustedKeys = std::map<std::string, std::string>;
Result<TrustedKeys> read_trusted_keys(const std::string& path);
// The same file's text for every user of the database (`niikit user keys`).
std::string trusted_keys_text(const std::vector<db::User>& users);

struct SignatureCheck {
  db::RecordSignature signature;
  bool valid = false;
  std::string problem;          // "" when valid; else one line: what is wrong
  std::string key_fingerprint;  // 16 hex digits of the signing key
};

// Checks one signature against the record's current content hash (nullopt: the record is gone).
SignatureCheck check_signature(SQLite::Database& sql, const db::RecordSignature& s,
                               const std::optional<std::string>& current_content_sha256,
                               const TrustedKeys* trusted = nullptr);

// The current content hash of a signed record: "" when the record no longer exists, nullopt
// when its kind has no recomputation (then only the signature and key are checked).
std::optional<std::string> content_sha256_of(SQLite::Database& sql, const std::string& record_kind,
                                             std::int64_t record_id);

// Every signature of the database checked (audit verify, db check).
std::vector<SignatureCheck> check_all_signatures(SQLite::Database& sql, const TrustedKeys* trusted = nullptr);
std::vector<SignatureCheck> check_signatures_of(SQLite::Database& sql, const std::string& record_kind,
                                                std::int64_t record_id, const TrustedKeys* trusted = nullptr);

// What proves a session signature (a row of the signatures table, made by `niikit test sign`):
// its Ed25519 record signature of kind "test_session" with the same person and meaning (the
// role). Once the database has user accounts, a row without one is invalid (written without the
// signer's key); rows from before the first account are shown as "content hash only".
struct SessionSignatureCheck {
  bool valid = false;
  std::string status;           // "valid (Ed25519 key …)", "valid (content hash only …)" or "invalid: why"
  std::string key_fingerprint;  // "" when no key signature stands behind the row
};

// Loads the key signatures of every session once (fleet gates read many sessions).
class SessionSignatureChecker {
 public:
  explicit SessionSignatureChecker(SQLite::Database& sql, const TrustedKeys* trusted = nullptr);
  // `current`: the session's content hash recomputed now; `stored`: the hash stored at close
  // ("" while the session is open, which no signature can be valid for).
  SessionSignatureCheck check(const db::Signature& g, const std::string& current, const std::string& stored) const;

 private:
  SQLite::Database& sql_;
  const TrustedKeys* trusted_;
  std::string first_user_at_;
  std::map<std::int64_t, std::vector<db::RecordSignature>> by_session_;
};

// Every signature of the database that does not hold, one line each naming it, for `audit
// verify` and `db check`: record signatures (check_all_signatures) and session signature rows
// (SessionSignatureChecker, against each session's content recomputed now). `checked` counts
// the signatures looked at (a session signature row and its key signature count once).
std::vector<std::string> signature_problems(SQLite::Database& sql, const TrustedKeys* trusted, std::int64_t& checked);

}  // namespace niikit::services
