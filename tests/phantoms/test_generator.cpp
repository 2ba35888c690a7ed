// The synthetic scan generator renders what the forward model says: dose, Beer–Lambert
// transmission, PSF blur, reproducible noise and the mm → px placement are checked on small
// renders against values computed independently here.
#define BOOST_TEST_MODULE test_generator
#include <boost/test/unit_test.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <vector>

#include "phantoms/generator/render.hpp"
#include "phantoms/materials.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/image/image.hpp"

using namespace niikit::phantoms;
using namespace niikit::phantoms::generator;

namespace {

Phantom blank_phantom(double width_mm, double height_mm) {
  Phantom p;
  p.id = "test-phantom";
  p.width_mm = width_mm;
  p.height_mm = height_mm;
  p.base = {Material::air, 0};
  return p;
}

void add(Phantom& p, std::string id, FeatureShape shape) {
  Feature f;
  f.id = std::move(id);
  f.shape = std::move(shape);
  p.features.push_back(std::move(f));
}

// A steel step wedge (10, 20, 40 mm) with a 20 mm lead block behind each step.
Phantom wedge_phantom() {
  Phantom p = blank_phantom(90, 50);
  StepWedge w;
  w.area = {5, 5, 75, 40, 0};
  w.material = Material::steel;
  w.direction = Axis::x;
  w.step_thicknesses_mm = {10, 20, 40};
  w.behind = BehindBlock{Material::lead, 20, 10, 10};
  add(p, "pen", w);
  return p;
}

RenderOptions quiet_options() {
  RenderOptions o;
  o.beam = BeamPreset::mev;
  o.dose_photons = 20000;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 0.5;
  o.pixel_mm_x = o.pixel_mm_y = 1.0;
  o.electronic_noise_counts = 2;
  o.dark_offset_counts = 100;
  o.margin_mm = 15;
  return o;
}

RenderedScan render_ok(const Phantom& p, const RenderOptions& o) {
  auto scan = render_scan(p, o);
  BOOST_TEST_REQUIRE(scan.has_value(), (scan ? std::string() : scan.error().message));
  return std::move(*scan);
}

// Mean and standard deviation of a square ROI of half-size `half` around a pixel point.
std::pair<double, double> roi_stats(const cv::Mat& image, PixelPoint c, int half) {
  const cv::Rect roi(static_cast<int>(std::lround(c.x_px)) - half, static_cast<int>(std::lround(c.y_px)) - half,
                     2 * half + 1, 2 * half + 1);
  cv::Scalar mean, sd;
  cv::meanStdDev(image(roi), mean, sd);
  return {mean[0], sd[0]};
}

}  // namespace

BOOST_AUTO_TEST_CASE(air_mean_equals_dose_times_gain_plus_dark) {
  const auto o = quiet_options();
  const auto scan = render_ok(wedge_phantom(), o);
  const auto* air = scan.truth.region("air");
  BOOST_TEST_REQUIRE(air != nullptr);
  BOOST_TEST_REQUIRE(air->roi_px.has_value());
  cv::Scalar mean, sd;
  cv::meanStdDev(scan.planes[0].pixels(*air->roi_px), mean, sd);
  const double gain = scan.truth.gain_counts_per_photon;
  BOOST_TEST(gain == 1.0);  // 20,000 photons fit the 16-bit range at unit gain
  const double expected = o.dark_offset_counts + gain * o.dose_photons;
  const double sigma = std::sqrt(gain * gain * o.dose_photons + 4.0 + 1.0 / 12);
  const double standard_error = sigma / std::sqrt(static_cast<double>(air->roi_px->area()));
  BOOST_TEST(std::abs(mean[0] - expected) < 4 * standard_error, "air mean " << mean[0] << " vs " << expected);
  BOOST_TEST(std::abs(sd[0] / sigma - 1) < 0.05, "air sd " << sd[0] << " vs " << sigma);
  BOOST_TEST(air->planes[0].counts == expected);
}

