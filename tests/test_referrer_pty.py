"""The referrer's "Have you told the LADO yet?" (issue #11, R12) in a real pseudo-terminal: no
"received by the LADO" question, no time pre-filled, and the answer decides notify-lado."""

from __future__ import annotations

import io
import json

import pytest

from test_refer_pty import DOWN, ENTER, FLAGS, LADO, REF, answer, env, lado, spawn, wait_for  # noqa: F401 - env is a fixture

pexpect = pytest.importorskip("pexpect")


def referrer_db(env) -> None:
    r = lado(env, "init", "--role", "referrer", "--org", "Oak Primary School")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("told", [True, False])
def test_have_you_told_the_lado_yet(env, told):
    referrer_db(env)
    child = spawn(env, *FLAGS)
    screen = io.StringIO()
    child.logfile_read = screen  # everything the terminal showed
    try:
        answer(child, "Is a child in immediate danger", "n")
        answer(child, "Sector:", ENTER)
        answer(child, "When did the concern arise", "22/12/2026 16:30" + ENTER)
        if told:
            answer(child, "Have you told the LADO yet?", "y")
            wait_for(child, "When did you tell the LADO?")
            child.send("23/12/2026 09:15" + ENTER)  # nothing pre-filled: no "now" to accept by accident
        else:
            answer(child, "Have you told the LADO yet?", "n")
        answer(child, "When did the behaviour happen?", ENTER)
        answer(child, "first raised with someone else in the organisation", ENTER)  # R42: not before it reached me
        answer(child, "A child's name", ENTER)
        wait_for(child, "Told the LADO (R12)")
        answer(child, "Save this referral?", "y")
        wait_for(child, "What to do now:")
        wait_for(child, pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert "received by the LADO" not in screen.getvalue() and "Have you told the LADO yet?" in screen.getvalue()
    ref = REF.findall(child.before)[-1]
    case = json.loads(lado(env, "show", ref, "--format", "json").stdout)
    notify = next(d for d in case["deadlines"] if d["kind"] == "notify-lado")
    assert case["received"] == case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    if told:
        assert notify["met_at"] == case["told_lado"] == "2026-12-23T09:15:00+00:00"
    else:
        assert notify["status"] == "open" and case["told_lado"] is None
        due = json.loads(lado(env, "due", "--format", "json").stdout)
        assert due[0]["kind"] == "notify-lado"


def test_the_lados_advice_asked_at_a_terminal(env):
    referrer_db(env)
    made = lado(env, "refer", "--no-input", *FLAGS, "--sector", "education", "--concern-arose", "22/12/2026 16:30",
                "--told-lado", "23/12/2026 09:00")  # fmt: skip
    assert made.returncode == 0, made.stderr
    ref = made.stdout.strip().splitlines()[-1]
    child = pexpect.spawn(LADO[0], [*LADO[1:], "discuss", ref], env=env, dimensions=(40, 120), encoding="utf-8", timeout=20)
    try:
        answer(child, "When did the LADO advise you?", "23/12/2026 09:30" + ENTER)
        answer(child, "Who advised you", "Jo Bloggs, duty LADO" + ENTER)
        answer(child, "What did the LADO advise?", "Expectations meeting" + ENTER)
        answer(child, "Action agreed", "Send the account; Ann Head; 24/12/2026" + ENTER)
        answer(child, "Action agreed", ENTER)
        answer(child, "What will your organisation do", ENTER)  # the first: management action (R16)
        answer(child, "Suspension (R24):", DOWN + DOWN + ENTER)  # not suspended
        answer(child, "Save this advice?", "y")
        wait_for(child, pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    due = {d["kind"]: d for d in json.loads(lado(env, "due", "--format", "json", "--within", "14").stdout)}
    assert due["action"]["owner"] == "Ann Head" and due["employer-action"]["owner"] == "Oak Primary School"
    # R16: 3 working days from Wed 23/12/2026: Thu 24 (1), [25, 28 bank holidays; 26, 27 weekend], Tue 29 (2), Wed 30 (3)
    assert due["employer-action"]["due"] == "2026-12-30T23:59:59+00:00"
