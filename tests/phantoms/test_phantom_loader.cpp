// The phantom loader: shipped phantoms load and validate; malformed definitions are refused
// with ErrorCode::input and a one-line message naming the file and the feature.
#define BOOST_TEST_MODULE test_phantom_loader
#include <boost/test/unit_test.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <map>
#include <QTemporaryDir>
#include <string>

#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"

using namespace niikit;
using namespace niikit::phantoms;

namespace {

// A small valid phantom; tests break one thing at a time by text replacement.
const std::string good_json = R"({
  "format_version": 1, "id": "mini", "name": "mini", "standard": "none",
  "method_family": "custom",
  "size": {"width_mm": 100, "height_mm": 80},
  "base": {"material": "air", "thickness_mm": 0},
  "features": [
    {"id": "f1", "type": "fiducial", "center_x_mm": 5, "center_y_mm": 5, "diameter_mm": 4, "thickness_mm": 1},
    {"id": "f2", "type": "fiducial", "center_x_mm": 95, "center_y_mm": 5, "diameter_mm": 4, "thickness_mm": 1},
    {"id": "f3", "type": "fiducial", "center_x_mm": 5, "center_y_mm": 75, "diameter_mm": 4, "thickness_mm": 1},
    {"id": "w3", "type": "wire", "x1_mm": 20, "y1_mm": 20, "x2_mm": 60, "y2_mm": 25, "diameter_mm": 0.5, "material": "copper"},
    {"id": "cp", "type": "contrast_plates", "x_mm": 20, "y_mm": 40, "width_mm": 40, "height_mm": 30,
     "base_material": "steel", "base_thickness_mm": 50, "plate_material": "steel",
     "plates": [{"id": "cp1", "contrast_percent": 1, "x_mm": 25, "y_mm": 45, "width_mm": 10, "height_mm": 10}]},
    {"id": "e1", "type": "edge", "x_mm": 70, "y_mm": 40, "width_mm": 20, "height_mm": 20, "angle_deg": 5, "material": "lead", "thickness_mm": 1}
  ]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << from << "' not in the JSON");
  text.replace(at, from.size(), to);
  return text;
}

struct BadCase {
  std::string what;
  std::string json;
  std::string expect_in_message;  // substring the one-line message must hold
};

