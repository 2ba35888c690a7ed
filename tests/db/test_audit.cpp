#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include "db/audit.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

namespace {

// Three sites, one edited and one removed through niikit: five audit rows.
void populate(db::Database& db) {
  auto st = db.write("Efua Owusu", [](db::WriteTx& tx) -> Status {
    for (const char* name : {"Tema", "Aflao", "Kotoka"}) {
      auto id = db::insert_site(tx, {0, name, "GH", "seaport", ""});
      if (!id) return tl::unexpected(id.error());
    }
    auto tema = db::find_site(tx.sql(), "Tema");
    tema->site_type = "inland";
    if (auto u = db::update_site(tx, *tema); !u) return u;
    return tx.remove("sites", db::find_site(tx.sql(), "Kotoka")->id);
  });
  BOOST_REQUIRE(st.has_value());
}

std::vector<std::string> problem_kinds(db::Database& db) {
  auto report = db::verify_audit(db.sql());
  BOOST_REQUIRE(report.has_value());
  std::vector<std::string> kinds;
  for (const auto& p : report->problems) kinds.push_back(p.kind);
  return kinds;
}

bool has(const std::vector<std::string>& kinds, const std::string& kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// Opens the file with plain SQLite, as someone editing it behind niikit's back would.
void tamper(const TempDir& dir, const std::string& sql) {
  SQLite::Database raw(dir.file("test.db"), SQLite::OPEN_READWRITE);
  raw.exec(sql);
}

struct Fixture {
  TempDir dir;
  Fixture() {
    auto db = testing::fresh_db(dir);
    populate(db);
  }
  db::Database reopen() { return *db::Database::open_ready(dir.file("test.db"), db::OpenMode::existing); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_change_is_logged_with_before_and_after) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  populate(db);
  auto report = db::verify_audit(db.sql());
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->ok());
  BOOST_TEST(report->entries == 5);
  BOOST_TEST(report->records_checked == 2);
  auto tema = db::audit_entries_for(db.sql(), "sites", 1);
  BOOST_REQUIRE(tema.size() == 2u);
  BOOST_TEST(tema[0].action == "insert");
  BOOST_TEST(!tema[0].before_json.has_value());
  BOOST_TEST(tema[1].action == "update");
  BOOST_TEST(tema[1].before_json->find("\"site_type\":\"seaport\"") != std::string::npos);
  BOOST_TEST(tema[1].after_json->find("\"site_type\":\"inland\"") != std::string::npos);
  BOOST_TEST(tema[1].actor == "Efua Owusu");
  BOOST_TEST(tema[1].at_utc == "2026-11-24T09:00:00Z");
  auto removed = db::audit_entries_for(db.sql(), "sites", 3);
  BOOST_TEST(removed.back().action == "delete");
  BOOST_TEST(!removed.back().after_json.has_value());
}

BOOST_FIXTURE_TEST_SUITE(tampering, Fixture)

BOOST_AUTO_TEST_CASE(an_audit_row_edited_by_hand_is_detected) {
  tamper(dir, "UPDATE audit_log SET actor = 'Someone else' WHERE seq = 2");
  auto db = reopen();
  auto kinds = problem_kinds(db);
  BOOST_TEST(has(kinds, "hash_mismatch"));
}

BOOST_AUTO_TEST_CASE(an_audit_row_deleted_by_hand_is_detected) {
  tamper(dir, "DELETE FROM audit_log WHERE seq = 3");
  auto db = reopen();
  auto kinds = problem_kinds(db);
  BOOST_TEST(has(kinds, "chain_gap"));
  BOOST_TEST(has(kinds, "prev_mismatch"));
}

BOOST_AUTO_TEST_CASE(an_audit_row_inserted_by_hand_is_detected) {
  tamper(dir,
         "UPDATE audit_log SET seq = -seq WHERE seq >= 3; UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;"
         "INSERT INTO audit_log VALUES (3, '2026-11-24T09:00:00Z', 'x', 'insert', 'sites', 99, NULL, '{}', 'p', 'h')");
  auto db = reopen();
  auto kinds = problem_kinds(db);
  BOOST_TEST(has(kinds, "hash_mismatch"));
  BOOST_TEST(has(kinds, "prev_mismatch"));
}

BOOST_AUTO_TEST_CASE(a_record_edited_by_hand_is_detected) {
  tamper(dir, "UPDATE sites SET country = 'TG' WHERE name = 'Aflao'");
  auto db = reopen();
  BOOST_TEST(problem_kinds(db) == std::vector<std::string>{"record_changed"});
}

BOOST_AUTO_TEST_CASE(a_record_deleted_by_hand_is_detected) {
  tamper(dir, "DELETE FROM sites WHERE name = 'Aflao'");
  auto db = reopen();
  BOOST_TEST(problem_kinds(db) == std::vector<std::string>{"record_missing"});
}

BOOST_AUTO_TEST_CASE(a_record_inserted_by_hand_is_detected) {
  tamper(dir, "INSERT INTO sites (name, country, site_type, created_at_utc) VALUES ('Ghost', 'GH', 'rail', 'x')");
  auto db = reopen();
  BOOST_TEST(problem_kinds(db) == std::vector<std::string>{"record_unlogged"});
}

BOOST_AUTO_TEST_CASE(removing_the_newest_rows_is_caught_by_the_expected_head) {
  auto db = reopen();
  const std::string head = db::verify_audit(db.sql())->head_hash;
  tamper(dir, "DELETE FROM audit_log WHERE seq = 5; INSERT INTO sites (id, name, country, site_type, created_at_utc) "
              "SELECT 3, 'Kotoka', 'GH', 'seaport', created_at_utc FROM sites WHERE id = 1");
  auto after = reopen();
  BOOST_TEST(db::verify_audit(after.sql())->ok());  // the file alone cannot tell
  auto report = db::verify_audit(after.sql(), head);
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->problems.size() == 1u);
  BOOST_TEST(report->problems.front().kind == "head_mismatch");
}

