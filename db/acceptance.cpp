#include "db/acceptance.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>

#include "core/time_format.hpp"
#include "db/audit.hpp"

namespace niikit::db {

namespace {

Value opt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{nullptr}; }
Value opt(const std::optional<std::string>& v) { return v ? Value{*v} : Value{nullptr}; }

std::optional<std::int64_t> col_id(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return q.getColumn(i).getInt64();
}
std::optional<std::string> col_text(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return q.getColumn(i).getString();
}

// A JSON array of ids, for `IN (SELECT value FROM json_each(?))`: one statement for any count.
std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

// ---- sessions
const std::string session_select =
    "SELECT x.id, x.scanner_id, sc.asset_tag, x.phase, x.location, x.retest_of, x.specification_id, "
    "x.specification_version, x.specification_sha256, x.requirements_json, x.started_at_utc, x.started_by, "
    "coalesce(ps.name, ''), x.status, x.closed_at_utc, x.closed_by, coalesce(pc.name, ''), x.verdict, "
    "x.results_json, x.content_sha256 FROM test_sessions x JOIN scanners sc ON sc.id = x.scanner_id "
    "LEFT JOIN people ps ON ps.id = x.started_by LEFT JOIN people pc ON pc.id = x.closed_by";

TestSession map_session(SQLite::Statement& q) {
  TestSession s;
  s.id = q.getColumn(0).getInt64();
  s.scanner_id = q.getColumn(1).getInt64();
  s.asset_tag = q.getColumn(2).getString();
  s.phase = q.getColumn(3).getString();
  s.location = q.getColumn(4).getString();
  s.retest_of = col_id(q, 5);
  s.specification_id = col_id(q, 6);
  s.specification_version = col_id(q, 7);
  s.specification_sha256 = q.getColumn(8).getString();
  s.requirements_json = q.getColumn(9).getString();
  s.started_at_utc = q.getColumn(10).getString();
  s.started_by = q.getColumn(11).getInt64();
  s.started_by_name = q.getColumn(12).getString();
  s.status = q.getColumn(13).getString();
  s.closed_at_utc = col_text(q, 14);
  s.closed_by = col_id(q, 15);
  s.closed_by_name = q.getColumn(16).getString();
  s.verdict = col_text(q, 17);
  s.results_json = q.getColumn(18).getString();
  s.content_sha256 = q.getColumn(19).getString();
  return s;
}

template <class T, class Map>
std::vector<T> query_all(SQLite::Statement& q, Map map) {
  std::vector<T> out;
  while (q.executeStep()) out.push_back(map(q));
  return out;
}

// ---- witnesses
const std::string witness_select =
    "SELECT w.id, w.session_id, w.person_id, p.name, p.role FROM session_witnesses w JOIN people p ON p.id = w.person_id";
Witness map_witness(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), q.getColumn(3).getString(),
          q.getColumn(4).getString()};
}

// ---- kit runs
const std::string kit_run_select =
    "SELECT k.id, k.session_id, k.image_path, k.image_sha256, k.low_energy_path, k.low_energy_sha256, "
    "k.blank_images_json, k.kit_id, k.kit_version, k.phantom, k.options_json, k.result_json, k.overlay_path, "
    "k.toolkit_version, k.run_at_utc, k.run_by, coalesce(p.name, '') FROM kit_runs k LEFT JOIN people p ON p.id = k.run_by";
KitRun map_kit_run(SQLite::Statement& q) {
  KitRun k;
  k.id = q.getColumn(0).getInt64();
  k.session_id = q.getColumn(1).getInt64();
  k.image_path = q.getColumn(2).getString();
  k.image_sha256 = q.getColumn(3).getString();
  k.low_energy_path = q.getColumn(4).getString();
  k.low_energy_sha256 = q.getColumn(5).getString();
  k.blank_images_json = q.getColumn(6).getString();
  k.kit_id = q.getColumn(7).getString();
  k.kit_version = q.getColumn(8).getString();
  k.phantom = q.getColumn(9).getString();
  k.options_json = q.getColumn(10).getString();
  k.result_json = q.getColumn(11).getString();
  k.overlay_path = q.getColumn(12).getString();
  k.toolkit_version = q.getColumn(13).getString();
  k.run_at_utc = q.getColumn(14).getString();
  k.run_by = q.getColumn(15).getInt64();
  k.run_by_name = q.getColumn(16).getString();
  return k;
}

