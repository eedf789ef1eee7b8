#!/usr/bin/env bash
# End-to-end checks of the store commands of `tandem` on SQLite: migrate, import, programme,
# backup while writing, restore, copy, erase, and refusal of damaged, foreign and full
# databases. Usage: store_cli_test.sh PATH_TO_TANDEM
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH_TO_TANDEM" >&2
  exit 64
fi
TANDEM=$(realpath "$1")
PYTHON=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tandem_store_cli.XXXXXX")
MOUNTED=""
cleanup() {
  if [[ -n $MOUNTED ]]; then umount "$MOUNTED" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*" >&2
  exit 1
}
# sql DB QUERY: runs a query with Python's sqlite3 (independent of tandem's code).
sql() {
  "$PYTHON" - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join(str(v) for v in row))
PY
}
# expect_status WANT CMD...: runs CMD, keeps stderr in err.txt, checks the exit status.
expect_status() {
  local want=$1
  shift
  set +e
  "$@" >out.txt 2>err.txt
  local got=$?
  set -e
  [[ $got -eq $want ]] || fail "$* exited $got, expected $want: $(head -c 500 err.txt)"
}

export TANDEM_DB="sqlite:$WORK/tandem.db"

# Given a fresh database, migrate reports the versions and applies every migration once.
expect_status 0 "$TANDEM" migrate --status
grep -q "schema version 0 of " out.txt || fail "status of a new database: $(cat out.txt)"
expect_status 0 "$TANDEM" migrate
grep -qE "schema version 0 -> [0-9]+" out.txt || fail "migrate: $(cat out.txt)"
expect_status 0 "$TANDEM" migrate
grep -q "(0 migration(s) applied)" out.txt || fail "second migrate: $(cat out.txt)"
[[ $(sql tandem.db "PRAGMA journal_mode") == wal ]] || fail "journal mode is not WAL"
pass "migrate creates the schema once, in WAL mode"

# Import: all new, then all unchanged; a bad file changes nothing.
"$TANDEM" generate --people 500 --seed 3 --out people.csv
expect_status 0 "$TANDEM" import people.csv
grep -q "imported 500 people: 500 new, 0 updated, 0 unchanged" out.txt || fail "$(cat out.txt)"
grep -q "answer columns ignored" err.txt || fail "no warning about ignored answers"
expect_status 0 "$TANDEM" import people.csv
grep -q "0 new, 0 updated, 500 unchanged" out.txt || fail "reimport: $(cat out.txt)"
printf 'id,level,manager_id\nfresh,1,\nother,x,ghost\n' >bad.csv
expect_status 2 "$TANDEM" import bad.csv
grep -q "^bad.csv:3: column 'level': " err.txt || fail "bad level not reported: $(cat err.txt)"
grep -q "nothing was imported" err.txt || fail "no all-or-nothing notice"
printf 'id,level,manager_id\nfresh,1,ghost\n' >ghost.csv
expect_status 2 "$TANDEM" import ghost.csv
grep -q "^ghost.csv:2: column 'manager_id': unknown manager 'ghost'" err.txt ||
  fail "unknown manager: $(cat err.txt)"
[[ $(sql tandem.db "SELECT COUNT(*) FROM people") == 500 ]] || fail "bad imports wrote rows"
pass "import upserts by id, all or nothing, with FILE:LINE errors"

# A programme, then the same file with answers enrolled in it.
expect_status 0 "$TANDEM" programme create "Pilot 2027" --mentee-min-level 2
programme=$(cat out.txt)
expect_status 0 "$TANDEM" import people.csv --programme "$programme"
grep -qE "enrolled with [0-9]+ answers" out.txt || fail "$(cat out.txt)"
[[ $(sql tandem.db "SELECT COUNT(*) FROM programme_topics") == 12 ]] || fail "default topics"
[[ $(sql tandem.db "SELECT COUNT(*) FROM answers") -gt 100 ]] || fail "answers not stored"
pass "programme create and import --programme store enrolments and answers"

