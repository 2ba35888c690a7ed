#include "app/services/crypto.hpp"

#include <sodium.h>

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace niikit::services::crypto {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.resize(n * 2);
  return out;
}

// Decodes exactly `n` bytes of hex; false on anything else.
bool from_hex(const std::string& hex, unsigned char* out, std::size_t n) {
  std::size_t len = 0;
  return hex.size() == n * 2 && sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

// The sealing key: argon2id(password, salt), "interactive" limits.
bool derive_key(std::string_view password, const unsigned char* salt, unsigned char* key) {
  return crypto_pwhash(key, crypto_secretbox_KEYBYTES, password.data(), password.size(), salt,
                       crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                       crypto_pwhash_ALG_ARGON2ID13) == 0;
}

Result<SealedKeyPair> seal(const SecretKey& secret, const std::string& public_key_hex, std::string_view password) {
  unsigned char salt[crypto_pwhash_SALTBYTES];
  randombytes_buf(salt, sizeof salt);
  auto* key = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
  if (!key) return fail(ErrorCode::internal, "cannot allocate guarded memory for a key");
  const bool derived = derive_key(password, salt, key);
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES);
  unsigned char* nonce = box.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  if (derived)
    crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES, secret.data(), crypto_sign_SECRETKEYBYTES, nonce,
                          key);
  sodium_free(key);
  if (!derived) return fail(ErrorCode::internal, "cannot derive a key from the password (out of memory?)");
  return SealedKeyPair{public_key_hex, to_hex(box.data(), box.size()), to_hex(salt, sizeof salt)};
}

}  // namespace

Status init_crypto() {
  if (sodium_init() < 0) return fail(ErrorCode::internal, "libsodium could not start");
  return {};
}

Status check_password_rules(std::string_view password) {
  if (password.size() < 10) return fail(ErrorCode::input, "password: at least 10 characters");
  if (password.size() > 256) return fail(ErrorCode::input, "password: at most 256 characters");
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); }))
    return fail(ErrorCode::input, "password: not one character repeated");
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  if (auto st = init_crypto(); !st) return tl::unexpected(st.error());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return fail(ErrorCode::internal, "cannot hash the password (out of memory?)");
  return std::string(out);
}

bool password_matches(const std::string& stored_hash, std::string_view password) {
  if (!init_crypto()) return false;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

SecretKey::SecretKey() : bytes_(static_cast<unsigned char*>(sodium_malloc(crypto_sign_SECRETKEYBYTES))) {}
SecretKey::~SecretKey() {
  if (bytes_) sodium_free(bytes_);
}
SecretKey::SecretKey(SecretKey&& o) noexcept : bytes_(o.bytes_) { o.bytes_ = nullptr; }
SecretKey& SecretKey::operator=(SecretKey&& o) noexcept {
  if (this != &o) {
    if (bytes_) sodium_free(bytes_);
    bytes_ = o.bytes_;
    o.bytes_ = nullptr;
  }
  return *this;
}

Result<SealedKeyPair> make_key_pair(std::string_view password) {
  if (auto st = init_crypto(); !st) return tl::unexpected(st.error());
  SecretKey secret;
  if (!secret.data()) return fail(ErrorCode::internal, "cannot allocate guarded memory for a key");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, secret.data());
  return seal(secret, to_hex(pk, sizeof pk), password);
}

Result<SecretKey> unseal(const SealedKeyPair& sealed, std::string_view password) {
  if (auto st = init_crypto(); !st) return tl::unexpected(st.error());
  unsigned char salt[crypto_pwhash_SALTBYTES];
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES);
  if (!from_hex(sealed.salt_hex, salt, sizeof salt) || !from_hex(sealed.sealed_secret_hex, box.data(), box.size()))
    return fail(ErrorCode::integrity, "the stored signing key is damaged");
  auto* key = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
  SecretKey secret;
  if (!key || !secret.data()) {
    if (key) sodium_free(key);
    return fail(ErrorCode::internal, "cannot allocate guarded memory for a key");
  }
  const bool derived = derive_key(password, salt, key);
  const bool opened = derived && crypto_secretbox_open_easy(secret.data(), box.data() + crypto_secretbox_NONCEBYTES,
                                                            box.size() - crypto_secretbox_NONCEBYTES, box.data(),
                                                            key) == 0;
  sodium_free(key);
  if (!opened) return fail(ErrorCode::forbidden, "wrong password");
  // The secret must belong to the recorded public key (a swapped sealed blob is refused).
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, secret.data());
  if (to_hex(pk, sizeof pk) != sealed.public_key_hex)
    return fail(ErrorCode::integrity, "the stored signing key does not match the user's public key");
  return secret;
}

Result<SealedKeyPair> reseal(const SealedKeyPair& sealed, std::string_view old_password, std::string_view new_password) {
  auto secret = unseal(sealed, old_password);
  if (!secret) return tl::unexpected(secret.error());
  return seal(*secret, sealed.public_key_hex, new_password);
}

std::string sign(const SecretKey& secret, std::string_view message) {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret.data());
  return to_hex(sig, sizeof sig);
}

bool verify(const std::string& public_key_hex, std::string_view message, const std::string& signature_hex) {
  if (!init_crypto()) return false;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  if (!from_hex(public_key_hex, pk, sizeof pk) || !from_hex(signature_hex, sig, sizeof sig)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()), message.size(), pk) == 0;
}

std::string random_token() {
  (void)init_crypto();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

std::string token_digest(std::string_view token) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return to_hex(out, sizeof out);
}

std::string key_fingerprint(const std::string& public_key_hex) { return token_digest(public_key_hex).substr(0, 16); }

}  // namespace niikit::services::crypto
