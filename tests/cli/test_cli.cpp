#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <SQLiteCpp/Database.h>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {
QJsonDocument json_of(const std::string& text) {
  QJsonParseError err;
  auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
  BOOST_TEST(err.error == QJsonParseError::NoError, "not JSON: " << text.substr(0, 200));
  return doc;
}

struct DbFixture {
  TempDir dir;
  std::string db;
  std::string as_manager;  // global options that act as the fixture's manager
  DbFixture() : db("--db " + dir.file("cli.db")), as_manager(db + " --as Admin") {
    BOOST_REQUIRE(run_niikit(db + " db init").status == 0);
    // The first person of a new database may be added by anyone; after that a manager adds people.
    BOOST_REQUIRE(run_niikit(db + " person add --name Admin --role manager").status == 0);
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(version_and_help_on_every_command) {
  auto v = run_niikit("--version");
  BOOST_TEST(v.status == 0);
  BOOST_TEST(v.out == std::string(NIIKIT_VERSION) + "\n");
  // Walk the command tree from the root help: every listed subcommand answers --help.
  std::vector<std::string> pending{""}, seen;
  while (!pending.empty()) {
    const std::string cmd = pending.back();
    pending.pop_back();
    auto h = run_niikit(cmd + " --help");
    BOOST_TEST(h.status == 0, "`niikit " << cmd << " --help` exit " << h.status);
    BOOST_TEST(h.out.find("Usage:") != std::string::npos, cmd);
    seen.push_back(cmd);
    const auto at = h.out.find("Subcommands:");
    if (at == std::string::npos) continue;
    std::istringstream lines(h.out.substr(at));
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line) && line.rfind("  ", 0) == 0) {
      std::istringstream words(line);
      std::string name;
      words >> name;
      pending.push_back(cmd.empty() ? name : cmd + " " + name);
    }
  }
  BOOST_TEST(seen.size() >= 25u, "only " << seen.size() << " commands found");
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_one_line) {
  auto r = run_niikit("fleet --no-such-option");
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("niikit: usage:") == 0u);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

