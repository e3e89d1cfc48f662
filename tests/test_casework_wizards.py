"""The case-work wizards on a terminal (R45-R50), driven through the CLI with prompt_toolkit
pipe input, each answer typed once its question is on the screen (tests/terminal.py).

The case: received Wed 23/12/2026 09:15, initial discussion 09:30 with the adult suspended;
now is Wed 23/12/2026 10:00 (GMT).
"""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL
from terminal import interview

ENTER, DOWN, CLEAR = "\r", "\x1b[B", "\x15"
REF = "LADO-2026-0001"

DECISION = "Suspension decision now (R45):"
DECIDED = "When was it decided?"
TOLD = "When was the LADO told"
NAMED_CONTACT = "Named contact supporting the adult while suspended:"
SUPPORT = "Support offered to the adult:"
UPDATES = "How will the adult be kept updated on progress?"
UNION = "Advised to contact their union or professional association?"
WHY = "Why, and the alternatives considered:"
SAVE = "Save this suspension decision?"


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.casework.can_prompt", lambda no_input: not no_input)


@pytest.fixture
def case(lado) -> str:
    for args in (("refer", "--no-input", *REFERRAL),
                 ("discuss", REF, "--no-input", "--held", "23/12/2026 09:30", "--criteria", "harm", "--rationale", "Seen", "--route", "police",
                  "--suspension", "suspended", "--named-contact", "Ms Patel")):  # fmt: skip
        r = lado(*args)
        assert r.exit_code == 0, r.stderr
    return REF


def show(lado) -> dict:
    r = lado("show", REF, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_alternative_duties_typed_asks_the_support_questions_and_saves(lado, case, at_terminal):
    # Options in the profile's order: suspended, alternative-duties, not-suspended, not-applicable, lifted.
    s = interview(lado, ["suspension", case], [
        (DECISION, DOWN + ENTER),                          # Alternative duties
        (DECIDED, CLEAR + "23/12/2026 09:40" + ENTER),
        (TOLD, "23/12/2026 09:45" + ENTER),
        (SUPPORT, "Occupational health" + ENTER),
        (UPDATES, "Weekly call" + ENTER),
        (UNION, "y"),
        (WHY, "Office work away from pupils" + ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert NAMED_CONTACT not in s.screen  # asked only with suspended
    [row] = show(lado)["casework"]["suspensions"]
    assert (row["decision"], row["at"], row["told_lado"]) == ("alternative-duties", "2026-12-23T09:40:00+00:00", "2026-12-23T09:45:00+00:00")
    assert (row["support"], row["updates"], row["union_advised"], row["why"]) == ("Occupational health", "Weekly call", True, "Office work away from pupils")


def test_lifted_with_flags_asks_only_the_rest_and_no_support_questions(lado, case, at_terminal):
    s = interview(lado, ["suspension", case, "--decision", "lifted", "--at", "23/12/2026 09:50"], [
        (TOLD, ENTER),                                     # not told yet: blank
        (WHY, ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert DECISION not in s.screen and SUPPORT not in s.screen and UNION not in s.screen
    data = show(lado)
    assert [(r["decision"], r["told_lado"]) for r in data["casework"]["suspensions"]] == [("lifted", None)]
    assert {u["kind"]: u["status"] for u in data["duties"]} == {"return-to-work": "outstanding"}  # R48


def test_a_told_lado_time_in_the_future_is_refused_in_place(lado, case, at_terminal):
    s = interview(lado, ["suspension", case, "--decision", "lifted", "--at", "23/12/2026 09:50"], [
        (TOLD, "23/12/2026 10:30" + ENTER),                # after now: refused where it is typed
        ("is in the future", CLEAR + "23/12/2026 09:55" + ENTER),
        (WHY, ENTER),
        (SAVE, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert show(lado)["casework"]["suspensions"][0]["told_lado"] == "2026-12-23T09:55:00+00:00"


def test_declining_to_save_saves_nothing(lado, case, at_terminal):
    s = interview(lado, ["suspension", case, "--decision", "lifted", "--at", "23/12/2026 09:50"], [
        (TOLD, ENTER),
        (WHY, ENTER),
        (SAVE, "n"),
        ("Which answer do you want to change?", "None of them" + ENTER),  # discard, rather than change an answer
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert "Nothing was saved." in s.result.stderr and s.result.stdout == ""
    assert show(lado)["casework"]["suspensions"] == []


# lado minutes (R49): a new request, then the decision on it
RECEIVED = "When was the request for minutes received?"
ASKED_BY = "Who asked?"
CHAIR = "Chair it was referred to (R49):"
REDACTION = "Redaction needed (blank if none):"
IG = "Information Governance advice (blank if none):"
DECIDED_YET = "Has the chair decided?"
CHAIR_DECISION = "The chair's decision:"
DECISION_DATE = "Date of the decision:"
SAVE_MINUTES = "Save this minutes request?"


def test_minutes_request_typed_then_its_decision_on_the_pending_request(lado, case, at_terminal):
    s = interview(lado, ["minutes", case], [
        (RECEIVED, CLEAR + "23/12/2026 09:40" + ENTER),
        (ASKED_BY, "Robin Vale" + ENTER),
        (CHAIR, "Cath Chair" + ENTER),
        (REDACTION, ENTER),
        (IG, "Redact the pupils" + ENTER),
        (DECIDED_YET, "n"),
        (SAVE_MINUTES, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert CHAIR_DECISION not in s.screen
    [m] = show(lado)["casework"]["minutes_requests"]
    assert (m["at"], m["requested_by"], m["chair"], m["ig_advice"], m["decision"]) == ("2026-12-23T09:40:00+00:00", "Robin Vale", "Cath Chair", "Redact the pupils", None)
    # Options in the profile's order: granted, partly, refused. The date defaults to today.
    s = interview(lado, ["minutes", case], [
        (f"Record the decision on request {m['id']}?", "y"),
        (REDACTION, "Pupils' names" + ENTER),
        (IG, ENTER),
        (CHAIR_DECISION, DOWN * 2 + ENTER),                # Refused
        (DECISION_DATE, ENTER),
        (SAVE_MINUTES, "y"),
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert RECEIVED not in s.screen and DECIDED_YET not in s.screen
    [m] = show(lado)["casework"]["minutes_requests"]
    assert (m["decision"], m["decided_on"], m["redaction"], m["ig_advice"]) == ("refused", "2026-12-23", "Pupils' names", "Redact the pupils")
