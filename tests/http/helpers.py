"""Shared pieces of the end-to-end tests of `tandem serve`: an HTTP client that checks the
security headers of every response, sessions, the SMTP mailbox, and small assertions.

Standard library only (run with /usr/bin/python3).
"""

import email
import email.policy
import http.client
import json
import os
import re
import select
import socket
import time

API = "/api/v1"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Fail(Exception):
    """A check failed; the message says what was expected and what came."""


def check(condition, message):
    if not condition:
        raise Fail(message)


# ---------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers  # list of (name, value) in order
        self.body = body
        self._json = None
        self._json_done = False

    def header(self, name):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def header_all(self, name):
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    @property
    def content_type(self):
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def excerpt(self, limit=300):
        text = self.body.decode("utf-8", errors="replace").replace("\n", " ")
        return text if len(text) <= limit else text[:limit] + "..."

    def describe(self):
        return "%s %s -> %d %s %s" % (self.method, self.path, self.status,
                                      self.content_type or "(no content type)", self.excerpt())


class Session:
    """A browser session: the cookie the server set and the CSRF token it returned."""

    def __init__(self, cookie_name, cookie_value, csrf_token, set_cookie, body, opened_at):
        self.cookie_name = cookie_name
        self.cookie_value = cookie_value
        self.csrf = csrf_token
        self.set_cookie = set_cookie  # the raw Set-Cookie header
        self.body = body
        self.opened_at = opened_at

    @property
    def cookie(self):
        return "%s=%s" % (self.cookie_name, self.cookie_value)

    @property
    def account(self):
        return (self.body or {}).get("account") or {}


def parse_session(resp):
    """The session a 201 sign-in response opened (its Set-Cookie and csrf_token)."""
    check(resp.status == 201, "sign-in expected 201, got: " + resp.describe())
    body = resp.json()
    check(isinstance(body, dict) and isinstance(body.get("csrf_token"), str) and body["csrf_token"],
          "sign-in response lacks csrf_token: " + resp.describe())
    for raw in resp.header_all("Set-Cookie"):
        first = raw.split(";")[0]
        name, _, value = first.partition("=")
        name = name.strip()
        if name in ("tandem_session", "__Host-tandem_session") and value.strip():
            return Session(name, value.strip(), body["csrf_token"], raw, body, time.monotonic())
    raise Fail("sign-in response sets no tandem_session cookie: %s; Set-Cookie: %r"
               % (resp.describe(), resp.header_all("Set-Cookie")))


class HeaderRecorder:
    """Checks the security headers of every response the tests receive."""

    def __init__(self):
        self.count = 0
        self.violations = []
        self.server_errors = []  # every 5xx answer of the run
        self.openapi = None  # an openapi_check.OpenApiChecker, once set

    def record(self, resp):
        self.count += 1
        if self.openapi is not None:
            self.openapi.record(resp)
        if resp.status >= 500:
            self.server_errors.append(resp.describe())
        problems = []
        csp = resp.header("Content-Security-Policy")
        if not csp:
            problems.append("no Content-Security-Policy")
        else:
            if not re.search(r"frame-ancestors\s+'none'", csp):
                problems.append("CSP without frame-ancestors 'none': %r" % csp)
            if "'unsafe-inline'" in csp:
                problems.append("CSP allows 'unsafe-inline': %r" % csp)
        if (resp.header("X-Content-Type-Options") or "").strip().lower() != "nosniff":
            problems.append("X-Content-Type-Options is %r" % resp.header("X-Content-Type-Options"))
        if not (resp.header("Referrer-Policy") or "").strip():
            problems.append("no Referrer-Policy")
        if resp.path.startswith(API + "/"):
            cache = (resp.header("Cache-Control") or "").lower()
            if "no-store" not in cache:
                problems.append("API response with Cache-Control %r" % resp.header("Cache-Control"))
        if problems:
            self.violations.append("%s %s (%d): %s" % (resp.method, resp.path, resp.status,
                                                       "; ".join(problems)))


