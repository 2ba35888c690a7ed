// Strict JSON → Phantom parsing (format in docs/phantom-format.md), file loading and lookup.
// Types and presence are checked here; ranges and geometry in phantom_validate.cpp.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

#include "phantoms/json_fields.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"

namespace niikit::phantoms {
namespace {

using detail::FieldReader;

// Keys shared by every feature.
#define NIIKIT_FEATURE_KEYS "id", "type", "label", "purpose"
#define NIIKIT_RECT_KEYS "x_mm", "y_mm", "width_mm", "height_mm", "angle_deg"

Rect read_rect(FieldReader& r) {
  Rect rect;
  rect.x_mm = r.number("x_mm");
  rect.y_mm = r.number("y_mm");
  rect.width_mm = r.number("width_mm");
  rect.height_mm = r.number("height_mm");
  rect.angle_deg = r.optional_number("angle_deg").value_or(0.0);
  return rect;
}

Layer read_layer(FieldReader& r) {
  Layer layer;
  layer.material = r.material("material");
  layer.thickness_mm = r.number("thickness_mm");
  return layer;
}

Axis read_axis(FieldReader& r, std::string_view key) {
  return r.choice<Axis>(
      key,
      [](std::string_view s) -> std::optional<Axis> {
        if (s == "x") return Axis::x;
        if (s == "y") return Axis::y;
        return std::nullopt;
      },
      "x or y", Axis::x);
}

FeatureShape read_fiducial(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, "center_x_mm", "center_y_mm", "diameter_mm", "thickness_mm",
                "material"});
  FiducialDisc d;
  d.center = {r.number("center_x_mm"), r.number("center_y_mm")};
  d.diameter_mm = r.number("diameter_mm");
  d.thickness_mm = r.number("thickness_mm");
  if (r.has("material")) d.material = r.material("material");
  return d;
}

FeatureShape read_slab(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS, "material", "thickness_mm"});
  Slab s;
  s.area = read_rect(r);
  s.layer = read_layer(r);
  return s;
}

FeatureShape read_step_wedge(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS, "material", "direction",
                "step_thicknesses_mm", "behind"});
  StepWedge w;
  w.area = read_rect(r);
  w.material = r.material("material");
  w.direction = read_axis(r, "direction");
  w.step_thicknesses_mm = r.numbers("step_thicknesses_mm");
  if (auto obj = r.optional_object("behind")) {
    FieldReader b(*obj, "behind");
    b.allow_only({"material", "thickness_mm", "width_mm", "height_mm"});
    w.behind = BehindBlock{b.material("material"), b.number("thickness_mm"),
                           b.number("width_mm"), b.number("height_mm")};
    if (b.error()) r.set_error(*b.error());
  }
  return w;
}

FeatureShape read_wire(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, "x1_mm", "y1_mm", "x2_mm", "y2_mm", "diameter_mm",
                "material", "cover"});
  Wire w;
  w.start = {r.number("x1_mm"), r.number("y1_mm")};
  w.end = {r.number("x2_mm"), r.number("y2_mm")};
  w.diameter_mm = r.number("diameter_mm");
  w.material = r.material("material");
  if (auto obj = r.optional_object("cover")) {
    FieldReader c(*obj, "cover");
    c.allow_only({"material", "thickness_mm", "margin_mm"});
    w.cover = WireCover{c.material("material"), c.number("thickness_mm"),
                        c.optional_number("margin_mm").value_or(0.0)};
    if (c.error()) r.set_error(*c.error());
  }
  return w;
}

FeatureShape read_bar_group(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, "x_mm", "y_mm", "pitch_mm", "lp_per_mm", "bar_count",
                "bar_length_mm", "resolution_axis", "material", "thickness_mm"});
  BarGroup g;
  g.corner = {r.number("x_mm"), r.number("y_mm")};
  if (r.has("pitch_mm") && r.has("lp_per_mm")) r.set_error("give pitch_mm or lp_per_mm, not both");
  if (r.has("lp_per_mm")) {
    const double lp = r.number("lp_per_mm");
    if (lp <= 0) r.set_error("lp_per_mm must be > 0");
    g.pitch_mm = lp > 0 ? 1.0 / lp : 0.0;
  } else {
    g.pitch_mm = r.number("pitch_mm");
  }
  g.bar_count = r.integer("bar_count");
  g.bar_length_mm = r.number("bar_length_mm");
  g.resolution_axis = read_axis(r, "resolution_axis");
  g.material = r.material("material");
  g.thickness_mm = r.number("thickness_mm");
  return g;
}

