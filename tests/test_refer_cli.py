"""`lado refer` by flags (--no-input): what is saved, the clocks it starts, and bad input."""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, after_first_run_notice, with_flags


def show(lado, ref):
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def saved_cases(lado):
    return json.loads(lado("list", "--all", "--format", "json").stdout)


def test_referral_saved_with_r12_r13_clocks(lado):
    r = lado("refer", "--no-input", *REFERRAL)
    assert r.exit_code == 0, r.stderr
    ref = r.stdout.strip().splitlines()[-1]
    assert ref == "LADO-2026-0001"
    case = show(lado, ref)
    assert case["status"] == "open"
    assert case["subject"] == {"name": "John Smith", "dob": "1980-02-01", "role": "PE teacher", "employment": "paid",
                               "status": None, "address": None, "regulator": None}  # fmt: skip
    assert case["employer"] == {"name": "Oak Primary School", "sector": "education"}
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
    assert case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert case["received"] == "2026-12-23T09:15:00+00:00"
    assert case["criteria"] == ["harm", "risk"]
    dl = {d["kind"]: d for d in case["deadlines"]}
    # R12: one working day after Tue 22/12 is Wed 23/12, due at the end of that day;
    # the 24-hour aim is shown too. Receiving the referral meets it.
    assert dl["notify-lado"]["rule"] == "R12"
    assert dl["notify-lado"]["due"] == "2026-12-23T23:59:59+00:00"
    assert dl["notify-lado"]["target"] == "2026-12-23T16:30:00+00:00"
    assert dl["notify-lado"]["status"] == "met"
    assert dl["notify-lado"]["met_at"] == "2026-12-23T09:15:00+00:00"
    # R13: 24 hours of clock time after the concern arose.
    assert dl["initial-discussion"]["rule"] == "R13"
    assert dl["initial-discussion"]["due"] == "2026-12-23T16:30:00+00:00"
    assert dl["initial-discussion"]["status"] == "open"
    [event] = case["timeline"]
    assert event["kind"] == "referral" and event["actor"] == "tester"
    assert event["at"] == "2026-12-23T09:15:00+00:00"
    assert "Ann Head" in event["text"] and "Grabbed a pupil" in event["text"]


def test_christmas_bank_holidays_push_the_working_day_limit(lado, monkeypatch):
    # Concern on Christmas Eve 2026 (Thu): Fri 25/12 and Mon 28/12 (Boxing Day substitute)
    # are bank holidays, so R12's one working day ends on Tue 29/12. R13 is clock time.
    monkeypatch.setenv("LADO_NOW", "2026-12-24 15:00")
    args = with_flags(REFERRAL, concern_arose="24/12/2026 14:00", received="24/12/2026 14:30")
    ref = lado("refer", "--no-input", *args).stdout.splitlines()[-1]
    dl = {d["kind"]: d for d in show(lado, ref)["deadlines"]}
    assert dl["notify-lado"]["due"] == "2026-12-29T23:59:59+00:00"
    assert dl["initial-discussion"]["due"] == "2026-12-25T14:00:00+00:00"


def test_deadline_status_is_computed_against_now(lado, monkeypatch):
    ref = lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1]
    # 16:29 on the day: the initial discussion is still open; a minute after 16:30, overdue.
    monkeypatch.setenv("LADO_NOW", "2026-12-23 16:29")
    assert {d["kind"]: d["status"] for d in show(lado, ref)["deadlines"]}["initial-discussion"] == "open"
    monkeypatch.setenv("LADO_NOW", "2026-12-23 16:31")
    assert {d["kind"]: d["status"] for d in show(lado, ref)["deadlines"]}["initial-discussion"] == "overdue"


def test_bst_instants_carry_their_offset(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-07-01 12:00")
    args = with_flags(REFERRAL, concern_arose="30/06/2026 09:00", received="2026-06-30T10:00")
    ref = lado("refer", "--no-input", *args).stdout.splitlines()[-1]
    case = show(lado, ref)
    assert case["concern_arose"] == "2026-06-30T09:00:00+01:00"
    assert {d["kind"]: d["due"] for d in case["deadlines"]}["notify-lado"] == "2026-07-01T23:59:59+01:00"


def test_references_count_up_within_the_year(lado):
    refs = [lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1] for _ in range(3)]
    assert refs == ["LADO-2026-0001", "LADO-2026-0002", "LADO-2026-0003"]


def test_advice_only_consultation_starts_no_clock(lado):
    args = with_flags(REFERRAL, criteria="none")
    args = [a for i, a in enumerate(args) if not (args[i - 1] == "--criteria" and a == "risk") and not (a == "--criteria" and args[i + 1] == "risk")]
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    case = show(lado, r.stdout.splitlines()[-1])
    assert case["status"] == "advice-only"  # R4, R37c
    assert case["criteria"] == [] and case["deadlines"] == []
    assert "advice-only" in r.stdout


