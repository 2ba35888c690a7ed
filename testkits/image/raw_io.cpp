// Headerless little-endian 16-bit images (detector dumps): the caller gives the size, the file
// size must match it exactly.
#include <fmt/format.h>

#include "testkits/image/image_internal.hpp"

namespace niikit::testkits {
using detail::path_error;

Result<Image> read_raw16(const std::string& path, int width_px, int height_px) {
  if (auto dims = detail::check_dimensions(path, width_px, height_px); !dims) return tl::unexpected(dims.error());
  auto probe = detail::probe_file(path);
  if (!probe) return tl::unexpected(probe.error());
  const auto want = static_cast<std::uintmax_t>(width_px) * static_cast<std::uintmax_t>(height_px) * 2U;
  if (probe->size_bytes != want)
    return path_error(ErrorCode::input, path,
                      fmt::format("raw file holds {} bytes, a {}x{} px 16-bit image needs {}", probe->size_bytes, width_px,
                                  height_px, want));
  auto bytes = detail::read_file_bytes(path, want);
  if (!bytes) return tl::unexpected(bytes.error());
  Image image;
  image.source = path;
  try {
    image.pixels.create(height_px, width_px, CV_16UC1);
  } catch (const std::exception&) {
    return path_error(ErrorCode::io, path, fmt::format("not enough memory for {}x{} px", width_px, height_px));
  }
  const unsigned char* src = bytes->data();
  for (int r = 0; r < height_px; ++r) {
    auto* row = image.pixels.ptr<uint16_t>(r);
    for (int c = 0; c < width_px; ++c, src += 2) row[c] = static_cast<uint16_t>(src[0] | (src[1] << 8));
  }
  return image;
}

Status write_raw16(const std::string& path, const Image& image) {
  if (auto ok = detail::check_writable(path, image, false); !ok) return ok;
  if (image.pixels.depth() != CV_16U)
    return path_error(ErrorCode::input, path, "raw16 needs 16-bit pixels, got " + detail::depth_name(image.pixels.depth()));
  const cv::Mat& m = image.pixels;
  std::vector<unsigned char> bytes;
  try {
    bytes.reserve(m.total() * 2U);
  } catch (const std::exception&) {
    return path_error(ErrorCode::io, path, "not enough memory to encode the image");
  }
  for (int r = 0; r < m.rows; ++r) {
    const auto* row = m.ptr<uint16_t>(r);
    for (int c = 0; c < m.cols; ++c) {
      bytes.push_back(static_cast<unsigned char>(row[c] & 0xffU));
      bytes.push_back(static_cast<unsigned char>(row[c] >> 8));
    }
  }
  return detail::write_file_atomic(path, bytes);
}

}  // namespace niikit::testkits
