// TIFF files written by libtiff directly, not by niikit: tiled, big-endian, uncompressed,
// resolution in inches or centimetres, foreign ImageDescription. The reader must take them
// as any scanner vendor's file would come.
#include <tiffio.h>

#include <boost/test/unit_test.hpp>
#include <functional>
#include <memory>

#include "image_test_support.hpp"
#include "testkits/image/image.hpp"

namespace tk = niikit::testkits;
using niikit::test::bit_exact;
using niikit::test::random_image;
using niikit::test::TempDir;

namespace {

struct TiffClose {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

void set_common(TIFF* tif, const cv::Mat& m) {
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(m.cols));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(m.rows));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t{1});
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, static_cast<uint16_t>(m.elemSize1() * 8));
  TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, m.depth() == CV_32F ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
}

// One strip per row, optional compression, written with libtiff in `mode` ("w" or "wb").
void write_strips(const std::string& path, const cv::Mat& m, const char* mode, uint16_t compression,
                  const std::function<void(TIFF*)>& extra_tags) {
  std::unique_ptr<TIFF, TiffClose> tif(TIFFOpen(path.c_str(), mode));
  BOOST_TEST_REQUIRE(tif != nullptr);
  set_common(tif.get(), m);
  TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, compression);
  TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, uint32_t{1});
  extra_tags(tif.get());
  cv::Mat copy = m.clone();
  for (int r = 0; r < m.rows; ++r)
    BOOST_TEST_REQUIRE(TIFFWriteScanline(tif.get(), copy.ptr(r), static_cast<uint32_t>(r), 0) == 1);
}

void write_tiles(const std::string& path, const cv::Mat& m, uint32_t tile_px) {
  std::unique_ptr<TIFF, TiffClose> tif(TIFFOpen(path.c_str(), "w"));
  BOOST_TEST_REQUIRE(tif != nullptr);
  set_common(tif.get(), m);
  TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField(tif.get(), TIFFTAG_TILEWIDTH, tile_px);
  TIFFSetField(tif.get(), TIFFTAG_TILELENGTH, tile_px);
  std::vector<unsigned char> tile(static_cast<std::size_t>(TIFFTileSize(tif.get())));
  const std::size_t px = m.elemSize();
  for (uint32_t y = 0; y < static_cast<uint32_t>(m.rows); y += tile_px) {
    for (uint32_t x = 0; x < static_cast<uint32_t>(m.cols); x += tile_px) {
      std::fill(tile.begin(), tile.end(), 0);
      for (uint32_t r = 0; r < tile_px && y + r < static_cast<uint32_t>(m.rows); ++r)
        for (uint32_t c = 0; c < tile_px && x + c < static_cast<uint32_t>(m.cols); ++c)
          std::memcpy(&tile[(r * tile_px + c) * px], m.ptr(static_cast<int>(y + r)) + (x + c) * px, px);
      const auto bytes = static_cast<tmsize_t>(tile.size());
      BOOST_TEST_REQUIRE(TIFFWriteEncodedTile(tif.get(), TIFFComputeTile(tif.get(), x, y, 0, 0), tile.data(), bytes) == bytes);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(foreign_tiff)

BOOST_AUTO_TEST_CASE(tiled_lzw_16_bit_tiff_reads_bit_exact) {
  TempDir dir;
  const cv::Mat m = random_image(45, 70, CV_16UC1, 51);  // tiles of 16 px overhang both edges
  write_tiles(dir.file("tiled.tif"), m, 16);
  const auto read = tk::read_image(dir.file("tiled.tif"));
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST(bit_exact(read->pixels, m));
}

BOOST_AUTO_TEST_CASE(big_endian_uncompressed_tiff_reads_bit_exact) {
  TempDir dir;
  for (const int type : {CV_16UC1, CV_32FC1, CV_8UC1}) {
    const cv::Mat m = random_image(17, 33, type, 52);
    write_strips(dir.file("be.tif"), m, "wb", COMPRESSION_NONE, [](TIFF*) {});
    const auto read = tk::read_image(dir.file("be.tif"));
    BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
    BOOST_TEST(bit_exact(read->pixels, m));
  }
}

BOOST_AUTO_TEST_CASE(packbits_tiff_reads_bit_exact) {
  TempDir dir;
  const cv::Mat m = random_image(9, 31, CV_8UC1, 53);
  write_strips(dir.file("pb.tif"), m, "w", COMPRESSION_PACKBITS, [](TIFF*) {});
  const auto read = tk::read_image(dir.file("pb.tif"));
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST(bit_exact(read->pixels, m));
}

BOOST_AUTO_TEST_CASE(resolution_tags_give_the_pitch_without_niikit_json) {
  TempDir dir;
  const cv::Mat m = random_image(5, 6, CV_16UC1, 54);
  write_strips(dir.file("cm.tif"), m, "w", COMPRESSION_NONE, [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 50.0);  // 0.2 mm
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 25.0);  // 0.4 mm
    TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, "Vendor X scan 2024-01-01");
  });
  const auto cm = tk::read_image(dir.file("cm.tif"));
  BOOST_TEST_REQUIRE(cm.has_value(), (cm ? "" : cm.error().message));
  BOOST_TEST(cm->meta.pixel_mm_x == 0.2, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(cm->meta.pixel_mm_y == 0.4, boost::test_tools::tolerance(1e-6));
  BOOST_TEST((cm->meta.channel == tk::EnergyChannel::single));

  write_strips(dir.file("inch.tif"), m, "w", COMPRESSION_NONE, [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 254.0);  // 0.1 mm
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 254.0);
  });
  const auto inch = tk::read_image(dir.file("inch.tif"));
  BOOST_TEST_REQUIRE(inch.has_value());
  BOOST_TEST(inch->meta.pixel_mm_x == 0.1, boost::test_tools::tolerance(1e-6));

  write_strips(dir.file("none.tif"), m, "w", COMPRESSION_NONE, [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_NONE);
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 72.0);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 72.0);
  });
  const auto none = tk::read_image(dir.file("none.tif"));
  BOOST_TEST_REQUIRE(none.has_value());
  BOOST_TEST(none->meta.pixel_mm_x == 0.0);  // no unit: unknown
}

