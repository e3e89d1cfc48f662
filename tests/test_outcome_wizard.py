"""Outcome classification walked through (R28, P§55; issue #10 item 4): the evidence questions
in order, the outcome their answers imply, an outcome chosen against them only with a reason;
by flags and on a terminal. The expected outcomes below are read from the definitions of R28
(PROCEDURE.md), by hand, not from the code."""

from __future__ import annotations

import itertools
import json

import pytest
from conftest import REFERRAL, fails, ok, with_flags

from lado_cli.domain import classify as c
from lado_cli.errors import FieldError

ALL = ("substantiated", "unsubstantiated", "false", "malicious", "unfounded")
Y, N = True, False
CONTRADICTION = "refused"

# Every combination of the four answers given as yes or no (P proves, D disproves, C deliberate
# deceit, B no basis at all), by hand from R28:
#   substantiated: sufficient evidence to prove; false: sufficient evidence to disprove;
#   malicious: disproved and a deliberate act to deceive; unfounded: no evidence or proper basis;
#   unsubstantiated: neither proved nor disproved.
FULL = {
    (Y, Y, Y, Y): CONTRADICTION, (Y, Y, Y, N): CONTRADICTION, (Y, Y, N, Y): CONTRADICTION, (Y, Y, N, N): CONTRADICTION,  # proved and disproved
    (Y, N, Y, Y): CONTRADICTION, (Y, N, Y, N): CONTRADICTION,  # deceit without disproof
    (Y, N, N, Y): CONTRADICTION,  # proved, yet no basis
    (Y, N, N, N): "substantiated",
    (N, Y, Y, Y): "malicious", (N, Y, Y, N): "malicious",  # the disproof decides; "no basis" agrees with it
    (N, Y, N, Y): "false", (N, Y, N, N): "false",
    (N, N, Y, Y): CONTRADICTION, (N, N, Y, N): CONTRADICTION,  # deceit without disproof
    (N, N, N, Y): "unfounded",
    (N, N, N, N): "unsubstantiated",
}  # fmt: skip


def test_the_table_covers_every_full_combination():
    assert set(FULL) == set(itertools.product((Y, N), repeat=4))


@pytest.mark.parametrize("answers,expected", FULL.items())
def test_every_full_combination(answers, expected):
    a = c.Answers(*answers)
    if expected == CONTRADICTION:
        with pytest.raises(FieldError):
            c.check(a)
        return
    c.check(a)
    assert c.next_question(a, ALL) is None
    assert c.implied(a, ALL) == expected


# Answers as the questions are reached (None: not asked), and what is asked next, or implied.
PARTIAL = [
    ((None, None, None, None), "ask", c.PROVES),
    ((Y, None, None, None), "implies", "substantiated"),  # proved: nothing more is asked
    ((N, None, None, None), "ask", c.DISPROVES),
    ((N, Y, None, None), "ask", c.DECEIT),
    ((N, Y, Y, None), "implies", "malicious"),
    ((N, Y, N, None), "implies", "false"),  # disproved: "no basis" is not asked
    ((N, N, None, None), "ask", c.NO_BASIS),  # deceit is not asked when not disproved
    ((N, N, None, Y), "implies", "unfounded"),
    ((N, N, None, N), "implies", "unsubstantiated"),
    ((None, Y, None, None), "ask", c.PROVES),  # the first question is always needed
]


@pytest.mark.parametrize("answers,what,expected", PARTIAL)
def test_the_questions_in_order(answers, what, expected):
    a = c.Answers(*answers)
    c.check(a)
    if what == "ask":
        assert c.next_question(a, ALL) == expected
    else:
        assert c.next_question(a, ALL) is None and c.implied(a, ALL) == expected


def test_without_unfounded_in_the_profile_no_basis_is_not_asked():
    offered = ("substantiated", "unsubstantiated", "false", "malicious")
    a = c.Answers(N, N)
    assert c.next_question(a, offered) is None and c.implied(a, offered) == "unsubstantiated"
    assert c.implied(c.Answers(Y), ("proven", "not-proven")) is None  # another nation's set: no proposal


@pytest.mark.parametrize("value,expected", [("yes", True), ("YES", True), (" no ", False), ("n", False), (True, True), (None, None)])
def test_yes_no(value, expected):
    assert c.yes_no(value, "no-basis") is expected


def test_yes_no_refuses_other_words():
    with pytest.raises(FieldError, match="no-basis.*is not yes or no"):
        c.yes_no("maybe", "no-basis")


# -- through the CLI, by flags ------------------------------------------------------------

