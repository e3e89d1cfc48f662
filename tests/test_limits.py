"""The life of a time limit (PROCEDURE §3, R12, R13, R18) and the duties that follow the
outcome (R28-R33), through the CLI on both backends. Every expected value is worked out by hand
from the rule, with the Christmas 2026 bank holidays (Fri 25 Dec, Mon 28 Dec) and New Year's
Day (Fri 1 Jan 2027) in the way."""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, db_execute, fails, ok, with_flags

# REFERRAL: concern arose Tue 22/12/2026 16:30, received Wed 23/12 09:15; now is Wed 23/12 10:00.
DISCUSS = ["--no-input", "--held", "23/12/2026 09:45", "--criteria", "harm", "--rationale", "Bruise seen by the parent"]


def refer(lado, args=REFERRAL):
    r = ok(lado("refer", "--no-input", *args))
    return r.stdout.splitlines()[-1]


def flat(text: str) -> str:
    """Output with its wrapping undone (human output wraps at the terminal's width)."""
    return " ".join(text.split())


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def limits(case, kind):
    return [d for d in case["deadlines"] if d["kind"] == kind]


def one(case, kind):
    (d,) = limits(case, kind)
    return d


def due_kinds(lado, *args):
    return [(d["ref"], d["kind"]) for d in json.loads(ok(lado("due", "--format", "json", *args)).stdout)]


def stats(lado, *args):
    r = json.loads(ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "json", *args)).stdout)
    return {k["kind"]: k for k in r["timeliness"]}, r


@pytest.fixture
def social_care(lado):
    ref = refer(lado)
    ok(lado("discuss", ref, *DISCUSS, "--route", "social-care", "--route", "police"))
    return ref


# -- lado done --not-applicable (PROCEDURE §3) ------------------------------------------------


def test_done_not_applicable_sets_a_limit_aside_with_its_reason(lado, social_care, monkeypatch):
    ref = social_care
    why = "Strategy discussion by phone decided no strategy meeting is needed"
    r = ok(lado("done", ref, "strategy-meeting", "--not-applicable", "--why", why))
    assert "strategy-meeting (R15) set aside as not applicable." in flat(r.stdout) and f"Why: {why}" in flat(r.stdout)
    case = show(lado, ref)
    d = one(case, "strategy-meeting")
    assert (d["status"], d["reason"], d["met_at"]) == ("not-applicable", why, None)
    assert one(case, "strategy-discussion")["status"] == "open" and one(case, "strategy-discussion")["reason"] is None
    entry = case["timeline"][-1]
    assert entry["kind"] == "not-applicable" and entry["rationale"] == why and "strategy-meeting (R15)" in entry["text"]
    # R15 fell due Wed 06/01/2027 (7 working days after 23/12, skipping 25/12, 28/12 and 1/1); long after it,
    # `due` still leaves it out and `stats` counts it N/A, never overdue.
    monkeypatch.setenv("LADO_NOW", "2027-02-01 10:00")
    assert (ref, "strategy-meeting") not in due_kinds(lado)
    assert (ref, "strategy-discussion") in due_kinds(lado)  # the other limit is still overdue
    kinds, _ = stats(lado)
    assert (kinds["strategy-meeting"]["not_applicable"], kinds["strategy-meeting"]["overdue"], kinds["strategy-meeting"]["open"]) == (1, 0, 0)
    assert (kinds["strategy-discussion"]["overdue"], kinds["strategy-discussion"]["not_applicable"]) == (1, 0)


def test_done_not_applicable_by_id_and_in_the_human_show(lado, social_care):
    ref = social_care
    d = one(show(lado, ref), "strategy-discussion")
    ok(lado("done", ref, str(d["id"]), "--not-applicable", "--why", "Child in need route instead"))
    assert one(show(lado, ref), "strategy-discussion")["status"] == "not-applicable"
    out = ok(lado("show", ref)).stdout
    assert "Child in need route instead" in flat(out)


