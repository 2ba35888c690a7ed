// Dual-energy material classification (testkits/metrics/material_classes) and `niikit iq
// material`, on generator-rendered dual-energy scans of the shipped cargo and cabinet phantoms
// (fixed seeds): what the preset energies can and cannot separate, diagonal confusion tables
// with a calibration made from reference scans, graceful failure at very low dose.
#define BOOST_TEST_MODULE test_material_classes
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "phantoms/generator/render.hpp"
#include "phantoms/generator/scan_files.hpp"
#include "phantoms/materials.hpp"
#include "phantoms/phantom.hpp"
#include "support/temp_dir.hpp"
#include "testkits/metrics/material_classes.hpp"

namespace tk = niikit::testkits;
namespace ph = niikit::phantoms;
namespace gen = niikit::phantoms::generator;
using niikit::ErrorCode;

namespace {

struct Scene {
  gen::RenderedScan scan;
  std::vector<tk::MaterialSample> blocks;
  tk::DualEnergyLevels levels;
  std::map<std::string, std::string> material_of;  // label → material name
};

// The phantom's material blocks as samples (ROI = the block's pixel footprint inset by 15 %).
std::vector<tk::MaterialSample> block_samples(const ph::Phantom& p, const gen::Placement& placement,
                                              std::map<std::string, std::string>& material_of) {
  std::vector<tk::MaterialSample> out;
  for (const auto& f : p.features) {
    const auto* block = std::get_if<ph::MaterialBlock>(&f.shape);
    if (!block) continue;
    const auto& a = block->area;
    const auto tl = placement.to_px({a.x_mm + 0.15 * a.width_mm, a.y_mm + 0.15 * a.height_mm});
    const auto br = placement.to_px({a.x_mm + 0.85 * a.width_mm, a.y_mm + 0.85 * a.height_mm});
    tk::MaterialSample s;
    s.label = f.id;
    s.expected_class = std::string(ph::material_class_name(block->expected_class));
    s.roi = {static_cast<int>(std::ceil(tl.x_px)), static_cast<int>(std::ceil(tl.y_px)),
             static_cast<int>(br.x_px - tl.x_px) - 1, static_cast<int>(br.y_px - tl.y_px) - 1};
    material_of[f.id] = std::string(ph::material_name(block->layer.material));
    out.push_back(s);
  }
  return out;
}

gen::RenderOptions dual_options(gen::BeamPreset beam, double dose, unsigned long long seed, double high_keV = 0,
                                double low_keV = 0, double pixel_mm = 1.0) {
  gen::RenderOptions o;
  o.beam = beam;
  o.dose_photons = dose;
  o.seed = seed;
  o.energy_high_keV = high_keV;
  o.energy_low_keV = low_keV;
  o.pixel_mm_x = o.pixel_mm_y = pixel_mm;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 0.5 * pixel_mm;
  o.supersample = 2;
  return o;
}

Scene render(const std::string& phantom_id, const gen::RenderOptions& o) {
  auto p = ph::resolve_phantom(phantom_id);
  BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
  auto scan = gen::render_scan(*p, o);
  BOOST_TEST_REQUIRE(scan.has_value(), (scan ? "" : scan.error().message));
  Scene s;
  s.scan = std::move(*scan);
  s.blocks = block_samples(*p, s.scan.truth.placement, s.material_of);
  const auto* air = s.scan.truth.region("air");
  BOOST_TEST_REQUIRE((air && air->roi_px));
  const cv::Rect a = *air->roi_px;
  const tk::RoiPx air_roi{a.x, a.y, a.width, a.height};
  auto levels = tk::measure_air_levels(s.scan.planes[0].pixels, s.scan.planes[1].pixels, std::span(&air_roi, 1),
                                       o.dark_offset_counts, o.dark_offset_counts);
  BOOST_TEST_REQUIRE(levels.has_value(), (levels ? "" : levels.error().message));
  s.levels = *levels;
  return s;
}

std::vector<tk::MaterialResult> classify(const Scene& s, const tk::MaterialCalibration& cal) {
  auto r = tk::classify_blocks(s.scan.planes[0].pixels, s.scan.planes[1].pixels, s.levels, s.blocks, cal);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  return *r;
}

const tk::MaterialResult& by_label(const std::vector<tk::MaterialResult>& rs, const std::string& label) {
  return *std::find_if(rs.begin(), rs.end(), [&](const auto& r) { return r.label == label; });
}

bool has_warning(const tk::MaterialResult& r, const std::string& prefix) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const auto& w) { return w.rfind(prefix, 0) == 0; });
}

