"""The whole programme lifecycle over HTTP with a generated cohort of 200 people (issue 5).

The administrator imports the people, creates and opens a programme, invites them; each person
signs in through the invitation mail and enrols with the generated answers; after the deadline
a run is queued and polled until done; its pairs must equal `tandem match` on the same answers
(enrolled people and their managers, as a CSV file); publication creates exactly those tandems
and mails both partners; partners accept (active) or decline. Run by run_http_tests.py on SQLite
and on PostgreSQL.
"""

import csv
import io
import json
import os
import subprocess
import time

from helpers import API, Fail, check, expect_status, parse_session

PEOPLE = 200
SEED = 4242
MAX_MENTOR = 3
MAX_MENTEE = 2


def _generate(ctx):
    path = os.path.join(ctx.tmp, "cohort200.csv")
    subprocess.run([ctx.tandem, "generate", "--people", str(PEOPLE), "--seed", str(SEED),
                    "--out", path], check=True, capture_output=True, timeout=60)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Own ids and addresses, so that nothing collides with the other tests' people.
    for row in rows:
        row["id"] = "G-" + row["id"]
        row["email"] = row["id"].lower() + "@gen.example.test"
        if row["manager_id"]:
            row["manager_id"] = "G-" + row["manager_id"]
    return rows


def _csv_text(rows, columns):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def _topics(rows):
    return [c[len("interest:"):] for c in rows[0].keys() if c.startswith("interest:")]


def _request(ctx, method, path, session, what, status, **kw):
    resp = ctx.client.request(method, path, session=session, **kw)
    return expect_status(resp, status, what)


def _enrolment_body(row, topics):
    answers = []
    for t in topics:
        skill = int(row["skill:" + t] or 0)
        experience = row.get("experience:" + t, "") or ""
        if skill >= 2 and not experience.strip():
            experience = "Built and ran it at work"
        answers.append({"topic": t, "interest": int(row["interest:" + t] or 0), "skill": skill,
                        "experience": experience})
    return {"mentor_capacity": min(int(row["mentor_capacity"] or 0), MAX_MENTOR),
            "mentee_capacity": min(int(row["mentee_capacity"] or 0), MAX_MENTEE),
            "languages": [l for l in row["languages"].split(";") if l],
            "availability": "Tuesdays", "answers": answers}


def _wait_run(ctx, pid, run, what, timeout=120, on_poll=None):
    """Polls GET .../runs/{id} until the run is neither queued nor running; checks it is done."""
    deadline = time.monotonic() + timeout
    while run["state"] in ("queued", "running"):
        if time.monotonic() > deadline:
            raise Fail("%s (run %d) did not finish within %d s: %r" % (what, run["id"], timeout, run))
        time.sleep(0.2)
        run = _request(ctx, "GET", API + "/programmes/%d/runs/%d" % (pid, run["id"]),
                       ctx.admin.session(), "poll " + what, 200).json()
        if on_poll:
            on_poll(run)
    check(run["state"] == "done", "%s ended %r: %s" % (what, run["state"], run.get("error")))
    return run


def _sign_in_by_link(ctx, address):
    resp = ctx.client.request("POST", API + "/sign-in-links", json_body={"email": address})
    expect_status(resp, 202, "POST /sign-in-links")
    token = ctx.mail.wait_token(address, "link")
    resp = ctx.client.request("POST", API + "/sign-in-links/redeem", json_body={"token": token})
    expect_status(resp, 201, "redeem a sign-in link")
    return parse_session(resp)


