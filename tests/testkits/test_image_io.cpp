// Image I/O round trips: every supported format and bit depth reads back bit-exact, with the
// pixel pitch and metadata, at odd sizes including 1x1.
#define BOOST_TEST_MODULE image_io
#include <boost/test/unit_test.hpp>

#include "image_test_support.hpp"
#include "testkits/image/image.hpp"

namespace tk = niikit::testkits;
using niikit::test::bit_exact;
using niikit::test::random_image;
using niikit::test::TempDir;

namespace {

struct Format {
  const char* name;
  const char* extension;
  int type;
};

constexpr std::array<Format, 5> formats{{
    {"8-bit PNG", ".png", CV_8UC1},
    {"16-bit PNG", ".png", CV_16UC1},
    {"8-bit TIFF", ".tif", CV_8UC1},
    {"16-bit TIFF", ".tiff", CV_16UC1},
    {"float32 TIFF", ".tif", CV_32FC1},
}};

const std::array<cv::Size, 4> sizes{{{1, 1}, {3, 7}, {1001, 17}, {17, 1001}}};

tk::Image make_image(cv::Size size, int type, unsigned seed) {
  tk::Image image;
  image.pixels = random_image(size.height, size.width, type, seed);
  return image;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_format_round_trips_bit_exact_at_odd_sizes) {
  TempDir dir;
  unsigned seed = 1;
  for (const Format& f : formats) {
    for (const cv::Size size : sizes) {
      BOOST_TEST_CONTEXT(f.name << " " << size.width << "x" << size.height) {
        const std::string path = dir.file("img" + std::to_string(seed) + f.extension);
        const tk::Image original = make_image(size, f.type, seed++);
        const auto written = tk::write_image(path, original);
        BOOST_TEST_REQUIRE(written.has_value(), (written ? "" : written.error().message));
        const auto read = tk::read_image(path);
        BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
        BOOST_TEST(read->pixels.type() == f.type);
        BOOST_TEST(bit_exact(read->pixels, original.pixels));
        BOOST_TEST(read->source == path);
        BOOST_TEST(read->meta.pixel_mm_x == 0.0);  // unknown pitch reads as 0
        BOOST_TEST(read->meta.pixel_mm_y == 0.0);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(extreme_values_survive_16_bit_round_trip) {
  TempDir dir;
  tk::Image image;
  image.pixels = (cv::Mat_<uint16_t>(2, 3) << 0, 65535, 1, 65534, 32768, 255);
  for (const char* ext : {".png", ".tif"}) {
    const std::string path = dir.file(std::string("extremes") + ext);
    BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
    const auto read = tk::read_image(path);
    BOOST_TEST_REQUIRE(read.has_value());
    BOOST_TEST(bit_exact(read->pixels, image.pixels));
  }
}

BOOST_AUTO_TEST_CASE(non_continuous_roi_is_written_correctly) {
  TempDir dir;
  const cv::Mat big = random_image(40, 50, CV_16UC1, 7);
  tk::Image roi;
  roi.pixels = big(cv::Rect(3, 5, 13, 11));
  BOOST_TEST_REQUIRE(!roi.pixels.isContinuous());
  for (const char* ext : {".png", ".tif"}) {
    const std::string path = dir.file(std::string("roi") + ext);
    BOOST_TEST_REQUIRE(tk::write_image(path, roi).has_value());
    const auto read = tk::read_image(path);
    BOOST_TEST_REQUIRE(read.has_value());
    BOOST_TEST(bit_exact(read->pixels, roi.pixels));
  }
  const std::string raw = dir.file("roi.raw");
  BOOST_TEST_REQUIRE(tk::write_raw16(raw, roi).has_value());
  const auto read = tk::read_raw16(raw, 13, 11);
  BOOST_TEST_REQUIRE(read.has_value());
  BOOST_TEST(bit_exact(read->pixels, roi.pixels));
}

BOOST_AUTO_TEST_CASE(multi_page_16_bit_tiff_round_trips_every_page) {
  TempDir dir;
  std::vector<tk::Image> pages;
  for (unsigned i = 0; i < 3; ++i) pages.push_back(make_image({1001, 17}, CV_16UC1, 100 + i));
  pages[1].meta.view = "side";
  const std::string path = dir.file("stack.tif");
  BOOST_TEST_REQUIRE(tk::write_image_pages(path, pages).has_value());
  const auto read = tk::read_image_pages(path);
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST_REQUIRE(read->size() == 3U);
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(bit_exact((*read)[i].pixels, pages[i].pixels));
  BOOST_TEST((*read)[1].meta.view == "side");
  const auto first = tk::read_image(path);  // read_image gives page 0
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST(bit_exact(first->pixels, pages[0].pixels));
}

BOOST_AUTO_TEST_CASE(png_reads_as_one_page) {
  TempDir dir;
  const std::string path = dir.file("one.png");
  BOOST_TEST_REQUIRE(tk::write_image(path, make_image({3, 7}, CV_8UC1, 3)).has_value());
  const auto read = tk::read_image_pages(path);
  BOOST_TEST_REQUIRE(read.has_value());
  BOOST_TEST(read->size() == 1U);
}

BOOST_AUTO_TEST_CASE(dual_energy_pair_from_one_two_page_file) {
  TempDir dir;
  const tk::Image high = make_image({3, 7}, CV_16UC1, 11);
  const tk::Image low = make_image({3, 7}, CV_16UC1, 12);
  const std::string path = dir.file("dual.tif");
  BOOST_TEST_REQUIRE(tk::write_image_pages(path, {high, low}).has_value());
  const auto pair = tk::read_dual_energy(path);
  BOOST_TEST_REQUIRE(pair.has_value(), (pair ? "" : pair.error().message));
  BOOST_TEST(bit_exact(pair->high.pixels, high.pixels));
  BOOST_TEST(bit_exact(pair->low.pixels, low.pixels));
  BOOST_TEST((pair->high.meta.channel == tk::EnergyChannel::high));
  BOOST_TEST((pair->low.meta.channel == tk::EnergyChannel::low));
}

BOOST_AUTO_TEST_CASE(dual_energy_pair_from_two_files) {
  TempDir dir;
  tk::Image high = make_image({1001, 17}, CV_16UC1, 21);
  tk::Image low = make_image({1001, 17}, CV_16UC1, 22);
  high.meta.channel = tk::EnergyChannel::high;
  low.meta.channel = tk::EnergyChannel::low;
  BOOST_TEST_REQUIRE(tk::write_image(dir.file("high.tif"), high).has_value());
  BOOST_TEST_REQUIRE(tk::write_image(dir.file("low.png"), low).has_value());
  const auto pair = tk::read_dual_energy(dir.file("high.tif"), dir.file("low.png"));
  BOOST_TEST_REQUIRE(pair.has_value(), (pair ? "" : pair.error().message));
  BOOST_TEST(bit_exact(pair->high.pixels, high.pixels));
  BOOST_TEST(bit_exact(pair->low.pixels, low.pixels));
  BOOST_TEST((pair->low.meta.channel == tk::EnergyChannel::low));
  BOOST_TEST(pair->low.source == dir.file("low.png"));
}

BOOST_AUTO_TEST_CASE(dual_energy_refuses_mismatched_or_swapped_planes) {
  TempDir dir;
  BOOST_TEST_REQUIRE(tk::write_image(dir.file("a.tif"), make_image({3, 7}, CV_16UC1, 1)).has_value());
  BOOST_TEST_REQUIRE(tk::write_image(dir.file("b.tif"), make_image({7, 3}, CV_16UC1, 2)).has_value());
  const auto sizes_differ = tk::read_dual_energy(dir.file("a.tif"), dir.file("b.tif"));
  BOOST_TEST_REQUIRE(!sizes_differ.has_value());
  BOOST_TEST((sizes_differ.error().code == niikit::ErrorCode::input));
  BOOST_TEST(sizes_differ.error().message.find(dir.file("a.tif") + ": dual-energy planes differ") == 0U);

  const auto one_page = tk::read_dual_energy(dir.file("a.tif"));
  BOOST_TEST_REQUIRE(!one_page.has_value());
  BOOST_TEST(one_page.error().message.find("exactly 2 pages") != std::string::npos);

  tk::Image low = make_image({3, 7}, CV_16UC1, 3);
  low.meta.channel = tk::EnergyChannel::low;
  BOOST_TEST_REQUIRE(tk::write_image_pages(dir.file("swapped.tif"), {low, low}).has_value());
  const auto swapped = tk::read_dual_energy(dir.file("swapped.tif"));
  BOOST_TEST_REQUIRE(!swapped.has_value());
  BOOST_TEST(swapped.error().message.find("page 0 is labelled 'low'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(raw16_round_trips_little_endian) {
  TempDir dir;
  for (const cv::Size size : sizes) {
    BOOST_TEST_CONTEXT(size.width << "x" << size.height) {
      const tk::Image image = make_image(size, CV_16UC1, 31);
      const std::string path = dir.file("scan.raw");
      BOOST_TEST_REQUIRE(tk::write_raw16(path, image).has_value());
      const auto bytes = niikit::test::read_bytes(path);
      BOOST_TEST_REQUIRE(bytes.size() == image.pixels.total() * 2U);
      const auto first = image.pixels.at<uint16_t>(0, 0);
      BOOST_TEST(bytes[0] == (first & 0xffU));  // low byte first
      BOOST_TEST(bytes[1] == (first >> 8));
      const auto read = tk::read_raw16(path, size.width, size.height);
      BOOST_TEST_REQUIRE(read.has_value());
      BOOST_TEST(bit_exact(read->pixels, image.pixels));
    }
  }
}

BOOST_AUTO_TEST_CASE(pixel_pitch_and_meta_round_trip_in_tiff_and_png) {
  TempDir dir;
  tk::Image image = make_image({3, 7}, CV_16UC1, 41);
  image.meta.pixel_mm_x = 0.15;
  image.meta.pixel_mm_y = 4.7;
  image.meta.channel = tk::EnergyChannel::low;
  image.meta.view = "top";
  image.meta.kind = tk::ImageKind::log;
  for (const char* ext : {".tif", ".png"}) {
    BOOST_TEST_CONTEXT(ext) {
      const std::string path = dir.file(std::string("meta") + ext);
      BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
      const auto read = tk::read_image(path);
      BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
      BOOST_TEST(read->meta.pixel_mm_x == 0.15);  // exact: the JSON keeps the shortest round-trip form
      BOOST_TEST(read->meta.pixel_mm_y == 4.7);
      BOOST_TEST((read->meta.channel == tk::EnergyChannel::low));
      BOOST_TEST(read->meta.view == "top");
      BOOST_TEST((read->meta.kind == tk::ImageKind::log));
    }
  }
}

BOOST_AUTO_TEST_CASE(png_pitch_falls_back_to_phys_without_the_json) {
  TempDir dir;
  tk::Image image = make_image({3, 7}, CV_8UC1, 42);
  image.meta.pixel_mm_x = 0.2;
  image.meta.pixel_mm_y = 0.5;
  const std::string path = dir.file("phys.png");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  auto png = niikit::test::read_bytes(path);
  const std::size_t itxt = niikit::test::find_chunk(png, "iTXt");
  BOOST_TEST_REQUIRE(itxt > 0U);
  BOOST_TEST_REQUIRE(niikit::test::find_chunk(png, "pHYs") > 0U);
  niikit::test::drop_chunk(png, itxt);
  niikit::test::write_bytes(path, png);
  const auto read = tk::read_image(path);
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().message));
  BOOST_TEST(read->meta.pixel_mm_x == 0.2, boost::test_tools::tolerance(1e-9));  // 5000 px/m
  BOOST_TEST(read->meta.pixel_mm_y == 0.5, boost::test_tools::tolerance(1e-9));  // 2000 px/m
  BOOST_TEST(bit_exact(read->pixels, image.pixels));
}

BOOST_AUTO_TEST_CASE(tiff_stores_meta_as_json_in_image_description) {
  TempDir dir;
  tk::Image image = make_image({3, 7}, CV_16UC1, 43);
  image.meta.pixel_mm_x = 0.25;  // 40 px/cm
  image.meta.pixel_mm_y = 0.25;
  const std::string path = dir.file("res.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  const auto bytes = niikit::test::read_bytes(path);
  const std::string text(bytes.begin(), bytes.end());
  BOOST_TEST(text.find(R"({"channel":"single","kind":"raw","niikit":1,"pixel_mm_x":0.25,"pixel_mm_y":0.25})") !=
             std::string::npos);
}
