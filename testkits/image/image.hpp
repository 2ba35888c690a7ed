// Scanner images in memory and on disk.
//
// An Image is one grayscale plane (cv::Mat of CV_8U, CV_16U or CV_32F, one channel) plus the
// metadata the kits need to interpret it. Bit depth is kept exactly as stored: a 16-bit TIFF
// reads back as CV_16U with the same values. Readers reject absurd headers (zero or huge
// dimensions, truncated data, true colour) with an Error naming the file and the
// problem, before allocating pixel memory. Writers are atomic (temporary file + rename).
// All functions are pure apart from file access; Images are values (cv::Mat shares pixel
// buffers on copy: clone() before mutating a shared image). Thread-safe.
//
// Metadata is stored as a small JSON in the TIFF ImageDescription / PNG iTXt "Description"
// ({"niikit":1,"channel":"high","view":"top","kind":"raw","pixel_mm_x":0.15,...}) and the pitch
// also in TIFF X/YResolution (centimetre) and PNG pHYs. Formats, limits and error messages:
// docs/image-io.md.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace niikit::testkits {

enum class ImageKind { raw, log, processed };           // raw counts, −log transmission, vendor-processed
enum class EnergyChannel { single, high, low };         // single-energy, or one plane of a dual-energy pair

struct ImageMeta {
  double pixel_mm_x = 0.0;   // pixel pitch across the scan (column direction), mm; 0 = unknown
  double pixel_mm_y = 0.0;   // pixel pitch along the scan (row direction), mm; 0 = unknown
  EnergyChannel channel = EnergyChannel::single;
  std::string view;          // e.g. "top", "side"; empty when unknown
  ImageKind kind = ImageKind::raw;
};

struct Image {
  cv::Mat pixels;            // CV_8UC1, CV_16UC1 or CV_32FC1
  ImageMeta meta;
  std::string source;        // file the image came from, for messages and traceability
  std::vector<std::string> notes;  // how the reader interpreted the file (e.g. RGB read as grey)
};

struct DualEnergyImage {
  Image high;
  Image low;
};

// Largest image accepted by the readers: 65,536 px per side and 2^31 pixels in all.
inline constexpr int max_image_side_px = 65536;
inline constexpr long long max_image_pixels = 1LL << 31;

// Reads an 8/16-bit grayscale TIFF or PNG, or a 32-bit float TIFF (first page). 8/16-bit RGB
// or RGBA files whose colour channels are all equal (how many scanners write grey) are read as
// grey with a note in Image::notes; true colour is refused.
Result<Image> read_image(const std::string& path);

// Reads every page of a multi-page TIFF (dual energy: page 0 high, page 1 low).
Result<std::vector<Image>> read_image_pages(const std::string& path);

// Reads a dual-energy pair: one two-page TIFF, or two files (high, low) of equal size.
Result<DualEnergyImage> read_dual_energy(const std::string& path);
Result<DualEnergyImage> read_dual_energy(const std::string& high_path, const std::string& low_path);

// Reads headerless little-endian 16-bit data of the given size; the file size must match.
Result<Image> read_raw16(const std::string& path, int width_px, int height_px);

// Writes TIFF (.tif/.tiff) or PNG (.png) chosen by extension, keeping the bit depth
// (PNG: 8/16-bit only; TIFF also 32-bit float). Pixel pitch is stored where the format allows.
Status write_image(const std::string& path, const Image& image);

// Writes a multi-page TIFF (all pages must share type and size).
Status write_image_pages(const std::string& path, const std::vector<Image>& pages);

// Writes headerless little-endian 16-bit data.
Status write_raw16(const std::string& path, const Image& image);

}  // namespace niikit::testkits
