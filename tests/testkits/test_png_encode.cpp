// The libpng PNG writer (testkits/image/png_encode.hpp): every supported pixel type decodes
// back (with libpng's own simplified reader, independent of niikit's) to exactly the values
// written, BGR input comes out as RGB, and unsupported input is refused with a one-line error.
#define BOOST_TEST_MODULE test_png_encode
#include <boost/test/unit_test.hpp>

#include <png.h>

#include <cstring>
#include <opencv2/core.hpp>
#include <vector>

#include "testkits/image/png_encode.hpp"

namespace tk = niikit::testkits;

namespace {

cv::Mat pattern(int rows, int cols, int type) {
  cv::Mat m(rows, cols, type);
  cv::RNG rng(1234);
  rng.fill(m, cv::RNG::UNIFORM, 0, CV_MAT_DEPTH(type) == CV_16U ? 65536 : 256);
  return m;
}

// Decodes with libpng's simplified API into the given format (linear, no gamma handling).
cv::Mat decode(const std::vector<unsigned char>& bytes, png_uint_32 format, int cv_type) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  BOOST_TEST_REQUIRE(png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()) != 0);
  image.format = format;
  cv::Mat out(static_cast<int>(image.height), static_cast<int>(image.width), cv_type);
  BOOST_TEST_REQUIRE(png_image_finish_read(&image, nullptr, out.data, static_cast<png_int_32>(out.step[0] / out.elemSize1()), nullptr) != 0);
  return out;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(grey_8_bit_round_trips_exactly) {
  const cv::Mat m = pattern(37, 53, CV_8UC1);
  auto png = tk::encode_png_pixels("g8.png", m);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(same(decode(*png, PNG_FORMAT_GRAY, CV_8UC1), m));
}

BOOST_AUTO_TEST_CASE(grey_16_bit_round_trips_exactly) {
  const cv::Mat m = pattern(41, 29, CV_16UC1);
  auto png = tk::encode_png_pixels("g16.png", m, 9);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(png->at(24) == 16);  // IHDR bit depth
  BOOST_TEST(png->at(25) == 0);   // colour type grey
  // The simplified reader's 16-bit format is "linear": an sRGB-free grey PNG is passed through.
  BOOST_TEST(same(decode(*png, PNG_FORMAT_LINEAR_Y, CV_16UC1), m));
}

BOOST_AUTO_TEST_CASE(bgr_8_bit_is_written_as_rgb) {
  const cv::Mat m = pattern(19, 23, CV_8UC3);
  auto png = tk::encode_png_pixels("c8.png", m, 0);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(png->at(25) == 2);  // colour type RGB
  BOOST_TEST(same(decode(*png, PNG_FORMAT_BGR, CV_8UC3), m));
  const cv::Mat rgb = decode(*png, PNG_FORMAT_RGB, CV_8UC3);
  BOOST_TEST(rgb.at<cv::Vec3b>(3, 4)[0] == m.at<cv::Vec3b>(3, 4)[2]);
  BOOST_TEST(rgb.at<cv::Vec3b>(3, 4)[2] == m.at<cv::Vec3b>(3, 4)[0]);
}

BOOST_AUTO_TEST_CASE(bgra_8_bit_is_written_as_rgba) {
  const cv::Mat m = pattern(7, 9, CV_8UC4);
  auto png = tk::encode_png_pixels("c8a.png", m);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(png->at(25) == 6);  // colour type RGBA
  BOOST_TEST(same(decode(*png, PNG_FORMAT_BGRA, CV_8UC4), m));
}

BOOST_AUTO_TEST_CASE(a_roi_with_row_padding_encodes_its_own_pixels) {
  const cv::Mat big = pattern(30, 40, CV_8UC1);
  const cv::Mat roi = big(cv::Rect(5, 7, 11, 13));
  auto png = tk::encode_png_pixels("roi.png", roi);
  BOOST_TEST_REQUIRE(png.has_value());
  BOOST_TEST(same(decode(*png, PNG_FORMAT_GRAY, CV_8UC1), roi.clone()));
}

BOOST_AUTO_TEST_CASE(unsupported_input_is_refused_on_one_line) {
  for (const cv::Mat& m : {cv::Mat(), cv::Mat(4, 4, CV_32FC1, cv::Scalar(0)), cv::Mat(4, 4, CV_8UC2, cv::Scalar(0))}) {
    auto png = tk::encode_png_pixels("bad.png", m);
    BOOST_TEST_REQUIRE(!png.has_value());
    BOOST_TEST(png.error().message.rfind("bad.png: PNG encoding failed: ", 0) == 0, png.error().message);
    BOOST_TEST(png.error().message.find('\n') == std::string::npos);
  }
  auto level = tk::encode_png_pixels("bad.png", cv::Mat(2, 2, CV_8UC1, cv::Scalar(1)), 12);
  BOOST_TEST(!level.has_value());
}
