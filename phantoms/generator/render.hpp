// The synthetic scan generator (DESIGN.md §3.3): phantom + options in, 16-bit images + truth out.
//
//   auto scan = render_scan(phantom, options);   // Result<RenderedScan>
//   scan->planes[0]  single-energy image, or the high-energy plane of a dual-energy pair
//   scan->planes[1]  the low-energy plane (dual-energy presets only)
//   truth_to_json(scan->truth)                   // the truth document (truth.hpp)
//
// Pipeline: placement (mm → px) → forward model (forward_model.hpp: supersampled thickness
// maps, Beer–Lambert, Gaussian PSF, pixel integration) → detector (detector_model.hpp: Poisson
// + electronic noise, gain stripes, dark offset, 16-bit) → truth (truth.hpp). See
// docs/generator.md. Pure: no printing, no files; the only side effect is the optional
// progress callback. Reproducible: same phantom, options and seed give bit-identical images.
// Thread-safe (uses OpenCV's thread pool internally).
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <utility>
#include <vector>

#include "phantoms/generator/forward_model.hpp"
#include "phantoms/generator/render_options.hpp"
#include "phantoms/generator/truth.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/image/image.hpp"

namespace niikit::phantoms::generator {

struct RenderedScan {
  std::vector<testkits::Image> planes;     // CV_16UC1 with pixel pitch and energy channel set
  std::vector<cv::Mat> expected_photons;   // CV_32FC1 noise-free photons per pixel, per plane
  Truth truth;
  std::vector<std::pair<std::string, double>> stage_seconds;  // "forward_model", "detector", "truth"
};

// ErrorCode::input for options out of range or an image too large; ErrorCode::internal when
// OpenCV fails (e.g. memory).
Result<RenderedScan> render_scan(const Phantom& phantom, const RenderOptions& options, const ProgressFn& progress = {});

}  // namespace niikit::phantoms::generator
