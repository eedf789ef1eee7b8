#!/usr/bin/python3
"""Three servers behind nginx on one PostgreSQL, killed under load, nothing lost (issue 9).

  lifecycle_test.py --tandem build/tandem [--servers 3] [--people 2000] [--clients 8] [--keep]

tests/cluster/cluster.py starts a throwaway PostgreSQL, an SMTP sink, N `tandem serve` and
nginx in front. A generated cohort (`tandem generate --people 2000`) is imported; the system
administrator (through nginx, like everyone) creates a programme, opens enrolment and invites
everyone (one mail each). Concurrent clients (threads) take their invitation mail, sign in by
redeeming it (every tenth setting a password) and save their answers. Then the deadline rush:
those with a password sign in again, everyone saves final answers; meanwhile server 1 is
SIGKILLed and restarted. The deadline passes, a matching run is queued, polled and published;
server 0 is SIGKILLed while it is sending the proposal mails. The partners accept their tandems
and the agreement, every fourth tandem writes a shared note and proposes a meeting; meanwhile
server 2 is SIGKILLed and restarted. Clients retry on 502/503/504 and on a dropped connection,
as a browser would after an error, and record every write answered 2xx.

Afterwards:
- every acknowledged write is there: each saved questionnaire (read back through the API by
  its author), each acceptance (the tandem is active, both agreement acceptances), each note
  and meeting (read back by the partner);
- no tandem formed twice: no mentor/mentee pair twice in the programme, nobody over their
  capacity, exactly the published number of tandems (SQL);
- no mail sent twice, none lost: no Message-ID (`<tandem.ID.CREATED@...>`) arrives twice in
  the Maildir; every outbox row is sent and delivered, except at most one that server 0 was
  handing to the SMTP server when it died: that one is given up "in doubt" (docs/mail.md "At
  most once") and arrived once or not at all; each invited person got one invitation, each
  partner one proposal per tandem;
- every session opened before the kills still works on every server (GET /api/v1/me 200
  straight to each server's port, the restarted ones included);
- no answer 500 at all; 502 only around the kills.

Mail claimed by a dead server waits for its claim's lease (15 min) before another server takes
it. The kills of servers 1 and 2 therefore happen while no mail is claimed; after killing
server 0 while it sends, the test ends its claims by SQL as if the 15 minutes had passed.

Exit 0 passed, 1 failed, 77 skipped (nginx, PostgreSQL 15 or aiosmtpd missing).
"""

import argparse
import csv
import http.client
import io
import os
import random
import re
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)

import cluster  # noqa: E402
from cluster import Cluster, MailIndex  # noqa: E402
from helpers import API, Fail, check, parse_session  # noqa: E402

SKIP = 77
ADMIN = "cluster-admin@example.test"
MAX_MENTOR = 2
MAX_MENTEE = 1
RETRY_STATUSES = (502, 503, 504)


def log(message):
    print("[%7.1f s] %s" % (time.monotonic() - START, message), flush=True)


START = time.monotonic()


# ---------------------------------------------------------------------------------------------
# A client that retries like a browser after an error, and counts what it saw


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.status = {}
        self.retries = 0
        self.dropped = 0  # connections that ended without an answer
        self.errors_500 = []
        self.fallbacks = 0  # invitation redeemed but the answer lost: signed in by link

    def record(self, resp):  # the recorder interface of helpers.Client
        with self.lock:
            self.status[resp.status] = self.status.get(resp.status, 0) + 1
            if resp.status >= 500 and resp.status not in RETRY_STATUSES:
                self.errors_500.append(resp.describe())


class Driver:
    def __init__(self, c, stats):
        self.client = c.client(recorder=stats)
        self.client.timeout = 120
        self.stats = stats

    def call(self, method, path, session=None, attempts=40, **kw):
        """Sends the request until it gets an answer other than 502/503/504; returns
        (response, tries)."""
        for tries in range(1, attempts + 1):
            try:
                resp = self.client.request(method, path, session=session, **kw)
            except (OSError, http.client.HTTPException):
                with self.stats.lock:
                    self.stats.dropped += 1
                time.sleep(min(0.1 * tries, 1.0))
                continue
            if resp.status in RETRY_STATUSES:
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(min(0.1 * tries, 1.0))
                continue
            return resp, tries
        raise Fail("%s %s: no answer but 502/503/504 after %d tries" % (method, path, attempts))

    def expect(self, method, path, status, what, session=None, **kw):
        resp, tries = self.call(method, path, session=session, **kw)
        check(resp.status == status, "%s: expected %d, got %s (try %d)"
              % (what, status, resp.describe(), tries))
        return resp


