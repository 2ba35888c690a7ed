// Phantom → JSON in the file format, the inverse of phantom_loader.cpp.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "phantoms/phantom.hpp"

namespace niikit::phantoms {
namespace {

QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

void put_rect(QJsonObject& o, const Rect& r) {
  o["x_mm"] = r.x_mm;
  o["y_mm"] = r.y_mm;
  o["width_mm"] = r.width_mm;
  o["height_mm"] = r.height_mm;
  if (r.angle_deg != 0) o["angle_deg"] = r.angle_deg;
}

void put_layer(QJsonObject& o, const Layer& l) {
  o["material"] = qs(material_name(l.material));
  o["thickness_mm"] = l.thickness_mm;
}

struct ShapeWriter {
  QJsonObject& o;

  void operator()(const FiducialDisc& d) {
    o["center_x_mm"] = d.center.x_mm;
    o["center_y_mm"] = d.center.y_mm;
    o["diameter_mm"] = d.diameter_mm;
    put_layer(o, {d.material, d.thickness_mm});
  }
  void operator()(const Slab& s) {
    put_rect(o, s.area);
    put_layer(o, s.layer);
  }
  void operator()(const StepWedge& w) {
    put_rect(o, w.area);
    o["material"] = qs(material_name(w.material));
    o["direction"] = qs(axis_name(w.direction));
    QJsonArray steps;
    for (double t : w.step_thicknesses_mm) steps.append(t);
    o["step_thicknesses_mm"] = steps;
    if (!w.behind) return;
    QJsonObject b;
    put_layer(b, {w.behind->material, w.behind->thickness_mm});
    b["width_mm"] = w.behind->width_mm;
    b["height_mm"] = w.behind->height_mm;
    o["behind"] = b;
  }
  void operator()(const Wire& w) {
    o["x1_mm"] = w.start.x_mm;
    o["y1_mm"] = w.start.y_mm;
    o["x2_mm"] = w.end.x_mm;
    o["y2_mm"] = w.end.y_mm;
    o["diameter_mm"] = w.diameter_mm;
    o["material"] = qs(material_name(w.material));
    if (!w.cover) return;
    QJsonObject c;
    put_layer(c, {w.cover->material, w.cover->thickness_mm});
    c["margin_mm"] = w.cover->margin_mm;
    o["cover"] = c;
  }
  void operator()(const BarGroup& g) {
    o["x_mm"] = g.corner.x_mm;
    o["y_mm"] = g.corner.y_mm;
    o["pitch_mm"] = g.pitch_mm;
    o["bar_count"] = g.bar_count;
    o["bar_length_mm"] = g.bar_length_mm;
    o["resolution_axis"] = qs(axis_name(g.resolution_axis));
    put_layer(o, {g.material, g.thickness_mm});
  }
  void operator()(const ContrastPlateGroup& g) {
    put_rect(o, g.base_area);
    o["base_material"] = qs(material_name(g.base.material));
    o["base_thickness_mm"] = g.base.thickness_mm;
    o["plate_material"] = qs(material_name(g.plate_material));
    QJsonArray plates;
    for (const auto& p : g.plates) {
      QJsonObject po{{"id", qs(p.id)}, {"contrast_percent", p.contrast_percent}};
      if (!p.label.empty()) po["label"] = qs(p.label);
      put_rect(po, p.area);
      plates.append(po);
    }
    o["plates"] = plates;
  }
  void operator()(const MaterialBlock& b) {
    put_rect(o, b.area);
    put_layer(o, b.layer);
    o["expected_class"] = qs(material_class_name(b.expected_class));
  }
  void operator()(const SharpEdge& e) {
    put_rect(o, e.area);
    o["angle_deg"] = e.area.angle_deg;  // required for edges, even when (invalidly) 0
    put_layer(o, e.layer);
  }
  void operator()(const OpenField& f) { put_rect(o, f.area); }
};

}  // namespace

std::string phantom_to_json(const Phantom& phantom, bool indented) {
  QJsonArray features;
  for (const Feature& f : phantom.features) {
    QJsonObject o{{"id", qs(f.id)}, {"type", qs(feature_type_name(f.type()))}};
    if (!f.label.empty()) o["label"] = qs(f.label);
    if (f.purpose != Purpose::none) o["purpose"] = qs(purpose_name(f.purpose));
    std::visit(ShapeWriter{o}, f.shape);
    features.append(o);
  }
  QJsonObject base;
  put_layer(base, phantom.base);
  QJsonObject top{{"format_version", phantom.format_version},
                  {"id", qs(phantom.id)},
                  {"revision", phantom.revision},
                  {"name", qs(phantom.name)},
                  {"standard", qs(phantom.standard)},
                  {"method_family", qs(method_family_name(phantom.method_family))},
                  {"size", QJsonObject{{"width_mm", phantom.width_mm}, {"height_mm", phantom.height_mm}}},
                  {"base", base},
                  {"features", features}};
  if (!phantom.description.empty()) top["description"] = qs(phantom.description);
  const auto format = indented ? QJsonDocument::Indented : QJsonDocument::Compact;
  return QJsonDocument(top).toJson(format).toStdString();
}

}  // namespace niikit::phantoms
