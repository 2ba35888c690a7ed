// The acceptance-testing source of stage-gate facts (see gate_facts.hpp): for each scanner, the
// newest closed FAT, SAT and return-to-service QC session (verdict, mandatory requirements failed
// or unverified, witnesses without a valid signature), open FAT/SAT deviations, and the state of
// the procurement specification (frozen, every mandatory requirement with a method).
//
// For one scanner (a stage move, `stage check`) signatures are checked against the session
// content recomputed from the stored records, so an SQL edit behind niikit's back shows. For
// the whole fleet (the board) they are checked against the content hash stored at close, which
// keeps the board at a constant number of queries independent of how much evidence is stored;
// `niikit audit verify` is what detects edited records there. Lives inside the caller's
// transaction; not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/services/gate_facts.hpp"

namespace niikit::services {

// GateFactLoader for gate_fact_sources(): 7 queries for the fleet, plus 5 per relevant session
// (at most three) for one scanner.
std::unique_ptr<GateFactSource> load_acceptance_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                      const std::string& now_utc);

}  // namespace niikit::services