# ---------------------------------------------------------------------------------------------
# The cohort


def generate(c, people, seed):
    path = os.path.join(c.tmp, "cohort.csv")
    c.cli("generate", "--people", str(people), "--seed", str(seed), "--out", path, db=False)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = ["id", "name", "email", "department", "location", "manager_id", "level",
               "languages"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    people_path = os.path.join(c.tmp, "people.csv")
    with open(people_path, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    return rows, people_path


def topics_of(rows):
    return [k[len("interest:"):] for k in rows[0] if k.startswith("interest:")]


def enrolment_body(row, topics):
    answers = []
    for t in topics:
        skill = int(row["skill:" + t] or 0)
        experience = (row.get("experience:" + t) or "").strip()
        if skill >= 2 and not experience:
            experience = "Built and ran it at work"
        answers.append({"topic": t, "interest": int(row["interest:" + t] or 0), "skill": skill,
                        "experience": experience})
    return {"mentor_capacity": min(int(row["mentor_capacity"] or 0), MAX_MENTOR),
            "mentee_capacity": min(int(row["mentee_capacity"] or 0), MAX_MENTEE),
            "languages": [x for x in row["languages"].split(";") if x],
            "availability": "Tuesdays", "answers": answers}


def wants_role(row):
    return int(row["mentor_capacity"] or 0) > 0 or int(row["mentee_capacity"] or 0) > 0


# ---------------------------------------------------------------------------------------------
# The killer: SIGKILL one server at a moment of load, restart it while the load goes on


class Killer:
    def __init__(self, c):
        self.c = c
        self.kills = []  # (server, monotonic time of the kill, seconds until healthy again)
        self.failure = None  # what went wrong in an armed thread

    def outbox_idle(self):
        # Unsent and not given up (a mail given up "in doubt" after a kill waits for nothing).
        rows = self.c.sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
                          "next_attempt_at < 9223372036854775807")
        return rows[0][0] == "0"

    def arm(self, server, ready, what, timeout=240):
        """A thread that waits until ready() and the outbox is idle, then kills `server` and
        restarts it after a second. Returns the thread; join() it, then check self.kills."""
        def run():
            try:
                wait_and_kill()
            except Exception as e:  # noqa: BLE001 - reported by the phase
                self.failure = "%s: %s" % (type(e).__name__, e)

        def wait_and_kill():
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not self.stop.is_set():
                if ready() and self.outbox_idle():
                    t0 = time.monotonic()
                    self.c.kill(server)
                    log("SIGKILL server %d (%s)" % (server, what))
                    time.sleep(1.0)  # the load goes on against the other servers
                    self.c.restart(server)
                    self.kills.append((server, t0, time.monotonic() - t0))
                    log("server %d restarted, healthy %.1f s after the kill"
                        % (server, time.monotonic() - t0))
                    return
                time.sleep(0.05)
        self.stop = threading.Event()
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def kill_while_sending(self, server, timeout=120):
        """Kills `server` while its outbox worker holds claimed mail, then ends its claims as
        if their 15-minute lease had run out (the only waiting this test skips), and restarts
        it. Returns the outbox ids the dead server had claimed and not recorded as sent: the
        one among them that it was handing to SMTP when it died is given up "in doubt"."""
        worker = "%s:%d" % (socket.gethostname(), self.c.procs[server].pid)
        claimed = ("FROM outbox WHERE claimed_by = '%s' AND sent_at IS NULL"
                   % worker.replace("'", "''"))
        deadline = time.monotonic() + timeout
        while self.c.sql("SELECT count(*) " + claimed)[0][0] == "0":
            check(time.monotonic() < deadline, "server %d claimed no mail within %d s"
                  % (server, timeout))
            time.sleep(0.02)
        t0 = time.monotonic()
        self.c.kill(server)
        orphaned = {int(r[0]) for r in self.c.sql("SELECT id " + claimed)}
        self.c.sql("UPDATE outbox SET claimed_until = 0 WHERE claimed_by = '%s' AND sent_at IS "
                   "NULL" % worker.replace("'", "''"))
        log("SIGKILL server %d (sending mail; %d claimed mails released as if the lease had "
            "ended)" % (server, len(orphaned)))
        time.sleep(1.0)
        self.c.restart(server)
        self.kills.append((server, t0, time.monotonic() - t0))
        log("server %d restarted, healthy %.1f s after the kill" % (server, time.monotonic() - t0))
        return orphaned


# ---------------------------------------------------------------------------------------------


class Test:
    def __init__(self, c, args):
        self.c = c
        self.args = args
        self.stats = Stats()
        self.d = Driver(c, self.stats)
        self.mail = MailIndex(c.maildir)
        self.killer = Killer(c)
        self.sessions = {}  # HR id -> (Session, opened at)
        self.extra_sessions = []  # (HR id, Session, opened at): password sign-ins of round B
        self.final_done = 0
        self.enrolled_acks = {}  # HR id -> body acknowledged
        self.accept_acks = set()  # (tandem id, side)
        self.agreement_acks = set()  # (tandem id, side)
        self.note_acks = []  # (tandem id, note id, text)
        self.meeting_acks = []  # (tandem id, meeting id, starts_at)
        self.lock = threading.Lock()

    # -- set-up --------------------------------------------------------------------------------

    def setup(self):
        rows, people_path = generate(self.c, self.args.people, self.args.seed)
        self.rows = rows
        self.by_id = {r["id"]: r for r in rows}
        self.topics = topics_of(rows)
        log("PostgreSQL and the SMTP sink up, %d people generated" % len(rows))
        self.c.cli("import", people_path)
        log("imported with `tandem import`")
        token = self.c.admin_link(ADMIN)
        self.c.start_servers()
        log("%d servers on %s behind nginx %s; %d people imported"
            % (len(self.c.ports), self.c.ports, self.c.url, len(rows)))
        resp = self.d.expect("POST", API + "/sign-in-links/redeem", 201, "admin sign-in",
                             json_body={"token": token})
        self.admin = parse_session(resp)
        self.person_of = {}
        self.external_of = {}
        after = None
        while True:
            url = API + "/people?limit=500" + ("&after=%d" % after if after else "")
            page = self.d.expect("GET", url, 200, "GET /people", session=self.admin).json()
            for p in page["items"]:
                self.person_of[p["external_id"]] = p["id"]
                self.external_of[p["id"]] = p["external_id"]
            after = page["next_after"]
            if after is None:
                break
        check(len(self.person_of) == len(rows), "listed %d of %d people"
              % (len(self.person_of), len(rows)))
        log("the system administrator signed in through nginx and listed the people")

    def create_programme(self):
        body = {"name": "Cluster %d" % self.args.people, "mode": "reverse",
                "mentee_min_level": 0, "term_min_months": 6, "term_max_months": 9,
                "target_meetings_min": 6, "target_meetings_max": 8,
                "enrolment_deadline": int(time.time() * 1000) + 3600 * 1000,
                "topics": [{"key": t, "name_de": t, "name_en": t, "weight": 1}
                           for t in self.topics]}
        self.pid = self.d.expect("POST", API + "/programmes", 201, "create the programme",
                                 session=self.admin, json_body=body).json()["id"]
        self.d.expect("POST", API + "/programmes/%d/open" % self.pid, 200, "open enrolment",
                      session=self.admin)
        log("programme %d created and open" % self.pid)
        summary = self.d.expect("POST", API + "/programmes/%d/invitations" % self.pid, 200,
                                "invite everyone", session=self.admin,
                                json_body={"person_ids": sorted(self.person_of.values())}).json()
        check(summary["invited"] == len(self.rows), "invitations: %r" % summary)
        log("programme %d open, %d invited" % (self.pid, summary["invited"]))

    # -- phase 1: sign in and enrol --------------------------------------------------------------

    def password_of(self, row):
        """Every tenth participant sets a password when redeeming the invitation (Argon2id)."""
        return "cluster password %s" % row["id"] if int(row["id"][1:]) % 10 == 0 else None

    def sign_in_by_invitation(self, row):
        token = self.mail.wait_token(row["email"], "invitation", timeout=180)
        body = {"token": token}
        if self.password_of(row):
            body["password"] = self.password_of(row)
        resp, tries = self.d.call("POST", API + "/invitations/redeem", json_body=body)
        if resp.status == 201:
            return parse_session(resp)
        # The first try redeemed the token but its answer was lost (the server died after the
        # commit): the invitation is used up, so the person asks for a sign-in link.
        check(tries > 1 and resp.status in (400, 401, 409, 410),
              "redeeming the invitation of %s: %s (try %d)" % (row["id"], resp.describe(), tries))
        with self.stats.lock:
            self.stats.fallbacks += 1
        self.d.expect("POST", API + "/sign-in-links", 202, "ask for a sign-in link",
                      json_body={"email": row["email"]})
        token = self.mail.wait_token(row["email"], "link", timeout=120)
        resp = self.d.expect("POST", API + "/sign-in-links/redeem", 201, "redeem a link",
                             json_body={"token": token})
        return parse_session(resp)

    def save_answers(self, row, session, availability):
        path = API + "/programmes/%d/enrolment" % self.pid
        self.d.expect("GET", path, 200, "the questionnaire of " + row["id"], session=session)
        body = enrolment_body(row, self.topics)
        body["availability"] = availability
        got = self.d.expect("PUT", path, 200, "save the answers of " + row["id"],
                            session=session, json_body=body, headers={"If-Match": "*"}).json()
        check(got["state"] == "enrolled", "enrolment state %r" % got["state"])
        with self.lock:
            self.enrolled_acks[row["id"]] = body
        return path

    def enrol_first(self, row):
        """Round A, as the invitation mails arrive: sign in by the mail, save a first answer."""
        session = self.sign_in_by_invitation(row)
        with self.lock:
            self.sessions[row["id"]] = (session, time.monotonic())
        self.save_answers(row, session, "Tuesdays")

    def enrol_final(self, row):
        """Round B, the deadline rush: those with a password sign in again (a second session,
        e.g. another device), everyone loads the questionnaire and saves the final answers (read
        back by verify())."""
        session = self.sessions[row["id"]][0]
        if self.password_of(row):
            resp = self.d.expect("POST", API + "/session", 201, "password sign-in of " + row["id"],
                                 json_body={"email": row["email"],
                                            "password": self.password_of(row)})
            session = parse_session(resp)
            with self.lock:
                self.extra_sessions.append((row["id"], session, time.monotonic()))
        self.save_answers(row, session, "Tuesdays and Thursdays, final")
        with self.lock:
            self.final_done += 1

    def phase_enrol(self):
        participants = [r for r in self.rows if wants_role(r)]
        total = len(participants)
        self.run_parallel(self.enrol_first, participants, "sign-in and first answers")
        log("round A: %d participants signed in by their invitation and saved answers"
            % len(self.enrolled_acks))
        thread = self.killer.arm(1, lambda: self.final_done >= total * 0.3,
                                 "participants signing in and saving final answers")
        self.run_parallel(self.enrol_final, participants, "final answers")
        self.killer.stop.set()
        thread.join()
        check(self.killer.failure is None, "killing server 1: %s" % self.killer.failure)
        check(len(self.killer.kills) == 1, "the kill did not happen during enrolment")
        log("round B: %d final answers acknowledged" % self.final_done)

    # -- the run ---------------------------------------------------------------------------------

    def match_and_publish(self):
        resp = self.d.expect("GET", API + "/programmes/%d" % self.pid, 200, "GET programme",
                             session=self.admin)
        current = resp.json()
        current["enrolment_deadline"] = int(time.time() * 1000) - 1000
        self.d.expect("PUT", API + "/programmes/%d" % self.pid, 200, "end enrolment",
                      session=self.admin, json_body=current,
                      headers={"If-Match": resp.header("ETag")})
        run = self.d.expect("POST", API + "/programmes/%d/runs" % self.pid, 202, "queue a run",
                            session=self.admin, json_body={}).json()
        deadline = time.monotonic() + 180
        while run["state"] in ("queued", "running"):
            check(time.monotonic() < deadline, "the run did not finish within 180 s: %r" % run)
            time.sleep(0.3)
            run = self.d.expect("GET", API + "/programmes/%d/runs/%d" % (self.pid, run["id"]),
                                200, "poll the run", session=self.admin).json()
        check(run["state"] == "done", "the run ended %r: %s" % (run["state"], run.get("error")))
        pairs = len(run["result"]["pairs"])
        resp, tries = self.d.call("POST", API + "/programmes/%d/runs/%d/publish"
                                  % (self.pid, run["id"]), session=self.admin)
        check(resp.status == 200 or (tries > 1 and resp.status == 409),
              "publish: " + resp.describe())
        self.tandems = []
        after = None
        while True:
            url = (API + "/programmes/%d/tandems?limit=500" % self.pid
                   + ("&after=%d" % after if after else ""))
            page = self.d.expect("GET", url, 200, "GET tandems", session=self.admin).json()
            self.tandems.extend(page["items"])
            after = page["next_after"]
            if after is None:
                break
        check(len(self.tandems) == pairs, "%d tandems for a run of %d pairs"
              % (len(self.tandems), pairs))
        log("run %d: %d pairs published" % (run["id"], pairs))
        # The proposal mails go out; server 0 dies while it is sending some of them.
        self.orphaned_mail = self.killer.kill_while_sending(0)

    # -- phase 2: accept, agreement, notes, meetings ----------------------------------------------

    def session_of(self, person_id):
        return self.sessions[self.external_of[person_id]][0]

    def work_on_tandem(self, item):
        index, tandem = item
        tid = tandem["id"]
        base = API + "/tandems/%d" % tid
        sides = [("mentor", self.session_of(tandem["mentor"]["id"])),
                 ("mentee", self.session_of(tandem["mentee"]["id"]))]
        for side, session in sides:
            resp, tries = self.d.call("POST", base + "/accept", session=session)
            check(resp.status == 200, "the %s accepts tandem %d: %s (try %d)"
                  % (side, tid, resp.describe(), tries))  # accepting again is 200 too
            with self.lock:
                self.accept_acks.add((tid, side))
        for side, session in sides:
            resp, tries = self.d.call("POST", base + "/agreement/accept", session=session)
            check(resp.status == 200, "the %s accepts the agreement of %d: %s"
                  % (side, tid, resp.describe()))
            with self.lock:
                self.agreement_acks.add((tid, side))
        if index % 4 == 0:
            text = "Cluster note %d %s" % (tid, random.getrandbits(48))
            note = self.d.expect("POST", base + "/notes", 201, "a shared note", session=sides[0][1],
                                 json_body={"title": "Session 1", "text": text}).json()
            starts = (int(time.time()) + 7 * 86400 + index * 60) * 1000  # a week ahead
            meeting = self.d.expect("POST", base + "/meetings", 201, "a meeting",
                                    session=sides[1][1], json_body={"starts_at": starts}).json()
            with self.lock:
                self.note_acks.append((tid, note["id"], text))
                self.meeting_acks.append((tid, meeting["id"], starts))

    def phase_tandems(self):
        # The proposal mails go out first (see the module's note on claimed mail).
        self.wait_outbox_sent(timeout=180)
        done = []
        total = len(self.tandems)
        thread = self.killer.arm(2, lambda: len(done) >= total * 0.3,
                                 "partners accepting tandems and writing notes")

        def job(item):
            self.work_on_tandem(item)
            done.append(item[0])
            # A small or slow cohort (the sanitizer build) could finish before the outbox is idle
            # for the kill: clients that are through 70% wait for it (at most a minute), so the
            # last tandems are worked on after it.
            if len(done) >= total * 0.7 and not self.killer.kills[2:]:
                deadline = time.monotonic() + 60
                while not self.killer.kills[2:] and time.monotonic() < deadline:
                    time.sleep(0.05)

        self.run_parallel(job, list(enumerate(self.tandems)), "tandems")
        self.killer.stop.set()
        thread.join()
        check(self.killer.failure is None, "killing server 2: %s" % self.killer.failure)
        check(len(self.killer.kills) == 3, "the kill did not happen during the tandems")
        log("%d tandems accepted, %d notes, %d meetings"
            % (total, len(self.note_acks), len(self.meeting_acks)))

    # -- helpers ---------------------------------------------------------------------------------

    def run_parallel(self, fn, items, what):
        errors = []
        pool = ThreadPoolExecutor(max_workers=self.args.clients)
        try:
            for future in [pool.submit(fn, item) for item in items]:
                try:
                    future.result()
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append("%s: %s" % (type(e).__name__, e))
                    break
        finally:
            # After the first failure, or on SIGTERM (SystemExit), the jobs not started yet are
            # dropped, so that the report and the clean-up come at once.
            pool.shutdown(wait=True, cancel_futures=True)
        if errors:
            raise Fail("a %s job failed (of %d): %s" % (what, len(items), errors[0]))

    def wait_outbox_sent(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            pending = int(self.c.sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
                                     "next_attempt_at < 9223372036854775807")[0][0])
            if pending == 0:
                return
            check(time.monotonic() < deadline, "%d mails still unsent after %d s"
                  % (pending, timeout))
            time.sleep(0.2)

    # -- the checks --------------------------------------------------------------------------------

    def verify(self):
        c = self.c
        # 1. Every acknowledged questionnaire, read back by its author through nginx.
        def read_enrolment(ext):
            session = self.sessions[ext][0]
            got = self.d.expect("GET", API + "/programmes/%d/enrolment" % self.pid, 200,
                                "read back the answers of " + ext, session=session).json()
            sent = self.enrolled_acks[ext]
            check(got["state"] == "enrolled", "%s: state %r" % (ext, got["state"]))
            want = {(a["topic"], a["interest"], a["skill"]) for a in sent["answers"]}
            have = {(a["topic"], a["interest"], a["skill"]) for a in got["answers"]}
            check(want == have, "%s: saved answers differ from the acknowledged ones" % ext)
            check(got["availability"] == sent["availability"], "%s: availability %r"
                  % (ext, got["availability"]))
            check(got["mentor_capacity"] == sent["mentor_capacity"]
                  and got["mentee_capacity"] == sent["mentee_capacity"],
                  "%s: capacities differ" % ext)
        self.run_parallel(read_enrolment, sorted(self.enrolled_acks), "read-back")
        enrolled = int(c.sql("SELECT count(*) FROM enrolments WHERE programme_id = %d AND state "
                             "= 'enrolled'" % self.pid)[0][0])
        check(enrolled == len(self.enrolled_acks), "%d enrolled in the database, %d acknowledged"
              % (enrolled, len(self.enrolled_acks)))
        log("check: %d acknowledged questionnaires read back" % len(self.enrolled_acks))

        # 2. No tandem formed twice, nobody over capacity, acceptances and workspaces there.
        pid = self.pid
        twice = c.sql("SELECT mentor_id, mentee_id, count(*) FROM tandems WHERE programme_id = %d"
                      " GROUP BY 1, 2 HAVING count(*) > 1" % pid)
        check(not twice, "pairs formed twice: %r" % twice[:5])
        over = c.sql(
            "SELECT e.person_id, e.mentor_capacity, e.mentee_capacity,"
            " (SELECT count(*) FROM tandems t WHERE t.programme_id = e.programme_id"
            "  AND t.mentor_id = e.person_id) AS as_mentor,"
            " (SELECT count(*) FROM tandems t WHERE t.programme_id = e.programme_id"
            "  AND t.mentee_id = e.person_id) AS as_mentee"
            " FROM enrolments e WHERE e.programme_id = %d" % pid)
        for person, mentor_cap, mentee_cap, as_mentor, as_mentee in over:
            check(int(as_mentor) <= int(mentor_cap) and int(as_mentee) <= int(mentee_cap),
                  "person %s over capacity: mentor %s/%s, mentee %s/%s"
                  % (person, as_mentor, mentor_cap, as_mentee, mentee_cap))
        states = dict((s, int(n)) for s, n in c.sql(
            "SELECT state, count(*) FROM tandems WHERE programme_id = %d GROUP BY state" % pid))
        check(sum(states.values()) == len(self.tandems), "tandems in the database: %r" % states)
        check(states.get("active", 0) == len(self.tandems),
              "every tandem was accepted by both (acknowledged or retried): %r" % states)
        acceptances = int(c.sql(
            "SELECT count(*) FROM tandems WHERE programme_id = %d AND mentor_accepted_at IS NOT"
            " NULL AND mentee_accepted_at IS NOT NULL" % pid)[0][0])
        check(acceptances == len(self.tandems), "%d of %d tandems carry both acceptances"
              % (acceptances, len(self.tandems)))

        def read_workspace(item):
            tid, note_id, text = item
            tandem = next(t for t in self.tandems if t["id"] == tid)
            session = self.session_of(tandem["mentee"]["id"])  # the partner, not the author
            note = self.d.expect("GET", API + "/tandems/%d/notes/%d" % (tid, note_id), 200,
                                 "read back a note", session=session).json()
            check(note["text"] == text, "note %d of tandem %d: %r" % (note_id, tid, note["text"]))
            agreement = self.d.expect("GET", API + "/tandems/%d/agreement" % tid, 200,
                                      "the agreement", session=session).json()
            check(agreement["open"] is True, "agreement of %d not open: %r" % (tid, agreement))
        self.run_parallel(read_workspace, self.note_acks, "workspace read-back")
        for tid, meeting_id, starts in self.meeting_acks:
            tandem = next(t for t in self.tandems if t["id"] == tid)
            session = self.session_of(tandem["mentor"]["id"])
            m = self.d.expect("GET", API + "/tandems/%d/meetings/%d" % (tid, meeting_id), 200,
                              "read back a meeting", session=session).json()
            check(m["starts_at"] == starts, "meeting %d starts %r" % (meeting_id, m["starts_at"]))
        open_agreements = int(c.sql(
            "SELECT count(*) FROM tandems t WHERE t.programme_id = %d AND (SELECT count(*) FROM"
            " agreement_acceptances a WHERE a.tandem_id = t.id) = 2" % pid)[0][0]) \
            if self._has_table("agreement_acceptances") else len(self.tandems)
        check(open_agreements == len(self.tandems), "%d of %d agreements accepted by both"
              % (open_agreements, len(self.tandems)))
        log("check: %d tandems (no pair twice, capacities kept, all active), %d notes and %d "
            "meetings read back" % (len(self.tandems), len(self.note_acks),
                                     len(self.meeting_acks)))

        # 3. No mail sent twice, none lost.
        self.wait_outbox_sent(timeout=120)
        self.check_mail()

        # 4. Every session opened before a kill works on every server, straight to its port.
        last_kill = self.killer.kills[-1][1]
        everyone = [(ext, s, opened) for ext, (s, opened) in self.sessions.items()]
        everyone += self.extra_sessions
        before = [(ext, s) for ext, s, opened in everyone if opened < last_kill]
        check(len(before) > 50, "only %d sessions were opened before the last kill" % len(before))
        for port in c.ports:
            client = c.client(port=port, recorder=self.stats)

            def me(item, client=client, port=port):
                ext, session = item
                resp = client.request("GET", API + "/me", session=session)
                check(resp.status == 200, "the session of %s on the server at %d: %s"
                      % (ext, port, resp.describe()))
            self.run_parallel(me, before, "GET /me on %d" % port)
        log("check: all %d sessions (%d by password in round B) opened before the last kill answer"
            " GET /me 200 on each of the %d servers" % (len(before), len(self.extra_sessions),
                                                       len(c.ports)))

        # 5. No 500 anywhere.
        check(not self.stats.errors_500, "answers 5xx other than 502/503/504: %s"
              % self.stats.errors_500[:5])

    def _has_table(self, name):
        return bool(self.c.sql("SELECT 1 FROM information_schema.tables WHERE table_name = '%s'"
                               % name))

    def check_mail(self):
        messages = self.mail.snapshot()
        rows = self.c.sql("SELECT id, to_address, subject, coalesce(sent_at::text, ''), "
                          "handed_over_at IS NOT NULL AND last_error LIKE 'in doubt:%' "
                          "FROM outbox")
        outbox = {int(i): (to.lower(), subject, sent) for i, to, subject, sent, _ in rows}
        in_doubt = {int(i) for i, _, _, _, doubt in rows if doubt == "t"}
        # At most once (docs/mail.md): the mail server 0 was handing over when it died.
        check(in_doubt <= self.orphaned_mail and len(in_doubt) <= 1,
              "mails given up in doubt: %r (claimed by the server killed while sending: %r)"
              % (sorted(in_doubt), sorted(self.orphaned_mail)))
        unsent = [i for i, (_, _, sent) in outbox.items() if not sent and i not in in_doubt]
        check(not unsent, "%d outbox rows never sent: %r" % (len(unsent), unsent[:5]))
        delivered = {}
        for m in messages:
            match = re.match(r"<tandem\.(\d+)\.", m["message_id"])
            check(match is not None, "a mail without Tandem's Message-ID: %r" % m["message_id"])
            delivered.setdefault(int(match.group(1)), []).append(m)
        twice = {i: len(ms) for i, ms in delivered.items() if len(ms) > 1}
        check(not twice, "%d mails delivered more than once, e.g. outbox ids %r (claimed by the "
              "server killed while sending: %r)" % (len(twice), sorted(twice)[:5],
                                                   sorted(self.orphaned_mail)))
        self.in_doubt = {i: len(delivered.get(i, [])) for i in in_doubt}
        stray = sorted(set(delivered) - set(outbox))
        check(not stray, "mails delivered that the outbox does not hold: %r" % stray[:5])
        missing = sorted(set(outbox) - set(delivered) - in_doubt)
        check(not missing, "%d outbox rows marked sent never arrived: %r"
              % (len(missing), missing[:5]))
        for i, ms in delivered.items():
            check(cluster._address(ms[0]["to"]) == outbox[i][0],
                  "outbox %d went to %r, not %r" % (i, ms[0]["to"], outbox[i][0]))
        # Each invited person one invitation; each partner one proposal per tandem.
        invitation_subjects = {outbox[i][1] for i, ms in delivered.items()
                               if "#invitation=" in ms[0]["text"]}
        per_person = {}
        for i, (to, subject, _) in outbox.items():
            if subject in invitation_subjects:
                per_person[to] = per_person.get(to, 0) + 1
        emails = {r["email"].lower() for r in self.rows}
        check(set(per_person) == emails, "invitations reached %d of %d people"
              % (len(set(per_person) & emails), len(emails)))
        check(all(n == 1 for n in per_person.values()), "someone got two invitations: %r"
              % [(k, n) for k, n in per_person.items() if n > 1][:5])
        expected_proposals = {}
        for t in self.tandems:
            for side in ("mentor", "mentee"):
                email = self.by_id[self.external_of[t[side]["id"]]]["email"].lower()
                expected_proposals[email] = expected_proposals.get(email, 0) + 1
        proposal_subjects = {outbox[i][1] for i, ms in delivered.items()
                             if "/tandems" in ms[0]["text"] and outbox[i][1]
                             not in invitation_subjects and "#link=" not in ms[0]["text"]}
        got_proposals = {}
        for i, (to, subject, _) in outbox.items():
            if subject in proposal_subjects:
                got_proposals[to] = got_proposals.get(to, 0) + 1
        check(got_proposals == expected_proposals,
              "proposal mails per partner differ from the tandems (%d recipients, %d expected)"
              % (len(got_proposals), len(expected_proposals)))
        log("check: %d mails, none twice, each outbox row delivered once (in doubt, given up: "
            "%s); %d invitations, %d proposals (%d claimed by the killed server); %d sign-in "
            "links after lost answers"
            % (len(messages), ", ".join("outbox %d arrived %d time(s)" % kv
                                        for kv in sorted(self.in_doubt.items())) or "none",
               len(per_person), sum(got_proposals.values()), len(self.orphaned_mail),
               self.stats.fallbacks))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tandem", required=True)
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=9009)
    parser.add_argument("--pg-port", type=int, default=29483)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    for tool in (cluster.NGINX, cluster.PSQL, "/usr/lib/postgresql/15/bin/initdb"):
        if not os.access(tool, os.X_OK):
            print("skipped: %s is missing (scripts/install-deps.sh)" % tool)
            return SKIP
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("skipped: python3-aiosmtpd is missing")
        return SKIP
    check(args.servers >= 3, "--servers must be at least 3 (servers 1 and 2 are killed)")
    status = 1
    c = Cluster(args.tandem, servers=args.servers, pg_port=args.pg_port, keep=args.keep,
                env={"TANDEM_RUN_POLL_MS": "200"})
    test = None
    try:
        c.start(servers=False)
        test = Test(c, args)
        test.setup()
        test.create_programme()
        test.phase_enrol()
        test.match_and_publish()
        test.phase_tandems()
        test.verify()
        s = test.stats
        log("passed: %d requests %s, %d retried after 502/503/504, %d dropped connections, "
            "kills: %s" % (sum(s.status.values()), dict(sorted(s.status.items())), s.retries,
                           s.dropped, ["server %d back in %.1f s" % (k, t)
                                       for k, _, t in test.killer.kills]))
        status = 0
    except Fail as e:
        print("FAIL: %s" % e, flush=True)
    except Exception as e:  # noqa: BLE001
        print("FAIL: %s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()), flush=True)
    finally:
        if status != 0:
            c.mark_failed()
            for i in range(len(c.ports)):
                print("--- server %d log (tail) ---\n%s" % (i, c.log_tail(i, 15)))
            print("--- nginx errors (tail) ---\n%s" % c.nginx_errors()[-2000:])
        if test is not None:
            test.mail.close()
        c.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
