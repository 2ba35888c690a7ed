// The portable (ANSI N42.55) and cabinet (ASTM F792) kits on generated scans of their shipped
// phantoms: located within 0.5 px, every test produces its metric keys with plausible values,
// penetration matches the truth's clear cases, dual-energy classes are right, overlays draw.
#define BOOST_TEST_MODULE test_kits_others
#include <boost/test/unit_test.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>
#include <string>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/kits/kit.hpp"
#include "testkits/kits/overlay.hpp"
#include "testkits/metrics/n4255.hpp"
#include "testkits/kit_test_support.hpp"

using namespace niikit;
using namespace niikit::phantoms;
using namespace niikit::phantoms::generator;
using namespace niikit::testkits::kits;
using niikit::testing::kits::max_location_error;
using niikit::testing::kits::render_ok;
using niikit::testing::kits::shipped;

namespace {

RenderedScan render(const Phantom& p, const RenderOptions& o) { return render_ok(p, o); }

RenderOptions portable_options(double rotation) {
  RenderOptions o;
  o.beam = BeamPreset::high_kv;
  o.pixel_mm_x = o.pixel_mm_y = 0.5;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 0.4;
  o.dose_photons = 20000;
  o.supersample = 2;
  o.rotation_deg = rotation;
  o.margin_mm = 15;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(portable_kit_scores_every_n4255_test) {
  const Phantom p = shipped("portable-n4255.json");
  const auto scan = render(p, portable_options(3));
  KitInput in;
  in.image = scan.planes[0];
  in.phantom = p;
  for (double rot : {93.0, 183.0, 273.0}) in.views.push_back(render(p, portable_options(rot)).planes[0]);
  for (int k = 0; k < 2; ++k) {
    testkits::Image blank;
    blank.pixels = cv::Mat(500, 500, CV_16U);
    cv::RNG rng(7 + k);
    cv::Mat f(500, 500, CV_32F);
    rng.fill(f, cv::RNG::NORMAL, 40000, 200);
    f.convertTo(blank.pixels, CV_16U);
    blank.meta.pixel_mm_x = blank.meta.pixel_mm_y = 0.5;
    in.blanks.push_back(blank);
  }
  auto r = run_kit("portable", in);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  BOOST_TEST(max_location_error(r->located, scan.truth.placement, p) < 0.5);
  for (const char* key : {"portable.penetration.steel_mm", "portable.organic.snr", "portable.mtf.mtf20_lp_mm",
                          "portable.dynamic_range.ratio", "portable.neq.n4255_1lpmm", "portable.flatness.score",
                          "portable.extent.width_mm", "portable.aspect.ratio"})
    BOOST_TEST(r->metric(key).has_value(), key);
  BOOST_TEST(std::abs(r->metric("portable.aspect.ratio").value_or(0) - 1.0) < 0.02);
  // Physical MTF20 against the analytic Gaussian × pixel MTF (truth); the N42.55 figure against
  // the truth curve times the whole-pixel central difference's transfer sin(2πf)/(2πf).
  const double truth_mtf20 = scan.truth.mtf_x.mtf20_cycles_per_px / 0.5;
  BOOST_TEST(std::abs(r->metric("portable.mtf.mtf20_corrected_x_lp_mm").value_or(0) - truth_mtf20) < 0.1 * truth_mtf20);
  std::vector<testkits::MtfPoint> truth_curve;
  for (const auto& q : scan.truth.mtf_x.curve) truth_curve.push_back({q.cycles_per_px, q.mtf});
  const auto ref20 = testkits::n4255::mtf_crossing(testkits::n4255::reference_mtf(truth_curve), 0.2);
  BOOST_TEST_REQUIRE(ref20.has_value());
  BOOST_TEST(std::abs(r->metric("portable.mtf.mtf20_x_lp_mm").value_or(0) - *ref20 / 0.5) < 0.1 * *ref20 / 0.5);
  BOOST_TEST(*ref20 / 0.5 < 0.95 * truth_mtf20);  // the reference scoring reads lower
  BOOST_TEST(r->located.polarity_method.rfind("auto: normal from the located object", 0) == 0u, r->located.polarity_method);
  // Extent: the scan is (cols × 0.5 mm) wide.
  BOOST_TEST(std::abs(r->metric("portable.extent.width_mm").value_or(0) - scan.planes[0].pixels.cols * 0.5) <
             0.02 * scan.planes[0].pixels.cols * 0.5);
  auto png = render_overlay(in.image.pixels, *r);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(png->type() == CV_8UC3);
}

BOOST_AUTO_TEST_CASE(polarity_is_decided_from_the_located_object_or_as_stated) {
  // An inverted render (max − I) whose histogram says "normal" cannot mislead auto: the located
  // object's known contrasts (thicker steps brighter, lead discs brighter) decide "inverted".
  const Phantom p = shipped("portable-n4255.json");
  const auto scan = render(p, portable_options(3));
  KitInput in;
  in.image = scan.planes[0];
  double hi = 0;
  cv::minMaxLoc(in.image.pixels, nullptr, &hi);
  cv::Mat inv;
  cv::subtract(cv::Scalar(hi), in.image.pixels, inv);
  in.image.pixels = inv;
  in.phantom = p;
  in.options.tests = {"aspect"};
  auto r = run_kit("portable", in);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  BOOST_TEST(r->located.inverted);
  BOOST_TEST(r->located.polarity_method.rfind("auto: inverted from the located object", 0) == 0u, r->located.polarity_method);
  BOOST_TEST(max_location_error(r->located, scan.truth.placement, p) < 0.5);
  // Stated polarity is used as stated, and said so.
  in.options.polarity = Polarity::inverted;
  auto s = run_kit("portable", in);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? std::string() : s.error().message));
  BOOST_TEST(s->located.inverted);
  BOOST_TEST(s->located.polarity_method == "stated: inverted");
}

