"""`lado show` and `lado list` in each output format, with their filters."""

from __future__ import annotations

import csv
import io
import json

from conftest import REFERRAL, after_first_run_notice, with_flags


def refer(lado, *args):
    r = lado("refer", "--no-input", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.splitlines()[-1]


def test_empty_list_is_an_empty_json_array(lado):
    r = lado("list", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_empty_list_csv_has_only_the_header(lado):
    rows = list(csv.reader(io.StringIO(lado("list", "--format", "csv").stdout)))
    assert rows == [["ref", "status", "received", "subject", "subject_dob", "employer", "sector", "category", "next_due", "overdue"]]


def test_list_shows_open_cases_by_default(lado):
    open_ref = refer(lado, *REFERRAL)
    advice = with_flags(REFERRAL, subject_name="Pat Lee", criteria="none")
    advice = [a for i, a in enumerate(advice) if a != "risk" and not (a == "--criteria" and advice[i + 1] == "risk")]
    advice_ref = refer(lado, *advice)
    assert [r["ref"] for r in json.loads(lado("list", "-f", "json").stdout)] == [open_ref]
    assert [r["ref"] for r in json.loads(lado("list", "--all", "-f", "json").stdout)] == [open_ref, advice_ref]
    assert [r["ref"] for r in json.loads(lado("list", "--status", "advice-only", "-f", "json").stdout)] == [advice_ref]


def test_list_filters_by_subject_name_fragment(lado):
    refer(lado, *REFERRAL)
    other = refer(lado, *with_flags(REFERRAL, subject_name="Mary O'Neill"))
    rows = json.loads(lado("list", "--subject", "o'NEILL", "-f", "json").stdout)
    assert [r["ref"] for r in rows] == [other]
    assert json.loads(lado("list", "--subject", "100%", "-f", "json").stdout) == []


def test_list_next_due_and_overdue_count(lado, monkeypatch):
    ref = refer(lado, *REFERRAL)
    [row] = json.loads(lado("list", "-f", "json").stdout)
    assert row["ref"] == ref and row["next_due"] == "2026-12-23T16:30:00+00:00" and row["overdue"] == 0
    monkeypatch.setenv("LADO_NOW", "2026-12-24 09:00")
    [row] = json.loads(lado("list", "-f", "json").stdout)
    assert row["overdue"] == 1


def test_list_table_for_people(lado):
    refer(lado, *REFERRAL)
    out = lado("list").stdout
    assert "LADO-2026-0001" in out and "John Smith" in out and "23/12/2026" in out


def test_list_rejects_an_unknown_status(lado):
    r = lado("list", "--status", "pending")
    assert r.exit_code == 2


def test_show_table_has_the_timeline(lado):
    ref = refer(lado, *REFERRAL)
    out = lado("show", ref.lower()).stdout
    for text in (ref, "John Smith", "Oak Primary School", "Amy Jones", "initial-discussion", "R13",
                 "end of Wed 23/12/2026", "Chronology", "referral · tester"):  # fmt: skip
        assert text in out


def test_show_csv_is_field_value_rows(lado):
    ref = refer(lado, *REFERRAL)
    rows = dict(csv.reader(io.StringIO(lado("show", ref, "-f", "csv").stdout)))
    assert rows["ref"] == ref
    assert rows["subject.name"] == "John Smith"
    assert rows["children[0].dob"] == "2016-04-03"
    assert rows["criteria"] == "harm;risk"
    assert rows["deadlines[0].kind"] == "initial-discussion"


def test_show_unknown_reference(lado):
    r = lado("show", "LADO-2026-9999")
    assert r.exit_code == 1
    assert after_first_run_notice(r.stderr).strip() == "Error: no case with reference 'LADO-2026-9999'; `lado list --all` shows the references"


def test_hostile_text_is_stored_and_shown_faithfully(lado):
    name = "Zoë \"Bobby\" O'Brien; DROP TABLE cases;--"
    summary = "Said [bold]hello[/bold] 🙂, שלום, a,b\nnext line"
    ref = refer(lado, *with_flags(REFERRAL, subject_name=name, summary=summary))
    case = json.loads(lado("show", ref, "-f", "json").stdout)
    assert case["subject"]["name"] == name and case["summary"] == summary
    assert "[bold]hello[/bold]" in lado("show", ref).stdout  # no rich markup injection
