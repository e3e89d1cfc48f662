"""Output and input hygiene (issue 12, item 5), each defect reproduced through the commands,
on SQLite and PostgreSQL: formula cells from `list`, `due` and `audit --format csv`, a bare
CR splitting an audit row, invisible characters and apostrophes defeating the R11a history
match, and `export --redact` leaving parts of names behind (R26). The pure functions:
tests/test_text.py."""

from __future__ import annotations

import csv
import io
import json
import os

from lado_cli.store.db import HEAD_REVISION, Database, alembic_config, migration_transaction, resolve_url

from conftest import REFERRAL, db_execute, db_rows, ok, with_flags

EVIL = '=HYPERLINK("http://evil.example","click")'


def refer(lado, **changes) -> str:
    return ok(lado("refer", "--no-input", *with_flags(REFERRAL, **changes))).stdout.strip().splitlines()[-1]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- formula cells ---------------------------------------------------------------------------------


def test_list_csv_neutralises_formula_cells(lado):
    ref = refer(lado, subject_name=EVIL, employer="@SUM(1+1)*cmd|' /C calc'!A0", sector="education")
    out = ok(lado("list", "--format", "csv")).stdout
    row = next(r for r in csv_rows(out) if r["ref"] == ref)
    assert row["subject"] == "'" + EVIL and row["employer"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["received"].startswith("2026-12-23T09:15")  # lado's own values as they were


def test_due_csv_neutralises_formula_cells_and_keeps_numbers(lado):
    refer(lado, subject_name="  -2+3+cmd|' /C calc'!A0", employer="+44 School")
    rows = csv_rows(ok(lado("due", "--format", "csv", "--within", "30")).stdout)
    assert rows and all(r["subject"] == "'-2+3+cmd|' /C calc'!A0" and r["employer"] == "'+44 School" for r in rows)
    # Overdue working days are a number lado computes: never prefixed.
    overdue = csv_rows(ok(lado("due", "--format", "csv", "--as-of", "11/01/2027 10:00")).stdout)
    assert overdue and all(r["working_days_overdue"].lstrip("-").isdigit() for r in overdue if r["working_days_overdue"])


def test_audit_csv_neutralises_formulas_and_a_bare_cr_does_not_split_a_row(lado):
    ref = refer(lado)
    ok(lado("note", ref, "--text", "=1+1"))
    ok(lado("note", ref, "--text", "first line\rsecond line, with a comma"))
    out = ok(lado("audit", ref, "--format", "csv")).stdout
    assert '"first line\rsecond line, with a comma"' in out  # quoted: Excel and LibreOffice keep one row
    rows = csv_rows(out)
    assert [r["kind"] for r in rows] == ["note", "note", "referral"]  # newest first; three entries, three rows
    assert rows[0]["text"] == "first line\rsecond line, with a comma" and rows[1]["text"] == "'=1+1"
    # Excel's reading: a line break outside quotes ends the row. Count the unquoted ones.
    unquoted, inside = 0, False
    for ch in out:
        if ch == '"':
            inside = not inside
        elif ch in "\r\n" and not inside:
            unquoted += 1
    assert unquoted == 4  # header and three rows, each ended by one "\n"


def test_show_csv_neutralises_too(lado):
    ref = refer(lado, summary="@cmd")
    rows = csv_rows(ok(lado("show", ref, "--format", "csv")).stdout)
    assert {"field": "summary", "value": "'@cmd"} in rows


def test_export_round_trip_keeps_apostrophes_and_formulas(lado, new_db, tmp_path):
    # "'=x" as typed (the apostrophe is part of the text) must not come back as "=x".
    refer(lado, summary="'=not a formula", subject_role=" =1+1", referrer_role="''@x")
    out = ok(lado("export")).stdout
    row = csv_rows(out)[0]
    assert (row["summary"], row["subject-role"], row["referrer-role"]) == ("''=not a formula", "'=1+1", "'''@x")
    (tmp_path / "back.csv").write_text(out, encoding="utf-8", newline="")
    other = new_db("back")
    ok(lado("--db", other, "import", str(tmp_path / "back.csv")))
    ref = json.loads(ok(lado("--db", other, "list", "--all", "-f", "json")).stdout)[0]["ref"]
    case = json.loads(ok(lado("--db", other, "show", ref, "-f", "json")).stdout)
    assert case["summary"] == "'=not a formula" and case["subject"]["role"] == "=1+1"  # `refer` strips the space
    assert case["referrer"]["role"] == "''@x"


# -- R11a: invisible characters, accents, apostrophes ---------------------------------------------


def test_invisible_characters_and_apostrophes_do_not_hide_earlier_cases(lado):
    first = refer(lado, subject_name="Zoe\u0308 O\u2019Brien", child_name="Sam\u200bCarter")
    r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="ZOË O'BRIEN", child_name="Ben Cole")))
    assert first in r.stderr and "the adult" in r.stderr
    r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Someone Else", subject_dob="02/03/1975", child_name="samcarter")))
    assert first in r.stderr and "a child" in r.stderr
    # Stored in NFC (as typed otherwise: the zero-width space stays in the name)...
    assert db_rows("SELECT name, name_key FROM subjects ORDER BY id")[0] == ("Zo\u00eb O\u2019Brien", "zo\u00eb o'brien")
    assert db_rows("SELECT name FROM children ORDER BY id")[0] == ("Sam\u200bCarter",)
    # ...and shown with the invisible character made visible.
    assert "Sam<U+200B>Carter" in ok(lado("show", first)).stdout
    # `list --subject` searches by the same key: the straight apostrophe finds the curly one.
    found = json.loads(ok(lado("list", "--subject", "zoe\u0308 o'b", "-f", "json")).stdout)
    assert first in [c["ref"] for c in found] and len(found) == 2


