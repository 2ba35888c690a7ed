-- Radiation safety (issue 6): licences and their links, sealed sources and generators, leak
-- tests, transfers, survey meters and their calibrations, surveys with their points and
-- follow-up actions, workers, dosimeters and dose records, and the RSO's limit settings.
-- Units are in column names; dates are UTC ISO-8601 text ("YYYY-MM-DD" for calendar dates).
-- Rules (limits, verdicts, decay) live in app/domain/radiation.cpp; the limits a survey was
-- judged against are stored with it (rad_surveys.limits_json). Settings rows hold only values
-- changed from the defaults in code, so a fresh database has no rows here.

CREATE TABLE rad_licences (
  id             INTEGER PRIMARY KEY,
  regulator      TEXT NOT NULL CHECK (length(trim(regulator)) > 0),
  licence_number TEXT NOT NULL CHECK (length(trim(licence_number)) > 0),
  licence_type   TEXT NOT NULL CHECK (licence_type IN ('possession', 'use', 'transport', 'import', 'exemption')),
  scope          TEXT NOT NULL DEFAULT '',
  conditions     TEXT NOT NULL DEFAULT '',
  issued_date    TEXT NOT NULL CHECK (length(issued_date) = 10),
  expires_date   TEXT CHECK (expires_date IS NULL OR (length(expires_date) = 10 AND expires_date >= issued_date)),
  status         TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'terminated')),
  document_id    INTEGER REFERENCES documents (id),
  created_at_utc TEXT NOT NULL,
  UNIQUE (regulator, licence_number)
);

CREATE TABLE rad_sources (
  id                 INTEGER PRIMARY KEY,
  source_kind        TEXT NOT NULL CHECK (source_kind IN ('sealed', 'generator')),
  serial             TEXT NOT NULL UNIQUE CHECK (length(trim(serial)) > 0),
  manufacturer       TEXT NOT NULL DEFAULT '',
  model              TEXT NOT NULL DEFAULT '',
  isotope            TEXT CHECK (isotope IS NULL OR isotope IN ('co60', 'cs137', 'other')),
  isotope_name       TEXT NOT NULL DEFAULT '',
  half_life_y        REAL CHECK (half_life_y IS NULL OR half_life_y > 0),
  activity_bq        REAL CHECK (activity_bq IS NULL OR activity_bq > 0),
  reference_date     TEXT CHECK (reference_date IS NULL OR length(reference_date) = 10),
  generator_type     TEXT CHECK (generator_type IS NULL OR generator_type IN ('xray', 'linac', 'betatron')),
  energy_mev         REAL CHECK (energy_mev IS NULL OR (energy_mev > 0 AND energy_mev <= 20)),
  scanner_id         INTEGER REFERENCES scanners (id),
  status             TEXT NOT NULL CHECK (status IN ('in_use', 'in_storage', 'in_transit', 'returned', 'disposed',
                                                     'disabled')),
  created_at_utc     TEXT NOT NULL,
  CHECK (source_kind <> 'sealed' OR (isotope IS NOT NULL AND activity_bq IS NOT NULL AND reference_date IS NOT NULL
                                     AND generator_type IS NULL)),
  CHECK (source_kind <> 'sealed' OR isotope <> 'other' OR (half_life_y IS NOT NULL AND length(isotope_name) > 0)),
  CHECK (source_kind <> 'generator' OR (generator_type IS NOT NULL AND isotope IS NULL AND activity_bq IS NULL))
);
CREATE INDEX rad_sources_scanner ON rad_sources (scanner_id);

-- A licence covers scanners and/or sources: one row per covered item.
CREATE TABLE rad_licence_links (
  id             INTEGER PRIMARY KEY,
  licence_id     INTEGER NOT NULL REFERENCES rad_licences (id),
  scanner_id     INTEGER REFERENCES scanners (id),
  source_id      INTEGER REFERENCES rad_sources (id),
  created_at_utc TEXT NOT NULL,
  CHECK ((scanner_id IS NULL) <> (source_id IS NULL)),
  UNIQUE (licence_id, scanner_id, source_id)
);
CREATE INDEX rad_licence_links_scanner ON rad_licence_links (scanner_id);

CREATE TABLE rad_leak_tests (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES rad_sources (id),
  tested_date    TEXT NOT NULL CHECK (length(tested_date) = 10),
  result_bq      REAL NOT NULL CHECK (result_bq >= 0),
  limit_bq       REAL NOT NULL CHECK (limit_bq > 0),
  pass           INTEGER NOT NULL CHECK (pass IN (0, 1)),
  tested_by      TEXT NOT NULL DEFAULT '',
  certificate    TEXT NOT NULL DEFAULT '',
  created_at_utc TEXT NOT NULL,
  CHECK (pass = (result_bq < limit_bq))
);
CREATE INDEX rad_leak_tests_source ON rad_leak_tests (source_id, tested_date);

