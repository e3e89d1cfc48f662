"""The case workflow by flags (PROCEDURE §4-§6): every time limit is checked on a day that
a bank holiday moves, so a limit on the wrong day fails a test."""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, fails, ok, with_flags

# Easter 2026: Good Friday 3 April and Easter Monday 6 April; early May bank holiday 4 May.
EASTER = with_flags(REFERRAL, concern_arose="02/04/2026 09:00", received="02/04/2026 09:30", child_dob="03/04/2016")


def refer(lado, args=REFERRAL):
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.splitlines()[-1]


def show(lado, ref):
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def limits(case):
    return {d["kind"]: d for d in case["deadlines"]}


@pytest.fixture
def easter(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-02 17:00")
    return refer(lado, EASTER)


DISCUSS = ["--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "Bruise seen by the parent"]


# -- discuss (R21-R24) -----------------------------------------------------------------------


def test_discussion_starts_the_route_clocks_in_easter_week(lado, easter):
    ok(lado("discuss", easter, *DISCUSS, "--route", "social-care", "--route", "employer", "--employer-action", "management",
            "--social-care-referred", "02/04/2026 16:00", "--with", "Ann Head"))  # fmt: skip
    case = show(lado, easter)
    d = limits(case)
    assert d["initial-discussion"]["status"] == "met" and d["initial-discussion"]["met_at"] == "2026-04-02T15:00:00+01:00"
    assert d["strategy-discussion"]["rule"] == "R14" and d["strategy-discussion"]["due"] == "2026-04-03T16:00:00+01:00"  # 24 h
    # R15: 7 working days after Thu 2/4, skipping Good Friday and Easter Monday: Wed 15/4.
    assert d["strategy-meeting"]["rule"] == "R15" and d["strategy-meeting"]["due"] == "2026-04-15T23:59:59+01:00"
    # R16: 3 working days after the discussion: Tue 7, Wed 8, Thu 9 April.
    assert d["employer-action"]["rule"] == "R16" and d["employer-action"]["due"] == "2026-04-09T23:59:59+01:00"
    # R18: 20 working days, across Easter and the early May bank holiday (Mon 4/5): Tue 5/5.
    assert d["case-review"]["rule"] == "R18" and d["case-review"]["due"] == "2026-05-05T23:59:59+01:00"
    disc = case["discussion"]
    assert disc["criteria"] == ["harm"] and disc["routes"] == ["social-care", "employer"] and disc["s47"] is True
    assert disc["participants"] == "Ann Head"
    assert case["timeline"][-1]["kind"] == "initial-discussion" and case["timeline"][-1]["rationale"] == "Bruise seen by the parent"


def test_hearing_route_and_complex_case(lado, easter):
    ok(lado("discuss", easter, *DISCUSS, "--route", "employer", "--employer-action", "hearing", "--complex"))
    d = limits(show(lado, easter))
    # R17: 15 working days after Thu 2/4: Mon 27/4. R18 complex: 10 working days: Mon 20/4.
    assert d["disciplinary-hearing"]["rule"] == "R17" and d["disciplinary-hearing"]["due"] == "2026-04-27T23:59:59+01:00"
    assert d["case-review"]["due"] == "2026-04-20T23:59:59+01:00"
    assert "strategy-meeting" not in d and "employer-action" not in d


def test_no_s47_starts_no_strategy_clocks_and_allows_a_pot_meeting(lado, easter):
    ok(lado("discuss", easter, *DISCUSS, "--route", "social-care", "--no-s47", "--pot-meeting"))
    case = show(lado, easter)
    assert "strategy-discussion" not in limits(case) and case["discussion"]["pot_meeting"] is True


def test_no_criteria_makes_an_advice_only_consultation(lado, easter):
    ok(lado("discuss", easter, "--no-input", "--held", "02/04/2026 15:00", "--no-criteria", "--rationale", "Low-level concern"))
    case = show(lado, easter)
    assert case["status"] == "advice-only"  # R4, R37c
    assert {k: v["status"] for k, v in limits(case).items()} == {"notify-lado": "met", "initial-discussion": "met"}
    assert json.loads(lado("list", "-f", "json").stdout) == []


def test_suspension_and_considerations_are_recorded(lado, easter):
    ok(lado("discuss", easter, *DISCUSS, "--route", "police", "--suspension", "suspended", "--named-contact", "HR: Jo Bloggs",
            "--suspension-note", "Alternative duties not possible", "--consider", "parents=Mother told on 2/4"))  # fmt: skip
    d = show(lado, easter)["discussion"]
    assert d["suspension"] == "suspended" and d["named_contact"] == "HR: Jo Bloggs"
    assert d["considerations"] == {"parents": "Mother told on 2/4"}


DISCUSS_BAD = [
    (["--held", "02/04/2026 08:00"], 1, ["--held", "before the concern arose"]),
    (["--held", "02/04/2026 18:00"], 1, ["--held", "in the future"]),
    (["--held", "31/04/2026 10:00"], 1, ["--held", "not a real date"]),
    (["--no-criteria"], 2, ["either --criteria or --no-criteria"]),
    (["--route", "employer"], 2, ["--employer-action"]),
    (["--route", "police", "--employer-action", "management"], 1, ["--employer-action", "without --route employer"]),
    (["--route", "police", "--suspension", "suspended"], 2, ["--named-contact"]),
    (["--route", "press"], 1, ["--route", "'press'", "police, social-care, employer"]),
    (["--route", "social-care", "--pot-meeting"], 1, ["--pot-meeting", "s47"]),
    (["--route", "police", "--consider", "weather=sunny"], 1, ["--consider", "'weather'"]),
    (["--route", "police", "--consider", "parents"], 1, ["--consider", "KEY=TEXT"]),
    ([], 2, ["--route"]),
]


@pytest.mark.parametrize("extra,code,words", DISCUSS_BAD)
def test_bad_discussions_save_nothing(lado, easter, extra, code, words):
    args = list(DISCUSS)
    if "--held" in extra:
        args[args.index("--held") + 1] = extra[extra.index("--held") + 1]
        extra = [x for i, x in enumerate(extra) if x != "--held" and (i == 0 or extra[i - 1] != "--held")]
    before = show(lado, easter)
    fails(lado("discuss", easter, *args, *extra), code, *words)
    assert show(lado, easter) == before


def test_a_second_discussion_is_refused(lado, easter):
    ok(lado("discuss", easter, *DISCUSS, "--route", "police"))
    fails(lado("discuss", easter, *DISCUSS, "--route", "police"), 1, "already has its initial discussion", "lado amend", "--why")


def test_unknown_case(lado):
    fails(lado("discuss", "LADO-2026-0404", *DISCUSS, "--route", "police"), 1, "no case with reference 'LADO-2026-0404'")


# -- meetings (R25, R20, R18) -----------------------------------------------------------------


@pytest.fixture
def discussed(lado, easter, monkeypatch):
    ok(lado("discuss", easter, *DISCUSS, "--route", "social-care", "--route", "employer", "--employer-action", "management"))
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    return easter


def test_strategy_meeting_meets_its_limit_and_actions_become_limits(lado, discussed):
    ok(lado("meeting", discussed, "--no-input", "--type", "strategy-meeting", "--held", "14/04/2026 10:00", "--chair", "A Officer",
            "--attendee", "DS Brown; Detective; Police", "--attendee", "Ann Head; Head teacher", "--confidentiality",
            "--decisions", "Police to interview", "--action", "Interview the pupil; DS Brown; 17/04/2026", "--minutes", "SM-1"))  # fmt: skip
    case = show(lado, discussed)
    d = limits(case)
    assert d["strategy-meeting"]["status"] == "met" and d["strategy-meeting"]["late"] is None
    action = d["action"]
    assert action["rule"] == "R20" and action["owner"] == "DS Brown" and action["title"] == "Interview the pupil"
    assert action["due"] == "2026-04-17T23:59:59+01:00" and action["status"] == "overdue"
    [m] = case["meetings"]
    assert m["type"] == "strategy-meeting" and m["confidentiality"] is True and m["minutes_ref"] == "SM-1"
    assert m["attendees"] == [{"name": "DS Brown", "role": "Detective", "agency": "Police"}, {"name": "Ann Head", "role": "Head teacher", "agency": None}]


def test_review_meets_the_case_review_and_schedules_the_next(lado, discussed, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-05-06 12:00")
    ok(lado("meeting", discussed, "--no-input", "--type", "review", "--held", "06/05/2026 09:00"))
    reviews = [d for d in show(lado, discussed)["deadlines"] if d["kind"] == "case-review"]
    assert [(r["status"], r["late"]) for r in reviews] == [("met", "1 working day late"), ("open", None)]
    # Next review: 20 working days after Wed 6/5, past the spring bank holiday (Mon 25/5): Thu 4/6.
    assert reviews[1]["due"] == "2026-06-04T23:59:59+01:00"


def test_next_review_date_replaces_the_open_review(lado, discussed):
    ok(lado("meeting", discussed, "--no-input", "--type", "strategy-meeting", "--held", "14/04/2026 10:00", "--next-review", "28/04/2026"))
    reviews = [(d["status"], d["due"]) for d in show(lado, discussed)["deadlines"] if d["kind"] == "case-review"]
    assert sorted(reviews) == [("not-applicable", "2026-05-05T23:59:59+01:00"), ("open", "2026-04-28T23:59:59+01:00")]


MEETING_BAD = [
    (["--type", "coffee"], 1, ["--type", "'coffee'", "strategy-meeting"]),
    (["--held", "21/04/2026 10:00"], 1, ["--held", "in the future"]),
    (["--action", "Interview; ; 17/04/2026"], 1, ["--action", "has no owner"]),
    (["--action", "Interview; DS Brown; 31/04/2026"], 1, ["--action", "not a real date"]),
    (["--action", "Interview; DS Brown; 01/04/2026"], 1, ["--action", "due before the meeting"]),
    (["--action", "Interview DS Brown by Friday"], 1, ["--action", "not 'text; owner; due'"]),
    (["--attendee", "; Detective; Police"], 1, ["--attendee"]),
    (["--next-review", "01/01/2026"], 1, ["--next-review", "before the meeting"]),
]


@pytest.mark.parametrize("extra,code,words", MEETING_BAD)
def test_bad_meetings_save_nothing(lado, discussed, extra, code, words):
    base = {"--type": "strategy-meeting", "--held": "14/04/2026 10:00"}
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        base[flag] = value
    before = show(lado, discussed)
    fails(lado("meeting", discussed, "--no-input", *[x for kv in base.items() for x in kv]), code, *words)
    assert show(lado, discussed) == before


# -- done ----------------------------------------------------------------------------------


def test_done_late_is_still_met_and_says_how_late(lado, discussed):
    # employer-action was due at the end of Thu 9/4; met on Tue 14/4 = 3 working days late.
    r = ok(lado("done", discussed, "employer-action", "--at", "14/04/2026 11:00", "--note", "Expectations meeting"))
    assert "3 working days late" in r.stdout
    d = limits(show(lado, discussed))["employer-action"]
    assert d["status"] == "met" and d["met_at"] == "2026-04-14T11:00:00+01:00" and d["late"] == "3 working days late"
    assert d["note"] == "Expectations meeting"


def test_done_by_id_and_refusals(lado, discussed):
    case = show(lado, discussed)
    sid = limits(case)["strategy-discussion"]["id"]
    r = ok(lado("done", discussed, str(sid), "--at", "03/04/2026 12:00"))
    assert "on time" in r.stdout
    fails(lado("done", discussed, str(sid)), 1, "already met")
    fails(lado("done", discussed, "police-review"), 1, "not an open time limit or duty", "case-review")
    fails(lado("done", discussed, "case-review", "--at", "21/04/2026 09:00"), 1, "in the future")


def test_done_with_two_open_actions_asks_for_the_id(lado, discussed):
    ok(lado("meeting", discussed, "--no-input", "--type", "other", "--held", "14/04/2026 10:00",
            "--action", "A; X; 20/04/2026", "--action", "B; Y; 21/04/2026"))  # fmt: skip
    fails(lado("done", discussed, "action"), 1, "2 open 'action' limits", "give the id")


# -- police (R27, R19) ---------------------------------------------------------------------------


def test_police_review_target_and_update(lado, discussed):
    ok(lado("police", discussed, "--no-input", "--date", "10/04/2026 10:00", "--outcome", "continuing", "--review-date", "24/04/2026"))
    d = limits(show(lado, discussed))["police-review"]
    assert d["rule"] == "R19" and d["due"] == "2026-04-24T23:59:59+01:00" and d["status"] == "open"
    ok(lado("police", discussed, "--no-input", "--date", "17/04/2026 10:00", "--outcome", "charged", "--text", "Charged with assault"))
    case = show(lado, discussed)
    assert limits(case)["police-review"]["status"] == "met"
    assert [p["outcome"] for p in case["police"]] == ["continuing", "charged"]


def test_police_bad_input(lado, discussed):
    fails(lado("police", discussed, "--no-input", "--date", "10/04/2026 10:00", "--outcome", "trial-concluded"), 2, "--result")
    fails(lado("police", discussed, "--no-input", "--date", "10/04/2026 10:00"), 2, "nothing to record")
    fails(lado("police", discussed, "--no-input", "--date", "10/04/2026 10:00", "--review-date", "09/04/2026"), 1, "--review-date", "before the update")
    fails(lado("police", discussed, "--no-input", "--date", "10/04/2026 10:00", "--outcome", "arrested"), 1, "--outcome", "charged")


# -- outcome, duties, close (R28-R33) -------------------------------------------------------------


def test_substantiated_dismissal_needs_the_dbs_referral_before_closing(lado, discussed):
    fails(lado("close", discussed, "--no-input"), 1, "no allegation outcome", "lado outcome")
    ok(lado("outcome", discussed, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "17/04/2026"))
    case = show(lado, discussed)
    assert case["outcome"] == {"outcome": "substantiated", "date": "2026-04-17", "employment": "dismissed", "employment_date": "2026-04-17"}
    assert {u["kind"]: u["status"] for u in case["duties"]} == {"dbs-referral": "outstanding", "feedback": "outstanding", "lessons-learned": "outstanding"}
    fails(lado("close", discussed, "--no-input"), 1, "dbs-referral (R30) is outstanding")
    fails(lado("close", discussed, "--no-input", "--force", "--note", "x"), 1, "dbs-referral (R30) is outstanding")  # never forced
    ok(lado("done", discussed, "dbs-referral", "--at", "20/04/2026 09:00"))
    fails(lado("close", discussed, "--no-input"), 1, "outstanding duties", "feedback", "lessons-learned")
    fails(lado("close", discussed, "--no-input", "--force"), 2, "--note")
    ok(lado("close", discussed, "--no-input", "--force", "--note", "Feedback given by the school"))
    case = show(lado, discussed)
    assert case["status"] == "closed" and case["closed_at"] == "2026-04-20T12:00:00+01:00"
    assert all(d["status"] in ("met", "not-applicable") for d in case["deadlines"])
    fails(lado("close", discussed, "--no-input"), 1, "already closed")
    fails(lado("meeting", discussed, "--no-input", "--type", "review", "--held", "20/04/2026 10:00"), 1, "is closed")
    assert [r["ref"] for r in json.loads(lado("list", "--status", "closed", "-f", "json").stdout)] == [discussed]


def test_resignation_keeps_the_case_open_and_raises_the_dbs_duty(lado, discussed):
    r = ok(lado("outcome", discussed, "--no-input", "--employment", "resigned", "--date", "15/04/2026"))
    assert "R33" in r.stdout
    case = show(lado, discussed)
    assert case["status"] == "open" and case["outcome"]["outcome"] is None
    assert [u["kind"] for u in case["duties"]] == ["dbs-referral"]  # R30, R33
    fails(lado("close", discussed, "--no-input"), 1, "no allegation outcome")
    ok(lado("outcome", discussed, "--no-input", "--outcome", "unsubstantiated", "--date", "17/04/2026", "--dbs-referred", "16/04/2026"))
    assert {u["kind"]: u["status"] for u in show(lado, discussed)["duties"]} == {"dbs-referral": "done", "feedback": "outstanding"}


def test_dbs_referral_recorded_with_the_outcome_and_regulator_duty(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ref = refer(lado, EASTER + ["--regulator", "Teaching Regulation Agency"])
    ok(lado("discuss", ref, *DISCUSS, "--route", "police"))
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "17/04/2026",
            "--dbs-referred", "17/04/2026", "--regulator-referred", "18/04/2026"))  # fmt: skip
    duties = {u["kind"]: u for u in show(lado, ref)["duties"]}
    assert duties["dbs-referral"]["status"] == "done" and duties["regulator-referral"]["status"] == "done"
    assert duties["regulator-referral"]["rule"] == "R31"


def test_outcome_bad_input(lado, discussed, easter):
    fails(lado("outcome", discussed, "--no-input", "--outcome", "proven", "--date", "17/04/2026"), 1, "--outcome", "unfounded")
    fails(lado("outcome", discussed, "--no-input", "--date", "17/04/2026"), 2, "--outcome", "--employment")
    fails(lado("outcome", discussed, "--no-input", "--outcome", "false", "--date", "21/04/2026"), 1, "--date", "in the future")
    fails(lado("outcome", discussed, "--no-input", "--outcome", "false", "--date", "01/04/2026"), 1, "--date", "before the referral")
    ok(lado("outcome", discussed, "--no-input", "--outcome", "false", "--date", "17/04/2026"))
    fails(lado("outcome", discussed, "--no-input", "--outcome", "malicious", "--date", "17/04/2026"), 1, "already has the outcome 'false'")


def test_advice_only_has_no_outcome_but_closes(lado, easter):
    ok(lado("discuss", easter, "--no-input", "--held", "02/04/2026 15:00", "--no-criteria", "--rationale", "Not met"))
    fails(lado("outcome", easter, "--no-input", "--outcome", "false", "--date", "02/04/2026"), 1, "advice-only")
    ok(lado("close", easter, "--no-input"))
    assert show(lado, easter)["status"] == "closed"


# -- notes and corrections (R37a) ---------------------------------------------------------------


def test_corrections_point_at_the_entry_and_overwrite_nothing(lado, discussed):
    before = show(lado, discussed)["timeline"]
    target = before[-1]
    ok(lado("note", discussed, "--text", "Parent phoned again", "--at", "15/04/2026 09:00"))
    ok(lado("note", discussed, "--text", "Held with the deputy head, not the head", "--corrects", str(target["id"]), "--why", "Wrong name"))
    after = show(lado, discussed)["timeline"]
    assert after[: len(before)][:-1] == before[:-1]
    assert next(e for e in after if e["id"] == target["id"]) == target  # the original stands
    corr = [e for e in after if e["kind"] == "correction"][0]
    assert corr["corrects"] == target["id"] and corr["rationale"] == "Wrong name" and corr["actor"] == "tester"
    fails(lado("note", discussed, "--text", "x", "--corrects", "999"), 1, "--corrects", "not an entry")
    fails(lado("note", discussed, "--text", "x", "--corrects", str(target["id"])), 2, "--why")
    assert "#" + str(target["id"]) in lado("show", discussed).stdout


def test_a_duty_left_at_a_forced_closure_can_still_be_recorded(lado, discussed):
    ok(lado("outcome", discussed, "--no-input", "--outcome", "false", "--date", "17/04/2026"))
    ok(lado("close", discussed, "--no-input", "--force", "--note", "Feedback meeting booked"))
    ok(lado("done", discussed, "feedback", "--at", "20/04/2026 10:00"))
    assert {u["kind"]: u["status"] for u in show(lado, discussed)["duties"]} == {"feedback": "done"}
    fails(lado("done", discussed, "case-review"), 1, "is closed")
