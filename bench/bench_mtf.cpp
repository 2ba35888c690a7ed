// Benchmark: slanted-edge MTF (testkits::measure_edge_mtf) of a 512 × 512 px 16-bit edge ROI
// (5° tilt, Gaussian blur σ 1 px, seeded Gaussian noise at SNR 200), repeated; prints the
// median and worst time per measurement.
//
//   bench_mtf [RUNS]          (default 50; see bench/README.md)
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <vector>

#include "testkits/metrics/edge_mtf.hpp"

namespace {

cv::Mat edge_image(int size_px) {
  const double t = 5.0 * std::numbers::pi / 180.0, sigma_px = 1.0, low = 8000, high = 40000;
  std::mt19937 rng(12233);
  std::normal_distribution<double> noise(0.0, (high - low) / 200.0);
  cv::Mat m(size_px, size_px, CV_16UC1);
  const double centre = 0.5 * (size_px - 1) + 0.3;
  for (int r = 0; r < size_px; ++r)
    for (int c = 0; c < size_px; ++c) {
      const double u = (c - centre) * std::cos(t) - (r - centre) * std::sin(t);
      const double v = low + (high - low) * 0.5 * std::erfc(-u / (sigma_px * std::sqrt(2.0))) + noise(rng);
      m.at<uint16_t>(r, c) = static_cast<uint16_t>(std::clamp(std::lround(v), 0L, 65535L));
    }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
  const cv::Mat image = edge_image(512);
  std::vector<double> ms;
  double mtf50 = 0.0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto result = niikit::testkits::measure_edge_mtf(image);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!result) {
      std::fprintf(stderr, "bench_mtf: %s\n", result.error().message.c_str());
      return 1;
    }
    mtf50 = result->mtf50_cy_px.value_or(0.0);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("edge MTF 512x512 16-bit: %d runs, median %.2f ms, worst %.2f ms (MTF50 %.4f cy/px)\n", runs,
              ms[ms.size() / 2], ms.back(), mtf50);
  return 0;
}
