#include "phantoms/generator/placement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace niikit::phantoms::generator {

Affine2 Affine2::inverse() const {
  const double a = m[0][0], b = m[0][1], c = m[1][0], d = m[1][1];
  const double det = a * d - b * c;
  Affine2 r;
  r.m[0][0] = d / det;
  r.m[0][1] = -b / det;
  r.m[1][0] = -c / det;
  r.m[1][1] = a / det;
  r.m[0][2] = -(r.m[0][0] * m[0][2] + r.m[0][1] * m[1][2]);
  r.m[1][2] = -(r.m[1][0] * m[0][2] + r.m[1][1] * m[1][2]);
  return r;
}

Affine2 Affine2::then(const Affine2& next) const {
  Affine2 r;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      double v = next.m[i][0] * m[0][j] + next.m[i][1] * m[1][j];
      if (j == 2) v += next.m[i][2];
      r.m[i][j] = v;
    }
  }
  return r;
}

namespace {

constexpr double max_side_px = 65536;

// The linear part F · P⁻¹ · S · R(θ), with no translation.
Affine2 linear_part(const RenderOptions& o) {
  const double theta = o.rotation_deg * std::numbers::pi / 180.0;
  const double c = std::cos(theta), s = std::sin(theta);
  const double fx = (o.flip_x ? -1.0 : 1.0) * o.scale_x / o.pixel_mm_x;
  const double fy = (o.flip_y ? -1.0 : 1.0) * o.scale_y / o.pixel_mm_y;
  Affine2 a;
  a.m = {{{fx * c, -fx * s, 0}, {fy * s, fy * c, 0}}};
  return a;
}

}  // namespace

Result<Placement> place_phantom(const Phantom& phantom, const RenderOptions& options) {
  const Affine2 lin = linear_part(options);
  const PointMm centre{phantom.width_mm / 2, phantom.height_mm / 2};
  // Extent of the transformed outline around the phantom centre, in px.
  double half_w = 0, half_h = 0;
  for (const PointMm corner : {PointMm{0, 0}, PointMm{phantom.width_mm, 0},
                               PointMm{0, phantom.height_mm}, PointMm{phantom.width_mm, phantom.height_mm}}) {
    const auto q = lin.apply({corner.x_mm - centre.x_mm, corner.y_mm - centre.y_mm});
    half_w = std::max(half_w, std::abs(q.x_mm));
    half_h = std::max(half_h, std::abs(q.y_mm));
  }
  Placement placement;
  const double auto_w = 2 * (half_w + options.margin_mm / options.pixel_mm_x);
  const double auto_h = 2 * (half_h + options.margin_mm / options.pixel_mm_y);
  if (options.image_width_px == 0 && auto_w > max_side_px)
    return fail(ErrorCode::input, fmt::format("render: automatic image width {:.0f} px exceeds {} px", auto_w, max_side_px));
  if (options.image_height_px == 0 && auto_h > max_side_px)
    return fail(ErrorCode::input, fmt::format("render: automatic image height {:.0f} px exceeds {} px", auto_h, max_side_px));
  placement.width_px = options.image_width_px > 0 ? options.image_width_px
                                                  : std::max(8, static_cast<int>(std::ceil(auto_w)));
  placement.height_px = options.image_height_px > 0 ? options.image_height_px
                                                    : std::max(8, static_cast<int>(std::ceil(auto_h)));
  // px = lin · (mm − centre) + image centre + shift.
  Affine2 to_centre;
  to_centre.m = {{{1, 0, -centre.x_mm}, {0, 1, -centre.y_mm}}};
  Affine2 to_image;
  to_image.m = {{{1, 0, (placement.width_px - 1) / 2.0 + options.shift_px_x},
                 {0, 1, (placement.height_px - 1) / 2.0 + options.shift_px_y}}};
  placement.mm_to_px = to_centre.then(lin).then(to_image);
  return placement;
}

}  // namespace niikit::phantoms::generator
