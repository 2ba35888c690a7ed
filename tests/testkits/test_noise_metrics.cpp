// ROI statistics, CNR/Rose and NPS/NNPS on synthetic images of known truth (fixed seeds).
// Tolerances are stated per check: "3 SE" = three standard errors of the estimator.
#define BOOST_TEST_MODULE test_noise_metrics
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <random>

#include "testkits/metrics/noise_power.hpp"
#include "testkits/metrics/roi_stats.hpp"

namespace tk = niikit::testkits;
using niikit::ErrorCode;

namespace {

// mean + Gaussian noise σ, CV_32F, from a fixed seed.
cv::Mat noise_image(int width, int height, double mean, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  cv::Mat m(height, width, CV_32F);
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) m.at<float>(r, c) = static_cast<float>(mean + noise(rng));
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(roi_stats)

BOOST_AUTO_TEST_CASE(gaussian_noise_gives_mean_median_sigma_and_robust_sigma_within_3_se) {
  const double mu = 1000.0, sigma = 20.0;
  const cv::Mat image = noise_image(240, 220, mu, sigma, 11);
  auto st = tk::measure_roi(image, {20, 10, 200, 200});
  BOOST_TEST_REQUIRE(st.has_value());
  const double n = 200.0 * 200.0;
  BOOST_TEST(st->pixel_count == 40000);
  BOOST_TEST_MESSAGE("gaussian: mean " << st->mean << " median " << st->median << " sigma " << st->sigma << " robust "
                     << st->robust_sigma << " detrended " << st->detrended_sigma << " (truth 1000, 20)");
  BOOST_TEST(std::abs(st->mean - mu) < 3 * sigma / std::sqrt(n));
  BOOST_TEST(std::abs(st->median - mu) < 3 * 1.2533 * sigma / std::sqrt(n));     // SE(median) = √(π/2)·σ/√n
  BOOST_TEST(std::abs(st->sigma - sigma) < 3 * sigma / std::sqrt(2 * n));
  BOOST_TEST(std::abs(st->robust_sigma - sigma) < 3 * 1.65 * sigma / std::sqrt(2 * n));  // MAD efficiency 37 %
  BOOST_TEST(std::abs(st->detrended_sigma - sigma) < 3 * sigma / std::sqrt(2 * n));
  BOOST_TEST_REQUIRE(st->snr.has_value());
  BOOST_TEST(*st->snr == mu / sigma, boost::test_tools::tolerance(0.02));
  BOOST_TEST(st->min < mu - 3 * sigma);
  BOOST_TEST(st->max > mu + 3 * sigma);
}

BOOST_AUTO_TEST_CASE(detrended_sigma_recovers_noise_on_a_tilted_plane_plain_sigma_does_not) {
  const double sigma = 10.0;
  cv::Mat image = noise_image(120, 120, 0.0, sigma, 12);
  for (int r = 0; r < image.rows; ++r)
    for (int c = 0; c < image.cols; ++c) image.at<float>(r, c) += static_cast<float>(2000.0 + 2.0 * c - 1.5 * r);
  auto st = tk::measure_roi(image, {10, 10, 100, 100});
  BOOST_TEST_REQUIRE(st.has_value());
  // Plain σ carries the ramp: √(σ² + (2² + 1.5²)·(100² − 1)/12) ≈ 73.
  BOOST_TEST_MESSAGE("tilted plane: sigma " << st->sigma << " detrended " << st->detrended_sigma << " (noise 10)");
  BOOST_TEST(st->sigma > 5 * sigma);
  BOOST_TEST(std::abs(st->detrended_sigma - sigma) < 3 * sigma / std::sqrt(2 * 1e4));
  BOOST_TEST_REQUIRE(st->snr_detrended.has_value());
  BOOST_TEST(*st->snr_detrended == st->mean / st->detrended_sigma);
}

BOOST_AUTO_TEST_CASE(cnr_and_rose_of_a_square_feature_match_the_closed_form) {
  const double sigma = 10.0, contrast = 50.0;
  cv::Mat image = noise_image(200, 200, 1000.0, sigma, 13);
  image(cv::Rect(20, 20, 20, 20)) += contrast;
  auto r = tk::measure_cnr(image, {20, 20, 20, 20}, {80, 80, 100, 100});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(tk::sigma_kind_name(r->sigma_kind) == "detrended");
  BOOST_TEST(r->feature.pixel_count == 400);
  BOOST_TEST_MESSAGE("square: CNR " << r->cnr << " (truth 5), Rose " << r->rose << " (truth 100)");
  // CNR = 50 / 10 = 5; SE of the contrast ≈ σ/20 (1 %), of σ 0.7 %: 5 % tolerance.
  BOOST_TEST(r->cnr == contrast / sigma, boost::test_tools::tolerance(0.05));
  BOOST_TEST(r->rose == r->cnr * 20.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r->rose_threshold == 5.0);
  BOOST_TEST(r->visible);
}

BOOST_AUTO_TEST_CASE(rose_visibility_of_a_disc_feature_follows_the_threshold) {
  const double sigma = 10.0;
  const int radius = 8;
  cv::Mat mask = cv::Mat::zeros(2 * radius + 1, 2 * radius + 1, CV_8U);
  cv::circle(mask, {radius, radius}, radius, cv::Scalar(255), cv::FILLED);
  const auto disc_px = static_cast<double>(cv::countNonZero(mask));
  BOOST_TEST(disc_px == std::numbers::pi * radius * radius, boost::test_tools::tolerance(0.1));
  for (const double contrast : {1.5, 6.0}) {
    cv::Mat image = noise_image(160, 160, 500.0, sigma, 14);
    cv::Mat feature = image(cv::Rect(30, 30, 2 * radius + 1, 2 * radius + 1));
    cv::add(feature, cv::Scalar(contrast), feature, mask);
    auto r = tk::measure_cnr(image, {30, 30, 2 * radius + 1, 2 * radius + 1}, {60, 60, 90, 90}, {}, mask);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->feature.pixel_count == static_cast<long long>(disc_px));
    const double expected_rose = contrast / sigma * std::sqrt(disc_px);  // 2.1 and 8.5
    // SE of the Rose value: √(disc px)·(σ/√(disc px))/σ = 1; 3 SE.
    BOOST_TEST_MESSAGE("disc: Rose " << r->rose << " (truth " << expected_rose << ")");
    BOOST_TEST(std::abs(r->rose - expected_rose) < 3.0);
    BOOST_TEST(r->visible == (contrast > 3.0));
  }
}

