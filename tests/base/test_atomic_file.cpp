// core/atomic_file: the one writer every file output uses (issue 12 item 6, issue 13 item 3,
// issue 17 item 3): whole files or nothing, umask honoured, guarded paths refused, leftovers of
// killed writers removed.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/atomic_file.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using niikit::AtomicFile;
using niikit::ErrorCode;
using niikit::OutputGuard;
using niikit::testing::read_file;
using niikit::testing::TempDir;
using niikit::testing::write_file;

namespace {
int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(writes_the_whole_file_and_leaves_no_temporary) {
  TempDir dir;
  const auto target = dir.file("report.json");
  BOOST_REQUIRE(niikit::write_file_atomically(target, "{\"a\": 1}\n").has_value());
  BOOST_TEST(read_file(target) == "{\"a\": 1}\n");
  BOOST_TEST(entries(dir.path()) == 1);
  BOOST_REQUIRE(niikit::write_file_atomically(target, "second").has_value());  // replaces
  BOOST_TEST(read_file(target) == "second");
  BOOST_TEST(entries(dir.path()) == 1);
}

BOOST_AUTO_TEST_CASE(mode_follows_the_umask_unless_given) {
  TempDir dir;
  const mode_t old = ::umask(027);
  // process_umask() caches the first reading; the test compares with what it reports.
  const mode_t mask = niikit::process_umask();
  BOOST_REQUIRE(niikit::write_file_atomically(dir.file("a.txt"), "x").has_value());
  BOOST_REQUIRE(niikit::write_file_atomically(dir.file("b.txt"), "x", nullptr, 0600).has_value());
  ::umask(old);
  struct stat a{}, b{};
  ::stat(dir.file("a.txt").c_str(), &a);
  ::stat(dir.file("b.txt").c_str(), &b);
  BOOST_TEST((a.st_mode & 0777) == (0666 & ~mask));
  BOOST_TEST((b.st_mode & 0777) == 0600u);
}

BOOST_AUTO_TEST_CASE(an_uncommitted_writer_leaves_the_old_target_and_no_litter) {
  TempDir dir;
  const auto target = dir.file("out.pdf");
  write_file(target, "old");
  {
    auto f = AtomicFile::create(target);
    BOOST_REQUIRE(f.has_value());
    BOOST_REQUIRE(f->write_all("half").has_value());
  }  // destroyed without commit
  BOOST_TEST(read_file(target) == "old");
  BOOST_TEST(entries(dir.path()) == 1);
  auto empty = AtomicFile::create(target);
  BOOST_REQUIRE(empty.has_value());
  BOOST_TEST(!empty->commit().has_value());  // an empty document is refused
  BOOST_TEST(read_file(target) == "old");
}

BOOST_AUTO_TEST_CASE(guard_refuses_the_database_its_companions_and_managed_folders) {
  TempDir dir;
  const auto db = dir.file("fleet.db");
  write_file(db, "SQLite");
  fs::create_directories(dir.path() / "fleet.evidence" / "ab");
  OutputGuard guard;
  guard.protect_database(db);
  guard.folders.push_back(dir.path() / "fleet.evidence");
  for (const std::string& bad : {db, db + "-wal", db + "-journal", dir.file("sub/../fleet.db"),
                                 dir.file("fleet.evidence/ab/x.png")}) {
    auto st = niikit::write_file_atomically(bad, "x", &guard);
    BOOST_TEST_INFO(bad);
    BOOST_REQUIRE(!st.has_value());
    BOOST_TEST(st.error().code == ErrorCode::input);
  }
  fs::create_symlink(db, dir.file("link.db"));
  BOOST_TEST(!niikit::write_file_atomically(dir.file("link.db"), "x", &guard).has_value());
  BOOST_TEST(read_file(db) == "SQLite");
  BOOST_TEST(niikit::write_file_atomically(dir.file("other.db"), "x", &guard).has_value());
}

BOOST_AUTO_TEST_CASE(devices_and_directories_are_not_replaced) {
  TempDir dir;
  auto dev = niikit::write_file_atomically("/dev/null", "x");
  BOOST_REQUIRE(!dev.has_value());
  BOOST_TEST(dev.error().code == ErrorCode::input);
  BOOST_TEST(fs::is_character_file("/dev/null"));
  auto folder = niikit::write_file_atomically(dir.path().string(), "x");
  BOOST_REQUIRE(!folder.has_value());
  BOOST_TEST(folder.error().message.find("is a directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(leftovers_of_dead_writers_are_removed_live_ones_kept) {
  TempDir dir;
  const auto target = dir.file("scan.png");
  // PID 2^22+1 exceeds Linux's pid_max default (4194304): no such process runs.
  const auto dead = dir.file(".scan.png.niikit-tmp-4194305-deadbeef");
  const auto live = dir.file(".scan.png.niikit-tmp-" + std::to_string(::getpid()) + "-0badcafe");
  write_file(dead, "partial");
  write_file(live, "partial");
  BOOST_REQUIRE(niikit::write_file_atomically(target, "png").has_value());
  BOOST_TEST(!fs::exists(dead));
  BOOST_TEST(fs::exists(live));
}

BOOST_AUTO_TEST_SUITE_END()
