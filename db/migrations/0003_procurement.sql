-- Procurement projects and their versioned, measurable specifications (issue 7).
-- A procurement may buy several scanners; a scanner belongs to at most one procurement.
-- A specification version is a draft until frozen; a frozen version never changes (the triggers
-- below abort any change that bypasses the service). Money is integer minor units + currency.
-- The category and comparator codes are those of app/domain/requirements.cpp.

CREATE TABLE procurements (
  id             INTEGER PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE CHECK (length(trim(reference)) > 0),
  title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
  description    TEXT NOT NULL DEFAULT '',
  budget_minor   INTEGER CHECK (budget_minor IS NULL OR budget_minor >= 0),
  currency       TEXT NOT NULL DEFAULT '' CHECK (currency = '' OR (length(currency) = 3 AND currency = upper(currency))),
  created_at_utc TEXT NOT NULL,
  CHECK ((budget_minor IS NULL) = (currency = ''))
);

CREATE TABLE specifications (
  id                  INTEGER PRIMARY KEY,
  procurement_id      INTEGER NOT NULL REFERENCES procurements (id),
  version             INTEGER NOT NULL CHECK (version >= 1),
  status              TEXT NOT NULL CHECK (status IN ('draft', 'frozen')),
  source_file         TEXT NOT NULL DEFAULT '',
  created_at_utc      TEXT NOT NULL,
  updated_at_utc      TEXT NOT NULL,
  frozen_at_utc       TEXT,
  frozen_by           INTEGER REFERENCES people (id),
  requirements_sha256 TEXT NOT NULL DEFAULT '' CHECK (requirements_sha256 = '' OR length(requirements_sha256) = 64),
  UNIQUE (procurement_id, version),
  CHECK ((status = 'frozen') = (frozen_at_utc IS NOT NULL AND frozen_by IS NOT NULL AND requirements_sha256 <> ''))
);
-- At most one draft per procurement.
CREATE UNIQUE INDEX specifications_one_draft ON specifications (procurement_id) WHERE status = 'draft';

CREATE TABLE spec_requirements (
  id               INTEGER PRIMARY KEY,
  specification_id INTEGER NOT NULL REFERENCES specifications (id),
  position         INTEGER NOT NULL CHECK (position >= 1),
  requirement_id   TEXT NOT NULL CHECK (length(trim(requirement_id)) > 0),
  text             TEXT NOT NULL CHECK (length(trim(text)) > 0),
  category         TEXT NOT NULL CHECK (category IN ('image_quality', 'radiation', 'throughput', 'availability',
                                                     'software', 'data_format', 'functional', 'other')),
  mandatory        INTEGER NOT NULL CHECK (mandatory IN (0, 1)),
  metric_key       TEXT NOT NULL CHECK (length(trim(metric_key)) > 0),
  comparator       TEXT NOT NULL CHECK (comparator IN ('>=', '>', '<=', '<', '==', 'true')),
  target_in_unit   REAL NOT NULL,
  tolerance_in_unit REAL NOT NULL DEFAULT 0 CHECK (tolerance_in_unit >= 0),
  unit             TEXT NOT NULL DEFAULT '',
  method           TEXT NOT NULL DEFAULT '',
  -- phases in lifecycle order, comma-separated: fat,sat,periodic,return_to_service,review
  verified_at      TEXT NOT NULL DEFAULT '',
  UNIQUE (specification_id, requirement_id),
  UNIQUE (specification_id, position)
);

CREATE TABLE procurement_scanners (
  id             INTEGER PRIMARY KEY,
  procurement_id INTEGER NOT NULL REFERENCES procurements (id),
  scanner_id     INTEGER NOT NULL UNIQUE REFERENCES scanners (id),
  linked_at_utc  TEXT NOT NULL
);
CREATE INDEX procurement_scanners_procurement ON procurement_scanners (procurement_id);

-- A frozen version is immutable: its row and its requirements can be neither changed nor removed.
CREATE TRIGGER specifications_frozen_update BEFORE UPDATE ON specifications
  WHEN OLD.status = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'specification version is frozen'); END;
CREATE TRIGGER specifications_frozen_delete BEFORE DELETE ON specifications
  WHEN OLD.status = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'specification version is frozen'); END;
CREATE TRIGGER spec_requirements_frozen_insert BEFORE INSERT ON spec_requirements
  WHEN (SELECT status FROM specifications WHERE id = NEW.specification_id) = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'specification version is frozen'); END;
CREATE TRIGGER spec_requirements_frozen_update BEFORE UPDATE ON spec_requirements
  WHEN (SELECT status FROM specifications WHERE id = OLD.specification_id) = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'specification version is frozen'); END;
CREATE TRIGGER spec_requirements_frozen_delete BEFORE DELETE ON spec_requirements
  WHEN (SELECT status FROM specifications WHERE id = OLD.specification_id) = 'frozen'
  BEGIN SELECT RAISE(ABORT, 'specification version is frozen'); END;
