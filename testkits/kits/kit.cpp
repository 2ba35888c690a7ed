// The kit registry, dispatch and the JSON form of results.
#include "testkits/kits/kit.hpp"

#include <QJsonArray>

#include <fmt/format.h>

#include "testkits/kits/cabinet.hpp"
#include "testkits/kits/cargo.hpp"
#include "testkits/kits/portable.hpp"

namespace niikit::testkits::kits {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::not_judged: return "not_judged";
    case Verdict::info: return "info";
  }
  return "info";
}

std::string_view polarity_name(Polarity p) {
  switch (p) {
    case Polarity::automatic: return "auto";
    case Polarity::normal: return "normal";
    case Polarity::inverted: return "inverted";
  }
  return "auto";
}

std::string_view test_status_name(TestStatus s) { return s == TestStatus::ran ? "ran" : "not_run"; }

std::string_view better_name(Better b) {
  switch (b) {
    case Better::higher: return "higher";
    case Better::lower: return "lower";
    case Better::nominal: return "nominal";
  }
  return "higher";
}

const TestEntry* KitResult::test(std::string_view test_id) const {
  for (const auto& t : tests)
    if (t.test_id == test_id) return &t;
  return nullptr;
}

std::optional<double> KitResult::metric(std::string_view key) const {
  for (const auto& t : tests)
    for (const auto& m : t.metrics)
      if (m.key == key) return m.value;
  return std::nullopt;
}

const std::vector<KitInfo>& kit_registry() {
  // The one explicit list of kits; order is the display order.
  static const std::vector<KitInfo> registry = {cargo_kit_info(), portable_kit_info(), cabinet_kit_info()};
  return registry;
}

const KitInfo* find_kit(std::string_view kit_id) {
  for (const auto& k : kit_registry())
    if (k.id == kit_id) return &k;
  return nullptr;
}

Result<KitResult> run_kit(std::string_view kit_id, const KitInput& input) {
  const KitInfo* kit = find_kit(kit_id);
  if (!kit) {
    std::string names;
    for (const auto& k : kit_registry()) names += (names.empty() ? "" : ", ") + k.id;
    return fail(ErrorCode::not_found, fmt::format("kit '{}' unknown (known: {})", kit_id, names));
  }
  for (const auto& t : input.options.tests) {
    bool known = false;
    for (const auto& ti : kit->tests) known = known || ti.id == t;
    if (!known) return fail(ErrorCode::usage, fmt::format("kit {}: no test '{}'", kit_id, t));
  }
  return kit->run(input);
}

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QJsonArray strings(const std::vector<std::string>& v) {
  QJsonArray a;
  for (const auto& s : v) a.append(qs(s));
  return a;
}

QJsonObject point(cv::Point2d p) { return {{"x_px", p.x}, {"y_px", p.y}}; }

QJsonObject overrides_json(const LocateOverrides& v) {
  QJsonObject ov;
  if (v.center_x_px) ov["center_x_px"] = *v.center_x_px;
  if (v.center_y_px) ov["center_y_px"] = *v.center_y_px;
  if (v.angle_deg) ov["angle_deg"] = *v.angle_deg;
  if (v.scale) ov["scale"] = *v.scale;
  if (v.flip_x) ov["flip_x"] = *v.flip_x;
  if (v.flip_y) ov["flip_y"] = *v.flip_y;
  if (v.polarity) ov["polarity"] = qs(polarity_name(*v.polarity));
  return ov;
}

QJsonObject options_json(const KitOptions& o) {
  QJsonObject j{{"pixel_mm_x", o.pixel_mm_x},
                {"pixel_mm_y", o.pixel_mm_y},
                {"max_residual_px", o.max_residual_px},
                {"penetration_t", o.penetration_t},
                {"rose_k", o.rose_k},
                {"wire_false_alarm", o.wire_false_alarm},
                {"bar_modulation", o.bar_modulation},
                {"mtf_min_edge_snr", o.mtf_min_edge_snr},
                {"wire_reference_steel_mm", o.wire_reference_steel_mm},
                {"contrast_reference_mm", o.contrast_reference_mm},
                {"material_calibration", qs(o.material_calibration)},
                {"tests", strings(o.tests)}};
  j["overrides"] = overrides_json(o.overrides);
  QJsonArray views;
  for (const auto& v : o.view_overrides) views.append(overrides_json(v));
  if (!views.isEmpty()) j["view_overrides"] = views;
  j["polarity"] = qs(polarity_name(o.polarity));
  if (o.dark_level) j["dark_level"] = *o.dark_level;
  return j;
}