BOOST_AUTO_TEST_CASE(automatic_gain_keeps_air_inside_16_bits) {
  auto o = quiet_options();
  o.dose_photons = 1e6;
  const auto scan = render_ok(wedge_phantom(), o);
  const double gain = scan.truth.gain_counts_per_photon;
  BOOST_TEST(gain == (0.9 * 65535 - 100) / 1e6, boost::test_tools::tolerance(1e-12));
  const auto* air = scan.truth.region("air");
  cv::Scalar mean = cv::mean(scan.planes[0].pixels(*air->roi_px));
  BOOST_TEST(std::abs(mean[0] - (100 + gain * 1e6)) < 5.0);
  BOOST_TEST(scan.truth.planes[0].clamped_high == 0);
}

BOOST_AUTO_TEST_CASE(steel_step_transmission_follows_beer_lambert) {
  const auto o = quiet_options();
  const auto scan = render_ok(wedge_phantom(), o);
  const double mu = linear_attenuation_per_mm(Material::steel, 2000.0);
  const double gain = scan.truth.gain_counts_per_photon;
  for (const int k : {1, 2, 3}) {
    const auto* beside = scan.truth.region("pen/step" + std::to_string(k) + "/beside");
    BOOST_TEST_REQUIRE(beside != nullptr);
    const double t_mm = std::vector<double>{10, 20, 40}[static_cast<std::size_t>(k - 1)];
    const double beer_lambert = std::exp(-mu * t_mm);
    // Noise-free expected photons: exact to the float rounding of the model.
    const auto [photons, unused] = roi_stats(scan.expected_photons[0], beside->center_px, 3);
    BOOST_TEST(std::abs(photons / o.dose_photons / beer_lambert - 1) < 0.001, "step " << k);
    // Rendered counts, averaged over a 7 × 7 ROI: within 1 %.
    const auto [counts, sd] = roi_stats(scan.planes[0].pixels, beside->center_px, 3);
    const double measured = (counts - o.dark_offset_counts) / gain / o.dose_photons;
    BOOST_TEST(std::abs(measured / beer_lambert - 1) < 0.01, "step " << k << ": " << measured << " vs " << beer_lambert);
    BOOST_TEST(beside->planes[0].transmission == beer_lambert, boost::test_tools::tolerance(1e-9));
  }
}

BOOST_AUTO_TEST_CASE(penetration_cnr_in_the_image_matches_the_truth) {
  auto o = quiet_options();
  o.dose_photons = 5000;
  o.electronic_noise_counts = 5;
  const auto scan = render_ok(wedge_phantom(), o);
  BOOST_TEST_REQUIRE(scan.truth.steps.size() == 3U);
  for (const auto& step : scan.truth.steps) {
    const auto* beside = scan.truth.region(step.beside_region);
    const auto* behind = scan.truth.region(step.behind_region);
    const auto [mean_beside, sd_beside] = roi_stats(scan.planes[0].pixels, beside->center_px, 3);
    const auto [mean_behind, unused] = roi_stats(scan.planes[0].pixels, behind->center_px, 3);
    BOOST_TEST(std::abs(sd_beside / beside->planes[0].noise_counts - 1) < 0.2);
    const double cnr = std::abs(mean_beside - mean_behind) / beside->planes[0].noise_counts;
    // 49-pixel ROI means: standard error of the contrast ≈ √2·σ/7 → 0.2 in CNR units; allow 4×.
    BOOST_TEST(std::abs(cnr - step.cnr[0]) < 0.8, "step " << step.index << ": " << cnr << " vs " << step.cnr[0]);
  }
  BOOST_TEST(scan.truth.steps[0].cnr[0] > scan.truth.steps[2].cnr[0]);  // thicker steel, lower CNR
}