void log_results(const std::string& title, const std::vector<tk::MaterialResult>& rs) {
  BOOST_TEST_MESSAGE(title);
  for (const auto& r : rs)
    BOOST_TEST_MESSAGE("  " << r.label << ": A_high " << r.a_high << " R " << r.r << " ± " << r.r_sigma << " → "
                            << r.measured_class << " (expected " << r.expected_class << ")");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(material_classes)

// The built-in calibrations are R = µ/ρ(low)/µ/ρ(high) of the generator's own tables.
BOOST_AUTO_TEST_CASE(default_calibrations_follow_the_generator_attenuation_tables) {
  using M = ph::Material;
  const struct {
    const char* beam;
    double high, low;
  } presets[] = {{"dual-mev", 2000, 1400}, {"dual-kv", 70, 40}};
  for (const auto& p : presets) {
    auto cal = tk::default_material_calibration(p.beam);
    BOOST_TEST_REQUIRE(cal.has_value());
    auto r = [&](M m) { return ph::mass_attenuation_cm2_g(m, p.low) / ph::mass_attenuation_cm2_g(m, p.high); };
    const std::map<std::string, double> expected{{"organic", (r(M::polyethylene) + r(M::pom)) / 2},
                                                 {"mixed", r(M::aluminium)},
                                                 {"inorganic", r(M::steel)},
                                                 {"heavy", r(M::lead)}};
    BOOST_TEST(cal->classes.size() == 4u);
    for (const auto& k : cal->classes) {
      BOOST_TEST_CONTEXT(p.beam << " " << k.name) {
        BOOST_TEST(std::abs(k.points.front().r - expected.at(k.name)) <= 1e-4);
        BOOST_TEST(k.points.front().r == k.points.back().r);  // mono-energetic: flat in A_high
      }
    }
  }
  auto none = tk::default_material_calibration("mev");
  BOOST_TEST((!none && none.error().code == ErrorCode::not_found));
}

// At the dual-mev preset (2000/1400 keV) organic, mixed and inorganic blocks separate, but lead
// and steel differ by 0.03 % in R: the result says so rather than pretending.
BOOST_AUTO_TEST_CASE(cargo_dual_mev_preset_separates_three_classes_and_flags_lead) {
  const Scene s = render("cargo-iec62523", dual_options(gen::BeamPreset::dual_mev, 10000, 1));
  auto cal = tk::default_material_calibration("dual-mev");
  BOOST_TEST_REQUIRE(cal.has_value());
  const auto rs = classify(s, *cal);
  log_results("cargo, dual-mev preset, default calibration", rs);
  BOOST_TEST(rs.size() == 5u);
  for (const char* id : {"md-polyethylene", "md-pom", "md-aluminium", "md-steel"})
    BOOST_TEST(by_label(rs, id).correct, id << " → " << by_label(rs, id).measured_class);
  const auto& lead = by_label(rs, "md-lead");
  BOOST_TEST((lead.measured_class == "heavy" || lead.measured_class == "inorganic"));
  BOOST_TEST(has_warning(lead, "calibration:"));
  BOOST_TEST(std::abs(lead.r - 1.18551) <= 0.003);
}

// At the dual-kv preset (70/40 keV) the 1 mm lead block lets ~1e-7 of the 40 keV beam through:
// starved, unclassified, and said so; the other blocks are right.
BOOST_AUTO_TEST_CASE(cabinet_dual_kv_preset_classifies_and_reports_starved_lead) {
  const Scene s = render("cabinet-astm-f792", dual_options(gen::BeamPreset::dual_kv, 10000, 1));
  auto cal = tk::default_material_calibration("dual-kv");
  BOOST_TEST_REQUIRE(cal.has_value());
  const auto rs = classify(s, *cal);
  log_results("cabinet, dual-kv preset, default calibration", rs);
  for (const char* id : {"md-polyethylene", "md-pom", "md-aluminium", "md-steel"})
    BOOST_TEST(by_label(rs, id).correct, id << " → " << by_label(rs, id).measured_class);
  const auto& lead = by_label(rs, "md-lead");
  BOOST_TEST(lead.measured_class == "unclassified");
  BOOST_TEST(has_warning(lead, "starved:"));
  const auto table = tk::confusion(rs);
  BOOST_TEST(table.total == 5);
  BOOST_TEST(table.correct == 4);
}

// Energies where every class differs in R (cargo 6000/1000 keV; cabinet 120/60 keV): a
// calibration built from one reference scan (seed 1) classifies every block of fresh scans
// (seeds 2, 3) correctly at nominal dose — the confusion table is diagonal.
BOOST_AUTO_TEST_CASE(reference_calibration_gives_a_diagonal_confusion_table) {
  const struct {
    const char* phantom;
    gen::BeamPreset beam;
    double high, low, pixel_mm;
  } cases[] = {{"cargo-iec62523", gen::BeamPreset::dual_mev, 6000, 1000, 2.0},
               {"cabinet-astm-f792", gen::BeamPreset::dual_kv, 120, 60, 0.5}};
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.phantom) {
      const Scene ref = render(c.phantom, dual_options(c.beam, 10000, 1, c.high, c.low, c.pixel_mm));
      auto cal = tk::calibrate_material_classes(ref.scan.planes[0].pixels, ref.scan.planes[1].pixels, ref.levels,
                                                ref.blocks);
      BOOST_TEST_REQUIRE(cal.has_value(), (cal ? "" : cal.error().message));
      BOOST_TEST(cal->classes.size() == 4u);
      std::vector<tk::MaterialResult> all;
      for (unsigned long long seed : {2ULL, 3ULL}) {
        const Scene s = render(c.phantom, dual_options(c.beam, 10000, seed, c.high, c.low, c.pixel_mm));
        const auto rs = classify(s, *cal);
        log_results(std::string(c.phantom) + " seed " + std::to_string(seed), rs);
        all.insert(all.end(), rs.begin(), rs.end());
      }
      const auto table = tk::confusion(all);
      BOOST_TEST(table.total == 10);
      BOOST_TEST(table.is_diagonal());
      BOOST_TEST(table.expected_classes == table.measured_classes);
      for (std::size_t i = 0; i < table.counts.size(); ++i)
        for (std::size_t j = 0; j < table.counts[i].size(); ++j)
          BOOST_TEST(table.counts[i][j] == (i == j ? (table.expected_classes[i] == "organic" ? 4 : 2) : 0));
    }
  }
}