// verify_audit streams the table and the newest audit entry per record side by side (issue
// 17): gaps on either side, in the middle and at the ends, must each be named once.
BOOST_AUTO_TEST_CASE(interleaved_tampering_is_found_record_by_record) {
  const auto checked_before = [&] {
    auto db = reopen();
    return db::verify_audit(db.sql())->records_checked;
  }();
  tamper(dir,
         "DELETE FROM sites WHERE name = 'Tema';"                                        // id 1: first, gone
         "UPDATE sites SET country = 'TG' WHERE name = 'Aflao';"                          // id 2: edited
         "INSERT INTO sites (id, name, country, site_type, created_at_utc) VALUES (3, 'Kotoka', 'GH', 'rail', 'x');"
         "INSERT INTO sites (id, name, country, site_type, created_at_utc) VALUES (9, 'Ghost', 'GH', 'rail', 'x');"
         "INSERT INTO audit_log SELECT 6, at_utc, actor, 'insert', 'old_table', 4, NULL, '{}', hash, 'h' "
         "FROM audit_log WHERE seq = 5");                                                   // a dropped table
  auto db = reopen();
  auto report = db::verify_audit(db.sql());
  BOOST_REQUIRE(report.has_value());
  std::vector<std::string> messages;
  for (const auto& p : report->problems) messages.push_back(p.kind + " " + p.message.substr(0, p.message.find(':')));
  const std::vector<std::string> expected{"hash_mismatch audit row 6",  "record_missing sites 1",
                                          "record_changed sites 2",     "record_unlogged sites 3",
                                          "record_unlogged sites 9",    "record_missing old_table 4"};
  BOOST_TEST(messages == expected, boost::test_tools::per_element());
  BOOST_TEST(report->records_checked == checked_before + 1);  // sites: Tema and Aflao before; Aflao, Kotoka, Ghost
}

BOOST_AUTO_TEST_SUITE_END()
