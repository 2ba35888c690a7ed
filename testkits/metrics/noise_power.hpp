// Noise power spectrum (NPS) and normalised NPS (NNPS) from flat images, IEC 62220-1 style
// (DESIGN.md §3.2; method, normalisation and limits: docs/methods/nps-nnps.md).
//
// Steps, per image: take the ROI, subtract a 2-D least-squares polynomial (2nd order by
// default, or a plane), tile it into overlapping tile_px squares (50 % overlap), subtract each
// tile's mean, and accumulate |DFT|² · (pixel_x · pixel_y) / (N · N). Averaged over tiles and
// images this is the 2-D NPS, normalised so that its integral over frequency (sum × Δfx · Δfy)
// equals the variance of the tiles. NNPS = NPS / mean², mean = mean signal of the ROIs before
// detrending. Frequencies are in cycles/mm when both pitches are known, else cycles/pixel.
//
// Curves reported: 1-D NNPS along x at fx = k·Δfx (k = 1 … N/2), the average of the
// `axis_lines` rows of the 2-D NNPS either side of fy = 0, excluding the fy = 0 row itself
// (where row-wise structured noise concentrates); along y likewise with columns; and the
// radial (annular) average, DC excluded. Structured noise is reported apart: the variance of
// column means (stripes along the scan, e.g. detector channel gains) and of row means, each
// corrected for the random noise that leaks into a mean.
// Pure: images and options in, result out. Thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

struct NpsOptions {
  std::optional<RoiPx> roi;  // region of every image; empty = whole image
  double pixel_mm_x = 0.0;   // pitch along x (columns), mm; 0 = unknown (both 0 → per pixel)
  double pixel_mm_y = 0.0;   // pitch along y (rows), mm; 0 = unknown
  int tile_px = 128;         // tile side N, even, 16 … 1024; tiles overlap by N/2
  int detrend_order = 2;     // 1 = plane, 2 = quadratic surface
  int axis_lines = 7;        // rows/columns either side of an axis averaged for 1-D curves, 1 … N/2 − 1
};

struct NnpsPoint {
  double frequency = 0.0;  // cycles/mm, or cycles/pixel when the pitch is unknown
  double nnps = 0.0;       // mm² (or px²)
};

struct NpsResult {
  bool per_pixel = false;        // true: pitch unknown, frequencies in cy/px and NNPS in px²
  double pixel_mm_x = 0.0;
  double pixel_mm_y = 0.0;
  int tile_px = 0;
  int tiles_per_image = 0;
  int image_count = 0;
  int detrend_order = 2;
  int axis_lines = 7;
  double mean_signal = 0.0;            // mean of the ROIs before detrending
  double variance_total = 0.0;         // variance of the detrended ROI, averaged over images
  double variance_tiles = 0.0;         // mean variance of the mean-subtracted tiles
  double nps_integral = 0.0;           // Σ NPS · Δfx · Δfy (equals variance_tiles by Parseval)
  double column_means_variance = 0.0;  // variance of column means (raw, detrended ROI)
  double row_means_variance = 0.0;     // variance of row means (raw)
  double column_structured_variance = 0.0;  // column-mean variance minus random leak σ²_r / H, ≥ 0
  double row_structured_variance = 0.0;     // row-mean variance minus σ²_r / W, ≥ 0
  double column_structured_fraction = 0.0;  // of variance_total
  double row_structured_fraction = 0.0;
  std::vector<NnpsPoint> nnps_x;       // along x (fx), fy ≠ 0 rows averaged
  std::vector<NnpsPoint> nnps_y;       // along y (fy)
  std::vector<NnpsPoint> nnps_radial;  // annular average, bin width max(Δfx, Δfy)
  cv::Mat nps_2d;  // CV_64F N × N, unshifted DFT order: element (l, k) is (fy, fx) bin (l, k), signal² · mm²
  [[nodiscard]] std::string frequency_unit() const { return per_pixel ? "cy/px" : "cy/mm"; }
};

// NPS and NNPS of one or more flat images of the same size (one channel, any depth).
// Input errors: no image, sizes differ, ROI outside or too small for 2 tiles, a bad option,
// mean signal ≤ 0 (NNPS undefined), zero variance (constant image).
Result<NpsResult> measure_nps(const std::vector<cv::Mat>& images, const NpsOptions& options = {});

// Subtracts the least-squares polynomial surface of `order` (0, 1 or 2) from a CV_64F image in
// place, using polynomials orthogonal on the pixel grid. Exposed for tests and for NEQ.
void detrend_polynomial(cv::Mat& values, int order);

}  // namespace niikit::testkits
