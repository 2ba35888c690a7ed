// Public image I/O: picks the format adapter (by magic bytes when reading, by extension when
// writing) and assembles dual-energy pairs.
#include <fmt/format.h>

#include "testkits/image/image_internal.hpp"

namespace niikit::testkits {
using detail::FileFormat;
using detail::path_error;

namespace {

Result<std::vector<Image>> read_pages(const std::string& path, int max_pages) {
  auto probe = detail::probe_file(path);
  if (!probe) return tl::unexpected(probe.error());
  try {
    if (probe->format == FileFormat::tiff) return detail::read_tiff_pages(path, probe->size_bytes, max_pages);
    if (probe->format == FileFormat::png) {
      auto bytes = detail::read_file_bytes(path, probe->size_bytes);
      if (!bytes) return tl::unexpected(bytes.error());
      auto image = detail::decode_png(path, *bytes);
      if (!image) return tl::unexpected(image.error());
      return std::vector<Image>{std::move(*image)};
    }
  } catch (const std::exception& e) {  // adapters catch library exceptions; this is the last fence
    return path_error(ErrorCode::internal, path, std::string("unexpected failure while reading: ") + e.what());
  }
  return path_error(ErrorCode::input, path, "not a TIFF or PNG image (unrecognised file signature)");
}

std::string size_text(const cv::Mat& m) {
  return fmt::format("{}x{} px {}", m.cols, m.rows, detail::depth_name(m.depth()));
}

// Labels a plane high or low; a plane already labelled the other way is refused.
Status label_plane(const std::string& path, const std::string& which, Image& image, EnergyChannel want) {
  if (image.meta.channel != EnergyChannel::single && image.meta.channel != want)
    return path_error(ErrorCode::input, path,
                      fmt::format("{} is labelled '{}' but holds the {}-energy plane", which,
                                  detail::channel_name(image.meta.channel), detail::channel_name(want)));
  image.meta.channel = want;
  return {};
}

Result<DualEnergyImage> make_pair(const std::string& path, Image high, Image low, const std::string& high_name,
                                  const std::string& low_name) {
  if (high.pixels.size() != low.pixels.size() || high.pixels.type() != low.pixels.type())
    return path_error(ErrorCode::input, path,
                      fmt::format("dual-energy planes differ: {} is {}, {} is {}", high_name, size_text(high.pixels),
                                  low_name, size_text(low.pixels)));
  if (auto ok = label_plane(path, high_name, high, EnergyChannel::high); !ok) return tl::unexpected(ok.error());
  if (auto ok = label_plane(path, low_name, low, EnergyChannel::low); !ok) return tl::unexpected(ok.error());
  return DualEnergyImage{std::move(high), std::move(low)};
}

Status check_pages_for_write(const std::string& path, const std::vector<Image>& pages, bool allow_float) {
  if (pages.empty()) return path_error(ErrorCode::input, path, "no pages to write");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (auto ok = detail::check_writable(path, pages[i], allow_float); !ok) {
      if (pages.size() == 1) return ok;
      Error e = ok.error();  // "path: problem" -> "path: page i: problem"
      const std::size_t after_path = e.message.rfind(path + ": ", 0) == 0 ? path.size() + 2 : 0;
      e.message.insert(after_path, fmt::format("page {}: ", i));
      return tl::unexpected(e);
    }
    if (pages[i].pixels.size() != pages[0].pixels.size() || pages[i].pixels.type() != pages[0].pixels.type())
      return path_error(ErrorCode::input, path,
                        fmt::format("page {} is {}, page 0 is {}: all pages must share size and type", i,
                                    size_text(pages[i].pixels), size_text(pages[0].pixels)));
  }
  return {};
}

bool is_tiff_name(const std::string& ext) { return ext == ".tif" || ext == ".tiff"; }

}  // namespace

Result<Image> read_image(const std::string& path) {
  auto pages = read_pages(path, 1);
  if (!pages) return tl::unexpected(pages.error());
  return std::move(pages->front());
}

Result<std::vector<Image>> read_image_pages(const std::string& path) {
  return read_pages(path, detail::max_tiff_pages);
}

Result<DualEnergyImage> read_dual_energy(const std::string& path) {
  auto pages = read_pages(path, 3);  // a third page is an error, not silently ignored
  if (!pages) return tl::unexpected(pages.error());
  if (pages->size() != 2)
    return path_error(ErrorCode::input, path,
                      fmt::format("a dual-energy file needs exactly 2 pages (high, low), found {}", pages->size()));
  return make_pair(path, std::move((*pages)[0]), std::move((*pages)[1]), "page 0", "page 1");
}

Result<DualEnergyImage> read_dual_energy(const std::string& high_path, const std::string& low_path) {
  auto high = read_image(high_path);
  if (!high) return tl::unexpected(high.error());
  auto low = read_image(low_path);
  if (!low) return tl::unexpected(low.error());
  return make_pair(high_path, std::move(*high), std::move(*low), "high image " + high_path, "low image " + low_path);
}

Status write_image(const std::string& path, const Image& image) {
  const std::string ext = detail::lower_extension(path);
  if (ext == ".png") {
    if (auto ok = detail::check_writable(path, image, false); !ok) return ok;
    auto bytes = detail::encode_png(path, image);
    if (!bytes) return tl::unexpected(bytes.error());
    return detail::write_file_atomic(path, *bytes);
  }
  if (is_tiff_name(ext)) return write_image_pages(path, {image});
  return path_error(ErrorCode::usage, path, "unknown image file extension (use .tif, .tiff or .png)");
}

Status write_image_pages(const std::string& path, const std::vector<Image>& pages) {
  if (!is_tiff_name(detail::lower_extension(path)))
    return path_error(ErrorCode::usage, path, "multi-page images are written as TIFF only (.tif or .tiff)");
  if (auto ok = check_pages_for_write(path, pages, true); !ok) return ok;
  auto bytes = detail::encode_tiff(path, pages);
  if (!bytes) return tl::unexpected(bytes.error());
  return detail::write_file_atomic(path, *bytes);
}

}  // namespace niikit::testkits
