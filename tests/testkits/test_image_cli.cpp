// `niikit image info` end to end: the real binary on files written here.
#include <sys/wait.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>
#include <cstdio>

#include "image_test_support.hpp"
#include "testkits/image/image.hpp"
#include "support/temp_dir.hpp"

namespace tk = niikit::testkits;
using niikit::test::TempDir;

namespace {

using niikit::testing::run_niikit;  // runs the built binary, capturing stdout, stderr and status
using Run = niikit::testing::RunResult;

}  // namespace

BOOST_AUTO_TEST_SUITE(image_cli)

BOOST_AUTO_TEST_CASE(image_info_json_lists_every_page_with_stats_and_meta) {
  TempDir dir;
  tk::Image high;
  high.pixels = cv::Mat(7, 3, CV_16UC1, cv::Scalar(1000));
  high.pixels.at<uint16_t>(0, 0) = 0;
  high.pixels.at<uint16_t>(6, 2) = 65535;
  high.meta.pixel_mm_x = 0.15;
  high.meta.pixel_mm_y = 0.3;
  high.meta.channel = tk::EnergyChannel::high;
  high.meta.view = "top";
  tk::Image low = high;
  low.pixels = cv::Mat(7, 3, CV_16UC1, cv::Scalar(500));
  low.meta.channel = tk::EnergyChannel::low;
  const std::string path = dir.file("dual.tif");
  BOOST_TEST_REQUIRE(tk::write_image_pages(path, {high, low}).has_value());

  const Run run = run_niikit("image info " + path + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out);
  const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  BOOST_TEST(doc.value("page_count").toInt() == 2);
  const QJsonObject page0 = doc.value("pages").toArray().at(0).toObject();
  BOOST_TEST(page0.value("width_px").toInt() == 3);
  BOOST_TEST(page0.value("height_px").toInt() == 7);
  BOOST_TEST(page0.value("bit_depth").toInt() == 16);
  BOOST_TEST(page0.value("min").toDouble() == 0.0);
  BOOST_TEST(page0.value("max").toDouble() == 65535.0);
  BOOST_TEST(page0.value("mean").toDouble() == (19 * 1000.0 + 65535.0) / 21.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(page0.value("pixel_mm_x").toDouble() == 0.15);
  BOOST_TEST(page0.value("channel").toString().toStdString() == "high");
  BOOST_TEST(page0.value("view").toString().toStdString() == "top");
  const QJsonObject page1 = doc.value("pages").toArray().at(1).toObject();
  BOOST_TEST(page1.value("channel").toString().toStdString() == "low");
  BOOST_TEST(page1.value("mean").toDouble() == 500.0);
}

BOOST_AUTO_TEST_CASE(image_info_reads_raw_and_maps_errors_to_exit_statuses) {
  TempDir dir;
  tk::Image image;
  image.pixels = cv::Mat(2, 3, CV_16UC1, cv::Scalar(7));
  const std::string raw = dir.file("dump.raw");
  BOOST_TEST_REQUIRE(tk::write_raw16(raw, image).has_value());
  const Run ok = run_niikit("image info " + raw + " --raw 3x2");
  BOOST_TEST(ok.status == 0);
  BOOST_TEST(ok.out.find("3x2 px, uint16 (16-bit), pitch unknown") != std::string::npos, ok.out);
  BOOST_TEST(run_niikit("image info " + raw + " --raw 2x2 2>/dev/null").status == 3);       // input
  BOOST_TEST(run_niikit("image info " + raw + " --raw 2by2 2>/dev/null").status == 2);      // usage
  BOOST_TEST(run_niikit("image info " + dir.file("nope.tif") + " 2>/dev/null").status == 4);  // not found
  const Run error = run_niikit("image info " + raw + " --json 2>/dev/null");                       // not TIFF/PNG
  BOOST_TEST(error.status == 3);
  BOOST_TEST(error.out.find("not a TIFF or PNG image") != std::string::npos, error.out);
}

BOOST_AUTO_TEST_SUITE_END()
