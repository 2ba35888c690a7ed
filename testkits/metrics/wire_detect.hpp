// Wire detection score with an empirically calibrated threshold (DESIGN.md §3.2 "Wire
// detection"; method and validation: docs/methods/wire.md).
//
// detect_wire() answers "is a straight thin wire visible in this ROI, near this angle?":
//   1. background removal: a least-squares 2-D polynomial (order background_order) is
//      subtracted from the ROI;
//   2. Radon-style projections: for every angle θ of the search (nominal ± half range, step
//      angle_step_deg) the pixels are averaged along lines of direction θ into 1-px bins of
//      their signed offset along the normal; bins covered by fewer than half the pixels of the
//      fullest bin (the corners of the rotated strip) are dropped; each bin is scaled by
//      √(its pixel count) so every bin has the same noise σ;
//   3. the profile's slow background is removed by a running median (profile_background_px);
//      the profile is smoothed by a box of wire_width_px when that is > 1 (matched filter);
//   4. z-score of every bin against the profile's median and robust σ (1.4826·MAD of the bins
//      farther than exclusion_half_width_px from the candidate peak), signed so that the
//      wire's expected polarity is positive;
//   5. score = the maximum z over angles and offsets.
// The maximum of many correlated z-scores is not Gaussian: in wire-free noise it follows an
// extreme-value (Gumbel) law. The threshold is the (1 − false_alarm_rate) quantile of a
// Gumbel fitted by the method of moments to the scores of wire-free ROIs of the same size and
// search: either ROIs the user supplies (calibrate_wire_threshold_rois, e.g. wire-free areas
// of the same image) or simulated white Gaussian noise (calibrate_wire_threshold_noise, fixed
// seed, deterministic).
//
// Angle convention: degrees from the image +x axis (columns, to the right) towards +y (rows,
// downwards), i.e. clockwise on screen; the same as phantoms::Wire::angle_deg() =
// atan2(y2 − y1, x2 − x1) in the phantom files and the generator. Angles are taken modulo
// 180° and reported in (−90°, 90°].
// Offset convention: signed distance, px, from the ROI centre ((w − 1)/2, (h − 1)/2) to the
// wire axis along the normal n = (−sin θ, cos θ) (for a near-horizontal wire: positive = below
// the centre).
//
// Pure and thread-safe: no I/O, no globals; inputs are not modified; randomness only from the
// seed passed in.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

// Smallest ROI side accepted, px (a smaller ROI is an input error); below
// wire_roi_small_side_px a "roi: ..." warning is added (few pixels per line, noisy score).
inline constexpr int wire_roi_min_side_px = 8;
inline constexpr int wire_roi_small_side_px = 32;

struct WireDetectOptions {
  // Nominal angle of the wire axis, degrees, from +x towards +y (see the header comment). Any
  // finite value (taken modulo 180°). Default 10°. Wires should be slanted 5–15° to the grid.
  double nominal_angle_deg = 10.0;
  // Half width of the angle search around the nominal angle, degrees. Default 3; range [0, 20].
  double angle_half_range_deg = 3.0;
  // Step of the angle search, degrees. Default 0.25; range [0.01, 5].
  double angle_step_deg = 0.25;
  // Polarity: true (default) = the wire lowers the intensity (attenuating wire in a
  // transmission image); false = the wire is brighter (e.g. an attenuation / log image).
  bool wire_darker = true;
  // Requested false-alarm rate: probability that a wire-free ROI scores above the threshold.
  // Default 0.01; range [1e-4, 0.5].
  double false_alarm_rate = 0.01;
  // Order of the 2-D least-squares polynomial background removed first: 0 (mean), 1 (plane)
  // or 2 (quadratic, default).
  int background_order = 2;
  // Window of the running median removed from each projection profile, px (bins). Must be
  // well over the wire's width in px (≥ 3×). Default 15; 0 = off; otherwise odd, range [5, 501].
  int profile_background_px = 15;
  // Expected wire width in the image, px: when > 1 the profile is smoothed by a box of this
  // width before the z-score (matched filter for wires wider than a pixel). Default 1 (no
  // smoothing); range [1, 51].
  int wire_width_px = 1;
  // Bins within this distance of a candidate peak are left out of its robust σ, px. Default 3;
  // range [0, 50]. Raised automatically to at least wire_width_px.
  int exclusion_half_width_px = 3;
  // True when the ROI is a strip resampled along the expected wire (sample_wire_strip()), the
  // wire near the strip's rows (nominal angle ≈ 0). Then (a) the "angle: ..." warning is not
  // emitted (the strip's pixel grid is not the detector's, so detector row/column artefacts do
  // not line up with the search) and (b) the noise σ of each projection bin is measured from
  // the spread of that bin over K segments cut along the strip's length (K = length/8 px,
  // clamped to [3, 8]; median over the off-peak bins) instead of from the profile's off-peak
  // bins: narrow strips (9–30 px across the wire) keep a stable σ; (c) the peak is searched only
  // within ±max(2, wire_width_px) bins of the strip's centre line (where the located wire is).
  // The profile level is the median of the off-peak bins.
  // Default false.
  bool resampled_strip = false;
};

