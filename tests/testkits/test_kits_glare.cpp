// Issue 18: the cargo kit holds on scans with a scatter tail on the PSF, a smooth detector gain
// field and a dark offset (generator options scatter_fraction, gain_field_rel,
// dark_offset_counts). Penetration agrees with the truth computed from the lead block's own
// contrast (the core PSF's share, at the local gain) and the noise at the local signal; bars on a
// starved scan with a large dark offset resolve as on the same scan with the offset removed;
// polarity and location hold under a ±5 % gain field in every pose and flip.
#define BOOST_TEST_MODULE test_kits_glare
#include <boost/test/unit_test.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "phantoms/generator/detector_model.hpp"
#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/kits/kit.hpp"
#include "testkits/kit_test_support.hpp"

using namespace niikit;
using namespace niikit::phantoms;
using namespace niikit::phantoms::generator;
using namespace niikit::testkits::kits;
using niikit::testing::kits::cargo_phantom;
using niikit::testing::kits::polygon_area;
using niikit::testing::kits::render_ok;
using niikit::testing::kits::run_kit_ok;

namespace {

RenderOptions base_options() { return niikit::testing::kits::cargo_quick_options(); }

RenderedScan render(const RenderOptions& o) { return render_ok(cargo_phantom(), o); }

KitResult run_ok(const KitInput& in) { return run_kit_ok("cargo", in); }

KitInput input_of(const RenderedScan& scan) {
  KitInput in;
  in.image = scan.planes[0];
  in.image.source = "rendered";
  in.phantom = cargo_phantom();
  return in;
}

// "step 300 mm: t = 1.23 ..." → 1.23.
double detail_t(const std::string& line) {
  const auto at = line.find("t = ");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  return std::stod(line.substr(at + 4));
}

double max_location_error(const LocatedPhantom& loc, const Placement& truth) {
  return niikit::testing::kits::max_location_error(loc, truth, cargo_phantom());
}

}  // namespace

