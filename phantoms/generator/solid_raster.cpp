#include "phantoms/generator/solid_raster.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>

namespace niikit::phantoms::generator {
namespace {

// mm → local frame centred at `centre`, rotated by −angle (so the local u axis is the
// solid's own x axis after its rotation).
Affine2 frame(PointMm centre, double angle_deg) {
  const double a = angle_deg * std::numbers::pi / 180.0;
  const double c = std::cos(a), s = std::sin(a);
  Affine2 f;
  f.m = {{{c, s, -(c * centre.x_mm + s * centre.y_mm)}, {-s, c, -(-s * centre.x_mm + c * centre.y_mm)}}};
  return f;
}

LocalSolid from_solid(const BoxSolid& box) {
  LocalSolid s;
  s.kind = SolidKind::box;
  s.material = box.layer.material;
  s.thickness_mm = box.layer.thickness_mm;
  s.half_u = box.area.width_mm / 2;
  s.half_v = box.area.height_mm / 2;
  s.mm_to_local = frame(box.area.center(), box.area.angle_deg);
  return s;
}

LocalSolid from_solid(const DiscSolid& disc) {
  LocalSolid s;
  s.kind = SolidKind::disc;
  s.material = disc.layer.material;
  s.thickness_mm = disc.layer.thickness_mm;
  s.half_u = s.half_v = disc.diameter_mm / 2;
  s.mm_to_local = frame(disc.center, 0);
  return s;
}

LocalSolid from_solid(const CylinderSolid& wire) {
  LocalSolid s;
  s.kind = SolidKind::wire;
  s.material = wire.material;
  const double dx = wire.end.x_mm - wire.start.x_mm, dy = wire.end.y_mm - wire.start.y_mm;
  s.half_u = std::hypot(dx, dy);
  s.half_v = wire.diameter_mm / 2;
  s.thickness_mm = wire.diameter_mm;
  s.mm_to_local = frame(wire.start, std::atan2(dy, dx) * 180.0 / std::numbers::pi);
  return s;
}

// Bounding box of a solid in canvas sample indices, clipped to the canvas; empty when outside.
cv::Rect sample_bounds(const LocalSolid& solid, const Affine2& local_to_px, const Canvas& canvas) {
  double x_lo = 1e300, x_hi = -1e300, y_lo = 1e300, y_hi = -1e300;
  for (const auto corner : solid.local_bounds()) {
    const auto p = local_to_px.apply(corner);
    x_lo = std::min(x_lo, p.x_mm), x_hi = std::max(x_hi, p.x_mm);
    y_lo = std::min(y_lo, p.y_mm), y_hi = std::max(y_hi, p.y_mm);
  }
  const double s = canvas.supersample;
  // Sample index of a pixel coordinate: i = (x + ½ − origin)·S − ½.
  const int i0 = std::max(0, static_cast<int>(std::floor((x_lo + 0.5 - canvas.origin_col) * s - 0.5)));
  const int i1 = std::min(canvas.cols - 1, static_cast<int>(std::ceil((x_hi + 0.5 - canvas.origin_col) * s - 0.5)));
  const int j0 = std::max(0, static_cast<int>(std::floor((y_lo + 0.5 - canvas.origin_row) * s - 0.5)));
  const int j1 = std::min(canvas.rows - 1, static_cast<int>(std::ceil((y_hi + 0.5 - canvas.origin_row) * s - 0.5)));
  if (i1 < i0 || j1 < j0) return {};
  return {i0, j0, i1 - i0 + 1, j1 - j0 + 1};
}

void fill(const LocalSolid& solid, const Affine2& px_to_local, const cv::Rect& box, const Canvas& canvas,
          cv::Mat& map) {
  const double s = canvas.supersample;
  const auto& m = px_to_local.m;
  const double du_di = m[0][0] / s, dv_di = m[1][0] / s;  // one sample step along a row
  for (int j = box.y; j < box.y + box.height; ++j) {
    const double y = canvas.origin_row + (j + 0.5) / s - 0.5;
    const double x = canvas.origin_col + (box.x + 0.5) / s - 0.5;
    double u = m[0][0] * x + m[0][1] * y + m[0][2];
    double v = m[1][0] * x + m[1][1] * y + m[1][2];
    float* row = map.ptr<float>(j);
    for (int i = box.x; i < box.x + box.width; ++i, u += du_di, v += dv_di)
      row[i] += static_cast<float>(solid.thickness_at_local(u, v));
  }
}

}  // namespace

double LocalSolid::thickness_at_local(double u, double v) const {
  switch (kind) {
    case SolidKind::box:
      return (std::abs(u) <= half_u && std::abs(v) <= half_v) ? thickness_mm : 0.0;
    case SolidKind::disc:
      return (u * u + v * v <= half_u * half_u) ? thickness_mm : 0.0;
    case SolidKind::wire: {
      if (u < 0 || u > half_u) return 0.0;
      const double chord2 = half_v * half_v - v * v;
      return chord2 > 0 ? 2.0 * std::sqrt(chord2) : 0.0;
    }
  }
  return 0.0;
}

std::array<PointMm, 4> LocalSolid::local_bounds() const {
  const double u0 = kind == SolidKind::wire ? 0.0 : -half_u;
  return {PointMm{u0, -half_v}, PointMm{half_u, -half_v}, PointMm{half_u, half_v}, PointMm{u0, half_v}};
}

std::vector<LocalSolid> local_solids(const std::vector<SolidItem>& items) {
  std::vector<LocalSolid> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    LocalSolid s = std::visit([](const auto& solid) { return from_solid(solid); }, item.solid);
    if (s.material != Material::air) out.push_back(s);
  }
  return out;
}

MaterialStack stack_at(const std::vector<LocalSolid>& solids, PointMm p) {
  MaterialStack stack{};
  for (const auto& solid : solids) stack[static_cast<std::size_t>(solid.material)] += solid.thickness_at(p);
  return stack;
}

std::array<bool, material_count> rasterise(const std::vector<LocalSolid>& solids, const Affine2& px_to_mm,
                                           const Canvas& canvas, std::array<cv::Mat, material_count>& maps) {
  std::array<bool, material_count> used{};
  for (const auto& solid : solids) {
    const Affine2 px_to_local = px_to_mm.then(solid.mm_to_local);
    const cv::Rect box = sample_bounds(solid, px_to_local.inverse(), canvas);
    if (box.empty()) continue;
    const auto m = static_cast<std::size_t>(solid.material);
    if (!used[m]) {
      maps[m].create(canvas.rows, canvas.cols, CV_32F);
      maps[m].setTo(0);
      used[m] = true;
    }
    fill(solid, px_to_local, box, canvas, maps[m]);
  }
  return used;
}

}  // namespace niikit::phantoms::generator