def test_a_name_typed_differently_keeps_its_key_but_the_matcher_folds_accents(lado):
    """The stored R11a key keeps the accent (Zoë is not Zoe); the matcher (issue #14) folds
    accents, so the earlier Zoe Carter is shown as the same first name."""
    first = refer(lado, subject_name="Zoe Carter")
    r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Zoë Carter", child_name="Ben Cole", child_dob="05/05/2015")))
    assert first in r.stderr and "samefirstname" in "".join(c for c in r.stderr if c.isalnum())
    assert db_rows("SELECT name_key FROM subjects ORDER BY id") == [("zoe carter",), ("zoë carter",)]


def _downgrade_to(revision: str) -> None:
    from alembic import command

    db = Database(resolve_url(os.environ["LADO_DB"]))
    try:
        with migration_transaction(db.engine) as conn:
            command.downgrade(alembic_config(conn), revision)
    finally:
        db.dispose()


def test_upgrade_recomputes_name_keys_stored_by_older_versions(lado):
    first = refer(lado, subject_name="Zoe\u0308 O\u2019Brien\u200b", child_name="Sam\u200bCarter")
    _downgrade_to("0004")  # a real downgrade of every later migration
    # As revision 0004 stored them: case and spacing folded, nothing else.
    db_execute("UPDATE subjects SET name_key = ?", "zo\u00eb o\u2019brien\u200b")
    db_execute("UPDATE children SET name_key = ?", "sam\u200bcarter")
    r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Zoë O'Brien", child_name="Ben Cole")))
    assert first in r.stderr and "the adult" in r.stderr  # 0010 computed the matching keys of the stored case
    assert db_rows("SELECT name_key FROM children ORDER BY id")[0] == ("samcarter",)
    assert db_rows("SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


# -- redaction (R26) -------------------------------------------------------------------------------


def test_redact_removes_every_part_of_every_childs_and_third_partys_name(lado):
    refer(lado, child_name="Amy O'Brien", referrer_name="Ann Head", referrer_contact="ann.head@oak.example",
          summary="AMY told her teacher. Amy\u2019s mum says O\u2019Brien is scared; obrien? Ann Head's note: "
                  "call ann.head@oak.example. Mrs HEAD agreed. A\u200bmy cried. John Smith denies it.",
          referrer_org="Head & Co for Amy", employer="Oak Primary School")  # fmt: skip
    for fmt in ("csv", "json"):
        out = ok(lado("export", "--redact", "--format", fmt)).stdout
        row = csv_rows(out)[0] if fmt == "csv" else json.loads(out)[0]
        summary = row["summary"]
        assert summary == ("[redacted] told her teacher. [redacted]\u2019s mum says [redacted] is scared; obrien? [redacted]'s note: "
                           "call [redacted]. Mrs [redacted] agreed. [redacted] cried. John Smith denies it.")  # fmt: skip
        assert row["referrer-org"] == "[redacted] & Co for [redacted]"
        low = out.lower()
        for part in ("amy", "o'brien", "o\u2019brien", "ann head", "ann.head"):
            assert part not in low, (fmt, part)
        # The adult is the subject of the record (R26 redacts the child and third parties).
        assert "John Smith" in out and row["employer"] == "Oak Primary School"


# -- terminal output ------------------------------------------------------------------------------


def test_escalate_and_import_lines_show_escapes_and_bidi_never_obey_them(lado, tmp_path):
    ref = refer(lado)
    r = ok(lado("escalate", ref, "--no-input", "--ladder", "lado-to-agency", "--reason", "timescales",
                "--to", "Jo \u202eBloggs\u202c \x1b[2J[bold]x", "--date", "23/12/2026 09:30"))  # fmt: skip
    assert "Jo <U+202E>Bloggs<U+202C> \u241b[2J[bold]x" in r.stdout and "\x1b" not in r.stdout
    name = tmp_path / "a\u202ecsv.exe"
    name.write_text(ok(lado("import", "--template")).stdout, encoding="utf-8")
    assert "a<U+202E>csv.exe has a header but no data rows" in ok(lado("import", str(name))).stdout
