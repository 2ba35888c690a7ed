// TIFF reader on libtiff. Each page's header (size, samples per pixel, bits per sample, sample
// format, compression) and its strip/tile byte counts are checked against the file size before
// any pixel memory is allocated, so a lying header costs nothing.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "testkits/image/image_internal.hpp"
#include "testkits/image/tiff_handle.hpp"

namespace niikit::testkits::detail {
namespace {

struct PageHeader {
  uint32_t width = 0;
  uint32_t height = 0;
  uint16_t samples = 1;
  uint16_t bits = 1;
  uint16_t format = SAMPLEFORMAT_UINT;
  uint16_t photometric = PHOTOMETRIC_MINISBLACK;
  uint16_t compression = COMPRESSION_NONE;
  uint16_t planar = PLANARCONFIG_CONTIG;
  bool tiled = false;
  int cv_type = -1;
  std::size_t bytes_per_sample = 0;
  std::size_t bytes_per_pixel = 0;  // all samples of one pixel (RGB/RGBA: 3 or 4 samples)
};

// `path: page N: what` for multi-page files, `path: what` for the first page.
tl::unexpected<Error> page_error(const std::string& path, int page, std::string_view what) {
  if (page == 0) return path_error(ErrorCode::input, path, what);
  return path_error(ErrorCode::input, path, fmt::format("page {}: {}", page, what));
}

std::string photometric_problem(uint16_t photometric) {
  switch (photometric) {
    case PHOTOMETRIC_RGB: return "RGB colour image, expected single-channel grayscale";
    case PHOTOMETRIC_PALETTE: return "palette (colour-mapped) image, expected single-channel grayscale";
    case PHOTOMETRIC_SEPARATED: return "CMYK image, expected single-channel grayscale";
    case PHOTOMETRIC_YCBCR: return "YCbCr colour image, expected single-channel grayscale";
    default: return fmt::format("photometric interpretation {} not supported (grayscale only)", photometric);
  }
}

Result<PageHeader> read_header(const std::string& path, TIFF* tif, int page) {
  PageHeader h;
  if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &h.width) != 1 || TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h.height) != 1)
    return page_error(path, page, "TIFF header lacks the image width or height");
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &h.samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &h.bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &h.format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &h.compression);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &h.planar);
  if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &h.photometric) != 1) h.photometric = PHOTOMETRIC_MINISBLACK;
  h.tiled = TIFFIsTiled(tif) != 0;
  return h;
}

// One grey sample per pixel, or RGB/RGBA stored pixel-interleaved (the colour planes are
// checked for equality after reading, in grey_from_colour).
Status check_channels(const std::string& path, const PageHeader& h, int page) {
  if (h.photometric == PHOTOMETRIC_RGB) {
    if (h.samples != 3 && h.samples != 4)
      return page_error(path, page, fmt::format("RGB image with {} samples per pixel, expected 3 (RGB) or 4 (RGBA)", h.samples));
    if (h.planar != PLANARCONFIG_CONTIG)
      return page_error(path, page, "RGB image stored as separate colour planes (PlanarConfiguration 2) is not supported");
    return {};
  }
  if (h.samples != 1)
    return page_error(path, page, fmt::format("{} samples per pixel ({}), expected grayscale or RGB", h.samples,
                                              h.samples == 2 ? "grey with alpha" : "colour or extra channels"));
  if (h.photometric != PHOTOMETRIC_MINISBLACK && h.photometric != PHOTOMETRIC_MINISWHITE)
    return page_error(path, page, photometric_problem(h.photometric));
  return {};
}

