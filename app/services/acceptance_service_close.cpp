// Judging and closing a session (docs/acceptance.md "Verdict rules"), and the helpers the
// acceptance service files share (acceptance_service_internal.hpp).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/time_format.hpp"
#include "app/services/acceptance_service.hpp"
#include "app/services/acceptance_service_internal.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"

namespace niikit::services {

namespace acceptance_detail {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

domain::Verdict parse_verdict(const std::string& code) {
  if (code == "pass") return domain::Verdict::pass;
  if (code == "fail") return domain::Verdict::fail;
  return domain::Verdict::not_measured;
}

std::vector<StoredResult> parse_results_json(const std::string& json) {
  std::vector<StoredResult> out;
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
  for (const auto& item : doc.array()) {
    const auto o = item.toObject();
    StoredResult r;
    r.requirement_id = o.value("requirement_id").toString().toStdString();
    r.mandatory = o.value("mandatory").toBool(true);
    r.metric_key = o.value("metric_key").toString().toStdString();
    r.verdict = o.value("verdict").toString().toStdString();
    r.reason = o.value("reason").toString().toStdString();
    if (o.value("measured").isDouble()) r.measured = o.value("measured").toDouble();
    r.unit = o.value("unit").toString().toStdString();
    if (o.value("measurement_id").isDouble()) r.measurement_id = o.value("measurement_id").toInteger();
    if (o.value("from_session").isDouble()) r.from_session = o.value("from_session").toInteger();
    out.push_back(std::move(r));
  }
  return out;
}

std::string results_to_json(const std::vector<RequirementResult>& results) {
  QJsonArray arr;
  for (const auto& r : results) {
    QJsonObject o{{"requirement_id", qs(r.requirement.id)},
                  {"mandatory", r.requirement.mandatory},
                  {"metric_key", qs(r.requirement.metric_key)},
                  {"verdict", qs(std::string(domain::verdict_code(r.verdict)))},
                  {"reason", qs(r.reason)},
                  {"unit", qs(r.unit)}};
    if (r.measured) o["measured"] = *r.measured;
    if (r.measurement_id) o["measurement_id"] = static_cast<qint64>(*r.measurement_id);
    if (r.from_session) o["from_session"] = static_cast<qint64>(*r.from_session);
    arr.append(o);
  }
  return QJsonDocument(arr).toJson(QJsonDocument::Compact).toStdString();
}

std::vector<domain::Requirement> session_requirements(const db::TestSession& session) {
  auto reqs = domain::parse_requirements_json(session.requirements_json, fmt::format("session {}", session.id));
  return reqs ? *reqs : std::vector<domain::Requirement>{};
}

bool verified_in_phase(const domain::Requirement& r, const std::string& phase) {
  if (r.verified_at.count(phase)) return true;
  return phase == "return_to_service" && r.verified_at.count("periodic");
}

Result<db::Person> person_in(SQLite::Database& sql, const std::string& key, const std::string& what) {
  if (auto p = db::find_person(sql, key)) return *p;
  return fail(ErrorCode::not_found, fmt::format("{} '{}': no such person (niikit person add)", what, key));
}

Result<db::TestSession> session_in(SQLite::Database& sql, std::int64_t id, bool must_be_open) {
  auto s = db::find_session(sql, id);
  if (!s) return fail(ErrorCode::not_found, fmt::format("session {}: not found", id));
  if (must_be_open && s->status != "open")
    return fail(ErrorCode::conflict, fmt::format("session {}: closed on {} (verdict {}); a closed session takes no "
                                                 "more evidence — start a retest session",
                                                 id, s->closed_at_utc.value_or("?"), s->verdict.value_or("?")));
  return *s;
}

bool supersedes(const db::Measurement& candidate, const db::Measurement& held) {
  return candidate.source == "kit" || held.source != "kit";
}

std::vector<RequirementResult> judge_session(SQLite::Database& sql, const db::TestSession& session) {
  std::map<std::string, db::Measurement> latest;   // metric key → the measurement that stands in the session
  for (auto& m : db::measurements_for(sql, session.id)) {
    auto it = latest.find(m.metric_key);
    if (it == latest.end() || supersedes(m, it->second)) latest[m.metric_key] = m;
  }
  std::map<std::string, StoredResult> carried;     // requirement id → result of the retested session
  if (session.retest_of)
    if (auto earlier = db::find_session(sql, *session.retest_of))
      for (auto& r : parse_results_json(earlier->results_json)) {
        if (!r.from_session) r.from_session = earlier->id;
        carried[r.requirement_id] = r;
      }
  std::vector<std::string> witnesses;
  for (const auto& w : db::witnesses_for(sql, session.id)) witnesses.push_back(w.name);
  std::vector<RequirementResult> out;
  for (const auto& req : session_requirements(session)) {
    if (!verified_in_phase(req, session.phase)) continue;
    RequirementResult r;
    r.requirement = req;
    r.unit = req.unit;
    r.witnessed_by = witnesses;
    if (auto it = latest.find(req.metric_key); it != latest.end()) {
      const auto& m = it->second;
      r.measurement_id = m.id;
      r.measured = m.value;
      const bool same_unit = m.unit == req.unit || (req.unit == "bool" && m.unit.empty());
      if (same_unit) {
        auto j = domain::judge(req, m.value);
        r.verdict = j.verdict;
        r.reason = j.reason;
      } else {
        r.reason = fmt::format("measured in '{}', the requirement is in '{}'", m.unit, req.unit);
      }
    } else if (auto c = carried.find(req.id); c != carried.end() && c->second.verdict != "not_measured") {
      r.verdict = parse_verdict(c->second.verdict);
      r.reason = c->second.reason + fmt::format(" (session {})", *c->second.from_session);
      r.measured = c->second.measured;
      r.measurement_id = c->second.measurement_id;
      r.from_session = c->second.from_session;
    } else {
      r.reason = domain::judge(req, std::nullopt).reason;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<RequirementResult> stored_results(const db::TestSession& session, const std::vector<db::Witness>& witnesses) {
  std::map<std::string, domain::Requirement> reqs;
  for (auto& r : session_requirements(session)) reqs[r.id] = r;
  std::vector<std::string> names;
  for (const auto& w : witnesses) names.push_back(w.name);
  std::vector<RequirementResult> out;
  for (const auto& s : parse_results_json(session.results_json)) {
    RequirementResult r;
    if (auto it = reqs.find(s.requirement_id); it != reqs.end()) r.requirement = it->second;
    r.requirement.id = s.requirement_id;
    r.verdict = parse_verdict(s.verdict);
    r.reason = s.reason;
    r.measured = s.measured;
    r.unit = s.unit;
    r.measurement_id = s.measurement_id;
    r.from_session = s.from_session;
    r.witnessed_by = names;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace acceptance_detail

using namespace acceptance_detail;

namespace {

// Deviations are matched within a family of phases: periodic QC and return-to-service QC judge
// the same kind of evidence, so a return-to-service retest closes what a periodic QC raised.
std::string phase_family(const std::string& phase) {
  return phase == "periodic" || phase == "return_to_service" ? "qc" : phase;
}

// Raises a deviation for each failing requirement measured in this session, unless one is
// already open for it on the scanner in this phase; closes the phase's earlier open deviations
// of requirements this session measured and passed.
Status settle_deviations(db::WriteTx& tx, const db::TestSession& s, const db::Person& by,
                         const std::vector<RequirementResult>& results, CloseOutcome& out) {
  auto all = db::deviations_for_scanner(tx.sql(), s.scanner_id);
  for (const auto& r : results) {
    if (r.from_session || r.verdict == domain::Verdict::not_measured) continue;
    if (r.verdict == domain::Verdict::fail) {
      const bool open = std::any_of(all.begin(), all.end(), [&](const db::Deviation& d) {
        return d.status == "open" && phase_family(d.phase) == phase_family(s.phase) &&
               d.requirement_id == r.requirement.id;
      });
      if (open) continue;
      db::Deviation d;
      d.session_id = s.id;
      d.requirement_id = r.requirement.id;
      d.severity = r.requirement.mandatory ? "major" : "minor";
      d.description = fmt::format("{} failed at {} session {}: {}", r.requirement.id, s.phase, s.id, r.reason);
      d.raised_automatically = true;
      d.raised_by = by.id;
      auto id = db::insert_deviation(tx, d);
      if (!id) return tl::unexpected(id.error());
      out.raised.push_back(*db::find_deviation(tx.sql(), *id));
      continue;
    }
    for (auto& d : all) {
      if (d.status != "open" || phase_family(d.phase) != phase_family(s.phase) || d.session_id == s.id ||
          d.requirement_id != r.requirement.id)
        continue;
      d.status = "closed";
      d.resolution_note = fmt::format("closed by retest, session {}: {}", s.id, r.reason);
      d.closed_by_session = s.id;
      d.closed_at_utc = format_utc(tx.now());
      d.closed_by = by.id;
      if (auto st = db::update_deviation_status(tx, d); !st) return tl::unexpected(st.error());
      out.closed_by_retest.push_back(*db::find_deviation(tx.sql(), d.id));
    }
  }
  return {};
}

int open_major_in_phase(SQLite::Database& sql, const db::TestSession& s) {
  int major = 0;
  const auto counts = db::open_deviation_counts(sql, s.scanner_id);
  const auto it = counts.find(s.scanner_id);
  if (it == counts.end()) return 0;
  for (const auto& [phase, count] : it->second)
    if (phase_family(phase) == phase_family(s.phase)) major += count.major;
  return major;
}

}  // namespace

Result<CloseOutcome> close_session(db::Database& db, std::int64_t session_id, const std::string& by_key) {
  if (by_key.empty()) return fail(ErrorCode::usage, "closing a session needs --by PERSON");
  auto by = get_person(db, by_key);
  if (!by) return tl::unexpected(by.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<CloseOutcome> {
    auto session = session_in(tx.sql(), session_id, true);
    if (!session) return tl::unexpected(session.error());
    CloseOutcome out;
    out.results = judge_session(tx.sql(), *session);
    if (auto st = settle_deviations(tx, *session, *by, out.results, out); !st) return tl::unexpected(st.error());
    const bool mandatory_ok = std::all_of(out.results.begin(), out.results.end(), [](const RequirementResult& r) {
      return !r.requirement.mandatory || r.verdict == domain::Verdict::pass;
    });
    const bool passed = mandatory_ok && open_major_in_phase(tx.sql(), *session) == 0;
    db::TestSession s = *session;
    s.status = "closed";
    s.closed_at_utc = format_utc(tx.now());
    s.closed_by = by->id;
    s.verdict = passed ? "pass" : "fail";
    s.results_json = results_to_json(out.results);
    s.content_sha256 = db::sha256_hex(db::canonical_session_content(
        s, db::witnesses_for(tx.sql(), s.id), db::kit_runs_for(tx.sql(), s.id), db::measurements_for(tx.sql(), s.id),
        db::deviations_raised_in(tx.sql(), s.id)));
    if (auto st = db::update_session_close(tx, s); !st) return tl::unexpected(st.error());
    out.session = *db::find_session(tx.sql(), s.id);
    if (!passed && (s.phase == "periodic" || s.phase == "return_to_service")) {
      std::string failed;
      for (const auto& r : out.results)
        if (r.requirement.mandatory && r.verdict != domain::Verdict::pass)
          failed += (failed.empty() ? "" : ", ") + r.requirement.id;
      auto forced = force_out_of_service_in(
          tx, s.scanner_id, *by,
          fmt::format("{} QC session {} failed{}", s.phase == "periodic" ? "periodic" : "return-to-service", s.id,
                      failed.empty() ? " (open major deviation)" : ": " + failed));
      if (!forced) return tl::unexpected(forced.error());
      out.out_of_service = *forced;
    }
    return out;
  });
}

}  // namespace niikit::services
