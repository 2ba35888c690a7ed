// ANSI N42.55 metrics (testkits/metrics/n4255.hpp) on synthetic images of known truth: NEQ of
// white noise with a Gaussian MTF against its closed form, dynamic range of a constructed step
// image, boundary signal and SNR, a tilted square of known size on an anisotropic pixel grid,
// flatness of known gradients; NEQ and the foil square on generator renders of the shipped
// portable phantom (portable-n4255.json); `niikit iq neq --definition n4255` end to end.
#define BOOST_TEST_MODULE n4255
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <numbers>
#include <random>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom_dir.hpp"
#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/n4255.hpp"

namespace tk = niikit::testkits;
namespace n4255 = niikit::testkits::n4255;
namespace gen = niikit::phantoms::generator;
using niikit::ErrorCode;

namespace {

constexpr double pi = std::numbers::pi;

cv::Mat noise_image(int width, int height, double mean, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(mean, sigma);
  cv::Mat m(height, width, CV_32F);
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) m.at<float>(r, c) = static_cast<float>(noise(rng));
  return m;
}

double gaussian_mtf_value(double sigma_px, double f_cy_px) {
  return std::exp(-2.0 * pi * pi * sigma_px * sigma_px * f_cy_px * f_cy_px);
}

std::vector<tk::MtfPoint> gaussian_mtf(double sigma_px) {
  std::vector<tk::MtfPoint> c;
  for (int i = 0; i <= 100; ++i) c.push_back({0.005 * i, gaussian_mtf_value(sigma_px, 0.005 * i)});
  return c;
}

void add_noise(cv::Mat& m, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c) m.at<float>(r, c) += static_cast<float>(noise(rng));
}

// Fraction of pixel (x, y) inside the convex polygon `poly` (8 × 8 point samples).
double coverage(const std::vector<cv::Point2f>& poly, int x, int y) {
  int inside = 0;
  for (int j = 0; j < 8; ++j)
    for (int i = 0; i < 8; ++i) {
      const cv::Point2f p(static_cast<float>(x - 0.5 + (i + 0.5) / 8.0), static_cast<float>(y - 0.5 + (j + 0.5) / 8.0));
      if (cv::pointPolygonTest(poly, p, false) > 0) ++inside;
    }
  return inside / 64.0;
}

// Image of `background` with the polygon at `inside` (area-sampled), Gaussian blur σ, noise σ.
cv::Mat polygon_image(int width, int height, const std::vector<cv::Point2f>& poly, double background, double inside,
                      double blur_sigma_px, double noise_sigma, std::uint64_t seed) {
  cv::Mat m(height, width, CV_32F);
  const cv::Rect box = cv::boundingRect(poly) + cv::Size(2, 2) - cv::Point(1, 1);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double c = box.contains({x, y}) ? coverage(poly, x, y) : 0.0;
      m.at<float>(y, x) = static_cast<float>(background + (inside - background) * c);
    }
  if (blur_sigma_px > 0) cv::GaussianBlur(m, m, cv::Size(0, 0), blur_sigma_px);
  if (noise_sigma > 0) add_noise(m, noise_sigma, seed);
  return m;
}

// Corners (px) of a square of side `side_mm` centred at (cx, cy) px, rotated by `angle_deg` in
// physical space, on a grid of pitch px × py mm: clockwise on screen from the top-left.
std::vector<cv::Point2f> square_px(double cx, double cy, double side_mm, double angle_deg, double px, double py) {
  const double a = angle_deg * pi / 180.0, h = side_mm / 2.0;
  const std::array<std::array<double, 2>, 4> local = {{{-h, -h}, {h, -h}, {h, h}, {-h, h}}};
  std::vector<cv::Point2f> out;
  for (const auto& p : local) {
    const double xm = p[0] * std::cos(a) - p[1] * std::sin(a), ym = p[0] * std::sin(a) + p[1] * std::cos(a);
    out.emplace_back(static_cast<float>(cx + xm / px), static_cast<float>(cy + ym / py));
  }
  return out;
}