# Backup while another process writes: the copy is consistent and opens.
"$TANDEM" generate --people 3000 --seed 4 --out more.csv
"$TANDEM" import more.csv >/dev/null 2>&1 &
writer=$!
expect_status 0 "$TANDEM" backup "$WORK/backup.db"
wait "$writer"
[[ $(sql backup.db "PRAGMA integrity_check") == ok ]] || fail "backup integrity"
count=$(sql backup.db "SELECT COUNT(*) FROM people")
[[ $count -ge 500 ]] || fail "backup lacks people: $count"
pass "backup during an import is consistent ($count people in the copy)"

# Erase, then restore the backup: the person is back.
victim=$(sql tandem.db "SELECT external_id FROM people WHERE external_id IS NOT NULL LIMIT 1")
expect_status 0 "$TANDEM" erase "$victim"
[[ -z $(sql tandem.db "SELECT 1 FROM people WHERE external_id = '$victim'") ]] || fail "erase"
[[ $(sql tandem.db "SELECT COUNT(*) FROM people WHERE erased_at IS NOT NULL") == 1 ]] ||
  fail "erased row should remain as a count"
grep -q "$victim" <(sql tandem.db "SELECT detail FROM audit_log") && fail "HR id in the audit log"
expect_status 2 "$TANDEM" erase "$victim"
expect_status 0 "$TANDEM" restore "$WORK/backup.db"
[[ $(sql tandem.db "SELECT COUNT(*) FROM people WHERE external_id = '$victim'") == 1 ]] ||
  fail "restore did not bring the person back"
pass "erase removes personal data; restore brings back the backup"

# Copy into an empty database; a second copy into it is refused.
expect_status 0 "$TANDEM" copy --from "$TANDEM_DB" --to "sqlite:$WORK/copy.db"
for table in people programmes programme_topics enrolments answers audit_log; do
  [[ $(sql tandem.db "SELECT COUNT(*) FROM $table") == $(sql copy.db "SELECT COUNT(*) FROM $table") ]] ||
    fail "copy: $table differs"
done
expect_status 2 "$TANDEM" copy --from "$TANDEM_DB" --to "sqlite:$WORK/copy.db"
grep -q "not empty" err.txt || fail "copy into a full database: $(cat err.txt)"
pass "copy moves every row into an empty database and refuses a used one"

# Damaged, foreign and unknown databases are refused with a message, never a crash.
cp backup.db header.db
printf 'garbage!garbage!' | dd of=header.db bs=1 seek=0 conv=notrunc status=none
expect_status 1 "$TANDEM" migrate --status --db "sqlite:$WORK/header.db"
grep -q "not a database" err.txt || fail "flipped header: $(cat err.txt)"
cp backup.db pages.db
size=$(stat -c %s pages.db)
"$PYTHON" - pages.db "$size" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    # Flip bytes in several pages after the first (page size 4096).
    for offset in range(3 * 4096 + 100, size, 7 * 4096):
        f.seek(offset)
        data = bytearray(f.read(64))
        f.seek(offset)
        f.write(bytes(b ^ 0x5A for b in data))
PY
expect_status 1 "$TANDEM" migrate --status --db "sqlite:$WORK/pages.db"
grep -qE "damaged|not a database" err.txt || fail "flipped pages: $(cat err.txt)"
sql foreign.db "CREATE TABLE t (x)" >/dev/null
expect_status 2 "$TANDEM" migrate --db "sqlite:$WORK/foreign.db"
grep -q "not one of Tandem's" err.txt || fail "foreign database: $(cat err.txt)"
expect_status 2 "$TANDEM" migrate --db "mysql://user:secret@host/db"
grep -q "unknown scheme 'mysql'" err.txt || fail "unknown scheme: $(cat err.txt)"
grep -q secret err.txt && fail "the password was echoed"
pass "damaged, foreign and unknown databases are refused with a clear message"

