"""The authorisation matrix: every route of docs/api/routes.md x every kind of caller x {own
record, someone else's}, with the status each cell must answer. The test runs every cell against
the server and reports all mismatching cells at once. A second test fails when the server's
/api/v1/openapi.json, docs/api/routes.md and this matrix do not name the same routes, so a route
added without a row here fails.

Callers:
  anon  no credentials
  U1    a participant, enrolled in programme P1
  U2    another participant of P1
  A1    the administrator of P1 (not enrolled anywhere)
  A2    the administrator of P2, "another programme's administrator"
  S     the system administrator (an account without a person)

Targets, for routes with a record in the path:
  own     the caller's own record: their person; the programme they are enrolled in or
          administer (P1 for U1, U2, A1; P2 for A2); an API token they created. "n/a" where the
          caller has none (anon everywhere; S has no person and no programme of their own).
  other   someone else's: the person U1 (U2 for U1 itself; the spare participant V1 of P1 for
          DELETE, so that erasing it spares U1); a programme the caller is not in (P2; P1 for
          A2 and anon); an API token of S (of A1 for S).
  -       the route has no record.

The rules behind the statuses (src/app/directory.h, routes.md): 401 without credentials; a
record the caller may not see answers 404 as if it did not exist; an action on a record the
caller may see but not change answers 403; so does a collection route the caller's role may not
use. Unsafe requests carry the session's X-CSRF-Token, so each cell tests permission, not CSRF.
"""

import json
import os
import re
import time

from helpers import API, Fail, check, etag_version, is_problem

CALLERS = ["anon", "U1", "U2", "A1", "A2", "S"]

