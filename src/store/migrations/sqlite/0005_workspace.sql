-- The tandem's protected space (issue 7; docs/privacy.md): agreement acceptances, the tandem's
-- data key, the roadmap, notes, meetings and asks to leadership. Roadmap text, note text and
-- meeting details are stored only as ciphertext (XChaCha20-Poly1305 under the tandem's key,
-- base64); the tandem's key only wrapped by the master key, which is not in the database.

-- How long a tandem's protected content is kept after the tandem ends.
ALTER TABLE programmes ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12;

-- One row per partner who accepted the confidentiality agreement: the text they were shown.
CREATE TABLE agreement_acceptances (
  tandem_id   INTEGER NOT NULL REFERENCES tandems (id),
  person_id   INTEGER NOT NULL REFERENCES people (id),
  text        TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  PRIMARY KEY (tandem_id, person_id)
);

-- The tandem's data key, wrapped (nonce || crypto_secretbox) by the master key `master_key_id`
-- names; blanked when erased (crypto-shredding). roadmap_version grows with every change of
-- the roadmap's membership or order.
CREATE TABLE workspaces (
  tandem_id       INTEGER PRIMARY KEY REFERENCES tandems (id),
  wrapped_key     TEXT NOT NULL DEFAULT '',
  master_key_id   TEXT NOT NULL DEFAULT '',
  key_erased_at   INTEGER,
  roadmap_version INTEGER NOT NULL DEFAULT 1,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL
);

CREATE TABLE roadmap_items (
  id         INTEGER PRIMARY KEY,
  tandem_id  INTEGER NOT NULL REFERENCES tandems (id),
  position   INTEGER NOT NULL,
  topic      TEXT NOT NULL DEFAULT '',   -- the topic key it was prefilled from, or ''
  ciphertext TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  covered_at INTEGER,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX roadmap_items_tandem ON roadmap_items (tandem_id, position);

-- Shared notes (is_private = 0) and each partner's private notes (readable by the author alone).
CREATE TABLE notes (
  id         INTEGER PRIMARY KEY,
  tandem_id  INTEGER NOT NULL REFERENCES tandems (id),
  author_id  INTEGER NOT NULL REFERENCES people (id),
  is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
  ciphertext TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notes_tandem ON notes (tandem_id, id);

-- Times in the clear (for reminders and cadence); place, link and agenda as ciphertext.
CREATE TABLE meetings (
  id               INTEGER PRIMARY KEY,
  tandem_id        INTEGER NOT NULL REFERENCES tandems (id),
  state            TEXT NOT NULL
                   CHECK (state IN ('proposed', 'accepted', 'cancelled', 'held')),
  starts_at        INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL DEFAULT 60,
  time_zone        TEXT NOT NULL DEFAULT 'Europe/Berlin',
  proposed_by      INTEGER NOT NULL REFERENCES people (id),
  ciphertext       TEXT NOT NULL,
  nonce            TEXT NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX meetings_tandem ON meetings (tandem_id, starts_at);

-- For the programme team: by default without author (and then without tandem, which would
-- name the partners).
CREATE TABLE leadership_asks (
  id           INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES programmes (id),
  author_id    INTEGER REFERENCES people (id),
  topics       TEXT NOT NULL DEFAULT '',   -- ';'-separated topic keys
  text         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX leadership_asks_programme ON leadership_asks (programme_id, id);

-- A person's private calendar feed: a secret URL (stored as its SHA-256) that lists the times of
-- their tandems' meetings; a new one replaces the old, deleting it revokes it.
CREATE TABLE calendar_feeds (
  person_id  INTEGER PRIMARY KEY REFERENCES people (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
