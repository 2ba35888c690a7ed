// The one way niikit writes a file (reports, overlays, scans, exports, backups, evidence):
// a uniquely named temporary file in the target's folder is filled, fsynced, renamed over the
// target, and the folder is fsynced, so a crash or power loss leaves either the old target or
// the whole new one, never a truncated file at the final path. The file's mode follows the
// umask (0666 & ~umask) unless a mode is given (the database and the evidence store use
// owner-only modes).
//
// Temporary names are `.NAME.niikit-tmp-PID-RANDOM`; creating a writer removes leftovers of
// killed writers for the same target (their PID no longer runs).
//
// Output safety (issue 13): before anything is created, the target is checked against an
// OutputGuard: it must not resolve (through symlinks and `..`) to a protected path (the open
// database, its -wal/-shm/-journal, an input of the command) or into a protected folder (the
// evidence store), and if it exists it must be a regular file (so `--out /dev/full` or a
// directory is refused instead of being replaced).
//
// One AtomicFile per write; not thread-safe. Errors are ErrorCode::io (cannot create, write,
// rename) or ErrorCode::input (the target is refused by the guard), naming the target.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit {

// Paths an output must never replace.
struct OutputGuard {
  std::vector<std::filesystem::path> files;    // exact files (resolved when checked)
  std::vector<std::filesystem::path> folders;  // nothing inside these may be written
  // Adds `db_path` and its SQLite companions (-wal, -shm, -journal).
  void protect_database(const std::filesystem::path& db_path);
};

// Refuses `target` when it is empty, a directory, an existing non-regular file, or resolves to
// a guarded path. The message names the target.
Status check_output_path(const std::string& target, const OutputGuard* guard);

class AtomicFile {
 public:
  // Checks the target (check_output_path), removes stale temporary files of earlier killed
  // writers of this target, and creates an empty temporary file next to it. `mode`: the final
  // permission bits; empty = 0666 & ~umask.
  static Result<AtomicFile> create(const std::string& target, const OutputGuard* guard = nullptr,
                                   std::optional<mode_t> mode = std::nullopt);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // removes the temporary file unless committed

  // The temporary file's path, for writers that open a file name themselves (libxlsxwriter,
  // QPdfWriter, SQLite's VACUUM INTO): write the whole document there.
  [[nodiscard]] const std::string& temp_path() const { return temp_; }
  [[nodiscard]] const std::string& target() const { return target_; }

  // Replaces the temporary file's content with `bytes`.
  Status write_all(std::string_view bytes);
  // fsyncs the temporary file, sets its mode, renames it over the target and fsyncs the
  // folder. Refuses an empty file unless `allow_empty`.
  Status commit(bool allow_empty = false);

 private:
  AtomicFile(std::string target, std::string temp, mode_t mode)
      : target_(std::move(target)), temp_(std::move(temp)), mode_(mode) {}
  std::string target_;
  std::string temp_;
  mode_t mode_ = 0644;
  bool done_ = false;
};

// create + write_all + commit.
Status write_file_atomically(const std::string& target, std::string_view bytes, const OutputGuard* guard = nullptr,
                             std::optional<mode_t> mode = std::nullopt);

// fsyncs a folder (after a rename or a new file in it). Errors are io.
Status fsync_folder(const std::filesystem::path& folder);

// The process umask, read once.
mode_t process_umask();

}  // namespace niikit
