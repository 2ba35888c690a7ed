// ANSI N42.55 (portable X-ray) image-quality metrics, as NIST's published scoring computes
// them where that is known (DESIGN.md §3.2 "ANSI N42.55 specifics"; method, definitions and
// validation: docs/methods/n4255.md). The portable kit (testkits/kits/) locates the test object
// and calls these with images, ROIs in pixels and the pixel pitch; nothing here locates
// anything beyond the one feature it is pointed at.
//
//  neq_n4255            NEQ_x / NEQ_y at given frequencies from blank images and edge MTFs,
//                       N42.55 definition ("n4255", dimensionless), with the spread over blanks.
//  dynamic_range        brightest 13 × 13 box-blurred open-field value / noise σ of the
//                       darkest step-wedge step whose σ is still > 1.
//  boundary_signal,     organic material detection: per image the relative step across the
//  boundary_snr         sample's outline, 1 − inner band / outer band; SNR = mean / SD over images.
//  measure_square       four edges of a tilted square (lead foil) → lines → corners → side
//                       lengths in mm, aspect ratio, area; image extent from a known side.
//  flatness_of_field    per blank 1 − σ/mean over a centred 170 mm square (NIST's figure), over
//                       blanks mean − 2·SD; plus block means against the global mean.
//  mean_with_spread,    MTF20 (or any figure) averaged over orientations, sample SD as the
//  decide_with_uncertainty  uncertainty; pass only when beyond the limit by k × uncertainty.
//
// Images: one channel, CV_8U, CV_16U or CV_32F (any depth convertible to double), intensities
// linear in dose, open field bright (transmission polarity) unless a function says otherwise.
// Pure functions: no I/O, no globals, inputs not modified; thread-safe. Errors are
// ErrorCode::input with a one-line message naming the metric and the problem.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/neq.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits::n4255 {

// ---- NEQ, N42.55 definition ---------------------------------------------------------------

struct NeqN4255Options {
  double pixel_mm_x = 0.0;                // pitch along x (columns), mm; required > 0
  double pixel_mm_y = 0.0;                // pitch along y (rows), mm; required > 0
  std::vector<double> at_lp_mm = {1.0};   // frequencies read, lp/mm (> 0); N42.55 uses 1 lp/mm
  std::optional<RoiPx> blank_roi;         // region of every blank; empty = whole image
  double max_side_mm = 50.0;              // centred crop of at most this per side, mm; > 0
};

struct NeqN4255Value {
  double f_lp_mm = 0.0;
  std::optional<double> neq;      // mean over blanks; empty when not readable (beyond Nyquist)
  std::optional<double> sd;       // sample SD over blanks (needs ≥ 2 blanks with a value)
  std::vector<double> per_blank;  // one value per blank where readable
};

struct NeqN4255Result {
  std::string definition = "n4255";  // always "n4255": never compare with iec62220 values
  std::string unit = "1";            // dimensionless, on NIST's recipe's own scale
  std::vector<NeqN4255Value> x;      // empty when mtf_x was empty
  std::vector<NeqN4255Value> y;      // empty when mtf_y was empty
  double mean_signal = 0.0;          // S_out averaged over blanks (crop means)
  int blank_count = 0;
  int crop_width_px = 0;             // crop actually used (≤ max_side_mm / pitch)
  int crop_height_px = 0;            // (of the first blank)
  bool sizes_differ = false;         // blanks of different sizes, each cropped on its own
  std::vector<std::string> warnings;  // "range: ..." for an unreadable frequency
};

// Per blank: crop (centred in blank_roi) to ≤ max_side_mm per side; NPS_x = mean over rows of
// |2·DFT(row)/N|²; S_out = crop mean; NEQ_x(f) = S_out²·MTF_x(f)²/NPS_x(f), both curves linearly
// interpolated at f (MTF curve in cy/px, read at f·pitch); then mean and SD over blanks. y the
// same with columns and mtf_y. At least one of mtf_x, mtf_y must be non-empty. Delegates to
// compute_neq (neq.hpp, definition n4255) per blank. Blanks may differ in size (each is cropped
// on its own).
Result<NeqN4255Result> neq_n4255(const std::vector<cv::Mat>& blanks, const std::vector<MtfPoint>& mtf_x,
                                 const std::vector<MtfPoint>& mtf_y, const NeqN4255Options& options);

// ---- Dynamic range ------------------------------------------------------------------------

struct DynamicRangeOptions {
  int box_px = 13;              // box-blur side for the open-field maximum, px; odd, 1 … 101
  double min_step_sigma = 1.0;  // a step counts only when its σ is > this (image units); ≥ 0
  // Noise box at the centre of each step ROI, px (x, y): N42.55's reference scoring takes σ in a
  // 1 mm × 1 mm box, not over the whole step (so slow shading across the step is not noise).
  // 0 = the whole step ROI. A box larger than the ROI is clipped to it.
  int noise_box_px_x = 0;
  int noise_box_px_y = 0;
};

