// Bar-group modulation on synthetic bar patterns with an analytic answer, and `niikit iq bars`.
//
// Pattern: a 50 % duty square wave (levels lo, hi, pitch P) blurred by a Gaussian of σ px and
// integrated over each 1-px pixel (64 sub-samples). Its fundamental has amplitude
//   A = (4/π) · (hi − lo)/2 · exp(−2π²σ²f²) · sinc(f),  f = 1/P, sinc(x) = sin(πx)/(πx),
// so the expected modulation is A / ((hi + lo)/2). measure_bars() must match it within 1 %
// (relative) without noise.
#define BOOST_TEST_MODULE test_bar_modulation
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <random>

#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/bar_modulation.hpp"

namespace tk = niikit::testkits;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

constexpr double lo = 1000.0, hi = 3000.0;

double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// Blurred square wave at position x: bright from k·P to k·P + P/2 (plus lo elsewhere).
double blurred(double x, double pitch, double sigma) {
  double v = lo;
  const int k0 = static_cast<int>(std::floor(x / pitch)) - 6, k1 = k0 + 13;
  for (int k = k0; k <= k1; ++k) {
    const double a = k * pitch, b = a + 0.5 * pitch;
    v += (hi - lo) * (sigma > 0 ? phi((x - a) / sigma) - phi((x - b) / sigma) : (x >= a && x < b ? 1.0 : 0.0));
  }
  return v;
}

double pixel_value(int i, double pitch, double sigma) {
  constexpr int sub = 64;
  double s = 0.0;
  for (int j = 0; j < sub; ++j) s += blurred(i + (j + 0.5) / sub, pitch, sigma);
  return s / sub;
}

double expected_modulation(double pitch, double sigma) {
  const double f = 1.0 / pitch, pf = std::numbers::pi * f;
  const double sinc = std::sin(pf) / pf;
  const double amp = 4.0 / std::numbers::pi * 0.5 * (hi - lo) * std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma * sigma * f * f) * sinc;
  return amp / (0.5 * (hi + lo));
}

// size × size CV_32F; bars vertical (profile along x) or horizontal; optional Gaussian noise.
cv::Mat bars_image(int size, double pitch, double sigma, bool vertical, double noise = 0.0, unsigned seed = 1) {
  std::vector<double> prof(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) prof[static_cast<std::size_t>(i)] = pixel_value(i, pitch, sigma);
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, noise > 0 ? noise : 1.0);
  cv::Mat m(size, size, CV_32F);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c)
      m.at<float>(r, c) = static_cast<float>(prof[static_cast<std::size_t>(vertical ? c : r)] + (noise > 0 ? n(rng) : 0.0));
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bar_modulation)

BOOST_AUTO_TEST_CASE(modulation_matches_analytic_fundamental_and_period_both_orientations) {
  for (const bool vertical : {true, false})
    for (const double pitch : {4.0, 8.0, 10.0})
      for (const double sigma : {0.5, 1.0, 1.5}) {
        const cv::Mat img = bars_image(80, pitch, sigma, vertical);
        tk::BarOptions o;
        o.roi = {0, 0, 80, 80};
        o.pitch_px = pitch;
        o.bar_count = static_cast<int>(80 / pitch);
        auto r = tk::measure_bars(img, o);
        BOOST_TEST_REQUIRE(r.has_value());
        const double want = expected_modulation(pitch, sigma);
        BOOST_TEST_MESSAGE("pitch " << pitch << " sigma " << sigma << " M " << r->modulation << " want " << want
                                    << " period " << r->measured_pitch_px);
        BOOST_TEST(r->modulation == want, boost::test_tools::tolerance(0.01));
        BOOST_TEST(std::abs(r->measured_pitch_px - pitch) / pitch < 0.02);
        BOOST_TEST((r->orientation == (vertical ? tk::BarOrientation::vertical : tk::BarOrientation::horizontal)));
        BOOST_TEST(r->warnings.empty());
      }
}

