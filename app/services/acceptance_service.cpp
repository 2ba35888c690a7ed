// Acceptance sessions: start, evidence (kit runs, measurements), deviations and signatures.
// Closing and judging: acceptance_service_close.cpp; reading: acceptance_service_read.cpp.
#include "app/services/acceptance_service.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/time_format.hpp"
#include "core/version.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/domain/measurement_keys.hpp"
#include "app/domain/permissions.hpp"
#include "app/services/acceptance_service_kit.hpp"
#include "app/services/acceptance_service_internal.hpp"
#include "app/services/context.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/signatures.hpp"
#include "db/procurement.hpp"

namespace niikit::services {

using namespace acceptance_detail;

namespace {

const std::vector<std::pair<std::string, std::string>> kPhases{
    {"fat", "fat"}, {"sat", "sat"}, {"periodic", "in_service"}, {"return_to_service", "out_of_service"}};

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Levenshtein distance, for "did you mean" suggestions of metric keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

struct KnownKey {
  std::string unit;
  std::string source;   // "manual", "kit", "specification"
  bool manual_catalogue = false;
  std::string category;
};

// Every metric key a measurement may carry: the manual catalogue, every kit's metric keys and
// the keys the session's own specification names.
std::map<std::string, KnownKey> known_keys(const db::TestSession& session) {
  std::map<std::string, KnownKey> keys;
  for (const auto& r : session_requirements(session)) keys[r.metric_key] = {r.unit, "specification", false, r.category};
  for (const auto& [key, unit] : kit_metric_units()) keys[key] = {unit, "kit", false, "image_quality"};
  for (const auto& k : domain::measurement_keys())
    keys[std::string(k.key)] = {std::string(k.unit), "manual", true, std::string(k.category)};
  return keys;
}

std::string near_matches(const std::string& key, const std::map<std::string, KnownKey>& keys) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& [k, _] : keys) {
    std::size_t d = edit_distance(key, k);
    if (k.find(key) != std::string::npos || key.find(k) != std::string::npos) d = std::min<std::size_t>(d, 2);
    scored.emplace_back(d, k);
  }
  std::sort(scored.begin(), scored.end());
  std::string out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i)
    if (scored[i].first <= std::max<std::size_t>(4, key.size() / 3)) out += (out.empty() ? "" : ", ") + scored[i].second;
  return out;
}

std::string unit_text(const std::string& unit) { return unit.empty() ? "(no unit)" : "'" + unit + "'"; }

Status check_not_vendor(const db::Person& p, const std::string& what) {
  if (p.role == "vendor")
    return fail(ErrorCode::gate_refused, fmt::format("person '{}': a vendor cannot {} for the administration", p.name, what));
  return {};
}

// A typed value of a metric that a kit produces is a different method ("manual"): it is refused
// once a kit run of the session measured the metric (a typed number never replaces a kit's
// measurement), and otherwise needs the instrument and the reason (--note) it was measured by hand.
Status check_manual_against_kit(SQLite::Database& sql, const db::TestSession& session, const MeasurementRequest& req,
                                bool kit_metric) {
  for (const auto& m : db::measurements_for(sql, session.id)) {
    if (m.metric_key != req.metric_key || m.source != "kit") continue;
    return fail(ErrorCode::conflict,
                fmt::format("metric {}: measured by kit run {} ({}: {:g} {}) in session {}; a typed value cannot "
                            "replace a kit's measurement (run the kit again, or start a retest session)",
                            req.metric_key, m.kit_run_id.value_or(0), m.instrument, m.value, m.unit, session.id));
  }
  if (!kit_metric) return {};
  const auto blank = [](const std::string& t) { return t.find_first_not_of(" \t") == std::string::npos; };
  if (blank(req.instrument) || blank(req.note))
    return fail(ErrorCode::usage, fmt::format("metric {}: a kit measures this metric; a manual value needs "
                                              "--instrument (what measured it) and --note (why no kit run)",
                                              req.metric_key));
  return {};
}

}  // namespace

