// Operations of the topic phantom, image, iq and kit: test objects, images, metrics and kits.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_imaging_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
