-- At most once for mail (issue 9; docs/mail.md "Exactly once"): the moment the worker finished
-- handing a mail's content to the SMTP server, committed before it sends the end of the data
-- (the final "."), so before the server can accept it. A mail with this mark whose claim ran out
-- unsent was being delivered when its process died: the server may have accepted it, so it is
-- not sent again but given up as "in doubt". A failed attempt clears the mark.
ALTER TABLE outbox ADD COLUMN handed_over_at INTEGER;
-- Every worker run looks for such mails: only the few handed over and unsent are indexed.
CREATE INDEX outbox_in_doubt ON outbox (claimed_until)
  WHERE handed_over_at IS NOT NULL AND sent_at IS NULL;
