"""`lado escalate` as the escalation guidance reads (issue 10 item 3; PROCEDURE R38-R41), through
the CLI on both backends: a reply that never came, the referrer's step-2 limit (R40), skipping
the online meeting (R39 step 2), one open escalation on each ladder, the referrer's ladder on
an advice-only consultation (R37c) and the branch at R39 steps 3-4. Every refusal is one line
with its exit status, and nothing is written.

"Now" is Wed 23/12/2026 10:00 (conftest) unless a test moves LADO_NOW; the REFERRAL's concern
arose Tue 22/12/2026 16:30. Bank holidays (England): Fri 25/12/2026, Mon 28/12/2026, Fri
1/1/2027. Due instants are the end of the last working day, 23:59:59 UK time (GMT in winter,
so the same in UTC). Counted by hand:

* 3 working days from Wed 23/12: Thu 24, Tue 29, Wed 30 -> end of Wed 30/12/2026.
* 5 working days from Tue 29/12: Wed 30, Thu 31, Mon 4/1, Tue 5/1, Wed 6/1 -> end of Wed 6/1/2027
  (from Wed 23/12 instead it would be Thu 24, Tue 29, Wed 30, Thu 31, Mon 4/1: end of Mon 4/1).
"""

from __future__ import annotations

import json

import pytest

from conftest import REFERRAL, db_rows, with_flags

R39 = ["--ladder", "lado-to-agency", "--reason", "timescales"]
R40 = ["--ladder", "agency-to-lado", "--reason", "threshold-decision"]
REFERRER = "Ann Head (Head teacher, Oak Primary School)"
STEP1_DUE = "2026-12-30 23:59:59.000000"  # 3 working days from Wed 23/12 (above)
R40_STEP2_DUE = "2027-01-06 23:59:59.000000"  # 5 working days from the reply on Tue 29/12 (above)


