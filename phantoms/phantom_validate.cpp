// Semantic checks of a Phantom (ranges, ids, geometry); run by the loader after parsing, and
// usable on phantoms built in code.
#include <cmath>
#include <set>
#include <sstream>

#include "phantoms/phantom.hpp"

namespace niikit::phantoms {
namespace {

constexpr double inside_tolerance_mm = 1e-6;
constexpr double min_edge_angle_deg = 2.0;
constexpr double max_edge_angle_deg = 10.0;

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Collects the first problem of one feature, as "key: what (got v)".
class Checker {
 public:
  void positive(std::string_view key, double v) {
    if (!(v > 0)) note(std::string(key) + " must be > 0 (got " + num(v) + ")");
  }
  void non_negative(std::string_view key, double v) {
    if (!(v >= 0)) note(std::string(key) + " must be >= 0 (got " + num(v) + ")");
  }
  void finite(std::string_view key, double v) {
    if (!std::isfinite(v)) note(std::string(key) + " must be a finite number");
  }
  void solid(std::string_view key, Material m) {
    if (m == Material::air) note(std::string(key) + " must not be air");
  }
  void layer(std::string_view prefix, const Layer& l) {
    solid(std::string(prefix) + "material", l.material);
    positive(std::string(prefix) + "thickness_mm", l.thickness_mm);
  }
  void rect(std::string_view prefix, const Rect& r) {
    finite(std::string(prefix) + "x_mm", r.x_mm);
    finite(std::string(prefix) + "y_mm", r.y_mm);
    positive(std::string(prefix) + "width_mm", r.width_mm);
    positive(std::string(prefix) + "height_mm", r.height_mm);
    finite(std::string(prefix) + "angle_deg", r.angle_deg);
  }
  void note(std::string message) {
    if (problem_.empty()) problem_ = std::move(message);
  }
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  std::string problem_;
};

struct ShapeChecks {
  Checker& c;

