"""Surveys, partner feedback, the programme dashboard and its exports over HTTP (issue 8;
docs/reports.md, docs/api/routes.md "Surveys and reports"). Run by run_http_tests.py on SQLite
and PostgreSQL.

One cohort is seeded through the API and shared by the tests: 29 people invited to a reverse
programme (minimum group size k = 5), 24 of them enrolled (12 juniors who mentor, 12 seniors
who learn), matched by a run, published, every tandem accepted, 6 tandems completed by both
partners. Departments: Sales (10 people), Finance (15) and Legal (4: a group smaller than k
that no report may single out); locations Berlin (11) and Munich (18).
"""

import csv
import io
import itertools
import time

from helpers import API, Actor, Fail, check, etag_version, expect_problem, expect_status, \
    names_field, parse_session

K = 5
TOPICS = ("ai", "cloud")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _req(ctx, method, path, actor, status, what, **kw):
    resp = ctx.client.request(method, path, session=actor.session() if actor else None, **kw)
    return expect_status(resp, status, what)


def _wait_link(ctx, to_address, link, timeout=40):
    """Waits for a mail to `to_address` whose text holds `link` (taken once)."""
    deadline = time.monotonic() + timeout
    while True:
        for key, message in ctx.mail._messages():
            recipients = " ".join(str(message.get_all(h, "")) for h in ("To", "X-RcptTo"))
            if to_address.lower() in recipients.lower() and link in ctx.mail.text_of(message):
                ctx.mail.taken.add(key)
                return message
        if time.monotonic() > deadline:
            raise Fail("no mail to %s with %s arrived within %d s" % (to_address, link, timeout))
        time.sleep(0.2)


def now_ms():
    return int(time.time() * 1000)


def set_programme(ctx, pid, **changes):
    """Changes settings of programme `pid` as the system administrator (GET, then PUT)."""
    resp = _req(ctx, "GET", API + "/programmes/%d" % pid, ctx.admin, 200, "GET the programme")
    body = {k: v for k, v in resp.json().items()
            if k not in ("id", "state", "version", "closed_at", "administered", "own_enrolment")}
    body.update(changes)
    return _req(ctx, "PUT", API + "/programmes/%d" % pid, ctx.admin, 200,
                "changing the programme (%s)" % ", ".join(sorted(changes)), json_body=body,
                headers={"If-Match": '"%d"' % etag_version(resp)}).json()


def valid_answers(questions, topics, scale=4, recommendation=9, rating=2):
    """An answer to every question of a survey (as GET returns its questions)."""
    answers = {}
    for q in questions:
        kind = q["type"]
        if kind == "scale":
            answers[q["key"]] = scale
        elif kind == "recommendation":
            answers[q["key"]] = recommendation
        elif kind == "single_choice":
            answers[q["key"]] = q["choices"][0]["key"]
        elif kind == "free_text":
            answers[q["key"]] = "It helped."
        elif kind == "topic_rating":
            answers[q["key"]] = {t: rating for t in topics}
    return answers


# ---------------------------------------------------------------------------------------------
# The cohort


def _cohort_people(tag):
    """(label, HR id, level, department, location): juniors J1..J12 mentor, seniors S1..S12
    learn, N1..N5 are invited and never enrol."""
    # Enrolled people by department and location: Sales 6 in Berlin, 4 in Munich; Finance 5
    # and 5; Legal 4 in Munich. The five who never enrol work for Finance in Munich.
    place = {}
    for i in range(1, 13):
        if i <= 2:
            place["J%d" % i] = place["S%d" % i] = ("Legal", "Munich")
        elif i <= 7:
            place["J%d" % i] = place["S%d" % i] = ("Sales", "Berlin" if i <= 5 else "Munich")
        else:
            place["J%d" % i] = ("Finance", "Berlin" if i <= 10 else "Munich")
            place["S%d" % i] = ("Finance", "Berlin" if i <= 9 else "Munich")
    people = []
    for prefix, level in (("J", 1), ("S", 4)):
        for i in range(1, 13):
            label = "%s%d" % (prefix, i)
            people.append((label, "E-R%s-%s" % (tag, label), level) + place[label])
    for i in range(1, 6):
        people.append(("N%d" % i, "E-R%s-N%d" % (tag, i), 2, "Finance", "Munich"))
    return people


def _enrolment(topics, junior):
    answers = []
    for t in topics:
        if t in TOPICS:
            if junior:
                answers.append({"topic": t, "interest": 0, "skill": 2,
                                "experience": "Built %s things" % t})
            else:
                answers.append({"topic": t, "interest": 3, "skill": 1, "experience": ""})
        else:
            answers.append({"topic": t, "interest": 0, "skill": 0, "experience": ""})
    return {"mentor_capacity": 1 if junior else 0, "mentee_capacity": 0 if junior else 1,
            "languages": ["de", "en"], "availability": "Mondays", "answers": answers}


