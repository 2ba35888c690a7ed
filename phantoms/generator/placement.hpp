// Where the phantom lands in the image: the mm → px affine transform and the image size.
//
// Pixel coordinates: x = column, y = row, the centre of the top-left pixel at (0, 0), so pixel
// (c, r) covers [c − ½, c + ½] × [r − ½, r + ½] (OpenCV's convention; centroids computed from
// image moments come out in the same frame). The transform is
//   px = centre + shift + F · P⁻¹ · S · R(θ) · (mm − phantom centre)
// with R the rotation (+ from +x to +y), S = diag(scale_x, scale_y) the magnification in
// detector axes, P = diag(pixel_mm_x, pixel_mm_y), F = diag(±1, ±1) the flips, centre the
// image centre ((W − 1)/2, (H − 1)/2). Pure values and functions: thread-safe.
#pragma once

#include <array>

#include "phantoms/generator/render_options.hpp"
#include "phantoms/phantom.hpp"

namespace niikit::phantoms::generator {

// A 2×3 affine map: (u, v) ↦ (m[0][0]·u + m[0][1]·v + m[0][2], m[1][0]·u + m[1][1]·v + m[1][2]).
struct Affine2 {
  std::array<std::array<double, 3>, 2> m{{{1, 0, 0}, {0, 1, 0}}};

  [[nodiscard]] PointMm apply(PointMm p) const {
    return {m[0][0] * p.x_mm + m[0][1] * p.y_mm + m[0][2], m[1][0] * p.x_mm + m[1][1] * p.y_mm + m[1][2]};
  }
  [[nodiscard]] Affine2 inverse() const;          // the linear part must be invertible
  [[nodiscard]] Affine2 then(const Affine2& next) const;  // next ∘ this
};

struct PixelPoint {
  double x_px = 0;
  double y_px = 0;
};

struct Placement {
  int width_px = 0;
  int height_px = 0;
  Affine2 mm_to_px;  // phantom mm → output pixel coordinates (convention above)

  [[nodiscard]] PixelPoint to_px(PointMm p) const {
    const auto q = mm_to_px.apply(p);
    return {q.x_mm, q.y_mm};
  }
};

// Image size (explicit, or the transformed outline plus margin_mm on every side) and the
// transform. ErrorCode::input when the automatic size exceeds 65,536 px per side.
Result<Placement> place_phantom(const Phantom& phantom, const RenderOptions& options);

}  // namespace niikit::phantoms::generator
