#!/usr/bin/python3
"""End-to-end tests of `tandem serve` over HTTP, against SQLite or PostgreSQL.

  run_http_tests.py --tandem PATH_TO_TANDEM --backend sqlite|postgresql [--keep]

Prepares a database (SQLite: a temporary file; PostgreSQL: a fresh database created with psql
on $TANDEM_TEST_POSTGRES_URL's server and dropped afterwards), seeds it with the CLI (`tandem
import`, `tandem programme create`, `tandem admin create`), starts an SMTP server on loopback
(Debian's python3-aiosmtpd, its Maildir handler), starts `tandem serve` on a free loopback port
and runs the tests of flows.py and matrix.py against it, one line "ok NAME" or "FAIL NAME: ..."
each. Stops the server with SIGTERM at the end (it must exit 0 within 10 s).

Exit status: 0 all passed, 1 a test failed (or the set-up did), 2 bad usage, 77 the backend
is unavailable (postgresql without TANDEM_TEST_POSTGRES_URL). Standard library only.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)

import data_export  # noqa: E402
import flows  # noqa: E402
import lifecycle200  # noqa: E402
import reports  # noqa: E402
import workspace  # noqa: E402
import helpers  # noqa: E402
import matrix  # noqa: E402
import openapi_check  # noqa: E402
from helpers import API, Actor, Fail, check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"
PSQL = "/usr/bin/psql"
SKIP = 77
IDLE_SECONDS = 3

# The people the tests work with: (label, HR id, name, e-mail, level, manager, programme).
# Programme "P1"/"P2": enrolled there (tandem import --programme). Every one gets an account
# through an invitation, with the password PASSWORDS[label] (default: derived from the label).
PEOPLE = [
    ("A1", "E-A1", "Ada Admin", "a1@example.test", 6, "", ""),
    ("A2", "E-A2", "Abe Admin", "a2@example.test", 6, "", ""),
    ("U1", "E-U1", "Una Üppig", "u1@example.test", 1, "E-A1", "P1"),
    ("U2", "E-U2", "Udo Two", "u2@example.test", 1, "", "P1"),
    ("V1", "E-V1", "Vic Victim", "v1@example.test", 2, "", "P1"),
    ("U3", "E-U3", "Uma Three", "u3@example.test", 2, "", "P2"),
    ("K", "E-K", "Kai Key", "k@example.test", 3, "", ""),         # matrix sign-ins, links
    ("N", "E-N", "Nia New", "n@example.test", 3, "", ""),         # matrix invitations
    ("R", "E-R", "Rex Reset", "r@example.test", 3, "", ""),       # matrix password resets
    ("X", "E-X", "Xan Extra", "x@example.test", 3, "", ""),       # appointed in the matrix
    ("F1", "E-F1", "Fay Flow", "f1@example.test", 2, "", ""),     # password sign-in, sign-out
    ("T", "E-T", "Tim Throttle", "t@example.test", 2, "", ""),    # throttling
    ("L", "E-L", "Lea Link", "l@example.test", 2, "", ""),        # sign-in link
    ("RR", "E-RR", "Rita Reset", "rr@example.test", 2, "", ""),   # password reset
    ("E", "E-E", "Eve Everywhere", "e@example.test", 2, "", ""),  # sign out everywhere
    ("I", "E-I", "Ida Idle", "i@example.test", 2, "", ""),        # idle expiry
    ("C", "E-C", "Cem Csrf", "c@example.test", 2, "", ""),       # CSRF, If-Match, bad JSON
    ("W1", "E-W1", "Wim Workspace", "w1@example.test", 3, "", ""),  # workspace partners
    ("W2", "E-W2", "Wanda Workspace", "w2@example.test", 1, "", ""),
    ("Q1", "E-Q1", "Quirin Questions", "q1@example.test", 3, "", ""),  # survey partners of U1
    ("Q2", "E-Q2", "Quentin Questions", "q2@example.test", 3, "", ""),  # and of U2 (matrix)
]
PASSWORDS = {"U1": "Fährrad-Schlüssel 42 ✓"}  # any Unicode is allowed
ADMIN_EMAIL = "admin@example.test"
ADMIN_PASSWORD = "system admin password 1"


def password_for(label):
    return PASSWORDS.get(label, "correct horse battery %s" % label.lower())


class Context:
    """What the tests share: the client, the mailbox, the actors, the seeded ids."""

    def __init__(self):
        self.client = None
        self.mail = None
        self.actors = {}
        self.admin = None
        self.programmes = {}
        self.tandem = None
        self.db_url = None
        self.port = None
        self.tmp = None
        self.server = None
        self.server_log = None
        self.root = ROOT

    def actor(self, label):
        return self.actors[label]

    def server_tail(self, lines=40):
        try:
            with open(self.server_log, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except (OSError, TypeError):
            return ""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Fail("%s exited with status %s before listening" % (what, proc.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise Fail("%s does not listen on port %d after %d s" % (what, port, timeout))


def run_cli(ctx, args, env):
    cmd = [ctx.tandem] + args + ["--db", ctx.db_url]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    shown = " ".join(args)
    if out.returncode != 0:
        raise Fail("`tandem %s` exited %d: %s" % (shown, out.returncode,
                                                 (out.stderr or out.stdout).strip()))
    return out.stdout


def write_csv(path, rows):
    header = ("id,name,email,department,location,manager_id,level,languages,mentor_capacity,"
              "mentee_capacity,interest:ai,skill:ai,interest:cloud,skill:cloud")
    lines = [header]
    for label, ext, name, mail, level, manager, _ in rows:
        mentor = 1 if level <= 2 else 0
        mentee = 0 if level <= 2 else 1
        lines.append("%s,%s,%s,Dept %s,Berlin,%s,%d,de;en,%d,%d,2,3,1,2"
                     % (ext, name, mail, label, manager, level, mentor, mentee))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# Databases


def prepare_database(ctx, backend):
    if backend == "sqlite":
        ctx.db_url = "sqlite:" + os.path.join(ctx.tmp, "tandem.db")
        return None
    base = os.environ.get("TANDEM_TEST_POSTGRES_URL", "").strip()
    if not base:
        print("skipped: TANDEM_TEST_POSTGRES_URL is not set (start a cluster with "
              "scripts/postgres-test-cluster.sh start)")
        sys.exit(SKIP)
    if not os.path.exists(PSQL):
        print("skipped: %s is missing (apt-get install postgresql-client)" % PSQL)
        sys.exit(SKIP)
    name = "tandem_http_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])
    out = subprocess.run([PSQL, base, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                          "CREATE DATABASE %s" % name], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise Fail("CREATE DATABASE %s failed: %s" % (name, out.stderr.strip()))
    parts = urllib.parse.urlsplit(base)
    ctx.db_url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    return (base, name)


def drop_database(created):
    if not created:
        return
    base, name = created
    out = subprocess.run([PSQL, base, "-X", "-q", "-c",
                          "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        print("warning: could not drop database %s: %s" % (name, out.stderr.strip()))


# ---------------------------------------------------------------------------------------------
# Set-up


def seed(ctx, env):
    people = os.path.join(ctx.tmp, "people.csv")
    write_csv(people, PEOPLE)
    run_cli(ctx, ["import", people], env)
    for key, title in (("P1", "Digital 2027"), ("P2", "Data 2028")):
        out = run_cli(ctx, ["programme", "create", title], env)
        m = re.search(r"(\d+)\s*$", out.strip())
        check(m is not None, "`tandem programme create` printed no id: %r" % out)
        ctx.programmes[key] = int(m.group(1))
    for key in ("P1", "P2"):
        path = os.path.join(ctx.tmp, key.lower() + ".csv")
        write_csv(path, [p for p in PEOPLE if p[6] == key])
        run_cli(ctx, ["import", path, "--programme", str(ctx.programmes[key])], env)
    out = run_cli(ctx, ["admin", "create", ADMIN_EMAIL], env)
    m = re.search(r"https?://\S*/sign-in#link=([A-Za-z0-9_\-]+)", out)
    check(m is not None, "`tandem admin create` printed no sign-in link: %r" % out)
    return m.group(1)


def start_smtp(ctx):
    maildir = os.path.join(ctx.tmp, "mail")
    os.makedirs(maildir)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub))
    port = free_port()
    log = open(os.path.join(ctx.tmp, "smtp.log"), "wb")
    proc = subprocess.Popen([PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
                             "-c", "aiosmtpd.handlers.Mailbox", maildir],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    wait_port(port, proc, "aiosmtpd")
    ctx.mail = helpers.MailBox(maildir)
    return proc, port


def server_env(ctx, smtp_port):
    env = dict(os.environ)
    env.update({
        "TANDEM_PUBLIC_URL": "http://127.0.0.1:%d" % ctx.port,
        "TANDEM_SESSION_IDLE_SECONDS": str(IDLE_SECONDS),
        # The harness signs its accounts in again by mailed link every few seconds.
        "TANDEM_MAILED_LINKS_PER_HOUR": "10000",
        "TANDEM_SMTP_URL": "smtp://127.0.0.1:%d" % smtp_port,
    })
    for name in list(env):  # nothing from the caller's environment may redirect the server
        if name.startswith("TANDEM_SMTP_") and name != "TANDEM_SMTP_URL":
            del env[name]
    for name in ("TANDEM_DB", "TANDEM_LISTEN", "TANDEM_MASTER_KEY", "TANDEM_MASTER_KEY_FILE"):
        env.pop(name, None)
    # The master key of the tandems' workspaces, made the way an operator makes it.
    key_file = os.path.join(ctx.tmp, "master.key")
    out = subprocess.run([ctx.tandem, "keys", "generate", "--out", key_file],
                         capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise Fail("`tandem keys generate` exited %d: %s" % (out.returncode, out.stderr.strip()))
    env["TANDEM_MASTER_KEY_FILE"] = key_file
    return env


def start_server(ctx, env):
    ctx.server_log = os.path.join(ctx.tmp, "server.log")
    log = open(ctx.server_log, "wb")
    ctx.server = subprocess.Popen(
        [ctx.tandem, "serve", "--listen", "127.0.0.1:%d" % ctx.port, "--db", ctx.db_url],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    last = "no answer"
    while time.monotonic() < deadline:
        if ctx.server.poll() is not None:
            raise Fail("`tandem serve` exited with status %d at start:\n%s"
                       % (ctx.server.returncode, ctx.server_tail()))
        try:
            resp = ctx.client.request("GET", "/healthz")
            if resp.status == 200:
                return
            last = resp.describe()
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    raise Fail("/healthz did not answer 200 within 60 s (last: %s)\n%s" % (last, ctx.server_tail()))


def stop_server(ctx):
    """SIGTERM; the server must exit 0 within 10 s. Returns an error message or None."""
    if ctx.server is None or ctx.server.poll() is not None:
        code = None if ctx.server is None else ctx.server.returncode
        return None if ctx.server is None else "the server had already exited (status %s)" % code
    ctx.server.send_signal(signal.SIGTERM)
    try:
        code = ctx.server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        ctx.server.kill()
        ctx.server.wait()
        return "the server did not exit within 10 s of SIGTERM"
    if code != 0:
        return "the server exited with status %d after SIGTERM" % code
    return None


def open_accounts(ctx, admin_token):
    """The system administrator by the admin link; everyone else by invitation."""
    c = ctx.client
    resp = c.request("POST", API + "/sign-in-links/redeem", json_body={"token": admin_token})
    admin_session = helpers.parse_session(resp)
    admin = Actor(ctx, "S", ADMIN_EMAIL, None)
    admin.account_id = admin_session.account.get("id")
    admin.set_session(admin_session)
    ctx.admin = admin
    ctx.actors["S"] = admin
    # The administrator has no password yet: setting one lets the tests sign in again later.
    resp = c.request("PUT", API + "/me/password", session=admin_session,
                     json_body={"current_password": "", "new_password": ADMIN_PASSWORD})
    check(resp.status == 204, "the system administrator cannot set a first password: "
          + resp.describe())
    admin.password = ADMIN_PASSWORD

    by_external = {}
    after = None
    while True:
        path = API + "/people?limit=500" + ("&after=%d" % after if after else "")
        resp = c.request("GET", path, session=admin.session())
        check(resp.status == 200 and isinstance(resp.json(), dict),
              "the system administrator cannot list people: " + resp.describe())
        for person in resp.json().get("items", []):
            by_external[person.get("external_id")] = person.get("id")
        after = resp.json().get("next_after")
        if not after:
            break
    for label, ext, _, mail, _, _, _ in PEOPLE:
        check(ext in by_external, "person %s (seeded by tandem import) is not listed" % ext)
        actor = Actor(ctx, label, mail, password_for(label), ext)
        actor.person_id = by_external[ext]
        ctx.actors[label] = actor
    for label, *_ in PEOPLE:
        actor = ctx.actors[label]
        resp = c.request("POST", API + "/people/%d/invitation" % actor.person_id,
                         session=admin.session())
        check(resp.status == 202, "inviting %s: %s" % (label, resp.describe()))
    for label, *_ in PEOPLE:
        actor = ctx.actors[label]
        token = ctx.mail.wait_token(actor.email, "invitation")
        resp = c.request("POST", API + "/invitations/redeem",
                         json_body={"token": token, "password": actor.password})
        session = helpers.parse_session(resp)
        actor.account_id = session.account.get("id")
        check(isinstance(actor.account_id, int), "invitation of %s: no account id: %s"
              % (label, resp.describe()))
        actor.set_session(session)
    for programme, label in (("P1", "A1"), ("P2", "A2")):
        resp = c.request("PUT", API + "/programmes/%d/admins/%d"
                         % (ctx.programmes[programme], ctx.actors[label].account_id),
                         session=admin.session())
        check(resp.status == 204, "appointing %s: %s" % (label, resp.describe()))


# ---------------------------------------------------------------------------------------------


def run_tests(ctx, tests):
    passed, failed = [], []
    for name, fn in tests:
        if ctx.server.poll() is not None:
            failed.append(name)
            print("FAIL %s: the server is no longer running (status %s)"
                  % (name, ctx.server.returncode))
            continue
        started = time.monotonic()
        try:
            fn(ctx)
        except Fail as e:
            failed.append(name)
            print("FAIL %s: %s" % (name, e))
        except Exception as e:  # a crash of the test, or the server hung up: still a failure
            failed.append(name)
            print("FAIL %s: %s: %s\n%s" % (name, type(e).__name__, e,
                                          "".join(traceback.format_exc(limit=4))))
        else:
            passed.append(name)
            print("ok %s (%.1f s)" % (name, time.monotonic() - started))
        sys.stdout.flush()
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tandem", required=True, help="the tandem binary")
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--only", help="run only the tests whose name contains this text")
    args = parser.parse_args()

    ctx = Context()
    ctx.tandem = os.path.abspath(args.tandem)
    if not os.access(ctx.tandem, os.X_OK):
        print("error: %s is not an executable" % ctx.tandem)
        return 2
    probe = subprocess.run([ctx.tandem, "serve", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("FAIL: `tandem serve --help` exited %d: %s"
              % (probe.returncode, (probe.stderr or probe.stdout).strip()[:500]))
        return 1

    if args.backend == "postgresql" and not os.environ.get("TANDEM_TEST_POSTGRES_URL", "").strip():
        print("skipped: TANDEM_TEST_POSTGRES_URL is not set (start a cluster with "
              "scripts/postgres-test-cluster.sh start)")
        return SKIP

    ctx.tmp = tempfile.mkdtemp(prefix="tandem-http-")
    ctx.port = free_port()
    ctx.client = helpers.Client(ctx.port, helpers.HeaderRecorder())
    ctx.client.recorder.openapi = openapi_check.OpenApiChecker(
        os.path.join(ROOT, "docs", "api", "openapi.json"))
    created = None
    smtp = None
    status = 1
    try:
        created = prepare_database(ctx, args.backend)
        smtp, smtp_port = start_smtp(ctx)
        env = server_env(ctx, smtp_port)
        admin_token = seed(ctx, env)
        start_server(ctx, env)
        open_accounts(ctx, admin_token)
        print("set-up done: %s, server on 127.0.0.1:%d" % (args.backend, ctx.port))

        tests = (flows.TESTS + workspace.TESTS + reports.TESTS + data_export.TESTS
                 + matrix.TESTS + lifecycle200.TESTS) + [
            ("security headers on every response", flows.test_security_headers_everywhere),
            ("no 5xx answer during the whole run", flows.test_no_server_errors),
            ("every answer matches docs/api/openapi.json (status, type, schema)",
             flows.test_answers_match_openapi)]
        if args.only:
            tests = [t for t in tests if args.only in t[0]]
        passed, failed = run_tests(ctx, tests)
        stop_error = stop_server(ctx)
        if stop_error:
            failed.append("graceful shutdown")
            print("FAIL graceful shutdown: %s" % stop_error)
        else:
            passed.append("graceful shutdown")
            print("ok graceful shutdown (SIGTERM, exit 0 within 10 s)")
        if failed:
            tail = ctx.server_tail()
            if tail:
                print("--- last lines of the server's log ---\n" + tail.rstrip())
        print("%d passed, %d failed" % (len(passed), len(failed)))
        status = 1 if failed else 0
    except Fail as e:
        print("FAIL set-up: %s" % e)
        tail = ctx.server_tail()
        if tail:
            print("--- last lines of the server's log ---\n" + tail.rstrip())
        status = 1
    finally:
        if ctx.server is not None and ctx.server.poll() is None:
            ctx.server.kill()
            ctx.server.wait()
        if smtp is not None:
            smtp.terminate()
            try:
                smtp.wait(timeout=10)
            except subprocess.TimeoutExpired:
                smtp.kill()
                smtp.wait()
        drop_database(created)
        if args.keep or status != 0:
            print("files kept in %s" % ctx.tmp)
        else:
            shutil.rmtree(ctx.tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
