// Users, passwords and Ed25519 record signatures (issue 16): only the key's owner can sign,
// and a changed record, a forged signature row or a swapped key show as invalid, even after the
// audit chain is recomputed by someone who can write the database file.
#define BOOST_TEST_MODULE users
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "app/services/context.hpp"
#include "app/services/crypto.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/signatures.hpp"
#include "app/services/user_service.hpp"
#include "db/audit.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  services::Context ctx;
  std::string password = "correct horse battery";

  static services::Config config_for(const TempDir& d) {
    services::Config c;
    c.db_path = d.file("users.db");
    c.fixed_now = testing::test_clock().now();
    return c;
  }
  Fixture() : ctx(config_for(dir)) {
    BOOST_REQUIRE(ctx.database(services::Access::create).has_value());
    BOOST_REQUIRE(services::add_person(ctx.db(), "setup", {{"name", "Ama"}, {"role", "manager"}}).has_value());
    BOOST_REQUIRE(services::add_person(ctx.db(), "setup", {{"name", "Kofi"}, {"role", "engineer"}}).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Ama", "ama", password}).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Kofi", "kofi", "kofi's own password"}).has_value());
  }
  db::User user(const std::string& name) { return *db::find_user(ctx.db().sql(), name); }
  // Signs a made-up record (kind "note") with the given user's key.
  db::RecordSignature sign(const std::string& username, const std::string& pass, const std::string& content) {
    auto u = user(username);
    auto key = services::crypto::unseal({u.public_key, u.sealed_secret_key, u.key_salt}, pass);
    BOOST_REQUIRE(key.has_value());
    auto s = ctx.db().write(u.person_name, [&](db::WriteTx& tx) {
      return services::sign_record(tx, u, *key, {"note", 1, "approved", db::sha256_hex(content)});
    });
    BOOST_REQUIRE(s.has_value());
    return *s;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(password_hashes_and_sealed_keys_open_only_with_the_password) {
  auto hash = services::crypto::hash_password("a good long password");
  BOOST_REQUIRE(hash.has_value());
  BOOST_TEST(hash->rfind("$argon2id$", 0) == 0u);
  BOOST_TEST(services::crypto::password_matches(*hash, "a good long password"));
  BOOST_TEST(!services::crypto::password_matches(*hash, "a good long passwore"));
  auto pair = services::crypto::make_key_pair("a good long password");
  BOOST_REQUIRE(pair.has_value());
  BOOST_TEST(pair->public_key_hex.size() == 64u);
  BOOST_TEST(pair->sealed_secret_hex.size() == 208u);
  auto wrong = services::crypto::unseal(*pair, "not the password");
  BOOST_REQUIRE(!wrong.has_value());
  BOOST_TEST(wrong.error().code == ErrorCode::forbidden);
  auto key = services::crypto::unseal(*pair, "a good long password");
  BOOST_REQUIRE(key.has_value());
  const std::string sig = services::crypto::sign(*key, "message");
  BOOST_TEST(services::crypto::verify(pair->public_key_hex, "message", sig));
  BOOST_TEST(!services::crypto::verify(pair->public_key_hex, "messagf", sig));
  // Resealing under a new password keeps the public key; the old password no longer opens it.
  auto resealed = services::crypto::reseal(*pair, "a good long password", "another long password");
  BOOST_REQUIRE(resealed.has_value());
  BOOST_TEST(resealed->public_key_hex == pair->public_key_hex);
  BOOST_TEST(!services::crypto::unseal(*resealed, "a good long password").has_value());
  BOOST_TEST(services::crypto::unseal(*resealed, "another long password").has_value());
  for (const char* weak : {"short", "aaaaaaaaaaaaaaa"}) BOOST_TEST(!services::crypto::check_password_rules(weak).has_value());
}

BOOST_FIXTURE_TEST_CASE(five_wrong_passwords_lock_the_account, Fixture) {
  for (int i = 0; i < services::kMaxFailedLogins; ++i) {
    auto r = services::authenticate(ctx, "ama", "wrong password!");
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().code == ErrorCode::forbidden);
  }
  auto locked = services::authenticate(ctx, "ama", password);
  BOOST_REQUIRE(!locked.has_value());
  BOOST_TEST(locked.error().message.find("locked") != std::string::npos);
  ctx.set_clock(Clock(ctx.clock().now() + std::chrono::minutes(16)));
  BOOST_TEST(services::authenticate(ctx, "Ama", password).has_value());  // by person name too
  BOOST_TEST(user("ama").failed_logins == 0);
}

