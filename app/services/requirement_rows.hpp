// Stored requirement rows (db::RequirementRow, plain data) ↔ domain::Requirement. The db layer
// stores what it is given; the comparator symbols it holds are domain::comparator_symbol()'s,
// checked by the schema. Pure, thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <vector>

#include "app/domain/requirements.hpp"
#include "db/procurement.hpp"

namespace niikit::services {

db::RequirementRow to_row(const domain::Requirement& r);
domain::Requirement from_row(const db::RequirementRow& row);
std::vector<domain::Requirement> from_rows(const std::vector<db::RequirementRow>& rows);

// The requirements of a specification version, as domain values.
std::vector<domain::Requirement> load_requirements(SQLite::Database& sql, std::int64_t specification_id);
// Replaces the version's requirements (audited, in the caller's unit of work).
Status store_requirements(db::WriteTx& tx, std::int64_t specification_id,
                          const std::vector<domain::Requirement>& requirements);

}  // namespace niikit::services