std::vector<BadCase> bad_cases() {
  return {
      {"syntax error", replaced(good_json, "\"id\": \"mini\",", "\"id\": \"mini\""), "invalid JSON"},
      {"unknown top-level key", replaced(good_json, "\"name\": \"mini\"", "\"name\": \"mini\", \"colour\": 1"),
       "unknown key 'colour'"},
      {"unknown key in a feature", replaced(good_json, "\"diameter_mm\": 0.5", "\"diamter_mm\": 0.5"),
       "feature 'w3': unknown key 'diamter_mm'"},
      {"missing field", replaced(good_json, "\"diameter_mm\": 0.5, ", ""),
       "feature 'w3': diameter_mm missing"},
      {"wrong type", replaced(good_json, "\"diameter_mm\": 0.5", "\"diameter_mm\": \"0.5\""),
       "feature 'w3': diameter_mm: expected a number, got a string"},
      {"duplicate id", replaced(good_json, "\"id\": \"e1\"", "\"id\": \"w3\""),
       "feature 'w3': duplicate id"},
      {"plate id clashing with a feature id", replaced(good_json, "\"id\": \"cp1\"", "\"id\": \"f1\""),
       "feature 'cp': plate id 'f1'"},
      {"unknown material", replaced(good_json, "\"material\": \"copper\"", "\"material\": \"gold\""),
       "feature 'w3': material: unknown value 'gold'"},
      {"negative diameter", replaced(good_json, "\"diameter_mm\": 0.5", "\"diameter_mm\": -0.5"),
       "feature 'w3': diameter_mm must be > 0"},
      {"zero-length wire", replaced(good_json, "\"x2_mm\": 60, \"y2_mm\": 25", "\"x2_mm\": 20, \"y2_mm\": 20"),
       "feature 'w3': wire length must be > 0"},
      {"feature outside the outline", replaced(good_json, "\"x2_mm\": 60", "\"x2_mm\": 160"),
       "feature 'w3': lies outside the phantom outline"},
      {"too few fiducials", replaced(good_json, "\"id\": \"f3\", \"type\": \"fiducial\", \"center_x_mm\": 5, \"center_y_mm\": 75, \"diameter_mm\": 4, \"thickness_mm\": 1",
                "\"id\": \"f3\", \"type\": \"open_field\", \"x_mm\": 1, \"y_mm\": 70, \"width_mm\": 8, \"height_mm\": 8"),
       "at least 3 fiducial"},
      {"edge angle out of range", replaced(good_json, "\"angle_deg\": 5", "\"angle_deg\": 30"),
       "feature 'e1': angle_deg must be within 2..10"},
      {"edge without angle", replaced(good_json, "\"angle_deg\": 5, ", ""), "feature 'e1': angle_deg missing"},
      {"plate outside its base", replaced(good_json, "\"x_mm\": 25, \"y_mm\": 45", "\"x_mm\": 55, \"y_mm\": 45"),
       "plate 'cp1': lies outside the base area"},
      {"contrast percent out of range", replaced(good_json, "\"contrast_percent\": 1", "\"contrast_percent\": 0"),
       "contrast_percent must be in (0, 100]"},
      {"unknown feature type", replaced(good_json, "\"type\": \"edge\"", "\"type\": \"blob\""),
       "feature 'e1': type: unknown value 'blob'"},
      {"feature without id", replaced(good_json, "\"id\": \"e1\", ", ""), "feature #6: id missing"},
      {"wrong format version", replaced(good_json, "\"format_version\": 1", "\"format_version\": 2"),
       "format_version 2 not supported"},
      {"zero size", replaced(good_json, "\"width_mm\": 100", "\"width_mm\": 0"), "size.width_mm must be > 0"},
      {"repeated key", replaced(good_json, "\"diameter_mm\": 0.5", "\"diameter_mm\": 0.5, \"diameter_mm\": 5"),
       "line 10: duplicate key 'diameter_mm'"},
      {"features not an array", replaced(good_json, "\"features\": [", "\"features\": {\"a\": ["),
       "invalid JSON"},
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_minimal_example_loads) {
  auto p = parse_phantom(good_json, "mini.json");
  BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
  BOOST_TEST(p->features.size() == 6U);
  BOOST_TEST(p->of_type(FeatureType::fiducial).size() == 3U);
  const auto& wire = std::get<Wire>(p->find("w3")->shape);
  BOOST_TEST(wire.diameter_mm == 0.5);
  BOOST_TEST((wire.material == Material::copper));
  const auto& plates = std::get<ContrastPlateGroup>(p->find("cp")->shape);
  BOOST_TEST(plates.plate_thickness_mm(plates.plates.at(0)) == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(p->source == "mini.json");
}

BOOST_AUTO_TEST_CASE(every_malformed_definition_is_an_input_error_naming_file_and_feature) {
  for (const auto& c : bad_cases()) {
    BOOST_TEST_CONTEXT("case: " << c.what) {
      auto p = parse_phantom(c.json, "phantoms/x.json");
      BOOST_TEST_REQUIRE(!p.has_value());
      BOOST_TEST(static_cast<int>(p.error().code) == static_cast<int>(ErrorCode::input));
      const std::string& m = p.error().message;
      BOOST_TEST(m.rfind("phantoms/x.json: ", 0) == 0U, m);
      BOOST_TEST(m.find(c.expect_in_message) != std::string::npos, m);
      BOOST_TEST(m.find('\n') == std::string::npos, m);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_shipped_phantom_loads_and_validates) {
  auto files = list_phantom_files(shipped_phantom_dir());
  BOOST_TEST_REQUIRE(files.has_value());
  BOOST_TEST_REQUIRE(files->size() >= 3U);
  std::vector<std::string> ids;
  for (const auto& path : *files) {
    BOOST_TEST_CONTEXT(path) {
      auto p = load_phantom(path);
      BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
      BOOST_TEST(validate_phantom(*p).has_value());
      BOOST_TEST(p->of_type(FeatureType::fiducial).size() >= 4U);
      BOOST_TEST(QFileInfo(QString::fromStdString(path)).completeBaseName().toStdString() == p->id);
      ids.push_back(p->id);
    }
  }
  for (const char* id : {"cargo-iec62523", "cabinet-astm-f792", "portable-n4255"})
    BOOST_TEST((std::find(ids.begin(), ids.end(), id) != ids.end()), id);
}

BOOST_AUTO_TEST_CASE(shipped_phantoms_serve_their_methods) {
  auto cargo = resolve_phantom("cargo-iec62523");
  BOOST_TEST_REQUIRE(cargo.has_value(), (cargo ? "" : cargo.error().message));
  BOOST_TEST((cargo->method_family == MethodFamily::cargo));
  const auto& wedge = std::get<StepWedge>(cargo->find("pen-steel")->shape);
  BOOST_TEST(wedge.behind.has_value());
  BOOST_TEST(wedge.step_thicknesses_mm.front() == 100.0);
  BOOST_TEST(wedge.step_thicknesses_mm.back() == 400.0);
  BOOST_TEST(cargo->of_type(FeatureType::material_block).size() == 5U);
  for (const Feature* f : cargo->of_type(FeatureType::wire)) {
    const double a = std::abs(std::get<Wire>(f->shape).angle_deg());
    BOOST_TEST((a >= 5.0 && a <= 15.0), f->id << " angle " << a);
  }
  auto cabinet = resolve_phantom("cabinet-astm-f792");
  BOOST_TEST_REQUIRE(cabinet.has_value());
  const auto& awg40 = std::get<Wire>(cabinet->find("wd-awg40")->shape);
  BOOST_TEST(awg40.diameter_mm == 0.080, boost::test_tools::tolerance(0.005));
  auto portable = resolve_phantom("portable-n4255");
  BOOST_TEST_REQUIRE(portable.has_value());
  const auto& foil = std::get<SharpEdge>(portable->find("edge-foil")->shape);
  BOOST_TEST(foil.area.width_mm == foil.area.height_mm);
}

BOOST_AUTO_TEST_CASE(solids_cover_every_feature) {
  auto cargo = resolve_phantom("cargo-iec62523");
  BOOST_TEST_REQUIRE(cargo.has_value());
  const auto all = solids(*cargo);
  // pen-steel: 7 steps + 7 lead blocks.
  const auto wedge_solids = std::count_if(all.begin(), all.end(),
                                          [](const SolidItem& s) { return s.feature_id == "pen-steel"; });
  BOOST_TEST(wedge_solids == 14);
  const auto cylinders = std::count_if(all.begin(), all.end(), [](const SolidItem& s) {
    return std::holds_alternative<CylinderSolid>(s.solid);
  });
  BOOST_TEST(static_cast<std::size_t>(cylinders) == cargo->of_type(FeatureType::wire).size());
}

BOOST_AUTO_TEST_CASE(missing_files_and_ids_are_not_found) {
  auto p = load_phantom("/nonexistent/phantom.json");
  BOOST_TEST_REQUIRE(!p.has_value());
  BOOST_TEST(static_cast<int>(p.error().code) == static_cast<int>(ErrorCode::not_found));
  auto q = resolve_phantom("no-such-phantom");
  BOOST_TEST_REQUIRE(!q.has_value());
  BOOST_TEST(static_cast<int>(q.error().code) == static_cast<int>(ErrorCode::not_found));
  auto d = list_phantom_files("/nonexistent-dir");
  BOOST_TEST(!d.has_value());
}

BOOST_AUTO_TEST_CASE(a_file_with_an_error_names_its_path) {
  QTemporaryDir dir;
  BOOST_TEST_REQUIRE(dir.isValid());
  const std::string path = (dir.path() + "/bad.json").toStdString();
  QFile f(QString::fromStdString(path));
  BOOST_TEST_REQUIRE(f.open(QIODevice::WriteOnly));
  const std::string text = replaced(good_json, "\"diameter_mm\": 0.5, ", "");
  f.write(text.data(), static_cast<qint64>(text.size()));
  f.close();
  auto p = load_phantom(path);
  BOOST_TEST_REQUIRE(!p.has_value());
  BOOST_TEST(p.error().message == path + ": feature 'w3': diameter_mm missing");
}

BOOST_AUTO_TEST_CASE(writing_then_parsing_gives_the_same_phantom) {
  auto files = list_phantom_files(shipped_phantom_dir());
  BOOST_TEST_REQUIRE(files.has_value());
  for (const auto& path : *files) {
    BOOST_TEST_CONTEXT(path) {
      auto p = load_phantom(path);
      BOOST_TEST_REQUIRE(p.has_value());
      const std::string once = phantom_to_json(*p);
      auto again = parse_phantom(once, "round-trip");
      BOOST_TEST_REQUIRE(again.has_value(), (again ? "" : again.error().message));
      BOOST_TEST(phantom_to_json(*again) == once);
      BOOST_TEST(again->features.size() == p->features.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(the_worked_example_in_the_docs_validates) {
  QFile doc(QStringLiteral(NIIKIT_SOURCE_DIR "/docs/phantom-format.md"));
  BOOST_TEST_REQUIRE(doc.open(QIODevice::ReadOnly));
  const std::string text = doc.readAll().toStdString();
  const auto start = text.find("```json\n");
  BOOST_TEST_REQUIRE(start != std::string::npos);
  const auto body = start + 8;
  const auto end = text.find("```", body);
  auto p = parse_phantom(std::string_view(text).substr(body, end - body), "docs/phantom-format.md");
  BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
  BOOST_TEST(p->id == "lab-plate");
  BOOST_TEST(p->features.size() == 10U);
  const auto& cs = std::get<ContrastPlateGroup>(p->find("cs")->shape);
  BOOST_TEST(cs.plate_thickness_mm(cs.plates.at(1)) == 0.4, boost::test_tools::tolerance(1e-12));
}

namespace {
struct Box {
  double x0, y0, x1, y1;
};
Box bounds(const Solid& s) {
  if (const auto* b = std::get_if<BoxSolid>(&s)) {
    Box out{1e18, 1e18, -1e18, -1e18};
    for (const auto& c : b->area.corners())
      out = {std::min(out.x0, c.x_mm), std::min(out.y0, c.y_mm), std::max(out.x1, c.x_mm), std::max(out.y1, c.y_mm)};
    return out;
  }
  if (const auto* d = std::get_if<DiscSolid>(&s)) {
    const double r = d->diameter_mm / 2;
    return {d->center.x_mm - r, d->center.y_mm - r, d->center.x_mm + r, d->center.y_mm + r};
  }
  const auto& w = std::get<CylinderSolid>(s);
  const double r = w.diameter_mm / 2;
  return {std::min(w.start.x_mm, w.end.x_mm) - r, std::min(w.start.y_mm, w.end.y_mm) - r,
          std::max(w.start.x_mm, w.end.x_mm) + r, std::max(w.start.y_mm, w.end.y_mm) + r};
}
}  // namespace

BOOST_AUTO_TEST_CASE(shipped_features_only_overlap_where_meant_to) {
  // Features are additive; in the shipped phantoms only the organic-detection plastic lies
  // across its steel plate on purpose. Anything else overlapping is a layout mistake.
  auto files = list_phantom_files(shipped_phantom_dir());
  BOOST_TEST_REQUIRE(files.has_value());
  for (const auto& path : *files) {
    auto p = load_phantom(path);
    BOOST_TEST_REQUIRE(p.has_value());
    std::map<std::string, Box> feature_box;
    for (const auto& item : solids(*p)) {
      if (item.feature_id.empty()) continue;  // the base
      const Feature* f = p->find(item.feature_id);
      const std::string owner = f ? f->id : std::string("plate");
      if (!f) continue;  // contrast plates lie on their own base by design
      const Box b = bounds(item.solid);
      auto [it, fresh] = feature_box.try_emplace(owner, b);
      if (!fresh)
        it->second = {std::min(it->second.x0, b.x0), std::min(it->second.y0, b.y0), std::max(it->second.x1, b.x1),
                      std::max(it->second.y1, b.y1)};
    }
    for (auto a = feature_box.begin(); a != feature_box.end(); ++a)
      for (auto b = std::next(a); b != feature_box.end(); ++b) {
        const bool overlap = a->second.x0 < b->second.x1 && b->second.x0 < a->second.x1 &&
                             a->second.y0 < b->second.y1 && b->second.y0 < a->second.y1;
        const bool meant = a->first == "od-plastic" && b->first == "od-steel";
        BOOST_TEST((!overlap || meant), path << ": " << a->first << " overlaps " << b->first);
      }
  }
}