QJsonObject test_json(const TestEntry& t) {
  QJsonArray metrics;
  for (const auto& m : t.metrics) metrics.append(QJsonObject{{"key", qs(m.key)}, {"value", m.value}, {"unit", qs(m.unit)}});
  QJsonArray rois;
  for (const auto& r : t.rois) {
    QJsonArray poly;
    for (const auto& p : r.polygon) poly.append(point(p));
    rois.append(QJsonObject{{"label", qs(r.label)}, {"verdict", qs(verdict_name(r.verdict))}, {"polygon_px", poly}});
  }
  QJsonArray series;
  for (const auto& s : t.series) {
    QJsonArray x, y;
    for (double v : s.x) x.append(v);
    for (double v : s.y) y.append(v);
    series.append(QJsonObject{{"name", qs(s.name)}, {"x_unit", qs(s.x_unit)}, {"y_unit", qs(s.y_unit)}, {"x", x}, {"y", y}});
  }
  QJsonObject j{{"test_id", qs(t.test_id)},
                {"title", qs(t.title)},
                {"method", qs(t.method)},
                {"status", qs(test_status_name(t.status))},
                {"metrics", metrics},
                {"rule", qs(t.rule)},
                {"threshold", t.threshold},
                {"provenance", qs(t.provenance)},
                {"verdict", qs(verdict_name(t.verdict))},
                {"result_text", qs(t.result_text)},
                {"rois", rois},
                {"series", series},
                {"details", strings(t.details)},
                {"warnings", strings(t.warnings)},
                {"missing", strings(t.missing)}};
  if (t.status == TestStatus::not_run) j["not_run_reason"] = qs(t.not_run_reason);
  return j;
}

}  // namespace

QJsonObject kit_result_to_json(const KitResult& r) {
  const auto& l = r.located;
  QJsonArray m;
  for (double v : l.mm_to_px.m) m.append(v);
  QJsonArray fids;
  for (const auto& f : l.fiducials) {
    QJsonObject o{{"feature_id", qs(f.feature_id)}, {"expected", point(f.expected_px)}, {"residual_px", f.residual_px}};
    if (f.found_px) o["found"] = point(*f.found_px);
    fids.append(o);
  }
  QJsonObject located{{"mm_to_px", m},
                      {"residual_px", l.residual_px},
                      {"rotation_deg", l.rotation_deg},
                      {"scale_x", l.scale_x},
                      {"scale_y", l.scale_y},
                      {"flipped_x", l.flipped_x},
                      {"flipped_y", l.flipped_y},
                      {"inverted", l.inverted},
                      {"polarity", l.inverted ? "inverted" : "normal"},
                      {"polarity_method", qs(l.polarity_method)},
                      {"overridden", l.overridden},
                      {"air_level", l.air_level},
                      {"dark_level", l.dark_level},
                      {"dark_method", qs(l.dark_method)},
                      {"fiducials", fids}};
  QJsonArray tests;
  for (const auto& t : r.tests) tests.append(test_json(t));
  QJsonObject metrics;
  for (const auto& t : r.tests)
    for (const auto& mv : t.metrics) metrics[qs(mv.key)] = mv.value;
  return {{"kit_id", qs(r.kit_id)},
          {"kit_version", qs(r.kit_version)},
          {"phantom_id", qs(r.phantom_id)},
          {"phantom_name", qs(r.phantom_name)},
          {"phantom_revision", r.phantom_revision},
          {"image", qs(r.image_source)},
          {"pixel_mm_x", r.pixel_mm_x},
          {"pixel_mm_y", r.pixel_mm_y},
          {"located", located},
          {"metrics", metrics},
          {"tests", tests},
          {"warnings", strings(r.warnings)},
          {"missing_features", strings(r.missing_features)},
          {"options", options_json(r.options)}};
}

QJsonObject kit_info_to_json(const KitInfo& k) {
  QJsonArray tests;
  for (const auto& t : k.tests) {
    QJsonArray metrics;
    for (const auto& mi : t.metrics)
      metrics.append(QJsonObject{{"key", qs(mi.key)},
                                 {"unit", qs(mi.unit)},
                                 {"better", qs(better_name(mi.better))},
                                 {"description", qs(mi.description)}});
    tests.append(QJsonObject{{"id", qs(t.id)},
                             {"title", qs(t.title)},
                             {"method", qs(t.method)},
                             {"default_threshold", qs(t.default_threshold)},
                             {"needs_low_energy", t.needs_low_energy},
                             {"needs_blanks", t.needs_blanks},
                             {"metrics", metrics}});
  }
  return {{"id", qs(k.id)},
          {"version", qs(k.version)},
          {"title", qs(k.title)},
          {"standard", qs(k.standard)},
          {"default_phantom", qs(k.default_phantom)},
          {"family", qs(phantoms::method_family_name(k.family))},
          {"description", qs(k.description)},
          {"tests", tests}};
}

}  // namespace niikit::testkits::kits