TABLE = """
method path                                           target anon U1   U2   A1   A2   S
GET    /healthz                                       -      200  200  200  200  200  200
GET    /metrics                                       -      200  200  200  200  200  200
GET    /api/v1/openapi.json                           -      200  200  200  200  200  200
POST   /api/v1/session                                -      201  201  201  201  201  201
GET    /api/v1/session                                -      401  200  200  200  200  200
DELETE /api/v1/session                                -      401  204  204  204  204  204
POST   /api/v1/session/end-all                        -      401  204  204  204  204  204
POST   /api/v1/sign-in-links                          -      202  202  202  202  202  202
POST   /api/v1/sign-in-links/redeem                   -      201  201  201  201  201  201
POST   /api/v1/invitations/redeem                     -      201  201  201  201  201  201
POST   /api/v1/password-resets                        -      202  202  202  202  202  202
POST   /api/v1/password-resets/redeem                 -      201  201  201  201  201  201
GET    /api/v1/me                                     -      401  200  200  200  200  200
PUT    /api/v1/me                                     -      401  200  200  200  200  200
PUT    /api/v1/me/password                            -      401  204  204  204  204  204
GET    /api/v1/me/export                              -      401  200  200  200  200  200
GET    /api/v1/people                                 -      401  200  200  200  200  200
POST   /api/v1/people                                 -      401  403  403  403  403  201
POST   /api/v1/people/import                          -      401  403  403  403  403  200
GET    /api/v1/people/{id}                            own    n/a  200  200  200  200  n/a
GET    /api/v1/people/{id}                            other  401  404  404  200  404  200
PUT    /api/v1/people/{id}                            own    n/a  403  403  403  403  n/a
PUT    /api/v1/people/{id}                            other  401  404  404  403  404  200
DELETE /api/v1/people/{id}                            own    n/a  403  403  403  403  n/a
DELETE /api/v1/people/{id}                            other  401  404  404  403  404  204
POST   /api/v1/people/{id}/invitation                 own    n/a  403  403  403  403  n/a
POST   /api/v1/people/{id}/invitation                 other  401  404  404  202  404  202
GET    /api/v1/programmes                             -      401  200  200  200  200  200
POST   /api/v1/programmes                             -      401  403  403  201  201  201
GET    /api/v1/programmes/{id}                        own    n/a  200  200  200  200  n/a
GET    /api/v1/programmes/{id}                        other  401  404  404  404  404  200
PUT    /api/v1/programmes/{id}                        own    n/a  403  403  200  200  n/a
PUT    /api/v1/programmes/{id}                        other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/admins                 own    n/a  404  404  200  200  n/a
GET    /api/v1/programmes/{id}/admins                 other  401  404  404  404  404  200
PUT    /api/v1/programmes/{id}/admins/{account_id}    own    n/a  403  403  403  403  n/a
PUT    /api/v1/programmes/{id}/admins/{account_id}    other  401  404  404  404  404  204
DELETE /api/v1/programmes/{id}/admins/{account_id}    own    n/a  403  403  403  403  n/a
DELETE /api/v1/programmes/{id}/admins/{account_id}    other  401  404  404  404  404  204
GET    /api/v1/accounts                               -      401  403  403  403  403  200
GET    /api/v1/audit                                  -      401  403  403  403  403  200
GET    /api/v1/api-tokens                             -      401  200  200  200  200  200
POST   /api/v1/api-tokens                             -      401  403  403  201  201  201
DELETE /api/v1/api-tokens/{id}                        own    n/a  n/a  n/a  204  204  204
DELETE /api/v1/api-tokens/{id}                        other  401  404  404  404  404  404
POST   /api/v1/programmes/{id}/open                                         own    n/a  403  403  200  200  n/a
POST   /api/v1/programmes/{id}/open                                         other  401  404  404  404  404  200
POST   /api/v1/programmes/{id}/close                                        own    n/a  403  403  200  200  n/a
POST   /api/v1/programmes/{id}/close                                        other  401  404  404  404  404  200
POST   /api/v1/programmes/{id}/invitations                                  own    n/a  403  403  200  200  n/a
POST   /api/v1/programmes/{id}/invitations                                  other  401  404  404  404  404  200
POST   /api/v1/programmes/{id}/invitations/{person_id}/resend               own    n/a  403  403  202  202  n/a
POST   /api/v1/programmes/{id}/invitations/{person_id}/resend               other  401  404  404  404  404  202
DELETE /api/v1/programmes/{id}/invitations/{person_id}                      own    n/a  403  403  204  204  n/a
DELETE /api/v1/programmes/{id}/invitations/{person_id}                      other  401  404  404  404  404  204
GET    /api/v1/programmes/{id}/enrolments                                   own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/enrolments                                   other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/summary                                      own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/summary                                      other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/enrolment                                    own    n/a  200  200  404  404  n/a
GET    /api/v1/programmes/{id}/enrolment                                    other  401  404  404  404  404  403
PUT    /api/v1/programmes/{id}/enrolment                                    own    n/a  200  200  404  404  n/a
PUT    /api/v1/programmes/{id}/enrolment                                    other  401  404  404  404  404  403
DELETE /api/v1/programmes/{id}/enrolment                                    own    n/a  204  204  404  404  n/a
DELETE /api/v1/programmes/{id}/enrolment                                    other  401  404  404  404  404  403
POST   /api/v1/programmes/{id}/runs                                         own    n/a  403  403  202  202  n/a
POST   /api/v1/programmes/{id}/runs                                         other  401  404  404  404  404  202
GET    /api/v1/programmes/{id}/runs                                         own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/runs                                         other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/runs/{run_id}                                own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/runs/{run_id}                                other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/runs/{run_id}/compare/{other_id}             own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/runs/{run_id}/compare/{other_id}             other  401  404  404  404  404  200
POST   /api/v1/programmes/{id}/runs/{run_id}/publish                        own    n/a  403  403  200  200  n/a
POST   /api/v1/programmes/{id}/runs/{run_id}/publish                        other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/pair-rules                                   own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/pair-rules                                   other  401  404  404  404  404  200
PUT    /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}           own    n/a  403  403  200  200  n/a
PUT    /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}           other  401  404  404  404  404  200
DELETE /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}           own    n/a  403  403  204  204  n/a
DELETE /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}           other  401  404  404  404  404  204
GET    /api/v1/programmes/{id}/tandems                                      own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/tandems                                      other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/suggestions                                  own    n/a  200  200  404  404  n/a
GET    /api/v1/programmes/{id}/suggestions                                  other  401  404  404  404  404  403
POST   /api/v1/programmes/{id}/requests                                     own    n/a  201  201  404  404  n/a
POST   /api/v1/programmes/{id}/requests                                     other  401  404  404  404  404  403
GET    /api/v1/tandems                                                      -      401  200  200  200  200  403
GET    /api/v1/tandems/{id}                                                 own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}                                                 other  401  404  404  404  404  403
POST   /api/v1/tandems/{id}/accept                                          own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/accept                                          other  401  404  404  404  404  403
POST   /api/v1/tandems/{id}/decline                                         own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/decline                                         other  401  404  404  404  404  403
POST   /api/v1/tandems/{id}/complete                                        own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/complete                                        other  401  404  404  404  404  403
POST   /api/v1/tandems/{id}/dissolve                                        own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/dissolve                                        other  401  404  404  404  404  403
GET    /api/v1/tandems/{id}/agreement                                       own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/agreement                                       other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/agreement/accept                                own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/agreement/accept                                other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/roadmap                                         own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/roadmap                                         other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/roadmap                                         own    n/a  201  201  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/roadmap                                         other  401  404  404  404  404  404
PUT    /api/v1/tandems/{id}/roadmap/order                                   own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/tandems/{id}/roadmap/order                                   other  401  404  404  404  404  404
PUT    /api/v1/tandems/{id}/roadmap/{item_id}                               own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/tandems/{id}/roadmap/{item_id}                               other  401  404  404  404  404  404
DELETE /api/v1/tandems/{id}/roadmap/{item_id}                               own    n/a  204  204  n/a  n/a  n/a
DELETE /api/v1/tandems/{id}/roadmap/{item_id}                               other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/notes                                           own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/notes                                           other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/notes                                           own    n/a  201  201  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/notes                                           other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/notes/{note_id}                                 own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/notes/{note_id}                                 other  401  404  404  404  404  404
PUT    /api/v1/tandems/{id}/notes/{note_id}                                 own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/tandems/{id}/notes/{note_id}                                 other  401  404  404  404  404  404
DELETE /api/v1/tandems/{id}/notes/{note_id}                                 own    n/a  204  204  n/a  n/a  n/a
DELETE /api/v1/tandems/{id}/notes/{note_id}                                 other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings                                        own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/meetings                                        other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings                                        own    n/a  201  201  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/meetings                                        other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings/{meeting_id}                           own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/meetings/{meeting_id}                           other  401  404  404  404  404  404
PUT    /api/v1/tandems/{id}/meetings/{meeting_id}                           own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/tandems/{id}/meetings/{meeting_id}                           other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/accept                    own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/accept                    other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/cancel                    own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/cancel                    other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/held                      own    n/a  200  200  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/held                      other  401  404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings/{meeting_id}/calendar.ics              own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/meetings/{meeting_id}/calendar.ics              other  401  404  404  404  404  404
POST   /api/v1/tandems/{id}/asks                                            own    n/a  201  201  n/a  n/a  n/a
POST   /api/v1/tandems/{id}/asks                                            other  401  404  404  404  404  404
GET    /api/v1/programmes/{id}/asks                                         own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/asks                                         other  401  404  404  404  404  200
POST   /api/v1/me/calendar-feed                                             -      401  201  201  201  201  403
DELETE /api/v1/me/calendar-feed                                             -      401  204  204  204  204  403
GET    /api/v1/calendar-feed                                                -      200  200  200  200  200  200
GET    /api/v1/me/role-offer                                                -      401  200  200  200  200  403
PUT    /api/v1/me/role-offer                                                -      401  200  200  200  200  403
GET    /api/v1/programmes/{id}/surveys                                      own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/surveys                                      other  401  404  404  404  404  200
GET    /api/v1/surveys/{id}                                                 own    n/a  403  403  200  200  n/a
GET    /api/v1/surveys/{id}                                                 other  401  404  404  404  404  200
PUT    /api/v1/surveys/{id}                                                 own    n/a  403  403  200  200  n/a
PUT    /api/v1/surveys/{id}                                                 other  401  404  404  404  404  200
POST   /api/v1/surveys/{id}/open                                            own    n/a  403  403  200  200  n/a
POST   /api/v1/surveys/{id}/open                                            other  401  404  404  404  404  200
POST   /api/v1/surveys/{id}/close                                           own    n/a  403  403  200  200  n/a
POST   /api/v1/surveys/{id}/close                                           other  401  404  404  404  404  200
POST   /api/v1/surveys/{id}/reopen                                          own    n/a  403  403  200  200  n/a
POST   /api/v1/surveys/{id}/reopen                                          other  401  404  404  404  404  200
GET    /api/v1/surveys/{id}/results                                         own    n/a  403  403  200  200  n/a
GET    /api/v1/surveys/{id}/results                                         other  401  404  404  404  404  200
GET    /api/v1/me/surveys                                                   -      401  200  200  200  200  403
GET    /api/v1/surveys/{id}/response                                        own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/surveys/{id}/response                                        other  401  404  404  404  404  403
PUT    /api/v1/surveys/{id}/response                                        own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/surveys/{id}/response                                        other  401  404  404  404  404  403
GET    /api/v1/tandems/{id}/feedback                                        own    n/a  200  200  n/a  n/a  n/a
GET    /api/v1/tandems/{id}/feedback                                        other  401  404  404  404  404  403
PUT    /api/v1/tandems/{id}/feedback                                        own    n/a  200  200  n/a  n/a  n/a
PUT    /api/v1/tandems/{id}/feedback                                        other  401  404  404  404  404  403
GET    /api/v1/programmes/{id}/dashboard                                    own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/dashboard                                    other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/exports/dashboard.csv                        own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/exports/dashboard.csv                        other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/exports/dashboard.xlsx                       own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/exports/dashboard.xlsx                       other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/exports/tandems.csv                          own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/exports/tandems.csv                          other  401  404  404  404  404  200
GET    /api/v1/programmes/{id}/exports/tandems.xlsx                         own    n/a  403  403  200  200  n/a
GET    /api/v1/programmes/{id}/exports/tandems.xlsx                         other  401  404  404  404  404  200
"""

# Notes on cells where the app code (src/app) may answer otherwise; the table follows the rules:
# - POST /people/{id}/invitation, own: the caller sees their own person record but may not invite
#   it: 403 (not 404).
# - PUT/DELETE /programmes/{id}/admins/{account_id}, other: the caller may not see the programme:
#   404 (not 403), as for every other route on an invisible programme.
# - GET /programmes/{id}/admins, own, for a participant: the administrator list is not visible
#   to them: 404.
#
# The programme lifecycle (routes.md, "Programme lifecycle"): "team" routes answer 403 to a
# participant of the programme (they see it) and 404 to everyone else outside the team; the
# participant routes are the caller's own (a browser session with a person: S has none, 403).
# A cell where the caller may act gets a fresh programme prepared for the route by S (see
# Matrix.lifecycle_cell), so that every success is a real one and no cell depends on another.
# "own" tandems are U1's and U2's (a partner asked them); the "other" tandem is V1's and U3's.
#
# The tandem's workspace (routes.md, "The tandem's workspace"): only its two partners get in;
# everyone else gets 404, the administrators of its programme and the system administrator too.
# "own" is the open workspace of U1 (with W1) or of U2 (with W2), in a programme A1 administers;
# "other" is U1's for everyone but U1, who gets U2's: a real workspace with content, so that 404
# means "not yours", not "nothing there". See Matrix.workspace_cell.


