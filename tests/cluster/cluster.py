"""Several `tandem serve` processes on one PostgreSQL behind Debian's nginx, for tests and
benchmarks (issue 9).

    import sys; sys.path.insert(0, "/work/main/tests/cluster")
    from cluster import Cluster

    with Cluster("/work/main/build/tandem", servers=3, pg_port=29483) as c:
        c.cli("import", "people.csv")            # tandem ... --db <the cluster's database>
        token = c.admin_link("admin@example.test")  # the token of a one-time sign-in link
        c.start_servers()                        # N servers (they migrate under the lock) + nginx
        client = c.client()                      # helpers.Client through nginx
        c.kill(1)                                # SIGKILL server 1 (0-based)
        c.restart(1)                             # start it again on the same port
        c.mail                                   # helpers.MailBox on c.maildir
        rows = c.sql("SELECT count(*) FROM tandems")

What it starts, all on 127.0.0.1 and in one temporary folder (`c.tmp`):
- a throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh with its own state file,
  first free port from `pg_port`); `c.db_url` is its database;
- an SMTP sink (Debian's python3-aiosmtpd, Maildir handler) writing `c.maildir`;
- a master key (`tandem keys generate`), `c.key_file`;
- N `tandem serve` processes on free ports (`c.ports`), identical environment: same database,
  master key, SMTP, TANDEM_TRUST_PROXY=true, TANDEM_PUBLIC_URL = nginx's URL (`c.url`);
  logs in `c.tmp/server-I.log` (appended across restarts);
- nginx (`nginx -p PREFIX -c CONF -e ERRLOG`, daemon off) with an upstream of the N servers,
  `proxy_next_upstream error timeout` (nginx passes only requests not yet sent, or idempotent
  ones, to the next server: a POST to a server that dies while handling it is a 502 for the
  client to retry), X-Forwarded-For/-Proto. `c.nginx_conf` is the generated file. Runs as root
  and as an unprivileged user; with one worker (the default) as a single process
  (`master_process off`), so that it cannot outlive a test killed hard; with more, the
  workers run as nobody when started by root.

`MailIndex(c.maildir)` reads the Maildir once per message on a thread of its own: for thousands
of mails, where helpers.MailBox (`c.mail`) would parse every file on every wait.

Children (servers, nginx, the sink) get SIGKILL when the test process dies (PR_SET_PDEATHSIG);
the PostgreSQL of a test killed hard is stopped by the next Cluster's start (owner.pid).

`stop()` (also on leaving the `with` block, at interpreter exit and on SIGTERM/SIGINT while a
cluster is running) stops nginx, the servers, the SMTP sink and PostgreSQL and deletes the
folder unless `keep=True` or the block ended with an exception (then the folder is kept and
its path printed). Standard library only (run with /usr/bin/python3).
"""

import atexit
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
if os.path.join(ROOT, "tests", "http") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tests", "http"))

import helpers  # noqa: E402  (tests/http/helpers.py: Client, MailBox, parse_session)

PYTHON = "/usr/bin/python3"
PSQL = "/usr/bin/psql"
NGINX = "/usr/sbin/nginx"
PG_SCRIPT = os.path.join(ROOT, "scripts", "postgres-test-cluster.sh")

_live = set()  # running clusters, stopped at exit or on a signal


class ClusterError(Exception):
    """Something of the cluster did not start or stop."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


try:
    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)  # loaded here, never after a fork
except OSError:
    _LIBC = None


def _die_with_parent():
    """preexec_fn: the child gets SIGKILL when the thread that started it ends, so a test that
    is killed hard leaves no server behind. Children are therefore started by one long-lived
    thread of the cluster (Cluster._popen), whichever thread asks."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _wait_listening(port, proc, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ClusterError("%s exited with status %s before listening on %d"
                               % (what, proc.returncode, port))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise ClusterError("%s does not listen on port %d after %d s" % (what, port, timeout))


