"""The tandem's protected space over HTTP (issue 7): two partners accept the agreement, edit the
roadmap (concurrent edits never overwrite each other silently) and write shared and private
notes; administrators find no way in; a canary written into a roadmap item and notes appears
zero times in the server's log, the raw SQLite file and every administrator answer, and both
partners read it back. Run by run_http_tests.py on SQLite and PostgreSQL.
"""

import datetime
import io
import json
import os
import subprocess
import time
import uuid
import zipfile

import matrix
from helpers import API, check, etag_version, expect_problem, expect_status


def _req(ctx, method, path, actor, status, what, **kw):
    resp = ctx.client.request(method, path, session=actor.session() if actor else None, **kw)
    return expect_status(resp, status, what)


def active_tandem(ctx, mentor_label, mentee_label, admin_label="A1"):
    """A fresh open programme (administered by `admin_label`) where the mentee asks the mentor
    and the mentor accepts: an active tandem, its agreement not yet accepted."""
    m = matrix.Matrix(ctx)
    pid = m.fresh_programme(admin=ctx.actor(admin_label), mode="open",
                            enrol=(mentor_label, mentee_label))
    mentor, mentee = ctx.actor(mentor_label), ctx.actor(mentee_label)
    resp = _req(ctx, "POST", API + "/programmes/%d/requests" % pid, mentee, 201,
                "%s asks %s" % (mentee_label, mentor_label),
                json_body={"partner_id": mentor.person_id, "partner_role": "mentor"})
    tid = resp.json()["id"]
    resp = _req(ctx, "POST", API + "/tandems/%d/accept" % tid, mentor, 200,
                "%s accepts" % mentor_label)
    check(resp.json()["state"] == "active", "the tandem is not active: " + resp.describe())
    return pid, tid


def open_workspace(ctx):
    """The id of W1's and W2's tandem, its workspace open (made once per run)."""
    if getattr(ctx, "workspace_tandem", None) is None:
        _, tid = active_tandem(ctx, "W1", "W2")
        for label in ("W1", "W2"):
            _req(ctx, "POST", API + "/tandems/%d/agreement/accept" % tid, ctx.actor(label), 200,
                 "%s accepts the agreement" % label)
        ctx.workspace_tandem = tid
    return ctx.workspace_tandem