def cohort(ctx):
    """The shared cohort (seeded once): {pid, actors, tandems: [{id, mentor, mentee}],
    completed: [tandem ids], topics}."""
    if getattr(ctx, "report_cohort", None) is not None:
        return ctx.report_cohort
    c, admin = ctx.client, ctx.admin
    tag = str(now_ms() % 100000)
    people = _cohort_people(tag)
    lines = ["id,name,email,department,location,manager_id,level,languages"]
    for label, ext, level, department, location in people:
        lines.append("%s,Rita %s,r%s-%s@example.test,%s,%s,,%d,de;en"
                     % (ext, label, tag, label.lower(), department, location, level))
    _req(ctx, "POST", API + "/people/import", admin, 200, "importing the report cohort",
         body="\n".join(lines) + "\n", content_type="text/csv")
    ids = {}
    after = 0
    while True:
        page = _req(ctx, "GET", API + "/people?limit=500&after=%d" % after, admin, 200,
                    "listing people").json()
        for p in page["items"]:
            ids[p["external_id"]] = p["id"]
        if not page["next_after"]:
            break
        after = page["next_after"]
    actors = {}
    for label, ext, _, _, _ in people:
        actor = Actor(ctx, label, "r%s-%s@example.test" % (tag, label.lower()),
                      "report cohort password %s" % label.lower(), ext)
        actor.person_id = ids[ext]
        actors[label] = actor

    programme = _req(ctx, "POST", API + "/programmes", admin, 201, "creating the programme",
                     json_body={"name": "Reports %s" % tag, "mode": "reverse",
                                "mentee_min_level": 3, "partner_feedback": True,
                                "enrolment_deadline": now_ms() + 3600000}).json()
    check(programme.get("min_group_size") == K and programme.get("partner_feedback") is True,
          "the new programme's report settings: %r" % programme)
    pid = programme["id"]
    topics = [t["key"] for t in programme["topics"]]
    base = API + "/programmes/%d" % pid
    _req(ctx, "POST", base + "/open", admin, 200, "opening")
    _req(ctx, "POST", base + "/invitations", admin, 200, "inviting the cohort",
         json_body={"person_ids": [a.person_id for a in actors.values()]})
    enrolling = [a for label, a in actors.items() if not label.startswith("N")]
    for actor in enrolling:
        token = ctx.mail.wait_token(actor.email, "invitation")
        resp = c.request("POST", API + "/invitations/redeem",
                         json_body={"token": token, "password": actor.password})
        actor.set_session(parse_session(resp))
    for actor in enrolling:
        _req(ctx, "PUT", base + "/enrolment", actor, 200, "%s enrols" % actor.label,
             headers={"If-Match": "*"}, json_body=_enrolment(topics, actor.label.startswith("J")))

    # The deadline passes; a run pairs everyone; publishing starts the programme.
    set_programme(ctx, pid, enrolment_deadline=now_ms() - 1000)
    run = _req(ctx, "POST", base + "/runs", admin, 202, "queueing a run",
               json_body={"objective": "optimal"}).json()
    deadline = time.monotonic() + 90
    while run["state"] not in ("done", "failed"):
        check(time.monotonic() < deadline, "the run is still %s" % run["state"])
        time.sleep(0.2)
        run = _req(ctx, "GET", base + "/runs/%d" % run["id"], admin, 200, "the run").json()
    check(run["state"] == "done", "the run failed: %r" % run.get("error"))
    _req(ctx, "POST", base + "/runs/%d/publish" % run["id"], admin, 200, "publishing")
    by_person = {a.person_id: a for a in actors.values()}
    listed = _req(ctx, "GET", base + "/tandems?limit=500", admin, 200, "the tandems").json()
    tandems = []
    for t in listed["items"]:
        tandems.append({"id": t["id"], "mentor": by_person[t["mentor"]["id"]],
                        "mentee": by_person[t["mentee"]["id"]]})
    check(len(tandems) == 12, "the run paired %d tandems, not 12" % len(tandems))
    for t in tandems:
        for who in ("mentor", "mentee"):
            _req(ctx, "POST", API + "/tandems/%d/accept" % t["id"], t[who], 200,
                 "%s accepts" % t[who].label)
    tandems.sort(key=lambda t: t["mentee"].label)
    completed = []
    for t in tandems[:6]:
        for who in ("mentor", "mentee"):
            _req(ctx, "POST", API + "/tandems/%d/complete" % t["id"], t[who], 200,
                 "%s completes" % t[who].label)
        completed.append(t["id"])
    ctx.report_cohort = {"pid": pid, "actors": actors, "tandems": tandems,
                         "completed": completed, "topics": topics}
    return ctx.report_cohort


def _surveys(ctx, pid, actor=None):
    resp = _req(ctx, "GET", API + "/programmes/%d/surveys" % pid, actor or ctx.admin, 200,
                "the programme's surveys")
    return {(s["kind"], s["audience"]): s for s in resp.json()["surveys"]}


def _mentees(co):
    return [co["actors"]["S%d" % i] for i in range(1, 13)]


# ---------------------------------------------------------------------------------------------
# Surveys


