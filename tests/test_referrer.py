"""The referrer's side (issue #11): `lado init --role referrer --org NAME`, the referrer's
intake (notify-lado, R12, open until the LADO is told), `lado told-lado`, "What to do now",
the LADO's own commands refused, `lado discuss` as the LADO's advice, and the referrer's
duties in `lado due`. Through the CLI, on both backends.

Expected times are worked out by hand from the rules (PROCEDURE §3, R12, R13, R16, R17):

* The concern arose on Friday 28/08/2026 at 15:00 (BST). Monday 31/08/2026 is the summer bank
  holiday (England and Wales), so "the end of the next working day" is the end of Tuesday
  01/09/2026: 23:59:59 BST = 2026-09-01T23:59:59+01:00. The 24-hour aim is Saturday
  29/08/2026 15:00; the initial discussion (R13, 24 hours) is due then too.
* R17, 15 working days from Monday 07/09/2026: 08-11/09 (4), 14-18/09 (9), 21-25/09 (14),
  28/09 (15): the end of Monday 28/09/2026.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import with_flags

ORG = "St Mary's School"
FRIDAY = "2026-08-28 16:00"  # the Friday before the summer bank holiday, an hour after the concern arose
DUE = "2026-09-01T23:59:59+01:00"  # by hand: see the module's docstring
AIM = "2026-08-29T15:00:00+01:00"

CONCERN = [
    "--subject-name", "John Smith", "--subject-dob", "01/02/1980", "--subject-role", "PE teacher",
    "--employment", "paid", "--employer", ORG, "--sector", "education",
    "--concern-arose", "28/08/2026 15:00", "--source", "child", "--category", "physical", "--criteria", "harm",
    "--summary", "Grabbed a pupil by the arm in a PE lesson.",
    "--referrer-name", "Ann Head", "--referrer-role", "Head teacher", "--referrer-contact", "01632 960001",
]  # fmt: skip


@pytest.fixture
def referrer(lado, monkeypatch):
    """A referrer's database, on the Friday before the summer bank holiday."""
    monkeypatch.setenv("LADO_NOW", FRIDAY)
    r = lado("init", "--role", "referrer", "--org", ORG)
    assert r.exit_code == 0, r.output
    return lado


