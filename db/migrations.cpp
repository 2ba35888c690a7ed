#include <algorithm>

#include "db/audit.hpp"
#include "db/database.hpp"
#include "db/migrations_embedded.hpp"

namespace niikit::db {

const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> migrations = [] {
    std::vector<Migration> out;
    for (const auto& f : embedded_sql()) out.push_back({f.version, f.name, f.sql, sha256_hex(f.sql)});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
  }();
  return migrations;
}

}  // namespace niikit::db
