// Text views of the topic report: acceptance, survey and trend reports.
#include "app/cli/views.hpp"

namespace niikit::cli {

void add_report_views(ViewTable& t) { (void)t; }

}  // namespace niikit::cli
