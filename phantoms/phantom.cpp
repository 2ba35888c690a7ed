// Geometry helpers and names of the phantom data model (phantom.hpp).
#include "phantoms/phantom.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace niikit::phantoms {

// Feature::type() casts the variant index: keep FeatureType in the variant's order.
static_assert(std::variant_size_v<FeatureShape> == 9);
static_assert(std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(FeatureType::edge), FeatureShape>,
                             SharpEdge>);
static_assert(std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(FeatureType::open_field),
                                                        FeatureShape>,
                             OpenField>);

namespace {
constexpr double deg_to_rad = std::numbers::pi / 180.0;
}

std::string_view axis_name(Axis axis) { return axis == Axis::x ? "x" : "y"; }

std::string_view method_family_name(MethodFamily family) {
  switch (family) {
    case MethodFamily::cargo: return "cargo";
    case MethodFamily::cabinet: return "cabinet";
    case MethodFamily::portable: return "portable";
    case MethodFamily::custom: return "custom";
  }
  return "custom";
}

PointMm Rect::center() const { return {x_mm + width_mm / 2, y_mm + height_mm / 2}; }

std::array<PointMm, 4> Rect::corners() const {
  const PointMm c = center();
  const double cs = std::cos(angle_deg * deg_to_rad);
  const double sn = std::sin(angle_deg * deg_to_rad);
  const double hw = width_mm / 2;
  const double hh = height_mm / 2;
  const std::array<PointMm, 4> local{{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}}};
  std::array<PointMm, 4> out{};
  for (std::size_t i = 0; i < 4; ++i)
    out[i] = {c.x_mm + cs * local[i].x_mm - sn * local[i].y_mm,
              c.y_mm + sn * local[i].x_mm + cs * local[i].y_mm};
  return out;
}

bool Rect::contains(PointMm p) const {
  const PointMm c = center();
  const double cs = std::cos(angle_deg * deg_to_rad);
  const double sn = std::sin(angle_deg * deg_to_rad);
  const double dx = p.x_mm - c.x_mm;
  const double dy = p.y_mm - c.y_mm;
  // Rotate back into the rectangle's own frame.
  const double u = cs * dx + sn * dy;
  const double v = -sn * dx + cs * dy;
  constexpr double eps = 1e-9;
  return std::abs(u) <= width_mm / 2 + eps && std::abs(v) <= height_mm / 2 + eps;
}

Rect StepWedge::step_area(std::size_t index) const {
  const double n = static_cast<double>(std::max<std::size_t>(step_count(), 1));
  const double i = static_cast<double>(index);
  if (direction == Axis::x) {
    const double w = area.width_mm / n;
    return {area.x_mm + i * w, area.y_mm, w, area.height_mm, 0};
  }
  const double h = area.height_mm / n;
  return {area.x_mm, area.y_mm + i * h, area.width_mm, h, 0};
}

std::optional<Rect> StepWedge::behind_area(std::size_t index) const {
  if (!behind) return std::nullopt;
  const PointMm c = step_area(index).center();
  return Rect{c.x_mm - behind->width_mm / 2, c.y_mm - behind->height_mm / 2, behind->width_mm,
              behind->height_mm, 0};
}

double Wire::length_mm() const { return std::hypot(end.x_mm - start.x_mm, end.y_mm - start.y_mm); }

double Wire::angle_deg() const {
  return std::atan2(end.y_mm - start.y_mm, end.x_mm - start.x_mm) / deg_to_rad;
}

std::optional<Rect> Wire::cover_area() const {
  if (!cover) return std::nullopt;
  const double grow = diameter_mm / 2 + cover->margin_mm;
  const double x0 = std::min(start.x_mm, end.x_mm) - grow;
  const double y0 = std::min(start.y_mm, end.y_mm) - grow;
  const double x1 = std::max(start.x_mm, end.x_mm) + grow;
  const double y1 = std::max(start.y_mm, end.y_mm) + grow;
  return Rect{x0, y0, x1 - x0, y1 - y0, 0};
}

Rect BarGroup::bar_area(int index) const {
  const double offset = static_cast<double>(index) * pitch_mm;
  if (resolution_axis == Axis::x)
    return {corner.x_mm + offset, corner.y_mm, bar_width_mm(), bar_length_mm, 0};
  return {corner.x_mm, corner.y_mm + offset, bar_length_mm, bar_width_mm(), 0};
}

