// Step wedge / penetration statistics (testkits/metrics/step_wedge) and `niikit iq steps`, on
// synthetic wedges with fixed seeds: known contrasts, white or Gaussian-blurred noise.
#define BOOST_TEST_MODULE test_step_wedge
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <random>

#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/step_wedge.hpp"

namespace tk = niikit::testkits;
namespace tt = boost::test_tools;
using niikit::ErrorCode;

namespace {

constexpr int step_w = 64, step_h = 96;

// Step i occupies columns [64 i, 64 i + 64): rows 0-47 hold the target (base + delta[i]),
// rows 48-95 the background (base). Noise: white Gaussian σ, optionally blurred by a Gaussian
// of `blur` px (then σ is the noise before the blur).
cv::Mat wedge(const std::vector<double>& delta, double base, double sigma, std::uint64_t seed, double blur = 0.0) {
  const int n = static_cast<int>(delta.size());
  cv::Mat noise(step_h, step_w * n, CV_32F);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0.0F, static_cast<float>(sigma));
  for (int r = 0; r < noise.rows; ++r)
    for (int c = 0; c < noise.cols; ++c) noise.at<float>(r, c) = g(rng);
  if (blur > 0.0) cv::GaussianBlur(noise, noise, cv::Size(0, 0), blur, blur, cv::BORDER_REFLECT);
  cv::Mat image(noise.size(), CV_32F);
  for (int r = 0; r < image.rows; ++r)
    for (int c = 0; c < image.cols; ++c)
      image.at<float>(r, c) =
          static_cast<float>(base + (r < step_h / 2 ? delta[static_cast<std::size_t>(c / step_w)] : 0.0)) +
          noise.at<float>(r, c);
  return image;
}

std::vector<tk::WedgeStep> wedge_steps(std::size_t count) {
  std::vector<tk::WedgeStep> steps;
  for (std::size_t i = 0; i < count; ++i) {
    const int x = static_cast<int>(i) * step_w + 12;
    steps.push_back({10.0 * static_cast<double>(i + 1), {x, 4, 40, 40}, {x, 52, 40, 40}, {}});
  }
  return steps;
}

double penetration_or_zero(const tk::StepWedgeResult& r) { return r.penetration_mm.value_or(0.0); }

}  // namespace

BOOST_AUTO_TEST_SUITE(step_wedge)

BOOST_AUTO_TEST_CASE(cnr_matches_the_closed_form_within_5_percent) {
  const cv::Mat image = wedge({50.0, 20.0}, 1000.0, 10.0, 11);
  auto r = tk::measure_step_wedge(image, wedge_steps(2));
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST_MESSAGE("CNR " << r->steps[0].cnr << " (5), " << r->steps[1].cnr << " (2)");
  BOOST_TEST(r->steps[0].cnr == 5.0, tt::tolerance(0.05));
  BOOST_TEST(r->steps[1].cnr == 2.0, tt::tolerance(0.05));
  BOOST_TEST(r->steps[0].contrast == 50.0, tt::tolerance(0.02));
  BOOST_TEST((r->rule == tk::StepRule::welch_t));
  BOOST_TEST(r->threshold == 5.0);
}

BOOST_AUTO_TEST_CASE(white_noise_gives_n_eff_close_to_n) {
  const cv::Mat image = wedge({0.0}, 1000.0, 10.0, 12);
  auto e = tk::effective_sample_size(image, {0, 0, 64, 96});
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST(e->n == 64 * 96);
  BOOST_TEST_MESSAGE("white noise n_eff / n = " << e->n_eff / static_cast<double>(e->n));
  BOOST_TEST(e->n_eff / static_cast<double>(e->n) == 1.0, tt::tolerance(0.10));
  BOOST_TEST(e->n_eff <= static_cast<double>(e->n));
  auto r = tk::measure_step_wedge(image, wedge_steps(1));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->steps[0].n_eff_background / 1600.0 == 1.0, tt::tolerance(0.10));
}