def test_survey_flow(ctx):
    """The team lists the four surveys, edits questions, opens one; participants answer (a bad
    answer first, named), the team closes it and reads the results; a reopening with fewer
    than k new answers keeps the release; answers counted in a release are frozen."""
    co = cohort(ctx)
    pid, s = co["pid"], ctx.admin
    surveys = _surveys(ctx, pid)
    check(set(surveys) == {(k, a) for k in ("mid_term", "final") for a in ("mentees", "mentors")},
          "the programme's surveys: %r" % sorted(surveys))
    for survey in surveys.values():
        check(survey["state"] == "draft" and survey["editable"] and survey["questions"]
              and survey["released"] is False and survey["responses"] == 0,
              "a fresh survey: %r" % survey)
    again = _surveys(ctx, pid)
    check({k: v["id"] for k, v in again.items()} == {k: v["id"] for k, v in surveys.items()},
          "listing twice made new surveys")
    mid = surveys[("mid_term", "mentees")]
    path = API + "/surveys/%d" % mid["id"]

    # Editing the questions: If-Match, stale versions, named problems.
    resp = _req(ctx, "GET", path, s, 200, "GET the survey")
    version = etag_version(resp)
    questions = resp.json()["questions"]
    questions[0]["text"]["en"] = "How is your tandem going, really?"
    expect_problem(ctx.client.request("PUT", path, session=s.session(),
                                      json_body={"questions": questions}), 428,
                   what="PUT a survey without If-Match")
    edited = _req(ctx, "PUT", path, s, 200, "editing the questions",
                  json_body={"questions": questions}, headers={"If-Match": '"%d"' % version})
    check(edited.json()["questions"][0]["text"]["en"] == "How is your tandem going, really?"
          and etag_version(edited) > version, "the edit: " + edited.describe())
    expect_problem(ctx.client.request("PUT", path, session=s.session(),
                                      json_body={"questions": questions},
                                      headers={"If-Match": '"%d"' % version}), 412,
                   what="PUT a survey with a stale If-Match")
    bad = [dict(questions[0], type="bogus")] + questions[1:]
    resp = ctx.client.request("PUT", path, session=s.session(), json_body={"questions": bad},
                              headers={"If-Match": '"%d"' % etag_version(edited)})
    expect_problem(resp, 400, what="a question of an unknown type")
    fields = [e.get("field", "") for e in resp.json().get("errors", [])]
    check(fields and all(f.startswith("questions") for f in fields),
          "the problem does not name the question: " + resp.describe())

    # Results before anything was released; opening invites the mentees of active tandems.
    result = _req(ctx, "GET", path + "/results", s, 200, "results of a draft").json()
    check(result["result"] is None, "results of a draft: %r" % result)
    opened = _req(ctx, "POST", path + "/open", s, 200, "opening the survey").json()
    check(opened["state"] == "open" and opened["invited"] == 12 and opened["opened_at"]
          and opened["remind_at"], "the opened survey: %r" % opened)
    expect_problem(ctx.client.request("POST", path + "/open", session=s.session()), 409,
                   what="opening an open survey")
    mentees = _mentees(co)
    first = mentees[2]
    _wait_link(ctx, first.email, "/surveys/%d" % mid["id"])
    mine = [x for x in _req(ctx, "GET", API + "/me/surveys", first, 200, "my surveys")
            .json()["surveys"] if x["id"] == mid["id"]]
    check(len(mine) == 1 and mine[0]["response"] is None and mine[0]["frozen"] is False
          and mine[0]["programme"] == pid and mine[0]["questions"],
          "the mentee's survey list: %r" % mine)
    mentor = co["actors"]["J3"]
    check(all(x["id"] != mid["id"] for x in _req(ctx, "GET", API + "/me/surveys", mentor, 200,
                                                  "a mentor's surveys").json()["surveys"]),
          "a mentor is asked the mentees' survey")

    # A bad answer is named by its question; then good answers.
    answers = valid_answers(opened["questions"], co["topics"])
    scale_keys = [q["key"] for q in opened["questions"] if q["type"] == "scale"]
    check(scale_keys, "the default mid-term survey has no scale question")
    wrong = dict(answers, **{scale_keys[0]: 9})
    resp = ctx.client.request("PUT", path + "/response", session=first.session(),
                              json_body={"answers": wrong}, headers={"If-Match": "*"})
    expect_problem(resp, 400, what="an answer out of range")
    check(names_field(resp, "answers." + scale_keys[0]),
          "the problem does not name answers.%s: %s" % (scale_keys[0], resp.describe()))
    expect_problem(ctx.client.request("PUT", path + "/response", session=first.session(),
                                      json_body={"answers": answers}), 428,
                   what="answering without If-Match")
    expect_problem(ctx.client.request("PUT", path + "/response", session=mentor.session(),
                                      json_body={"answers": answers},
                                      headers={"If-Match": "*"}), 404,
                   what="a mentor answers the mentees' survey")
    expect_problem(ctx.client.request("GET", path + "/response", session=first.session()), 404,
                   what="GET a response not given yet")
    saved = _req(ctx, "PUT", path + "/response", first, 200, "the first answers",
                 json_body={"answers": answers}, headers={"If-Match": "*"})
    check(saved.json()["answers"] == answers and saved.json()["frozen"] is False,
          "the saved answers: " + saved.describe())
    changed = dict(answers, **{scale_keys[0]: 5})
    resp = _req(ctx, "PUT", path + "/response", first, 200, "changing the answers",
                json_body={"answers": changed}, headers={"If-Match": '"%d"' % etag_version(saved)})
    expect_problem(ctx.client.request("PUT", path + "/response", session=first.session(),
                                      json_body={"answers": answers},
                                      headers={"If-Match": '"%d"' % etag_version(saved)}), 412,
                   what="answers with a stale If-Match")
    got = _req(ctx, "GET", path + "/response", first, 200, "GET own answers")
    check(got.json()["answers"][scale_keys[0]] == 5 and etag_version(got) == etag_version(resp),
          "the answers read back: " + got.describe())
    expect_problem(ctx.client.request("PUT", path, session=s.session(),
                                      json_body={"questions": questions},
                                      headers={"If-Match": "*"}), 409,
                   what="editing questions once answered")
    for m in mentees[3:8]:  # six answers in all
        _req(ctx, "PUT", path + "/response", m, 200, "%s answers" % m.label,
             json_body={"answers": answers}, headers={"If-Match": "*"})
    counted = _req(ctx, "GET", path, s, 200, "the survey").json()
    check(counted["responses"] == 6 and counted["editable"] is False,
          "the survey with six answers: %r" % counted)

    # Closing releases the results.
    closed = _req(ctx, "POST", path + "/close", s, 200, "closing").json()
    check(closed["state"] == "closed" and closed["released"] is True and closed["closed_at"],
          "the closed survey: %r" % closed)
    expect_problem(ctx.client.request("PUT", path + "/response", session=mentees[8].session(),
                                      json_body={"answers": answers},
                                      headers={"If-Match": "*"}), 409,
                   what="answering a closed survey")
    results = _req(ctx, "GET", path + "/results", s, 200, "the results").json()
    check(results["result"] is not None and results["result"]["respondents"] == 6,
          "the released results: %r" % results)
    by_key = {q["key"]: q for q in results["result"]["questions"]}
    check(by_key[scale_keys[0]]["respondents"] == 6, "the scale question's respondents: %r"
          % by_key[scale_keys[0]])
    for q in results["result"]["questions"]:
        for count in [q["respondents"]] + [c["count"] for c in q["choices"]] + \
                (q["distribution"] or []):
            check(count is None or count == 0 or count >= K,
                  "a released figure of 1..k-1 people: %r" % q)

    # Reopening: new answers below k leave the release as it was; released answers are frozen.
    _req(ctx, "POST", path + "/reopen", s, 200, "reopening")
    resp = ctx.client.request("PUT", path + "/response", session=first.session(),
                              json_body={"answers": answers}, headers={"If-Match": "*"})
    expect_problem(resp, 409, what="changing answers counted in released results")
    mine = [x for x in _req(ctx, "GET", API + "/me/surveys", first, 200, "my surveys")
            .json()["surveys"] if x["id"] == mid["id"]]
    check(mine and mine[0]["frozen"] is True and mine[0]["response"] is not None,
          "the frozen answer in /me/surveys: %r" % mine)
    for m in mentees[8:10]:
        _req(ctx, "PUT", path + "/response", m, 200, "%s answers late" % m.label,
             json_body={"answers": dict(answers, **{scale_keys[0]: 1})},
             headers={"If-Match": "*"})
    _req(ctx, "POST", path + "/close", s, 200, "closing again")
    results = _req(ctx, "GET", path + "/results", s, 200, "the results").json()
    check(results["result"]["respondents"] == 6,
          "two late answers changed the release: %r" % results["result"]["respondents"])
    check(1 not in (by_key[scale_keys[0]]["distribution"] or [0]),
          "the distribution: %r" % by_key[scale_keys[0]])

    # The final survey: mentees rate what they now understand (learning against enrolment).
    final = surveys[("final", "mentees")]
    fpath = API + "/surveys/%d" % final["id"]
    _req(ctx, "POST", fpath + "/open", s, 200, "opening the final survey")
    for m in mentees[:8]:
        _req(ctx, "PUT", fpath + "/response", m, 200, "%s answers the final survey" % m.label,
             json_body={"answers": valid_answers(final["questions"], TOPICS, rating=3)},
             headers={"If-Match": "*"})
    _req(ctx, "POST", fpath + "/close", s, 200, "closing the final survey")


