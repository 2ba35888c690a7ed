// Benchmark: wire detection (testkits::detect_wire) on a 200 × 200 px 16-bit ROI holding a faint
// wire (10°, profile depth 0.5 σ of the Gaussian noise), ±3° at 0.25° steps (25 angles), and
// the default white-noise threshold calibration for that ROI (200 simulated ROIs). Prints the
// median and worst time per detection and the calibration time.
//
//   bench_wire [RUNS]          (default 20; figures in docs/methods/wire.md)
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <vector>

#include "testkits/metrics/wire_detect.hpp"

namespace {

cv::Mat wire_image(int side_px) {
  const double t = 10.0 * std::numbers::pi / 180.0, level = 20000, sigma = 100, depth = 50;
  std::mt19937_64 rng(4242);
  std::normal_distribution<double> noise(0.0, sigma);
  cv::Mat m(side_px, side_px, CV_16UC1);
  const double c = 0.5 * (side_px - 1);
  for (int y = 0; y < side_px; ++y)
    for (int x = 0; x < side_px; ++x) {
      const double d = -(x - c) * std::sin(t) + (y - c) * std::cos(t) - 7.3;
      const double v = level - depth * std::exp(-d * d / (2 * 0.8 * 0.8)) + noise(rng);
      m.at<uint16_t>(y, x) = static_cast<uint16_t>(std::clamp(std::lround(v), 0L, 65535L));
    }
  return m;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace tk = niikit::testkits;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  const cv::Mat roi = wire_image(200);
  tk::WireDetectOptions o;
  o.nominal_angle_deg = 10.0;
  auto start = std::chrono::steady_clock::now();
  auto threshold = tk::calibrate_wire_threshold_noise(roi.size(), o);
  const double calibration_ms = ms_since(start);
  if (!threshold) {
    std::fprintf(stderr, "bench_wire: %s\n", threshold.error().message.c_str());
    return 1;
  }
  std::vector<double> ms;
  tk::WireScore last;
  for (int i = 0; i < runs; ++i) {
    start = std::chrono::steady_clock::now();
    auto result = tk::detect_wire(roi, o, *threshold);
    ms.push_back(ms_since(start));
    if (!result) {
      std::fprintf(stderr, "bench_wire: %s\n", result.error().message.c_str());
      return 1;
    }
    last = *result;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("wire detection 200x200 16-bit, 25 angles: %d runs, median %.2f ms, worst %.2f ms (score %.2f, "
              "threshold %.2f, %s, angle %.2f deg)\n",
              runs, ms[ms.size() / 2], ms.back(), last.score, threshold->threshold,
              last.detected ? "detected" : "not detected", last.angle_deg);
  std::printf("default calibration: %d simulated 200x200 ROIs in %.0f ms (%.2f ms per ROI)\n", threshold->samples,
              calibration_ms, calibration_ms / threshold->samples);
  return 0;
}
