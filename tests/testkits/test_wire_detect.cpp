// Wire detection (testkits/metrics/wire_detect) and `niikit iq wire`: the calibrated threshold
// keeps the false-alarm rate it promises on fresh wire-free noise, clearly visible wires are
// found at the right angle and offset, detection rises with contrast and with dose on
// generator-rendered wires, and bad ROIs give errors or named warnings. Fixed seeds throughout.
#define BOOST_TEST_MODULE test_wire_detect
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/wire_detect.hpp"

namespace tk = niikit::testkits;
namespace ph = niikit::phantoms;
namespace gen = niikit::phantoms::generator;
using niikit::ErrorCode;

namespace {

constexpr double pi = std::numbers::pi;

struct WireSpec {
  double angle_deg = 10.0;
  double contrast = 0.0;     // depth of the wire's Gaussian profile, image units (> 0 = darker)
  double width_px = 0.7;     // σ of the profile across the wire, px
  double offset_px = 3.3;    // signed distance from the ROI centre along (−sin θ, cos θ)
};

// A ROI at level 1000 with white Gaussian noise σ (or Poisson noise of mean `level` when
// poisson is set), optionally blurred, with an analytic wire.
cv::Mat wire_roi(int side, const WireSpec& w, double sigma, std::mt19937_64& rng, bool poisson = false,
                 double blur_px = 0.0, double level = 1000.0) {
  cv::Mat m(side, side, CV_32F);
  std::normal_distribution<double> g(0.0, sigma);
  std::poisson_distribution<int> p(level);
  const double th = w.angle_deg * pi / 180.0, nx = -std::sin(th), ny = std::cos(th);
  const double c = (side - 1) / 2.0;
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const double d = (x - c) * nx + (y - c) * ny - w.offset_px;
      const double noise = poisson ? p(rng) - level : g(rng);
      m.at<float>(y, x) =
          static_cast<float>(level - w.contrast * std::exp(-d * d / (2 * w.width_px * w.width_px)) + noise);
    }
  if (blur_px > 0) cv::GaussianBlur(m, m, cv::Size(0, 0), blur_px, blur_px, cv::BORDER_REFLECT);
  return m;
}

// Fraction of `n` ROIs detected.
double detection_rate(int n, int side, const WireSpec& w, double sigma, const tk::WireDetectOptions& o,
                      const tk::WireThreshold& t, std::uint64_t seed, bool poisson = false, double blur_px = 0.0) {
  std::mt19937_64 rng(seed);
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    auto r = tk::detect_wire(wire_roi(side, w, sigma, rng, poisson, blur_px), o, t);
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
    hits += r->detected ? 1 : 0;
  }
  return static_cast<double>(hits) / n;
}

bool has_warning(const std::vector<std::string>& warnings, const std::string& prefix) {
  return std::any_of(warnings.begin(), warnings.end(), [&](const auto& w) { return w.rfind(prefix, 0) == 0; });
}

// A 160 × 100 mm air phantom with one copper wire of `diameter_mm` at 10°, its midpoint at
// (80, 50) mm.
ph::Phantom wire_phantom(double diameter_mm) {
  ph::Phantom p;
  p.id = "wire-test";
  p.width_mm = 160;
  p.height_mm = 100;
  p.base = {ph::Material::air, 0};
  ph::Wire w;
  const double half = 70.0, t = std::tan(10.0 * pi / 180.0);
  w.start = {80 - half, 50 - half * t};
  w.end = {80 + half, 50 + half * t};
  w.diameter_mm = diameter_mm;
  w.material = ph::Material::copper;
  ph::Feature f;
  f.id = "wire";
  f.shape = w;
  p.features.push_back(f);
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wire_detect)