BOOST_AUTO_TEST_CASE(threshold_and_sigma_kind_are_honoured) {
  tk::RoiStats feature, background;
  feature.mean = 110.0;
  feature.pixel_count = 25;
  background.mean = 100.0;
  background.sigma = 4.0;
  background.robust_sigma = 5.0;
  background.detrended_sigma = 2.0;
  auto r = tk::cnr_from_stats(feature, background, {30.0, tk::SigmaKind::robust});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->cnr == 2.0);
  BOOST_TEST(r->rose == 10.0);
  BOOST_TEST(!r->visible);
  BOOST_TEST(tk::cnr_from_stats(feature, background)->cnr == 5.0);
}

BOOST_AUTO_TEST_CASE(bad_rois_zero_sigma_and_bad_threshold_are_input_errors) {
  const cv::Mat image = noise_image(50, 40, 100.0, 1.0, 15);
  BOOST_TEST(tk::measure_roi(image, {45, 0, 10, 10}).error().code == ErrorCode::input);
  BOOST_TEST(tk::measure_roi(image, {0, 0, 2, 10}).error().code == ErrorCode::input);
  BOOST_TEST(tk::measure_roi(image, {0, 0, 3, 3}).has_value());
  const cv::Mat flat(40, 50, CV_16U, cv::Scalar(700));
  auto r = tk::measure_cnr(flat, {0, 0, 5, 5}, {10, 10, 20, 20});
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == ErrorCode::input);
  BOOST_TEST(r.error().message.find("zero") != std::string::npos, r.error().message);
  BOOST_TEST(tk::measure_cnr(image, {0, 0, 5, 5}, {10, 10, 20, 20}, {0.0}).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_SUITE_END()
