"""The data export over HTTP (issue 9, GDPR Art. 15 and 20; docs/personal-data.md): a partner
downloads everything Tandem holds about them as a JSON attachment, with their own private notes
and the shared ones but never the partner's private note, no secret (password hash, session and
token hashes, the session cookie), a readable summary; an API token cannot download it; the
download is audited. Run by run_http_tests.py on SQLite and PostgreSQL.
"""

import re
import uuid

import workspace
from helpers import API, check, expect_problem, expect_status


def _get(ctx, actor, what):
    resp = ctx.client.request("GET", API + "/me/export", session=actor.session())
    return expect_status(resp, 200, what)


def test_data_export(ctx):
    w1, w2, s = ctx.actor("W1"), ctx.actor("W2"), ctx.admin
    tid = workspace.open_workspace(ctx)
    base = API + "/tandems/%d" % tid
    shared, mine, theirs = ("export-%s-%s" % (kind, uuid.uuid4().hex)
                            for kind in ("shared", "mine", "theirs"))
    for actor, text, private in ((w1, shared, False), (w1, mine, True), (w2, theirs, True)):
        expect_status(ctx.client.request("POST", base + "/notes", session=actor.session(),
                                         json_body={"title": "t", "text": text,
                                                    "private": private}),
                      201, "%s writes a note" % actor.label)

    # Given W1's download, it is a JSON attachment for today that nobody caches...
    resp = _get(ctx, w1, "W1's export")
    check(resp.content_type == "application/json", "not JSON: " + resp.describe())
    disposition = resp.header("Content-Disposition") or ""
    check(re.fullmatch(r'attachment; filename="tandem-export-\d{4}-\d{2}-\d{2}\.json"',
                       disposition), "Content-Disposition: %r" % disposition)
    check((resp.header("Cache-Control") or "") == "no-store",
          "Cache-Control: %r" % resp.header("Cache-Control"))
    data = resp.json()
    text = resp.body.decode("utf-8")

    # ...holding the account, the person and the tandem with what W1 may read...
    check(data["account"]["email"] == w1.email, "the account: %r" % data["account"])
    check(data["person"] and data["person"]["id"] == w1.person_id, "the person: %r"
          % data["person"])
    tandem = [t for t in data["tandems"] if t["id"] == tid]
    check(len(tandem) == 1, "the tandem %d is not in the export" % tid)
    tandem = tandem[0]
    check(tandem["content"] == "included" and tandem["partner"]["id"] == w2.person_id,
          "the tandem: %r" % {k: tandem[k] for k in ("content", "partner", "role")})
    notes = " ".join(n["text"] for n in tandem["notes"])
    check(shared in notes and mine in notes, "W1's shared and own private note are missing")
    check(theirs not in text, "W2's private note is in W1's export")
    check(any(s["current"] for s in data["sessions"]), "the current session is not marked")
    check(isinstance(data["summary"], list) and data["summary"]
          and all(isinstance(line, str) and line for line in data["summary"]),
          "the summary: %r" % data["summary"])
    # ...and no secret: no hash, not the session cookie's token.
    for secret in ("password_hash", "token_hash", "csrf", "wrapped_key", "ciphertext"):
        check(secret not in text, "the export holds %r" % secret)
    token = w1.session().cookie.split("=", 1)[1].split(";")[0]
    check(token not in text, "the export holds the session's token")

    # W2's export holds W2's private note.
    check(theirs in _get(ctx, w2, "W2's export").body.decode("utf-8"),
          "W2's own private note is missing from W2's export")

    # An API token does not download it; without credentials: 401.
    resp = ctx.client.request("POST", API + "/api-tokens", session=s.session(),
                              json_body={"name": "export probe", "scopes": ["people:read"]})
    bearer = expect_status(resp, 201, "S creates an API token").json()["token"]
    expect_problem(ctx.client.request("GET", API + "/me/export", bearer=bearer), 403,
                   what="the export with an API token")
    expect_problem(ctx.client.request("GET", API + "/me/export"), 401,
                   what="the export without credentials")

    # The download is audited, by account id only.
    entries = []
    after = 0
    while True:
        page = expect_status(ctx.client.request("GET", API + "/audit?limit=500&after=%d" % after,
                                                session=s.session()), 200, "the audit log").json()
        entries += [e for e in page["items"] if e["action"] == "data.export"]
        if not page["next_after"]:
            break
        after = page["next_after"]
    check(any(e["entity"] == "account" and e["entity_id"] == w1.account_id
              and e["actor"] == "account:%d" % w1.account_id for e in entries),
          "no data.export audit entry for W1: %r" % entries[-3:])
    check(all(shared not in str(e) and w1.email not in str(e) for e in entries),
          "an audit entry holds personal data")


TESTS = [
    ("data export: a JSON attachment of everything about the caller, the partner's private note "
     "never, no secret, API tokens refused, audited", test_data_export),
]
