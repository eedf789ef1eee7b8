-- Matching runs with their result and report, the tandems they propose, and the audit log.

CREATE TABLE matching_runs (
  id           INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  created_by   TEXT NOT NULL DEFAULT '',
  parameters   TEXT NOT NULL,                 -- JSON
  result       TEXT NOT NULL,                 -- JSON
  report       TEXT NOT NULL,                 -- JSON
  created_at   INTEGER NOT NULL
);
CREATE INDEX matching_runs_programme ON matching_runs (programme_id);

CREATE TABLE tandems (
  id                 INTEGER PRIMARY KEY,
  programme_id       INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  run_id             INTEGER REFERENCES matching_runs (id) ON DELETE SET NULL,
  mentor_id          INTEGER NOT NULL REFERENCES people (id),
  mentee_id          INTEGER NOT NULL REFERENCES people (id),
  score              INTEGER NOT NULL CHECK (score >= 0),
  topics             TEXT NOT NULL DEFAULT '',  -- ';'-separated topic keys
  reasons            TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL CHECK (state IN ('proposed', 'accepted_by_one', 'active',
                                                   'completed', 'declined', 'dissolved')),
  mentor_accepted_at INTEGER,
  mentee_accepted_at INTEGER,
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  CHECK (mentor_id <> mentee_id)
);
CREATE INDEX tandems_programme ON tandems (programme_id);
CREATE INDEX tandems_mentor ON tandems (mentor_id);
CREATE INDEX tandems_mentee ON tandems (mentee_id);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER,
  detail    TEXT NOT NULL DEFAULT ''          -- ids and counts only: never personal data
);