Status check_header(const std::string& path, PageHeader& h, int page) {
  if (auto dims = check_dimensions(path, h.width, h.height); !dims) {
    if (page == 0) return dims;
    return page_error(path, page, fmt::format("invalid image size {}x{} px", h.width, h.height));
  }
  if (auto ok = check_channels(path, h, page); !ok) return ok;
  const int channels = h.samples;
  if (h.format == SAMPLEFORMAT_UINT && h.bits == 8) h.cv_type = CV_8UC(channels);
  if (h.format == SAMPLEFORMAT_UINT && h.bits == 16) h.cv_type = CV_16UC(channels);
  if (h.format == SAMPLEFORMAT_IEEEFP && h.bits == 32 && channels == 1) h.cv_type = CV_32FC1;
  if (h.cv_type < 0) {
    const char* kind = h.format == SAMPLEFORMAT_IEEEFP ? "float"
                       : h.format == SAMPLEFORMAT_INT  ? "signed integer"
                       : h.format == SAMPLEFORMAT_UINT ? "unsigned integer"
                                                       : "other-format";
    return page_error(path, page, fmt::format("unsupported pixel format: {}-bit {} samples (expected 8/16-bit unsigned "
                                              "or 32-bit float)", h.bits, kind));
  }
  h.bytes_per_sample = h.bits / 8u;
  h.bytes_per_pixel = h.bytes_per_sample * h.samples;
  return {};
}

// Largest plausible decoded/encoded size ratio per codec (deflate's theoretical maximum is
// about 1032:1, packbits 64:1, LZW with 12-bit codes a few thousand). A header claiming more
// pixels than its compressed bytes can hold is lying or truncated.
std::optional<double> max_expansion(uint16_t compression) {
  switch (compression) {
    case COMPRESSION_NONE: return 1.0;
    case COMPRESSION_PACKBITS: return 64.0;
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE: return 1100.0;
    case COMPRESSION_LZW: return 4096.0;
    case COMPRESSION_LZMA:
    case COMPRESSION_ZSTD: return 32768.0;
    default: return std::nullopt;
  }
}

struct StrileLayout {
  uint32_t count = 0;        // strips or tiles
  uint64_t full_bytes = 0;   // decoded bytes of one full strip or tile
};

Result<StrileLayout> strile_layout(const std::string& path, TIFF* tif, const PageHeader& h, int page) {
  if (h.tiled) {
    uint32_t tw = 0;
    uint32_t th = 0;
    if (TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw) != 1 || TIFFGetField(tif, TIFFTAG_TILELENGTH, &th) != 1 || tw == 0 ||
        th == 0 || tw > 65536 || th > 65536)
      return page_error(path, page, "invalid TIFF tile size");
    return StrileLayout{TIFFNumberOfTiles(tif), uint64_t{tw} * th * h.bytes_per_pixel};
  }
  uint32_t rows = 0;
  TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rows);
  rows = std::clamp<uint32_t>(rows, 1, h.height);
  return StrileLayout{TIFFNumberOfStrips(tif), uint64_t{h.width} * rows * h.bytes_per_pixel};
}

// Every strip/tile must lie inside the file; uncompressed ones must hold their full size,
// compressed ones together must be able to expand to the image.
Status check_striles(const std::string& path, TIFF* tif, const PageHeader& h, std::uintmax_t file_size, int page) {
  const auto ratio = max_expansion(h.compression);
  if (!ratio) return page_error(path, page, fmt::format("unsupported TIFF compression scheme {}", h.compression));
  const auto layout = strile_layout(path, tif, h, page);
  if (!layout) return tl::unexpected(layout.error());
  const uint32_t count = layout->count;
  if (count == 0) return page_error(path, page, "TIFF has no image data (0 strips)");
  const uint64_t image_bytes = uint64_t{h.width} * h.height * h.bytes_per_pixel;
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    int err = 0;
    const uint64_t offset = TIFFGetStrileOffsetWithErr(tif, i, &err);
    const uint64_t bytes = err == 0 ? TIFFGetStrileByteCountWithErr(tif, i, &err) : 0;
    if (err != 0 || bytes == 0) return page_error(path, page, fmt::format("strip/tile {} of {} missing or empty", i, count));
    if (offset > file_size || bytes > file_size - offset)
      return page_error(path, page, fmt::format("truncated: strip/tile {} ends at byte {} but the file has {} bytes", i,
                                                offset + bytes, file_size));
    const bool last_strip = !h.tiled && i + 1 == count;
    if (h.compression == COMPRESSION_NONE && !last_strip && bytes < layout->full_bytes)
      return page_error(path, page, fmt::format("strip/tile {} holds {} bytes, the header needs {}", i, bytes, layout->full_bytes));
    total += bytes;
  }
  if (static_cast<double>(total) * *ratio < static_cast<double>(image_bytes))
    return page_error(path, page, fmt::format("{} bytes of image data cannot hold {}x{} px of {} (lying header or truncated "
                                              "file)", total, h.width, h.height, depth_name(CV_MAT_DEPTH(h.cv_type))));
  return {};
}

