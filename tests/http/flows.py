"""The flows: sign-in and its throttling, e-mailed links, sessions, CSRF, API tokens, If-Match,
problem responses for bad requests, the CSV import, lists, the audit log and the security
headers. Each test is a function of the shared context; it raises helpers.Fail."""

import json
import re
import time

from helpers import (API, Actor, Fail, check, etag_version, expect_problem, expect_status,
                     is_problem, parse_session)

MIB = 1024 * 1024


class Soft:
    """Runs independent checks of one test and reports all that failed at the end."""

    def __init__(self):
        self.problems = []

    def __call__(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Fail as e:
            self.problems.append(str(e))
            return None

    def done(self):
        if self.problems:
            raise Fail("%d problems:\n  %s" % (len(self.problems), "\n  ".join(self.problems)))


def sign_in(ctx, email_address, password):
    return ctx.client.request("POST", API + "/session",
                              json_body={"email": email_address, "password": password})


def password_for(label):
    return "lifecycle password %s" % label.lower()


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------------------------
# Operations


def test_health_and_metrics(ctx):
    c = ctx.client
    resp = expect_status(c.request("GET", "/healthz"), 200, "/healthz")
    check(resp.json() == {"status": "ok", "database": "ok"},
          "/healthz body: " + resp.describe())
    resp = expect_status(c.request("GET", "/metrics"), 200, "/metrics")
    check(resp.content_type.startswith("text/plain"), "/metrics is not text/plain: "
          + resp.describe())
    text = resp.body.decode("utf-8", errors="replace")
    check(re.search(r"(?m)^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEinfNa]+", text),
          "/metrics holds no sample in the Prometheus text format: " + resp.excerpt())
    resp = expect_status(c.request("GET", API + "/openapi.json"), 200, "openapi.json")
    check(isinstance(resp.json(), dict) and resp.json().get("openapi", "").startswith("3.1"),
          "openapi.json is not an OpenAPI 3.1 document: " + resp.excerpt(200))
    resp = c.request("GET", API + "/no-such-route")
    expect_problem(resp, 404, what="an unknown API route")


# ---------------------------------------------------------------------------------------------
# Signing in


def test_password_sign_in(ctx):
    f1 = ctx.actor("F1")
    resp = sign_in(ctx, f1.email, f1.password)
    session = parse_session(resp)
    body = resp.json()
    check(isinstance(body.get("expires_at"), int) and body["expires_at"] > now_ms(),
          "expires_at is not a future time in ms: %r" % body.get("expires_at"))
    check(body.get("account", {}).get("email") == f1.email,
          "the account of the new session is not F1's: %r" % body.get("account"))
    check("password_hash" not in json.dumps(body), "the sign-in answer holds a password hash")
    attributes = [a.strip().lower() for a in session.set_cookie.split(";")[1:]]
    check("httponly" in attributes, "session cookie without HttpOnly: " + session.set_cookie)
    check("samesite=lax" in attributes, "session cookie without SameSite=Lax: "
          + session.set_cookie)
    check("path=/" in attributes, "session cookie without Path=/: " + session.set_cookie)
    check(session.cookie_name == "tandem_session",
          "over plain HTTP the cookie is tandem_session, got " + session.cookie_name)
    check(len(session.cookie_value) >= 43, "the session token is shorter than 256 bits "
          "in base64: %d characters" % len(session.cookie_value))
    account = body.get("account", {})
    missing = {"id", "email", "person_id", "display_name", "language", "system_admin",
               "version"} - set(account)
    check(not missing, "the account of the sign-in answer lacks %s: %r" % (sorted(missing),
                                                                         account))
    check(account.get("person_id") == f1.person_id and account.get("system_admin") is False,
          "the account's person_id/system_admin are wrong: %r" % account)
    resp = expect_status(ctx.client.request("GET", API + "/session", session=session), 200,
                         "GET /session with the new cookie")
    info = resp.json() or {}
    check(info.get("account", {}).get("id") == f1.account_id,
          "GET /session names another account: " + resp.describe())
    soft = Soft()
    soft(check, isinstance(info.get("expires_at"), int) and info["expires_at"] > now_ms(),
         "GET /session lacks expires_at (ms): " + resp.describe())
    # A new token at every sign-in.
    again = parse_session(sign_in(ctx, f1.email.upper(), f1.password))
    check(again.cookie_value != session.cookie_value, "two sign-ins gave the same session token")
    # The Unicode password of U1 works too.
    u1 = ctx.actor("U1")
    soft(parse_session, sign_in(ctx, u1.email, u1.password))
    soft.done()


def test_wrong_password(ctx):
    f1 = ctx.actor("F1")
    wrong = sign_in(ctx, f1.email, f1.password + "x")
    expect_problem(wrong, 401, what="wrong password")
    for raw in wrong.header_all("Set-Cookie"):
        name, _, value = raw.split(";")[0].partition("=")
        check("tandem_session" not in name or not value.strip(),
              "a failed sign-in sets a session cookie: %r" % raw)
    unknown = sign_in(ctx, "nobody-at-all@example.test", "whatever password 1")
    expect_problem(unknown, 401, what="unknown e-mail address")
    check(wrong.json().get("detail") == unknown.json().get("detail")
          and wrong.json().get("title") == unknown.json().get("title"),
          "a wrong password and an unknown address answer differently (account enumeration): "
          "%s / %s" % (wrong.excerpt(), unknown.excerpt()))


def test_throttling(ctx):
    t = ctx.actor("T")
    problems = []  # gathered, so that one report shows every problem of the flow
    throttled = None
    failures = 0
    for _ in range(12):
        resp = sign_in(ctx, t.email, "not the password of Tim")
        if resp.status == 429:
            throttled = resp
            break
        expect_problem(resp, 401, what="failed sign-in %d" % (failures + 1))
        failures += 1
    check(throttled is not None, "no 429 after %d failed sign-ins of one account" % failures)
    check(failures >= 3, "throttled after only %d failures" % failures)
    expect_problem(throttled, 429, what="throttled sign-in")

    def retry_after_of(resp):
        value = resp.header("Retry-After")
        if value is None or not value.strip().isdigit():
            problems.append("%s: 429 without Retry-After in seconds (got %r)"
                            % (resp.excerpt(80), value))
            return None
        if not 1 <= int(value) <= 30:
            problems.append("Retry-After %s outside 1..30 s for the first delays" % value)
        return int(value)

    first = retry_after_of(throttled)
    right = sign_in(ctx, t.email, t.password)
    if right.status != 429 or not is_problem(right):
        problems.append("the right password while throttled: expected a 429 problem, got "
                        + right.describe())
    wait = retry_after_of(right) if right.status == 429 else None
    wait = wait or first
    if wait is None:
        wait = 3  # the first delays are 1-2 s: wait longer than that to check the rest
    time.sleep(max(wait, 1) + 1.0)
    resp = sign_in(ctx, t.email, t.password)
    if resp.status != 201:
        problems.append("the right password after the delay (%d s + 1 s): %s"
                        % (wait, resp.describe()))
    # Another account is not locked by Tim's failures.
    f1 = ctx.actor("F1")
    resp = sign_in(ctx, f1.email, f1.password)
    if resp.status != 201:
        problems.append("another account cannot sign in after Tim's failures: "
                        + resp.describe())
    if problems:
        raise Fail("\n  ".join(problems))


def test_sign_in_link(ctx):
    c = ctx.client
    lea = ctx.actor("L")
    resp = c.request("POST", API + "/sign-in-links", json_body={"email": lea.email})
    expect_status(resp, 202, "POST /sign-in-links")
    resp = c.request("POST", API + "/sign-in-links", json_body={"email": "ghost@example.test"})
    expect_status(resp, 202, "POST /sign-in-links for an unknown address")
    token = ctx.mail.wait_token(lea.email, "link")
    resp = c.request("POST", API + "/sign-in-links/redeem", json_body={"token": token})
    session = parse_session(resp)
    resp = expect_status(c.request("GET", API + "/session", session=session), 200,
                         "GET /session after the link")
    check((resp.json() or {}).get("account", {}).get("email") == lea.email,
          "the link signed in another account: " + resp.describe())
    again = c.request("POST", API + "/sign-in-links/redeem", json_body={"token": token})
    expect_problem(again, 401, what="a used sign-in link")
    bogus = c.request("POST", API + "/sign-in-links/redeem", json_body={"token": "x" * 43})
    expect_problem(bogus, 401, what="an unknown sign-in link")


def test_password_reset(ctx):
    c = ctx.client
    rr = ctx.actor("RR")
    old = parse_session(sign_in(ctx, rr.email, rr.password))
    expect_status(c.request("GET", API + "/session", session=old), 200, "the old session")
    resp = c.request("POST", API + "/password-resets", json_body={"email": rr.email})
    expect_status(resp, 202, "POST /password-resets")
    resp = c.request("POST", API + "/password-resets", json_body={"email": "ghost@example.test"})
    expect_status(resp, 202, "POST /password-resets for an unknown address")
    token = ctx.mail.wait_token(rr.email, "token")
    short = c.request("POST", API + "/password-resets/redeem",
                      json_body={"token": token, "password": "short"})
    expect_problem(short, 400, field="password", what="a too short new password")
    new_password = "a brand new password for Rita"
    resp = c.request("POST", API + "/password-resets/redeem",
                     json_body={"token": token, "password": new_password})
    fresh = parse_session(resp)
    resp = c.request("GET", API + "/session", session=old)
    expect_problem(resp, 401, what="the session from before the reset")
    expect_status(c.request("GET", API + "/session", session=fresh), 200,
                  "the session the reset opened")
    again = c.request("POST", API + "/password-resets/redeem",
                      json_body={"token": token, "password": "yet another password 1"})
    expect_problem(again, 401, what="a used reset link")
    expect_problem(sign_in(ctx, rr.email, rr.password), 401, what="the old password")
    rr.password = new_password
    parse_session(sign_in(ctx, rr.email, rr.password))


def test_sign_out(ctx):
    c = ctx.client
    f1 = ctx.actor("F1")
    session = parse_session(sign_in(ctx, f1.email, f1.password))
    other = parse_session(sign_in(ctx, f1.email, f1.password))
    resp = c.request("DELETE", API + "/session", session=session)
    expect_status(resp, 204, "DELETE /session")
    expect_problem(c.request("GET", API + "/session", session=session), 401,
                   what="GET /session after signing out")
    expect_problem(c.request("GET", API + "/me", session=session), 401,
                   what="GET /me after signing out")
    expect_status(c.request("GET", API + "/session", session=other), 200,
                  "F1's other session after signing out of one")


def test_sign_out_everywhere(ctx):
    c = ctx.client
    eve = ctx.actor("E")
    first = parse_session(sign_in(ctx, eve.email, eve.password))
    second = parse_session(sign_in(ctx, eve.email, eve.password))
    bystander = ctx.actor("F1")
    kept = parse_session(sign_in(ctx, bystander.email, bystander.password))
    resp = c.request("POST", API + "/session/end-all", session=first)
    expect_status(resp, 204, "POST /session/end-all")
    expect_problem(c.request("GET", API + "/session", session=first), 401,
                   what="the session that ended all")
    expect_problem(c.request("GET", API + "/session", session=second), 401,
                   what="Eve's other session")
    expect_status(c.request("GET", API + "/session", session=kept), 200,
                  "another account's session")
    parse_session(sign_in(ctx, eve.email, eve.password))


def test_idle_expiry(ctx):
    c = ctx.client
    ida = ctx.actor("I")
    problems = []
    # In use (a request each second, idle expiry 3 s) a session stays alive.
    session = parse_session(sign_in(ctx, ida.email, ida.password))
    for step in range(5):
        resp = c.request("GET", API + "/session", session=session)
        if resp.status != 200:
            problems.append("a session used every second ended after %d s (idle expiry 3 s): %s"
                            % (step, resp.describe()))
            break
        if step < 4:
            time.sleep(1.0)
    # Unused for longer than TANDEM_SESSION_IDLE_SECONDS=3, it ends.
    session = parse_session(sign_in(ctx, ida.email, ida.password))
    expect_status(c.request("GET", API + "/session", session=session), 200, "a new session")
    time.sleep(3 + 2.0)
    for path in ("/session", "/me"):
        resp = c.request("GET", API + path, session=session)
        if resp.status != 401 or not is_problem(resp):
            problems.append("GET %s after 5 s idle: expected a 401 problem, got %s"
                            % (path, resp.describe()))
    if problems:
        raise Fail("\n  ".join(problems))


# ---------------------------------------------------------------------------------------------
# CSRF, API tokens, If-Match


def test_csrf(ctx):
    soft = Soft()
    c = ctx.client
    cem = ctx.actor("C")
    session = parse_session(sign_in(ctx, cem.email, cem.password))
    me = expect_status(c.request("GET", API + "/me", session=session), 200, "GET /me")
    version = etag_version(me)
    if_match = {"If-Match": '"%d"' % version}
    change = {"display_name": "Cem C."}
    resp = c.request("PUT", API + "/me", session=session, csrf=False, headers=if_match,
                     json_body=change)
    soft(expect_problem, resp, 403, what="PUT /me without X-CSRF-Token")
    resp = c.request("PUT", API + "/me", session=session, csrf="wrong-" + session.csrf,
                     headers=if_match, json_body=change)
    soft(expect_problem, resp, 403,
                         what="PUT /me with a wrong X-CSRF-Token")
    other = parse_session(sign_in(ctx, cem.email, cem.password))
    soft(expect_problem, c.request("PUT", API + "/me", session=session, csrf=other.csrf,
                                   headers=if_match, json_body=change), 403,
                         what="PUT /me with the CSRF token of another session")
    resp = c.request("PUT", API + "/me", session=session, headers=if_match, json_body=change)
    expect_status(resp, 200, "PUT /me with the right X-CSRF-Token")
    soft(expect_problem, c.request("DELETE", API + "/session", session=session, csrf=False), 403,
                         what="DELETE /session without X-CSRF-Token")
    soft(expect_problem, c.request("POST", API + "/session/end-all", session=session,
                                   csrf=False), 403,
                         what="POST /session/end-all without X-CSRF-Token")
    expect_status(c.request("GET", API + "/session", session=session), 200,
                  "the session survives the refused unsafe requests")
    admin = ctx.admin.session()
    soft(expect_problem, c.request("POST", API + "/people", session=admin, csrf=False,
                                   json_body={"external_id": "E-CSRF", "name": "No",
                                              "level": 1}), 403,
                         what="POST /people without X-CSRF-Token")
    soft(expect_problem, c.request("POST", API + "/api-tokens", session=admin, csrf=False,
                                   json_body={"name": "csrf", "scopes": ["people:read"]}), 403,
                         what="POST /api-tokens without X-CSRF-Token")
    soft(expect_problem, c.request("POST", API + "/people/import", session=admin, csrf=False,
                                   body="id,level\nE-CSRF2,1\n", content_type="text/csv"), 403,
                         what="POST /people/import without X-CSRF-Token")
    # Bearer tokens need no CSRF token.
    resp = c.request("POST", API + "/api-tokens", session=ctx.admin.session(),
                     json_body={"name": "csrf test", "scopes": ["people:read", "people:write"]})
    expect_status(resp, 201, "POST /api-tokens")
    token = resp.json()["token"]
    resp = c.request("POST", API + "/people", bearer=token,
                     json_body={"external_id": "E-BEARER", "name": "Bea Rer", "level": 2})
    expect_status(resp, 201, "POST /people with a bearer token and no CSRF token")
    soft.done()


def test_api_tokens(ctx):
    soft = Soft()
    c = ctx.client
    admin = ctx.admin
    resp = c.request("POST", API + "/api-tokens", session=admin.session(),
                     json_body={"name": "hr reader", "scopes": ["people:read"]})
    expect_status(resp, 201, "POST /api-tokens")
    created = resp.json() or {}
    token, token_id = created.get("token"), created.get("id")
    check(isinstance(token, str) and token.startswith("tdm_") and isinstance(token_id, int),
          "POST /api-tokens answered without {id, token: tdm_...}: " + resp.describe())
    expect_status(c.request("GET", API + "/people", bearer=token), 200, "GET /people (people:read)")
    expect_status(c.request("GET", API + "/people/%d" % ctx.actor("U1").person_id, bearer=token),
                  200, "GET /people/{id} (people:read)")
    soft(expect_problem, c.request("POST", API + "/people", bearer=token,
                                   json_body={"external_id": "E-NOPE", "name": "No", "level": 1}),
                         403, what="POST /people without people:write")
    u3 = ctx.actor("U3")
    soft(expect_problem, c.request("POST", API + "/people/%d/invitation" % u3.person_id,
                                   bearer=token), 403,
         what="POST /people/{id}/invitation without people:write")
    soft(expect_problem, c.request("DELETE", API + "/people/%d" % u3.person_id, bearer=token), 403,
         what="DELETE /people/{id} without people:write")
    soft(expect_problem, c.request("POST", API + "/people/import", bearer=token,
                                   body="id,level\nE-SCOPE,1\n", content_type="text/csv"), 403,
         what="POST /people/import without people:write")
    soft(expect_problem, c.request("GET", API + "/audit", bearer=token), 403,
                         what="GET /audit without audit:read")
    soft(expect_problem, c.request("GET", API + "/programmes", bearer=token), 403,
                         what="GET /programmes without programmes:read")
    soft(expect_problem, c.request("GET", API + "/accounts", bearer=token), 403,
                         what="GET /accounts with a token (session only)")
    soft(expect_problem, c.request("POST", API + "/api-tokens", bearer=token,
                                   json_body={"name": "child", "scopes": ["people:read"]}), 403,
                         what="POST /api-tokens with a token (session only)")
    resp = c.request("POST", API + "/api-tokens", session=admin.session(),
                     json_body={"name": "bad", "scopes": ["people:read", "root"]})
    soft(expect_problem, resp, 400, field="scopes", what="an unknown scope")
    resp = c.request("POST", API + "/api-tokens", session=admin.session(),
                     json_body={"name": "auditor", "scopes": ["audit:read"]})
    expect_status(resp, 201, "POST /api-tokens (audit:read)")
    expect_status(c.request("GET", API + "/audit", bearer=resp.json()["token"]), 200,
                  "GET /audit with audit:read")
    resp = expect_status(c.request("GET", API + "/api-tokens", session=admin.session()), 200,
                         "GET /api-tokens")
    items = (resp.json() or {}).get("items") or []
    mine = [t for t in items if t.get("id") == token_id]
    check(len(mine) == 1 and mine[0].get("name") == "hr reader"
          and mine[0].get("scopes") == ["people:read"] and mine[0].get("revoked_at") is None,
          "GET /api-tokens does not list the token as created: " + resp.describe())
    check(token not in resp.body.decode("utf-8", "replace")
          and all("token" not in t and "token_hash" not in t for t in items),
          "GET /api-tokens shows a token or its hash")
    resp = c.request("DELETE", API + "/api-tokens/%d" % token_id, session=admin.session())
    expect_status(resp, 204, "DELETE /api-tokens/{id}")
    soft(expect_problem, c.request("GET", API + "/people", bearer=token), 401,
                         what="a revoked token")
    soft(expect_problem, c.request("GET", API + "/people", bearer="tdm_" + "A" * 43), 401,
                         what="an unknown token")
    resp = expect_status(c.request("GET", API + "/api-tokens", session=admin.session()), 200,
                         "GET /api-tokens after revoking")
    revoked = [t for t in (resp.json() or {}).get("items", []) if t.get("id") == token_id]
    check(not revoked or isinstance(revoked[0].get("revoked_at"), int),
          "a revoked token is listed without revoked_at: %r" % revoked)
    soft.done()


def test_if_match(ctx):
    soft = Soft()
    c = ctx.client
    cem = ctx.actor("C")
    session = parse_session(sign_in(ctx, cem.email, cem.password))
    me = expect_status(c.request("GET", API + "/me", session=session), 200, "GET /me")
    version = etag_version(me)
    check((me.json() or {}).get("account", {}).get("version") == version,
          "GET /me: the ETag is not the account's version: " + me.describe())
    resp = c.request("PUT", API + "/me", session=session, headers={"If-Match": '"%d"' % version},
                     json_body={"display_name": "Cem", "language": "en"})
    expect_status(resp, 200, "PUT /me with the current If-Match")
    check(etag_version(resp) == version + 1, "PUT /me: the ETag did not grow by one: "
          + resp.describe())
    account = (resp.json() or {}).get("account", {})
    check(account.get("display_name") == "Cem" and account.get("language") == "en",
          "PUT /me did not change the profile: " + resp.describe())
    soft(expect_problem, c.request("PUT", API + "/me", session=session,
                                   headers={"If-Match": '"%d"' % version},
                                   json_body={"display_name": "Stale"}), 412,
                         what="PUT /me with a stale If-Match")
    soft(expect_problem, c.request("PUT", API + "/me", session=session,
                                   json_body={"display_name": "Blind"}), 428,
                         what="PUT /me without If-Match")
    me = expect_status(c.request("GET", API + "/me", session=session), 200, "GET /me")
    check((me.json() or {}).get("account", {}).get("display_name") == "Cem",
          "a refused PUT /me changed the profile: " + me.describe())

    admin = ctx.admin
    uma = ctx.actor("U3")
    path = API + "/people/%d" % uma.person_id
    got = expect_status(c.request("GET", path, session=admin.session()), 200, "GET /people/{id}")
    version = etag_version(got)
    person = got.json()
    check(person.get("version") == version, "GET /people/{id}: ETag is not the version: "
          + got.describe())
    change = {k: person[k] for k in ("external_id", "name", "email", "department", "location",
                                     "manager_id", "level", "languages")}
    change["department"] = "Dept renamed"
    resp = c.request("PUT", path, session=admin.session(),
                     headers={"If-Match": '"%d"' % version}, json_body=change)
    expect_status(resp, 200, "PUT /people/{id} with the current If-Match")
    check((resp.json() or {}).get("department") == "Dept renamed"
          and (resp.json() or {}).get("version") == version + 1,
          "PUT /people/{id} did not store the change: " + resp.describe())
    check(etag_version(resp) == version + 1, "PUT /people/{id}: ETag is not the new version")
    change["department"] = "Dept stale"
    soft(expect_problem, c.request("PUT", path, session=admin.session(),
                                   headers={"If-Match": '"%d"' % version}, json_body=change), 412,
                         what="PUT /people/{id} with a stale If-Match")
    soft(expect_problem, c.request("PUT", path, session=admin.session(), json_body=change), 428,
                         what="PUT /people/{id} without If-Match")
    got = expect_status(c.request("GET", path, session=admin.session()), 200, "GET /people/{id}")
    check(got.json().get("department") == "Dept renamed", "a refused PUT changed the person")

    programme = API + "/programmes/%d" % ctx.programmes["P2"]
    got = expect_status(c.request("GET", programme, session=admin.session()), 200,
                        "GET /programmes/{id}")
    version = etag_version(got)
    settings = {k: v for k, v in got.json().items() if k not in ("id", "state", "version")}
    soft(expect_problem, c.request("PUT", programme, session=admin.session(),
                                   headers={"If-Match": '"%d"' % (version + 5)},
                                   json_body=settings),
                         412, what="PUT /programmes/{id} with a stale If-Match")
    soft(expect_problem, c.request("PUT", programme, session=admin.session(),
                                   json_body=settings), 428,
                         what="PUT /programmes/{id} without If-Match")
    soft.done()


# ---------------------------------------------------------------------------------------------
# Bad requests: always a 4xx problem, never a 5xx


def test_bad_json(ctx):
    soft = Soft()
    c = ctx.client
    admin = ctx.admin
    cem = ctx.actor("C")
    json_type = {"Content-Type": "application/json"}

    def me_headers(session):
        me = expect_status(c.request("GET", API + "/me", session=session), 200, "GET /me")
        return {"If-Match": '"%d"' % etag_version(me)}

    # Malformed JSON.
    for raw in (b'{"email": "c@example.test", "password": ', b"not json", b"",
                b'{"email": "a" "b"}', b"[1, 2]"):
        resp = c.request("POST", API + "/session", body=raw, headers=json_type)
        soft(expect_problem, resp, 400, what="POST /session with body %r" % raw[:40])
    session = parse_session(sign_in(ctx, cem.email, cem.password))
    resp = c.request("PUT", API + "/me", session=session, headers=me_headers(session),
                     body=b'{"display_name": "x",}')
    soft(expect_problem, resp, 400, what="PUT /me with a trailing comma")
    # Wrong types.
    resp = c.request("POST", API + "/session", json_body={"email": 5, "password": "x" * 12})
    soft(expect_problem, resp, 400, field="email", what="email as a number")
    resp = c.request("PUT", API + "/me", session=session, headers=me_headers(session),
                     json_body={"display_name": 17})
    soft(expect_problem, resp, 400, field="display_name", what="display_name as a number")
    resp = c.request("PUT", API + "/me", session=session, headers=me_headers(session),
                     json_body={"language": "fr"})
    soft(expect_problem, resp, 400, field="language", what="an unknown language")
    resp = c.request("POST", API + "/people", session=admin.session(),
                     json_body={"external_id": "E-TYPE", "name": "Ty Pe", "level": "x"})
    soft(expect_problem, resp, 400, field="level", what='level: "x"')
    resp = c.request("POST", API + "/people", session=admin.session(),
                     json_body={"external_id": "E-TYPE2", "name": "Ty Pe", "level": 2,
                                "languages": "de"})
    soft(expect_problem, resp, 400, field="languages", what='languages: "de" (not an array)')
    resp = c.request("POST", API + "/people", session=admin.session(),
                     json_body={"external_id": "E-TYPE3", "level": 1.5})
    soft(expect_problem, resp, 400, field="level", what="level: 1.5")
    resp = c.request("POST", API + "/people", session=admin.session(),
                     json_body={"external_id": "E-TYPE4", "level": 10 ** 30})
    soft(expect_problem, resp, 400, field="level", what="level: 10^30")
    resp = c.request("POST", API + "/api-tokens", session=admin.session(),
                     json_body={"name": "t", "scopes": "people:read"})
    soft(expect_problem, resp, 400, field="scopes", what="scopes as a string")
    # Missing required fields.
    resp = c.request("POST", API + "/people", session=admin.session(),
                     json_body={"name": "No Id", "level": 1})
    soft(expect_problem, resp, 400, field="external_id", what="a person without external_id")
    resp = c.request("POST", API + "/programmes", session=admin.session(), json_body={})
    soft(expect_problem, resp, 400, field="name", what="a programme without name")
    resp = c.request("POST", API + "/session", json_body={"email": cem.email})
    soft(expect_problem, resp, 400, field="password", what="sign-in without password")
    resp = c.request("POST", API + "/invitations/redeem", json_body={"password": "x" * 12})
    soft(expect_problem, resp, 400, field="token", what="an invitation without token")
    resp = c.request("PUT", API + "/me/password", session=session,
                     json_body={"current_password": cem.password})
    soft(expect_problem, resp, 400, field="new_password", what="a password change without new one")
    # Invalid UTF-8 inside a string.
    resp = c.request("POST", API + "/session", headers=json_type,
                     body=b'{"email": "c\xff@example.test", "password": "abcdefghijklm"}')
    soft(expect_problem, resp, 400, what="invalid UTF-8 in email")
    resp = c.request("POST", API + "/people", session=admin.session(), headers=json_type,
                     body=b'{"external_id": "E-UTF", "name": "Bad \xc3\x28 Name", "level": 1}')
    soft(expect_problem, resp, 400, field="name", what="invalid UTF-8 in name")
    resp = c.request("PUT", API + "/me", session=session, headers=dict(json_type,
                                                                        **me_headers(session)),
                     body=b'{"display_name": "\xed\xa0\x80"}')
    soft(expect_problem, resp, 400, what="a UTF-16 surrogate in display_name")
    resp = c.request("POST", API + "/people", session=admin.session(),
                     body=b'{"external_id": "E-ESC", "name": "\\ud800", "level": 1}',
                     headers=json_type)
    soft(expect_problem, resp, 400, what="a lone surrogate escape \\ud800 in name")
    # Wrong content type.
    resp = c.request("POST", API + "/session", body='{"email": "a", "password": "b"}',
                     content_type="text/plain")
    soft(expect_problem, resp, 415, what="POST /session as text/plain")
    # Huge bodies.
    resp = c.request_huge("POST", API + "/session", 2 * MIB)
    soft(expect_problem, resp, 413, what="a 2 MiB sign-in body")
    s = parse_session(sign_in(ctx, cem.email, cem.password))
    resp = c.request_huge("PUT", API + "/me", int(1.5 * MIB),
                          headers={"Cookie": s.cookie, "X-CSRF-Token": s.csrf,
                                   "If-Match": '"1"'})
    soft(expect_problem, resp, 413, what="a 1.5 MiB PUT /me body")
    # Bad query parameters and path ids.
    for query in ("limit=abc", "limit=0", "limit=501", "after=x", "limit=-1"):
        resp = c.request("GET", API + "/people?" + query, session=admin.session())
        soft(expect_problem, resp, 400, field=query.split("=")[0], what="GET /people?" + query)
    for path in ("/people/abc", "/people/0", "/people/99999999999999999999999",
                 "/programmes/1x", "/api-tokens/-3"):
        method = "DELETE" if "api-tokens" in path else "GET"
        resp = c.request(method, API + path, session=admin.session())
        soft(check, 400 <= resp.status < 500 and is_problem(resp),
             "%s %s: expected a 4xx problem, got: %s" % (method, path, resp.describe()))
    # The server is still well.
    expect_status(c.request("GET", "/healthz"), 200, "/healthz after the bad requests")
    soft.done()


# ---------------------------------------------------------------------------------------------
# People: CSV import, lists


def test_csv_import(ctx):
    soft = Soft()
    c = ctx.client
    admin = ctx.admin
    good = ("id,name,email,level,manager_id,languages\n"
            "E-IMP1,Imke Import,imp1@example.test,3,,de\n"
            "E-IMP2,Ivo Import,imp2@example.test,2,E-IMP1,de;en\n")
    resp = c.request("POST", API + "/people/import", session=admin.session(), body=good,
                     content_type="text/csv")
    expect_status(resp, 200, "POST /people/import")
    check(resp.json() == {"inserted": 2, "updated": 0, "unchanged": 0},
          "import summary: " + resp.describe())
    resp = c.request("POST", API + "/people/import", session=admin.session(), body=good,
                     content_type="text/csv")
    check(resp.status == 200 and resp.json() == {"inserted": 0, "updated": 0, "unchanged": 2},
          "the same import again: " + resp.describe())
    bad = ("id,name,email,level,manager_id,languages\n"
           "E-IMP3,Ina Import,imp3@example.test,2,,de\n"
           "E-IMP4,Ole Oops,imp4@example.test,x,,de\n"
           "E-IMP5,Pia Import,imp5@example.test,2,,en\n")
    resp = c.request("POST", API + "/people/import", session=admin.session(), body=bad,
                     content_type="text/csv")
    soft(expect_problem, resp, 422, what="an import with a bad line")
    errors = (resp.json() or {}).get("errors") or []
    check(any(isinstance(e, dict) and e.get("line") == 3 and e.get("field") == "level"
              and e.get("message") for e in errors),
          "the 422 does not name line 3, field level: " + resp.describe())
    check(all(isinstance(e, dict) and isinstance(e.get("line"), int) for e in errors),
          "an import error without line: " + resp.describe())
    people = list_all(ctx, API + "/people", admin)
    check(not {p.get("external_id") for p in people} & {"E-IMP3", "E-IMP5"},
          "a refused import stored some of its lines")
    resp = c.request("POST", API + "/people/import", session=admin.session(),
                     body=b"id,name,level\nE-IMP6,Bad \xff Byte,2\n", content_type="text/csv")
    soft(expect_problem, resp, 422, what="an import with invalid UTF-8")
    errors = (resp.json() or {}).get("errors") or []
    check(any(isinstance(e, dict) and e.get("line") == 2 for e in errors),
          "the invalid UTF-8 is not reported on line 2: " + resp.describe())
    resp = c.request("POST", API + "/people/import", session=admin.session(),
                     json_body={"id": "E-IMP7"})
    soft(expect_problem, resp, (400, 415), what="an import sent as JSON")
    soft.done()


def list_all(ctx, path, actor, limit=500):
    items, after = [], None
    for _ in range(1000):
        sep = "&" if "?" in path else "?"
        url = path + sep + "limit=%d" % limit + ("&after=%d" % after if after else "")
        resp = expect_status(ctx.client.request("GET", url, session=actor.session()), 200, url)
        body = resp.json()
        check(isinstance(body, dict) and isinstance(body.get("items"), list)
              and "next_after" in body, "not a list page: " + resp.describe())
        items.extend(body["items"])
        after = body["next_after"]
        if after is None:
            return items
        check(isinstance(after, int), "next_after is not an id: " + resp.describe())
    raise Fail("%s: pagination does not end" % path)


def test_lists(ctx):
    admin = ctx.admin
    everyone = list_all(ctx, API + "/people", admin)
    paged = list_all(ctx, API + "/people", admin, limit=2)
    check([p["id"] for p in paged] == [p["id"] for p in everyone],
          "paging by 2 gives other people than one page of 500")
    check(len({p["id"] for p in everyone}) == len(everyone), "a person is listed twice")
    for p in everyone[:3]:
        missing = {"id", "external_id", "name", "email", "department", "location", "manager_id",
                   "level", "languages", "erased", "version"} - set(p)
        check(not missing, "a person lacks %s: %r" % (sorted(missing), p))
    u1 = ctx.actor("U1")
    mine = list_all(ctx, API + "/people", u1)
    check([p["id"] for p in mine] == [u1.person_id],
          "a participant sees other people than themselves: %r" % [p["id"] for p in mine])
    a1 = ctx.actor("A1")
    seen = {p["id"] for p in list_all(ctx, API + "/people", a1)}
    p1 = {ctx.actor(x).person_id for x in ("U1", "U2", "V1")}
    check(p1 <= seen, "a programme administrator does not see their programme's people")
    check(ctx.actor("U3").person_id not in seen,
          "a programme administrator sees another programme's participant")
    programmes = [p["id"] for p in list_all(ctx, API + "/programmes", u1)]
    check(programmes == [ctx.programmes["P1"]], "U1 sees the programmes %r, not just P1"
          % programmes)
    programmes = [p["id"] for p in list_all(ctx, API + "/programmes", ctx.actor("A2"))]
    check(programmes == [ctx.programmes["P2"]], "A2 sees the programmes %r, not just P2"
          % programmes)
    programme = list_all(ctx, API + "/programmes", admin)[0]
    missing = {"id", "name", "state", "topics", "mentee_min_level", "term_min_months",
               "term_max_months", "target_meetings_min", "target_meetings_max", "mode",
               "version"} - set(programme)
    check(not missing, "a programme lacks %s: %r" % (sorted(missing), programme))
    accounts = list_all(ctx, API + "/accounts", admin)
    check(all("password_hash" not in a and "password" not in a for a in accounts),
          "accounts are listed with their password hash")
    check({ctx.actor("U1").account_id, admin.account_id} <= {a.get("id") for a in accounts},
          "GET /accounts lacks accounts")


# ---------------------------------------------------------------------------------------------
# Audit log, security headers


def test_audit_log(ctx):
    c = ctx.client
    u2 = ctx.actor("U2")
    expect_problem(c.request("GET", API + "/audit", session=u2.session()), 403,
                   what="a participant reading the audit log")
    entries = list_all(ctx, API + "/audit", ctx.admin)
    check(entries, "the audit log is empty")
    for e in entries[:5] + entries[-5:]:
        missing = {"id", "at", "actor", "action", "entity", "entity_id", "detail"} - set(e)
        check(not missing, "an audit entry lacks %s: %r" % (sorted(missing), e))
        check(isinstance(e["at"], int) and e["at"] > 1_500_000_000_000,
              "audit 'at' is not in ms since 1970: %r" % e)
    actions = {e.get("action") for e in entries}
    for wanted in ("auth.sign_in", "auth.sign_in_failed", "permission.denied"):
        check(wanted in actions, "the audit log has no %s entry (actions: %s)"
              % (wanted, sorted(a for a in actions if a)))
    denied = [e for e in entries if e.get("action") == "permission.denied"
              and e.get("actor") == "account:%d" % u2.account_id]
    check(denied, "U2's refused GET /audit is not audited as permission.denied by account:%d"
          % u2.account_id)
    sign_ins = [e for e in entries if e.get("action") == "auth.sign_in"
                and e.get("actor") == "account:%d" % ctx.actor("F1").account_id]
    check(sign_ins, "F1's sign-ins are not in the audit log")
    text = json.dumps(entries, ensure_ascii=False)
    for actor in ctx.actors.values():
        if actor.password:
            check(actor.password not in text, "the audit log holds a password")


def test_answers_match_openapi(ctx):
    checker = ctx.client.recorder.openapi
    check(checker is not None and checker.checked > 100,
          "too few answers were held to openapi.json")
    if checker.violations:
        shown = sorted(set(checker.violations))
        raise Fail("%d of %d answers differ from docs/api/openapi.json (%d kinds):\n  %s"
                   % (len(checker.violations), checker.checked, len(shown),
                      "\n  ".join(shown[:40])))


def test_no_server_errors(ctx):
    errors = ctx.client.recorder.server_errors
    if errors:
        raise Fail("%d answers were 5xx (a bad request must be a 4xx):\n  %s"
                   % (len(errors), "\n  ".join(errors[:20])))


def test_security_headers_everywhere(ctx):
    c = ctx.client
    # A few more kinds of response: static paths, errors, a method not allowed.
    c.request("GET", "/")
    c.request("GET", "/sign-in")
    c.request("GET", "/no/such/file.js")
    c.request("DELETE", API + "/openapi.json")
    recorder = c.recorder
    check(recorder.count > 100, "only %d responses were checked" % recorder.count)
    if recorder.violations:
        shown = sorted(set(recorder.violations))
        raise Fail("%d of %d responses lack security headers, e.g.:\n  %s"
                   % (len(recorder.violations), recorder.count, "\n  ".join(shown[:15])))


TESTS = [
    ("health, metrics, openapi.json and an unknown route", test_health_and_metrics),
    ("sign-in with password, cookie HttpOnly SameSite=Lax Path=/", test_password_sign_in),
    ("wrong password: 401 problem, no enumeration", test_wrong_password),
    ("throttling: 429 with Retry-After, right password refused, works after", test_throttling),
    ("sign-in link by mail, single use", test_sign_in_link),
    ("password reset by mail ends the old sessions", test_password_reset),
    ("sign-out ends the session", test_sign_out),
    ("sign-out everywhere ends every session of the account", test_sign_out_everywhere),
    ("idle expiry: alive in use, 401 after 5 s idle", test_idle_expiry),
    ("CSRF: cookie-authenticated unsafe requests need X-CSRF-Token; bearer does not", test_csrf),
    ("API tokens: scopes, session-only routes, revoke", test_api_tokens),
    ("If-Match: 412 stale, 428 missing on /me, /people/{id}, /programmes/{id}", test_if_match),
    ("bad requests: malformed JSON, types, missing fields, UTF-8, 413, 415, query -> 4xx problem",
     test_bad_json),
    ("CSV import: summary, 422 naming line and field, all or nothing", test_csv_import),
    ("lists: pagination and who sees what", test_lists),
    ("audit log: sign-ins, a failed sign-in, a permission denial", test_audit_log),
]


# ---------------------------------------------------------------------------------------------
# The programme lifecycle (routes.md, "Programme lifecycle")


LC_TOPICS = ("ai", "cloud")


def lc_people():
    """Six juniors who mentor and six seniors who learn: (label, HR id, level)."""
    people = [("LJ%d" % i, "E-LC-J%d" % i, 1) for i in range(1, 7)]
    people += [("LS%d" % i, "E-LC-S%d" % i, 4) for i in range(1, 7)]
    return people


def lc_enrolment(topics, junior, experience=True):
    answers = []
    for t in topics:
        if junior and t in LC_TOPICS:
            answers.append({"topic": t, "interest": 0, "skill": 2,
                            "experience": "Built %s things" % t if experience else ""})
        elif not junior and t in LC_TOPICS:
            answers.append({"topic": t, "interest": 3, "skill": 0, "experience": ""})
        else:
            answers.append({"topic": t, "interest": 0, "skill": 0, "experience": ""})
    return {"mentor_capacity": 1 if junior else 0, "mentee_capacity": 0 if junior else 1,
            "languages": ["de", "en"], "availability": "Thursdays", "answers": answers}


def lc_wait_run(ctx, pid, run_id, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        resp = expect_status(ctx.client.request(
            "GET", API + "/programmes/%d/runs/%d" % (pid, run_id), session=ctx.admin.session()),
            200, "GET the run")
        run = resp.json()
        if run["state"] in ("done", "failed"):
            check(run["state"] == "done", "run %d failed: %r" % (run_id, run.get("error")))
            return run
        check(time.monotonic() < deadline, "run %d is still %s after %d s"
              % (run_id, run["state"], timeout))
        time.sleep(0.2)


def lc_start_run(ctx, pid, objective="optimal"):
    resp = ctx.client.request("POST", API + "/programmes/%d/runs" % pid,
                              session=ctx.admin.session(), json_body={"objective": objective})
    expect_status(resp, 202, "POST /programmes/{id}/runs")
    run = resp.json()
    check(run.get("state") in ("queued", "running", "done") and "result" not in run,
          "the queued run: " + resp.describe())
    check(resp.header("Location") == API + "/programmes/%d/runs/%d" % (pid, run["id"]),
          "POST runs: Location is %r" % resp.header("Location"))
    return lc_wait_run(ctx, pid, run["id"])


def pairs_of(run):
    return {(p["mentor"], p["mentee"]) for p in run["result"]["pairs"]}


def test_programme_lifecycle(ctx):
    """Given twelve people imported by CSV, a programme runs its whole course: open, invite by
    filter, enrol by the mailed link, the deadline passes, runs with pins and forbidden pairs,
    comparison, publication, acceptance and decline, a rematch, withdrawal and closing."""
    c = ctx.client
    admin = ctx.admin
    people = lc_people()
    lines = ["id,name,email,department,location,manager_id,level,languages"]
    for label, ext, level in people:
        lines.append("%s,Lena %s,%s@example.test,Lifecycle,Hamburg,,%d,de;en"
                     % (ext, label, label.lower(), level))
    resp = c.request("POST", API + "/people/import", session=admin.session(),
                     body="\n".join(lines) + "\n", content_type="text/csv")
    expect_status(resp, 200, "importing the lifecycle people")
    ids = {p["external_id"]: p["id"] for p in list_all(ctx, API + "/people", admin)}
    actors = {}
    for label, ext, _ in people:
        actor = Actor(ctx, label, "%s@example.test" % label.lower(), password_for(label), ext)
        actor.person_id = ids[ext]
        actors[label] = actor
    juniors = [actors["LJ%d" % i] for i in range(1, 7)]
    seniors = [actors["LS%d" % i] for i in range(1, 7)]
    by_person = {a.person_id: a for a in actors.values()}

    # A programme with a deadline in the future opens; opening twice names the state.
    resp = c.request("POST", API + "/programmes", session=admin.session(),
                     json_body={"name": "Lifecycle %d" % now_ms(), "mode": "reverse",
                                "mentee_min_level": 3, "enrolment_deadline": now_ms() + 3600000,
                                "agreement_en": "We keep it between us."})
    expect_status(resp, 201, "POST /programmes")
    programme = resp.json()
    pid = programme["id"]
    check(programme["state"] == "draft" and programme["agreement_en"] == "We keep it between us."
          and programme["closed_at"] is None and isinstance(programme["enrolment_deadline"], int),
          "the new programme's lifecycle fields: " + resp.describe())
    topics = [t["key"] for t in programme["topics"]]
    check(set(LC_TOPICS) <= set(topics), "the default catalogue lacks %s" % (LC_TOPICS,))
    base = API + "/programmes/%d" % pid
    resp = expect_status(c.request("POST", base + "/open", session=admin.session()), 200, "open")
    check(resp.json()["state"] == "enrolling", "open: " + resp.describe())
    resp = c.request("POST", base + "/open", session=admin.session())
    expect_problem(resp, 409, field="enrolling", what="opening twice")

    # Invitations by filter; the people sign in by their mailed link.
    resp = c.request("POST", base + "/invitations", session=admin.session(),
                     json_body={"filter": {"department": "Lifecycle", "location": "Hamburg"}})
    expect_status(resp, 200, "inviting by filter")
    check(resp.json().get("invited") == 12 and resp.json().get("already") == 0,
          "inviting by filter: " + resp.describe())
    resp = c.request("POST", base + "/invitations", session=admin.session(),
                     json_body={"person_ids": [juniors[0].person_id]})
    check(resp.status == 200 and resp.json().get("already") == 1 and resp.json()["invited"] == 0,
          "inviting again: " + resp.describe())
    for actor in actors.values():
        token = ctx.mail.wait_token(actor.email, "invitation")
        resp = c.request("POST", API + "/invitations/redeem",
                         json_body={"token": token, "password": actor.password})
        actor.set_session(parse_session(resp))

    # The list tells each caller what the programme is to them.
    j1 = juniors[0]
    listed = {p["id"]: p for p in list_all(ctx, API + "/programmes", j1)}
    check(pid in listed and listed[pid]["own_enrolment"] == "invited"
          and listed[pid]["administered"] is False,
          "the invited person's programme list: %r" % (listed.get(pid),))
    listed = {p["id"]: p for p in list_all(ctx, API + "/programmes", admin)}
    check(pid in listed and listed[pid]["administered"] is True
          and listed[pid]["own_enrolment"] is None,
          "the administrator's programme list: %r" % (listed.get(pid),))

    # Enrolment: the questionnaire, experience required from skill 2, If-Match.
    resp = expect_status(c.request("GET", base + "/enrolment", session=j1.session()), 200,
                         "GET own enrolment")
    check(resp.json()["state"] == "invited" and resp.json()["answers"] == [],
          "an invited enrolment: " + resp.describe())
    version = etag_version(resp)
    resp = c.request("PUT", base + "/enrolment", session=j1.session(),
                     headers={"If-Match": '"%d"' % version},
                     json_body=lc_enrolment(topics, True, experience=False))
    expect_problem(resp, 400, what="skill 2 without experience")
    resp = c.request("PUT", base + "/enrolment", session=j1.session(),
                     json_body=lc_enrolment(topics, True))
    expect_problem(resp, 428, what="PUT enrolment without If-Match")
    resp = c.request("PUT", base + "/enrolment", session=j1.session(),
                     headers={"If-Match": '"%d"' % version}, json_body=lc_enrolment(topics, True))
    expect_status(resp, 200, "enrolling with If-Match")
    check(resp.json()["state"] == "enrolled" and etag_version(resp) == version + 1
          and len(resp.json()["answers"]) == len(topics), "the enrolment: " + resp.describe())
    resp = c.request("PUT", base + "/enrolment", session=j1.session(),
                     headers={"If-Match": '"%d"' % version}, json_body=lc_enrolment(topics, True))
    expect_problem(resp, 412, what="PUT enrolment with a stale If-Match")
    for actor in juniors[1:] + seniors:
        resp = c.request("PUT", base + "/enrolment", session=actor.session(),
                         headers={"If-Match": "*"},
                         json_body=lc_enrolment(topics, actor in juniors))
        expect_status(resp, 200, "%s enrols" % actor.label)
    enrolments = list_all(ctx, base + "/enrolments", admin)
    check(len(enrolments) == 12 and all(e["state"] == "enrolled" and "answers" not in e
                                        for e in enrolments),
          "the team's enrolment list: %r" % enrolments[:2])

    # The deadline passes: enrolment is refused, naming the state.
    got = expect_status(c.request("GET", base, session=admin.session()), 200, "GET programme")
    body = {k: v for k, v in got.json().items()
            if k not in ("id", "state", "version", "closed_at")}
    body["enrolment_deadline"] = now_ms() - 1000
    resp = c.request("PUT", base, session=admin.session(), json_body=body,
                     headers={"If-Match": '"%d"' % etag_version(got)})
    expect_status(resp, 200, "moving the deadline into the past")
    soft = Soft()
    resp = c.request("PUT", base + "/enrolment", session=j1.session(), headers={"If-Match": "*"},
                     json_body=lc_enrolment(topics, True))
    soft(expect_problem, resp, 409, field="enrolling", what="enrolling after the deadline")

    # A run, then pins and forbidden pairs, a second run, the comparison.
    run1 = lc_start_run(ctx, pid)
    resp = c.request("PUT", base + "/enrolment", session=j1.session(), headers={"If-Match": "*"},
                     json_body=lc_enrolment(topics, True))
    soft(expect_problem, resp, 409, field="matching", what="enrolling once matching")
    result, report = run1.get("result"), run1.get("report")
    check(isinstance(result, dict) and isinstance(result.get("pairs"), list)
          and len(result["pairs"]) == 6, "run 1's result: %r" % result)
    check(isinstance(report, dict) and report.get("tandems") == 6
          and isinstance(report.get("unmatched"), list), "run 1's report: %r" % report)
    named = {p["id"] for p in run1["people"]}
    check(all(p["mentor"] in named and p["mentee"] in named for p in result["pairs"]),
          "run 1's people do not name every partner")
    check(all(by_person[p["mentor"]] in juniors and by_person[p["mentee"]] in seniors
              for p in result["pairs"]), "run 1 pairs a senior mentor (reverse mode)")
    runs = list_all(ctx, base + "/runs", admin)
    check([r["id"] for r in runs] == [run1["id"]] and "result" not in runs[0]
          and runs[0]["objective"] == "optimal", "the run list: %r" % runs)
    state = c.request("GET", base, session=admin.session()).json()["state"]
    check(state == "matching", "after the first run the programme is %r, not matching" % state)
    pairs1 = sorted(pairs_of(run1))
    forbidden = pairs1[0]
    pinned = (pairs1[1][0], pairs1[2][1])
    for (mentor, mentee), kind in ((forbidden, "forbid"), (pinned, "pin")):
        resp = c.request("PUT", base + "/pair-rules/%d/%d" % (mentor, mentee),
                         session=admin.session(), json_body={"kind": kind})
        expect_status(resp, 200, "PUT pair rule " + kind)
        check(resp.json()["kind"] == kind, "the pair rule: " + resp.describe())
    resp = c.request("PUT", base + "/pair-rules/%d/%d" % pinned, session=admin.session(),
                     json_body={"kind": "always"})
    expect_problem(resp, 400, field="kind", what="a pair rule of an unknown kind")
    resp = expect_status(c.request("GET", base + "/pair-rules", session=admin.session()), 200,
                         "GET pair rules")
    check(len(resp.json()["items"]) == 2, "the pair rules: " + resp.describe())
    run2 = lc_start_run(ctx, pid, "stable")
    pairs2 = pairs_of(run2)
    check(forbidden not in pairs2, "run 2 proposes the forbidden pair")
    check(pinned in pairs2 and any(p.get("pinned") for p in run2["result"]["pairs"]
                                   if (p["mentor"], p["mentee"]) == pinned),
          "run 2 does not propose the pinned pair")
    resp = c.request("GET", base + "/runs/%d/compare/%d" % (run1["id"], run2["id"]),
                     session=admin.session())
    expect_status(resp, 200, "comparing runs")
    comparison = resp.json()
    check(comparison["a"] == run1["id"] and comparison["a_pairs"] == 6
          and {"mentor": forbidden[0], "mentee": forbidden[1]}.items()
          <= next((p for p in comparison["only_a"]
                   if (p["mentor"], p["mentee"]) == forbidden), {}).items()
          and comparison["in_both"] == len(set(pairs1) & pairs2),
          "the comparison: " + resp.describe())

    # Publication: the out-of-date run is refused; publishing twice names the state.
    resp = c.request("POST", base + "/runs/%d/publish" % run1["id"], session=admin.session())
    soft(expect_problem, resp, 409, what="publishing a run with a forbidden pair")
    resp = c.request("POST", base + "/runs/%d/publish" % run2["id"], session=admin.session())
    expect_status(resp, 200, "publishing run 2")
    check(resp.json().get("tandems") == len(pairs2), "publish: " + resp.describe())
    resp = c.request("POST", base + "/runs/%d/publish" % run2["id"], session=admin.session())
    expect_problem(resp, 409, field="published", what="publishing twice")
    state = c.request("GET", base, session=admin.session()).json()["state"]
    check(state == "running", "after publication the programme is %r, not running" % state)

    # Both partners accept one tandem; the mentee of another declines with a reason.
    team_tandems = list_all(ctx, base + "/tandems", admin)
    check(len(team_tandems) == len(pairs2) and all(t["state"] == "proposed"
                                                   for t in team_tandems),
          "the team's tandems: %r" % team_tandems[:1])
    first, second, third = team_tandems[0], team_tandems[1], team_tandems[2]
    mentor = by_person[first["mentor"]["id"]]
    mine = expect_status(c.request("GET", API + "/tandems", session=mentor.session()), 200,
                         "GET /tandems").json()["items"]
    check([t["id"] for t in mine] == [first["id"]] and "decline_reason" not in mine[0]
          and mine[0]["programme_name"] and mine[0]["mentor"]["name"],
          "a partner's tandems: %r" % mine)
    check(isinstance(mine[0]["reasons"], list) and mine[0]["reasons"]
          and mine[0]["reasons"][0].get("topic") in LC_TOPICS,
          "a tandem's reasons: %r" % mine[0]["reasons"])
    resp = c.request("POST", API + "/tandems/%d/accept" % first["id"], session=mentor.session())
    expect_status(resp, 200, "the mentor accepts")
    check(resp.json()["state"] == "accepted_by_one", "one acceptance: " + resp.describe())
    mentee = by_person[first["mentee"]["id"]]
    resp = c.request("POST", API + "/tandems/%d/accept" % first["id"], session=mentee.session())
    expect_status(resp, 200, "the mentee accepts")
    check(resp.json()["state"] == "active", "both accepted: " + resp.describe())
    outsider = by_person[second["mentor"]["id"]]
    expect_problem(c.request("GET", API + "/tandems/%d" % first["id"],
                             session=outsider.session()), 404, what="another's tandem")
    decliner = by_person[second["mentee"]["id"]]
    resp = c.request("POST", API + "/tandems/%d/decline" % second["id"],
                     session=decliner.session(), json_body={"reason": "no time this year"})
    expect_status(resp, 200, "declining")
    check(resp.json()["state"] == "declined" and "decline_reason" not in resp.json(),
          "the declined tandem (partner's view): " + resp.describe())
    resp = c.request("POST", API + "/tandems/%d/accept" % second["id"],
                     session=outsider.session())
    expect_problem(resp, 409, field="declined", what="accepting a declined tandem")
    team = {t["id"]: t for t in list_all(ctx, base + "/tandems", admin)}
    check(team[second["id"]].get("decline_reason") == "no time this year",
          "the team does not see the decline reason: %r" % team[second["id"]])

    # A rematch leaves the declined pair out; the active tandem stands.
    run3 = lc_start_run(ctx, pid)
    declined_pair = (second["mentor"]["id"], second["mentee"]["id"])
    check(declined_pair not in pairs_of(run3), "the rematch proposes the declined pair again")
    check((first["mentor"]["id"], first["mentee"]["id"]) not in pairs_of(run3),
          "the rematch proposes the active tandem again")

    # Withdrawal dissolves the leaver's open proposal.
    leaver = by_person[third["mentee"]["id"]]
    expect_status(c.request("DELETE", base + "/enrolment", session=leaver.session()), 204,
                  "withdrawing")
    resp = c.request("GET", base + "/enrolment", session=leaver.session())
    check(resp.status == 200 and resp.json()["state"] == "withdrawn"
          and resp.json()["answers"] == [], "after withdrawal: " + resp.describe())
    partner = by_person[third["mentor"]["id"]]
    resp = c.request("GET", API + "/tandems/%d" % third["id"], session=partner.session())
    check(resp.status == 200 and resp.json()["state"] == "dissolved",
          "the leaver's tandem: " + resp.describe())

    # Closing completes the active tandem; closing twice names the state.
    resp = expect_status(c.request("POST", base + "/close", session=admin.session()), 200,
                         "closing")
    check(resp.json()["state"] == "closed" and isinstance(resp.json()["closed_at"], int),
          "the closed programme: " + resp.describe())
    expect_problem(c.request("POST", base + "/close", session=admin.session()), 409,
                   field="closed", what="closing twice")
    resp = c.request("GET", API + "/tandems/%d" % first["id"], session=mentor.session())
    check(resp.status == 200 and resp.json()["state"] == "completed",
          "the active tandem after closing: " + resp.describe())
    soft.done()


TESTS.append(("programme lifecycle: open, invite, enrol, runs, pins, publish, accept, decline, "
              "rematch, withdraw, close", test_programme_lifecycle))


# ---------------------------------------------------------------------------------------------
# The role flip (routes.md, "Ending, role flip, meetings held (issue 7)")


def test_role_flip(ctx):
    """Given a person who enrolled as a mentee in one programme, they offer to mentor its topic
    next time (bad keys and stale versions refused), the team invites by offer, and the second
    programme's questionnaire starts from the first answers with the offer applied."""
    c, admin = ctx.client, ctx.admin
    resp = c.request("POST", API + "/people/import", session=admin.session(),
                     body="id,name,email,department,location,manager_id,level,languages\n"
                          "E-RF-1,Rita Flip,rf1@example.test,Flip,Bonn,,4,de;en\n",
                     content_type="text/csv")
    expect_status(resp, 200, "importing the role flip person")
    rita = Actor(ctx, "RF1", "rf1@example.test", password_for("RF1"), "E-RF-1")
    rita.person_id = {p["external_id"]: p["id"]
                      for p in list_all(ctx, API + "/people", admin)}["E-RF-1"]

    def programme(name):
        resp = c.request("POST", API + "/programmes", session=admin.session(),
                         json_body={"name": "%s %d" % (name, now_ms()), "mode": "reverse",
                                    "enrolment_deadline": now_ms() + 3600000})
        expect_status(resp, 201, "POST /programmes")
        pid = resp.json()["id"]
        expect_status(c.request("POST", API + "/programmes/%d/open" % pid,
                                session=admin.session()), 200, "open")
        return pid, [t["key"] for t in resp.json()["topics"]]

    # The first programme: Rita is invited, signs in by the mailed link and enrols as a mentee.
    first, topics = programme("Flip one")
    expect_status(c.request("POST", API + "/programmes/%d/invitations" % first,
                            session=admin.session(), json_body={"person_ids": [rita.person_id]}),
                  200, "inviting Rita")
    token = ctx.mail.wait_token(rita.email, "invitation")
    resp = c.request("POST", API + "/invitations/redeem",
                     json_body={"token": token, "password": rita.password})
    rita.set_session(parse_session(resp))
    resp = c.request("PUT", API + "/programmes/%d/enrolment" % first, session=rita.session(),
                     headers={"If-Match": "*"}, json_body=lc_enrolment(topics, False))
    expect_status(resp, 200, "Rita enrols in the first programme")
    check(resp.json().get("previous") is None, "an enrolment with answers has no previous")

    # Her offer: empty at version 1; checked keys, If-Match.
    resp = expect_status(c.request("GET", API + "/me/role-offer", session=rita.session()), 200,
                         "GET /me/role-offer")
    offer = resp.json()
    check(etag_version(resp) == 1 and offer["version"] == 1 and offer["updated_at"] is None
          and offer["mentor_topics"] == [] and set(topics) == {t["key"] for t in offer["topics"]},
          "the empty offer: " + resp.describe())
    good = {"mentor_topics": ["ai"], "mentee_topics": ["cloud"]}
    expect_problem(c.request("PUT", API + "/me/role-offer", session=rita.session(),
                             json_body=good), 428, what="PUT /me/role-offer without If-Match")
    resp = c.request("PUT", API + "/me/role-offer", session=rita.session(),
                     headers={"If-Match": '"1"'},
                     json_body={"mentor_topics": ["ai", "knitting"], "mentee_topics": []})
    expect_problem(resp, 400, field="mentor_topics[1]", what="an unknown topic key")
    expect_problem(c.request("PUT", API + "/me/role-offer", session=rita.session(),
                             headers={"If-Match": '"1"'}, json_body={"mentor_topics": ["ai"]}),
                   400, field="mentee_topics", what="a missing list")
    resp = c.request("PUT", API + "/me/role-offer", session=rita.session(),
                     headers={"If-Match": '"1"'}, json_body=good)
    expect_status(resp, 200, "PUT /me/role-offer")
    check(etag_version(resp) == 2 and resp.json()["mentor_topics"] == ["ai"]
          and isinstance(resp.json()["updated_at"], int), "the saved offer: " + resp.describe())
    expect_problem(c.request("PUT", API + "/me/role-offer", session=rita.session(),
                             headers={"If-Match": '"1"'}, json_body=good),
                   412, what="PUT /me/role-offer with a stale If-Match")

    # The second programme invites by offer; Rita's questionnaire starts from her answers.
    second, _ = programme("Flip two")
    base = API + "/programmes/%d" % second
    expect_problem(c.request("POST", base + "/invitations", session=admin.session(),
                             json_body={"filter": {"offers": "both"}}),
                   400, field="filter/offers", what="an unknown offers filter")
    resp = c.request("POST", base + "/invitations", session=admin.session(),
                     json_body={"filter": {"offers": "mentor"}})
    expect_status(resp, 200, "inviting by offer")
    check(resp.json()["invited"] >= 1, "inviting by offer: " + resp.describe())
    invited = {e["person_id"] for e in list_all(ctx, base + "/enrolments", admin)}
    check(rita.person_id in invited, "the offer filter did not invite Rita: %r" % invited)
    resp = expect_status(c.request("GET", base + "/enrolment", session=rita.session()), 200,
                         "GET the second enrolment")
    previous = resp.json().get("previous")
    check(isinstance(previous, dict) and previous["programme_id"] == first
          and previous["mentor_capacity"] == 1 and previous["mentee_capacity"] == 1
          and previous["availability"] == "Thursdays", "previous: " + resp.describe())
    answers = {a["topic"]: a for a in previous["answers"]}
    check(answers.get("ai", {}).get("skill") == 2 and answers["ai"]["interest"] == 3
          and answers.get("cloud", {}).get("interest") == 3,
          "previous answers with the offer applied: %r" % previous["answers"])
    body = dict(lc_enrolment(topics, False), mentor_capacity=1)
    body["answers"] = [dict(a, skill=2, experience="Taught it") if a["topic"] == "ai" else a
                       for a in body["answers"]]
    expect_status(c.request("PUT", base + "/enrolment", session=rita.session(),
                            headers={"If-Match": "*"}, json_body=body), 200,
                  "Rita enrols in the second programme")
    resp = expect_status(c.request("GET", base + "/enrolment", session=rita.session()), 200,
                         "GET the second enrolment again")
    check(resp.json().get("previous") is None, "previous after saving: " + resp.describe())


TESTS.append(("role flip: offer, bad key, stale If-Match, invite by offer, previous answers",
              test_role_flip))
