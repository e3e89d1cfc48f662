"""Edges decided and pinned (README "Time limits"; PROCEDURE §3, R1, R11, R13, R20). Each
boundary is tried at the boundary and one step past it, so a test fails if a comparison is
turned (< for <=). Expected values are worked out by hand from the rule.

Now is Wed 23/12/2026 10:00 UK time (GMT, so UTC); REFERRAL's concern arose Tue 22/12 16:30."""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, fails, ok, with_flags


def refer(lado, args):
    return lado("refer", "--no-input", *args)


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def limit(lado, ref, kind):
    (d,) = [d for d in show(lado, ref)["deadlines"] if d["kind"] == kind]
    return d


def saved_ref(r):
    return ok(r).stdout.splitlines()[-1]


# -- a limit met at exactly its due instant is on time (PROCEDURE §3) -----------------------------


@pytest.mark.parametrize(("held", "late"), [
    ("23/12/2026 16:30", None),  # R13: 24 hours after 22/12 16:30 is 23/12 16:30: met at the due instant, on time
    ("23/12/2026 16:31", "0 h 01 min late"),  # one minute past it
])  # fmt: skip
def test_met_at_its_due_instant_is_on_time(lado, monkeypatch, held, late):
    monkeypatch.setenv("LADO_NOW", "2026-12-23 17:00")
    ref = saved_ref(refer(lado, REFERRAL))
    r = ok(lado("discuss", ref, "--no-input", "--held", held, "--criteria", "harm", "--rationale", "r", "--route", "police"))
    d = limit(lado, ref, "initial-discussion")
    assert (d["due"], d["status"], d["late"]) == ("2026-12-23T16:30:00+00:00", "met", late)
    stats = json.loads(ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "json")).stdout)
    (k,) = [k for k in stats["timeliness"] if k["kind"] == "initial-discussion"]
    assert (k["met_on_time"], k["met_late"]) == ((1, 0) if late is None else (0, 1))
    del r


@pytest.mark.parametrize(("now", "status"), [
    ("2026-12-23 16:30", "open"),  # at its due instant a limit is not yet overdue
    ("2026-12-23 16:31", "overdue"),
])  # fmt: skip
def test_a_limit_is_overdue_only_after_its_due_instant(lado, monkeypatch, now, status):
    ref = saved_ref(refer(lado, REFERRAL))
    monkeypatch.setenv("LADO_NOW", now)
    assert limit(lado, ref, "initial-discussion")["status"] == status
    due = json.loads(ok(lado("due", "--format", "json")).stdout)
    (row,) = [d for d in due if d["kind"] == "initial-discussion"]
    assert row["status"] == ("due-today" if status == "open" else "overdue")


# -- R1: a child is under 18 until the day of their 18th birthday -----------------------------------


@pytest.mark.parametrize(("dob", "accepted"), [
    ("23/12/2008", True),  # 18 on 23/12/2026, the day after the behaviour (22/12/2026): still a child
    ("22/12/2008", False),  # 18 on the day of the behaviour: not a child (R1)
])  # fmt: skip
def test_eighteenth_birthday_on_the_day_of_the_behaviour(lado, dob, accepted):
    r = refer(lado, with_flags(REFERRAL, child_dob=dob, happened="22/12/2026 10:00"))
    if accepted:
        ok(r)
    else:
        fails(r, 1, "--child-dob", "18 or over on 22/12/2026", "R1")


@pytest.mark.parametrize(("day", "accepted"), [
    ("27/02/2026", True),  # the day before: 17
    ("28/02/2026", False),  # 2026 has no 29 February: the 18th birthday falls on 28 February
])  # fmt: skip
def test_29_february_birthday_falls_on_28_february(lado, day, accepted):
    args = with_flags(REFERRAL, child_dob="29/02/2008", concern_arose=f"{day} 12:00", received=f"{day} 12:00", happened=f"{day} 09:00")
    r = refer(lado, args)
    if accepted:
        ok(r)
    else:
        fails(r, 1, "--child-dob", f"18 or over on {day}")


# -- R20: an action may be due on the meeting's own day ---------------------------------------------


@pytest.mark.parametrize(("due", "accepted"), [("23/12/2026", True), ("22/12/2026", False)])
def test_an_action_due_on_the_meeting_day(lado, due, accepted):
    ref = saved_ref(refer(lado, REFERRAL))
    ok(lado("discuss", ref, "--no-input", "--held", "23/12/2026 09:20", "--criteria", "harm", "--rationale", "r", "--route", "police"))
    r = lado("meeting", ref, "--no-input", "--type", "other", "--held", "23/12/2026 09:30", "--action", f"Call the head; A. Officer; {due}")
    if accepted:
        ok(r)
        assert limit(lado, ref, "action")["due"] == "2026-12-23T23:59:59+00:00"
    else:
        fails(r, 1, "--action", "due before the meeting")


# -- R11: the intake times ---------------------------------------------------------------------


@pytest.mark.parametrize(("arose", "accepted"), [("23/12/2026 10:00", True), ("23/12/2026 10:01", False)])
def test_a_concern_arising_exactly_now(lado, arose, accepted):
    r = refer(lado, with_flags(REFERRAL, concern_arose=arose, received=None))
    if accepted:
        ref = saved_ref(r)
        case = show(lado, ref)
        assert case["concern_arose"] == case["received"] == "2026-12-23T10:00:00+00:00"  # received defaults to now
    else:
        fails(r, 1, "--concern-arose", "is in the future")


@pytest.mark.parametrize(("received", "accepted"), [("22/12/2026 16:30", True), ("22/12/2026 16:29", False)])
def test_received_at_the_instant_the_concern_arose(lado, received, accepted):
    r = refer(lado, with_flags(REFERRAL, received=received))
    if accepted:
        assert limit(lado, saved_ref(r), "notify-lado")["met_at"] == "2026-12-22T16:30:00+00:00"
    else:
        fails(r, 1, "--received", "before the concern arose")


@pytest.mark.parametrize(("happened", "accepted"), [
    ("22/12/2026 16:30", True),  # at the instant the concern arose
    ("22/12/2026", True),  # a date alone is 00:00 that day
    ("22/12/2026 16:31", False),  # later the same day: the behaviour cannot follow the concern about it
])  # fmt: skip
def test_behaviour_later_on_the_day_the_concern_arose(lado, happened, accepted):
    r = refer(lado, with_flags(REFERRAL, happened=happened))
    if accepted:
        ok(r)
    else:
        fails(r, 1, "--happened", "is after the concern arose")