Result<std::string> parse_phase(const std::string& text) {
  std::string code = lower(text);
  std::replace(code.begin(), code.end(), '-', '_');
  if (code == "rts" || code == "return") code = "return_to_service";
  for (const auto& [phase, _] : kPhases)
    if (code == phase) return phase;
  return fail(ErrorCode::input, fmt::format("phase '{}': expected one of fat, sat, periodic, return-to-service", text));
}

std::string stage_for_phase(const std::string& phase) {
  for (const auto& [p, stage] : kPhases)
    if (p == phase) return stage;
  return "";
}

Result<db::TestSession> start_session(db::Database& db, const StartSessionRequest& req) {
  auto phase = parse_phase(req.phase);
  if (!phase) return tl::unexpected(phase.error());
  if (req.by.empty()) return fail(ErrorCode::usage, "a test session needs --by PERSON (who starts it)");
  if ((*phase == "fat" || *phase == "sat") && req.witnesses.empty())
    return fail(ErrorCode::usage, fmt::format("a {} session needs at least one --witness PERSON", *phase));
  auto by = get_person(db, req.by);
  if (!by) return tl::unexpected(by.error());
  if (auto st = domain::permits(actor_of(*by), "test.start"); !st) return tl::unexpected(st.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<db::TestSession> {
    auto scanner = db::find_scanner(tx.sql(), req.scanner);
    if (!scanner) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", req.scanner));
    const std::string stage = stage_for_phase(*phase);
    if (scanner->stage != stage)
      return fail(ErrorCode::gate_refused,
                  fmt::format("scanner {}: a {} session needs the scanner at stage {}, it is at {}", scanner->asset_tag,
                              *phase, stage, scanner->stage));
    if (auto open = db::latest_session_of(tx.sql(), scanner->id, *phase, std::string("open")))
      return fail(ErrorCode::conflict, fmt::format("scanner {}: {} session {} is still open; close it first",
                                                   scanner->asset_tag, *phase, open->id));
    auto spec = db::specification_for_scanner(tx.sql(), scanner->id);
    if (!spec)
      return fail(ErrorCode::gate_refused,
                  fmt::format("scanner {}: no frozen specification to test against (link the scanner to a "
                              "procurement whose specification is frozen)", scanner->asset_tag));
    const auto spec_requirements = from_rows(spec->requirements);
    const bool any = std::any_of(spec_requirements.begin(), spec_requirements.end(),
                                 [&](const auto& r) { return verified_in_phase(r, *phase); });
    if (!any)
      return fail(ErrorCode::gate_refused, fmt::format("scanner {}: specification {} v{} has no requirement verified "
                                                       "at {}", scanner->asset_tag, spec->procurement_reference,
                                                       spec->version, *phase));
    db::TestSession s;
    s.scanner_id = scanner->id;
    s.phase = *phase;
    s.location = req.location;
    s.specification_id = spec->specification_id;
    s.specification_version = spec->version;
    s.specification_sha256 = spec->sha256;
    s.requirements_json = domain::requirements_to_json(spec_requirements);
    s.started_by = by->id;
    if (req.retest_of) {
      auto earlier = db::find_session(tx.sql(), *req.retest_of);
      if (!earlier || earlier->scanner_id != scanner->id || earlier->phase != *phase || earlier->status != "closed")
        return fail(ErrorCode::input, fmt::format("--retest-of {}: not a closed {} session of scanner {}",
                                                  *req.retest_of, *phase, scanner->asset_tag));
      s.retest_of = earlier->id;
    }
    auto id = db::insert_session(tx, s);
    if (!id) return tl::unexpected(id.error());
    std::set<std::int64_t> seen;
    for (const auto& name : req.witnesses) {
      auto p = person_in(tx.sql(), name, "--witness");
      if (!p) return tl::unexpected(p.error());
      if (p->id == by->id)
        return fail(ErrorCode::forbidden, fmt::format("--witness {}: {} runs the session and cannot be its witness; name "
                                                      "someone independent", name, p->name));
      if (!seen.insert(p->id).second) continue;
      if (auto w = db::insert_witness(tx, *id, p->id); !w) return tl::unexpected(w.error());
    }
    return *db::find_session(tx.sql(), *id);
  });
}

