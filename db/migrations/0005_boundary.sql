-- The application boundary (issue 12): the OS account a person works under on the command line
-- (the CLI acts as that person when no --as is given), overlays kept in the evidence store by
-- hash, and a small key/value table for niikit's own state (e.g. which evidence-store
-- migration a database has had).

ALTER TABLE people ADD COLUMN os_user TEXT CHECK (os_user IS NULL OR length(trim(os_user)) > 0);
CREATE UNIQUE INDEX people_os_user ON people (os_user) WHERE os_user IS NOT NULL;

ALTER TABLE kit_runs ADD COLUMN overlay_sha256 TEXT NOT NULL DEFAULT ''
  CHECK (overlay_sha256 = '' OR length(overlay_sha256) = 64);

CREATE TABLE niikit_state (
  id    INTEGER PRIMARY KEY,
  key   TEXT NOT NULL UNIQUE CHECK (length(trim(key)) > 0),
  value TEXT NOT NULL
);