def test_partner_feedback(ctx):
    """Each partner's feedback is shown to the other only once both gave theirs; the giver may
    edit it until then; the team never sees it; a programme without it refuses it."""
    co = cohort(ctx)
    t = co["tandems"][7]
    path = API + "/tandems/%d/feedback" % t["id"]
    mentor, mentee = t["mentor"], t["mentee"]
    view = _req(ctx, "GET", path, mentor, 200, "the feedback").json()
    check(view == {"enabled": True, "mine": None, "partner_gave": False, "partner": None},
          "fresh feedback: %r" % view)
    expect_problem(ctx.client.request("PUT", path, session=mentor.session(),
                                      json_body={"text": "x" * 2001},
                                      headers={"If-Match": "*"}), 400, field="text",
                   what="feedback over 2000 characters")
    given = _req(ctx, "PUT", path, mentor, 200, "the mentor gives feedback",
                 json_body={"text": "Thank you for the patience."}, headers={"If-Match": "*"})
    check(given.json()["mine"]["text"] == "Thank you for the patience." and
          given.json()["partner"] is None, "the mentor's feedback: " + given.describe())
    seen = _req(ctx, "GET", path, mentee, 200, "the mentee's view").json()
    check(seen["partner_gave"] is True and seen["partner"] is None and seen["mine"] is None,
          "the mentee sees feedback before giving theirs: %r" % seen)
    edited = _req(ctx, "PUT", path, mentor, 200, "the mentor edits",
                  json_body={"text": "Thank you for your patience."},
                  headers={"If-Match": '"%d"' % given.json()["mine"]["version"]}).json()
    _req(ctx, "PUT", path, mentee, 200, "the mentee gives feedback",
         json_body={"text": "You explained the cloud well."}, headers={"If-Match": "*"})
    both = _req(ctx, "GET", path, mentor, 200, "the mentor's view").json()
    check(both["partner"] == "You explained the cloud well.", "after both gave: %r" % both)
    both = _req(ctx, "GET", path, mentee, 200, "the mentee's view").json()
    check(both["partner"] == "Thank you for your patience.", "after both gave: %r" % both)
    expect_problem(ctx.client.request("PUT", path, session=mentor.session(),
                                      json_body={"text": "Changed my mind."},
                                      headers={"If-Match": '"%d"' % edited["mine"]["version"]}),
                   409, what="editing feedback after the partner gave theirs")
    for actor in (ctx.actor("A1"), co["actors"]["J3"]):
        expect_problem(ctx.client.request("GET", path, session=actor.session()), 404,
                       what="%s reads the partners' feedback" % actor.label)
    expect_problem(ctx.client.request("GET", path, session=ctx.admin.session()), 403,
                   what="the system administrator (no person) reads the partners' feedback")
    set_programme(ctx, co["pid"], partner_feedback=False)
    try:
        other = co["tandems"][8]
        expect_problem(ctx.client.request("PUT", API + "/tandems/%d/feedback" % other["id"],
                                          session=other["mentor"].session(),
                                          json_body={"text": "Hello"},
                                          headers={"If-Match": "*"}), 409,
                       what="feedback in a programme that does not enable it")
    finally:
        set_programme(ctx, co["pid"], partner_feedback=True)