def test_lifecycle_200(ctx):
    admin = ctx.admin
    rows = _generate(ctx)
    topics = _topics(rows)
    by_id = {r["id"]: r for r in rows}

    # Import the people (their HR fields; the answers come through enrolment).
    people_csv = _csv_text(rows, ["id", "name", "email", "department", "location", "manager_id",
                                  "level", "languages"])
    _request(ctx, "POST", API + "/people/import", admin.session(), "import 200 people", 200,
             body=people_csv, content_type="text/csv")
    person_of = {}
    external_of = {}
    after = None
    while True:
        url = API + "/people?limit=500" + ("&after=%d" % after if after else "")
        page = _request(ctx, "GET", url, admin.session(), "GET /people", 200).json()
        for p in page["items"]:
            if p["external_id"] in by_id:
                person_of[p["external_id"]] = p["id"]
                external_of[p["id"]] = p["external_id"]
        after = page["next_after"]
        if after is None:
            break
    check(len(person_of) == PEOPLE, "imported %d of %d people" % (len(person_of), PEOPLE))

    # A programme with the generated topics, enrolment open for an hour.
    now_ms = int(time.time() * 1000)
    body = {"name": "Generated 200", "mode": "reverse", "mentee_min_level": 0,
            "term_min_months": 6, "term_max_months": 9, "target_meetings_min": 6,
            "target_meetings_max": 8, "enrolment_deadline": now_ms + 3600 * 1000,
            "topics": [{"key": t, "name_de": t, "name_en": t, "weight": 1} for t in topics]}
    programme = _request(ctx, "POST", API + "/programmes", admin.session(), "create programme",
                         201, json_body=body).json()
    pid = programme["id"]
    check(programme["state"] == "draft", "a new programme is a draft: %r" % programme["state"])
    opened = _request(ctx, "POST", API + "/programmes/%d/open" % pid, admin.session(),
                      "open enrolment", 200).json()
    check(opened["state"] == "enrolling", "after open: %r" % opened["state"])
    summary = _request(ctx, "POST", API + "/programmes/%d/invitations" % pid, admin.session(),
                       "invite 200", 200,
                       json_body={"person_ids": sorted(person_of.values())}).json()
    check(summary["invited"] == PEOPLE, "invitations: %r" % summary)

    # Everyone with a role signs in through the mail and enrols with their answers.
    enrolled = set()
    for row in rows:
        if int(row["mentor_capacity"] or 0) == 0 and int(row["mentee_capacity"] or 0) == 0:
            continue
        token = ctx.mail.wait_token(row["email"], "invitation", timeout=120)
        resp = ctx.client.request("POST", API + "/invitations/redeem", json_body={"token": token})
        expect_status(resp, 201, "redeem the invitation of " + row["id"])
        session = parse_session(resp)
        got = _request(ctx, "PUT", API + "/programmes/%d/enrolment" % pid, session,
                       "enrol " + row["id"], 200, json_body=_enrolment_body(row, topics),
                       headers={"If-Match": "*"}).json()
        check(got["state"] == "enrolled", "enrolment state: %r" % got["state"])
        enrolled.add(row["id"])
    check(len(enrolled) > 60, "only %d people enrolled" % len(enrolled))

    # The administrator ends enrolment by moving the deadline into the past.
    resp = _request(ctx, "GET", API + "/programmes/%d" % pid, admin.session(), "GET programme",
                    200)
    current = resp.json()
    current["enrolment_deadline"] = int(time.time() * 1000) - 1000
    _request(ctx, "PUT", API + "/programmes/%d" % pid, admin.session(), "end enrolment", 200,
             json_body=current, headers={"If-Match": resp.header("ETag")})

    # The run is queued at once (202) and computed in the background.
    resp = _request(ctx, "POST", API + "/programmes/%d/runs" % pid, admin.session(),
                    "queue a run", 202, json_body={"objective": "optimal"})
    run = resp.json()
    check(run["state"] in ("queued", "running", "done"), "a new run: %r" % run["state"])
    run = _wait_run(ctx, pid, run, "the run")
    pairs = {(external_of[p["mentor"]], external_of[p["mentee"]]) for p in run["result"]["pairs"]}
    total = run["result"]["total_score"]

    # The engine on the same answers, from a CSV file: enrolled people and their managers.
    members = set()
    for pid_ext in enrolled:
        at = pid_ext
        while at and at not in members:
            members.add(at)
            at = by_id[at]["manager_id"]
    cohort_rows = []
    for ext in sorted(members):
        row = dict(by_id[ext])
        if ext in enrolled:
            row["mentor_capacity"] = str(min(int(row["mentor_capacity"] or 0), MAX_MENTOR))
            row["mentee_capacity"] = str(min(int(row["mentee_capacity"] or 0), MAX_MENTEE))
        else:
            row["mentor_capacity"] = row["mentee_capacity"] = "0"
            for t in topics:
                row["interest:" + t] = row["skill:" + t] = "0"
                row["experience:" + t] = ""
        if row["manager_id"] not in members:
            row["manager_id"] = ""
        cohort_rows.append(row)
    columns = list(rows[0].keys())
    cohort_path = os.path.join(ctx.tmp, "enrolled200.csv")
    with open(cohort_path, "w", encoding="utf-8") as f:
        f.write(_csv_text(cohort_rows, columns))
    out_path = os.path.join(ctx.tmp, "expected200.json")
    subprocess.run([ctx.tandem, "match", cohort_path, "--format", "json", "--out", out_path,
                    "--quiet"], check=True, capture_output=True, timeout=120)
    with open(out_path, encoding="utf-8") as f:
        expected = json.load(f)
    expected_pairs = {(t["mentor_id"], t["mentee_id"]) for t in expected}
    expected_total = sum(t["score"] for t in expected)
    check(total == expected_total,
          "the run's total score %d differs from the engine's optimum %d" % (total, expected_total))
    check(pairs == expected_pairs,
          "the run's pairs differ from `tandem match`: %d only in the run, %d only in the engine"
          % (len(pairs - expected_pairs), len(expected_pairs - pairs)))
    for mentor, mentee in pairs:
        check(int(by_id[mentor]["level"]) < int(by_id[mentee]["level"]),
              "reverse mode: %s is not junior to %s" % (mentor, mentee))

    # Publication: the published tandems are exactly the run's pairs.
    published = _request(ctx, "POST", API + "/programmes/%d/runs/%d/publish" % (pid, run["id"]),
                         admin.session(), "publish", 200).json()
    check(published["tandems"] == len(pairs), "published %r for %d pairs"
          % (published, len(pairs)))
    again = ctx.client.request("POST", API + "/programmes/%d/runs/%d/publish" % (pid, run["id"]),
                               session=admin.session())
    expect_status(again, 409, "publishing twice")
    tandems = []
    after = None
    while True:
        url = API + "/programmes/%d/tandems?limit=500" % pid + ("&after=%d" % after if after else "")
        page = _request(ctx, "GET", url, admin.session(), "GET tandems", 200).json()
        tandems.extend(page["items"])
        after = page["next_after"]
        if after is None:
            break
    got = {(external_of[t["mentor"]["id"]], external_of[t["mentee"]["id"]]) for t in tandems}
    check(got == pairs, "the published tandems are not the run's pairs")

    # Two partners accept (active); in another tandem one declines with a reason.
    first, second = tandems[0], tandems[1]
    for side in ("mentor", "mentee"):
        ext = external_of[first[side]["id"]]
        session = _sign_in_by_link(ctx, by_id[ext]["email"])
        mine = _request(ctx, "GET", API + "/tandems", session, "GET /tandems", 200).json()["items"]
        check(any(t["id"] == first["id"] for t in mine), "%s does not see their proposal" % ext)
        check(all("decline_reason" not in t for t in mine), "a partner sees a decline reason")
        result = _request(ctx, "POST", API + "/tandems/%d/accept" % first["id"], session,
                          "accept", 200).json()
    check(result["state"] == "active", "after both accepted: %r" % result["state"])
    ext = external_of[second["mentee"]["id"]]
    session = _sign_in_by_link(ctx, by_id[ext]["email"])
    declined = _request(ctx, "POST", API + "/tandems/%d/decline" % second["id"], session,
                        "decline", 200, json_body={"reason": "No time this year"}).json()
    check(declined["state"] == "declined", "after decline: %r" % declined["state"])
    resp = ctx.client.request("POST", API + "/tandems/%d/accept" % second["id"], session=session)
    expect_status(resp, 409, "accepting a declined tandem")

    # A rematch keeps the active tandem and never proposes the declined pair again.
    run2 = _request(ctx, "POST", API + "/programmes/%d/runs" % pid, admin.session(),
                    "queue a rematch", 202, json_body={}).json()
    run2 = _wait_run(ctx, pid, run2, "the rematch")
    re_pairs = {(p["mentor"], p["mentee"]) for p in run2["result"]["pairs"]}
    check((second["mentor"]["id"], second["mentee"]["id"]) not in re_pairs,
          "the declined pair is proposed again")
    check(run2["report"]["fixed_tandems"] == len(tandems) - 1,
          "fixed tandems %r, expected %d" % (run2["report"]["fixed_tandems"], len(tandems) - 1))