n4255::SquareOptions square_options(double px, double py) {
  n4255::SquareOptions o;
  o.pixel_mm_x = px;
  o.pixel_mm_y = py;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(n4255_metrics)

BOOST_AUTO_TEST_CASE(neq_of_white_noise_with_gaussian_mtf_matches_the_closed_form_within_5_percent) {
  // 520 × 520 px at 0.1 mm: cropped to 500 px (50 mm). E|2·DFT/N|² of white noise = 4σ²/N, so
  // NEQ(f) = S² · MTF(f)² · N / (4σ²); 8 blanks keep the estimate's scatter near 1 %.
  const double mean = 1500.0, sigma = 30.0, pitch = 0.1, mtf_sigma_px = 2.0;
  std::vector<cv::Mat> blanks;
  for (std::uint64_t seed = 401; seed <= 408; ++seed) blanks.push_back(noise_image(520, 520, mean, sigma, seed));
  n4255::NeqN4255Options o;
  o.pixel_mm_x = o.pixel_mm_y = pitch;
  o.at_lp_mm = {0.5, 1.0};
  auto r = n4255::neq_n4255(blanks, gaussian_mtf(mtf_sigma_px), gaussian_mtf(mtf_sigma_px), o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(r->definition == "n4255");
  BOOST_TEST(r->unit == "1");
  BOOST_TEST(r->crop_width_px == 500);
  BOOST_TEST(r->crop_height_px == 500);
  BOOST_TEST(r->blank_count == 8);
  BOOST_TEST(r->mean_signal == mean, boost::test_tools::tolerance(0.001));
  BOOST_TEST_REQUIRE(r->x.size() == 2u);
  BOOST_TEST_REQUIRE(r->y.size() == 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const double f = o.at_lp_mm[i];
    const double expected = mean * mean * std::pow(gaussian_mtf_value(mtf_sigma_px, f * pitch), 2) * 500 / (4 * sigma * sigma);
    BOOST_TEST_REQUIRE(r->x[i].neq.has_value());
    BOOST_TEST_REQUIRE(r->y[i].neq.has_value());
    BOOST_TEST_REQUIRE(r->x[i].sd.has_value());
    BOOST_TEST(r->x[i].per_blank.size() == 8u);
    BOOST_TEST_MESSAGE("n4255 NEQ at " << f << " lp/mm: closed form " << expected << ", x " << *r->x[i].neq / expected
                                       << ", y " << *r->y[i].neq / expected << " (x SD over blanks "
                                       << *r->x[i].sd / expected << ")");
    BOOST_TEST(*r->x[i].neq == expected, boost::test_tools::tolerance(0.05));
    BOOST_TEST(*r->y[i].neq == expected, boost::test_tools::tolerance(0.05));
  }
  // Same figure as the shared NEQ engine (neq.hpp, definition n4255) averaging the blanks.
  tk::NeqOptions shared;
  shared.definition = tk::NeqDefinition::n4255;
  shared.pixel_mm_x = shared.pixel_mm_y = pitch;
  shared.at_lp_mm = o.at_lp_mm;
  auto s = tk::compute_neq(gaussian_mtf(mtf_sigma_px), {}, blanks, shared);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(*s->neq_x_at[1].neq == *r->x[1].neq, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(neq_beyond_nyquist_is_empty_with_a_range_warning_and_bad_input_is_an_error) {
  std::vector<cv::Mat> blanks{noise_image(64, 64, 100.0, 5.0, 1), noise_image(64, 64, 100.0, 5.0, 2)};
  n4255::NeqN4255Options o;
  o.pixel_mm_x = o.pixel_mm_y = 0.5;  // Nyquist 1 lp/mm
  o.at_lp_mm = {1.5};
  auto r = n4255::neq_n4255(blanks, gaussian_mtf(1.0), {}, o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(!r->x.front().neq.has_value());
  BOOST_TEST(r->y.empty());
  BOOST_TEST_REQUIRE(!r->warnings.empty());
  BOOST_TEST(r->warnings.front().rfind("range:", 0) == 0u);
  BOOST_TEST(n4255::neq_n4255({}, gaussian_mtf(1.0), {}, o).error().code == ErrorCode::input);
  BOOST_TEST(n4255::neq_n4255(blanks, {}, {}, o).error().code == ErrorCode::input);
  o.pixel_mm_x = 0;
  BOOST_TEST(n4255::neq_n4255(blanks, gaussian_mtf(1.0), {}, o).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(dynamic_range_is_blurred_open_maximum_over_sigma_of_darkest_noisy_step) {
  // Open field 40,000 (σ 200) with a 30 × 30 patch at 41,000; six steps whose means fall and
  // whose σ are set; the darkest (mean 60) is starved (σ 0.4), so the step of mean 300, σ 17, is
  // used: DR = 41,000 / 17 ≈ 2,412 (the blurred maximum carries ≈ +0.2 % of noise).
  cv::Mat image(200, 400, CV_32F, cv::Scalar(40000.0));
  add_noise(image, 200.0, 11);
  image(cv::Rect(40, 40, 30, 30)) += cv::Scalar(1000.0);
  const std::vector<std::pair<double, double>> steps = {{20000, 140}, {8000, 90}, {2000, 45}, {60, 0.4}, {300, 17}};
  std::vector<tk::RoiPx> step_rois;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const tk::RoiPx roi{150 + static_cast<int>(i) * 50, 120, 40, 60};
    cv::Mat region = noise_image(roi.width_px, roi.height_px, steps[i].first, steps[i].second, 20 + i);
    region.copyTo(image(roi.rect()));
    step_rois.push_back(roi);
  }
  const std::vector<tk::RoiPx> open_rois = {{10, 10, 120, 120}, {150, 10, 200, 80}};
  auto r = n4255::dynamic_range(image, open_rois, step_rois);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(r->step_index == 4);  // chosen by mean, not by position
  BOOST_TEST(r->open_roi_index == 0);
  BOOST_TEST(r->open_max == 41000.0, boost::test_tools::tolerance(0.005));
  BOOST_TEST(r->step_sigma == 17.0, boost::test_tools::tolerance(0.06));
  BOOST_TEST(r->dynamic_range == r->open_max / r->step_sigma, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r->dynamic_range == 41000.0 / 17.0, boost::test_tools::tolerance(0.06));
  BOOST_TEST_MESSAGE("dynamic range " << r->dynamic_range << " vs constructed " << 41000.0 / 17.0);
  BOOST_TEST_REQUIRE(r->warnings.size() == 1u);
  BOOST_TEST(r->warnings.front().rfind("starved:", 0) == 0u);
  BOOST_TEST(r->open_max_px.x >= 40 + 6);
  BOOST_TEST(r->open_max_px.x <= 70 - 7);

  // Every step starved → error; an open ROI smaller than the box → error.
  cv::Mat flat(100, 100, CV_32F, cv::Scalar(500.0));
  BOOST_TEST(n4255::dynamic_range(flat, {{0, 0, 50, 50}}, {{60, 60, 20, 20}}).error().code == ErrorCode::input);
  BOOST_TEST(n4255::dynamic_range(image, {{0, 0, 10, 10}}, step_rois).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(dynamic_range_noise_box_excludes_shading_across_the_step) {
  // One step of mean 1,000 and white noise σ 10 with a linear ramp of ±60 across its 120 px
  // width: over the whole step σ² = 10² + 120²/12 (≈ 36.1), in a 10 × 10 px box at its centre
  // the ramp adds only (10 px · 1 per px)²/12, so σ ≈ √(100 + 8.25) ≈ 10.4.
  cv::Mat image(200, 300, CV_32F, cv::Scalar(40000.0));
  add_noise(image, 100.0, 31);
  const tk::RoiPx step{150, 40, 120, 120};
  cv::Mat region = noise_image(step.width_px, step.height_px, 1000.0, 10.0, 32);
  for (int y = 0; y < region.rows; ++y)
    for (int x = 0; x < region.cols; ++x) region.at<float>(y, x) += static_cast<float>(x - 59.5);
  region.copyTo(image(step.rect()));
  const std::vector<tk::RoiPx> open{{10, 10, 120, 120}};
  auto whole = n4255::dynamic_range(image, open, {step});
  n4255::DynamicRangeOptions o;
  o.noise_box_px_x = o.noise_box_px_y = 10;
  auto boxed = n4255::dynamic_range(image, open, {step}, o);
  BOOST_TEST_REQUIRE(whole.has_value());
  BOOST_TEST_REQUIRE(boxed.has_value());
  BOOST_TEST(whole->step_sigma == std::sqrt(100.0 + 120.0 * 120.0 / 12.0), boost::test_tools::tolerance(0.05));
  BOOST_TEST(boxed->step_sigma == std::sqrt(100.0 + 100.0 / 12.0), boost::test_tools::tolerance(0.2));
  BOOST_TEST(boxed->dynamic_range / whole->dynamic_range > 3.0);
}

BOOST_AUTO_TEST_CASE(boundary_signal_is_relative_step_across_the_outline_and_snr_is_mean_over_sd) {
  // A 60 × 40 px block rotated 7° at 9,000 on 10,000: signal 1 − 9,000/10,000 = 0.1 exactly when
  // noise-free (the 2 px gap leaves out the area-sampled and blurred boundary pixels).
  const std::vector<cv::Point2f> block = [] {
    std::vector<cv::Point2f> p;
    const double a = 7.0 * pi / 180.0;
    for (auto [x, y] : std::array<std::array<double, 2>, 4>{{{-30, -20}, {30, -20}, {30, 20}, {-30, 20}}})
      p.emplace_back(static_cast<float>(100 + x * std::cos(a) - y * std::sin(a)),
                     static_cast<float>(80 + x * std::sin(a) + y * std::cos(a)));
    return p;
  }();
  std::vector<cv::Point2d> outline(block.begin(), block.end());
  const cv::Mat clean = polygon_image(200, 160, block, 10000, 9000, 0.0, 0.0, 0);
  auto s = n4255::boundary_signal(clean, outline);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().message));
  BOOST_TEST(s->signal == 0.1, boost::test_tools::tolerance(1e-4));
  BOOST_TEST(s->difference == 1000.0, boost::test_tools::tolerance(1e-4));
  BOOST_TEST(s->inner_pixels > 800);
  BOOST_TEST(s->outer_pixels > 800);

  // Noisy images (σ 200): signal = 1 − inner/outer scatters by σ·√(1/n_in + 0.81/n_out)/10,000
  // (0.81 = (inner/outer)²) and the SNR over 30 images is their mean over their SD.
  std::vector<double> signals;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    auto n = n4255::boundary_signal(polygon_image(200, 160, block, 10000, 9000, 0.5, 200.0, 100 + seed), outline);
    BOOST_TEST_REQUIRE(n.has_value());
    signals.push_back(n->signal);
  }
  auto snr = n4255::boundary_snr(signals);
  BOOST_TEST_REQUIRE(snr.has_value());
  const double expected_sd = 200.0 * std::sqrt(1.0 / s->inner_pixels + 0.81 / s->outer_pixels) / 10000.0;
  BOOST_TEST_MESSAGE("boundary SNR " << snr->snr << ", closed form " << 0.1 / expected_sd << "; mean signal "
                                     << snr->mean);
  BOOST_TEST(snr->mean == 0.1, boost::test_tools::tolerance(0.01));
  BOOST_TEST(snr->sd == expected_sd, boost::test_tools::tolerance(0.35));  // SD of 30 values: ±13 % (1σ)
  BOOST_TEST(snr->snr == snr->mean / snr->sd, boost::test_tools::tolerance(1e-12));

  // Exact arithmetic on given values: mean 2, sample SD 1 → SNR 2.
  auto exact = n4255::boundary_snr({1.0, 2.0, 3.0});
  BOOST_TEST_REQUIRE(exact.has_value());
  BOOST_TEST(exact->snr == 2.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(n4255::boundary_snr({0.1}).error().code == ErrorCode::input);
  BOOST_TEST(n4255::boundary_snr({0.1, 0.1}).error().code == ErrorCode::input);
  // Bands leaving the image → error.
  BOOST_TEST(n4255::boundary_signal(clean, {{1, 1}, {50, 1}, {50, 50}}).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(tilted_square_on_an_anisotropic_grid_gives_sides_within_half_a_pixel_and_aspect_within_half_a_percent) {
  // 24 mm square rotated 5° at pitch 0.2 × 0.25 mm: 120 px wide, 96 px high before rotation.
  const double px = 0.2, py = 0.25, side = 24.0;
  for (double angle : {5.0, -5.0}) {
    const auto corners = square_px(120, 100, side, angle, px, py);
    const cv::Mat image = polygon_image(240, 200, corners, 12000, 2000, 1.0, 60.0, 77);
    n4255::SquareOptions o;
    o.pixel_mm_x = px;
    o.pixel_mm_y = py;
    o.known_side_mm = side;
    auto r = n4255::measure_square(image, {20, 20, 200, 160}, o);
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
    for (std::size_t i = 0; i < 4; ++i) {
      const cv::Point2d a = corners[i], b = corners[(i + 1) % 4];
      const double truth_px = cv::norm(b - a);
      BOOST_TEST_MESSAGE("angle " << angle << " side " << i << ": " << r->sides[i].length_px << " px vs " << truth_px
                                  << " (rms " << r->sides[i].fit_rms_px << " px, " << r->sides[i].points << " points)");
      BOOST_TEST(std::abs(r->sides[i].length_px - truth_px) < 0.5);
      BOOST_TEST(std::abs(r->sides[i].length_mm - side) < 0.5 * px);
      BOOST_TEST(cv::norm(r->corners_px[i] - a) < 0.5);
    }
    BOOST_TEST_MESSAGE("aspect " << r->aspect_ratio << ", area " << r->area_mm2 << " mm2, implied pitch "
                                 << r->implied_pixel_mm_x << " x " << r->implied_pixel_mm_y);
    BOOST_TEST(r->aspect_ratio == 1.0, boost::test_tools::tolerance(0.005));
    BOOST_TEST(r->aspect_deviation < 0.005);
    BOOST_TEST(r->angle_deg == angle, boost::test_tools::tolerance(0.02));
    BOOST_TEST(r->area_mm2 == side * side, boost::test_tools::tolerance(0.01));
    BOOST_TEST(r->implied_pixel_mm_x == px, boost::test_tools::tolerance(0.005));
    BOOST_TEST(r->implied_pixel_mm_y == py, boost::test_tools::tolerance(0.005));
    BOOST_TEST(r->image_width_mm == 240 * r->implied_pixel_mm_x, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r->warnings.empty());
  }
  // A square stretched 3 % along y reads as aspect 1/1.03.
  auto stretched = square_px(120, 100, 24.0, 5.0, px, py / 1.03);
  auto r = n4255::measure_square(polygon_image(240, 200, stretched, 12000, 2000, 1.0, 60.0, 78), {20, 20, 200, 160},
                                 square_options(px, py));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->aspect_ratio == 1.0 / 1.03, boost::test_tools::tolerance(0.005));
  BOOST_TEST(r->aspect_deviation == 0.03, boost::test_tools::tolerance(0.1));
  // No square: flat noise → error.
  cv::Mat flat = noise_image(100, 100, 1000, 10, 5);
  BOOST_TEST(n4255::measure_square(flat, {0, 0, 100, 100}, square_options(px, py)).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(flatness_of_a_known_gradient_matches_the_closed_form) {
  // 200 × 150 px at 1 mm: the 170 mm region is 170 × 148 px (height clamped to the image − 2).
  // I = m · (1 + a · (x − 99.5)/200): over the region's 170 columns σ/mean = a · √((170² − 1)/12)/200.
  const double m = 5000.0;
  const auto ramp = [&](double a) {
    cv::Mat img(150, 200, CV_32F);
    for (int y = 0; y < 150; ++y)
      for (int x = 0; x < 200; ++x) img.at<float>(y, x) = static_cast<float>(m * (1 + a * (x - 99.5) / 200.0));
    return img;
  };
  const auto closed = [](double a) { return 1.0 - a * std::sqrt((170.0 * 170.0 - 1.0) / 12.0) / 200.0; };
  n4255::FlatnessOptions o;
  o.pixel_mm_x = o.pixel_mm_y = 1.0;
  auto r = n4255::flatness_of_field({ramp(0.2), ramp(0.2)}, o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(r->region.width_px == 170);
  BOOST_TEST(r->region.height_px == 148);
  BOOST_TEST(r->region.x_px == 15);
  BOOST_TEST(r->coverage_y == 148.0 / 170.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r->flatness == closed(0.2), boost::test_tools::tolerance(1e-6));
  // Blocks of 21–22 columns: the first spans columns 15–35 (u = −0.3725), the last 163–184
  // (u = +0.37): the largest deviation is a · 0.3725.
  BOOST_TEST(r->max_relative_deviation == 0.2 * 0.3725, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(r->global_mean == m, boost::test_tools::tolerance(1e-6));

  // Three blanks of different gradients: mean − 2 × population SD of the per-blank figures.
  auto three = n4255::flatness_of_field({ramp(0.1), ramp(0.2), ramp(0.3)}, o);
  BOOST_TEST_REQUIRE(three.has_value());
  const double f1 = closed(0.1), f2 = closed(0.2), f3 = closed(0.3);
  const double mean = (f1 + f2 + f3) / 3.0;
  const double sd = std::sqrt(((f1 - mean) * (f1 - mean) + (f2 - mean) * (f2 - mean) + (f3 - mean) * (f3 - mean)) / 3);
  BOOST_TEST(three->flatness == mean - 2 * sd, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(three->flatness_sd == sd, boost::test_tools::tolerance(1e-5));
  o.pixel_mm_x = 0;
  BOOST_TEST(n4255::flatness_of_field({ramp(0.1)}, o).error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(blanks_of_different_sizes_are_scored_each_centred_on_its_own) {
  // Same ramp about each blank's own centre in a 200 × 150 and a 260 × 190 px blank at 1 mm: the
  // common region is 170 × 148 px (the smaller blank less 2 px), centred in each blank, so both
  // give the closed-form figure of the equal-size case.
  const double m = 5000.0, a = 0.2;
  const auto ramp = [&](int cols, int rows) {
    cv::Mat img(rows, cols, CV_32F);
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x) img.at<float>(y, x) = static_cast<float>(m * (1 + a * (x - (cols - 1) / 2.0) / 200.0));
    return img;
  };
  n4255::FlatnessOptions o;
  o.pixel_mm_x = o.pixel_mm_y = 1.0;
  auto r = n4255::flatness_of_field({ramp(200, 150), ramp(260, 190)}, o);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST(r->sizes_differ);
  BOOST_TEST(r->region.width_px == 170);
  BOOST_TEST(r->region.height_px == 148);
  BOOST_TEST_REQUIRE(r->per_blank.size() == 2u);
  const double closed = 1.0 - a * std::sqrt((170.0 * 170.0 - 1.0) / 12.0) / 200.0;
  BOOST_TEST(r->per_blank[0] == closed, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(r->per_blank[1] == closed, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(r->global_mean == m, boost::test_tools::tolerance(1e-6));

  // NEQ: each blank is cropped on its own; white noise of the same σ gives the same NEQ.
  std::vector<cv::Mat> blanks{noise_image(520, 520, 1500.0, 30.0, 11), noise_image(300, 700, 1500.0, 30.0, 12)};
  n4255::NeqN4255Options no;
  no.pixel_mm_x = no.pixel_mm_y = 0.1;
  no.at_lp_mm = {0.5};
  auto q = n4255::neq_n4255(blanks, gaussian_mtf(2.0), gaussian_mtf(2.0), no);
  BOOST_TEST_REQUIRE(q.has_value(), (q ? "" : q.error().message));
  BOOST_TEST(q->sizes_differ);
  BOOST_TEST_REQUIRE(q->x.front().per_blank.size() == 2u);
  // E|2·DFT/N|² = 4σ²/N per blank with N its own crop side (500 px across for blank 1, 300 px
  // across and 500 px down for blank 2): NEQ_x scales with the crop width. One blank, 500 rows:
  // about 5 % scatter, so 15 % (3 σ) still tells 500 from 300.
  const double per_px = 1500.0 * 1500.0 * std::pow(gaussian_mtf_value(2.0, 0.05), 2) / (4 * 30.0 * 30.0);
  BOOST_TEST(q->x.front().per_blank[0] == per_px * 500, boost::test_tools::tolerance(0.15));
  BOOST_TEST(q->x.front().per_blank[1] == per_px * 300, boost::test_tools::tolerance(0.15));
}

BOOST_AUTO_TEST_CASE(mtf20_over_orientations_and_the_decision_with_uncertainty) {
  auto s = n4255::mean_with_spread({1.40, 1.45, 1.35, 1.40});
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(s->mean == 1.40, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s->sd == std::sqrt(0.005 / 3.0), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(s->n == 4);
  BOOST_TEST(n4255::mean_with_spread({}).error().code == ErrorCode::input);
  // Minimum 1.3: 1.40 − 0.0408 ≥ 1.3 passes; with k = 3 (1.40 − 0.122 < 1.3) it does not.
  BOOST_TEST(n4255::decide_with_uncertainty(s->mean, s->sd, 1.3, n4255::LimitKind::minimum).pass);
  BOOST_TEST(!n4255::decide_with_uncertainty(s->mean, s->sd, 1.3, n4255::LimitKind::minimum, 3.0).pass);
  auto d = n4255::decide_with_uncertainty(0.02, 0.005, 0.03, n4255::LimitKind::maximum);
  BOOST_TEST(d.pass);
  BOOST_TEST(d.margin == 0.005, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(!n4255::decide_with_uncertainty(0.028, 0.005, 0.03, n4255::LimitKind::maximum).pass);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Generator renders of the shipped portable phantom ---------------------------------------

namespace {

struct PortableRender {
  cv::Mat foil_view;                // 400 × 400 px around the lead foil square
  cv::Point2d foil_centre_px;       // truth
  std::vector<cv::Mat> blanks;      // 260 × 260 px air-only renders
  double neq_closed_form_x = 0.0;   // S² · MTF_true(1 lp/mm)² · N / (4σ²), N = 250
};

// Renders at 0.2 mm pitch, PSF σ 0.2 mm, 70 keV, `dose` photons per pixel in air: a 400 × 400 px
// view centred on the foil square (phantom mm (220, 180)) and two blanks.
PortableRender render_portable(double dose) {
  PortableRender out;
  auto phantom = niikit::phantoms::load_phantom(niikit::phantoms::shipped_phantom_dir() + "/portable-n4255.json");
  BOOST_TEST_REQUIRE(phantom.has_value(), (phantom ? "" : phantom.error().message));
  gen::RenderOptions o;
  o.beam = gen::BeamPreset::low_kv;
  o.dose_photons = dose;
  o.pixel_mm_x = o.pixel_mm_y = 0.2;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 0.2;
  o.supersample = 2;
  o.image_width_px = o.image_height_px = 400;
  o.shift_px_x = -(220.0 - 150.0) / 0.2;  // bring the foil centre to the image centre
  o.shift_px_y = -(180.0 - 150.0) / 0.2;
  auto scan = gen::render_scan(*phantom, o);
  BOOST_TEST_REQUIRE(scan.has_value(), (scan ? "" : scan.error().message));
  out.foil_view = scan->planes[0].pixels;
  const auto c = scan->truth.placement.to_px({220.0, 180.0});
  out.foil_centre_px = {c.x_px, c.y_px};
  const auto* air = scan->truth.region("air");
  BOOST_TEST_REQUIRE(air != nullptr);
  const double s = air->planes[0].counts, sigma = air->planes[0].noise_counts;
  const double mtf = scan->truth.mtf_x.curve[20].mtf;  // 0.20 cy/px = 1 lp/mm at 0.2 mm
  BOOST_TEST_REQUIRE(scan->truth.mtf_x.curve[20].cycles_per_px == 0.2, boost::test_tools::tolerance(1e-9));
  out.neq_closed_form_x = s * s * mtf * mtf * 250.0 / (4.0 * sigma * sigma);

  niikit::phantoms::Phantom blank = *phantom;
  blank.features.clear();
  o.image_width_px = o.image_height_px = 260;
  o.shift_px_x = o.shift_px_y = 0;
  for (unsigned long long seed : {11ULL, 12ULL}) {
    o.seed = seed;
    auto b = gen::render_scan(blank, o);
    BOOST_TEST_REQUIRE(b.has_value());
    out.blanks.push_back(b->planes[0].pixels);
  }
  return out;
}

double neq_x_at_1(const PortableRender& r) {
  // Edge MTF from the foil's right side (near-vertical edge): a 30 × 60 mm... ROI 100 × 160 px
  // centred 150 px right of the foil centre.
  tk::EdgeMtfOptions eo;
  eo.roi = tk::RoiPx{static_cast<int>(r.foil_centre_px.x) + 100, static_cast<int>(r.foil_centre_px.y) - 80, 100, 160};
  eo.pixel_mm_x = eo.pixel_mm_y = 0.2;
  auto mtf = tk::measure_edge_mtf(r.foil_view, eo);
  BOOST_TEST_REQUIRE(mtf.has_value(), (mtf ? "" : mtf.error().message));
  BOOST_TEST_REQUIRE(mtf->orientation == 'v');
  n4255::NeqN4255Options o;
  o.pixel_mm_x = o.pixel_mm_y = 0.2;
  auto neq = n4255::neq_n4255(r.blanks, mtf->curve, {}, o);
  BOOST_TEST_REQUIRE(neq.has_value(), (neq ? "" : neq.error().message));
  BOOST_TEST(neq->crop_width_px == 250);
  BOOST_TEST_REQUIRE(neq->x.front().neq.has_value());
  return *neq->x.front().neq;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(n4255_portable_render)

BOOST_AUTO_TEST_CASE(neq_at_1_lp_mm_is_plausible_and_falls_with_dose) {
  const auto high = render_portable(20000);
  const auto low = render_portable(5000);
  const double neq_high = neq_x_at_1(high), neq_low = neq_x_at_1(low);
  BOOST_TEST_MESSAGE("portable render NEQ_x(1 lp/mm): dose 20000 → " << neq_high << " (closed form "
                                                                     << high.neq_closed_form_x << "), dose 5000 → "
                                                                     << neq_low << " (closed form "
                                                                     << low.neq_closed_form_x << ")");
  BOOST_TEST(neq_high == high.neq_closed_form_x, boost::test_tools::tolerance(0.25));
  BOOST_TEST(neq_low == low.neq_closed_form_x, boost::test_tools::tolerance(0.25));
  BOOST_TEST(neq_high > 22500.0);  // the N42.55 minimum, for scale
  BOOST_TEST(neq_low < neq_high);
  BOOST_TEST(neq_high / neq_low == 4.0, boost::test_tools::tolerance(0.3));  // NEQ ∝ dose (quantum-limited)
}

BOOST_AUTO_TEST_CASE(foil_square_of_the_portable_phantom_measures_60_mm_sides_and_aspect_1) {
  const auto r = render_portable(20000);
  n4255::SquareOptions o;
  o.pixel_mm_x = o.pixel_mm_y = 0.2;
  o.known_side_mm = 60.0;
  const tk::RoiPx roi{static_cast<int>(r.foil_centre_px.x) - 180, static_cast<int>(r.foil_centre_px.y) - 180, 360, 360};
  auto sq = n4255::measure_square(r.foil_view, roi, o);
  BOOST_TEST_REQUIRE(sq.has_value(), (sq ? "" : sq.error().message));
  for (const auto& s : sq->sides) {
    BOOST_TEST_MESSAGE("foil side " << s.length_mm << " mm (" << s.length_px << " px, rms " << s.fit_rms_px << ")");
    BOOST_TEST(std::abs(s.length_px - 300.0) < 0.5);
  }
  BOOST_TEST_MESSAGE("foil tilt " << sq->angle_deg << " deg, aspect " << sq->aspect_ratio);
  BOOST_TEST(std::abs(std::abs(sq->angle_deg) - 5.0) < 0.05);
  BOOST_TEST(sq->aspect_ratio == 1.0, boost::test_tools::tolerance(0.005));
  BOOST_TEST(sq->area_mm2 == 3600.0, boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- `niikit iq neq --definition n4255` end to end -------------------------------------------

namespace {

std::string write_tiff(const niikit::testing::TempDir& dir, const std::string& name, const cv::Mat& values) {
  tk::Image image;
  values.convertTo(image.pixels, CV_16U);
  image.meta.pixel_mm_x = image.meta.pixel_mm_y = 0.2;
  const std::string path = dir.file(name);
  if (!tk::write_image(path, image)) throw std::runtime_error("cannot write " + path);
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(n4255_cli)

BOOST_AUTO_TEST_CASE(iq_neq_n4255_reports_dimensionless_neq_and_its_sd_over_blanks) {
  // Near-vertical edge tilted 5°, Gaussian blur σ 1 px (ESF 1000 + 2000·Φ), three blanks of
  // 256 px (S 3000, σ 20; cropped to 250 px = 50 mm). Closed form at 1 lp/mm = 0.2 cy/px:
  // S² · exp(−2π²·0.04)² · 250 / (4 · (400 + 1/12)), the 1/12 from rounding to 16 bits.
  niikit::testing::TempDir dir;
  cv::Mat edge(128, 128, CV_64F);
  const double slope = std::tan(5.0 * pi / 180.0);
  for (int r = 0; r < 128; ++r)
    for (int c = 0; c < 128; ++c) {
      const double d = (c - (64.0 + slope * (r - 64.0))) * std::cos(5.0 * pi / 180.0);
      edge.at<double>(r, c) = 1000.0 + 1000.0 * std::erfc(-d / std::numbers::sqrt2);
    }
  cv::Mat edge_noisy;
  edge.convertTo(edge_noisy, CV_32F);
  add_noise(edge_noisy, 2.0, 7);
  const std::string edge_path = write_tiff(dir, "edge.tif", edge_noisy);
  std::string flats;
  for (std::uint64_t seed : {31, 32, 33})
    flats += " " + write_tiff(dir, "blank" + std::to_string(seed) + ".tif", noise_image(256, 256, 3000.0, 20.0, seed));
  auto run = niikit::testing::run_niikit("iq neq --edge " + edge_path + " --flat" + flats +
                                         " --definition n4255 --at-lp-mm 1 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(doc.value("definition").toString().toStdString() == "n4255");
  BOOST_TEST(doc.value("neq_unit").toString().toStdString() == "1");
  BOOST_TEST(doc.value("crop_width_px").toInt() == 250);
  const double mtf = gaussian_mtf_value(1.0, 0.2);
  const double expected = 9e6 * mtf * mtf * 250.0 / (4.0 * (400.0 + 1.0 / 12));
  const double neq = doc.value("neq_x_at").toObject().value("1").toDouble();
  const double sd = doc.value("neq_x_sd_at").toObject().value("1").toDouble();
  BOOST_TEST_MESSAGE("iq neq n4255 at 1 lp/mm: " << neq << " (closed form " << expected << "), SD over 3 blanks " << sd);
  BOOST_TEST(neq == expected, boost::test_tools::tolerance(0.20));
  BOOST_TEST(sd > 0.0);
  BOOST_TEST(sd < 0.2 * neq);
  BOOST_TEST(doc.value("neq_y_sd_at").toObject().isEmpty());
  // The default definition keeps its keys and has no SD maps.
  run = niikit::testing::run_niikit("iq neq --edge " + edge_path + " --flat" + flats + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto iec = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(iec.value("definition").toString().toStdString() == "iec62220");
  BOOST_TEST(!iec.contains("neq_x_sd_at"));
}

BOOST_AUTO_TEST_SUITE_END()