namespace {

// σ of the line-spread function across a slanted edge, measured on a linear image: the
// ESF is binned at 0.05 px by each pixel centre's distance to the (known) edge line, and σ is
// the square root of the (signed) LSF's second central moment.
double measured_lsf_sigma_px(const cv::Mat& photons, PixelPoint a, PixelPoint b, double reach_px) {
  const double len = std::hypot(b.x_px - a.x_px, b.y_px - a.y_px);
  const double nx = -(b.y_px - a.y_px) / len, ny = (b.x_px - a.x_px) / len;
  constexpr double bin = 0.05;
  const int bins = static_cast<int>(2 * reach_px / bin);
  std::vector<double> sum(static_cast<std::size_t>(bins), 0.0), count(static_cast<std::size_t>(bins), 0.0);
  for (int y = 0; y < photons.rows; ++y) {
    for (int x = 0; x < photons.cols; ++x) {
      const double along = ((x - a.x_px) * (b.x_px - a.x_px) + (y - a.y_px) * (b.y_px - a.y_px)) / len;
      if (along < 0.25 * len || along > 0.75 * len) continue;  // middle of the side only
      const double d = (x - a.x_px) * nx + (y - a.y_px) * ny;
      const int k = static_cast<int>(std::floor((d + reach_px) / bin));
      if (k < 0 || k >= bins) continue;
      sum[static_cast<std::size_t>(k)] += photons.at<float>(y, x);
      count[static_cast<std::size_t>(k)] += 1;
    }
  }
  std::vector<double> esf;
  for (int k = 0; k < bins; ++k) {
    BOOST_TEST_REQUIRE(count[static_cast<std::size_t>(k)] > 0);  // 5° tilt fills every bin
    esf.push_back(sum[static_cast<std::size_t>(k)] / count[static_cast<std::size_t>(k)]);
  }
  double m0 = 0, m1 = 0, m2 = 0;
  for (std::size_t k = 1; k < esf.size(); ++k) {
    const double lsf = esf[k] - esf[k - 1];  // signed: noise cancels instead of adding up
    const double d = (static_cast<double>(k) * bin) - reach_px;
    m0 += lsf, m1 += lsf * d, m2 += lsf * d * d;
  }
  const double mean = m1 / m0;
  return std::sqrt(m2 / m0 - mean * mean);
}

}  // namespace

BOOST_AUTO_TEST_CASE(slanted_edge_blur_matches_psf_and_pixel_aperture) {
  Phantom p = blank_phantom(60, 60);
  SharpEdge edge;
  edge.area = {15, 15, 30, 30, 5.0};
  edge.layer = {Material::steel, 5};
  add(p, "edge", edge);
  auto o = quiet_options();
  o.beam = BeamPreset::low_kv;
  o.psf_sigma_mm_x = 1.5;
  o.psf_sigma_mm_y = 0.8;
  o.pixel_mm_x = o.pixel_mm_y = 0.5;
  o.dose_photons = 1e6;
  const auto scan = render_ok(p, o);
  const auto corners = edge.area.corners();  // TL, TR, BR, BL
  const auto& pl = scan.truth.placement;
  const double c = std::cos(5.0 * std::numbers::pi / 180), s = std::sin(5.0 * std::numbers::pi / 180);
  const double sx = 1.5 / 0.5, sy = 0.8 / 0.5;  // PSF σ in px
  // Left side (near vertical): its normal is 5° off x. Top side (near horizontal): 5° off y.
  // Variances add: Gaussian along the normal plus the 1 px square aperture (1/12 px²).
  const double expect_x = std::sqrt(c * c * sx * sx + s * s * sy * sy + 1.0 / 12);
  const double expect_y = std::sqrt(s * s * sx * sx + c * c * sy * sy + 1.0 / 12);
  const double got_x = measured_lsf_sigma_px(scan.expected_photons[0], pl.to_px(corners[0]), pl.to_px(corners[3]), 14);
  const double got_y = measured_lsf_sigma_px(scan.expected_photons[0], pl.to_px(corners[0]), pl.to_px(corners[1]), 10);
  BOOST_TEST(std::abs(got_x / expect_x - 1) < 0.05, "x: " << got_x << " vs " << expect_x);
  BOOST_TEST(std::abs(got_y / expect_y - 1) < 0.05, "y: " << got_y << " vs " << expect_y);
  // The noisy 16-bit image at a high dose: the same σ within 10 % (noise inflates the tails).
  cv::Mat counts;
  scan.planes[0].pixels.convertTo(counts, CV_32F, 1.0, -o.dark_offset_counts);
  const double noisy_x = measured_lsf_sigma_px(counts, pl.to_px(corners[0]), pl.to_px(corners[3]), 14);
  BOOST_TEST(std::abs(noisy_x / expect_x - 1) < 0.10, "noisy x: " << noisy_x << " vs " << expect_x);
}

