// Locating a phantom in a scan (DESIGN.md §3.2 "Locating the phantom"; docs/kits.md).
//
// estimate_levels() reads the open-beam (air) level, the noise and the polarity from the
// image alone: air is the histogram mode, polarity is which side of it holds the attenuating
// material (raw counts: darker; log or inverted images: brighter). No renderer grey level is
// assumed.
//
// locate_phantom() finds the phantom's fiducial discs as compact blobs of the expected size
// (±15 % scale), refines each to a sub-pixel centroid of the background-subtracted signal in a
// circular window, matches blobs to the phantom's fiducials by trying every pair ↔ pair
// similarity (proper or mirrored, scale 0.8–1.25 at the nominal pitch) and keeping the one that
// explains most blobs, then fits a least-squares affine mm → px (x and y scale apart) to the
// matched fiducials. It refuses (ErrorCode::input, "phantom not found: ...") when fewer than 3
// fiducials match or the RMS residual exceeds KitOptions::max_residual_px. Overrides
// (centre, angle, scale, flips) constrain the match; centre + angle + scale together stand in
// for the fit when no fiducial is found.
//
// Pure functions; thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::testkits::kits {

struct ImageLevels {
  double air = 0;          // open-beam level, image units (histogram mode)
  double noise_sigma = 0;  // per-pixel noise at the air level, image units (robust)
  bool inverted = false;   // attenuating material is brighter than air
  double low = 0, high = 0;  // 0.1 and 99.9 percentiles
};

// Input error when the image is constant or not one channel.
Result<ImageLevels> estimate_levels(const cv::Mat& image);

// "Signal" image: CV_32F, 0 in air, positive where material attenuates (air − I, or I − air
// for inverted images).
cv::Mat signal_image(const cv::Mat& image, const ImageLevels& levels);

// Locates `phantom` in `image` with pixel pitch (mm) pitch_x / pitch_y (> 0). The returned
// LocatedPhantom carries the levels (air_level; dark_level = 0, see docs/kits.md), the
// polarity and every fiducial's match. `warnings` receives non-fatal notes (3-point fit,
// ambiguous orientation, fiducials missing).
Result<LocatedPhantom> locate_phantom(const cv::Mat& image, const phantoms::Phantom& phantom, double pitch_x_mm,
                                      double pitch_y_mm, const KitOptions& options,
                                      std::vector<std::string>& warnings);

}  // namespace niikit::testkits::kits