struct StepNoise {
  int index = 0;       // position in the step_rois argument
  double mean = 0.0;   // image units
  double sigma = 0.0;  // sample SD of the ROI pixels (no detrending), image units
};

struct DynamicRangeResult {
  double open_max = 0.0;        // brightest box-blurred value over the open-field ROIs
  int open_roi_index = 0;       // which open-field ROI held it
  cv::Point open_max_px;        // image pixel (centre of the box) where it was found
  int step_index = -1;          // step used: the lowest mean among steps with σ > min_step_sigma
  double step_mean = 0.0;
  double step_sigma = 0.0;
  double dynamic_range = 0.0;   // open_max / step_sigma, dimensionless
  std::vector<StepNoise> steps;  // every step, in argument order
  std::vector<std::string> warnings;  // "starved: ..." when steps had σ ≤ min_step_sigma
};

// The darkest step is chosen by its mean (lowest mean), so the ROIs may come in any order;
// steps whose σ ≤ min_step_sigma (at the detector floor, or clipped) are skipped with a
// warning. Errors: no open-field or no step ROI, an ROI outside the image, an open ROI smaller
// than box_px, a step ROI under 4 × 4 px, no step with σ > min_step_sigma.
Result<DynamicRangeResult> dynamic_range(const cv::Mat& image, const std::vector<RoiPx>& open_rois,
                                         const std::vector<RoiPx>& step_rois, const DynamicRangeOptions& options = {});

// ---- Organic material detection (boundary SNR) -------------------------------------------

struct BoundaryOptions {
  double band_px = 6.0;  // width of the inner and of the outer band, px; > 0
  double gap_px = 2.0;   // pixels closer than this to the outline are left out (blur), px; ≥ 0
};

struct BoundarySignal {
  double inner_mean = 0.0;   // mean of pixels inside the outline, gap < distance ≤ gap + band
  double outer_mean = 0.0;   // mean of pixels outside the outline, same distances
  long long inner_pixels = 0;
  long long outer_pixels = 0;
  double difference = 0.0;   // outer_mean − inner_mean, image units (> 0 when the sample attenuates)
  double signal = 0.0;       // boundary signal = 1 − inner_mean / outer_mean (relative, as NIST's
                             // scoring: dimensionless, independent of the gain of each image)
};

// Boundary signal of one image: `outline` is the sample's outline in image pixel coordinates
// (a closed polygon, ≥ 3 vertices, pixel centres at integer coordinates, e.g. the four
// corners of the located plastic block). Errors: fewer than 3 vertices, a band pixel outside
// the image, fewer than 20 pixels in either band.
Result<BoundarySignal> boundary_signal(const cv::Mat& image, const std::vector<cv::Point2d>& outline,
                                       const BoundaryOptions& options = {});

struct BoundarySnrResult {
  std::vector<double> signals;  // as given
  double mean = 0.0;
  double sd = 0.0;              // sample SD (n − 1)
  double snr = 0.0;             // |mean| / sd
};

// SNR of boundary signals over images (e.g. the four orientations). Errors: fewer than 2
// signals, SD = 0.
Result<BoundarySnrResult> boundary_snr(const std::vector<double>& signals);

// ---- Tilted square: sides, aspect ratio, area, image extent -------------------------------

struct SquareOptions {
  double pixel_mm_x = 0.0;          // pitch along x, mm; > 0
  double pixel_mm_y = 0.0;          // pitch along y, mm; > 0
  std::optional<double> known_side_mm;  // true side of the square, mm; when set, the image
                                        // extent is also computed with the pitch it implies
  double edge_trim = 0.15;          // fraction of each side left out at both ends (corners); 0 … 0.4
  double profile_half_px = 8.0;     // half-length of the profiles across each edge, px; ≥ 3
};

struct SquareSide {
  cv::Point2d from_px, to_px;  // fitted corners it joins
  double length_px = 0.0;      // Euclidean, in pixels (x and y steps of one pixel)
  double length_mm = 0.0;      // with pitch x/y
  double fit_rms_px = 0.0;     // RMS distance of its edge points to the fitted line
  int points = 0;              // edge points used
};

struct SquareResult {
  std::array<cv::Point2d, 4> corners_px;  // clockwise on screen from the top-left-most corner
  std::array<SquareSide, 4> sides;        // sides[i] joins corners i and i + 1: top, right, bottom, left
  double angle_deg = 0.0;                 // tilt of the top side from the x axis (y down), degrees,
                                          // in mm at the detector (pitch applied)
  double width_mm = 0.0;                  // mean of top and bottom side lengths
  double height_mm = 0.0;                 // mean of left and right side lengths
  double aspect_ratio = 0.0;              // width_mm / height_mm (1 for a true square)
  double aspect_deviation = 0.0;          // |1 − height_mm / width_mm|, the figure NIST's scoring
                                          // reports (0 for a true square)
  double area_mm2 = 0.0;                  // polygon area of the four corners, with pitch
  // With known_side_mm: the pitch the square implies (known / measured, per axis, from the
  // sides nearest each axis) and the whole image's extent and area with that pitch. Without it,
  // the extent uses the given pitch.
  double implied_pixel_mm_x = 0.0;
  double implied_pixel_mm_y = 0.0;
  double image_width_mm = 0.0;
  double image_height_mm = 0.0;
  double image_area_mm2 = 0.0;
  std::vector<std::string> warnings;      // "fit: ..." when an edge fit is poor
};

