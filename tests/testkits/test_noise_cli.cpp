// `niikit iq roi` and `niikit iq nps` end to end: the real binary on 16-bit TIFFs written here.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>
#include <random>

#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"

namespace tk = niikit::testkits;
using niikit::testing::run_niikit;
using niikit::testing::TempDir;

namespace {

// 16-bit flat image: mean + Gaussian noise σ, pitch 0.2 mm in the metadata.
std::string write_flat(const TempDir& dir, const std::string& name, int size, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  tk::Image image;
  image.pixels = cv::Mat(size, size, CV_16U);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c) image.pixels.at<std::uint16_t>(r, c) = cv::saturate_cast<std::uint16_t>(3000 + noise(rng));
  image.meta.pixel_mm_x = image.meta.pixel_mm_y = 0.2;
  const std::string path = dir.file(name);
  if (!tk::write_image(path, image)) throw std::runtime_error("cannot write " + path);
  return path;
}

QJsonObject parse(const std::string& out) { return QJsonDocument::fromJson(QByteArray::fromStdString(out)).object(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(noise_cli)

BOOST_AUTO_TEST_CASE(iq_roi_json_gives_stats_and_with_a_background_cnr_and_rose) {
  TempDir dir;
  const std::string path = write_flat(dir, "flat.tif", 64, 10.0, 7);
  auto run = run_niikit("iq roi " + path + " --roi 4,4,20,20 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  auto doc = parse(run.out);
  const auto stats = doc.value("roi_stats").toObject();
  for (const char* key : {"pixel_count", "mean", "median", "sigma", "robust_sigma", "detrended_sigma", "min", "max",
                          "snr", "snr_detrended"})
    BOOST_TEST(stats.contains(key), key);
  BOOST_TEST(stats.value("pixel_count").toInt() == 400);
  BOOST_TEST(stats.value("mean").toDouble() == 3000.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(!doc.contains("cnr"));

  run = run_niikit("iq roi " + path + " --roi 4,4,20,20 --background-roi 30,30,30,30 --rose-threshold 3 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  doc = parse(run.out);
  for (const char* key : {"background_stats", "contrast", "cnr", "cnr_sigma", "rose", "rose_threshold", "visible"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc.value("cnr_sigma").toString().toStdString() == "detrended");
  BOOST_TEST(doc.value("rose_threshold").toDouble() == 3.0);
  BOOST_TEST(doc.value("rose").toDouble() == doc.value("cnr").toDouble() * 20.0, boost::test_tools::tolerance(1e-9));

  run = run_niikit("iq roi " + path + " --roi 4,4,20,20");
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out.find("detrended sigma") != std::string::npos, run.out);
}

BOOST_AUTO_TEST_CASE(iq_roi_bad_roi_exits_3_and_malformed_roi_exits_2) {
  TempDir dir;
  const std::string path = write_flat(dir, "flat.tif", 32, 10.0, 8);
  BOOST_TEST(run_niikit("iq roi " + path + " --roi 20,20,20,20 --json").status == 3);
  BOOST_TEST(run_niikit("iq roi " + path + " --roi 0,0,2,2").status == 3);
  BOOST_TEST(run_niikit("iq roi " + path + " --roi 0,0,10").status == 2);
}

BOOST_AUTO_TEST_CASE(iq_nps_json_gives_curves_mean_and_structured_noise_in_mm_from_metadata) {
  TempDir dir;
  const std::string a = write_flat(dir, "a.tif", 256, 20.0, 9);
  const std::string b = write_flat(dir, "b.tif", 256, 20.0, 10);
  auto run = run_niikit("iq nps " + a + " " + b + " --tile-px 64 --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = parse(run.out);
  for (const char* key : {"mean_signal", "nnps_x", "nnps_y", "nnps_radial", "column_structured_variance",
                          "row_structured_fraction", "nps_integral", "variance_total", "frequency_unit"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST(doc.value("image_count").toInt() == 2);
  BOOST_TEST(doc.value("frequency_unit").toString().toStdString() == "cy/mm");
  BOOST_TEST(doc.value("pixel_mm_x").toDouble() == 0.2);
  BOOST_TEST(doc.value("mean_signal").toDouble() == 3000.0, boost::test_tools::tolerance(0.01));
  const auto x = doc.value("nnps_x").toArray();
  BOOST_TEST(x.size() == 32);
  BOOST_TEST(x.last().toObject().value("frequency").toDouble() == 2.5, boost::test_tools::tolerance(1e-9));
  // White noise: NNPS = σ²·0.04 mm² / 3000², within 10 % on average (16-bit rounding adds 1/12).
  double mean_nnps = 0.0;
  for (const auto& p : x) mean_nnps += p.toObject().value("nnps").toDouble() / x.size();
  BOOST_TEST(mean_nnps == (400.0 + 1.0 / 12) * 0.04 / 9e6, boost::test_tools::tolerance(0.10));

  run = run_niikit("iq nps " + a + " --pixel-mm-x 0.1 --pixel-mm-y 0.3 --tile-px 64");
  BOOST_TEST(run.status == 0, run.err);
  BOOST_TEST(run.out.find("NNPS_RADIAL") != std::string::npos, run.out);
}

BOOST_AUTO_TEST_CASE(iq_nps_bad_roi_exits_3) {
  TempDir dir;
  const std::string a = write_flat(dir, "a.tif", 128, 20.0, 11);
  BOOST_TEST(run_niikit("iq nps " + a + " --roi 0,0,128,128 --json").status == 3);   // room for 1 tile only
  BOOST_TEST(run_niikit("iq nps " + a + " --roi 64,0,128,128 --json").status == 3);  // outside
}

BOOST_AUTO_TEST_SUITE_END()
