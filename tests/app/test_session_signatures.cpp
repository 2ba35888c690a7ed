// Session signatures on a database with user accounts (issue 16 item 5): `test sign` is an
// Ed25519 signature made with the signer's own key, and a result changed after signing — even
// with the session hash, the signature rows and the audit chain all brought in line by someone
// who can write the database file — or a signature row written without the key shows invalid in
// `test show`, the gates, `audit verify` and `db check`. Reports carry the audit chain's head.
#define BOOST_TEST_MODULE session_signatures
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "acceptance_fixture.hpp"
#include "app/services/acceptance_report.hpp"
#include "app/services/context.hpp"
#include "app/services/signatures.hpp"
#include "app/services/user_service.hpp"
#include "db/audit.hpp"
#include "db/users.hpp"

using namespace niikit;
using namespace niikit::testing::acceptance;

namespace {

const std::string kKofiPassword = "kofi's signing password";
const std::string kEfuaPassword = "efua's signing password";

// The acceptance fixture, plus user accounts for the two engineers made through a Context on
// the same database file.
struct SignedFixture : Fixture {
  services::Context ctx;

  static services::Config config_for(const TempDir& d) {
    services::Config c;
    c.db_path = d.file("test.db");
    c.fixed_now = testing::test_clock().now();
    return c;
  }
  SignedFixture() : ctx(config_for(dir)) {
    BOOST_REQUIRE(ctx.database(services::Access::write).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Kofi", "kofi", kKofiPassword}).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Efua", "efua", kEfuaPassword}).has_value());
  }

  // The signing key of `person`, unsealed the way `niikit test sign` does: acting as them, with
  // `password` typed at the prompt.
  Result<services::KeySigner> signer(const std::string& person, const std::string& password) {
    services::Context c(config_for(dir));
    c.password_source = [password](const std::string&) -> Result<std::string> { return password; };
    if (auto a = c.act_as_person(person); !a) return tl::unexpected(a.error());
    if (auto opened = c.database(services::Access::write); !opened) return tl::unexpected(opened.error());
    auto key = services::unlock_signing_key(c, "test");
    if (!key) return tl::unexpected(key.error());
    return services::KeySigner{std::move(key->first), std::move(key->second)};
  }

  std::int64_t closed_fat_session() {
    scanner("S1", "fat");
    const auto s = start("S1", "fat");
    measure_fat(s, 320, 1);
    BOOST_REQUIRE(*close(s).session.verdict == "pass");
    return s;
  }

  // What someone with write access to the file can do: set a column and log the change with
  // niikit's own audit function, so the chain is intact and every record reconciles.
  void forge(const std::string& table, std::int64_t id, const std::string& set) {
    auto before = db::row_snapshot(db.sql(), table, id);
    db.sql().exec(fmt::format("UPDATE {} SET {} WHERE id = {}", table, set, id));
    db::append_audit(db.sql(), "forger", testing::test_clock().now(), "update", table, id, before,
                     db::row_snapshot(db.sql(), table, id));
  }

  std::vector<std::string> problems() {
    std::int64_t checked = 0;
    return services::signature_problems(db.sql(), nullptr, checked);
  }
};

std::int64_t id_of(db::Database& db, const std::string& sql) { return count(db, sql); }

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_signature_needs_the_signers_own_key, SignedFixture) {
  const auto s = closed_fat_session();
  // No key: refused once the database has accounts.
  auto bare = services::sign_session(db, s, "Kofi", "witness");
  BOOST_REQUIRE(!bare.has_value());
  BOOST_TEST(bare.error().code == ErrorCode::forbidden);
  BOOST_TEST(contains(bare.error().message, "needs Kofi's signing key"), bare.error().message);
  // A wrong password does not open the key.
  auto wrong = signer("Kofi", "not kofi's password");
  BOOST_REQUIRE(!wrong.has_value());
  BOOST_TEST(wrong.error().code == ErrorCode::forbidden);
  // Efua's key cannot sign in Kofi's name.
  auto efua = signer("Efua", kEfuaPassword);
  BOOST_REQUIRE(efua.has_value());
  auto other = services::sign_session(db, s, "Kofi", "witness", &*efua);
  BOOST_REQUIRE(!other.has_value());
  BOOST_TEST(other.error().code == ErrorCode::forbidden);
  BOOST_TEST(count(db, "SELECT count(*) FROM signatures") == 0);
  BOOST_TEST(count(db, "SELECT count(*) FROM record_signatures") == 0);

  auto kofi = signer("Kofi", kKofiPassword);
  BOOST_REQUIRE(kofi.has_value());
  auto signed_ok = services::sign_session(db, s, "Kofi", "witness", &*kofi);
  BOOST_REQUIRE_MESSAGE(signed_ok.has_value(), (signed_ok ? "" : signed_ok.error().message));
  BOOST_TEST(count(db, "SELECT count(*) FROM record_signatures WHERE record_kind = 'test_session' "
                       "AND meaning = 'witness'") == 1);
  auto d = services::session_detail(db, s);
  BOOST_REQUIRE(d.has_value());
  BOOST_REQUIRE(d->signatures.size() == 1u);
  BOOST_TEST(d->signatures[0].valid, d->signatures[0].status);
  BOOST_TEST(d->signatures[0].key_fingerprint.size() == 16u);
  BOOST_TEST(d->signatures[0].status == "valid (Ed25519, key " + d->signatures[0].key_fingerprint + ")");
  BOOST_TEST(gate("S1", "deployment", "Efua").passed(), unmet(gate("S1", "deployment", "Efua")));
  BOOST_TEST(problems().empty());
}

