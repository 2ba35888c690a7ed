// Slanted-edge MTF against analytic truth: Gaussian-blurred straight edges integrated over
// each pixel, with seeded Gaussian noise; plus the documented errors and warnings and the
// `niikit iq mtf` command.
#define BOOST_TEST_MODULE test_edge_mtf
#include <sys/wait.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>

#include "image_test_support.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "support/temp_dir.hpp"

namespace tk = niikit::testkits;
using niikit::ErrorCode;

namespace {

constexpr double pi = std::numbers::pi;

struct EdgeSpec {
  double angle_deg = 5.0;  // tilt from the nearest axis, signed
  double sigma_px = 1.0;   // Gaussian PSF σ
  char orientation = 'v';  // 'v' near-vertical edge, 'h' near-horizontal
  double snr = 1000.0;     // edge contrast / noise σ; 0 = no noise
  int across_px = 128;     // ROI size across the edge
  int along_px = 256;      // and along it
  double low = 8000.0, high = 40000.0;
  unsigned seed = 12233;
};

double std_normal_cdf(double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); }
// Antiderivative of Φ: t Φ(t) + φ(t).
double cdf_integral(double t) { return t * std_normal_cdf(t) + std::exp(-0.5 * t * t) / std::sqrt(2.0 * pi); }

// Mean of Φ(u/σ) over one pixel, u = signed distance to the edge: exact along the normal-ish
// axis (cos θ extent), 32-point midpoint rule along the short (sin θ) extent.
double pixel_esf(double u0, double cos_t, double sin_t, double sigma) {
  constexpr int n = 32;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = u0 - sin_t * ((i + 0.5) / n - 0.5);
    sum += sigma / cos_t * (cdf_integral((v + 0.5 * cos_t) / sigma) - cdf_integral((v - 0.5 * cos_t) / sigma));
  }
  return sum / n;
}

cv::Mat synth_edge(const EdgeSpec& s) {
  const double t = s.angle_deg * pi / 180.0, cos_t = std::cos(t), sin_t = std::sin(t);
  const int w = s.across_px, h = s.along_px;
  const double cx = 0.5 * (w - 1) + 0.3, cy = 0.5 * (h - 1);
  std::mt19937 rng(s.seed);
  std::normal_distribution<double> noise(0.0, s.snr > 0 ? (s.high - s.low) / s.snr : 1.0);
  cv::Mat m(h, w, CV_16UC1);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const double u = (c - cx) * cos_t - (r - cy) * sin_t;
      double v = s.low + (s.high - s.low) * pixel_esf(u, cos_t, std::abs(sin_t), s.sigma_px);
      if (s.snr > 0) v += noise(rng);
      m.at<uint16_t>(r, c) = static_cast<uint16_t>(std::clamp(std::lround(v), 0L, 65535L));
    }
  return s.orientation == 'v' ? m : cv::Mat(m.t());
}

double sinc(double x) { return std::abs(x) < 1e-12 ? 1.0 : std::sin(x) / x; }

// Gaussian MTF × pixel aperture seen along the edge normal (boxes cos θ and sin θ wide).
double true_mtf(const EdgeSpec& s, double f) {
  const double t = s.angle_deg * pi / 180.0;
  return std::exp(-2.0 * pi * pi * s.sigma_px * s.sigma_px * f * f) *
         std::abs(sinc(pi * f * std::cos(t)) * sinc(pi * f * std::sin(t)));
}

double true_crossing(const EdgeSpec& s, double level) {
  double lo = 0.0, hi = 0.5;
  for (int i = 0; i < 60; ++i) (true_mtf(s, 0.5 * (lo + hi)) > level ? lo : hi) = 0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

bool has_warning(const tk::EdgeMtfResult& r, const std::string& name) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const auto& w) { return w.rfind(name, 0) == 0; });
}

using niikit::testing::run_niikit;  // runs the built binary, capturing stdout, stderr and status
using Run = niikit::testing::RunResult;

}  // namespace

BOOST_AUTO_TEST_SUITE(edge_mtf)