Result<cv::Mat> allocate(const std::string& path, const PageHeader& h, int page) {
  try {
    return cv::Mat(static_cast<int>(h.height), static_cast<int>(h.width), h.cv_type);
  } catch (const std::exception&) {
    return page_error(path, page, fmt::format("not enough memory for {}x{} px", h.width, h.height));
  }
}

Status read_strips(const std::string& path, TiffSession& s, const PageHeader& h, int page, cv::Mat& m) {
  uint32_t rows = 0;
  TIFFGetFieldDefaulted(s.get(), TIFFTAG_ROWSPERSTRIP, &rows);
  rows = std::clamp<uint32_t>(rows, 1, h.height);
  const uint64_t row_bytes = uint64_t{h.width} * h.bytes_per_pixel;
  if (static_cast<uint64_t>(TIFFScanlineSize64(s.get())) != row_bytes)
    return page_error(path, page, "TIFF scanline size does not match the image width");
  const uint32_t strips = TIFFNumberOfStrips(s.get());
  for (uint32_t i = 0; i < strips; ++i) {
    const uint32_t first_row = i * rows;
    const uint32_t n_rows = std::min(rows, h.height - first_row);
    const auto want = static_cast<tmsize_t>(row_bytes * n_rows);
    const tmsize_t got = TIFFReadEncodedStrip(s.get(), i, m.ptr(static_cast<int>(first_row)), want);
    if (got != want)
      return page_error(path, page, fmt::format("corrupt or truncated strip {}: {}", i, s.error_or("short read")));
  }
  return {};
}

Status read_tiles(const std::string& path, TiffSession& s, const PageHeader& h, int page, cv::Mat& m) {
  uint32_t tw = 0;
  uint32_t th = 0;
  TIFFGetField(s.get(), TIFFTAG_TILEWIDTH, &tw);
  TIFFGetField(s.get(), TIFFTAG_TILELENGTH, &th);
  const tmsize_t tile_bytes = TIFFTileSize(s.get());
  if (tile_bytes <= 0 || static_cast<uint64_t>(tile_bytes) != uint64_t{tw} * th * h.bytes_per_pixel)
    return page_error(path, page, "TIFF tile size does not match the tile dimensions");
  std::vector<unsigned char> tile;
  try {
    tile.resize(static_cast<std::size_t>(tile_bytes));
  } catch (const std::exception&) {
    return page_error(path, page, "not enough memory for one TIFF tile");
  }
  for (uint32_t y = 0; y < h.height; y += th) {
    for (uint32_t x = 0; x < h.width; x += tw) {
      const uint32_t index = TIFFComputeTile(s.get(), x, y, 0, 0);
      if (TIFFReadEncodedTile(s.get(), index, tile.data(), tile_bytes) != tile_bytes)
        return page_error(path, page, fmt::format("corrupt or truncated tile {}: {}", index, s.error_or("short read")));
      const uint32_t n_cols = std::min(tw, h.width - x);
      const uint32_t n_rows = std::min(th, h.height - y);
      for (uint32_t r = 0; r < n_rows; ++r)
        std::copy_n(tile.data() + std::size_t{r} * tw * h.bytes_per_pixel, std::size_t{n_cols} * h.bytes_per_pixel,
                    m.ptr(static_cast<int>(y + r)) + std::size_t{x} * h.bytes_per_pixel);
    }
  }
  return {};
}

