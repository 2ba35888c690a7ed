// TIFF writer on libtiff, encoding into memory so that the file itself is written atomically
// by write_file_atomic. Pages are deflate-compressed with a horizontal (integer) or
// floating-point predictor, in strips of about 1 MiB; lossless, so values read back bit-exact.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

#include "testkits/image/image_internal.hpp"
#include "testkits/image/tiff_handle.hpp"

namespace niikit::testkits::detail {
namespace {

// A growable in-memory file for TIFFClientOpen.
struct MemoryFile {
  std::vector<unsigned char> bytes;
  uint64_t pos = 0;
};

MemoryFile& mem(thandle_t h) { return *static_cast<MemoryFile*>(static_cast<void*>(h)); }

tmsize_t mem_read(thandle_t h, void* buf, tmsize_t size) {
  MemoryFile& f = mem(h);
  if (size <= 0 || f.pos >= f.bytes.size()) return 0;
  const auto n = std::min<uint64_t>(static_cast<uint64_t>(size), f.bytes.size() - f.pos);
  std::memcpy(buf, f.bytes.data() + f.pos, static_cast<std::size_t>(n));
  f.pos += n;
  return static_cast<tmsize_t>(n);
}

tmsize_t mem_write(thandle_t h, void* buf, tmsize_t size) {
  MemoryFile& f = mem(h);
  if (size <= 0) return 0;
  try {  // no exception may cross libtiff's C frames
    const uint64_t end = f.pos + static_cast<uint64_t>(size);
    if (end > f.bytes.size()) f.bytes.resize(static_cast<std::size_t>(end));
  } catch (const std::exception&) {
    return -1;
  }
  std::memcpy(f.bytes.data() + f.pos, buf, static_cast<std::size_t>(size));
  f.pos += static_cast<uint64_t>(size);
  return size;
}

toff_t mem_seek(thandle_t h, toff_t offset, int whence) {
  MemoryFile& f = mem(h);
  const uint64_t base = whence == SEEK_CUR ? f.pos : whence == SEEK_END ? f.bytes.size() : 0;
  f.pos = base + offset;
  return f.pos;
}

int mem_close(thandle_t) { return 0; }
toff_t mem_size(thandle_t h) { return mem(h).bytes.size(); }
int mem_map(thandle_t, void**, toff_t*) { return 0; }
void mem_unmap(thandle_t, void*, toff_t) {}

// Stored resolution in pixels per centimetre (TIFF's RATIONAL is rounded by libtiff; the exact
// pitch also goes into the ImageDescription JSON).
void set_resolution(TIFF* tif, const ImageMeta& meta) {
  const bool x_known = meta.pixel_mm_x > 0.0 && std::isfinite(meta.pixel_mm_x);
  const bool y_known = meta.pixel_mm_y > 0.0 && std::isfinite(meta.pixel_mm_y);
  if (!x_known && !y_known) return;
  // An unknown axis gets the known one's pitch only in the tags (TIFF needs both); the JSON keeps it unknown.
  const double x_mm = x_known ? meta.pixel_mm_x : meta.pixel_mm_y;
  const double y_mm = y_known ? meta.pixel_mm_y : meta.pixel_mm_x;
  TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
  TIFFSetField(tif, TIFFTAG_XRESOLUTION, 10.0 / x_mm);
  TIFFSetField(tif, TIFFTAG_YRESOLUTION, 10.0 / y_mm);
}

void set_page_tags(TIFF* tif, const cv::Mat& m, int page, int page_count, uint32_t rows_per_strip) {
  const bool is_float = m.depth() == CV_32F;
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(m.cols));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(m.rows));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t{1});
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, static_cast<uint16_t>(m.elemSize1() * 8));
  TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, is_float ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField(tif, TIFFTAG_PREDICTOR, is_float ? PREDICTOR_FLOATINGPOINT : PREDICTOR_HORIZONTAL);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rows_per_strip);
  TIFFSetField(tif, TIFFTAG_SOFTWARE, "niikit " NIIKIT_VERSION);
  if (page_count > 1) {
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tif, TIFFTAG_PAGENUMBER, static_cast<uint16_t>(page), static_cast<uint16_t>(page_count));
  }
}

Status write_page(const std::string& path, TiffSession& s, const Image& image, int page, int page_count) {
  const cv::Mat& m = image.pixels;
  const std::size_t row_bytes = m.cols * m.elemSize();
  const auto rows_per_strip = static_cast<uint32_t>(std::clamp<std::size_t>((std::size_t{1} << 20) / row_bytes, 1, m.rows));
  set_page_tags(s.get(), m, page, page_count, rows_per_strip);
  set_resolution(s.get(), image.meta);
  const std::string description = meta_to_json(image.meta);
  TIFFSetField(s.get(), TIFFTAG_IMAGEDESCRIPTION, description.c_str());
  // libtiff's predictor rewrites the buffer it is given: encode from a scratch copy.
  std::vector<unsigned char> strip(row_bytes * rows_per_strip);
  const auto rows = static_cast<uint32_t>(m.rows);
  for (uint32_t first = 0, index = 0; first < rows; first += rows_per_strip, ++index) {
    const uint32_t n_rows = std::min(rows_per_strip, rows - first);
    for (uint32_t r = 0; r < n_rows; ++r)
      std::memcpy(strip.data() + r * row_bytes, m.ptr(static_cast<int>(first + r)), row_bytes);
    const auto size = static_cast<tmsize_t>(row_bytes * n_rows);
    if (TIFFWriteEncodedStrip(s.get(), index, strip.data(), size) != size)
      return path_error(ErrorCode::io, path, "TIFF encoding failed: " + s.error_or("libtiff error"));
  }
  if (TIFFWriteDirectory(s.get()) != 1)
    return path_error(ErrorCode::io, path, "TIFF encoding failed: " + s.error_or("cannot write the directory"));
  return {};
}

}  // namespace

Result<std::vector<unsigned char>> encode_tiff(const std::string& path, const std::vector<Image>& pages) {
  uint64_t raw_bytes = 0;
  for (const Image& p : pages) raw_bytes += p.pixels.total() * p.pixels.elemSize();
  // Classic TIFF addresses 4 GiB; leave room for tags and incompressible data.
  const bool big_tiff = raw_bytes > (uint64_t{3} << 30);
  MemoryFile file;
  try {
    TiffSession s;
    TIFFOpenOptions* opts = s.options(0, path);
    if (opts == nullptr) return path_error(ErrorCode::internal, path, "libtiff: cannot allocate open options");
    s.adopt(TIFFClientOpenExt(path.c_str(), big_tiff ? "w8" : "w", static_cast<thandle_t>(static_cast<void*>(&file)),
                              mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map, mem_unmap, opts));
    if (s.get() == nullptr) return path_error(ErrorCode::io, path, "libtiff cannot start writing: " + s.error_or("unknown error"));
    const int count = static_cast<int>(pages.size());
    for (int i = 0; i < count; ++i) {
      if (auto ok = write_page(path, s, pages[static_cast<std::size_t>(i)], i, count); !ok) return tl::unexpected(ok.error());
    }
    if (!s.close()) return path_error(ErrorCode::io, path, "TIFF encoding failed: " + s.first_error());
  } catch (const std::exception& e) {
    return path_error(ErrorCode::io, path, std::string("TIFF encoding failed: ") + e.what());
  }
  return std::move(file.bytes);
}

}  // namespace niikit::testkits::detail
