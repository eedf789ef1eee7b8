-- Reminders the day before a meeting and cadence nudges (issue 7; docs/mail.md): one row per
-- mail sent to a tandem's partners, inserted in the transaction that puts the mails into the
-- outbox. The primary key is what makes each mail go out once, however many servers sweep.
-- `subject` is the meeting's id (reminders) or 0 (nudges); `due_at` is the meeting's start (a
-- rescheduled meeting gets a reminder of its own) or the moment the nudge became due.
CREATE TABLE sent_notices (
  tandem_id INTEGER NOT NULL REFERENCES tandems (id),
  kind      TEXT NOT NULL CHECK (kind IN ('meeting_reminder', 'cadence_nudge')),
  subject   INTEGER NOT NULL,
  due_at    INTEGER NOT NULL,
  sent_at   INTEGER NOT NULL,
  PRIMARY KEY (tandem_id, kind, subject, due_at)
);
