#include "reports/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fmt/format.h>

namespace niikit::reports {

namespace fs = std::filesystem;

Result<AtomicFile> AtomicFile::create(const std::string& target) {
  if (target.empty()) return fail(ErrorCode::usage, "report output path is empty");
  const fs::path t(target);
  if (fs::is_directory(t)) return fail(ErrorCode::io, "cannot write '" + target + "': it is a directory");
  fs::path dir = t.parent_path();
  if (dir.empty()) dir = ".";
  const std::string pattern = fmt::format("{}/.{}.tmp-XXXXXX", dir.string(), t.filename().string());
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd < 0)
    return fail(ErrorCode::io, "cannot write '" + target + "': " + std::strerror(errno));
  ::close(fd);
  ::chmod(buf.data(), 0644);
  return AtomicFile(target, std::string(buf.data()));
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::move(other.temp_)), done_(other.done_) {
  other.done_ = true;
}

AtomicFile::~AtomicFile() {
  if (!done_ && !temp_.empty()) std::remove(temp_.c_str());
}

Status AtomicFile::write_all(const std::string& bytes) {
  std::ofstream out(temp_, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) return fail(ErrorCode::io, "cannot write '" + target_ + "': write failed (disk full?)");
  return {};
}

Status AtomicFile::commit() {
  std::error_code ec;
  if (fs::file_size(temp_, ec) == 0 || ec)
    return fail(ErrorCode::io, "cannot write '" + target_ + "': the writer produced no output");
  fs::rename(temp_, target_, ec);
  if (ec) return fail(ErrorCode::io, "cannot write '" + target_ + "': " + ec.message());
  done_ = true;
  return {};
}

}  // namespace niikit::reports
