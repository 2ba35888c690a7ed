// Broken and hostile input, generated here: every case must give an Error with the right code
// and a one-line message that starts with the file path, print nothing to stderr, and never
// allocate for a lying header. Writers must fail cleanly and leave no temporary file behind.
#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <functional>

#include "image_test_support.hpp"
#include "testkits/image/image.hpp"
#include "testkits/image/png_encode.hpp"

namespace tk = niikit::testkits;
using niikit::ErrorCode;
using niikit::test::random_image;
using niikit::test::read_bytes;
using niikit::test::TempDir;
using niikit::test::write_bytes;

namespace {

// Redirects file descriptor 2 into a file for the lifetime of the object.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& path) : path_(path) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;
  ~StderrCapture() { restore(); }
  std::string restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
    const auto bytes = read_bytes(path_);
    return {bytes.begin(), bytes.end()};
  }

 private:
  std::string path_;
  int saved_ = -1;
};

struct BrokenCase {
  std::string name;
  std::string path;
  std::function<niikit::Status()> read;  // the call under test, result reduced to a Status
  ErrorCode code;
  std::string expect;  // a phrase the message must contain
};

template <class T>
niikit::Status as_status(const niikit::Result<T>& r) {
  if (r) return {};
  return tl::unexpected(r.error());
}

std::function<niikit::Status()> reader(const std::string& path) {
  return [path] { return as_status(tk::read_image(path)); };
}

void check_case(const BrokenCase& c) {
  BOOST_TEST_CONTEXT(c.name) {
    const niikit::Status result = c.read();
    BOOST_TEST(!result.has_value());
    if (result) return;
    const niikit::Error& e = result.error();
    BOOST_TEST_MESSAGE(c.name << " -> " << e.message);
    BOOST_TEST((e.code == c.code), "code " << static_cast<int>(e.code) << ": " << e.message);
    BOOST_TEST(e.message.rfind(c.path + ": ", 0) == 0U, e.message);
    BOOST_TEST(e.message.find('\n') == std::string::npos, e.message);
    BOOST_TEST(e.message.find(c.expect) != std::string::npos, e.message);
  }
}

