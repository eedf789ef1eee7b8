#!/usr/bin/python3
"""PostgreSQL restarted under load: the servers answer 503 meanwhile and recover by themselves.

  pg_restart_test.py --tandem PATH [--keep]

Starts a throwaway PostgreSQL cluster of its own (scripts/postgres-test-cluster.sh; it is
restarted, so it must not be the one other tests share), seeds it with the CLI like
http_crash_test.py, and starts two `tandem serve` processes on it. Clients write through both
(people, imports of four people at a time, the display name, workspace notes, the
questionnaire: the writers of http_crash_test.py) and read, all the time, while PostgreSQL is

  1. restarted with `pg_ctl restart -m fast`,
  2. restarted with `pg_ctl restart -m immediate` (a crash: recovery from the WAL),
  3. stopped with `-m fast`, left down for 2 s, and started again (an outage long enough that
     every client sees it).

Checks: every answer is 2xx, or 503 with a Retry-After header and a problem document, and a 503
comes within UNAVAILABLE_SECONDS (never a 500 or another error, never a request unanswered for
REQUEST_SECONDS); the servers are not restarted and, once PostgreSQL is back, answer /healthz
200 within RECOVERY_SECONDS and acknowledge writes of every kind again (within
PROGRESS_SECONDS, generous for a machine loaded by other tests and the sanitizers; an import
holds the people table, so concurrent writes of people wait for it instead of aborting it); after each restart every acknowledged write is
in the database and nothing is half-written (an import has all its rows or none; the
questionnaire's answer set is whole and from one write); during the long outage every answer
was a 503. At the end both servers stop on SIGTERM with status 0.

Exit status: 0 passed, 1 failed, 77 skipped (PostgreSQL 15 or psql missing). Standard
library only (/usr/bin/python3).
"""

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)

import http_crash_test as crash  # noqa: E402
from helpers import API, Fail, check  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"
CLUSTER = os.path.join(crash.ROOT, "scripts", "postgres-test-cluster.sh")
# The cluster script takes the first free port from here.
FIRST_PORT = os.environ.get("TANDEM_PG_RESTART_PORT", "28632")  # below the ephemeral ports
# A 503 comes soon: no request waits long for the database. Not at once: a write that was
# retrying a serialization conflict (SERIALIZABLE, up to 30 attempts with backoff) when the
# database went away has been busy for a few seconds already on a loaded machine.
UNAVAILABLE_SECONDS = 10
REQUEST_SECONDS = 30  # no answer at all may take longer (a hang)
RECOVERY_SECONDS = 15  # after PostgreSQL is back, both servers answer /healthz 200 within this
PROGRESS_SECONDS = 60  # ... and every writer has a write acknowledged within this


