// Real scanner images (../shared/data/n4255-real, see its README) for tests that prove the kits
// on images niikit did not make. CI has no such folder: every test that needs it is decorated
// with `*real_data_present()` and is skipped (reported as such) when the folder is absent.
// NIIKIT_REAL_DATA overrides the location.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace niikit::test {

// The n4255-real folder: $NIIKIT_REAL_DATA, else ../shared/data/n4255-real beside the checkout
// (one or two levels up, so git worktrees under wt/ find it too); empty when none exists.
inline std::string real_data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("NIIKIT_REAL_DATA"); env != nullptr && fs::is_directory(env)) return env;
  const fs::path source(NIIKIT_SOURCE_DIR);
  for (const fs::path& up : {source.parent_path(), source.parent_path().parent_path()}) {
    const fs::path dir = up / "shared" / "data" / "n4255-real";
    if (fs::is_directory(dir)) return dir.string();
  }
  return {};
}

inline std::string real_file(const std::string& relative) { return real_data_dir() + "/" + relative; }

struct RealDataPresent {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result ok(!real_data_dir().empty());
    if (!ok) ok.message() << "real scanner images (../shared/data/n4255-real) not present";
    return ok;
  }
};

inline boost::unit_test::decorator::precondition real_data_present() {
  return boost::unit_test::decorator::precondition(RealDataPresent{});
}

}  // namespace niikit::test