-- Chain of custody: every move of a source between holders.
CREATE TABLE rad_transfers (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES rad_sources (id),
  transfer_kind  TEXT NOT NULL CHECK (transfer_kind IN ('receipt', 'transfer', 'return', 'disposal')),
  from_party     TEXT NOT NULL CHECK (length(trim(from_party)) > 0),
  to_party       TEXT NOT NULL CHECK (length(trim(to_party)) > 0),
  transfer_date  TEXT NOT NULL CHECK (length(transfer_date) = 10),
  custody_person TEXT NOT NULL CHECK (length(trim(custody_person)) > 0),
  document_ref   TEXT NOT NULL DEFAULT '',
  note           TEXT NOT NULL DEFAULT '',
  created_at_utc TEXT NOT NULL
);
CREATE INDEX rad_transfers_source ON rad_transfers (source_id, transfer_date);

CREATE TABLE rad_meters (
  id                      INTEGER PRIMARY KEY,
  manufacturer            TEXT NOT NULL DEFAULT '',
  model                   TEXT NOT NULL CHECK (length(trim(model)) > 0),
  serial                  TEXT NOT NULL UNIQUE CHECK (length(trim(serial)) > 0),
  detector_type           TEXT NOT NULL CHECK (detector_type IN ('ionisation_chamber', 'gm', 'proportional',
                                                                 'scintillator', 'semiconductor', 'other')),
  calibration_certificate TEXT NOT NULL DEFAULT '',
  calibrated_date         TEXT CHECK (calibrated_date IS NULL OR length(calibrated_date) = 10),
  calibration_due_date    TEXT CHECK (calibration_due_date IS NULL OR
                                      (length(calibration_due_date) = 10 AND calibration_due_date >= calibrated_date)),
  created_at_utc          TEXT NOT NULL
);

-- Every calibration of a meter; rad_meters holds the current one.
CREATE TABLE rad_meter_calibrations (
  id                      INTEGER PRIMARY KEY,
  meter_id                INTEGER NOT NULL REFERENCES rad_meters (id),
  calibration_certificate TEXT NOT NULL CHECK (length(trim(calibration_certificate)) > 0),
  calibrated_date         TEXT NOT NULL CHECK (length(calibrated_date) = 10),
  calibration_due_date    TEXT NOT NULL CHECK (length(calibration_due_date) = 10 AND
                                               calibration_due_date > calibrated_date),
  laboratory              TEXT NOT NULL DEFAULT '',
  created_at_utc          TEXT NOT NULL
);
CREATE INDEX rad_meter_calibrations_meter ON rad_meter_calibrations (meter_id, calibrated_date);

CREATE TABLE rad_surveys (
  id                          INTEGER PRIMARY KEY,
  scanner_id                  INTEGER NOT NULL REFERENCES scanners (id),
  survey_type                 TEXT NOT NULL CHECK (survey_type IN ('commissioning', 'periodic', 'post_maintenance',
                                                                   'post_incident', 'decommissioning_clearance')),
  survey_date                 TEXT NOT NULL CHECK (length(survey_date) = 10),
  meter_id                    INTEGER NOT NULL REFERENCES rad_meters (id),
  meter_calibration_due_date  TEXT,   -- as it stood when the survey was recorded
  surveyor_id                 INTEGER NOT NULL REFERENCES people (id),
  energy_mode                 TEXT NOT NULL DEFAULT '',
  scan_mode                   TEXT NOT NULL DEFAULT '',
  object_in_beam              TEXT NOT NULL DEFAULT '',
  background_usv_h            REAL NOT NULL CHECK (background_usv_h >= 0 AND background_usv_h < 100),
  limits_json                 TEXT NOT NULL,   -- the limits this survey is judged against
  interlock_check             TEXT NOT NULL CHECK (interlock_check IN ('pass', 'fail', 'not_checked')),
  estop_check                 TEXT NOT NULL CHECK (estop_check IN ('pass', 'fail', 'not_checked')),
  warning_light_check         TEXT NOT NULL CHECK (warning_light_check IN ('pass', 'fail', 'not_checked')),
  signage_check               TEXT NOT NULL CHECK (signage_check IN ('pass', 'fail', 'not_checked')),
  meter_calibration_override  INTEGER NOT NULL CHECK (meter_calibration_override IN (0, 1)),
  override_reason             TEXT NOT NULL DEFAULT '',
  status                      TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  verdict                     TEXT CHECK (verdict IS NULL OR verdict IN ('pass', 'fail')),
  verdict_reasons_json        TEXT NOT NULL DEFAULT '[]',
  zone_results_json           TEXT NOT NULL DEFAULT '[]',
  closed_by                   INTEGER REFERENCES people (id),
  closed_at_utc               TEXT,
  note                        TEXT NOT NULL DEFAULT '',
  created_at_utc              TEXT NOT NULL,
  CHECK (meter_calibration_override = 0 OR length(trim(override_reason)) > 0),
  CHECK ((status = 'open') = (verdict IS NULL))
);
CREATE INDEX rad_surveys_scanner ON rad_surveys (scanner_id, survey_date);

