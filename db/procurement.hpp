// Procurement projects and their versioned specifications (migration 0003_procurement.sql):
// the repository functions that read and write procurements, specification versions, the
// requirements each version holds, and which scanners a procurement bought.
//
// A specification version is a draft while it is being written and frozen once approved; a
// frozen version is never changed again (the service refuses, and schema triggers abort any
// UPDATE/DELETE that slips past it). The newest frozen version of a scanner's procurement is
// the one its acceptance tests are judged against (specification_for_scanner).
//
// Writes take a WriteTx so they run in the caller's unit of work and are audited; reads take
// the connection. Requirements are stored as plain RequirementRow values; the services map them
// onto domain::Requirement (app/services/requirement_rows.hpp), so this layer knows no
// requirement rules and includes nothing from app/. Not thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <set>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db {

// One stored requirement clause, as plain data (columns of spec_requirements).
struct RequirementRow {
  std::string id;                     // requirement_id, unique within the version ("IQ-01")
  std::string text;
  std::string category;
  bool mandatory = true;
  std::string metric_key;
  std::string comparator;             // ">=", ">", "<=", "<", "==", "true" (schema CHECK)
  double target = 0;                  // in `unit`
  double tolerance = 0;
  std::string unit;
  std::string method;
  std::set<std::string> verified_at;  // phases
};

struct Procurement {
  std::int64_t id = 0;
  std::string reference;                   // unique, e.g. "GRA-NII-2026-01"
  std::string title;
  std::string description;
  std::optional<std::int64_t> budget_minor;  // budget in minor units (cents) of `currency`; nullopt: not stated
  std::string currency;                    // ISO 4217 code ("USD"), empty when no budget
  std::string created_at_utc;
};

struct Specification {
  std::int64_t id = 0;
  std::int64_t procurement_id = 0;
  int version = 0;                         // 1..n within the procurement
  std::string status;                      // draft | frozen
  std::string source_file;                 // file the requirements were last imported from (name only)
  std::string created_at_utc;
  std::string updated_at_utc;              // last import into this draft
  std::optional<std::string> frozen_at_utc;
  std::optional<std::int64_t> frozen_by;   // people.id
  std::string frozen_by_name;              // read-only, joined
  std::string requirements_sha256;         // SHA-256 of requirements_to_json() at freeze; empty for a draft
  int requirement_count = 0;               // read-only, counted
};

// The specification a scanner's acceptance is judged against: the newest FROZEN version of
// the procurement the scanner is linked to.
struct ScannerSpecification {
  std::int64_t procurement_id = 0;
  std::string procurement_reference;
  std::int64_t specification_id = 0;
  int version = 0;
  std::string sha256;                      // requirements_sha256 recorded at freeze
  std::string frozen_at_utc;
  std::string frozen_by_name;
  std::vector<RequirementRow> requirements;   // in specification order
};

// One scanner's specification state for the stage gates (batch form).
struct SpecSummary {
  std::string procurement_reference;
  bool frozen = false;             // a frozen version exists
  int version = 0;                 // newest frozen version; when none is frozen, the newest draft's; 0: no version
  std::int64_t specification_id = 0;  // that version's id; 0 when none
  int mandatory_without_method = 0;    // in that version: mandatory requirements with no method or no phase
};

struct LinkedScanner {
  std::int64_t scanner_id = 0;
  std::string asset_tag;
  std::string stage;
  std::string linked_at_utc;
};

// --- procurements
Result<std::int64_t> insert_procurement(WriteTx& tx, const Procurement& p);
Status update_procurement(WriteTx& tx, const Procurement& p);
std::optional<Procurement> find_procurement(SQLite::Database& sql, const std::string& reference_or_id);
std::vector<Procurement> list_procurements(SQLite::Database& sql);

// --- scanners bought by a procurement (a scanner belongs to at most one)
Result<std::int64_t> link_scanner(WriteTx& tx, std::int64_t procurement_id, std::int64_t scanner_id);
Status unlink_scanner(WriteTx& tx, std::int64_t scanner_id);
std::optional<Procurement> procurement_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);
std::vector<LinkedScanner> scanners_of_procurement(SQLite::Database& sql, std::int64_t procurement_id);

// --- specification versions
Result<std::int64_t> insert_specification(WriteTx& tx, const Specification& s);
// Writes status, source_file, updated_at_utc, frozen_at_utc, frozen_by, requirements_sha256.
Status update_specification(WriteTx& tx, const Specification& s);
std::vector<Specification> list_specifications(SQLite::Database& sql, std::int64_t procurement_id);
// `version` nullopt: the newest version (draft or frozen).
std::optional<Specification> find_specification(SQLite::Database& sql, std::int64_t procurement_id,
                                                std::optional<int> version);
std::optional<Specification> find_specification_by_id(SQLite::Database& sql, std::int64_t specification_id);
// The newest frozen version of a procurement, if any.
std::optional<Specification> newest_frozen_specification(SQLite::Database& sql, std::int64_t procurement_id);

// --- requirements of a version
std::vector<RequirementRow> requirements_of(SQLite::Database& sql, std::int64_t specification_id);
// Deletes the version's requirement rows and inserts `requirements` in order (each audited).
// The caller checks that the version is a draft.
Status replace_requirements(WriteTx& tx, std::int64_t specification_id,
                            const std::vector<RequirementRow>& requirements);

// --- what acceptance and the gates read
std::optional<ScannerSpecification> specification_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);
// Every linked scanner's SpecSummary with a constant number of queries (scanners not linked
// to a procurement are absent).
std::map<std::int64_t, SpecSummary> specification_status_by_scanner(SQLite::Database& sql);

}  // namespace niikit::db