BOOST_AUTO_TEST_CASE(niikit_tiff_carries_resolution_in_pixels_per_centimetre) {
  TempDir dir;
  tk::Image image;
  image.pixels = random_image(4, 4, CV_16UC1, 55);
  image.meta.pixel_mm_x = 0.25;
  image.meta.pixel_mm_y = 0.5;
  BOOST_TEST_REQUIRE(tk::write_image(dir.file("res.tif"), image).has_value());
  std::unique_ptr<TIFF, TiffClose> tif(TIFFOpen(dir.file("res.tif").c_str(), "r"));
  BOOST_TEST_REQUIRE(tif != nullptr);
  uint16_t unit = 0;
  float x_res = 0.0F;
  float y_res = 0.0F;
  BOOST_TEST_REQUIRE(TIFFGetField(tif.get(), TIFFTAG_RESOLUTIONUNIT, &unit) == 1);
  BOOST_TEST_REQUIRE(TIFFGetField(tif.get(), TIFFTAG_XRESOLUTION, &x_res) == 1);
  BOOST_TEST_REQUIRE(TIFFGetField(tif.get(), TIFFTAG_YRESOLUTION, &y_res) == 1);
  BOOST_TEST(unit == RESUNIT_CENTIMETER);
  BOOST_TEST(x_res == 40.0F, boost::test_tools::tolerance(1e-6F));
  BOOST_TEST(y_res == 20.0F, boost::test_tools::tolerance(1e-6F));
}

BOOST_AUTO_TEST_CASE(hand_built_minimal_tiff_reads_its_pixels) {
  TempDir dir;
  niikit::test::TinyTiff spec;  // 4x3 8-bit, pixel i = 7*i mod 256
  niikit::test::write_bytes(dir.file("tiny.tif"), niikit::test::tiny_tiff(spec));
  const auto read = tk::read_image(dir.file("tiny.tif"));
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST_REQUIRE(read->pixels.type() == CV_8UC1);
  BOOST_TEST(read->pixels.cols == 4);
  BOOST_TEST(read->pixels.rows == 3);
  BOOST_TEST(read->pixels.at<uint8_t>(2, 3) == 77);

  // One 3 MB uncompressed strip: libtiff splits it into row strips on reading.
  niikit::test::write_bytes(dir.file("one-strip.tif"),
                            niikit::test::tiny_tiff({.width = 3000, .height = 1000, .data_bytes = 3000000}));
  const auto big = tk::read_image(dir.file("one-strip.tif"));
  BOOST_TEST_REQUIRE(big.has_value(), (big ? "" : big.error().message));
  BOOST_TEST(big->pixels.at<uint8_t>(999, 2999) == static_cast<uint8_t>(2999999U * 7U));
  BOOST_TEST(big->pixels.at<uint8_t>(500, 17) == static_cast<uint8_t>((500U * 3000U + 17U) * 7U));
}

BOOST_AUTO_TEST_SUITE_END()