def test_min_group_size_setting(ctx):
    resp = ctx.client.request("POST", API + "/programmes", session=ctx.admin.session(),
                              json_body={"name": "k too small", "min_group_size": 2})
    expect_problem(resp, 400, field="min_group_size", what="min_group_size 2")
    created = _req(ctx, "POST", API + "/programmes", ctx.admin, 201, "min_group_size 7",
                   json_body={"name": "k seven %d" % now_ms(), "min_group_size": 7}).json()
    check(created["min_group_size"] == 7 and created["partner_feedback"] is False,
          "the stored settings: %r" % created)
    # Fixed once enrolment opens: two readings under two values of k would reveal small groups.
    co = cohort(ctx)
    running = _req(ctx, "GET", API + "/programmes/%d" % co["pid"], ctx.admin, 200,
                   "GET the running programme")
    body = {k: v for k, v in running.json().items()
            if k not in ("id", "state", "version", "closed_at", "administered", "own_enrolment")}
    body["min_group_size"] = body["min_group_size"] + 1
    resp = ctx.client.request("PUT", API + "/programmes/%d" % co["pid"],
                              session=ctx.admin.session(), json_body=body,
                              headers={"If-Match": '"%d"' % etag_version(running)})
    expect_problem(resp, 409, what="changing min_group_size of a running programme")
    check(b"min_group_size" in resp.body, "the 409 names min_group_size: %s" % resp.describe())
    del body["min_group_size"]  # an input without k keeps it
    kept = _req(ctx, "PUT", API + "/programmes/%d" % co["pid"], ctx.admin, 200,
                "PUT without min_group_size", json_body=body,
                headers={"If-Match": '"%d"' % etag_version(running)}).json()
    check(kept["min_group_size"] == running.json()["min_group_size"],
          "an input without min_group_size keeps it: %r" % kept)


# ---------------------------------------------------------------------------------------------
# The dashboard


def _dashboard(ctx, pid, query="", status=200):
    path = API + "/programmes/%d/dashboard" % pid + ("?" + query if query else "")
    return _req(ctx, "GET", path, ctx.admin, status, "GET " + path)


def test_dashboard_figures(ctx):
    """The figures of the seeded programme: funnel, demand and supply, scores, meetings,
    surveys, learning in both directions, asks, earlier cohorts."""
    co = cohort(ctx)
    d = _dashboard(ctx, co["pid"]).json()
    check(d["programme"]["id"] == co["pid"] and d["programme"]["state"] == "running"
          and d["min_group_size"] == K, "the dashboard's programme: %r" % d["programme"])
    funnel = {s["stage"]: s["count"] for s in d["funnel"]}
    # The 12 people of the completed tandems spread over the filters' groups (department x
    # location) so that some group holds 1..k-1 of them: then the stage may be hidden even
    # unfiltered, or a filter would tell that group's count by difference.
    completed = funnel.pop("completed", "missing")
    check(funnel == {"invited": 29, "enrolled": 24, "matched": 24, "accepted": 24, "active": 24}
          and completed in (12, None), "the funnel: %r" % d["funnel"])
    check(d["withdrawn"] == 0, "withdrawn: %r" % d["withdrawn"])
    # Demand and supply: per group of the filters (department x location) fewer than k
    # mentees chose a topic, so the figures may be hidden; where shown, they are exact.
    topics = {t["key"]: t for t in d["topics"]}
    for key in TOPICS:
        t = topics[key]
        for name, value in (("mentees", 12), ("demand", 36), ("mentors", 12), ("supply", 24)):
            check(t[name] in (value, None), "%s of %s: %r" % (name, key, t))
    others = [t for k, t in topics.items() if k not in TOPICS]
    check(others and all(t["mentees"] in (0, None) and t["mentors"] in (0, None)
                         for t in others), "topics nobody chose: %r" % others[:2])
    check(len(d["scores"]) == 5 and sum(b["count"] or 0 for b in d["scores"]) <= 12 and
          all(b["count"] is None or b["count"] == 0 or b["count"] >= K for b in d["scores"]),
          "the score distribution: %r" % d["scores"])
    m = d["meetings"]
    check(m["tandems"] == 12 and m["held"] == 0 and m["reached_target"] == 0,
          "meetings: %r" % m)
    check(all(b["count"] is None or b["count"] == 0 or b["count"] >= K for b in m["cadence"]),
          "the cadence: %r" % m["cadence"])
    check(len(d["surveys"]) == 4, "the dashboard's surveys: %r" % d["surveys"])
    for survey in d["surveys"]:
        check(survey["invited"] is None or survey["invited"] == 0 or survey["invited"] >= K,
              "a survey's invited: %r" % survey)
    released = {(x["kind"], x["audience"]): x for x in d["surveys"]}
    mid = released[("mid_term", "mentees")]
    if mid["state"] == "closed":
        check(mid["result"] and mid["result"]["respondents"] == 6 and mid["questions"],
              "the mid-term results on the dashboard: %r" % mid)
    final = released[("final", "mentees")]
    if final["state"] == "closed":
        learning = {t["topic"]: t for t in d["learning"]["mentees"]}
        for key in TOPICS:
            t = learning.get(key)
            check(t is not None and t["respondents"] == 8 and t["mean_before"] == 1
                  and t["mean"] == 3 and t["mean_change"] == 2
                  and t["change_counts"] == [8, 0, 0],
                  "the mentees' learning in %s: %r" % (key, t))
    check(isinstance(d["asks"], list) and isinstance(d["earlier"], list)
          and len(d["earlier"]) <= 10 and all(e["id"] != co["pid"] for e in d["earlier"]),
          "asks and earlier cohorts: %r %r" % (d["asks"], d["earlier"][:2]))

    # A later cohort of the ten Sales people (one group for the filters): demand and supply
    # are shown exactly, and the seeded programme is its earlier cohort.
    sales = [co["actors"]["%s%d" % (p, i)] for p in "JS" for i in range(3, 8)]
    later = _req(ctx, "POST", API + "/programmes", ctx.admin, 201, "a later cohort",
                 json_body={"name": "Reports later %d" % now_ms(), "mode": "reverse",
                            "mentee_min_level": 3,
                            "enrolment_deadline": now_ms() + 3600000}).json()["id"]
    _req(ctx, "POST", API + "/programmes/%d/open" % later, ctx.admin, 200, "opening it")
    _req(ctx, "POST", API + "/programmes/%d/invitations" % later, ctx.admin, 200, "inviting",
         json_body={"person_ids": [a.person_id for a in sales]})
    for actor in sales:
        _req(ctx, "PUT", API + "/programmes/%d/enrolment" % later, actor, 200,
             "%s enrols again" % actor.label, headers={"If-Match": "*"},
             json_body=_enrolment(co["topics"], actor.label.startswith("J")))
    d2 = _dashboard(ctx, later).json()
    funnel = [s["count"] for s in d2["funnel"]]
    check(funnel == [10, 10, 0, 0, 0, 0], "the later cohort's funnel: %r" % d2["funnel"])
    # While enrolling, no topic figure is shown (two readings would tell one person's answers).
    check(d2["programme"]["state"] == "enrolling" and
          all(t[f] is None for t in d2["topics"] for f in ("mentees", "demand", "mentors",
                                                          "supply")),
          "topic figures while enrolling: %r" % d2["topics"][:2])
    # The deadline passes and a run starts: enrolment is over, the figures are shown.
    set_programme(ctx, later, enrolment_deadline=now_ms() - 1000)
    run = _req(ctx, "POST", API + "/programmes/%d/runs" % later, ctx.admin, 202,
               "a run of the later cohort", json_body={"objective": "optimal"}).json()
    wait = time.monotonic() + 90
    while run["state"] not in ("done", "failed"):
        check(time.monotonic() < wait, "the later run is still %s" % run["state"])
        time.sleep(0.2)
        run = _req(ctx, "GET", API + "/programmes/%d/runs/%d" % (later, run["id"]), ctx.admin,
                   200, "the later run").json()
    d2 = _dashboard(ctx, later).json()
    check(d2["programme"]["state"] == "matching", "the later cohort: %r" % d2["programme"])
    topics = {t["key"]: t for t in d2["topics"]}
    for key in TOPICS:
        t = topics[key]
        check((t["mentees"], t["demand"], t["mentors"], t["supply"]) == (5, 15, 5, 10),
              "demand and supply of %s in the later cohort: %r" % (key, t))
    # A sum is shown only beside a count of at least k: over nobody it has no value.
    check(all(t["mentees"] == 0 and t["mentors"] == 0 and t["demand"] is None
              and t["supply"] is None for k, t in topics.items() if k not in TOPICS),
          "topics nobody chose in the later cohort: %r" % d2["topics"])
    earlier = {e["id"]: e for e in d2["earlier"]}
    check(co["pid"] in earlier, "the seeded programme is not an earlier cohort: %r"
          % d2["earlier"][:3])
    e = earlier[co["pid"]]
    check([s["count"] for s in e["funnel"]][:5] == [29, 24, 24, 24, 24]
          and e["nps"] in (100, None), "the earlier cohort: %r" % e)

    # One of them withdraws after enrolment ended: no topic figure changes (the store deletes
    # a withdrawn person's answers, so the figures are hidden from then on rather than changed).
    before = {t["key"]: t for t in d2["topics"]}
    _req(ctx, "DELETE", API + "/programmes/%d/enrolment" % later, sales[0], 204,
         "%s withdraws from the later cohort" % sales[0].label)
    after = {t["key"]: t for t in _dashboard(ctx, later).json()["topics"]}
    for key, t in after.items():
        for f in ("mentees", "demand", "mentors", "supply"):
            check(t[f] is None or t[f] == before[key][f],
                  "%s of %s changed after a withdrawal: %r -> %r" % (f, key, before[key], t))