Result<db::Measurement> add_measurement(db::Database& db, const MeasurementRequest& req) {
  if (req.by.empty()) return fail(ErrorCode::usage, "a measurement needs --by PERSON");
  auto by = get_person(db, req.by);
  if (!by) return tl::unexpected(by.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<db::Measurement> {
    auto session = session_in(tx.sql(), req.session_id, true);
    if (!session) return tl::unexpected(session.error());
    const auto keys = known_keys(*session);
    auto it = keys.find(req.metric_key);
    if (it == keys.end()) {
      const auto near = near_matches(req.metric_key, keys);
      return fail(ErrorCode::input, fmt::format("metric '{}': unknown measurement key{}", req.metric_key,
                                                near.empty() ? " (see `niikit test keys`)" : "; did you mean " + near + "?"));
    }
    if (req.unit != it->second.unit)
      return fail(ErrorCode::input, fmt::format("metric {}: unit {} given, the key is measured in {}", req.metric_key,
                                                unit_text(req.unit), unit_text(it->second.unit)));
    if (!std::isfinite(req.value))
      return fail(ErrorCode::input, fmt::format("metric {}: value is not a finite number", req.metric_key));
    if (it->second.manual_catalogue)
      if (auto st = domain::check_measurement(req.metric_key, req.value); !st) return tl::unexpected(st.error());
    if (auto st = check_manual_against_kit(tx.sql(), *session, req, it->second.source == "kit"); !st)
      return tl::unexpected(st.error());
    if (it->second.category == "radiation" && req.instrument.empty())
      return fail(ErrorCode::usage, fmt::format("metric {}: a dose reading needs --instrument (the survey meter)",
                                                req.metric_key));
    db::Measurement m;
    m.session_id = session->id;
    m.metric_key = req.metric_key;
    m.value = req.value;
    m.unit = req.unit;
    m.source = "manual";
    m.instrument = req.instrument;
    m.instrument_serial = req.instrument_serial;
    m.note = req.note;
    m.recorded_by = by->id;
    auto id = db::insert_measurement(tx, m);
    if (!id) return tl::unexpected(id.error());
    for (auto& stored : db::measurements_for(tx.sql(), session->id))
      if (stored.id == *id) return stored;
    return fail(ErrorCode::internal, "measurement vanished after insert");
  });
}

Result<KitRunOutcome> add_kit_run(db::Database& db, const KitRunRequest& req) {
  if (req.by.empty()) return fail(ErrorCode::usage, "a kit run needs --by PERSON");
  auto by = get_person(db, req.by);
  if (!by) return tl::unexpected(by.error());
  // Refuse before the (possibly long) analysis when the session cannot take evidence.
  auto pre = db.read([&](SQLite::Database& sql) { return session_in(sql, req.session_id, true); });
  if (!pre) return tl::unexpected(pre.error());
  auto evidence = run_kit_for_session(req);
  if (!evidence) return tl::unexpected(evidence.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<KitRunOutcome> {
    auto session = session_in(tx.sql(), req.session_id, true);
    if (!session) return tl::unexpected(session.error());
    db::KitRun run = evidence->run;
    run.session_id = session->id;
    run.run_by = by->id;
    run.toolkit_version = std::string(toolkit_version);
    auto id = db::insert_kit_run(tx, run);
    if (!id) return tl::unexpected(id.error());
    for (const auto& metric : evidence->metrics) {
      db::Measurement m;
      m.session_id = session->id;
      m.metric_key = metric.key;
      m.value = metric.value;
      m.unit = metric.unit;
      m.source = "kit";
      m.kit_run_id = *id;
      m.instrument = fmt::format("kit {} {}", run.kit_id, run.kit_version);
      m.recorded_by = by->id;
      if (auto mid = db::insert_measurement(tx, m); !mid) return tl::unexpected(mid.error());
    }
    KitRunOutcome out;
    for (auto& k : db::kit_runs_for(tx.sql(), session->id))
      if (k.id == *id) out.run = k;
    for (auto& m : db::measurements_for(tx.sql(), session->id))
      if (m.kit_run_id == *id) out.measurements.push_back(std::move(m));
    return out;
  });
}

