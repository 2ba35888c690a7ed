// Benchmark: the cargo kit on a full dual-energy cargo scan (≈ 2,000 × 8,000 px, 16-bit).
//
//   bench_kit [--runs N] [--out scan.tif]      render the scan once, then time the analysis
//   bench_kit [--runs N] --in scan.tif         load a two-page TIFF (page 0 high, page 1 low)
//
// The scan: shipped cargo phantom, dual-mev, pitch 0.78 mm across × 0.32 mm along the scan
// (≈ 1,975 × 7,940 px), PSF σ 1.5 mm, dose 50,000 photons, 0.5 % gain stripes. Prints the
// median and min/max wall time of N analyses (default 5, every test of the kit) and the peak
// resident memory of the process (with --in it is the analysis and the loaded image only).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/kits/kit.hpp"

namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  using namespace niikit;
  int runs = 5;
  std::string in_path, out_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    if (key == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (key == "--in") in_path = argv[i + 1];
    else if (key == "--out") out_path = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: bench_kit [--runs N] [--in scan.tif | --out scan.tif]\n");
      return 2;
    }
  }
  auto phantom = phantoms::load_phantom(phantoms::shipped_phantom_dir() + "/cargo-iec62523.json");
  if (!phantom) {
    std::fprintf(stderr, "%s\n", phantom.error().message.c_str());
    return 1;
  }
  testkits::kits::KitInput input;
  input.phantom = *phantom;
  if (!in_path.empty()) {
    auto pages = testkits::read_image_pages(in_path);
    if (!pages || pages->size() < 2) {
      std::fprintf(stderr, "%s: need a two-page TIFF\n", in_path.c_str());
      return 1;
    }
    input.image = (*pages)[0];
    input.low_energy = (*pages)[1];
  } else {
    phantoms::generator::RenderOptions o;
    o.beam = phantoms::generator::BeamPreset::dual_mev;
    o.pixel_mm_x = 0.78;
    o.pixel_mm_y = 0.32;
    o.psf_sigma_mm_x = o.psf_sigma_mm_y = 1.5;
    o.dose_photons = 50000;
    o.gain_stripes_rel = 0.005;
    o.supersample = 2;
    o.rotation_deg = 2;
    const auto t0 = std::chrono::steady_clock::now();
    auto scan = phantoms::generator::render_scan(*phantom, o);
    if (!scan) {
      std::fprintf(stderr, "%s\n", scan.error().message.c_str());
      return 1;
    }
    std::printf("rendered %d x %d px in %.1f s\n", scan->planes[0].pixels.cols, scan->planes[0].pixels.rows,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!out_path.empty()) {
      if (auto s = testkits::write_image_pages(out_path, scan->planes); !s) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return 1;
      }
    }
    input.image = scan->planes[0];
    input.low_energy = scan->planes[1];
  }
  std::printf("image %d x %d px, %s\n", input.image.pixels.cols, input.image.pixels.rows,
              input.image.pixels.depth() == CV_16U ? "16-bit" : "other depth");
  std::vector<double> seconds;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto result = testkits::kits::run_kit("cargo", input);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!result) {
      std::fprintf(stderr, "analysis failed: %s\n", result.error().message.c_str());
      return 1;
    }
    if (r == 0)
      for (const auto& t : result->tests) std::printf("  %-12s %s\n", t.test_id.c_str(), t.result_text.c_str());
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("analysis: median %.3f s, min %.3f s, max %.3f s over %d runs\n", seconds[seconds.size() / 2], seconds.front(),
              seconds.back(), runs);
  std::printf("peak RSS: %.0f MiB\n", peak_rss_mib());
  return 0;
}