// Pitch from XResolution/YResolution: pixels per centimetre or per inch; RESUNIT_NONE or a
// missing tag means unknown (0).
double pitch_from_resolution(TIFF* tif, ttag_t tag, uint16_t unit) {
  float per_unit = 0.0F;
  if (TIFFGetField(tif, tag, &per_unit) != 1 || !std::isfinite(per_unit) || per_unit <= 0.0F) return 0.0;
  if (unit == RESUNIT_CENTIMETER) return 10.0 / static_cast<double>(per_unit);
  if (unit == RESUNIT_INCH) return 25.4 / static_cast<double>(per_unit);
  return 0.0;
}

Result<ImageMeta> read_meta(const std::string& path, TIFF* tif) {
  ImageMeta meta;
  uint16_t unit = RESUNIT_INCH;
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  meta.pixel_mm_x = pitch_from_resolution(tif, TIFFTAG_XRESOLUTION, unit);
  meta.pixel_mm_y = pitch_from_resolution(tif, TIFFTAG_YRESOLUTION, unit);
  char* description = nullptr;
  if (TIFFGetField(tif, TIFFTAG_IMAGEDESCRIPTION, &description) != 1 || description == nullptr) return meta;
  auto parsed = meta_from_json(path, description);
  if (!parsed) return tl::unexpected(parsed.error());
  if (!*parsed) return meta;
  ImageMeta stored = (*parsed)->meta;
  if (!(*parsed)->has_pitch) {  // keep the resolution-tag pitch
    stored.pixel_mm_x = meta.pixel_mm_x;
    stored.pixel_mm_y = meta.pixel_mm_y;
  }
  return stored;
}

Result<Image> read_page(const std::string& path, TiffSession& s, std::uintmax_t file_size, int page) {
  if (!s.first_error().empty()) return page_error(path, page, s.first_error());  // libtiff recovered, we do not
  auto header = read_header(path, s.get(), page);
  if (!header) return tl::unexpected(header.error());
  if (auto ok = check_header(path, *header, page); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_striles(path, s.get(), *header, file_size, page); !ok) return tl::unexpected(ok.error());
  auto meta = read_meta(path, s.get());
  if (!meta) return tl::unexpected(meta.error());
  auto pixels = allocate(path, *header, page);
  if (!pixels) return tl::unexpected(pixels.error());
  const Status read =
      header->tiled ? read_tiles(path, s, *header, page, *pixels) : read_strips(path, s, *header, page, *pixels);
  if (!read) return tl::unexpected(read.error());
  auto grey = grey_from_colour(page == 0 ? path : fmt::format("{} page {}", path, page), *pixels);
  if (!grey) return tl::unexpected(grey.error());
  Image image{grey->pixels, *meta, path, {}};
  if (!grey->note.empty()) image.notes.push_back(grey->note);
  return image;
}

}  // namespace

Result<std::vector<Image>> read_tiff_pages(const std::string& path, std::uintmax_t file_size, int max_pages) {
  TiffSession s;
  TIFFOpenOptions* opts = s.options(tiff_max_single_alloc_bytes, path);
  if (opts == nullptr) return path_error(ErrorCode::internal, path, "libtiff: cannot allocate open options");
  s.adopt(TIFFOpenExt(path.c_str(), "rm", opts));  // "m": plain reads, no memory map of a file that may shrink
  if (s.get() == nullptr) return path_error(ErrorCode::input, path, "unreadable TIFF (corrupt or truncated): " + s.error_or("unknown error"));
  std::vector<Image> pages;
  for (int page = 0; page < max_pages; ++page) {
    auto image = read_page(path, s, file_size, page);
    if (!image) return tl::unexpected(image.error());
    pages.push_back(std::move(*image));
    if (page + 1 == max_pages) break;
    s.clear_error();
    if (TIFFReadDirectory(s.get()) != 1) {
      if (!s.first_error().empty())
        return page_error(path, page + 1, "unreadable TIFF directory: " + s.first_error());
      break;
    }
  }
  return pages;
}

}  // namespace niikit::testkits::detail
