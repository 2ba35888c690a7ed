// Operations of the topic scanner and document: the asset register and its evidence documents.
#include "app/api/operations.hpp"

namespace niikit::api {

void add_scanner_operations(Registry& r) { (void)r; }

}  // namespace niikit::api
