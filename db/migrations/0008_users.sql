-- Users, credentials and cryptographic signatures (issue 16). A user is a registered person
-- who can prove who they are: an argon2id password hash and an Ed25519 key pair whose secret
-- key is sealed under a key derived from the password (so only the user can sign). Tokens of
-- login sessions and API tokens are stored as SHA-256 digests only. A signature of any record
-- (test session, survey, specification freeze, award, ...) is a row of record_signatures over
-- a canonical message naming the record, the meaning, the signer, the time, the record's
-- content hash and the audit chain's head; it verifies with the public key alone.

CREATE TABLE users (
  id                 INTEGER PRIMARY KEY,
  person_id          INTEGER NOT NULL UNIQUE REFERENCES people (id),
  username           TEXT NOT NULL UNIQUE CHECK (length(trim(username)) > 0 AND username = lower(username)),
  password_hash      TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  public_key         TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
  sealed_secret_key  TEXT NOT NULL CHECK (length(sealed_secret_key) = 208),
  key_salt           TEXT NOT NULL CHECK (length(key_salt) = 32),
  disabled           INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins      INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until_utc   TEXT,
  created_at_utc     TEXT NOT NULL
);

CREATE TABLE login_sessions (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users (id),
  kind            TEXT NOT NULL CHECK (kind IN ('cli', 'web')),
  token_sha256    TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  csrf_token      TEXT NOT NULL DEFAULT '',
  created_at_utc  TEXT NOT NULL,
  expires_at_utc  TEXT NOT NULL,
  ended_at_utc    TEXT
);
CREATE INDEX login_sessions_user ON login_sessions (user_id, id);

CREATE TABLE api_tokens (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users (id),
  name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
  token_sha256    TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  roles           TEXT NOT NULL,   -- comma-separated role codes the token may act in (a subset of the user's)
  created_at_utc  TEXT NOT NULL,
  expires_at_utc  TEXT,
  revoked_at_utc  TEXT
);

CREATE TABLE record_signatures (
  id                 INTEGER PRIMARY KEY,
  record_kind        TEXT NOT NULL CHECK (length(trim(record_kind)) > 0),
  record_id          INTEGER NOT NULL,
  meaning            TEXT NOT NULL CHECK (length(trim(meaning)) > 0),
  person_id          INTEGER NOT NULL REFERENCES people (id),
  user_id            INTEGER NOT NULL REFERENCES users (id),
  signer_name        TEXT NOT NULL,
  signed_at_utc      TEXT NOT NULL,
  content_sha256     TEXT NOT NULL CHECK (length(content_sha256) = 64),
  audit_head_sha256  TEXT NOT NULL,
  public_key         TEXT NOT NULL CHECK (length(public_key) = 64),
  signature          TEXT NOT NULL CHECK (length(signature) = 128)
);
CREATE INDEX record_signatures_record ON record_signatures (record_kind, record_id, id);

-- Signatures name the audit head they were made at; verifying one looks the hash up.
CREATE INDEX audit_log_hash ON audit_log (hash);
