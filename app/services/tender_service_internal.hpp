// Helpers shared by tender_service.cpp and tender_evaluation.cpp. Internal to app/services.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "app/services/tender_service.hpp"
#include "core/time_format.hpp"

namespace niikit::services::tender_detail {

inline Error not_found(std::string_view what, const std::string& key) {
  return Error{ErrorCode::not_found, fmt::format("{} '{}': not found", what, key)};
}

inline Result<db::TenderRow> load_tender(SQLite::Database& sql, const std::string& key) {
  auto t = db::find_tender(sql, key);
  if (!t) return tl::unexpected(not_found("tender", key));
  return *t;
}

// A date or timestamp from a request, as the stored UTC form. Errors: input naming `field`.
inline Result<std::string> utc_field(const std::string& text, const std::string& field) {
  auto t = parse_utc(text);
  if (!t) return fail_field(ErrorCode::input, field, fmt::format("'{}': expected a date YYYY-MM-DD or a UTC time "
                                                                 "YYYY-MM-DDTHH:MM:SSZ", text));
  return format_utc(*t);
}

inline std::optional<db::CommitteeRow> member_of(SQLite::Database& sql, std::int64_t tender_id, std::int64_t person_id) {
  for (auto& m : db::committee_of(sql, tender_id))
    if (m.person_id == person_id) return m;
  return std::nullopt;
}

inline Error refused(const db::TenderRow& t, std::string why) {
  return Error{ErrorCode::conflict, fmt::format("tender {}: {}", t.reference, why)};
}

inline Error forbidden(const db::TenderRow& t, std::string why) {
  return Error{ErrorCode::forbidden, fmt::format("tender {}: {}", t.reference, why)};
}

// The chair of the tender's committee (the acting person must be it).
inline Status require_chair(SQLite::Database& sql, const db::TenderRow& t, const Actor& actor, const char* what) {
  auto m = member_of(sql, t.id, actor.person_id);
  if (!m || m->committee_role != "chair")
    return tl::unexpected(forbidden(t, fmt::format("{} is for the committee chair; {} is not", what, actor.name)));
  return {};
}

inline db::CriterionRow const* criterion_by_code(const std::vector<db::CriterionRow>& criteria, const std::string& code) {
  for (const auto& c : criteria)
    if (c.code == code) return &c;
  return nullptr;
}

}  // namespace niikit::services::tender_detail