Result<db::Deviation> add_deviation(db::Database& db, const DeviationRequest& req) {
  if (req.by.empty()) return fail(ErrorCode::usage, "a deviation needs --by PERSON");
  if (req.severity != "minor" && req.severity != "major")
    return fail(ErrorCode::input, fmt::format("severity '{}': expected minor or major", req.severity));
  if (req.description.find_first_not_of(" \t") == std::string::npos)
    return fail(ErrorCode::usage, "a deviation needs --description TEXT");
  auto by = get_person(db, req.by);
  if (!by) return tl::unexpected(by.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<db::Deviation> {
    auto session = session_in(tx.sql(), req.session_id, true);
    if (!session) return tl::unexpected(session.error());
    const auto reqs = session_requirements(*session);
    if (std::none_of(reqs.begin(), reqs.end(), [&](const auto& r) { return r.id == req.requirement_id; })) {
      std::string ids;
      for (const auto& r : reqs) ids += (ids.empty() ? "" : ", ") + r.id;
      return fail(ErrorCode::input, fmt::format("requirement '{}': not in the session's specification ({})",
                                                req.requirement_id, ids));
    }
    db::Deviation d;
    d.session_id = session->id;
    d.requirement_id = req.requirement_id;
    d.severity = req.severity;
    d.description = req.description;
    d.raised_by = by->id;
    auto id = db::insert_deviation(tx, d);
    if (!id) return tl::unexpected(id.error());
    return *db::find_deviation(tx.sql(), *id);
  });
}

namespace {

// Shared by close and waive: an open deviation, resolved by a person of the administration.
Result<db::Deviation> resolve_deviation(db::Database& db, std::int64_t id, const std::string& by_key,
                                        const std::string& text, bool waive) {
  const char* verb = waive ? "waive" : "close";
  if (by_key.empty()) return fail(ErrorCode::usage, fmt::format("to {} a deviation needs --by PERSON", verb));
  if (text.find_first_not_of(" \t") == std::string::npos)
    return fail(ErrorCode::usage, waive ? "a waiver needs --condition TEXT (the condition it is granted on)"
                                        : "closing a deviation needs --note TEXT (how it was resolved)");
  auto by = get_person(db, by_key);
  if (!by) return tl::unexpected(by.error());
  if (auto st = check_not_vendor(*by, fmt::format("{} a deviation", verb)); !st) return tl::unexpected(st.error());
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<db::Deviation> {
    auto d = db::find_deviation(tx.sql(), id);
    if (!d) return fail(ErrorCode::not_found, fmt::format("deviation {}: not found", id));
    if (d->status != "open")
      return fail(ErrorCode::conflict, fmt::format("deviation {}: already {}", id, d->status));
    if (waive && d->severity == "major" && by->role != "manager")
      return fail(ErrorCode::gate_refused, fmt::format("deviation {}: a major deviation can only be waived by a "
                                                       "manager, not by the {} given", id, by->role));
    d->status = waive ? "waived" : "closed";
    (waive ? d->waiver_condition : d->resolution_note) = text;
    d->closed_at_utc = format_utc(tx.now());
    d->closed_by = by->id;
    if (auto st = db::update_deviation_status(tx, *d); !st) return tl::unexpected(st.error());
    return *db::find_deviation(tx.sql(), id);
  });
}

}  // namespace

