"""Spreadsheets (issue 13, item 4): .xlsx export and import with real date cells, dd/mm/yy
dates as LibreOffice and Excel write them back in a UK locale, and mis-decoded text.

"Now" is Fri 20/11/2026 12:00 UK time (GMT) in this module.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from test_transfer import EXAMPLE, ROW, cases, write_csv

from conftest import after_first_run_notice, ok
from lado_cli.domain.transfer import COLUMNS


@pytest.fixture(autouse=True)
def _november(monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-11-20 12:00")


def write_xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_export_writes_real_uk_date_cells_and_never_a_formula(lado, tmp_path):
    ok(lado("import", str(write_csv(tmp_path / "a.csv", [dict(ROW, summary="=HYPERLINK(\"http://x\")", **{"subject-role": "+44 coach"})]))))
    out = tmp_path / "cases.xlsx"
    r = ok(lado("export", "--format", "xlsx", "--output", str(out)))
    assert f"Exported to {out}." in r.stderr
    assert os.stat(out).st_mode & 0o777 == 0o600
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == list(COLUMNS)
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["concern-arose"].value == datetime(2026, 11, 2, 15, 10) and row["concern-arose"].number_format == "dd/mm/yyyy hh:mm"
    assert row["subject-dob"].value == datetime(1986, 3, 14) and row["subject-dob"].number_format == "dd/mm/yyyy"
    assert row["summary"].value == '=HYPERLINK("http://x")' and row["summary"].data_type == "s"
    assert row["subject-role"].value == "+44 coach" and row["subject-role"].data_type == "s"
    # An existing file is replaced only when it is your own private one (lado_cli/files.py),
    # and a workbook needs a file.
    out.chmod(0o644)
    r = lado("export", "--format", "xlsx", "--output", str(out))
    assert r.exit_code == 1 and "chmod 600" in r.stderr
    assert lado("export", "--format", "xlsx").exit_code == 2


def test_xlsx_round_trips_into_an_empty_database(lado, tmp_path, new_db):
    ok(lado("import", str(EXAMPLE)))
    ok(lado("import", str(write_csv(tmp_path / "f.csv", [dict(ROW, summary="=1+1 said the parent", **{"subject-name": "Eve Formula"})]))))
    out = tmp_path / "all.xlsx"
    ok(lado("export", "--all", "--format", "xlsx", "--output", str(out)))
    other = new_db("other")
    r = ok(lado("--db", str(other), "import", str(out)))
    assert "8 added" in r.stdout
    first = json.loads(lado("export", "--all", "-f", "json").stdout)
    assert json.loads(lado("--db", str(other), "export", "--all", "-f", "json").stdout) == first
    assert any(c["summary"] == "=1+1 said the parent" for c in first)


def test_a_hand_made_workbook_with_date_cells_imports_in_uk_time(lado, tmp_path):
    cols = list(ROW)
    row = dict(ROW, **{"concern-arose": datetime(2026, 7, 2, 15, 10), "received": datetime(2026, 7, 3, 9, 5, 30),
                       "subject-dob": datetime(1986, 3, 14), "referrer-contact": 1632960101})  # fmt: skip
    path = write_xlsx(tmp_path / "h.xlsx", [cols, [row[c] for c in cols]])
    ok(lado("import", str(path)))
    [case] = json.loads(lado("export", "--all", "-f", "json").stdout)
    # Naive cells are UK local time: 15:10 in July is BST, 14:10 UTC.
    assert case["concern-arose"] == "2026-07-02T15:10:00+01:00" and case["received"] == "2026-07-03T09:05:30+01:00"
    assert case["subject-dob"] == "1986-03-14" and case["referrer-contact"] == "1632960101"


def test_a_workbook_is_checked_like_a_csv_and_formulas_are_refused(lado, tmp_path):
    cols = list(ROW)
    bad = dict(ROW, **{"source": "gossip", "subject-dob": date(2030, 1, 1)})
    r = lado("import", str(write_xlsx(tmp_path / "b.xlsx", [cols, [bad[c] for c in cols]])))
    assert r.exit_code == 1
    assert "row 2, column subject-dob: value '01/01/2030' is in the future" in r.stderr
    assert "row 2, column source: value 'gossip'" in r.stderr
    formula = dict(ROW, **{"summary": "=A1"})
    r = lado("import", str(write_xlsx(tmp_path / "f.xlsx", [cols, [formula[c] for c in cols]])))
    assert r.exit_code == 1 and "row 2, column summary of" in r.stderr and "is a formula (=A1)" in r.stderr
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    r = lado("import", str(tmp_path / "x.xlsx"))
    assert r.exit_code == 1 and "is not an .xlsx workbook" in r.stderr and "Traceback" not in r.stderr
    assert cases(lado) == []


# -- two-digit years -------------------------------------------------------------------------


def test_two_digit_years_are_refused_with_how_to_fix_the_file(lado, tmp_path):
    r = lado("import", str(write_csv(tmp_path / "y.csv", [dict(ROW, received="03/11/26 09:05")])))
    assert r.exit_code == 1
    lines = after_first_run_notice(r.stderr).strip().splitlines()
    assert lines[0].startswith("row 2, column received: value '03/11/26 09:05' has a two-digit year")
    assert lines[1].startswith("Hint: dates such as 03/11/26 have a two-digit year: format the date columns as DD/MM/YYYY")
    assert "--two-digit-years" in lines[1] and lines[-1].startswith("Error: 1 problem")
    r = lado("import", str(write_csv(tmp_path / "z.csv", [dict(ROW, source="gossip")])))
    assert "Hint" not in r.stderr  # only when a two-digit year was the problem


@pytest.mark.parametrize(
    "field,value,stored",
    [
        # The adult: 20yy when that makes them 16 or over today (20/11/2026), else 19yy.
        ("subject-dob", "20/11/10", "2010-11-20"),  # 16 today
        ("subject-dob", "21/11/10", "1910-11-21"),  # 16 tomorrow: not yet, so the last century
        ("subject-dob", "14/03/86", "1986-03-14"),
        # A child: 20yy unless that is after today.
        ("child-dob", "20/11/16", "2016-11-20"),
        ("child-dob", "22/06/17", "2017-06-22"),
        # Events: this century.
        ("received", "03/11/26 09:05", "2026-11-03T09:05:00+00:00"),
        ("concern-arose", "02/11/26 15:10", "2026-11-02T15:10:00+00:00"),
    ],
)
def test_two_digit_years_option(lado, tmp_path, field, value, stored):
    r = ok(lado("import", "--two-digit-years", str(write_csv(tmp_path / "y.csv", [dict(ROW, **{field: value})]))))
    assert "1 added" in r.stdout
    [case] = json.loads(lado("export", "--all", "-f", "json").stdout)
    got = case[field][0] if field == "child-dob" else case[field]
    assert got == stored


def test_two_digit_years_that_cannot_be_right_are_still_refused(lado, tmp_path):
    # A child born 21/11/26 would be born tomorrow, so 1926: not a child (R1). An event in 2027: future.
    r = lado("import", "--two-digit-years", str(write_csv(tmp_path / "y.csv", [dict(ROW, **{"child-dob": "21/11/26"}),
                                                                                  dict(ROW, **{"received": "03/01/27 09:00"})])))  # fmt: skip
    assert r.exit_code == 1
    assert "row 2, column child-dob: value '21/11/1926' makes the person 18 or over" in r.stderr
    assert "row 3, column received: value '03/01/2027 09:00' is in the future" in r.stderr


# -- encodings -------------------------------------------------------------------------------


def test_mojibake_is_a_warning_naming_encoding_and_the_import_goes_on(lado, tmp_path):
    # "Zoë" written as UTF-8, read as cp1252: "ZoÃ«".
    path = write_csv(tmp_path / "m.csv", [dict(ROW, **{"subject-name": "Zoë Brontë"})], encoding="utf-8")
    r = lado("import", "--encoding", "cp1252", str(path))
    assert r.exit_code == 0 and "1 added" in r.stdout
    [warning] = [line for line in r.stderr.splitlines() if line.startswith("Warning:")]
    assert "row 2 of" in warning and "'ZoÃ« BrontÃ«'" in warning and "--encoding utf-8" in warning
    # Read as what it is, no warning.
    r = lado("import", "--on-conflict", "skip", str(write_csv(tmp_path / "n.csv", [dict(ROW, **{"subject-name": "Zoë Brontë"})])))
    assert r.exit_code == 0 and "Warning" not in r.stderr
    # A file saved again after being opened with the wrong encoding: each such row counted.
    rows = [dict(ROW, **{"subject-name": f"Ren{'Ã©'} {i}", "concern-arose": f"0{i}/11/2026 10:00"}) for i in range(1, 4)]
    r = lado("import", str(write_csv(tmp_path / "d.csv", rows)))
    assert "Warning: row 2 and 2 more rows of" in r.stderr


def test_output_files_are_new_private_and_never_through_a_link(lado, tmp_path):
    ok(lado("import", str(EXAMPLE)))
    target = tmp_path / "elsewhere.csv"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    for args in (["--format", "xlsx"], ["--format", "csv"], ["--full"]):
        r = lado("export", *args, "--output", str(link))
        assert r.exit_code == 1 and "is a symbolic link" in r.stderr, r.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    r = ok(lado("export", "--all", "--output", str(tmp_path / "all.csv")))
    assert r.stdout == "" and r.stderr == ""  # the file is the output
    assert (tmp_path / "all.csv").read_bytes().decode("utf-8").replace("\r\n", "\n") == lado("export", "--all").stdout.replace("\r\n", "\n")


def test_the_repeated_hour_is_written_with_its_offset_and_comes_back_the_same(lado, tmp_path, new_db):
    # 25/10/2026 01:30 happens twice in the UK; this is the first (BST, +01:00).
    row = dict(ROW, **{"concern-arose": "2026-10-25T01:30:00+01:00", "received": "2026-10-25T01:45:00+00:00"})
    ok(lado("import", str(write_csv(tmp_path / "c.csv", [row]))))
    out = tmp_path / "c.xlsx"
    ok(lado("export", "--format", "xlsx", "--output", str(out)))
    ws = load_workbook(out).worksheets[0]
    cells = {h.value: c for h, c in zip(ws[1], ws[2], strict=True)}
    assert cells["concern-arose"].value == "2026-10-25T01:30:00+01:00" and cells["concern-arose"].data_type == "s"
    assert cells["received"].value == "2026-10-25T01:45:00+00:00"
    other = new_db("other")
    ok(lado("--db", str(other), "import", str(out)))
    assert json.loads(lado("--db", str(other), "export", "-f", "json").stdout) == json.loads(lado("export", "-f", "json").stdout)


def test_a_control_character_an_xlsx_cannot_hold_is_refused_not_altered(lado, tmp_path):
    r = lado("import", str(write_csv(tmp_path / "c.csv", [dict(ROW, summary="Pulled\x07 a pupil by the arm.")])))
    if r.exit_code != 0:
        pytest.skip("control characters are refused at import")
    out = tmp_path / "c.xlsx"
    r = lado("export", "--format", "xlsx", "--output", str(out))
    assert r.exit_code == 1 and "column summary holds a control character (U+0007)" in r.stderr and "--format csv or json" in r.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("child-dob", "20/11/26", "20/11/2026"),  # born today: this century
        ("child-dob", "21/11/26", "21/11/1926"),  # tomorrow: the last
        ("subject-dob", "20/11/10", "20/11/2010"),  # 16 today
        ("subject-dob", "21/11/10", "21/11/1910"),
        ("subject-dob", "29/02/08", "29/02/2008"),  # 16 on 29/02/2024, before today
        ("subject-dob", "1/2/99", "1/2/1999"),
        ("happened", "31/12/99 23:59", "31/12/2099 23:59"),  # an event: this century, then refused as future
        ("received", "03/11/2026", "03/11/2026"),  # four digits: untouched
        ("summary", "03/11/26", "03/11/26"),  # not a date column
    ],
)
def test_the_two_digit_year_rule_at_its_edges(field, value, expected):
    from lado_cli.domain.spreadsheet import expand_row_years

    assert expand_row_years({field: value}, date(2026, 11, 20))[field] == expected


def test_options_for_csv_text_are_refused_for_a_workbook(lado, tmp_path):
    cols = list(ROW)
    path = write_xlsx(tmp_path / "w.xlsx", [cols, [ROW[c] for c in cols]])
    r = lado("import", "--encoding", "cp1252", str(path))
    assert r.exit_code == 2 and "--encoding: is for CSV files, and w.xlsx is a workbook" in r.stderr
    # Text cells of a workbook may hold two-digit years too.
    short = dict(ROW, received="03/11/26 09:05")
    ok(lado("import", "--two-digit-years", str(write_xlsx(tmp_path / "s.xlsx", [cols, [short[c] for c in cols]]))))
    assert json.loads(lado("export", "-f", "json").stdout)[0]["received"] == "2026-11-03T09:05:00+00:00"
