-- Evaluation and reports (issue 8; docs/reports.md): surveys with their invitations and
-- responses, partner feedback, and per programme the minimum group size k of every figure
-- about people and whether partners give each other feedback at the end.

ALTER TABLE programmes ADD COLUMN min_group_size INTEGER NOT NULL DEFAULT 5
  CHECK (min_group_size >= 3);
ALTER TABLE programmes ADD COLUMN partner_feedback INTEGER NOT NULL DEFAULT 0
  CHECK (partner_feedback IN (0, 1));

-- One survey per programme, kind and audience. `definition` holds the questions as a JSON
-- document (app/survey_json.h). Results cover the responses with id <= released_through.
CREATE TABLE surveys (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES programmes (id),
  kind             TEXT NOT NULL CHECK (kind IN ('mid_term', 'final')),
  audience         TEXT NOT NULL CHECK (audience IN ('mentees', 'mentors')),
  definition       TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
  opened_at        INTEGER,
  closed_at        INTEGER,
  remind_at        INTEGER,
  reminded_at      INTEGER,
  released_through INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (programme_id, kind, audience)
);
CREATE INDEX surveys_state ON surveys (state, id);

-- Who was invited to a survey (one invitation mail each); deleted when the person is erased.
CREATE TABLE survey_invitations (
  survey_id  INTEGER NOT NULL REFERENCES surveys (id),
  person_id  INTEGER NOT NULL REFERENCES people (id),
  invited_at INTEGER NOT NULL,
  PRIMARY KEY (survey_id, person_id)
);

-- One person's answers (a JSON document); readable by its author only. person_id becomes NULL
-- when the person is erased: the answers stay, anonymous, in the results.
CREATE TABLE survey_responses (
  id         INTEGER PRIMARY KEY,
  survey_id  INTEGER NOT NULL REFERENCES surveys (id),
  person_id  INTEGER REFERENCES people (id),
  answers    TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (survey_id, person_id)
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);

-- A partner's feedback to the other partner of a tandem, shown to the other once both gave
-- theirs; never to the programme team. Deleted when either partner is erased.
CREATE TABLE partner_feedback (
  tandem_id  INTEGER NOT NULL REFERENCES tandems (id),
  author_id  INTEGER NOT NULL REFERENCES people (id),
  text       TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tandem_id, author_id)
);
