// Placeholder until the image I/O lands (issue 3); every reader refuses.
#include "testkits/image/image.hpp"

namespace niikit::testkits {
namespace {
tl::unexpected<Error> pending(const std::string& path) {
  return fail(ErrorCode::internal, path + ": image I/O not built yet");
}
}  // namespace
Result<Image> read_image(const std::string& path) { return pending(path); }
Result<std::vector<Image>> read_image_pages(const std::string& path) { return pending(path); }
Result<DualEnergyImage> read_dual_energy(const std::string& path) { return pending(path); }
Result<DualEnergyImage> read_dual_energy(const std::string& h, const std::string&) { return pending(h); }
Result<Image> read_raw16(const std::string& path, int, int) { return pending(path); }
Status write_image(const std::string& path, const Image&) { return pending(path); }
Status write_image_pages(const std::string& path, const std::vector<Image>&) { return pending(path); }
Status write_raw16(const std::string& path, const Image&) { return pending(path); }
}  // namespace niikit::testkits