def refer(lado, *args: str) -> str:
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def ok(lado, ref: str, *args: str) -> str:
    r = lado("escalate", ref, "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def limits(kind: str) -> list[tuple]:
    """(due, met_at, not_applicable, reason, owner) of every limit of `kind`, oldest first."""
    rows = db_rows(f"SELECT due, met_at, not_applicable, reason, owner FROM deadlines WHERE kind = '{kind}' ORDER BY id")
    return [(due, met, bool(na), reason, owner) for due, met, na, reason, owner in rows]


def snapshot() -> dict[str, list[tuple]]:
    return {t: db_rows(f"SELECT * FROM {t} ORDER BY id") for t in ("escalations", "escalation_steps", "deadlines", "events", "cases")}


def refused(lado, ref: str, args: list[str], code: int, *words: str) -> str:
    before = snapshot()
    r = lado("escalate", ref, "--no-input", *args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    assert r.stdout == ""
    assert snapshot() == before
    return r.stderr


def show(lado, ref: str) -> dict:
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def due(lado, *args: str) -> list[dict]:
    r = lado("due", "--format", "json", "--within", "30", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def flat(table: str) -> str:
    """A rich table's text with its borders gone and its wrapped cells joined (one space)."""
    return " ".join(table.translate(str.maketrans("│┌┐└┘├┤┬┴┼─", "           ")).split())


def chronology() -> list[str]:
    return [t for (t,) in db_rows("SELECT text FROM events WHERE kind = 'escalation' ORDER BY id")]


@pytest.fixture
def case(lado) -> str:
    return refer(lado, *REFERRAL)


# -- 1. a reply that never came ------------------------------------------------------------------


def test_no_reply_keeps_the_step_limit_unmet_after_the_next_step(lado, case):
    ok(lado, case, *R39, "--to", "Jo Bloggs, line manager", "--date", "23/12/2026 09:30")
    out = ok(lado, case, "--no-reply", "--date", "23/12/2026 09:40")
    assert "Step 1 of lado-to-agency recorded as having had no reply; its time limit (due by end of Wed 30/12/2026) stays unmet." in out
    out = ok(lado, case, "--to", "LADO, County LADO Manager, Jo Bloggs", "--date", "23/12/2026 09:50")
    assert "Moving on after no reply is allowed (R39); step 1's time limit stays unmet." in out
    assert limits("escalation-response") == [(STEP1_DUE, None, False, None, "Jo Bloggs, line manager")]
    assert [(s, r, bool(n)) for s, r, n in db_rows("SELECT step, response, no_reply FROM escalation_steps ORDER BY step")] == [
        (1, None, True), (2, None, False)
    ]
    texts = chronology()
    assert "No reply came to step 1: its time limit (due by the end of Wed 30/12/2026) stays unmet (R41)." in texts[1]
    assert "Step 1 had no reply; its time limit stays unmet. Moving on after no reply is allowed (R39)." in texts[2]
    # Still due after step 2: due today at its last second, overdue one second later.
    at_due = due(lado, "--as-of", "30/12/2026 23:59:59", "--kind", "escalation-response")
    assert [(d["ref"], d["status"]) for d in at_due] == [(case, "due-today")]
    after = due(lado, "--as-of", "31/12/2026 00:00:00", "--kind", "escalation-response")
    assert [(d["ref"], d["status"]) for d in after] == [(case, "overdue")]


def test_no_reply_given_with_the_next_step_and_shown(lado, case, monkeypatch):
    ok(lado, case, *R39, "--to", "Jo Bloggs, line manager", "--date", "23/12/2026 09:30")
    ok(lado, case, "--to", "Meeting", "--date", "23/12/2026 09:50", "--no-reply")
    monkeypatch.setenv("LADO_NOW", "2026-12-31 09:00")
    data = show(lado, case)
    [limit] = [d for d in data["deadlines"] if d["kind"] == "escalation-response"]
    assert (limit["status"], limit["met_at"]) == ("overdue", None)
    [e] = data["escalations"]
    assert [(s["step"], s["no_reply"], s["response"]) for s in e["steps"]] == [(1, True, None), (2, False, None)]
    assert "Step 1 Wed 23/12/2026 09:30: Jo Bloggs, line manager; no reply came (its time limit stays unmet)" in flat(lado("show", case).stdout)


def test_a_reply_meets_the_limit_at_the_time_it_came(lado, case):
    ok(lado, case, *R39, "--to", "Jo Bloggs, line manager", "--date", "23/12/2026 09:30")
    out = ok(lado, case, "--response", "Will review the decision", "--date", "23/12/2026 09:45")
    assert "Reply to step 1 of lado-to-agency recorded, received Wed 23/12/2026 09:45." in out
    assert limits("escalation-response") == [(STEP1_DUE, "2026-12-23 09:45:00.000000", False, None, "Jo Bloggs, line manager")]
    [e] = show(lado, case)["escalations"]
    assert (e["steps"][0]["response"], e["steps"][0]["replied_at"]) == ("Will review the decision", "2026-12-23T09:45:00+00:00")
    # Step 1 has its reply: going up asks for none.
    ok(lado, case, "--to", "Meeting", "--date", "23/12/2026 09:50")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--to", "Meeting", "--date", "23/12/2026 09:50"], 2, ["--response TEXT or --no-reply", "due by the end of Wed 30/12/2026"]),
        (["--resolve", "--date", "23/12/2026 09:50", "--note", "done"], 2, ["--response TEXT or --no-reply"]),
        (["--response", "yes", "--no-reply", "--date", "23/12/2026 09:50"], 2, ["--response and --no-reply: give one"]),
        (["--response", "  ", "--date", "23/12/2026 09:50"], 1, ["--response: '  ' is empty"]),
        (["--no-reply"], 2, ["missing required flags: --date"]),
        (["--no-reply", "--date", "23/12/2026 09:20"], 1, ["--date", "before step 1 was taken"]),
        (["--no-reply", "--date", "23/12/2026 10:01"], 1, ["--date", "in the future"]),
    ],
)
def test_reply_refusals(lado, case, args, code, words):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    refused(lado, case, args, code, *words)


def test_a_recorded_reply_or_no_reply_is_not_overwritten(lado, case):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    ok(lado, case, "--no-reply", "--date", "23/12/2026 09:40")
    refused(lado, case, ["--response", "late reply", "--date", "23/12/2026 09:50"], 1, "step 1 of lado-to-agency has that no reply came recorded already")
    refused(lado, case, ["--to", "Meeting", "--date", "23/12/2026 09:50", "--no-reply"], 1, "has that no reply came recorded already")


def test_no_reply_refused_without_an_open_escalation(lado, case):
    refused(lado, case, ["--no-reply", "--date", "23/12/2026 09:40"], 2, "--no-reply", "there is none open")


# -- 2. R40: the referrer's step-2 limit, from the LADO's reply ---------------------------------


def test_r40_step_2_limit_binds_the_referrer_from_the_lados_reply(lado, case, monkeypatch):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    assert db_rows("SELECT raised_by FROM escalations") == [(REFERRER,)]  # the referrer on record escalates
    assert limits("escalation-step") == []  # nothing to count from until the LADO replies
    monkeypatch.setenv("LADO_NOW", "2026-12-29 12:00")
    out = ok(lado, case, "--response", "Threshold not met; the decision stands", "--date", "29/12/2026 11:00")
    assert f"{REFERRER} may escalate to step 2 by end of Wed 06/01/2027 (escalation-step, R40)." in out
    assert limits("escalation-response") == [(STEP1_DUE, "2026-12-29 11:00:00.000000", False, None, "Duty LADO")]
    assert limits("escalation-step") == [(R40_STEP2_DUE, None, False, None, REFERRER)]
    assert R40_STEP2_DUE != "2027-01-04 23:59:59.000000"  # what counting from the escalation itself would give
    [row] = due(lado, "--kind", "escalation-step")
    assert (row["owner"], row["due"], row["status"]) == (REFERRER, "2027-01-06T23:59:59+00:00", "upcoming")
    # Met at exactly the due instant is met on time.
    monkeypatch.setenv("LADO_NOW", "2027-01-07 09:00")
    ok(lado, case, "--to", "County LADO Manager", "--date", "2027-01-06T23:59:59")
    assert limits("escalation-step") == [(R40_STEP2_DUE, "2027-01-06 23:59:59.000000", False, None, REFERRER)]
    [limit] = [d for d in show(lado, case)["deadlines"] if d["kind"] == "escalation-step"]
    assert (limit["status"], limit["late"]) == ("met", None)


def test_r40_step_2_limit_in_summer_time_across_easter(lado, monkeypatch):
    # Reply on Thu 2/4/2026 15:00; Good Friday 3/4 and Easter Monday 6/4 are bank holidays:
    # Tue 7, Wed 8, Thu 9, Fri 10, Mon 13/4 -> end of Mon 13/4/2026, 23:59:59 BST = 22:59:59 UTC.
    monkeypatch.setenv("LADO_NOW", "2026-04-02 16:00")
    ref = refer(lado, *with_flags(REFERRAL, concern_arose="01/04/2026 10:00", received="01/04/2026 11:00"))
    ok(lado, ref, *R40, "--to", "Duty LADO", "--date", "01/04/2026 12:00")
    ok(lado, ref, "--response", "Decision stands", "--date", "02/04/2026 15:00")
    assert limits("escalation-step") == [("2026-04-13 22:59:59.000000", None, False, None, REFERRER)]
    [row] = due(lado, "--kind", "escalation-step")
    assert row["due"] == "2026-04-13T23:59:59+01:00"


def test_r40_step_2_one_second_after_the_due_instant_is_late(lado, case, monkeypatch):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    monkeypatch.setenv("LADO_NOW", "2027-01-07 09:00")
    ok(lado, case, "--response", "Decision stands", "--date", "29/12/2026 11:00")
    ok(lado, case, "--to", "County LADO Manager", "--date", "2027-01-07T00:00:00")
    [limit] = [d for d in show(lado, case)["deadlines"] if d["kind"] == "escalation-step"]
    assert (limit["status"], limit["late"]) == ("met", "1 working day late")


def test_r40_someone_else_may_escalate_and_owns_the_limit(lado, case):
    ok(lado, case, *R40, "--by", "Sam Green, HR manager", "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--response", "Decision stands", "--date", "23/12/2026 09:40")
    assert [o for *_, o in limits("escalation-step")] == ["Sam Green, HR manager"]
    assert "Raised by Sam Green, HR manager." in chronology()[0]


def test_r40_no_reply_from_the_lado_starts_no_referrer_limit(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--no-reply", "--date", "23/12/2026 09:40")
    assert limits("escalation-step") == []
    assert limits("escalation-response")[0][1] is None  # the LADO's reply limit stays unmet


def test_r40_resolved_at_step_1_sets_the_referrer_limit_aside(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--response", "Explained the threshold", "--date", "23/12/2026 09:40")
    out = ok(lado, case, "--resolve", "--date", "23/12/2026 09:50", "--note", "Referrer content")
    reason = "the escalation was resolved at step 1 on Wed 23/12/2026 09:50"
    assert f"The escalation-step limit is set aside: {reason}." in out
    assert limits("escalation-step") == [(R40_STEP2_DUE.replace("2027-01-06", "2027-01-04"), None, True, reason, REFERRER)]
    [limit] = [d for d in show(lado, case)["deadlines"] if d["kind"] == "escalation-step"]
    assert (limit["status"], limit["reason"]) == ("not-applicable", reason)


def test_r40_reply_given_with_step_2_meets_the_referrer_limit_at_once(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--to", "County LADO Manager", "--date", "23/12/2026 09:45", "--response", "Decision stands")
    # 5 working days from Wed 23/12 (the reply came by step 2): end of Mon 4/1/2027.
    assert limits("escalation-step") == [("2027-01-04 23:59:59.000000", "2026-12-23 09:45:00.000000", False, None, REFERRER)]


def test_by_is_refused_on_an_open_escalation(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    refused(lado, case, ["--by", "Someone", "--to", "X", "--date", "23/12/2026 09:40", "--no-reply"], 2, "--by", "when opening")
    refused(lado, case, [*R39, "--by", "  ", "--to", "X", "--date", "23/12/2026 09:40"], 1, "--by: '  ' is empty")


# -- 3. skipping the online meeting (R39 step 2) ------------------------------------------------


def test_step_2_skipped_with_a_reason(lado, case):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    why = "No reply to the email; a meeting would not move it on"
    out = ok(lado, case, "--skip-step", "--why", why, "--no-reply", "--to", "Service Manager", "--date", "23/12/2026 09:45",
             "--branch", "childrens-services", "--practice-review", "no")  # fmt: skip
    assert f"Step 2 skipped: {why}." in out and "to step 3 of 4 (R39)" in out
    assert db_rows("SELECT step, contacted, skip_reason, branch FROM escalation_steps ORDER BY step") == [
        (1, "Jo", None, None), (2, None, why, None), (3, "Service Manager", None, "childrens-services")
    ]
    assert db_rows("SELECT step FROM escalations") == [(3,)]
    assert f"Step 2 skipped: {why}." in chronology()[1]
    data = show(lado, case)
    assert data["escalations"][0]["steps"][1]["skip_reason"] == why
    assert f"Step 2 skipped Wed 23/12/2026 09:45: {why}" in flat(lado("show", case).stdout)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--skip-step", "--to", "SM", "--date", "23/12/2026 09:45", "--no-reply", "--branch", "wider-workforce", "--practice-review", "no"],
         2, ["missing required flags: --why"]),
        (["--skip-step", "--why", " ", "--to", "SM", "--date", "23/12/2026 09:45", "--no-reply", "--branch", "wider-workforce", "--practice-review", "no"],
         1, ["--why: ' ' is empty"]),
        (["--why", "no need", "--to", "SM", "--date", "23/12/2026 09:45", "--no-reply"], 2, ["--why", "--skip-step"]),
        (["--skip-step", "--why", "x", "--to", "SM", "--date", "23/12/2026 09:45", "--no-reply", "--practice-review", "no"], 2, ["--branch"]),
    ],
)
def test_skip_refusals(lado, case, args, code, words):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    refused(lado, case, args, code, *words)


def test_only_an_optional_step_may_be_skipped(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    refused(lado, case, ["--skip-step", "--why", "x", "--to", "SM", "--date", "23/12/2026 09:45", "--no-reply"], 1,
            "step 2 of agency-to-lado (R40) may not be skipped")  # fmt: skip
    ok(lado, "LADO-2026-0001", "--resolve", "--date", "23/12/2026 09:50", "--note", "done", "--no-reply")
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:55")
    ok(lado, case, "--to", "Meeting", "--date", "23/12/2026 09:56", "--no-reply")
    refused(lado, case, ["--skip-step", "--why", "x", "--to", "AD", "--date", "23/12/2026 09:58", "--branch", "wider-workforce",
                         "--practice-review", "no"], 1, "step 3 of lado-to-agency (R39) may not be skipped")  # fmt: skip


OPTIONAL_R40_STEP_2 = """
[ladders.agency-to-lado]
rule = "R40"
label = "Referrer escalates (step 2 optional here)"
practice_review_from_step = 3

[[ladders.agency-to-lado.steps]]
who = "The LADO"
response_working_days = 3

[[ladders.agency-to-lado.steps]]
who = "County LADO Manager"
escalate_within_working_days = 5
optional = true

[[ladders.agency-to-lado.steps]]
who = "Service Manager"
"""


def test_skipping_a_step_with_a_limit_sets_the_limit_aside_with_the_reason(lado, case, tmp_path, monkeypatch):
    profile = tmp_path / "optional.toml"
    profile.write_text(OPTIONAL_R40_STEP_2, encoding="utf-8")
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--response", "Decision stands", "--date", "23/12/2026 09:40")
    out = ok(lado, case, "--skip-step", "--why", "Manager on leave; agreed to go straight up", "--to", "Service Manager",
             "--date", "23/12/2026 09:50", "--practice-review", "no")  # fmt: skip
    reason = "step 2 skipped: Manager on leave; agreed to go straight up"
    assert f"The escalation-step limit is set aside: {reason}." in out
    assert limits("escalation-step") == [("2027-01-04 23:59:59.000000", None, True, reason, REFERRER)]
    profile_data = json.loads(lado("profile", "show", "--format", "json").stdout)
    assert profile_data["ladders"]["agency-to-lado"]["steps"][1] == {
        "number": 2, "who": "County LADO Manager", "escalate_within_working_days": 5, "optional": True
    }


# -- 4. one open escalation on each ladder ------------------------------------------------------


def test_one_open_escalation_on_each_ladder(lado, case):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:35")
    assert db_rows("SELECT ladder, step FROM escalations WHERE resolved_at IS NULL ORDER BY id") == [("lado-to-agency", 1), ("agency-to-lado", 1)]
    refused(lado, case, [*R39, "--to", "Jo", "--date", "23/12/2026 09:40"], 1,
            "already has an open escalation on that ladder (lado-to-agency (R39), step 1, opened 23/12/2026); one on each ladder")  # fmt: skip
    refused(lado, case, ["--to", "X", "--date", "23/12/2026 09:40", "--no-reply"], 2,
            "has an open escalation on each ladder", "name the one to act on with --ladder")  # fmt: skip
    refused(lado, case, ["--reason", "timescales", "--to", "X", "--date", "23/12/2026 09:40"], 2, "--reason opens an escalation; name its ladder")
    ok(lado, case, "--ladder", "agency-to-lado", "--response", "Decision stands", "--date", "23/12/2026 09:45")
    ok(lado, case, "--ladder", "lado-to-agency", "--to", "Meeting", "--date", "23/12/2026 09:50", "--no-reply")
    assert db_rows("SELECT ladder, step FROM escalations ORDER BY id") == [("lado-to-agency", 2), ("agency-to-lado", 1)]
    ok(lado, case, "--ladder", "agency-to-lado", "--resolve", "--date", "23/12/2026 09:55", "--note", "Understood")
    # One left open: it is the one acted on without --ladder.
    ok(lado, case, "--resolve", "--date", "23/12/2026 09:58", "--note", "Agency acted")
    assert db_rows("SELECT count(*) FROM escalations WHERE resolved_at IS NULL") == [(0,)]
    assert [e["ladder"] for e in show(lado, case)["escalations"]] == ["lado-to-agency", "agency-to-lado"]


# -- 5. the referrer's ladder on an advice-only consultation (R37c) ---------------------------


def test_advice_only_may_be_escalated_on_the_referrers_ladder_only(lado):
    advice = refer(lado, *with_flags(REFERRAL, criteria="none"))
    refused(lado, advice, [*R39, "--to", "Jo", "--date", "23/12/2026 09:30"], 1,
            "is an advice-only consultation (R37c); only the referrer's ladder agency-to-lado", "needs an open case")  # fmt: skip
    out = ok(lado, advice, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    assert "Opened an escalation of" in out
    assert db_rows("SELECT status FROM cases") == [("advice-only",)]
    assert db_rows("SELECT reason, raised_by FROM escalations") == [("threshold-decision", REFERRER)]
    # Its limit is listed by `lado due` like an open case's.
    assert [(d["ref"], d["kind"], d["due"]) for d in due(lado)] == [(advice, "escalation-response", "2026-12-30T23:59:59+00:00")]
    assert "Disagreement with the LADO's threshold decision" in flat(lado("show", advice).stdout)


# -- 6. the branch at R39 steps 3-4 -------------------------------------------------------------


def test_branch_required_at_steps_3_and_4_and_refused_before(lado, case):
    refused(lado, case, [*R39, "--to", "Jo", "--date", "23/12/2026 09:30", "--branch", "wider-workforce"], 2,
            "--branch: is recorded from step 3 (R39); this is step 1 of lado-to-agency")  # fmt: skip
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    refused(lado, case, ["--to", "Meeting", "--date", "23/12/2026 09:40", "--no-reply", "--branch", "wider-workforce"], 2,
            "this is step 2 of lado-to-agency")  # fmt: skip
    ok(lado, case, "--to", "Meeting", "--date", "23/12/2026 09:40", "--no-reply")
    step3 = ["--to", "Head teacher", "--date", "23/12/2026 09:50", "--practice-review", "no"]
    refused(lado, case, step3, 2, "--branch: step 3 of lado-to-agency (R39)", "wider-workforce, childrens-services")
    refused(lado, case, [*step3, "--branch", "police"], 1, "--branch: 'police' is not one of the profile's escalation branches")
    out = ok(lado, case, *step3, "--branch", "Wider-Workforce")
    assert "Branch: Wider children's workforce" in out
    step4 = ["--to", "Ofsted", "--date", "23/12/2026 09:55", "--practice-review", "no", "--no-reply"]
    refused(lado, case, step4, 2, "--branch: step 4")
    ok(lado, case, *step4, "--branch", "wider-workforce")
    assert db_rows("SELECT step, branch FROM escalation_steps ORDER BY step") == [
        (1, None), (2, None), (3, "wider-workforce"), (4, "wider-workforce")
    ]
    assert "Branch: Wider children's workforce" in chronology()[2]
    assert [s["branch"] for s in show(lado, case)["escalations"][0]["steps"]] == [None, None, "wider-workforce", "wider-workforce"]
    assert "Step 3 Wed 23/12/2026 09:50: Head teacher; branch: Wider children's workforce (the setting or agency, then its governing body)" \
        in flat(lado("show", case).stdout)


def test_branch_is_never_recorded_on_the_referrers_ladder(lado, case):
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    ok(lado, case, "--to", "County LADO Manager", "--date", "23/12/2026 09:40", "--no-reply")
    refused(lado, case, ["--to", "SM", "--date", "23/12/2026 09:50", "--practice-review", "no", "--branch", "wider-workforce"], 2,
            "--branch: is recorded never, on this ladder (R40)")  # fmt: skip


def test_profile_show_lists_the_branches_and_ladder_settings(lado):
    data = json.loads(lado("profile", "show", "--format", "json").stdout)
    assert list(data["escalation_branches"]) == ["wider-workforce", "childrens-services"]
    assert "threshold-decision" in data["escalation_reasons"]
    down, up = data["ladders"]["lado-to-agency"], data["ladders"]["agency-to-lado"]
    assert down["branch_from_step"] == 3 and down["steps"][1]["optional"] is True
    assert up["steps"][1]["escalate_within_working_days"] == 5 and "response_working_days" not in up["steps"][1]


# -- every new fact travels in the full export -------------------------------------------------


def test_full_export_carries_every_new_fact(lado, case, tmp_path, new_db):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    ok(lado, case, "--skip-step", "--why", "Not needed", "--no-reply", "--to", "SM", "--date", "23/12/2026 09:40",
       "--branch", "childrens-services", "--practice-review", "no")  # fmt: skip
    ok(lado, case, *R40, "--to", "Duty LADO", "--date", "23/12/2026 09:45")
    ok(lado, case, "--ladder", "agency-to-lado", "--response", "Decision stands", "--date", "23/12/2026 09:50")
    out = tmp_path / "all.json"
    r = lado("export", "--full", "--output", str(out))
    assert r.exit_code == 0, r.stderr
    [exported] = json.loads(out.read_text(encoding="utf-8"))["cases"]
    down, up = exported["escalations"]
    assert up["raised_by"] == REFERRER
    assert [(s["step"], s["contacted"], s["no_reply"], s["skip_reason"], s["branch"]) for s in down["steps"]] == [
        (1, "Jo", True, None, None), (2, None, False, "Not needed", None), (3, "SM", False, None, "childrens-services")
    ]
    assert up["steps"][0]["replied_at"] == "2026-12-23T09:50:00+00:00"
    other = new_db("other")
    r = lado("--db", str(other), "import", str(out))
    assert r.exit_code == 0, r.stderr
    columns = "step, contacted, at, response, replied_at, no_reply, skip_reason, branch"
    for sql in (f"SELECT {columns} FROM escalation_steps ORDER BY escalation_id, step",
                "SELECT ladder, reason, step, raised_by, practice_review FROM escalations ORDER BY id",
                "SELECT kind, due, met_at, not_applicable, reason, owner, title FROM deadlines WHERE escalation_id IS NOT NULL ORDER BY id"):
        assert db_rows(sql, db=str(other)) == db_rows(sql), sql


# -- the wizard asks the new questions only where they apply ------------------------------------


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.escalate.can_prompt", lambda no_input: True)


ENTER, DOWN, UP = "\r", "\x1b[B", "\x1b[A"


def typed(lado, args: list[str], keys: str):
    """`lado escalate ARGS` at a (dummy) terminal with `keys` typed ahead; input closed after
    them, so a question nobody answers ends in EOF (exit 130), never a hang."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input.defaults import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return lado("escalate", *args)


def test_wizard_no_reply_skip_and_branch(lado, case, at_terminal):
    ok(lado, case, *R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    # Which escalation (the open one); what now: reply, go up (offered first), skip step 2 (one
    # down), resolve; the reply (blank: none came); why skipped; who; when (now); the branch (2nd:
    # children's services); R41 no.
    r = typed(lado, [case], ENTER + DOWN + ENTER + ENTER + "Meeting not needed" + ENTER + "Area AD" + ENTER + ENTER
              + DOWN + ENTER + "n")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rows = db_rows("SELECT step, contacted, no_reply, skip_reason, branch FROM escalation_steps ORDER BY step")
    assert [(s, c, bool(n), w, b) for s, c, n, w, b in rows] == [
        (1, "Jo", True, None, None), (2, None, False, "Meeting not needed", None), (3, "Area AD", False, None, "childrens-services")
    ]
    assert limits("escalation-response")[0][1] is None  # step 1's limit: unmet


def test_wizard_records_a_reply_without_going_up(lado, case, at_terminal):
    ok(lado, case, *R40, "--by", REFERRER, "--to", "Duty LADO", "--date", "23/12/2026 09:30")  # all given: nothing asked
    # Which escalation (the open one); what now: record the reply (one up from "go up"); the reply; when (now).
    r = typed(lado, [case], ENTER + UP + ENTER + "Not persuaded" + ENTER + ENTER)
    assert r.exit_code == 0, r.stderr
    assert db_rows("SELECT step, response, replied_at FROM escalation_steps") == [(1, "Not persuaded", "2026-12-23 10:00:00.000000")]
    assert limits("escalation-step") == [("2027-01-04 23:59:59.000000", None, False, None, REFERRER)]


def test_wizard_offers_only_the_referrers_ladder_on_advice_only(lado, at_terminal):
    advice = refer(lado, *with_flags(REFERRAL, criteria="none"))
    # The only ladder it may open is agency-to-lado: not asked. Reason (6th: threshold); who escalates (accepted); who; when.
    r = typed(lado, [advice], DOWN * 5 + ENTER + ENTER + "Duty LADO" + ENTER + ENTER)
    assert r.exit_code == 0, r.stderr
    assert db_rows("SELECT ladder, reason FROM escalations") == [("agency-to-lado", "threshold-decision")]


@pytest.mark.parametrize(
    ("step_2", "words"),
    [
        ('who = "Meeting"\noptional = "yes"', "ladders.lado-to-agency.steps[2].optional: is a string; expected true or false"),
        ('who = "Meeting"\nescalate_within_working_days = 0', "ladders.lado-to-agency.steps[2].escalate_within_working_days"),
        ('who = "Meeting"\nbranch_from_step = 3', "ladders.lado-to-agency.steps[2].branch_from_step: unknown key; expected one of who, response_working_days, escalate_within_working_days, optional"),
    ],
)
def test_profile_ladder_settings_are_checked(lado, tmp_path, monkeypatch, step_2, words):
    profile = tmp_path / "bad.toml"
    profile.write_text('[ladders.lado-to-agency]\nrule = "R39"\nlabel = "LADO to agency"\nbranch_from_step = 2\n\n'
                       '[[ladders.lado-to-agency.steps]]\nwho = "Line manager"\n\n[[ladders.lado-to-agency.steps]]\n' + step_2 + "\n",
                       encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    r = lado("profile", "show")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and words in r.stderr, r.stderr


def test_profile_refuses_an_optional_first_step_and_a_branch_step_off_the_ladder(lado, tmp_path, monkeypatch):
    profile = tmp_path / "bad.toml"
    head = '[ladders.agency-to-lado]\nrule = "R40"\nlabel = "Up"\n'
    for extra, step_1, words in (("", 'optional = true\n', "steps[1].optional: is true on the first step"),
                                 ("", 'escalate_within_working_days = 5\n', "steps[1].escalate_within_working_days: is given on the first step"),
                                 ("branch_from_step = 9\n", "", "branch_from_step: 9 is not a step of this ladder")):  # fmt: skip
        profile.write_text(head + extra + '\n[[ladders.agency-to-lado.steps]]\nwho = "LADO"\n' + step_1, encoding="utf-8")
        monkeypatch.setenv("LADO_PROFILE", str(profile))
        r = lado("profile", "show")
        assert r.exit_code == 1 and words in r.stderr, r.stderr
