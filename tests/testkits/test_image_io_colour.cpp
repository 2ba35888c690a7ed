// Colour-typed files holding grey (8/16-bit RGB/RGBA TIFF and PNG with equal channels) read as
// grey with a note; true colour and varying alpha are refused naming the file. Real files:
// the parc series is stored as 8-bit RGB TIFF with equal channels.
#include <tiffio.h>

#include <boost/test/unit_test.hpp>
#include <memory>

#include "image_test_support.hpp"
#include "real_data.hpp"
#include "testkits/image/image.hpp"
#include "testkits/image/png_encode.hpp"

namespace tk = niikit::testkits;
using niikit::test::bit_exact;
using niikit::test::random_image;
using niikit::test::TempDir;
using niikit::test::write_bytes;

namespace {

// Writes `m` (BGR or BGRA, 8 or 16 bit) as an RGB(A) PNG with the toolkit's own libpng encoder.
bool write_png(const std::string& path, const cv::Mat& m) {
  auto png = tk::encode_png_pixels(path, m);
  if (!png) return false;
  write_bytes(path, *png);
  return true;
}

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

// Writes `m` (CV_8UC3/4 or CV_16UC3/4) as a pixel-interleaved RGB(A) TIFF with libtiff.
void write_rgb_tiff(const std::string& path, const cv::Mat& m) {
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(path.c_str(), "w"));
  BOOST_TEST_REQUIRE(tif != nullptr);
  TIFFSetField(tif.get(), TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(m.cols));
  TIFFSetField(tif.get(), TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(m.rows));
  TIFFSetField(tif.get(), TIFFTAG_SAMPLESPERPIXEL, static_cast<uint16_t>(m.channels()));
  TIFFSetField(tif.get(), TIFFTAG_BITSPERSAMPLE, static_cast<uint16_t>(m.elemSize1() * 8));
  TIFFSetField(tif.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tif.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, uint32_t{7});
  if (m.channels() == 4) {
    const uint16_t extra = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(tif.get(), TIFFTAG_EXTRASAMPLES, uint16_t{1}, &extra);
  }
  cv::Mat copy = m.clone();
  for (int r = 0; r < m.rows; ++r)
    BOOST_TEST_REQUIRE(TIFFWriteScanline(tif.get(), copy.ptr(r), static_cast<uint32_t>(r), 0) == 1);
}

cv::Mat replicate(const cv::Mat& grey, int channels, double alpha) {
  std::vector<cv::Mat> planes(3, grey);
  if (channels == 4) planes.emplace_back(grey.size(), grey.type(), cv::Scalar(alpha));
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

void check_grey(const std::string& path, const cv::Mat& grey, const std::string& layout) {
  const auto read = tk::read_image(path);
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST(read->pixels.channels() == 1);
  BOOST_TEST(bit_exact(read->pixels, grey));
  BOOST_TEST_REQUIRE(read->notes.size() == 1U);
  BOOST_TEST(read->notes[0].find(layout + " image with equal colour channels, read as grey") != std::string::npos,
             read->notes[0]);
}

void check_refused(const std::string& path, const std::string& expect) {
  const auto read = tk::read_image(path);
  BOOST_TEST_REQUIRE(!read.has_value());
  BOOST_TEST(read.error().message.rfind(path + ": ", 0) == 0U, read.error().message);
  BOOST_TEST(read.error().message.find(expect) != std::string::npos, read.error().message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(colour_typed_grey)

BOOST_AUTO_TEST_CASE(equal_channel_tiff_reads_as_grey_at_both_depths) {
  TempDir dir;
  const cv::Mat g8 = random_image(33, 41, CV_8UC1, 7);
  const cv::Mat g16 = random_image(29, 37, CV_16UC1, 8);
  write_rgb_tiff(dir.file("rgb8.tif"), replicate(g8, 3, 0));
  write_rgb_tiff(dir.file("rgba16.tif"), replicate(g16, 4, 65535));
  check_grey(dir.file("rgb8.tif"), g8, "RGB");
  check_grey(dir.file("rgba16.tif"), g16, "RGBA");
}

BOOST_AUTO_TEST_CASE(equal_channel_png_reads_as_grey_at_both_depths) {
  TempDir dir;
  const cv::Mat g8 = random_image(31, 23, CV_8UC1, 9);
  const cv::Mat g16 = random_image(17, 19, CV_16UC1, 10);
  BOOST_TEST_REQUIRE(write_png(dir.file("rgb8.png"), replicate(g8, 3, 0)));
  BOOST_TEST_REQUIRE(write_png(dir.file("rgba16.png"), replicate(g16, 4, 65535)));
  check_grey(dir.file("rgb8.png"), g8, "RGB");
  check_grey(dir.file("rgba16.png"), g16, "RGBA");
}

BOOST_AUTO_TEST_CASE(one_coloured_pixel_refuses_the_file_and_names_it) {
  TempDir dir;
  cv::Mat rgb = replicate(random_image(20, 30, CV_8UC1, 11), 3, 0);
  rgb.at<cv::Vec3b>(13, 17)[1] = static_cast<unsigned char>(rgb.at<cv::Vec3b>(13, 17)[0] ^ 1U);
  write_rgb_tiff(dir.file("colour.tif"), rgb);
  BOOST_TEST_REQUIRE(write_png(dir.file("colour.png"), rgb));
  check_refused(dir.file("colour.tif"), "true colour RGB image (R, G, B differ, first at pixel x=17 y=13");
  check_refused(dir.file("colour.png"), "true colour RGB image (R, G, B differ, first at pixel x=17 y=13");
}

BOOST_AUTO_TEST_CASE(varying_alpha_is_refused) {
  TempDir dir;
  cv::Mat rgba = replicate(random_image(10, 12, CV_8UC1, 12), 4, 255);
  rgba.at<cv::Vec4b>(5, 6)[3] = 128;
  write_rgb_tiff(dir.file("alpha.tif"), rgba);
  check_refused(dir.file("alpha.tif"), "RGBA image with a varying alpha channel");
}

BOOST_AUTO_TEST_CASE(real_parc_rgb_tiff_reads_as_8_bit_grey, *niikit::test::real_data_present()) {
  const std::string path = niikit::test::real_file("parc/image_1.tif");
  const auto read = tk::read_image(path);
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST(read->pixels.type() == CV_8UC1);
  BOOST_TEST(read->pixels.cols == 618);  // the file header: 618 × 1029 px
  BOOST_TEST(read->pixels.rows == 1029);
  BOOST_TEST_REQUIRE(read->notes.size() == 1U);
  BOOST_TEST(read->notes[0].find("8-bit RGB") != std::string::npos);
  double lo = 0;
  double hi = 0;
  cv::minMaxLoc(read->pixels, &lo, &hi);
  BOOST_TEST(hi - lo > 100.0);  // a real scan, not an empty plane
}

BOOST_AUTO_TEST_SUITE_END()