class Client:
    """Talks to the server on 127.0.0.1:PORT, one connection per request."""

    def __init__(self, port, recorder):
        self.host = "127.0.0.1"
        self.port = port
        self.recorder = recorder
        self.timeout = 60

    def request(self, method, path, json_body=None, body=None, content_type=None, headers=None,
                session=None, csrf=True, bearer=None, raw_cookie=None):
        """Sends one request. `session`: a Session whose cookie is sent; `csrf`: True sends the
        session's CSRF token on unsafe methods, False sends none, a string sends that value.
        `bearer`: an API token. Returns a Response (security headers are recorded)."""
        hdrs = {}
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            content_type = content_type or "application/json"
        if isinstance(body, str):
            body = body.encode("utf-8")
        if body is not None or method in UNSAFE:
            hdrs["Content-Type"] = content_type or "application/json"
            if body is None:
                body = b""
        if session is not None:
            hdrs["Cookie"] = session.cookie
            if method in UNSAFE:
                if csrf is True:
                    hdrs["X-CSRF-Token"] = session.csrf
                elif isinstance(csrf, str):
                    hdrs["X-CSRF-Token"] = csrf
        if raw_cookie is not None:
            hdrs["Cookie"] = raw_cookie
        if bearer is not None:
            hdrs["Authorization"] = "Bearer " + bearer
        hdrs["Accept"] = "application/json, application/problem+json"
        if headers:
            hdrs.update(headers)
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            raw = conn.getresponse()
            data = raw.read()
            resp = Response(method, path, raw.status, raw.getheaders(), data)
        finally:
            conn.close()
        self.recorder.record(resp)
        return resp

    def request_huge(self, method, path, size, headers=None):
        """Sends a JSON body of `size` bytes. The server may answer (413) before it has read the
        body and close the connection, so the headers go first, then the body only when no early
        answer came; the answer is read whatever happens to the sending."""
        filler = b'{"email": "' + b"a" * max(0, size - 40) + b'", "password": "x"}'
        head = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % self.port,
                "Content-Type: application/json", "Content-Length: %d" % len(filler),
                "Connection: close"]
        for k, v in (headers or {}).items():
            head.append("%s: %s" % (k, v))
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        received = b""
        try:
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("ascii"))
            ready, _, _ = select.select([sock], [], [], 1.0)
            if not ready:
                try:
                    view = memoryview(filler)
                    for start in range(0, len(filler), 65536):
                        sock.sendall(view[start:start + 65536])
                        if select.select([sock], [], [], 0)[0]:
                            break  # answered early: stop sending
                except OSError:
                    pass  # the server closed its side; its answer may still be readable
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                    if _complete(received):
                        break
            except OSError:
                pass
        finally:
            sock.close()
        if not received:
            raise Fail("%s %s with a %d-byte body: the connection ended without an answer"
                       % (method, path, len(filler)))
        resp = _parse_raw_response(method, path, received)
        self.recorder.record(resp)
        return resp


def _complete(data):
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(m) and len(rest) >= int(m.group(1))


def _parse_raw_response(method, path, data):
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    if not m:
        raise Fail("%s %s: not an HTTP answer: %r" % (method, path, data[:200]))
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    length = None
    for name, value in headers:
        if name.lower() == "content-length":
            length = int(value)
    body = rest if length is None else rest[:length]
    return Response(method, path, int(m.group(1)), headers, body)


# ---------------------------------------------------------------------------------------------
# Problem responses


def is_problem(resp):
    body = resp.json()
    return (resp.content_type == "application/problem+json" and isinstance(body, dict)
            and isinstance(body.get("type"), str) and isinstance(body.get("title"), str)
            and body.get("status") == resp.status)


def names_field(resp, field):
    """Whether the problem names `field`: in errors[].field, else in detail or title."""
    body = resp.json() or {}
    for error in body.get("errors") or []:
        if isinstance(error, dict) and str(error.get("field", "")) == field:
            return True
    text = " ".join(str(body.get(k, "")) for k in ("detail", "title"))
    return re.search(r"(?<![A-Za-z_])%s(?![A-Za-z_])" % re.escape(field), text) is not None


def expect_problem(resp, status, field=None, what=""):
    """The response is `status` (an int, or a tuple of allowed ints) as application/problem+json
    naming `field`."""
    allowed = status if isinstance(status, tuple) else (status,)
    label = (what + ": ") if what else ""
    check(resp.status in allowed, "%sexpected %s, got: %s"
          % (label, "/".join(map(str, allowed)), resp.describe()))
    check(is_problem(resp), "%sexpected application/problem+json with type, title and status "
          "%d, got: %s" % (label, resp.status, resp.describe()))
    if field:
        check(names_field(resp, field), "%sthe problem does not name the field %r: %s"
              % (label, field, resp.describe()))


