// Acceptance testing use cases (DESIGN.md §2, docs/acceptance.md): witnessed test sessions —
// factory acceptance (FAT), site acceptance (SAT), periodic QC and return-to-service QC — their
// evidence (kit runs on images, manual measurements), deviations, the verdict at close, and
// signatures over a hash of the session's content. Shared by the CLI (`niikit test ...`), the
// report writers and the demo.
//
// Every write is one unit of work (audited); a refused request writes nothing. A closed session
// takes no more evidence; a signature stores the session's content hash, and reading a session
// recomputes it, so a later change (even an SQL edit behind niikit's back) shows every signature
// as invalid. Not thread-safe (uses the caller's Database).
#pragma once

#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/domain/requirements.hpp"
#include "app/services/signatures.hpp"
#include "core/error.hpp"
#include "db/acceptance.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

namespace niikit::services {

// Test phases: "fat", "sat", "periodic", "return_to_service" (also accepted: "return-to-service",
// "rts"). Unknown text → input Error naming the allowed codes.
Result<std::string> parse_phase(const std::string& text);
// The lifecycle stage a scanner must be in to start a session of `phase`.
std::string stage_for_phase(const std::string& phase);

struct StartSessionRequest {
  std::string scanner;                    // asset tag or id
  std::string phase;                      // see parse_phase
  std::string location;                   // where the tests run ("ScanCorp plant, Leeds"); free text
  std::vector<std::string> witnesses;     // people (names or ids); at least one for fat and sat
  std::string by;                         // person starting the session (required)
  std::optional<std::int64_t> retest_of;  // an earlier closed session (same scanner and phase) this retests
};
// Starts a session when the scanner is at the stage for the phase (fat at fat, sat at sat,
// periodic at in_service, return_to_service at out_of_service) and has a frozen specification,
// whose requirements are copied into the session. One open session per scanner and phase.
Result<db::TestSession> start_session(db::Database& db, const StartSessionRequest& request);

struct KitRunRequest {
  std::int64_t session_id = 0;
  std::string kit_id;                     // e.g. "cargo"; the kit's metric keys become measurements
  std::string image_path;                 // the scan (high-energy plane for dual energy)
  std::string low_energy_path;            // dual energy: low-energy plane file, optional
  std::vector<std::string> blank_paths;   // blank (open-field) images for noise/NEQ, optional
  std::optional<double> pixel_mm;         // pixel pitch at the detector plane, mm (> 0); default: from the image
  std::string phantom;                    // phantom id or file; default: the kit's own
  std::string result_json_path;           // instead of running the kit: a stored kit result
                                          // (`niikit iq analyze --json`) for image_path
  std::string overlay_path;               // where to write the annotated image, optional
  std::string by;                         // person running the kit (required)
};
struct KitRunOutcome {
  db::KitRun run;
  std::vector<db::Measurement> measurements;   // one per metric value of the result
};
Result<KitRunOutcome> add_kit_run(db::Database& db, const KitRunRequest& request);

struct MeasurementRequest {
  std::int64_t session_id = 0;
  std::string metric_key;                 // a known measurement key (manual or kit); near matches suggested
  double value = 0;                       // in `unit`; yes/no checks: 1 = yes, 0 = no
  std::string unit;                       // must equal the key's unit
  std::string instrument;                 // e.g. "Thermo RadEye G-10"; required for dose readings
  std::string instrument_serial;
  std::string note;
  std::string by;                         // person recording (required)
};
Result<db::Measurement> add_measurement(db::Database& db, const MeasurementRequest& request);

struct DeviationRequest {
  std::int64_t session_id = 0;
  std::string requirement_id;             // a requirement of the session's specification
  std::string severity;                   // minor | major
  std::string description;
  std::string by;
};
Result<db::Deviation> add_deviation(db::Database& db, const DeviationRequest& request);
// Closes an open deviation with a resolution note (required).
Result<db::Deviation> close_deviation(db::Database& db, std::int64_t deviation_id, const std::string& note,
                                      const std::string& by);
// Waives an open deviation on a condition (required). A major deviation needs a manager.
Result<db::Deviation> waive_deviation(db::Database& db, std::int64_t deviation_id, const std::string& condition,
                                      const std::string& by);

// One requirement of the session's phase as judged (at close, or provisionally while open).
struct RequirementResult {
  domain::Requirement requirement;
  domain::Verdict verdict = domain::Verdict::not_measured;
  std::string reason;                           // "312 mm against >= 300 mm"
  std::optional<double> measured;               // in `unit`
  std::string unit;
  std::optional<std::int64_t> measurement_id;
  std::optional<std::int64_t> from_session;     // carried over from the retested session when not re-measured
  std::vector<std::string> witnessed_by;        // the session's witnesses (names)
};

struct CloseOutcome {
  db::TestSession session;                      // closed, with verdict and content hash
  std::vector<RequirementResult> results;
  std::vector<db::Deviation> raised;            // raised automatically for failing requirements
  std::vector<db::Deviation> closed_by_retest;  // earlier deviations this session's passes closed
  std::optional<db::Decision> out_of_service;   // periodic / return-to-service failure on an in-service scanner
};
// Judges every requirement of the phase, raises and closes deviations, stores verdicts and the
// content hash, and (periodic QC failing) takes an in-service scanner out of service.
Result<CloseOutcome> close_session(db::Database& db, std::int64_t session_id, const std::string& by);

// Signature roles: witness, tester, vendor (a vendor person), approver (a manager). On a database
// with user accounts the signature is also an Ed25519 record signature made with `signer`'s key
// (which must be `by`'s), in the same transaction; without `signer` it is refused there.
Result<db::Signature> sign_session(db::Database& db, std::int64_t session_id, const std::string& by,
                                   const std::string& role, const KeySigner* signer = nullptr);

struct SignatureStatus {
  db::Signature signature;
  bool valid = false;
  std::string status;           // "valid (Ed25519, key …)", "valid (content hash only …)", "invalid: why"
  std::string key_fingerprint;  // the signing key's fingerprint, "" when no key signature stands behind it
};

// Everything a report needs about one session.
struct SessionDetail {
  db::Scanner scanner;
  db::TestSession session;
  std::vector<domain::Requirement> requirements;   // the whole frozen specification as used
  std::vector<RequirementResult> results;          // the phase's requirements with verdicts
  std::vector<db::Witness> witnesses;
  std::vector<db::KitRun> kit_runs;                // result_json and overlay_path included
  std::vector<db::Measurement> measurements;
  std::vector<db::Deviation> deviations;           // raised in this session (current status)
  std::vector<db::Deviation> closed_deviations;    // earlier deviations this session closed by retest
  std::vector<SignatureStatus> signatures;
  std::string current_content_sha256;              // recomputed now
  bool content_intact = true;                      // closed: recomputed == stored (always true while open)
  int mandatory_total = 0, mandatory_passed = 0, mandatory_failed = 0, mandatory_not_measured = 0;
};
Result<SessionDetail> session_detail(db::Database& db, std::int64_t session_id);

// The newest session of a scanner in a phase (open or closed); not_found when there is none.
Result<db::TestSession> latest_session(db::Database& db, const std::string& scanner, const std::string& phase);

// Sessions, newest first; of one scanner when given.
Result<std::vector<db::TestSession>> list_sessions(db::Database& db, const std::string& scanner);

// One point per closed session that measured the metric (its latest value in that session).
struct TrendPoint {
  double value = 0;
  std::string unit;
  std::string at_utc;                           // when the value was recorded
  std::int64_t session_id = 0;
  std::string phase;
  std::optional<domain::Requirement> requirement;   // the session's requirement on this metric (limits)
  domain::Verdict verdict = domain::Verdict::not_measured;   // of that value against the requirement
};
Result<std::vector<TrendPoint>> metric_trend(db::Database& db, const std::string& scanner,
                                             const std::string& metric_key);

// Recomputes the content hash of a stored session and checks every signature against it.
Result<std::vector<SignatureStatus>> verify_signatures(db::Database& db, std::int64_t session_id);

// JSON forms (docs/cli-json.md "test"), shared by `niikit test --json` and the JSON report.
QJsonObject to_json(const db::TestSession& session);
QJsonObject to_json(const RequirementResult& result);
QJsonObject to_json(const db::KitRun& run);                // includes the kit's full result
QJsonObject to_json(const db::Measurement& measurement);
QJsonObject to_json(const db::Deviation& deviation);
QJsonObject to_json(const SignatureStatus& signature);
QJsonObject to_json(const SessionDetail& detail);

}  // namespace niikit::services
