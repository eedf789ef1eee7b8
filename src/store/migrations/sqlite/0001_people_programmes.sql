-- People (HR master data), programmes with their topic catalogue, enrolments and answers.
-- Times are integer milliseconds since 1970-01-01 UTC; `version` counts updates.

CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,                    -- NULL once erased
  name        TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  department  TEXT NOT NULL DEFAULT '',
  location    TEXT NOT NULL DEFAULT '',
  manager_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
  level       INTEGER NOT NULL,
  languages   TEXT NOT NULL DEFAULT '',       -- ';'-separated, e.g. 'de;en'
  erased_at   INTEGER,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK (manager_id IS NULL OR manager_id <> id)
);
CREATE INDEX people_manager ON people (manager_id);

CREATE TABLE programmes (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL,
  state               TEXT NOT NULL,
  mentee_min_level    INTEGER NOT NULL DEFAULT 0,
  term_min_months     INTEGER NOT NULL DEFAULT 6,
  term_max_months     INTEGER NOT NULL DEFAULT 9,
  target_meetings_min INTEGER NOT NULL DEFAULT 6,
  target_meetings_max INTEGER NOT NULL DEFAULT 8,
  mode                TEXT NOT NULL DEFAULT 'reverse' CHECK (mode IN ('reverse', 'open')),
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  CHECK (term_min_months >= 1 AND term_min_months <= term_max_months),
  CHECK (target_meetings_min >= 1 AND target_meetings_min <= target_meetings_max)
);

CREATE TABLE programme_topics (
  programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  key          TEXT NOT NULL,
  name_de      TEXT NOT NULL,
  name_en      TEXT NOT NULL,
  weight       INTEGER NOT NULL DEFAULT 1 CHECK (weight > 0),
  PRIMARY KEY (programme_id, key),
  UNIQUE (programme_id, position)
);

CREATE TABLE enrolments (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  person_id       INTEGER NOT NULL REFERENCES people (id),
  mentor_capacity INTEGER NOT NULL DEFAULT 0 CHECK (mentor_capacity >= 0),
  mentee_capacity INTEGER NOT NULL DEFAULT 0 CHECK (mentee_capacity >= 0),
  state           TEXT NOT NULL CHECK (state IN ('invited', 'enrolled', 'withdrawn')),
  invited_at      INTEGER,
  enrolled_at     INTEGER,
  withdrawn_at    INTEGER,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (programme_id, person_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);

CREATE TABLE answers (
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  topic_key    TEXT NOT NULL,
  interest     INTEGER NOT NULL CHECK (interest BETWEEN 0 AND 3),
  skill        INTEGER NOT NULL CHECK (skill BETWEEN 0 AND 3),
  experience   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (enrolment_id, topic_key)
);
