// `niikit phantom list|show|validate` end to end: exit statuses, one line per file, --json.
#define BOOST_TEST_MODULE test_phantom_cli
#include <boost/test/unit_test.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <string>

namespace {

struct Run {
  int exit_status = -1;
  std::string out;
  std::string err;
};

Run niikit(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(NIIKIT_BINARY), args);
  p.waitForFinished(60000);
  return {p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString()};
}

std::string write_file(const QTemporaryDir& dir, const QString& name, const std::string& text) {
  const QString path = dir.path() + "/" + name;
  QFile f(path);
  if (f.open(QIODevice::WriteOnly)) f.write(text.data(), static_cast<qint64>(text.size()));
  return path.toStdString();
}

}  // namespace

BOOST_AUTO_TEST_CASE(list_shows_the_three_shipped_phantoms) {
  const Run r = niikit({"phantom", "list", "--json"});
  BOOST_TEST(r.exit_status == 0, r.err);
  const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
  const QJsonArray list = o.value("phantoms").toArray();
  BOOST_TEST(list.size() == 3);
  for (const auto& v : list) {
    BOOST_TEST(v.toObject().value("feature_count").toInt() > 5);
    BOOST_TEST(!v.toObject().value("standard").toString().isEmpty());
  }
}

BOOST_AUTO_TEST_CASE(show_prints_every_feature) {
  const Run r = niikit({"phantom", "show", "portable-n4255"});
  BOOST_TEST(r.exit_status == 0, r.err);
  for (const char* id : {"fid-1", "pen-steel", "dr-steel", "od-plastic", "edge-foil", "open-2"})
    BOOST_TEST(r.out.find(id) != std::string::npos, id);
  const Run j = niikit({"phantom", "show", "cargo-iec62523", "--json"});
  BOOST_TEST(j.exit_status == 0, j.err);
  const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(j.out)).object();
  BOOST_TEST(o.value("phantom").toObject().value("id").toString().toStdString() == "cargo-iec62523");
  const Run missing = niikit({"phantom", "show", "no-such-phantom"});
  BOOST_TEST(missing.exit_status == 4);
}

BOOST_AUTO_TEST_CASE(validate_gives_one_line_per_file_and_fails_when_any_is_invalid) {
  QTemporaryDir dir;
  BOOST_TEST_REQUIRE(dir.isValid());
  const std::string bad = write_file(dir, "bad.json", "{\"format_version\": 1,");
  const Run ok = niikit({"phantom", "validate"});
  BOOST_TEST(ok.exit_status == 0, ok.err);
  BOOST_TEST(ok.out.find("OK") != std::string::npos);
  const Run r = niikit({"phantom", "validate", QString::fromStdString(bad),
                        QStringLiteral(NIIKIT_SOURCE_DIR "/phantoms/cabinet-astm-f792.json")});
  BOOST_TEST(r.exit_status == 3);
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  BOOST_TEST(r.out.find("FAILED  " + bad + ": invalid JSON") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("OK      ") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(every_phantom_command_has_help) {
  for (const char* cmd : {"list", "show", "validate"}) {
    const Run r = niikit({"phantom", cmd, "--help"});
    BOOST_TEST(r.exit_status == 0, cmd);
    BOOST_TEST(r.out.find("Usage") != std::string::npos, cmd);
  }
}