BOOST_AUTO_TEST_CASE(same_seed_is_bit_identical_and_another_seed_differs) {
  auto o = quiet_options();
  o.gain_stripes_rel = 0.01;
  o.seed = 7;
  const auto a = render_ok(wedge_phantom(), o);
  o.band_rows = 5;  // banding must not change the result
  const auto b = render_ok(wedge_phantom(), o);
  o.seed = 8;
  const auto c = render_ok(wedge_phantom(), o);
  BOOST_TEST(cv::norm(a.planes[0].pixels, b.planes[0].pixels, cv::NORM_INF) == 0.0);
  BOOST_TEST(cv::norm(a.planes[0].pixels, c.planes[0].pixels, cv::NORM_INF) > 0.0);
  BOOST_TEST((a.truth.planes[0].channel_gain == b.truth.planes[0].channel_gain));
  BOOST_TEST((a.truth.planes[0].channel_gain != c.truth.planes[0].channel_gain));
}

BOOST_AUTO_TEST_CASE(fiducial_centroid_matches_the_truth_transform) {
  Phantom p = blank_phantom(80, 50);
  const std::vector<PointMm> centres{{10, 10}, {70, 12}, {15, 42}};
  for (std::size_t i = 0; i < centres.size(); ++i)
    add(p, "f" + std::to_string(i), FiducialDisc{centres[i], 6.0, 3.0, Material::lead});
  auto o = quiet_options();
  o.beam = BeamPreset::low_kv;
  o.dose_photons = 50000;
  o.pixel_mm_x = 0.5, o.pixel_mm_y = 0.6;
  o.shift_px_x = 3.3, o.shift_px_y = -2.7;
  o.rotation_deg = 17;
  o.scale_x = 1.1, o.scale_y = 0.9;
  o.flip_x = true;
  o.flip_y = true;
  const auto scan = render_ok(p, o);
  const cv::Mat& counts = scan.planes[0].pixels;
  const double air = scan.truth.region("air")->planes[0].counts;
  for (const auto& centre : centres) {
    const auto truth = scan.truth.placement.to_px(centre);
    // Attenuation-weighted centroid in a window of 1.5 disc diameters.
    const int half = 10;
    double w_sum = 0, x_sum = 0, y_sum = 0;
    for (int y = static_cast<int>(truth.y_px) - half; y <= static_cast<int>(truth.y_px) + half; ++y) {
      for (int x = static_cast<int>(truth.x_px) - half; x <= static_cast<int>(truth.x_px) + half; ++x) {
        const double w = std::max(0.0, air - counts.at<std::uint16_t>(y, x));
        w_sum += w, x_sum += w * x, y_sum += w * y;
      }
    }
    BOOST_TEST(std::abs(x_sum / w_sum - truth.x_px) < 0.2, "x " << x_sum / w_sum << " vs " << truth.x_px);
    BOOST_TEST(std::abs(y_sum / w_sum - truth.y_px) < 0.2, "y " << y_sum / w_sum << " vs " << truth.y_px);
  }
}

BOOST_AUTO_TEST_CASE(dual_energy_renders_two_planes_with_steel_darker_at_low_energy) {
  auto o = quiet_options();
  o.beam = BeamPreset::dual_mev;
  const auto scan = render_ok(wedge_phantom(), o);
  BOOST_TEST_REQUIRE(scan.planes.size() == 2U);
  BOOST_TEST((scan.planes[0].meta.channel == niikit::testkits::EnergyChannel::high));
  BOOST_TEST((scan.planes[1].meta.channel == niikit::testkits::EnergyChannel::low));
  const auto* step = scan.truth.region("pen/step2/beside");
  BOOST_TEST(step->planes[1].transmission < step->planes[0].transmission);
  BOOST_TEST(scan.truth.planes[1].energy_keV == 1400.0);
}