def test_done_not_applicable_bad_input(lado, social_care):
    ref = social_care
    fails(lado("done", ref, "strategy-meeting", "--not-applicable"), 2, "--why")
    fails(lado("done", ref, "strategy-meeting", "--why", "no"), 2, "--why", "--not-applicable")
    fails(lado("done", ref, "no-such", "--not-applicable", "--why", "x"), 1, "target", "strategy-meeting")
    # R18: the review runs while the case is open.
    fails(lado("done", ref, "case-review", "--not-applicable", "--why", "x"), 1, "case review (R18)", "--type review")
    ok(lado("done", ref, "strategy-meeting", "--not-applicable", "--why", "x"))
    fails(lado("done", ref, str(one(show(lado, ref), "strategy-meeting")["id"]), "--not-applicable", "--why", "y"), 1, "already not applicable")
    met = one(show(lado, ref), "initial-discussion")
    fails(lado("done", ref, str(met["id"]), "--not-applicable", "--why", "y"), 1, "already met")
    assert one(show(lado, ref), "strategy-meeting")["reason"] == "x"  # nothing half-written


def test_a_duty_is_not_set_aside_by_hand(lado, social_care):
    ref = social_care
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"))
    fails(lado("done", ref, "feedback", "--not-applicable", "--why", "x"), 1, "target", "is a duty")


# -- a meeting that drops a route -------------------------------------------------------------


def test_a_strategy_discussion_that_drops_social_care_sets_its_limits_aside(lado, social_care):
    ref = social_care
    r = ok(lado("meeting", ref, "--no-input", "--type", "strategy-discussion", "--held", "23/12/2026 09:55",
                "--decisions", "s47 threshold not met", "--drop-route", "social-care"))  # fmt: skip
    assert "Route dropped: Children's social care enquiries; not applicable: strategy-meeting." in flat(r.stdout)
    case = show(lado, ref)
    assert one(case, "strategy-discussion")["status"] == "met"  # the meeting itself meets R14
    d = one(case, "strategy-meeting")
    assert d["status"] == "not-applicable"
    assert d["reason"] == "route social-care dropped at the strategy discussion of 23/12/2026 09:55: s47 threshold not met"
    assert one(case, "case-review")["status"] == "open"  # R18 is not a route's limit


def test_dropping_the_police_route_sets_the_police_review_aside(lado, social_care):
    ref = social_care
    ok(lado("police", ref, "--no-input", "--date", "23/12/2026 09:50", "--outcome", "continuing", "--review-date", "08/01/2027"))
    ok(lado("meeting", ref, "--no-input", "--type", "other", "--held", "23/12/2026 09:55", "--decisions", "Police have withdrawn",
            "--drop-route", "police", "--drop-route", "police"))  # fmt: skip
    case = show(lado, ref)
    assert one(case, "police-review")["status"] == "not-applicable"
    assert [d["status"] for d in limits(case, "strategy-meeting")] == ["open"]  # the social-care route goes on


def test_drop_route_bad_input(lado, social_care):
    ref = social_care
    meet = ["meeting", ref, "--no-input", "--type", "other", "--held", "23/12/2026 09:55"]
    fails(lado(*meet, "--drop-route", "social-care"), 2, "--decisions")
    fails(lado(*meet, "--decisions", "x", "--drop-route", "employer"), 1, "drop-route", "social-care, police")
    fails(lado(*meet, "--decisions", "x", "--drop-route", "nonsense"), 1, "drop-route")
    assert one(show(lado, ref), "strategy-meeting")["status"] == "open"
    assert [e["kind"] for e in show(lado, ref)["timeline"]] == ["referral", "initial-discussion"]


# -- R18: every way a review is recorded schedules the next ---------------------------------------


@pytest.mark.parametrize(("complex_", "due"), [
    # 20 working days after Tue 05/01/2027: 6, 7, 8, 11 ... 29 January, 1 and 2 February.
    (False, "2027-02-02T23:59:59+00:00"),
    # 10 working days: 6, 7, 8, 11, 12, 13, 14, 15, 18, 19 January.
    (True, "2027-01-19T23:59:59+00:00"),
])  # fmt: skip
def test_done_case_review_schedules_the_next_review(lado, monkeypatch, complex_, due):
    ref = refer(lado)
    ok(lado("discuss", ref, *DISCUSS, "--route", "police", *(["--complex"] if complex_ else [])))
    monkeypatch.setenv("LADO_NOW", "2027-01-05 12:00")
    r = ok(lado("done", ref, "case-review", "--at", "05/01/2027 11:00"))
    assert "Next case review (R18) due" in flat(r.stdout)
    reviews = limits(show(lado, ref), "case-review")
    assert [(d["status"], d["met_at"]) for d in reviews[:1]] == [("met", "2027-01-05T11:00:00+00:00")]
    assert [(d["status"], d["due"]) for d in reviews[1:]] == [("open", due)]
    assert (ref, "case-review") in due_kinds(lado, "--within", "40")
    # and the next one again: recorded by a review meeting this time.
    ok(lado("meeting", ref, "--no-input", "--type", "review", "--held", "05/01/2027 11:30"))
    assert [d["status"] for d in limits(show(lado, ref), "case-review")] == ["met", "met", "open"]


