"""`lado amend` (issue #9 item 1, R37a): a corrected fact takes effect, and the record keeps
what it was, who changed it and why; on SQLite and PostgreSQL.

Expected values are worked out by hand from the rules (conftest NOW: Wed 23/12/2026 10:00,
UK time = UTC in December; bank holidays Fri 25/12, Mon 28/12 (Boxing Day moved), Fri 1/1).
"""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, fails, ok, with_flags


def refer(lado, args=REFERRAL):
    return ok(lado("refer", "--no-input", *args)).stdout.splitlines()[-1]


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def limits(case):
    return {d["kind"]: d for d in case["deadlines"]}


def discuss(lado, ref, held="23/12/2026 09:20", *extra):
    return ok(lado("discuss", ref, "--no-input", "--held", held, "--criteria", "harm", "--rationale", "Seen by staff", "--route", "police", *extra))


@pytest.fixture
def ref(lado):
    return refer(lado)


# -- the referral's dates and the limits they start ------------------------------------------------


def test_a_corrected_concern_arose_moves_r13_and_keeps_the_old_due_in_the_entry(lado, ref):
    before = limits(show(lado, ref))
    assert before["initial-discussion"]["due"] == "2026-12-23T16:30:00+00:00"  # R13: 24 h from 22/12 16:30
    r = ok(lado("amend", ref, "--concern-arose", "22/12/2026 14:30", "--why", "Time misread from the referral form"))
    assert "Saved amendment" in r.stdout
    case = show(lado, ref)
    assert case["concern_arose"] == "2026-12-22T14:30:00+00:00"
    d = limits(case)
    assert d["initial-discussion"]["due"] == "2026-12-23T14:30:00+00:00"  # 24 h from 22/12 14:30
    assert d["notify-lado"]["target"] == "2026-12-23T14:30:00+00:00"  # R12's 24-hour aim moves too
    assert d["notify-lado"]["status"] == "met" and d["notify-lado"]["met_at"] == "2026-12-23T09:15:00+00:00"
    entry = case["timeline"][-1]
    assert entry["kind"] == "amendment" and entry["actor"] == "tester" and entry["rationale"] == "Time misread from the referral form"
    assert "concern arose 22/12/2026 14:30, was 22/12/2026 16:30" in entry["text"]
    assert "initial-discussion (R13) due 23/12/2026 14:30, was 23/12/2026 16:30" in entry["text"]
    assert "notify-lado (R12) aim 23/12/2026 14:30, was 23/12/2026 16:30." in entry["text"]  # its due (end of day) stays
    assert case["amendments"] == [{"entry": entry["id"], "field": "concern-arose", "old": "22/12/2026 16:30", "new": "22/12/2026 14:30",
                                   "why": "Time misread from the referral form", "actor": "tester", "at": "2026-12-23T10:00:00+00:00"}]  # fmt: skip
    assert case["timeline"][0]["kind"] == "referral"  # the original entry stays (R37a)
    assert entry["corrects"] == case["timeline"][0]["id"]  # and the amendment says what it corrects


def test_a_corrected_received_time_meets_r12_then(lado, ref):
    ok(lado("amend", ref, "--received", "23/12/2026 08:00", "--why", "Email arrived before the call"))
    d = limits(show(lado, ref))
    assert d["notify-lado"]["met_at"] == "2026-12-23T08:00:00+00:00"


@pytest.mark.parametrize("arose, good", [("23/12/2026 09:15", True), ("23/12/2026 09:16", False)])
def test_concern_arose_may_equal_received_but_not_follow_it(lado, ref, arose, good):
    r = lado("amend", ref, "--concern-arose", arose, "--why", "Checked")
    if good:
        ok(r)
        assert show(lado, ref)["concern_arose"] == "2026-12-23T09:15:00+00:00"
    else:
        fails(r, 1, "the referral was received (23/12/2026 09:15) cannot be dated before the concern arose (23/12/2026 09:16)", "nothing was saved")
        assert show(lado, ref)["amendments"] == []


def test_concern_arose_after_the_discussion_is_refused(lado, ref):
    discuss(lado, ref)
    ok(lado("amend", ref, "--received", "23/12/2026 09:20", "--why", "Phoned at the discussion"))  # equal to the discussion: in order
    fails(lado("amend", ref, "--received", "23/12/2026 09:21", "--why", "x"), 1,
          "the initial discussion (23/12/2026 09:20) cannot be dated before the referral was received (23/12/2026 09:21)")  # fmt: skip


