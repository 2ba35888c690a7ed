// Gate facts from the tender records (issue 14): the approved needs record, a completed
// evaluation, an award and a signed contract of the scanner's procurement (GateFactSource, see
// gate_facts.hpp). Not thread-safe.
#pragma once

#include "app/services/gate_facts.hpp"

namespace niikit::services {

std::unique_ptr<GateFactSource> load_tender_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                  const std::string& now_utc);

}  // namespace niikit::services
