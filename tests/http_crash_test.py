#!/usr/bin/python3
"""Crash test through the HTTP API: `tandem serve` SIGKILLed under write load, again and again.

  http_crash_test.py --tandem PATH --backend sqlite|postgresql [--kills N] [--seed S] [--keep]

Seeds a database with the CLI (`tandem import`, `tandem programme create`, `tandem demo`: an
administrator and a mentee whose tandem's workspace is open), starts `tandem serve` and keeps
five clients writing through the API at the same time, each recording every write the server
answered 2xx:

  people    the administrator creates people (POST /api/v1/people, one new HR id each)
  import    the administrator imports four new people at a time (POST /api/v1/people/import)
  profile   the administrator renames themself (GET + PUT /api/v1/me with If-Match)
  notes     the mentee writes workspace notes, shared and private (POST .../notes: sealed)
  answers   the mentee saves the questionnaire of a second programme (PUT .../enrolment:
            one row per topic, all in one transaction, every row marked with the write's number)

The server is killed with SIGKILL at a random moment (10-250 ms after it answered /healthz),
started again, and so on. After each kill, with the server down, the database is checked with
SQL: SQLite's PRAGMA integrity_check is ok; every person, import and note acknowledged so far
exists, and every import has all its rows or none;
the display name and the answer set are those of the last acknowledged write or of a later
one that was in flight (never older), and the answer set is whole (every topic, one number).
At the end the server runs once more and the notes are read back through the API (the sealed
text decrypts to what was written), then it must stop on SIGTERM with status 0.

SQLite: a file of the test's own. PostgreSQL: a fresh database on TANDEM_TEST_POSTGRES_URL's
server (dropped afterwards); killing the server does not disturb PostgreSQL. Every process the
test starts dies with it (PR_SET_PDEATHSIG through setpriv) and is stopped in `finally`.

Exit status: 0 passed, 1 failed, 2 bad usage, 77 skipped (postgresql without
TANDEM_TEST_POSTGRES_URL). Standard library only (/usr/bin/python3). pg_restart_test.py uses the
pieces of this file.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "http"))

import helpers  # noqa: E402
from helpers import API, Fail, check  # noqa: E402

PSQL = "/usr/bin/psql"
SETPRIV = "/usr/bin/setpriv"
SKIP = 77
COHORT = os.path.join(ROOT, "examples", "cohort.csv")
# Seconds; an answer that takes longer is a hang and fails the test. Generous: on PostgreSQL an
# import that conflicts with concurrent writes is retried (SERIALIZABLE) for seconds on a loaded
# machine.
REQUEST_TIMEOUT = 30


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dies_with_us(cmd):
    """`cmd` so that the kernel kills it (SIGKILL) when this test process dies, whatever way."""
    if os.path.exists(SETPRIV):
        return [SETPRIV, "--pdeathsig", "KILL", "--"] + cmd
    return cmd


# ---------------------------------------------------------------------------------------------
# The database, read with SQL while no server runs (or beside running servers)


class Database:
    """A database URL and SQL read access to it (SQLite: sqlite3; PostgreSQL: psql)."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url.startswith("sqlite:")

    def query(self, sql):
        """Rows as tuples of strings (None for NULL)."""
        if self.sqlite:
            db = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
            try:
                rows = db.execute(sql).fetchall()
            finally:
                db.close()
            return [tuple(None if v is None else str(v) for v in row) for row in rows]
        return self.query_many([sql])[0]

    def query_many(self, statements):
        """The rows of each statement (no parameters), in one psql run for PostgreSQL."""
        if self.sqlite:
            return [self.query(sql) for sql in statements]
        marker = "--8<-- %s" % uuid.uuid4().hex
        cmd = [PSQL, self.url, "-X", "-q", "-A", "-t", "-F", "\t", "-P", "null=\\N", "-v",
               "ON_ERROR_STOP=1"]
        for sql in statements:
            cmd += ["-c", sql, "-c", "\\echo " + marker]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise Fail("psql: %s" % out.stderr.strip())
        results = [[]]
        # One line per row (an empty line: a row of one empty text), each ending in "\n".
        for line in out.stdout.split("\n")[:-1]:
            if line == marker:
                results.append([])
            else:
                results[-1].append(tuple(None if v == "\\N" else v for v in line.split("\t")))
        check(len(results) == len(statements) + 1 and not results[-1],
              "psql printed something unexpected: %r" % out.stdout[-300:])
        return results[:-1]

    def integrity_check(self):
        if self.sqlite:
            result = self.query("PRAGMA integrity_check")
            check(result == [("ok",)], "PRAGMA integrity_check: %r" % (result[:5],))