BOOST_AUTO_TEST_CASE(blurred_noise_lowers_n_eff_and_welch_t_by_the_expected_factor) {
  const double blur = 1.0;
  const cv::Mat image = wedge({3.0}, 1000.0, 20.0, 13, blur);
  auto r = tk::measure_step_wedge(image, wedge_steps(1));
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  const auto& s = r->steps[0];
  BOOST_TEST(s.n_eff_background < 0.3 * 1600.0);
  // Blurred white noise: ρ(d) = exp(−d²/(4 b²)) per axis, so Var(mean) grows by (Σ_d ρ(d))².
  double axis = 0.0;
  for (int d = -20; d <= 20; ++d) axis += std::exp(-d * d / (4.0 * blur * blur));
  const double expected_ratio = 1.0 / axis;  // t_welch / t_naive = 1 / √inflation
  BOOST_TEST_MESSAGE("blur 1 px: n_eff " << s.n_eff_background << " of 1600, t_welch/t_naive " << s.t_welch / s.t_naive
                                          << " (expected " << expected_ratio << ")");
  BOOST_TEST(s.t_welch / s.t_naive == expected_ratio, tt::tolerance(0.20));
  BOOST_TEST(std::fabs(s.t_welch) < std::fabs(s.t_naive));
}

BOOST_AUTO_TEST_CASE(penetration_is_the_thickest_step_whose_expected_t_exceeds_the_threshold) {
  // σ 10, 1600 px per ROI: expected t = Δ / (10 √(2/1600)) = 2.83 Δ; threshold 5 needs Δ > 1.77.
  const std::vector<double> delta{20.0, 10.0, 5.0, 2.6, 0.8, 0.3};
  auto r = tk::measure_step_wedge(wedge(delta, 1000.0, 10.0, 14), wedge_steps(delta.size()));
  BOOST_TEST_REQUIRE(r.has_value());
  for (std::size_t i = 0; i < delta.size(); ++i) {
    const double expected_t = delta[i] / (10.0 * std::sqrt(2.0 / 1600.0));
    BOOST_TEST(r->steps[i].pass == (expected_t > 5.0), "step " << i << " t " << r->steps[i].t_welch);
  }
  BOOST_TEST(penetration_or_zero(*r) == 40.0);
  BOOST_TEST(r->monotone);
  BOOST_TEST(r->warnings.empty());
  BOOST_TEST(r->steps[0].p_value.has_value());
  BOOST_TEST(*r->steps[0].p_value < 1e-6);

  auto cnr = tk::measure_step_wedge(wedge(delta, 1000.0, 10.0, 14), wedge_steps(delta.size()),
                                    {tk::StepRule::cnr, 0.75});
  BOOST_TEST_REQUIRE(cnr.has_value());
  BOOST_TEST(penetration_or_zero(*cnr) == 20.0);  // CNR 2, 1, 0.5: the 20 mm step is the last ≥ 0.75
  BOOST_TEST((cnr->rule == tk::StepRule::cnr));
}

BOOST_AUTO_TEST_CASE(a_thicker_step_passing_after_a_failure_warns_non_monotone) {
  const std::vector<double> delta{20.0, 0.0, 20.0};
  auto r = tk::measure_step_wedge(wedge(delta, 1000.0, 10.0, 15), wedge_steps(delta.size()));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(penetration_or_zero(*r) == 10.0);
  BOOST_TEST(!r->monotone);
  BOOST_TEST_REQUIRE(r->warnings.size() == 1U);
  BOOST_TEST(r->warnings[0].rfind("non-monotone:", 0) == 0U, r->warnings[0]);
}

BOOST_AUTO_TEST_CASE(lowering_the_dose_never_increases_penetration) {
  std::vector<double> delta;
  for (int i = 0; i < 8; ++i) delta.push_back(40.0 * std::pow(0.6, i));
  double previous = 1e9;
  std::vector<double> seen;
  for (const double sigma : {5.0, 10.0, 20.0, 40.0}) {  // more noise = less dose
    auto r = tk::measure_step_wedge(wedge(delta, 1000.0, sigma, 16), wedge_steps(delta.size()));
    BOOST_TEST_REQUIRE(r.has_value());
    const double p = penetration_or_zero(*r);
    seen.push_back(p);
    BOOST_TEST_MESSAGE("sigma " << sigma << ": penetration " << p << " mm");
    BOOST_TEST(p <= previous, "sigma " << sigma);
    previous = p;
  }
  BOOST_TEST(seen.front() > seen.back());
}

