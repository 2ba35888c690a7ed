// Colour-typed files that hold grey: many scanners write their grey images as 8-bit (or 16-bit)
// RGB or RGBA with three equal colour channels. Such pixels are grey in every sense that matters
// to a kit, so they are read as one plane with a note; a file whose colour channels differ
// anywhere is a true colour image (a screenshot, a false-colour rendering) and is refused.
#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "testkits/image/image_internal.hpp"

namespace niikit::testkits::detail {
namespace {

template <typename T>
struct FirstDifference {
  bool found = false;
  int x = 0;
  int y = 0;
  cv::Vec<T, 4> value{};
};

// First pixel whose R, G, B differ; alpha (channel 3) is checked to be constant.
template <typename T>
FirstDifference<T> find_colour(const cv::Mat& m, int colour_channels, bool& alpha_varies) {
  FirstDifference<T> diff;
  const int ch = m.channels();
  const T alpha0 = ch == 4 ? m.ptr<T>(0)[3] : T{0};
  alpha_varies = false;
  for (int y = 0; y < m.rows && !diff.found; ++y) {
    const T* row = m.ptr<T>(y);
    for (int x = 0; x < m.cols; ++x) {
      const T* px = row + static_cast<std::ptrdiff_t>(x) * ch;
      if (ch == 4 && px[3] != alpha0) alpha_varies = true;
      bool equal = true;
      for (int c = 1; c < colour_channels; ++c) equal = equal && px[c] == px[0];
      if (!equal) {
        diff = {true, x, y, {}};
        for (int c = 0; c < ch; ++c) diff.value[c] = px[c];
        break;
      }
    }
  }
  return diff;
}

template <typename T>
Result<GreyPlane> collapse(const std::string& path, const cv::Mat& m, std::string_view layout) {
  bool alpha_varies = false;
  const auto diff = find_colour<T>(m, 3, alpha_varies);
  if (diff.found)
    return path_error(ErrorCode::input, path,
                      fmt::format("true colour {} image (R, G, B differ, first at pixel x={} y={}: {}, {}, {}); "
                                  "expected grey (one channel, or colour channels that are all equal)",
                                  layout, diff.x, diff.y, diff.value[0], diff.value[1], diff.value[2]));
  if (alpha_varies)
    return path_error(ErrorCode::input, path,
                      fmt::format("{} image with a varying alpha channel (transparency); expected grey", layout));
  GreyPlane out;
  cv::extractChannel(m, out.pixels, 0);
  out.note = fmt::format("{} {} image with equal colour channels, read as grey{}", depth_name(m.depth()), layout,
                         m.channels() == 4 ? " (constant alpha ignored)" : "");
  return out;
}

}  // namespace

Result<GreyPlane> grey_from_colour(const std::string& path, const cv::Mat& pixels) {
  if (pixels.channels() == 1) return GreyPlane{pixels, {}};
  if (pixels.channels() != 3 && pixels.channels() != 4)
    return path_error(ErrorCode::input, path, fmt::format("{} channels per pixel, expected grey", pixels.channels()));
  const std::string_view layout = pixels.channels() == 3 ? "RGB" : "RGBA";
  if (pixels.depth() == CV_8U) return collapse<uint8_t>(path, pixels, layout);
  if (pixels.depth() == CV_16U) return collapse<uint16_t>(path, pixels, layout);
  return path_error(ErrorCode::input, path, fmt::format("{} {} image, expected 8/16-bit", depth_name(pixels.depth()), layout));
}

}  // namespace niikit::testkits::detail
