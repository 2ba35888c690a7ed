-- Tenders to contract (issue 14): the needs and business case of a procurement, its tender
-- (lots, dates, committee with conflict-of-interest declarations, clarifications), bidders and
-- their bids (price, currency, validity, a claimed value per requirement, a compliance answer
-- per mandatory clause), weighted evaluation criteria, each evaluator's own scores, the
-- moderated scores, the award with its standstill period, and the contract with milestones.
--
-- Money is integer minor units plus an ISO 4217 code; a bid in another currency than the
-- tender's keeps its own price and the rate used, beside the price in the tender's currency.
-- Percentages (weights, payment shares, availability) are REAL percent; scores are 0–10 points.
-- Requirement ids refer to the tender's frozen specification version (spec_requirements).
-- The service enforces the status flow and the date rules; CHECKs here keep the stored shape
-- sound even when a bug slips past it.

CREATE TABLE tender_needs (
  id                      INTEGER PRIMARY KEY,
  procurement_id          INTEGER NOT NULL UNIQUE REFERENCES procurements (id),
  purposes                TEXT NOT NULL CHECK (length(trim(purposes)) > 0),  -- comma-separated: revenue,drugs,...
  conveyance_types        TEXT NOT NULL CHECK (length(trim(conveyance_types)) > 0),
  annual_scans            INTEGER NOT NULL CHECK (annual_scans > 0),
  peak_scans_per_hour     REAL NOT NULL CHECK (peak_scans_per_hour > 0),
  required_scans_per_hour REAL NOT NULL CHECK (required_scans_per_hour > 0),
  candidate_sites         TEXT NOT NULL DEFAULT '',
  operating_model         TEXT NOT NULL DEFAULT '',
  staff_per_shift         INTEGER NOT NULL DEFAULT 0 CHECK (staff_per_shift >= 0),
  life_years              INTEGER NOT NULL CHECK (life_years BETWEEN 1 AND 40),
  currency                TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  capex_minor             INTEGER NOT NULL CHECK (capex_minor >= 0),
  opex_minor_per_year     INTEGER NOT NULL CHECK (opex_minor_per_year >= 0),
  benefit_minor_per_year  INTEGER NOT NULL DEFAULT 0 CHECK (benefit_minor_per_year >= 0),
  created_at_utc          TEXT NOT NULL,
  approved_by             INTEGER REFERENCES people (id),
  approved_at_utc         TEXT,
  CHECK ((approved_by IS NULL) = (approved_at_utc IS NULL))
);

CREATE TABLE tenders (
  id                        INTEGER PRIMARY KEY,
  procurement_id            INTEGER NOT NULL REFERENCES procurements (id),
  specification_id          INTEGER NOT NULL REFERENCES specifications (id),  -- a frozen version
  reference                 TEXT NOT NULL UNIQUE CHECK (length(trim(reference)) > 0),
  title                     TEXT NOT NULL CHECK (length(trim(title)) > 0),
  procedure                 TEXT NOT NULL CHECK (procedure IN ('open', 'restricted', 'negotiated', 'competitive_dialogue')),
  currency                  TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  publication_utc           TEXT NOT NULL,
  clarification_deadline_utc TEXT NOT NULL,
  closing_utc               TEXT NOT NULL,
  opening_utc               TEXT NOT NULL,
  standstill_days           INTEGER NOT NULL CHECK (standstill_days BETWEEN 0 AND 90),
  price_formula             TEXT NOT NULL,   -- "lowest_ratio/1", "linear_budget/1"
  status                    TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'evaluated', 'awarded', 'cancelled')),
  technical_locked_at_utc   TEXT,
  cancel_reason             TEXT NOT NULL DEFAULT '',
  created_at_utc            TEXT NOT NULL,
  CHECK (publication_utc < clarification_deadline_utc AND clarification_deadline_utc < closing_utc
         AND closing_utc <= opening_utc)
);

