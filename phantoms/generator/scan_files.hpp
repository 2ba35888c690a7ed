// Writes a rendered scan to disk: the 16-bit image(s) and the truth JSON. Every file is written
// atomically (temporary + rename); when a later file fails, the files this call already wrote
// are removed, so a failed call leaves no partial set. Shared by `niikit phantom render` and the
// demo. Thread-safe for distinct paths.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "phantoms/generator/render.hpp"

namespace niikit::phantoms::generator {

struct ScanFilePaths {
  std::string image;       // .tif/.tiff/.png; a dual-energy scan goes in one two-page TIFF ...
  std::string low_image;   // ... unless this is set: then `image` holds high, this holds low
  std::string truth;       // truth JSON
};

struct WrittenFile {
  std::string path;
  std::string kind;        // "image" | "truth"
  std::string channel;     // "single" | "high" | "low" | "high+low" | "" (truth)
};

Result<std::vector<WrittenFile>> write_scan_files(const RenderedScan& scan, const ScanFilePaths& paths);

}  // namespace niikit::phantoms::generator
