// Internals shared by the image readers and writers (not part of the public API).
//
// Every helper that can fail returns an Error whose message starts with the file path and
// stays on one line. File access goes through probe_file / read_file_bytes / write_file_atomic
// so that the format adapters (TIFF, PNG, raw) never touch the file system by themselves apart
// from libtiff reading its own file. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "testkits/image/image.hpp"

namespace niikit::testkits::detail {

enum class FileFormat { tiff, png, unknown };

struct FileProbe {
  std::uintmax_t size_bytes = 0;
  FileFormat format = FileFormat::unknown;
};

// `path: what`, with line breaks in `what` turned into spaces.
tl::unexpected<Error> path_error(ErrorCode code, const std::string& path, std::string_view what);

// Replaces control characters (line breaks, tabs) by spaces and trims trailing blanks.
std::string one_line(std::string_view text);

// Checks that `path` is an existing, non-empty regular file and sniffs its format from the
// magic bytes (never from the extension).
Result<FileProbe> probe_file(const std::string& path);

// Reads the whole file; `expected_size` comes from probe_file.
Result<std::vector<unsigned char>> read_file_bytes(const std::string& path,
                                                   std::uintmax_t expected_size);

// Writes `bytes` to a temporary file in the target's folder, flushes it, then renames it over
// `path`. On any failure the temporary file is removed and an existing target is untouched.
Status write_file_atomic(const std::string& path, std::span<const unsigned char> bytes);

// Rejects zero, negative or oversized dimensions (max_image_side_px, max_image_pixels).
Status check_dimensions(const std::string& path, long long width_px, long long height_px);

// Checks an image before writing: non-empty, one channel, depth 8U/16U (and 32F when allowed),
// dimensions within limits.
Status check_writable(const std::string& path, const Image& image, bool allow_float);

// "8-bit", "16-bit", "32-bit float" for CV_8U/CV_16U/CV_32F.
std::string depth_name(int cv_depth);

// Lower-cased extension of `path` including the dot ("" when there is none).
std::string lower_extension(const std::string& path);

// ---- metadata as a small JSON document (TIFF ImageDescription, PNG tEXt "Description")
// {"niikit":1,"channel":"high","view":"top","kind":"raw","pixel_mm_x":0.15,"pixel_mm_y":0.15}
std::string meta_to_json(const ImageMeta& meta);

// Parsed niikit metadata; pitch fields are 0 when absent. std::nullopt when `text` is not a
// niikit document (foreign description); an Error when it is one but malformed.
struct ParsedMeta {
  ImageMeta meta;
  bool has_pitch = false;  // pixel_mm_x / pixel_mm_y were present
};
Result<std::optional<ParsedMeta>> meta_from_json(const std::string& path, std::string_view text);

std::string_view channel_name(EnergyChannel channel);
std::string_view kind_name(ImageKind kind);

// ---- format adapters
// Reads up to `max_pages` pages (directories) of a TIFF file of `file_size` bytes.
Result<std::vector<Image>> read_tiff_pages(const std::string& path, std::uintmax_t file_size,
                                           int max_pages);
// Encodes pages (already checked, same size and type) into TIFF bytes.
Result<std::vector<unsigned char>> encode_tiff(const std::string& path,
                                               const std::vector<Image>& pages);

Result<Image> decode_png(const std::string& path, const std::vector<unsigned char>& bytes);
Result<std::vector<unsigned char>> encode_png(const std::string& path, const Image& image);

// A colour-typed plane (CV_8UC3/4, CV_16UC3/4) whose R, G, B are equal everywhere (and alpha
// constant) becomes one grey plane plus a note saying so; differing channels are refused with
// an Error naming the file and the first colour pixel. One-channel input passes unchanged.
struct GreyPlane {
  cv::Mat pixels;
  std::string note;  // empty when the input was already one channel
};
Result<GreyPlane> grey_from_colour(const std::string& path, const cv::Mat& pixels);

// Most pages read from one TIFF file (multi-page stacks of a scan are far smaller).
inline constexpr int max_tiff_pages = 1024;

}  // namespace niikit::testkits::detail
