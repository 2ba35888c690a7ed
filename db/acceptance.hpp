// Acceptance-test records (migration 0004): test sessions, their witnesses, kit runs,
// measurements, deviations and signatures, and the narrow repository functions that read and
// write them. Writes take a WriteTx (one audited unit of work, the caller's); reads take the
// connection. Phase, status and verdict codes are plain strings here; the rules that judge a
// session live in app/services/acceptance_service.
//
// The content hash of a session (`session_content_sha256`) is a SHA-256 over a canonical,
// length-prefixed serialisation of the session row and everything recorded in it, so a
// signature that stored it can be checked later; the batch form hashes many sessions with a
// constant number of queries (fleet board). Not thread-safe (uses the caller's connection).
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db {

struct TestSession {
  std::int64_t id = 0;
  std::int64_t scanner_id = 0;
  std::string asset_tag;                    // read-only, joined
  std::string phase;                        // fat | sat | periodic | return_to_service
  std::string location;
  std::optional<std::int64_t> retest_of;    // earlier closed session of the same phase this one retests
  std::optional<std::int64_t> specification_id;
  std::optional<std::int64_t> specification_version;
  std::string specification_sha256;
  std::string requirements_json = "[]";     // the frozen specification's requirements at start
  std::string started_at_utc;
  std::int64_t started_by = 0;
  std::string started_by_name;              // read-only, joined
  std::string status = "open";              // open | closed
  std::optional<std::string> closed_at_utc;
  std::optional<std::int64_t> closed_by;
  std::string closed_by_name;               // read-only, joined
  std::optional<std::string> verdict;       // pass | fail, set at close
  std::string results_json = "[]";          // per-requirement verdicts, set at close
  std::string content_sha256;               // set at close
};

struct Witness {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::int64_t person_id = 0;
  std::string name;                         // read-only, joined
  std::string person_role;                  // read-only, joined
};

struct BlankImage {
  std::string path;
  std::string sha256;
};

struct KitRun {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string image_path;
  std::string image_sha256;
  std::string low_energy_path;              // dual energy: the low-energy plane's file, "" when none
  std::string low_energy_sha256;
  std::string blank_images_json = "[]";     // [{"path", "sha256"}] (noise/NEQ blank images)
  std::string kit_id;
  std::string kit_version;
  std::string phantom;
  std::string options_json = "{}";
  std::string result_json;                  // the kit's full result
  std::string overlay_path;                 // annotated image with ROIs, "" when none
  std::string toolkit_version;
  std::string run_at_utc;
  std::int64_t run_by = 0;
  std::string run_by_name;                  // read-only, joined
};

struct Measurement {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string metric_key;
  double value = 0;
  std::string unit;
  std::string source = "manual";            // manual | kit
  std::optional<std::int64_t> kit_run_id;
  std::string instrument;
  std::string instrument_serial;
  std::string note;
  std::string recorded_at_utc;
  std::int64_t recorded_by = 0;
  std::string recorded_by_name;             // read-only, joined
};

struct Deviation {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string phase;                        // read-only, the session's phase
  std::int64_t scanner_id = 0;              // read-only, the session's scanner
  std::string requirement_id;
  std::string severity;                     // minor | major
  std::string description;
  bool raised_automatically = false;        // raised by `test close` for a failing requirement
  std::string status = "open";              // open | closed | waived
  std::string waiver_condition;
  std::string resolution_note;
  std::optional<std::int64_t> closed_by_session;
  std::string raised_at_utc;
  std::int64_t raised_by = 0;
  std::string raised_by_name;               // read-only, joined
  std::optional<std::string> closed_at_utc;
  std::optional<std::int64_t> closed_by;
  std::string closed_by_name;               // read-only, joined
};

struct Signature {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::int64_t person_id = 0;
  std::string name;                         // read-only, joined
  std::string role;                         // witness | tester | vendor | approver
  std::string signed_at_utc;
  std::string content_sha256;
};

// --- sessions
Result<std::int64_t> insert_session(WriteTx& tx, const TestSession& s);
// Writes status, closed_at/by, verdict, results_json and content_sha256.
Status update_session_close(WriteTx& tx, const TestSession& s);
std::optional<TestSession> find_session(SQLite::Database& sql, std::int64_t id);
// Every session, or a scanner's, newest first.
std::vector<TestSession> list_sessions(SQLite::Database& sql, std::optional<std::int64_t> scanner_id);
// The newest session of a scanner in a phase (open or closed), or of that status when given.
std::optional<TestSession> latest_session_of(SQLite::Database& sql, std::int64_t scanner_id, const std::string& phase,
                                             const std::optional<std::string>& status = std::nullopt);
// The newest closed session of every (scanner, phase), optionally of one scanner: one query.
std::vector<TestSession> latest_closed_sessions(SQLite::Database& sql, std::optional<std::int64_t> scanner_id);

// --- witnesses
Result<std::int64_t> insert_witness(WriteTx& tx, std::int64_t session_id, std::int64_t person_id);
std::vector<Witness> witnesses_for(SQLite::Database& sql, std::int64_t session_id);

// --- kit runs and measurements
Result<std::int64_t> insert_kit_run(WriteTx& tx, const KitRun& k);
std::vector<KitRun> kit_runs_for(SQLite::Database& sql, std::int64_t session_id);
Result<std::int64_t> insert_measurement(WriteTx& tx, const Measurement& m);
std::vector<Measurement> measurements_for(SQLite::Database& sql, std::int64_t session_id);
// Every measurement of `metric_key` in the closed sessions of a scanner, oldest first.
std::vector<Measurement> measurements_of_metric(SQLite::Database& sql, std::int64_t scanner_id,
                                                const std::string& metric_key);

// --- deviations
Result<std::int64_t> insert_deviation(WriteTx& tx, const Deviation& d);
// Writes status, waiver_condition, resolution_note, closed_by_session, closed_at/by.
Status update_deviation_status(WriteTx& tx, const Deviation& d);
std::optional<Deviation> find_deviation(SQLite::Database& sql, std::int64_t id);
std::vector<Deviation> deviations_raised_in(SQLite::Database& sql, std::int64_t session_id);
// Every deviation of a scanner's sessions (any phase), oldest first.
std::vector<Deviation> deviations_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);