def test_r1_is_checked_again_when_the_concern_moves_to_the_18th_birthday(lado):
    ref = refer(lado, with_flags(REFERRAL, child_dob="23/12/2008"))  # 17 on 22/12/2026
    fails(lado("amend", ref, "--concern-arose", "23/12/2026 09:00", "--why", "x"), 1, "--child-dob", "18 or over on 23/12/2026 (R1)")
    assert show(lado, ref)["concern_arose"] == "2026-12-22T16:30:00+00:00"
    ok(lado("amend", ref, "--concern-arose", "22/12/2026 23:59", "--why", "Late evening"))  # still the day before the birthday


def test_children_are_given_again_as_a_whole(lado, ref):
    ok(lado("amend", ref, "--child-name", "Amy Jones", "--child-dob", "04/03/2016", "--child-name", "Ben Jones", "--child-dob", "unknown",
            "--why", "Day and month swapped; brother was there too"))  # fmt: skip
    case = show(lado, ref)
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-03-04"}, {"name": "Ben Jones", "dob": None}]
    assert case["amendments"][0]["old"] == "Amy Jones (03/04/2016)"
    assert case["amendments"][0]["new"] == "Amy Jones (04/03/2016); Ben Jones (dob unknown)"
    fails(lado("amend", ref, "--child-name", "Cy", "--why", "x"), 1, "--child-dob")


def test_the_adult_and_employer_facts(lado, ref):
    ok(lado("amend", ref, "--subject-name", "Jon  Smyth", "--sector", "sport", "--category", "emotional", "--why", "Spelling; club, not school"))
    case = show(lado, ref)
    assert case["subject"]["name"] == "Jon Smyth" and case["employer"]["sector"] == "sport" and case["category"] == "emotional"
    assert {a["field"] for a in case["amendments"]} == {"subject-name", "sector", "category"}
    assert ok(lado("list", "--subject", "jon smyth", "--format", "json")).stdout.count(ref) == 1  # R11a matching uses the new name


# -- the threshold: advice-only <-> referral ---------------------------------------------------------


def test_advice_only_becomes_a_referral_with_r12_r13_from_the_concern_arising(lado):
    ref = refer(lado, with_flags(REFERRAL, criteria="none"))
    assert show(lado, ref)["deadlines"] == []
    ok(lado("amend", ref, "--criteria", "harm", "--why", "The bruise was reported later the same day"))
    case = show(lado, ref)
    assert case["status"] == "open" and case["criteria"] == ["harm"]
    d = limits(case)
    assert d["initial-discussion"]["due"] == "2026-12-23T16:30:00+00:00" and d["initial-discussion"]["status"] == "open"
    assert d["notify-lado"]["met_at"] == "2026-12-23T09:15:00+00:00" and d["notify-lado"]["status"] == "met"
    assert ref in ok(lado("due", "--format", "json")).stdout


def test_a_referral_becomes_advice_only_and_its_open_limits_are_set_aside(lado, ref):
    ok(lado("amend", ref, "--criteria", "none", "--why", "No harm criterion on a second reading"))
    case = show(lado, ref)
    assert case["status"] == "advice-only" and case["criteria"] == []
    assert limits(case)["initial-discussion"]["status"] == "not-applicable"
    assert "not applicable initial-discussion (R13)" in case["timeline"][-1]["text"]
    ok(lado("amend", ref, "--criteria", "harm", "--why", "Back: the first reading was right"))
    d = limits(show(lado, ref))
    assert d["initial-discussion"]["status"] == "open" and len(show(lado, ref)["deadlines"]) == 2


def test_after_the_discussion_criteria_cannot_cross_the_threshold(lado, ref):
    discuss(lado, ref)
    fails(lado("amend", ref, "--criteria", "none", "--why", "x"), 1, "--criteria", "initial discussion")
    ok(lado("amend", ref, "--criteria", "risk", "--why", "Risk, not harm"))
    assert show(lado, ref)["discussion"]["criteria"] == ["risk"]


# -- the initial discussion -------------------------------------------------------------------------


