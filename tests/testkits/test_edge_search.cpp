// Strongest-edge search (testkits/metrics/edge_search) and `niikit iq mtf IMAGE` without --roi:
// on a generator cargo scan the tilted steel square is found, the ROI holds its edge, and the
// MTF50 measured there is within 2 % of the generator's analytic truth; the edge angle follows
// the phantom convention (+x towards +y); images without a slanted edge are refused.
#define BOOST_TEST_MODULE test_edge_search
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "phantoms/generator/render.hpp"
#include "phantoms/phantom.hpp"
#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/edge_search.hpp"

namespace tk = niikit::testkits;
namespace ph = niikit::phantoms;
namespace gen = niikit::phantoms::generator;
using niikit::ErrorCode;

namespace {

gen::RenderedScan cargo_scan(double rotation_deg = 0.0) {
  auto p = ph::resolve_phantom("cargo-iec62523");
  BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
  // 2 MeV, 1 mm pixels, PSF σ 0.5 mm, 10,000 photons/px, 4 × 4 supersampling (2 × 2 would
  // approximate the pixel aperture too coarsely: MTF50 ≈ 4 % above the analytic truth).
  gen::RenderOptions o;
  o.rotation_deg = rotation_deg;
  auto scan = gen::render_scan(*p, o);
  BOOST_TEST_REQUIRE(scan.has_value(), (scan ? "" : scan.error().message));
  return std::move(*scan);
}

// Distance from point (x, y) to the nearest side of the edge square, px.
double distance_to_square(const gen::RenderedScan& scan, const ph::Rect& square, double x, double y) {
  const auto c = square.corners();
  double best = 1e300;
  for (int i = 0; i < 4; ++i) {
    const auto a = scan.truth.placement.to_px(c[static_cast<std::size_t>(i)]);
    const auto b = scan.truth.placement.to_px(c[static_cast<std::size_t>((i + 1) % 4)]);
    const double dx = b.x_px - a.x_px, dy = b.y_px - a.y_px;
    const double t = std::clamp(((x - a.x_px) * dx + (y - a.y_px) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    best = std::min(best, std::hypot(x - a.x_px - t * dx, y - a.y_px - t * dy));
  }
  return best;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(edge_search)

BOOST_AUTO_TEST_CASE(cargo_scan_edge_is_found_and_its_mtf50_matches_the_truth) {
  const auto scan = cargo_scan();
  auto p = ph::resolve_phantom("cargo-iec62523");
  const auto& square = std::get<ph::SharpEdge>(p->find("edge-steel")->shape).area;
  const cv::Mat& image = scan.planes[0].pixels;
  auto found = tk::find_strongest_edge(image);
  BOOST_TEST_REQUIRE(found.has_value(), (found ? "" : found.error().message));
  const auto& roi = found->roi;
  BOOST_TEST_MESSAGE("edge search: ROI " << tk::to_string(roi) << " " << found->orientation << " angle "
                                         << found->edge_angle_deg << "° step " << found->step << " tiles "
                                         << found->tiles_scored);
  // The ROI centre lies on the square's outline, and the square is rotated +5° (+x towards +y).
  const double cx = roi.x_px + (roi.width_px - 1) / 2.0, cy = roi.y_px + (roi.height_px - 1) / 2.0;
  BOOST_TEST(distance_to_square(scan, square, cx, cy) <= 2.0);
  BOOST_TEST(found->edge_angle_deg == 5.0, boost::test_tools::tolerance(0.1));
  BOOST_TEST(found->warnings.empty());
  // The slanted-edge MTF on that ROI: same angle convention, MTF50 within 2 % of the truth.
  tk::EdgeMtfOptions mo;
  mo.roi = roi;
  auto mtf = tk::measure_edge_mtf(image, mo);
  BOOST_TEST_REQUIRE(mtf.has_value(), (mtf ? "" : mtf.error().message));
  BOOST_TEST(mtf->edge_angle_deg == 5.0, boost::test_tools::tolerance(0.05));
  const auto& truth = found->orientation == 'v' ? scan.truth.mtf_x : scan.truth.mtf_y;
  BOOST_TEST_REQUIRE(mtf->mtf50_cy_px.has_value());
  const double err = *mtf->mtf50_cy_px / truth.mtf50_cycles_per_px - 1.0;
  BOOST_TEST_MESSAGE("MTF50 " << *mtf->mtf50_cy_px << " cy/px, truth " << truth.mtf50_cycles_per_px << " ("
                              << 100 * err << " %)");
  BOOST_TEST(std::abs(err) <= 0.02);
}

// Rotating the whole phantom by −3° turns its axis-aligned blocks to −3° and the +5° square to
// +2°: whichever edge wins, the search and the MTF report the rotation's sign (+x towards +y).
BOOST_AUTO_TEST_CASE(edge_angle_sign_follows_the_generator_rotation) {
  const auto scan = cargo_scan(-3.0);
  auto found = tk::find_strongest_edge(scan.planes[0].pixels);
  BOOST_TEST_REQUIRE(found.has_value(), (found ? "" : found.error().message));
  const double a = found->edge_angle_deg;
  BOOST_TEST_MESSAGE("rotated −3°: edge at " << a << "° (" << found->orientation << ")");
  BOOST_TEST((std::abs(a + 3.0) <= 0.1 || std::abs(a - 2.0) <= 0.1), "edge angle " << a);
  tk::EdgeMtfOptions mo;
  mo.roi = found->roi;
  auto mtf = tk::measure_edge_mtf(scan.planes[0].pixels, mo);
  BOOST_TEST_REQUIRE(mtf.has_value(), (mtf ? "" : mtf.error().message));
  BOOST_TEST(std::abs(mtf->edge_angle_deg - a) <= 0.1);
}

BOOST_AUTO_TEST_CASE(images_without_a_slanted_edge_are_refused) {
  // Noise only; an axis-aligned step (0°); an image smaller than the ROI.
  cv::Mat noise(200, 200, CV_32F);
  cv::RNG(5).fill(noise, cv::RNG::NORMAL, 1000, 20);
  auto r = tk::find_strongest_edge(noise);
  BOOST_TEST((!r && r.error().code == ErrorCode::input));
  cv::Mat step = noise.clone();
  step(cv::Rect(100, 0, 100, 200)) += 2000;
  r = tk::find_strongest_edge(step);
  BOOST_TEST((!r && r.error().message.find("no straight slanted edge") != std::string::npos));
  BOOST_TEST(!tk::find_strongest_edge(cv::Mat(20, 20, CV_32F, cv::Scalar(1))));
  tk::EdgeSearchOptions bad;
  bad.min_angle_deg = 0.5;
  BOOST_TEST(!tk::find_strongest_edge(noise, bad));
}

BOOST_AUTO_TEST_CASE(iq_mtf_without_roi_reports_the_roi_it_chose) {
  niikit::testing::TempDir dir;
  const auto scan = cargo_scan();
  const std::string path = dir.file("cargo.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, scan.planes[0]).has_value());
  auto run = niikit::testing::run_niikit("iq mtf " + path + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(doc.value("roi_source").toString().toStdString() == "edge-search");
  BOOST_TEST(doc.value("edge_angle_deg").toDouble() == 5.0, boost::test_tools::tolerance(0.02));
  BOOST_TEST(!doc.value("roi").toString().isEmpty());
  run = niikit::testing::run_niikit("iq mtf " + path);
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out.find("edge search") != std::string::npos, run.out);
}

BOOST_AUTO_TEST_SUITE_END()