# -- advice-only at intake, a referral at the discussion (R12, R13) ---------------------------


def test_advice_only_contact_upgraded_gets_its_intake_limits_on_time(lado):
    ref = refer(lado, with_flags(REFERRAL, criteria="none"))
    assert show(lado, ref)["deadlines"] == []
    r = ok(lado("discuss", ref, *DISCUSS, "--route", "police"))
    assert "Upgraded from an advice-only consultation" in flat(r.stdout)
    assert "notify-lado (met Wed 23/12/2026 09:15)" in flat(r.stdout)
    case = show(lado, ref)
    assert case["status"] == "open"
    n, i = one(case, "notify-lado"), one(case, "initial-discussion")
    # R12: 1 working day from Tue 22/12 16:30 -> end of Wed 23/12; aim 24 h -> 23/12 16:30; met when received.
    assert (n["due"], n["target"], n["met_at"], n["late"]) == ("2026-12-23T23:59:59+00:00", "2026-12-23T16:30:00+00:00", "2026-12-23T09:15:00+00:00", None)
    # R13: 24 hours -> 23/12 16:30; met by this discussion at 09:45.
    assert (i["due"], i["met_at"], i["status"], i["late"]) == ("2026-12-23T16:30:00+00:00", "2026-12-23T09:45:00+00:00", "met", None)
    kinds, r = stats(lado)
    assert (kinds["notify-lado"]["met_on_time"], kinds["initial-discussion"]["met_on_time"]) == (1, 1)


def test_advice_only_contact_upgraded_late_is_late(lado, monkeypatch):
    # Received Thu 24/12 11:00 (R12 fell due at the end of Wed 23/12), discussed Tue 29/12 10:00.
    ref = refer(lado, with_flags(REFERRAL, criteria="none"))
    monkeypatch.setenv("LADO_NOW", "2026-12-29 12:00")
    late = refer(lado, with_flags(REFERRAL, criteria="none", received="24/12/2026 11:00", subject_name="Jo Late"))
    ok(lado("discuss", late, "--no-input", "--held", "29/12/2026 10:00", "--criteria", "harm", "--rationale", "r", "--route", "police"))
    case = show(lado, late)
    n, i = one(case, "notify-lado"), one(case, "initial-discussion")
    # R12: 24/12 is 1 working day after 23/12 -> "1 working day late".
    assert (n["status"], n["met_at"], n["late"]) == ("met", "2026-12-24T11:00:00+00:00", "1 working day late")
    # R13: due 23/12 16:30, met 29/12: working days after 23/12 up to 29/12 are 24/12 and 29/12 -> 2.
    assert (i["status"], i["late"]) == ("met", "2 working days late")
    kinds, _ = stats(lado)
    assert (kinds["notify-lado"]["met_late"], kinds["initial-discussion"]["met_late"]) == (1, 1)
    assert show(lado, ref)["deadlines"] == []  # the other contact is still advice-only, no clocks


# -- duties that follow the procedure (R28-R33) -------------------------------------------------


@pytest.fixture
def case_(lado):
    ref = refer(lado)
    ok(lado("discuss", ref, *DISCUSS, "--route", "employer", "--employer-action", "investigation"))
    return ref


def duties(lado, ref):
    return {u["kind"]: u for u in show(lado, ref)["duties"]}


