#include "app/services/signatures.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/time_format.hpp"
#include "app/domain/requirements.hpp"
#include "app/services/requirement_rows.hpp"
#include "db/acceptance.hpp"
#include "db/procurement.hpp"
#include "db/audit.hpp"

namespace niikit::services {

std::string canonical_signature_message(const db::RecordSignature& s) {
  return fmt::format(
      "niikit signature v1\nrecord-kind: {}\nrecord-id: {}\nmeaning: {}\nsigner-person-id: {}\nsigner-name: {}\n"
      "user-id: {}\nsigned-at: {}\ncontent-sha256: {}\naudit-head-sha256: {}\n",
      s.record_kind, s.record_id, s.meaning, s.person_id, s.signer_name, s.user_id, s.signed_at_utc, s.content_sha256,
      s.audit_head_sha256);
}

Result<db::RecordSignature> sign_record(db::WriteTx& tx, const db::User& user, const crypto::SecretKey& key,
                                        const SignInput& input) {
  if (input.content_sha256.size() != 64)
    return fail(ErrorCode::internal, fmt::format("{} {}: no content hash to sign", input.record_kind, input.record_id));
  db::RecordSignature s;
  s.record_kind = input.record_kind;
  s.record_id = input.record_id;
  s.meaning = input.meaning;
  s.person_id = user.person_id;
  s.user_id = user.id;
  s.signer_name = user.person_name;
  s.signed_at_utc = format_utc(tx.now());
  s.content_sha256 = input.content_sha256;
  s.audit_head_sha256 = db::audit_head(tx.sql());
  s.public_key = user.public_key;
  s.signature = crypto::sign(key, canonical_signature_message(s));
  auto id = db::insert_record_signature(tx, s);
  if (!id) return tl::unexpected(id.error());
  s.id = *id;
  return s;
}

Result<TrustedKeys> read_trusted_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(ErrorCode::not_found, fmt::format("{}: cannot read the trusted keys file", path));
  TrustedKeys keys;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string user, key, extra;
    if (!(words >> user >> key) || (words >> extra) || key.size() != 64)
      return fail(ErrorCode::input, fmt::format("{} line {}: expected 'username public-key-hex'", path, n));
    keys[user] = key;
  }
  return keys;
}

std::string trusted_keys_text(const std::vector<db::User>& users) {
  std::string out = "# niikit trusted signing keys: username public-key (Ed25519, hex). Keep a copy outside the\n"
                    "# database; verify with --trusted-keys FILE so a key swapped in the database shows.\n";
  for (const auto& u : users) out += u.username + " " + u.public_key + "\n";
  return out;
}

std::optional<std::string> content_sha256_of(SQLite::Database& sql, const std::string& record_kind,
                                             std::int64_t record_id) {
  if (record_kind == "test_session") {
    if (!db::find_session(sql, record_id)) return std::string();  // the record is gone
    return db::session_content_sha256(sql, record_id);
  }
  if (record_kind == "specification") {
    // A frozen version's requirements as they are stored now; "" when the version is gone.
    const auto spec = db::find_specification_by_id(sql, record_id);
    if (!spec) return std::string();
    return domain::requirements_sha256(load_requirements(sql, record_id));
  }
  // Kinds whose content hash the signer supplied and that have no recomputation here yet are
  // checked by signature and key only.
  return std::nullopt;
}

SignatureCheck check_signature(SQLite::Database& sql, const db::RecordSignature& s,
                               const std::optional<std::string>& current_content_sha256, const TrustedKeys* trusted) {
  SignatureCheck c{s, false, "", crypto::key_fingerprint(s.public_key)};
  const auto user = db::find_user_by_id(sql, s.user_id);
  if (!crypto::verify(s.public_key, canonical_signature_message(s), s.signature))
    c.problem = "the signature does not verify: the row was altered or written without the signer's key";
  else if (!user || user->public_key != s.public_key)
    c.problem = "signed with a key that is not the user's registered key";
  else if (trusted && (!trusted->count(user->username) || trusted->at(user->username) != s.public_key))
    c.problem = "the user's key is not the one pinned in the trusted keys file";
  else if (!s.audit_head_sha256.empty() && !db::audit_hash_exists(sql, s.audit_head_sha256))
    c.problem = "the audit entries it was signed after are gone (the log was cut or rewritten)";
  else if (current_content_sha256 && current_content_sha256->empty())
    c.problem = "the signed record no longer exists";
  else if (current_content_sha256 && *current_content_sha256 != s.content_sha256)
    c.problem = "the record changed after it was signed";
  else
    c.valid = true;
  return c;
}

