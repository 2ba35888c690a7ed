// PNG reader and writer. The chunk structure (lengths, CRCs, IHDR, IEND) is walked here before
// anything is decoded, so truncated files and lying headers are refused without allocating.
// Pixels are decoded with libpng directly (not through OpenCV, whose libpng setup prints errors
// to stderr) with no transformations apart from byte order, so values stay as stored. Writing
// goes through libpng too (png_encode.hpp); the pixel pitch goes in pHYs (pixels per metre) and
// the metadata JSON in an iTXt "Description" chunk, both inserted after IHDR.
#include <png.h>

#include <array>
#include <bit>
#include <csetjmp>
#include <cstring>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "testkits/image/image_internal.hpp"
#include "testkits/image/png_encode.hpp"

namespace niikit::testkits::detail {
namespace {

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xedb88320U ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> crc_table = make_crc_table();

// CRC-32 as in the PNG specification, annex D.
uint32_t png_crc(const unsigned char* data, std::size_t size) {
  uint32_t c = 0xffffffffU;
  for (std::size_t i = 0; i < size; ++i) c = crc_table[(c ^ data[i]) & 0xffU] ^ (c >> 8);
  return c ^ 0xffffffffU;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

void put_be32(std::vector<unsigned char>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(v >> shift));
}

std::string chunk_name(const unsigned char* p) {
  std::string name;
  for (int i = 0; i < 4; ++i) name.push_back(std::isalpha(p[i]) != 0 ? static_cast<char>(p[i]) : '?');
  return name;
}

struct PngInfo {
  uint32_t width = 0;
  uint32_t height = 0;
  int bit_depth = 0;
  int colour_type = 0;
  int interlace = 0;
  uint64_t idat_bytes = 0;
  uint32_t ppm_x = 0;  // pHYs pixels per metre; 0 when absent or not in metres
  uint32_t ppm_y = 0;
  std::string description;  // tEXt/iTXt "Description", empty when absent
};

void read_ihdr(const unsigned char* d, PngInfo& info) {
  info.width = be32(d);
  info.height = be32(d + 4);
  info.bit_depth = d[8];
  info.colour_type = d[9];
  info.interlace = d[12];
}

// tEXt: keyword\0text; iTXt: keyword\0 flag method language\0 translated\0 text (uncompressed only).
void read_text(const std::string& type, const unsigned char* d, uint32_t len, PngInfo& info) {
  const std::string body(reinterpret_cast<const char*>(d), len);
  static const std::string key = std::string("Description") + '\0';
  if (body.compare(0, key.size(), key) != 0) return;
  if (type == "tEXt") {
    info.description = body.substr(key.size());
    return;
  }
  std::size_t p = key.size();
  if (body.size() < p + 2 || body[p] != 0) return;  // compressed iTXt is not ours
  const std::size_t lang_end = body.find('\0', p + 2);
  const std::size_t trans_end = lang_end == std::string::npos ? lang_end : body.find('\0', lang_end + 1);
  if (trans_end != std::string::npos) info.description = body.substr(trans_end + 1);
}

void read_chunk(const std::string& type, const unsigned char* d, uint32_t len, PngInfo& info) {
  if (type == "IDAT") info.idat_bytes += len;
  if (type == "pHYs" && len == 9 && d[8] == 1) {
    info.ppm_x = be32(d);
    info.ppm_y = be32(d + 4);
  }
  if (type == "tEXt" || type == "iTXt") read_text(type, d, len, info);
}

Result<PngInfo> walk_chunks(const std::string& path, const std::vector<unsigned char>& bytes) {
  PngInfo info;
  const std::size_t size = bytes.size();
  std::size_t pos = 8;
  bool first = true;
  while (true) {
    if (size - pos < 12)
      return path_error(ErrorCode::input, path, fmt::format("truncated PNG: no IEND chunk, file ends at byte {}", size));
    const uint32_t len = be32(&bytes[pos]);
    const std::string type = chunk_name(&bytes[pos + 4]);
    if (len > 0x7fffffffU || len > size - pos - 12)
      return path_error(ErrorCode::input, path,
                        fmt::format("truncated PNG: chunk {} at byte {} claims {} bytes, the file ends first", type, pos, len));
    const unsigned char* data = &bytes[pos + 8];
    if (png_crc(&bytes[pos + 4], len + 4U) != be32(data + len))
      return path_error(ErrorCode::input, path, fmt::format("corrupt PNG: CRC mismatch in chunk {} at byte {}", type, pos));
    if (first && (type != "IHDR" || len != 13))
      return path_error(ErrorCode::input, path, "corrupt PNG: the first chunk is not a valid IHDR");
    if (first) read_ihdr(data, info);
    first = false;
    if (type == "IEND") break;
    read_chunk(type, data, len, info);
    pos += 12U + len;
  }
  return info;
}

int png_channels(int colour_type) { return colour_type == 2 ? 3 : colour_type == 6 ? 4 : 1; }

Status check_png_info(const std::string& path, const PngInfo& info) {
  if (auto dims = check_dimensions(path, info.width, info.height); !dims) return dims;
  switch (info.colour_type) {
    case 0: break;
    case 2: break;  // RGB and RGBA: read, then accepted only when the colour channels are equal
    case 6: break;
    case 3: return path_error(ErrorCode::input, path, "palette (colour-mapped) PNG, expected single-channel grayscale");
    case 4: return path_error(ErrorCode::input, path, "grayscale PNG with alpha, expected single-channel grayscale");
    default: return path_error(ErrorCode::input, path, fmt::format("invalid PNG colour type {}", info.colour_type));
  }
  if (info.bit_depth != 8 && info.bit_depth != 16)
    return path_error(ErrorCode::input, path, fmt::format("unsupported PNG bit depth {} (expected 8 or 16)", info.bit_depth));
  if (info.interlace > 1) return path_error(ErrorCode::input, path, "invalid PNG interlace method");
  if (info.idat_bytes == 0) return path_error(ErrorCode::input, path, "PNG holds no image data (no IDAT chunk)");
  // Deflate expands at most ~1032:1; fewer compressed bytes than that cannot hold the image.
  const double filtered = static_cast<double>(info.height) *
                          (1.0 + static_cast<double>(info.width) * png_channels(info.colour_type) * info.bit_depth / 8.0);
  if (static_cast<double>(info.idat_bytes) * 1100.0 < filtered)
    return path_error(ErrorCode::input, path,
                      fmt::format("{} bytes of PNG image data cannot hold {}x{} px (lying header or truncated file)",
                                  info.idat_bytes, info.width, info.height));
  return {};
}

Result<ImageMeta> png_meta(const std::string& path, const PngInfo& info) {
  ImageMeta meta;
  if (info.ppm_x > 0 && info.ppm_y > 0) {
    meta.pixel_mm_x = 1000.0 / info.ppm_x;
    meta.pixel_mm_y = 1000.0 / info.ppm_y;
  }
  if (info.description.empty()) return meta;
  auto parsed = meta_from_json(path, info.description);
  if (!parsed) return tl::unexpected(parsed.error());
  if (!*parsed) return meta;
  ImageMeta stored = (*parsed)->meta;
  if (!(*parsed)->has_pitch) {
    stored.pixel_mm_x = meta.pixel_mm_x;
    stored.pixel_mm_y = meta.pixel_mm_y;
  }
  return stored;
}

void append_chunk(std::vector<unsigned char>& out, const char* type, const std::string& data) {
  put_be32(out, static_cast<uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  put_be32(out, png_crc(&out[start], data.size() + 4));
}

std::string phys_chunk(const ImageMeta& meta) {
  const auto ppm = [](double mm) { return mm > 0.0 && std::isfinite(mm) ? std::round(1000.0 / mm) : 0.0; };
  double x = ppm(meta.pixel_mm_x);
  double y = ppm(meta.pixel_mm_y);
  if (x == 0.0) x = y;
  if (y == 0.0) y = x;
  if (x < 1.0 || y < 1.0 || x > 2147483647.0 || y > 2147483647.0) return {};
  std::vector<unsigned char> d;
  put_be32(d, static_cast<uint32_t>(x));
  put_be32(d, static_cast<uint32_t>(y));
  d.push_back(1);  // unit: metre
  return {d.begin(), d.end()};
}

// libpng reads from memory and reports errors into this state; error_fn longjmps back to
// read_png_rows, so nothing with a destructor may live between the two (plain C state only).
struct PngSource {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  std::size_t pos = 0;
  std::array<char, 200> message{};
};

void png_source_read(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (n > src->size - src->pos) png_error(png, "unexpected end of data");
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}

void png_on_error(png_structp png, png_const_charp text) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(src->message.data(), src->message.size(), "%s", text != nullptr ? text : "libpng error");
  png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp) {}

// Decodes into `rows` (one pointer per image row, sized for the checked IHDR). False on error,
// with the reason in src.message.
bool read_png_rows(PngSource& src, png_bytepp rows, png_size_t row_bytes) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
  png_infop info = png != nullptr ? png_create_info_struct(png) : nullptr;
  if (png == nullptr || info == nullptr) {
    png_destroy_read_struct(&png, &info, nullptr);
    std::snprintf(src.message.data(), src.message.size(), "libpng: out of memory");
    return false;
  }
  if (setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &src, png_source_read);
  png_read_info(png, info);
  if (png_get_bit_depth(png, info) == 16 && std::endian::native == std::endian::little) png_set_swap(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "row size differs from the header");
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

Result<Image> decode_png(const std::string& path, const std::vector<unsigned char>& bytes) {
  auto info = walk_chunks(path, bytes);
  if (!info) return tl::unexpected(info.error());
  if (auto ok = check_png_info(path, *info); !ok) return tl::unexpected(ok.error());
  auto meta = png_meta(path, *info);
  if (!meta) return tl::unexpected(meta.error());
  cv::Mat pixels;
  std::vector<png_bytep> rows;
  try {
    const int channels = png_channels(info->colour_type);
    pixels.create(static_cast<int>(info->height), static_cast<int>(info->width),
                  info->bit_depth == 16 ? CV_16UC(channels) : CV_8UC(channels));
    rows.resize(info->height);
  } catch (const std::exception&) {
    return path_error(ErrorCode::io, path, fmt::format("not enough memory for {}x{} px", info->width, info->height));
  }
  for (int r = 0; r < pixels.rows; ++r) rows[static_cast<std::size_t>(r)] = pixels.ptr(r);
  PngSource src;
  src.data = bytes.data();
  src.size = bytes.size();
  if (!read_png_rows(src, rows.data(), pixels.cols * pixels.elemSize()))
    return path_error(ErrorCode::input, path, std::string("corrupt PNG image data: ") + src.message.data());
  auto grey = grey_from_colour(path, pixels);
  if (!grey) return tl::unexpected(grey.error());
  Image image{grey->pixels, *meta, path, {}};
  if (!grey->note.empty()) image.notes.push_back(grey->note);
  return image;
}

Result<std::vector<unsigned char>> encode_png(const std::string& path, const Image& image) {
  auto encoded = encode_png_pixels(path, image.pixels, 3);
  if (!encoded) return tl::unexpected(encoded.error());
  const std::vector<unsigned char>& stream = *encoded;
  constexpr std::size_t ihdr_end = 8 + 12 + 13;
  if (stream.size() < ihdr_end || chunk_name(&stream[12]) != "IHDR")
    return path_error(ErrorCode::internal, path, "PNG encoder produced no IHDR");
  std::vector<unsigned char> out(stream.begin(), stream.begin() + ihdr_end);
  if (const std::string phys = phys_chunk(image.meta); !phys.empty()) append_chunk(out, "pHYs", phys);
  const std::string itxt = std::string("Description") + '\0' + '\0' + '\0' + '\0' + '\0' + meta_to_json(image.meta);
  append_chunk(out, "iTXt", itxt);
  out.insert(out.end(), stream.begin() + ihdr_end, stream.end());
  return out;
}

}  // namespace niikit::testkits::detail