BOOST_AUTO_TEST_CASE(starved_and_saturated_steps_are_flagged) {
  cv::Mat image(96, 128, CV_16U);
  std::mt19937_64 rng(17);
  std::normal_distribution<double> g(0.0, 30.0);
  for (int r = 0; r < image.rows; ++r)
    for (int c = 0; c < image.cols; ++c) {
      const double level = c < 64 ? (r < 48 ? 5.0 : 60.0) : (r < 48 ? 65400.0 : 65530.0);
      image.at<std::uint16_t>(r, c) = cv::saturate_cast<std::uint16_t>(level + g(rng));
    }
  auto r = tk::measure_step_wedge(image, wedge_steps(2));
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(r->steps[0].starved);
  BOOST_TEST(!r->steps[0].saturated);
  BOOST_TEST(r->steps[1].saturated);
  BOOST_TEST(!r->steps[1].starved);
  BOOST_TEST_REQUIRE(r->warnings.size() >= 2U);
  BOOST_TEST(r->warnings[0].rfind("starved:", 0) == 0U, r->warnings[0]);
  BOOST_TEST(r->warnings[1].rfind("saturated:", 0) == 0U, r->warnings[1]);

  auto clean = tk::measure_step_wedge(wedge({50.0}, 1000.0, 10.0, 18), wedge_steps(1));
  BOOST_TEST_REQUIRE(clean.has_value());
  BOOST_TEST(!clean->steps[0].starved);
  BOOST_TEST(!clean->steps[0].saturated);
}

BOOST_AUTO_TEST_CASE(bad_rois_thresholds_and_steps_are_errors) {
  const cv::Mat image = wedge({50.0}, 1000.0, 10.0, 19);
  auto r = tk::measure_step_wedge(image, {{10.0, {50, 4, 40, 40}, {12, 52, 40, 40}, {}}});
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == ErrorCode::input);
  r = tk::measure_step_wedge(image, {{10.0, {12, 4, 2, 2}, {12, 52, 40, 40}, {}}});
  BOOST_TEST(r.error().code == ErrorCode::input);
  r = tk::measure_step_wedge(image, {});
  BOOST_TEST(r.error().code == ErrorCode::input);
  r = tk::measure_step_wedge(image, wedge_steps(1), {tk::StepRule::welch_t, 0.0});
  BOOST_TEST(r.error().code == ErrorCode::input);
  r = tk::measure_step_wedge(cv::Mat(96, 64, CV_32F, cv::Scalar(7.0)), wedge_steps(1));
  BOOST_TEST(r.error().code == ErrorCode::input);  // no noise: CNR undefined

  auto s = tk::parse_wedge_step("100:10,10,20,20:40,10,20,20");
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(s->thickness_mm == 100.0);
  BOOST_TEST(s->background.x_px == 40);
  for (const char* bad : {"100:10,10,20,20", "x:10,10,20,20:40,10,20,20", "-5:10,10,20,20:40,10,20,20",
                          "100:10,10,20:40,10,20,20", "100:1,1,2,2:3,3,4,4:5"})
    BOOST_TEST(tk::parse_wedge_step(bad).error().code == ErrorCode::usage, bad);
  BOOST_TEST((tk::parse_step_rule("cnr") == tk::StepRule::cnr));
  BOOST_TEST(!tk::parse_step_rule("t").has_value());
}

