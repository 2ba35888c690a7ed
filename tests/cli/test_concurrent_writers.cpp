// Several niikit processes writing one database at once (issue 17): while another connection
// holds the write lock for longer than SQLite's old 5 s timeout, 4 writer processes × 20
// commands (site add / person add, run one after another in each of 4 threads) all succeed,
// at least one says on stderr that it is waiting, every row is there and the audit chain holds.
#define BOOST_TEST_MODULE concurrent_writers
#include <boost/test/unit_test.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {
std::int64_t count(SQLite::Database& sql, const std::string& query) {
  SQLite::Statement q(sql, query);
  q.executeStep();
  return q.getColumn(0).getInt64();
}
}  // namespace

BOOST_AUTO_TEST_CASE(parallel_writers_wait_their_turn_and_lose_nothing) {
  TempDir dir;
  const std::string path = dir.file("c.db");
  const std::string db = "--db " + path;
  BOOST_REQUIRE(run_niikit(db + " db init").status == 0);
  BOOST_REQUIRE(run_niikit(db + " person add --name Admin --role manager").status == 0);

  // A long writer: holds the write lock for 6 s (longer than the old 5 s busy timeout).
  SQLite::Database holder(path, SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  std::atomic<bool> released{false};
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::seconds(6));
    holder.exec("COMMIT");
    released = true;
  });

  constexpr int writers = 4, commands = 20;
  std::mutex lock;
  std::vector<std::string> failures;
  int waiting_notices = 0;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < commands; ++i) {
        const std::string cmd =
            i % 2 == 0 ? fmt::format("{} --as Admin site add --name S{}-{} --country GH --type seaport", db, w, i)
                       : fmt::format("{} --as Admin person add --name P{}-{} --role engineer", db, w, i);
        auto r = run_niikit(cmd);
        std::lock_guard guard(lock);
        if (r.status != 0) failures.push_back(fmt::format("{} → exit {}: {}", cmd, r.status, r.err));
        if (r.err.find("waiting for another niikit to finish writing") != std::string::npos) ++waiting_notices;
      }
    });
  }
  for (auto& t : threads) t.join();
  release.join();

  BOOST_TEST(released.load());
  BOOST_TEST(failures.empty(), (failures.empty() ? std::string() : failures.front()));
  BOOST_TEST(waiting_notices >= 1);
  SQLite::Database check(path, SQLite::OPEN_READONLY);
  BOOST_TEST(count(check, "SELECT count(*) FROM sites WHERE name LIKE 'S%-%'") == writers * commands / 2);
  BOOST_TEST(count(check, "SELECT count(*) FROM people WHERE name LIKE 'P%-%'") == writers * commands / 2);
  auto verify = run_niikit(db + " audit verify");
  BOOST_TEST(verify.status == 0, verify.out + verify.err);
}
