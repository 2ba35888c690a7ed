// libpng writer into memory. libpng reports errors by longjmp back to write_png_rows, so
// nothing with a destructor lives in that function: the output vector is owned by the caller
// and reached through a plain pointer.
#include "testkits/image/png_encode.hpp"

#include <png.h>

#include <array>
#include <bit>
#include <csetjmp>
#include <cstdio>
#include <fmt/format.h>

namespace niikit::testkits {
namespace {

struct PngSink {
  std::vector<unsigned char>* out = nullptr;
  std::array<char, 200> message{};
};

void sink_write(png_structp png, png_bytep data, png_size_t n) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    sink->out->insert(sink->out->end(), data, data + n);
  } catch (...) {
    ok = false;
  }
  if (!ok) png_error(png, "not enough memory for the encoded image");
}

void sink_flush(png_structp) {}

void on_error(png_structp png, png_const_charp text) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message.data(), sink->message.size(), "%s", text != nullptr ? text : "libpng error");
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

struct RowSource {
  const unsigned char* data = nullptr;
  std::size_t step = 0;
  png_uint_32 width = 0, height = 0;
  int bit_depth = 8;
  int color_type = PNG_COLOR_TYPE_GRAY;
  bool bgr = false;
  int compression = 3;
};

// False on error, with libpng's reason in sink.message.
bool write_png_rows(PngSink& sink, const RowSource& src) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning);
  png_infop info = png != nullptr ? png_create_info_struct(png) : nullptr;
  if (png == nullptr || info == nullptr) {
    png_destroy_write_struct(&png, &info);
    std::snprintf(sink.message.data(), sink.message.size(), "libpng: out of memory");
    return false;
  }
  if (setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &sink, sink_write, sink_flush);
  png_set_compression_level(png, src.compression);
  png_set_IHDR(png, info, src.width, src.height, src.bit_depth, src.color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  if (src.bgr) png_set_bgr(png);
  if (src.bit_depth == 16 && std::endian::native == std::endian::little) png_set_swap(png);
  for (png_uint_32 r = 0; r < src.height; ++r)
    png_write_row(png, const_cast<png_bytep>(src.data + static_cast<std::size_t>(r) * src.step));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

Result<std::vector<unsigned char>> encode_png_pixels(const std::string& name, const cv::Mat& pixels, int compression) {
  const auto error = [&](std::string_view what) {
    return tl::unexpected(Error{ErrorCode::io, fmt::format("{}: PNG encoding failed: {}", name, what)});
  };
  if (pixels.empty() || pixels.dims != 2) return error("empty image");
  const int depth = pixels.depth();
  const int channels = pixels.channels();
  if ((depth != CV_8U && depth != CV_16U) || (channels != 1 && channels != 3 && channels != 4))
    return error(fmt::format("unsupported pixel type (depth {}, {} channels; 8/16-bit grey, BGR or BGRA only)", depth,
                             channels));
  if (compression < 0 || compression > 9) return error(fmt::format("compression level {} outside 0-9", compression));
  RowSource src;
  src.data = pixels.data;
  src.step = pixels.step[0];
  src.width = static_cast<png_uint_32>(pixels.cols);
  src.height = static_cast<png_uint_32>(pixels.rows);
  src.bit_depth = depth == CV_16U ? 16 : 8;
  src.color_type = channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
  src.bgr = channels >= 3;
  src.compression = compression;
  std::vector<unsigned char> out;
  PngSink sink;
  sink.out = &out;
  if (!write_png_rows(sink, src)) return error(sink.message.data());
  return out;
}

}  // namespace niikit::testkits
