#!/usr/bin/python3
"""The questionnaire deadline rush (issue 9): N participants (default 10,000) save their
questionnaire answers within a window (default 600 s = ten minutes; shorter is harsher).

Setups:
  sqlite    one `tandem serve` on SQLite, clients talk to it directly
  postgres  three `tandem serve` on one PostgreSQL behind Debian's nginx
            (tests/cluster/cluster.py starts PostgreSQL, the servers, nginx and the SMTP sink)

What happens (every step through the HTTP API, as a browser does it):
 1. `tandem generate --people N` -> `tandem import`; a system administrator
    (`tandem admin create`); the administrator creates a programme with the generated topics
    (deadline after the window), opens enrolment and invites everyone (one request; N mails).
 2. Sessions are created BEFORE the rush, the way participants get them: each invitation mail's
    link (read from the SMTP sink's Maildir) is redeemed with POST /api/v1/invitations/redeem
    (no password, so no Argon2id: signing in is not the deadline's work). Its latency is
    reported separately ("prep").
 3. The rush: participant i arrives at a time drawn from a density that rises linearly over
    the window to 1.5 x the average rate at its end (the deadline), and then, like the
    questionnaire page:
        GET /api/v1/me                                   (the app shell)
        GET /api/v1/programmes/{id}                      (the questionnaire: the topics)
        GET /api/v1/programmes/{id}/enrolment            (earlier answers + ETag)
        ... thinks 2-8 s ...
        PUT /api/v1/programmes/{id}/enrolment            (If-Match: the ETag; all answers)
        half of them, after 1-4 s: PUT again with one answer changed (If-Match: the new ETag)
        GET /api/v1/programmes/{id}/enrolment            (read back; must equal the last PUT)
    One connection per request (the server's default keep_alive_requests = 1). A failed
    request is an error; the participant retries that step after 1 s (at most 3 times).
 4. Afterwards the programme summary must count N enrolled participants.

Reported per request kind: count, errors, p50/p95/p99/max latency (client side: from connect
to the last byte of the answer); the server's own figures from /metrics
(tandem_http_request_duration_seconds, tandem_database_seconds_total); the machine's load
average during the rush and how much CPU our processes and everything else used.

Usage:
  /usr/bin/python3 bench/run_load_bench.py --setup sqlite   [--participants 10000] [--window 600]
  /usr/bin/python3 bench/run_load_bench.py --setup postgres [--servers 3]
Writes (replaces) the setup's section of bench/results/load.txt; docs/operations.md
"Deadline rush" quotes it. Standard library only (plus Debian's python3-aiosmtpd for the sink).
"""

import argparse
import asyncio
import csv
import email
import email.policy
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PYTHON = "/usr/bin/python3"
API = "/api/v1"
KINDS = ["GET /me", "GET programme", "GET enrolment", "PUT enrolment (1st)",
         "PUT enrolment (2nd)", "GET enrolment (read back)"]


def log(*parts):
    print("[%s]" % time.strftime("%H:%M:%S"), *parts, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(port, proc=None, timeout=60, path="/healthz"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit("process on port %d exited with %d" % (port, proc.returncode))
        try:
            status, _, _ = asyncio.run(http_request("127.0.0.1", port, "GET", path, timeout=2))
            if status == 200:
                return
        except (OSError, asyncio.TimeoutError, ValueError):
            pass
        time.sleep(0.2)
    raise SystemExit("nothing answered 200 on port %d%s within %d s" % (port, path, timeout))


# ---------------------------------------------------------------------------------------------
# A small asyncio HTTP/1.1 client: one connection per request.


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    if not m:
        raise ValueError("not an HTTP answer: %r" % lines[0])
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
    hmap = dict(headers)
    if "content-length" in hmap:
        body = await reader.readexactly(int(hmap["content-length"]))
    elif hmap.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    else:
        body = await reader.read()
    return int(m.group(1)), headers, body


async def http_request(host, port, method, path, body=None, headers=None, timeout=30):
    """Returns (status, [(lower-case name, value)], body bytes)."""
    async def go():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            data = b"" if body is None else body
            lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (host, port),
                     "Connection: close", "Accept: application/json, application/problem+json"]
            if body is not None or method in ("POST", "PUT", "PATCH", "DELETE"):
                lines.append("Content-Type: application/json")
                lines.append("Content-Length: %d" % len(data))
            for k, v in (headers or {}).items():
                lines.append("%s: %s" % (k, v))
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + data)
            await writer.drain()
            return await _read_response(reader)
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass
    return await asyncio.wait_for(go(), timeout)