// Binomial tolerance: with n = 600 ROIs and p = 0.05 the standard error is 0.0089; ±0.025 is
// 2.8 standard errors (plus the calibration's own sampling error, 500 calibration ROIs).
BOOST_AUTO_TEST_CASE(false_alarm_rate_matches_the_request_on_fresh_white_and_poisson_noise) {
  tk::WireDetectOptions o;
  o.nominal_angle_deg = 10;
  o.false_alarm_rate = 0.05;
  auto t = tk::calibrate_wire_threshold_noise({48, 48}, o, 500);
  BOOST_TEST_REQUIRE(t.has_value(), (t ? "" : t.error().message));
  BOOST_TEST(t->source == "noise-simulation");
  BOOST_TEST(t->samples == 500);
  BOOST_TEST(t->scale > 0);
  BOOST_TEST(t->threshold > t->location);
  const double gauss = detection_rate(600, 48, {}, 7.0, o, *t, 101);
  const double poisson = detection_rate(600, 48, {}, 0.0, o, *t, 202, true, 0.0);
  BOOST_TEST_MESSAGE("requested 0.05: measured " << gauss << " (Gaussian), " << poisson << " (Poisson, mean 1000)");
  BOOST_TEST(std::abs(gauss - 0.05) <= 0.025);
  BOOST_TEST(std::abs(poisson - 0.05) <= 0.025);
}

// The default is deterministic: same seed, same threshold; another seed, a close one.
BOOST_AUTO_TEST_CASE(noise_calibration_is_deterministic) {
  tk::WireDetectOptions o;
  auto a = tk::calibrate_wire_threshold_noise({40, 40}, o, 100);
  auto b = tk::calibrate_wire_threshold_noise({40, 40}, o, 100);
  auto c = tk::calibrate_wire_threshold_noise({40, 40}, o, 100, 99);
  BOOST_TEST_REQUIRE((a && b && c));
  BOOST_TEST(a->threshold == b->threshold);
  BOOST_TEST(a->seed == tk::wire_calibration_default_seed);
  BOOST_TEST(std::abs(a->threshold - c->threshold) < 1.5);  // 100 samples: the 0.99 quantile varies
}

// Blurred (correlated) noise raises the wire-free maxima's spread; a calibration from wire-free
// ROIs of the same noise keeps the requested rate, which white-noise calibration would not.
BOOST_AUTO_TEST_CASE(wire_free_roi_calibration_keeps_the_rate_on_correlated_noise) {
  tk::WireDetectOptions o;
  o.false_alarm_rate = 0.05;
  std::mt19937_64 rng(303);
  std::vector<cv::Mat> free;
  for (int i = 0; i < 400; ++i) free.push_back(wire_roi(48, {}, 10.0, rng, false, 1.0));
  auto t = tk::calibrate_wire_threshold_rois(free, o);
  BOOST_TEST_REQUIRE(t.has_value(), (t ? "" : t.error().message));
  BOOST_TEST(t->source == "wire-free-rois");
  BOOST_TEST(t->roi_width_px == 48);
  const double rate = detection_rate(600, 48, {}, 10.0, o, *t, 404, false, 1.0);
  auto white = tk::calibrate_wire_threshold_noise({48, 48}, o, 500);
  BOOST_TEST_REQUIRE(white.has_value());
  const double white_rate = detection_rate(600, 48, {}, 10.0, o, *white, 404, false, 1.0);
  BOOST_TEST_MESSAGE("blurred noise (σ 1 px), requested 0.05: " << rate << " with wire-free-ROI calibration, "
                                                                << white_rate << " with the white-noise default");
  BOOST_TEST(std::abs(rate - 0.05) <= 0.025);
}

BOOST_AUTO_TEST_CASE(clearly_visible_wires_are_always_found_at_their_angle_and_offset) {
  tk::WireDetectOptions o;
  o.nominal_angle_deg = 10;
  o.false_alarm_rate = 0.01;
  auto t = tk::calibrate_wire_threshold_noise({64, 64}, o);
  BOOST_TEST_REQUIRE(t.has_value());
  std::mt19937_64 rng(505);
  int hits = 0;
  double angle_error_sum = 0;
  for (int i = 0; i < 100; ++i) {
    const WireSpec w{8.0 + 0.04 * i, 15.0, 0.7, -6.0 + 0.1 * i};
    auto r = tk::detect_wire(wire_roi(64, w, 10.0, rng), o, *t);
    BOOST_TEST_REQUIRE(r.has_value());
    hits += r->detected ? 1 : 0;
    // 1-px bins: ±1° moves a 64-px line's ends by only 0.6 px, so single angles scatter; the mean must not.
    angle_error_sum += std::abs(r->angle_deg - w.angle_deg);
    BOOST_TEST(std::abs(r->offset_px - w.offset_px) <= 1.0);
  }
  BOOST_TEST(hits == 100);
  BOOST_TEST_MESSAGE("mean |angle error| " << angle_error_sum / 100 << "°");
  BOOST_TEST(angle_error_sum / 100 <= 1.0);
}

