// `niikit iq neq` end to end: a synthetic slanted edge (Gaussian blur σ 1 px) and white-noise
// blanks as 16-bit TIFFs with 0.2 mm pitch in the metadata.
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>
#include <random>

#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"

namespace tk = niikit::testkits;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

std::string write_16(const TempDir& dir, const std::string& name, const cv::Mat& values) {
  tk::Image image;
  values.convertTo(image.pixels, CV_16U);
  image.meta.pixel_mm_x = image.meta.pixel_mm_y = 0.2;
  const std::string path = dir.file(name);
  if (!tk::write_image(path, image)) throw std::runtime_error("cannot write " + path);
  return path;
}

// Near-vertical edge tilted 5°, ESF 1000 + 2000·Φ(d / 1 px), noise σ 2.
cv::Mat edge_image(int size) {
  std::mt19937_64 rng(91);
  std::normal_distribution<double> noise(0.0, 2.0);
  const double slope = std::tan(5.0 * std::numbers::pi / 180.0);
  cv::Mat m(size, size, CV_64F);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c) {
      const double d = (c - (size / 2.0 + slope * (r - size / 2.0))) * std::cos(5.0 * std::numbers::pi / 180.0);
      m.at<double>(r, c) = 1000.0 + 2000.0 * 0.5 * std::erfc(-d / std::numbers::sqrt2) + noise(rng);
    }
  return m;
}

cv::Mat flat_image(int size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(3000.0, 20.0);
  cv::Mat m(size, size, CV_64F);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c) m.at<double>(r, c) = noise(rng);
  return m;
}

QJsonObject parse(const std::string& out) { return QJsonDocument::fromJson(QByteArray::fromStdString(out)).object(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(neq_cli)

BOOST_AUTO_TEST_CASE(iq_neq_json_names_its_definition_and_matches_the_closed_form) {
  TempDir dir;
  const std::string edge = write_16(dir, "edge.tif", edge_image(128));
  const std::string a = write_16(dir, "a.tif", flat_image(256, 92));
  const std::string b = write_16(dir, "b.tif", flat_image(256, 93));
  auto run = run_niikit("iq neq --edge " + edge + " --flat " + a + " " + b + " --at-lp-mm 0.5 1 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  auto doc = parse(run.out);
  BOOST_TEST(doc.value("definition").toString().toStdString() == "iec62220");
  BOOST_TEST(doc.value("neq_unit").toString().toStdString() == "1/mm2");
  BOOST_TEST(doc.value("neq_y_at").toObject().isEmpty());
  const auto x = doc.value("neq_x_at").toObject();
  BOOST_TEST_REQUIRE(x.contains("1"));
  BOOST_TEST_REQUIRE(x.contains("0.5"));
  // MTF(0.2 cy/px) = exp(−2π²·0.04) for σ 1 px; NNPS = (400 + 1/12)·0.04 mm² / 3000².
  const double mtf = std::exp(-2.0 * std::numbers::pi * std::numbers::pi * 0.04);
  const double expected = mtf * mtf / ((400.0 + 1.0 / 12) * 0.04 / 9e6);
  BOOST_TEST_MESSAGE("iq neq iec62220 at 1 lp/mm: " << x.value("1").toDouble() << " (closed form " << expected << ")");
  BOOST_TEST(x.value("1").toDouble() == expected, boost::test_tools::tolerance(0.20));

  run = run_niikit("iq neq --edge " + edge + " --flat " + a + " --definition n4255 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  doc = parse(run.out);
  BOOST_TEST(doc.value("definition").toString().toStdString() == "n4255");
  BOOST_TEST(doc.value("neq_x_at").toObject().value("1").toDouble() > 0.0);
}

BOOST_AUTO_TEST_CASE(iq_neq_bad_flat_roi_exits_3_and_bad_definition_exits_2) {
  TempDir dir;
  const std::string edge = write_16(dir, "edge.tif", edge_image(128));
  const std::string a = write_16(dir, "a.tif", flat_image(128, 94));
  BOOST_TEST(run_niikit("iq neq --edge " + edge + " --flat " + a + " --flat-roi 100,100,64,64 --json").status == 3);
  BOOST_TEST(run_niikit("iq neq --edge " + edge + " --flat " + a + " --definition ansi").status == 2);
}

BOOST_AUTO_TEST_SUITE_END()
