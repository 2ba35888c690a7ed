// NEQ under both definitions on synthetic data of known truth: white-noise blanks and an
// analytic Gaussian MTF, against the closed forms.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <random>

#include "testkits/metrics/neq.hpp"

namespace tk = niikit::testkits;
using niikit::ErrorCode;

namespace {

cv::Mat blank(int width, int height, double mean, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(mean, sigma);
  cv::Mat m(height, width, CV_32F);
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) m.at<float>(r, c) = static_cast<float>(noise(rng));
  return m;
}

// Gaussian MTF exp(−2π²σ²f²), σ in px, f in cy/px, 0 … 0.5 in 101 points.
std::vector<tk::MtfPoint> gaussian_mtf(double sigma_px) {
  std::vector<tk::MtfPoint> c;
  for (int i = 0; i <= 100; ++i) {
    const double f = 0.005 * i;
    c.push_back({f, std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma_px * sigma_px * f * f)});
  }
  return c;
}

double mtf_value(double sigma_px, double f_cy_px) {
  return std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma_px * sigma_px * f_cy_px * f_cy_px);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(neq)

BOOST_AUTO_TEST_CASE(iec62220_neq_of_white_noise_is_mtf2_mean2_over_sigma2_pixel_area) {
  const double mean = 2000.0, sigma = 25.0, px = 0.2, py = 0.25;
  std::vector<cv::Mat> blanks;
  for (std::uint64_t seed = 61; seed <= 64; ++seed) blanks.push_back(blank(512, 512, mean, sigma, seed));
  tk::NeqOptions o;
  o.pixel_mm_x = px;
  o.pixel_mm_y = py;
  o.at_lp_mm = {0.5, 1.0, 1.5};
  auto r = tk::compute_neq(gaussian_mtf(1.0), gaussian_mtf(1.5), blanks, o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(tk::neq_definition_name(r->definition) == "iec62220");
  BOOST_TEST(r->unit == "1/mm2");
  BOOST_TEST_REQUIRE(r->neq_x_at.size() == 3u);
  BOOST_TEST_REQUIRE(r->neq_y_at.size() == 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const double f = o.at_lp_mm[i];
    const double nnps = sigma * sigma * px * py / (mean * mean);
    const double ex = std::pow(mtf_value(1.0, f * px), 2) / nnps;
    const double ey = std::pow(mtf_value(1.5, f * py), 2) / nnps;
    BOOST_TEST_REQUIRE(r->neq_x_at[i].neq.has_value());
    BOOST_TEST_REQUIRE(r->neq_y_at[i].neq.has_value());
    BOOST_TEST_MESSAGE("iec62220 at " << f << " lp/mm: x " << *r->neq_x_at[i].neq / ex << ", y "
                                      << *r->neq_y_at[i].neq / ey << " of the closed form");
    BOOST_TEST(*r->neq_x_at[i].neq == ex, boost::test_tools::tolerance(0.10));
    BOOST_TEST(*r->neq_y_at[i].neq == ey, boost::test_tools::tolerance(0.10));
  }
}

BOOST_AUTO_TEST_CASE(n4255_neq_follows_the_nist_recipe_with_50_mm_crop) {
  // 300 × 300 px at 0.2 mm = 60 mm: cropped to 250 × 250 px (50 mm). Per row |2·DFT/N|² of white
  // noise has expectation 4σ²/N, so NEQ = S² · MTF² · N / (4σ²).
  const double mean = 1500.0, sigma = 30.0, pitch = 0.2;
  std::vector<cv::Mat> blanks;
  for (std::uint64_t seed = 71; seed <= 74; ++seed) blanks.push_back(blank(300, 300, mean, sigma, seed));
  tk::NeqOptions o;
  o.definition = tk::NeqDefinition::n4255;
  o.pixel_mm_x = o.pixel_mm_y = pitch;
  auto r = tk::compute_neq(gaussian_mtf(1.2), gaussian_mtf(1.2), blanks, o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(tk::neq_definition_name(r->definition) == "n4255");
  BOOST_TEST(r->crop_width_px == 250);
  BOOST_TEST(r->crop_height_px == 250);
  BOOST_TEST(r->mean_signal == mean, boost::test_tools::tolerance(1e-3));
  const double expected = mean * mean * std::pow(mtf_value(1.2, 1.0 * pitch), 2) * 250.0 / (4.0 * sigma * sigma);
  BOOST_TEST_REQUIRE(r->neq_x_at.front().neq.has_value());
  BOOST_TEST_MESSAGE("n4255 at 1 lp/mm: x " << *r->neq_x_at.front().neq / expected << ", y "
                                            << *r->neq_y_at.front().neq / expected << " of the closed form "
                                            << expected);
  BOOST_TEST(*r->neq_x_at.front().neq == expected, boost::test_tools::tolerance(0.10));
  BOOST_TEST(*r->neq_y_at.front().neq == expected, boost::test_tools::tolerance(0.10));
}

BOOST_AUTO_TEST_CASE(one_axis_beyond_nyquist_and_bad_inputs) {
  const std::vector<cv::Mat> blanks{blank(256, 256, 1000.0, 10.0, 81)};
  tk::NeqOptions o;
  o.pixel_mm_x = o.pixel_mm_y = 0.5;
  o.at_lp_mm = {0.5, 2.0};  // Nyquist is 1 lp/mm
  auto r = tk::compute_neq(gaussian_mtf(1.0), {}, blanks, o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->neq_y_at.empty());
  BOOST_TEST(r->neq_x_at[0].neq.has_value());
  BOOST_TEST(!r->neq_x_at[1].neq.has_value());
  BOOST_TEST(r->warnings.size() == 1u);
  BOOST_TEST(tk::compute_neq({}, {}, blanks, o).error().code == ErrorCode::input);
  tk::NeqOptions no_pitch;
  BOOST_TEST(tk::compute_neq(gaussian_mtf(1.0), {}, blanks, no_pitch).error().code == ErrorCode::input);
  BOOST_TEST(tk::compute_neq(gaussian_mtf(1.0), {}, {}, o).error().code == ErrorCode::input);
  BOOST_TEST(!tk::parse_neq_definition("ansi").has_value());
  BOOST_TEST(tk::parse_neq_definition("n4255").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