CREATE TABLE tender_lots (
  id            INTEGER PRIMARY KEY,
  tender_id     INTEGER NOT NULL REFERENCES tenders (id),
  lot_number    INTEGER NOT NULL CHECK (lot_number >= 1),
  title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
  configuration TEXT NOT NULL CHECK (length(trim(configuration)) > 0),  -- registry configuration code
  quantity      INTEGER NOT NULL CHECK (quantity >= 1),
  budget_minor  INTEGER NOT NULL CHECK (budget_minor > 0),             -- in the tender's currency
  UNIQUE (tender_id, lot_number)
);

CREATE TABLE tender_committee (
  id                   INTEGER PRIMARY KEY,
  tender_id            INTEGER NOT NULL REFERENCES tenders (id),
  person_id            INTEGER NOT NULL REFERENCES people (id),
  committee_role       TEXT NOT NULL CHECK (committee_role IN ('chair', 'evaluator', 'observer')),
  coi_declared_at_utc  TEXT,
  coi_conflict         INTEGER CHECK (coi_conflict IN (0, 1)),
  coi_statement        TEXT NOT NULL DEFAULT '',
  UNIQUE (tender_id, person_id),
  CHECK ((coi_declared_at_utc IS NULL) = (coi_conflict IS NULL))
);

CREATE TABLE tender_clarifications (
  id              INTEGER PRIMARY KEY,
  tender_id       INTEGER NOT NULL REFERENCES tenders (id),
  question        TEXT NOT NULL CHECK (length(trim(question)) > 0),
  asked_by        TEXT NOT NULL DEFAULT '',   -- the bidder or person who asked, as given
  asked_at_utc    TEXT NOT NULL,
  answer          TEXT NOT NULL DEFAULT '',
  answered_by     INTEGER REFERENCES people (id),
  answered_at_utc TEXT,
  CHECK ((answered_at_utc IS NULL) = (answered_by IS NULL))
);

CREATE TABLE bidders (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  country        TEXT NOT NULL DEFAULT '',
  created_at_utc TEXT NOT NULL
);

CREATE TABLE bids (
  id                INTEGER PRIMARY KEY,
  tender_id         INTEGER NOT NULL REFERENCES tenders (id),
  lot_id            INTEGER NOT NULL REFERENCES tender_lots (id),
  bidder_id         INTEGER NOT NULL REFERENCES bidders (id),
  price_minor       INTEGER NOT NULL CHECK (price_minor > 0),        -- in `currency`
  currency          TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  rate_to_tender    REAL NOT NULL CHECK (rate_to_tender > 0),         -- tender currency per unit of `currency`
  tender_price_minor INTEGER NOT NULL CHECK (tender_price_minor > 0),  -- price in the tender's currency
  valid_until       TEXT NOT NULL,
  submitted_at_utc  TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('submitted', 'admissible', 'excluded')),
  exclusion_reason  TEXT NOT NULL DEFAULT '',
  UNIQUE (lot_id, bidder_id),
  CHECK ((status = 'excluded') = (exclusion_reason <> ''))
);
CREATE INDEX bids_tender ON bids (tender_id);

CREATE TABLE bid_claims (
  id             INTEGER PRIMARY KEY,
  bid_id         INTEGER NOT NULL REFERENCES bids (id),
  requirement_id TEXT NOT NULL,
  claimed_value  REAL NOT NULL,          -- in the requirement's unit
  note           TEXT NOT NULL DEFAULT '',
  UNIQUE (bid_id, requirement_id)
);

CREATE TABLE bid_compliance (
  id             INTEGER PRIMARY KEY,
  bid_id         INTEGER NOT NULL REFERENCES bids (id),
  requirement_id TEXT NOT NULL,
  complies       INTEGER NOT NULL CHECK (complies IN (0, 1)),
  evidence       TEXT NOT NULL DEFAULT '',   -- where the bid proves it (document, page)
  UNIQUE (bid_id, requirement_id)
);

CREATE TABLE tender_criteria (
  id         INTEGER PRIMARY KEY,
  tender_id  INTEGER NOT NULL REFERENCES tenders (id),
  code       TEXT NOT NULL CHECK (length(trim(code)) > 0),
  name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
  kind       TEXT NOT NULL CHECK (kind IN ('technical', 'price')),
  weight_pct REAL NOT NULL CHECK (weight_pct > 0 AND weight_pct <= 100),
  position   INTEGER NOT NULL CHECK (position >= 1),
  UNIQUE (tender_id, code)
);

