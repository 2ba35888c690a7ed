// Helpers for the image I/O tests: a temporary folder, seeded random images, bit-exact
// comparison and hand-built TIFF/PNG bytes for the broken-input corpus.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

namespace niikit::test {

// A fresh folder under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "niikit-image-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Names of everything in the folder, sorted.
  [[nodiscard]] std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path path_;
};

// Random pixels of `type` (CV_8UC1, CV_16UC1, CV_32FC1) from a fixed seed, with the extremes of
// the range (0 and 255/65535, or ±large floats) at the first and last pixel.
inline cv::Mat random_image(int rows, int cols, int type, unsigned seed) {
  std::mt19937 rng(seed);
  cv::Mat m(rows, cols, type);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (type == CV_8UC1) m.at<uint8_t>(r, c) = static_cast<uint8_t>(rng() & 0xffU);
      if (type == CV_16UC1) m.at<uint16_t>(r, c) = static_cast<uint16_t>(rng() & 0xffffU);
      if (type == CV_32FC1)
        m.at<float>(r, c) = std::uniform_real_distribution<float>(-1e6F, 1e6F)(rng);
    }
  }
  const double low = type == CV_32FC1 ? -3.4e38 : 0.0;
  const double high = type == CV_8UC1 ? 255.0 : type == CV_16UC1 ? 65535.0 : 3.4e38;
  cv::Mat flat = m.reshape(1, 1);
  if (m.total() >= 1) flat.col(0).setTo(high);
  if (m.total() >= 2) flat.col(static_cast<int>(m.total()) - 1).setTo(low);
  return m;
}

// Same size, same type and identical bytes (also for floats: bit-exact, not approximately).
inline bool bit_exact(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  const std::size_t row_bytes = a.cols * a.elemSize();
  for (int r = 0; r < a.rows; ++r)
    if (std::memcmp(a.ptr(r), b.ptr(r), row_bytes) != 0) return false;
  return true;
}

inline std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// ---- hand-built little-endian TIFF: one uncompressed strip, only the tags given here.
struct TinyTiff {
  uint32_t width = 4;
  uint32_t height = 3;
  uint16_t samples = 1;
  uint16_t bits = 8;
  uint16_t photometric = 1;           // 1 = min-is-black, 2 = RGB
  uint16_t compression = 1;           // 1 = none, 8 = deflate (the data is not valid deflate)
  uint32_t data_bytes = 12;           // bytes of pixel data actually stored
  int64_t claimed_strip_bytes = -1;   // StripByteCounts value; -1 = data_bytes
};

inline void put16(std::vector<unsigned char>& b, uint16_t v) {
  b.push_back(static_cast<unsigned char>(v & 0xffU));
  b.push_back(static_cast<unsigned char>(v >> 8));
}
inline void put32(std::vector<unsigned char>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<unsigned char>((v >> (8 * i)) & 0xffU));
}

inline std::vector<unsigned char> tiny_tiff(const TinyTiff& t) {
  constexpr uint16_t kShort = 3;
  constexpr uint16_t kLong = 4;
  constexpr uint32_t entries = 9;
  const uint32_t ifd_bytes = 2 + entries * 12 + 4;
  const uint32_t bits_offset = 8 + ifd_bytes;              // BitsPerSample array when samples > 2
  const uint32_t data_offset = bits_offset + 2U * t.samples;
  std::vector<unsigned char> b{'I', 'I', 42, 0};
  put32(b, 8);
  put16(b, static_cast<uint16_t>(entries));
  const auto entry = [&b](uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
    put16(b, tag);
    put16(b, type);
    put32(b, count);
    if (type == 3 && count == 1) {
      put16(b, static_cast<uint16_t>(value));
      put16(b, 0);
    } else {
      put32(b, value);
    }
  };
  entry(256, kLong, 1, t.width);
  entry(257, kLong, 1, t.height);
  if (t.samples == 1)
    entry(258, kShort, 1, t.bits);
  else
    entry(258, kShort, t.samples, bits_offset);
  entry(259, kShort, 1, t.compression);
  entry(262, kShort, 1, t.photometric);
  entry(273, kLong, 1, data_offset);
  entry(277, kShort, 1, t.samples);
  entry(278, kLong, 1, t.height == 0 ? 1 : t.height);
  entry(279, kLong, 1, static_cast<uint32_t>(t.claimed_strip_bytes < 0 ? t.data_bytes : t.claimed_strip_bytes));
  put32(b, 0);  // no next IFD
  for (uint16_t s = 0; s < t.samples; ++s) put16(b, t.bits);
  for (uint32_t i = 0; i < t.data_bytes; ++i) b.push_back(static_cast<unsigned char>(i * 7U));
  return b;
}

// ---- PNG chunk surgery (CRC-32 per the PNG specification, annex D).
inline uint32_t png_crc(const unsigned char* data, std::size_t size) {
  uint32_t c = 0xffffffffU;
  for (std::size_t i = 0; i < size; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xedb88320U ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffU;
}

inline uint32_t get_be32(const std::vector<unsigned char>& b, std::size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | uint32_t{b[at + 3]};
}
inline void set_be32(std::vector<unsigned char>& b, std::size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<unsigned char>((v >> (24 - 8 * i)) & 0xffU);
}

// Offset of the first chunk of `type` (its length field), or 0 when there is none.
inline std::size_t find_chunk(const std::vector<unsigned char>& png, const char* type) {
  std::size_t pos = 8;
  while (pos + 12 <= png.size()) {
    if (std::memcmp(&png[pos + 4], type, 4) == 0) return pos;
    pos += 12 + get_be32(png, pos);
  }
  return 0;
}

// Rewrites the CRC of the chunk at `pos` after its data was edited.
inline void fix_crc(std::vector<unsigned char>& png, std::size_t pos) {
  const uint32_t len = get_be32(png, pos);
  set_be32(png, pos + 8 + len, png_crc(&png[pos + 4], len + 4));
}

// Removes the chunk at `pos`.
inline void drop_chunk(std::vector<unsigned char>& png, std::size_t pos) {
  const uint32_t len = get_be32(png, pos);
  png.erase(png.begin() + static_cast<std::ptrdiff_t>(pos), png.begin() + static_cast<std::ptrdiff_t>(pos + 12 + len));
}

}  // namespace niikit::test
