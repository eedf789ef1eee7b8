-- The programme lifecycle: enrolment deadlines and agreements, enrolment languages and
-- availability, matching runs queued and computed by run workers, declined and requested
-- tandems, and the administrators' pins and forbidden pairs.

ALTER TABLE programmes
  ADD COLUMN enrolment_deadline BIGINT,
  ADD COLUMN agreement_de       TEXT NOT NULL DEFAULT '',
  ADD COLUMN agreement_en       TEXT NOT NULL DEFAULT '',
  ADD COLUMN closed_at          BIGINT;

ALTER TABLE enrolments
  ADD COLUMN languages    TEXT NOT NULL DEFAULT '',     -- ';'-separated
  ADD COLUMN availability TEXT NOT NULL DEFAULT '';
CREATE INDEX enrolments_programme_state ON enrolments (programme_id, state);

-- Runs stored before this migration were computed at once: they are done.
ALTER TABLE matching_runs
  ADD COLUMN state          TEXT NOT NULL DEFAULT 'done'
                            CHECK (state IN ('queued', 'running', 'done', 'failed')),
  ADD COLUMN phase          BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN progress_done  BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN progress_total BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN error          TEXT NOT NULL DEFAULT '',   -- never personal data
  ADD COLUMN claimed_by     TEXT NOT NULL DEFAULT '',
  ADD COLUMN claimed_until  BIGINT,
  ADD COLUMN started_at     BIGINT,
  ADD COLUMN finished_at    BIGINT,
  ADD COLUMN published_at   BIGINT,
  ADD COLUMN published_by   TEXT NOT NULL DEFAULT '',
  ADD COLUMN version        BIGINT NOT NULL DEFAULT 1;
CREATE INDEX matching_runs_state ON matching_runs (state, id);

ALTER TABLE tandems
  ADD COLUMN origin         TEXT NOT NULL DEFAULT 'run' CHECK (origin IN ('run', 'request')),
  ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '',   -- for the programme team only
  ADD COLUMN declined_by    BIGINT REFERENCES people (id),
  ADD COLUMN ended_at       BIGINT;

CREATE TABLE pair_rules (
  programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  mentor_id    BIGINT NOT NULL REFERENCES people (id),
  mentee_id    BIGINT NOT NULL REFERENCES people (id),
  kind         TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
  created_by   TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (programme_id, mentor_id, mentee_id),
  CHECK (mentor_id <> mentee_id)
);