BOOST_AUTO_TEST_CASE(cli_iq_steps_json_text_and_exit_statuses) {
  niikit::testing::TempDir dir;
  cv::Mat f = wedge({300.0, 20.0}, 3000.0, 10.0, 20);
  tk::Image image;
  f.convertTo(image.pixels, CV_16U);
  const std::string path = dir.file("wedge.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  const std::string steps = " --step 10:12,4,40,40:12,52,40,40 --step 20:76,4,40,40:76,52,40,40";
  auto run = niikit::testing::run_niikit("iq steps " + path + steps + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"rule", "threshold", "steps", "penetration_mm", "warnings", "monotone"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc.value("rule").toString().toStdString() == "welch_t");
  BOOST_TEST(doc.value("penetration_mm").toDouble() == 20.0);
  const auto step = doc.value("steps").toArray().at(0).toObject();
  for (const char* key : {"thickness_mm", "target_mean", "background_mean", "target_sigma", "background_sigma", "cnr",
                          "t_welch", "t_naive", "n_eff_target", "n_eff_background", "dof", "p_value", "pass",
                          "starved", "saturated"})
    BOOST_TEST(step.contains(key), key);
  BOOST_TEST(step.value("cnr").toDouble() == 30.0, tt::tolerance(0.05));

  run = niikit::testing::run_niikit("iq steps " + path + steps + " --rule cnr --threshold 5 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto cnr = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(cnr.value("penetration_mm").toDouble() == 10.0);  // CNR 30 and 2
  BOOST_TEST(cnr.value("rule").toString().toStdString() == "cnr");

  run = niikit::testing::run_niikit("iq steps " + path + steps);
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out.find("penetration 20 mm") != std::string::npos, run.out);

  BOOST_TEST(niikit::testing::run_niikit("iq steps " + path + " --step 10:100,4,40,40:12,52,40,40").status == 3);
  BOOST_TEST(niikit::testing::run_niikit("iq steps " + path + " --step 10:12,4,40,40").status == 2);
  BOOST_TEST(niikit::testing::run_niikit("iq steps " + path + " --step 10:12,4,40,40:12,52,40,40 --rule x").status ==
             2);
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 18: a block on a background with a glare gradient (3 counts/px in x, 0.5 in y) and a
// curvature along y (0.3·(y − 30)²), white noise σ = 10, block contrast −4. The local model
// (plane over reference ROIs on both sides) recovers the block's own contrast within 3 standard
// errors and Welch t within 3 of its expectation 4 / √(σ²/n_t + σ²/n_b); one reference alone
// reads the gradient (contrast ≈ 66). Noise correlation is estimated after a degree-2 surface,
// so the curvature does not deflate n_eff (≥ 0.8 n), while the plane detrend inflates it > 1.5×.
BOOST_AUTO_TEST_CASE(local_background_model_removes_glare_and_keeps_n_eff) {
  cv::Mat image(60, 160, CV_32F);
  std::mt19937_64 rng(18);
  std::normal_distribution<double> noise(0.0, 10.0);
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const bool block = x >= 70 && x < 90 && y >= 15 && y < 45;
      image.at<float>(y, x) = static_cast<float>(1000 + 3.0 * x + 0.5 * y + 0.3 * (y - 30) * (y - 30) - (block ? 4.0 : 0.0) +
                                                 noise(rng));
    }
  const tk::RoiPx target{72, 20, 17, 21}, left{50, 20, 17, 21}, right{94, 20, 17, 21};
  auto local = tk::measure_step_wedge(image, {{100.0, target, left, right}});
  BOOST_TEST_REQUIRE(local.has_value(), (local ? std::string() : local.error().message));
  const auto& s = local->steps.front();
  BOOST_TEST(s.local_background);
  const double n = 17.0 * 21.0, se = std::sqrt(100.0 / n + 100.0 / (2 * n));
  BOOST_TEST(std::abs(s.contrast - 4.0) < 3 * se, "contrast " << s.contrast << " ± " << se);
  BOOST_TEST(std::abs(std::abs(s.t_welch) - 4.0 / se) < 3.0, "t " << s.t_welch << " vs " << 4.0 / se);
  BOOST_TEST(std::abs(s.background.detrended_sigma - 10.0) < 1.0, "residual sigma " << s.background.detrended_sigma);
  BOOST_TEST(s.n_eff_target >= 0.8 * n, "n_eff " << s.n_eff_target << " of " << n);
  BOOST_TEST(s.background_equivalent_n > 1.8 * n);  // both references pooled, level at the centroid
  auto one_side = tk::measure_step_wedge(image, {{100.0, target, left, std::nullopt}});
  BOOST_TEST_REQUIRE(one_side.has_value());
  BOOST_TEST(std::abs(one_side->steps.front().contrast - 66.0) < 5.0, "one side " << one_side->steps.front().contrast);
  const auto plane = tk::effective_sample_size(image, left, 1), quad = tk::effective_sample_size(image, left, 2);
  BOOST_TEST_REQUIRE((plane.has_value() && quad.has_value()));
  BOOST_TEST(plane->inflation > 1.5, "plane detrend inflation " << plane->inflation);
  BOOST_TEST(quad->inflation < 1.25, "degree-2 detrend inflation " << quad->inflation);
  BOOST_TEST(!tk::effective_sample_size(image, left, 3).has_value());
}