def _count_figures(d):
    """Every count about people in a dashboard answer, as {(section, item, measure): value}."""
    out = {}
    for s in d["funnel"]:
        out[("funnel", s["stage"], "people")] = s["count"]
    out[("funnel", "withdrawn", "people")] = d["withdrawn"]
    for t in d["topics"]:
        out[("topics", t["key"], "mentees")] = t["mentees"]
        out[("topics", t["key"], "mentors")] = t["mentors"]
    for b in d["scores"]:
        out[("scores", "%s-%s" % (b["from"], b["to"]), "tandems")] = b["count"]
    for b in d["meetings"]["cadence"]:
        out[("meetings_cadence", b["meetings"], "tandems")] = b["count"]
    out[("meetings", "all", "reached_target")] = d["meetings"]["reached_target"]
    for s in d["surveys"]:
        name = "%s/%s" % (s["kind"], s["audience"])
        out[("survey", name, "invited")] = s["invited"]
        if s["result"]:
            out[("survey", name, "respondents")] = s["result"]["respondents"]
            for q in s["result"]["questions"]:
                item = name + "/" + q["key"]
                out[("survey_question", item, "respondents")] = q["respondents"]
                for c in q["choices"]:
                    out[("survey_question", item, "choice_" + c["key"])] = c["count"]
    for side in ("mentees", "mentors"):
        for t in d["learning"][side]:
            out[("learning_" + side, t["topic"], "respondents")] = t["respondents"]
            for name, value in zip(("rose", "stayed", "fell"), t["change_counts"] or []):
                out[("learning_" + side, t["topic"], name)] = value
    return out


COUNT_MEASURES = ("people", "mentees", "mentors", "tandems", "invited", "respondents",
                  "reached_target", "rose", "stayed", "fell", "detractors", "passives",
                  "promoters")


def _csv_counts(text):
    """The counts about people of a dashboard CSV, as {(section, item, measure): value}
    (None: "too few to show")."""
    rows = list(csv.reader(io.StringIO(text)))
    check(rows and rows[0] == ["section", "item", "measure", "value"],
          "the CSV's header: %r" % (rows[:1],))
    out = {}
    for section, item, measure, value in rows[1:]:
        if section in ("programme", "filter"):
            continue
        counted = (measure in COUNT_MEASURES or measure.startswith("choice_")
                   or measure.startswith("answered_"))
        if not counted:
            continue
        out[(section, item, measure)] = None if value == "too few to show" else float(value)
    return out


