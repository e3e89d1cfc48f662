"""The referrer's "Have you told the LADO yet?" (issue #11, R12) in a real pseudo-terminal: no
"received by the LADO" question, no time pre-filled, and the answer decides notify-lado."""

from __future__ import annotations

import io
import json

import pytest

from test_refer_pty import DOWN, ENTER, FLAGS, REF, answer, env, lado, spawn, wait_for  # noqa: F401 - env is a fixture

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
