"""`lado import` and `lado export`: spreadsheet files in and out, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from conftest import after_first_run_notice

from lado_cli.domain.transfer import COLUMNS

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "referrals.csv"
ROW = {
    "subject-name": "Daniel Price", "subject-dob": "14/03/1986", "subject-role": "PE teacher", "employment": "paid",
    "employer": "Oak Primary School", "sector": "education", "concern-arose": "02/11/2026 15:10", "received": "03/11/2026 09:05",
    "source": "parent-carer", "category": "physical", "summary": "Pulled a pupil by the arm.", "criteria": "harm",
    "child-name": "Oliver Hughes", "child-dob": "22/06/2017", "referrer-name": "Sarah Khan", "referrer-role": "Head teacher",
    "referrer-org": "Oak Primary School", "referrer-contact": "01632 960101",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _november(monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-11-20 12:00")


def write_csv(path: Path, rows: list[dict], columns=None, *, encoding="utf-8", newline="\r\n") -> Path:
    columns = columns or list(ROW)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def cases(lado, *args):
    r = lado("list", "--all", "-f", "json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def person(i: int) -> dict:
    return dict(ROW, **{"subject-name": f"Adult {i}", "concern-arose": f"{1 + i % 28:02d}/10/2026 10:00", "received": f"{1 + i % 28:02d}/10/2026 11:00"})


def test_the_example_file_imports_cleanly_and_once(lado):
    r = lado("import", str(EXAMPLE))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"Imported {EXAMPLE}: 7 added, 0 updated, 0 skipped. History check (R11a): no added case matches an earlier record."
    rows = cases(lado)
    assert len(rows) == 7
    assert sorted(r["status"] for r in rows) == ["closed"] * 3 + ["open"] * 4
    again = lado("import", str(EXAMPLE))  # idempotent: matched on adult, date of birth and concern-arose
    assert again.stdout.strip() == f"Imported {EXAMPLE}: 0 added, 0 updated, 7 skipped."
    assert len(cases(lado)) == 7


def test_example_file_is_what_a_spreadsheet_writes():
    data = EXAMPLE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # BOM and CRLF
    assert b"/2026" in data and b'"' in data  # UK dates and quoted cells


def test_open_cases_get_their_clocks_and_closed_history_does_not(lado):
    lado("import", str(EXAMPLE))
    by_name = {r["subject"]: r for r in cases(lado)}
    price = json.loads(lado("show", by_name["Daniel Price"]["ref"], "-f", "json").stdout)
    dl = {d["kind"]: d for d in price["deadlines"]}
    assert dl["notify-lado"]["due"] == "2026-11-03T23:59:59+00:00" and dl["notify-lado"]["status"] == "met"  # R12
    assert dl["initial-discussion"]["due"] == "2026-11-03T15:10:00+00:00"  # R13
    doyle = json.loads(lado("show", by_name["Karen Doyle"]["ref"], "-f", "json").stdout)
    assert doyle["deadlines"] == [] and doyle["status"] == "closed" and doyle["outcome"]["outcome"] == "unsubstantiated"
    walsh = json.loads(lado("show", by_name["Peter Walsh"]["ref"], "-f", "json").stdout)
    assert walsh["status"] == "open" and [u["kind"] for u in walsh["duties"]] == ["dbs-referral", "regulator-referral"]  # R30, R31, R33
    advice = json.loads(lado("show", by_name["Aisha Rahman"]["ref"], "-f", "json").stdout)
    assert advice["criteria"] == [] and "\n" in advice["summary"]
    assert price["timeline"][0]["kind"] == "import" and "row 2" in price["timeline"][0]["text"]


def test_template_prints_the_header(lado):
    assert lado("import", "--template").stdout.strip() == ",".join(COLUMNS)


def test_snake_case_and_any_letter_case_headers(lado, tmp_path):
    cols = [c.replace("-", "_").upper() for c in ROW]
    path = write_csv(tmp_path / "a.csv", [{c.replace("-", "_").upper(): v for c, v in ROW.items()}], cols)
    assert lado("import", str(path)).exit_code == 0
    assert cases(lado)[0]["subject"] == "Daniel Price"


def test_windows_1252_needs_its_encoding(lado, tmp_path):
    path = write_csv(tmp_path / "w.csv", [dict(ROW, **{"subject-name": "Zoë Brontë"})], encoding="cp1252")
    r = lado("import", str(path))
    assert r.exit_code == 1 and "row 2" in r.stderr and "not utf-8-sig text" in r.stderr and "--encoding cp1252" in r.stderr
    assert cases(lado) == []
    assert lado("import", str(path), "--encoding", "cp1252").exit_code == 0
    assert cases(lado)[0]["subject"] == "Zoë Brontë"
    assert lado("import", str(path), "--encoding", "klingon").exit_code == 2


def test_a_bad_row_in_the_middle_of_a_large_file_writes_nothing(lado, tmp_path):
    rows = [person(i) for i in range(3000)]
    rows[1499]["received"] = "31/02/2026 10:00"
    r = lado("import", str(write_csv(tmp_path / "big.csv", rows)))
    assert r.exit_code == 1
    lines = after_first_run_notice(r.stderr).strip().splitlines()
    # The header is row 1, so the 1500th data row is spreadsheet row 1501.
    assert lines[0] == "row 1501, column received: value '31/02/2026 10:00' is not a real date; expected a date and time such as 24/12/2026 10:00 or 2026-12-24 10:00"
    assert lines[-1].startswith("Error: 1 problem in") and lines[-1].endswith("nothing was imported")
    assert cases(lado) == []


def test_every_problem_is_listed(lado, tmp_path):
    bad = [
        dict(ROW, **{"subject-name": "A"}),
        dict(ROW, **{"subject-name": "B", "source": "gossip"}),
        dict(ROW, **{"subject-name": "C", "concern-arose": "25/10/2026 01:30"}),  # the clocks go back: ambiguous
        dict(ROW, **{"subject-name": "D", "child-dob": "01/01/2000"}),  # not a child (R1)
        dict(ROW, **{"subject-name": "E", "summary": ""}),
        dict(ROW, **{"subject-name": "F", "received": "03/11/26 09:05"}),
    ]
    r = lado("import", str(write_csv(tmp_path / "b.csv", bad)))
    assert r.exit_code == 1
    err = r.stderr
    assert "row 3, column source: value 'gossip' is not one of the profile's referral sources; expected one of" in err
    assert "row 4, column concern-arose: value '25/10/2026 01:30' is ambiguous in UK time" in err
    assert "row 5, column child-dob: value '01/01/2000' makes the person 18 or over" in err
    assert "row 6, column summary: value '' is empty; expected a value" in err
    assert "row 7, column received: value '03/11/26 09:05' has a two-digit year" in err
    assert "Error: 5 problems in" in err
    assert cases(lado) == []


def test_every_problem_of_one_row_is_listed_not_only_the_first(lado, tmp_path):
    row = dict(ROW, **{"subject-dob": "31/02/1980", "subject-status": "bogus", "suitability": "bogus", "happened": "04/11/2026 10:00",
                       "outcome": "false", "outcome-date": "10/11/2026", "closed": "05/11/2026"})  # fmt: skip
    r = lado("import", str(write_csv(tmp_path / "m.csv", [row], list(row))))
    assert r.exit_code == 1
    lines = after_first_run_notice(r.stderr).strip().splitlines()
    # Each cell on its own, then the relations between the others (happened after the concern
    # arose; closed before the outcome date), each listed once, with no knock-on problem.
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "row 2, column subject-dob", "row 2, column subject-status", "row 2, column suitability",
        "row 2, column happened", "row 2, column closed",
    ]  # fmt: skip
    assert "is after the concern arose" in lines[3] and "is before the outcome date" in lines[4]
    assert lines[-1].startswith("Error: 5 problems in")
    # A wrong required cell stops the relation checks, which need it: both cells listed, nothing more.
    row = dict(ROW, **{"received": "31/02/2026 10:00", "source": "gossip", "happened": "04/11/2026 10:00"})
    r = lado("import", str(write_csv(tmp_path / "n.csv", [row], list(row))))
    assert [line.split(":")[0] for line in r.stderr.strip().splitlines()[:-1]] == ["row 2, column received", "row 2, column source"]


def test_the_listing_stops_at_100_problems_and_counts_the_rest(lado, tmp_path):
    rows = [dict(person(i), **{"source": "gossip", "category": "rude"}) for i in range(60)]  # 2 problems each: 120
    r = lado("import", str(write_csv(tmp_path / "many.csv", rows)))
    lines = after_first_run_notice(r.stderr).strip().splitlines()
    assert len(lines) == 101 and lines[99].startswith("row 51, column category")
    assert lines[-1].startswith("Error: 120 problems in") and "(20 more not listed)" in lines[-1]


def test_duplicates_within_the_file(lado, tmp_path):
    rows = [dict(ROW, ref="LADO-2026-0100"), dict(ROW, ref="lado-2026-0100", **{"subject-name": "Other"}), ROW, dict(ROW)]
    r = lado("import", str(write_csv(tmp_path / "d.csv", rows, ["ref", *ROW])))
    assert r.exit_code == 1
    assert "row 3: ref LADO-2026-0100 as row 2; expected each case once in a file" in r.stderr
    assert "row 5: the same adult, date of birth and concern-arose as row 4" in r.stderr


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty; expected a header row"),
        (b"subject-name,summary\r\nA,B\r\n", "row 1: missing required columns subject-role, employment"),
        (b"subject-name,subject-name\r\n", "row 1: column subject-name appears twice"),
        (("\ufeff" + ",".join(ROW) + "\r\n" + ",".join(ROW.values()).replace("Daniel", "Dan\x00iel") + "\r\n").encode(), "row 2 contains a NUL byte"),
    ],
    ids=["empty", "missing-columns", "duplicate-column", "nul-byte"],
)
def test_malformed_files(lado, tmp_path, content, message):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    r = lado("import", str(path))
    assert r.exit_code == 1 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and cases(lado) == []


def test_header_only_file_says_so(lado, tmp_path):
    r = lado("import", str(write_csv(tmp_path / "h.csv", [])))
    assert r.exit_code == 0 and "no data rows; nothing was imported" in r.stdout


def test_unknown_columns_are_warned_about_and_ignored(lado, tmp_path):
    r = lado("import", str(write_csv(tmp_path / "u.csv", [dict(ROW, notes="x")], [*ROW, "notes"])))
    assert r.exit_code == 0 and "column 'notes' is not an import column and is ignored" in r.stderr


def test_historic_columns_are_checked(lado, tmp_path):
    rows = [
        dict(ROW, **{"subject-name": "A", "closed": "10/11/2026"}),  # a referral closed without an outcome
        dict(ROW, **{"subject-name": "B", "outcome": "substantiated"}),  # outcome without its date
        dict(ROW, **{"subject-name": "C", "outcome": "proven", "outcome-date": "10/11/2026"}),
        dict(ROW, **{"subject-name": "D", "outcome": "false", "outcome-date": "01/11/2026"}),  # before received
        dict(ROW, **{"subject-name": "E", "immediate-danger": "maybe"}),
    ]
    cols = [*ROW, "outcome", "outcome-date", "closed", "immediate-danger"]
    r = lado("import", str(write_csv(tmp_path / "h.csv", rows, cols)))
    assert "row 2, column closed: value '10/11/2026' closes a referral with no outcome" in r.stderr
    assert "row 3, column outcome-date: value '' is empty" in r.stderr
    assert "row 4, column outcome: value 'proven' is not one of the profile's allegation outcomes" in r.stderr
    assert "row 5, column outcome-date: value '01/11/2026' is before the referral was received" in r.stderr
    assert "row 6, column immediate-danger: value 'maybe' is not yes or no" in r.stderr


def test_dry_run_writes_nothing(lado):
    r = lado("import", str(EXAMPLE), "--dry-run")
    assert r.exit_code == 0 and "7 rows, all valid; would add 7" in r.stdout
    assert cases(lado) == []


def test_on_conflict_update_and_error(lado, tmp_path):
    lado("import", str(write_csv(tmp_path / "1.csv", [ROW])))
    ref = cases(lado)[0]["ref"]
    changed = dict(ROW, ref=ref, summary="Pulled a pupil by the arm; a second parent confirms.", version="1")
    path = write_csv(tmp_path / "2.csv", [changed], ["ref", *ROW, "version"])
    r = lado("import", str(path), "--on-conflict", "error")
    assert r.exit_code == 1 and f"row 2: case {ref} is already stored" in r.stderr
    r = lado("import", str(path), "--on-conflict", "update")
    assert r.exit_code == 0 and "0 added, 1 updated, 0 skipped" in r.stdout
    case = json.loads(lado("show", ref, "-f", "json").stdout)
    assert case["summary"].endswith("a second parent confirms.")
    assert [e["kind"] for e in case["timeline"]] == ["import", "import-update"]  # R37a: the record says so
    assert len(case["deadlines"]) == 2  # its clocks are kept, not doubled


def test_export_round_trips_into_an_empty_database(lado, tmp_path, new_db):
    lado("import", str(EXAMPLE))
    first = lado("export", "--all").stdout
    assert first.splitlines()[0] == ",".join(COLUMNS)
    (tmp_path / "out.csv").write_text(first, encoding="utf-8", newline="")
    other = new_db("other")
    r = lado("--db", str(other), "import", str(tmp_path / "out.csv"))
    assert r.exit_code == 0 and "7 added" in r.stdout, r.stderr
    assert lado("--db", str(other), "export", "--all").stdout == first
    assert json.loads(lado("--db", str(other), "export", "--all", "-f", "json").stdout) == json.loads(lado("export", "--all", "-f", "json").stdout)


def test_export_defaults_to_open_cases_and_json_is_an_array(lado):
    assert lado("export", "-f", "json").stdout.strip() == "[]"
    lado("import", str(EXAMPLE))
    rows = json.loads(lado("export", "-f", "json").stdout)
    assert len(rows) == 4 and all(r["closed"] is None for r in rows)
    assert {r["criteria"][0] for r in rows} <= {"harm", "suitability", "risk"}


def test_export_neutralises_formulas_and_import_restores_them(lado, tmp_path, new_db):
    evil = dict(ROW, summary="=HYPERLINK(\"http://x\",\"click\")", **{"subject-role": "+44 teacher", "referrer-contact": "@handle"})
    lado("import", str(write_csv(tmp_path / "e.csv", [evil])))
    out = lado("export").stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["summary"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert row["subject-role"] == "'+44 teacher" and row["referrer-contact"] == "'@handle"
    (tmp_path / "back.csv").write_text(out, encoding="utf-8", newline="")
    b = new_db("b")
    lado("--db", b, "import", str(tmp_path / "back.csv"))
    ref = cases(lado, "--subject", "Daniel")[0]["ref"]
    assert json.loads(lado("--db", b, "show", ref, "-f", "json").stdout)["summary"] == evil["summary"]


def test_redacted_export_names_no_child_or_referrer(lado):
    lado("import", str(EXAMPLE))
    out = lado("export", "--all", "--redact").stdout
    for name in ("Oliver Hughes", "Leo Grant", "Casey Ward", "Sarah Khan", "01632 960101", "Rachel Brooks"):
        assert name not in out
    assert "[redacted]" in out and "Daniel Price" in out  # the adult is the subject of the record


def test_a_million_row_file_is_streamed_not_loaded(lado, tmp_path):
    # A NUL byte on row 3 of a ~60 MB file is reported at once: nothing reads the file whole first.
    path = tmp_path / "huge.csv"
    line = ",".join(ROW.values()) + "\r\n"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(ROW) + "\r\n" + line + line.replace("Daniel", "Dan\x00iel"))
        f.writelines(line for _ in range(1_000_000))
    start = time.perf_counter()
    r = lado("import", str(path))
    assert r.exit_code == 1 and "row 3 contains a NUL byte" in r.stderr
    assert time.perf_counter() - start < 2
    assert cases(lado) == []


def test_imported_rows_are_stored_exactly_as_refer_stores_them(lado, tmp_path, monkeypatch, new_db):
    """The import's fast SQLite path writes the same bytes as the ordinary Core path (and on
    PostgreSQL, where the import uses Core with RETURNING, the same values)."""
    import os

    from conftest import REFERRAL, db_table

    monkeypatch.setenv("LADO_NOW", "2026-12-23 10:00")
    assert lado("refer", "--no-input", *REFERRAL, "--immediate-danger", "--regulator", "TRA").exit_code == 0
    (tmp_path / "one.csv").write_text(lado("export").stdout, encoding="utf-8", newline="")
    b = new_db("b")
    assert lado("--db", b, "import", str(tmp_path / "one.csv")).exit_code == 0

    def rows(db, table, skip):
        return [{k: v for k, v in r.items() if k not in skip} for r in db_table(table, db=db)]

    a = os.environ["LADO_DB"]
    # chain_head: the hash of each case's own chronology (a referral entry here, an import entry there)
    assert rows(a, "cases", {"id", "recorded_at", "chain_head"}) == rows(b, "cases", {"id", "recorded_at", "chain_head"})
    assert "ok       chronology chain: 1 entry" in lado("--db", b, "db", "check").stdout  # the fast path chains too
    for table in ("subjects", "employers", "referrers", "children"):
        assert rows(a, table, {"id"}) == rows(b, table, {"id"})
    assert rows(a, "deadlines", {"id", "created_at"}) == rows(b, "deadlines", {"id", "created_at"})