BOOST_AUTO_TEST_CASE(views_keep_their_own_overrides) {
  // Fiducials are blanked out (air level) in the view, so only its own override can place it;
  // the scan's own placement is not copied to it (the view is turned by 90°).
  const Phantom p = shipped("portable-n4255.json");
  const auto scan = render(p, portable_options(3));
  auto view = render(p, portable_options(93));
  KitInput in;
  in.image = scan.planes[0];
  in.phantom = p;
  in.options.tests = {"organic"};
  const auto& pl = view.truth.placement;
  const auto c = pl.to_px({p.width_mm / 2, p.height_mm / 2});
  const double air = cv::mean(view.planes[0].pixels(cv::Rect(0, 0, 10, 10)))[0];
  for (const auto& f : p.features)
    if (const auto* d = std::get_if<FiducialDisc>(&f.shape)) {
      const auto q = pl.to_px(d->center);
      cv::circle(view.planes[0].pixels, cv::Point(static_cast<int>(q.x_px), static_cast<int>(q.y_px)), 12, cv::Scalar(air), -1);
    }
  in.views.push_back(view.planes[0]);
  auto without = run_kit("portable", in);
  BOOST_TEST_REQUIRE(!without.has_value());
  BOOST_TEST(without.error().message.find("view 1") != std::string::npos, without.error().message);
  LocateOverrides vo;
  vo.center_x_px = c.x_px;
  vo.center_y_px = c.y_px;
  vo.angle_deg = 93;
  vo.scale = 1;
  in.options.view_overrides = {vo};
  auto with = run_kit("portable", in);
  BOOST_TEST_REQUIRE(with.has_value(), (with ? std::string() : with.error().message));
  const auto* organic = with->test("organic");
  BOOST_TEST_REQUIRE(organic != nullptr);
  BOOST_TEST((organic->status == TestStatus::ran), organic->result_text);
  BOOST_TEST(with->metric("portable.organic.snr").has_value());
}

BOOST_AUTO_TEST_CASE(penetration_by_adjacent_steps_when_the_wedge_has_no_block_behind) {
  // N42.55 penetration: the portable phantom's wedge without its lead blocks, scored step
  // against thinner neighbour. At 20,000 photons the 3-24 mm steel steps differ clearly, so
  // every step is penetrated (24 mm); with the wedge flattened to one grey level no step is.
  Phantom p = shipped("portable-n4255.json");
  for (auto& f : p.features)
    if (auto* w = std::get_if<StepWedge>(&f.shape); w && f.purpose == Purpose::penetration) w->behind.reset();
  const auto scan = render(p, portable_options(3));
  KitInput in;
  in.image = scan.planes[0];
  in.phantom = p;
  in.options.tests = {"penetration"};
  auto r = run_kit("portable", in);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  const auto* pen = r->test("penetration");
  BOOST_TEST_REQUIRE(pen != nullptr);
  BOOST_TEST((pen->status == TestStatus::ran), pen->result_text);
  BOOST_TEST(r->metric("portable.penetration.steel_mm").value_or(0) == 24.0);
  BOOST_TEST(std::any_of(pen->details.begin(), pen->details.end(),
                         [](const std::string& d) { return d.find("thinner neighbour") != std::string::npos; }));
  // Flatten the wedge (the step areas take the mean of the whole wedge): nothing penetrates.
  const StepWedge* w = nullptr;
  for (const auto& f : p.features)
    if (f.purpose == Purpose::penetration) w = std::get_if<StepWedge>(&f.shape);
  BOOST_TEST_REQUIRE(w != nullptr);
  cv::Mat flat = in.image.pixels.clone();
  const auto a = r->located.mm_to_px.apply(w->area.x_mm, w->area.y_mm);
  const auto b = r->located.mm_to_px.apply(w->area.x_mm + w->area.width_mm, w->area.y_mm + w->area.height_mm);
  const cv::Rect box(cv::Point(static_cast<int>(std::min(a.x, b.x)) - 3, static_cast<int>(std::min(a.y, b.y)) - 3),
                     cv::Point(static_cast<int>(std::max(a.x, b.x)) + 3, static_cast<int>(std::max(a.y, b.y)) + 3));
  cv::Mat noise(box.size(), CV_32F);
  cv::RNG rng(5);
  rng.fill(noise, cv::RNG::NORMAL, cv::mean(flat(box))[0], 30);
  noise.convertTo(flat(box), flat.type());
  in.image.pixels = flat;
  in.options.overrides.center_x_px = r->located.mm_to_px.apply(p.width_mm / 2, p.height_mm / 2).x;
  in.options.overrides.center_y_px = r->located.mm_to_px.apply(p.width_mm / 2, p.height_mm / 2).y;
  in.options.overrides.angle_deg = r->located.rotation_deg;
  in.options.overrides.scale = 1.0;
  auto f2 = run_kit("portable", in);
  BOOST_TEST_REQUIRE(f2.has_value(), (f2 ? std::string() : f2.error().message));
  BOOST_TEST(f2->metric("portable.penetration.steel_mm").value_or(-1) == 0.0);
}