EASTER = with_flags(REFERRAL, concern_arose="02/04/2026 09:00", received="02/04/2026 09:30", child_dob="03/04/2016")
DISCUSS = ["--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "Bruise seen", "--route", "police"]


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


@pytest.fixture
def case(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ref = ok(lado("refer", "--no-input", *EASTER)).stdout.splitlines()[-1]
    ok(lado("discuss", ref, *DISCUSS))
    return ref


def outcome(lado, ref, *args):
    return lado("outcome", ref, "--no-input", "--date", "17/04/2026", *args)


def test_answers_alone_record_the_outcome_they_imply(lado, case):
    r = ok(outcome(lado, case, "--evidence-proves", "no", "--evidence-disproves", "yes", "--deliberate-deceit", "no",
                   "--rationale", "CCTV shows the adult elsewhere"))  # fmt: skip
    data = show(lado, case)
    assert data["outcome"]["outcome"] == "false"
    assert data["classification"] == {"evidence_proves": False, "evidence_disproves": True, "deliberate_deceit": False, "no_basis": None,
                                      "implies": "false", "why": None}  # fmt: skip
    entry = data["timeline"][-1]
    assert entry["kind"] == "outcome" and entry["rationale"] == "CCTV shows the adult elsewhere"
    assert ("Evidence (R28): Evidence proves it: no; Evidence disproves it: yes; Deliberate act to deceive: no. "
            "The answers imply: False: enough evidence to disprove it.") in entry["text"]  # fmt: skip
    assert "Outcome chosen against" not in entry["text"]
    assert "Evidence disproves it" in r.stdout


def test_an_outcome_that_agrees_with_the_answers_needs_no_reason(lado, case):
    ok(outcome(lado, case, "--outcome", "unsubstantiated", "--evidence-proves", "no", "--evidence-disproves", "no", "--no-basis", "no"))
    assert show(lado, case)["classification"]["implies"] == "unsubstantiated"


def test_an_outcome_against_the_answers_needs_why(lado, case):
    args = ["--outcome", "unfounded", "--evidence-proves", "no", "--evidence-disproves", "no", "--no-basis", "no"]
    fails(outcome(lado, case, *args), 2, "--outcome unfounded", "Unsubstantiated", "--why")
    assert show(lado, case)["outcome"]["outcome"] is None  # nothing saved
    ok(outcome(lado, case, *args, "--why", "The child withdrew the account and nothing else was ever said"))
    data = show(lado, case)
    assert data["outcome"]["outcome"] == "unfounded"
    assert data["classification"]["implies"] == "unsubstantiated"
    assert data["classification"]["why"] == "The child withdrew the account and nothing else was ever said"
    assert "Outcome chosen against them, because: The child withdrew the account" in data["timeline"][-1]["text"]
    table = " ".join(ok(lado("show", case)).stdout.split())
    assert "Outcome classification (R28)" in table and "Chosen against the answers because" in table


def test_why_without_a_contradiction_is_refused(lado, case):
    fails(outcome(lado, case, "--evidence-proves", "yes", "--why", "x"), 2, "--why", "leave --why out")
    fails(outcome(lado, case, "--outcome", "false", "--why", "x"), 2, "--why goes with the evidence answers")


@pytest.mark.parametrize(
    "args,code,words",
    [
        (["--evidence-proves", "perhaps"], 1, ["--evidence-proves", "yes or no"]),
        (["--evidence-proves", "yes", "--evidence-disproves", "yes"], 1, ["--evidence-disproves", "contradicts --evidence-proves yes"]),
        (["--evidence-proves", "no", "--evidence-disproves", "no", "--deliberate-deceit", "yes"], 1, ["--deliberate-deceit", "needs --evidence-disproves yes"]),
        (["--evidence-proves", "yes", "--no-basis", "yes"], 1, ["--no-basis", "contradicts"]),
        (["--evidence-proves", "no"], 2, ["missing required fields: --evidence-disproves"]),
        (["--evidence-proves", "no", "--evidence-disproves", "yes"], 2, ["missing required fields: --deliberate-deceit"]),
        (["--evidence-proves", "no", "--evidence-disproves", "no"], 2, ["missing required fields: --no-basis"]),
        (["--evidence-disproves", "yes", "--deliberate-deceit", "yes"], 2, ["missing required fields: --evidence-proves"]),
        (["--evidence-proves", "yes", "--outcome", "proven", "--why", "x"], 1, ["--outcome", "unfounded"]),
    ],
)  # fmt: skip
def test_bad_answers_save_nothing(lado, case, args, code, words):
    fails(outcome(lado, case, *args), code, *words)
    data = show(lado, case)
    assert data["outcome"]["outcome"] is None and data["classification"] is None


def test_answers_on_a_case_that_has_its_outcome_are_refused(lado, case):
    ok(outcome(lado, case, "--outcome", "false"))
    assert show(lado, case)["classification"] is None  # `--outcome` alone stays as it was
    fails(outcome(lado, case, "--employment", "no-action", "--evidence-proves", "yes"), 1, "already has the outcome 'false'", "lado amend")


def test_the_answers_travel_in_the_full_export(lado, case, tmp_path):
    ok(outcome(lado, case, "--evidence-proves", "yes"))
    out = tmp_path / "all.json"
    ok(lado("export", "--full", "--output", str(out)))
    [exported] = json.loads(out.read_text())["cases"]
    assert {k: exported["case"][k] for k in ("outcome", "outcome_proves", "outcome_disproves", "outcome_deceit", "outcome_no_basis", "outcome_why")} == {
        "outcome": "substantiated", "outcome_proves": True, "outcome_disproves": None, "outcome_deceit": None, "outcome_no_basis": None, "outcome_why": None}  # fmt: skip


def test_profile_show_lists_the_definitions(lado):
    shown = json.loads(ok(lado("profile", "show", "--format", "json")).stdout)
    assert set(shown["outcome_definitions"]) == set(ALL)
    assert "deliberate act to deceive" in shown["outcome_definitions"]["malicious"]


# -- on a terminal (tests/terminal.py: each answer typed once its question is shown) -----------

ENTER, DOWN = "\r", "\x1b[B"
DECIDED = "Is the outcome of the allegation decided (R28)?"
Q = {flag: text for flag, text in c.QUESTIONS.items()}
OUTCOME = "Outcome of the allegation (R28): the answers imply"
WHY = "Why this outcome and not the one the answers imply"
EMPLOYMENT = "Employment outcome (R29):"
DATE = "Date of the outcome:"
RATIONALE = "How the outcome was reached (R35):"
SAVE = "Save this outcome?"
CHANGE = "Which answer do you want to change?"


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.workflow.can_prompt", lambda no_input: not no_input)


def words(text):
    return " ".join(text.split())


def test_the_wizard_asks_in_order_shows_the_definitions_and_proposes(lado, case, at_terminal):
    from terminal import interview

    s = interview(lado, ["outcome", case], [
        (DECIDED, ENTER),
        (Q[c.PROVES], "n"),
        (Q[c.DISPROVES], "n"),                   # not disproved: the deceit question is skipped
        (Q[c.NO_BASIS], "n"),
        (OUTCOME + " Unsubstantiated", ENTER),   # the default is the one implied
        (EMPLOYMENT, ENTER),                     # No action
        (DATE, "\x15" + "17/04/2026" + ENTER),
        (RATIONALE, "Two accounts disagree; no witness." + ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert Q[c.DECEIT] not in s.screen and WHY not in s.screen
    shown = words(s.stderr_at[1])  # on screen before the first evidence question: every definition
    for text in ("Outcomes of an allegation (R28)", "The evidence is not sufficient either to prove or to",  # (wrapped in its cell)
                 "The evidence is sufficient to disprove the allegation.", "it was made as a deliberate act to deceive",
                 "There is no evidence, and no proper basis"):  # fmt: skip
        assert text in shown, shown
    data = show(lado, case)
    assert data["outcome"]["outcome"] == "unsubstantiated"
    assert data["classification"] == {"evidence_proves": False, "evidence_disproves": False, "deliberate_deceit": None, "no_basis": False,
                                      "implies": "unsubstantiated", "why": None}  # fmt: skip


def test_choosing_against_the_answers_in_the_wizard_asks_why(lado, case, at_terminal):
    from terminal import interview

    s = interview(lado, ["outcome", case], [
        (DECIDED, ENTER),
        (Q[c.PROVES], "n"),
        (Q[c.DISPROVES], "y"),
        (Q[c.DECEIT], "y"),                      # malicious implied
        (OUTCOME + " Malicious", "\x1b[A" + ENTER),  # one up from Malicious: False
        (WHY, "The referrer was mistaken, not deceitful; the panel agreed." + ENTER),
        (EMPLOYMENT, ENTER),
        (DATE, "\x15" + "17/04/2026" + ENTER),
        (RATIONALE, ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    data = show(lado, case)
    assert data["outcome"]["outcome"] == "false"
    assert data["classification"]["implies"] == "malicious"
    assert data["classification"]["why"] == "The referrer was mistaken, not deceitful; the panel agreed."
    assert "Outcome chosen against them, because: The referrer was mistaken" in data["timeline"][-1]["text"]


def test_changing_an_answer_at_the_review_asks_what_follows_again(lado, case, at_terminal):
    from terminal import interview

    s = interview(lado, ["outcome", case], [
        (DECIDED, ENTER),
        (Q[c.PROVES], "y"),
        (OUTCOME + " Substantiated", ENTER),
        (EMPLOYMENT, ENTER),
        (DATE, "\x15" + "17/04/2026" + ENTER),
        (RATIONALE, ENTER),
        (SAVE, "n"),
        (CHANGE, DOWN + ENTER),                  # the second answer asked: "Evidence proves it"
        (Q[c.PROVES], "n"),
        (Q[c.DISPROVES], "n"),
        (Q[c.NO_BASIS], "y"),
        (OUTCOME + " Unfounded", ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    data = show(lado, case)
    assert data["outcome"]["outcome"] == "unfounded" and data["classification"]["no_basis"] is True


def test_not_decided_records_only_the_employment_outcome(lado, case, at_terminal):
    from terminal import interview

    s = interview(lado, ["outcome", case], [
        (DECIDED, "n"),
        (EMPLOYMENT, DOWN * 6 + ENTER),          # Resigned
        (DATE, "\x15" + "17/04/2026" + ENTER),
        (RATIONALE, ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert Q[c.PROVES] not in s.screen
    data = show(lado, case)
    assert data["outcome"]["outcome"] is None and data["outcome"]["employment"] == "resigned" and data["classification"] is None