std::vector<unsigned char> valid_tiff(const TempDir& dir, int type) {
  tk::Image image;
  image.pixels = random_image(64, 200, type, 99);
  const std::string path = dir.file("valid.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  return read_bytes(path);
}

std::vector<unsigned char> encode_png(const cv::Mat& m) {
  auto png = tk::encode_png_pixels("test.png", m);
  BOOST_TEST_REQUIRE(png.has_value());
  return *png;
}

void add_tiff_cases(const TempDir& dir, std::vector<BrokenCase>& cases) {
  using niikit::test::tiny_tiff;
  using niikit::test::TinyTiff;
  const auto add = [&](const std::string& name, const std::vector<unsigned char>& bytes, const std::string& expect) {
    const std::string path = dir.file(name);
    write_bytes(path, bytes);
    cases.push_back({name, path, reader(path), ErrorCode::input, expect});
  };
  add("huge.tif", tiny_tiff({.width = 100000, .height = 100000, .data_bytes = 16}), "exceeds the limit");
  add("zero.tif", tiny_tiff({.width = 0, .height = 0, .data_bytes = 16}), "");
  add("rgb.tif", tiny_tiff({.samples = 3, .photometric = 2, .data_bytes = 36}), "true colour RGB image");
  add("twelve-bit.tif", tiny_tiff({.bits = 12, .data_bytes = 18}), "unsupported pixel format: 12-bit");
  // 60000 x 30000 px (within the limits) claiming a 1.8 GB strip in a 200-byte file.
  add("lying-count.tif", tiny_tiff({.width = 60000, .height = 30000, .data_bytes = 64, .claimed_strip_bytes = 1800000000}),
      "truncated");
  // Same size, honest strip byte count that is far too small for the header.
  // Same size, honest strip byte count far too small for the header (libtiff re-estimates it).
  add("lying-size.tif", tiny_tiff({.width = 60000, .height = 30000, .data_bytes = 64}), "truncated");
  add("short-strip.tif", tiny_tiff({.width = 40, .height = 30, .data_bytes = 1100}), "truncated");
  // A deflate strip of 64 bytes cannot expand to 1.8 GB: refused before allocating.
  add("lying-deflate.tif", tiny_tiff({.width = 60000, .height = 30000, .compression = 8, .data_bytes = 64}), "cannot hold");
  const auto valid = valid_tiff(dir, CV_16UC1);
  for (const std::size_t cut : {std::size_t{3}, std::size_t{8}, std::size_t{20}, valid.size() / 3, valid.size() / 2,
                                valid.size() - 200, valid.size() - 13, valid.size() - 1}) {
    add("cut-" + std::to_string(cut) + ".tif", {valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(cut)}, "");
  }
  const auto plain = tiny_tiff({.width = 300, .height = 200, .data_bytes = 60000});
  for (const std::size_t cut : {std::size_t{150}, std::size_t{30000}, plain.size() - 1})
    add("plain-cut-" + std::to_string(cut) + ".tif", {plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(cut)}, "");
}

void add_png_cases(const TempDir& dir, std::vector<BrokenCase>& cases) {
  using niikit::test::find_chunk;
  using niikit::test::fix_crc;
  using niikit::test::set_be32;
  const auto add = [&](const std::string& name, const std::vector<unsigned char>& bytes, const std::string& expect) {
    const std::string path = dir.file(name);
    write_bytes(path, bytes);
    cases.push_back({name, path, reader(path), ErrorCode::input, expect});
  };
  add("rgb.png", encode_png(cv::Mat(5, 5, CV_8UC3, cv::Scalar(1, 2, 3))), "true colour RGB image");
  const auto valid = encode_png(random_image(300, 301, CV_16UC1, 2));
  const std::size_t idat = find_chunk(valid, "IDAT");
  BOOST_TEST_REQUIRE(idat > 0U);
  add("truncated-idat.png", {valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(idat + 500)}, "truncated PNG");
  add("no-iend.png", {valid.begin(), valid.end() - 12}, "no IEND");
  auto zero_width = valid;
  set_be32(zero_width, 16, 0);
  fix_crc(zero_width, 8);
  add("zero-width.png", zero_width, "invalid image size 0x300");
  auto lying = valid;
  set_be32(lying, 16, 60000);
  set_be32(lying, 20, 30000);
  fix_crc(lying, 8);
  add("lying.png", lying, "cannot hold");
  auto bad_crc = valid;
  bad_crc[idat + 20] ^= 0x55U;
  add("bad-crc.png", bad_crc, "CRC mismatch");
  auto bad_deflate = valid;  // garbage inside IDAT with a correct CRC: only the decoder can tell
  for (std::size_t i = idat + 8 + 2; i < idat + 8 + 40; ++i) bad_deflate[i] = 0xff;
  fix_crc(bad_deflate, idat);
  add("bad-deflate.png", bad_deflate, "corrupt PNG image data");
  auto four_bit = encode_png(cv::Mat(4, 4, CV_8UC1, cv::Scalar(3)));
  four_bit[24] = 4;  // IHDR bit depth
  fix_crc(four_bit, 8);
  add("four-bit.png", four_bit, "unsupported PNG bit depth 4");
  add("alpha.png", encode_png(cv::Mat(4, 4, CV_8UC4, cv::Scalar(1, 2, 3, 4))), "true colour RGBA image");
}

void add_other_cases(const TempDir& dir, std::vector<BrokenCase>& cases) {
  const std::string text = dir.file("notes.tif");
  write_bytes(text, {'h', 'e', 'l', 'l', 'o', '\n'});
  cases.push_back({"text named .tif", text, reader(text), ErrorCode::input, "not a TIFF or PNG image"});
  const std::string empty = dir.file("empty.png");
  write_bytes(empty, {});
  cases.push_back({"empty file", empty, reader(empty), ErrorCode::input, "empty file"});
  const std::string missing = dir.file("missing.tif");
  cases.push_back({"missing file", missing, reader(missing), ErrorCode::not_found, "file not found"});
  cases.push_back({"folder", dir.path().string(), reader(dir.path().string()), ErrorCode::input, "is a directory"});
  const std::string raw = dir.file("scan.raw");
  write_bytes(raw, std::vector<unsigned char>(2 * 10 * 10 + 1, 0));
  cases.push_back({"raw16 wrong size", raw, [raw] { return as_status(tk::read_raw16(raw, 10, 10)); }, ErrorCode::input,
                   "raw file holds 201 bytes, a 10x10 px 16-bit image needs 200"});
  cases.push_back({"raw16 zero size", raw, [raw] { return as_status(tk::read_raw16(raw, 0, 10)); }, ErrorCode::input,
                   "invalid image size"});
  cases.push_back({"raw16 huge size", raw, [raw] { return as_status(tk::read_raw16(raw, 100000, 100000)); },
                   ErrorCode::input, "exceeds the limit"});
  const std::string missing_raw = dir.file("missing.raw");
  cases.push_back({"raw16 missing", missing_raw, [missing_raw] { return as_status(tk::read_raw16(missing_raw, 2, 2)); },
                   ErrorCode::not_found, "file not found"});
  const std::string single = dir.file("single.tif");
  tk::Image one;
  one.pixels = random_image(3, 3, CV_16UC1, 5);
  BOOST_TEST_REQUIRE(tk::write_image(single, one).has_value());
  cases.push_back({"dual from one page", single, [single] { return as_status(tk::read_dual_energy(single)); },
                   ErrorCode::input, "exactly 2 pages"});
  cases.push_back({"dual low missing", missing,  // the error names the file that is missing
                   [single, missing] { return as_status(tk::read_dual_energy(single, missing)); }, ErrorCode::not_found,
                   "file not found"});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(broken_input)

BOOST_AUTO_TEST_CASE(every_broken_file_gives_a_one_line_error_naming_the_path) {
  TempDir dir;
  std::vector<BrokenCase> cases;
  add_tiff_cases(dir, cases);
  add_png_cases(dir, cases);
  add_other_cases(dir, cases);
  StderrCapture capture(dir.file("stderr.txt"));
  for (const BrokenCase& c : cases) check_case(c);
  const std::string printed = capture.restore();
  BOOST_TEST(printed.empty(), "libraries printed to stderr: " << printed);
  BOOST_TEST(cases.size() >= 30U);
}

BOOST_AUTO_TEST_CASE(every_prefix_of_a_small_tiff_or_png_is_refused) {
  TempDir dir;
  tk::Image image;
  image.pixels = random_image(9, 13, CV_16UC1, 13);
  image.meta.pixel_mm_x = 0.4;
  image.meta.view = "top";
  StderrCapture capture(dir.file("stderr.txt"));
  for (const char* name : {"small.tif", "small.png"}) {
    const std::string path = dir.file(name);
    BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
    const auto whole = read_bytes(path);
    const std::string cut_path = dir.file(std::string("cut-") + name);
    std::size_t accepted = 0;
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      write_bytes(cut_path, {whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)});
      const auto read = tk::read_image(cut_path);
      if (read) ++accepted;
      if (!read) BOOST_TEST(read.error().message.rfind(cut_path + ": ", 0) == 0U, read.error().message);
    }
    BOOST_TEST(accepted == 0U, name << ": " << accepted << " truncated prefixes were accepted");
  }
  const std::string printed = capture.restore();
  BOOST_TEST(printed.empty(), "libraries printed to stderr: " << printed);
}

