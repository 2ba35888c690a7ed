// Fleet board benchmark: builds a database of N scanners (default 5,000), each with a
// register decision, 4 stage moves' worth of decisions and 4 documents, then times
// services::fleet_board over repeated runs and reports the median and the worst.
// Usage: bench_fleet [SCANNERS] [RUNS]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "core/time_format.hpp"
#include "app/services/fleet_service.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

using namespace niikit;

namespace {

Status populate(db::Database& db, int scanners) {
  const char* stages[] = {"needs", "tender", "fat", "deployment", "sat", "in_service", "out_of_service"};
  const char* kinds[] = {"business_case", "specification", "contract", "installation_certificate"};
  return db.write("bench", [&](db::WriteTx& tx) -> Status {
    auto site = db::insert_site(tx, {0, "Bench port", "GH", "seaport", ""});
    if (!site) return tl::unexpected(site.error());
    for (int i = 0; i < scanners; ++i) {
      db::Scanner s;
      s.asset_tag = "B-" + std::to_string(i);
      s.manufacturer = "ScanCorp";
      s.model = "CX";
      s.technology = "linac";
      s.configuration = "portal";
      s.site_id = *site;
      s.stage = stages[i % 7];
      s.stage_since_utc = "2025-01-01T00:00:00Z";
      auto id = db::insert_scanner(tx, s);
      if (!id) return tl::unexpected(id.error());
      for (int k = 0; k < 5; ++k) {
        db::Decision d;
        d.scanner_id = *id;
        d.kind = k == 0 ? "register" : "advance";
        d.to_stage = s.stage;
        if (auto st = db::insert_decision(tx, d); !st) return tl::unexpected(st.error());
      }
      for (const char* kind : kinds) {
        db::Document doc{0, "doc", kind, "/dev/null", std::string(64, 'a'), 0, *id, std::nullopt, std::nullopt, ""};
        if (auto st = db::insert_document(tx, doc); !st) return tl::unexpected(st.error());
      }
    }
    return {};
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int scanners = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  const auto path = std::filesystem::temp_directory_path() / "niikit-bench-fleet.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto db = db::Database::open_ready(path.string(), db::OpenMode::create, Clock(*parse_utc("2026-11-24T09:00:00Z")));
  if (!db) return std::fprintf(stderr, "%s\n", db.error().message.c_str()), 1;
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = populate(*db, scanners); !st) return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
  const double fill_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<double> ms;
  std::size_t lines = 0;
  for (int r = 0; r < runs; ++r) {
    const auto a = std::chrono::steady_clock::now();
    auto board = services::fleet_board(*db);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    if (!board) return std::fprintf(stderr, "%s\n", board.error().message.c_str()), 1;
    lines = board->size();
  }
  std::sort(ms.begin(), ms.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("fleet board: %zu scanners (%d decisions, %d documents, %d audit rows), filled in %.1f s\n", lines,
              scanners * 5, scanners * 4, scanners * 10 + 1, fill_s);
  std::printf("fleet_board(): median %.1f ms, worst %.1f ms over %d runs; peak RSS %ld MiB\n", ms[ms.size() / 2],
              ms.back(), runs, usage.ru_maxrss / 1024);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return 0;
}
