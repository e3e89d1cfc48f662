"""Wizards that cannot mislead (issue #13, item 1): a clock-starting time needs a time of
day, friendly input read day first, 'not known' never pre-filled as text, defaults from the
case, every answer shown before saving, "No" lets one answer be changed, "now" read at each
question, and a first run cancelled before saving leaves no database file.

NOW (conftest) is Wed 23/12/2026 10:00 UK time (GMT, so UTC+00:00).
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import REFERRAL, with_flags
from terminal import interview

from lado_cli.domain.friendly import friendly_date, friendly_instant
from lado_cli.errors import FieldError

ENTER, DOWN, CLEAR, CTRL_C = "\r", "\x1b[B", "\x15", "\x03"
LONDON = ZoneInfo("Europe/London")
WED_10 = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)
CHANGE = "Which answer do you want to change?"
SAVE = "Save this referral?"
AROSE = "When did the concern arise (come to your notice)?"
HAPPENED = "When did the behaviour happen?"
DOB = "Their date of birth"
SUMMARY = "What happened?"


# -- the friendly parser (pure) ---------------------------------------------------------------


@pytest.mark.parametrize("typed, strict", [
    ("today 09:15", "23/12/2026 09:15"),
    ("Yesterday 16:00", "22/12/2026 16:00"),
    ("yesterday at 4.30pm", "22/12/2026 16:30"),
    ("today 12pm", "23/12/2026 12:00"),            # noon
    ("today 12am", "23/12/2026 00:00"),            # midnight
    ("1 Sept 2026 10:30", "01/09/2026 10:30"),
    ("Tue 1 September 2026 10.30am", "01/09/2026 10:30"),
    ("now", "23/12/2026 10:00"),
    ("03/04/2026 10:00", "03/04/2026 10:00"),      # strict form kept as typed: 3 April (day first)
])  # fmt: skip
def test_friendly_times_read_day_first(typed, strict):
    assert friendly_instant(typed, "x", LONDON, WED_10) == strict


def test_today_is_the_uk_day_not_the_utc_day():
    # 23:30 UTC on 1 July is 00:30 on 2 July in UK summer time (BST, UTC+01:00).
    late = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert friendly_instant("today 09:00", "x", LONDON, late) == "02/07/2026 09:00"
    assert friendly_instant("yesterday 09:00", "x", LONDON, late) == "01/07/2026 09:00"
    assert friendly_date("today", "x", LONDON, late) == "02/07/2026"


@pytest.mark.parametrize("typed, problem", [
    ("12/05/2026", "has no time"),               # would be 00:00: nine hours early for R13
    ("2026-05-12", "has no time"),
    ("today", "has no time"),
    ("1 Sept 2026", "has no time"),
    ("today 10", "has no time"),                 # 10 what?
    ("1 Sept 10:30", "year in four digits"),     # which year? refused
    ("1 Sept 26 10:30", "year in four digits"),
    ("12/05/26 10:00", "two-digit year"),
    ("tomorrow 10:00", "is not a date"),
    ("today 24:00", "is not a real time"),
    ("today 13pm", "is not a real time"),
    ("29/03/2026 01:30", "does not exist"),      # the clocks go forward at 01:00 GMT
])  # fmt: skip
def test_what_could_mislead_is_refused(typed, problem):
    with pytest.raises(FieldError) as err:
        friendly_instant(typed, "received", LONDON, WED_10)
    assert problem in err.value.problem
    assert err.value.field == "received"


def test_friendly_dates():
    assert friendly_date("1 Sept 2026", "x", LONDON, WED_10) == "01/09/2026"
    assert friendly_date("yesterday", "x", LONDON, WED_10) == "22/12/2026"
    assert friendly_date("3/4/2026", "x", LONDON, WED_10) == "03/04/2026"  # 3 April, never 4 March
    with pytest.raises(FieldError, match="without a time"):
        friendly_date("1 Sept 2026 10:00", "x", LONDON, WED_10)


# -- refer ----------------------------------------------------------------------------------------


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.refer.can_prompt", lambda no_input: not no_input)
    monkeypatch.setattr("lado_cli.cli.workflow.can_prompt", lambda no_input: not no_input)


def show(lado, ref: str) -> dict:
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def refer_flags(**changes: str | None) -> list[str]:
    return [*with_flags([*REFERRAL, "--works-in", "Staffordshire County Council", "--subject-status", "working",
                              "--happened", "22/12/2026 14:00"], **changes),
            "--no-immediate-danger"]  # fmt: skip


def test_a_date_without_a_time_is_refused_in_place_and_friendly_words_are_saved_as_times(lado, at_terminal):
    s = interview(lado, ["refer", *refer_flags(concern_arose=None, subject_dob=None, happened=None)], [
        (DOB, ENTER),                                           # blank: not known (nothing pre-filled)
        (AROSE, "22/12/2026" + ENTER),
        ("'22/12/2026' has no time", CLEAR + "yesterday 16:30" + ENTER),
        (HAPPENED, "yesterday 14:00" + ENTER),
        ("Was it first raised with someone else", ENTER),     # R42: no, one time serves
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert "unknown" not in s.screen.split(DOB)[1].splitlines()[0]  # no editable 'unknown' to type over
    case = show(lado, "LADO-2026-0001")
    assert case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert case["happened"] == "2026-12-22T14:00:00+00:00"
    assert case["subject"]["dob"] is None
    # R12's 24-hour aim counts from the time typed (16:30), not from midnight (which would give 00:00).
    notify = next(d for d in case["deadlines"] if d["kind"] == "notify-lado")
    assert notify["target"] == "2026-12-23T16:30:00+00:00"


def test_behaviour_later_than_the_concern_the_same_day_is_refused(lado, at_terminal):
    # Concern arose 16:30: 16:31 the same day is refused, 16:30 itself is accepted (<=).
    s = interview(lado, ["refer", *refer_flags(happened=None)], [
        (HAPPENED, "22/12/2026 16:31" + ENTER),
        ("is later than the concern arose", CLEAR + "22/12/2026 16:30" + ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert show(lado, "LADO-2026-0001")["happened"] == "2026-12-22T16:30:00+00:00"
    flagged = lado("refer", "--no-input", *refer_flags(happened="22/12/2026 16:31"))
    assert flagged.exit_code == 1
    assert "is after the concern arose" in flagged.stderr


def test_no_at_save_changes_one_answer_and_keeps_the_others(lado, at_terminal):
    s = interview(lado, ["refer", *refer_flags(summary=None, subject_dob=None)], [
        (DOB, "1 Feb 1980" + ENTER),
        (SUMMARY, "Grabbed a pupil." + ENTER),
        ("Add more details", ENTER),                              # no (the intake facts, asked with the summary)
        (SAVE, "n"),
        (CHANGE, "Summary" + ENTER),                              # typing filters the answers
        (SUMMARY, "Grabbed a pupil by the arm in a PE lesson." + ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    case = show(lado, "LADO-2026-0001")
    assert case["summary"] == "Grabbed a pupil by the arm in a PE lesson."
    assert case["subject"]["dob"] == "1980-02-01"  # kept: not asked again
    assert s.screen.count(DOB) == 1


def test_a_first_run_cancelled_leaves_no_database_file(lado, at_terminal, tmp_path, monkeypatch, backend):
    if backend != "sqlite":
        pytest.skip("a file only on SQLite")
    path = tmp_path / "first" / "lado.db"
    monkeypatch.setenv("LADO_DB", str(path))
    s = interview(lado, ["refer", *refer_flags(summary=None)], [(SUMMARY, CTRL_C)])
    assert s.result.exit_code == 130
    assert not path.exists()
    s = interview(lado, ["refer", *refer_flags()], [(SAVE, "n"), (CHANGE, "None of them" + ENTER)])
    assert (s.result.exit_code, path.exists()) == (0, False)
    s = interview(lado, ["refer", *refer_flags()], [(SAVE, "y")])
    assert s.result.exit_code == 0, s.result.stderr
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# -- discuss, police: defaults from the case, now at each question ----------------------------------


def test_discuss_defaults_suspension_from_the_adults_recorded_status(lado, at_terminal):
    r = lado("refer", "--no-input", *with_flags(REFERRAL), "--subject-status", "suspended")
    assert r.exit_code == 0, r.stderr
    s = interview(lado, ["discuss", "LADO-2026-0001", "--held", "23/12/2026 10:00", "--with", "Ann Head",
                         "--rationale", "Seen by staff.", "--route", "police", "--consider", "media=none",
                         "--suspension-note", "No alternative duties."], [
        ("Which harm criteria are met (R4)?", ENTER),                # the referral's harm and risk, ticked
        ("Concerns remain below the s47 threshold", "n"),
        ("Suspension decision (R24): (the adult is recorded as: Suspended)", ENTER),
        ("Named contact supporting the adult while suspended:", "Mr B. Governor" + ENTER),
        ("Is the case complex", "n"),
        ("Save this initial discussion?", "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert "Initial discussion" in s.result.stderr and "Mr B. Governor" in s.result.stderr  # the review table
    d = show(lado, "LADO-2026-0001")["discussion"]
    assert (d["suspension"], d["criteria"]) == ("suspended", ["harm", "risk"])


def test_now_is_read_at_each_question_not_when_the_wizard_started(lado, at_terminal, monkeypatch):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    ticks = iter(range(1000))
    monkeypatch.setattr("lado_cli.cli.context.AppContext.now", lambda self: WED_10 + timedelta(minutes=5 * next(ticks)))
    s = interview(lado, ["police", "LADO-2026-0001", "--outcome", "charged", "--text", "Charged."], [
        ("When did the police give this update?", ENTER),   # pre-filled with the time at this question
        ("Next police review target date", ENTER),
        ("Save this police update?", "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    at = show(lado, "LADO-2026-0001")["police"][0]["at"]
    assert at != "2026-12-23T10:00:00+00:00"  # not the start of the command
    assert f"{datetime.fromisoformat(at):%d/%m/%Y %H:%M}" in s.screen.split("When did the police give this update?")[1].splitlines()[0]