// Accuracy table: σ 0.5–3 px, angles 2–10° of both signs, both orientations, SNR 50–1000.
// Tolerances: |MTF − truth| ≤ 0.02 at every curve frequency up to Nyquist; MTF50 within 2 %.
BOOST_AUTO_TEST_CASE(mtf_matches_analytic_gaussian_edges_within_0_02) {
  const EdgeSpec table[] = {
      {2.0, 0.5, 'v', 1000}, {5.0, 0.5, 'h', 200},  {-10.0, 0.5, 'v', 50, 256, 1024},
      {3.0, 1.0, 'h', 1000}, {-6.0, 1.0, 'v', 200}, {8.0, 1.0, 'h', 50, 256, 1024},
      {4.0, 2.0, 'v', 1000}, {-2.5, 2.0, 'h', 200}, {10.0, 2.0, 'v', 50, 256, 1024},
      {-5.0, 3.0, 'h', 1000}, {7.0, 3.0, 'v', 200}, {-9.0, 3.0, 'h', 50, 256, 1024},
  };
  double worst_mtf = 0.0, worst_mtf50 = 0.0;
  for (const auto& spec : table) {
    BOOST_TEST_CONTEXT("angle " << spec.angle_deg << "° σ " << spec.sigma_px << " px " << spec.orientation << " SNR "
                                << spec.snr) {
      auto r = tk::measure_edge_mtf(synth_edge(spec));
      BOOST_TEST(r.has_value(), (r ? "" : r.error().message));
      if (!r) continue;
      BOOST_TEST(r->orientation == spec.orientation);
      // synth_edge tilts a 'v' edge by atan(dx/dy) = angle, i.e. a rotation of −angle (+x towards +y).
      const double rotation_deg = spec.orientation == 'v' ? -spec.angle_deg : spec.angle_deg;
      BOOST_TEST(r->edge_angle_deg == rotation_deg, boost::test_tools::tolerance(0.02 / std::abs(spec.angle_deg)));
      double max_err = 0.0;
      for (const auto& p : r->curve) max_err = std::max(max_err, std::abs(p.mtf - true_mtf(spec, p.f_cy_px)));
      BOOST_TEST(max_err <= 0.02);
      BOOST_TEST_MESSAGE("  max |MTF error| " << max_err);
      BOOST_TEST(r->mtf50_cy_px.has_value());
      if (!r->mtf50_cy_px) continue;
      const double mtf50_err = std::abs(*r->mtf50_cy_px / true_crossing(spec, 0.5) - 1.0);
      BOOST_TEST(mtf50_err <= 0.02);
      worst_mtf = std::max(worst_mtf, max_err);
      worst_mtf50 = std::max(worst_mtf50, mtf50_err);
    }
  }
  BOOST_TEST_MESSAGE("edge MTF accuracy: max |MTF error| " << worst_mtf << ", max MTF50 error " << 100 * worst_mtf50
                                                           << " %");
}

// The derivative correction (central difference and bin averaging) is what keeps the
// noiseless sharp edge on the truth at Nyquist; without it the MTF would be ~12 % low there.
BOOST_AUTO_TEST_CASE(derivative_correction_keeps_sharp_edge_on_truth_at_nyquist) {
  for (int bins : {2, 4, 8}) {
    const EdgeSpec spec{5.0, 0.4, 'v', 0};
    tk::EdgeMtfOptions o;
    o.bins_per_px = bins;
    auto r = tk::measure_edge_mtf(synth_edge(spec), o);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_CONTEXT("bins " << bins) {
      BOOST_TEST(std::abs(r->curve.back().mtf - true_mtf(spec, 0.5)) <= 0.005);
    }
  }
}

BOOST_AUTO_TEST_CASE(result_is_independent_of_edge_polarity) {
  const EdgeSpec spec{4.0, 1.0, 'v', 0};
  const cv::Mat rising = synth_edge(spec);
  cv::Mat falling;
  cv::subtract(cv::Scalar(50000), rising, falling);
  auto a = tk::measure_edge_mtf(rising), b = tk::measure_edge_mtf(falling);
  BOOST_TEST_REQUIRE((a.has_value() && b.has_value()));
  BOOST_TEST(a->edge_angle_deg == b->edge_angle_deg, boost::test_tools::tolerance(1e-6));
  for (size_t i = 0; i < a->curve.size(); ++i) BOOST_TEST(std::abs(a->curve[i].mtf - b->curve[i].mtf) <= 1e-6);
}

