#define BOOST_TEST_MODULE db
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <thread>

#include "db/audit.hpp"
#include "db/database.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

namespace {
std::string pragma(db::Database& db, const std::string& name) {
  SQLite::Statement q(db.sql(), "PRAGMA " + name);
  q.executeStep();
  return q.getColumn(0).getString();
}
std::int64_t count(SQLite::Database& sql, const std::string& table) {
  SQLite::Statement q(sql, "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt64();
}
}  // namespace

BOOST_AUTO_TEST_CASE(open_sets_wal_foreign_keys_and_busy_wait) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  BOOST_TEST(pragma(db, "journal_mode") == "wal");
  BOOST_TEST(pragma(db, "foreign_keys") == "1");
  // The busy handler replaces SQLite's own timeout (which would read 5000 here).
  BOOST_TEST(pragma(db, "busy_timeout") == "0");
}

namespace {
// Sets the process-wide busy wait for one test and restores the default afterwards.
struct BusyWaitScope {
  db::BusyWait saved = db::busy_wait();
  explicit BusyWaitScope(db::BusyWait wait) { db::set_busy_wait(std::move(wait)); }
  ~BusyWaitScope() { db::set_busy_wait(saved); }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_second_writer_waits_for_the_first_and_is_told_once) {
  TempDir dir;
  { auto init = testing::fresh_db(dir, "w.db"); }
  std::atomic<int> notices{0};
  std::string noticed_path;
  BusyWaitScope scope({std::chrono::minutes(1), std::chrono::milliseconds(20),
                       [&](const std::string& path, std::chrono::milliseconds) {
                         ++notices;
                         noticed_path = path;
                       }});
  auto first = db::Database::open(dir.file("w.db"), db::OpenMode::existing, testing::test_clock());
  auto second = db::Database::open(dir.file("w.db"), db::OpenMode::existing, testing::test_clock());
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(second.has_value());
  first->sql().exec("BEGIN IMMEDIATE");
  first->sql().exec("INSERT INTO sites (name, country, site_type, created_at_utc) VALUES ('Tema', 'GH', 'seaport', 'x')");
  std::thread holder([&] {
    // Commit only once the second writer has said it is waiting.
    while (notices.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    first->sql().exec("COMMIT");
  });
  auto st = second->write("t", [](db::WriteTx& tx) -> Status {
    tx.sql().exec("INSERT INTO sites (name, country, site_type, created_at_utc) VALUES ('Accra', 'GH', 'airport', 'x')");
    return {};
  });
  holder.join();
  BOOST_TEST(st.has_value(), (st ? "" : st.error().message));
  BOOST_TEST(notices.load() == 1);
  BOOST_TEST(noticed_path == dir.file("w.db"));
  BOOST_TEST(count(second->sql(), "sites") == 2);
}

BOOST_AUTO_TEST_CASE(a_writer_gives_up_as_busy_after_the_wait_limit) {
  TempDir dir;
  { auto init = testing::fresh_db(dir, "b.db"); }
  BusyWaitScope scope({std::chrono::milliseconds(50), std::chrono::milliseconds(10), {}});
  auto first = db::Database::open(dir.file("b.db"), db::OpenMode::existing, testing::test_clock());
  auto second = db::Database::open(dir.file("b.db"), db::OpenMode::existing, testing::test_clock());
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(second.has_value());
  first->sql().exec("BEGIN IMMEDIATE");
  auto st = second->write("t", [](db::WriteTx&) -> Status { return {}; });
  first->sql().exec("ROLLBACK");
  BOOST_REQUIRE(!st.has_value());
  BOOST_TEST(st.error().code == ErrorCode::io);
  BOOST_TEST(st.error().message.find("database busy") != std::string::npos, st.error().message);
  BOOST_TEST(st.error().message.find("NIIKIT_BUSY_TIMEOUT") != std::string::npos, st.error().message);
}

BOOST_AUTO_TEST_CASE(migrations_are_applied_once_in_order_and_recorded) {
  TempDir dir;
  auto db = db::Database::open(dir.file("m.db"), db::OpenMode::create, testing::test_clock());
  BOOST_REQUIRE(db.has_value());
  auto first = db->migrate();
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->size() == db::embedded_migrations().size());
  BOOST_TEST(first->front() == 1);
  auto again = db->migrate();
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->empty());
  auto applied = db->applied_migrations();
  BOOST_REQUIRE(applied.has_value());
  BOOST_TEST(applied->size() == db::embedded_migrations().size());
  BOOST_TEST(applied->front().sha256 == db::embedded_migrations().front().sha256);
  BOOST_TEST(applied->front().applied_at_utc == "2026-11-24T09:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_migration_changed_after_it_was_applied_is_refused) {
  TempDir dir;
  { auto db = testing::fresh_db(dir); db.sql().exec("UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1"); }
  auto db = db::Database::open_ready(dir.file("test.db"), db::OpenMode::existing);
  BOOST_REQUIRE(!db.has_value());
  BOOST_TEST(db.error().code == ErrorCode::integrity);
  BOOST_TEST(db.error().message.find("migration 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_database_newer_than_the_binary_is_refused) {
  TempDir dir;
  { auto db = testing::fresh_db(dir); db.sql().exec("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')"); }
  auto db = db::Database::open_ready(dir.file("test.db"), db::OpenMode::existing);
  BOOST_REQUIRE(!db.has_value());
  BOOST_TEST(db.error().code == ErrorCode::integrity);
  BOOST_TEST(db.error().message.find("newer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_file_and_non_database_file_give_clear_errors) {
  TempDir dir;
  auto missing = db::Database::open(dir.file("nope.db"), db::OpenMode::existing);
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().code == ErrorCode::not_found);
  BOOST_TEST(missing.error().message.find("niikit db init") != std::string::npos);
  testing::write_file(dir.file("text.db"), std::string(4096, 'x'));
  auto junk = db::Database::open(dir.file("text.db"), db::OpenMode::existing);
  BOOST_REQUIRE(!junk.has_value());
  BOOST_TEST(junk.error().code == ErrorCode::integrity);
}

BOOST_AUTO_TEST_CASE(a_failed_unit_of_work_leaves_nothing_behind) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  auto st = db.write("tester", [](db::WriteTx& tx) -> Status {
    auto id = tx.insert("sites", {{"name", std::string("A")}, {"country", std::string("GH")},
                                  {"site_type", std::string("seaport")}, {"created_at_utc", std::string("t")}});
    if (!id) return tl::unexpected(id.error());
    return fail(ErrorCode::input, "second step failed");
  });
  BOOST_TEST(!st.has_value());
  BOOST_TEST(count(db.sql(), "sites") == 0);
  BOOST_TEST(count(db.sql(), "audit_log") == 0);
  // An exception thrown by SQLite (CHECK constraint) also rolls back and becomes an Error.
  auto bad = db.write("tester", [](db::WriteTx& tx) -> Status {
    auto id = tx.insert("sites", {{"name", std::string("B")}, {"country", std::string("GH")},
                                  {"site_type", std::string("seaport")}, {"created_at_utc", std::string("t")}});
    (void)id;
    tx.insert("sites", {{"name", std::string("C")}, {"country", std::string("GH")},
                        {"site_type", std::string("spaceport")}, {"created_at_utc", std::string("t")}});
    return {};
  });
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().code == ErrorCode::input);
  BOOST_TEST(count(db.sql(), "sites") == 0);
}

BOOST_AUTO_TEST_CASE(backup_is_consistent_while_another_connection_writes) {
  TempDir dir;
  { auto db = testing::fresh_db(dir); }
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto db = db::Database::open_ready(dir.file("test.db"), db::OpenMode::existing, testing::test_clock());
    for (int i = 0; !stop && i < 5000; ++i) {
      auto st = db->write("writer", [&](db::WriteTx& tx) -> Status {
        auto id = tx.insert("sites", {{"name", "site " + std::to_string(i)}, {"country", std::string("GH")},
                                      {"site_type", std::string("inland")}, {"created_at_utc", std::string("t")}});
        if (!id) return tl::unexpected(id.error());
        return {};
      });
      if (st) ++written;
    }
  });
  auto db = db::Database::open_ready(dir.file("test.db"), db::OpenMode::existing, testing::test_clock());
  BOOST_REQUIRE(db.has_value());
  while (written < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<std::string> copies;
  for (int k = 0; k < 5; ++k) {
    const std::string out = dir.file("backup" + std::to_string(k) + ".db");
    auto st = db->backup_to(out);
    BOOST_REQUIRE_MESSAGE(st.has_value(), (st ? "" : st.error().message));
    copies.push_back(out);
  }
  stop = true;
  writer.join();
  for (const auto& copy : copies) {
    auto b = db::Database::open(copy, db::OpenMode::existing);
    BOOST_REQUIRE(b.has_value());
    SQLite::Statement ic(b->sql(), "PRAGMA integrity_check");
    ic.executeStep();
    BOOST_TEST(ic.getColumn(0).getString() == "ok");
    // Each copy holds whole transactions only: every site has its audit row and the chain holds.
    BOOST_TEST(count(b->sql(), "sites") == count(b->sql(), "audit_log"));
    BOOST_TEST(count(b->sql(), "sites") >= 50);
    auto report = db::verify_audit(b->sql());
    BOOST_REQUIRE(report.has_value());
    BOOST_TEST(report->ok());
  }
  BOOST_TEST(!std::filesystem::exists(dir.file("backup0.db.partial")));
}

BOOST_AUTO_TEST_CASE(backup_into_a_missing_folder_fails_cleanly) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  auto st = db.backup_to(dir.file("no/such/folder/b.db"));
  BOOST_REQUIRE(!st.has_value());
  BOOST_TEST(st.error().code == ErrorCode::not_found);
}
