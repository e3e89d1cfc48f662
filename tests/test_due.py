"""`lado due`: open time limits grouped as overdue / due today / upcoming (PROCEDURE §3,
R12-R20, R39-R40), in every output format, with its filters.

"Now" is Wed 23/12/2026 10:00 (conftest). The REFERRAL's concern arose Tue 22/12/2026 16:30,
so its initial discussion (R13, 24 hours) is due Wed 23/12/2026 16:30; its notify-lado limit
(R12) is met on receipt. Fri 25/12 and Mon 28/12/2026 are bank holidays, and so are Fri 1/1/2027,
Good Friday 3/4/2026 and Easter Monday 6/4/2026.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import REFERRAL, after_first_run_notice, with_flags

AS_OF_FLAGS = ("--format", "json", "--as-of")


def refer(lado, *args: str) -> str:
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def due_json(lado, *args: str) -> list[dict]:
    r = lado("due", "--format", "json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def escalate(lado, ref: str, *args: str) -> None:
    r = lado("escalate", ref, "--no-input", *args)
    assert r.exit_code == 0, r.stderr


def open_escalation(lado, ref: str, to: str = "Jo Bloggs", date: str = "23/12/2026 09:30") -> None:
    """Step 1 of R39: a reply is due within 3 working days, i.e. by the end of Wed 30/12/2026."""
    escalate(lado, ref, "--ladder", "lado-to-agency", "--reason", "timescales", "--to", to, "--date", date)


# -- grouping at the day boundaries ---------------------------------------------------------


def test_nothing_due_is_an_empty_json_array_and_success(lado):
    r = lado("due", "--format", "json")
    assert r.exit_code == 0
    assert r.stdout == "[]\n"
    r = lado("due", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.strip().startswith("ref,kind,rule") and len(r.stdout.strip().splitlines()) == 1
    r = lado("due", "--fail-on-overdue")
    assert r.exit_code == 0 and "0 overdue" in r.stdout


def test_a_limit_is_due_today_up_to_its_due_minute_and_overdue_after(lado):
    ref = refer(lado, *REFERRAL)
    [row] = due_json(lado, "--as-of", "23/12/2026 16:30")
    assert (row["ref"], row["kind"], row["rule"], row["status"]) == (ref, "initial-discussion", "R13", "due-today")
    assert row["due"] == "2026-12-23T16:30:00+00:00"
    assert row["working_days_overdue"] is None
    [row] = due_json(lado, "--as-of", "23/12/2026 16:31")
    assert row["status"] == "overdue"
    assert row["working_days_overdue"] == 0  # late, but not yet by a working day


def test_an_end_of_day_limit_is_due_today_until_midnight(lado):
    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref)  # escalation-response due end of Wed 30/12/2026 (R39)
    rows = due_json(lado, "--kind", "escalation-response", "--as-of", "30/12/2026 23:59")
    assert [(r["status"], r["due"]) for r in rows] == [("due-today", "2026-12-30T23:59:59+00:00")]
    rows = due_json(lado, "--kind", "escalation-response", "--as-of", "31/12/2026 00:00")
    assert [(r["status"], r["working_days_overdue"]) for r in rows] == [("overdue", 1)]


def test_upcoming_runs_to_the_end_of_the_day_within_days_ahead(lado):
    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref)  # due end of Wed 30/12/2026: 7 days after Wed 23/12
    rows = due_json(lado)
    assert [(r["kind"], r["status"]) for r in rows] == [("initial-discussion", "due-today"), ("escalation-response", "upcoming")]
    assert [r["kind"] for r in due_json(lado, "--within", "6")] == ["initial-discussion"]
    assert [r["kind"] for r in due_json(lado, "--within", "0", "--as-of", "24/12/2026 09:00")] == ["initial-discussion"]


def test_working_days_late_skip_the_christmas_bank_holidays(lado):
    refer(lado, *REFERRAL)  # initial discussion due Wed 23/12/2026 16:30
    # Thu 24/12 counts; Fri 25/12 and Mon 28/12 are bank holidays; the weekend does not count.
    assert [r["working_days_overdue"] for r in due_json(lado, "--as-of", "28/12/2026 12:00")] == [1]
    assert [r["working_days_overdue"] for r in due_json(lado, "--as-of", "29/12/2026 09:00")] == [2]
    # ... and Fri 1/1/2027 (New Year's Day) does not count either.
    assert [r["working_days_overdue"] for r in due_json(lado, "--as-of", "04/01/2027 09:00")] == [5]


def test_working_days_late_skip_easter(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-01 12:00")
    refer(lado, *with_flags(REFERRAL, concern_arose="01/04/2026 10:00", received="01/04/2026 11:00"))
    # Due Thu 2/4/2026 10:00; Good Friday 3/4 and Easter Monday 6/4 are bank holidays.
    assert [r["working_days_overdue"] for r in due_json(lado, "--as-of", "06/04/2026 18:00")] == [0]
    assert [r["working_days_overdue"] for r in due_json(lado, "--as-of", "07/04/2026 09:00")] == [1]


def test_sorted_by_due_time_across_cases_and_only_open_limits_of_open_cases(lado):
    first = refer(lado, *REFERRAL)
    second = refer(lado, *with_flags(REFERRAL, subject_name="Mary Major", concern_arose="22/12/2026 08:00"))
    refer(lado, *with_flags(REFERRAL, subject_name="Pat Lee", criteria="none"))  # advice-only: no clocks (R37c)
    rows = due_json(lado)
    assert [(r["ref"], r["kind"]) for r in rows] == [(second, "initial-discussion"), (first, "initial-discussion")]
    assert rows[0]["status"] == "overdue" and rows[0]["working_days_overdue"] == 0
    assert all(r["kind"] != "notify-lado" for r in rows)  # met on receipt (R12)


# -- filters ----------------------------------------------------------------------------------


def test_filters_by_case_kind_and_owner(lado):
    first = refer(lado, *REFERRAL)
    second = refer(lado, *with_flags(REFERRAL, subject_name="Mary Major"))
    open_escalation(lado, second, to="Jo Bloggs (head of HR)")
    assert {r["ref"] for r in due_json(lado, "--case", first.lower())} == {first}
    assert [r["kind"] for r in due_json(lado, "--case", second)] == ["initial-discussion", "escalation-response"]
    assert [r["ref"] for r in due_json(lado, "--kind", "escalation-response")] == [second]
    assert len(due_json(lado, "--kind", "escalation-response", "--kind", "initial-discussion")) == 3
    [row] = due_json(lado, "--owner", "bloggs")
    assert row["owner"] == "Jo Bloggs (head of HR)" and row["title"] == "Reply from Jo Bloggs (head of HR) (step 1)"
    assert due_json(lado, "--owner", "nobody") == []


def test_mine_is_what_env_lado_user_owns(lado, monkeypatch):
    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref, to="a.officer")
    assert due_json(lado, "--mine") == []  # LADO_USER is 'tester'
    monkeypatch.setenv("LADO_USER", "A.Officer")
    assert [r["kind"] for r in due_json(lado, "--mine")] == ["escalation-response"]
    monkeypatch.delenv("LADO_USER")
    r = lado("due", "--mine")
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "LADO_USER" in r.stderr


def test_unknown_case_is_an_error(lado):
    r = lado("due", "--case", "LADO-2026-9999")
    assert r.exit_code == 1
    assert after_first_run_notice(r.stderr) == "Error: no case with reference 'LADO-2026-9999'; `lado list --all` shows the references\n"


@pytest.mark.parametrize("bad", ["yesterday", "31/02/2026", "23/12/26", ""])
def test_as_of_must_be_a_date(lado, bad):
    r = lado("due", "--as-of", bad)
    assert r.exit_code == 1
    assert r.stdout == ""
    err = after_first_run_notice(r.stderr)  # (on PostgreSQL the profile is looked for in the new database)
    assert err.startswith("Error: --as-of: ") and err.count("\n") == 1


def test_within_must_not_be_negative(lado):
    assert lado("due", "--within", "-1").exit_code == 2


def test_fail_on_overdue(lado):
    refer(lado, *REFERRAL)
    r = lado("due", "--fail-on-overdue", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["status"] == "due-today"
    r = lado("due", "--fail-on-overdue", "--format", "json", "--as-of", "24/12/2026 09:00")
    assert r.exit_code == 1
    assert json.loads(r.stdout)[0]["status"] == "overdue"  # the report is still printed
    assert r.stderr == "Error: 1 time limit is overdue (--fail-on-overdue)\n"


# -- output formats -------------------------------------------------------------------------


def test_csv_has_the_json_rows_and_columns(lado):
    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref, to="Jo Bloggs, line manager")  # a comma inside a cell
    rows = due_json(lado)
    r = lado("due", "--format", "csv")
    assert r.exit_code == 0
    parsed = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(parsed[0]) == list(rows[0])
    for got, want in zip(parsed, rows, strict=True):
        assert got == {k: "" if v is None else str(v) for k, v in want.items()}
    assert parsed[1]["owner"] == "Jo Bloggs, line manager"


def test_ics_has_one_event_per_limit_with_stable_uids(lado):
    from icalendar import Calendar

    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref)
    ids = [r["id"] for r in due_json(lado)]

    def events(*args: str):
        r = lado("due", "--format", "ics", *args)
        assert r.exit_code == 0, r.stderr
        return [e for e in Calendar.from_ical(r.stdout).walk("VEVENT") if e["STATUS"] != "CANCELLED"]  # tests/test_ics.py: cancelled

    first = events()
    assert [str(e["UID"]) for e in first] == [f"deadline-{i}@lado" for i in ids]
    assert [str(e["SUMMARY"]) for e in first] == [f"{ref} initial-discussion (R13)", f"{ref} escalation-response (R39): Reply from Jo Bloggs (step 1)"]
    ends = [e.decoded("DTEND") for e in first]  # a 30-minute event; an all-day one (tests/test_ics.py)
    assert [s.isoformat() for s in ends] == ["2026-12-23T16:30:00+00:00", "2026-12-31"]
    # A day later the same limits keep their UIDs, so a subscribed calendar updates them.
    later = events("--as-of", "24/12/2026 09:00")
    assert [str(e["UID"]) for e in later] == [str(e["UID"]) for e in first]
    assert [str(e["CATEGORIES"].cats[0]) for e in later] == ["overdue", "upcoming"]
    assert "John Smith" not in lado("due", "--format", "ics").stdout  # no adult's name in a calendar feed (R34)


def test_html_report_lists_the_rows_and_escapes_hostile_text(lado):
    hostile = '<script>alert("x")</script> & Co'
    ref = refer(lado, *with_flags(REFERRAL, subject_name=hostile))
    other = refer(lado, *with_flags(REFERRAL, subject_name="Mary Major", concern_arose="22/12/2026 08:00"))
    open_escalation(lado, ref)
    r = lado("due", "--format", "html")
    assert r.exit_code == 0
    page = r.stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<link" not in page and "<script" not in page  # self-contained, nothing runs
    assert "Staffordshire County Council" in page and "As of Wed 23/12/2026 10:00" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    for group, n in (("Overdue", 1), ("Due today", 1), ("Upcoming", 1)):
        assert f"{group} ({n})" in page
    rows = [line for line in page.splitlines() if line.startswith("<tr class=")]
    assert len(rows) == 3
    assert rows[0].startswith('<tr class="overdue"') and other in rows[0]
    assert rows[1].startswith('<tr class="due-today"') and ref in rows[1]
    assert rows[2].startswith('<tr class="upcoming"') and "escalation-response" in rows[2]


def test_table_for_people_has_a_group_per_status_and_counts(lado):
    ref = refer(lado, *REFERRAL)
    open_escalation(lado, ref)
    r = lado("due", "--as-of", "29/12/2026 09:00")
    assert r.exit_code == 0
    out = r.stdout
    assert "Overdue (1)" in out and "Upcoming (1)" in out and "Due today" not in out
    assert "1 overdue · 0 due today · 1 upcoming (to end of Tue 05/01/2027)" in out
    assert "2 working days late" in out  # Thu 24/12 and Tue 29/12 (R13 due Wed 23/12 16:30)


# -- the schema the report reads ----------------------------------------------------------------


def test_report_columns_exist_in_the_schema():
    from lado_cli.store.reports import READS
    from lado_cli.store.tables import metadata

    for table, columns in READS.items():
        assert set(columns) <= set(metadata.tables[table].c.keys()), table