def test_attack_single_out(ctx):
    """An administrator tries to single out a person of the 4-person Legal department through
    every parameter of the reports: each department and location value (the ones offered and
    the ones not), both together, filtered against unfiltered, and the CSV exports. No count
    shown lies in 1..k-1, and no difference of two shown counts of the same figure, where one
    group contains the other (a filter against no filter, two filters against one), lies in
    1..k-1: such a difference counts a group of people, which must not be small."""
    co = cohort(ctx)
    pid = co["pid"]
    base = _dashboard(ctx, pid).json()
    filters = base["filters"]
    available = {dim: [o["value"] for o in filters[dim] if o["available"]]
                 for dim in ("department", "location")}
    hidden = {dim: [o["value"] for o in filters[dim] if not o["available"]]
              for dim in ("department", "location")}
    check("Legal" not in available["department"],
          "the 4-person department is offered as a filter: %r" % filters)
    # The cohort is laid out so that each dimension keeps a value to filter by (docs/reports.md:
    # the 4 people of Legal merge with another department into "the rest").
    check(available["department"] and available["location"],
          "a dimension offers no filter, the attack tests too little: %r" % filters)
    # Values not offered are refused, naming the parameter but never why.
    for dim in ("department", "location"):
        for value in hidden[dim] + ["Legal" if dim == "department" else "Nowhere", "(none)"]:
            if value in available[dim]:
                continue
            for kind in ("dashboard", "exports/dashboard.csv", "exports/tandems.csv"):
                resp = ctx.client.request("GET", API + "/programmes/%d/%s?%s=%s"
                                          % (pid, kind, dim, _quote(value)),
                                          session=ctx.admin.session())
                expect_problem(resp, 400, field=dim, what="%s %s=%s" % (kind, dim, value))
                check("Legal" not in resp.body.decode("utf-8", "replace")
                      or value == "Legal", "the refusal tells more than the field")

    # Every combination of parameters: none, one dimension, both.
    combos = [{}]
    combos += [{"department": v} for v in available["department"]]
    combos += [{"location": v} for v in available["location"]]
    combos += [{"department": a, "location": b}
               for a, b in itertools.product(available["department"], available["location"])]
    answers = {}
    for combo in combos:
        query = "&".join("%s=%s" % (k, _quote(v)) for k, v in sorted(combo.items()))
        resp = ctx.client.request("GET", API + "/programmes/%d/dashboard?%s" % (pid, query),
                                  session=ctx.admin.session())
        if combo and len(combo) == 2 and resp.status == 400:
            continue  # a combination may be refused as a whole
        expect_status(resp, 200, "the dashboard with %r" % combo)
        d = resp.json()
        check(d["applied"] == {"department": combo.get("department"),
                               "location": combo.get("location")},
              "the applied filter: %r for %r" % (d["applied"], combo))
        figures = _count_figures(d)
        csv_resp = ctx.client.request(
            "GET", API + "/programmes/%d/exports/dashboard.csv?%s" % (pid, query),
            session=ctx.admin.session())
        expect_status(csv_resp, 200, "the CSV with %r" % combo)
        exported = _csv_counts(csv_resp.body.decode("utf-8"))
        for key, value in figures.items():
            if key in exported:
                check(exported[key] == (None if value is None else float(value)),
                      "the CSV's %r is %r, the dashboard's %r (%r)" % (key, exported[key],
                                                                      value, combo))
        for key, value in list(figures.items()) + list(exported.items()):
            check(value is None or value == 0 or value >= K,
                  "a shown count of 1..k-1 people: %r = %r with %r" % (key, value, combo))
        # Nested stages: the difference of two shown stages is a group of people too.
        stages = [s["count"] for s in d["funnel"] if s["count"] is not None]
        for a, b in zip(stages, stages[1:]):
            check(a - b == 0 or a - b >= K,
                  "two shown funnel stages differ by %d with %r: %r" % (a - b, combo, d["funnel"]))
        merged = dict(figures)
        merged.update({k: (None if v is None else int(v)) for k, v in exported.items()})
        answers[tuple(sorted(combo.items()))] = merged

    # A filter against no filter, two filters against one: the difference is a group.
    def contains(outer, inner):
        return set(outer) < set(inner)
    pairs = 0
    for outer, inner in itertools.permutations(answers, 2):
        if not contains(outer, inner):
            continue
        for key, value in answers[inner].items():
            if key[0] not in ("funnel", "topics") or value is None:
                continue
            other = answers[outer].get(key)
            if other is None:
                continue
            pairs += 1
            check(other - value == 0 or other - value >= K,
                  "%r differs by %d between %r and %r: the group between them is small"
                  % (key, other - value, dict(outer), dict(inner)))
    check(pairs > 0 or len(answers) == 1, "no pair of answers was compared")


def _quote(value):
    import urllib.parse
    return urllib.parse.quote(value, safe="")


def _unzipped(data):
    """Every member of a zip file (a workbook), concatenated."""
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist())


