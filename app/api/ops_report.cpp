// Operations of the topic report: acceptance, survey and trend reports.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_report_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