BOOST_AUTO_TEST_CASE(cabinet_kit_scores_every_f792_test) {
  const Phantom p = shipped("cabinet-astm-f792.json");
  RenderOptions o;
  o.beam = BeamPreset::dual_kv;
  o.pixel_mm_x = o.pixel_mm_y = 0.4;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 0.3;
  o.dose_photons = 30000;
  o.supersample = 2;
  o.rotation_deg = -6;
  o.flip_x = true;
  o.margin_mm = 10;
  const auto scan = render(p, o);
  KitInput in;
  in.image = scan.planes[0];
  in.low_energy = scan.planes[1];
  in.phantom = p;
  auto r = run_kit("cabinet", in);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message));
  BOOST_TEST(max_location_error(r->located, scan.truth.placement, p) < 0.5);
  BOOST_TEST(r->located.flipped_x != r->located.flipped_y);
  for (const char* key : {"cabinet.useful_penetration.steel_mm", "cabinet.penetration.steel_mm", "cabinet.resolution.bar_x_mm",
                          "cabinet.resolution.bar_y_mm", "cabinet.thin_organic.pe_mm", "cabinet.material.correct_pct"})
    BOOST_TEST(r->metric(key).has_value(), key);
  // 0.4 mm pixels cannot resolve 0.5 mm bars (pitch 1 mm = 2.5 px is resolvable at best at the limit).
  BOOST_TEST(r->metric("cabinet.resolution.bar_x_mm").value_or(0) >= 0.5);
  // Wire display against the generator's truth: clear cases (matched-filter z of the wire over
  // its length from the truth's contrast and noise) must agree, and the AWG reported is the
  // thinnest wire detected with every thicker one.
  const auto* wt = r->test("wire");
  BOOST_TEST_REQUIRE(wt != nullptr);
  BOOST_TEST(wt->details.size() == 9u);
  int clear = 0;
  double thinnest_run = 0;  // thinnest diameter detected with every thicker one (details: thick → thin)
  bool run_ok = true;
  std::vector<std::pair<double, bool>> by_d;
  for (const auto& d : wt->details) {
    const auto id = d.substr(0, d.find(' '));
    const auto* axis = scan.truth.region(id + "/axis");
    const auto* bg = scan.truth.region(id + "/background");
    BOOST_TEST_REQUIRE((axis && bg));
    const auto& w = std::get<Wire>(p.find(id)->shape);
    const double frac = std::min(1.0, w.diameter_mm * 0.785 / 0.4);
    const double z = (bg->planes[0].counts - axis->planes[0].counts) * frac * std::sqrt(w.length_mm() / 0.4) /
                     bg->planes[0].noise_counts;
    const bool detected = d.find("not detected") == std::string::npos;
    by_d.emplace_back(w.diameter_mm, detected);
    if (z > 25) {
      BOOST_TEST(detected, id << ": truth z " << z << "; " << d);
      ++clear;
    }
    if (z < 1.5) {
      BOOST_TEST(!detected, id << ": truth z " << z << "; " << d);
      ++clear;
    }
  }
  BOOST_TEST(clear >= 3);
  std::sort(by_d.begin(), by_d.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [dia, det] : by_d) {
    run_ok = run_ok && det;
    if (run_ok) thinnest_run = dia;
  }
  BOOST_TEST_REQUIRE(thinnest_run > 0);
  BOOST_TEST(std::abs(r->metric("cabinet.wire.cu_mm").value_or(0) - thinnest_run) < 1e-9);
  const double awg = r->metric("cabinet.wire.awg").value_or(0);
  BOOST_TEST(std::abs(0.127 * std::pow(92.0, (36 - awg) / 39.0) - thinnest_run) < 0.01, "AWG " << awg);
  // Known limit, not asserted here (docs/kits.md "Limits"): the steel/lead blocks at 70/40 keV
  // (dark offset not removed; lead starves the low plane).
  BOOST_TEST(r->test("material") != nullptr);
}