def header(headers, name):
    for k, v in headers:
        if k == name:
            return v
    return None


class Session:
    def __init__(self, headers, body):
        cookie = None
        for k, v in headers:
            if k == "set-cookie":
                first = v.split(";")[0]
                if first.split("=")[0].strip() in ("tandem_session", "__Host-tandem_session"):
                    cookie = first.strip()
        if cookie is None:
            raise ValueError("no session cookie")
        self.cookie = cookie
        self.csrf = json.loads(body)["csrf_token"]

    def headers(self, unsafe=False):
        h = {"Cookie": self.cookie}
        if unsafe:
            h["X-CSRF-Token"] = self.csrf
        return h


# ---------------------------------------------------------------------------------------------
# Measurements


class Stats:
    def __init__(self):
        self.lat = {}      # kind -> [ms]
        self.errors = {}   # kind -> {reason: count}

    def add(self, kind, ms, error=None):
        self.lat.setdefault(kind, []).append(ms)
        if error:
            self.errors.setdefault(kind, {})
            self.errors[kind][error] = self.errors[kind].get(error, 0) + 1

    @staticmethod
    def pct(values, p):
        if not values:
            return float("nan")
        s = sorted(values)
        return s[min(len(s) - 1, max(0, int(math.ceil(p / 100.0 * len(s))) - 1))]

    def rows(self, kinds):
        out = []
        every = []
        nerr = 0
        for kind in kinds:
            v = self.lat.get(kind, [])
            if not v:
                continue
            e = sum(self.errors.get(kind, {}).values())
            every += v
            nerr += e
            out.append(self._row(kind, v, e, self.errors.get(kind)))
        if len(out) > 1:
            out.append(self._row("all", every, nerr, None))
        return out

    def _row(self, kind, v, e, reasons):
        text = "%-26s %7d  errors %4d (%.2f%%)  p50 %7.1f  p95 %7.1f  p99 %7.1f  max %7.1f ms" % (
            kind, len(v), e, 100.0 * e / len(v), self.pct(v, 50), self.pct(v, 95),
            self.pct(v, 99), max(v))
        if reasons:
            text += "  (" + ", ".join("%s: %d" % kv for kv in sorted(reasons.items())) + ")"
        return text


def cpu_ticks_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def machine_busy_ticks():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    values = [int(x) for x in parts]
    idle = values[3] + values[4]
    return sum(values[:8]) - idle, sum(values[:8])


def descendants(roots):
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    seen = set()
    todo = list(roots)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(children.get(p, []))
    return seen


class CpuWatch:
    """CPU seconds of our processes (the driver, the servers, PostgreSQL, nginx, the SMTP sink:
    the driver's descendants plus `extra_roots` and theirs) against the whole machine's."""

    def __init__(self, extra_roots):
        self.roots = [os.getpid()] + list(extra_roots)
        self.hz = os.sysconf("SC_CLK_TCK")

    def snapshot(self):
        ours = {p: cpu_ticks_of(p) for p in descendants(self.roots)}
        busy, total = machine_busy_ticks()
        return {"ours": {p: t for p, t in ours.items() if t is not None}, "busy": busy,
                "total": total, "self": cpu_ticks_of(os.getpid()), "time": time.monotonic()}

    def between(self, a, b):
        ours = sum(t - a["ours"].get(p, 0) for p, t in b["ours"].items())
        busy = b["busy"] - a["busy"]
        elapsed = b["time"] - a["time"]
        return {"elapsed": elapsed, "machine_busy_s": busy / self.hz,
                "ours_s": ours / self.hz, "driver_s": (b["self"] - a["self"]) / self.hz,
                "others_s": max(0.0, (busy - ours) / self.hz)}


async def sample_load(samples, stop):
    while not stop.is_set():
        with open("/proc/loadavg") as f:
            samples.append(float(f.read().split()[0]))
        try:
            await asyncio.wait_for(stop.wait(), 5)
        except asyncio.TimeoutError:
            pass


