// Slanted-edge MTF (ISO 12233 / IEC 62220-1 style) of one straight edge in a grayscale image.
//
// measure_edge_mtf() takes one image plane (CV_8U, CV_16U or CV_32F, one channel, intensities
// linear in dose — never the log image) and options, and returns the MTF along the axis
// across the edge: a near-vertical edge gives the MTF along x (columns), a near-horizontal
// edge the MTF along y (rows). Method and validation: docs/methods/mtf.md.
//
// Steps: per row (per column for a near-horizontal edge) the edge is located by the centroid
// of the derivative of the lightly smoothed profile; a least-squares line through these
// points gives the edge angle, refined once with a narrower window around the fitted line;
// pixel centres are projected onto the edge normal and averaged into an oversampled ESF
// (bins_per_px bins per pixel, h = 1/bins_per_px px); LSF = central difference of the ESF,
// times a Tukey window (flat over the inner half, cosine taper) centred on the fitted edge
// (the derivative centroid); MTF = |DFT(LSF)| / DFT at f = 0, divided by the transfer function
// of the measurement itself — the central difference, sinc(2π f h), and the averaging into
// bins of width h, sinc(π f h), with sinc(x) = sin(x)/x and f in cy/px — and reported from 0 to
// the Nyquist frequency 0.5 cy/px. Frequencies are along the edge normal (px of distance across
// the edge), i.e. along x for a near-vertical edge and along y for a near-horizontal one.
//
// Errors (Error with ErrorCode::input): ROI outside the image or smaller than
// min_across_px × min_along_px; no edge (contrast < 5 σ of the noise); edge within 1° of 0°
// or 45°; the ESF bins poorly filled (more than 10 % of the bins inside the LSF window empty,
// typical of angles near simple fractions such as 26.57° or 18.43°). Warnings (the result
// carries them, named by a fixed prefix): "saturated: ...", "angle: ..." (outside 2–10°),
// "empty bins: ..." (some bins interpolated), "mtf50 not reached ..." (and mtf20/mtf10).
//
// Pure and thread-safe: no I/O, no globals; the input image is not modified.
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

struct EdgeMtfOptions {
  // Region holding one straight edge, in image pixels. Default (unset): the whole image,
  // which must then contain a single dominant edge. Must lie inside the image.
  std::optional<RoiPx> roi;
  // ESF oversampling, bins per pixel along the edge normal. Default 4; valid 2..16.
  int bins_per_px = 4;
  // Pixel pitch, mm, across (x, columns) and along (y, rows) the scan; 0 = unknown (then the
  // lp/mm figures are left unset). Valid: 0 or > 0.
  double pixel_mm_x = 0.0;
  double pixel_mm_y = 0.0;
  // Smallest half-width of the Tukey window applied to the LSF, px along the edge normal. The
  // half-width used is max(this, 3 × the ESF 10–90 % rise distance), clamped to the ESF extent
  // (the edge's distance to the ROI border). Default 16 px; valid ≥ 2.
  double lsf_window_half_width_px = 16.0;
  // Smallest ROI accepted: px across the edge and rows (columns) along it. Defaults 20, 20.
  int min_across_px = 20;
  int min_along_px = 20;
  // Number of curve points from 0 to 0.5 cy/px inclusive (uniform step). Default 51; 2..1001.
  int curve_points = 51;
};

struct MtfPoint {
  double f_cy_px = 0.0;   // spatial frequency, cycles per pixel
  double mtf = 0.0;       // modulation transfer, 1 at f = 0
};

struct EdgeMtfResult {
  double edge_angle_deg = 0.0;  // rotation of the edge from its nearest image axis, degrees,
                                // + from +x towards +y (clockwise on screen, y down; the phantom
                                // and generator convention): −atan(dx/dy) for 'v', atan(dy/dx)
                                // for 'h'
  char orientation = 'v';       // 'v' near-vertical edge → MTF along x; 'h' → MTF along y
  RoiPx roi;                    // ROI actually analysed
  // Frequencies at which the MTF first falls to 0.5 / 0.2 / 0.1, cycles per pixel (linear
  // interpolation); unset (with a warning) if not reached below the Nyquist frequency.
  std::optional<double> mtf50_cy_px, mtf20_cy_px, mtf10_cy_px;
  // The same in line pairs per mm; unset when the pitch along the measured axis is unknown.
  std::optional<double> mtf50_lp_mm, mtf20_lp_mm, mtf10_lp_mm;
  std::vector<MtfPoint> curve;        // 0 .. 0.5 cy/px (Nyquist), options.curve_points points
  std::vector<std::string> warnings;  // each starts with a fixed name: "saturated: ..." etc.
  double pixel_mm = 0.0;              // pitch along the measured axis, mm; 0 = unknown
  double edge_contrast = 0.0;         // |high − low| plateau difference, image units
  double noise_sigma = 0.0;           // noise estimate used for the edge test, image units
};

// Measures the MTF of the one straight edge in `image` (or options.roi). Input errors as
// listed above; never returns a number without the warnings that qualify it.
Result<EdgeMtfResult> measure_edge_mtf(const cv::Mat& image, const EdgeMtfOptions& options = {});

// Interpolates the MTF curve at `f_cy_px` (linear; nullopt outside the curve's range).
std::optional<double> mtf_at(const EdgeMtfResult& result, double f_cy_px);

}  // namespace niikit::testkits