BOOST_AUTO_TEST_CASE(random_byte_corruption_gives_an_image_or_an_error_never_a_crash) {
  TempDir dir;
  tk::Image image;
  image.pixels = random_image(24, 37, CV_16UC1, 14);
  image.meta.view = "side";
  std::mt19937 rng(2024);  // fixed seed: the same corpus on every run
  StderrCapture capture(dir.file("stderr.txt"));
  for (const char* name : {"fuzz.tif", "fuzz.png"}) {
    const std::string path = dir.file(name);
    BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
    const auto whole = read_bytes(path);
    int refused = 0;
    for (int round = 0; round < 300; ++round) {
      auto bytes = whole;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<unsigned char>(rng() & 0xffU);
      write_bytes(path, bytes);
      const auto read = tk::read_image_pages(path);
      if (!read) {
        ++refused;
        BOOST_TEST(read.error().message.rfind(path + ": ", 0) == 0U, read.error().message);
        BOOST_TEST(read.error().message.find('\n') == std::string::npos);
      }
    }
    BOOST_TEST_MESSAGE(name << ": " << refused << " of 300 corrupted files refused");
  }
  const std::string printed = capture.restore();
  BOOST_TEST(printed.empty(), "libraries printed to stderr: " << printed);
}

BOOST_AUTO_TEST_CASE(multi_page_file_with_a_bad_second_page_names_the_page) {
  TempDir dir;
  tk::Image a;
  a.pixels = random_image(20, 30, CV_16UC1, 6);
  const std::string path = dir.file("two.tif");
  BOOST_TEST_REQUIRE(tk::write_image_pages(path, {a, a}).has_value());
  auto bytes = read_bytes(path);
  // Our writer puts each directory after its strips: cut into the second page's strip data.
  const auto first_only = tk::read_image(path);
  BOOST_TEST_REQUIRE(first_only.has_value());
  const std::size_t cut = bytes.size() * 3 / 4;
  write_bytes(path, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
  const auto pages = tk::read_image_pages(path);
  BOOST_TEST_REQUIRE(!pages.has_value());
  BOOST_TEST(pages.error().message.rfind(path + ": page 1: ", 0) == 0U, pages.error().message);
}

BOOST_AUTO_TEST_CASE(write_into_a_missing_folder_fails_without_leaving_files) {
  TempDir dir;
  tk::Image image;
  image.pixels = random_image(3, 3, CV_16UC1, 7);
  for (const char* name : {"no/such/folder/out.tif", "no/such/folder/out.png"}) {
    const auto written = tk::write_image(dir.file(name), image);
    BOOST_TEST_REQUIRE(!written.has_value());
    BOOST_TEST((written.error().code == ErrorCode::io));
    BOOST_TEST(written.error().message.rfind(dir.file(name) + ": ", 0) == 0U);
  }
  const auto raw = tk::write_raw16(dir.file("nope/out.raw"), image);
  BOOST_TEST(!raw.has_value());
  BOOST_TEST(dir.listing().empty());
}

BOOST_AUTO_TEST_CASE(failed_rename_removes_the_temporary_file) {
  TempDir dir;
  const std::string target = dir.file("taken.tif");
  std::filesystem::create_directories(std::filesystem::path(target) / "inside");  // rename over a full folder fails
  tk::Image image;
  image.pixels = random_image(3, 3, CV_16UC1, 8);
  const auto written = tk::write_image(target, image);
  BOOST_TEST_REQUIRE(!written.has_value());
  BOOST_TEST((written.error().code == ErrorCode::io));
  BOOST_TEST(dir.listing() == std::vector<std::string>{"taken.tif"});
}

BOOST_AUTO_TEST_CASE(failed_write_leaves_the_existing_file_untouched) {
  TempDir dir;
  const std::string path = dir.file("keep.png");
  tk::Image good;
  good.pixels = random_image(4, 5, CV_8UC1, 9);
  BOOST_TEST_REQUIRE(tk::write_image(path, good).has_value());
  const auto before = read_bytes(path);
  tk::Image bad;
  bad.pixels = random_image(4, 5, CV_32FC1, 10);  // float cannot go to PNG
  const auto refused = tk::write_image(path, bad);
  BOOST_TEST_REQUIRE(!refused.has_value());
  BOOST_TEST((refused.error().code == ErrorCode::input));
  tk::Image empty;
  BOOST_TEST(!tk::write_image(path, empty).has_value());
  tk::Image rgb;
  rgb.pixels = cv::Mat(2, 2, CV_8UC3, cv::Scalar(1, 2, 3));
  BOOST_TEST(!tk::write_image(path, rgb).has_value());
  BOOST_TEST(!tk::write_raw16(dir.file("keep.raw"), good).has_value());  // 8-bit cannot go to raw16
  BOOST_TEST(read_bytes(path) == before);
  BOOST_TEST(dir.listing() == std::vector<std::string>{"keep.png"});
}

BOOST_AUTO_TEST_CASE(writer_refuses_unknown_extensions_and_mixed_pages) {
  TempDir dir;
  tk::Image a;
  a.pixels = random_image(3, 3, CV_16UC1, 11);
  tk::Image b;
  b.pixels = random_image(3, 4, CV_16UC1, 12);
  const auto bmp = tk::write_image(dir.file("x.bmp"), a);
  BOOST_TEST_REQUIRE(!bmp.has_value());
  BOOST_TEST((bmp.error().code == ErrorCode::usage));
  const auto mixed = tk::write_image_pages(dir.file("x.tif"), {a, b});
  BOOST_TEST_REQUIRE(!mixed.has_value());
  BOOST_TEST(mixed.error().message.find("all pages must share size and type") != std::string::npos);
  BOOST_TEST(!tk::write_image_pages(dir.file("x.png"), {a, a}).has_value());
  BOOST_TEST(!tk::write_image_pages(dir.file("y.tif"), {}).has_value());
  BOOST_TEST(dir.listing().empty());
}

BOOST_AUTO_TEST_SUITE_END()