  void operator()(const FiducialDisc& d) {
    c.positive("diameter_mm", d.diameter_mm);
    c.positive("thickness_mm", d.thickness_mm);
    c.solid("material", d.material);
  }
  void operator()(const Slab& s) {
    c.rect("", s.area);
    c.layer("", s.layer);
  }
  void operator()(const StepWedge& w) {
    c.rect("", w.area);
    if (w.area.angle_deg != 0) c.note("angle_deg must be 0 for a step wedge");
    c.solid("material", w.material);
    for (std::size_t i = 0; i < w.step_count(); ++i)
      c.positive("step_thicknesses_mm[" + std::to_string(i) + "]", w.step_thicknesses_mm[i]);
    if (w.step_count() == 0) c.note("step_thicknesses_mm must list at least 1 step");
    if (!w.behind || w.step_count() == 0) return;
    c.layer("behind.", {w.behind->material, w.behind->thickness_mm});
    c.positive("behind.width_mm", w.behind->width_mm);
    c.positive("behind.height_mm", w.behind->height_mm);
    const Rect step = w.step_area(0);
    if (w.behind->width_mm > step.width_mm || w.behind->height_mm > step.height_mm)
      c.note("behind block " + num(w.behind->width_mm) + " x " + num(w.behind->height_mm) +
             " mm does not fit in a step of " + num(step.width_mm) + " x " +
             num(step.height_mm) + " mm");
  }
  void operator()(const Wire& w) {
    c.positive("diameter_mm", w.diameter_mm);
    c.solid("material", w.material);
    if (!(w.length_mm() > 0)) c.note("wire length must be > 0 (start and end coincide)");
    if (!w.cover) return;
    c.layer("cover.", {w.cover->material, w.cover->thickness_mm});
    c.non_negative("cover.margin_mm", w.cover->margin_mm);
  }
  void operator()(const BarGroup& g) {
    c.positive("pitch_mm", g.pitch_mm);
    if (g.bar_count < 2) c.note("bar_count must be >= 2 (got " + std::to_string(g.bar_count) + ")");
    c.positive("bar_length_mm", g.bar_length_mm);
    c.layer("", {g.material, g.thickness_mm});
  }
  void operator()(const ContrastPlateGroup& g) {
    c.rect("", g.base_area);
    c.layer("base_", g.base);
    c.solid("plate_material", g.plate_material);
    if (g.plates.empty()) c.note("plates must list at least 1 plate");
    for (std::size_t i = 0; i < g.plates.size(); ++i) plate(g, i);
  }
  void plate(const ContrastPlateGroup& g, std::size_t i) {
    const ContrastPlate& p = g.plates[i];
    const std::string where = "plate '" + p.id + "': ";
    c.rect(where, p.area);
    if (!(p.contrast_percent > 0 && p.contrast_percent <= 100))
      c.note(where + "contrast_percent must be in (0, 100] (got " + num(p.contrast_percent) + ")");
    for (const PointMm& corner : p.area.corners())
      if (!g.base_area.contains(corner)) {
        c.note(where + "lies outside the base area");
        break;
      }
  }
  void operator()(const MaterialBlock& b) {
    c.rect("", b.area);
    c.layer("", b.layer);
  }
  void operator()(const SharpEdge& e) {
    c.rect("", e.area);
    c.layer("", e.layer);
    const double a = std::abs(e.area.angle_deg);
    if (!(a >= min_edge_angle_deg && a <= max_edge_angle_deg))
      c.note("angle_deg must be within 2..10 degrees either way (got " + num(e.area.angle_deg) +
             ")");
  }
  void operator()(const OpenField& o) { c.rect("", o.area); }
};

bool inside(const Phantom& p, PointMm q, double radius_mm) {
  const double t = inside_tolerance_mm;
  return q.x_mm - radius_mm >= -t && q.y_mm - radius_mm >= -t &&
         q.x_mm + radius_mm <= p.width_mm + t && q.y_mm + radius_mm <= p.height_mm + t;
}

bool solid_inside(const Phantom& p, const Solid& s) {
  if (const auto* box = std::get_if<BoxSolid>(&s)) {
    for (const PointMm& corner : box->area.corners())
      if (!inside(p, corner, 0)) return false;
    return true;
  }
  if (const auto* disc = std::get_if<DiscSolid>(&s))
    return inside(p, disc->center, disc->diameter_mm / 2);
  const auto& cyl = std::get<CylinderSolid>(s);
  return inside(p, cyl.start, cyl.diameter_mm / 2) && inside(p, cyl.end, cyl.diameter_mm / 2);
}

// The feature's footprint (its solids, and its area for open fields) within the outline.
bool feature_inside(const Phantom& p, const Feature& f) {
  if (const auto* open = std::get_if<OpenField>(&f.shape))
    return solid_inside(p, BoxSolid{open->area, {}});
  Phantom one;
  one.width_mm = p.width_mm;
  one.height_mm = p.height_mm;
  one.features = {f};
  for (const SolidItem& item : solids(one))
    if (!solid_inside(p, item.solid)) return false;
  return true;
}

Status check_header(const Phantom& p, const std::string& src) {
  auto bad = [&](const std::string& what) { return fail(ErrorCode::input, src + ": " + what); };
  if (p.format_version != phantom_format_version)
    return bad("format_version must be " + std::to_string(phantom_format_version));
  if (p.id.empty()) return bad("id must not be empty");
  for (char ch : p.id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
      return bad("id '" + p.id + "' may only hold a-z, 0-9, '-' and '_'");
  if (p.revision < 1) return bad("revision must be >= 1");
  if (p.name.empty()) return bad("name must not be empty");
  if (!(p.width_mm > 0 && std::isfinite(p.width_mm)))
    return bad("size.width_mm must be > 0 (got " + num(p.width_mm) + ")");
  if (!(p.height_mm > 0 && std::isfinite(p.height_mm)))
    return bad("size.height_mm must be > 0 (got " + num(p.height_mm) + ")");
  if (p.base.material == Material::air ? !(p.base.thickness_mm >= 0)
                                       : !(p.base.thickness_mm > 0))
    return bad("base.thickness_mm must be > 0 for " +
               std::string(material_name(p.base.material)) + " (got " +
               num(p.base.thickness_mm) + ")");
  return {};
}

}  // namespace

Status validate_phantom(const Phantom& phantom) {
  const std::string src = phantom.source.empty() ? "phantom '" + phantom.id + "'" : phantom.source;
  if (auto ok = check_header(phantom, src); !ok) return ok;
  std::set<std::string> ids;
  auto claim = [&](const std::string& id) { return !id.empty() && ids.insert(id).second; };
  int fiducials = 0;
  for (const Feature& f : phantom.features) {
    const std::string who = src + ": feature '" + f.id + "': ";
    if (!claim(f.id))
      return fail(ErrorCode::input, who + (f.id.empty() ? "id must not be empty" : "duplicate id"));
    if (const auto* g = std::get_if<ContrastPlateGroup>(&f.shape))
      for (const auto& plate : g->plates)
        if (!claim(plate.id))
          return fail(ErrorCode::input,
                      who + "plate id '" + plate.id + "' is empty or used twice in the phantom");
    Checker checker;
    std::visit(ShapeChecks{checker}, f.shape);
    if (!checker.problem().empty()) return fail(ErrorCode::input, who + checker.problem());
    if (!feature_inside(phantom, f))
      return fail(ErrorCode::input, who + "lies outside the phantom outline (0..." +
                                        num(phantom.width_mm) + " x 0..." +
                                        num(phantom.height_mm) + " mm)");
    if (f.type() == FeatureType::fiducial) ++fiducials;
  }
  if (fiducials < 3)
    return fail(ErrorCode::input, src + ": needs at least 3 fiducial discs to be located (has " +
                                      std::to_string(fiducials) + ")");
  return {};
}

}  // namespace niikit::phantoms
