// Shared by the kit suites (test_kits_cargo, test_kits_glare, test_kits_others): the shipped
// phantoms, the quick cargo render settings (3 mm pixels), rendering and running a kit that must
// succeed, and how far a located phantom is from the true placement.
#pragma once

#include <boost/test/unit_test.hpp>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::testing::kits {

// A phantom file of the shipped folder ("cargo-iec62523.json").
inline phantoms::Phantom shipped(const std::string& file) {
  auto r = phantoms::load_phantom(phantoms::shipped_phantom_dir() + "/" + file);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  return *r;
}

inline const phantoms::Phantom& cargo_phantom() {
  static const phantoms::Phantom p = shipped("cargo-iec62523.json");
  return p;
}

// The cargo phantom at 3 mm pixels: small, fast renders that keep every feature measurable.
inline phantoms::generator::RenderOptions cargo_quick_options() {
  phantoms::generator::RenderOptions o;
  o.beam = phantoms::generator::BeamPreset::mev;
  o.pixel_mm_x = o.pixel_mm_y = 3.0;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 2.0;
  o.dose_photons = 20000;
  o.supersample = 2;
  o.margin_mm = 60;
  return o;
}

inline phantoms::generator::RenderedScan render_ok(const phantoms::Phantom& p,
                                                   const phantoms::generator::RenderOptions& o) {
  auto s = phantoms::generator::render_scan(p, o);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? std::string() : s.error().message));
  return std::move(*s);
}

inline testkits::kits::KitResult run_kit_ok(const std::string& kit, const testkits::kits::KitInput& in) {
  auto r = testkits::kits::run_kit(kit, in);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  return std::move(*r);
}

// Largest distance (px) between the located and the true position of probe points across `p`.
inline double max_location_error(const testkits::kits::LocatedPhantom& loc, const phantoms::generator::Placement& truth,
                                 const phantoms::Phantom& p) {
  double worst = 0;
  for (double fx : {0.05, 0.5, 0.95})
    for (double fy : {0.05, 0.5, 0.95}) {
      const phantoms::PointMm q{fx * p.width_mm, fy * p.height_mm};
      const auto a = loc.mm_to_px.apply(q);
      const auto b = truth.to_px(q);
      worst = std::max(worst, std::hypot(a.x - b.x_px, a.y - b.y_px));
    }
  return worst;
}

inline double polygon_area(const std::vector<cv::Point2d>& poly) {
  double a = 0;
  for (std::size_t i = 0; i < poly.size(); ++i) {
    const auto& p = poly[i];
    const auto& q = poly[(i + 1) % poly.size()];
    a += p.x * q.y - q.x * p.y;
  }
  return std::abs(a) / 2;
}

}  // namespace niikit::testing::kits
