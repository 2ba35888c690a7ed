// Input hygiene at the command line (issue 13): bytes that are not UTF-8, control characters and
// overlong text in registry fields, NaN and infinity as numbers, warnings kept off stdout, and
// unknown commands that ask for help. Each refusal: its exit status, a one-line message naming
// the input, and nothing stored.
#define BOOST_TEST_MODULE input_cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

struct DbFixture {
  TempDir dir;
  std::string db;
  DbFixture() : db("--db " + dir.file("cli.db")) {
    BOOST_REQUIRE(run_niikit(db + " db init").status == 0);
    BOOST_REQUIRE(run_niikit(db + " person add --name Admin --role manager").status == 0);
  }
  int scanners() {
    auto list = run_niikit(db + " --json scanner list");
    return static_cast<int>(QJsonDocument::fromJson(QByteArray::fromStdString(list.out)).array().size());
  }
  int one_line(const std::string& err) { return static_cast<int>(std::count(err.begin(), err.end(), '\n')); }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_csv_that_is_not_utf8_is_refused_naming_its_line, DbFixture) {
  // "Lomé" written by a Latin-1 spreadsheet: é is the single byte 0xE9.
  niikit::testing::write_file(dir.file("sites.csv"), "name,country,site_type\nTema,GH,seaport\nLom\xE9,TG,seaport\n");
  auto r = run_niikit(db + " --as Admin site import " + dir.file("sites.csv"));
  BOOST_TEST(r.status == 3);
  BOOST_TEST(r.err == "niikit: input: " + dir.file("sites.csv") +
                          " line 3: byte 0xE9 is not UTF-8; save the file as UTF-8 and import it again\n");
  auto sites = run_niikit(db + " --json site list");
  BOOST_TEST(QJsonDocument::fromJson(QByteArray::fromStdString(sites.out)).array().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(asset_tags_with_control_characters_or_too_long_are_refused, DbFixture) {
  const std::string tail = " --as Admin --manufacturer a --model b --technology linac --configuration portal";
  auto escape = run_niikit(db + " scanner add --asset-tag \"$(printf 'T\\033[31m1')\"" + tail);
  BOOST_TEST(escape.status == 3);
  BOOST_TEST(escape.err ==
             "niikit: input: --asset-tag: contains a control character (U+001B) at character 2; it must be one line "
             "of printable text\n");
  auto newline = run_niikit(db + " scanner add --asset-tag \"$(printf 'T1\\nT2')\"" + tail);
  BOOST_TEST(newline.status == 3);
  BOOST_TEST(newline.err.find("--asset-tag: contains a control character (U+000A) at character 3") != std::string::npos,
             newline.err);
  BOOST_TEST(one_line(newline.err) == 1);
  auto long_tag = run_niikit(db + " scanner add --asset-tag " + std::string(5000, 'X') + tail);
  BOOST_TEST(long_tag.status == 3);
  BOOST_TEST(long_tag.err == "niikit: input: --asset-tag: 5000 characters, at most 200\n");
  auto name = run_niikit(db + " --as Admin person add --name \"$(printf 'Eve\\007')\" --role engineer");
  BOOST_TEST(name.status == 3);
  BOOST_TEST(name.err.find("control character (U+0007) at character 4") != std::string::npos, name.err);   // the ported person add
  BOOST_TEST(scanners() == 0);
  BOOST_TEST(run_niikit(db + " scanner add --asset-tag 'GH-TEM-03 (Tèma)'" + tail).status == 0);   // UTF-8 is fine
  BOOST_TEST(scanners() == 1);
}

BOOST_AUTO_TEST_CASE(nan_and_infinity_are_no_pixel_pitch) {
  for (const std::string value : {"nan", "inf", "0"}) {
    auto r = run_niikit("iq mtf --pixel-mm " + value + " /nonexistent.tiff");
    BOOST_TEST(r.status == 2, value << ": " << r.err);
    BOOST_TEST(r.err.find("--pixel-mm") != std::string::npos, r.err);
    auto kit = run_niikit("test kit --session 1 --kit cargo --pixel-mm " + value + " --by x /nonexistent.tiff");
    BOOST_TEST(kit.status == 2, value << ": " << kit.err);
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_command_asking_for_help_is_a_usage_error) {
  for (const std::string args : {"bogus --help", "bogus", "test bogus --help", "--json bogus -h"}) {
    auto r = run_niikit(args);
    BOOST_TEST(r.status == 2, args);
    BOOST_TEST(r.err == "niikit: usage: unknown command 'bogus' (run niikit --help for the commands)\n", args);
    BOOST_TEST(r.out.find("Usage:") == std::string::npos, args);
  }
  BOOST_TEST(run_niikit("test start --help").status == 0);   // a real command's help still works
  BOOST_TEST(run_niikit("--db x.db test --help").status == 0);
}

BOOST_FIXTURE_TEST_CASE(import_warnings_go_to_stderr_not_stdout, DbFixture) {
  BOOST_REQUIRE(run_niikit(db + " --as Admin procurement add --reference P-1 --title t").status == 0);
  niikit::testing::write_file(dir.file("spec.json"), R"([
    {"id": "Q-1", "text": "t", "category": "other", "mandatory": false, "metric_key": "cargo.magic.other",
     "comparator": ">=", "target": 1, "method": "m", "verified_at": ["fat"]}])");
  auto r = run_niikit(db + " --as Admin spec import --procurement P-1 " + dir.file("spec.json"));
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out.find("warning") == std::string::npos, r.out);
  BOOST_TEST(r.err.find("warning: Q-1: metric key 'cargo.magic.other'") != std::string::npos, r.err);
}
