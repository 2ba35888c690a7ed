// The pixel-pitch options every `iq` command shares (--pixel-mm, or --pixel-mm-x and
// --pixel-mm-y) and the one rule that resolves them: what the command line gives wins, else the
// image's own metadata, else 0 (unknown: results stay in pixel units).
#pragma once

#include <CLI/CLI.hpp>

#include <cmath>
#include <string>
#include <utility>

#include "testkits/image/image.hpp"

namespace niikit::cli {

struct PitchOptions {
  double pixel_mm = 0.0;     // both axes; 0 = not given
  double pixel_mm_x = 0.0;   // across the scan (columns); 0 = not given
  double pixel_mm_y = 0.0;   // along the scan (rows); 0 = not given

  // (x, y) pitch in mm for an image with metadata `meta`.
  [[nodiscard]] std::pair<double, double> resolve(const testkits::ImageMeta& meta) const {
    const double x = pixel_mm > 0 ? pixel_mm : pixel_mm_x > 0 ? pixel_mm_x : meta.pixel_mm_x;
    const double y = pixel_mm > 0 ? pixel_mm : pixel_mm_y > 0 ? pixel_mm_y : meta.pixel_mm_y;
    return {x, y};
  }
};

// A finite number > 0. CLI11's PositiveNumber lets "nan" through (NaN <= 0 is false), after which
// the pitch was silently taken from the image instead; "inf" passed as well.
inline const CLI::Validator& finite_positive() {
  static const CLI::Validator v(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        if (!std::isfinite(value) || value <= 0) return "'" + text + "' must be a finite number > 0";
        return {};
      },
      "POSITIVE");
  return v;
}

// Adds --pixel-mm (excluding the per-axis pair) and --pixel-mm-x / --pixel-mm-y to `cmd`;
// `fallback` says where the pitch comes from when none is given ("image metadata").
inline void add_pitch_options(CLI::App* cmd, PitchOptions& o, const std::string& fallback) {
  auto* both = cmd->add_option("--pixel-mm", o.pixel_mm, "Pixel pitch, mm, both axes (default: " + fallback + ")")
                   ->check(finite_positive());
  auto* x = cmd->add_option("--pixel-mm-x", o.pixel_mm_x, "Pixel pitch across the scan (columns), mm")
                ->check(finite_positive());
  auto* y = cmd->add_option("--pixel-mm-y", o.pixel_mm_y, "Pixel pitch along the scan (rows), mm")
                ->check(finite_positive());
  both->excludes(x)->excludes(y);
}

}  // namespace niikit::cli