// A calibrated decision threshold for detect_wire() scores.
struct WireThreshold {
  double location = 0.0;        // Gumbel location μ of the wire-free maximum score
  double scale = 0.0;           // Gumbel scale β (> 0)
  double threshold = 0.0;       // μ − β·ln(−ln(1 − false_alarm_rate)): score ≥ this = detected
  double false_alarm_rate = 0;  // the rate the threshold was set for
  int samples = 0;              // wire-free ROIs the fit used
  std::string source;           // "noise-simulation" or "wire-free-rois"
  std::uint64_t seed = 0;       // seed of the simulation (0 for wire-free ROIs)
  // The ROI size and angle search the calibration was made for: detect_wire() warns
  // ("calibration: ...") when they differ from its own.
  int roi_width_px = 0;
  int roi_height_px = 0;
  double angle_half_range_deg = 0.0;
  double angle_step_deg = 0.0;
  // Mean and σ of the calibration scores (diagnostics; the Gumbel moments come from them).
  double score_mean = 0.0;
  double score_sigma = 0.0;
};

struct WireScore {
  double score = 0.0;             // max z over angles and offsets (≥ 0 means wire-like)
  double angle_deg = 0.0;         // angle of the best line, degrees, in (−90, 90]
  double offset_px = 0.0;         // signed distance of the best line from the ROI centre, px
  double x_px = 0.0, y_px = 0.0;  // point of the best line nearest the ROI centre, ROI px
  bool detected = false;          // score ≥ threshold.threshold
  WireThreshold threshold;        // the threshold used (copied, for traceability)
  double false_alarm_rate = 0.0;  // = threshold.false_alarm_rate
  // Mean intensity change on the best line relative to its neighbourhood, image units,
  // positive when the wire has the expected polarity; and that change divided by the ROI's
  // mean intensity (0 when the mean is 0).
  double contrast = 0.0;
  double contrast_rel = 0.0;
  double noise_sigma = 0.0;       // robust σ of the best profile, image units per pixel
  int angles_searched = 0;
  // Named by a fixed prefix: "roi: ..." (small ROI), "saturated: ...", "angle: ..." (search
  // within 1° of 0° or 90°, where row/column artefacts mimic wires), "calibration: ..."
  // (threshold made for another ROI size or search).
  std::vector<std::string> warnings;
};

// The score of one ROI (steps 1–5), without a decision: detected = false, threshold empty.
// `roi_image`: the ROI itself (CV_8U, CV_16U or CV_32F, one channel). Input errors: empty or
// multi-channel image, side < wire_roi_min_side_px, options out of range, a flat ROI (no
// noise: σ = 0).
Result<WireScore> score_wire(const cv::Mat& roi_image, const WireDetectOptions& options);

// score_wire() plus the decision against `threshold`.
Result<WireScore> detect_wire(const cv::Mat& roi_image, const WireDetectOptions& options, const WireThreshold& threshold);

// Convenience: the ROI `roi` of `image` (input error when outside or too small); x_px/y_px of
// the result are then in image pixels.
Result<WireScore> detect_wire(const cv::Mat& image, const RoiPx& roi, const WireDetectOptions& options, const WireThreshold& threshold);

// Threshold from `samples` ROIs of white Gaussian noise of `roi_size`, drawn with cv::RNG(seed):
// deterministic. samples range [20, 100000]; default 200.
inline constexpr std::uint64_t wire_calibration_default_seed = 20240611;
Result<WireThreshold> calibrate_wire_threshold_noise(cv::Size roi_size, const WireDetectOptions& options, int samples = 200,
                                                     std::uint64_t seed = wire_calibration_default_seed);

// Threshold from wire-free ROIs supplied by the caller (at least 10, all of one size, same depth
// rules as score_wire). The ROI size recorded is that of the first ROI.
Result<WireThreshold> calibrate_wire_threshold_rois(const std::vector<cv::Mat>& wire_free_rois, const WireDetectOptions& options);

// Cuts ROI-sized windows (`window`) out of the calibration areas `areas` of `image`, stepping by
// half a window; convenient for feeding calibrate_wire_threshold_rois() from a few large
// wire-free areas of the same image. Input error when an area is outside the image or smaller
// than the window.
Result<std::vector<cv::Mat>> tile_calibration_rois(const cv::Mat& image, std::span<const RoiPx> areas, cv::Size window);

// Resamples (bilinear, cv::warpAffine) the strip of `image` around the segment start_px →
// end_px (image pixel coordinates, pixel centres at integers): the result has
// round(|end − start|) columns along the segment and 2·round(half_width_px) + 1 rows across it,
// CV_32F, the segment on its centre row running left to right (column u ↔ start + u·d, row v ↔
// offset (v − centre)·n with d the unit direction and n = (−d_y, d_x)). Score it with
// nominal_angle_deg = 0 and resampled_strip = true. Input error when the image is empty or
// multi-channel, the segment is shorter than wire_roi_min_side_px, half_width_px < 4 or any
// corner of the strip falls outside the image.
Result<cv::Mat> sample_wire_strip(const cv::Mat& image, cv::Point2d start_px, cv::Point2d end_px, double half_width_px);

// Gumbel (maximum) fit by the method of moments: β = σ·√6/π, μ = mean − γ·β (γ Euler's
// constant). Scores must hold ≥ 2 values with σ > 0 (otherwise scale = 0).
struct GumbelFit {
  double location = 0.0;
  double scale = 0.0;
};
GumbelFit fit_gumbel_moments(std::span<const double> maxima);
// The quantile q ∈ (0, 1) of a Gumbel(location, scale): μ − β·ln(−ln q).
double gumbel_quantile(const GumbelFit& fit, double q);

}  // namespace niikit::testkits
