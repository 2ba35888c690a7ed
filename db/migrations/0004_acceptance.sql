-- Acceptance testing: witnessed test sessions (FAT, SAT, periodic QC, return-to-service QC),
-- their evidence (kit runs on images, measurements), deviations and signatures.
-- A session is judged at close against the requirements of the frozen specification it
-- started with (a copy is kept in requirements_json); the verdicts and a SHA-256 over the
-- session's canonical content are stored at close, and every signature carries that hash
-- (docs/acceptance.md). Units are in column names; timestamps are UTC ISO-8601 text.

CREATE TABLE test_sessions (
  id                     INTEGER PRIMARY KEY,
  scanner_id             INTEGER NOT NULL REFERENCES scanners (id),
  phase                  TEXT NOT NULL CHECK (phase IN ('fat', 'sat', 'periodic', 'return_to_service')),
  location               TEXT NOT NULL DEFAULT '',
  retest_of              INTEGER REFERENCES test_sessions (id),
  specification_id       INTEGER,
  specification_version  INTEGER,
  specification_sha256   TEXT NOT NULL DEFAULT '',
  requirements_json      TEXT NOT NULL DEFAULT '[]',
  started_at_utc         TEXT NOT NULL,
  started_by             INTEGER NOT NULL REFERENCES people (id),
  status                 TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closed_at_utc          TEXT,
  closed_by              INTEGER REFERENCES people (id),
  verdict                TEXT CHECK (verdict IS NULL OR verdict IN ('pass', 'fail')),
  results_json           TEXT NOT NULL DEFAULT '[]',
  content_sha256         TEXT NOT NULL DEFAULT '',
  CHECK ((status = 'open' AND verdict IS NULL AND closed_at_utc IS NULL)
         OR (status = 'closed' AND verdict IS NOT NULL AND closed_at_utc IS NOT NULL AND length(content_sha256) = 64))
);
CREATE INDEX test_sessions_scanner ON test_sessions (scanner_id, phase, id);

CREATE TABLE session_witnesses (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES test_sessions (id),
  person_id  INTEGER NOT NULL REFERENCES people (id),
  UNIQUE (session_id, person_id)
);

CREATE TABLE kit_runs (
  id                  INTEGER PRIMARY KEY,
  session_id          INTEGER NOT NULL REFERENCES test_sessions (id),
  image_path          TEXT NOT NULL,
  image_sha256        TEXT NOT NULL CHECK (length(image_sha256) = 64),
  low_energy_path     TEXT NOT NULL DEFAULT '',
  low_energy_sha256   TEXT NOT NULL DEFAULT '',
  blank_images_json   TEXT NOT NULL DEFAULT '[]',   -- [{"path": ..., "sha256": ...}]
  kit_id              TEXT NOT NULL CHECK (length(trim(kit_id)) > 0),
  kit_version         TEXT NOT NULL,
  phantom             TEXT NOT NULL DEFAULT '',
  options_json        TEXT NOT NULL DEFAULT '{}',
  result_json         TEXT NOT NULL,
  overlay_path        TEXT NOT NULL DEFAULT '',
  toolkit_version     TEXT NOT NULL DEFAULT '',
  run_at_utc          TEXT NOT NULL,
  run_by              INTEGER NOT NULL REFERENCES people (id)
);
CREATE INDEX kit_runs_session ON kit_runs (session_id, id);

CREATE TABLE measurements (
  id                INTEGER PRIMARY KEY,
  session_id        INTEGER NOT NULL REFERENCES test_sessions (id),
  metric_key        TEXT NOT NULL CHECK (length(trim(metric_key)) > 0),
  value             REAL NOT NULL,
  unit              TEXT NOT NULL DEFAULT '',
  source            TEXT NOT NULL CHECK (source IN ('manual', 'kit')),
  kit_run_id        INTEGER REFERENCES kit_runs (id),
  instrument        TEXT NOT NULL DEFAULT '',
  instrument_serial TEXT NOT NULL DEFAULT '',
  note              TEXT NOT NULL DEFAULT '',
  recorded_at_utc   TEXT NOT NULL,
  recorded_by       INTEGER NOT NULL REFERENCES people (id),
  CHECK ((source = 'kit') = (kit_run_id IS NOT NULL))
);
CREATE INDEX measurements_session ON measurements (session_id, metric_key, id);
CREATE INDEX measurements_metric ON measurements (metric_key, session_id);

CREATE TABLE deviations (
  id                INTEGER PRIMARY KEY,
  session_id        INTEGER NOT NULL REFERENCES test_sessions (id),
  requirement_id    TEXT NOT NULL CHECK (length(trim(requirement_id)) > 0),
  severity          TEXT NOT NULL CHECK (severity IN ('minor', 'major')),
  description       TEXT NOT NULL CHECK (length(trim(description)) > 0),
  raised_automatically INTEGER NOT NULL DEFAULT 0 CHECK (raised_automatically IN (0, 1)),
  status            TEXT NOT NULL CHECK (status IN ('open', 'closed', 'waived')),
  waiver_condition  TEXT NOT NULL DEFAULT '',
  resolution_note   TEXT NOT NULL DEFAULT '',
  closed_by_session INTEGER REFERENCES test_sessions (id),
  raised_at_utc     TEXT NOT NULL,
  raised_by         INTEGER NOT NULL REFERENCES people (id),
  closed_at_utc     TEXT,
  closed_by         INTEGER REFERENCES people (id),
  CHECK (status = 'open' OR (closed_at_utc IS NOT NULL AND closed_by IS NOT NULL)),
  CHECK (status <> 'waived' OR length(trim(waiver_condition)) > 0)
);
CREATE INDEX deviations_session ON deviations (session_id, id);

CREATE TABLE signatures (
  id             INTEGER PRIMARY KEY,
  session_id     INTEGER NOT NULL REFERENCES test_sessions (id),
  person_id      INTEGER NOT NULL REFERENCES people (id),
  role           TEXT NOT NULL CHECK (role IN ('witness', 'tester', 'vendor', 'approver')),
  signed_at_utc  TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  UNIQUE (session_id, person_id, role)
);
CREATE INDEX signatures_session ON signatures (session_id, id);