// Truth per step: the block's own contrast is the core PSF's share (1 − a) of the analytic
// contrast at the local gain g(x, y); the noise σ² = (g·gain)²·E + σ_e² + 1/12 at the rendered
// noise-free signal E (glare included) at the centre of each of the kit's ROIs; the kit's ROI
// areas give the expected t. Clear cases (expected t > 10 or < 2, see below) must agree (in
// issue 18 a one-sided background near the air edge read t 2.8–6.0 where the truth was
// 0.1–1.2); on thin steps the measured t is at least 0.6× the expected (a glare-deflated n_eff
// gave 0.1–0.3×).
BOOST_AUTO_TEST_CASE(penetration_equals_the_blocks_own_contrast_under_glare_and_gain) {
  for (double dose : {20000.0, 200000.0}) {
    auto o = base_options();
    o.dose_photons = dose;
    o.rotation_deg = 3;
    o.scatter_fraction = 0.03;
    o.scatter_sigma_mm = 25;
    o.gain_field_rel = 0.03;
    o.seed = 5;
    const auto scan = render(o);
    auto in = input_of(scan);
    in.options.tests = {"penetration"};
    const auto r = run_ok(in);
    const auto* t = r.test("penetration");
    BOOST_TEST_REQUIRE(t != nullptr);
    const auto field = make_gain_field(o, scan.planes[0].pixels.cols, scan.planes[0].pixels.rows);
    const double gain = scan.truth.gain_counts_per_photon;
    // Expected noise σ at an image point: Poisson on the rendered noise-free signal there (glare
    // included) at the local gain, electronic and quantisation noise.
    const auto sigma_at = [&](cv::Point2d p) {
      const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
      const double g = field.at(y, x) * gain;
      return std::sqrt(g * g * scan.expected_photons[0].at<float>(y, x) + o.electronic_noise_counts * o.electronic_noise_counts +
                       1.0 / 12);
    };
    const auto centre = [](const std::vector<cv::Point2d>& poly) {
      cv::Point2d c(0, 0);
      for (const auto& q : poly) c += q;
      return c * (1.0 / static_cast<double>(poly.size()));
    };
    // Clear cases: the kit's t is the truth's over √(noise-correlation inflation, ≤ 1.5 here)
    // plus a unit-σ error, so a step clearly passes from a truth t of 10 ((10/√1.5) − 3 > 5)
    // and clearly fails below 2 (2 + 3 = 5).
    constexpr double clear_pass = 10, clear_fail = 2;
    std::vector<double> expected_t, thick;
    std::size_t roi = 0, detail = 1;  // details[0] names the wedge
    int clear = 0;
    for (const auto& st : scan.truth.steps) {
      const auto* beside = scan.truth.region(st.beside_region);
      const auto* behind = scan.truth.region(st.behind_region);
      BOOST_TEST_REQUIRE((beside && behind));
      // Variance of the block's mean and of the background level: each ROI's pixels at the noise of
      // the signal at its centre (the references pooled as the plane fit pools them).
      const double nt = polygon_area(t->rois[roi].polygon);
      const double var_t = std::pow(sigma_at(centre(t->rois[roi].polygon)), 2) / nt;
      double nb = 0, sum_var = 0;
      for (++roi; roi < t->rois.size() && t->rois[roi].label.empty(); ++roi) {
        const double n = polygon_area(t->rois[roi].polygon);
        nb += n;
        sum_var += n * std::pow(sigma_at(centre(t->rois[roi].polygon)), 2);
      }
      const int bx = static_cast<int>(std::lround(behind->center_px.x_px)), by = static_cast<int>(std::lround(behind->center_px.y_px));
      const double own = (1 - o.scatter_fraction) * field.at(by, bx) * st.contrast_counts[0];
      const double et = own / std::sqrt(var_t + sum_var / (nb * nb));
      const double got = detail_t(t->details[detail++]);
      if (et > clear_pass) {
        BOOST_TEST(got >= 5, "dose " << dose << " step " << st.step_thickness_mm << ": t " << got << ", truth " << et);
        BOOST_TEST(got >= 0.6 * et, "dose " << dose << " step " << st.step_thickness_mm << ": t " << got << ", truth " << et);
        ++clear;
      }
      if (et < clear_fail) {
        BOOST_TEST(got < 5, "dose " << dose << " step " << st.step_thickness_mm << ": t " << got << ", truth " << et);
        ++clear;
      }
      BOOST_TEST_MESSAGE("dose " << dose << " step " << st.step_thickness_mm << " mm: kit t " << got << ", truth t " << et);
      expected_t.push_back(et);
      thick.push_back(st.step_thickness_mm);
    }
    BOOST_TEST(clear >= 6);
    // The penetration the truth allows (steps within ±30 % of the threshold may go either way).
    double lo = 0, hi = 0;
    for (std::size_t k = 0; k < expected_t.size() && expected_t[k] >= clear_fail; ++k) hi = thick[k];
    for (std::size_t k = 0; k < expected_t.size() && expected_t[k] > clear_pass; ++k) lo = thick[k];
    const double pen = r.metric("cargo.penetration.steel_mm").value_or(-1);
    BOOST_TEST((pen >= lo && pen <= hi), "dose " << dose << ": penetration " << pen << ", truth allows " << lo << "–" << hi);
  }
}

