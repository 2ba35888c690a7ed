// Where the stage gates' facts come from. Each feature that records something a gate reads
// (documents, acceptance test sessions, radiation safety records, maintenance) supplies one
// GateFactSource: it loads what it needs for one scanner or for the whole fleet with a
// constant number of queries, then fills its fields of domain::GateFacts per scanner. The
// sources are listed explicitly, in one place, by gate_fact_sources() (lifecycle_service.cpp).
//
// A source lives inside the caller's read or write transaction and must not outlive it.
// Not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/domain/lifecycle.hpp"
#include "db/registry.hpp"

namespace niikit::services {

class GateFactSource {
 public:
  virtual ~GateFactSource() = default;
  // Fills this source's fields of `facts` for `scanner` (one of the scanners it was loaded for).
  virtual void fill(const db::Scanner& scanner, domain::GateFacts& facts) const = 0;
};

// Loads a source for one scanner (`only_scanner`) or for every scanner (nullopt), as of
// `now_utc` (licence expiry, survey validity).
using GateFactLoader = std::unique_ptr<GateFactSource> (*)(SQLite::Database& sql,
                                                            std::optional<std::int64_t> only_scanner,
                                                            const std::string& now_utc);

// Every loader, in the order they fill (later ones may read fields filled by earlier ones).
const std::vector<GateFactLoader>& gate_fact_sources();

}  // namespace niikit::services