def test_run_20000_async(ctx):
    """A run for 20,000 enrolled people through the API: the request answers at once with the
    queued run; the administrator polls its progress until it is done."""
    admin = ctx.admin
    path = os.path.join(ctx.tmp, "cohort20k.csv")
    subprocess.run([ctx.tandem, "generate", "--people", "20000", "--seed", "20000", "--out", path],
                   check=True, capture_output=True, timeout=120)
    with open(path, encoding="utf-8") as f:
        header = f.readline()
    topics = [c[len("interest:"):] for c in header.strip().split(",") if c.startswith("interest:")]
    body = {"name": "Large 20000", "mode": "reverse", "mentee_min_level": 0,
            "term_min_months": 6, "term_max_months": 9, "target_meetings_min": 6,
            "target_meetings_max": 8, "enrolment_deadline": int(time.time() * 1000) + 3600 * 1000,
            "topics": [{"key": t, "name_de": t, "name_en": t, "weight": 1} for t in topics]}
    programme = _request(ctx, "POST", API + "/programmes", admin.session(), "create programme",
                         201, json_body=body).json()
    pid = programme["id"]
    _request(ctx, "POST", API + "/programmes/%d/open" % pid, admin.session(), "open", 200)
    # Bulk enrolment from the spreadsheet with `tandem import --programme` (the CLI path for
    # programmes that collected answers elsewhere); ids prefixed so nobody collides.
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("p0", "L-p0").replace("@example.com", "@large.example.test")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = subprocess.run([ctx.tandem, "import", path, "--programme", str(pid), "--db", ctx.db_url],
                         capture_output=True, text=True, timeout=600)
    check(out.returncode == 0, "tandem import --programme: " + (out.stderr or out.stdout)[-500:])
    resp = _request(ctx, "GET", API + "/programmes/%d" % pid, admin.session(), "GET programme",
                    200)
    current = resp.json()
    current["enrolment_deadline"] = int(time.time() * 1000) - 1000
    _request(ctx, "PUT", API + "/programmes/%d" % pid, admin.session(), "end enrolment", 200,
             json_body=current, headers={"If-Match": resp.header("ETag")})
    run = _request(ctx, "POST", API + "/programmes/%d/runs" % pid, admin.session(),
                   "queue the large run", 202, json_body={"objective": "optimal"}).json()
    check(run["state"] == "queued", "the request waited for the run: %r" % run["state"])
    seen = set()

    def on_poll(polled):
        seen.add((polled["state"], polled["phase"]))
        for key in ("phase", "progress_done", "progress_total"):
            check(isinstance(polled.get(key), int), "run without %s: %r" % (key, polled))

    run = _wait_run(ctx, pid, run, "the 20,000-person run", timeout=600, on_poll=on_poll)
    report = run["report"]
    check(report["people"] >= 20000 * 0.5, "the run saw %r people" % report["people"])
    check(len(run["result"]["pairs"]) > 1000, "only %d pairs" % len(run["result"]["pairs"]))
    print("  20,000-person run: %d pairs, states seen while polling: %s"
          % (len(run["result"]["pairs"]), sorted(seen)))


TESTS = [("lifecycle of 200 generated people equals the engine's optimum (issue 5)",
          test_lifecycle_200),
         ("a run for 20,000 enrolled people through the API, polled to the end (issue 5)",
          test_run_20000_async)]