Result<db::Deviation> close_deviation(db::Database& db, std::int64_t id, const std::string& note, const std::string& by) {
  return resolve_deviation(db, id, by, note, false);
}

Result<db::Deviation> waive_deviation(db::Database& db, std::int64_t id, const std::string& condition,
                                      const std::string& by) {
  return resolve_deviation(db, id, by, condition, true);
}

Result<db::Signature> sign_session(db::Database& db, std::int64_t session_id, const std::string& by_key,
                                   const std::string& role, const KeySigner* signer) {
  static const std::set<std::string> roles{"witness", "tester", "vendor", "approver"};
  if (!roles.count(role))
    return fail(ErrorCode::input, fmt::format("role '{}': expected one of witness, tester, vendor, approver", role));
  if (by_key.empty()) return fail(ErrorCode::usage, "a signature needs --by PERSON");
  auto by = get_person(db, by_key);
  if (!by) return tl::unexpected(by.error());
  if (auto st = domain::permits(actor_of(*by), "test.sign." + role); !st)
    return tl::unexpected(st.error().with_context(fmt::format("session {}", session_id)));
  if (signer && signer->user.person_id != by->id)
    return fail(ErrorCode::forbidden, fmt::format("session {}: the signing key is {}'s, not {}'s", session_id,
                                                  signer->user.person_name, by->name));
  return db.write(by->name, [&](db::WriteTx& tx) -> Result<db::Signature> {
    if (!signer && db::count_users(tx.sql()) > 0)
      return fail(ErrorCode::forbidden, fmt::format("session {}: this database has user accounts, so a signature "
                                                    "needs {}'s signing key (their password)", session_id, by->name));
    auto session = session_in(tx.sql(), session_id, false);
    if (!session) return tl::unexpected(session.error());
    if (session->status != "closed")
      return fail(ErrorCode::conflict, fmt::format("session {}: still open; close it (niikit test close) before signing",
                                                   session_id));
    // Separation of duties: whoever ran the session neither witnesses nor approves it.
    if ((role == "witness" || role == "approver") && by->id == session->started_by)
      return fail(ErrorCode::forbidden, fmt::format("session {}: {} ran the session and cannot sign it as {}",
                                                    session_id, by->name, role));
    if (role == "witness") {
      auto ws = db::witnesses_for(tx.sql(), session_id);
      if (std::none_of(ws.begin(), ws.end(), [&](const auto& w) { return w.person_id == by->id; }))
        return fail(ErrorCode::input, fmt::format("person '{}': not a witness of session {}", by->name, session_id));
    }
    const std::string current = db::session_content_sha256(tx.sql(), session_id);
    if (current != session->content_sha256)
      return fail(ErrorCode::integrity, fmt::format("session {}: its records changed since it was closed (content "
                                                    "hash mismatch); refusing to sign", session_id));
    for (const auto& g : db::signatures_for(tx.sql(), session_id))
      if (g.person_id == by->id && g.role == role)
        return fail(ErrorCode::conflict, fmt::format("session {}: already signed by {} as {}", session_id, by->name, role));
    db::Signature g;
    g.session_id = session_id;
    g.person_id = by->id;
    g.role = role;
    g.content_sha256 = current;
    auto id = db::insert_signature(tx, g);
    if (!id) return tl::unexpected(id.error());
    if (signer) {
      auto keyed = sign_record(tx, signer->user, signer->key, {"test_session", session_id, role, current});
      if (!keyed) return tl::unexpected(keyed.error());
    }
    for (auto& s : db::signatures_for(tx.sql(), session_id))
      if (s.id == *id) return s;
    return fail(ErrorCode::internal, "signature vanished after insert");
  });
}

}  // namespace niikit::services