// At a few photons per pixel R is noise: misclassifications appear, are counted in the table
// off the diagonal and never become errors.
BOOST_AUTO_TEST_CASE(very_low_dose_misclassifies_and_reports_without_failing) {
  const Scene ref = render("cabinet-astm-f792", dual_options(gen::BeamPreset::dual_kv, 10000, 1, 120, 60, 0.5));
  auto cal = tk::calibrate_material_classes(ref.scan.planes[0].pixels, ref.scan.planes[1].pixels, ref.levels, ref.blocks);
  BOOST_TEST_REQUIRE(cal.has_value());
  std::vector<tk::MaterialResult> all;
  for (unsigned long long seed : {11ULL, 12ULL, 13ULL}) {
    const Scene s = render("cabinet-astm-f792", dual_options(gen::BeamPreset::dual_kv, 2, seed, 120, 60, 0.5));
    const auto rs = classify(s, *cal);
    log_results("cabinet 120/60 keV, 2 photons/px, seed " + std::to_string(seed), rs);
    all.insert(all.end(), rs.begin(), rs.end());
  }
  const auto table = tk::confusion(all);
  int sum = 0, off = 0;
  for (std::size_t i = 0; i < table.counts.size(); ++i)
    for (std::size_t j = 0; j < table.counts[i].size(); ++j) {
      sum += table.counts[i][j];
      if (table.expected_classes[i] != table.measured_classes[j]) off += table.counts[i][j];
    }
  BOOST_TEST(table.total == 15);
  BOOST_TEST(sum == 15);
  BOOST_TEST(off == table.total - table.correct);
  BOOST_TEST(table.correct < table.total);
  BOOST_TEST_MESSAGE("2 photons/px: " << table.correct << " of " << table.total << " correct");
}

