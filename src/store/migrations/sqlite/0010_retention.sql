-- Retention of closed programmes (issue 9; docs/privacy.md "Retention and erasure"): once a
-- programme is closed and its retention period has passed, its personal data are erased and its
-- enrolments, tandems and survey responses re-pointed to anonymous people. The marker makes the
-- sweep run once per programme, however many servers sweep.
ALTER TABLE programmes ADD COLUMN personal_data_erased_at INTEGER;

-- The programme a mail is about (NULL: none, e.g. a sign-in link). Mails of a programme still
-- waiting in the outbox go with its personal data; sent ones lose the link.
ALTER TABLE outbox ADD COLUMN programme_id INTEGER REFERENCES programmes (id);
CREATE INDEX outbox_programme ON outbox (programme_id);
