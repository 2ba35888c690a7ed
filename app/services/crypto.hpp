// Credentials and signatures (issue 16) through libsodium: argon2id password hashes, an
// Ed25519 key pair per user whose secret key is stored sealed (XSalsa20-Poly1305 secretbox)
// under a key derived from the user's password with argon2id, so only someone who knows the
// password can sign; verification needs only the public key.
//
// Secret keys live in libsodium's guarded memory (locked, zeroed on release). Everything else
// is hex text, as stored in the database. Thread-safe after init_crypto() (called by every
// function here; libsodium's init is idempotent and thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace niikit::services::crypto {

// Errors: internal when libsodium cannot start (no entropy source).
Status init_crypto();

// argon2id, libsodium's "interactive" limits (fast enough for a login: ~0.1 s, 64 MiB).
Result<std::string> hash_password(std::string_view password);
bool password_matches(const std::string& stored_hash, std::string_view password);

// Passwords niikit accepts: 10–256 characters, not all the same character.
Status check_password_rules(std::string_view password);

// A secret key held in guarded memory.
class SecretKey {
 public:
  SecretKey();
  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&&) noexcept;
  SecretKey& operator=(SecretKey&&) noexcept;
  [[nodiscard]] unsigned char* data() { return bytes_; }
  [[nodiscard]] const unsigned char* data() const { return bytes_; }

 private:
  unsigned char* bytes_ = nullptr;
};

struct SealedKeyPair {
  std::string public_key_hex;   // 32 bytes
  std::string sealed_secret_hex;  // nonce (24) || secretbox(secret key 64) — 24 + 16 + 64 bytes
  std::string salt_hex;         // argon2id salt (16) of the sealing key
};

// A fresh Ed25519 key pair, the secret sealed under `password`.
Result<SealedKeyPair> make_key_pair(std::string_view password);
// Opens the sealed secret with `password`: input error "wrong password" when it does not open.
Result<SecretKey> unseal(const SealedKeyPair& sealed, std::string_view password);
// Seals the same secret under a new password (password change: the public key stays).
Result<SealedKeyPair> reseal(const SealedKeyPair& sealed, std::string_view old_password, std::string_view new_password);

// Ed25519 detached signature of `message` (hex, 64 bytes).
std::string sign(const SecretKey& secret, std::string_view message);
// True when `signature_hex` is `public_key_hex`'s signature of `message`.
bool verify(const std::string& public_key_hex, std::string_view message, const std::string& signature_hex);

// 32 random bytes as hex (session and API tokens), and the SHA-256 under which a token is stored.
std::string random_token();
std::string token_digest(std::string_view token);

// The first 16 hex digits of the SHA-256 of a public key: how reports and docs name a key.
std::string key_fingerprint(const std::string& public_key_hex);

}  // namespace niikit::services::crypto
