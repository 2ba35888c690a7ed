// Test helper: a fresh migrated database in a TempDir at the fixed test clock.
#pragma once

#include <stdexcept>
#include <string>

#include "db/database.hpp"
#include "support/temp_dir.hpp"

namespace niikit::testing {

inline db::Database fresh_db(const TempDir& dir, const std::string& name = "test.db") {
  auto db = db::Database::open_ready(dir.file(name), db::OpenMode::create, test_clock());
  if (!db) throw std::runtime_error(db.error().message);
  return std::move(*db);
}

}  // namespace niikit::testing