// ---- measurements
const std::string measurement_select =
    "SELECT m.id, m.session_id, m.metric_key, m.value, m.unit, m.source, m.kit_run_id, m.instrument, "
    "m.instrument_serial, m.note, m.recorded_at_utc, m.recorded_by, coalesce(p.name, '') FROM measurements m "
    "LEFT JOIN people p ON p.id = m.recorded_by";
Measurement map_measurement(SQLite::Statement& q) {
  Measurement m;
  m.id = q.getColumn(0).getInt64();
  m.session_id = q.getColumn(1).getInt64();
  m.metric_key = q.getColumn(2).getString();
  m.value = q.getColumn(3).getDouble();
  m.unit = q.getColumn(4).getString();
  m.source = q.getColumn(5).getString();
  m.kit_run_id = col_id(q, 6);
  m.instrument = q.getColumn(7).getString();
  m.instrument_serial = q.getColumn(8).getString();
  m.note = q.getColumn(9).getString();
  m.recorded_at_utc = q.getColumn(10).getString();
  m.recorded_by = q.getColumn(11).getInt64();
  m.recorded_by_name = q.getColumn(12).getString();
  return m;
}

// ---- deviations
const std::string deviation_select =
    "SELECT d.id, d.session_id, t.phase, t.scanner_id, d.requirement_id, d.severity, d.description, "
    "d.raised_automatically, d.status, d.waiver_condition, d.resolution_note, d.closed_by_session, d.raised_at_utc, "
    "d.raised_by, coalesce(pr.name, ''), d.closed_at_utc, d.closed_by, coalesce(pc.name, '') FROM deviations d "
    "JOIN test_sessions t ON t.id = d.session_id LEFT JOIN people pr ON pr.id = d.raised_by "
    "LEFT JOIN people pc ON pc.id = d.closed_by";
Deviation map_deviation(SQLite::Statement& q) {
  Deviation d;
  d.id = q.getColumn(0).getInt64();
  d.session_id = q.getColumn(1).getInt64();
  d.phase = q.getColumn(2).getString();
  d.scanner_id = q.getColumn(3).getInt64();
  d.requirement_id = q.getColumn(4).getString();
  d.severity = q.getColumn(5).getString();
  d.description = q.getColumn(6).getString();
  d.raised_automatically = q.getColumn(7).getInt() != 0;
  d.status = q.getColumn(8).getString();
  d.waiver_condition = q.getColumn(9).getString();
  d.resolution_note = q.getColumn(10).getString();
  d.closed_by_session = col_id(q, 11);
  d.raised_at_utc = q.getColumn(12).getString();
  d.raised_by = q.getColumn(13).getInt64();
  d.raised_by_name = q.getColumn(14).getString();
  d.closed_at_utc = col_text(q, 15);
  d.closed_by = col_id(q, 16);
  d.closed_by_name = q.getColumn(17).getString();
  return d;
}

// ---- signatures
const std::string signature_select =
    "SELECT g.id, g.session_id, g.person_id, coalesce(p.name, ''), g.role, g.signed_at_utc, g.content_sha256 "
    "FROM signatures g LEFT JOIN people p ON p.id = g.person_id";
Signature map_signature(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), q.getColumn(3).getString(),
          q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString()};
}

// Length-prefixed fields: a field's text can hold any byte without making two different
// contents serialise alike. Numbers print with 17 significant digits (exact round trip).
struct Canon {
  std::string out;
  void text(std::string_view v) { out += fmt::format("s{}:", v.size()) + std::string(v) + ";"; }
  void text(const std::string& v) { text(std::string_view(v)); }
  void id(std::int64_t v) { out += fmt::format("i{};", v); }
  void id(const std::optional<std::int64_t>& v) { v ? id(*v) : null(); }
  void text(const std::optional<std::string>& v) { v ? text(*v) : null(); }
  void real(double v) { out += fmt::format("r{:.17g};", v); }
  void null() { out += "n;"; }
  void record(std::string_view table) { out += "\n" + std::string(table) + ":"; }
};

template <class T, class Map>
std::map<std::int64_t, std::vector<T>> by_session(SQLite::Database& sql, const std::string& select,
                                                  const std::string& alias, const std::vector<std::int64_t>& ids,
                                                  Map map) {
  SQLite::Statement q(sql, select + " WHERE " + alias + ".session_id IN (SELECT value FROM json_each(?)) ORDER BY " +
                               alias + ".session_id, " + alias + ".id");
  q.bind(1, id_array(ids));
  std::map<std::int64_t, std::vector<T>> out;
  while (q.executeStep()) {
    T row = map(q);
    out[row.session_id].push_back(std::move(row));
  }
  return out;
}

}  // namespace

