// Noise-equivalent quanta (NEQ) from an MTF and flat (blank) images, under one of two
// definitions that are NOT comparable and are always named apart (DESIGN.md §3.2; method:
// docs/methods/neq.md):
//
//  iec62220  IEC 62220-1 style: NEQ(f) = MTF(f)² / NNPS(f), NNPS the 1-D NNPS along the axis
//            from testkits::measure_nps (2-D tiles, axis excluded), in 1/mm².
//  n4255     ANSI N42.55 as NIST's published scoring code computes it: each blank is cropped
//            (centred) to at most 50 mm per side; along x the 1-D DFT of every row, each
//            normalised as |2·DFT/N|² (N = row length), averaged over rows = NPS_x; S_out =
//            mean of the blank; NEQ_x(f) = S_out² · MTF_x(f)² / NPS_x(f); averaged over blanks.
//            y: the same with columns and MTF_y. Dimensionless on that recipe's own scale.
//
// The MTF curves come from the slanted-edge MTF (testkits/metrics/edge_mtf.hpp) in cycles per
// pixel; they are read at f_cy_px = f_lp_mm · pixel pitch (linear interpolation). Pure:
// curves, images and options in, result out. Thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

enum class NeqDefinition { iec62220, n4255 };
std::string_view neq_definition_name(NeqDefinition definition);      // "iec62220", "n4255"
std::optional<NeqDefinition> parse_neq_definition(std::string_view text);

struct NeqOptions {
  NeqDefinition definition = NeqDefinition::iec62220;
  double pixel_mm_x = 0.0;                  // pitch along x (columns), mm; required > 0
  double pixel_mm_y = 0.0;                  // pitch along y (rows), mm; required > 0
  std::vector<double> at_lp_mm = {1.0};     // frequencies to report, lp/mm (> 0); N42.55 reads 1 lp/mm
  std::optional<RoiPx> flat_roi;            // region of every blank; empty = whole image
  int tile_px = 128;                        // iec62220: NPS tile side (see NpsOptions)
  double n4255_max_side_mm = 50.0;          // n4255: centred crop, at most this per side
};

struct NeqAt {
  double f_lp_mm = 0.0;
  std::optional<double> neq;  // empty when f is outside the MTF curve or the NPS range (warning)
};

struct NeqResult {
  NeqDefinition definition = NeqDefinition::iec62220;
  std::string unit;                   // "1/mm2" (iec62220) or "1" (n4255, the recipe's own scale)
  double mean_signal = 0.0;           // mean of the blanks (ROI, or the crops for n4255)
  int blank_count = 0;
  int crop_width_px = 0;              // n4255: crop actually used; iec62220: the ROI
  int crop_height_px = 0;
  std::vector<NeqAt> neq_x_at;        // empty when no MTF along x was given
  std::vector<NeqAt> neq_y_at;        // empty when no MTF along y was given
  std::vector<std::string> warnings;
};

// NEQ along x (from `mtf_x`, may be empty) and y (`mtf_y`, may be empty) at options.at_lp_mm.
// Input errors: no MTF curve at all, no blank, blanks of different size, pitch not > 0, a
// frequency not > 0, ROI/crop too small, mean signal ≤ 0; plus measure_nps errors (iec62220,
// e.g. zero variance). A value that cannot be read (beyond Nyquist, zero noise) stays empty
// with a warning "range: ...".
Result<NeqResult> compute_neq(const std::vector<MtfPoint>& mtf_x, const std::vector<MtfPoint>& mtf_y,
                              const std::vector<cv::Mat>& blanks, const NeqOptions& options);

}  // namespace niikit::testkits