BOOST_FIXTURE_TEST_CASE(a_result_changed_and_every_hash_brought_in_line_still_shows, SignedFixture) {
  const auto s = closed_fat_session();
  auto kofi = signer("Kofi", kKofiPassword);
  BOOST_REQUIRE(kofi.has_value());
  BOOST_REQUIRE(services::sign_session(db, s, "Kofi", "witness", &*kofi).has_value());
  BOOST_REQUIRE(db::verify_audit(db.sql())->ok());

  // The steel penetration lowered from 320 to 250 mm; then the session's content hash, the
  // signature row's and the key signature row's hashes rewritten to the new content, each change
  // logged so that the audit chain is intact and every record reconciles.
  const auto m = id_of(db, "SELECT id FROM measurements WHERE metric_key = 'cargo.penetration.steel_mm'");
  forge("measurements", m, "value = 250");
  const std::string now = db::session_content_sha256(db.sql(), s);
  forge("test_sessions", s, "content_sha256 = '" + now + "'");
  forge("signatures", id_of(db, "SELECT id FROM signatures"), "content_sha256 = '" + now + "'");
  forge("record_signatures", id_of(db, "SELECT id FROM record_signatures"), "content_sha256 = '" + now + "'");
  auto audit = db::verify_audit(db.sql());
  BOOST_REQUIRE(audit.has_value());
  BOOST_TEST(audit->ok(), "the forger's audit entries reconcile: only the signature can tell");

  auto d = services::session_detail(db, s);
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->content_intact);   // the stored hash was rewritten too
  BOOST_REQUIRE(d->signatures.size() == 1u);
  BOOST_TEST(!d->signatures[0].valid);
  BOOST_TEST(contains(d->signatures[0].status, "does not verify"), d->signatures[0].status);
  auto g = gate("S1", "deployment", "Efua");
  BOOST_TEST(!g.passed());
  BOOST_TEST(contains(unmet(g), "Kofi (witness)"), unmet(g));
  const auto p = problems();
  BOOST_TEST(p.size() == 2u);   // the key signature and the session's signature row
  BOOST_TEST(contains(p.at(0), "does not verify"), p.at(0));

  // The report says so.
  auto report = services::build_acceptance_report(db, {"S1", "fat", s}, "2026-12-05T00:00:00Z");
  BOOST_REQUIRE(report.has_value());
  BOOST_REQUIRE(!report->signatures.empty());
  BOOST_TEST(std::string(reports::to_string(report->signatures[0].status)) == "invalid");
  BOOST_TEST(contains(report->signatures[0].note, "does not verify"), report->signatures[0].note);
}