# Disk full: on a small tmpfs a write fails with a clear error and the database stays sound.
mkdir small
if mount -t tmpfs -o size=1200k tmpfs small 2>/dev/null; then
  MOUNTED=$WORK/small
  "$TANDEM" generate --people 200 --seed 5 --out few.csv
  expect_status 0 "$TANDEM" import few.csv --db "sqlite:$WORK/small/t.db"
  "$TANDEM" generate --people 20000 --seed 6 --out many.csv
  expect_status 1 "$TANDEM" import many.csv --db "sqlite:$WORK/small/t.db"
  grep -qiE "full" err.txt || fail "disk full message: $(cat err.txt)"
  grep -q "nothing was imported" err.txt || fail "disk full: no all-or-nothing notice"
  [[ $(sql small/t.db "PRAGMA integrity_check") == ok ]] || fail "disk full: integrity"
  [[ $(sql small/t.db "SELECT COUNT(*) FROM people") == 200 ]] || fail "disk full: rows lost"
  expect_status 0 "$TANDEM" migrate --status --db "sqlite:$WORK/small/t.db"
  umount "$MOUNTED" && MOUNTED=""
  pass "disk full: the import fails with a clear error; the database stays sound"
else
  echo "skip disk-full check: cannot mount a tmpfs here (needs root)"
fi

# tandem demo: a draft programme with enrolled people goes through the lifecycle's use cases.
"$TANDEM" generate --people 120 --seed 3 --out demo.csv
"$TANDEM" import demo.csv --db sqlite:demo.db >/dev/null
demo_programme=$("$TANDEM" programme create "Demo" --db sqlite:demo.db)
"$TANDEM" import demo.csv --programme "$demo_programme" --db sqlite:demo.db >/dev/null
"$TANDEM" demo --programme "$demo_programme" --db sqlite:demo.db >demo1.txt 2>demo1.err ||
  fail "tandem demo: exit $? ($(cat demo1.err))"
[[ $(grep -c '/sign-in#link=' demo1.txt) == 3 ]] || fail "tandem demo: not three sign-ins: $(cat demo1.txt)"
grep -q '^Mentee .* (active tandem): ' demo1.txt || fail "tandem demo: no mentee line"
grep -q '^Mentor .* (a proposal to answer): ' demo1.txt || fail "tandem demo: no mentor line"
[[ $(sql demo.db "SELECT state FROM programmes WHERE id = $demo_programme") == running ]] ||
  fail "tandem demo: the programme is not running"
[[ $(sql demo.db "SELECT COUNT(*) FROM tandems WHERE state = 'accepted_by_one'") == 1 ]] ||
  fail "tandem demo: not exactly one proposal left waiting"
active=$(sql demo.db "SELECT COUNT(*) FROM tandems WHERE state = 'active'")
((active >= 1)) || fail "tandem demo: no active tandem"
[[ $(sql demo.db "SELECT state FROM matching_runs") == done ]] || fail "tandem demo: the run is not done"
"$TANDEM" demo --programme "$demo_programme" --db sqlite:demo.db >demo2.txt 2>/dev/null ||
  fail "tandem demo, second call: exit $?"
[[ $(grep -c '/sign-in#link=' demo2.txt) == 3 ]] || fail "tandem demo, second call: no sign-ins"
[[ $(sql demo.db "SELECT COUNT(*) FROM tandems WHERE state = 'active'") == "$active" ]] ||
  fail "tandem demo, second call: the tandems changed"
cmp -s demo1.txt demo2.txt && fail "tandem demo, second call: the same links again"
pass "demo: run, publication and $active active tandems through the use cases; fresh links on every call"