def _healthz(port, timeout=2):
    """The status of GET /healthz on 127.0.0.1:port, or None when nothing answers."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()


class Cluster:
    def __init__(self, tandem, servers=3, pg_port=29483, keep=False, env=None, threads=None,
                 nginx_workers=1, quiet=True):
        """`tandem`: the binary; `servers`: how many `tandem serve`; `pg_port`: the first port
        tried for PostgreSQL; `env`: extra environment of every server (e.g.
        {"TANDEM_RUN_POLL_MS": "200"}); `threads`: TANDEM_THREADS of each server."""
        self.tandem = os.path.abspath(tandem)
        self.count = servers
        self.pg_port = pg_port
        self.keep = keep
        self.extra_env = dict(env or {})
        if threads is not None:
            self.extra_env["TANDEM_THREADS"] = str(threads)
        self.nginx_workers = nginx_workers
        self.quiet = quiet
        self.tmp = None
        self.db_url = None
        self.pg_state = {}
        self.maildir = None
        self.mail = None
        self.key_file = None
        self.ports = []
        self.procs = []
        self.logs = []
        self.nginx_port = None
        self.nginx_conf = None
        self.url = None
        self._smtp = None
        self._smtp_port = None
        self._nginx = None
        self._pg_env_file = None
        self._lock = threading.Lock()
        self._spawner = None  # the thread that starts every child (see _die_with_parent)
        self._stopped = False
        self._failed = False

    # -----------------------------------------------------------------------------------------
    # Start

    def __enter__(self):
        self.start(servers=False)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self._failed = True
        self.stop()
        return False

    def start(self, servers=True):
        """PostgreSQL, the SMTP sink, the master key; then (servers=True) the servers and nginx.
        With servers=False, seed with cli() first and call start_servers()."""
        _install_signal_handlers()
        _live.add(self)
        _clean_abandoned()
        self.tmp = tempfile.mkdtemp(prefix="tandem-cluster-")
        os.chmod(self.tmp, 0o755)  # nginx's workers (nobody when run as root) enter it
        with open(os.path.join(self.tmp, "owner.pid"), "w") as f:
            f.write("%d\n" % os.getpid())
        self.nginx_port = free_port()
        self.url = "http://127.0.0.1:%d" % self.nginx_port
        self._start_postgres()
        self._start_smtp()
        self.key_file = os.path.join(self.tmp, "master.key")
        self.cli("keys", "generate", "--out", self.key_file, db=False)
        if servers:
            self.start_servers()
        return self

    def _start_postgres(self):
        self._pg_env_file = os.path.join(self.tmp, "pg.env")
        env = dict(os.environ, TANDEM_PG_ENV=self._pg_env_file, TANDEM_PG_PORT=str(self.pg_port))
        out = subprocess.run([PG_SCRIPT, "start"], env=env, capture_output=True, text=True,
                             timeout=180)
        if out.returncode != 0:
            raise ClusterError("postgres-test-cluster.sh start: " + out.stderr.strip()[-800:])
        self.db_url = out.stdout.strip().splitlines()[-1]
        with open(self._pg_env_file) as f:
            import shlex
            for line in f:
                key, _, value = line.strip().partition("=")
                self.pg_state[key] = shlex.split(value)[0] if value else ""

    def _start_smtp(self):
        self.maildir = os.path.join(self.tmp, "mail")
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(self.maildir, sub))
        self._smtp_port = free_port()
        log = open(os.path.join(self.tmp, "smtp.log"), "wb")
        self._smtp = self._popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self._smtp_port,
             "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        _wait_listening(self._smtp_port, self._smtp, "aiosmtpd", 30)
        self.mail = helpers.MailBox(self.maildir)

    def _popen(self, args, **kw):
        """subprocess.Popen on the cluster's spawner thread, with _die_with_parent."""
        if self._stopped:
            raise ClusterError("the cluster is stopped: not starting %s" % args[0])
        if self._spawner is None:
            self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cluster-spawn")
        return self._spawner.submit(subprocess.Popen, args, preexec_fn=_die_with_parent,
                                    **kw).result()

    def server_env(self):
        """The environment every server gets (identical on all of them)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
        env.update({
            "TANDEM_DB": self.db_url,
            "TANDEM_PUBLIC_URL": self.url,
            "TANDEM_TRUST_PROXY": "true",
            "TANDEM_MASTER_KEY_FILE": self.key_file,
            "TANDEM_SMTP_URL": "smtp://127.0.0.1:%d" % self._smtp_port,
            "TANDEM_MAILED_LINKS_PER_HOUR": "1000",
        })
        env.update(self.extra_env)
        return env

    def start_servers(self, wait=True):
        """Starts the N servers at once (they race for the migration lock) and nginx."""
        if not self.ports:
            self.ports = [free_port() for _ in range(self.count)]
            self.procs = [None] * self.count
            self.logs = [os.path.join(self.tmp, "server-%d.log" % i) for i in range(self.count)]
        for i in range(self.count):
            self._spawn(i)
        if wait:
            for i in range(self.count):
                self.wait_ready(i)
        self._start_nginx()
        return self

    def _spawn(self, i):
        log = open(self.logs[i], "ab")
        log.write(b"--- start %.3f ---\n" % time.time())
        log.flush()
        self.procs[i] = self._popen(
            [self.tandem, "serve", "--listen", "127.0.0.1:%d" % self.ports[i]],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=self.server_env())
        log.close()

    def wait_ready(self, i, timeout=60):
        """Waits until server i answers /healthz with 200; restarts it (once per call) when
        its port was still taken by the killed process's sockets."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs[i]
            if proc.poll() is not None:
                tail = self.log_tail(i)
                this_start = tail.rsplit("--- start ", 1)[-1].lower()
                if "in use" in this_start or "bind" in this_start:
                    time.sleep(0.5)
                    self._spawn(i)
                    continue
                raise ClusterError("server %d exited with status %s at start:\n%s"
                                   % (i, proc.returncode, tail))
            if _healthz(self.ports[i]) == 200:
                return
            time.sleep(0.1)
        raise ClusterError("server %d: /healthz not 200 within %d s\n%s"
                           % (i, timeout, self.log_tail(i)))

    def _start_nginx(self):
        prefix = os.path.join(self.tmp, "nginx")
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        os.chmod(prefix, 0o755)
        self.nginx_conf = os.path.join(prefix, "nginx.conf")
        with open(self.nginx_conf, "w") as f:
            f.write(self.nginx_config(prefix))
        errlog = os.path.join(prefix, "logs", "error.log")
        with open(os.path.join(prefix, "logs", "stderr.log"), "wb") as err:
            self._nginx = self._popen(
                [NGINX, "-p", prefix, "-c", self.nginx_conf, "-e", errlog],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _wait_listening(self.nginx_port, self._nginx, "nginx", 30)

    def nginx_config(self, prefix):
        """The generated nginx.conf (docs/operations.md "Several servers" shows the same)."""
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        # One worker: nginx runs as a single process, so that it ends with a test that is killed
        # hard (an orphaned worker would keep listening). Production keeps the master process.
        if self.nginx_workers == 1:
            user += "master_process off;\n"
        upstream = "".join("    server 127.0.0.1:%d max_fails=1 fail_timeout=2s;\n" % p
                           for p in self.ports)
        temp = "".join("  %s_temp_path %s/tmp/%s;\n" % (kind, prefix, kind)
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        return """# generated by tests/cluster/cluster.py
%sworker_processes %d;
daemon off;
pid %s/nginx.pid;
error_log %s/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
%s  upstream tandem {
%s  }
  server {
    listen 127.0.0.1:%d;
    client_max_body_size 64m;
    location / {
      proxy_pass http://tandem;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      proxy_send_timeout 120s;
    }
  }
}
""" % (user, self.nginx_workers, prefix, prefix, temp, upstream, self.nginx_port)

    # -----------------------------------------------------------------------------------------
    # Faults

    def kill(self, i, sig=signal.SIGKILL):
        """Sends `sig` (default SIGKILL) to server i and waits for it to end."""
        with self._lock:
            proc = self.procs[i]
            if proc is None or proc.poll() is not None:
                return
            proc.send_signal(sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def restart(self, i, timeout=60):
        """Starts server i again on its port and waits for /healthz 200 (it was killed first,
        else it is killed now)."""
        self.kill(i)
        with self._lock:
            self._spawn(i)
        self.wait_ready(i, timeout)

    def alive(self, i):
        return self.procs[i] is not None and self.procs[i].poll() is None

    # -----------------------------------------------------------------------------------------
    # Use

    def client(self, port=None, recorder=None):
        """helpers.Client through nginx (or straight to `port`)."""
        return helpers.Client(port or self.nginx_port, recorder or helpers.HeaderRecorder())

    def cli(self, *args, db=True, timeout=300, input=None):
        """Runs `tandem ARGS [--db URL]` with the servers' environment; returns stdout."""
        cmd = [self.tandem] + list(args) + (["--db", self.db_url] if db else [])
        env = self.server_env() if self.db_url else dict(os.environ)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                             input=input)
        if out.returncode != 0:
            raise ClusterError("`tandem %s` exited %d: %s" % (
                " ".join(args), out.returncode, (out.stderr or out.stdout).strip()[-800:]))
        return out.stdout

    def admin_link(self, email):
        """`tandem admin create EMAIL`: the system administrator's one-time sign-in token."""
        out = self.cli("admin", "create", email)
        return out.strip().rsplit("#link=", 1)[1].split()[0]

    def sql(self, query, timeout=120):
        """Runs one SQL statement with psql; rows as lists of strings (tab-separated)."""
        out = subprocess.run([PSQL, self.db_url, "-X", "-q", "-A", "-t", "-F", "\t",
                              "-v", "ON_ERROR_STOP=1", "-c", query],
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise ClusterError("psql: %s\n%s" % (out.stderr.strip(), query))
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def log_tail(self, i, lines=30):
        try:
            with open(self.logs[i], encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except (OSError, IndexError):
            return ""

    def nginx_errors(self):
        try:
            with open(os.path.join(self.tmp, "nginx", "logs", "error.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # -----------------------------------------------------------------------------------------
    # Stop

    def stop(self, keep=None):
        """Stops everything (nginx, servers with SIGTERM, the sink, PostgreSQL); idempotent.
        Deletes the folder unless kept (keep=True, the constructor's keep, or a failure)."""
        if self._stopped:
            return
        self._stopped = True
        _live.discard(self)
        errors = []
        if self._nginx is not None and self._nginx.poll() is None:
            self._nginx.send_signal(signal.SIGQUIT)
            _reap(self._nginx, 10)
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for i, proc in enumerate(self.procs):
            if proc is not None and not _reap(proc, 15):
                errors.append("server %d did not stop within 15 s of SIGTERM" % i)
        if self._smtp is not None and self._smtp.poll() is None:
            self._smtp.terminate()
            _reap(self._smtp, 10)
        if self._spawner is not None:
            self._spawner.shutdown(wait=True)  # every child has ended: the thread may go
        if self._pg_env_file and os.path.exists(self._pg_env_file):
            env = dict(os.environ, TANDEM_PG_ENV=self._pg_env_file)
            out = subprocess.run([PG_SCRIPT, "stop"], env=env, capture_output=True, text=True,
                                 timeout=120)
            if out.returncode != 0:
                errors.append("postgres-test-cluster.sh stop: " + out.stderr.strip())
        keep = self.keep if keep is None else keep
        if self.tmp:
            if keep or self._failed:
                print("cluster files kept in %s" % self.tmp, file=sys.stderr)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        if errors:
            print("cluster stop: " + "; ".join(errors), file=sys.stderr)
        return errors

    def mark_failed(self):
        """Keep the folder (logs, Maildir) when stopping."""
        self._failed = True


class MailIndex:
    """The Maildir of the SMTP sink, read once per message by one background thread: for many
    mails (thousands of invitations) where helpers.MailBox would parse every file per wait.
    Thread-safe. Each message: {"key", "to", "subject", "message_id", "text"}."""

    def __init__(self, maildir, poll=0.1):
        self.maildir = maildir
        self.poll = poll
        self.messages = []
        self._seen = set()
        self._taken = set()  # indexes of messages handed out by wait_token
        self._by_to = {}
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        while not self._stop.is_set():
            self.scan()
            self._stop.wait(self.poll)

    def scan(self):
        import email
        import email.policy
        found = []
        for sub in ("new", "cur"):
            folder = os.path.join(self.maildir, sub)
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                key = name.split(":")[0]
                if name.startswith(".") or key in self._seen:
                    continue
                try:
                    with open(os.path.join(folder, name), "rb") as f:
                        raw = f.read()
                except OSError:
                    continue
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                found.append({"key": key, "to": str(msg.get("To", "")).strip().lower(),
                              "subject": str(msg.get("Subject", "")),
                              "message_id": str(msg.get("Message-ID", "")).strip(),
                              "text": helpers.MailBox.text_of(msg)})
        if not found:
            return
        with self._cond:
            for m in found:
                if m["key"] in self._seen:
                    continue
                self._seen.add(m["key"])
                self.messages.append(m)
                self._by_to.setdefault(_address(m["to"]), []).append(len(self.messages) - 1)
            self._cond.notify_all()

    def wait_token(self, to_address, key, timeout=120):
        """The token of the first not yet taken mail to `to_address` with a `#KEY=TOKEN` link."""
        import re
        pattern = re.compile(r"#%s=([A-Za-z0-9_\-]+)" % re.escape(key))
        address = to_address.lower()
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index in self._by_to.get(address, []):
                    if index in self._taken:
                        continue
                    m = pattern.search(self.messages[index]["text"])
                    if m:
                        self._taken.add(index)
                        return m.group(1)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise helpers.Fail("no mail to %s with a '#%s=' link within %d s"
                                       % (to_address, key, timeout))
                self._cond.wait(min(left, 1.0))

    def count(self):
        with self._cond:
            return len(self.messages)

    def snapshot(self):
        self.scan()
        with self._cond:
            return list(self.messages)

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)


def _address(to):
    """'Name <a@b>' or 'a@b' -> 'a@b' (lower case)."""
    to = to.strip().lower()
    if "<" in to and ">" in to:
        return to[to.rindex("<") + 1:to.rindex(">")]
    return to


def _reap(proc, timeout):
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def _clean_abandoned():
    """Stops the PostgreSQL of clusters whose program was killed hard (its owner.pid is dead
    and its pg.env still there) and deletes their folders. Its other children died with it."""
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        folder = os.path.join(base, name)
        owner = os.path.join(folder, "owner.pid")
        if not name.startswith("tandem-cluster-") or not os.path.exists(owner):
            continue
        try:
            with open(owner) as f:
                pid = int(f.read().strip())
            if pid == os.getpid():
                continue
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge (another user's, or unreadable)
        env_file = os.path.join(folder, "pg.env")
        if os.path.exists(env_file):
            subprocess.run([PG_SCRIPT, "stop"], env=dict(os.environ, TANDEM_PG_ENV=env_file),
                           capture_output=True, timeout=120)
            shutil.rmtree(folder, ignore_errors=True)


def _stop_all():
    for c in list(_live):
        try:
            c.stop()
        except Exception as e:  # noqa: BLE001 - best effort at exit
            print("cluster clean-up: %s" % e, file=sys.stderr)


_handlers_installed = False


def _install_signal_handlers():
    """SIGTERM/SIGINT (ctest's timeout, Ctrl-C) end the program through SystemExit, so the
    `with` blocks and atexit stop every process."""
    global _handlers_installed
    if _handlers_installed or threading.current_thread() is not threading.main_thread():
        return
    _handlers_installed = True
    atexit.register(_stop_all)

    def handler(signum, frame):
        signal.signal(signum, signal.SIG_DFL)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(sig, handler)


def db_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


if __name__ == "__main__":
    # Smoke check: python3 tests/cluster/cluster.py build/tandem
    with Cluster(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "tandem")) as c:
        c.start_servers()
        t0 = time.monotonic()
        client = c.client()
        statuses = [client.request("GET", "/healthz").status for _ in range(6)]
        c.kill(1)
        statuses += [client.request("GET", "/healthz").status for _ in range(6)]
        c.restart(1)
        statuses += [client.request("GET", "/healthz").status for _ in range(6)]
        print("nginx %s, servers %s, healthz %s, restart %.1f s"
              % (c.url, c.ports, statuses, time.monotonic() - t0))
        assert all(s == 200 for s in statuses), statuses