ContrastPlate read_plate(const QJsonValue& value, std::size_t index, FieldReader& parent) {
  const std::string where = "plates[" + std::to_string(index) + "]";
  if (!value.isObject()) {
    parent.set_error(where + ": expected an object, got " + detail::json_type_name(value));
    return {};
  }
  FieldReader r(value.toObject(), where);
  r.allow_only({"id", "label", "contrast_percent", NIIKIT_RECT_KEYS});
  ContrastPlate p;
  p.id = r.string("id");
  p.label = r.optional_string("label").value_or("");
  p.contrast_percent = r.number("contrast_percent");
  p.area = read_rect(r);
  if (r.error()) parent.set_error(*r.error());
  return p;
}

FeatureShape read_contrast_plates(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS, "base_material", "base_thickness_mm",
                "plate_material", "plates"});
  ContrastPlateGroup g;
  g.base_area = read_rect(r);
  g.base = {r.material("base_material"), r.number("base_thickness_mm")};
  g.plate_material = r.material("plate_material");
  const QJsonArray plates = r.array("plates");
  for (qsizetype i = 0; i < plates.size() && !r.failed(); ++i)
    g.plates.push_back(read_plate(plates.at(i), static_cast<std::size_t>(i), r));
  return g;
}

FeatureShape read_material_block(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS, "material", "thickness_mm",
                "expected_class"});
  MaterialBlock b;
  b.area = read_rect(r);
  b.layer = read_layer(r);
  b.expected_class = r.choice<MaterialClass>("expected_class", material_class_from_name,
                                             "organic, mixed, inorganic or heavy",
                                             MaterialClass::organic);
  return b;
}

FeatureShape read_edge(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS, "material", "thickness_mm"});
  SharpEdge e;
  e.area = read_rect(r);
  if (!r.has("angle_deg")) r.set_error("angle_deg missing");
  e.layer = read_layer(r);
  return e;
}

FeatureShape read_open_field(FieldReader& r) {
  r.allow_only({NIIKIT_FEATURE_KEYS, NIIKIT_RECT_KEYS});
  return OpenField{read_rect(r)};
}

FeatureShape read_shape(FeatureType type, FieldReader& r) {
  switch (type) {
    case FeatureType::fiducial: return read_fiducial(r);
    case FeatureType::slab: return read_slab(r);
    case FeatureType::step_wedge: return read_step_wedge(r);
    case FeatureType::wire: return read_wire(r);
    case FeatureType::bar_group: return read_bar_group(r);
    case FeatureType::contrast_plates: return read_contrast_plates(r);
    case FeatureType::material_block: return read_material_block(r);
    case FeatureType::edge: return read_edge(r);
    case FeatureType::open_field: return read_open_field(r);
  }
  return OpenField{};
}

Result<Feature> read_feature(const QJsonValue& value, std::size_t index) {
  std::string who = "feature #" + std::to_string(index + 1);
  if (!value.isObject())
    return fail(ErrorCode::input, who + ": expected an object, got " + detail::json_type_name(value));
  FieldReader r(value.toObject());
  Feature f;
  f.id = r.string("id");
  if (!r.failed()) who = "feature '" + f.id + "'";
  const auto type = r.choice<FeatureType>(
      "type", feature_type_from_name,
      "fiducial, slab, step_wedge, wire, bar_group, contrast_plates, material_block, edge or "
      "open_field",
      FeatureType::open_field);
  f.label = r.optional_string("label").value_or("");
  if (r.has("purpose"))
    f.purpose = r.choice<Purpose>("purpose", purpose_from_name, "a purpose listed in "
                                  "docs/phantom-format.md", Purpose::none);
  if (!r.failed()) f.shape = read_shape(type, r);
  if (r.error()) return fail(ErrorCode::input, who + ": " + *r.error());
  return f;
}