def create_postgres_database(base):
    """A fresh database on the server of `base`; returns its URL."""
    name = "tandem_faults_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])
    out = subprocess.run([PSQL, base, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                          "CREATE DATABASE %s" % name], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise Fail("CREATE DATABASE %s failed: %s" % (name, out.stderr.strip()))
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def drop_postgres_database(base, url):
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    out = subprocess.run([PSQL, base, "-X", "-q", "-c",
                          "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        print("warning: could not drop database %s: %s" % (name, out.stderr.strip()))


# ---------------------------------------------------------------------------------------------
# Servers


class Server:
    """One `tandem serve` on a fixed loopback port, started and killed again and again."""

    def __init__(self, tandem, db_url, port, env, log_path):
        self.tandem = tandem
        self.db_url = db_url
        self.port = port
        self.env = env
        self.log_path = log_path
        self.proc = None
        self.client = helpers.Client(port, helpers.HeaderRecorder())
        self.client.timeout = REQUEST_TIMEOUT
        self.start_times = []  # seconds from exec to the first 200 from /healthz
        self.up = threading.Event()  # set from the first 200 of /healthz until a kill or stop

    def start(self, timeout=60):
        check(self.proc is None or self.proc.poll() is not None, "the server is still running")
        log = open(self.log_path, "ab")
        started = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                dies_with_us([self.tandem, "serve", "--listen", "127.0.0.1:%d" % self.port,
                              "--db", self.db_url]),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        finally:
            log.close()
        deadline = started + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Fail("`tandem serve` exited with status %d at start:\n%s"
                           % (self.proc.returncode, self.tail()))
            try:
                resp = self.client.request("GET", "/healthz")
                if resp.status == 200:
                    self.start_times.append(time.monotonic() - started)
                    self.up.set()
                    return
                last = resp.describe()
            except OSError as e:
                last = str(e)
            time.sleep(0.01)
        raise Fail("/healthz did not answer 200 within %d s (last: %s)\n%s"
                   % (timeout, last, self.tail()))

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        self.up.clear()
        if self.running():
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()

    def stop(self):
        """SIGTERM; returns an error message unless the server exits 0 within 10 s."""
        if not self.running():
            return "the server is not running (status %s)" % (
                None if self.proc is None else self.proc.returncode)
        self.up.clear()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            return "the server did not exit within 10 s of SIGTERM"
        return None if code == 0 else "the server exited with status %d after SIGTERM" % code

    def tail(self, lines=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def server_env(tandem, tmp, public_url):
    """The environment of `tandem serve` and the seeding commands: a fresh master key, no SMTP
    (mail waits in the outbox), nothing from the caller's environment that redirects it."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("TANDEM_"):
            del env[name]
    key_file = os.path.join(tmp, "master.key")
    out = subprocess.run([tandem, "keys", "generate", "--out", key_file],
                         capture_output=True, text=True, timeout=30, env=env)
    if out.returncode != 0:
        raise Fail("`tandem keys generate` exited %d: %s" % (out.returncode, out.stderr.strip()))
    env["TANDEM_MASTER_KEY_FILE"] = key_file
    env["TANDEM_PUBLIC_URL"] = public_url
    return env


def run_cli(tandem, db_url, env, args):
    out = subprocess.run([tandem] + args + ["--db", db_url], capture_output=True, text=True,
                         env=env, timeout=120)
    if out.returncode != 0:
        raise Fail("`tandem %s` exited %d: %s" % (" ".join(args), out.returncode,
                                                 (out.stderr or out.stdout).strip()))
    return out.stdout


def seed_demo(tandem, db_url, env):
    """The example cohort, a programme replayed by `tandem demo`. Returns the one-time sign-in
    tokens of the administrator and of the mentee of the active tandem."""
    run_cli(tandem, db_url, env, ["import", COHORT])
    out = run_cli(tandem, db_url, env, ["programme", "create", "Crash", "--mentee-min-level", "2"])
    m = re.search(r"(\d+)\s*$", out.strip())
    check(m is not None, "`tandem programme create` printed no id: %r" % out)
    run_cli(tandem, db_url, env, ["import", COHORT, "--programme", m.group(1)])
    out = run_cli(tandem, db_url, env, ["demo", "--programme", m.group(1)])
    tokens = {}
    for line in out.splitlines():
        found = re.search(r"#link=([A-Za-z0-9_\-]+)", line)
        if found and line.startswith("Administrator"):
            tokens["admin"] = found.group(1)
        elif found and line.startswith("Mentee"):
            tokens["mentee"] = found.group(1)
    check(set(tokens) == {"admin", "mentee"}, "`tandem demo` printed no sign-in links: %r" % out)
    return tokens["admin"], tokens["mentee"]


def expect(resp, status, what):
    check(resp.status == status, "%s: expected %d, got %s" % (what, status, resp.describe()))
    return resp


class World:
    """What the writers work on: two sessions, the mentee's tandem and a second programme."""

    def __init__(self, client, admin_token, mentee_token):
        resp = client.request("POST", API + "/sign-in-links/redeem",
                              json_body={"token": admin_token})
        self.admin = helpers.parse_session(resp)
        self.admin_account = self.admin.account.get("id")
        resp = client.request("POST", API + "/sign-in-links/redeem",
                              json_body={"token": mentee_token})
        self.mentee = helpers.parse_session(resp)
        me = expect(client.request("GET", API + "/me", session=self.mentee), 200, "GET /me").json()
        self.mentee_person = me["person"]["id"]
        tandems = expect(client.request("GET", API + "/tandems", session=self.mentee), 200,
                         "GET /tandems").json()["items"]
        active = [t for t in tandems if t.get("state") == "active"]
        check(active, "the demo mentee has no active tandem: %r" % tandems)
        self.tandem = active[0]["id"]
        # A second programme, enrolling, with the mentee invited: the questionnaire to save.
        deadline = int(time.time() * 1000) + 7 * 24 * 3600 * 1000
        programme = expect(client.request("POST", API + "/programmes", session=self.admin,
                                          json_body={"name": "Answers under fire",
                                                     "enrolment_deadline": deadline}),
                           201, "POST /programmes").json()
        self.programme = programme["id"]
        expect(client.request("POST", API + "/programmes/%d/open" % self.programme,
                              session=self.admin), 200, "open enrolment")
        invited = expect(client.request("POST", API + "/programmes/%d/invitations" % self.programme,
                                        session=self.admin,
                                        json_body={"person_ids": [self.mentee_person]}),
                         200, "invite the mentee").json()
        check(invited.get("invited") == 1, "invitations: %r" % invited)
        got = expect(client.request("GET", API + "/programmes/%d" % self.programme,
                                    session=self.admin), 200, "GET programme").json()
        self.topics = [t["key"] for t in got["topics"]]
        check(len(self.topics) >= 3, "the programme has too few topics: %r" % self.topics)


# ---------------------------------------------------------------------------------------------
# Writers: threads that write through the API and record what was acknowledged


class Unavailable(Exception):
    """A 503 with Retry-After: the database is unreachable; the outcome of a write is unknown."""


class Writer(threading.Thread):
    """Writes as fast as the server answers. A write answered 2xx is acknowledged; a refused or
    cut connection (the server is down or was killed), or with `tolerate_503` a 503 with a
    Retry-After header, leaves its outcome unknown and is not retried (the next write gets a
    new number); any other answer, or none within the client's timeout, fails the test."""

    name_ = "writer"

    def __init__(self, server, world, stop, tolerate_503=False):
        super().__init__(daemon=True)
        self.server = server
        self.world = world
        self.stop = stop
        self.tolerate_503 = tolerate_503
        self.attempted = 0  # the number of the last write sent
        self.unknown = 0  # writes whose outcome is unknown (connection refused or cut, 503)
        self.statuses = {}  # every answer's status, counted
        self.slowest = 0.0  # the longest a request took to be answered, in seconds
        self.slowest_503 = 0.0  # the same for the answers 503
        self.errors = []  # unexpected answers and hangs
        self.lock = threading.Lock()

    def request(self, method, path, **kw):
        began = time.monotonic()
        resp = self.server.client.request(method, path, **kw)
        took = time.monotonic() - began
        with self.lock:
            self.statuses[resp.status] = self.statuses.get(resp.status, 0) + 1
            self.slowest = max(self.slowest, took)
            if resp.status == 503:
                self.slowest_503 = max(self.slowest_503, took)
        if resp.status == 503 and self.tolerate_503:
            retry_after = resp.header("Retry-After") or ""
            check(retry_after.isdigit() and helpers.is_problem(resp),
                  "a 503 without Retry-After or not a problem document: " + resp.describe())
            raise Unavailable()
        return resp

    def count(self, status):
        with self.lock:
            return self.statuses.get(status, 0)

    def run(self):
        while not self.stop.is_set():
            if not self.server.up.wait(0.05):  # no point knocking while it is down
                continue
            self.attempted += 1
            try:
                self.write(self.attempted)
            except socket.timeout:
                self.errors.append("%s: write %d: no answer within %d s"
                                   % (self.name_, self.attempted, self.server.client.timeout))
            except (OSError, http.client.HTTPException, Unavailable):
                self.unknown += 1
                time.sleep(0.01)
            except Fail as e:
                self.errors.append("%s: write %d: %s" % (self.name_, self.attempted, e))
            except Exception as e:  # noqa: BLE001 (a bug of the test must not hang it)
                self.errors.append("%s: write %d: %s: %s" % (self.name_, self.attempted,
                                                             type(e).__name__, e))
            if len(self.errors) > 20:
                return

    def unexpected(self, resp):
        raise Fail(resp.describe())


class PeopleWriter(Writer):
    name_ = "people"

    def __init__(self, *args, prefix="crash", **kw):
        super().__init__(*args, **kw)
        self.prefix = prefix
        self.acked = []

    def write(self, n):
        resp = self.request("POST", API + "/people", session=self.world.admin, json_body={
            "external_id": "%s-%d" % (self.prefix, n), "name": "Crash Person %d" % n,
            "email": "%s%d@example.test" % (self.prefix, n), "level": 3, "languages": ["de"]})
        if resp.status != 201:
            self.unexpected(resp)
        self.acked.append(n)

    def sql(self):
        return "SELECT external_id FROM people WHERE external_id LIKE '%s-%%'" % self.prefix

    def check(self, rows, acked):
        found = {r[0] for r in rows}
        lost = [n for n in acked if "%s-%d" % (self.prefix, n) not in found]
        check(not lost, "%d acknowledged people lost, e.g. %r" % (len(lost), lost[:5]))


class ImportWriter(Writer):
    """Imports a CSV of four new people at a time (POST /api/v1/people/import): all or nothing."""

    name_ = "import"
    ROWS = 4

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.acked = []

    def write(self, n):
        lines = ["id,name,email,department,location,manager_id,level,languages"]
        for k in range(1, self.ROWS + 1):
            lines.append("imp-%d-%d,Imported %d %d,imp%d.%d@example.test,Dept,Berlin,,2,de;en"
                         % (n, k, n, k, n, k))
        resp = self.request("POST", API + "/people/import", session=self.world.admin,
                            body="\n".join(lines) + "\n", content_type="text/csv")
        if resp.status != 200 or (resp.json() or {}).get("inserted") != self.ROWS:
            self.unexpected(resp)
        self.acked.append(n)

    @staticmethod
    def sql():
        return "SELECT external_id FROM people WHERE external_id LIKE 'imp-%'"

    def check(self, rows, acked):
        per_import = {}
        for (external_id,) in rows:
            n = int(external_id.split("-")[1])
            per_import[n] = per_import.get(n, 0) + 1
        half = {n: c for n, c in per_import.items() if c != self.ROWS}
        check(not half, "half-written imports (import: rows stored): %r" % half)
        lost = [n for n in acked if n not in per_import]
        check(not lost, "%d acknowledged imports lost, e.g. %r" % (len(lost), lost[:5]))


class ProfileWriter(Writer):
    name_ = "profile"

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.last_acked = 0
        self.acks = 0

    def write(self, n):
        got = self.request("GET", API + "/me", session=self.world.admin)
        if got.status != 200:
            self.unexpected(got)
        resp = self.request("PUT", API + "/me", session=self.world.admin,
                            json_body={"display_name": "Admin %d" % n},
                            headers={"If-Match": got.header("ETag")})
        if resp.status == 412:  # a write that was cut after its commit changed the version
            return
        if resp.status != 200:
            self.unexpected(resp)
        self.last_acked = n
        self.acks += 1

    def sql(self):
        return "SELECT display_name FROM accounts WHERE id = %d" % self.world.admin_account

    def check(self, rows, last_acked, attempted):
        check(len(rows) == 1, "the administrator's account is gone")
        if last_acked == 0:
            return
        m = re.fullmatch(r"Admin (\d+)", rows[0][0] or "")
        check(m is not None, "display name %r, but write %d was acknowledged" % (rows[0][0],
                                                                               last_acked))
        have = int(m.group(1))
        check(last_acked <= have <= attempted,
              "display name is write %d; acknowledged up to %d, attempted up to %d"
              % (have, last_acked, attempted))


class NotesWriter(Writer):
    name_ = "notes"

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.acked = {}  # note id -> write number

    @staticmethod
    def body(n):
        return {"title": "crash note %d" % n, "text": "## Note %d\nWritten under fire." % n,
                "private": n % 3 == 0, "action_items": [{"text": "item %d" % n, "done": False}]}

    def write(self, n):
        resp = self.request("POST", API + "/tandems/%d/notes" % self.world.tandem,
                            session=self.world.mentee, json_body=self.body(n))
        if resp.status != 201:
            self.unexpected(resp)
        self.acked[resp.json()["id"]] = n

    def sql(self):
        return "SELECT id FROM notes WHERE tandem_id = %d" % self.world.tandem

    def check(self, rows, acked_ids):
        found = {int(r[0]) for r in rows}
        lost = sorted(set(acked_ids) - found)
        check(not lost, "%d acknowledged notes lost, e.g. ids %r" % (len(lost), lost[:5]))

    def check_api(self, client):
        """Every acknowledged note reads back through the API with the text written."""
        resp = client.request("GET", API + "/tandems/%d/notes" % self.world.tandem,
                              session=self.world.mentee)
        expect(resp, 200, "GET notes")
        by_id = {note["id"]: note for note in resp.json()["items"]}
        for note_id, n in self.acked.items():
            check(note_id in by_id, "acknowledged note %d is not listed" % note_id)
            want = self.body(n)
            got = by_id[note_id]
            check(got["title"] == want["title"] and got["text"] == want["text"]
                  and got["private"] == want["private"],
                  "note %d reads back as %r, written %r" % (note_id, got, want))


class AnswersWriter(Writer):
    name_ = "answers"

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.last_acked = 0
        self.acks = 0

    def body(self, n):
        return {"mentor_capacity": 0, "mentee_capacity": 1, "languages": ["de"],
                "availability": "gen %d" % n,
                "answers": [{"topic": t, "interest": 1 + (n + i) % 3, "skill": 2,
                             "experience": "gen %d" % n} for i, t in enumerate(self.world.topics)]}

    def write(self, n):
        resp = self.request("PUT", API + "/programmes/%d/enrolment" % self.world.programme,
                            session=self.world.mentee, json_body=self.body(n),
                            headers={"If-Match": "*"})
        if resp.status != 200:
            self.unexpected(resp)
        self.last_acked = n
        self.acks += 1

    def sql(self):
        return ("SELECT a.topic_key, a.experience, a.interest FROM answers a "
                "JOIN enrolments e ON e.id = a.enrolment_id "
                "WHERE e.programme_id = %d AND e.person_id = %d"
                % (self.world.programme, self.world.mentee_person))

    def answer_set(self, rows):
        """The write number of the stored answer set (None: none stored); fails unless the set
        is whole: one row per topic, every row from the same write."""
        if not rows:
            return None
        gens = {r[1] for r in rows}
        check(len(gens) == 1, "a half-written answer set: %r" % sorted(rows))
        m = re.fullmatch(r"gen (\d+)", gens.pop())
        check(m is not None, "answers of unknown origin: %r" % rows)
        n = int(m.group(1))
        check(sorted(r[0] for r in rows) == sorted(self.world.topics),
              "answer set %d covers topics %r, not %r" % (n, sorted(r[0] for r in rows),
                                                          sorted(self.world.topics)))
        want = {t: 1 + (n + i) % 3 for i, t in enumerate(self.world.topics)}
        check(all(int(r[2]) == want[r[0]] for r in rows), "answer set %d mixed: %r" % (n, rows))
        return n

    def check(self, rows, last_acked, attempted):
        have = self.answer_set(rows)
        if last_acked == 0:
            return
        check(have is not None and last_acked <= have <= attempted,
              "the answers are from write %s; acknowledged up to %d, attempted up to %d"
              % (have, last_acked, attempted))


class Load:
    """The writers on one server; check() compares what they were told with the database."""

    def __init__(self, server, world, stop, tolerate_503=False):
        self.people = PeopleWriter(server, world, stop, tolerate_503)
        self.imports = ImportWriter(server, world, stop, tolerate_503)
        self.profile = ProfileWriter(server, world, stop, tolerate_503)
        self.notes = NotesWriter(server, world, stop, tolerate_503)
        self.answers = AnswersWriter(server, world, stop, tolerate_503)
        self.all = [self.people, self.imports, self.profile, self.notes, self.answers]
        self.people_checked = 0
        self.notes_checked = set()

    def start(self):
        for w in self.all:
            w.start()

    def join(self):
        for w in self.all:
            w.join(timeout=REQUEST_TIMEOUT + 5)
            check(not w.is_alive(), "writer %s did not stop" % w.name_)

    def errors(self):
        return [e for w in self.all for e in w.errors]

    def check(self, db, full=False, live=False):
        """Checks what was acknowledged; `full`: every write so far, else the new ones (and the
        current state of the overwritten ones). `live`: the writers go on meanwhile, so the
        database may hold writes numbered beyond what they had sent when the check began."""
        # Read what the writers know BEFORE the database: an acknowledgement that arrives in
        # between then cannot be missed by the check of the database state.
        people = list(self.people.acked)
        imports = list(self.imports.acked)
        notes = dict(self.notes.acked)
        unbounded = 1 << 62
        profile = (self.profile.last_acked, unbounded if live else self.profile.attempted)
        answers = (self.answers.last_acked, unbounded if live else self.answers.attempted)
        rows = db.query_many([w.sql() for w in self.all])
        new_people = people if full else people[self.people_checked:]
        self.people.check(rows[0], new_people)
        self.people_checked = len(people)
        self.imports.check(rows[1], imports)
        new_notes = set(notes) if full else set(notes) - self.notes_checked
        self.profile.check(rows[2], *profile)
        self.notes.check(rows[3], new_notes)
        self.notes_checked |= new_notes
        self.answers.check(rows[4], *answers)

    def acked_counts(self):
        return {"people": len(self.people.acked), "imports": len(self.imports.acked),
                "notes": len(self.notes.acked), "profile": self.profile.acks,
                "answers": self.answers.acks}

    def summary(self):
        unknown = sum(w.unknown for w in self.all)
        return ("acknowledged: %d people, %d imports of %d, %d notes, display name up to write "
                "%d, answers up to write %d; %d writes with unknown outcome"
                % (len(self.people.acked), len(self.imports.acked), ImportWriter.ROWS,
                   len(self.notes.acked), self.profile.last_acked, self.answers.last_acked,
                   unknown))


# ---------------------------------------------------------------------------------------------


def run(args, tmp, db_url):
    rng = random.Random(args.seed)
    port = free_port()
    env = server_env(args.tandem, tmp, "http://127.0.0.1:%d" % port)
    admin_token, mentee_token = seed_demo(args.tandem, db_url, env)
    db = Database(db_url)
    server = Server(args.tandem, db_url, port, env, os.path.join(tmp, "server.log"))
    stop = threading.Event()
    load = None
    try:
        server.start()
        world = World(server.client, admin_token, mentee_token)
        # A 503 (the database busy, or a commit whose outcome is unknown) is a fair answer: the
        # write is not acknowledged. Anything else but 2xx fails.
        load = Load(server, world, stop, tolerate_503=True)
        load.start()
        began = time.monotonic()
        for kill in range(1, args.kills + 1):
            if kill > 1:
                server.start()
            time.sleep(rng.uniform(0.01, 0.25))
            server.kill()
            errors = load.errors()
            check(not errors, "after kill %d: %s" % (kill, "; ".join(errors[:5])))
            db.integrity_check()
            try:
                load.check(db, full=kill % 50 == 0)
            except Fail as e:
                raise Fail("after kill %d: %s" % (kill, e)) from None
        elapsed = time.monotonic() - began
        # The last run: every writer gets a write acknowledged (so that each kind was tested at
        # least once), then they stop and everything is read back.
        server.start()
        deadline = time.monotonic() + 60
        while not all(load.acked_counts().values()) and time.monotonic() < deadline:
            check(not load.errors(), "; ".join(load.errors()[:5]))
            time.sleep(0.05)
        stop.set()
        load.join()
        check(not load.errors(), "; ".join(load.errors()[:5]))
        load.notes.check_api(server.client)
        five = [r for r in server.client.recorder.server_errors if " -> 503 " not in r]
        check(not five, "5xx answers other than 503: %s" % "; ".join(five[:5]))
        stop_error = server.stop()
        check(stop_error is None, stop_error or "")
        db.integrity_check()
        load.check(db, full=True)
        counts = load.acked_counts()
        check(all(counts.values()) and sum(counts.values()) >= args.kills,
              "too few writes were acknowledged to mean anything: %r" % counts)
        unavailable = sum(w.count(503) for w in load.all)
        print("%s: %d kills in %.0f s (server start %.2f s median), %s (%d answered 503); none "
              "lost, none half-written%s" % ("sqlite" if db.sqlite else "postgresql", args.kills,
                                             elapsed, statistics.median(server.start_times),
                                             load.summary(), unavailable,
                                  ", integrity_check ok every time" if db.sqlite else ""))
    finally:
        stop.set()
        server.kill()
        if load is not None:
            for w in load.all:
                w.join(timeout=REQUEST_TIMEOUT + 5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tandem", required=True)
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.tandem = os.path.abspath(args.tandem)
    base = os.environ.get("TANDEM_TEST_POSTGRES_URL", "").strip()
    if args.backend == "postgresql" and (not base or not os.path.exists(PSQL)):
        print("skipped: TANDEM_TEST_POSTGRES_URL is not set (or psql is missing)")
        return SKIP
    # SIGTERM (e.g. from ctest) ends the test through its `finally` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    print("seed %d" % args.seed, flush=True)
    tmp = tempfile.mkdtemp(prefix="tandem-http-crash-")
    db_url = None
    status = 1
    try:
        if args.backend == "sqlite":
            db_url = "sqlite:" + os.path.join(tmp, "crash.db")
        else:
            db_url = create_postgres_database(base)
        run(args, tmp, db_url)
        status = 0
    except Fail as e:
        print("FAIL: %s" % e)
        log = os.path.join(tmp, "server.log")
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                print("--- last lines of the server's log ---\n" + "".join(f.readlines()[-30:]))
    finally:
        if args.backend == "postgresql" and db_url:
            drop_postgres_database(base, db_url)
        if args.keep or status != 0:
            print("files kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