BOOST_AUTO_TEST_CASE(a_missing_database_is_not_found_not_created) {
  TempDir dir;
  auto r = run_niikit("--db " + dir.file("none.db") + " fleet");
  BOOST_TEST(r.status == 4);
  BOOST_TEST(r.err.find("niikit db init") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(dir.file("none.db")));
  auto env = run_niikit("fleet", "NIIKIT_DB=" + dir.file("env.db"));
  BOOST_TEST(env.status == 4);
  BOOST_TEST(env.err.find(dir.file("env.db")) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(registry_commands_print_json_and_refuse_bad_values, DbFixture) {
  BOOST_TEST(run_niikit(as_manager + " site add --name Tema --country GH --type seaport").status == 0);
  BOOST_TEST(run_niikit(as_manager + " person add --name 'Efua Owusu' --role engineer").status == 0);
  auto add = run_niikit(as_manager + " --json scanner add --asset-tag T1 --manufacturer ScanCorp --model CX "
                                     "--technology linac --energy-mev 6 --configuration portal --site Tema");
  BOOST_TEST(add.status == 0, add.err);
  auto s = json_of(add.out).object();
  BOOST_TEST(s["asset_tag"].toString().toStdString() == "T1");
  BOOST_TEST(s["energy_mev"].toDouble() == 6.0);
  BOOST_TEST(s["stage"].toString().toStdString() == "needs");
  // Registering scanners is for managers and procurement: an engineer is refused, nothing stored.
  auto engineer = run_niikit(db + " --as 'Efua Owusu' scanner add --asset-tag T3 --manufacturer a --model b "
                                  "--technology linac --configuration portal");
  BOOST_TEST(engineer.status == 10);
  auto bad = run_niikit(as_manager + " scanner add --asset-tag T2 --manufacturer a --model b --technology laser "
                             "--configuration portal");
  BOOST_TEST(bad.status == 3);
  BOOST_TEST(bad.err == "niikit: input: technology 'laser': expected one of linac, betatron, xray_tube, co60, cs137\n");
  BOOST_TEST(run_niikit(db + " scanner show NOPE").status == 4);
  auto dup = run_niikit(as_manager + " site add --name Tema --country GH --type seaport");
  BOOST_TEST(dup.status == 5);
  auto list = run_niikit(db + " --json scanner list");
  BOOST_TEST(json_of(list.out).array().size() == 1);
  auto show = json_of(run_niikit(db + " --json scanner show T1").out).object();
  BOOST_TEST(show["scanner"].toObject()["asset_tag"].toString().toStdString() == "T1");
  BOOST_TEST(show["timeline"].toArray().size() == 1);
  BOOST_TEST(show["next_stage"].toObject()["stage"].toString().toStdString() == "specification");
  auto fleet = run_niikit(db + " fleet --json");
  auto lines = json_of(fleet.out).array();
  BOOST_REQUIRE(lines.size() == 1);
  BOOST_TEST(lines[0].toObject()["blockers"].toArray().size() == 1);
}

BOOST_FIXTURE_TEST_CASE(a_refused_stage_move_exits_6_and_lists_reasons, DbFixture) {
  run_niikit(as_manager + " person add --name Efua --role engineer");
  run_niikit(as_manager + " scanner add --asset-tag T1 --manufacturer a --model b --technology linac --configuration portal");
  // Only a manager decides stages: the engineer is refused before any gate is asked.
  BOOST_TEST(run_niikit(db + " --as Efua stage advance T1 --to specification").status == 10);
  auto r = run_niikit(as_manager + " --json stage advance T1 --to specification");
  BOOST_TEST(r.status == 6);
  auto e = json_of(r.out).object();
  BOOST_TEST(e["error"].toString().toStdString() == "gate_refused");
  BOOST_TEST(e["exit_status"].toInt() == 6);
  BOOST_TEST(e["message"].toString().contains("no business case"));
  auto check = run_niikit(db + " --as Efua stage check T1 --to specification");
  BOOST_TEST(check.status == 6);
  BOOST_TEST(check.out.find("MISS") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(import_with_bad_rows_exits_3_and_lists_every_row, DbFixture) {
  niikit::testing::write_file(dir.file("sites.csv"), "name,country,site_type\nA,GH,seaport\nB,GH,moon\nC,,rail\n");
  auto r = run_niikit(as_manager + " site import " + dir.file("sites.csv"));
  BOOST_TEST(r.status == 3);
  BOOST_TEST(r.out.empty(), r.out);   // rejected rows are the error's detail: stderr, the summary last
  BOOST_TEST(r.err.find("line 3: site_type 'moon'") != std::string::npos);
  BOOST_TEST(r.err.find("line 4:") != std::string::npos);
  BOOST_TEST(r.err.find("niikit: input: " + dir.file("sites.csv") + ": 2 of 3 rows rejected; nothing stored\n") !=
             std::string::npos, r.err);
  BOOST_TEST(r.err.find("line 4:") < r.err.find("rows rejected"));
  // --json: one document with the rows and the documented error members.
  auto j = run_niikit(as_manager + " --json site import " + dir.file("sites.csv"));
  BOOST_TEST(j.status == 3);
  const auto o = json_of(j.out).object();
  BOOST_TEST(o["error"].toString().toStdString() == "input");
  BOOST_TEST(o["exit_status"].toInt() == 3);
  BOOST_TEST(o["message"].toString().contains("2 of 3 rows rejected"));
  BOOST_TEST(o["errors"].toArray().size() == 2);
  BOOST_TEST(o["stored"].toInt() == 0);
  BOOST_TEST(json_of(run_niikit(db + " --json site list").out).array().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(db_check_and_audit_verify_catch_a_hand_edit, DbFixture) {
  run_niikit(as_manager + " site add --name Tema --country GH --type seaport");
  BOOST_TEST(run_niikit(db + " db check").status == 0);
  BOOST_TEST(run_niikit(db + " audit verify").status == 0);
  { SQLite::Database raw(dir.file("cli.db"), SQLite::OPEN_READWRITE); raw.exec("UPDATE sites SET country = 'TG'"); }
  auto verify = run_niikit(db + " audit verify");
  BOOST_TEST(verify.status == 8);
  BOOST_TEST(verify.err.find("sites 1: differs from its last audited state") != std::string::npos);
  auto check = run_niikit(db + " --json db check");
  BOOST_TEST(check.status == 8);
  BOOST_TEST(json_of(check.out).object()["ok"].toBool() == false);
  // A document is copied into the evidence store: the user's file may change or go; a changed
  // copy in the store fails `document show` and db check.
  TempDir other;
  niikit::testing::write_file(other.file("lic.txt"), "licence");
  const std::string db2 = "--db " + other.file("d.db");
  run_niikit(db2 + " db init");
  run_niikit(db2 + " person add --name Kofi --role rso");
  auto doc = run_niikit(db2 + " --as Kofi --json document add " + other.file("lic.txt") + " --title L --kind licence");
  BOOST_TEST(doc.status == 0, doc.err);
  auto added = json_of(doc.out).object();
  BOOST_TEST(added["file_path"].toString().toStdString() == "lic.txt");
  BOOST_TEST(added["stored"].toBool());
  niikit::testing::write_file(other.file("lic.txt"), "licence, edited");
  BOOST_TEST(run_niikit(db2 + " db check").status == 0);
  BOOST_TEST(run_niikit(db2 + " document show 1").status == 0);
  const std::string sha = added["sha256"].toString().toStdString();
  const auto object = other.path() / "d.evidence" / "sha256" / sha.substr(0, 2) / sha;
  BOOST_REQUIRE(std::filesystem::exists(object));
  std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  niikit::testing::write_file(object.string(), "licence, edited in the store");
  BOOST_TEST(run_niikit(db2 + " document show 1").status == 8);
  auto doc_check = run_niikit(db2 + " db check");
  BOOST_TEST(doc_check.status == 8);
  BOOST_TEST(doc_check.out.find("1 changed, 0 missing of 1") != std::string::npos);
  auto backup = run_niikit(db + " db backup " + dir.file("copy.db"));
  BOOST_TEST(backup.status == 0);
  BOOST_TEST(std::filesystem::file_size(dir.file("copy.db")) > 0u);
}

BOOST_AUTO_TEST_CASE(demo_builds_its_database_and_reports_every_step) {
  TempDir dir;
  auto r = run_niikit("--json demo --out " + dir.file("demo"), "NIIKIT_NOW=2026-11-24T09:00:00Z");
  BOOST_TEST(r.status == 0, r.err);
  auto demo = json_of(r.out).object();
  BOOST_TEST(demo["steps"].toArray().size() >= 10);
  for (const auto& f : demo["files"].toArray())
    BOOST_TEST(std::filesystem::exists(f.toObject()["path"].toString().toStdString()));
  const std::string db = "--db " + dir.file("demo/niikit-demo.db");
  BOOST_TEST(run_niikit(db + " db check").status == 0);
  auto fleet = json_of(run_niikit(db + " --json fleet", "NIIKIT_NOW=2026-11-24T09:00:00Z").out).array();
  BOOST_TEST(fleet.size() == 6);
  for (const auto& line : fleet) {
    auto o = line.toObject();
    if (o["asset_tag"] == "GH-TEM-01") BOOST_TEST(o["days_in_stage"].toInt() == 1716);  // since 2022-03-14
  }
}

// Commands not yet on the operation table name their actor with --by; once the database has
// user accounts the named person must prove it with their password (issue 16), before the
// command runs at all.
BOOST_FIXTURE_TEST_CASE(by_needs_the_persons_password_once_the_database_has_users, DbFixture) {
  BOOST_REQUIRE(run_niikit(as_manager + " person add --name Efua --role engineer").status == 0);
  niikit::testing::write_file(dir.file("admin.pw"), "admin-password-1\n");
  niikit::testing::write_file(dir.file("wrong.pw"), "not-the-password\n");
  // Before any account exists --by names a person: the command runs (and finds no session).
  const std::string sign = " test sign --session 99 --role witness --by Admin";
  BOOST_TEST(run_niikit(db + sign).status == 4);
  BOOST_REQUIRE(run_niikit(as_manager + " user add --person Admin --username admin --new-password-file " +
                           dir.file("admin.pw")).status == 0);
  auto none = run_niikit(db + sign + " </dev/null");
  BOOST_TEST(none.status == 10);
  BOOST_TEST(none.err == "niikit: forbidden: --by: Password of admin: a password is needed (run on a terminal, or "
                         "give --password-file FILE)\n");
  auto wrong = run_niikit(db + " --password-file " + dir.file("wrong.pw") + sign);
  BOOST_TEST(wrong.status == 10);
  BOOST_TEST(wrong.err == "niikit: forbidden: --by: user 'admin': wrong password\n");
  auto no_account = run_niikit(db + " --password-file " + dir.file("admin.pw") +
                               " test sign --session 99 --role witness --by Efua");
  BOOST_TEST(no_account.status == 10);
  BOOST_TEST(no_account.err.find("Efua has no user account") != std::string::npos, no_account.err);
  // With the password the command runs and answers for itself.
  auto right = run_niikit(db + " --password-file " + dir.file("admin.pw") + sign);
  BOOST_TEST(right.status == 4, right.err);
  BOOST_TEST(right.err.find("session 99") != std::string::npos, right.err);
}