BOOST_AUTO_TEST_CASE(non_integer_periods_in_roi_still_match) {
  const cv::Mat img = bars_image(75, 7.3, 1.0, true);
  tk::BarOptions o;
  o.roi = {0, 0, 75, 40};
  o.pitch_px = 7.3;
  auto r = tk::measure_bars(img, o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->modulation == expected_modulation(7.3, 1.0), boost::test_tools::tolerance(0.02));
  BOOST_TEST(std::abs(r->measured_pitch_px - 7.3) / 7.3 < 0.02);
}

BOOST_AUTO_TEST_CASE(unresolved_group_and_threshold) {
  const cv::Mat img = bars_image(64, 4.0, 2.0, true);  // expected ≈ 0.0046
  tk::BarOptions o;
  o.roi = {0, 0, 64, 64};
  o.pitch_px = 4.0;
  auto r = tk::measure_bars(img, o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->modulation < 0.1);
  BOOST_TEST(!r->resolved);
  o.threshold = 0.001;
  BOOST_TEST(tk::measure_bars(img, o)->resolved);
}

BOOST_AUTO_TEST_CASE(pitch_below_two_px_is_an_above_nyquist_error_and_wrong_pitch_warns) {
  const cv::Mat img = bars_image(64, 8.0, 0.5, true);
  tk::BarOptions o;
  o.roi = {0, 0, 64, 64};
  o.pitch_px = 1.5;
  auto r = tk::measure_bars(img, o);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == niikit::ErrorCode::input);
  BOOST_TEST(r.error().message.find("above Nyquist") != std::string::npos, r.error().message);
  o.pitch_px = 7.0;  // true 8 → measured ≈ 8, 14 % off
  r = tk::measure_bars(img, o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->measured_pitch_px == 8.0, boost::test_tools::tolerance(0.02));
  BOOST_TEST_REQUIRE(r->warnings.size() == 1u);
  o.roi = {70, 0, 10, 10};
  BOOST_TEST(tk::measure_bars(img, o).error().code == niikit::ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(noise_changes_the_estimate_only_within_tolerance) {
  const double want = expected_modulation(8.0, 1.0);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const cv::Mat img = bars_image(64, 8.0, 1.0, false, 100.0, seed);  // σ_noise 5 % of the mean
    tk::BarOptions o;
    o.roi = {0, 0, 64, 64};
    o.pitch_px = 8.0;
    auto r = tk::measure_bars(img, o);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(std::abs(r->modulation - want) < 0.01, r->modulation << " vs " << want);
    BOOST_TEST(std::abs(r->measured_pitch_px - 8.0) / 8.0 < 0.02);
  }
}

BOOST_AUTO_TEST_CASE(cli_iq_bars_json_and_bad_roi) {
  TempDir dir;
  tk::Image image;
  bars_image(64, 8.0, 1.0, true).convertTo(image.pixels, CV_16U);
  const std::string path = dir.file("bars.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  auto run = run_niikit("iq bars " + path + " --roi 0,0,64,64 --pitch-px 8 --bars 8 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"modulation", "measured_pitch_px", "nominal_pitch_px", "resolved", "threshold", "orientation",
                          "warnings"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc.value("modulation").toDouble() == expected_modulation(8.0, 1.0), boost::test_tools::tolerance(0.01));
  BOOST_TEST(doc.value("orientation").toString().toStdString() == "vertical");
  BOOST_TEST(doc.value("resolved").toBool());
  BOOST_TEST(doc.value("threshold").toDouble() == 0.1);
  run = run_niikit("iq bars " + path + " --roi 0,0,64,64 --pitch-mm 0.8 --pixel-mm 0.1 --orientation vertical");
  BOOST_TEST(run.status == 0, run.out + run.err);
  BOOST_TEST(run.out.find("modulation") != std::string::npos, run.out);
  BOOST_TEST(run_niikit("iq bars " + path + " --roi 60,0,64,64 --pitch-px 8 --json").status == 3);
  BOOST_TEST(run_niikit("iq bars " + path + " --roi 0,0,64,64 --pitch-px 1.5").status == 3);
}

BOOST_AUTO_TEST_SUITE_END()
