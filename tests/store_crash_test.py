#!/usr/bin/python3
"""Crash test of the store: kill a writer at random moments, then check every acknowledged write.

  store_crash_test.py WRITER sqlite [--rounds 200]
      SIGKILL the writer process at a random moment; after each kill the database must pass
      PRAGMA integrity_check and hold every write the writer acknowledged.
  store_crash_test.py WRITER postgresql [--rounds 200]
      Stop the throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh) with
      `pg_ctl stop -m immediate` at a random moment while the writer runs, start it again,
      and check every acknowledged write.
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


def load_cluster_state():
    state = os.environ.get("TANDEM_PG_ENV", os.path.join(ROOT, "build", "postgres-test.env"))
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


def run_postgresql(args):
    state = load_cluster_state()
    base = state["TANDEM_TEST_POSTGRES_URL"]
    # A database of its own, so that other tests' data does not mix in.
    name = f"tandem_crash_{os.getpid()}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["/usr/bin/psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}",
                    "-c", f"CREATE DATABASE {name}"], check=True, stdout=subprocess.DEVNULL)
    url = base.rsplit("/", 1)[0] + "/" + name
    rng = random.Random(args.seed)
    w = Writer(args.writer, url, 1)
    try:
        for round_no in range(1, args.rounds + 1):
            time.sleep(rng.uniform(0.05, 0.4))
            pg_ctl(state, "stop", "-m", "immediate", "-w")
            pg_ctl(state, "start", "-w", "-t", "60", "-l", os.path.join(state["TANDEM_PG_DIR"],
                                                                       "server.log"))
            acked = list(w.acked)
            check(verify(args.writer, url), acked, round_no)
        w.kill()
        check(verify(args.writer, url), w.acked, args.rounds)
    finally:
        if w.proc.poll() is None:
            w.kill()
    print(f"postgresql: {args.rounds} immediate stops, {len(w.acked)} acknowledged writes, "
          "none lost")
    subprocess.run(["/usr/bin/psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"],
                   stdout=subprocess.DEVNULL)


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
        if not os.environ.get("TANDEM_TEST_POSTGRES_URL"):
            print("TANDEM_TEST_POSTGRES_URL is not set: skipped")
            sys.exit(77)
        run_postgresql(args)


if __name__ == "__main__":
    main()