def test_a_corrected_discussion_time_moves_the_limits_it_started(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2027-01-05 10:00")
    ref = refer(lado)
    discuss(lado, ref, "24/12/2026 09:00")
    # R18: 20 working days from Thu 24/12 (25/12, 28/12, 1/1 bank holidays): Tue 26/01/2027.
    assert limits(show(lado, ref))["case-review"]["due"] == "2027-01-26T23:59:59+00:00"
    ok(lado("amend", ref, "--held", "29/12/2026 11:00", "--why", "Discussion was after Christmas"))
    case = show(lado, ref)
    d = limits(case)
    assert case["discussion"]["held"] == "2026-12-29T11:00:00+00:00"
    assert d["initial-discussion"]["met_at"] == "2026-12-29T11:00:00+00:00"  # R13 met then: late
    assert d["case-review"]["due"] == "2027-01-27T23:59:59+00:00"  # 20 working days from Tue 29/12
    assert "case-review (R18) due 27/01/2027 23:59, was 26/01/2027 23:59" in case["timeline"][-1]["text"]


def test_the_discussion_cannot_move_after_a_meeting(lado, ref):
    discuss(lado, ref)
    ok(lado("meeting", ref, "--no-input", "--type", "strategy-meeting", "--held", "23/12/2026 09:40"))
    ok(lado("amend", ref, "--held", "23/12/2026 09:40", "--why", "Same call"))
    fails(lado("amend", ref, "--held", "23/12/2026 09:41", "--why", "x"), 1,
          "the meeting (strategy-meeting) (23/12/2026 09:40) cannot be dated before the initial discussion (23/12/2026 09:41)")  # fmt: skip


# -- the outcome, duties, closure, retention -----------------------------------------------------------


@pytest.fixture
def concluded(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ref = refer(lado)
    discuss(lado, ref)
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "24/12/2026"))
    return ref


def duties(lado, ref):
    return {u["kind"]: u["status"] for u in show(lado, ref)["duties"]}


def test_a_corrected_outcome_withdraws_duties_that_no_longer_apply(lado, concluded):
    assert duties(lado, concluded) == {"dbs-referral": "outstanding", "feedback": "outstanding", "lessons-learned": "outstanding"}
    ok(lado("amend", concluded, "--outcome", "unfounded", "--why", "Keyed the wrong outcome"))
    case = show(lado, concluded)
    assert case["outcome"]["outcome"] == "unfounded"
    assert case["timeline"][-1]["corrects"] == next(e["id"] for e in case["timeline"] if e["kind"] == "outcome")
    # R30 and R32's lessons-learned apply only to substantiated: kept, marked withdrawn with the reason
    assert duties(lado, concluded) == {"dbs-referral": "withdrawn", "feedback": "outstanding", "lessons-learned": "withdrawn"}
    withdrawn = [u for u in show(lado, concluded)["duties"] if u["status"] == "withdrawn"]
    assert all(u["withdrawn_reason"] == "no longer applies after an amendment: Keyed the wrong outcome" for u in withdrawn)
    text = case["timeline"][-1]["text"]
    assert "outcome unfounded, was substantiated" in text and "duty withdrawn" in text and "(R30)" in text
    assert {(a["field"], a["old"], a["new"]) for a in case["amendments"]} == {
        ("outcome", "substantiated", "unfounded"), ("duty:dbs-referral", "outstanding", "withdrawn"),
        ("duty:lessons-learned", "outstanding", "withdrawn")}  # fmt: skip
    ok(lado("amend", concluded, "--outcome", "substantiated", "--why", "The panel's letter says substantiated"))
    assert duties(lado, concluded) == {"dbs-referral": "outstanding", "feedback": "outstanding", "lessons-learned": "outstanding"}


def test_closure_and_retention_follow_the_corrected_values(lado, concluded):
    ok(lado("amend", concluded, "--outcome", "unfounded", "--why", "Keyed the wrong outcome"))
    ok(lado("close", concluded, "--no-input", "--date", "29/12/2026 12:00", "--force", "--note", "Feedback by phone"))
    fails(lado("amend", concluded, "--closed", "23/12/2026 23:59", "--why", "x"), 1,
          "the closure (23/12/2026 23:59) cannot be dated before the outcome (24/12/2026)")  # fmt: skip
    ok(lado("amend", concluded, "--closed", "24/12/2026 00:00", "--why", "Closed the day of the outcome"))
    rows = json.loads(ok(lado("retention", "--all", "--format", "json")).stdout)
    row = next(x for x in rows if x["ref"] == concluded)
    assert row["outcome"] == "unfounded" and row["closed_at"] == "2026-12-24T00:00:00+00:00"


def test_the_outcome_date_is_held_to_the_order(lado, concluded):
    fails(lado("amend", concluded, "--date", "22/12/2026", "--why", "x"), 1, "the outcome (22/12/2026) cannot be dated before the initial discussion (23/12/2026 09:20)")
    ok(lado("amend", concluded, "--date", "23/12/2026", "--why", "Letter dated the day of the discussion"))
    assert show(lado, concluded)["outcome"]["date"] == "2026-12-23"
    ok(lado("amend", concluded, "--employment", "resigned", "--date", "23/12/2026", "--why", "Resigned, not dismissed"))
    case = show(lado, concluded)
    assert case["outcome"]["employment"] == "resigned" and case["outcome"]["employment_date"] == "2026-12-23"