def test_received_defaults_to_now(lado):
    ref = lado("refer", "--no-input", *with_flags(REFERRAL, received=None)).stdout.splitlines()[-1]
    assert show(lado, ref)["received"] == "2026-12-23T10:00:00+00:00"


def test_cross_border_is_recorded_and_said(lado):
    r = lado("refer", "--no-input", *REFERRAL, "--works-in", "Northshire Council")
    assert r.exit_code == 0
    assert "Cross-border (R7)" in r.stderr and "Northshire Council" in r.stderr
    case = show(lado, r.stdout.splitlines()[-1])
    assert case["cross_border"] is True and case["works_in"] == "Northshire Council"


def test_own_authority_is_not_cross_border(lado):
    r = lado("refer", "--no-input", *REFERRAL, "--works-in", "  staffordshire county COUNCIL ")
    assert show(lado, r.stdout.splitlines()[-1])["cross_border"] is False


def test_immediate_danger_shows_emergency_contacts(lado):
    r = lado("refer", "--no-input", *REFERRAL, "--immediate-danger")
    assert r.exit_code == 0
    assert "Immediate danger (R8)" in r.stderr and "999" in r.stderr
    assert show(lado, r.stdout.splitlines()[-1])["immediate_danger"] is True


def test_out_of_hours_shows_the_emergency_duty_service(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-23 19:30")
    r = lado("refer", "--no-input", *REFERRAL)
    assert "Out of hours (R9)" in r.stderr and "0345 6042 886" in r.stderr
    monkeypatch.setenv("LADO_NOW", "2026-12-23 11:00")
    assert "Out of hours" not in lado("refer", "--no-input", *REFERRAL).stderr


def test_previous_history_is_shown_and_recorded(lado):
    first = lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1]
    # Same adult, name typed differently (R11a): case and spacing do not hide the match.
    args = with_flags(REFERRAL, subject_name="  JOHN   smith ", child_name="Ben Cole", child_dob="05/05/2015")
    r = lado("refer", "--no-input", *args)
    assert first in r.stderr and "the adult" in r.stderr
    case = show(lado, r.stdout.splitlines()[-1])
    assert [e["kind"] for e in case["timeline"]] == ["referral", "history-check"]
    assert first in case["timeline"][1]["text"]


def test_previous_history_matches_the_child_too(lado):
    first = lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1]
    args = with_flags(REFERRAL, subject_name="Someone Else", subject_dob="02/03/1975", child_name="amy jones")
    r = lado("refer", "--no-input", *args)
    assert first in r.stderr and "a child" in r.stderr


def test_different_birth_dates_are_different_people(lado):
    lado("refer", "--no-input", *REFERRAL)
    r = lado("refer", "--no-input", *with_flags(REFERRAL, subject_dob="15/07/1975", child_name="Zoe Roe"))
    assert "No earlier records" in r.stderr


def test_a_birth_year_one_off_is_still_shown_with_its_reason(lado):
    """R11a: a year typed one off (1981 for 1980, same day and month) is a close match, said in words."""
    first = lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1]
    r = lado("refer", "--no-input", *with_flags(REFERRAL, subject_dob="01/02/1981", child_name="Zoe Roe"))
    assert first in r.stderr and "yearapart" in "".join(c for c in r.stderr if c.isalnum())


BAD = [
    # (flag changes, exit code, words the one-line error must contain)
    ({"concern_arose": "31/02/2026 10:00"}, 1, ["--concern-arose", "'31/02/2026 10:00'", "not a real date", "expected"]),
    ({"concern_arose": "22/12/26 10:00"}, 1, ["--concern-arose", "two-digit year"]),
    ({"concern_arose": "last tuesday"}, 1, ["--concern-arose", "is not a date"]),
    ({"concern_arose": "2026-10-25 01:30"}, 1, ["--concern-arose", "ambiguous"]),
    ({"concern_arose": "29/03/2026 01:30"}, 1, ["--concern-arose", "does not exist"]),
    ({"concern_arose": "24/12/2026 10:00"}, 1, ["--concern-arose", "in the future"]),
    ({"received": "22/12/2026 16:00"}, 1, ["--received", "before the concern arose"]),
    ({"received": "23/12/2026 11:00"}, 1, ["--received", "in the future"]),
    ({"happened": "23/12/2026 08:00"}, 1, ["--happened", "after the concern arose"]),
    ({"subject_dob": "13/13/1980"}, 1, ["--subject-dob", "not a real date"]),
    ({"child_dob": "01/01/2008"}, 1, ["--child-dob", "18 or over", "R1"]),
    ({"child_dob": "01/01/2027"}, 1, ["--child-dob", "after the behaviour"]),
    ({"source": "gossip"}, 1, ["--source", "'gossip'", "parent-carer"]),
    ({"category": "Physical abuse"}, 1, ["--category", "physical"]),
    ({"employment": "staff"}, 1, ["--employment", "paid"]),
    ({"sector": "school"}, 1, ["--sector", "education"]),
    ({"criteria": "danger"}, 1, ["--criteria", "harm"]),
    ({"source": "other"}, 2, ["--source-detail"]),
    ({"summary": None, "referrer_contact": None}, 2, ["missing required fields", "--summary", "--referrer-contact"]),
    ({"employer": None}, 2, ["--employer"]),
    ({"subject_name": "   "}, 2, ["--subject-name"]),
]


