"""`lado refer` in a real pseudo-terminal, typed the way a person types it: the real
`lado` program, a real terminal (raw mode, key codes, the screen it draws), Enter as "\\r"."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

_SCRIPT = Path(sys.executable).parent / "lado"
LADO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lado_cli"]
ENTER, DOWN, CLEAR, CTRL_C = "\r", "\x1b[B", "\x15", "\x03"
CPR = "\x1b[6n"  # "where is the cursor?": a terminal answers at once (prompt_toolkit waits for it)
REF = re.compile(r"LADO-\d{4}-\d{4}")

# The flags that keep it short; the rest is typed.
FLAGS = [
    "--works-in", "Staffordshire County Council", "--employment", "paid",
    "--subject-name", "John Smith", "--subject-dob", "01/02/1980", "--subject-role", "PE teacher",
    "--subject-status", "working", "--employer", "Oak Primary School",
    "--source", "parent-carer", "--category", "physical", "--criteria", "harm",
    "--summary", "Grabbed a pupil by the arm in a PE lesson.",
    "--referrer-name", "Ann Head", "--referrer-role", "Head teacher",
    "--referrer-org", "Oak Primary School", "--referrer-contact", "01632 960001",
]  # fmt: skip


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("LADO_")}
    e.update(LADO_DB=str(tmp_path / "lado.db"), LADO_NOW="2026-12-23 10:00", LADO_USER="tester", TERM="xterm", COLUMNS="120", LINES="40")
    return e


def spawn(env, *args: str):
    return pexpect.spawn(LADO[0], [*LADO[1:], "refer", *args], env=env, dimensions=(40, 120), encoding="utf-8", timeout=20)


def wait_for(child, what) -> None:
    """Read the screen up to `what` (text or pexpect.EOF), answering cursor-position requests."""
    while child.expect_exact([what, CPR]) == 1:
        child.send("\x1b[1;1R")


def answer(child, question: str, keys: str) -> None:
    wait_for(child, question)
    child.send(keys)


def lado(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LADO, *args], env=env, capture_output=True, text=True, timeout=60)


def test_typed_at_a_terminal_is_saved(env):
    child = spawn(env, *FLAGS)
    try:
        answer(child, "Is a child in immediate danger", "n")
        answer(child, "Sector:", DOWN + ENTER)  # Education -> Early years
        answer(child, "When did the concern arise", "22/12/2026 16:30" + ENTER)
        answer(child, "When was it received by the LADO?", CLEAR + "23/12/2026 09:15" + ENTER)
        answer(child, "When did the behaviour happen?", "22/12/2026 14:00" + ENTER)
        answer(child, "Was it first raised with someone else", "22/12/2026 11:00" + ENTER)  # R42: the clocks run from it
        answer(child, "A child's name", "Amy Jones" + ENTER)
        answer(child, "Amy Jones's date of birth", CLEAR + "03/04/2016" + ENTER)
        answer(child, "A child's name", ENTER)  # no more children
        wait_for(child, "Referral summary")
        answer(child, "Save this referral?", "y")
        wait_for(child, pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    refs = REF.findall(child.before)
    assert refs and refs[-1] == "LADO-2026-0001"

    shown = lado(env, "show", refs[-1], "--format", "json")
    assert shown.returncode == 0, shown.stderr
    case = json.loads(shown.stdout)
    assert case["status"] == "open"
    assert case["employer"] == {"name": "Oak Primary School", "sector": "early-years"}
    assert case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert case["received"] == "2026-12-23T09:15:00+00:00"
    assert case["happened"] == "2026-12-22T14:00:00+00:00"
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
    assert {d["kind"] for d in case["deadlines"]} == {"notify-lado", "initial-discussion"}
    assert case["first_raised"] == "2026-12-22T11:00:00+00:00"
    # R13: 24 hours from 22/12 11:00 when first raised (R42), not from 16:30 when it reached the referrer.
    assert {d["kind"]: d["due"] for d in case["deadlines"]}["initial-discussion"] == "2026-12-23T11:00:00+00:00"


def test_ctrl_c_at_a_terminal_exits_130_and_saves_nothing(env):
    child = spawn(env, *FLAGS)
    try:
        answer(child, "Is a child in immediate danger", "n")
        answer(child, "Sector:", ENTER)
        answer(child, "When did the concern arise", "22/12/2026 16:30" + ENTER)
        answer(child, "When was it received by the LADO?", CTRL_C)
        wait_for(child, "Cancelled; nothing was saved.")
        wait_for(child, pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    listed = lado(env, "list", "--all", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []


def test_friendly_times_at_a_terminal_and_no_database_file_before_saving(env, tmp_path):
    """A date without a time is refused on the real terminal, friendly words are read (day
    first, UK time), and the database file appears only when the referral is saved."""
    db = tmp_path / "lado.db"
    child = spawn(env, *FLAGS)
    try:
        answer(child, "Is a child in immediate danger", "n")
        answer(child, "Sector:", ENTER)
        answer(child, "When did the concern arise", "22/12/2026" + ENTER)
        answer(child, "has no time", CLEAR + "yesterday 16:30" + ENTER)
        answer(child, "When was it received by the LADO?", CLEAR + "today 09:15" + ENTER)
        answer(child, "When did the behaviour happen?", "22 Dec 2026 2.00pm" + ENTER)
        answer(child, "Was it first raised with someone else", ENTER)  # no: one time serves (R42)
        answer(child, "A child's name", "Amy Jones" + ENTER)
        answer(child, "Amy Jones's date of birth", "3 April 2016" + ENTER)
        answer(child, "A child's name", ENTER)
        wait_for(child, "Referral summary")
        wait_for(child, "Save this referral?")
        assert not db.exists()  # nothing saved yet: no file
        child.send("y")
        wait_for(child, pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    case = json.loads(lado(env, "show", "LADO-2026-0001", "--format", "json").stdout)
    assert (case["concern_arose"], case["received"], case["happened"]) == (
        "2026-12-22T16:30:00+00:00", "2026-12-23T09:15:00+00:00", "2026-12-22T14:00:00+00:00")
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]