Phantom read_header(FieldReader& r) {
  r.allow_only({"format_version", "id", "revision", "name", "description", "standard",
                "method_family", "size", "base", "features"});
  Phantom p;
  p.format_version = r.integer("format_version");
  if (!r.failed() && p.format_version != phantom_format_version)
    r.set_error("format_version " + std::to_string(p.format_version) + " not supported (this "
                "niikit reads version " + std::to_string(phantom_format_version) + ")");
  p.id = r.string("id");
  p.revision = r.optional_integer("revision").value_or(1);
  p.name = r.string("name");
  p.description = r.optional_string("description").value_or("");
  p.standard = r.string("standard");
  p.method_family = r.choice<MethodFamily>(
      "method_family",
      [](std::string_view s) -> std::optional<MethodFamily> {
        for (auto m : {MethodFamily::cargo, MethodFamily::cabinet, MethodFamily::portable,
                       MethodFamily::custom})
          if (method_family_name(m) == s) return m;
        return std::nullopt;
      },
      "cargo, cabinet, portable or custom", MethodFamily::custom);
  FieldReader size(r.object("size"), "size");
  size.allow_only({"width_mm", "height_mm"});
  p.width_mm = size.number("width_mm");
  p.height_mm = size.number("height_mm");
  if (!r.failed() && size.error()) r.set_error(*size.error());
  FieldReader base(r.object("base"), "base");
  base.allow_only({"material", "thickness_mm"});
  p.base = read_layer(base);
  if (!r.failed() && base.error()) r.set_error(*base.error());
  return p;
}

#undef NIIKIT_FEATURE_KEYS
#undef NIIKIT_RECT_KEYS

}  // namespace

Result<Phantom> parse_phantom(std::string_view json, std::string_view source_name) {
  const std::string src(source_name.empty() ? "phantom" : source_name);
  QJsonParseError perr{};
  const QJsonDocument doc = QJsonDocument::fromJson(
      QByteArray(json.data(), static_cast<qsizetype>(json.size())), &perr);
  if (perr.error != QJsonParseError::NoError)
    return fail(ErrorCode::input, src + ": invalid JSON at offset " + std::to_string(perr.offset) +
                                      ": " + perr.errorString().toStdString());
  if (!doc.isObject()) return fail(ErrorCode::input, src + ": expected a JSON object at the top");
  if (auto dup = detail::find_duplicate_key(json)) return fail(ErrorCode::input, src + ": " + *dup);
  FieldReader r(doc.object());
  Phantom p = read_header(r);
  const QJsonArray features = r.array("features");
  if (r.error()) return fail(ErrorCode::input, src + ": " + *r.error());
  for (qsizetype i = 0; i < features.size(); ++i) {
    auto f = read_feature(features.at(i), static_cast<std::size_t>(i));
    if (!f) return tl::unexpected<Error>(f.error().with_context(src));
    p.features.push_back(std::move(*f));
  }
  p.source = std::string(source_name);
  if (auto ok = validate_phantom(p); !ok) return tl::unexpected<Error>(ok.error());
  return p;
}

Result<Phantom> load_phantom(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!file.exists()) return fail(ErrorCode::not_found, path + ": no such phantom file");
  if (!file.open(QIODevice::ReadOnly))
    return fail(ErrorCode::io, path + ": cannot read: " + file.errorString().toStdString());
  const QByteArray bytes = file.readAll();
  return parse_phantom(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                       path);
}

Result<std::vector<std::string>> list_phantom_files(const std::string& dir) {
  const QDir d(QString::fromStdString(dir));
  if (!d.exists()) return fail(ErrorCode::not_found, dir + ": no such phantom directory");
  std::vector<std::string> out;
  for (const QFileInfo& info : d.entryInfoList({"*.json"}, QDir::Files, QDir::Name))
    out.push_back(info.filePath().toStdString());
  return out;
}

Result<Phantom> resolve_phantom(const std::string& file_or_id, const std::string& dir) {
  if (file_or_id.find('/') != std::string::npos ||
      (file_or_id.size() > 5 && file_or_id.ends_with(".json")))
    return load_phantom(file_or_id);
  const std::string where = dir.empty() ? shipped_phantom_dir() : dir;
  auto files = list_phantom_files(where);
  if (!files) return tl::unexpected<Error>(files.error());
  for (const auto& path : *files) {
    auto p = load_phantom(path);
    if (p && p->id == file_or_id) return p;
    if (!p && QFileInfo(QString::fromStdString(path)).completeBaseName().toStdString() ==
                  file_or_id)
      return p;  // the file named after the id is broken: say why
  }
  return fail(ErrorCode::not_found, "phantom '" + file_or_id + "' not found in " + where);
}

}  // namespace niikit::phantoms