def test_exports(ctx):
    """The exports are files to download; the workbook, read with openpyxl, holds the same
    figures as the CSV and the dashboard; the tandem list holds names and states only."""
    import openpyxl

    co = cohort(ctx)
    pid = co["pid"]
    base = API + "/programmes/%d/exports/" % pid
    d = _dashboard(ctx, pid).json()
    got = {}
    for name, media in (("dashboard.csv", "text/csv"), ("dashboard.xlsx", XLSX),
                        ("tandems.csv", "text/csv"), ("tandems.xlsx", XLSX)):
        resp = _req(ctx, "GET", base + name, ctx.admin, 200, "the export " + name)
        check(resp.content_type == media, "%s: Content-Type %r" % (name, resp.header(
            "Content-Type")))
        if media == "text/csv":
            check("charset=utf-8" in (resp.header("Content-Type") or "").lower(),
                  "%s: no charset: %r" % (name, resp.header("Content-Type")))
        disposition = resp.header("Content-Disposition") or ""
        check(disposition.startswith("attachment") and
              'filename="programme-%d-%s"' % (pid, name) in disposition,
              "%s: Content-Disposition %r" % (name, disposition))
        got[name] = resp.body

    rows = list(csv.reader(io.StringIO(got["dashboard.csv"].decode("utf-8"))))
    # The dashboard workbook holds the aggregates only (it is the file forwarded to a works
    # council); the tandem list with names is a workbook of its own.
    workbook = openpyxl.load_workbook(io.BytesIO(got["dashboard.xlsx"]), read_only=True)
    check(workbook.sheetnames == ["Dashboard"],
          "the dashboard workbook's sheets: %r" % workbook.sheetnames)
    check(b"Rita" not in _unzipped(got["dashboard.xlsx"]), "a name is in dashboard.xlsx")
    sheet_rows = [["" if v is None else v for v in row]
                  for row in workbook["Dashboard"].iter_rows(values_only=True)]
    check(len(sheet_rows) == len(rows), "the sheet has %d rows, the CSV %d"
          % (len(sheet_rows), len(rows)))
    for csv_row, sheet_row in zip(rows, sheet_rows):
        check(len(sheet_row) >= 4, "a short row in the sheet: %r" % (sheet_row,))
        check([str(x) for x in sheet_row[:3]] == csv_row[:3],
              "the sheet's row %r differs from the CSV's %r" % (sheet_row, csv_row))
        value = sheet_row[3]
        if isinstance(value, (int, float)):
            check(abs(float(csv_row[3]) - float(value)) < 0.051,
                  "the value of %r: sheet %r, CSV %r" % (csv_row[:3], value, csv_row[3]))
        else:
            check(str(value) == csv_row[3].lstrip("'") or str(value) == csv_row[3],
                  "the value of %r: sheet %r, CSV %r" % (csv_row[:3], value, csv_row[3]))
    by_key = {tuple(r[:3]): r[3] for r in sheet_rows[1:]}
    for stage in d["funnel"]:
        value = by_key.get(("funnel", stage["stage"], "people"))
        expected = stage["count"] if stage["count"] is not None else "too few to show"
        check(value == expected or (isinstance(value, float) and value == expected),
              "the workbook's funnel %s is %r, the dashboard's %r"
              % (stage["stage"], value, stage["count"]))

    tandem_rows = list(csv.reader(io.StringIO(got["tandems.csv"].decode("utf-8"))))
    header = tandem_rows[0]
    check(header[:7] == ["mentor", "mentee", "state", "topics", "proposed_at", "activated_at",
                         "ended_at"] and "meetings_held" not in header,
          "the tandem list's columns: %r" % header)
    check(len(tandem_rows) == 13, "the tandem list has %d rows" % (len(tandem_rows) - 1))
    names = {r[1] for r in tandem_rows[1:]}
    check(names == {"Rita S%d" % i for i in range(1, 13)}, "the mentees listed: %r" % names)
    states = sorted(r[2] for r in tandem_rows[1:])
    check(states == ["active"] * 6 + ["completed"] * 6, "the states listed: %r" % states)
    text = got["tandems.csv"].decode("utf-8")
    check("Thank you" not in text and "explained" not in text,
          "partner feedback is in the tandem list")
    tandem_book = openpyxl.load_workbook(io.BytesIO(got["tandems.xlsx"]), read_only=True)
    check(tandem_book.sheetnames == ["Tandems"],
          "the tandem workbook's sheets: %r" % tandem_book.sheetnames)
    listed = [row for row in tandem_book["Tandems"].iter_rows(values_only=True)]
    check(len(listed) == 13 and list(listed[0][:3]) == ["mentor", "mentee", "state"],
          "the workbook's tandem sheet: %r" % (listed[:2],))
    # Meetings held appear only where the programme shows them.
    set_programme(ctx, pid, show_meeting_counts=True)
    try:
        resp = _req(ctx, "GET", base + "tandems.csv", ctx.admin, 200, "the tandem list")
        header = next(csv.reader(io.StringIO(resp.body.decode("utf-8"))))
        check("meetings_held" in header, "meetings_held missing with show_meeting_counts: %r"
              % header)
    finally:
        set_programme(ctx, pid, show_meeting_counts=False)
    # A participant of the programme may not export.
    expect_problem(ctx.client.request("GET", base + "dashboard.csv",
                                      session=co["actors"]["S1"].session()), 403,
                   what="a participant exports")


def test_my_surveys_participant_view(ctx):
    """/me/surveys lists what the caller is asked (open) and what they answered."""
    co = cohort(ctx)
    surveys = _surveys(ctx, co["pid"])
    mine = {x["id"]: x for x in _req(ctx, "GET", API + "/me/surveys", co["actors"]["S4"], 200,
                                     "S4's surveys").json()["surveys"]}
    for key in (("mid_term", "mentees"), ("final", "mentees")):
        survey = surveys[key]
        if survey["state"] == "draft":
            check(survey["id"] not in mine, "a draft survey is listed: %r" % survey)
        else:
            check(survey["id"] in mine and mine[survey["id"]]["response"] is not None,
                  "S4's answered survey %r is not listed: %r" % (key, sorted(mine)))
    none = _req(ctx, "GET", API + "/me/surveys", co["actors"]["J12"], 200, "J12's surveys")
    check(all(x["audience"] == "mentors" for x in none.json()["surveys"]
              if x["programme"] == co["pid"]), "a mentor sees the mentees' surveys")


TESTS = [
    ("reports: min_group_size below 3 is refused, naming the field", test_min_group_size_setting),
    ("reports: survey flow: edit, open, a bad answer named, answers, close, results, reopen "
     "below k keeps the release, frozen answers", test_survey_flow),
    ("reports: /me/surveys, the participant's own view", test_my_surveys_participant_view),
    ("reports: partner feedback shown only when both gave theirs", test_partner_feedback),
    ("reports: the dashboard's figures on a seeded programme", test_dashboard_figures),
    ("reports: attack: no parameter singles out a member of a 4-person group",
     test_attack_single_out),
    ("reports: exports: CSV and workbook (openpyxl) hold the dashboard's figures; the tandem "
     "list without content", test_exports),
]
