// Benchmark: NPS / NNPS (testkits::measure_nps) of one 2,048 × 2,048 16-bit flat image,
// repeated; prints the median and worst wall time and the peak resident memory.
//
//   bench_nps [--size PX] [--runs N] [--tile-px N] [--threads N]
//
// Defaults: 2048 px square, 10 runs, 128 px tiles (961 tiles, 50 % overlap), OpenCV's default
// thread count. The image is mean 3,000 + Gaussian noise σ 30 from a fixed seed. See
// bench/README.md.
#include <opencv2/core.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

#include "testkits/metrics/noise_power.hpp"

namespace {

struct BenchArgs {
  int size_px = 2048;
  int runs = 10;
  int tile_px = 128;
  int threads = -1;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

bool parse(int argc, char** argv, BenchArgs& args) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (key == "--size") args.size_px = value;
    else if (key == "--runs") args.runs = value;
    else if (key == "--tile-px") args.tile_px = value;
    else if (key == "--threads") args.threads = value;
    else return false;
  }
  return argc % 2 == 1 && args.runs > 0 && args.size_px > 0;
}

cv::Mat flat_image(int size_px) {
  std::mt19937_64 rng(2026);
  std::normal_distribution<double> noise(3000.0, 30.0);
  cv::Mat m(size_px, size_px, CV_16U);
  for (int r = 0; r < size_px; ++r)
    for (int c = 0; c < size_px; ++c) m.at<std::uint16_t>(r, c) = cv::saturate_cast<std::uint16_t>(noise(rng));
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  BenchArgs args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr, "usage: bench_nps [--size PX] [--runs N] [--tile-px N] [--threads N]\n");
    return 2;
  }
  if (args.threads >= 0) cv::setNumThreads(args.threads);
  const cv::Mat flat = flat_image(args.size_px);
  niikit::testkits::NpsOptions options;
  options.tile_px = args.tile_px;
  options.pixel_mm_x = options.pixel_mm_y = 0.2;
  std::vector<double> ms;
  int tiles = 0;
  for (int i = 0; i < args.runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto result = niikit::testkits::measure_nps({flat}, options);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!result) {
      std::fprintf(stderr, "bench_nps: %s\n", result.error().message.c_str());
      return 1;
    }
    tiles = result->tiles_per_image;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("bench_nps: %d x %d px 16-bit, %d tiles of %d px, %d runs, %d threads\n", args.size_px, args.size_px,
              tiles, args.tile_px, args.runs, cv::getNumThreads());
  std::printf("  %-10s %8.1f ms\n", "median", ms[ms.size() / 2]);
  std::printf("  %-10s %8.1f ms\n", "worst", ms.back());
  std::printf("  %-10s %8.1f MiB\n", "peak_rss", peak_rss_mib());
  return 0;
}
