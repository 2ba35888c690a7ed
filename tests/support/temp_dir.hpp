// Test helpers: a temporary folder removed at scope end, a fixed test clock, and a runner for
// the niikit binary capturing stdout, stderr and exit status. A fresh migrated database is in
// support/test_db.hpp (only suites that link niikit_db may include it).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/time_format.hpp"

namespace niikit::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("niikit-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Clock test_clock() { return Clock(*parse_utc("2026-11-24T09:00:00Z")); }

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `niikit ARGS` through the shell (args must be shell-quoted by the caller).
inline RunResult run_niikit(const std::string& args, const std::string& env = "") {
  TempDir tmp;
  const std::string out_file = tmp.file("out"), err_file = tmp.file("err");
  const std::string cmd = env + " " + NIIKIT_BINARY + std::string(" ") + args + " >" + out_file + " 2>" + err_file +
                          " </dev/null";
  const int raw = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_file(out_file);
  r.err = read_file(err_file);
  return r;
}

}  // namespace niikit::testing
