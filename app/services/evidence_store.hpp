// The evidence store: images, overlays and documents copied into a content-addressed folder
// beside the database (DESIGN.md §5 "Evidence store"), so records never depend on where the
// user kept their files. An object is named by the SHA-256 of its bytes:
//   <root>/sha256/ab/ab12…ef        (root defaults to "<database file without .db>.evidence")
// Objects are written once through the atomic writer (core/atomic_file.hpp), read-only
// (0440), and never changed; putting the same bytes twice stores them once.
//
// The hash recorded for an analysed image is the hash of the bytes that were analysed: callers
// put the file first and analyse the stored object (path_of), which by construction holds
// exactly the bytes its name says.
//
// Folders are created owner-only (0700; 0750 with a configured group) because the store holds
// legal and personal records. Not thread-safe; several processes may share a store (atomic
// renames make concurrent puts of the same object safe).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace niikit::services {

struct StoredObject {
  std::string sha256;          // hex, 64 chars
  std::int64_t size_bytes = 0;
  bool added = false;          // false: the store already held these bytes
};

class EvidenceStore {
 public:
  EvidenceStore() = default;
  // `root`: the store folder (need not exist yet). `group_readable`: folders 0750 and objects
  // 0440 instead of 0700 / 0400.
  explicit EvidenceStore(std::filesystem::path root, bool group_readable = false);

  // The default root for a database file: "x/fleet.db" → "x/fleet.evidence".
  static std::filesystem::path default_root(const std::filesystem::path& database_path);

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  [[nodiscard]] bool configured() const { return !root_.empty(); }

  // Copies the file into the store, hashing the bytes as they are copied. Errors: not_found
  // (no such file), input (not a regular file), io.
  Result<StoredObject> put_file(const std::string& source_path);
  Result<StoredObject> put_bytes(std::string_view bytes);

  // Where the object for `sha256` lives (whether or not it is there).
  [[nodiscard]] std::filesystem::path path_of(const std::string& sha256) const;
  [[nodiscard]] bool contains(const std::string& sha256) const;

  // Re-hashes the stored object: integrity error when it is missing or its bytes changed.
  Status verify(const std::string& sha256) const;

 private:
  Status ensure_folder(const std::filesystem::path& folder) const;
  Result<StoredObject> adopt(const std::string& temp_path, const std::string& sha256, std::int64_t size);

  std::filesystem::path root_;
  mode_t folder_mode_ = 0700;
  mode_t object_mode_ = 0400;
};

// SHA-256 (hex) of a file's bytes, streamed. Errors name the path.
Result<std::string> sha256_of_file(const std::string& path, std::int64_t* size_bytes = nullptr);

}  // namespace niikit::services