// Starved scan (300 photons per pixel in air) with a dark offset of 3,000 counts: the offset is
// 10× the open-beam signal. The kit finds the dark level on the fully attenuating lead blocks
// (within 5 counts of the offset) and every bar group reads the modulation it reads on the same
// scan with the offset subtracted (within 0.02), so the same groups resolve.
BOOST_AUTO_TEST_CASE(bars_on_a_starved_scan_resolve_as_with_the_offset_removed) {
  auto o = base_options();
  o.dose_photons = 300;
  o.dark_offset_counts = 3000;
  const auto scan = render(o);
  auto with_offset = input_of(scan);
  with_offset.options.tests = {"resolution"};
  const auto a = run_ok(with_offset);
  auto without = with_offset;
  scan.planes[0].pixels.convertTo(without.image.pixels, CV_32F, 1.0, -o.dark_offset_counts);
  const auto b = run_ok(without);
  BOOST_TEST(std::abs(a.located.dark_level - 3000) < 5, a.located.dark_method);
  BOOST_TEST(std::abs(b.located.dark_level) < 5, b.located.dark_method);
  const auto* ta = a.test("resolution");
  const auto* tb = b.test("resolution");
  BOOST_TEST_REQUIRE((ta && tb));
  BOOST_TEST_REQUIRE(ta->details.size() == tb->details.size());
  const auto modulation = [](const std::string& d) {
    const auto at = d.find("modulation ");
    return at == std::string::npos ? -1.0 : std::stod(d.substr(at + 11));
  };
  double coarsest = 0;
  for (std::size_t i = 0; i < ta->details.size(); ++i) {
    BOOST_TEST(std::abs(modulation(ta->details[i]) - modulation(tb->details[i])) < 0.02, ta->details[i] << " | " << tb->details[i]);
    coarsest = std::max(coarsest, modulation(ta->details[i]));
  }
  // Raw counts would give (4/π)·ΔI/(I_air + I_bar + 2·dark) < 0.05 here; offset-corrected the
  // coarsest group is well resolved.
  BOOST_TEST(coarsest > 0.3);
  for (const char* k : {"cargo.resolution.bar_x_mm", "cargo.resolution.bar_y_mm"}) {
    BOOST_TEST(a.metric(k).has_value(), k);
    BOOST_TEST(a.metric(k).value_or(-1) == b.metric(k).value_or(-2), k);
  }
}

// Polarity is decided from the located object: under a ±5 % smooth gain field (another field
// per case) the scan is normal polarity and located within 0.5 px in each rotation by quarter
// turns (plus a small tilt) and each flip; its log image is inverted. Before the locator's blob
// search removed the smooth background (top-hat), the pose rotated 183° and flipped both ways
// matched a mirrored fiducial assignment 81 px off, and its log image was "phantom not found".
BOOST_AUTO_TEST_CASE(polarity_right_under_five_percent_gain_in_all_poses_and_flips) {
  unsigned long long seed = 11;
  for (double rot : {3.0, 93.0, 183.0, 273.0})
    for (int flips = 0; flips < 4; ++flips) {
      auto o = base_options();
      o.rotation_deg = rot;
      o.flip_x = flips & 1;
      o.flip_y = flips & 2;
      o.gain_field_rel = 0.05;
      o.seed = seed++;
      const auto scan = render(o);
      auto in = input_of(scan);
      in.options.tests = {"penetration"};
      const auto r = run_ok(in);
      BOOST_TEST(!r.located.inverted, "rot " << rot << " flips " << flips << ": " << r.located.polarity_method);
      BOOST_TEST(max_location_error(r.located, scan.truth.placement) < 0.5,
                 "rot " << rot << " flips " << flips << ": error " << max_location_error(r.located, scan.truth.placement) << " px");
      if (flips == 3) {
        cv::Mat f, a;
        scan.planes[0].pixels.convertTo(f, CV_32F);
        cv::log(cv::max(f - o.dark_offset_counts, 1.0) / scan.truth.regions.front().planes[0].photons, a);
        in.image.pixels = -a;
        const auto ri = run_ok(in);
        BOOST_TEST(ri.located.inverted, "log image rot " << rot << ": " << ri.located.polarity_method);
        BOOST_TEST(max_location_error(ri.located, scan.truth.placement) < 0.5, "log image rot " << rot);
      }
    }
}

