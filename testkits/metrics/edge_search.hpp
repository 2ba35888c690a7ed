// Finds the strongest straight slanted edge in an image and proposes an ROI for the slanted-edge
// MTF (edge_mtf.hpp) centred on it. Used by `niikit iq mtf IMAGE` without --roi. Method:
// docs/methods/mtf.md ("Finding the edge").
//
// Steps: the image is smoothed (Gaussian σ 1 px) and differentiated (central differences along
// x and along y). Square tiles of roi_side_px (stepping by a quarter tile) are scored for a
// near-vertical edge (per row: the column of the largest |∂I/∂x|) and a near-horizontal one
// (per column: the row of the largest |∂I/∂y|): a least-squares line through those points,
// refitted on the inliers (within 1.5 px); a tile qualifies when ≥ 90 % of its rows (columns)
// are inliers, all of one gradient sign, and the line's tilt from the axis is at least
// min_angle_deg and at most max_angle_deg. Score = median step across the edge (the summed
// derivative over ±3 px around the edge point, image units) × inlier fraction, halved when
// the tilt is outside 2–10° (the slanted-edge method's preferred range). The best tile's ROI
// is moved across the edge so the edge passes through its centre (kept inside the image).
//
// Angle convention (the same as phantom files, the generator and EdgeMtfResult): the edge's
// rotation from its nearest image axis, degrees, positive from +x towards +y (clockwise on
// screen, y points down).
//
// Pure and thread-safe: no I/O, no globals; the image is not modified.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

struct EdgeSearchOptions {
  // Side of the square ROI proposed (and of the search tiles), px. Default 0 = automatic:
  // min(128, half the shorter image side), at least 32. Otherwise range [24, 4096].
  int roi_side_px = 0;
  // Tilts accepted, degrees from the nearest axis: edges nearer 0° or 45° than these are skipped
  // (the slanted-edge MTF refuses within 1° of 0° and 45°). Defaults 1.5 and 40; range
  // 1 ≤ min < max ≤ 44.
  double min_angle_deg = 1.5;
  double max_angle_deg = 40.0;
  // Smallest inlier fraction of a qualifying tile. Default 0.9; range [0.5, 1].
  double min_inlier_fraction = 0.9;
};

struct EdgeSearchResult {
  RoiPx roi;                    // proposed ROI (image px), edge through its centre
  char orientation = 'v';       // 'v' near-vertical edge (MTF along x), 'h' near-horizontal
  double edge_angle_deg = 0.0;  // rotation from the nearest axis, + from +x towards +y
  double step = 0.0;            // median step across the edge, image units (signed: high − low
                                // going towards +x for 'v', +y for 'h')
  double inlier_fraction = 0.0;
  double score = 0.0;
  int tiles_scored = 0;         // tiles fully scored (both orientations; after a quick screen
                                // on the tile's summed signed derivative)
  std::vector<std::string> warnings;  // "angle: ..." (tilt outside 2–10°)
};

// Input error: image empty, multi-channel, or smaller than the ROI side; options out of range;
// "no straight slanted edge found" when no tile qualifies (e.g. only axis-aligned edges).
Result<EdgeSearchResult> find_strongest_edge(const cv::Mat& image, const EdgeSearchOptions& options = {});

}  // namespace niikit::testkits
