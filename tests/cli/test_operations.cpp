// The operation table (issue 12): every operation is reachable from the command line with help
// generated from its description, has a permission row, round-trips its request and response
// through the shared JSON codec, and is listed in the generated reference (docs/commands.md).
// An actor without the role is refused with exit 10 (forbidden) and nothing is written.
#define BOOST_TEST_MODULE operations
#include <boost/test/unit_test.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <SQLiteCpp/Database.h>

#include <algorithm>

#include "app/api/operation.hpp"
#include "app/cli/reference.hpp"
#include "app/domain/permissions.hpp"
#include "support/temp_dir.hpp"

using niikit::testing::read_file;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;
namespace api = niikit::api;

namespace {

std::string words(const std::string& name) {
  std::string w = name;
  std::replace(w.begin(), w.end(), '.', ' ');
  return w;
}

QJsonValue sample(const api::FieldInfo& f, api::Kind kind);

QJsonObject sample_object(const std::vector<api::FieldInfo>& fields) {
  QJsonObject o;
  for (const auto& f : fields) o[QString::fromStdString(f.name)] = sample(f, f.kind);
  return o;
}

// A plausible value of every field, so the codec's round trip covers every member.
QJsonValue sample(const api::FieldInfo& f, api::Kind kind) {
  switch (kind) {
    case api::Kind::boolean: return true;
    case api::Kind::integer: return 7;
    case api::Kind::number: return 2.5;
    case api::Kind::text: return f.choices.empty() ? QString("sample text") : QString::fromStdString(f.choices.back());
    case api::Kind::list: {
      QJsonArray a;
      a.append(f.element_kind == api::Kind::object ? QJsonValue(sample_object(f.fields)) : sample(f, f.element_kind));
      return a;
    }
    case api::Kind::map: return QJsonObject{{"key", f.fields.empty() ? QJsonValue(1) : QJsonValue(sample_object(f.fields))}};
    case api::Kind::object: return sample_object(f.fields);
    case api::Kind::any: break;
  }
  return QJsonObject{{"any", 1}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_operation_has_a_permission_row_and_help_on_the_command_line) {
  const auto& ops = api::operations().all();
  BOOST_TEST(ops.size() >= 10u);
  for (const auto& op : ops) {
    BOOST_TEST_INFO(op.name());
    const auto* row = niikit::domain::find_permission(op.name());
    BOOST_TEST(row != nullptr);
    auto help = run_niikit(words(op.name()) + " --help");
    BOOST_TEST(help.status == 0);
    BOOST_TEST(help.out.find(op.spec.summary.substr(0, 40)) != std::string::npos);
    BOOST_TEST(help.out.find("Who may run it") != std::string::npos);
    for (const auto& f : op.request) {
      if ((f.flags & api::kCliHidden) || f.kind == api::Kind::object || f.kind == api::Kind::map ||
          f.kind == api::Kind::any || (f.kind == api::Kind::list && f.element_kind == api::Kind::object))
        continue;
      std::string shown = f.positional() ? (f.value_name.empty() ? f.name : f.value_name) : "--" + f.name;
      std::replace(shown.begin() + (f.positional() ? 0 : 2), shown.end(), '_', '-');
      if (f.positional() && f.value_name.empty())
        std::transform(shown.begin(), shown.end(), shown.begin(), [](unsigned char c) { return std::toupper(c); });
      // Secrets never go on the command line: --NAME-file (the acting user's own password is the
      // global --password-file).
      if (f.flags & api::kSecret) {
        if (f.name == "password") continue;
        shown += "-file";
      }
      BOOST_TEST(help.out.find(shown) != std::string::npos, op.name() << ": " << shown << " missing from --help");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_request_and_response_round_trips_through_json) {
  for (const auto& op : api::operations().all()) {
    BOOST_TEST_INFO(op.name());
    const QJsonObject request = sample_object(op.request);
    auto once = op.normalise_request(request);
    BOOST_REQUIRE_MESSAGE(once.has_value(), op.name() << ": " << (once ? "" : once.error().field + ": " + once.error().message));
    auto twice = op.normalise_request(*once);
    BOOST_REQUIRE(twice.has_value());
    BOOST_TEST((*once == *twice));
    // Every sample field survives: the codec drops nothing it was given.
    for (const auto& f : op.request) BOOST_TEST(once->toObject().contains(QString::fromStdString(f.name)), f.name);
    const QJsonValue empty = op.empty_response();
    auto decoded = op.decode_response(empty);
    BOOST_REQUIRE(decoded.has_value());
    BOOST_TEST((op.encode_response(*decoded) == empty));
    if (!op.response_is_list && !op.response.empty()) {
      const QJsonObject full = sample_object(op.response);
      auto r = op.decode_response(full);
      BOOST_REQUIRE_MESSAGE(r.has_value(), op.name() << ": " << (r ? "" : r.error().field + ": " + r.error().message));
      BOOST_TEST((op.encode_response(*r) == QJsonValue(full)));
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_fields_and_bad_types_are_refused_naming_the_field) {
  const auto* op = api::operations().find("site.add");
  BOOST_REQUIRE(op != nullptr);
  auto extra = op->normalise_request(QJsonObject{{"name", "A"}, {"country", "GH"}, {"type", "seaport"}, {"colour", 1}});
  BOOST_REQUIRE(!extra.has_value());
  BOOST_TEST(extra.error().field == "colour");
  auto typed = op->normalise_request(QJsonObject{{"name", 3}, {"country", "GH"}, {"type", "seaport"}});
  BOOST_REQUIRE(!typed.has_value());
  BOOST_TEST(typed.error().field == "name");
  BOOST_TEST(typed.error().message == "expected text");
  auto missing = op->normalise_request(QJsonObject{{"name", "A"}});
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message == "required");
}

BOOST_AUTO_TEST_CASE(the_committed_reference_is_the_generated_one) {
  const std::string committed = read_file(std::string(NIIKIT_SOURCE_DIR) + "/docs/commands.md");
  BOOST_TEST((committed == niikit::cli::command_reference_markdown()),
             "docs/commands.md is stale: regenerate it with `build/app/niikit reference > docs/commands.md`");
}

BOOST_AUTO_TEST_CASE(an_actor_without_the_role_is_refused_and_nothing_is_written) {
  TempDir dir;
  const std::string db = "--db " + dir.file("p.db");
  BOOST_REQUIRE(run_niikit(db + " db init").status == 0);
  BOOST_REQUIRE(run_niikit(db + " person add --name Ama --role manager").status == 0);  // the first person
  BOOST_REQUIRE(run_niikit(db + " --as Ama person add --name Vera --role vendor").status == 0);
  auto count = [&](const char* table) {
    SQLite::Database raw(dir.file("p.db"));
    return raw.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
  };
  const int audit_before = count("audit_log");
  auto refused = run_niikit(db + " --as Vera site add --name Tema --country GH --type seaport");
  BOOST_TEST(refused.status == 10);
  BOOST_TEST(refused.err.find("niikit: forbidden: site.add: Vera acts as vendor, but this needs manager") == 0u,
             refused.err);
  BOOST_TEST(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
  auto nobody = run_niikit(db + " site add --name Tema --country GH --type seaport", "NIIKIT_AS= USER=nobody-here");
  BOOST_TEST(nobody.status == 10);
  auto second_bootstrap = run_niikit(db + " person add --name Eve --role manager", "USER=nobody-here");
  BOOST_TEST(second_bootstrap.status == 10);  // bootstrap only while there are no people
  BOOST_TEST(count("audit_log") == audit_before);
  BOOST_TEST(count("sites") == 0);
  BOOST_TEST(count("people") == 2);
  // Mapping the OS account makes the CLI act as that person without --as.
  BOOST_REQUIRE(run_niikit(db + " --as Ama person edit Ama --os-user tester-os").status == 0);
  BOOST_TEST(run_niikit(db + " site add --name Tema --country GH --type seaport", "USER=tester-os").status == 0);
  BOOST_TEST(count("sites") == 1);
}