def test_workspace_flow(ctx):
    w1, w2, a1, s = ctx.actor("W1"), ctx.actor("W2"), ctx.actor("A1"), ctx.admin
    pid, tid = active_tandem(ctx, "W1", "W2")
    ctx.workspace_tandem = tid
    base = API + "/tandems/%d" % tid

    # Given an active tandem, the content is closed until both accepted the agreement...
    resp = ctx.client.request("GET", base + "/roadmap", session=w1.session())
    expect_problem(resp, 409, what="the roadmap before the agreement")
    check("acceptance is missing" in resp.json().get("detail", ""),
          "409 does not name the missing acceptance: " + resp.describe())
    agreement = _req(ctx, "GET", base + "/agreement", w1, 200, "the agreement").json()
    check(agreement["open"] is False and agreement["acceptances"] == [],
          "a fresh agreement: " + repr(agreement))
    _req(ctx, "POST", base + "/agreement/accept", w1, 200, "W1 accepts the agreement")
    resp = ctx.client.request("GET", base + "/notes", session=w2.session())
    expect_problem(resp, 409, what="the notes after one acceptance")
    check("the mentee's acceptance is missing" in resp.json().get("detail", ""),
          "409 does not name the mentee's acceptance: " + resp.describe())
    opened = _req(ctx, "POST", base + "/agreement/accept", w2, 200, "W2 accepts").json()
    check(opened["open"] is True and len(opened["acceptances"]) == 2,
          "both accepted, the workspace is not open: " + repr(opened))

    # ...then the roadmap holds the tandem's topics...
    topics = _req(ctx, "GET", base, w1, 200, "the tandem").json()["topics"]
    roadmap = _req(ctx, "GET", base + "/roadmap", w1, 200, "the roadmap")
    items = roadmap.json()["items"]
    check([i["topic"] for i in items] == topics,
          "the roadmap is not prefilled with the topics %r: %r" % (topics, items))

    # ...both edit it, and two edits of one version never overwrite each other silently.
    canary = "Kanarienvogel-" + uuid.uuid4().hex
    item = _req(ctx, "POST", base + "/roadmap", w2, 201, "W2 adds an item",
                json_body={"text": "Hands-on: " + canary}).json()
    path = base + "/roadmap/%d" % item["id"]
    _req(ctx, "PUT", path, w1, 200, "W1 marks it covered", json_body={"covered": True},
         headers={"If-Match": '"%d"' % item["version"]})
    resp = ctx.client.request("PUT", path, session=w2.session(), json_body={"text": "overwrite"},
                              headers={"If-Match": '"%d"' % item["version"]})
    expect_problem(resp, 412, what="W2 edits the version W1 already changed")
    resp = ctx.client.request("PUT", path, session=w2.session(), json_body={"text": "x"})
    expect_problem(resp, 428, what="an edit without If-Match")
    version = etag_version(_req(ctx, "GET", base + "/roadmap", w2, 200, "the roadmap"))
    order = [i["id"] for i in reversed(_req(ctx, "GET", base + "/roadmap", w2, 200,
                                            "the roadmap").json()["items"])]
    reordered = _req(ctx, "PUT", base + "/roadmap/order", w2, 200, "W2 reorders",
                     json_body={"item_ids": order}, headers={"If-Match": '"%d"' % version})
    check([i["id"] for i in reordered.json()["items"]] == order, "the order did not change: "
          + reordered.describe())
    resp = ctx.client.request("PUT", base + "/roadmap/order", session=w1.session(),
                              json_body={"item_ids": order},
                              headers={"If-Match": '"%d"' % version})
    expect_problem(resp, 412, what="a reorder of a stale roadmap")

    # Shared notes for both, a private note for its author alone.
    shared = _req(ctx, "POST", base + "/notes", w1, 201, "W1 writes a shared note",
                  json_body={"title": "Session 1", "text": "# Theory\n" + canary,
                             "action_items": [{"text": "Try " + canary, "done": False}]}).json()
    private = _req(ctx, "POST", base + "/notes", w2, 201, "W2 writes a private note",
                   json_body={"title": "Mine", "text": "only me " + canary,
                              "private": True}).json()
    seen_by_w1 = _req(ctx, "GET", base + "/notes", w1, 200, "W1's notes").json()["items"]
    seen_by_w2 = _req(ctx, "GET", base + "/notes", w2, 200, "W2's notes").json()["items"]
    check([n["id"] for n in seen_by_w1] == [shared["id"]],
          "W1 sees someone's private note: %r" % seen_by_w1)
    check(sorted(n["id"] for n in seen_by_w2) == sorted([shared["id"], private["id"]]),
          "W2 does not see both: %r" % seen_by_w2)
    expect_problem(ctx.client.request("GET", base + "/notes/%d" % private["id"],
                                      session=w1.session()), 404, what="W1 reads W2's private note")
    check(canary in seen_by_w1[0]["text"] and canary in seen_by_w1[0]["action_items"][0]["text"],
          "W1 does not read the shared note back")
    roadmap_text = _req(ctx, "GET", base + "/roadmap", w1, 200, "the roadmap").body.decode()
    check(canary in roadmap_text, "W1 does not read the roadmap item back")
    meeting = _req(ctx, "POST", base + "/meetings", w1, 201, "W1 proposes a meeting",
                   json_body={"starts_at": 1893456000000, "place": "Room " + canary,
                              "agenda": [{"kind": "demo", "text": "Agenda " + canary}]}).json()
    agenda = _req(ctx, "GET", base + "/meetings/%d" % meeting["id"], w2, 200, "the meeting")
    check(canary in agenda.json()["agenda"][0]["text"], "W2 does not read the agenda back")

    # Administrators find no way in: every workspace route is 404, as for no tandem at all.
    for actor in (a1, s, ctx.actor("U1")):
        for method, suffix, body in (
                ("GET", "/agreement", None), ("POST", "/agreement/accept", None),
                ("GET", "/roadmap", None), ("POST", "/roadmap", {"text": "x"}),
                ("PUT", "/roadmap/%d" % item["id"], {"covered": False}),
                ("DELETE", "/roadmap/%d" % item["id"], None),
                ("PUT", "/roadmap/order", {"item_ids": order}),
                ("GET", "/notes", None), ("POST", "/notes", {"text": "x"}),
                ("GET", "/notes/%d" % shared["id"], None),
                ("PUT", "/notes/%d" % shared["id"], {"text": "x"}),
                ("DELETE", "/notes/%d" % shared["id"], None), ("GET", "/meetings", None),
                ("GET", "/meetings/%d/calendar.ics" % meeting["id"], None),
                ("POST", "/meetings/%d/cancel" % meeting["id"], None)):
            resp = ctx.client.request(method, base + suffix, session=actor.session(),
                                      json_body=body, headers={"If-Match": "*"})
            expect_problem(resp, 404, what="%s %s %s" % (actor.label, method, suffix))

    # The canary is nowhere but in the partners' answers.
    admin_views = [
        (a1, API + "/programmes/%d/tandems" % pid), (a1, API + "/programmes/%d/summary" % pid),
        (a1, API + "/programmes/%d/enrolments" % pid), (s, API + "/programmes/%d/tandems" % pid),
        (s, API + "/audit?limit=500"), (s, API + "/people?limit=500"), (s, API + "/accounts"),
    ]
    after = 0
    while True:  # the whole audit log, page by page
        page = _req(ctx, "GET", API + "/audit?limit=500&after=%d" % after, s, 200, "audit").json()
        check(canary not in str(page), "the canary is in the audit log")
        if not page["next_after"]:
            break
        after = page["next_after"]
    admin_views.append((a1, API + "/programmes/%d/dashboard" % pid))
    for actor, path in admin_views:
        body = _req(ctx, "GET", path, actor, 200, path).body.decode("utf-8", "replace")
        check(canary not in body, "the canary is in %s's answer to GET %s" % (actor.label, path))
    # Every export of the programme (the workbooks unzipped) holds no content either.
    for name in ("dashboard.csv", "dashboard.xlsx", "tandems.csv", "tandems.xlsx"):
        data = _req(ctx, "GET", API + "/programmes/%d/exports/%s" % (pid, name), a1, 200,
                    "the export " + name).body
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                data = b"".join(workbook.read(member) for member in workbook.namelist())
        check(canary.encode() not in data, "the canary is in the export " + name)
    with open(ctx.server_log, "rb") as f:
        check(canary.encode() not in f.read(), "the canary is in the server's log")
    if ctx.db_url.startswith("sqlite:"):
        db = ctx.db_url[len("sqlite:"):]
        for name in (db, db + "-wal"):
            if os.path.exists(name):
                with open(name, "rb") as f:
                    check(canary.encode() not in f.read(), "the canary is in " + name)
    _check_copies_without_canary(ctx, canary)