// Detection probability against contrast (profile depth / noise σ): non-decreasing within the
// binomial noise (3 standard errors at n = 300), near the false-alarm rate at 0, ~1 at the top.
BOOST_AUTO_TEST_CASE(detection_probability_rises_with_wire_contrast) {
  tk::WireDetectOptions o;
  o.false_alarm_rate = 0.05;
  auto t = tk::calibrate_wire_threshold_noise({48, 48}, o, 300);
  BOOST_TEST_REQUIRE(t.has_value());
  std::vector<double> rates;
  for (double contrast : {0.0, 3.0, 5.0, 7.0, 10.0, 15.0}) {
    rates.push_back(detection_rate(300, 48, {10.0, contrast}, 10.0, o, *t, 606));
    BOOST_TEST_MESSAGE("contrast " << contrast / 10.0 << " σ: detected " << rates.back());
  }
  for (std::size_t i = 1; i < rates.size(); ++i) BOOST_TEST(rates[i] >= rates[i - 1] - 0.04);
  BOOST_TEST(rates.front() <= 0.1);
  BOOST_TEST(rates.back() >= 0.98);
  BOOST_TEST(rates.back() - rates.front() >= 0.85);
}

BOOST_AUTO_TEST_CASE(polarity_option_selects_dark_or_bright_wires) {
  tk::WireDetectOptions dark, bright;
  bright.wire_darker = false;
  auto td = tk::calibrate_wire_threshold_noise({48, 48}, dark, 100);
  auto tb = tk::calibrate_wire_threshold_noise({48, 48}, bright, 100);
  BOOST_TEST_REQUIRE((td && tb));
  std::mt19937_64 rng(707);
  const cv::Mat brighter = wire_roi(48, {10.0, -20.0}, 10.0, rng);
  auto as_dark = tk::detect_wire(brighter, dark, *td);
  auto as_bright = tk::detect_wire(brighter, bright, *tb);
  BOOST_TEST_REQUIRE((as_dark && as_bright));
  BOOST_TEST(!as_dark->detected);
  BOOST_TEST(as_bright->detected);
  BOOST_TEST(as_bright->contrast == 20.0 * 0.9, boost::test_tools::tolerance(0.35));
}

// Generator-rendered copper wire (1 mm at 2 MeV: ≈ 2 % dip after blur) in Poisson noise:
// detection rises with dose and the wire is found at the generator's angle (+x towards +y).
BOOST_AUTO_TEST_CASE(generator_wire_detection_rises_with_dose) {
  const ph::Phantom phantom = wire_phantom(1.0);
  tk::WireDetectOptions o;
  o.nominal_angle_deg = 10;
  o.false_alarm_rate = 0.05;
  auto t = tk::calibrate_wire_threshold_noise({48, 48}, o, 300);
  BOOST_TEST_REQUIRE(t.has_value());
  std::vector<double> rates;
  for (double dose : {20.0, 200.0, 2000.0, 20000.0}) {
    int hits = 0, runs = 0;
    for (unsigned long long seed = 1; seed <= 8; ++seed) {
      gen::RenderOptions r;
      r.dose_photons = dose;
      r.seed = seed;
      r.margin_mm = 10;
      auto scan = gen::render_scan(phantom, r);
      BOOST_TEST_REQUIRE(scan.has_value(), (scan ? "" : scan.error().message));
      const auto mid = scan->truth.placement.to_px({80, 50});
      for (int dx : {-40, 0, 40}) {  // three ROIs along the wire
        const double tan10 = std::tan(10.0 * pi / 180.0);
        const tk::RoiPx roi{static_cast<int>(std::lround(mid.x_px + dx)) - 24,
                            static_cast<int>(std::lround(mid.y_px + dx * tan10)) - 24, 48, 48};
        auto d = tk::detect_wire(scan->planes[0].pixels, roi, o, *t);
        BOOST_TEST_REQUIRE(d.has_value(), (d ? "" : d.error().message));
        hits += d->detected ? 1 : 0;
        ++runs;
        if (dose >= 20000.0) BOOST_TEST(std::abs(d->angle_deg - 10.0) <= 2.5);
      }
    }
    rates.push_back(static_cast<double>(hits) / runs);
    BOOST_TEST_MESSAGE("1 mm copper, dose " << dose << " photons/px: detected " << rates.back());
  }
  for (std::size_t i = 1; i < rates.size(); ++i) BOOST_TEST(rates[i] >= rates[i - 1]);
  BOOST_TEST(rates.front() <= 0.3);
  BOOST_TEST(rates.back() == 1.0);
}

