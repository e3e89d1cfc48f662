"""Dates in order (issue #9 item 3, lado_cli/domain/order.py): no event is dated before an
event it depends on, through every command that records one, on SQLite and PostgreSQL.

Each comparison is tested at the exact equal instant (in order) and one minute (or, for a
date without a time, one day) before (refused, naming both events and their times), so the
test fails if `<` is turned into `<=` or the other way round.

The story (conftest NOW: Wed 23/12/2026 10:00, UK time = UTC in December): the concern arose
22/12 16:30, the referral was received 23/12 09:15.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import REFERRAL, fails, ok

RECEIVED = "23/12/2026 09:15"


def refer(lado, args=REFERRAL):
    return ok(lado("refer", "--no-input", *args)).stdout.splitlines()[-1]


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def discuss(lado, ref, held):
    return lado("discuss", ref, "--no-input", "--held", held, "--criteria", "harm", "--rationale", "Seen by staff", "--route", "police")


@pytest.fixture
def ref(lado):
    return refer(lado)


@pytest.fixture
def discussed(lado, ref):
    ok(discuss(lado, ref, "23/12/2026 09:20"))
    return ref


# -- the pure rules ------------------------------------------------------------------------------


def test_equal_instants_are_in_order_and_a_minute_before_is_not():
    from lado_cli.domain import order

    tz = ZoneInfo("Europe/London")
    at = datetime(2026, 12, 23, 9, 15, tzinfo=timezone.utc)
    base = {"concern_arose": datetime(2026, 12, 22, 16, 30, tzinfo=timezone.utc), "received": at}
    assert order.problem(order.facts(base) + [order.Fact(order.DISCUSSION, at)], tz, [order.Fact(order.DISCUSSION, at)]) is None
    early = order.Fact(order.DISCUSSION, datetime(2026, 12, 23, 9, 14, tzinfo=timezone.utc))
    assert order.problem(order.facts(base) + [early], tz, [early]) == (
        "the initial discussion (23/12/2026 09:14) cannot be dated before the referral was received (23/12/2026 09:15)")


def test_a_day_against_an_instant_is_compared_by_the_local_day():
    from lado_cli.domain import order

    tz = ZoneInfo("Europe/London")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the same day as an outcome dated 1 July.
    held = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)
    case = {"concern_arose": held, "received": held, "discussion": {"held": held}}
    same = order.Fact(order.OUTCOME, date(2026, 7, 1))
    assert order.problem(order.facts(case) + [same], tz, [same]) is None
    before = order.Fact(order.OUTCOME, date(2026, 6, 30))
    assert "the outcome (30/06/2026) cannot be dated before the initial discussion (01/07/2026 00:30)" in order.problem(
        order.facts(case) + [before], tz, [before])


def test_an_older_record_out_of_order_does_not_block_an_unrelated_step():
    from lado_cli.domain import order

    tz = ZoneInfo("Europe/London")
    t = lambda h: datetime(2026, 12, 23, h, tzinfo=timezone.utc)  # noqa: E731
    case = {"concern_arose": t(9), "received": t(8)}  # already out of order (e.g. imported)
    order.check(case, tz, order.Fact(order.DISCUSSION, t(10)))  # not refused: it breaks nothing itself


def test_a_dbs_referral_may_follow_an_earlier_resignation_before_the_outcome():
    from lado_cli.domain import order

    tz = ZoneInfo("Europe/London")
    case = {"concern_arose": datetime(2026, 4, 1, tzinfo=timezone.utc), "received": datetime(2026, 4, 1, tzinfo=timezone.utc),
            "outcome": "unsubstantiated", "outcome_date": date(2026, 4, 17),
            "employment_outcome": "resigned", "employment_outcome_date": date(2026, 4, 15)}  # fmt: skip
    order.check(case, tz, order.Fact(order.DBS, date(2026, 4, 15)))  # the day of the resignation (R33)
    with pytest.raises(Exception, match=r"the DBS referral \(14/04/2026\) cannot be dated before the employment outcome \(15/04/2026\)"):
        order.check(case, tz, order.Fact(order.DBS, date(2026, 4, 14)))


# -- through the commands ------------------------------------------------------------------------


def test_initial_discussion_at_the_instant_received_is_in_order(lado, ref):
    ok(discuss(lado, ref, RECEIVED))
    assert show(lado, ref)["discussion"]["held"] == "2026-12-23T09:15:00+00:00"


def test_initial_discussion_a_minute_before_received_is_refused(lado, ref):
    fails(discuss(lado, ref, "23/12/2026 09:14"), 1,
          "the initial discussion (23/12/2026 09:14) cannot be dated before the referral was received (23/12/2026 09:15)", "nothing was saved")  # fmt: skip
    assert show(lado, ref)["discussion"] is None


@pytest.mark.parametrize("minute, good", [("09:20", True), ("09:19", False)])
def test_a_meeting_is_not_before_the_initial_discussion(lado, discussed, minute, good):
    r = lado("meeting", discussed, "--no-input", "--type", "strategy-meeting", "--held", f"23/12/2026 {minute}")
    if good:
        ok(r)
    else:
        fails(r, 1, "the meeting (strategy-meeting) (23/12/2026 09:19) cannot be dated before the initial discussion (23/12/2026 09:20)")
    assert len(show(lado, discussed)["meetings"]) == (1 if good else 0)


@pytest.mark.parametrize("minute, good", [("09:20", True), ("09:19", False)])
def test_a_police_update_is_not_before_the_initial_discussion(lado, discussed, minute, good):
    r = lado("police", discussed, "--no-input", "--date", f"23/12/2026 {minute}", "--text", "Interview booked")
    if good:
        ok(r)
    else:
        fails(r, 1, "the police update (23/12/2026 09:19) cannot be dated before the initial discussion (23/12/2026 09:20)")
    assert len(show(lado, discussed)["police"]) == (1 if good else 0)


def test_an_outcome_dated_the_day_before_the_discussion_is_refused(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ref = refer(lado)
    ok(discuss(lado, ref, "24/12/2026 09:00"))
    fails(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"), 1,
          "the outcome (23/12/2026) cannot be dated before the initial discussion (24/12/2026 09:00)")  # fmt: skip
    assert show(lado, ref)["outcome"]["outcome"] is None
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "24/12/2026"))  # the same day: in order


def test_a_dbs_referral_dated_before_the_outcome_is_refused(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ref = refer(lado)
    ok(discuss(lado, ref, "23/12/2026 09:20"))
    args = ["outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "24/12/2026"]
    fails(lado(*args, "--dbs-referred", "23/12/2026"), 1, "the DBS referral (23/12/2026", "cannot be dated before the outcome (24/12/2026)")
    assert show(lado, ref)["duties"] == []
    ok(lado(*args, "--dbs-referred", "24/12/2026"))  # the same day: in order
    assert {u["kind"]: u["status"] for u in show(lado, ref)["duties"]}["dbs-referral"] == "done"


def test_closure_is_not_before_the_last_recorded_event(lado, discussed):
    ok(lado("meeting", discussed, "--no-input", "--type", "review", "--held", "23/12/2026 09:40"))
    ok(lado("outcome", discussed, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"))
    fails(lado("close", discussed, "--no-input", "--date", "23/12/2026 09:39", "--force", "--note", "Feedback by phone"), 1,
          "the closure (23/12/2026 09:39) cannot be dated before the meeting (review) (23/12/2026 09:40)")  # fmt: skip
    assert show(lado, discussed)["status"] == "open"
    ok(lado("close", discussed, "--no-input", "--date", "23/12/2026 09:40", "--force", "--note", "Feedback by phone"))
    assert show(lado, discussed)["closed_at"] == "2026-12-23T09:40:00+00:00"


def test_a_closure_the_day_before_the_outcome_date_is_refused(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ref = refer(lado)
    ok(discuss(lado, ref, "23/12/2026 09:20"))
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "29/12/2026"))
    fails(lado("close", ref, "--no-input", "--date", "28/12/2026 23:59", "--force", "--note", "x"), 1,
          "the closure (28/12/2026 23:59) cannot be dated before the outcome (29/12/2026)")  # fmt: skip
    ok(lado("close", ref, "--no-input", "--date", "29/12/2026 00:00", "--force", "--note", "Feedback given"))  # same day: in order


def test_a_dbs_referral_marked_done_before_the_outcome_day_is_refused(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ref = refer(lado)
    ok(discuss(lado, ref, "23/12/2026 09:20"))
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "24/12/2026"))
    fails(lado("done", ref, "dbs-referral", "--at", "23/12/2026 23:59"), 1,
          "the DBS referral (23/12/2026 23:59) cannot be dated before the outcome (24/12/2026)")  # fmt: skip
    ok(lado("done", ref, "dbs-referral", "--at", "24/12/2026 00:00"))  # the outcome's day: in order
