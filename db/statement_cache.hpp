// Prepared statements kept for the length of one unit of work, so a bulk import prepares each
// statement once instead of once per row (SQLite's prepare costs about as much as a small
// insert). Statements are handed out reset, with their bindings cleared. Not thread-safe;
// must not outlive the connection.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <memory>
#include <string>

namespace niikit::db {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& sql) : sql_(sql) {}
  // The statement for `text`, prepared on first use; reset and unbound.
  SQLite::Statement& get(const std::string& text) {
    auto& slot = statements_[text];
    if (!slot) {
      slot = std::make_unique<SQLite::Statement>(sql_, text);
    } else {
      slot->tryReset();  // its last step's error (a refused row) was already reported
      slot->clearBindings();
    }
    return *slot;
  }
  // A derived text kept under `key` (e.g. a table's snapshot query), made once by `make`.
  template <class Make>
  const std::string& memo(const std::string& key, Make&& make) {
    auto it = texts_.find(key);
    if (it == texts_.end()) it = texts_.emplace(key, make()).first;
    return it->second;
  }
  SQLite::Database& sql() { return sql_; }

 private:
  SQLite::Database& sql_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  std::map<std::string, std::string> texts_;
};

}  // namespace niikit::db