BOOST_FIXTURE_TEST_CASE(a_signature_row_written_without_the_key_is_invalid, SignedFixture) {
  const auto s = closed_fat_session();
  // Kofi's witness signature row inserted by hand with the right content hash, logged with
  // niikit's own audit function: no key signature stands behind it.
  const std::string hash = db::session_content_sha256(db.sql(), s);
  const auto kofi_id = id_of(db, "SELECT id FROM people WHERE name = 'Kofi'");
  db.sql().exec(fmt::format("INSERT INTO signatures (session_id, person_id, role, signed_at_utc, content_sha256) "
                            "VALUES ({}, {}, 'witness', '2026-12-05T00:00:00Z', '{}')",
                            s, kofi_id, hash));
  const auto row = db.sql().getLastInsertRowid();
  db::append_audit(db.sql(), "forger", testing::test_clock().now(), "insert", "signatures", row, std::nullopt,
                   db::row_snapshot(db.sql(), "signatures", row));
  BOOST_TEST(db::verify_audit(db.sql())->ok());

  auto d = services::session_detail(db, s);
  BOOST_REQUIRE(d.has_value() && d->signatures.size() == 1u);
  BOOST_TEST(!d->signatures[0].valid);
  BOOST_TEST(contains(d->signatures[0].status, "without the signer's key"), d->signatures[0].status);
  BOOST_TEST(!gate("S1", "deployment", "Efua").passed());
  BOOST_TEST(problems().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(every_report_carries_the_audit_head_that_detects_later_cuts, SignedFixture) {
  const auto s = closed_fat_session();
  auto kofi = signer("Kofi", kKofiPassword);
  BOOST_REQUIRE(kofi.has_value());
  BOOST_REQUIRE(services::sign_session(db, s, "Kofi", "witness", &*kofi).has_value());
  auto report = services::build_acceptance_report(db, {"S1", "fat", s}, "2026-12-05T00:00:00Z");
  BOOST_REQUIRE(report.has_value());
  const std::string head = report->provenance.audit_head_sha256;
  BOOST_TEST(head == db::audit_head(db.sql()));
  BOOST_TEST(head.size() == 64u);
  BOOST_TEST(db::verify_audit(db.sql(), head)->ok());
  // Later work: the chain grows, the report's head is still an entry of it.
  BOOST_REQUIRE(services::add_person(db, "t", {{"name", "Later"}, {"role", "engineer"}}).has_value());
  BOOST_TEST(db::verify_audit(db.sql(), head)->ok());
  // Someone deletes Kofi's signature (both rows) and every audit entry from its insert on, and
  // the person added later with its entry: what is left is a consistent file by itself...
  const auto first_cut = id_of(db, "SELECT min(seq) FROM audit_log WHERE table_name = 'signatures'");
  db.sql().exec("DELETE FROM record_signatures; DELETE FROM signatures; DELETE FROM people WHERE name = 'Later'");
  db.sql().exec(fmt::format("DELETE FROM audit_log WHERE seq >= {}", first_cut));
  BOOST_TEST(db::verify_audit(db.sql())->ok());
  // ...but the head printed on the report is no longer in the chain.
  auto cut = db::verify_audit(db.sql(), head);
  BOOST_REQUIRE(cut.has_value());
  BOOST_REQUIRE(cut->problems.size() == 1u);
  BOOST_TEST(cut->problems[0].kind == "head_mismatch");
}

BOOST_FIXTURE_TEST_CASE(a_specification_freeze_is_signed_and_a_target_lowered_later_shows, SignedFixture) {
  BOOST_REQUIRE(services::add_user(ctx, {"Ama", "ama", "ama's signing password"}).has_value());
  BOOST_REQUIRE(services::add_procurement(db, "t", {"P-2", "Baggage scanners", "", "", ""}).has_value());
  BOOST_REQUIRE(services::import_specification(db, "t", "P-2", dir.file("spec.json")).has_value());
  auto bare = services::freeze_specification(db, "t", "P-2", "Ama");
  BOOST_REQUIRE(!bare.has_value());
  BOOST_TEST(bare.error().code == ErrorCode::forbidden);
  BOOST_TEST(contains(bare.error().message, "needs Ama's signing key"), bare.error().message);
  auto kofi = signer("Kofi", kKofiPassword);   // an engineer's key, in a manager's name
  BOOST_REQUIRE(kofi.has_value());
  BOOST_TEST(!services::freeze_specification(db, "t", "P-2", "Ama", &*kofi).has_value());
  BOOST_TEST(count(db, "SELECT count(*) FROM specifications WHERE status = 'frozen'") == 1);   // P-1's only

  auto ama = signer("Ama", "ama's signing password");
  BOOST_REQUIRE(ama.has_value());
  auto frozen = services::freeze_specification(db, "t", "P-2", "Ama", &*ama);
  BOOST_REQUIRE_MESSAGE(frozen.has_value(), (frozen ? "" : frozen.error().message));
  BOOST_REQUIRE(frozen->frozen);
  const auto spec = frozen->view.specification.id;
  auto checks = services::check_signatures_of(db.sql(), "specification", spec);
  BOOST_REQUIRE(checks.size() == 1u);
  BOOST_TEST(checks[0].valid, checks[0].problem);
  BOOST_TEST(checks[0].signature.meaning == "approved");
  BOOST_TEST(problems().empty());

  // The steel penetration target lowered from 300 to 200 mm in the frozen version (the trigger
  // that keeps frozen versions unchanged dropped first), logged so the audit chain reconciles:
  // the freeze signature shows it.
  db.sql().exec("DROP TRIGGER spec_requirements_frozen_update");
  forge("spec_requirements",
        id_of(db, fmt::format("SELECT id FROM spec_requirements WHERE specification_id = {} AND requirement_id = "
                              "'IQ-01'", spec)),
        "target_in_unit = 200");
  BOOST_TEST(db::verify_audit(db.sql())->ok());
  checks = services::check_signatures_of(db.sql(), "specification", spec);
  BOOST_REQUIRE(checks.size() == 1u);
  BOOST_TEST(!checks[0].valid);
  BOOST_TEST(checks[0].problem == "the record changed after it was signed");
  BOOST_TEST(problems().size() == 1u);
}
