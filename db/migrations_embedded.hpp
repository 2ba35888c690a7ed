// The raw text of db/migrations/*.sql, compiled in by cmake/EmbedMigrations.cmake.
#pragma once
#include <string>
#include <vector>

namespace niikit::db {
struct EmbeddedSql {
  int version;
  const char* name;
  const char* sql;
};
const std::vector<EmbeddedSql>& embedded_sql();
}  // namespace niikit::db
