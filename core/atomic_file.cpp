#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace niikit {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempTag = ".niikit-tmp-";

Error io_error(const std::string& target, const std::string& why) {
  return Error{ErrorCode::io, fmt::format("cannot write '{}': {}", target, why)};
}

// The path as it would resolve once written: symlinks and `..` followed as far as they exist.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  auto r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p) : r;
}

bool inside(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // trailing separator
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

std::uint32_t entropy() {
  static thread_local std::mt19937 gen{std::random_device{}()};
  return gen();
}

// Removes `.NAME.niikit-tmp-PID-*` files next to `target` whose writer no longer runs.
void remove_stale_temps(const fs::path& dir, const std::string& name) {
  const std::string prefix = "." + name + std::string(kTempTag);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (file.rfind(prefix, 0) != 0) continue;
    const long pid = std::strtol(file.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // still running
    std::error_code rm;
    fs::remove(it->path(), rm);
  }
}

}  // namespace

mode_t process_umask() {
  static const mode_t mask = [] {
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

void OutputGuard::protect_database(const fs::path& db_path) {
  files.push_back(db_path);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) files.push_back(db_path.string() + suffix);
}

Status check_output_path(const std::string& target, const OutputGuard* guard) {
  if (target.empty()) return fail(ErrorCode::usage, "output path is empty");
  struct stat st{};
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail(ErrorCode::input, fmt::format("output '{}': is a directory", target));
    if (!S_ISREG(st.st_mode))
      return fail(ErrorCode::input, fmt::format("output '{}': not a regular file (a device, pipe or socket); "
                                                "write to a file", target));
  }
  if (!guard) return {};
  const fs::path out = resolved(target);
  for (const auto& f : guard->files)
    if (!f.empty() && out == resolved(f))
      return fail(ErrorCode::input, fmt::format("output '{}': would overwrite {} (an input or the database); "
                                                "choose another path", target, f.string()));
  for (const auto& d : guard->folders)
    if (!d.empty() && inside(out, resolved(d)))
      return fail(ErrorCode::input, fmt::format("output '{}': lies inside {}, which niikit manages; choose "
                                                "another path", target, d.string()));
  return {};
}

Result<AtomicFile> AtomicFile::create(const std::string& target, const OutputGuard* guard,
                                      std::optional<mode_t> mode) {
  if (auto st = check_output_path(target, guard); !st) return tl::unexpected(st.error());
  const fs::path t(target);
  fs::path dir = t.parent_path();
  if (dir.empty()) dir = ".";
  const std::string name = t.filename().string();
  if (name.empty() || name == "." || name == "..") return tl::unexpected(io_error(target, "not a file name"));
  remove_stale_temps(dir, name);
  const std::string temp =
      (dir / fmt::format(".{}{}{}-{:08x}", name, kTempTag, static_cast<long>(::getpid()), entropy())).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected(io_error(target, std::strerror(errno)));
  ::close(fd);
  return AtomicFile(target, temp, mode.value_or(0666 & ~process_umask()));
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::move(other.temp_)), mode_(other.mode_), done_(other.done_) {
  other.done_ = true;
}

AtomicFile::~AtomicFile() {
  if (!done_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Status AtomicFile::write_all(std::string_view bytes) {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(io_error(target_, std::strerror(errno)));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return tl::unexpected(io_error(target_, n < 0 ? std::strerror(err) : "write failed (disk full?)"));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return tl::unexpected(io_error(target_, std::strerror(errno)));
  return {};
}

Status AtomicFile::commit(bool allow_empty) {
  const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(io_error(target_, std::strerror(errno)));
  struct stat st{};
  const bool sized = ::fstat(fd, &st) == 0;
  if (!sized || (st.st_size == 0 && !allow_empty)) {
    ::close(fd);
    return tl::unexpected(io_error(target_, "the writer produced no output"));
  }
  if (::fchmod(fd, mode_) != 0 || ::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return tl::unexpected(io_error(target_, std::strerror(err)));
  }
  ::close(fd);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) return tl::unexpected(io_error(target_, std::strerror(errno)));
  done_ = true;
  fs::path dir = fs::path(target_).parent_path();
  return fsync_folder(dir.empty() ? fs::path(".") : dir);
}

Status write_file_atomically(const std::string& target, std::string_view bytes, const OutputGuard* guard,
                             std::optional<mode_t> mode) {
  auto file = AtomicFile::create(target, guard, mode);
  if (!file) return tl::unexpected(file.error());
  if (auto st = file->write_all(bytes); !st) return st;
  return file->commit(bytes.empty());
}

Status fsync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::io, fmt::format("cannot sync folder '{}': {}", folder.string(), std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL)  // some file systems do not sync folders
    return fail(ErrorCode::io, fmt::format("cannot sync folder '{}': {}", folder.string(), std::strerror(err)));
  return {};
}

}  // namespace niikit