CREATE TABLE rad_survey_points (
  id                   INTEGER PRIMARY KEY,
  survey_id            INTEGER NOT NULL REFERENCES rad_surveys (id),
  label                TEXT NOT NULL CHECK (length(trim(label)) > 0),
  zone_class           TEXT NOT NULL CHECK (zone_class IN ('controlled', 'supervised', 'public_boundary',
                                                             'operator_position', 'driver_waiting_area')),
  distance_m           REAL CHECK (distance_m IS NULL OR (distance_m >= 0 AND distance_m <= 1000)),
  dose_rate_usv_h      REAL NOT NULL CHECK (dose_rate_usv_h >= 0 AND dose_rate_usv_h <= 1e7),
  dose_per_scan_usv    REAL CHECK (dose_per_scan_usv IS NULL OR dose_per_scan_usv >= 0),
  occupancy_factor     REAL NOT NULL CHECK (occupancy_factor > 0 AND occupancy_factor <= 1),
  scans_per_h          REAL CHECK (scans_per_h IS NULL OR scans_per_h > 0),
  scans_per_year       REAL CHECK (scans_per_year IS NULL OR scans_per_year >= 0),
  net_of_background    INTEGER NOT NULL CHECK (net_of_background IN (0, 1)),
  judged_rate_usv_h    REAL NOT NULL,   -- the rate compared with the limit (net when net_of_background)
  limit_usv_h          REAL,            -- NULL: this zone has no dose-rate limit
  projected_annual_usv REAL NOT NULL CHECK (projected_annual_usv >= 0),
  verdict              TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
  note                 TEXT NOT NULL DEFAULT '',
  created_at_utc       TEXT NOT NULL,
  UNIQUE (survey_id, label)
);

CREATE TABLE rad_follow_ups (
  id             INTEGER PRIMARY KEY,
  scanner_id     INTEGER REFERENCES scanners (id),
  survey_id      INTEGER REFERENCES rad_surveys (id),
  licence_id     INTEGER REFERENCES rad_licences (id),
  action_text    TEXT NOT NULL CHECK (length(trim(action_text)) > 0),
  status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  due_date       TEXT CHECK (due_date IS NULL OR length(due_date) = 10),
  closed_note    TEXT NOT NULL DEFAULT '',
  closed_at_utc  TEXT,
  created_at_utc TEXT NOT NULL
);
CREATE INDEX rad_follow_ups_scanner ON rad_follow_ups (scanner_id, status);

CREATE TABLE rad_workers (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  person_id       INTEGER REFERENCES people (id),
  worker_category TEXT NOT NULL CHECK (worker_category IN ('occupational', 'public')),
  employer        TEXT NOT NULL DEFAULT '',
  created_at_utc  TEXT NOT NULL
);

CREATE TABLE rad_dosimeters (
  id             INTEGER PRIMARY KEY,
  dosimeter_code TEXT NOT NULL UNIQUE CHECK (length(trim(dosimeter_code)) > 0),
  worker_id      INTEGER NOT NULL REFERENCES rad_workers (id),
  created_at_utc TEXT NOT NULL
);

CREATE TABLE rad_dose_records (
  id             INTEGER PRIMARY KEY,
  worker_id      INTEGER NOT NULL REFERENCES rad_workers (id),
  dosimeter_id   INTEGER NOT NULL REFERENCES rad_dosimeters (id),
  period_start   TEXT NOT NULL CHECK (length(period_start) = 10),
  period_end     TEXT NOT NULL CHECK (length(period_end) = 10 AND period_end >= period_start),
  hp10_msv       REAL NOT NULL CHECK (hp10_msv >= 0 AND hp10_msv < 10000),
  hp007_msv      REAL CHECK (hp007_msv IS NULL OR (hp007_msv >= 0 AND hp007_msv < 100000)),
  import_file    TEXT NOT NULL DEFAULT '',
  created_at_utc TEXT NOT NULL,
  UNIQUE (dosimeter_id, period_start)
);
CREATE INDEX rad_dose_records_worker ON rad_dose_records (worker_id, period_start);

-- Limits and periods changed from their defaults (app/domain/radiation.cpp radiation_settings()).
CREATE TABLE rad_settings (
  id             INTEGER PRIMARY KEY,
  setting_key    TEXT NOT NULL UNIQUE CHECK (length(trim(setting_key)) > 0),
  value_text     TEXT NOT NULL,
  set_at_utc     TEXT NOT NULL
);
