// Acceptance report benchmark: builds the demo database once (FAT failure, retest, SAT...),
// then times building the FAT acceptance report from the database and writing it as PDF,
// XLSX, HTML and JSON, over repeated runs. Prints the median and worst per step and the peak
// resident memory.
// Usage: bench_report [RUNS] [DIR]   (default 5 runs in a temporary folder)
#include <sys/resource.h>

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "app/services/acceptance_report.hpp"
#include "app/services/demo_service.hpp"
#include "db/database.hpp"
#include "reports/writers.hpp"

using namespace niikit;
namespace fs = std::filesystem;

namespace {

double seconds_of(const std::function<bool()>& fn, bool& ok) {
  const auto t0 = std::chrono::steady_clock::now();
  ok = fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const auto gui = reports::ensure_gui();  // the PDF writer's application, once for every run
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const fs::path dir = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "niikit-bench-report";
  const Clock clock(*parse_utc("2026-11-24T09:00:00Z"));
  std::printf("building the demo database in %s ...\n", dir.string().c_str());
  auto demo = services::run_demo(dir.string(), clock);
  if (!demo) {
    std::fprintf(stderr, "bench_report: demo: %s\n", demo.error().message.c_str());
    return 1;
  }
  auto db = db::Database::open_ready(demo->database_path, db::OpenMode::existing, clock);
  if (!db) return 1;
  std::map<std::string, std::vector<double>> times;
  const std::vector<std::pair<std::string, reports::Format>> formats{
      {"pdf", reports::Format::pdf}, {"xlsx", reports::Format::xlsx},
      {"html", reports::Format::html}, {"json", reports::Format::json}};
  for (int run = 0; run < runs; ++run) {
    const auto total0 = std::chrono::steady_clock::now();
    Result<reports::Report> report = fail(ErrorCode::internal, "not built");
    bool ok = false;
    times["build (database → model)"].push_back(seconds_of(
        [&] {
          report = services::build_acceptance_report(*db, {"GH-TEM-03", "fat", std::nullopt}, "2026-11-24T09:00:00Z");
          return report.has_value();
        },
        ok));
    if (!ok) {
      std::fprintf(stderr, "bench_report: %s\n", report.error().message.c_str());
      return 1;
    }
    for (const auto& [name, format] : formats) {
      const auto path = dir / ("bench-fat." + name);
      times["write " + name].push_back(seconds_of(
          [&] { return reports::write_report(*report, format, path.string(), reports::default_template_dir()).has_value(); },
          ok));
      if (!ok) return 1;
    }
    times["total (build + 4 formats)"].push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - total0).count());
  }
  std::printf("FAT acceptance report of GH-TEM-03, %d runs:\n", runs);
  for (auto& [step, t] : times) {
    std::sort(t.begin(), t.end());
    std::printf("  %-28s median %8.1f ms   worst %8.1f ms\n", step.c_str(), 1000 * t[t.size() / 2], 1000 * t.back());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS %.0f MiB (includes building the demo database)\n", usage.ru_maxrss / 1024.0);
  return 0;
}
