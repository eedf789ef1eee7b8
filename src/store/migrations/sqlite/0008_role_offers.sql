-- The role flip (issue 7; docs/programme.md): the topics a person offers to mentor or to be
-- mentored in, in the next cohort. One row per person; erased with the person. Topic keys are
-- ';'-separated like tandems.topics. The programme team invites by offer.
CREATE TABLE role_offers (
  person_id     INTEGER PRIMARY KEY REFERENCES people (id),
  mentor_topics TEXT NOT NULL DEFAULT '',  -- ';'-separated topic keys
  mentee_topics TEXT NOT NULL DEFAULT '',  -- ';'-separated topic keys
  version       INTEGER NOT NULL DEFAULT 1,
  updated_at    INTEGER NOT NULL
);