def refer(lado, *extra: str, **changes: str | None) -> str:
    r = lado("refer", "--no-input", *with_flags(CONCERN, **changes), *extra)
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def due_json(lado, *args: str) -> list[dict]:
    r = lado("due", "--format", "json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def one_line_error(r, *words: str, quiet: bool = True) -> None:
    """Exit 1 and one line on stderr naming `words`; `quiet`: nothing on stdout."""
    assert r.exit_code == 1, r.output
    assert r.stdout == "" or not quiet, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for word in words:
        assert word in lines[0], lines[0]


# -- who this installation serves ---------------------------------------------------------------


def test_init_role_referrer_is_saved_and_shown(lado):
    r = lado("init", "--role", "referrer", "--org", f"  {ORG} ", "--authority", "Northshire Council")
    assert r.exit_code == 0, r.output
    assert f"Role: referrer, {ORG} (refers to the LADO of Northshire Council)" in r.stdout
    path = lado("db", "path")
    assert path.exit_code == 0
    assert len(path.stdout.strip().splitlines()) == 1  # stdout keeps the bare path for scripts
    assert f"Role: referrer, {ORG}" in path.stderr
    shown = lado("profile", "show")
    assert f"Role: referrer, {ORG} (refers to the LADO of Northshire Council)" in shown.stdout
    audit = lado("audit", "--format", "json")
    actions = [e["kind"] for e in json.loads(audit.stdout)]
    assert "set-role" in actions and "set-org" in actions and "set-authority" in actions


def test_default_role_is_lado(lado):
    r = lado("init")
    assert r.exit_code == 0
    assert "Role: LADO service (Staffordshire County Council)" in lado("profile", "show").stdout


def test_referrer_needs_an_organisation_and_a_known_role(lado, backend, tmp_path, monkeypatch):
    if backend == "sqlite":
        db = tmp_path / "new.db"
        monkeypatch.setenv("LADO_DB", str(db))
        one_line_error(lado("init", "--role", "referrer"), "--org", "is missing")
        assert not db.exists()  # refused before the database was created
        one_line_error(lado("init", "--role", "school"), "--role", "'school'", "lado", "referrer")
        assert not db.exists()
    else:
        lado("init")
        one_line_error(lado("init", "--role", "referrer"), "--org", "is missing", quiet=False)
    one_line_error(lado("init", "--role", "referrer", "--org", "  "), "--org", "blank")


def test_role_change_is_refused_once_a_case_is_recorded(lado, referrer):
    assert lado("init", "--role", "lado").exit_code == 0  # no case yet: may change
    assert lado("init", "--role", "referrer").exit_code == 0  # the organisation saved before is kept
    refer(lado)
    one_line_error(lado("init", "--role", "lado"), "--role", "1 case", "cannot change", quiet=False)  # stdout: which database
    assert lado("init", "--role", "referrer").exit_code == 0  # the same role again: nothing changes
    r = lado("init", "--org", "St Mary's Church of England School")  # the name may change, audit-logged
    assert r.exit_code == 0 and "St Mary's Church of England School" in r.stdout


# -- the referrer's intake (R12) ----------------------------------------------------------------


def test_notify_lado_stays_open_and_due_lists_it_first(lado, referrer):
    ref = refer(lado)
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    assert case["received"] == case["concern_arose"] == "2026-08-28T15:00:00+01:00"  # when the concern reached me
    assert case["told_lado"] is None
    limits = {d["kind"]: d for d in case["deadlines"]}
    assert limits["notify-lado"]["status"] == "open" and limits["notify-lado"]["met_at"] is None
    assert limits["notify-lado"]["due"] == DUE and limits["notify-lado"]["target"] == AIM
    assert limits["notify-lado"]["owner"] == ORG

    rows = due_json(lado)
    # initial-discussion falls due earlier (Sat 15:00), yet telling the LADO comes first
    assert [r["kind"] for r in rows] == ["notify-lado", "initial-discussion"]
    assert rows[0]["due"] == DUE and rows[0]["target"] == AIM and rows[0]["status"] == "upcoming"
    assert rows[1]["due"] == AIM
    table = lado("due").stdout
    assert table.index("Tell the LADO first (R12)") < table.index("initial-discussion")
    assert "end of Tue 01/09/2026" in table and "aim: Sat 29/08/2026 15:00" in table


def test_notify_lado_is_overdue_one_second_after_its_due_instant(lado, referrer):
    ref = refer(lado)
    at_due = due_json(lado, "--as-of", DUE, "--kind", "notify-lado")
    assert [(r["ref"], r["status"], r["working_days_overdue"]) for r in at_due] == [(ref, "due-today", None)]
    after = due_json(lado, "--as-of", "2026-09-02T00:00:00+01:00", "--kind", "notify-lado")
    assert [(r["status"], r["working_days_overdue"]) for r in after] == [("overdue", 1)]


@pytest.mark.parametrize(("at", "late"), [(DUE, "on time"), ("2026-09-02T00:00:00+01:00", "1 working day late")])
def test_told_lado_meets_notify_lado_on_time_up_to_the_due_instant(lado, referrer, monkeypatch, at, late):
    ref = refer(lado)
    monkeypatch.setenv("LADO_NOW", "2026-09-02 09:00")
    r = lado("told-lado", ref, "--at", at, "--via", "phone to the duty LADO")
    assert r.exit_code == 0, r.stderr
    assert f"notify-lado (R12) met, {late}." in r.stdout
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    notify = next(d for d in case["deadlines"] if d["kind"] == "notify-lado")
    assert notify["status"] == "met" and notify["met_at"] == at
    assert case["told_lado"] == at and case["told_lado_via"] == "phone to the duty LADO"
    assert [r["kind"] for r in due_json(lado)] == ["initial-discussion"]  # R13 (the LADO's call) still open
    assert any(e["kind"] == "told-lado" for e in case["timeline"])
    one_line_error(lado("told-lado", ref, "--at", at), "already recorded", "recorded once")


def test_told_lado_at_intake(lado, referrer):
    ref = refer(lado, "--told-lado", "28/08/2026 15:40")
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    notify = next(d for d in case["deadlines"] if d["kind"] == "notify-lado")
    assert notify["met_at"] == "2026-08-28T15:40:00+01:00" and notify["late"] is None
    assert case["told_lado"] == "2026-08-28T15:40:00+01:00"
    assert [r["kind"] for r in due_json(lado)] == ["initial-discussion"]
    one_line_error(lado("told-lado", ref, "--at", "28/08/2026 15:50"), "already recorded")


@pytest.mark.parametrize(("value", "words"), [
    ("28/08/2026 16:01", ("--told-lado", "in the future")),  # now is 16:00
    ("28/08/2026 14:59", ("--told-lado", "before the concern arose")),  # it arose at 15:00
    ("28/08/2026", ("--told-lado",)),  # a clock-stopping time needs its time of day
    ("soon", ("--told-lado", "'soon'")),
])  # fmt: skip
def test_bad_told_lado_is_one_line_and_saves_nothing(lado, referrer, value, words):
    one_line_error(lado("refer", "--no-input", *CONCERN, "--told-lado", value), *words)
    assert json.loads(lado("list", "--all", "--format", "json").stdout) == []


def test_told_lado_at_the_edges(lado, referrer):
    ref = refer(lado)
    one_line_error(lado("told-lado", ref, "--at", "28/08/2026 16:01"), "--at", "in the future")
    one_line_error(lado("told-lado", ref, "--at", "28/08/2026 14:59"), "--at", "before the concern arose")
    one_line_error(lado("told-lado", ref, "--at", "yesterday"), "--at")
    assert lado("told-lado", ref, "--at", "28/08/2026 15:00").exit_code == 0  # the moment it arose: accepted


def test_received_is_not_for_a_referrer_and_told_lado_not_for_a_lado(lado, referrer):
    one_line_error(lado("refer", "--no-input", *CONCERN, "--received", "28/08/2026 15:30"), "--received", "--told-lado")
    lado("init", "--role", "lado")  # no case yet, so the role may change
    one_line_error(lado("refer", "--no-input", *CONCERN, "--referrer-org", ORG, "--told-lado", "28/08/2026 15:30"),
                   "--told-lado", "referrer's database")  # fmt: skip
    ref = refer(lado, "--referrer-org", ORG)
    one_line_error(lado("told-lado", ref, "--at", "28/08/2026 15:30"), "referrer's database")


def test_what_to_do_now_is_printed_and_wrapped(lado, referrer, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    r = lado("refer", "--no-input", *CONCERN)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    ref = out.strip().splitlines()[-1]
    assert ref.startswith("LADO-2026-")  # the last line is still the bare reference
    assert "What to do now:" in out
    text = " ".join(out.split())
    assert "999" in text and "0300 111 8007" in text  # R8: police and the MASH (profile contacts)
    assert "0345 6042 886" in text  # R9: the Emergency Duty Service
    assert "Tell the LADO by the end of Tue 01/09/2026 (23:59), the end of the next working day (R12)" in text
    assert "aim for within 24 hours, by Sat 29/08/2026 15:00" in text
    assert f"lado told-lado {ref} --at DATETIME" in text
    assert "P§34" in text and "written record" in text and "Preserve evidence" in text
    what = out[out.index("What to do now:"):]
    assert all(len(line) <= 60 for line in what.splitlines()), what
    assert "\x1b[" not in out  # plain when not on a terminal


def test_what_to_do_now_when_told_at_intake(lado, referrer):
    r = lado("refer", "--no-input", *CONCERN, "--told-lado", "28/08/2026 15:40")
    text = " ".join(r.stdout.split())
    assert "You told the LADO at 28/08/2026 15:40 (R12)" in text and "Tell the LADO by" not in text


def test_a_lado_database_prints_no_referrer_list(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", FRIDAY)
    r = lado("refer", "--no-input", *CONCERN, "--referrer-org", ORG)
    assert r.exit_code == 0 and "What to do now" not in r.stdout


# -- the LADO's own commands ----------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("meeting", "{ref}", "--type", "review", "--held", "28/08/2026 15:30"),
    ("police", "{ref}", "--date", "28/08/2026 15:30", "--text", "x"),
    ("stats", "--from", "01/04/2026", "--to", "31/03/2027"),  # a good period: a bad one is refused first, opening nothing
    ("match", "{ref}", "--decide", "{ref}", "--same", "--why", "x"),
    ("retention", "--delete", "{ref}", "--reason", "x", "--yes"),
    ("escalate", "{ref}", "--ladder", "lado-to-agency", "--reason", "timescales", "--to", "x", "--date", "28/08/2026 15:30"),
    ("index", "export", "--key-file", "k", "--output", "out.json"),
    ("import", "{csv}"),
])  # fmt: skip
def test_lado_only_commands_are_refused(lado, referrer, args):
    ref = refer(lado)
    name = " ".join(a for a in args[:1])
    csv = Path(__file__).resolve().parent.parent / "examples" / "referrals.csv"
    one_line_error(lado(*[a.format(ref=ref, csv=csv) for a in args]), f"lado {name}", "referrer", ORG)
    assert len(json.loads(lado("list", "--all", "--format", "json").stdout)) == 1
    assert not Path("out.json").exists()


def test_a_referrer_may_escalate_to_the_lado_service(lado, referrer):
    ref = refer(lado)
    r = lado("escalate", ref, "--ladder", "agency-to-lado", "--reason", "timescales", "--to", "Duty LADO", "--date", "28/08/2026 15:30", "--no-input")
    assert r.exit_code == 0, r.stderr


# -- afterwards: the LADO's advice and the referrer's duties (R16, R17, R20, R24, R30-R32) -------------


def test_discuss_records_the_lados_advice_and_due_lists_the_actions(lado, referrer, monkeypatch):
    ref = refer(lado)
    one_line_error(lado("discuss", ref, "--held", "28/08/2026 15:30", "--by", "Jo Bloggs", "--advice", "x"),
                   "told-lado", "R12")  # fmt: skip
    assert lado("told-lado", ref, "--at", "28/08/2026 15:20").exit_code == 0
    monkeypatch.setenv("LADO_NOW", "2026-09-07 11:00")
    one_line_error(lado("discuss", ref, "--held", "07/09/2026 10:00", "--by", "Jo", "--advice", "x", "--criteria", "harm"),
                   "--criteria", "LADO's own decision")  # fmt: skip
    one_line_error(lado("discuss", ref, "--held", "28/08/2026 15:10", "--by", "Jo", "--advice", "x"), "--held", "before you told the LADO")
    r = lado("discuss", ref, "--held", "07/09/2026 10:00", "--by", "Jo Bloggs, duty LADO",
             "--advice", "Hold a disciplinary hearing; alternative duties meanwhile",
             "--employer-action", "hearing", "--suspension", "suspended", "--named-contact", "Deputy head",
             "--suspension-review", "21/09/2026",
             "--action", "Send the written account to the LADO; Ann Head; 08/09/2026")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "Advice from the LADO (Jo Bloggs, duty LADO), 07/09/2026 10:00" in r.stdout
    assert "Initial discussion (R13) met, 5 working days late" in " ".join(r.stdout.split())  # due Sat 29/08; Tue 01/09 ... Mon 07/09
    rows = {r["kind"]: r for r in due_json(lado, "--within", "30")}
    assert rows["action"]["owner"] == "Ann Head" and rows["action"]["due"] == "2026-09-08T23:59:59+01:00"
    assert rows["action"]["title"] == "Send the written account to the LADO"
    assert rows["disciplinary-hearing"]["owner"] == ORG and rows["disciplinary-hearing"]["due"] == "2026-09-28T23:59:59+01:00"  # R17, by hand
    assert rows["suspension-review"]["owner"] == ORG and rows["suspension-review"]["rule"] == "R24"
    assert rows["suspension-review"]["due"] == "2026-09-21T23:59:59+01:00"
    assert "initial-discussion" not in rows
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    assert any(e["kind"] == "lado-advice" for e in case["timeline"])


def test_discuss_management_action_starts_r16_for_my_organisation(lado, referrer, monkeypatch):
    ref = refer(lado, "--told-lado", "28/08/2026 15:20")
    monkeypatch.setenv("LADO_NOW", "2026-09-07 11:00")
    r = lado("discuss", ref, "--held", "07/09/2026 10:00", "--by", "Jo", "--advice", "Expectations meeting", "--employer-action", "management")
    assert r.exit_code == 0, r.stderr
    rows = {r["kind"]: r for r in due_json(lado)}
    assert rows["employer-action"]["due"] == "2026-09-10T23:59:59+01:00" and rows["employer-action"]["owner"] == ORG  # R16: Tue, Wed, Thu


def test_outcome_from_the_lado_raises_my_organisations_duties(lado, referrer, monkeypatch):
    ref = refer(lado, "--told-lado", "28/08/2026 15:20")
    monkeypatch.setenv("LADO_NOW", "2026-10-05 11:00")
    r = lado("outcome", ref, "--outcome", "substantiated", "--employment", "dismissed", "--date", "05/10/2026", "--no-input")
    assert r.exit_code == 0, r.stderr
    duties = [r for r in due_json(lado) if r["status"] == "duty"]
    assert [(d["kind"], d["rule"], d["owner"], d["due"]) for d in duties] == [
        ("dbs-referral", "R30", ORG, None), ("feedback", "R32", ORG, None), ("lessons-learned", "R32", ORG, None)]
    assert "Your organisation's duties" in lado("due").stdout
    assert lado("done", ref, "dbs-referral", "--at", "05/10/2026 10:00").exit_code == 0
    assert [d["kind"] for d in due_json(lado) if d["status"] == "duty"] == ["feedback", "lessons-learned"]
    assert [d["kind"] for d in due_json(lado, "--kind", "feedback")] == ["feedback"]


# -- the edges of the referrer's checks ---------------------------------------------------------------


def test_told_lado_may_be_now_or_the_moment_the_concern_arose(lado, referrer):
    assert refer(lado, "--told-lado", "28/08/2026 16:00")  # now (16:00): not in the future
    ref = refer(lado, "--told-lado", "28/08/2026 15:00")  # the moment it arose
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    assert case["told_lado"] == "2026-08-28T15:00:00+01:00"
    other = refer(lado)
    assert lado("told-lado", other, "--at", "28/08/2026 16:00").exit_code == 0  # now, exactly


def test_advice_at_the_moment_the_lado_was_told_and_a_review_on_the_day(lado, referrer):
    ref = refer(lado, "--told-lado", "28/08/2026 15:20")
    one_line_error(lado("discuss", ref, "--held", "28/08/2026 16:01", "--by", "Jo", "--advice", "x"), "--held", "in the future")
    one_line_error(lado("discuss", ref, "--held", "28/08/2026 15:30", "--by", "Jo", "--advice", "x", "--suspension", "suspended",
                        "--named-contact", "Deputy", "--suspension-review", "27/08/2026"), "--suspension-review", "before the advice")  # fmt: skip
    one_line_error(lado("discuss", ref, "--held", "28/08/2026 15:30", "--by", "Jo", "--advice", "x", "--suspension-review", "28/08/2026"),
                   "--suspension-review", "--suspension suspended")  # fmt: skip
    r = lado("discuss", ref, "--held", "28/08/2026 15:20", "--by", "Jo", "--advice", "Suspend", "--suspension", "suspended",
             "--named-contact", "Deputy head", "--suspension-review", "28/08/2026")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "Initial discussion (R13) met, on time" in " ".join(r.stdout.split())
    rows = {r["kind"]: r for r in due_json(lado)}
    assert rows["suspension-review"]["due"] == "2026-08-28T23:59:59+01:00"


def test_referrer_flags_of_discuss_are_refused_on_a_lado_database(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", FRIDAY)
    ref = refer(lado, "--referrer-org", ORG)
    r = lado("discuss", ref, "--held", "28/08/2026 15:30", "--advice", "x")
    assert r.exit_code == 2 and "--advice" in r.stderr and "referrer's database" in r.stderr


def test_intake_facts_that_decide_r12_are_not_amended_on_a_referrers_database(lado, referrer):
    ref = refer(lado)
    one_line_error(lado("amend", ref, "--concern-arose", "28/08/2026 14:00", "--why", "x", "--no-input"), "--concern-arose", "R12", "lado note")
    one_line_error(lado("amend", ref, "--received", "28/08/2026 15:10", "--why", "x", "--no-input"), "--received")
    r = lado("amend", ref, "--subject-role", "Teacher of PE", "--why", "Job title on the staff list", "--no-input")
    assert r.exit_code == 0, r.stderr


def test_told_lado_at_intake_says_how_late_in_the_chronology(lado, referrer, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-09-02 09:00")
    ref = refer(lado, "--told-lado", "02/09/2026 08:30")  # the day after the due day: Wed is 1 working day after Tue
    case = json.loads(lado("show", ref, "--format", "json").stdout)
    told = next(e for e in case["timeline"] if e["kind"] == "told-lado")
    assert "notify-lado (R12) met, 1 working day late." in told["text"]
    notify = next(d for d in case["deadlines"] if d["kind"] == "notify-lado")
    assert notify["late"] == "1 working day late"
