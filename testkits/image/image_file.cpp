// File access for the image readers and writers: probing, whole-file reads and atomic writes.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <system_error>

#include "testkits/image/image_internal.hpp"

namespace niikit::testkits::detail {
namespace fs = std::filesystem;

tl::unexpected<Error> path_error(ErrorCode code, const std::string& path, std::string_view what) {
  return fail(code, one_line(path + ": " + std::string(what)));
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string depth_name(int cv_depth) {
  switch (cv_depth) {
    case CV_8U: return "8-bit";
    case CV_16U: return "16-bit";
    case CV_32F: return "32-bit float";
    default: return fmt::format("OpenCV depth {}", cv_depth);
  }
}

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

namespace {

FileFormat sniff(const std::array<unsigned char, 8>& head, std::size_t got) {
  static constexpr std::array<unsigned char, 8> png_magic{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (got >= 8 && head == png_magic) return FileFormat::png;
  if (got >= 4) {
    const bool little = head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0;
    const bool big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
    if (little || big) return FileFormat::tiff;
  }
  return FileFormat::unknown;
}

}  // namespace

Result<FileProbe> probe_file(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return path_error(ErrorCode::not_found, path, "file not found");
  if (ec) return path_error(ErrorCode::io, path, "cannot access: " + ec.message());
  if (status.type() == fs::file_type::directory) return path_error(ErrorCode::input, path, "is a directory, not an image file");
  if (status.type() != fs::file_type::regular) return path_error(ErrorCode::input, path, "not a regular file");
  FileProbe probe;
  probe.size_bytes = fs::file_size(path, ec);
  if (ec) return path_error(ErrorCode::io, path, "cannot read the file size: " + ec.message());
  if (probe.size_bytes == 0) return path_error(ErrorCode::input, path, "empty file (0 bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) return path_error(ErrorCode::io, path, "cannot open for reading");
  std::array<unsigned char, 8> head{};
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  probe.format = sniff(head, static_cast<std::size_t>(in.gcount()));
  return probe;
}

Result<std::vector<unsigned char>> read_file_bytes(const std::string& path,
                                                   std::uintmax_t expected_size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path_error(ErrorCode::io, path, "cannot open for reading");
  std::vector<unsigned char> bytes;
  try {
    bytes.resize(static_cast<std::size_t>(expected_size));
  } catch (const std::exception&) {
    return path_error(ErrorCode::io, path, fmt::format("cannot hold {} bytes in memory", expected_size));
  }
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::uintmax_t>(in.gcount()) != expected_size)
    return path_error(ErrorCode::io, path, "file changed size while being read");
  return bytes;
}

namespace {

// A temporary file beside the target; removed on destruction unless committed.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!name_.empty() && !committed_) ::unlink(name_.c_str());
  }

  // O_EXCL with a random suffix: never clobbers another writer's temporary file.
  std::error_code create(const fs::path& target) {
    std::random_device entropy;
    for (int attempt = 0; attempt < 16; ++attempt) {
      // One fmt::format, not `"." + name + suffix`: GCC 12 at -O3 flags the latter with a false
      // -Wrestrict, which -Werror would turn into a failed Release build.
      fs::path candidate = target;
      candidate.replace_filename(
          fmt::format(".{}.tmp-{}-{:08x}", target.filename().string(), ::getpid(), entropy()));
      fd_ = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) {
        name_ = candidate.string();
        return {};
      }
      if (errno != EEXIST) return {errno, std::generic_category()};
    }
    return std::make_error_code(std::errc::file_exists);
  }

  std::error_code write_all(std::span<const unsigned char> bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return {n < 0 ? errno : EIO, std::generic_category()};
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) return {errno, std::generic_category()};
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return {errno, std::generic_category()};
    return {};
  }

  std::error_code commit(const fs::path& target) {
    if (::rename(name_.c_str(), target.c_str()) != 0) return {errno, std::generic_category()};
    committed_ = true;
    return {};
  }

 private:
  int fd_ = -1;
  std::string name_;
  bool committed_ = false;
};

}  // namespace

Status write_file_atomic(const std::string& path, std::span<const unsigned char> bytes) {
  const fs::path target(path);
  if (target.filename().empty()) return path_error(ErrorCode::usage, path, "no file name given");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return path_error(ErrorCode::io, path, "cannot write: folder " + folder.string() + " does not exist");
  TempFile temp;
  try {  // std::random_device may throw when the system has no entropy source
    ec = temp.create(target);
  } catch (const std::exception& e) {
    return path_error(ErrorCode::io, path, std::string("cannot create a temporary file: ") + e.what());
  }
  if (ec) return path_error(ErrorCode::io, path, "cannot create a temporary file: " + ec.message());
  if (ec = temp.write_all(bytes); ec) return path_error(ErrorCode::io, path, "write failed: " + ec.message());
  if (ec = temp.commit(target); ec) return path_error(ErrorCode::io, path, "cannot replace the file: " + ec.message());
  return {};
}

Status check_dimensions(const std::string& path, long long width_px, long long height_px) {
  if (width_px <= 0 || height_px <= 0)
    return path_error(ErrorCode::input, path, fmt::format("invalid image size {}x{} px (zero or negative)", width_px, height_px));
  if (width_px > max_image_side_px || height_px > max_image_side_px)
    return path_error(ErrorCode::input, path,
                      fmt::format("image size {}x{} px exceeds the limit of {} px per side", width_px, height_px, max_image_side_px));
  if (width_px * height_px > max_image_pixels)
    return path_error(ErrorCode::input, path,
                      fmt::format("image size {}x{} px exceeds the limit of {} pixels", width_px, height_px, max_image_pixels));
  return {};
}

Status check_writable(const std::string& path, const Image& image, bool allow_float) {
  const cv::Mat& m = image.pixels;
  if (m.empty()) return path_error(ErrorCode::input, path, "cannot write an empty image");
  if (m.dims != 2) return path_error(ErrorCode::input, path, "cannot write an image that is not 2-D");
  if (m.channels() != 1)
    return path_error(ErrorCode::input, path, fmt::format("cannot write a {}-channel image (grayscale only)", m.channels()));
  const int depth = m.depth();
  if (depth != CV_8U && depth != CV_16U && !(allow_float && depth == CV_32F))
    return path_error(ErrorCode::input, path, "cannot write " + depth_name(depth) + " pixels in this format");
  return check_dimensions(path, m.cols, m.rows);
}

}  // namespace niikit::testkits::detail