BOOST_AUTO_TEST_CASE(bad_rois_and_options_give_errors_or_named_warnings) {
  tk::WireDetectOptions o;
  auto t = tk::calibrate_wire_threshold_noise({40, 40}, o, 50);
  BOOST_TEST_REQUIRE(t.has_value());
  std::mt19937_64 rng(808);
  const cv::Mat big = wire_roi(100, {}, 5.0, rng);
  // Outside the image, too small, empty, multi-channel, flat.
  auto outside = tk::detect_wire(big, tk::RoiPx{80, 80, 40, 40}, o, *t);
  BOOST_TEST((!outside && outside.error().code == ErrorCode::input));
  auto small = tk::detect_wire(big(cv::Rect(0, 0, 6, 30)), o, *t);
  BOOST_TEST((!small && small.error().code == ErrorCode::input));
  BOOST_TEST(!tk::detect_wire(cv::Mat(), o, *t));
  BOOST_TEST(!tk::detect_wire(cv::Mat(40, 40, CV_32FC3, cv::Scalar::all(1)), o, *t));
  auto flat = tk::detect_wire(cv::Mat(40, 40, CV_16U, cv::Scalar(500)), o, *t);
  BOOST_TEST((!flat && flat.error().message.find("no noise") != std::string::npos));
  // Options and calibration inputs out of range.
  tk::WireDetectOptions bad = o;
  bad.false_alarm_rate = 0.9;
  BOOST_TEST(!tk::detect_wire(big(cv::Rect(0, 0, 40, 40)), bad, *t));
  bad = o;
  bad.profile_background_px = 8;
  BOOST_TEST(!tk::score_wire(big, bad));
  BOOST_TEST(!tk::calibrate_wire_threshold_noise({40, 40}, o, 5));
  BOOST_TEST(!tk::calibrate_wire_threshold_rois(std::vector<cv::Mat>(3, big), o));
  BOOST_TEST(!tk::detect_wire(big, o, tk::WireThreshold{}));  // not calibrated
  // Warnings: small ROI, saturated pixels, search close to the axis, size mismatch.
  cv::Mat sat;
  big(cv::Rect(0, 0, 24, 24)).convertTo(sat, CV_16U);
  sat.at<std::uint16_t>(3, 3) = 65535;
  auto w = tk::detect_wire(sat, o, *t);
  BOOST_TEST_REQUIRE(w.has_value());
  BOOST_TEST(has_warning(w->warnings, "roi:"));
  BOOST_TEST(has_warning(w->warnings, "saturated:"));
  BOOST_TEST(has_warning(w->warnings, "calibration:"));
  tk::WireDetectOptions axis = o;
  axis.nominal_angle_deg = 2.0;
  auto a = tk::score_wire(big, axis);
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST(has_warning(a->warnings, "angle:"));
  auto fine = tk::detect_wire(big(cv::Rect(10, 10, 40, 40)), o, *t);
  BOOST_TEST_REQUIRE(fine.has_value());
  BOOST_TEST(fine->warnings.empty());
}

