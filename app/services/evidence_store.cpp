#include "app/services/evidence_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCryptographicHash>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "core/atomic_file.hpp"

namespace niikit::services {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 20;

std::string hex(const QByteArray& digest) { return digest.toHex().toStdString(); }

bool is_sha256(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Writes all of `data` to `fd`.
bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// A temporary object file in the store root, removed unless released.
struct Incoming {
  std::string path;
  int fd = -1;
  ~Incoming() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

EvidenceStore::EvidenceStore(fs::path root, bool group_readable)
    : root_(std::move(root)), folder_mode_(group_readable ? 0750 : 0700), object_mode_(group_readable ? 0440 : 0400) {}

fs::path EvidenceStore::default_root(const fs::path& database_path) {
  fs::path p = database_path;
  return p.replace_extension(".evidence");
}

fs::path EvidenceStore::path_of(const std::string& sha256) const {
  return root_ / "sha256" / sha256.substr(0, 2) / sha256;
}

bool EvidenceStore::contains(const std::string& sha256) const {
  std::error_code ec;
  return is_sha256(sha256) && fs::is_regular_file(path_of(sha256), ec);
}

Status EvidenceStore::ensure_folder(const fs::path& folder) const {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return {};
  if (folder != root_)
    if (auto st = ensure_folder(folder.parent_path()); !st) return st;
  if (::mkdir(folder.c_str(), folder_mode_) != 0) {
    if (errno == EEXIST) return {};
    return fail(ErrorCode::io, fmt::format("evidence store {}: cannot create folder {}: {}", root_.string(),
                                           folder.string(), std::strerror(errno)));
  }
  ::chmod(folder.c_str(), folder_mode_);  // exactly, whatever the umask
  return {};
}

Result<StoredObject> EvidenceStore::put_file(const std::string& source_path) {
  if (!configured()) return fail(ErrorCode::internal, "evidence store: no folder configured");
  struct stat st{};
  if (::stat(source_path.c_str(), &st) != 0)
    return fail(ErrorCode::not_found, fmt::format("{}: no such file", source_path));
  if (!S_ISREG(st.st_mode)) return fail(ErrorCode::input, fmt::format("{}: not a regular file", source_path));
  const int in = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return fail(ErrorCode::io, fmt::format("{}: cannot read: {}", source_path, std::strerror(errno)));
  if (auto s = ensure_folder(root_); !s) {
    ::close(in);
    return tl::unexpected(s.error());
  }
  Incoming tmp;
  tmp.path = (root_ / fmt::format(".incoming-{}-{:08x}", ::getpid(), std::random_device{}())).string();
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (tmp.fd < 0) {
    ::close(in);
    tmp.path.clear();
    return fail(ErrorCode::io, fmt::format("evidence store {}: {}", root_.string(), std::strerror(errno)));
  }
  QCryptographicHash hash(QCryptographicHash::Sha256);
  std::vector<char> buf(kChunk);
  std::int64_t size = 0;
  for (;;) {
    const ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(in);
      return fail(ErrorCode::io, fmt::format("{}: cannot read: {}", source_path, std::strerror(err)));
    }
    if (n == 0) break;
    hash.addData(QByteArrayView(buf.data(), n));
    if (!write_all(tmp.fd, buf.data(), static_cast<std::size_t>(n))) {
      ::close(in);
      return fail(ErrorCode::io, fmt::format("evidence store {}: write failed (disk full?)", root_.string()));
    }
    size += n;
  }
  ::close(in);
  return adopt(tmp.path, hex(hash.result()), size).map([&](StoredObject o) {
    tmp.path.clear();  // adopted (renamed or removed)
    return o;
  });
}

Result<StoredObject> EvidenceStore::put_bytes(std::string_view bytes) {
  if (!configured()) return fail(ErrorCode::internal, "evidence store: no folder configured");
  if (auto s = ensure_folder(root_); !s) return tl::unexpected(s.error());
  Incoming tmp;
  tmp.path = (root_ / fmt::format(".incoming-{}-{:08x}", ::getpid(), std::random_device{}())).string();
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (tmp.fd < 0 || !write_all(tmp.fd, bytes.data(), bytes.size()))
    return fail(ErrorCode::io, fmt::format("evidence store {}: cannot write an object", root_.string()));
  const auto sha = hex(QCryptographicHash::hash(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())),
                                                QCryptographicHash::Sha256));
  return adopt(tmp.path, sha, static_cast<std::int64_t>(bytes.size())).map([&](StoredObject o) {
    tmp.path.clear();
    return o;
  });
}

// Makes the temporary file `temp_path` (still open in the caller's Incoming) the object
// `sha256`: fsync, read-only mode, rename into place, fsync the folder. When the store already
// has the object the temporary file is removed.
Result<StoredObject> EvidenceStore::adopt(const std::string& temp_path, const std::string& sha256, std::int64_t size) {
  const fs::path target = path_of(sha256);
  StoredObject out{sha256, size, false};
  if (contains(sha256)) {
    ::unlink(temp_path.c_str());
    return out;
  }
  if (auto s = ensure_folder(target.parent_path()); !s) return tl::unexpected(s.error());
  const int fd = ::open(temp_path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fchmod(fd, object_mode_) == 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced || ::rename(temp_path.c_str(), target.c_str()) != 0)
    return fail(ErrorCode::io, fmt::format("evidence store {}: cannot store object {}: {}", root_.string(), sha256,
                                           std::strerror(errno)));
  if (auto s = fsync_folder(target.parent_path()); !s) return tl::unexpected(s.error());
  out.added = true;
  return out;
}

Status EvidenceStore::verify(const std::string& sha256) const {
  if (!is_sha256(sha256)) return fail(ErrorCode::integrity, fmt::format("evidence '{}': not a SHA-256", sha256));
  const auto path = path_of(sha256);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return fail(ErrorCode::integrity, fmt::format("evidence {}: missing from the store ({})", sha256, path.string()));
  auto actual = sha256_of_file(path.string());
  if (!actual) return tl::unexpected(actual.error());
  if (*actual != sha256)
    return fail(ErrorCode::integrity, fmt::format("evidence {}: the stored bytes changed (now {})", sha256, *actual));
  return {};
}

Result<std::string> sha256_of_file(const std::string& path, std::int64_t* size_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(errno == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  QCryptographicHash hash(QCryptographicHash::Sha256);
  std::vector<char> buf(kChunk);
  std::int64_t size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail(ErrorCode::io, fmt::format("{}: cannot read: {}", path, std::strerror(err)));
    }
    if (n == 0) break;
    hash.addData(QByteArrayView(buf.data(), n));
    size += n;
  }
  ::close(fd);
  if (size_bytes) *size_bytes = size;
  return hex(hash.result());
}

}  // namespace niikit::services
