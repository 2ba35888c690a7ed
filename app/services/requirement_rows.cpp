#include "app/services/requirement_rows.hpp"

namespace niikit::services {

db::RequirementRow to_row(const domain::Requirement& r) {
  return db::RequirementRow{r.id,     r.text,      r.category, r.mandatory, r.metric_key,
                            std::string(domain::comparator_symbol(r.comparator)),
                            r.target, r.tolerance, r.unit,     r.method,    r.verified_at};
}

domain::Requirement from_row(const db::RequirementRow& row) {
  domain::Requirement r;
  r.id = row.id;
  r.text = row.text;
  r.category = row.category;
  r.mandatory = row.mandatory;
  r.metric_key = row.metric_key;
  // The schema's CHECK admits only the six symbols, all of which parse.
  r.comparator = domain::parse_comparator(row.comparator).value_or(domain::Comparator::at_least);
  r.target = row.target;
  r.tolerance = row.tolerance;
  r.unit = row.unit;
  r.method = row.method;
  r.verified_at = row.verified_at;
  return r;
}

std::vector<domain::Requirement> from_rows(const std::vector<db::RequirementRow>& rows) {
  std::vector<domain::Requirement> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(from_row(row));
  return out;
}

std::vector<domain::Requirement> load_requirements(SQLite::Database& sql, std::int64_t specification_id) {
  return from_rows(db::requirements_of(sql, specification_id));
}

Status store_requirements(db::WriteTx& tx, std::int64_t specification_id,
                          const std::vector<domain::Requirement>& requirements) {
  std::vector<db::RequirementRow> rows;
  rows.reserve(requirements.size());
  for (const auto& r : requirements) rows.push_back(to_row(r));
  return db::replace_requirements(tx, specification_id, rows);
}

}  // namespace niikit::services