BOOST_AUTO_TEST_CASE(gumbel_fit_recovers_location_and_scale) {
  std::mt19937_64 rng(909);
  std::extreme_value_distribution<double> g(4.0, 0.5);
  std::vector<double> v(20000);
  for (double& x : v) x = g(rng);
  const auto fit = tk::fit_gumbel_moments(v);
  BOOST_TEST(fit.location == 4.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(fit.scale == 0.5, boost::test_tools::tolerance(0.03));
  BOOST_TEST(tk::gumbel_quantile(fit, 0.99) == 4.0 - 0.5 * std::log(-std::log(0.99)), boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(iq_wire_command_reports_table_and_json) {
  niikit::testing::TempDir dir;
  std::mt19937_64 rng(1001);
  cv::Mat img(160, 200, CV_16U);
  wire_roi(200, {10.0, 40.0, 0.8, 0.0}, 10.0, rng)(cv::Rect(0, 20, 200, 160)).convertTo(img, CV_16U);
  const std::string path = dir.file("wire.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, tk::Image{img, {}, {}, {}}).has_value());
  auto run = niikit::testing::run_niikit("iq wire " + path + " --roi 70,50,60,60 --angle 10 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"score", "threshold", "detected", "angle_deg", "offset_px", "x_px", "y_px", "contrast",
                          "false_alarm_rate", "calibration", "warnings", "roi"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc.value("detected").toBool());
  BOOST_TEST(doc.value("calibration").toObject().value("source").toString().toStdString() == "noise-simulation");
  BOOST_TEST(std::abs(doc.value("angle_deg").toDouble() - 10.0) <= 2.5);
  // Calibration from wire-free areas of the same image (none here: top and bottom strips).
  run = niikit::testing::run_niikit("iq wire " + path + " --roi 70,50,60,60 --angle 10 --false-alarm-rate 0.05"
                                    " --calibration-roi 0,0,200,60 --calibration-roi 0,100,200,60 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto cal = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(cal.value("calibration").toObject().value("source").toString().toStdString() == "wire-free-rois");
  BOOST_TEST(cal.value("false_alarm_rate").toDouble() == 0.05);
  run = niikit::testing::run_niikit("iq wire " + path + " --roi 70,50,60,60 --angle 10");
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out.find("detected") != std::string::npos, run.out);
  BOOST_TEST(niikit::testing::run_niikit("iq wire " + path + " --roi 190,150,60,60 --angle 10").status == 3);
  BOOST_TEST(niikit::testing::run_niikit("iq wire " + path + " --roi 70,50,60,60").status == 2);
  BOOST_TEST(niikit::testing::run_niikit("iq wire " + path + " --roi 70,50,60,60 --angle 10 --false-alarm-rate 2")
                 .status == 3);
}

// A wire at 30° (far from the pixel axes in the strip, near neither in the image) resampled into
// a strip along its expected line: found on the centre row, no "angle:" warning, and a strip
// leaving the image is an input error.
BOOST_AUTO_TEST_CASE(resampled_strip_finds_a_wire_on_its_centre_line) {
  cv::Mat img(200, 200, CV_32F);
  cv::RNG rng(7);
  rng.fill(img, cv::RNG::NORMAL, 1000.0, 10.0);
  const cv::Point2d a(40, 50), b(160, 50 + 120 * std::tan(30 * std::numbers::pi / 180));
  cv::Mat line = cv::Mat::zeros(img.size(), CV_32F);
  cv::line(line, cv::Point(static_cast<int>(a.x), static_cast<int>(a.y)),
           cv::Point(static_cast<int>(std::lround(b.x)), static_cast<int>(std::lround(b.y))), cv::Scalar(15.0), 2, cv::LINE_AA);
  img -= line;
  auto strip = tk::sample_wire_strip(img, a, b, 10);
  BOOST_TEST_REQUIRE(strip.has_value());
  BOOST_TEST(strip->rows == 21);
  BOOST_TEST(std::abs(strip->cols - cv::norm(b - a)) <= 1.0);
  tk::WireDetectOptions o;
  o.nominal_angle_deg = 0;
  o.angle_half_range_deg = 2;
  o.background_order = 1;
  o.resampled_strip = true;
  auto s = tk::score_wire(*strip, o);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(s->score > 10.0);
  BOOST_TEST(std::abs(s->offset_px) <= 1.0);
  for (const auto& w : s->warnings) BOOST_TEST(w.rfind("angle:", 0) != 0u, w);
  // Wire-free strips of the same size score far lower.
  cv::Mat noise(img.size(), CV_32F);
  rng.fill(noise, cv::RNG::NORMAL, 1000.0, 10.0);
  auto free_strip = tk::sample_wire_strip(noise, a, b, 10);
  BOOST_TEST_REQUIRE(free_strip.has_value());
  auto f = tk::score_wire(*free_strip, o);
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->score < 6.0);
  auto out = tk::sample_wire_strip(img, cv::Point2d(2, 2), cv::Point2d(100, 2), 10);
  BOOST_TEST_REQUIRE(!out.has_value());
  BOOST_TEST(static_cast<int>(out.error().code) == static_cast<int>(ErrorCode::input));
}

BOOST_AUTO_TEST_SUITE_END()
