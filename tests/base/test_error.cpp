#define BOOST_TEST_MODULE base
#include <boost/test/unit_test.hpp>

#include <set>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace niikit;

BOOST_AUTO_TEST_CASE(catalogue_names_and_exit_statuses_are_unique_and_nonzero) {
  std::set<std::string_view> names;
  std::set<int> statuses;
  for (const auto& info : error_catalogue) {
    BOOST_TEST(names.insert(info.name).second, "duplicate name " << info.name);
    BOOST_TEST(statuses.insert(info.exit_status).second, "duplicate status " << info.exit_status);
    BOOST_TEST(info.exit_status != 0);
    BOOST_TEST(!info.meaning.empty());
  }
}

BOOST_AUTO_TEST_CASE(readme_documents_every_exit_status) {
  const std::string readme = testing::read_file(std::string(NIIKIT_SOURCE_DIR) + "/README.md");
  for (const auto& info : error_catalogue) {
    const std::string row = "| " + std::to_string(info.exit_status) + " | `" + std::string(info.name) + "`";
    BOOST_TEST(readme.find(row) != std::string::npos, "README lacks the row starting " << row);
  }
}

BOOST_AUTO_TEST_CASE(context_is_prepended_and_code_kept) {
  Result<int> r = fail(ErrorCode::input, "diameter_mm missing");
  auto c = with_context(r, "phantom x.json");
  BOOST_TEST(c.error().message == "phantom x.json: diameter_mm missing");
  BOOST_TEST(c.error().code == ErrorCode::input);
  BOOST_TEST(with_context(Result<int>(3), "ctx").value() == 3);
}