// Quality floor on the edge MTF (issue 18): at 100 photons per pixel the cargo edge's SNR is
// 11-13 (MTF50 was off by up to 20 % there, the kit's option documents the measured curve):
// no MTF figure, "not measurable" in the result text and the warnings, ROIs not judged; at
// 20,000 photons (SNR ≈ 170) MTF50 is within 0.03 of the analytic truth relative to it. A
// floor of 0 is a one-line input error.
BOOST_AUTO_TEST_CASE(noise_limited_mtf_is_not_measurable_instead_of_a_number) {
  auto o = base_options();
  o.rotation_deg = 2;
  o.dose_photons = 100;
  auto in = input_of(render(o));
  in.options.tests = {"mtf"};
  const auto weak = run_ok(in);
  const auto* t = weak.test("mtf");
  BOOST_TEST_REQUIRE(t != nullptr);
  BOOST_TEST(t->metrics.empty());
  BOOST_TEST(!weak.metric("cargo.mtf.mtf50_x_lp_mm").has_value());
  BOOST_TEST(t->result_text.find("MTF along x not measurable (edge SNR") != std::string::npos, t->result_text);
  BOOST_TEST(t->result_text.find("MTF along y not measurable") != std::string::npos, t->result_text);
  BOOST_TEST((t->verdict == Verdict::not_judged));
  bool warned = false;
  for (const auto& w : t->warnings) warned = warned || w.find("below the floor 20") != std::string::npos;
  BOOST_TEST(warned);
  o.dose_photons = 20000;
  const auto scan = render(o);
  auto good_in = input_of(scan);
  good_in.options.tests = {"mtf"};
  const auto good = run_ok(good_in);
  const double truth = scan.truth.mtf_x.mtf50_cycles_per_px / 3.0;
  for (const char* k : {"cargo.mtf.mtf50_x_lp_mm", "cargo.mtf.mtf50_y_lp_mm"}) {
    BOOST_TEST_REQUIRE(good.metric(k).has_value(), k);
    BOOST_TEST(std::abs(*good.metric(k) / truth - 1) < 0.03, k << " " << *good.metric(k) << " vs " << truth);
  }
  good_in.options.mtf_min_edge_snr = 0;
  const auto bad = run_kit("cargo", good_in);
  BOOST_TEST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().message.find("mtf_min_edge_snr") != std::string::npos, bad.error().message);
}

// Penetration's stated uncertainty (issue 18): when a step that decides the figure has |t|
// within 2 of the threshold, the result text and a warning say the figure is uncertain by that
// step. With the threshold 1 above the 250 mm step's t the statement names that step; with it
// halfway between the 200 mm and 250 mm steps' t (about 50 and 16 at this dose) it is absent.
BOOST_AUTO_TEST_CASE(penetration_states_when_a_deciding_step_is_borderline) {
  auto o = base_options();
  o.rotation_deg = 3;
  auto in = input_of(render(o));
  in.options.tests = {"penetration"};
  const auto base = run_ok(in);
  const auto* t = base.test("penetration");
  BOOST_TEST_REQUIRE(t != nullptr);
  std::vector<double> ts;
  for (std::size_t i = 1; i < t->details.size(); ++i) ts.push_back(detail_t(t->details[i]));
  BOOST_TEST_REQUIRE(ts.size() == 7u);
  // Threshold 1 above the 250 mm step's t: 250 mm is the first failure, 1 from the threshold.
  in.options.penetration_t = ts[3] + 1;
  const auto near = run_ok(in);
  const auto* tn = near.test("penetration");
  BOOST_TEST(tn->result_text.find("uncertain by one step") != std::string::npos, tn->result_text);
  BOOST_TEST(tn->result_text.find("step 250 mm") != std::string::npos, tn->result_text);
  bool warned = false;
  for (const auto& w : tn->warnings) warned = warned || w.find("penetration uncertain by one step") != std::string::npos;
  BOOST_TEST(warned);
  BOOST_TEST_REQUIRE(ts[2] - ts[3] > 2 * 2 + 1);
  in.options.penetration_t = 0.5 * (ts[2] + ts[3]);
  const auto far = run_ok(in);
  BOOST_TEST(far.test("penetration")->result_text.find("uncertain") == std::string::npos, far.test("penetration")->result_text);
}