struct OpenDeviationCount {
  int major = 0;
  int minor = 0;
};
// Open (not closed, not waived) deviations per scanner and session phase, one query.
std::map<std::int64_t, std::map<std::string, OpenDeviationCount>> open_deviation_counts(
    SQLite::Database& sql, std::optional<std::int64_t> scanner_id);

// --- signatures
Result<std::int64_t> insert_signature(WriteTx& tx, const Signature& s);
std::vector<Signature> signatures_for(SQLite::Database& sql, std::int64_t session_id);
// Every signature row, oldest first (audit verify, db check).
std::vector<Signature> all_signatures(SQLite::Database& sql);

// Witnesses and signatures of many sessions, one query each (fleet board).
std::map<std::int64_t, std::vector<Witness>> witnesses_by_session(SQLite::Database& sql,
                                                                  const std::vector<std::int64_t>& session_ids);
std::map<std::int64_t, std::vector<Signature>> signatures_by_session(SQLite::Database& sql,
                                                                     const std::vector<std::int64_t>& session_ids);

// --- content hash
// Canonical serialisation of a session: the session row (without status and content_sha256),
// its witnesses, kit runs, measurements, and the deviations raised in it as raised (their later
// closing or waiving is not content: it happens after signing, in its own audited records).
std::string canonical_session_content(const TestSession& s, const std::vector<Witness>& witnesses,
                                      const std::vector<KitRun>& kit_runs, const std::vector<Measurement>& measurements,
                                      const std::vector<Deviation>& deviations);
// SHA-256 of the canonical content of the stored session.
std::string session_content_sha256(SQLite::Database& sql, std::int64_t session_id);
// The same for many sessions with a constant number of queries.
std::map<std::int64_t, std::string> session_content_sha256_batch(SQLite::Database& sql,
                                                                  const std::vector<std::int64_t>& session_ids);

}  // namespace niikit::db
