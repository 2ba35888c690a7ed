// Text views of the topic phantom, image, iq and kit: test objects, images, metrics and kits.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_imaging_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
