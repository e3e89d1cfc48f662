"""`lado refer` on a terminal: the intake wizard (PROCEDURE R1-R13, R37c), driven end to end
through the CLI with prompt_toolkit pipe input, the way a person answers it.

Each answer is typed only once its question is on the (in-memory) screen, so a test also
checks which questions were asked, and in what order. Keys: Enter "\\r", down arrow
"\\x1b[B", space ticks a checkbox, Ctrl-U clears a line (e.g. a prefilled 'unknown'), Ctrl-C
"\\x03". Select lists filter as you type (use_search_filter).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import REFERRAL, after_first_run_notice, with_flags
from terminal import interview as run_interview

ENTER, DOWN, CLEAR, CTRL_C, CTRL_D = "\r", "\x1b[B", "\x15", "\x03", "\x04"

# The question texts (a prefix is enough), in the order the wizard asks them.
DANGER = "Is a child in immediate danger"
WORKS_IN = "Which local authority does the adult work in?"
EMPLOYMENT = "How does the adult work with children?"
NAME = "The adult's full name:"
DOB = "Their date of birth"
ROLE = "Their role or job title:"
STATUS = "Are they working now?"
EMPLOYER = "Employer or organisation:"
SECTOR = "Sector:"
AROSE = "When did the concern arise (come to your notice)?"
RECEIVED = "When was it received by the LADO?"
HAPPENED = "When did the behaviour happen?"
CHILD = "A child's name"
SOURCE = "How did the concern arise (source)?"
CATEGORY = "Category:"
SUMMARY = "What happened?"
CRITERIA = "Which of these may apply?"
ADVICE_ONLY = "None ticked: record this as an advice-only consultation"
REF_NAME = "Your name (the referrer):"
REF_ROLE = "Your role:"
REF_ORG = "Your organisation:"
REF_CONTACT = "Your phone or email:"
SAVE = "Save this referral?"
# The optional intake facts (wizards/intake.py), asked beside the question they belong to.
KNOWN_AS = "Other names they are or were known by"
FIRST_RAISED = "Was it first raised with someone else in the organisation"
EARLIER = "What do you know of earlier concerns"
MORE = "Add more details"
CHANGE = "Which answer do you want to change?"

# REFERRAL and the valued flags it leaves out: with --no-immediate-danger as well, only
# "Save this referral?" is left to ask.
FLAGS = [*REFERRAL, "--works-in", "Staffordshire County Council", "--subject-status", "working",
         "--happened", "22/12/2026 14:00"]  # fmt: skip
NO_DANGER = "--no-immediate-danger"
ALL_FLAGS = [*FLAGS, NO_DANGER]


def flags(**changes: str | None) -> list[str]:
    """ALL_FLAGS with some valued flags replaced or (None) removed; see conftest.with_flags."""
    return [*with_flags(FLAGS, **changes), NO_DANGER]


def interview(lado, args: list[str], steps: list[tuple[str, str]], timeout: float = 10):
    """`lado refer ARGS` at a terminal (see tests/terminal.py); returns (result, screen)."""
    session = run_interview(lado, ["refer", *args], steps, timeout)
    return session.result, session.screen


@pytest.fixture
def at_terminal(monkeypatch):
    """A person at a terminal: `lado refer` runs its wizard (refer.py imports can_prompt by name)."""
    monkeypatch.setattr("lado_cli.cli.refer.can_prompt", lambda no_input: True)


def show(lado, ref: str) -> dict:
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def all_cases(lado) -> list[dict]:
    r = lado("list", "--all", "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def saved_ref(result) -> str:
    assert result.exit_code == 0, result.stderr
    ref = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"LADO-2026-\d{4}", ref), result.stdout
    return ref


# -- (a) a whole interview --------------------------------------------------------------


def test_full_interview_typed_from_nothing_is_saved_with_its_clocks(lado, at_terminal):
    result, screen = interview(lado, [], [
        (DANGER, "n"),
        (WORKS_IN, ENTER),                              # default: the profile's authority
        (EMPLOYMENT, ENTER),                            # default: Paid employee
        (NAME, "John Smith" + ENTER),
        (KNOWN_AS, ENTER),                              # none
        (DOB, CLEAR + "01/02/1980" + ENTER),            # clear the prefilled 'unknown'
        (ROLE, "PE teacher" + ENTER),
        (STATUS, "susp" + ENTER),                       # typing filters the list: Suspended
        (EMPLOYER, "Oak Primary School" + ENTER),
        (SECTOR, DOWN + ENTER),                         # from Education down to Early years
        (AROSE, "22/12/2026 16:30" + ENTER),
        (RECEIVED, ENTER),                              # default: now
        (HAPPENED, ENTER),                              # not known
        (FIRST_RAISED, ENTER),                          # it was first raised with the referrer (R42)
        (CHILD, "Amy Jones" + ENTER),
        ("Amy Jones's date of birth", CLEAR + "03/04/2016" + ENTER),
        (CHILD, ENTER),                                 # no more children
        (SOURCE, DOWN + ENTER),                         # The child -> Parent or carer
        (CATEGORY, ENTER),                              # Physical
        (SUMMARY, "Grabbed a pupil by the arm." + ENTER),
        (CRITERIA, " " + DOWN + DOWN + " " + ENTER),    # harm and risk
        (EARLIER, ENTER),                               # nothing known (R11a)
        (REF_NAME, "Ann Head" + ENTER),
        (REF_ROLE, "Head teacher" + ENTER),
        (REF_ORG, "Oak Primary School" + ENTER),
        (REF_CONTACT, "01632 960001" + ENTER),
        (MORE, ENTER),                                  # no more details (the default)
        (SAVE, "y"),
    ])  # fmt: skip
    ref = saved_ref(result)
    assert ref == "LADO-2026-0001"
    assert f"Saved referral {ref}: John Smith, Oak Primary School." in result.stdout
    # The answers as the person saw them, and the summary before saving.
    assert "Are they working now? Suspended" in screen
    assert "Sector: Early years" in screen
    assert "Save this referral? Yes" in screen
    assert "Referral summary" in result.stderr
    assert "No earlier records about this adult or child (R11a)." in result.stderr
    for notice in ("Out of hours (R9)", "Cross-border (R7)", "Immediate danger (R8)"):
        assert notice not in result.stderr  # Wednesday 10:00, own authority, no danger

    case = show(lado, ref)
    assert case["status"] == "open"
    assert case["subject"] == {"name": "John Smith", "dob": "1980-02-01", "role": "PE teacher", "employment": "paid",
                               "status": "suspended", "address": None, "regulator": None}  # fmt: skip
    assert case["employer"] == {"name": "Oak Primary School", "sector": "early-years"}
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
    assert case["referrer"] == {"name": "Ann Head", "role": "Head teacher", "organisation": "Oak Primary School", "contact": "01632 960001"}
    assert case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert case["received"] == "2026-12-23T10:00:00+00:00"  # the default: LADO_NOW
    assert case["happened"] is None
    assert (case["source"], case["category"], case["criteria"]) == ("parent-carer", "physical", ["harm", "risk"])
    assert case["summary"] == "Grabbed a pupil by the arm."
    assert (case["immediate_danger"], case["cross_border"], case["works_in"]) == (False, False, "Staffordshire County Council")

    clocks = {d["kind"]: d for d in case["deadlines"]}
    assert set(clocks) == {"notify-lado", "initial-discussion"}
    # R12: one working day after the day the concern arose (Tue 22nd) = end of Wed 23rd; met on receipt.
    assert (clocks["notify-lado"]["rule"], clocks["notify-lado"]["due"]) == ("R12", "2026-12-23T23:59:59+00:00")
    assert (clocks["notify-lado"]["status"], clocks["notify-lado"]["met_at"]) == ("met", "2026-12-23T10:00:00+00:00")
    # R13: 24 hours from the concern arising; still open at 10:00.
    assert (clocks["initial-discussion"]["rule"], clocks["initial-discussion"]["due"]) == ("R13", "2026-12-23T16:30:00+00:00")
    assert (clocks["initial-discussion"]["status"], clocks["initial-discussion"]["met_at"]) == ("open", None)
    assert [(e["kind"], e["actor"]) for e in case["timeline"]] == [("referral", "tester")]


# -- (b) flags skip their questions -----------------------------------------------------


def test_flags_skip_their_questions_and_are_what_is_saved(lado, at_terminal):
    result, screen = interview(lado, ALL_FLAGS, [(SAVE, "y")])
    ref = saved_ref(result)
    for question in (DANGER, WORKS_IN, EMPLOYMENT, NAME, DOB, STATUS, SECTOR, AROSE, RECEIVED, CHILD, CRITERIA, REF_NAME):
        assert question not in screen
    case = show(lado, ref)
    assert case["subject"]["name"] == "John Smith"
    assert case["subject"]["dob"] == "1980-02-01"
    assert case["subject"]["status"] == "working"
    assert case["employer"] == {"name": "Oak Primary School", "sector": "education"}
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
    assert case["received"] == "2026-12-23T09:15:00+00:00"  # the flag, not the default (now)
    assert case["happened"] == "2026-12-22T14:00:00+00:00"
    assert case["criteria"] == ["harm", "risk"]
    assert case["referrer"]["contact"] == "01632 960001"


def test_some_flags_missing_asks_only_for_those(lado, at_terminal):
    args = flags(category=None, summary=None, referrer_contact=None)
    result, screen = interview(lado, args, [
        (CATEGORY, "sex" + ENTER),
        (SUMMARY, "Sent messages to a pupil." + ENTER),
        (REF_CONTACT, "ann@oak.example" + ENTER),
        (MORE, ENTER),  # asked with the summary; no
        (SAVE, ENTER),  # the default is yes
    ])  # fmt: skip
    case = show(lado, saved_ref(result))
    assert (case["category"], case["summary"]) == ("sexual", "Sent messages to a pupil.")
    assert case["referrer"]["contact"] == "ann@oak.example"
    assert case["subject"]["role"] == "PE teacher"  # from its flag
    assert NAME not in screen and SOURCE not in screen


def test_yes_with_every_flag_asks_nothing(lado, at_terminal):
    result, screen = interview(lado, [*ALL_FLAGS, "--yes"], [])
    saved_ref(result)
    assert "?" not in screen
    assert "Referral summary" in result.stderr


# -- (c) immediate danger (R8) ----------------------------------------------------------


def test_immediate_danger_shows_police_and_mash_contacts_first(lado, at_terminal):
    result, _ = interview(lado, FLAGS, [(DANGER, "y"), (SAVE, "y")])
    case = show(lado, saved_ref(result))
    err = after_first_run_notice(result.stderr)
    assert err.lstrip().startswith("╭") and "Immediate danger (R8)" in err.splitlines()[0]
    assert "Police, if a child is in immediate danger: 999" in err
    assert "Multi-agency safeguarding hub (MASH)" in err and "0300 111 8007" in err
    assert err.index("Immediate danger (R8)") < err.index("Referral summary")
    assert case["immediate_danger"] is True
    assert "Immediate danger reported (R8)" in case["timeline"][0]["text"]


def test_immediate_danger_contacts_come_before_the_next_question(lado, at_terminal):
    # Stop at the very next question: the contacts have already been shown.
    result, _ = interview(lado, [], [(DANGER, "y"), (WORKS_IN, CTRL_C)])
    assert result.exit_code == 130
    assert "999" in result.stderr and "MASH" in result.stderr
    assert all_cases(lado) == []


# -- (d) out of hours (R9) --------------------------------------------------------------


@pytest.mark.parametrize("now", ["2026-12-26 11:00", "2026-12-22 20:00"], ids=["saturday", "evening"])
def test_out_of_hours_shows_the_emergency_duty_service(lado, at_terminal, monkeypatch, now):
    monkeypatch.setenv("LADO_NOW", now)
    args = flags(concern_arose="22/12/2026 16:30", received=None)
    result, _ = interview(lado, args, [(RECEIVED, ENTER), (SAVE, "y")])
    saved_ref(result)
    assert "Out of hours (R9)" in result.stderr
    assert "Emergency Duty Service (evenings, weekends, bank holidays): 0345 6042 886" in result.stderr


# -- (e) cross-border (R7) --------------------------------------------------------------


def test_works_in_another_authority_is_cross_border(lado, at_terminal):
    args = flags(works_in=None)
    result, _ = interview(lado, args, [(WORKS_IN, CLEAR + "Northshire Council" + ENTER), (SAVE, "y")])
    case = show(lado, saved_ref(result))
    assert "Cross-border (R7):" in result.stderr and "works in Northshire Council" in result.stderr
    assert (case["works_in"], case["cross_border"]) == ("Northshire Council", True)
    assert "Cross-border (R7)" in case["timeline"][0]["text"]


# -- (f) out of scope (R1-R3) -----------------------------------------------------------


def test_not_working_with_children_saves_nothing(lado, at_terminal):
    result, screen = interview(lado, [], [
        (DANGER, "n"),
        (WORKS_IN, ENTER),
        (EMPLOYMENT, "do not" + ENTER),  # filters to "They do not work or volunteer with children"
    ])  # fmt: skip
    assert result.exit_code == 0
    assert "Outside the LADO procedure (R1-R3)" in result.stderr
    assert "Duty LADO and children's advice service: 0300 111 8007" in result.stderr
    assert "Nothing was saved." in result.stderr
    assert result.stdout == ""
    assert NAME not in screen
    assert all_cases(lado) == []


# -- (g) advice only (R4, R37c) ---------------------------------------------------------


def test_no_criteria_recorded_as_advice_only_without_clocks(lado, at_terminal):
    args = flags(criteria=None)
    assert "--criteria" not in args
    result, screen = interview(lado, args, [
        (CRITERIA, ENTER),            # nothing ticked
        (ADVICE_ONLY, "n"),           # not yet: asked again
        (CRITERIA, ENTER),
        (ADVICE_ONLY, "y"),
        (SAVE, "y"),
    ])  # fmt: skip
    ref = saved_ref(result)
    assert f"Saved advice-only consultation (no time limits, R37c) {ref}" in result.stdout
    assert "none: advice-only consultation (R37c)" in result.stderr  # the summary
    case = show(lado, ref)
    assert (case["status"], case["criteria"], case["deadlines"]) == ("advice-only", [], [])
    assert case["timeline"][0]["text"].startswith("Advice-only consultation")


# -- (h) earlier records (R11a) ---------------------------------------------------------


def test_second_referral_about_the_same_adult_shows_the_earlier_case(lado, monkeypatch):
    first = lado("refer", "--no-input", *REFERRAL)  # not at a terminal
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "LADO-2026-0001"
    monkeypatch.setattr("lado_cli.cli.refer.can_prompt", lambda no_input: True)

    # Another child, so only the adult can match; the name typed in another case and spacing.
    args = flags(subject_name=None, child_name="Ben Brown", child_dob="05/06/2015")
    steps = [(NAME, "JOHN   smith " + ENTER), (KNOWN_AS, ENTER), (EARLIER, ENTER), (SAVE, "n"), (CHANGE, "None of them" + ENTER)]
    declined, _ = interview(lado, args, steps)
    assert declined.exit_code == 0
    assert "Earlier records about the same adult or child (R11a)" in declined.stderr
    assert "LADO-2026-0001" in declined.stderr and "the adult" in declined.stderr
    assert declined.stderr.index("LADO-2026-0001") < declined.stderr.index("Nothing was saved.")
    assert [c["ref"] for c in all_cases(lado)] == ["LADO-2026-0001"]

    result, _ = interview(lado, args, [(NAME, "JOHN   smith " + ENTER), (KNOWN_AS, ENTER), (EARLIER, ENTER), (SAVE, "y")])
    ref = saved_ref(result)
    assert ref == "LADO-2026-0002"
    assert "LADO-2026-0001" in result.stderr
    case = show(lado, ref)
    assert case["subject"]["name"].split() == ["JOHN", "smith"]  # as typed (spacing may be tidied)
    checks = [e for e in case["timeline"] if e["kind"] == "history-check"]
    assert len(checks) == 1 and "LADO-2026-0001" in checks[0]["text"] and "R11a" in checks[0]["text"]
    assert checks[0]["actor"] == "tester"
    assert not any(e["kind"] == "history-check" for e in show(lado, "LADO-2026-0001")["timeline"])


# -- (i), (j) nothing saved -------------------------------------------------------------


def test_declining_to_save_saves_nothing(lado, at_terminal):
    result, _ = interview(lado, ALL_FLAGS, [(SAVE, "n"), (CHANGE, "None of them" + ENTER)])
    assert result.exit_code == 0
    assert "Referral summary" in result.stderr
    assert "Nothing was saved." in result.stderr
    assert result.stdout == ""
    assert lado("list", "--all", "--format", "json").stdout.strip() == "[]"


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_cancelling_mid_interview_exits_130_and_saves_nothing(lado, at_terminal, key):
    result, _ = interview(lado, [], [
        (DANGER, "n"),
        (WORKS_IN, ENTER),
        (EMPLOYMENT, ENTER),
        (NAME, "John Smith" + ENTER),
        (KNOWN_AS, ENTER),
        (DOB, ENTER),
        (ROLE, key),  # an empty line, where Ctrl-D means end of input
    ])  # fmt: skip
    assert result.exit_code == 130
    assert "Cancelled; nothing was saved." in result.stderr
    assert "unexpected" not in result.stderr
    assert result.stdout == ""
    assert all_cases(lado) == []


# -- (k) invalid answers are refused in place ------------------------------------------


def test_invalid_dates_are_refused_in_place_and_the_valid_answer_kept(lado, at_terminal):
    args = flags(concern_arose=None, child_name=None, child_dob=None, happened=None)
    result, screen = interview(lado, args, [
        (AROSE, "31/02/2026 10:00" + ENTER),
        ("'31/02/2026 10:00' is not a real date", CLEAR + "24/12/2026 09:00" + ENTER),
        ("'24/12/2026 09:00' is later than", CLEAR + "22/12/2026 16:30" + ENTER),
        (HAPPENED, "22/12/2026 16:31" + ENTER),  # a minute after the concern arose: refused (instants, not dates)
        ("'22/12/2026 16:31' is later than the concern arose", CLEAR + "22/12/2026 14:00" + ENTER),
        (FIRST_RAISED, ENTER),
        (CHILD, "Amy Jones" + ENTER),
        ("Amy Jones's date of birth", CLEAR + "03/04/2000" + ENTER),   # 26 at the time: not a child (R1)
        ("makes the person 18 or over on 22/12/2026 (R1)", CLEAR + "03/04/2016" + ENTER),
        (CHILD, ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    # Refused in place: each question stays on one line, showing the answer that was kept, and
    # no refused answer or its error is left on the screen.
    lines = [line.strip() for line in screen.splitlines()]
    for question, kept in ((AROSE, "22/12/2026 16:30"), (HAPPENED, "22/12/2026 14:00"), ("Amy Jones's date of birth", "03/04/2016")):
        shown = [line for line in lines if question in line]
        assert len(shown) == 1 and shown[0].startswith("? ") and shown[0].endswith(" " + kept), shown
    for refused in ("31/02/2026", "24/12/2026 09:00", "16:31", "03/04/2000", "is not a real date", "is later than", "18 or over"):
        assert refused not in screen, refused
    case = show(lado, saved_ref(result))
    assert case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert case["happened"] == "2026-12-22T14:00:00+00:00"
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
    assert {d["kind"]: d["due"] for d in case["deadlines"]}["initial-discussion"] == "2026-12-23T16:30:00+00:00"
