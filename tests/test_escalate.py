"""`lado escalate REF`: the escalation ladders of PROCEDURE §8 (R38-R41), by flags and by the
wizard, and every refusal (one line, nothing changed).

"Now" is Wed 23/12/2026 10:00 (conftest); the REFERRAL's concern arose Tue 22/12/2026 16:30.
Fri 25/12/2026, Mon 28/12/2026 and Fri 1/1/2027 are bank holidays, so a reply due "within 3
working days" of Wed 23/12 is due by the end of Wed 30/12 (Thu 24, Tue 29, Wed 30), and one
"within 5 working days" by the end of Mon 4/1/2027 (... Thu 31/12, Mon 4/1).
"""

from __future__ import annotations

import json

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input.defaults import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import REFERRAL, db_rows, with_flags

OPEN_R39 = ["--ladder", "lado-to-agency", "--reason", "timescales"]
ENTER, DOWN = "\r", "\x1b[B"


def refer(lado, *args: str) -> str:
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def esc(lado, ref: str, *args: str):
    return lado("escalate", ref, "--no-input", *args)


def ok(lado, ref: str, *args: str) -> str:
    r = esc(lado, ref, *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def query(sql: str, *params) -> list[tuple]:
    """The rows as stored (on PostgreSQL, in SQLite's storage form: see conftest.db_rows)."""
    return db_rows(sql, *params)


def snapshot() -> dict[str, list[tuple]]:
    """Everything an escalation may write."""
    return {t: query(f"SELECT * FROM {t} ORDER BY id") for t in ("escalations", "escalation_steps", "deadlines", "events", "cases")}


def responses() -> list[tuple]:
    """(kind, rule, due, met_at, owner, escalation_id) of every escalation-response limit."""
    return query("SELECT kind, rule, due, met_at, owner, escalation_id FROM deadlines WHERE kind = 'escalation-response' ORDER BY id")


def chronology() -> list[str]:
    return [t for (t,) in query("SELECT text FROM events WHERE kind = 'escalation' ORDER BY id")]


@pytest.fixture
def case(lado) -> str:
    return refer(lado, *REFERRAL)


# -- both ladders, end to end by flags ---------------------------------------------------------


def test_lado_to_agency_ladder_end_to_end(lado, case):
    # Step 1 (R39): a reply within 3 working days, across the Christmas bank holidays.
    out = ok(lado, case, *OPEN_R39, "--to", "Jo Bloggs, line manager", "--date", "23/12/2026 09:30")
    assert "step 1 of 4 (R39)" in out and "Reply expected by end of Wed 30/12/2026" in out
    [esc_row] = query("SELECT ladder, reason, step, opened_at, resolved_at, actor FROM escalations")
    assert esc_row == ("lado-to-agency", "timescales", 1, "2026-12-23 09:30:00.000000", None, "tester")
    assert responses() == [("escalation-response", "R39", "2026-12-30 23:59:59.000000", None, "Jo Bloggs, line manager", 1)]

    # Step 2: a meeting, no reply time; the reply to step 1 is recorded on step 1 and meets its limit.
    out = ok(lado, case, "--to", "County LADO Manager; line manager", "--date", "23/12/2026 09:40", "--response", "No change offered")
    assert "step 2 of 4" in out and "Reply expected" not in out
    assert responses()[0][3] == "2026-12-23 09:40:00.000000"  # met when step 2 was taken
    assert len(responses()) == 1

    # Step 3: the practice-review question (R41) must be answered; then 5 working days to reply.
    r = esc(lado, case, "--to", "Service Manager", "--date", "23/12/2026 09:50")
    assert r.exit_code == 2 and "--practice-review" in r.stderr and "R41" in r.stderr
    out = ok(lado, case, "--to", "Service Manager", "--date", "23/12/2026 09:50", "--response", "Meeting held", "--practice-review", "no",
             "--branch", "wider-workforce")
    assert "Practice review (R41): no." in out
    assert responses()[1][:3] == ("escalation-response", "R39", "2027-01-04 23:59:59.000000")

    # Step 4, the last: practice review asked again; step 3's reply never came; then nothing higher.
    ok(lado, case, "--to", "Assistant Director", "--date", "23/12/2026 09:55", "--practice-review", "yes: referral to the partnership",
       "--no-reply", "--branch", "wider-workforce")
    r = esc(lado, case, "--to", "Someone higher", "--date", "23/12/2026 09:58")
    assert r.exit_code == 1 and "last of the ladder lado-to-agency" in r.stderr

    out = ok(lado, case, "--resolve", "--date", "23/12/2026 10:00", "--note", "Agency agreed to act", "--response", "Will act today")
    assert "Resolved the escalation" in out
    assert query("SELECT step, practice_review, resolved_at, resolution FROM escalations") == [
        (4, "yes: referral to the partnership", "2026-12-23 10:00:00.000000", "Agency agreed to act")
    ]
    assert query("SELECT step, contacted, at, response FROM escalation_steps ORDER BY step") == [
        (1, "Jo Bloggs, line manager", "2026-12-23 09:30:00.000000", "No change offered"),
        (2, "County LADO Manager; line manager", "2026-12-23 09:40:00.000000", "Meeting held"),
        (3, "Service Manager", "2026-12-23 09:50:00.000000", None),
        (4, "Assistant Director", "2026-12-23 09:55:00.000000", "Will act today"),
    ]
    assert [met for *_, met, _owner, _id in responses()] == ["2026-12-23 09:40:00.000000", None]  # step 3's reply never came
    texts = chronology()
    assert len(texts) == 5
    assert texts[0].startswith("Escalation opened on the ladder") and "(R38)" in texts[0]
    assert "Reply to step 1: No change offered." in texts[1]
    assert "No reply came to step 3: its time limit (due by the end of Mon 04/01/2027) stays unmet (R41)." in texts[3]
    assert "(R41): yes: referral to the partnership" in texts[3]
    assert texts[4].endswith("Outcome: Agency agreed to act.")
    # The new time limits are in the case's `show` (the chronology and deadlines it reads).
    data = json.loads(lado("show", case, "--format", "json").stdout)
    assert sum(d["kind"] == "escalation-response" for d in data["deadlines"]) == 2
    assert sum(e["kind"] == "escalation" for e in data["timeline"]) == 5


def test_agency_to_lado_ladder_end_to_end(lado, case):
    ok(lado, case, "--ladder", "agency-to-lado", "--reason", "advice-not-followed", "--to", "Duty LADO", "--date", "23/12/2026 09:30")
    assert [r[:3] for r in responses()] == [("escalation-response", "R40", "2026-12-30 23:59:59.000000")]
    # Step 2 (R40): the County LADO Manager; no reply limit there: the limit binds the referrer,
    # within 5 working days of the LADO's reply (New Year's Day skipped), met by this step.
    ok(lado, case, "--to", "County LADO Manager", "--date", "23/12/2026 09:45", "--response", "Decision stands")
    assert [r[2:4] for r in responses()] == [("2026-12-30 23:59:59.000000", "2026-12-23 09:45:00.000000")]
    assert query("SELECT kind, due, met_at, owner FROM deadlines WHERE kind = 'escalation-step'") == [
        ("escalation-step", "2027-01-04 23:59:59.000000", "2026-12-23 09:45:00.000000", "Ann Head (Head teacher, Oak Primary School)")
    ]
    # Step 3 is the last of this ladder and the first with the R41 question.
    ok(lado, case, "--to", "Service Manager", "--date", "23/12/2026 09:50", "--practice-review", "no")
    r = esc(lado, case, "--to", "Nobody", "--date", "23/12/2026 09:55")
    assert r.exit_code == 1 and "agency-to-lado (R40)" in r.stderr
    ok(lado, case, "--resolve", "--date", "23/12/2026 09:58", "--note", "Decision explained; referrer content")
    assert query("SELECT ladder, reason, step, practice_review, resolution FROM escalations") == [
        ("agency-to-lado", "advice-not-followed", 3, "no", "Decision explained; referrer content")
    ]
    # Once resolved, a new escalation may be opened.
    ok(lado, case, "--ladder", "agency-to-lado", "--reason", "timescales", "--to", "Duty LADO", "--date", "23/12/2026 10:00")
    assert query("SELECT count(*) FROM escalations WHERE resolved_at IS NULL") == [(1,)]


def test_response_limits_in_the_easter_week(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-02 16:00")
    ref = refer(lado, *with_flags(REFERRAL, concern_arose="01/04/2026 10:00", received="01/04/2026 11:00"))
    ok(lado, ref, *OPEN_R39, "--to", "Line manager", "--date", "01/04/2026 12:00")
    ok(lado, ref, "--to", "Meeting", "--date", "02/04/2026 09:00", "--no-reply")
    ok(lado, ref, "--to", "Service Manager", "--date", "02/04/2026 15:00", "--practice-review", "no", "--branch", "childrens-services")
    # 3 working days from Wed 1/4: Thu 2/4, (Good Friday, weekend, Easter Monday), Tue 7/4, Wed 8/4.
    # 5 working days from Thu 2/4: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13/4.
    # Stored in UTC: the end of a British Summer Time day is 22:59:59 UTC.
    assert [r[2] for r in responses()] == ["2026-04-08 22:59:59.000000", "2026-04-13 22:59:59.000000"]
    due = json.loads(lado("due", "--format", "json", "--kind", "escalation-response", "--within", "14").stdout)
    # Step 1's reply never came: its limit is still due (not met by going up), beside step 3's.
    assert [(d["due"], d["status"]) for d in due] == [("2026-04-08T23:59:59+01:00", "upcoming"), ("2026-04-13T23:59:59+01:00", "upcoming")]


def test_a_case_reference_in_any_letter_case(lado, case):
    ok(lado, case.lower(), *OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30")
    assert query("SELECT count(*) FROM escalations") == [(1,)]


# -- refusals: one line, exit status, nothing changed ---------------------------------------


def refused(lado, ref: str, args: list[str], code: int, *words: str) -> None:
    before = snapshot()
    r = esc(lado, ref, *args)
    assert r.exit_code == code, r.stderr
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, r.stderr
    for w in words:
        assert w in r.stderr
    assert r.stdout == ""
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--ladder", "sideways", "--reason", "timescales", "--to", "Jo", "--date", "23/12/2026 09:30"], 1, ["--ladder: 'sideways'", "lado-to-agency, agency-to-lado"]),
        (["--ladder", "lado-to-agency", "--reason", "rudeness", "--to", "Jo", "--date", "23/12/2026 09:30"], 1, ["--reason: 'rudeness'", "advice-not-followed"]),
        ([*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 10:01"], 1, ["--date", "in the future"]),
        ([*OPEN_R39, "--to", "Jo", "--date", "22/12/2026 16:00"], 1, ["--date", "before the concern arose"]),
        ([*OPEN_R39, "--to", "Jo", "--date", "yesterday"], 1, ["--date: 'yesterday' is not a date"]),
        ([*OPEN_R39, "--to", "  ", "--date", "23/12/2026 09:30"], 1, ["--to", "empty"]),
        ([*OPEN_R39, "--to", "Jo"], 2, ["missing required flags: --date"]),
        (["--ladder", "lado-to-agency"], 2, ["--reason --to --date"]),
        (["--to", "Jo", "--date", "23/12/2026 09:30"], 2, ["--ladder --reason"]),
        (["--resolve", "--date", "23/12/2026 09:30", "--note", "done"], 1, ["no open escalation to resolve"]),
        (["--note", "done"], 2, ["--note", "--resolve"]),
        ([*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30", "--response", "fine"], 2, ["--response"]),
        ([*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30", "--practice-review", "no"], 2, ["--practice-review", "from step 3"]),
    ],
)
def test_refused_with_no_escalation_open(lado, case, args, code, words):
    refused(lado, case, args, code, *words)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ([*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:40"], 1, ["already has an open escalation on that ladder", "one on each ladder"]),
        (["--ladder", "agency-to-lado", "--to", "Jo", "--date", "23/12/2026 09:40"], 2, ["missing required flags: --reason"]),
        (["--to", "Jo", "--date", "23/12/2026 09:20", "--no-reply"], 1, ["before step 1 was taken"]),
        (["--to", "Jo", "--date", "24/12/2026 09:00", "--no-reply"], 1, ["in the future"]),
        (["--to", "Jo"], 2, ["--date"]),
        (["--resolve", "--date", "23/12/2026 09:20", "--note", "done", "--no-reply"], 1, ["before step 1 was taken"]),
        (["--resolve", "--date", "23/12/2026 09:40"], 2, ["--note"]),
        (["--resolve", "--date", "23/12/2026 09:40", "--note", "done", "--to", "Jo"], 2, ["--resolve", "--to"]),
        (["--to", "Jo", "--date", "23/12/2026 09:40", "--practice-review", "no", "--no-reply"], 2, ["from step 3"]),
    ],
)
def test_refused_with_an_escalation_open(lado, case, args, code, words):
    ok(lado, case, *OPEN_R39, "--to", "Line manager", "--date", "23/12/2026 09:30")
    refused(lado, case, args, code, *words)


def test_refused_on_an_unknown_case_or_a_case_that_is_not_open(lado):
    advice = refer(lado, *with_flags(REFERRAL, criteria="none"))
    refused(lado, "LADO-2026-0042", [*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30"], 1, "no case with reference")
    refused(lado, advice, [*OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30"], 1, "is an advice-only consultation (R37c)", "needs an open case")


# -- the wizard -----------------------------------------------------------------------------


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.escalate.can_prompt", lambda no_input: True)


def typed(lado, args: list[str], keys: str):
    """Run `lado escalate ARGS` at a (dummy) terminal with `keys` typed ahead. The input is
    closed after them, so a question nobody answers ends in EOF (exit 130), never a hang."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return lado("escalate", *args)


def test_wizard_opens_advances_and_asks_the_r41_question(lado, case, at_terminal):
    # Open: ladder (2nd: agency-to-lado), reason (1st), who, when (clear the suggested now).
    # The referrer's ladder asks who escalates, offering the referrer on record (accepted).
    r = typed(lado, [case], DOWN + ENTER + ENTER + ENTER + "Duty LADO" + ENTER + "\x15" + "23/12/2026 09:30" + ENTER)
    assert r.exit_code == 0, r.stderr
    assert query("SELECT ladder, reason, raised_by FROM escalations") == [("agency-to-lado", "timescales", "Ann Head (Head teacher, Oak Primary School)")]
    # Advance: which escalation (the open one), "what now?" (go up), the reply step 1 got, who, when (the suggested now).
    r = typed(lado, [case], ENTER + ENTER + "Not persuaded" + ENTER + "County LADO Manager" + ENTER + ENTER)
    assert r.exit_code == 0, r.stderr
    assert query("SELECT step, contacted, at FROM escalation_steps WHERE step = 2") == [(2, "County LADO Manager", "2026-12-23 10:00:00.000000")]
    assert query("SELECT response FROM escalation_steps WHERE step = 1") == [("Not persuaded",)]
    # Step 3: the R41 question, answered yes with the decision.
    r = typed(lado, [case], ENTER + ENTER + ENTER + "Service Manager" + ENTER + ENTER + "y" + "Referral being drafted" + ENTER)
    assert r.exit_code == 0, r.stderr
    assert query("SELECT step, practice_review FROM escalations") == [(3, "yes: Referral being drafted")]
    # At the last step only the outcome is left to ask: reply (blank), when, how it ended.
    r = typed(lado, [case], ENTER + ENTER + ENTER + "Settled at the meeting" + ENTER)
    assert r.exit_code == 0, r.stderr
    assert query("SELECT resolution FROM escalations") == [("Settled at the meeting",)]


def test_wizard_date_must_be_valid_before_it_goes_on(lado, case, at_terminal):
    keys = ENTER + ENTER + "Jo" + ENTER + "\x15" + "24/12/2026 09:00" + ENTER + "\x15" + "23/12/2026 09:00" + ENTER
    r = typed(lado, [case], keys)
    assert r.exit_code == 0, r.stderr
    assert query("SELECT ladder, at FROM escalations JOIN escalation_steps ON escalation_id = escalations.id") == [
        ("lado-to-agency", "2026-12-23 09:00:00.000000")
    ]


def test_wizard_takes_flags_it_is_given_and_ctrl_c_saves_nothing(lado, case, at_terminal):
    r = typed(lado, [case, *OPEN_R39, "--to", "Jo", "--date", "23/12/2026 09:30"], "")
    assert r.exit_code == 0, r.stderr  # nothing left to ask
    before = snapshot()
    r = typed(lado, [case], ENTER + "\x03")
    assert r.exit_code == 130
    assert snapshot() == before