def scrape_metrics(ports):
    """Sums over the servers: request count and seconds, database seconds."""
    total = {"requests": 0.0, "seconds": 0.0, "db_seconds": 0.0}
    for port in ports:
        try:
            status, _, body = asyncio.run(http_request("127.0.0.1", port, "GET", "/metrics"))
        except (OSError, asyncio.TimeoutError, ValueError):
            continue
        if status != 200:
            continue
        for line in body.decode().splitlines():
            for key, name in (("requests", "tandem_http_request_duration_seconds_count"),
                              ("seconds", "tandem_http_request_duration_seconds_sum"),
                              ("db_seconds", "tandem_database_seconds_total")):
                if line.startswith(name + " "):
                    total[key] += float(line.split()[1])
    return total


# ---------------------------------------------------------------------------------------------
# Setups: where the servers run. Each gives .host/.port (the clients' entry), .metrics_ports,
# .db_url, .env (for the CLI), .maildir, .roots (pids whose process trees are ours), .describe.


class SqliteSetup:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.db_url = "sqlite:" + os.path.join(work, "load.db")
        self.procs = []
        self.env = clean_env()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.env["TANDEM_PUBLIC_URL"] = "http://127.0.0.1:%d" % self.port
        self.describe = "SQLite, one `tandem serve` (16 request threads), clients direct"
        self.roots = []

    def seed(self, cohort, admin_email):
        """Imports the cohort, makes the administrator; returns its sign-in link token."""
        run_cli(self.args.tandem, ["import", cohort, "--db", self.db_url], self.env)
        out = run_cli(self.args.tandem, ["admin", "create", admin_email, "--db", self.db_url],
                      self.env)
        return re.search(r"#link=([A-Za-z0-9_\-]+)", out).group(1)

    def start(self):
        self.maildir, smtp_port, proc = start_smtp_sink(self.work)
        self.procs.append(proc)
        self.env["TANDEM_SMTP_URL"] = "smtp://127.0.0.1:%d" % smtp_port
        key = os.path.join(self.work, "master.key")
        run_cli(self.args.tandem, ["keys", "generate", "--out", key], self.env)
        self.env["TANDEM_MASTER_KEY_FILE"] = key

    def start_servers(self):
        log_file = open(os.path.join(self.work, "serve.log"), "wb")
        proc = subprocess.Popen([self.args.tandem, "serve", "--listen",
                                 "127.0.0.1:%d" % self.port, "--db", self.db_url],
                                stdin=subprocess.DEVNULL, stdout=log_file,
                                stderr=subprocess.STDOUT, env=self.env)
        self.procs.append(proc)
        wait_http(self.port, proc)
        self.metrics_ports = [self.port]

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


class PostgresSetup:
    """N servers behind nginx on one PostgreSQL: tests/cluster/cluster.py (helper "cluster")
    starts PostgreSQL (scripts/postgres-test-cluster.sh), the SMTP sink, the servers, nginx."""

    def __init__(self, args, work):
        sys.path.insert(0, os.path.join(ROOT, "tests", "cluster"))
        import cluster  # tests/cluster/cluster.py
        self.cluster = cluster.Cluster(args.tandem, servers=args.servers, pg_port=args.pg_port)
        self.args = args
        self.work = work
        self.host = "127.0.0.1"
        self.describe = ("PostgreSQL 15 (tests/cluster/cluster.py), %d `tandem serve` (16 request "
                         "threads each) behind nginx (1 worker, round robin)" % args.servers)
        self.roots = []

    def start(self):
        self.cluster.start(servers=False)
        self.db_url = self.cluster.db_url
        self.env = self.cluster.server_env()
        self.maildir = self.cluster.maildir
        # The postmaster runs as a daemon (not our child): its tree counts as ours.
        pid_file = os.path.join(self.cluster.pg_state.get("TANDEM_PG_DIR", ""), "data",
                                "postmaster.pid")
        try:
            with open(pid_file) as f:
                self.roots = [int(f.readline())]
        except (OSError, ValueError):
            log("warning: no postmaster.pid at %s; PostgreSQL's CPU counts as others'" % pid_file)

    def seed(self, cohort, admin_email):
        self.cluster.cli("import", cohort, timeout=600)
        return self.cluster.admin_link(admin_email)

    def start_servers(self):
        self.cluster.start_servers()
        self.port = self.cluster.nginx_port
        self.metrics_ports = list(self.cluster.ports)

    def stop(self):
        self.cluster.stop()


