// `niikit procurement ...` and `niikit spec ...` end to end through the binary: exit statuses,
// --json shapes (docs/cli-json.md) and files written.
#define BOOST_TEST_MODULE procurement_cli
#include <boost/test/unit_test.hpp>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "support/temp_dir.hpp"

using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

QJsonObject json_of(const std::string& text) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

struct Cli {
  TempDir dir;
  std::string env = "NIIKIT_NOW=2026-11-24T09:00:00Z";
  niikit::testing::RunResult run(const std::string& args) {
    return run_niikit("--db " + dir.file("n.db") + " " + args, env);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_catalogue_goes_through_xlsx_into_a_frozen_specification) {
  Cli c;
  BOOST_REQUIRE(run_niikit("--db " + c.dir.file("n.db") + " db init").status == 0);
  BOOST_REQUIRE(c.run("person add --name 'Ama Mensah' --role procurement").status == 0);
  BOOST_REQUIRE(c.run("--as 'Ama Mensah' scanner add --asset-tag T-1 --manufacturer S --model M --technology linac "
                      "--configuration portal")
                    .status == 0);
  auto add = c.run("procurement add --reference P-1 --title 'Tema cargo' --budget 1200000 --currency usd --json");
  BOOST_REQUIRE(add.status == 0);
  BOOST_TEST(json_of(add.out).value("budget_minor").toInteger() == 120000000);

  auto copied = c.run("spec catalogue --kit cargo --out " + c.dir.file("cargo.xlsx"));
  BOOST_REQUIRE(copied.status == 0);
  auto imported = c.run("spec import --procurement P-1 " + c.dir.file("cargo.xlsx") + " --json");
  BOOST_TEST(imported.status == 0, imported.err);
  auto ij = json_of(imported.out);
  BOOST_TEST(ij.value("stored").toBool());
  BOOST_TEST(ij.value("rows").toInt() == 23);
  BOOST_TEST(ij.value("specification").toObject().value("version").toInt() == 1);
  BOOST_TEST(ij.value("warnings").toArray().isEmpty());

  BOOST_REQUIRE(c.run("procurement link P-1 --scanner T-1").status == 0);
  auto frozen = c.run("spec freeze --procurement P-1 --by 'Ama Mensah' --json");
  BOOST_REQUIRE(frozen.status == 0);
  auto fj = json_of(frozen.out);
  BOOST_TEST(fj.value("frozen").toBool());
  BOOST_TEST(fj.value("specification").toObject().value("requirements_sha256").toString().size() == 64);
  BOOST_TEST(fj.value("specification").toObject().value("frozen_by").toString().toStdString() == "Ama Mensah");

  auto again = c.run("spec freeze --procurement P-1 --by 'Ama Mensah'");
  BOOST_TEST(again.status == 5);

  auto exported = c.run("spec export --procurement P-1 --version 1 --format json --out " + c.dir.file("v1.json"));
  BOOST_REQUIRE(exported.status == 0);
  auto shown = c.run("spec show --procurement P-1 --json");
  auto sj = json_of(shown.out);
  BOOST_TEST(sj.value("requirements").toArray().size() == 23);
  BOOST_TEST(sj.value("gaps").toArray().isEmpty());
  // The frozen hash is the SHA-256 of the JSON export.
  BOOST_TEST(QCryptographicHash::hash(QByteArray::fromStdString(niikit::testing::read_file(c.dir.file("v1.json"))),
                                      QCryptographicHash::Sha256)
                 .toHex()
                 .toStdString() == sj.value("specification").toObject().value("requirements_sha256").toString().toStdString());

  auto text = c.run("procurement show P-1");
  BOOST_TEST(text.status == 0);
  BOOST_TEST(text.out.find("version 1 frozen (23 requirements") != std::string::npos, text.out);
  BOOST_TEST(text.out.find("1 200 000.00 USD") != std::string::npos);
  BOOST_TEST(c.run("audit verify").status == 0);
}

BOOST_AUTO_TEST_CASE(a_refused_freeze_lists_every_gap_and_exits_6) {
  Cli c;
  BOOST_REQUIRE(run_niikit("--db " + c.dir.file("n.db") + " db init").status == 0);
  BOOST_REQUIRE(c.run("person add --name Kofi --role manager").status == 0);
  BOOST_REQUIRE(c.run("procurement add --reference P-2 --title Portables").status == 0);
  niikit::testing::write_file(c.dir.file("gaps.json"), R"([
    {"id": "A", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 3},
    {"id": "B", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 3,
     "method": "N42.55", "verified_at": ["fat"]},
    {"id": "C", "text": "t", "category": "other", "metric_key": "portable.organic.snr", "comparator": ">=", "target": 3,
     "method": "N42.55"}])");
  BOOST_REQUIRE(c.run("spec import --procurement P-2 " + c.dir.file("gaps.json")).status == 0);
  auto r = c.run("spec freeze --procurement P-2 --by Kofi --json");
  BOOST_TEST(r.status == 6);
  auto j = json_of(r.out);
  BOOST_TEST(!j.value("frozen").toBool());
  BOOST_REQUIRE(j.value("gaps").toArray().size() == 2);
  BOOST_TEST(j.value("gaps").toArray()[0].toObject().value("id").toString().toStdString() == "A");
  BOOST_TEST(j.value("gaps").toArray()[1].toObject().value("id").toString().toStdString() == "C");
  BOOST_TEST(r.err.find("cannot freeze: 2 requirement gap(s): A, C") !=
             std::string::npos, r.err);
  auto bad = c.run("spec import --procurement P-2 " + c.dir.file("missing.json"));
  BOOST_TEST(bad.status == 4);
  BOOST_TEST(c.run("spec export --procurement P-2 --format pdf --out x.pdf").status == 2);
  BOOST_TEST(c.run("spec catalogue --json").status == 0);
}
