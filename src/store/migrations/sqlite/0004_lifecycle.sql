-- The programme lifecycle: enrolment deadlines and agreements, enrolment languages and
-- availability, matching runs queued and computed by run workers, declined and requested
-- tandems, and the administrators' pins and forbidden pairs.

ALTER TABLE programmes ADD COLUMN enrolment_deadline INTEGER;
ALTER TABLE programmes ADD COLUMN agreement_de TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN agreement_en TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN closed_at INTEGER;

ALTER TABLE enrolments ADD COLUMN languages TEXT NOT NULL DEFAULT '';     -- ';'-separated
ALTER TABLE enrolments ADD COLUMN availability TEXT NOT NULL DEFAULT '';
CREATE INDEX enrolments_programme_state ON enrolments (programme_id, state);

-- Runs stored before this migration were computed at once: they are done.
ALTER TABLE matching_runs ADD COLUMN state TEXT NOT NULL DEFAULT 'done'
  CHECK (state IN ('queued', 'running', 'done', 'failed'));
ALTER TABLE matching_runs ADD COLUMN phase INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matching_runs ADD COLUMN progress_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matching_runs ADD COLUMN progress_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matching_runs ADD COLUMN error TEXT NOT NULL DEFAULT '';   -- never personal data
ALTER TABLE matching_runs ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE matching_runs ADD COLUMN claimed_until INTEGER;
ALTER TABLE matching_runs ADD COLUMN started_at INTEGER;
ALTER TABLE matching_runs ADD COLUMN finished_at INTEGER;
ALTER TABLE matching_runs ADD COLUMN published_at INTEGER;
ALTER TABLE matching_runs ADD COLUMN published_by TEXT NOT NULL DEFAULT '';
ALTER TABLE matching_runs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX matching_runs_state ON matching_runs (state, id);

ALTER TABLE tandems ADD COLUMN origin TEXT NOT NULL DEFAULT 'run'
  CHECK (origin IN ('run', 'request'));
ALTER TABLE tandems ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';  -- for the team only
ALTER TABLE tandems ADD COLUMN declined_by INTEGER REFERENCES people (id);
ALTER TABLE tandems ADD COLUMN ended_at INTEGER;

CREATE TABLE pair_rules (
  programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  mentor_id    INTEGER NOT NULL REFERENCES people (id),
  mentee_id    INTEGER NOT NULL REFERENCES people (id),
  kind         TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
  created_by   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (programme_id, mentor_id, mentee_id),
  CHECK (mentor_id <> mentee_id)
);
