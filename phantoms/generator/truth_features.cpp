// Truth per feature: its nominal values (as in the phantom file, mm) and where it lands in the
// image (pixel coordinates under the placement transform).
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <cmath>
#include <numbers>

#include "phantoms/generator/truth.hpp"

namespace niikit::phantoms::generator {
namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QJsonArray pair(double x, double y) { return QJsonArray{x, y}; }

QJsonArray point_mm(PointMm p) { return pair(p.x_mm, p.y_mm); }

struct FeatureWriter {
  const Placement& placement;

  QJsonArray px(PointMm p) const {
    const auto q = placement.to_px(p);
    return pair(q.x_px, q.y_px);
  }
  // Direction of a phantom-mm direction (angle_deg) once in the image, degrees (+x towards +y).
  double angle_px_deg(double angle_deg) const {
    const double a = angle_deg * std::numbers::pi / 180.0;
    const auto& m = placement.mm_to_px.m;
    const double dx = m[0][0] * std::cos(a) + m[0][1] * std::sin(a);
    const double dy = m[1][0] * std::cos(a) + m[1][1] * std::sin(a);
    return std::atan2(dy, dx) * 180.0 / std::numbers::pi;
  }
  // Length in px of a phantom-mm vector of `length_mm` along angle_deg.
  double length_px(double length_mm, double angle_deg) const {
    const double a = angle_deg * std::numbers::pi / 180.0;
    const auto& m = placement.mm_to_px.m;
    return length_mm * std::hypot(m[0][0] * std::cos(a) + m[0][1] * std::sin(a),
                                  m[1][0] * std::cos(a) + m[1][1] * std::sin(a));
  }
  QJsonObject rect(const Rect& r) const {
    QJsonArray corners;
    for (const auto& c : r.corners()) corners.append(px(c));
    return {{"x_mm", r.x_mm}, {"y_mm", r.y_mm}, {"width_mm", r.width_mm}, {"height_mm", r.height_mm},
            {"angle_deg", r.angle_deg}, {"center_px", px(r.center())}, {"corners_px", corners}};
  }
  static QJsonObject layer(const Layer& l) {
    return {{"material", qs(material_name(l.material))}, {"thickness_mm", l.thickness_mm}};
  }

  QJsonObject operator()(const FiducialDisc& d) const {
    const double det = std::abs(placement.mm_to_px.m[0][0] * placement.mm_to_px.m[1][1] -
                                placement.mm_to_px.m[0][1] * placement.mm_to_px.m[1][0]);
    const double r = d.diameter_mm / 2;
    return {{"center_mm", point_mm(d.center)}, {"diameter_mm", d.diameter_mm}, {"thickness_mm", d.thickness_mm},
            {"material", qs(material_name(d.material))}, {"center_px", px(d.center)},
            {"area_px", std::numbers::pi * r * r * det}};
  }
  QJsonObject operator()(const Slab& s) const { return {{"area", rect(s.area)}, {"layer", layer(s.layer)}}; }
  QJsonObject operator()(const StepWedge& w) const {
    QJsonArray steps;
    for (std::size_t k = 0; k < w.step_count(); ++k) {
      QJsonObject step{{"index", static_cast<int>(k)}, {"thickness_mm", w.step_thicknesses_mm[k]},
                       {"area", rect(w.step_area(k))}};
      if (const auto behind = w.behind_area(k)) step["behind_area"] = rect(*behind);
      steps.append(step);
    }
    QJsonObject out{{"area", rect(w.area)}, {"material", qs(material_name(w.material))},
                    {"direction", qs(axis_name(w.direction))}, {"steps", steps}};
    if (w.behind)
      out["behind"] = QJsonObject{{"material", qs(material_name(w.behind->material))},
                                  {"thickness_mm", w.behind->thickness_mm},
                                  {"width_mm", w.behind->width_mm},
                                  {"height_mm", w.behind->height_mm}};
    return out;
  }
  QJsonObject operator()(const Wire& w) const {
    QJsonObject out{{"start_mm", point_mm(w.start)}, {"end_mm", point_mm(w.end)}, {"diameter_mm", w.diameter_mm},
                    {"material", qs(material_name(w.material))}, {"angle_deg", w.angle_deg()},
                    {"start_px", px(w.start)}, {"end_px", px(w.end)}, {"angle_px_deg", angle_px_deg(w.angle_deg())},
                    {"diameter_px", length_px(w.diameter_mm, w.angle_deg() + 90.0)}};
    if (w.cover)
      out["cover"] = QJsonObject{{"material", qs(material_name(w.cover->material))},
                                 {"thickness_mm", w.cover->thickness_mm},
                                 {"margin_mm", w.cover->margin_mm},
                                 {"area", rect(*w.cover_area())}};
    return out;
  }
  QJsonObject operator()(const BarGroup& g) const {
    const double axis_deg = g.resolution_axis == Axis::x ? 0.0 : 90.0;
    const double pitch_px = length_px(g.pitch_mm, axis_deg);
    return {{"corner_mm", point_mm(g.corner)}, {"pitch_mm", g.pitch_mm}, {"lp_per_mm", g.lp_per_mm()},
            {"bar_count", g.bar_count}, {"bar_length_mm", g.bar_length_mm},
            {"resolution_axis", qs(axis_name(g.resolution_axis))}, {"material", qs(material_name(g.material))},
            {"thickness_mm", g.thickness_mm}, {"outline", rect(g.outline())}, {"pitch_px", pitch_px},
            {"cycles_per_px", 1.0 / pitch_px}, {"resolution_axis_px_deg", angle_px_deg(axis_deg)}};
  }
  QJsonObject operator()(const ContrastPlateGroup& g) const {
    QJsonArray plates;
    for (const auto& p : g.plates)
      plates.append(QJsonObject{{"id", qs(p.id)}, {"label", qs(p.label)}, {"contrast_percent", p.contrast_percent},
                                {"thickness_mm", g.plate_thickness_mm(p)}, {"area", rect(p.area)}});
    return {{"base_area", rect(g.base_area)}, {"base", layer(g.base)},
            {"plate_material", qs(material_name(g.plate_material))}, {"plates", plates}};
  }
  QJsonObject operator()(const MaterialBlock& b) const {
    return {{"area", rect(b.area)}, {"layer", layer(b.layer)},
            {"expected_class", qs(material_class_name(b.expected_class))}};
  }
  QJsonObject operator()(const SharpEdge& e) const {
    // The four sides run along the rectangle's own x (angle) and y (angle + 90°) axes.
    return {{"area", rect(e.area)}, {"layer", layer(e.layer)},
            {"side_angles_px_deg", pair(angle_px_deg(e.area.angle_deg), angle_px_deg(e.area.angle_deg + 90.0))}};
  }
  QJsonObject operator()(const OpenField& o) const { return {{"area", rect(o.area)}}; }
};

}  // namespace

QJsonArray features_truth(const Phantom& phantom, const Placement& placement) {
  QJsonArray out;
  const FeatureWriter writer{placement};
  for (const auto& f : phantom.features) {
    out.append(QJsonObject{{"id", qs(f.id)},
                           {"type", qs(feature_type_name(f.type()))},
                           {"purpose", qs(purpose_name(f.purpose))},
                           {"label", qs(f.label)},
                           {"geometry", std::visit(writer, f.shape)}});
  }
  return out;
}

}  // namespace niikit::phantoms::generator
