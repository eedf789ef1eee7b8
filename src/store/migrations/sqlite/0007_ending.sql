-- Ending a tandem (issue 7; docs/programme.md): when it became active (the second acceptance;
-- its term runs from there), each partner's mark that they consider it complete, and for an
-- early end the reason (for the programme team only) and who dissolved it. Programmes gain
-- whether the team sees the number of meetings held per tandem (docs/privacy.md).

ALTER TABLE tandems ADD COLUMN activated_at INTEGER;
ALTER TABLE tandems ADD COLUMN mentor_completed_at INTEGER;
ALTER TABLE tandems ADD COLUMN mentee_completed_at INTEGER;
ALTER TABLE tandems ADD COLUMN dissolve_reason TEXT NOT NULL DEFAULT '';  -- for the team only
ALTER TABLE tandems ADD COLUMN dissolved_by INTEGER REFERENCES people (id);
-- Meetings held, counted up when a meeting is marked held and never down (not when the content
-- or a partner is erased): the team's meetings aggregate never shrinks (docs/privacy.md).
ALTER TABLE tandems ADD COLUMN meetings_held INTEGER NOT NULL DEFAULT 0;

-- Tandems that became active before this migration: the later of the two acceptances.
UPDATE tandems
   SET activated_at = CASE WHEN mentor_accepted_at >= mentee_accepted_at
                           THEN mentor_accepted_at ELSE mentee_accepted_at END
 WHERE state IN ('active', 'completed', 'dissolved')
   AND mentor_accepted_at IS NOT NULL AND mentee_accepted_at IS NOT NULL;

-- Meetings held before this migration.
UPDATE tandems
   SET meetings_held = (SELECT COUNT(*) FROM meetings m
                         WHERE m.tandem_id = tandems.id AND m.state = 'held');

ALTER TABLE programmes ADD COLUMN show_meeting_counts INTEGER NOT NULL DEFAULT 0
  CHECK (show_meeting_counts IN (0, 1));
