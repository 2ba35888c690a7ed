// Text views of the topic scanner and document: the asset register and its evidence documents.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_scanner_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