def parse_table(text):
    rows = []
    for line in text.strip().splitlines()[1:]:
        cols = line.split()
        if not cols:
            continue
        if len(cols) != 3 + len(CALLERS):
            raise ValueError("matrix row with %d columns: %r" % (len(cols), line))
        method, path, target = cols[:3]
        expected = {}
        for caller, cell in zip(CALLERS, cols[3:]):
            expected[caller] = None if cell == "n/a" else int(cell)
        rows.append((method, path, target, expected))
    return rows


ROWS = parse_table(TABLE)
GHOST = "nobody-matrix@example.test"


class Cell:
    """What one cell sends: path parameters, body, headers."""

    def __init__(self, params=None, json_body=None, body=None, content_type=None, headers=None,
                 label="", query=""):
        self.params = params or {}
        self.query = query
        self.json_body = json_body
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}
        self.label = label


class Matrix:
    def __init__(self, ctx):
        self.ctx = ctx
        self.counter = 0
        self.pools = {}

    # ---- who and what

    def actor(self, caller):
        if caller == "anon":
            return None
        return self.ctx.admin if caller == "S" else self.ctx.actor(caller)

    def person_target(self, caller, which, erase=False):
        if which == "own":
            actor = self.actor(caller)
            if actor is None or actor.person_id is None:
                return None
            return actor.person_id, "own person"
        if erase:
            return self.ctx.actor("V1").person_id, "person V1"
        label = "U2" if caller == "U1" else "U1"
        return self.ctx.actor(label).person_id, "person " + label

    def programme_target(self, caller, which):
        own = {"U1": "P1", "U2": "P1", "A1": "P1", "A2": "P2"}
        other = {"anon": "P1", "U1": "P2", "U2": "P2", "A1": "P2", "A2": "P1", "S": "P2"}
        key = own.get(caller) if which == "own" else other.get(caller)
        if key is None:
            return None
        return self.ctx.programmes[key], "programme " + key

    def new_token(self, owner):
        resp = self.ctx.client.request("POST", API + "/api-tokens", session=owner.session(),
                                       json_body={"name": "matrix victim",
                                                  "scopes": ["people:read"]})
        if resp.status != 201:
            raise Fail("setting up a matrix cell: %s cannot create an API token: %s"
                       % (owner.label, resp.describe()))
        return resp.json()["id"]

    def admin_get(self, path):
        resp = self.ctx.client.request("GET", path, session=self.ctx.admin.session())
        if resp.status != 200:
            raise Fail("setting up a matrix cell: GET %s as S: %s" % (path, resp.describe()))
        return resp

    def unique(self):
        self.counter += 1
        return self.counter

    def prepare_pools(self):
        """One-time tokens for the redeem routes: one per caller, requested up front."""
        c, mail, admin = self.ctx.client, self.ctx.mail, self.ctx.admin
        k, n, r = self.ctx.actor("K"), self.ctx.actor("N"), self.ctx.actor("R")
        n_cells = len(CALLERS)
        for _ in range(n_cells):
            for path, address in ((API + "/sign-in-links", k.email),
                                  (API + "/password-resets", r.email)):
                resp = c.request("POST", path, json_body={"email": address})
                if resp.status != 202:
                    raise Fail("matrix set-up: POST %s: %s" % (path, resp.describe()))
            resp = c.request("POST", API + "/people/%d/invitation" % n.person_id,
                             session=admin.session())
            if resp.status != 202:
                raise Fail("matrix set-up: inviting N: " + resp.describe())
        self.pools["link"] = mail.wait_tokens(k.email, "link", n_cells)
        self.pools["reset"] = mail.wait_tokens(r.email, "token", n_cells)
        self.pools["invitation"] = mail.wait_tokens(n.email, "invitation", n_cells)

    # ---- the request of a cell; None when the caller has no such target

    def cell(self, method, path, caller, which):
        ctx = self.ctx
        actor = self.actor(caller)
        route = (method, path)
        if route == ("POST", API + "/session"):
            k = ctx.actor("K")
            return Cell(json_body={"email": k.email, "password": k.password})
        if route in {("POST", API + "/sign-in-links"), ("POST", API + "/password-resets")}:
            return Cell(json_body={"email": GHOST})
        if route == ("POST", API + "/sign-in-links/redeem"):
            return Cell(json_body={"token": self.pools["link"].pop()})
        if route == ("POST", API + "/invitations/redeem"):
            return Cell(json_body={"token": self.pools["invitation"].pop(),
                                   "password": ctx.actor("N").password})
        if route == ("POST", API + "/password-resets/redeem"):
            return Cell(json_body={"token": self.pools["reset"].pop(),
                                   "password": ctx.actor("R").password})
        if route == ("PUT", API + "/me"):
            version = 1
            if actor is not None:
                resp = ctx.client.request("GET", API + "/me", session=actor.session())
                version = etag_version(resp) if resp.status == 200 else 1
            return Cell(json_body={"display_name": "Matrix %s" % caller},
                        headers={"If-Match": '"%d"' % version})
        if route == ("PUT", API + "/me/password"):
            password = actor.password if actor is not None else "not signed in at all"
            return Cell(json_body={"current_password": password, "new_password": password})
        if route == ("POST", API + "/people"):
            return Cell(json_body={"external_id": "E-MATRIX-%d" % self.unique(),
                                   "name": "Matrix Person", "level": 1, "languages": ["de"]})
        if route == ("POST", API + "/people/import"):
            return Cell(body="id,name,email,level\nE-MATRIX-IMPORT,Matrix Import,"
                             "mi@example.test,2\n", content_type="text/csv")
        if path.startswith(API + "/people/{id}"):
            target = self.person_target(caller, which, erase=(method == "DELETE"))
            if target is None:
                return None
            person_id, label = target
            cell = Cell(params={"id": person_id}, label=label)
            if method == "PUT":
                resp = self.admin_get(API + "/people/%d" % person_id)
                person = resp.json()
                cell.json_body = {k: person[k] for k in (
                    "external_id", "name", "email", "department", "location", "manager_id",
                    "level", "languages")}
                cell.headers = {"If-Match": '"%d"' % etag_version(resp)}
            return cell
        if route == ("POST", API + "/programmes"):
            return Cell(json_body={"name": "Matrix programme %d" % self.unique()})
        if route == ("GET", API + "/calendar-feed"):
            # Whoever holds the secret URL reads the feed: here, U1's, fresh for the cell.
            resp = ctx.client.request("POST", API + "/me/calendar-feed",
                                      session=ctx.actor("U1").session())
            if resp.status != 201:
                raise Fail("setting up a feed cell: " + resp.describe())
            return Cell(query="token=" + resp.json()["token"], label="U1's feed")
        if route == ("PUT", API + "/me/role-offer"):
            # The role flip: participants only (a person in a browser session; S has none).
            return Cell(json_body={"mentor_topics": [], "mentee_topics": []},
                        headers={"If-Match": "*"})
        if path.startswith(SURVEY_PREFIXES):
            return self.survey_cell(method, path, caller, which)
        if path.startswith(WORKSPACE_PREFIXES):
            return self.workspace_cell(method, path, caller, which)
        if path in LIFECYCLE_ROUTES:
            return self.lifecycle_cell(method, path, caller, which)
        if path.startswith(API + "/programmes/{id}"):
            target = self.programme_target(caller, which)
            if target is None:
                return None
            programme_id, label = target
            cell = Cell(params={"id": programme_id}, label=label)
            if path == API + "/programmes/{id}" and method == "PUT":
                resp = self.admin_get(API + "/programmes/%d" % programme_id)
                cell.json_body = {k: v for k, v in resp.json().items()
                                  if k not in ("id", "state", "version")}
                cell.headers = {"If-Match": '"%d"' % etag_version(resp)}
            if "{account_id}" in path:
                x = ctx.actor("X")
                cell.params["account_id"] = x.account_id
                cell.label += ", account X"
                if method == "DELETE":  # X must administer it, so that only permission decides
                    resp = ctx.client.request(
                        "PUT", API + "/programmes/%d/admins/%d" % (programme_id, x.account_id),
                        session=ctx.admin.session())
                    if resp.status != 204:
                        raise Fail("matrix set-up: appointing X: " + resp.describe())
            return cell
        if route == ("POST", API + "/api-tokens"):
            return Cell(json_body={"name": "matrix %s" % caller, "scopes": ["people:read"]})
        if path == API + "/api-tokens/{id}":
            if which == "own":
                if caller not in ("A1", "A2", "S"):
                    return None  # participants have no tokens
                return Cell(params={"id": self.new_token(actor)}, label="own token")
            owner = ctx.actor("A1") if caller == "S" else ctx.admin
            return Cell(params={"id": self.new_token(owner)}, label="token of " + owner.label)
        return Cell()  # routes without a record or a body

    # ---- the programme lifecycle: fresh programmes set up by S

    def s_request(self, method, path, what, **kwargs):
        resp = self.ctx.client.request(method, path, session=self.ctx.admin.session(), **kwargs)
        if not 200 <= resp.status < 300:
            raise Fail("setting up a lifecycle cell: %s: %s" % (what, resp.describe()))
        return resp

    def fresh_programme(self, admin=None, mode="reverse", state="enrolling", invite=(),
                        enrol=()):
        """A new programme (default catalogue, deadline tomorrow) administered by `admin`;
        `state` "draft", "enrolling" (opened), or "matching" (opened, then the deadline moved into
        the past); `invite` and `enrol` name actors invited (and enrolled by themselves)."""
        now = int(time.time() * 1000)
        resp = self.s_request("POST", API + "/programmes", "POST /programmes",
                              json_body={"name": "Lifecycle matrix %d" % self.unique(),
                                         "mode": mode, "enrolment_deadline": now + 86400000})
        pid = resp.json()["id"]
        if admin is not None:
            self.s_request("PUT", API + "/programmes/%d/admins/%d" % (pid, admin.account_id),
                           "appointing " + admin.label)
        if state == "draft":
            return pid
        self.s_request("POST", API + "/programmes/%d/open" % pid, "opening")
        people = [self.ctx.actor(label) for label in tuple(invite) + tuple(enrol)]
        if people:
            self.s_request("POST", API + "/programmes/%d/invitations" % pid, "inviting",
                           json_body={"person_ids": [a.person_id for a in people]})
        for label in enrol:
            self.enrol(pid, self.ctx.actor(label))
        if state == "matching":
            self.move_deadline(pid, now - 1000)
            resp = self.s_request("POST", API + "/programmes/%d/runs" % pid, "queueing a run",
                                  json_body={})
            self.wait_run(pid, resp.json()["id"])
        return pid

    def enrol(self, pid, actor):
        topics = self.admin_get(API + "/programmes/%d" % pid).json()["topics"]
        answers = [{"topic": t["key"], "interest": 2, "skill": 1, "experience": ""}
                   for t in topics]
        resp = self.ctx.client.request(
            "PUT", API + "/programmes/%d/enrolment" % pid, session=actor.session(),
            headers={"If-Match": "*"},
            json_body={"mentor_capacity": 1, "mentee_capacity": 1, "languages": ["de", "en"],
                       "availability": "Tuesdays", "answers": answers})
        if resp.status != 200:
            raise Fail("setting up a lifecycle cell: %s enrols: %s" % (actor.label,
                                                                      resp.describe()))

    def move_deadline(self, pid, deadline):
        resp = self.admin_get(API + "/programmes/%d" % pid)
        body = {k: v for k, v in resp.json().items()
                if k not in ("id", "state", "version", "closed_at")}
        body["enrolment_deadline"] = deadline
        self.s_request("PUT", API + "/programmes/%d" % pid, "moving the deadline", json_body=body,
                       headers={"If-Match": '"%d"' % etag_version(resp)})

    def start_run(self, pid):
        resp = self.s_request("POST", API + "/programmes/%d/runs" % pid, "queueing a run",
                              json_body={})
        return self.wait_run(pid, resp.json()["id"])

    def wait_run(self, pid, run_id, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            run = self.admin_get(API + "/programmes/%d/runs/%d" % (pid, run_id)).json()
            if run.get("state") in ("done", "failed"):
                if run["state"] != "done":
                    raise Fail("setting up a lifecycle cell: run %d failed: %r"
                               % (run_id, run.get("error")))
                return run_id
            if time.monotonic() > deadline:
                raise Fail("setting up a lifecycle cell: run %d is still %s after %d s"
                           % (run_id, run.get("state"), timeout))
            time.sleep(0.2)

    def partner_for(self, caller):
        """Someone who never formed a pair with `caller`: a run or a request excludes every pair
        of the history, so each tandem of the matrix needs a pair of its own."""
        pools = self.ctx.__dict__.setdefault("matrix_partners", {
            "U1": ["L", "E", "I", "RR"], "U2": ["C", "K", "X", "RR"]})
        if not pools.get(caller):
            raise Fail("matrix set-up: no partner left for " + caller)
        return pools[caller].pop(0)

    def partner_tandem(self, caller, partner):
        """A tandem that `partner` asked `caller` for (the caller has yet to accept it)."""
        pid = self.fresh_programme(mode="open", enrol=(caller, partner))
        me = self.ctx.actor(caller)
        resp = self.ctx.client.request("POST", API + "/programmes/%d/requests" % pid,
                                       session=self.ctx.actor(partner).session(),
                                       json_body={"partner_id": me.person_id,
                                                  "partner_role": "mentee"})
        if resp.status != 201:
            raise Fail("setting up a lifecycle cell: %s asks %s: %s"
                       % (partner, caller, resp.describe()))
        return resp.json()["id"]

    def active_tandem(self, caller):
        """An active tandem of `caller` (U1, U2): the one the GET cell looked at, accepted now;
        complete marks it (still active), then dissolve ends it."""
        active = self.ctx.__dict__.setdefault("matrix_active_tandems", {})
        if caller not in active:
            tid = self.ctx.__dict__.get("matrix_seen_tandems", {}).get(caller)
            if tid is None:
                tid = self.partner_tandem(caller, self.partner_for(caller))
            resp = self.ctx.client.request("POST", API + "/tandems/%d/accept" % tid,
                                           session=self.ctx.actor(caller).session())
            if resp.status != 200 or resp.json().get("state") != "active":
                raise Fail("setting up an ending cell: %s accepts: %s"
                           % (caller, resp.describe()))
            active[caller] = tid
        return active[caller]

    def lifecycle_cell(self, method, path, caller, which):
        ctx = self.ctx
        actor = self.actor(caller)
        suffix = path[len(API):]
        # F1 is the person invited: no cell's record, so that a programme administrator who
        # invites them sees no one the person cells look at.
        u1, u2, f1 = (ctx.actor(x).person_id for x in ("U1", "U2", "F1"))
        body = LIFECYCLE_BODIES.get((method, suffix))
        if isinstance(body, dict):
            body = json.loads(json.dumps(body).replace('"$F1"', str(f1)).replace(
                '"$U2"', str(u2)))
        headers = {"If-Match": "*"} if (method, suffix) == (
            "PUT", "/programmes/{id}/enrolment") else {}
        if suffix.startswith("/tandems"):
            if which == "-":
                return Cell()
            if which == "own":
                if caller not in ("U1", "U2"):
                    return None  # only U1 and U2 have tandems
                if suffix in ("/tandems/{id}/complete", "/tandems/{id}/dissolve"):
                    return Cell(params={"id": self.active_tandem(caller)}, json_body=body,
                                label="an active tandem of %s" % caller)
                partner = self.partner_for(caller)
                tid = self.partner_tandem(caller, partner)
                if (method, suffix) == ("GET", "/tandems/{id}"):
                    ctx.__dict__.setdefault("matrix_seen_tandems", {})[caller] = tid
                return Cell(params={"id": tid}, json_body=body,
                            label="a tandem %s asked %s for" % (partner, caller))
            if getattr(ctx, "matrix_other_tandem", None) is None:
                ctx.matrix_other_tandem = self.partner_tandem("V1", "U3")
            return Cell(params={"id": ctx.matrix_other_tandem}, json_body=body,
                        label="the tandem of V1 and U3")
        team = suffix not in PARTICIPANT_SUFFIXES
        acts = ((which == "own" and caller in ("A1", "A2")) or (which == "other" and caller == "S")
                if team else which == "own" and caller in ("U1", "U2"))
        params = {"person_id": f1, "run_id": 1, "other_id": 1, "mentor_id": u1, "mentee_id": u2}
        prepare = LIFECYCLE_PREPARE.get((method, suffix)) if acts else None
        if prepare is None:
            target = self.programme_target(caller, which)
            if target is None:
                return None
            params["id"] = target[0]
            return Cell(params=params, json_body=body, headers=headers, label=target[1])
        admin = actor if team and caller != "S" else None
        label = "a fresh programme"
        if prepare == "draft":
            pid = self.fresh_programme(admin, state="draft")
        elif prepare == "enrolling":
            pid = self.fresh_programme(admin)
        elif prepare == "invited":
            pid = self.fresh_programme(admin, invite=("F1",))
        elif prepare == "runs":
            pid = self.fresh_programme(admin, state="matching")
        elif prepare in ("run", "two runs"):
            pid = self.fresh_programme(admin, state="matching")
            params["run_id"] = params["other_id"] = self.start_run(pid)
            if prepare == "two runs":
                params["other_id"] = self.start_run(pid)
        elif prepare in ("enrolled", "rule"):
            pid = self.fresh_programme(admin, enrol=("U1", "U2"))
            if prepare == "rule":
                self.s_request("PUT", API + "/programmes/%d/pair-rules/%d/%d" % (pid, u1, u2),
                               "forbidding a pair", json_body={"kind": "forbid"})
        elif prepare == "participant":
            pid = self.fresh_programme(invite=(caller,))
            label = "a fresh programme that invited " + caller
        elif prepare == "open":
            partner = self.partner_for(caller) if method == "POST" else "V1"
            pid = self.fresh_programme(mode="open", enrol=(caller, partner))
            label = "a fresh open programme with %s and %s" % (caller, partner)
            if body is not None:
                body = dict(body, partner_id=ctx.actor(partner).person_id)
        else:
            raise Fail("matrix: unknown preparation %r" % prepare)
        params["id"] = pid
        return Cell(params=params, json_body=body, headers=headers, label=label)

    # ---- the tandem's workspace: open workspaces of U1 and U2

    def workspace_of(self, owner):
        """The id of `owner`'s (U1's or U2's) open workspace: an active tandem with a partner
        (W1, W2) in a fresh open programme administered by A1, both agreements accepted."""
        spaces = self.ctx.__dict__.setdefault("matrix_workspaces", {})
        if owner in spaces:
            return spaces[owner]
        c, me = self.ctx.client, self.ctx.actor(owner)
        partner = self.ctx.actor({"U1": "W1", "U2": "W2"}[owner])
        pid = self.fresh_programme(admin=self.ctx.actor("A1"), mode="open",
                                   enrol=(owner, partner.label))
        resp = c.request("POST", API + "/programmes/%d/requests" % pid, session=partner.session(),
                         json_body={"partner_id": me.person_id, "partner_role": "mentee"})
        if resp.status != 201:
            raise Fail("setting up a workspace cell: %s asks %s: %s"
                       % (partner.label, owner, resp.describe()))
        tid = resp.json()["id"]
        for actor, step in ((me, "/accept"), (me, "/agreement/accept"),
                            (partner, "/agreement/accept")):
            resp = c.request("POST", API + "/tandems/%d%s" % (tid, step), session=actor.session())
            if resp.status != 200:
                raise Fail("setting up a workspace cell: %s POST %s: %s"
                           % (actor.label, step, resp.describe()))
        spaces[owner] = tid
        return tid

    def workspace_record(self, owner, tid, kind):
        """A new roadmap item or note (`kind`: "roadmap", "notes") of owner's workspace."""
        body = {"text": "Matrix record"}
        resp = self.ctx.client.request("POST", API + "/tandems/%d/%s" % (tid, kind),
                                       session=self.ctx.actor(owner).session(), json_body=body)
        if resp.status != 201:
            raise Fail("setting up a workspace cell: %s adds to %s: %s"
                       % (owner, kind, resp.describe()))
        return resp.json()["id"]

    def workspace_meeting(self, owner, tid):
        """A meeting that started an hour ago, proposed by owner's partner: the owner may
        accept it, cancel it or mark it held."""
        partner = self.ctx.actor({"U1": "W1", "U2": "W2"}[owner])
        resp = self.ctx.client.request(
            "POST", API + "/tandems/%d/meetings" % tid, session=partner.session(),
            json_body={"starts_at": int(time.time() * 1000) - 3600000, "place": "Matrix"})
        if resp.status != 201:
            raise Fail("setting up a workspace cell: %s proposes a meeting: %s"
                       % (partner.label, resp.describe()))
        return resp.json()["id"]

    def workspace_cell(self, method, path, caller, which):
        if which == "own":
            if caller not in ("U1", "U2"):
                return None  # administrators have no tandem of their own
            owner = caller
        else:
            owner = "U2" if caller == "U1" else "U1"
        tid = self.workspace_of(owner)
        suffix = path[len(API + "/tandems/{id}"):]
        params = {"id": tid}
        if "{item_id}" in suffix:
            params["item_id"] = self.workspace_record(owner, tid, "roadmap")
        if "{note_id}" in suffix:
            params["note_id"] = self.workspace_record(owner, tid, "notes")
        if "{meeting_id}" in suffix:
            params["meeting_id"] = self.workspace_meeting(owner, tid)
        body = None
        if method == "POST" and suffix in ("/roadmap", "/notes", "/asks"):
            body = {"text": "Matrix %s" % caller}
        elif method == "POST" and suffix == "/meetings":
            body = {"starts_at": int(time.time() * 1000) + 86400000, "place": "Matrix"}
        elif method == "PUT" and suffix == "/meetings/{meeting_id}":
            body = {"starts_at": int(time.time() * 1000) - 3600000, "place": "Matrix, moved"}
        elif suffix == "/roadmap/order":
            resp = self.ctx.client.request("GET", API + "/tandems/%d/roadmap" % tid,
                                           session=self.ctx.actor(owner).session())
            if resp.status != 200:
                raise Fail("setting up a workspace cell: the roadmap: " + resp.describe())
            body = {"item_ids": [i["id"] for i in reversed(resp.json()["items"])]}
        elif method == "PUT":
            body = {"covered": True} if "{item_id}" in suffix else {"text": "Matrix edit"}
        headers = {"If-Match": "*"} if method == "PUT" else {}
        return Cell(params=params, json_body=body, headers=headers,
                    label="the workspace of %s" % owner)

    # ---- surveys, partner feedback (issue 8)

    def programme_surveys(self, pid):
        """The programme's surveys by (kind, audience), read by S (created on first listing)."""
        resp = self.admin_get(API + "/programmes/%d/surveys" % pid)
        return {(s["kind"], s["audience"]): s for s in resp.json()["surveys"]}

    def team_survey(self, pid, state="draft"):
        """The mid-term mentees survey of programme `pid`, brought by S into `state` (draft,
        open, closed) from draft."""
        survey = self.programme_surveys(pid)[("mid_term", "mentees")]
        steps = {"draft": (), "open": ("open",), "closed": ("open", "close")}[state]
        for step in steps:
            self.s_request("POST", API + "/surveys/%d/%s" % (survey["id"], step), step + "ing")
        return survey["id"]

    def closed_programme(self, admin):
        """A fresh programme that was opened and closed: its surveys may open."""
        pid = self.fresh_programme(admin)
        self.s_request("POST", API + "/programmes/%d/close" % pid, "closing")
        return pid

    def survey_world(self, owner):
        """For U1 or U2: a fresh open programme (administered by A1, partner feedback on) where
        a partner (Q1, Q2) asked `owner` to be their mentee and `owner` accepted; the programme
        closed; its mid-term and final mentees surveys open; `owner` answered the mid-term one.
        Returns {pid, tid, mid, final}."""
        worlds = self.ctx.__dict__.setdefault("matrix_survey_worlds", {})
        if owner in worlds:
            return worlds[owner]
        import reports  # noqa: E402 (reports imports this module)
        c, me = self.ctx.client, self.ctx.actor(owner)
        partner = self.ctx.actor({"U1": "Q1", "U2": "Q2"}[owner])
        pid = self.fresh_programme(admin=self.ctx.actor("A1"), mode="open",
                                   enrol=(owner, partner.label))
        reports.set_programme(self.ctx, pid, partner_feedback=True)
        resp = c.request("POST", API + "/programmes/%d/requests" % pid, session=partner.session(),
                         json_body={"partner_id": me.person_id, "partner_role": "mentee"})
        if resp.status != 201:
            raise Fail("setting up a survey cell: %s asks %s: %s"
                       % (partner.label, owner, resp.describe()))
        tid = resp.json()["id"]
        resp = c.request("POST", API + "/tandems/%d/accept" % tid, session=me.session())
        if resp.status != 200:
            raise Fail("setting up a survey cell: %s accepts: %s" % (owner, resp.describe()))
        self.s_request("POST", API + "/programmes/%d/close" % pid, "closing")
        surveys = self.programme_surveys(pid)
        mid, final = surveys[("mid_term", "mentees")], surveys[("final", "mentees")]
        for survey in (mid, final):
            self.s_request("POST", API + "/surveys/%d/open" % survey["id"], "opening a survey")
        topics = [t["key"] for t in self.admin_get(API + "/programmes/%d" % pid).json()["topics"]]
        resp = c.request("PUT", API + "/surveys/%d/response" % mid["id"], session=me.session(),
                         headers={"If-Match": "*"},
                         json_body={"answers": reports.valid_answers(mid["questions"], topics)})
        if resp.status != 200:
            raise Fail("setting up a survey cell: %s answers: %s" % (owner, resp.describe()))
        worlds[owner] = {"pid": pid, "tid": tid, "mid": mid["id"], "final": final["id"],
                         "final_questions": final["questions"], "topics": topics}
        return worlds[owner]

    def survey_cell(self, method, path, caller, which):
        suffix = path[len(API):]
        if suffix.startswith("/tandems/{id}/feedback") or suffix.startswith(
                "/surveys/{id}/response"):
            # The participants' side: U1's and U2's own survey worlds.
            if which == "own":
                if caller not in ("U1", "U2"):
                    return None
                owner = caller
            else:
                owner = "U2" if caller == "U1" else "U1"
            world = self.survey_world(owner)
            if suffix.startswith("/tandems"):
                body = {"text": "Matrix feedback from %s" % caller} if method == "PUT" else None
                headers = {"If-Match": "*"} if method == "PUT" else {}
                return Cell(params={"id": world["tid"]}, json_body=body, headers=headers,
                            label="the tandem of %s" % owner)
            if method == "GET":
                return Cell(params={"id": world["mid"]}, label="%s's answered survey" % owner)
            import reports  # noqa: E402
            answers = reports.valid_answers(world["final_questions"], world["topics"])
            return Cell(params={"id": world["final"]}, json_body={"answers": answers},
                        headers={"If-Match": "*"}, label="%s's open survey" % owner)
        # The programme team's side.
        team_acts = ((which == "own" and caller in ("A1", "A2")) or
                     (which == "other" and caller == "S"))
        admin = self.actor(caller) if caller in ("A1", "A2") else None
        state = {"/surveys/{id}/open": "draft", "/surveys/{id}/close": "open",
                 "/surveys/{id}/reopen": "closed"}.get(suffix)
        if team_acts and state is not None:
            pid = self.closed_programme(admin)
            return Cell(params={"id": self.team_survey(pid, state)},
                        label="a %s survey of a fresh closed programme" % state)
        target = self.programme_target(caller, which)
        if target is None:
            return None
        pid, label = target
        sid = self.team_survey(pid)
        cell = Cell(params={"id": sid}, label="the mid-term mentees survey of " + label)
        if method == "PUT":
            resp = self.admin_get(API + "/surveys/%d" % sid)
            cell.json_body = {"questions": resp.json()["questions"]}
            cell.headers = {"If-Match": '"%d"' % etag_version(resp)}
        return cell

    def run_cell(self, method, path, target, caller, expected):
        """Returns a mismatch message, or None."""
        cell = self.cell(method, path, caller, target)
        where = "%s %s%s as %s" % (method, path, " [%s]" % target if target != "-" else "",
                                   caller)
        if cell is None or expected is None:
            if (cell is None) != (expected is None):
                return "%s: the table says %s but the caller %s such a record" % (
                    where, "n/a" if expected is None else expected,
                    "has" if cell is not None else "has no")
            return None
        url = path
        for name, value in cell.params.items():
            url = url.replace("{%s}" % name, str(value))
        if cell.query:
            url += "?" + cell.query
        actor = self.actor(caller)
        resp = self.ctx.client.request(method, url, json_body=cell.json_body, body=cell.body,
                                       content_type=cell.content_type, headers=cell.headers,
                                       session=actor.session() if actor else None)
        if route_ends_session(method, path) and actor is not None:
            actor.forget_session()
        detail = " (%s)" % cell.label if cell.label else ""
        if resp.status != expected:
            return "%s%s: expected %d, got %d %s" % (where, detail, expected, resp.status,
                                                    resp.excerpt(160))
        if expected >= 400 and not is_problem(resp):
            return "%s%s: %d but not application/problem+json: %s" % (
                where, detail, expected, resp.describe())
        return None


# The lifecycle routes: what a cell sends, and how a programme is prepared for the caller who may
# act ("$F1"/"$U2": those people's ids).
LIFECYCLE_ROUTES = {path for _, path, _, _ in ROWS
                    if path.startswith(API + "/tandems") or any(
                        path.startswith(API + "/programmes/{id}/" + part) for part in (
                            "open", "close", "invitations", "enrolment", "runs", "pair-rules",
                            "tandems", "suggestions", "requests"))}
SURVEY_PREFIXES = (API + "/surveys/", API + "/tandems/{id}/feedback")
WORKSPACE_PREFIXES = tuple(API + "/tandems/{id}/" + part
                           for part in ("agreement", "roadmap", "notes", "meetings", "asks"))
PARTICIPANT_SUFFIXES = {"/programmes/{id}/enrolment", "/programmes/{id}/suggestions",
                        "/programmes/{id}/requests"}
DEFAULT_TOPICS = ("ai", "big_data", "social_intranet", "cloud", "cybersecurity", "iot", "agile",
                  "data_analytics", "digital_marketing", "automation", "ecommerce", "blockchain")
LIFECYCLE_BODIES = {
    ("POST", "/programmes/{id}/invitations"): {"person_ids": ["$F1"]},
    ("PUT", "/programmes/{id}/enrolment"): {
        "mentor_capacity": 1, "mentee_capacity": 0, "languages": ["de"], "availability": "",
        "answers": [{"topic": t, "interest": 1, "skill": 1, "experience": ""}
                    for t in DEFAULT_TOPICS]},
    ("POST", "/programmes/{id}/runs"): {"objective": "optimal"},
    ("PUT", "/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}"): {"kind": "pin"},
    ("POST", "/programmes/{id}/requests"): {"partner_id": "$U2", "partner_role": "mentor"},
    ("POST", "/tandems/{id}/decline"): {"reason": "matrix"},
    ("POST", "/tandems/{id}/dissolve"): {"reason": "matrix"},
}
LIFECYCLE_PREPARE = {
    ("POST", "/programmes/{id}/open"): "draft",
    ("POST", "/programmes/{id}/close"): "enrolling",
    ("POST", "/programmes/{id}/invitations"): "enrolling",
    ("POST", "/programmes/{id}/invitations/{person_id}/resend"): "invited",
    ("DELETE", "/programmes/{id}/invitations/{person_id}"): "invited",
    ("POST", "/programmes/{id}/runs"): "runs",
    ("GET", "/programmes/{id}/runs/{run_id}"): "run",
    ("GET", "/programmes/{id}/runs/{run_id}/compare/{other_id}"): "two runs",
    ("POST", "/programmes/{id}/runs/{run_id}/publish"): "run",
    ("PUT", "/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}"): "enrolled",
    ("DELETE", "/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}"): "rule",
    ("PUT", "/programmes/{id}/enrolment"): "participant",
    ("DELETE", "/programmes/{id}/enrolment"): "participant",
    ("GET", "/programmes/{id}/suggestions"): "open",
    ("POST", "/programmes/{id}/requests"): "open",
}


def route_ends_session(method, path):
    return (method, path) in {("DELETE", API + "/session"), ("POST", API + "/session/end-all")}


def test_matrix(ctx):
    m = Matrix(ctx)
    m.prepare_pools()
    mismatches = []
    cells = 0
    # Erasing people last: should a cell wrongly erase someone, the other cells are spared.
    ordered = sorted(ROWS, key=lambda r: (r[0], r[1]) == ("DELETE", API + "/people/{id}"))
    for method, path, target, expected in ordered:
        for caller in CALLERS:
            try:
                problem = m.run_cell(method, path, target, caller, expected[caller])
            except Fail as e:
                problem = "%s %s [%s] as %s: %s" % (method, path, target, caller, e)
            if expected[caller] is not None:
                cells += 1
            if problem:
                mismatches.append(problem)
    if mismatches:
        raise Fail("%d of %d cells differ:\n  %s" % (len(mismatches), cells,
                                                      "\n  ".join(mismatches)))


# ---------------------------------------------------------------------------------------------
# API tokens: the system administrator's account, narrowed to each token's scopes

TOKEN_SCOPES = {
    "pr": ["people:read"],
    "prw": ["people:read", "people:write"],
    "gr": ["programmes:read"],
    "grw": ["programmes:read", "programmes:write"],
    "ar": ["audit:read"],
}

# Targets: the person U3 (participant of P2; a fresh person for DELETE), the programme P2, the
# account X. Without the read scope of a record's kind, the token may not see the record: 404.
# Left out: the routes for anyone, the session routes, PUT /me, PUT /me/password and
# DELETE /api-tokens/{id} (no scope speaks to them; the main matrix covers them).
TOKEN_TABLE = """
method path                                          pr   prw  gr   grw  ar
GET    /api/v1/me                                    200  200  200  200  200
GET    /api/v1/people                                200  200  403  403  403
POST   /api/v1/people                                403  201  403  403  403
POST   /api/v1/people/import                         403  200  403  403  403
GET    /api/v1/people/{id}                           200  200  404  404  404
PUT    /api/v1/people/{id}                           403  200  404  404  404
DELETE /api/v1/people/{id}                           403  204  404  404  404
POST   /api/v1/people/{id}/invitation                403  202  404  404  404
GET    /api/v1/programmes                            403  403  200  200  403
POST   /api/v1/programmes                            403  403  403  201  403
GET    /api/v1/programmes/{id}                       404  404  200  200  404
PUT    /api/v1/programmes/{id}                       404  404  403  200  404
GET    /api/v1/programmes/{id}/admins                404  404  200  200  404
PUT    /api/v1/programmes/{id}/admins/{account_id}   404  404  403  204  404
DELETE /api/v1/programmes/{id}/admins/{account_id}   404  404  403  204  404
GET    /api/v1/accounts                              403  403  403  403  403
GET    /api/v1/audit                                 403  403  403  403  200
GET    /api/v1/api-tokens                            200  200  200  200  200
POST   /api/v1/api-tokens                            403  403  403  403  403
POST   /api/v1/programmes/{id}/open                  404  404  403  200  404
POST   /api/v1/programmes/{id}/close                 404  404  403  200  404
POST   /api/v1/programmes/{id}/invitations           404  404  403  200  404
POST   /api/v1/programmes/{id}/invitations/{person_id}/resend  404  404  403  202  404
DELETE /api/v1/programmes/{id}/invitations/{person_id}         404  404  403  204  404
GET    /api/v1/programmes/{id}/enrolments            404  404  200  200  404
GET    /api/v1/programmes/{id}/summary               404  404  200  200  404
GET    /api/v1/programmes/{id}/enrolment             403  403  403  403  403
PUT    /api/v1/programmes/{id}/enrolment             403  403  403  403  403
DELETE /api/v1/programmes/{id}/enrolment             403  403  403  403  403
POST   /api/v1/programmes/{id}/runs                  404  404  403  202  404
GET    /api/v1/programmes/{id}/runs                  404  404  200  200  404
GET    /api/v1/programmes/{id}/runs/{run_id}         404  404  200  200  404
GET    /api/v1/programmes/{id}/runs/{run_id}/compare/{other_id}  404  404  200  200  404
POST   /api/v1/programmes/{id}/runs/{run_id}/publish 404  404  403  200  404
GET    /api/v1/programmes/{id}/pair-rules            404  404  200  200  404
PUT    /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}     404  404  403  200  404
DELETE /api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}     404  404  403  204  404
GET    /api/v1/programmes/{id}/tandems               404  404  200  200  404
GET    /api/v1/programmes/{id}/suggestions           403  403  403  403  403
POST   /api/v1/programmes/{id}/requests              403  403  403  403  403
GET    /api/v1/tandems                               403  403  403  403  403
GET    /api/v1/tandems/{id}                          403  403  403  403  403
POST   /api/v1/tandems/{id}/accept                   403  403  403  403  403
POST   /api/v1/tandems/{id}/decline                  403  403  403  403  403
POST   /api/v1/tandems/{id}/complete                 403  403  403  403  403
POST   /api/v1/tandems/{id}/dissolve                 403  403  403  403  403
GET    /api/v1/tandems/{id}/agreement                 404  404  404  404  404
POST   /api/v1/tandems/{id}/agreement/accept          404  404  404  404  404
GET    /api/v1/tandems/{id}/roadmap                   404  404  404  404  404
POST   /api/v1/tandems/{id}/roadmap                   404  404  404  404  404
PUT    /api/v1/tandems/{id}/roadmap/order             404  404  404  404  404
PUT    /api/v1/tandems/{id}/roadmap/{item_id}         404  404  404  404  404
DELETE /api/v1/tandems/{id}/roadmap/{item_id}         404  404  404  404  404
GET    /api/v1/tandems/{id}/notes                     404  404  404  404  404
POST   /api/v1/tandems/{id}/notes                     404  404  404  404  404
GET    /api/v1/tandems/{id}/notes/{note_id}           404  404  404  404  404
PUT    /api/v1/tandems/{id}/notes/{note_id}           404  404  404  404  404
DELETE /api/v1/tandems/{id}/notes/{note_id}           404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings                  404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings                  404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings/{meeting_id}     404  404  404  404  404
PUT    /api/v1/tandems/{id}/meetings/{meeting_id}     404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/accept 404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/cancel 404  404  404  404  404
POST   /api/v1/tandems/{id}/meetings/{meeting_id}/held 404  404  404  404  404
GET    /api/v1/tandems/{id}/meetings/{meeting_id}/calendar.ics 404  404  404  404  404
POST   /api/v1/tandems/{id}/asks                      404  404  404  404  404
GET    /api/v1/programmes/{id}/asks                   404  404  200  200  404
GET    /api/v1/me/role-offer                          403  403  403  403  403
PUT    /api/v1/me/role-offer                          403  403  403  403  403
GET    /api/v1/programmes/{id}/surveys               404  404  200  200  404
GET    /api/v1/surveys/{id}                          404  404  200  200  404
PUT    /api/v1/surveys/{id}                          404  404  403  200  404
POST   /api/v1/surveys/{id}/open                     404  404  403  200  404
POST   /api/v1/surveys/{id}/close                    404  404  403  200  404
POST   /api/v1/surveys/{id}/reopen                   404  404  403  200  404
GET    /api/v1/surveys/{id}/results                  404  404  200  200  404
GET    /api/v1/me/surveys                            403  403  403  403  403
GET    /api/v1/surveys/{id}/response                 403  403  403  403  403
PUT    /api/v1/surveys/{id}/response                 403  403  403  403  403
GET    /api/v1/tandems/{id}/feedback                 403  403  403  403  403
PUT    /api/v1/tandems/{id}/feedback                 403  403  403  403  403
GET    /api/v1/programmes/{id}/dashboard             404  404  200  200  404
GET    /api/v1/programmes/{id}/exports/dashboard.csv  404  404  200  200  404
GET    /api/v1/programmes/{id}/exports/dashboard.xlsx 404  404  200  200  404
GET    /api/v1/programmes/{id}/exports/tandems.csv    404  404  200  200  404
GET    /api/v1/programmes/{id}/exports/tandems.xlsx   404  404  200  200  404
"""


def parse_token_table(text):
    lines = text.strip().splitlines()
    columns = lines[0].split()[2:]
    rows = []
    for line in lines[1:]:
        cols = line.split()
        rows.append((cols[0], cols[1], dict(zip(columns, (int(c) for c in cols[2:])))))
    return columns, rows


class TokenMatrix(Matrix):
    def person_target(self, caller, which, erase=False):
        if erase:
            resp = self.ctx.client.request(
                "POST", API + "/people", session=self.ctx.admin.session(),
                json_body={"external_id": "E-TOKEN-VICTIM-%d" % self.unique(),
                           "name": "Token Victim", "level": 1})
            if resp.status != 201:
                raise Fail("setting up a token cell: POST /people as S: " + resp.describe())
            return resp.json()["id"], "a fresh person"
        return self.ctx.actor("U3").person_id, "person U3"

    def programme_target(self, caller, which):
        return self.ctx.programmes["P2"], "programme P2"

    def lifecycle_cell(self, method, path, caller, which):
        # The participant routes of S's tokens: P2 and the other tandem, refused to any token.
        suffix = path[len(API):]
        if suffix.startswith("/tandems") or suffix in PARTICIPANT_SUFFIXES:
            return Matrix.lifecycle_cell(self, method, path, "A2", which)
        return Matrix.lifecycle_cell(self, method, path, caller, which)


def test_token_matrix(ctx):
    columns, rows = parse_token_table(TOKEN_TABLE)
    m = TokenMatrix(ctx)
    tokens = {}
    for column in columns:
        resp = ctx.client.request("POST", API + "/api-tokens", session=ctx.admin.session(),
                                  json_body={"name": "matrix " + column,
                                             "scopes": TOKEN_SCOPES[column]})
        check(resp.status == 201, "creating the token %s: %s" % (column, resp.describe()))
        tokens[column] = resp.json()["token"]
    mismatches = []
    for method, path, expected in rows:
        for column in columns:
            where = "%s %s with a token of S [%s]" % (method, path, "+".join(TOKEN_SCOPES[column]))
            try:
                cell = m.cell(method, path, "S", "other")
                url = path
                for name, value in cell.params.items():
                    url = url.replace("{%s}" % name, str(value))
                resp = ctx.client.request(method, url, json_body=cell.json_body, body=cell.body,
                                          content_type=cell.content_type, headers=cell.headers,
                                          bearer=tokens[column])
            except Fail as e:
                mismatches.append("%s: %s" % (where, e))
                continue
            detail = " (%s)" % cell.label if cell.label else ""
            if resp.status != expected[column]:
                mismatches.append("%s%s: expected %d, got %d %s" % (
                    where, detail, expected[column], resp.status, resp.excerpt(160)))
            elif resp.status >= 400 and not is_problem(resp):
                mismatches.append("%s%s: %d but not application/problem+json"
                                  % (where, detail, resp.status))
    if mismatches:
        raise Fail("%d of %d cells differ:\n  %s" % (len(mismatches), len(rows) * len(columns),
                                                      "\n  ".join(mismatches)))


# ---------------------------------------------------------------------------------------------
# Every route is in the matrix


METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def openapi_routes(doc):
    routes = set()
    for path, item in (doc.get("paths") or {}).items():
        for method in item:
            if method in METHODS:
                routes.add((method.upper(), path))
    return routes


def routes_md(root):
    routes = set()
    with open(os.path.join(root, "docs", "api", "routes.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*(GET|PUT|POST|DELETE|PATCH)\s*\|\s*(/\S*)\s*\|", line)
            if m:
                routes.add((m.group(1), m.group(2)))
    return routes


def fmt(routes):
    return ", ".join("%s %s" % r for r in sorted(routes, key=lambda r: (r[1], r[0]))) or "-"


def test_routes_covered(ctx):
    resp = ctx.client.request("GET", API + "/openapi.json")
    check(resp.status == 200 and isinstance(resp.json(), dict),
          "GET /api/v1/openapi.json: " + resp.describe())
    served = resp.json()
    check(str(served.get("openapi", "")).startswith("3.1"), "the served document is not "
          "OpenAPI 3.1: openapi=%r" % served.get("openapi"))
    server_routes = openapi_routes(served)
    matrix_routes = {(method, path) for method, path, _, _ in ROWS}
    contract = routes_md(ctx.root)
    problems = []
    if server_routes - matrix_routes:
        problems.append("routes the server has but the matrix lacks: " +
                        fmt(server_routes - matrix_routes))
    if matrix_routes - server_routes:
        problems.append("routes of the matrix the server's openapi.json lacks: " +
                        fmt(matrix_routes - server_routes))
    if contract != matrix_routes:
        problems.append("docs/api/routes.md and the matrix differ: only in routes.md: %s; only "
                        "in the matrix: %s" % (fmt(contract - matrix_routes),
                                               fmt(matrix_routes - contract)))
    for method, path, target, _ in ROWS:
        targets = {t for m, p, t, _ in ROWS if (m, p) == (method, path)}
        wanted = {"own", "other"} if "{" in path else {"-"}
        if targets != wanted:
            problems.append("%s %s: the matrix has the targets %s, not %s"
                            % (method, path, sorted(targets), sorted(wanted)))
            break
    with open(os.path.join(ctx.root, "docs", "api", "openapi.json"), encoding="utf-8") as f:
        documented = json.load(f)
    if documented != served:
        problems.append("the served /api/v1/openapi.json differs from docs/api/openapi.json "
                        "(a stale embedded copy?): routes only served: %s; only in the file: %s"
                        % (fmt(server_routes - openapi_routes(documented)),
                           fmt(openapi_routes(documented) - server_routes)))
    if problems:
        raise Fail("\n  ".join(problems))


TESTS = [
    ("openapi.json, routes.md and the matrix name the same routes", test_routes_covered),
    ("authorisation matrix: every route x caller x own/other", test_matrix),
    ("API token matrix: the system administrator's tokens narrowed to their scopes",
     test_token_matrix),
]