// ---- sessions

Result<std::int64_t> insert_session(WriteTx& tx, const TestSession& s) {
  return tx.insert("test_sessions", {{"scanner_id", s.scanner_id},
                                     {"phase", s.phase},
                                     {"location", s.location},
                                     {"retest_of", opt(s.retest_of)},
                                     {"specification_id", opt(s.specification_id)},
                                     {"specification_version", opt(s.specification_version)},
                                     {"specification_sha256", s.specification_sha256},
                                     {"requirements_json", s.requirements_json},
                                     {"started_at_utc", format_utc(tx.now())},
                                     {"started_by", s.started_by},
                                     {"status", std::string("open")}});
}

Status update_session_close(WriteTx& tx, const TestSession& s) {
  return tx.update("test_sessions", s.id, {{"status", s.status},
                                           {"closed_at_utc", opt(s.closed_at_utc)},
                                           {"closed_by", opt(s.closed_by)},
                                           {"verdict", opt(s.verdict)},
                                           {"results_json", s.results_json},
                                           {"content_sha256", s.content_sha256}});
}

std::optional<TestSession> find_session(SQLite::Database& sql, std::int64_t id) {
  SQLite::Statement q(sql, session_select + " WHERE x.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return map_session(q);
}

std::vector<TestSession> list_sessions(SQLite::Database& sql, std::optional<std::int64_t> scanner_id) {
  SQLite::Statement q(sql, session_select + (scanner_id ? " WHERE x.scanner_id = ?" : "") + " ORDER BY x.id DESC");
  if (scanner_id) q.bind(1, *scanner_id);
  return query_all<TestSession>(q, map_session);
}

std::optional<TestSession> latest_session_of(SQLite::Database& sql, std::int64_t scanner_id, const std::string& phase,
                                             const std::optional<std::string>& status) {
  SQLite::Statement q(sql, session_select + " WHERE x.scanner_id = ? AND x.phase = ?" +
                               (status ? " AND x.status = ?" : "") + " ORDER BY x.id DESC LIMIT 1");
  q.bind(1, scanner_id);
  q.bind(2, phase);
  if (status) q.bind(3, *status);
  if (!q.executeStep()) return std::nullopt;
  return map_session(q);
}

std::vector<TestSession> latest_closed_sessions(SQLite::Database& sql, std::optional<std::int64_t> scanner_id) {
  SQLite::Statement q(sql, session_select +
                               " WHERE x.id IN (SELECT max(id) FROM test_sessions WHERE status = 'closed'" +
                               (scanner_id ? " AND scanner_id = ?" : "") + " GROUP BY scanner_id, phase) ORDER BY x.id");
  if (scanner_id) q.bind(1, *scanner_id);
  return query_all<TestSession>(q, map_session);
}

// ---- witnesses

Result<std::int64_t> insert_witness(WriteTx& tx, std::int64_t session_id, std::int64_t person_id) {
  return tx.insert("session_witnesses", {{"session_id", session_id}, {"person_id", person_id}});
}

std::vector<Witness> witnesses_for(SQLite::Database& sql, std::int64_t session_id) {
  SQLite::Statement q(sql, witness_select + " WHERE w.session_id = ? ORDER BY w.id");
  q.bind(1, session_id);
  return query_all<Witness>(q, map_witness);
}

// ---- kit runs and measurements

Result<std::int64_t> insert_kit_run(WriteTx& tx, const KitRun& k) {
  return tx.insert("kit_runs", {{"session_id", k.session_id},
                                {"image_path", k.image_path},
                                {"image_sha256", k.image_sha256},
                                {"low_energy_path", k.low_energy_path},
                                {"low_energy_sha256", k.low_energy_sha256},
                                {"blank_images_json", k.blank_images_json},
                                {"kit_id", k.kit_id},
                                {"kit_version", k.kit_version},
                                {"phantom", k.phantom},
                                {"options_json", k.options_json},
                                {"result_json", k.result_json},
                                {"overlay_path", k.overlay_path},
                                {"toolkit_version", k.toolkit_version},
                                {"run_at_utc", format_utc(tx.now())},
                                {"run_by", k.run_by}});
}

std::vector<KitRun> kit_runs_for(SQLite::Database& sql, std::int64_t session_id) {
  SQLite::Statement q(sql, kit_run_select + " WHERE k.session_id = ? ORDER BY k.id");
  q.bind(1, session_id);
  return query_all<KitRun>(q, map_kit_run);
}

Result<std::int64_t> insert_measurement(WriteTx& tx, const Measurement& m) {
  return tx.insert("measurements", {{"session_id", m.session_id},
                                    {"metric_key", m.metric_key},
                                    {"value", m.value},
                                    {"unit", m.unit},
                                    {"source", m.source},
                                    {"kit_run_id", opt(m.kit_run_id)},
                                    {"instrument", m.instrument},
                                    {"instrument_serial", m.instrument_serial},
                                    {"note", m.note},
                                    {"recorded_at_utc", format_utc(tx.now())},
                                    {"recorded_by", m.recorded_by}});
}

std::vector<Measurement> measurements_for(SQLite::Database& sql, std::int64_t session_id) {
  SQLite::Statement q(sql, measurement_select + " WHERE m.session_id = ? ORDER BY m.id");
  q.bind(1, session_id);
  return query_all<Measurement>(q, map_measurement);
}

std::vector<Measurement> measurements_of_metric(SQLite::Database& sql, std::int64_t scanner_id,
                                                const std::string& metric_key) {
  SQLite::Statement q(sql, measurement_select +
                               " JOIN test_sessions t ON t.id = m.session_id WHERE t.scanner_id = ? AND "
                               "t.status = 'closed' AND m.metric_key = ? ORDER BY m.session_id, m.id");
  q.bind(1, scanner_id);
  q.bind(2, metric_key);
  return query_all<Measurement>(q, map_measurement);
}

// ---- deviations

Result<std::int64_t> insert_deviation(WriteTx& tx, const Deviation& d) {
  return tx.insert("deviations", {{"session_id", d.session_id},
                                  {"requirement_id", d.requirement_id},
                                  {"severity", d.severity},
                                  {"description", d.description},
                                  {"raised_automatically", std::int64_t{d.raised_automatically ? 1 : 0}},
                                  {"status", std::string("open")},
                                  {"raised_at_utc", format_utc(tx.now())},
                                  {"raised_by", d.raised_by}});
}

Status update_deviation_status(WriteTx& tx, const Deviation& d) {
  return tx.update("deviations", d.id, {{"status", d.status},
                                        {"waiver_condition", d.waiver_condition},
                                        {"resolution_note", d.resolution_note},
                                        {"closed_by_session", opt(d.closed_by_session)},
                                        {"closed_at_utc", opt(d.closed_at_utc)},
                                        {"closed_by", opt(d.closed_by)}});
}

std::optional<Deviation> find_deviation(SQLite::Database& sql, std::int64_t id) {
  SQLite::Statement q(sql, deviation_select + " WHERE d.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return map_deviation(q);
}

std::vector<Deviation> deviations_raised_in(SQLite::Database& sql, std::int64_t session_id) {
  SQLite::Statement q(sql, deviation_select + " WHERE d.session_id = ? ORDER BY d.id");
  q.bind(1, session_id);
  return query_all<Deviation>(q, map_deviation);
}

std::vector<Deviation> deviations_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  SQLite::Statement q(sql, deviation_select + " WHERE t.scanner_id = ? ORDER BY d.id");
  q.bind(1, scanner_id);
  return query_all<Deviation>(q, map_deviation);
}

std::map<std::int64_t, std::map<std::string, OpenDeviationCount>> open_deviation_counts(
    SQLite::Database& sql, std::optional<std::int64_t> scanner_id) {
  SQLite::Statement q(sql, std::string("SELECT t.scanner_id, t.phase, d.severity, count(*) FROM deviations d "
                                       "JOIN test_sessions t ON t.id = d.session_id WHERE d.status = 'open'") +
                               (scanner_id ? " AND t.scanner_id = ?" : "") + " GROUP BY t.scanner_id, t.phase, d.severity");
  if (scanner_id) q.bind(1, *scanner_id);
  std::map<std::int64_t, std::map<std::string, OpenDeviationCount>> out;
  while (q.executeStep()) {
    auto& c = out[q.getColumn(0).getInt64()][q.getColumn(1).getString()];
    (q.getColumn(2).getString() == "major" ? c.major : c.minor) = q.getColumn(3).getInt();
  }
  return out;
}

// ---- signatures

Result<std::int64_t> insert_signature(WriteTx& tx, const Signature& s) {
  return tx.insert("signatures", {{"session_id", s.session_id},
                                  {"person_id", s.person_id},
                                  {"role", s.role},
                                  {"signed_at_utc", format_utc(tx.now())},
                                  {"content_sha256", s.content_sha256}});
}

std::vector<Signature> signatures_for(SQLite::Database& sql, std::int64_t session_id) {
  SQLite::Statement q(sql, signature_select + " WHERE g.session_id = ? ORDER BY g.id");
  q.bind(1, session_id);
  return query_all<Signature>(q, map_signature);
}

std::vector<Signature> all_signatures(SQLite::Database& sql) {
  SQLite::Statement q(sql, signature_select + " ORDER BY g.id");
  return query_all<Signature>(q, map_signature);
}

std::map<std::int64_t, std::vector<Witness>> witnesses_by_session(SQLite::Database& sql,
                                                                  const std::vector<std::int64_t>& ids) {
  return by_session<Witness>(sql, witness_select, "w", ids, map_witness);
}

std::map<std::int64_t, std::vector<Signature>> signatures_by_session(SQLite::Database& sql,
                                                                     const std::vector<std::int64_t>& ids) {
  return by_session<Signature>(sql, signature_select, "g", ids, map_signature);
}

// ---- content hash

std::string canonical_session_content(const TestSession& s, const std::vector<Witness>& witnesses,
                                      const std::vector<KitRun>& kit_runs, const std::vector<Measurement>& measurements,
                                      const std::vector<Deviation>& deviations) {
  Canon c;
  c.out = "niikit test session content v1";
  c.record("session");
  c.id(s.id);
  c.id(s.scanner_id);
  c.text(s.phase);
  c.text(s.location);
  c.id(s.retest_of);
  c.id(s.specification_id);
  c.id(s.specification_version);
  c.text(s.specification_sha256);
  c.text(s.requirements_json);
  c.text(s.started_at_utc);
  c.id(s.started_by);
  c.text(s.closed_at_utc);
  c.id(s.closed_by);
  c.text(s.verdict);
  c.text(s.results_json);
  std::vector<std::int64_t> people;
  for (const auto& w : witnesses) people.push_back(w.person_id);
  std::sort(people.begin(), people.end());
  for (auto p : people) {
    c.record("witness");
    c.id(p);
  }
  for (const auto& k : kit_runs) {
    c.record("kit_run");
    c.id(k.id);
    for (const auto* f : {&k.image_path, &k.image_sha256, &k.low_energy_path, &k.low_energy_sha256,
                          &k.blank_images_json, &k.kit_id, &k.kit_version, &k.phantom, &k.options_json, &k.result_json,
                          &k.overlay_path, &k.toolkit_version, &k.run_at_utc})
      c.text(*f);
    c.id(k.run_by);
  }
  for (const auto& m : measurements) {
    c.record("measurement");
    c.id(m.id);
    c.text(m.metric_key);
    c.real(m.value);
    c.text(m.unit);
    c.text(m.source);
    c.id(m.kit_run_id);
    c.text(m.instrument);
    c.text(m.instrument_serial);
    c.text(m.note);
    c.text(m.recorded_at_utc);
    c.id(m.recorded_by);
  }
  for (const auto& d : deviations) {
    if (d.session_id != s.id) continue;
    c.record("deviation");
    c.id(d.id);
    c.text(d.requirement_id);
    c.text(d.severity);
    c.text(d.description);
    c.id(std::int64_t{d.raised_automatically ? 1 : 0});
    c.text(d.raised_at_utc);
    c.id(d.raised_by);
  }
  return c.out;
}

std::string session_content_sha256(SQLite::Database& sql, std::int64_t session_id) {
  auto hashes = session_content_sha256_batch(sql, {session_id});
  auto it = hashes.find(session_id);
  return it == hashes.end() ? std::string{} : it->second;
}

std::map<std::int64_t, std::string> session_content_sha256_batch(SQLite::Database& sql,
                                                                  const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  if (ids.empty()) return out;
  SQLite::Statement q(sql, session_select + " WHERE x.id IN (SELECT value FROM json_each(?))");
  q.bind(1, id_array(ids));
  auto sessions = query_all<TestSession>(q, map_session);
  auto witnesses = witnesses_by_session(sql, ids);
  auto kit_runs = by_session<KitRun>(sql, kit_run_select, "k", ids, map_kit_run);
  auto measurements = by_session<Measurement>(sql, measurement_select, "m", ids, map_measurement);
  auto deviations = by_session<Deviation>(sql, deviation_select, "d", ids, map_deviation);
  for (const auto& s : sessions)
    out[s.id] = sha256_hex(canonical_session_content(s, witnesses[s.id], kit_runs[s.id], measurements[s.id],
                                                     deviations[s.id]));
  return out;
}

}  // namespace niikit::db