CREATE TABLE evaluator_scores (
  id            INTEGER PRIMARY KEY,
  bid_id        INTEGER NOT NULL REFERENCES bids (id),
  criterion_id  INTEGER NOT NULL REFERENCES tender_criteria (id),
  evaluator_id  INTEGER NOT NULL REFERENCES people (id),
  score         REAL NOT NULL CHECK (score >= 0 AND score <= 10),
  note          TEXT NOT NULL DEFAULT '',
  scored_at_utc TEXT NOT NULL,
  UNIQUE (bid_id, criterion_id, evaluator_id)
);

CREATE TABLE moderated_scores (
  id               INTEGER PRIMARY KEY,
  bid_id           INTEGER NOT NULL REFERENCES bids (id),
  criterion_id     INTEGER NOT NULL REFERENCES tender_criteria (id),
  score            REAL NOT NULL CHECK (score >= 0 AND score <= 10),
  method           TEXT NOT NULL CHECK (method IN ('consensus', 'mean')),
  rationale        TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
  spread           REAL NOT NULL CHECK (spread >= 0),   -- max − min of the evaluators' scores
  moderated_by     INTEGER NOT NULL REFERENCES people (id),
  moderated_at_utc TEXT NOT NULL,
  UNIQUE (bid_id, criterion_id)
);

CREATE TABLE tender_awards (
  id                  INTEGER PRIMARY KEY,
  tender_id           INTEGER NOT NULL REFERENCES tenders (id),
  lot_id              INTEGER NOT NULL UNIQUE REFERENCES tender_lots (id),
  bid_id              INTEGER NOT NULL REFERENCES bids (id),
  decided_by          INTEGER NOT NULL REFERENCES people (id),
  decided_at_utc      TEXT NOT NULL,
  standstill_until_utc TEXT NOT NULL,
  justification       TEXT NOT NULL CHECK (length(trim(justification)) > 0)
);

CREATE TABLE tender_complaints (
  id              INTEGER PRIMARY KEY,
  award_id        INTEGER NOT NULL REFERENCES tender_awards (id),
  complainant     TEXT NOT NULL CHECK (length(trim(complainant)) > 0),
  text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
  lodged_at_utc   TEXT NOT NULL,
  resolution      TEXT NOT NULL DEFAULT '',
  resolved_at_utc TEXT
);

CREATE TABLE contracts (
  id                          INTEGER PRIMARY KEY,
  award_id                    INTEGER NOT NULL UNIQUE REFERENCES tender_awards (id),
  reference                   TEXT NOT NULL UNIQUE CHECK (length(trim(reference)) > 0),
  supplier_id                 INTEGER NOT NULL REFERENCES bidders (id),
  value_minor                 INTEGER NOT NULL CHECK (value_minor > 0),
  currency                    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  signed_on                   TEXT NOT NULL,   -- date
  warranty_months             INTEGER NOT NULL CHECK (warranty_months BETWEEN 0 AND 240),
  sla_response_h              REAL NOT NULL CHECK (sla_response_h > 0),
  sla_repair_h                REAL NOT NULL CHECK (sla_repair_h > 0),
  sla_availability_pct        REAL NOT NULL CHECK (sla_availability_pct > 0 AND sla_availability_pct <= 100),
  penalties                   TEXT NOT NULL DEFAULT '',
  performance_security_minor  INTEGER NOT NULL DEFAULT 0 CHECK (performance_security_minor >= 0),
  decommissioning_clause      TEXT NOT NULL DEFAULT '',
  created_at_utc              TEXT NOT NULL
);

CREATE TABLE contract_milestones (
  id                INTEGER PRIMARY KEY,
  contract_id       INTEGER NOT NULL REFERENCES contracts (id),
  kind              TEXT NOT NULL CHECK (kind IN ('fat', 'delivery', 'sat', 'final_acceptance')),
  due_on            TEXT NOT NULL,
  payment_share_pct REAL NOT NULL CHECK (payment_share_pct >= 0 AND payment_share_pct <= 100),
  met_on            TEXT,
  UNIQUE (contract_id, kind)
);
