// End to end (issue 7): the demo database → the FAT session → its acceptance report in every
// format, checked the way a reader would: the PDF renders (pdftoppm) and carries every
// requirement, the XLSX opens in LibreOffice, the JSON validates against the documented schema,
// and a result changed after signing shows on the report and on `test show`.
#define BOOST_TEST_MODULE report_cli
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>
#include <set>

#include "reports/json_schema.hpp"
#include "support/temp_dir.hpp"

using namespace niikit;
using niikit::testing::read_file;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

const std::string kNow = "NIIKIT_NOW=2026-11-24T09:00:00Z";

int shell(const std::string& cmd) {
  const int raw = std::system(cmd.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// One demo database for every case in this file (the demo takes a few seconds; longer under
// ASan), built on first use. Cases that change it work on a backup copy.
struct Demo {
  TempDir dir;
  std::string db;
  Demo() {
    auto r = run_niikit("demo --out " + dir.file("demo"), kNow);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    db = dir.file("demo") + "/niikit-demo.db";
  }
};

const Demo& demo() {
  static const Demo d;
  return d;
}

struct DemoFixture {
  TempDir dir;
  std::string db = demo().db;
  [[nodiscard]] std::string niikit(const std::string& args) const { return "--db " + db + " " + args; }
};

QJsonObject parse(const std::string& text) { return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object(); }

// The requirement ids of the report's requirement table (first column).
std::vector<std::string> requirement_ids(const QJsonObject& report) {
  std::vector<std::string> ids;
  for (const auto& s : report.value("sections").toArray()) {
    const auto so = s.toObject();
    if (!so.value("title").toString().startsWith("Requirements")) continue;
    for (const auto& b : so.value("blocks").toArray()) {
      const auto bo = b.toObject();
      if (bo.value("type").toString() != "table") continue;
      for (const auto& row : bo.value("rows").toArray())
        ids.push_back(row.toObject().value("cells").toArray().at(0).toString().toStdString());
    }
  }
  return ids;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(report_cli, DemoFixture)

BOOST_AUTO_TEST_CASE(fat_report_in_every_format_carries_every_requirement) {
  const auto out = dir.path() / "out";
  std::filesystem::create_directories(out);
  for (const char* ext : {"pdf", "xlsx", "html", "json"}) {
    auto r = run_niikit(niikit(std::string("report acceptance --scanner GH-TEM-03 --phase fat --out ") +
                               (out / (std::string("fat.") + ext)).string()),
                        kNow);
    BOOST_TEST_REQUIRE(r.status == 0, ext << ": " << r.err);
    BOOST_TEST(r.out.find("verdict pass") != std::string::npos, r.out);
  }
  // JSON: valid against the documented schema, and it judges every FAT requirement.
  const std::string json = read_file((out / "fat.json").string());
  const std::string schema = read_file(std::string(NIIKIT_SOURCE_DIR) + "/docs/schemas/report.schema.json");
  auto valid = reports::validate_json(json, schema);
  BOOST_TEST(valid.has_value(), (valid ? "" : valid.error().message));
  const auto report = parse(json);
  BOOST_TEST(report.value("kind").toString().toStdString() == "acceptance");
  BOOST_TEST(report.value("overall_verdict").toString().toStdString() == "pass");
  const auto ids = requirement_ids(report);
  // The cargo catalogue verifies 19 requirements at FAT (IQ-01..09, RAD-01..04, SW-01..03, FN-01..03).
  BOOST_TEST(ids.size() == 19u);
  // PDF: renders page by page, and its text holds every requirement id.
  BOOST_TEST(shell("pdftoppm -r 20 -png " + (out / "fat.pdf").string() + " " + (out / "page").string()) == 0);
  int pages = 0;
  for (const auto& e : std::filesystem::directory_iterator(out))
    if (e.path().filename().string().rfind("page", 0) == 0) ++pages;
  BOOST_TEST(pages >= 5);
  BOOST_TEST(shell("pdftotext " + (out / "fat.pdf").string() + " " + (out / "fat.txt").string()) == 0);
  const std::string text = read_file((out / "fat.txt").string());
  for (const auto& id : ids) BOOST_TEST(text.find(id) != std::string::npos, id << " missing from the PDF");
  // HTML: every requirement too.
  const std::string html = read_file((out / "fat.html").string());
  for (const auto& id : ids) BOOST_TEST(html.find(id) != std::string::npos, id << " missing from the HTML");
  // XLSX: LibreOffice opens it (converts the cover sheet to CSV).
  const int office = shell("command -v soffice >/dev/null");
  BOOST_TEST_REQUIRE(office == 0, "LibreOffice (soffice) not found: run scripts/setup --office");
  BOOST_TEST(shell("cd " + out.string() + " && HOME=" + out.string() +
                   " soffice --headless --convert-to csv --outdir " + out.string() + " fat.xlsx >/dev/null 2>&1") == 0);
  const std::string csv = read_file((out / "fat.csv").string());
  BOOST_TEST(csv.find("GH-TEM-03") != std::string::npos, csv.substr(0, 300));
}

BOOST_AUTO_TEST_CASE(a_result_changed_after_signing_shows_on_the_report_and_test_show) {
  // A copy, so the other cases keep the demo's signed records.
  auto copy = run_niikit(niikit("db backup " + dir.file("copy.db")), kNow);
  BOOST_TEST_REQUIRE(copy.status == 0, copy.err);
  db = dir.file("copy.db");
  auto before = run_niikit(niikit("--json test show --session 2"), kNow);
  BOOST_TEST_REQUIRE(before.status == 0, before.err);
  // Edit a stored kit result behind niikit's back.
  const std::string sql = "UPDATE measurements SET value = 400 WHERE session_id = 2 AND metric_key = "
                          "'cargo.penetration.steel_mm';";
  BOOST_TEST_REQUIRE(shell("sqlite3 " + db + " \"" + sql + "\"") == 0);
  auto shown = run_niikit(niikit("test show --session 2"), kNow);
  BOOST_TEST(shown.status == 8, shown.out << shown.err);
  auto r = run_niikit(niikit("report acceptance --session 2 --format json --out " + dir.file("tampered.json")), kNow);
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const auto report = parse(read_file(dir.file("tampered.json")));
  int invalid = 0;
  for (const auto& s : report.value("signatures").toArray())
    if (s.toObject().value("status").toString() == "invalid") ++invalid;
  BOOST_TEST(invalid == 4);   // tester, witness, vendor and approver all signed the old content
  const std::string text = read_file(dir.file("tampered.json"));
  BOOST_TEST(text.find("changed after the session was closed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(trend_and_bad_requests) {
  auto trend = run_niikit(niikit("--json report trend --scanner GH-TEM-03 --metric cargo.penetration.steel_mm"), kNow);
  BOOST_TEST_REQUIRE(trend.status == 0, trend.err);
  const auto report = parse(trend.out);
  BOOST_TEST(report.value("kind").toString().toStdString() == "trend");
  // Sessions 1 (derated, 250 mm), 2 (retest) and 3 (SAT) measured it.
  BOOST_TEST(trend.out.find("250 mm") != std::string::npos);
  auto none = run_niikit(niikit("report acceptance --scanner GH-TEM-01 --phase fat --out x.pdf"), kNow);
  BOOST_TEST(none.status == 4, none.err);
  auto format = run_niikit(niikit("report acceptance --scanner GH-TEM-03 --phase fat --out x.doc"), kNow);
  BOOST_TEST(format.status == 2, format.err);
  BOOST_TEST(format.err.find("x.doc") != std::string::npos, format.err);
  auto unwritable = run_niikit(niikit("report acceptance --scanner GH-TEM-03 --phase fat --out /nonexistent/dir/r.pdf"),
                               kNow);
  BOOST_TEST(unwritable.status == 9, unwritable.err);
}

BOOST_AUTO_TEST_SUITE_END()