BOOST_AUTO_TEST_CASE(mtf_truth_is_gaussian_times_pixel_sinc) {
  const auto m = mtf_truth(0.5, 1.0);
  BOOST_TEST(m.curve.size() == 51U);
  BOOST_TEST(m.curve.front().mtf == 1.0);
  const double nyquist = std::exp(-2 * std::numbers::pi * std::numbers::pi * 0.25 * 0.25) * (2 / std::numbers::pi);
  BOOST_TEST(m.curve.back().mtf == nyquist, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(system_mtf(0.5, m.mtf50_cycles_per_px) == 0.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(system_mtf(0.5, m.mtf10_cycles_per_px) == 0.1, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.mtf50_cycles_per_px < m.mtf20_cycles_per_px);
  BOOST_TEST(m.mtf20_cycles_per_px < m.mtf10_cycles_per_px);
}

BOOST_AUTO_TEST_CASE(truth_json_carries_transform_options_and_expectations) {
  auto o = quiet_options();
  o.seed = 42;
  const auto scan = render_ok(wedge_phantom(), o);
  const QJsonObject json = truth_to_json(scan.truth);
  BOOST_TEST(json["format"].toString().toStdString() == "niikit-render-truth");
  BOOST_TEST(json["options"].toObject()["seed"].toString().toStdString() == "42");
  const QJsonArray row0 = json["mm_to_px"].toArray()[0].toArray();
  BOOST_TEST(row0[0].toDouble() == 1.0);  // 1 mm pixels, no rotation
  BOOST_TEST(json["image"].toObject()["width_px"].toInt() == scan.planes[0].pixels.cols);
  BOOST_TEST(json["penetration_steps"].toArray().size() == 3);
  BOOST_TEST(json["features"].toArray().size() == 1);
  BOOST_TEST(json["planes"].toArray()[0].toObject()["mu_per_mm"].toObject().contains("steel"));
}

BOOST_AUTO_TEST_CASE(options_out_of_range_are_input_errors) {
  auto o = quiet_options();
  o.dose_photons = -5;
  auto scan = render_scan(wedge_phantom(), o);
  BOOST_TEST_REQUIRE(!scan.has_value());
  BOOST_TEST((scan.error().code == niikit::ErrorCode::input));
  BOOST_TEST(scan.error().message.find("dose_photons") != std::string::npos);
  o = quiet_options();
  o.beam = BeamPreset::dual_kv;
  o.energy_low_keV = 100;  // above the 70 keV high plane
  scan = render_scan(wedge_phantom(), o);
  BOOST_TEST_REQUIRE(!scan.has_value());
  BOOST_TEST(scan.error().message.find("below high energy") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shipped_phantoms_render_with_every_feature_in_the_truth) {
  auto files = list_phantom_files(shipped_phantom_dir());
  BOOST_TEST_REQUIRE(files.has_value());
  BOOST_TEST_REQUIRE(!files->empty());
  for (const auto& file : *files) {
    auto phantom = load_phantom(file);
    BOOST_TEST_REQUIRE(phantom.has_value(), file);
    auto o = quiet_options();
    o.pixel_mm_x = o.pixel_mm_y = std::max(phantom->width_mm, phantom->height_mm) / 300;  // ≈ 300 px
    o.psf_sigma_mm_x = o.psf_sigma_mm_y = o.pixel_mm_x;
    o.supersample = 2;
    const auto scan = render_ok(*phantom, o);
    BOOST_TEST(scan.truth.features.size() == static_cast<qsizetype>(phantom->features.size()), file);
    for (const auto* f : phantom->of_type(FeatureType::fiducial)) BOOST_TEST(scan.truth.region(f->id) != nullptr);
    BOOST_TEST(scan.truth.planes[0].clamped_high == 0, file);
  }
}

BOOST_AUTO_TEST_CASE(dual_energy_file_round_trip_is_bit_identical) {
  auto o = quiet_options();
  o.beam = BeamPreset::dual_kv;
  const auto scan = render_ok(wedge_phantom(), o);
  QTemporaryDir dir;
  BOOST_TEST_REQUIRE(dir.isValid());
  const std::string path = dir.filePath("scan.tiff").toStdString();
  auto written = niikit::testkits::write_image_pages(path, scan.planes);
  BOOST_TEST_REQUIRE(written.has_value(), (written ? std::string() : written.error().message));
  auto pages = niikit::testkits::read_image_pages(path);
  BOOST_TEST_REQUIRE(pages.has_value());
  BOOST_TEST_REQUIRE(pages->size() == 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_TEST(cv::norm((*pages)[i].pixels, scan.planes[i].pixels, cv::NORM_INF) == 0.0);
    BOOST_TEST((*pages)[i].meta.pixel_mm_x == 1.0);
  }
}

namespace {

struct CliRun {
  int exit_status = -1;
  QByteArray out;
};

CliRun run_niikit(const QStringList& args) {
  QProcess process;
  process.start(NIIKIT_BINARY, args);
  process.waitForFinished(120000);
  return {process.exitCode(), process.readAllStandardOutput()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(cli_render_writes_image_and_truth_and_reports_them_in_json) {
  QTemporaryDir dir;
  BOOST_TEST_REQUIRE(dir.isValid());
  const QString out = dir.filePath("scan.tiff"), truth = dir.filePath("truth.json");
  const auto ok = run_niikit({"phantom", "render", "portable-n4255", "--energy", "low-kv", "--pixel-mm", "1",
                              "--seed", "3", "--out", out, "--truth", truth, "--json"});
  BOOST_TEST_REQUIRE(ok.exit_status == 0, ok.out.toStdString());
  const QJsonObject summary = QJsonDocument::fromJson(ok.out).object();
  BOOST_TEST(summary["files"].toArray().size() == 2);
  BOOST_TEST(summary["seed"].toString().toStdString() == "3");
  QFile file(truth);
  BOOST_TEST_REQUIRE(file.open(QIODevice::ReadOnly));
  const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
  BOOST_TEST(doc["format"].toString().toStdString() == "niikit-render-truth");
  auto image = niikit::testkits::read_image(out.toStdString());
  BOOST_TEST_REQUIRE(image.has_value());
  BOOST_TEST(image->pixels.cols == summary["width_px"].toInt());

  // Out-of-range option: input error (exit 3), nothing written.
  const QString bad = dir.filePath("bad.tiff");
  const auto refused = run_niikit({"phantom", "render", "portable-n4255", "--dose-photons", "-1", "--out", bad});
  BOOST_TEST(refused.exit_status == 3);
  BOOST_TEST(!QFile::exists(bad));
  BOOST_TEST(!QFile::exists(dir.filePath("bad.truth.json")));
}

// Scatter tail (issue 18): a lead square in air, noise-free expected photons. Far from the
// square the open beam is unchanged; at its centre the image holds (1 − a) of the core signal
// plus a times the wide Gaussian's average of the scene, computed here from the square's
// geometry: the Gaussian mass outside a square of half side h is 1 − erf(h/(σ√2))².
BOOST_AUTO_TEST_CASE(scatter_tail_adds_the_predicted_glare_and_conserves_the_signal) {
  Phantom p = blank_phantom(100, 100);
  add(p, "pb", Slab{{0, 0, 100, 100, 0}, Layer{Material::lead, 100}});
  auto o = quiet_options();
  o.margin_mm = 120;  // > 6 σ of the tail: the image border is open beam
  const auto clean = render_ok(p, o);
  o.scatter_fraction = 0.05;
  o.scatter_sigma_mm = 20;
  const auto glare = render_ok(p, o);
  const auto c = glare.truth.placement.to_px({50, 50});
  const double t_core = clean.expected_photons[0].at<float>(static_cast<int>(c.y_px), static_cast<int>(c.x_px));
  const double outside = 1 - std::pow(std::erf(50 / (20 * std::sqrt(2.0))), 2);
  const double expected = (1 - 0.05) * t_core + 0.05 * (o.dose_photons * outside + t_core * (1 - outside));
  const double got = glare.expected_photons[0].at<float>(static_cast<int>(c.y_px), static_cast<int>(c.x_px));
  BOOST_TEST(std::abs(got / expected - 1) < 0.02, "centre " << got << " vs " << expected << " (core " << t_core << ")");
  BOOST_TEST(got - (1 - 0.05) * t_core > 20.0);  // the glare: 0.05 · 20,000 · 2.5 % ≈ 25 photons
  // Open beam 100 mm (5 σ) from the square: unchanged within 0.1 %.
  const double air = glare.expected_photons[0].at<float>(5, 5);
  BOOST_TEST(std::abs(air / o.dose_photons - 1) < 1e-3, "air " << air);
  // Total signal conserved within 0.2 % (the tail moves photons, it does not create them).
  const double before = cv::sum(clean.expected_photons[0])[0], after = cv::sum(glare.expected_photons[0])[0];
  BOOST_TEST(std::abs(after / before - 1) < 2e-3, "sum " << after << " vs " << before);
  BOOST_TEST(glare.truth.warnings.size() > clean.truth.warnings.size());
}

// Smooth gain field (issue 18): on an open-beam render at high dose the gain measured in
// 15 × 15 px boxes deviates from 1 by at most r (r = 0.05), reaching it within 0.01 on one
// side, varies smoothly, and is the same for the same seed; another seed draws another field.
BOOST_AUTO_TEST_CASE(gain_field_spans_plus_minus_r_and_follows_the_seed) {
  Phantom p = blank_phantom(200, 150);
  auto o = quiet_options();
  o.dose_photons = 50000;
  o.gain_counts_per_photon = 1;
  o.gain_field_rel = 0.05;
  o.margin_mm = 0;
  const auto a = render_ok(p, o);
  cv::Mat g;
  a.planes[0].pixels.convertTo(g, CV_32F, 1.0 / o.dose_photons, -o.dark_offset_counts / o.dose_photons);
  cv::Mat boxed;
  cv::blur(g, boxed, cv::Size(15, 15));
  const cv::Rect inner(7, 7, g.cols - 14, g.rows - 14);
  double lo = 0, hi = 0;
  cv::minMaxLoc(boxed(inner), &lo, &hi);
  // The extremes of a degree-2 field lie at or near the image's edge, 7 px inside at most.
  BOOST_TEST(std::abs(std::max(hi - 1, 1 - lo) - 0.05) < 0.01, "gain " << lo << " … " << hi);
  BOOST_TEST((hi < 1.06 && lo > 0.94), "gain " << lo << " … " << hi);
  // Smooth: neighbouring boxes 10 px apart differ by far less than the ±5 % span.
  cv::Mat shifted = boxed(cv::Rect(17, 7, g.cols - 24, g.rows - 14)) - boxed(cv::Rect(7, 7, g.cols - 24, g.rows - 14));
  double dlo = 0, dhi = 0;
  cv::minMaxLoc(shifted, &dlo, &dhi);
  BOOST_TEST(std::max(std::abs(dlo), std::abs(dhi)) < 0.02);
  const auto b = render_ok(p, o);
  BOOST_TEST(cv::norm(a.planes[0].pixels, b.planes[0].pixels, cv::NORM_INF) == 0.0);
  o.seed = 2;
  const auto c = render_ok(p, o);
  cv::Mat gc, boxed_c;
  c.planes[0].pixels.convertTo(gc, CV_32F, 1.0 / o.dose_photons, -o.dark_offset_counts / o.dose_photons);
  cv::blur(gc, boxed_c, cv::Size(15, 15));
  BOOST_TEST(cv::norm(boxed(inner), boxed_c(inner), cv::NORM_INF) > 0.01);
  // Out of range: one-line error naming the field.
  o.gain_field_rel = 0.5;
  const auto bad = render_scan(p, o);
  BOOST_TEST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().message.find("gain_field_rel") != std::string::npos, bad.error().message);
}