std::vector<SignatureCheck> check_signatures_of(SQLite::Database& sql, const std::string& record_kind,
                                                std::int64_t record_id, const TrustedKeys* trusted) {
  std::vector<SignatureCheck> out;
  const auto current = content_sha256_of(sql, record_kind, record_id);
  for (const auto& s : db::signatures_of(sql, record_kind, record_id))
    out.push_back(check_signature(sql, s, current, trusted));
  return out;
}

std::vector<SignatureCheck> check_all_signatures(SQLite::Database& sql, const TrustedKeys* trusted) {
  std::vector<SignatureCheck> out;
  for (const auto& s : db::all_record_signatures(sql))
    out.push_back(check_signature(sql, s, content_sha256_of(sql, s.record_kind, s.record_id), trusted));
  return out;
}

SessionSignatureChecker::SessionSignatureChecker(SQLite::Database& sql, const TrustedKeys* trusted)
    : sql_(sql), trusted_(trusted), first_user_at_(db::first_user_created_at(sql)) {
  for (auto& s : db::record_signatures_of_kind(sql, "test_session")) by_session_[s.record_id].push_back(std::move(s));
}

SessionSignatureCheck SessionSignatureChecker::check(const db::Signature& g, const std::string& current,
                                                     const std::string& stored) const {
  const bool content_ok = g.content_sha256 == current && current == stored;
  const db::RecordSignature* keyed = nullptr;
  if (auto it = by_session_.find(g.session_id); it != by_session_.end())
    for (const auto& s : it->second)
      if (s.person_id == g.person_id && s.meaning == g.role) keyed = &s;
  if (keyed) {
    const auto c = check_signature(sql_, *keyed, current, trusted_);
    if (!c.valid) return {false, "invalid: " + c.problem, c.key_fingerprint};
    if (keyed->content_sha256 != g.content_sha256)
      return {false, "invalid: the signature row's content hash is not the one the key signed", c.key_fingerprint};
    if (!content_ok) return {false, "invalid: content changed since signing", c.key_fingerprint};
    return {true, fmt::format("valid (Ed25519, key {})", c.key_fingerprint), c.key_fingerprint};
  }
  if (!first_user_at_.empty() && g.signed_at_utc >= first_user_at_)
    return {false, "invalid: no Ed25519 signature stands behind it (written without the signer's key)", ""};
  if (!content_ok) return {false, "invalid: content changed since signing", ""};
  return {true, "valid (content hash only: signed before the database had user accounts)", ""};
}

std::vector<std::string> signature_problems(SQLite::Database& sql, const TrustedKeys* trusted, std::int64_t& checked) {
  std::vector<std::string> out;
  checked = 0;
  for (const auto& c : check_all_signatures(sql, trusted)) {
    ++checked;
    if (!c.valid)
      out.push_back(fmt::format("signature {} ({} {}, {} as {}, key {}): {}", c.signature.id, c.signature.record_kind,
                                c.signature.record_id, c.signature.signer_name, c.signature.meaning,
                                c.key_fingerprint, c.problem));
  }
  const SessionSignatureChecker checker(sql, trusted);
  std::map<std::int64_t, std::pair<std::string, std::string>> hashes;   // session → (now, stored at close)
  for (const auto& g : db::all_signatures(sql)) {
    auto [it, fresh] = hashes.try_emplace(g.session_id);
    if (fresh) {
      const auto session = db::find_session(sql, g.session_id);
      it->second = {db::session_content_sha256(sql, g.session_id),
                    session && session->status == "closed" ? session->content_sha256 : std::string()};
    }
    const auto c = checker.check(g, it->second.first, it->second.second);
    if (c.key_fingerprint.empty()) ++checked;   // a row with a key signature behind it was counted above
    if (!c.valid)
      out.push_back(fmt::format("session {} signature by {} as {}: {}", g.session_id, g.name, g.role, c.status));
  }
  return out;
}

}  // namespace niikit::services
