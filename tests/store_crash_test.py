#!/usr/bin/python3
"""Crash test of the store: kill a writer at random moments, then check every acknowledged write.

  store_crash_test.py WRITER sqlite [--rounds 200]
      SIGKILL the writer process at a random moment; after each kill the database must pass
      PRAGMA integrity_check and hold every write the writer acknowledged.
  store_crash_test.py WRITER postgresql [--rounds 200]
      Start a throwaway PostgreSQL cluster of its own (scripts/postgres-test-cluster.sh),
      stop it with `pg_ctl stop -m immediate` at random moments while the writer runs, start
      it again, and check every acknowledged write.
"""
import argparse
import os
import random
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Writer:
    """Runs the writer and collects the numbers it acknowledges."""

    def __init__(self, writer, url, first):
        self.acked = []
        self.proc = subprocess.Popen([writer, "write", url, str(first)], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.strip()
            if line:  # a line cut by the kill has no newline and is not an acknowledgement
                self.acked.append(int(line))

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.reader.join()


def verify(writer, url):
    out = subprocess.run([writer, "verify", url], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"verify failed: {out.stderr.strip()}")
    found = set()
    for line in out.stdout.split():
        if line.isdigit():
            found.add(int(line))
    return found


def missing_of(writer, url, numbers):
    """The numbers among `numbers` whose rows are not in the database (point lookups)."""
    out = subprocess.run([writer, "check", url], input="\n".join(map(str, numbers)),
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"check failed: {out.stderr.strip()}")
    return [int(n) for n in out.stdout.split()]


def check(found, acked, round_no):
    missing = sorted(set(acked) - found)
    if missing:
        raise SystemExit(f"round {round_no}: {len(missing)} acknowledged writes lost, e.g. {missing[:5]}")


def run_sqlite(args):
    folder = tempfile.mkdtemp(prefix="tandem-crash-")
    path = os.path.join(folder, "crash.db")
    url = "sqlite:" + path
    rng = random.Random(args.seed)
    acked_all = []
    first = 1
    for round_no in range(1, args.rounds + 1):
        w = Writer(args.writer, url, first)
        time.sleep(rng.uniform(0.005, 0.25))
        w.kill()
        acked_all.extend(w.acked)
        first = (max(acked_all) if acked_all else first) + 1000  # numbers never reused
        db = sqlite3.connect(path)
        result = db.execute("PRAGMA integrity_check").fetchall()
        db.close()
        if result != [("ok",)]:
            raise SystemExit(f"round {round_no}: integrity_check: {result[:5]}")
        check(verify(args.writer, url), acked_all, round_no)
    print(f"sqlite: {args.rounds} kills, {len(acked_all)} acknowledged writes, none lost, "
          "integrity_check ok every time")
    subprocess.run(["rm", "-rf", folder])


def load_cluster_state(state):
    values = {}
    with open(state) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            values[key] = shlex.split(value)[0] if value else ""
    return values


def pg_ctl(state, *args):
    cmd = ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", os.path.join(state["TANDEM_PG_DIR"], "data"),
           *args]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", state["TANDEM_PG_OWNER"], "--", *cmd]
    subprocess.run(cmd, check=True, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cluster(command, env_file):
    """Runs scripts/postgres-test-cluster.sh COMMAND for a cluster of this test's own."""
    # A port below the ephemeral ones: each restart binds it again.
    env = dict(os.environ, TANDEM_PG_ENV=env_file, TANDEM_PG_PORT="28432")
    out = subprocess.run([os.path.join(ROOT, "scripts", "postgres-test-cluster.sh"), command],
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"postgres-test-cluster.sh {command}: {out.stderr.strip()}")
    return out.stdout.strip()


def run_postgresql(args):
    # A cluster of its own: stopping it at random moments must not disturb other tests.
    env_file = os.path.join(tempfile.mkdtemp(prefix="tandem-crash-pg-"), "cluster.env")
    url = cluster("start", env_file)
    try:
        run_postgresql_on(args, load_cluster_state(env_file), url)
    finally:
        cluster("stop", env_file)
        subprocess.run(["rm", "-rf", os.path.dirname(env_file)])


def run_postgresql_on(args, state, url):
    rng = random.Random(args.seed)
    w = Writer(args.writer, url, 1)
    checked = 0
    try:
        for round_no in range(1, args.rounds + 1):
            time.sleep(rng.uniform(0.02, 0.25))
            pg_ctl(state, "stop", "-m", "immediate", "-w")
            pg_ctl(state, "start", "-w", "-t", "60", "-l", os.path.join(state["TANDEM_PG_DIR"],
                                                                       "server.log"))
            # Every write acknowledged so far is there: the new ones by point lookups after
            # each stop, all of them with a full scan every 50 stops and at the end.
            acked = list(w.acked)
            missing = missing_of(args.writer, url, acked[checked:])
            if missing:
                raise SystemExit(f"round {round_no}: {len(missing)} acknowledged writes lost, "
                                 f"e.g. {missing[:5]}")
            checked = len(acked)
            if round_no % 50 == 0:
                check(verify(args.writer, url), acked, round_no)
        w.kill()
        check(verify(args.writer, url), w.acked, args.rounds)
    finally:
        if w.proc.poll() is None:
            w.kill()
    print(f"postgresql: {args.rounds} immediate stops, {len(w.acked)} acknowledged writes, "
          "none lost")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("writer")
    parser.add_argument("backend", choices=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    print(f"seed {args.seed}", flush=True)
    if args.backend == "sqlite":
        run_sqlite(args)
    else:
        run_postgresql(args)


if __name__ == "__main__":
    main()
