// Internal to db/: the busy handler behind BusyWait (database.hpp).
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <memory>
#include <string>

#include "db/database.hpp"

namespace niikit::db {

// Lives as long as its connection (the handler holds its address).
struct BusyState {
  BusyWait wait;
  std::string path;
  std::chrono::steady_clock::time_point started;
  bool noticed = false;
};

// Replaces the connection's busy timeout by the process's BusyWait.
std::unique_ptr<BusyState> install_busy_wait(SQLite::Database& sql, const std::string& path);

}  // namespace niikit::db