def _check_copies_without_canary(ctx, canary):
    """Backups and copies made with the operator's tools hold ciphertext only: `tandem backup`
    (SQLite), `pg_dump` (PostgreSQL) and `tandem copy` into a fresh SQLite file (the export of a
    whole installation)."""
    files = []
    if ctx.db_url.startswith("sqlite:"):
        backup = os.path.join(ctx.tmp, "canary-backup.db")
        subprocess.run([ctx.tandem, "backup", "--db", ctx.db_url, backup], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        files.append(backup)
    else:
        dump = os.path.join(ctx.tmp, "canary.dump")
        subprocess.run(["/usr/lib/postgresql/15/bin/pg_dump", "--format=plain",
                        "--file=" + dump, ctx.db_url], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        files.append(dump)
    copy = os.path.join(ctx.tmp, "canary-copy.db")
    subprocess.run([ctx.tandem, "copy", "--from", ctx.db_url, "--to", "sqlite:" + copy],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files.append(copy)
    for name in files:
        with open(name, "rb") as f:
            data = f.read()
        check(len(data) > 10000, "%s is suspiciously small (%d bytes)" % (name, len(data)))
        check(canary.encode() not in data, "the canary is in " + os.path.basename(name))


def test_workspace_bad_requests(ctx):
    w1, w2 = ctx.actor("W1"), ctx.actor("W2")
    base = API + "/tandems/%d" % open_workspace(ctx)
    expect_problem(ctx.client.request("POST", base + "/roadmap", session=w1.session(),
                                      json_body={"text": 3}), 400, field="text",
                   what="a roadmap item whose text is a number")
    expect_problem(ctx.client.request("POST", base + "/roadmap", session=w1.session(),
                                      json_body={"text": "   "}), 400,
                   what="an empty roadmap item")
    expect_problem(ctx.client.request("POST", base + "/notes", session=w2.session(),
                                      json_body={"action_items": [{"done": True}]}), 400,
                   what="an action item without text")
    expect_problem(ctx.client.request("PUT", base + "/roadmap/order", session=w2.session(),
                                      json_body={"item_ids": [1, 1]},
                                      headers={"If-Match": "*"}), 400,
                   what="a reorder that names an item twice")
    expect_problem(ctx.client.request("GET", base + "/roadmap"), 401, what="anonymous")


def _parse_ics(text):
    """The VEVENT's start and end as aware datetimes, read by an independent parser (Debian's
    python3-icalendar), and the raw calendar."""
    import icalendar  # python3-icalendar (scripts/install-deps.sh)
    calendar = icalendar.Calendar.from_ical(text)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    check(len(events) == 1, "the calendar has %d events: %r" % (len(events), text[:500]))
    check(any(c.name == "VTIMEZONE" for c in calendar.walk()), "no VTIMEZONE: %r" % text[:300])
    event = events[0]
    return event.decoded("dtstart"), event.decoded("dtend"), event


def test_meetings_and_calendar_files(ctx):
    w1, w2 = ctx.actor("W1"), ctx.actor("W2")
    base = API + "/tandems/%d/meetings" % open_workspace(ctx)
    utc = datetime.timezone.utc
    winter = datetime.datetime(2027, 3, 23, 10, 0, tzinfo=utc)  # CET: 11:00 in Berlin
    summer = datetime.datetime(2027, 3, 30, 10, 0, tzinfo=utc)  # CEST (from 28 March): 12:00
    millis = lambda dt: int(dt.timestamp() * 1000)  # noqa: E731

    # W1 proposes a meeting in winter time with the default template; W2 accepts it.
    meeting = _req(ctx, "POST", base, w1, 201, "W1 proposes a meeting",
                   json_body={"starts_at": millis(winter), "time_zone": "Europe/Berlin",
                              "video_link": "https://meet.example.test/tandem"}).json()
    check(meeting["duration_minutes"] == 60 and meeting["state"] == "proposed",
          "a new meeting: %r" % meeting)
    check([a["kind"] for a in meeting["agenda"]] == ["theory", "demo", "hands_on", "discussion"],
          "the template agenda: %r" % meeting["agenda"])
    path = base + "/%d" % meeting["id"]
    expect_problem(ctx.client.request("POST", path + "/accept", session=w1.session()), 409,
                   what="the proposer accepts their own proposal")
    accepted = _req(ctx, "POST", path + "/accept", w2, 200, "W2 accepts").json()
    check(accepted["state"] == "accepted", "not accepted: %r" % accepted)
    resp = _req(ctx, "GET", path + "/calendar.ics", w2, 200, "the calendar file")
    check(resp.content_type == "text/calendar", "calendar content type: " + resp.describe())
    start, end, event = _parse_ics(resp.body)
    check(start.astimezone(utc) == winter and (end - start).total_seconds() == 3600,
          "winter meeting: %s to %s" % (start, end))
    check(start.hour == 11 and str(event.get("status")) == "CONFIRMED",
          "winter meeting in Berlin: %s, %s" % (start, event.get("status")))

    # Rescheduled across the change to summer time, it is a proposal again (W1 accepts now).
    agenda = [{"kind": "theory", "text": "Kubernetes"}, {"kind": "other", "text": "Lunch"}]
    moved = _req(ctx, "PUT", path, w2, 200, "W2 moves the meeting",
                 json_body={"starts_at": millis(summer), "duration_minutes": 90,
                            "place": "Raum 4.12", "agenda": agenda},
                 headers={"If-Match": '"%d"' % accepted["version"]}).json()
    check(moved["state"] == "proposed" and moved["proposed_by"] == w2.person_id,
          "a moved meeting is W2's proposal: %r" % moved)
    expect_problem(ctx.client.request("PUT", path, session=w1.session(),
                                      json_body={"starts_at": millis(winter)},
                                      headers={"If-Match": '"%d"' % accepted["version"]}), 412,
                   what="a stale reschedule")
    _req(ctx, "POST", path + "/accept", w1, 200, "W1 accepts the new time")
    start, end, event = _parse_ics(_req(ctx, "GET", path + "/calendar.ics", w1, 200,
                                        "the calendar file").body)
    check(start.astimezone(utc) == summer and start.hour == 12 and
          (end - start).total_seconds() == 5400, "summer meeting in Berlin: %s to %s"
          % (start, end))
    check(str(event.get("location")) == "Raum 4.12", "location: %r" % event.get("location"))

    # Marked held only once it started; cancelled meetings say so in their calendar file.
    expect_problem(ctx.client.request("POST", path + "/held", session=w1.session()), 409,
                   what="marking a future meeting held")
    past = _req(ctx, "POST", base, w2, 201, "W2 records a past meeting",
                json_body={"starts_at": millis(datetime.datetime.now(utc)) - 7200000}).json()
    held = _req(ctx, "POST", base + "/%d/held" % past["id"], w1, 200, "held").json()
    check(held["state"] == "held", "not held: %r" % held)
    cancelled = _req(ctx, "POST", path + "/cancel", w1, 200, "W1 cancels").json()
    check(cancelled["state"] == "cancelled", "not cancelled: %r" % cancelled)
    _, _, event = _parse_ics(_req(ctx, "GET", path + "/calendar.ics", w2, 200, "ics").body)
    check(str(event.get("status")) == "CANCELLED", "a cancelled meeting's calendar file says %r"
          % event.get("status"))
    items = _req(ctx, "GET", base, w2, 200, "the meetings").json()["items"]
    mine = {m["id"]: m["state"] for m in items if m["id"] in (meeting["id"], past["id"])}
    check(mine == {meeting["id"]: "cancelled", past["id"]: "held"}, "meetings: %r" % items)
    expect_problem(ctx.client.request("POST", base, session=w1.session(),
                                      json_body={"starts_at": millis(winter),
                                                 "time_zone": "Mars/Base"}), 400,
                   what="an unknown time zone")
    for actor in (ctx.actor("A1"), ctx.admin):
        expect_problem(ctx.client.request("GET", path + "/calendar.ics", session=actor.session()),
                       404, what="%s downloads the calendar file" % actor.label)

    # W2's private feed: every meeting of W2's tandems, times and states only; revocable.
    feed = _req(ctx, "POST", API + "/me/calendar-feed", w2, 201, "W2's calendar feed").json()
    check(feed["url"].endswith("/api/v1/calendar-feed?token=" + feed["token"]),
          "the feed's URL: %r" % feed)
    import icalendar
    body = _req(ctx, "GET", API + "/calendar-feed?token=" + feed["token"], None, 200,
                "the feed, without a session").body
    events = {str(e.get("uid")): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    uid = "tandem-%d-meeting-%d@tandem" % (open_workspace(ctx), meeting["id"])
    check(uid in events and events[uid].decoded("dtstart").astimezone(utc) == summer,
          "the feed lacks the moved meeting: %r" % list(events))
    check(b"Raum 4.12" not in body and b"Kubernetes" not in body,
          "the feed carries a place or an agenda")
    _req(ctx, "DELETE", API + "/me/calendar-feed", w2, 204, "W2 revokes the feed")
    expect_problem(ctx.client.request("GET", API + "/calendar-feed?token=" + feed["token"]), 404,
                   what="a revoked feed")


def test_asks_to_leadership(ctx):
    w1, w2, a1 = ctx.actor("W1"), ctx.actor("W2"), ctx.actor("A1")
    tid = open_workspace(ctx)
    tandem = _req(ctx, "GET", API + "/tandems/%d" % tid, w1, 200, "the tandem").json()
    pid = tandem["programme_id"]
    topic = _req(ctx, "GET", API + "/programmes/%d" % pid, a1, 200, "the programme").json()[
        "topics"][0]["key"]
    anonymous = _req(ctx, "POST", API + "/tandems/%d/asks" % tid, w1, 201, "an anonymous ask",
                     json_body={"text": "We need time for the pilot", "topics": [topic]}).json()
    check(anonymous["named"] is False, "an ask is named by default: %r" % anonymous)
    _req(ctx, "POST", API + "/tandems/%d/asks" % tid, w2, 201, "a named ask",
         json_body={"text": "A budget for training", "named": True})
    expect_problem(ctx.client.request("POST", API + "/tandems/%d/asks" % tid, session=w1.session(),
                                      json_body={"text": "x", "topics": ["no-such-topic"]}), 400,
                   what="an ask with an unknown topic")
    listed = _req(ctx, "GET", API + "/programmes/%d/asks" % pid, a1, 200, "the team's list").json()
    by_topic = {g["topic"]: g["asks"] for g in listed["topics"]}
    check(listed["total"] == 2 and [a["author"] for a in by_topic.get(topic, [])] == [None],
          "the anonymous ask under its topic, without author: %r" % listed)
    named = by_topic.get("", [])
    check(len(named) == 1 and named[0]["author"] == {"id": w2.person_id, "name": "Wanda Workspace"},
          "the named ask without topic, with its author: %r" % listed)
    check("tandem" not in json.dumps(listed), "the team's list names a tandem: %r" % listed)
    expect_problem(ctx.client.request("GET", API + "/programmes/%d/asks" % pid,
                                      session=w1.session()), 403, what="a participant lists asks")


def _wait_mail(ctx, to_address, subjects, timeout=40):
    """The next mail to `to_address` whose subject is one of `subjects` (taken once)."""
    deadline = time.monotonic() + timeout
    while True:
        for key, message in ctx.mail._messages():  # pylint: disable=protected-access
            recipients = " ".join(str(message.get_all(h, "")) for h in ("To", "X-RcptTo"))
            if to_address.lower() in recipients.lower() and str(message["Subject"]) in subjects:
                ctx.mail.taken.add(key)
                return message
        check(time.monotonic() < deadline, "no mail %r to %s arrived within %d s"
              % (subjects, to_address, timeout))
        time.sleep(0.2)


def test_ending(ctx):
    w1, w2, u3, a1 = ctx.actor("W1"), ctx.actor("W2"), ctx.actor("U3"), ctx.actor("A1")
    pid, tid = active_tandem(ctx, "W1", "U3")
    base = API + "/tandems/%d" % tid
    tandem = _req(ctx, "GET", base, w1, 200, "the tandem").json()
    check(tandem["activated_at"] is not None and tandem["ends_at"] > tandem["activated_at"]
          and tandem["mentor_completed_at"] is None and tandem["ended_at"] is None,
          "an active tandem's term: %r" % tandem)
    check("dissolve_reason" not in tandem and "meetings_held" not in tandem,
          "a partner sees team fields: %r" % tandem)

    # A meeting held; the team sees no count until the programme allows it.
    for actor in (w1, u3):
        _req(ctx, "POST", base + "/agreement/accept", actor, 200, "the agreement")
    meeting = _req(ctx, "POST", base + "/meetings", w1, 201, "W1 proposes a meeting",
                   json_body={"starts_at": int(time.time() * 1000) - 3600000,
                              "place": "Kantine"}).json()
    _req(ctx, "POST", base + "/meetings/%d/held" % meeting["id"], u3, 200, "U3 marks it held")
    listed = _req(ctx, "GET", API + "/programmes/%d/tandems" % pid, a1, 200, "the team's list")
    item = [t for t in listed.json()["items"] if t["id"] == tid][0]
    check("meetings_held" not in item, "meetings_held without show_meeting_counts: %r" % item)
    programme = _req(ctx, "GET", API + "/programmes/%d" % pid, a1, 200, "the programme")
    check(programme.json()["show_meeting_counts"] is False, "show_meeting_counts is on by "
          "default: " + programme.describe())
    body = {k: v for k, v in programme.json().items()
            if k not in ("id", "state", "version", "closed_at")}
    body["show_meeting_counts"] = True
    updated = _req(ctx, "PUT", API + "/programmes/%d" % pid, a1, 200, "A1 allows the counts",
                   json_body=body, headers={"If-Match": '"%d"' % etag_version(programme)})
    check(updated.json()["show_meeting_counts"] is True, "not stored: " + updated.describe())
    listed = _req(ctx, "GET", API + "/programmes/%d/tandems" % pid, a1, 200, "the team's list")
    item = [t for t in listed.json()["items"] if t["id"] == tid][0]
    check(item.get("meetings_held") == 1, "meetings_held after show_meeting_counts: %r" % item)
    check("meetings_held" not in _req(ctx, "GET", base, u3, 200, "the tandem").json(),
          "a partner sees meetings_held")
    summary = _req(ctx, "GET", API + "/programmes/%d/summary" % pid, a1, 200, "the summary")
    check(summary.json()["meetings"] == {"tandems": 1, "too_few": True, "held": None,
                                         "reached_target": None},
          "the meetings aggregate of one tandem: %r" % summary.json().get("meetings"))

    # Both partners complete it; marking twice changes nothing; then it is read-only.
    first = _req(ctx, "POST", base + "/complete", w1, 200, "W1 completes").json()
    check(first["state"] == "active" and first["mentor_completed_at"] is not None,
          "after one mark: %r" % first)
    again = _req(ctx, "POST", base + "/complete", w1, 200, "W1 completes again").json()
    check(again["version"] == first["version"], "a second mark changed the tandem")
    expect_problem(ctx.client.request("POST", base + "/complete", session=w2.session()), 404,
                   what="another participant completes it")
    done = _req(ctx, "POST", base + "/complete", u3, 200, "U3 completes").json()
    check(done["state"] == "completed" and done["ended_at"] is not None
          and done["mentee_completed_at"] is not None, "after both marks: %r" % done)
    expect_problem(ctx.client.request("POST", base + "/dissolve", session=w1.session(),
                                      json_body={}), 409, what="dissolving a completed tandem")
    expect_problem(ctx.client.request("POST", base + "/notes", session=w1.session(),
                                      json_body={"text": "late"}), 409,
                   what="a note after completion")
    _req(ctx, "GET", base + "/notes", u3, 200, "the notes after completion")

    # U3 and W2: W2 dissolves it with a reason the team sees and U3's mail does not carry.
    pid2, tid2 = active_tandem(ctx, "U3", "W2")
    base2 = API + "/tandems/%d" % tid2
    # 2000 characters (of two bytes each, mostly) are fine; 2001 are not.
    tail = "Kanarienvogel-" + uuid.uuid4().hex
    reason = "\u00e4" * (2000 - len(tail)) + tail
    expect_problem(ctx.client.request("POST", base2 + "/dissolve", session=w2.session(),
                                      json_body={"reason": "x" * 2001}), 400, field="reason",
                   what="a reason of 2001 characters")
    expect_problem(ctx.client.request("POST", base2 + "/dissolve", session=w2.session(),
                                      json_body={"reason": "\u00e4" + reason}), 400,
                   field="reason", what="a reason of 2001 two-byte characters")
    expect_problem(ctx.client.request("POST", base2 + "/dissolve", session=w1.session(),
                                      json_body={"reason": reason}), 404,
                   what="another participant dissolves it")
    ended = _req(ctx, "POST", base2 + "/dissolve", w2, 200, "W2 dissolves",
                 json_body={"reason": reason}).json()
    check(ended["state"] == "dissolved" and "dissolve_reason" not in ended,
          "the dissolver's answer: %r" % ended)
    check(tail not in _req(ctx, "GET", base2, u3, 200, "U3's tandem").body.decode("utf-8"),
          "the partner sees the reason")
    team = _req(ctx, "GET", API + "/programmes/%d/tandems" % pid2, a1, 200, "the team's list")
    item = [t for t in team.json()["items"] if t["id"] == tid2][0]
    check(item["dissolve_reason"] == reason and item["state"] == "dissolved",
          "the team does not see the reason: %r" % item)
    mail = _wait_mail(ctx, u3.email, ("Ihr Tandem wurde beendet", "Your tandem has ended"))
    check(tail not in mail.as_string() and "/tandems/%d" % tid2 in ctx.mail.text_of(mail),
          "the partner's mail: %s" % ctx.mail.text_of(mail))
    expect_problem(ctx.client.request("POST", base2 + "/complete", session=u3.session()), 409,
                   what="completing a dissolved tandem")


TESTS = [
    ("workspace: agreement, roadmap versions, private notes, no way in for administrators, "
     "canary", test_workspace_flow),
    ("workspace: bad requests are named", test_workspace_bad_requests),
    ("workspace: meetings proposed, accepted, moved across DST, held, cancelled; .ics parsed by "
     "python3-icalendar", test_meetings_and_calendar_files),
    ("workspace: asks to leadership, anonymous by default, listed by topic for the team",
     test_asks_to_leadership),
    ("workspace: ending: completed by both, then read-only; dissolved with a reason for the team "
     "only; meetings held only with show_meeting_counts", test_ending),
]
