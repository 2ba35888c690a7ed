// Benchmark: render a full dual-energy cargo scan (≈ 2,000 × 8,000 px, 16-bit) of the shipped
// cargo phantom and print the wall time per stage and the peak resident memory.
//
//   bench_render [--width PX] [--height PX] [--supersample N] [--pixel-mm MM] [--threads N]
//                [--out scan.tiff]
//
// Defaults: 2000 × 8000 px, 1 mm pixels, supersample 4, dual-mev, PSF σ 1.5 mm, dose 50,000
// photons, OpenCV's default thread count. With --out the two planes are also written as a
// two-page TIFF and the write is timed. See bench/README.md.
#include <opencv2/core.hpp>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/image/image.hpp"

namespace {

using niikit::phantoms::generator::BeamPreset;
using niikit::phantoms::generator::RenderOptions;

struct BenchArgs {
  RenderOptions options;
  int threads = -1;
  std::string out;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

bool parse(int argc, char** argv, BenchArgs& args) {
  auto& o = args.options;
  o.beam = BeamPreset::dual_mev;
  o.image_width_px = 2000;
  o.image_height_px = 8000;
  o.pixel_mm_x = o.pixel_mm_y = 1.0;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 1.5;
  o.dose_photons = 50000;
  o.gain_stripes_rel = 0.005;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    const char* value = argv[i + 1];
    if (key == "--width") o.image_width_px = std::atoi(value);
    else if (key == "--height") o.image_height_px = std::atoi(value);
    else if (key == "--supersample") o.supersample = std::atoi(value);
    else if (key == "--pixel-mm") o.pixel_mm_x = o.pixel_mm_y = std::atof(value);
    else if (key == "--threads") args.threads = std::atoi(value);
    else if (key == "--out") args.out = value;
    else return false;
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  BenchArgs args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr, "usage: bench_render [--width PX] [--height PX] [--supersample N] [--pixel-mm MM] "
                         "[--threads N] [--out scan.tiff]\n");
    return 2;
  }
  if (args.threads >= 0) cv::setNumThreads(args.threads);
  const auto t0 = std::chrono::steady_clock::now();
  auto phantom = niikit::phantoms::resolve_phantom("cargo-iec62523");
  if (!phantom) {
    std::fprintf(stderr, "bench_render: %s\n", phantom.error().message.c_str());
    return 1;
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto t1 = std::chrono::steady_clock::now();
  auto scan = niikit::phantoms::generator::render_scan(*phantom, args.options);
  if (!scan) {
    std::fprintf(stderr, "bench_render: %s\n", scan.error().message.c_str());
    return 1;
  }
  const double render_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const auto& o = args.options;
  std::printf("bench_render: %s, %d x %d px, %zu planes (%s), supersample %d, pixel %.2f mm, %d threads\n",
              phantom->id.c_str(), scan->planes[0].pixels.cols, scan->planes[0].pixels.rows, scan->planes.size(),
              std::string(beam_preset_name(o.beam)).c_str(), o.supersample, o.pixel_mm_x, cv::getNumThreads());
  std::printf("  %-14s %8.3f s\n", "load_phantom", load_s);
  for (const auto& [stage, seconds] : scan->stage_seconds) std::printf("  %-14s %8.3f s\n", stage.c_str(), seconds);
  std::printf("  %-14s %8.3f s\n", "render_total", render_s);
  if (!args.out.empty()) {
    const auto t2 = std::chrono::steady_clock::now();
    if (auto written = niikit::testkits::write_image_pages(args.out, scan->planes); !written) {
      std::fprintf(stderr, "bench_render: %s\n", written.error().message.c_str());
      return 1;
    }
    std::printf("  %-14s %8.3f s\n", "write_tiff",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count());
  }
  std::printf("  %-14s %8.1f MiB\n", "peak_rss", peak_rss_mib());
  return 0;
}