# -- bad input: one line, nothing saved ------------------------------------------------------------------


def test_bad_input(lado, ref):
    fails(lado("amend", ref, "--concern-arose", "22/12/2026 14:30"), 2, "--why")
    fails(lado("amend", ref, "--why", "x"), 2, "nothing to amend", "--concern-arose", "--outcome", "--closed")
    fails(lado("amend", ref, "--sector", "space", "--why", "x"), 1, "--sector", "space")
    fails(lado("amend", ref, "--concern-arose", "31/02/2026 10:00", "--why", "x"), 1, "--concern-arose")
    fails(lado("amend", ref, "--concern-arose", "23/12/2026 10:01", "--why", "x"), 1, "in the future")
    fails(lado("amend", ref, "--held", "23/12/2026 09:30", "--why", "x"), 1, "no initial discussion", "lado discuss")
    fails(lado("amend", ref, "--outcome", "unfounded", "--why", "x"), 1, "no outcome to amend", "lado outcome")
    fails(lado("amend", ref, "--closed", "23/12/2026 09:30", "--why", "x"), 1, "is not closed")
    fails(lado("amend", ref, "--category", "physical", "--why", "x"), 1, "nothing to amend", "already records")
    fails(lado("amend", "LADO-2026-0099", "--category", "sexual", "--why", "x"), 1, "no case with reference")
    case = show(lado, ref)
    assert case["amendments"] == [] and [e["kind"] for e in case["timeline"]] == ["referral"]


def test_the_errors_that_advised_note_corrects_for_a_fact_now_advise_amend(lado, concluded):
    fails(lado("outcome", concluded, "--no-input", "--outcome", "false", "--date", "24/12/2026"), 1,
          f"lado amend {concluded} --outcome SLUG --why TEXT")  # fmt: skip


# -- at a terminal: which fact, its value, why --------------------------------------------------------


@pytest.mark.sqlite_only
def test_at_a_terminal_without_flags_it_asks_which_fact_to_correct(lado, ref, monkeypatch):
    from terminal import interview

    monkeypatch.setattr("lado_cli.cli.amend.can_prompt", lambda no_input: not no_input)
    s = interview(lado, ["amend", ref], [
        ("Which fact is to be corrected?", "sector" + "\r"),  # typing filters the list
        ("The correct sector:", "Sport" + "\r"),
        ("Why was the record wrong?", "A football club, not the school" + "\r"),
        ("Save this amendment to", "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    case = show(lado, ref)
    assert case["employer"]["sector"] == "sport"
    assert case["amendments"][0]["field"] == "sector" and case["amendments"][0]["why"] == "A football club, not the school"
    assert "? Which fact is to be corrected? sector (--sector)" in s.screen


def test_the_wizard_offers_only_the_facts_the_case_has():
    from lado_cli.wizards.amend import _choices

    fresh = {"discussion": None, "outcome": None, "employment_outcome": None, "status": "open"}
    assert [c.value for c in _choices(fresh)][:3] == ["concern-arose", "received", "happened"]
    assert not {"held", "outcome", "employment", "date", "closed", "child-dob"} & {c.value for c in _choices(fresh)}
    done = {"discussion": {"held": None}, "outcome": "false", "employment_outcome": "no-action", "status": "closed"}
    assert {"held", "outcome", "employment", "date", "closed"} <= {c.value for c in _choices(done)}


def test_statistics_count_the_corrected_values(lado, concluded):
    ok(lado("amend", concluded, "--outcome", "unfounded", "--sector", "sport", "--why", "Keyed the wrong outcome; a club"))
    stats = json.loads(ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "json")).stdout)
    counts = lambda dim: {r["item"]: r["count"] for r in stats[dim]["rows"] if r["count"]}  # noqa: E731
    assert counts("outcome") == {"unfounded": 1} and counts("sector") == {"sport": 1}


def test_the_referral_and_the_discussion_can_move_together(lado, ref):
    discuss(lado, ref)  # 23/12 09:20, received 09:15
    ok(lado("amend", ref, "--received", "23/12/2026 09:30", "--held", "23/12/2026 09:45", "--why", "Both logged a quarter late"))
    case = show(lado, ref)
    assert (case["received"], case["discussion"]["held"]) == ("2026-12-23T09:30:00+00:00", "2026-12-23T09:45:00+00:00")
    assert {a["field"] for a in case["amendments"]} == {"received", "held"}
    fails(lado("amend", ref, "--received", "23/12/2026 09:50", "--held", "23/12/2026 09:49", "--why", "x"), 1,
          "the initial discussion (23/12/2026 09:49) cannot be dated before the referral was received (23/12/2026 09:50)")  # fmt: skip
