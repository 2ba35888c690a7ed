// The Open Contracting Data Standard 1.1 release package of a tender (issue 14): one release
// with the parties, the tender (lots with their award criteria, items, the specification's
// requirements as OCDS criteria, the evaluation report document), the bids (statistics,
// details with requirement responses; prices once the evaluation is complete), the
// awards and the contracts with their milestones. Uses the bid, lots, awardCriteria and
// requirements extensions. Evaluator scores stay internal: OCDS has no field for them.
// Validated against the schemas in ../shared/schemas/ocds-1.1 by tests/tools/validate_ocds.py.
// Pure reads; not thread-safe (uses the caller's Database).
#pragma once

#include <QJsonObject>

#include <string>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::services {

struct OcdsOptions {
  std::string ocid_prefix = "ocds-niikit";  // the administration's registered prefix ("ocds-" + 6 characters)
  std::string publisher = "niikit";         // the publishing organisation (also the buyer's name)
};

// Errors: not_found (tender), input (an ocid prefix that is not "ocds-" + 6 characters).
Result<QJsonObject> tender_ocds_package(db::Database& db, const std::string& tender, const OcdsOptions& options);

}  // namespace niikit::services