def test_resigned_then_false_withdraws_the_dbs_duty_with_its_reason(lado, case_):
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--employment", "resigned", "--date", "23/12/2026"))
    assert duties(lado, ref)["dbs-referral"]["status"] == "outstanding"  # R33: shown while it cannot be completed
    fails(lado("close", ref, "--no-input"), 1, "no allegation outcome")
    r = ok(lado("outcome", ref, "--no-input", "--outcome", "false", "--date", "23/12/2026"))
    assert "Duty withdrawn: Employer refers the adult to the Disclosure and Barring Service (R30)" in flat(r.stdout)
    u = duties(lado, ref)["dbs-referral"]
    assert (u["status"], u["done_at"]) == ("withdrawn", None)
    assert u["withdrawn_reason"] == "no longer applies with outcome 'false' and employment outcome 'resigned' (profile [duties.dbs-referral], R30)"
    assert u["withdrawn_at"] == "2026-12-23T10:00:00+00:00"
    assert "withdrawn" in ok(lado("show", ref)).stdout.split("Chronology")[0]  # the Outcome table says so
    ok(lado("done", ref, "feedback"))
    ok(lado("close", ref, "--no-input"))  # not stuck
    assert show(lado, ref)["status"] == "closed"
    _, r = stats(lado)
    assert r["dbs_referrals"]["total"] == 0  # a withdrawn duty was never due


@pytest.mark.parametrize("outcome", ["substantiated", "unsubstantiated"])
def test_resigned_with_an_outcome_that_could_not_clear_keeps_the_dbs_duty(lado, case_, outcome):
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--employment", "resigned", "--date", "23/12/2026"))
    ok(lado("outcome", ref, "--no-input", "--outcome", outcome, "--date", "23/12/2026"))
    assert duties(lado, ref)["dbs-referral"]["status"] == "outstanding"
    fails(lado("close", ref, "--no-input", "--force", "--note", "x"), 1, "dbs-referral (R30)")


@pytest.mark.parametrize("outcome", ["false", "malicious", "unfounded"])
def test_outcome_first_then_resigned_raises_no_dbs_duty(lado, case_, outcome):
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--outcome", outcome, "--date", "23/12/2026"))
    ok(lado("outcome", ref, "--no-input", "--employment", "resigned", "--date", "23/12/2026"))
    assert "dbs-referral" not in duties(lado, ref)


def test_substantiated_waits_for_the_employment_outcome(lado, case_):
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--date", "23/12/2026"))
    ok(lado("done", ref, "feedback"))
    ok(lado("done", ref, "lessons-learned"))
    fails(lado("close", ref, "--no-input"), 1, f"lado outcome {ref} --employment", "R30")
    fails(lado("close", ref, "--no-input", "--force", "--note", "x"), 1, "--employment")
    assert show(lado, ref)["status"] == "open"
    ok(lado("outcome", ref, "--no-input", "--employment", "dismissed", "--date", "23/12/2026"))
    assert duties(lado, ref)["dbs-referral"]["status"] == "outstanding"
    fails(lado("close", ref, "--no-input"), 1, "dbs-referral (R30)")
    ok(lado("done", ref, "dbs-referral", "--at", "23/12/2026 09:59"))
    ok(lado("close", ref, "--no-input"))


def test_unfounded_closes_without_an_employment_outcome(lado, case_):
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"))
    ok(lado("done", ref, "feedback"))
    ok(lado("close", ref, "--no-input"))
    case = show(lado, ref)
    assert [d["reason"] for d in case["deadlines"] if d["status"] == "not-applicable"] == ["case closed 23/12/2026 10:00"]


def test_a_case_closed_before_its_employment_outcome_can_still_record_it(lado, case_):
    """Records made before close waited for the employment outcome: a substantiated case
    closed without one. The dismissal can still be recorded and raises the DBS duty (R30),
    which `lado done` records on the closed case; a second outcome cannot be."""
    ref = case_
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--date", "23/12/2026"))
    db_execute("UPDATE cases SET status = 'closed', closed_at = ? WHERE ref = ?", "2026-12-23 09:58:00", ref)
    fails(lado("outcome", ref, "--no-input", "--outcome", "false", "--date", "23/12/2026"), 1, "is closed")
    fails(lado("police", ref, "--no-input", "--date", "23/12/2026 09:59", "--text", "x"), 1, "is closed")
    ok(lado("outcome", ref, "--no-input", "--employment", "dismissed", "--date", "23/12/2026"))
    assert duties(lado, ref)["dbs-referral"]["status"] == "outstanding"
    ok(lado("done", ref, "dbs-referral", "--at", "23/12/2026 09:59"))
    assert duties(lado, ref)["dbs-referral"]["status"] == "done"
    fails(lado("outcome", ref, "--no-input", "--employment", "resigned", "--date", "23/12/2026"), 1, "is closed")  # once only