BOOST_FIXTURE_TEST_CASE(a_signature_verifies_until_the_record_or_the_row_changes, Fixture) {
  auto s = sign("ama", password, "record content v1");
  auto ok = services::check_signature(ctx.db().sql(), s, db::sha256_hex("record content v1"));
  BOOST_TEST(ok.valid, ok.problem);
  BOOST_TEST(ok.key_fingerprint.size() == 16u);
  // The signed record changed afterwards.
  auto changed = services::check_signature(ctx.db().sql(), s, db::sha256_hex("record content v2"));
  BOOST_TEST(!changed.valid);
  BOOST_TEST(changed.problem == "the record changed after it was signed");
  // Someone with write access rewrites the row to the new content hash and recomputes the
  // audit chain: without Ama's secret key the signature no longer verifies.
  db::RecordSignature forged = s;
  forged.content_sha256 = db::sha256_hex("record content v2");
  auto f = services::check_signature(ctx.db().sql(), forged, db::sha256_hex("record content v2"));
  BOOST_TEST(!f.valid);
  BOOST_TEST(f.problem.find("does not verify") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_row_in_another_users_name_or_a_swapped_key_is_invalid, Fixture) {
  // Kofi signs with his own key but the row claims Ama signed.
  auto s = sign("kofi", "kofi's own password", "content");
  db::RecordSignature claimed = s;
  claimed.user_id = user("ama").id;
  claimed.person_id = user("ama").person_id;
  claimed.signer_name = "Ama";
  auto c = services::check_signature(ctx.db().sql(), claimed, db::sha256_hex("content"));
  BOOST_TEST(!c.valid);
  // ... and if he re-signs the claimed row with his key, the key is not Ama's registered key.
  auto kofi = user("kofi");
  auto key = services::crypto::unseal({kofi.public_key, kofi.sealed_secret_key, kofi.key_salt}, "kofi's own password");
  claimed.signature = services::crypto::sign(*key, services::canonical_signature_message(claimed));
  c = services::check_signature(ctx.db().sql(), claimed, db::sha256_hex("content"));
  BOOST_TEST(!c.valid);
  BOOST_TEST(c.problem == "signed with a key that is not the user's registered key");
  // Swapping Ama's registered public key for Kofi's in the file makes it "registered", but the
  // trusted keys file kept outside the database still names Ama's real key.
  const auto trusted_text = services::trusted_keys_text(db::list_users(ctx.db().sql()));
  TempDir keys_dir;
  testing::write_file(keys_dir.file("keys.txt"), trusted_text);
  auto trusted = services::read_trusted_keys(keys_dir.file("keys.txt"));
  BOOST_REQUIRE(trusted.has_value());
  // Any other key value: Kofi's with its first digit changed (never Kofi's own, which is unique
  // in the table — a fixed "0" collided with it whenever his key began with 0).
  const std::string other_key = (kofi.public_key[0] == '0' ? "1" : "0") + kofi.public_key.substr(1);
  {
    SQLite::Statement q(ctx.db().sql(), "UPDATE users SET public_key = ? WHERE username = 'ama'");
    q.bind(1, other_key);
    q.exec();
  }
  claimed.public_key = other_key;
  c = services::check_signature(ctx.db().sql(), claimed, db::sha256_hex("content"), &*trusted);
  BOOST_TEST(!c.valid);
}

BOOST_FIXTURE_TEST_CASE(a_signature_whose_audit_entries_were_cut_is_invalid, Fixture) {
  auto s = sign("ama", password, "content");
  BOOST_TEST(services::check_signature(ctx.db().sql(), s, std::nullopt).valid);
  // Deleting the newest audit entries (the ones the signature was made after) is seen.
  ctx.db().sql().exec("DELETE FROM audit_log WHERE hash = '" + s.audit_head_sha256 + "'");
  auto c = services::check_signature(ctx.db().sql(), s, std::nullopt);
  BOOST_TEST(!c.valid);
  BOOST_TEST(c.problem.find("audit entries") != std::string::npos);
}
