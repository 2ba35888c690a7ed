// PNG encoding of pixel buffers with libpng (no OpenCV codec library: linking
// libopencv_imgcodecs pulled ~150 shared libraries into every command's start-up).
//
// Accepts CV_8UC1 / CV_16UC1 (grey), CV_8UC3 / CV_16UC3 in OpenCV's BGR order (written as
// RGB) and CV_8UC4 / CV_16UC4 BGRA (written as RGBA). Values are stored exactly; 16-bit samples are written big-endian as PNG requires.
// Pure and thread-safe: returns the bytes of a complete PNG file; writing it is the caller's
// business (core/atomic_file.hpp).
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace niikit::testkits {

// `name` names the target in error messages ("PATH: PNG encoding failed: ..."). `compression`
// is zlib's level 0-9 (3: fast with most of the size gain of 9).
Result<std::vector<unsigned char>> encode_png_pixels(const std::string& name, const cv::Mat& pixels,
                                                     int compression = 3);

}  // namespace niikit::testkits