// Measures the square (dark or bright against its surroundings; polarity found from the ROI
// centre vs its border) inside `roi`, which must hold the whole square with a margin of at
// least profile_half_px on every side. Steps: threshold at mid-level → largest contour → four
// rough corners; per side, sub-pixel 50 % crossings on profiles across the edge (central part
// of the side) → total-least-squares line; adjacent lines intersected → corners. Errors: ROI
// outside the image or under 24 × 24 px, no contrast, no four-sided outline found, an edge
// with too few points, tilt within 1° of 45° (sides ambiguous).
Result<SquareResult> measure_square(const cv::Mat& image, const RoiPx& roi, const SquareOptions& options);

// ---- Flatness of field ---------------------------------------------------------------------

struct FlatnessOptions {
  double pixel_mm_x = 0.0;    // pitch along x, mm; > 0 (sizes the 170 mm region)
  double pixel_mm_y = 0.0;    // pitch along y, mm; > 0
  double region_mm = 170.0;   // side of the centred square region, mm; clamped to the image
                              // less 2 px per axis (as NIST's scoring does); > 0
  int grid_x = 8;             // blocks across the region for the block figures, 1 … 256
  int grid_y = 8;             // blocks down, 1 … 256
};

struct FlatnessResult {
  RoiPx region;                            // centred region actually used
  double coverage_x = 0.0;                 // region width / region_mm (< 1 when the image is smaller)
  double coverage_y = 0.0;
  std::vector<double> per_blank;           // 1 − σ/mean of the region, one per blank
  double flatness = 0.0;                   // mean(per_blank) − 2·SD(per_blank, population): NIST's figure
  double flatness_mean = 0.0;              // mean(per_blank)
  double flatness_sd = 0.0;                // population SD of per_blank (0 for one blank)
  // Block figures on the average of the blanks over the region (grid_y × grid_x blocks whose
  // sizes differ by at most one pixel):
  double global_mean = 0.0;
  cv::Mat block_means;                     // CV_64F grid_y × grid_x
  double block_min = 0.0, block_max = 0.0;
  double max_relative_deviation = 0.0;     // max over blocks |block − global| / global
  double nonuniformity = 0.0;              // (block_max − block_min) / (block_max + block_min)
  int blank_count = 0;
  bool sizes_differ = false;               // blanks of different sizes: each region centred in its own blank
};

// Blanks may differ in size: the region is sized for the smallest blank and centred in each.
// Errors: no blank, a blank not one channel, pitch not > 0, region under
// 8 × 8 px, blocks under 2 × 2 px, a mean ≤ 0.
Result<FlatnessResult> flatness_of_field(const std::vector<cv::Mat>& blanks, const FlatnessOptions& options);

// ---- Averages over orientations and decisions with uncertainty ----------------------------

struct MeanWithSpread {
  double mean = 0.0;
  double sd = 0.0;  // sample SD (n − 1); 0 when n == 1
  int n = 0;
};

// Mean and sample SD of several values (e.g. MTF20 from the four orientations). Error when
// empty or a value is not finite.
Result<MeanWithSpread> mean_with_spread(const std::vector<double>& values);

enum class LimitKind { minimum, maximum };

struct UncertainDecision {
  bool pass = false;
  double margin = 0.0;  // minimum: value − k·u − limit; maximum: limit − (value + k·u); pass ⇔ margin ≥ 0
};

// "Passes when beyond the limit by the stated uncertainty": for a minimum, value − k·u ≥ limit;
// for a maximum, value + k·u ≤ limit. u ≥ 0, k ≥ 0 (default 1).
UncertainDecision decide_with_uncertainty(double value, double uncertainty, double limit, LimitKind kind,
                                          double coverage_k = 1.0);

// ---- MTF as N42.55's reference scoring computes it
// measure_edge_mtf() returns the physical MTF: it divides out its own derivative and binning.
// N42.55's reference code differentiates the image with the kernel [-0.5, 0, 0.5] at whole-pixel
// spacing and does not divide by that kernel's transfer sin(2πf)/(2πf) (f in cy/px), so its
// MTF is the physical one times that factor. reference_mtf() applies the factor (|value|, as a
// modulus); MTF20 read on it is the figure N42.55 requirements are judged on.
std::vector<MtfPoint> reference_mtf(const std::vector<MtfPoint>& physical);

// First frequency (cy/px) where the curve falls to `level` (linear interpolation); nullopt
// when it stays above it.
std::optional<double> mtf_crossing(const std::vector<MtfPoint>& curve, double level);

}  // namespace niikit::testkits::n4255
