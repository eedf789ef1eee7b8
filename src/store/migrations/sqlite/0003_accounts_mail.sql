-- Accounts and sign-in (sessions, one-time links, API tokens, failed sign-ins), programme
-- administrators, and the e-mail outbox. Tokens are stored only as SHA-256 hashes.

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- lower case
  person_id     INTEGER UNIQUE REFERENCES people (id) ON DELETE SET NULL,
  display_name  TEXT NOT NULL DEFAULT '',      -- how the person wants to be addressed
  password_hash TEXT,                          -- Argon2id (libsodium string); NULL: none set
  language      TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
  system_admin  INTEGER NOT NULL DEFAULT 0 CHECK (system_admin IN (0, 1)),
  disabled_at   INTEGER,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE programme_admins (
  programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (programme_id, account_id)
);
CREATE INDEX programme_admins_account ON programme_admins (account_id);

CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  csrf_hash    TEXT NOT NULL,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,               -- absolute expiry
  ended_at     INTEGER
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE one_time_tokens (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('invitation', 'sign_in', 'password_reset')),
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX one_time_tokens_account ON one_time_tokens (account_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,                  -- ';'-separated
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE sign_in_failures (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
  client     TEXT NOT NULL,                    -- the client address
  at         INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_id, at);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, at);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,               -- emptied once sent: it may hold a link
  html_body       TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  claimed_by      TEXT,
  claimed_until   INTEGER,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at);
