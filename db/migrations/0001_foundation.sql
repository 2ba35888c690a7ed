-- Foundation schema: registry (sites, people, scanners, documents), lifecycle decisions and
-- the hash-chained audit log. Units are in column names; timestamps are UTC ISO-8601 text.
-- The stage codes below are the lifecycle table of app/domain/lifecycle.cpp (a test keeps
-- the two in step).

CREATE TABLE sites (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  country        TEXT NOT NULL CHECK (length(trim(country)) > 0),
  site_type      TEXT NOT NULL CHECK (site_type IN ('seaport', 'land_border', 'airport', 'rail', 'inland')),
  created_at_utc TEXT NOT NULL
);

CREATE TABLE people (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  role           TEXT NOT NULL CHECK (role IN ('procurement', 'engineer', 'rso', 'manager', 'vendor')),
  organisation   TEXT NOT NULL DEFAULT '',
  email          TEXT NOT NULL DEFAULT '',
  created_at_utc TEXT NOT NULL
);

CREATE TABLE scanners (
  id               INTEGER PRIMARY KEY,
  asset_tag        TEXT NOT NULL UNIQUE CHECK (length(trim(asset_tag)) > 0),
  manufacturer     TEXT NOT NULL,
  model            TEXT NOT NULL,
  serial           TEXT NOT NULL DEFAULT '',
  technology       TEXT NOT NULL CHECK (technology IN ('linac', 'betatron', 'xray_tube', 'co60', 'cs137')),
  energy_mev       REAL CHECK (energy_mev IS NULL OR (energy_mev > 0 AND energy_mev <= 20)),
  configuration    TEXT NOT NULL CHECK (configuration IN ('fixed', 'relocatable', 'mobile', 'portal', 'gantry',
                                                          'rail', 'cabinet', 'portable')),
  dual_energy      INTEGER NOT NULL CHECK (dual_energy IN (0, 1)),
  software_version TEXT NOT NULL DEFAULT '',
  firmware_version TEXT NOT NULL DEFAULT '',
  site_id          INTEGER REFERENCES sites (id),
  stage            TEXT NOT NULL CHECK (stage IN ('needs', 'specification', 'tender', 'contract', 'fat',
                                                  'deployment', 'sat', 'final_acceptance', 'in_service',
                                                  'out_of_service', 'decommissioned')),
  stage_since_utc  TEXT NOT NULL,
  created_at_utc   TEXT NOT NULL
);
CREATE INDEX scanners_site ON scanners (site_id);

CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
  kind         TEXT NOT NULL CHECK (kind IN ('needs_statement', 'business_case', 'specification',
                                             'tender_dossier', 'bid_evaluation', 'award_decision', 'contract',
                                             'fat_report', 'installation_certificate', 'licence',
                                             'survey_report', 'training_record', 'sat_report',
                                             'acceptance_certificate', 'fault_report', 'qc_report',
                                             'maintenance_record', 'regulator_confirmation', 'manual',
                                             'photo', 'other')),
  file_path    TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
  scanner_id   INTEGER REFERENCES scanners (id),
  site_id      INTEGER REFERENCES sites (id),
  added_by     INTEGER REFERENCES people (id),
  added_at_utc TEXT NOT NULL
);
CREATE INDEX documents_scanner ON documents (scanner_id);

-- One row per stage decision: who moved which scanner from where to where, when, on what.
CREATE TABLE decisions (
  id                   INTEGER PRIMARY KEY,
  scanner_id           INTEGER NOT NULL REFERENCES scanners (id),
  kind                 TEXT NOT NULL CHECK (kind IN ('register', 'import', 'advance', 'out_of_service',
                                                     'return_to_service')),
  from_stage           TEXT,
  to_stage             TEXT NOT NULL,
  decided_by           INTEGER REFERENCES people (id),
  decided_role         TEXT NOT NULL DEFAULT '',
  decided_at_utc       TEXT NOT NULL,
  effective_at_utc     TEXT NOT NULL,
  note                 TEXT NOT NULL DEFAULT '',
  evidence_document_id INTEGER REFERENCES documents (id),
  gate_json            TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX decisions_scanner ON decisions (scanner_id, id);

-- Append-only, hash-chained (db/audit.hpp).
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at_utc      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  table_name  TEXT NOT NULL,
  record_id   INTEGER NOT NULL,
  before_json TEXT,
  after_json  TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (table_name, record_id, seq);