def expect_status(resp, status, what=""):
    allowed = status if isinstance(status, tuple) else (status,)
    label = (what + ": ") if what else ""
    check(resp.status in allowed, "%sexpected %s, got: %s"
          % (label, "/".join(map(str, allowed)), resp.describe()))
    return resp


def etag_version(resp):
    tag = resp.header("ETag")
    check(tag is not None, "no ETag: " + resp.describe())
    m = re.fullmatch(r'(?:W/)?"(\d+)"', tag.strip())
    check(m is not None, "ETag is not \"<version>\": %r (%s)" % (tag, resp.describe()))
    return int(m.group(1))


# ---------------------------------------------------------------------------------------------
# Mail


class MailBox:
    """The Maildir that aiosmtpd's Mailbox handler writes. Messages are taken in arrival order;
    each is handed out once."""

    def __init__(self, path):
        self.path = path
        self.taken = set()
        self._parsed = {}  # key -> message: a delivered Maildir file never changes

    def _messages(self):
        found = []
        for sub in ("new", "cur"):
            folder = os.path.join(self.path, sub)
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                key = name.split(":")[0]
                if key in self.taken or name.startswith("."):
                    continue
                try:
                    stamp = os.stat(os.path.join(folder, name)).st_mtime
                except OSError:
                    continue
                found.append((stamp, name, key, os.path.join(folder, name)))
        found.sort()
        for _, _, key, path in found:
            message = self._parsed.get(key)
            if message is None:
                try:
                    with open(path, "rb") as f:
                        raw = f.read()
                except OSError:
                    continue
                message = email.message_from_bytes(raw, policy=email.policy.default)
                self._parsed[key] = message
            yield key, message

    @staticmethod
    def text_of(message):
        cached = getattr(message, "_tandem_text", None)
        if cached is not None:
            return cached
        part = message.get_body(preferencelist=("plain",))
        if part is None:
            part = message.get_body(preferencelist=("html",))
        text = part.get_content() if part is not None else ""
        message._tandem_text = text  # pylint: disable=protected-access
        return text

    def wait_token(self, to_address, key, timeout=40):
        """Waits for a mail to `to_address` whose link carries `#key=TOKEN`; returns TOKEN."""
        deadline = time.monotonic() + timeout
        pattern = re.compile(r"#%s=([A-Za-z0-9_\-]+)" % re.escape(key))
        while True:
            for mail_key, message in self._messages():
                recipients = " ".join(str(message.get_all(h, "")) for h in ("To", "X-RcptTo"))
                if to_address.lower() not in recipients.lower():
                    continue
                m = pattern.search(self.text_of(message))
                if m:
                    self.taken.add(mail_key)
                    return m.group(1)
            if time.monotonic() > deadline:
                raise Fail("no mail to %s with a '#%s=' link arrived within %d s"
                           % (to_address, key, timeout))
            time.sleep(0.2)

    def wait_tokens(self, to_address, key, count, timeout=60):
        return [self.wait_token(to_address, key, timeout) for _ in range(count)]


# ---------------------------------------------------------------------------------------------
# Accounts that the tests sign in as


class Actor:
    """A person with an account: signs in with the password and keeps a session young enough
    for the short idle expiry the tests run with (a new sign-in once it is MAX_AGE old, so the
    matrix does not depend on how often the server refreshes a session's idle clock)."""

    MAX_AGE = 1.5  # seconds; the server runs with TANDEM_SESSION_IDLE_SECONDS=3

    def __init__(self, ctx, label, email_address, password=None, external_id=None):
        self.ctx = ctx
        self.label = label
        self.email = email_address
        self.password = password
        self.external_id = external_id
        self.person_id = None
        self.account_id = None
        self._session = None

    def sign_in(self):
        resp = self.ctx.client.request("POST", API + "/session",
                                       json_body={"email": self.email, "password": self.password})
        if resp.status != 201:
            raise Fail("%s cannot sign in with the password: %s" % (self.label, resp.describe()))
        return parse_session(resp)

    def session(self):
        """A session used less than MAX_AGE ago, else a new one."""
        if self._session is None or time.monotonic() - self._session.opened_at > self.MAX_AGE:
            self._session = self.sign_in()
        return self._session

    def forget_session(self):
        self._session = None

    def set_session(self, session):
        self._session = session

    def __repr__(self):
        return self.label