BOOST_AUTO_TEST_CASE(lp_mm_uses_the_pitch_along_the_measured_axis) {
  tk::EdgeMtfOptions o;
  o.pixel_mm_x = 0.2;
  o.pixel_mm_y = 0.4;
  auto v = tk::measure_edge_mtf(synth_edge({4.0, 1.0, 'v', 0}), o);
  auto h = tk::measure_edge_mtf(synth_edge({4.0, 1.0, 'h', 0}), o);
  BOOST_TEST_REQUIRE((v.has_value() && h.has_value()));
  BOOST_TEST(*v->mtf50_lp_mm == *v->mtf50_cy_px / 0.2, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*h->mtf50_lp_mm == *h->mtf50_cy_px / 0.4, boost::test_tools::tolerance(1e-9));
  auto unknown = tk::measure_edge_mtf(synth_edge({4.0, 1.0, 'v', 0}));
  BOOST_TEST(!unknown->mtf50_lp_mm.has_value());
}

BOOST_AUTO_TEST_CASE(roi_outside_or_too_small_is_an_input_error) {
  const cv::Mat img = synth_edge({4.0, 1.0, 'v', 0});
  tk::EdgeMtfOptions o;
  o.roi = tk::RoiPx{100, 10, 64, 64};  // runs past the right border (width 128)
  auto outside = tk::measure_edge_mtf(img, o);
  BOOST_TEST_REQUIRE(!outside.has_value());
  BOOST_TEST(outside.error().code == ErrorCode::input);
  BOOST_TEST(outside.error().message.find("outside") != std::string::npos);
  o.roi = tk::RoiPx{50, 10, 16, 100};  // 16 px across the edge
  auto small = tk::measure_edge_mtf(img, o);
  BOOST_TEST_REQUIRE(!small.has_value());
  BOOST_TEST(small.error().code == ErrorCode::input);
  BOOST_TEST(small.error().message.find("too small") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(flat_noisy_image_reports_no_edge) {
  cv::Mat flat(128, 128, CV_16UC1);
  cv::randn(flat, cv::Scalar(20000), cv::Scalar(200));
  auto r = tk::measure_edge_mtf(flat);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == ErrorCode::input);
  BOOST_TEST(r.error().message.find("no edge found in ROI") != std::string::npos, r.error().message);
  auto zero = tk::measure_edge_mtf(cv::Mat(64, 64, CV_16UC1, cv::Scalar(100)));
  BOOST_TEST(!zero.has_value());
}

BOOST_AUTO_TEST_CASE(edge_at_0_or_45_degrees_is_an_input_error) {
  for (double angle : {0.0, 0.4, 45.0}) {
    auto r = tk::measure_edge_mtf(synth_edge({angle, 1.0, 'v', 1000, 128, 128}));
    BOOST_TEST_CONTEXT("angle " << angle) {
      BOOST_TEST_REQUIRE(!r.has_value());
      BOOST_TEST(r.error().code == ErrorCode::input);
      BOOST_TEST(r.error().message.find("within 1°") != std::string::npos, r.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(edge_at_simple_fraction_26_57_degrees_fails_binning) {
  auto r = tk::measure_edge_mtf(synth_edge({std::atan(0.5) * 180.0 / pi, 1.0, 'v', 1000, 128, 128}));
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == ErrorCode::input);
  BOOST_TEST(r.error().message.find("binning failed") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(angle_outside_2_to_10_degrees_is_a_named_warning) {
  auto shallow = tk::measure_edge_mtf(synth_edge({1.5, 1.0, 'v', 1000, 128, 512}));
  BOOST_TEST_REQUIRE(shallow.has_value(), (shallow ? "" : shallow.error().message));
  BOOST_TEST(has_warning(*shallow, "angle:"));
  auto steep = tk::measure_edge_mtf(synth_edge({15.0, 1.0, 'h', 1000}));
  BOOST_TEST_REQUIRE(steep.has_value(), (steep ? "" : steep.error().message));
  BOOST_TEST(has_warning(*steep, "angle:"));
  auto fine = tk::measure_edge_mtf(synth_edge({5.0, 1.0, 'h', 1000}));
  BOOST_TEST(fine->warnings.empty());
}

BOOST_AUTO_TEST_CASE(saturated_edge_is_a_named_warning) {
  EdgeSpec spec{5.0, 1.0, 'v', 0};
  spec.high = 70000.0;  // clipped at 65535
  auto r = tk::measure_edge_mtf(synth_edge(spec));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(has_warning(*r, "saturated:"));
}

BOOST_AUTO_TEST_CASE(sharp_edge_warns_when_mtf10_is_not_reached) {
  auto r = tk::measure_edge_mtf(synth_edge({5.0, 0.3, 'v', 0}));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(!r->mtf10_cy_px.has_value());
  BOOST_TEST(has_warning(*r, "mtf10 not reached"));
}

BOOST_AUTO_TEST_CASE(accepts_8_bit_and_float_images) {
  const cv::Mat img16 = synth_edge({5.0, 1.0, 'v', 0});
  cv::Mat img8, img32;
  img16.convertTo(img8, CV_8U, 1.0 / 256.0);
  img16.convertTo(img32, CV_32F);
  auto a = tk::measure_edge_mtf(img16), b = tk::measure_edge_mtf(img8), c = tk::measure_edge_mtf(img32);
  BOOST_TEST_REQUIRE((a.has_value() && b.has_value() && c.has_value()));
  BOOST_TEST(*b->mtf50_cy_px == *a->mtf50_cy_px, boost::test_tools::tolerance(0.02));
  BOOST_TEST(*c->mtf50_cy_px == *a->mtf50_cy_px, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(cli_iq_mtf_prints_json_and_rejects_bad_roi) {
  niikit::test::TempDir dir;
  tk::Image image;
  image.pixels = synth_edge({5.0, 1.0, 'v', 500, 128, 160});
  image.meta.pixel_mm_x = 0.2;
  image.meta.pixel_mm_y = 0.2;
  const std::string path = dir.file("edge.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());

  const Run run = run_niikit("iq mtf " + path + " --roi 10,10,108,140 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out);
  const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"edge_angle_deg", "mtf50_cy_px", "mtf20_cy_px", "mtf10_cy_px", "mtf50_lp_mm", "mtf20_lp_mm",
                          "mtf10_lp_mm", "curve", "warnings", "orientation", "roi"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc["orientation"].toString().toStdString() == "v");
  BOOST_TEST(doc["roi"].toString().toStdString() == "10,10,108,140");
  BOOST_TEST(doc["mtf50_lp_mm"].toDouble() == doc["mtf50_cy_px"].toDouble() / 0.2, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(doc["curve"].toArray().first().toObject()["mtf"].toDouble() == 1.0, boost::test_tools::tolerance(1e-9));

  const Run pitch = run_niikit("iq mtf " + path + " --pixel-mm 0.1 --json");
  BOOST_TEST_REQUIRE(pitch.status == 0);
  const QJsonObject p = QJsonDocument::fromJson(QByteArray::fromStdString(pitch.out)).object();
  BOOST_TEST(p["mtf50_lp_mm"].toDouble() == p["mtf50_cy_px"].toDouble() / 0.1, boost::test_tools::tolerance(1e-9));

  BOOST_TEST(run_niikit("iq mtf " + path + " --roi 100,100,64,64 2>/dev/null").status == 3);
  const Run table = run_niikit("iq mtf " + path);
  BOOST_TEST(table.status == 0);
  BOOST_TEST(table.out.find("MTF50") != std::string::npos, table.out);
  BOOST_TEST_MESSAGE("niikit iq mtf (table):\n" << table.out);
}

BOOST_AUTO_TEST_SUITE_END()
