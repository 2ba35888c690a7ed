// NPS / NNPS on synthetic flat images of known truth: white noise (flat NNPS, Parseval),
// column stripes (structured variance, power on the fy = 0 axis), Gaussian-blurred noise
// (NNPS ∝ exp(−4π²σ²f²)), and the input errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <random>

#include "testkits/metrics/noise_power.hpp"

namespace tk = niikit::testkits;
using niikit::ErrorCode;

namespace {

cv::Mat white_noise(int size, double mean, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  cv::Mat m(size, size, CV_32F);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c) m.at<float>(r, c) = static_cast<float>(mean + noise(rng));
  return m;
}

double mean_nnps(const std::vector<tk::NnpsPoint>& curve) {
  double s = 0.0;
  for (const auto& p : curve) s += p.nnps;
  return s / static_cast<double>(curve.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(noise_power)

BOOST_AUTO_TEST_CASE(white_noise_nnps_is_flat_at_sigma2_pixel_area_over_mean2_and_integrates_to_variance) {
  const double mean = 1000.0, sigma = 20.0, px = 0.1, py = 0.2;
  std::vector<cv::Mat> flats;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) flats.push_back(white_noise(512, mean, sigma, seed));
  tk::NpsOptions o;
  o.pixel_mm_x = px;
  o.pixel_mm_y = py;
  auto r = tk::measure_nps(flats, o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  const double expected = sigma * sigma * px * py / (mean * mean);  // 8e-6 mm²
  BOOST_TEST_MESSAGE("white: mean NNPS x/y/radial / expected = " << mean_nnps(r->nnps_x) / expected << " "
                     << mean_nnps(r->nnps_y) / expected << " " << mean_nnps(r->nnps_radial) / expected
                     << ", NPS integral / sigma^2 = " << r->nps_integral / (sigma * sigma));
  BOOST_TEST(r->frequency_unit() == "cy/mm");
  BOOST_TEST(r->tiles_per_image == 49);
  BOOST_TEST(r->mean_signal == mean, boost::test_tools::tolerance(1e-3));
  BOOST_TEST(mean_nnps(r->nnps_x) == expected, boost::test_tools::tolerance(0.05));
  BOOST_TEST(mean_nnps(r->nnps_y) == expected, boost::test_tools::tolerance(0.05));
  BOOST_TEST(mean_nnps(r->nnps_radial) == expected, boost::test_tools::tolerance(0.05));
  for (const auto& p : r->nnps_x) BOOST_TEST(p.nnps == expected, boost::test_tools::tolerance(0.10));
  for (const auto& p : r->nnps_y) BOOST_TEST(p.nnps == expected, boost::test_tools::tolerance(0.10));
  for (const auto& p : r->nnps_radial) BOOST_TEST(p.nnps == expected, boost::test_tools::tolerance(0.20));
  BOOST_TEST(r->nnps_x.back().frequency == 0.5 / px, boost::test_tools::tolerance(1e-12));  // Nyquist 5 cy/mm
  BOOST_TEST(r->nnps_y.back().frequency == 0.5 / py, boost::test_tools::tolerance(1e-12));
  // Parseval: Σ NPS·Δfx·Δfy equals the tile variance exactly, and σ² within 2 %.
  BOOST_TEST(r->nps_integral == r->variance_tiles, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r->nps_integral == sigma * sigma, boost::test_tools::tolerance(0.02));
  BOOST_TEST(r->variance_total == sigma * sigma, boost::test_tools::tolerance(0.02));
  BOOST_TEST(r->column_structured_fraction < 0.01);
  BOOST_TEST(r->row_structured_fraction < 0.01);
}

BOOST_AUTO_TEST_CASE(unknown_pitch_reports_per_pixel) {
  auto r = tk::measure_nps({white_noise(256, 500.0, 10.0, 5)}, {});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->per_pixel);
  BOOST_TEST(r->frequency_unit() == "cy/px");
  BOOST_TEST(r->nnps_x.back().frequency == 0.5);
  BOOST_TEST(mean_nnps(r->nnps_x) == 100.0 / 250000.0, boost::test_tools::tolerance(0.05));
}

BOOST_AUTO_TEST_CASE(column_stripes_are_recovered_as_structured_variance_and_sit_on_the_fy0_axis) {
  const double sigma = 20.0, stripe_sigma = 5.0;
  const int size = 512;
  std::mt19937_64 rng(21);
  std::normal_distribution<double> gain(0.0, stripe_sigma);
  std::vector<double> offset(size);
  double m = 0.0;
  for (auto& o : offset) m += (o = gain(rng)) / size;
  double stripe_variance = 0.0;
  for (double o : offset) stripe_variance += (o - m) * (o - m) / (size - 1);
  std::vector<cv::Mat> flats;
  for (std::uint64_t seed = 31; seed <= 32; ++seed) {
    cv::Mat f = white_noise(size, 1000.0, sigma, seed);
    for (int r = 0; r < size; ++r)
      for (int c = 0; c < size; ++c) f.at<float>(r, c) += static_cast<float>(offset[static_cast<std::size_t>(c)]);
    flats.push_back(f);
  }
  auto r = tk::measure_nps(flats, {});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST_MESSAGE("stripes: column structured / true = " << r->column_structured_variance / stripe_variance
                     << ", row structured / column true = " << r->row_structured_variance / stripe_variance);
  BOOST_TEST(r->column_structured_variance == stripe_variance, boost::test_tools::tolerance(0.10));
  BOOST_TEST(r->row_structured_variance < 0.1 * stripe_variance);
  BOOST_TEST(r->column_structured_fraction == stripe_variance / (sigma * sigma + stripe_variance),
             boost::test_tools::tolerance(0.10));
  // On the fy = 0 row the stripes add N·σ_s² per bin: on/off-axis ratio ≈ 1 + 128·25/400 = 9.
  double on_axis = 0.0, off_axis = 0.0;
  for (int k = 1; k < r->tile_px; ++k) {
    on_axis += r->nps_2d.at<double>(0, k);
    off_axis += 0.5 * (r->nps_2d.at<double>(1, k) + r->nps_2d.at<double>(r->tile_px - 1, k));
  }
  BOOST_TEST(on_axis / off_axis == 1.0 + 128.0 * stripe_variance / (sigma * sigma), boost::test_tools::tolerance(0.15));
  // The 1-D NNPS along x excludes that axis, so it still shows the random noise alone.
  BOOST_TEST(mean_nnps(r->nnps_x) == sigma * sigma / 1e6, boost::test_tools::tolerance(0.05));
}

BOOST_AUTO_TEST_CASE(blurred_noise_nnps_follows_the_gaussian_transfer_squared) {
  const double sigma_w = 30.0, sigma_blur = 1.5, mean = 2000.0;
  std::vector<cv::Mat> flats;
  for (std::uint64_t seed = 41; seed <= 44; ++seed) {
    cv::Mat f = white_noise(544, 0.0, sigma_w, seed), blurred;
    cv::GaussianBlur(f, blurred, cv::Size(15, 15), sigma_blur, sigma_blur, cv::BORDER_REFLECT101);
    flats.push_back(blurred + mean);
  }
  tk::NpsOptions o;
  o.roi = tk::RoiPx{16, 16, 512, 512};
  auto r = tk::measure_nps(flats, o);
  BOOST_TEST_REQUIRE(r.has_value());
  const double white = sigma_w * sigma_w / (mean * mean);
  const double a = 4.0 * std::numbers::pi * std::numbers::pi * sigma_blur * sigma_blur;
  // Per bin from 0.03 cy/px (the lowest annuli hold few bins: ±4 % SE each), the band mean
  // over 0.02-0.15 cy/px within 3 %.
  int checked = 0;
  double worst = 0.0, ratio_sum = 0.0;
  for (const auto& p : r->nnps_radial) {
    if (p.frequency < 0.02 || p.frequency > 0.15) continue;
    const double ratio = p.nnps / (white * std::exp(-a * p.frequency * p.frequency));
    ratio_sum += ratio;
    ++checked;
    if (p.frequency < 0.03) continue;
    worst = std::max(worst, std::abs(ratio - 1.0));
    BOOST_TEST(ratio == 1.0, boost::test_tools::tolerance(0.10));
  }
  BOOST_TEST(checked > 10);
  BOOST_TEST(ratio_sum / checked == 1.0, boost::test_tools::tolerance(0.03));
  BOOST_TEST_MESSAGE("blurred: radial NNPS / closed form, band mean 0.02-0.15 cy/px " << ratio_sum / checked
                     << ", worst bin 0.03-0.15 cy/px " << worst);
  // 1-D along x: the closed form averaged over the rows fy = ±1 … ±7 bins that the curve uses.
  double worst_x = 0.0;
  for (const auto& p : r->nnps_x) {
    if (p.frequency > 0.15) break;
    double expected = 0.0;
    for (int l = 1; l <= r->axis_lines; ++l) {
      const double fy = l / static_cast<double>(r->tile_px);
      expected += white * std::exp(-a * (p.frequency * p.frequency + fy * fy)) / r->axis_lines;
    }
    worst_x = std::max(worst_x, std::abs(p.nnps / expected - 1.0));
    BOOST_TEST(p.nnps == expected, boost::test_tools::tolerance(0.10));
  }
  BOOST_TEST_MESSAGE("blurred: worst 1-D x bin up to 0.15 cy/px |NNPS/closed form - 1| = " << worst_x);
}

BOOST_AUTO_TEST_CASE(mismatched_sizes_small_roi_and_constant_images_are_input_errors) {
  const cv::Mat a = white_noise(256, 100.0, 5.0, 51);
  const cv::Mat b = white_noise(200, 100.0, 5.0, 52);
  BOOST_TEST(tk::measure_nps({a, b}, {}).error().code == ErrorCode::input);
  BOOST_TEST(tk::measure_nps({}, {}).error().code == ErrorCode::input);
  tk::NpsOptions one_tile;
  one_tile.roi = tk::RoiPx{0, 0, 128, 128};
  auto small = tk::measure_nps({a}, one_tile);
  BOOST_TEST_REQUIRE(!small.has_value());
  BOOST_TEST(small.error().code == ErrorCode::input);
  BOOST_TEST(small.error().message.find("only 1 tile") != std::string::npos, small.error().message);
  tk::NpsOptions two_tiles;
  two_tiles.roi = tk::RoiPx{0, 0, 192, 128};
  BOOST_TEST(tk::measure_nps({a}, two_tiles).has_value());
  BOOST_TEST(tk::measure_nps({cv::Mat(256, 256, CV_16U, cv::Scalar(0))}, {}).error().code == ErrorCode::input);
  BOOST_TEST(tk::measure_nps({cv::Mat(256, 256, CV_16U, cv::Scalar(900))}, {}).error().code == ErrorCode::input);
  tk::NpsOptions odd;
  odd.tile_px = 63;
  BOOST_TEST(tk::measure_nps({a}, odd).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(detrending_removes_a_quadratic_surface_exactly) {
  cv::Mat z(37, 53, CV_64F);
  for (int r = 0; r < z.rows; ++r)
    for (int c = 0; c < z.cols; ++c) z.at<double>(r, c) = 5.0 + 0.3 * c - 0.2 * r + 0.01 * c * c + 0.02 * c * r - 0.03 * r * r;
  tk::detrend_polynomial(z, 2);
  double max_abs = 0.0;
  cv::minMaxLoc(cv::abs(z), nullptr, &max_abs);
  BOOST_TEST(max_abs < 1e-9);
}

BOOST_AUTO_TEST_SUITE_END()