class Cluster:
    """A throwaway PostgreSQL cluster of this test's own."""

    def __init__(self, tmp):
        self.env_file = os.path.join(tmp, "cluster.env")
        self.url = None
        self.state = {}

    def _script(self, command):
        env = dict(os.environ, TANDEM_PG_ENV=self.env_file, TANDEM_PG_PORT=FIRST_PORT)
        out = subprocess.run([CLUSTER, command], env=env, capture_output=True, text=True,
                             timeout=300)
        if out.returncode != 0:
            raise Fail("postgres-test-cluster.sh %s: %s" % (command, out.stderr.strip()))
        return out.stdout.strip()

    def start(self):
        self.url = self._script("start")
        with open(self.env_file) as f:
            for line in f:
                key, _, value = line.strip().partition("=")
                self.state[key] = shlex.split(value)[0] if value else ""

    def stop(self):
        if os.path.exists(self.env_file):
            self._script("stop")

    def pg_ctl(self, *args):
        cmd = [os.path.join(PG_BIN, "pg_ctl"), "-D", os.path.join(self.state["TANDEM_PG_DIR"],
                                                                  "data")] + list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", self.state["TANDEM_PG_OWNER"], "--"] + cmd
        out = subprocess.run(cmd, cwd="/", capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise Fail("pg_ctl %s: %s" % (" ".join(args), (out.stderr or out.stdout).strip()))

    def log_args(self):
        return ["-l", os.path.join(self.state["TANDEM_PG_DIR"], "server.log")]


class Reader(crash.Writer):
    """Reads what the mentee sees (profile, tandems, notes): reads must fail with 503 too."""

    name_ = "reads"

    def write(self, n):
        for path in ("/me", "/tandems", "/tandems/%d/notes" % self.world.tandem):
            resp = self.request("GET", API + path, session=self.world.mentee)
            if resp.status != 200:
                self.unexpected(resp)
        self.acks = getattr(self, "acks", 0) + 1


def progress(writers):
    """How many writes each writer had acknowledged: a snapshot to compare with later."""
    out = {}
    for w in writers:
        if hasattr(w, "acked"):
            out[w] = len(w.acked)
        else:
            out[w] = getattr(w, "acks", 0)
    return out


def wait_recovered(servers, writers, before, what):
    """Waits until both servers answer /healthz 200 and every writer acknowledged a write after
    `before`; returns the seconds each took. Fails after RECOVERY_SECONDS (healthy) or
    PROGRESS_SECONDS (writes; under SERIALIZABLE an import that conflicts with concurrent
    writes is retried for a while)."""
    began = time.monotonic()
    healthy = set()
    healthy_after = None
    while True:
        errors = [e for w in writers for e in w.errors]
        check(not errors, "%s: %s" % (what, "; ".join(errors[:5])))
        for i, server in enumerate(servers):
            check(server.running(), "%s: server %d exited (status %s)\n%s"
                  % (what, i, server.proc.returncode, server.tail()))
            if i not in healthy:
                try:
                    if server.client.request("GET", "/healthz").status == 200:
                        healthy.add(i)
                except OSError:
                    pass
        elapsed = time.monotonic() - began
        if healthy_after is None and len(healthy) == len(servers):
            healthy_after = elapsed
        now = progress(writers)
        stuck = [w.name_ for w in writers if now[w] <= before[w]]
        if healthy_after is not None and not stuck:
            return healthy_after, elapsed
        check(healthy_after is not None or elapsed < RECOVERY_SECONDS,
              "%s: %d s after PostgreSQL was back, only servers %r answer /healthz 200"
              % (what, RECOVERY_SECONDS, sorted(healthy)))
        check(elapsed < PROGRESS_SECONDS,
              "%s: %d s after PostgreSQL was back, writers without a new acknowledged write: %r"
              % (what, PROGRESS_SECONDS, stuck))
        time.sleep(0.05)


def count_503(writers):
    return sum(w.count(503) for w in writers)


def run(args, tmp):
    cluster = Cluster(tmp)
    servers = []
    stop = threading.Event()
    writers = []
    try:
        cluster.start()
        db_url = cluster.url
        db = crash.Database(db_url)
        ports = [crash.free_port(), crash.free_port()]
        env = crash.server_env(args.tandem, tmp, "http://127.0.0.1:%d" % ports[0])
        admin_token, mentee_token = crash.seed_demo(args.tandem, db_url, env)
        for i, port in enumerate(ports):
            server = crash.Server(args.tandem, db_url, port, env,
                                  os.path.join(tmp, "server%d.log" % i))
            server.client.timeout = REQUEST_SECONDS
            servers.append(server)
            server.start()
        world = crash.World(servers[0].client, admin_token, mentee_token)
        # Server 0: every kind of write; server 1: people, imports and reads.
        load = crash.Load(servers[0], world, stop, tolerate_503=True)
        others = [crash.PeopleWriter(servers[1], world, stop, True, prefix="other"),
                  crash.ImportWriter(servers[1], world, stop, True),
                  Reader(servers[1], world, stop, True)]
        # The second import writer numbers its imports apart from the first's.
        others[1].attempted = 1_000_000
        writers = load.all + others
        for w in writers:
            w.start()
        time.sleep(1.0)
        before = progress(writers)
        wait_recovered(servers, writers, {w: 0 for w in writers}, "before any restart")

        report = []
        for what, action in (
                ("restart -m fast", lambda: cluster.pg_ctl("restart", "-m", "fast", "-w", "-t",
                                                           "60", *cluster.log_args())),
                ("restart -m immediate", lambda: cluster.pg_ctl("restart", "-m", "immediate",
                                                                "-w", "-t", "60",
                                                                *cluster.log_args())),
                ("2 s down", None)):
            time.sleep(0.5)  # load before the restart
            began = time.monotonic()
            if action is not None:
                action()
            else:
                cluster.pg_ctl("stop", "-m", "fast", "-w", "-t", "60")
                time.sleep(0.5)  # answers that were on their way come in
                acked_down = progress(writers)
                n503 = count_503(writers)
                time.sleep(2.0)
                # While PostgreSQL was down, nothing was acknowledged and every answer was a
                # 503 (anything else already failed the writer).
                check(progress(writers) == acked_down,
                      "writes were acknowledged while PostgreSQL was down")
                check(count_503(writers) > n503, "no 503 was seen while PostgreSQL was down")
                cluster.pg_ctl("start", "-w", "-t", "60", *cluster.log_args())
            down = time.monotonic() - began
            before = progress(writers)
            healthy, recovered = wait_recovered(servers, writers, before, what)
            try:
                load.check(db, full=True, live=True)
                acked = [list(others[0].acked), list(others[1].acked)]
                rows = db.query_many([others[0].sql(), others[1].sql()])
                others[0].check(rows[0], acked[0])
                others[1].check(rows[1], acked[1])
            except Fail as e:
                raise Fail("after %s: %s" % (what, e)) from None
            report.append("%s: pg_ctl %.1f s; then /healthz 200 on both servers after %.1f s, "
                          "every writer acknowledged again after %.1f s"
                          % (what, down, healthy, recovered))

        stop.set()
        for w in writers:
            w.join(timeout=REQUEST_SECONDS + 5)
            check(not w.is_alive(), "writer %s did not stop" % w.name_)
        errors = [e for w in writers for e in w.errors]
        check(not errors, "; ".join(errors[:5]))
        five = [r for s in servers for r in s.client.recorder.server_errors
                if " -> 503 " not in r]
        check(not five, "5xx answers other than 503: %s" % "; ".join(five[:5]))
        slowest = max(w.slowest for w in writers)
        slowest_503 = max(w.slowest_503 for w in writers)
        check(slowest_503 < UNAVAILABLE_SECONDS, "a 503 took %.1f s to come" % slowest_503)
        for i, server in enumerate(servers):
            stop_error = server.stop()
            check(stop_error is None, "server %d: %s" % (i, stop_error))
        load.check(db, full=True)
        total_503 = count_503(writers)
        check(total_503 > 0, "no 503 at all: the outages were not seen")
        print("\n".join(report))
        print("postgresql restarted 2 times and stopped once under load, 2 servers never "
              "restarted; %d answers 503 with Retry-After (slowest %.2f s), none 500; slowest "
              "answer %.2f s; %s; none lost, none half-written"
              % (total_503, slowest_503, slowest, load.summary()))
    finally:
        stop.set()
        for server in servers:
            server.kill()
        for w in writers:
            w.join(timeout=REQUEST_SECONDS + 5)
        try:
            cluster.stop()
        except Fail as e:
            print("warning: %s" % e)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tandem", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.tandem = os.path.abspath(args.tandem)
    if not os.path.exists(os.path.join(PG_BIN, "pg_ctl")) or not os.path.exists(crash.PSQL):
        print("skipped: PostgreSQL 15 (pg_ctl) or psql is not installed")
        return crash.SKIP
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tmp = tempfile.mkdtemp(prefix="tandem-pg-restart-")
    os.chmod(tmp, 0o755)  # the cluster's owner (postgres when run as root) reads nothing here
    status = 1
    try:
        run(args, tmp)
        status = 0
    except Fail as e:
        print("FAIL: %s" % e)
        for name in ("server0.log", "server1.log"):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    print("--- last lines of %s ---\n%s" % (name, "".join(f.readlines()[-20:])))
    finally:
        if args.keep or status != 0:
            print("files kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
