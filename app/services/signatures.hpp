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
#include "db/database.hpp"
#include "db/users.hpp"

namespace niikit::services {

// The text an Ed25519 signature covers (version 1). Every field on its own line; the record's
// own content is represented by its SHA-256.
std::string canonical_signature_message(const db::RecordSignature& s);

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

}  // namespace niikit::services
