// Fills a database with ENTRIES audit entries through niikit's own audited writes (sites:
// each inserted, then every second one updated, so records have one or two entries), for
// timing `niikit audit verify` and `niikit db check` and reading their peak memory:
//   build/bench/bench_audit /tmp/audit.db 200000
//   /usr/bin/time -v build/app/niikit --db /tmp/audit.db audit verify
// Prints the fill time and the entry count. The file is replaced if it exists.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/time_format.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

using namespace niikit;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_audit DB [ENTRIES]\n");
    return 2;
  }
  const std::string path = argv[1];
  const long entries = argc > 2 ? std::atol(argv[2]) : 200000;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto db = db::Database::open_ready(path, db::OpenMode::create, Clock(*parse_utc("2026-11-24T09:00:00Z")));
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const long records = (entries * 2 + 2) / 3;  // inserts + updates of every second record = entries
  long written = 0;
  auto st = db->write("bench", [&](db::WriteTx& tx) -> Status {
    for (long i = 0; i < records && written < entries; ++i) {
      db::Site s{0, "Site " + std::to_string(i), "GH", "seaport", ""};
      auto id = db::insert_site(tx, s);
      if (!id) return tl::unexpected(id.error());
      ++written;
      if (i % 2 == 1 && written < entries) {
        s.id = *id;
        s.country = "TG";
        if (auto u = db::update_site(tx, s); !u) return tl::unexpected(u.error());
        ++written;
      }
    }
    return {};
  });
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("bench_audit: %s: %ld audit entries written in %.2f s (%.0f entries/s)\n", path.c_str(), written, s,
              static_cast<double>(written) / s);
  return 0;
}
