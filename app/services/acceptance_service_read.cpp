// Reading sessions for `test show`, reports and trends; signature verification.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/services/acceptance_service.hpp"
#include "app/services/acceptance_service_internal.hpp"
#include "app/services/signatures.hpp"
#include "db/audit.hpp"

namespace niikit::services {

using namespace acceptance_detail;

namespace {

std::vector<SignatureStatus> check_signatures(SQLite::Database& sql, const std::vector<db::Signature>& signatures,
                                              const std::string& current, const std::string& stored) {
  const SessionSignatureChecker checker(sql);
  std::vector<SignatureStatus> out;
  for (const auto& g : signatures) {
    auto c = checker.check(g, current, stored);
    out.push_back({g, c.valid, std::move(c.status), std::move(c.key_fingerprint)});
  }
  return out;
}

Result<SessionDetail> detail_in(SQLite::Database& sql, std::int64_t session_id) {
  auto session = session_in(sql, session_id, false);
  if (!session) return tl::unexpected(session.error());
  SessionDetail d;
  d.session = *session;
  d.scanner = *db::find_scanner(sql, std::to_string(session->scanner_id));
  d.requirements = session_requirements(*session);
  d.witnesses = db::witnesses_for(sql, session_id);
  d.kit_runs = db::kit_runs_for(sql, session_id);
  d.measurements = db::measurements_for(sql, session_id);
  d.deviations = db::deviations_raised_in(sql, session_id);
  for (auto& dev : db::deviations_for_scanner(sql, session->scanner_id))
    if (dev.closed_by_session == session_id && dev.session_id != session_id) d.closed_deviations.push_back(dev);
  const bool closed = session->status == "closed";
  d.results = closed ? stored_results(*session, d.witnesses) : judge_session(sql, *session);
  // A verdict carried over from the retested session was witnessed there, not here.
  std::map<std::int64_t, std::vector<std::string>> source_witnesses;
  for (auto& r : d.results) {
    if (!r.from_session) continue;
    auto [it, fresh] = source_witnesses.try_emplace(*r.from_session);
    if (fresh)
      for (const auto& w : db::witnesses_for(sql, *r.from_session)) it->second.push_back(w.name);
    r.witnessed_by = it->second;
  }
  d.current_content_sha256 = db::sha256_hex(
      db::canonical_session_content(*session, d.witnesses, d.kit_runs, d.measurements, d.deviations));
  d.content_intact = !closed || d.current_content_sha256 == session->content_sha256;
  d.signatures = check_signatures(sql, db::signatures_for(sql, session_id), d.current_content_sha256,
                                  closed ? session->content_sha256 : std::string{});
  for (const auto& r : d.results) {
    if (!r.requirement.mandatory) continue;
    ++d.mandatory_total;
    if (r.verdict == domain::Verdict::pass) ++d.mandatory_passed;
    if (r.verdict == domain::Verdict::fail) ++d.mandatory_failed;
    if (r.verdict == domain::Verdict::not_measured) ++d.mandatory_not_measured;
  }
  return d;
}

}  // namespace

Result<SessionDetail> session_detail(db::Database& db, std::int64_t session_id) {
  return db.read([&](SQLite::Database& sql) { return detail_in(sql, session_id); });
}

Result<std::vector<SignatureStatus>> verify_signatures(db::Database& db, std::int64_t session_id) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<SignatureStatus>> {
    auto session = session_in(sql, session_id, false);
    if (!session) return tl::unexpected(session.error());
    return check_signatures(sql, db::signatures_for(sql, session_id), db::session_content_sha256(sql, session_id),
                            session->status == "closed" ? session->content_sha256 : std::string{});
  });
}

Result<db::TestSession> latest_session(db::Database& db, const std::string& scanner, const std::string& phase_text) {
  auto phase = parse_phase(phase_text);
  if (!phase) return tl::unexpected(phase.error());
  return db.read([&](SQLite::Database& sql) -> Result<db::TestSession> {
    auto s = db::find_scanner(sql, scanner);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
    auto session = db::latest_session_of(sql, s->id, *phase);
    if (!session) return fail(ErrorCode::not_found, fmt::format("scanner {}: no {} session recorded", s->asset_tag, *phase));
    return *session;
  });
}

Result<std::vector<db::TestSession>> list_sessions(db::Database& db, const std::string& scanner) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<db::TestSession>> {
    std::optional<std::int64_t> id;
    if (!scanner.empty()) {
      auto s = db::find_scanner(sql, scanner);
      if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
      id = s->id;
    }
    return db::list_sessions(sql, id);
  });
}

Result<std::vector<TrendPoint>> metric_trend(db::Database& db, const std::string& scanner, const std::string& metric_key) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<TrendPoint>> {
    auto s = db::find_scanner(sql, scanner);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
    std::map<std::int64_t, db::Measurement> last;   // session → its newest value of the metric
    for (auto& m : db::measurements_of_metric(sql, s->id, metric_key)) {
      auto it = last.find(m.session_id);
      if (it == last.end() || supersedes(m, it->second)) last[m.session_id] = m;
    }
    std::vector<TrendPoint> out;
    for (const auto& [session_id, m] : last) {
      auto session = db::find_session(sql, session_id);
      TrendPoint p;
      p.value = m.value;
      p.unit = m.unit;
      p.at_utc = m.recorded_at_utc;
      p.session_id = session_id;
      p.phase = session->phase;
      for (const auto& r : session_requirements(*session)) {
        if (r.metric_key != metric_key || !verified_in_phase(r, session->phase)) continue;
        p.requirement = r;
        if (r.unit == m.unit || (r.unit == "bool" && m.unit.empty())) p.verdict = domain::judge(r, m.value).verdict;
        break;
      }
      out.push_back(std::move(p));
    }
    return out;
  });
}

}  // namespace niikit::services
