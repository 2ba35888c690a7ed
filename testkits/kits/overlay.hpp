// The annotated image of a kit result: the scan windowed to 8 bits (0.5–99.5 percentiles), as
// RGB, with every ROI of every test drawn and labelled, coloured by verdict (pass green, fail
// red, not judged yellow, info blue), the located fiducials marked and a title line.
// Pure: returns pixels; writing the PNG is the caller's business. Thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::testkits::kits {

struct OverlayOptions {
  // Upscale factor applied before drawing so labels stay legible on small scans; 0 = automatic
  // (so that the longer side is at least 1200 px, at most 4). Range 0 or [1, 8].
  int zoom = 0;
};

// CV_8UC3 in BGR order (what testkits::encode_png_pixels writes as an RGB PNG). Input error for an empty
// or multi-channel image.
Result<cv::Mat> render_overlay(const cv::Mat& image, const KitResult& result, const OverlayOptions& options = {});

}  // namespace niikit::testkits::kits
