// Thickness along the beam of the phantom's solids (boxes, discs, wires), evaluated at a point
// in mm or rasterised onto a supersampled grid in pixel coordinates.
//
// Each solid is reduced to an affine map into its own local frame plus a shape test there:
// box |u| ≤ w/2, |v| ≤ h/2; disc u² + v² ≤ r²; wire 0 ≤ u ≤ length, |v| ≤ r with the chord
// 2·sqrt(r² − v²). Rasterising point-samples the thickness at each supersample centre (the
// sample's share of a pixel is averaged later, which for an edge in general position gives
// the continuous pixel aperture). Pure functions over plain values: thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <vector>

#include "phantoms/generator/placement.hpp"
#include "phantoms/phantom.hpp"

namespace niikit::phantoms::generator {

inline constexpr std::size_t material_count = 8;  // entries of phantoms::Material
using MaterialStack = std::array<double, material_count>;  // thickness in mm per material

enum class SolidKind { box, disc, wire };

struct LocalSolid {
  SolidKind kind = SolidKind::box;
  Material material = Material::air;
  double thickness_mm = 0;   // box and disc; for a wire the chord is computed
  double half_u = 0;         // box: w/2; disc: r; wire: length
  double half_v = 0;         // box: h/2; disc: r; wire: r
  Affine2 mm_to_local;       // phantom mm → local frame (u, v) in mm

  [[nodiscard]] double thickness_at_local(double u, double v) const;
  [[nodiscard]] double thickness_at(PointMm p) const {
    const auto q = mm_to_local.apply(p);
    return thickness_at_local(q.x_mm, q.y_mm);
  }
  // Corners of the solid's bounding box in its local frame.
  [[nodiscard]] std::array<PointMm, 4> local_bounds() const;
};

std::vector<LocalSolid> local_solids(const std::vector<SolidItem>& items);

// Thickness per material at a point of the phantom (sum over every solid covering it).
MaterialStack stack_at(const std::vector<LocalSolid>& solids, PointMm p);

// A supersampled canvas in detector pixel coordinates: sample (i, j) has its centre at
//   x_px = origin_col + (i + ½)/S − ½,  y_px = origin_row + (j + ½)/S − ½.
struct Canvas {
  int origin_col = 0;  // detector column of the canvas's left edge (may be negative)
  int origin_row = 0;  // detector row of the canvas's top edge (may be negative)
  int supersample = 1;
  int cols = 0;        // samples
  int rows = 0;        // samples
};

// Adds each solid's thickness into maps[material] (CV_32F, canvas-sized). A map is (re)sized and
// zeroed on its material's first use in the call, so buffers can be reused from band to band;
// returns which materials were used (the other maps hold stale data). `px_to_mm` is the inverse
// of the placement.
std::array<bool, material_count> rasterise(const std::vector<LocalSolid>& solids, const Affine2& px_to_mm,
                                           const Canvas& canvas, std::array<cv::Mat, material_count>& maps);

}  // namespace niikit::phantoms::generator
