// Atomic file output for the report writers: a uniquely named temporary file is created in the
// target's folder, the writer fills it, and `commit()` renames it over the target. If the
// object is destroyed without a successful commit the temporary file is removed, so a failed
// write leaves neither a partial target nor litter. One object per write; not thread-safe.
#pragma once

#include <string>

#include "core/error.hpp"

namespace niikit::reports {

class AtomicFile {
 public:
  // Creates the temporary file next to `target`; an `io` error names the target when the
  // folder does not exist or is not writable.
  static Result<AtomicFile> create(const std::string& target);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // The temporary file's path: write the whole document here (it exists, empty).
  [[nodiscard]] const std::string& temp_path() const { return temp_; }
  [[nodiscard]] const std::string& target() const { return target_; }

  // Writes `bytes` to the temporary file (replacing its content).
  Status write_all(const std::string& bytes);
  // Renames the temporary file over the target (with the target's usual 0644 permissions).
  Status commit();

 private:
  AtomicFile(std::string target, std::string temp) : target_(std::move(target)), temp_(std::move(temp)) {}
  std::string target_;
  std::string temp_;
  bool done_ = false;
};

}  // namespace niikit::reports