BOOST_AUTO_TEST_CASE(confusion_table_orders_classes_and_counts_unclassified) {
  auto res = [](std::string e, std::string m) {
    tk::MaterialResult r;
    r.expected_class = e;
    r.measured_class = m;
    r.correct = e == m;
    return r;
  };
  const std::vector<tk::MaterialResult> rs{res("heavy", "inorganic"), res("organic", "organic"),
                                           res("heavy", "unclassified"), res("", "mixed")};
  const auto t = tk::confusion(rs);
  BOOST_TEST(t.expected_classes == (std::vector<std::string>{"organic", "heavy"}), boost::test_tools::per_element());
  BOOST_TEST(t.measured_classes == (std::vector<std::string>{"organic", "inorganic", "heavy", "unclassified"}),
             boost::test_tools::per_element());
  BOOST_TEST(t.total == 3);
  BOOST_TEST(t.correct == 1);
  BOOST_TEST(!t.is_diagonal());
  BOOST_TEST(t.counts[1][1] == 1);
  BOOST_TEST(t.counts[1][3] == 1);
  // Boundaries are the mid-curves, sorted by R.
  auto cal = tk::default_material_calibration("dual-kv");
  const auto b = tk::material_boundaries(*cal, 1.0);
  BOOST_TEST(b.size() == 3u);
  BOOST_TEST(b[0].class_below == "organic");
  BOOST_TEST(b[0].r == (1.26794 + 2.42872) / 2, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(bad_inputs_give_errors) {
  const cv::Mat high(40, 40, CV_16U, cv::Scalar(30000)), low(40, 40, CV_16U, cv::Scalar(20000));
  const tk::RoiPx air{0, 0, 10, 10};
  auto levels = tk::measure_air_levels(high, low, std::span(&air, 1), 100, 100);
  BOOST_TEST_REQUIRE(levels.has_value());
  auto cal = tk::default_material_calibration("dual-mev");
  const std::vector<tk::MaterialSample> outside{{"b", "organic", {30, 30, 20, 20}}};
  auto r = tk::classify_blocks(high, low, *levels, outside, *cal);
  BOOST_TEST((!r && r.error().code == ErrorCode::input));
  BOOST_TEST(!tk::classify_blocks(high, cv::Mat(30, 40, CV_16U), *levels, {}, *cal));
  BOOST_TEST(!tk::measure_air_levels(high, low, std::span(&air, 1), 40000, 100));
  BOOST_TEST(!tk::measure_air_levels(high, low, {}, 0, 0));
  const std::vector<tk::MaterialReference> one{{"organic", 0.5, 1.2}};
  BOOST_TEST(!tk::calibrate_material_classes(one));
  const std::vector<tk::MaterialReference> unknown{{"organic", 0.5, 1.2}, {"metal", 0.5, 1.1}};
  BOOST_TEST(!tk::calibrate_material_classes(unknown));
  const std::vector<tk::MaterialReference> negative{{"organic", 0.5, 1.2}, {"heavy", -0.5, 1.1}};
  BOOST_TEST(!tk::calibrate_material_classes(negative));
  tk::MaterialCalibration empty;
  BOOST_TEST(!tk::classify_blocks(high, low, *levels, {}, empty));
  // A block in air (T ≈ 1) is a result: unclassified, "thin".
  const std::vector<tk::MaterialSample> thin{{"air", "organic", {10, 10, 20, 20}}};
  auto t = tk::classify_blocks(high, low, *levels, thin, *cal);
  BOOST_TEST_REQUIRE(t.has_value());
  BOOST_TEST(t->front().measured_class == "unclassified");
  BOOST_TEST(has_warning(t->front(), "thin:"));
}

BOOST_AUTO_TEST_CASE(iq_material_command_reports_blocks_and_confusion) {
  niikit::testing::TempDir dir;
  const Scene s = render("cabinet-astm-f792", dual_options(gen::BeamPreset::dual_kv, 10000, 1, 120, 60, 0.5));
  const std::string path = dir.file("cab.tif");
  auto written = gen::write_scan_files(s.scan, {path, "", dir.file("cab.truth.json")});
  BOOST_TEST_REQUIRE(written.has_value(), (written ? "" : written.error().message));
  const auto* air = s.scan.truth.region("air");
  const cv::Rect a = *air->roi_px;
  const std::string air_roi = tk::to_string(tk::RoiPx{a.x, a.y, a.width, a.height});
  std::string rois, refs;
  for (const auto& b : s.blocks) {
    rois += " --roi " + tk::to_string(b.roi) + ":" + b.label + ":" + b.expected_class;
    refs += " --reference-roi " + tk::to_string(b.roi) + ":" + b.label + ":" + b.expected_class;
  }
  auto run = niikit::testing::run_niikit("iq material " + path + rois + " --air-roi " + air_roi +
                                         " --dark 100" + refs + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"blocks", "confusion", "calibration", "air_high", "air_low", "dark_high", "dark_low"})
    BOOST_TEST(doc.contains(key), key);
  const auto blocks = doc.value("blocks").toArray();
  BOOST_TEST(blocks.size() == 5);
  for (const char* key : {"label", "roi", "expected_class", "measured_class", "correct", "a_high", "a_low", "r",
                          "r_sigma", "margin_sigma", "t_high", "t_low", "warnings"})
    BOOST_TEST(blocks.at(0).toObject().contains(key), key);
  BOOST_TEST(doc.value("confusion").toObject().value("diagonal").toBool());
  // The calibration object of --json is a calibration file.
  const std::string cal_path = dir.file("cal.json");
  niikit::testing::write_file(cal_path,
                              QJsonDocument(doc.value("calibration").toObject()).toJson().toStdString());
  run = niikit::testing::run_niikit("iq material " + path + rois + " --air-roi " + air_roi + " --dark 100 --calibration " +
                                    cal_path);
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  BOOST_TEST(run.out.find("confusion (5 of 5 correct)") != std::string::npos, run.out);
  // Usage and input errors.
  BOOST_TEST(niikit::testing::run_niikit("iq material " + path + rois + " --air-roi " + air_roi).status == 2);
  BOOST_TEST(niikit::testing::run_niikit("iq material " + path + " --roi 1,1,5,5:x:metal --air-roi " + air_roi +
                                         " --beam dual-kv")
                 .status == 2);
  BOOST_TEST(niikit::testing::run_niikit("iq material " + path + " --roi 100000,1,5,5 --air-roi " + air_roi +
                                         " --beam dual-kv")
                 .status == 3);
  BOOST_TEST(niikit::testing::run_niikit("iq material " + path + rois + " --air-roi " + air_roi + " --beam mev").status ==
             4);
}

BOOST_AUTO_TEST_SUITE_END()
