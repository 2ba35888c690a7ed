// `niikit image ...`: looking at scanner image files. `image info` prints each page's size,
// pixel type, pitch, metadata and min/max/mean, so an operator can check a file before a kit
// analyses it (formats and limits: docs/image-io.md).
#include <QJsonArray>
#include <QJsonObject>
#include <charconv>
#include <fmt/format.h>
#include <memory>
#include <ostream>

#include "app/cli/commands.hpp"
#include "testkits/image/image.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

struct ImageInfoOptions {
  std::string path;
  std::string raw_size;  // "WIDTHxHEIGHT" for headerless 16-bit files; empty for TIFF/PNG
};

struct PageStats {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
};

// Parses all of [first, last) as a decimal int.
bool parse_int(const char* first, const char* last, int& value) {
  const auto [ptr, ec] = std::from_chars(first, last, value);
  return ec == std::errc() && ptr == last && first != last;
}

Result<cv::Size> parse_raw_size(const std::string& text) {
  const auto x = text.find('x');
  int width = 0;
  int height = 0;
  const char* begin = text.data();
  if (x == std::string::npos || !parse_int(begin, begin + x, width) ||
      !parse_int(begin + x + 1, begin + text.size(), height))
    return fail(ErrorCode::usage, "--raw '" + text + "': expected WIDTHxHEIGHT in pixels, e.g. 2048x1024");
  return cv::Size(width, height);
}

std::string_view channel_text(tk::EnergyChannel c) {
  return c == tk::EnergyChannel::high ? "high" : c == tk::EnergyChannel::low ? "low" : "single";
}

std::string_view kind_text(tk::ImageKind k) {
  return k == tk::ImageKind::log ? "log" : k == tk::ImageKind::processed ? "processed" : "raw";
}

std::string_view sample_type(const cv::Mat& m) {
  return m.depth() == CV_8U ? "uint8" : m.depth() == CV_16U ? "uint16" : m.depth() == CV_32F ? "float32" : "other";
}

PageStats stats_of(const cv::Mat& m) {
  PageStats s;
  cv::minMaxLoc(m, &s.min, &s.max);
  s.mean = cv::mean(m)[0];
  return s;
}

QJsonValue pitch_json(double mm) { return mm > 0.0 ? QJsonValue(mm) : QJsonValue(); }

QJsonObject page_json(int index, const tk::Image& page, const PageStats& s) {
  QJsonArray notes;
  for (const auto& n : page.notes) notes.append(QString::fromStdString(n));
  return QJsonObject{{"page", index},
                     {"notes", notes},
                     {"width_px", page.pixels.cols},
                     {"height_px", page.pixels.rows},
                     {"sample_type", QString::fromUtf8(sample_type(page.pixels).data())},
                     {"bit_depth", static_cast<int>(page.pixels.elemSize1() * 8)},
                     {"pixel_mm_x", pitch_json(page.meta.pixel_mm_x)},
                     {"pixel_mm_y", pitch_json(page.meta.pixel_mm_y)},
                     {"channel", QString::fromUtf8(channel_text(page.meta.channel).data())},
                     {"view", page.meta.view.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(page.meta.view))},
                     {"kind", QString::fromUtf8(kind_text(page.meta.kind).data())},
                     {"min", s.min},
                     {"max", s.max},
                     {"mean", s.mean}};
}

std::string pitch_text(const tk::ImageMeta& m) {
  if (m.pixel_mm_x <= 0.0 && m.pixel_mm_y <= 0.0) return "pitch unknown";
  const auto one = [](double mm) { return mm > 0.0 ? fmt::format("{:g}", mm) : std::string("?"); };
  return "pitch " + one(m.pixel_mm_x) + " x " + one(m.pixel_mm_y) + " mm";
}

void print_page_text(std::ostream& out, int index, const tk::Image& page, const PageStats& s) {
  out << fmt::format("page {}: {}x{} px, {} ({}-bit), {}, channel {}, view {}, kind {}\n", index, page.pixels.cols,
                     page.pixels.rows, sample_type(page.pixels), page.pixels.elemSize1() * 8, pitch_text(page.meta),
                     channel_text(page.meta.channel), page.meta.view.empty() ? "-" : page.meta.view,
                     kind_text(page.meta.kind));
  out << fmt::format("        min {:g}  max {:g}  mean {:.6g}\n", s.min, s.max, s.mean);
  for (const auto& n : page.notes) out << "        note: " << n << "\n";
}

Result<std::vector<tk::Image>> load_pages(const ImageInfoOptions& opts) {
  if (opts.raw_size.empty()) return tk::read_image_pages(opts.path);
  auto size = parse_raw_size(opts.raw_size);
  if (!size) return tl::unexpected(size.error());
  auto image = tk::read_raw16(opts.path, size->width, size->height);
  if (!image) return tl::unexpected(image.error());
  return std::vector<tk::Image>{std::move(*image)};
}

Status run_image_info(CliContext& ctx, const ImageInfoOptions& opts) {
  auto pages = load_pages(opts);
  if (!pages) return tl::unexpected(pages.error());
  std::vector<PageStats> stats;
  QJsonArray pages_json;
  for (std::size_t i = 0; i < pages->size(); ++i) {
    stats.push_back(stats_of((*pages)[i].pixels));
    pages_json.append(page_json(static_cast<int>(i), (*pages)[i], stats.back()));
  }
  const QJsonObject json{{"file", QString::fromStdString(opts.path)},
                         {"page_count", static_cast<int>(pages->size())},
                         {"pages", pages_json}};
  ctx.print(json, [&](std::ostream& out) {
    out << opts.path << ": " << pages->size() << (pages->size() == 1 ? " page\n" : " pages\n");
    for (std::size_t i = 0; i < pages->size(); ++i) print_page_text(out, static_cast<int>(i), (*pages)[i], stats[i]);
  });
  return {};
}

}  // namespace

void register_image_commands(CLI::App& root, CliContext& ctx) {
  auto* image = root.add_subcommand("image", "Scanner image files: inspect TIFF, PNG and raw 16-bit images");
  image->require_subcommand(1);
  auto* info = image->add_subcommand(
      "info", "Size, pixel type, pages, pixel pitch, metadata and min/max/mean of every page of an image file");
  auto opts = std::make_shared<ImageInfoOptions>();
  info->add_option("FILE", opts->path, "TIFF (8/16-bit, float32, multi-page), PNG (8/16-bit) or raw file; RGB/RGBA with equal channels is read as grey")->required();
  info->add_option("--raw", opts->raw_size, "Read FILE as headerless little-endian 16-bit data of this size")
      ->type_name("WIDTHxHEIGHT");
  info->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_image_info(ctx, *opts); }; });
}

}  // namespace niikit::cli