Rect BarGroup::outline() const {
  const double span = static_cast<double>(bar_count - 1) * pitch_mm + bar_width_mm();
  if (resolution_axis == Axis::x) return {corner.x_mm, corner.y_mm, span, bar_length_mm, 0};
  return {corner.x_mm, corner.y_mm, bar_length_mm, span, 0};
}

namespace {
constexpr std::array<std::string_view, 9> feature_type_names{
    "fiducial",        "slab",           "step_wedge", "wire",      "bar_group",
    "contrast_plates", "material_block", "edge",       "open_field"};

constexpr std::array<std::string_view, 13> purpose_names{
    "none",           "fiducial",          "penetration",
    "useful_penetration", "wire_detection", "contrast_sensitivity",
    "spatial_resolution", "edge_mtf",       "material_discrimination",
    "thin_organic",   "organic_detection", "dynamic_range",
    "open_field"};
}  // namespace

std::string_view feature_type_name(FeatureType type) {
  return feature_type_names.at(static_cast<std::size_t>(type));
}

std::optional<FeatureType> feature_type_from_name(std::string_view name) {
  for (std::size_t i = 0; i < feature_type_names.size(); ++i)
    if (feature_type_names[i] == name) return static_cast<FeatureType>(i);
  return std::nullopt;
}

std::string_view purpose_name(Purpose purpose) {
  return purpose_names.at(static_cast<std::size_t>(purpose));
}

std::optional<Purpose> purpose_from_name(std::string_view name) {
  for (std::size_t i = 0; i < purpose_names.size(); ++i)
    if (purpose_names[i] == name) return static_cast<Purpose>(i);
  return std::nullopt;
}

const Feature* Phantom::find(std::string_view feature_id) const {
  for (const auto& f : features)
    if (f.id == feature_id) return &f;
  return nullptr;
}

std::vector<const Feature*> Phantom::of_type(FeatureType type) const {
  std::vector<const Feature*> out;
  for (const auto& f : features)
    if (f.type() == type) out.push_back(&f);
  return out;
}

namespace {

struct SolidCollector {
  const std::string& id;
  std::vector<SolidItem>& out;

  void box(const Rect& area, Layer layer) {
    if (layer.material != Material::air && layer.thickness_mm > 0)
      out.push_back({id, BoxSolid{area, layer}});
  }
  void operator()(const FiducialDisc& d) {
    out.push_back({id, DiscSolid{d.center, d.diameter_mm, {d.material, d.thickness_mm}}});
  }
  void operator()(const Slab& s) { box(s.area, s.layer); }
  void operator()(const StepWedge& w) {
    for (std::size_t i = 0; i < w.step_count(); ++i) {
      box(w.step_area(i), {w.material, w.step_thicknesses_mm[i]});
      if (w.behind) box(*w.behind_area(i), {w.behind->material, w.behind->thickness_mm});
    }
  }
  void operator()(const Wire& w) {
    if (w.cover) box(*w.cover_area(), {w.cover->material, w.cover->thickness_mm});
    out.push_back({id, CylinderSolid{w.start, w.end, w.diameter_mm, w.material}});
  }
  void operator()(const BarGroup& g) {
    for (int i = 0; i < g.bar_count; ++i) box(g.bar_area(i), {g.material, g.thickness_mm});
  }
  void operator()(const ContrastPlateGroup& g) {
    box(g.base_area, g.base);
    for (const auto& p : g.plates)
      out.push_back({p.id, BoxSolid{p.area, {g.plate_material, g.plate_thickness_mm(p)}}});
  }
  void operator()(const MaterialBlock& b) { box(b.area, b.layer); }
  void operator()(const SharpEdge& e) { box(e.area, e.layer); }
  void operator()(const OpenField&) {}
};

}  // namespace

std::vector<SolidItem> solids(const Phantom& phantom) {
  std::vector<SolidItem> out;
  const std::string base_id;
  SolidCollector base{base_id, out};
  base.box({0, 0, phantom.width_mm, phantom.height_mm, 0}, phantom.base);
  for (const auto& f : phantom.features) std::visit(SolidCollector{f.id, out}, f.shape);
  return out;
}

}  // namespace niikit::phantoms