@pytest.mark.parametrize("changes,code,words", BAD, ids=[",".join(c) + f"={v}" for c, _, _ in BAD for v in [list(c.values())[0]]])
def test_bad_input_is_one_clear_line_and_saves_nothing(lado, changes, code, words):
    r = lado("refer", "--no-input", *with_flags(REFERRAL, **changes))
    assert r.exit_code == code
    lines = after_first_run_notice(r.stderr).strip().splitlines()  # (the refusal made the database)
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ")
    for w in words:
        assert w in lines[0]
    assert "Traceback" not in r.stderr + r.stdout
    assert saved_cases(lado) == []


def test_child_age_is_checked_when_it_happened(lado):
    # 17 at the time of the behaviour (R1) is a child even if 18 by the referral.
    args = with_flags(REFERRAL, child_dob="01/06/2008", happened="01/05/2026")
    assert lado("refer", "--no-input", *args).exit_code == 0
    args = with_flags(REFERRAL, child_dob="01/06/2008")  # 18 by the concern, no --happened
    assert lado("refer", "--no-input", *args).exit_code == 1


def test_children_and_birth_dates_must_pair(lado):
    r = lado("refer", "--no-input", *REFERRAL, "--child-name", "Ben Cole")
    assert r.exit_code == 1
    assert "--child-dob" in r.stderr and "1 dates of birth for 2 children" in r.stderr


def test_unknown_child_dob_is_allowed(lado):
    r = lado("refer", "--no-input", *with_flags(REFERRAL, child_dob="unknown"))
    assert r.exit_code == 0
    assert show(lado, r.stdout.splitlines()[-1])["children"] == [{"name": "Amy Jones", "dob": None}]


def test_self_employed_needs_no_employer(lado):
    r = lado("refer", "--no-input", *with_flags(REFERRAL, employment="self-employed", employer=None))
    assert r.exit_code == 0, r.stderr
    assert show(lado, r.stdout.splitlines()[-1])["employer"]["name"] is None


def test_no_terminal_means_no_prompt(lado):
    # CliRunner's stdin is not a TTY: without --no-input it must still fail, not hang.
    r = lado("refer", "--subject-name", "John Smith")
    assert r.exit_code == 2 and "missing required fields" in r.stderr


def test_lado_no_input_env(lado, monkeypatch):
    monkeypatch.setenv("LADO_NO_INPUT", "1")
    from lado_cli.cli.context import can_prompt

    assert can_prompt(False) is False


def test_bad_lado_now_is_one_line(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "tomorrow")
    r = lado("list")
    assert r.exit_code == 1 and after_first_run_notice(r.stderr).strip() == "Error: env LADO_NOW: 'tomorrow' is not a date; expected a date and time such as 24/12/2026 10:00 or 2026-12-24 10:00"


def test_profile_slugs_fit_the_columns_they_are_stored_in(lado, tmp_path):
    # A slug is stored in a column of 40 characters or more, which PostgreSQL enforces (SQLite
    # does not): the profile refuses a longer one, so both backends accept the same profiles.
    longest = "a-" + "b" * 38
    profile = tmp_path / "p.toml"
    profile.write_text(f'[sources]\n{longest} = "A source with the longest slug"\n', encoding="utf-8")
    r = lado("--profile", str(profile), "refer", "--no-input", *with_flags(REFERRAL, source=longest))
    assert r.exit_code == 0, r.stderr
    assert show(lado, r.stdout.splitlines()[-1])["source"] == longest
    profile.write_text(f'[sources]\n{longest}c = "One character too long"\n', encoding="utf-8")
    r = lado("--profile", str(profile), "refer", "--no-input", *with_flags(REFERRAL, source=longest + "c"))
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert f"sources.{longest}c: is 41 characters long; expected a slug of at most 40 characters" in r.stderr