# The master key of the workspaces: made private, never overwritten, a readable one refused;
# rotation re-wraps in one transaction (the tandem keys themselves: tests/workspace_test.cc).
expect_status 0 "$TANDEM" keys generate --out k1.key
[[ $(stat -c %a k1.key) == 600 ]] || fail "keys generate: mode $(stat -c %a k1.key), not 600"
[[ $(tr -d '\n' <k1.key | wc -c) == 44 ]] || fail "keys generate: not 32 bytes in base64"
cp k1.key k1.copy
expect_status 2 "$TANDEM" keys generate --out k1.key
cmp -s k1.key k1.copy || fail "keys generate overwrote an existing key"
expect_status 0 "$TANDEM" keys generate --out k2.key
grep -q "master key [0-9a-f]\{16\} made" err.txt || fail "keys generate: no fingerprint: $(cat err.txt)"
chmod 644 k1.key
expect_status 2 "$TANDEM" keys rotate --key-file k1.key --new-key-file k2.key --db sqlite:demo.db
grep -q "readable by others" err.txt || fail "keys rotate accepted a readable key: $(cat err.txt)"
chmod 600 k1.key
expect_status 2 env -u TANDEM_MASTER_KEY -u TANDEM_MASTER_KEY_FILE "$TANDEM" keys rotate \
  --new-key-file k2.key --db sqlite:demo.db
expect_status 0 "$TANDEM" keys rotate --key-file k1.key --new-key-file k2.key --db sqlite:demo.db
grep -q "re-wrapped 0 tandem keys" out.txt || fail "keys rotate: $(cat out.txt)"
[[ $(sql demo.db "SELECT COUNT(*) FROM audit_log WHERE action = 'keys.rotate'") == 1 ]] ||
  fail "keys rotate: not audited"
expect_status 0 "$TANDEM" keys erase-expired --db sqlite:demo.db
pass "keys: generate (600, no overwrite), rotate (refuses readable keys), erase-expired"

# With a master key, tandem demo also fills the first active tandem's workspace (encrypted).
"$TANDEM" import demo.csv --db sqlite:demo2.db >/dev/null
demo2=$("$TANDEM" programme create "Demo" --db sqlite:demo2.db)
"$TANDEM" import demo.csv --programme "$demo2" --db sqlite:demo2.db >/dev/null
TANDEM_MASTER_KEY_FILE=k1.key "$TANDEM" demo --programme "$demo2" --db sqlite:demo2.db \
  >/dev/null 2>demo2.err || fail "tandem demo with a key: $(cat demo2.err)"
[[ $(sql demo2.db "SELECT COUNT(*) FROM agreement_acceptances") == 2 &&
   $(sql demo2.db "SELECT COUNT(*) FROM notes") == 1 &&
   $(sql demo2.db "SELECT COUNT(*) FROM meetings") == 2 ]] || fail "tandem demo: no workspace"
grep -q "Testumgebung" demo2.db && fail "tandem demo: a note's text is readable in the database file"
pass "demo with a master key: one tandem's workspace with a note and meetings, encrypted"

# The mail worker's lease: a bad value, or one the longest send would outlast, stops the server
# before it listens, naming the setting.
expect_status 2 env TANDEM_MAIL_LEASE_SECONDS=soon "$TANDEM" serve --db sqlite:demo.db
grep -q "TANDEM_MAIL_LEASE_SECONDS" err.txt || fail "serve: a bad lease not named: $(cat err.txt)"
expect_status 2 env TANDEM_SMTP_HOST=127.0.0.1 TANDEM_SMTP_TLS=none \
  TANDEM_SMTP_FROM=tandem@example.test TANDEM_MAIL_LEASE_SECONDS=100 "$TANDEM" serve \
  --db sqlite:demo.db
grep -q "TANDEM_MAIL_LEASE_SECONDS.*longer than the longest send, 140 s" err.txt ||
  fail "serve: a lease shorter than a send not refused: $(cat err.txt)"
pass "serve: the mail lease is checked at start"

echo "all store CLI checks passed"