def clean_env():
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("TANDEM_"):
            del env[name]
    return env


def start_smtp_sink(work):
    maildir = os.path.join(work, "mail")
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    port = free_port()
    log_file = open(os.path.join(work, "smtp.log"), "wb")
    proc = subprocess.Popen([PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
                             "-c", "aiosmtpd.handlers.Mailbox", maildir],
                            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return maildir, port, proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the SMTP sink did not start")


def run_cli(tandem, argv, env, timeout=600):
    out = subprocess.run([tandem] + argv, capture_output=True, text=True, env=env,
                         timeout=timeout)
    if out.returncode != 0:
        raise SystemExit("tandem %s: exit %d: %s" % (" ".join(argv[:2]), out.returncode,
                                                    (out.stderr or out.stdout)[-800:]))
    return out.stdout


# ---------------------------------------------------------------------------------------------
# Seeding and sessions


def read_cohort(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    topics = [c[len("interest:"):] for c in rows[0] if c.startswith("interest:")]
    return rows, topics


def enrolment_body(row, topics, variant=0):
    answers = []
    for i, t in enumerate(topics):
        skill = int(row["skill:" + t] or 0)
        experience = (row.get("experience:" + t) or "").strip()
        if skill >= 2 and not experience:
            experience = "Built and ran it at work"
        interest = int(row["interest:" + t] or 0)
        if variant and i == variant % len(topics):
            interest = (interest + 1) % 4  # the second save changes one answer
        answers.append({"topic": t, "interest": interest, "skill": skill,
                        "experience": experience})
    mentor = min(int(row["mentor_capacity"] or 0), 3)
    mentee = min(int(row["mentee_capacity"] or 0), 2)
    if mentor == 0 and mentee == 0:
        mentee = 1
    return {"mentor_capacity": mentor, "mentee_capacity": mentee,
            "languages": [l for l in row["languages"].split(";") if l] or ["de"],
            "availability": "Tuesdays and Thursdays after 3 pm", "answers": answers}


def read_invitation_tokens(maildir, expected, timeout):
    """Waits until `expected` mails are in the Maildir; returns {address: token}."""
    deadline = time.monotonic() + timeout
    folder = os.path.join(maildir, "new")
    while True:
        names = [n for n in os.listdir(folder) if not n.startswith(".")]
        if len(names) >= expected:
            break
        if time.monotonic() > deadline:
            raise SystemExit("only %d of %d invitation mails arrived within %d s"
                             % (len(names), expected, timeout))
        time.sleep(1)
    pattern = re.compile(r"#invitation=([A-Za-z0-9_\-]+)")
    tokens = {}
    for name in names:
        with open(os.path.join(folder, name), "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",)) or msg.get_body(preferencelist=("html",))
        m = pattern.search(part.get_content() if part is not None else "")
        if m:
            tokens[str(msg["To"]).strip().lower().split("<")[-1].rstrip(">")] = m.group(1)
    return tokens


class Api:
    def __init__(self, host, port, stats):
        self.host = host
        self.port = port
        self.stats = stats

    async def call(self, kind, method, path, body=None, headers=None, expect=(200,)):
        """One request, timed; returns (status, headers, body) or None after an error."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        start = time.monotonic()
        try:
            status, hdrs, raw = await http_request(self.host, self.port, method, path, data,
                                                   headers)
        except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError) as e:
            self.stats.add(kind, (time.monotonic() - start) * 1000, type(e).__name__)
            return None
        ms = (time.monotonic() - start) * 1000
        if status not in expect:
            self.stats.add(kind, ms, "HTTP %d" % status)
            return None
        self.stats.add(kind, ms)
        return status, hdrs, raw

    async def call_retrying(self, kind, method, path, body=None, headers=None, expect=(200,)):
        for attempt in range(4):
            got = await self.call(kind, method, path, body, headers, expect)
            if got is not None:
                return got
            await asyncio.sleep(1)
        return None


def admin_session(setup, link_token):
    status, hdrs, body = asyncio.run(http_request(
        setup.host, setup.port, "POST", API + "/sign-in-links/redeem",
        json.dumps({"token": link_token}).encode()))
    if status != 201:
        raise SystemExit("the administrator's sign-in link: HTTP %d %s" % (status, body[:300]))
    return Session(hdrs, body)


def admin_call(setup, session, method, path, body=None, expect=(200,), headers=None):
    h = session.headers(method != "GET")
    h.update(headers or {})
    status, hdrs, raw = asyncio.run(http_request(
        setup.host, setup.port, method, path,
        None if body is None else json.dumps(body).encode(), h, timeout=600))
    if status not in expect:
        raise SystemExit("%s %s: HTTP %d %s" % (method, path, status, raw[:500]))
    return hdrs, (json.loads(raw) if raw else None)


async def redeem_all(api, tokens, concurrency):
    sessions = {}
    queue = list(tokens.items())
    failed = []

    async def worker():
        while queue:
            address, token = queue.pop()
            got = await api.call("POST invitations/redeem", "POST", API + "/invitations/redeem",
                                 {"token": token}, expect=(201,))
            if got is None:
                failed.append(address)
                continue
            sessions[address] = Session(got[1], got[2])

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sessions, failed


# ---------------------------------------------------------------------------------------------
# The rush


def arrival_offsets(n, window, rng):
    """Arrival times in [0, window): density rising linearly from 0.5x to 1.5x the average."""
    out = []
    for i in range(n):
        u = (i + rng.random()) / n
        x = (-1 + math.sqrt(1 + 8 * u)) / 2  # inverse CDF of (1 + 2x) / 2 on [0, 1]
        out.append(x * window)
    rng.shuffle(out)
    return out


async def participant(api, pid, session, row, topics, start_at, rng, t0, mismatches, counters):
    await asyncio.sleep(max(0.0, t0 + start_at - time.monotonic()))
    counters["active"] += 1
    counters["peak"] = max(counters["peak"], counters["active"])
    try:
        read = session.headers()
        write = session.headers(unsafe=True)
        await api.call_retrying("GET /me", "GET", API + "/me", headers=read)
        await api.call_retrying("GET programme", "GET", API + "/programmes/%d" % pid,
                                headers=read)
        got = await api.call_retrying("GET enrolment", "GET",
                                      API + "/programmes/%d/enrolment" % pid, headers=read)
        etag = header(got[1], "etag") if got else None
        await asyncio.sleep(rng.uniform(2, 8))
        body = enrolment_body(row, topics)
        got = await api.call_retrying("PUT enrolment (1st)", "PUT",
                                      API + "/programmes/%d/enrolment" % pid, body,
                                      dict(write, **{"If-Match": etag or "*"}))
        if got is None:
            # A retried PUT whose first try did commit is now stale: the page reloads.
            return
        etag = header(got[1], "etag")
        if rng.random() < 0.5:
            await asyncio.sleep(rng.uniform(1, 4))
            body = enrolment_body(row, topics, variant=1 + rng.randrange(len(topics)))
            got = await api.call_retrying("PUT enrolment (2nd)", "PUT",
                                          API + "/programmes/%d/enrolment" % pid, body,
                                          dict(write, **{"If-Match": etag or "*"}))
        got = await api.call_retrying("GET enrolment (read back)", "GET",
                                      API + "/programmes/%d/enrolment" % pid, headers=read)
        if got is not None:
            saved = json.loads(got[2])
            want = sorted((a["topic"], a["interest"], a["skill"]) for a in body["answers"])
            have = sorted((a["topic"], a["interest"], a["skill"]) for a in saved.get("answers", []))
            if want != have or saved.get("state") != "enrolled":
                mismatches.append(row["email"])
    finally:
        counters["active"] -= 1
        counters["done"] += 1


async def rush(setup, pid, sessions, rows, topics, window, seed, report):
    stats = Stats()
    api = Api(setup.host, setup.port, stats)
    rng = random.Random(seed)
    people = [r for r in rows if r["email"].lower() in sessions]
    offsets = arrival_offsets(len(people), window, rng)
    mismatches = []
    counters = {"active": 0, "peak": 0, "done": 0}
    samples = []
    stop = asyncio.Event()
    sampler = asyncio.ensure_future(sample_load(samples, stop))

    async def progress():
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), 30)
            except asyncio.TimeoutError:
                log("rush: %d of %d participants done, %d active, load %.2f"
                    % (counters["done"], len(people), counters["active"], samples[-1]))

    ticker = asyncio.ensure_future(progress())
    t0 = time.monotonic() + 1
    tasks = [participant(api, pid, sessions[r["email"].lower()], r, topics, off,
                         random.Random(seed * 100003 + i), t0, mismatches, counters)
             for i, (r, off) in enumerate(zip(people, offsets))]
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - t0
    stop.set()
    await sampler
    await ticker
    report["rush_elapsed"] = elapsed
    report["load_samples"] = samples
    report["peak_active"] = counters["peak"]
    report["mismatches"] = mismatches
    return stats


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setup", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--tandem", default=os.path.join(ROOT, "build", "tandem"))
    parser.add_argument("--participants", type=int, default=10000)
    parser.add_argument("--window", type=float, default=600.0,
                        help="seconds over which participants arrive (600 = ten minutes)")
    parser.add_argument("--servers", type=int, default=3, help="postgres setup: servers")
    parser.add_argument("--pg-port", type=int, default=29484)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--redeem-concurrency", type=int, default=16)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "load.txt"))
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    args.tandem = os.path.abspath(args.tandem)

    work = tempfile.mkdtemp(prefix="tandem-load-")
    os.chmod(work, 0o755)  # nginx's workers may run as www-data
    setup = SqliteSetup(args, work) if args.setup == "sqlite" else PostgresSetup(args, work)
    report = {}
    load_before = open("/proc/loadavg").read().split()[:3]
    try:
        cohort = os.path.join(work, "cohort.csv")
        t = time.monotonic()
        run_cli(args.tandem, ["generate", "--people", str(args.participants), "--seed",
                              str(args.seed), "--out", cohort], clean_env())
        rows, topics = read_cohort(cohort)
        setup.start()
        link = setup.seed(cohort, "load-admin@example.test")
        setup.start_servers()
        log("%s: %d people imported (%.0f s)" % (setup.describe, len(rows), time.monotonic() - t))

        admin = admin_session(setup, link)
        deadline_ms = int((time.time() + args.window + 600) * 1000)
        body = {"name": "Deadline rush", "mode": "reverse", "mentee_min_level": 0,
                "term_min_months": 6, "term_max_months": 9, "target_meetings_min": 6,
                "target_meetings_max": 8, "enrolment_deadline": deadline_ms,
                "topics": [{"key": t, "name_de": t, "name_en": t, "weight": 1} for t in topics]}
        _, programme = admin_call(setup, admin, "POST", API + "/programmes", body, (201,))
        pid = programme["id"]
        admin_call(setup, admin, "POST", API + "/programmes/%d/open" % pid)
        t = time.monotonic()
        _, summary = admin_call(setup, admin, "POST", API + "/programmes/%d/invitations" % pid,
                                {"filter": {}})
        log("invited %r in %.1f s; waiting for the mails" % (summary, time.monotonic() - t))
        tokens = read_invitation_tokens(setup.maildir, summary["invited"], timeout=1800)
        report["mail_s"] = time.monotonic() - t
        log("%d invitation links read (%.0f s after inviting)" % (len(tokens), report["mail_s"]))

        prep = Stats()
        t = time.monotonic()
        sessions, failed = asyncio.run(redeem_all(Api(setup.host, setup.port, prep), tokens,
                                                  args.redeem_concurrency))
        report["redeem_s"] = time.monotonic() - t
        log("%d sessions opened by invitation links in %.0f s (%d failed)"
            % (len(sessions), report["redeem_s"], len(failed)))

        time.sleep(5)  # let the load average settle a little after the preparation
        cpu = CpuWatch(setup.roots)
        before_metrics = scrape_metrics(setup.metrics_ports)
        load_start = open("/proc/loadavg").read().split()[:3]
        snap_a = cpu.snapshot()
        stats = asyncio.run(rush(setup, pid, sessions, rows, topics, args.window, args.seed,
                                 report))
        snap_b = cpu.snapshot()
        load_end = open("/proc/loadavg").read().split()[:3]
        after_metrics = scrape_metrics(setup.metrics_ports)
        usage = cpu.between(snap_a, snap_b)

        _, summary = admin_call(setup, admin, "GET", API + "/programmes/%d/summary" % pid)
        enrolled = summary["enrolments"]["enrolled"]

        d = {k: after_metrics[k] - before_metrics[k] for k in after_metrics}
        lines = []
        lines.append("## setup: %s" % args.setup)
        lines.append("# %s" % setup.describe)
        lines.append("# command: /usr/bin/python3 bench/run_load_bench.py --setup %s "
                     "--participants %d --window %g%s  (%s UTC, %d cores, %s)"
                     % (args.setup, args.participants, args.window,
                        " --servers %d" % args.servers if args.setup == "postgres" else "",
                        time.strftime("%Y-%m-%d %H:%M", time.gmtime()), os.cpu_count(),
                        os.path.relpath(args.tandem, ROOT)))
        lines.append("# %d participants arrive over %g s (average %.1f/s, rising to %.1f/s at "
                     "the deadline); %d requests in %.0f s = %.0f req/s average"
                     % (len(sessions), args.window, len(sessions) / args.window,
                        1.5 * len(sessions) / args.window,
                        sum(len(v) for v in stats.lat.values()), report["rush_elapsed"],
                        sum(len(v) for v in stats.lat.values()) / report["rush_elapsed"]))
        lines.append("# sessions made beforehand: %d invitation links (mailed through the SMTP "
                     "sink in %.0f s) redeemed, %d at a time, in %.0f s"
                     % (len(sessions), report["mail_s"], args.redeem_concurrency,
                        report["redeem_s"]))
        lines.append("prep (not the rush):")
        lines += ["  " + r for r in prep.rows(["POST invitations/redeem"])]
        lines.append("rush, latency at the client (connect to last byte):")
        lines += ["  " + r for r in stats.rows(KINDS)]
        samples = report["load_samples"]
        lines.append("result: %d of %d enrolled (programme summary); %d read-backs differed; "
                     "at most %d participants at once"
                     % (enrolled, len(sessions), len(report["mismatches"]),
                        report["peak_active"]))
        if d["requests"]:
            lines.append("server side (/metrics, summed over servers): %d requests, mean %.1f ms "
                         "in the server, of which %.1f ms in database transactions"
                         % (d["requests"], 1000 * d["seconds"] / d["requests"],
                            1000 * d["db_seconds"] / d["requests"]))
        lines.append("machine: load average (1 min) %s before preparing, %s at the rush's start, "
                     "%s at its end; during the rush min %.2f mean %.2f max %.2f"
                     % (load_before[0], load_start[0], load_end[0], min(samples),
                        sum(samples) / len(samples), max(samples)))
        lines.append("CPU during the rush (%.0f s, %d cores = %.0f CPU-s): our processes %.0f "
                     "CPU-s (of which this driver %.0f), everything else on the machine %.0f"
                     % (usage["elapsed"], os.cpu_count(), usage["elapsed"] * os.cpu_count(),
                        usage["ours_s"], usage["driver_s"], usage["others_s"]))
        text = "\n".join(lines)
        print(text)
        write_section(args.out, args.setup, text)
        ok = (enrolled == len(sessions) == args.participants and not report["mismatches"]
              and not any(stats.errors.values()))
        return 0 if ok else 1
    finally:
        setup.stop()
        if args.keep:
            log("work folder kept: " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def write_section(path, setup, text):
    """Replaces the setup's section (from its '## setup: NAME' line to the next '## ' line) in
    the file, in place; appends it when there is none. Other sections stay as they are."""
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    parts = re.split(r"(?m)^(?=## )", old)
    head = parts[0] if parts and not parts[0].startswith("## ") else ""
    sections = [p for p in parts if p.startswith("## ")]
    if not head:
        head = ("# The questionnaire deadline rush (issue 9): bench/run_load_bench.py; "
                "docs/operations.md, \"Deadline rush\".\n\n")
    new = text.rstrip("\n") + "\n\n"
    title = "## setup: %s\n" % setup
    for i, section in enumerate(sections):
        if section.startswith(title):
            sections[i] = new
            break
    else:
        sections.append(new)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "".join(sections).rstrip("\n") + "\n")


if __name__ == "__main__":
    sys.exit(main())
