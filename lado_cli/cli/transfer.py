"""`lado import FILE.csv` and `lado export`: cases in and out as spreadsheet rows."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import typer

from lado_cli.cli.context import app_context
from lado_cli.errors import LadoError
from lado_cli.files import output_param

BATCH = 2000
MAX_LISTED = 100  # problems printed one per line; the rest are counted


class OnConflict(str, Enum):
    skip = "skip"
    update = "update"
    error = "error"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def _rows(path: Path, encoding: str, progress) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells), streamed: the file is never read whole."""
    import codecs
    import csv
    import io

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise LadoError(f"--encoding: '{encoding}' is not a known encoding; expected e.g. utf-8 or cp1252", usage=True) from None
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as err:
        raise LadoError(f"cannot read {path}: {err.strerror}") from None
    with raw:
        size = path.stat().st_size
        if size == 0:
            raise LadoError(f"{path} is empty; expected a header row first (`lado import --template` prints one)")
        task = progress and progress.add_task(f"Importing {path.name}", total=size)
        # Undecodable bytes become lone surrogates, so the row that holds them can be named.
        reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline=""))
        row = 0
        try:
            for row, cells in enumerate(reader, 1):
                joined = "\x1f".join(cells)
                if "\x00" in joined:
                    raise LadoError(f"row {row} contains a NUL byte; expected a text CSV file (is this really a CSV export?)")
                if bad := _UNDECODED.search(joined):
                    hint = " (a CSV saved by Excel on Windows is usually cp1252: try --encoding cp1252)" if encoding.lower().startswith("utf") else ""
                    raise LadoError(f"row {row} of {path} is not {encoding} text (byte {ord(bad[0]) - 0xDC00:#04x}){hint}")
                if task is not None and row % 1000 == 0:
                    progress.update(task, completed=raw.tell())
                yield row, cells
        except csv.Error as err:
            if "NUL" in str(err):
                raise LadoError(f"row {row + 1} contains a NUL byte; expected a text CSV file (is this really a CSV export?)") from None
            raise LadoError(f"row {row + 1} of {path} is not valid CSV: {err}") from None


_UNDECODED = re.compile("[\udc80-\udcff]")


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(None, metavar="FILE", help="CSV or .xlsx file: a header row of column names (`--template`), then one case per row; or a referral file of `lado send` (.referral.json, or .referral.json.age)."),
    template: bool = typer.Option(False, "--template", help="Print the header row of an import file and exit."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report; write nothing."),
    on_conflict: OnConflict = typer.Option(None, "--on-conflict", help="A row for a case already stored (same ref, or same adult, date of birth and concern-arose): skip it (default), update the case from it, or count it as an error. A full export (JSON): error (default) or skip."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="The file's text encoding, e.g. cp1252 for some Windows exports (default: UTF-8, with or without BOM)."),
    two_digit_years: bool = typer.Option(False, "--two-digit-years", help="Read dd/mm/yy dates: years of birth 19yy or 20yy (README), every other date 20yy."),
    identity: Path = typer.Option(None, "--identity", metavar="FILE", help="The service's age identity (`lado keys create`), to decrypt a .referral.json.age (also env LADO_IDENTITY)."),
) -> None:
    """Import cases from a CSV or .xlsx file, a full export (JSON) or a referral file, all or nothing.

    Every row is checked with the rules of `lado refer` before anything is written; any
    problem means nothing is imported, and each is listed with its spreadsheet row number.
    Importing the same file twice adds nothing.
    """
    from lado_cli.domain.transfer import COLUMNS

    if template:
        typer.echo(",".join(COLUMNS))
        return
    if file is None:
        raise LadoError("give the file to import: CSV, .xlsx or a full export (or --template for its header row)", usage=True)
    from lado_cli.cli.full_export import import_full, is_full_export
    from lado_cli.cli.receive import import_referral, is_referral_file

    if is_referral_file(file):  # one referral sent by `lado send`
        for flag, given in (("--on-conflict", on_conflict), ("--encoding", encoding != "utf-8-sig"), ("--two-digit-years", two_digit_years)):
            if given:
                raise LadoError(f"{flag}: is for spreadsheets and full exports, and {file.name} is a referral file; expected no {flag}", usage=True)
        import_referral(app_context(ctx), file, identity=identity, dry_run=dry_run)
        return
    if identity is not None:
        raise LadoError(f"--identity: decrypts a referral file (.referral.json.age), and {file.name} is not one; expected no --identity", usage=True)
    full = is_full_export(file)
    flag = "--encoding" if encoding != "utf-8-sig" else "--two-digit-years" if two_digit_years and full else None
    if flag and (full or file.suffix.lower() == ".xlsx"):  # a workbook has no text encoding; a full export has ISO dates
        what = "a full export (JSON)" if full else "a workbook"
        raise LadoError(f"{flag}: is for CSV files, and {file.name} is {what}; expected no {flag}", usage=True)
    if not full:  # issue #11: a spreadsheet's rows are referrals as a LADO received them (R12 met on receipt)
        app_context(ctx).lado_only("lado import of a spreadsheet")
    if full:  # a file of `lado export --full`: the whole database back
        if on_conflict is OnConflict.update:
            raise LadoError("--on-conflict update: a full export is never merged into a stored case; expected skip or error", usage=True)
        added, skipped = import_full(app_context(ctx), file, skip_existing=on_conflict is OnConflict.skip, dry_run=dry_run)
        also = f"; skipped {len(skipped)} already stored: {', '.join(skipped)}" if skipped else ""
        verb = "Checked" if dry_run else "Imported"
        tail = " (--dry-run: nothing written)" if dry_run else ""
        typer.echo(f"{verb} {file}: {added} case{'s' if added != 1 else ''} with everything recorded on them{also}{tail}.")
        return
    from rich.progress import Progress

    from lado_cli.cli import views

    on_conflict = on_conflict or OnConflict.skip

    show_progress = sys.stderr.isatty()
    with Progress(transient=True, disable=not show_progress, console=views.console(stderr=True)) as progress:
        added, updated, skipped, rows, hits = _import(app_context(ctx), file, encoding, on_conflict, dry_run, progress if show_progress else None,
                                                      two_digit_years=two_digit_years)  # fmt: skip
    shown = views.visible(str(file))  # a file name is shown, never obeyed by the terminal
    if rows == 0:
        typer.echo(f"{shown} has a header but no data rows; nothing was imported.")
    elif dry_run:
        typer.echo(f"Checked {shown}: {rows} rows, all valid; would add {added}, update {updated}, skip {skipped} (--dry-run: nothing written).")
    else:
        from lado_cli.cli.match import history_summary, report_import_matches

        typer.echo(f"Imported {shown}: {added} added, {updated} updated, {skipped} skipped." + (f" {history_summary(hits)}" if added else ""))
        report_import_matches(hits)  # R11a on import: each match and why


def _import(app, file: Path, encoding: str, on_conflict: OnConflict, dry_run: bool, progress, *,
            two_digit_years: bool = False) -> tuple[int, int, int, int, list[dict]]:  # fmt: skip
    """Check every row, then write them all (or nothing). Returns the counts of cases added,
    updated and skipped, of data rows, and the R11a history check's matches of the added cases
    (`store.matching.matches_of_new_cases`), each also recorded in its case's chronology."""
    from lado_cli.cli.views import visible
    from lado_cli.domain.spreadsheet import TWO_DIGIT_HINT, expand_row_years, mojibake
    from lado_cli.domain.transfer import import_effects, read_header, row_problems, row_values
    from lado_cli.store.matching import max_case_id
    from lado_cli.store.transfer import Existing, insert_batch, update_case

    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    tz = profile.calendar().tz
    problems: list[str] = []
    added = updated = skipped = rows = 0
    today = profile.calendar().local(now).date()
    short_years = False  # a cell refused for its two-digit year: say once how to fix the file
    garbled: list[tuple[int, str]] = []  # (row, first cell) of text that looks mis-decoded
    if file.suffix.lower() == ".xlsx":
        from lado_cli.cli.xlsx import xlsx_rows

        source = xlsx_rows(file)
    else:
        source = _rows(file, encoding, progress)
    header = None
    # One transaction: an error or an interruption leaves the database as it was. A dry run
    # only reads, so it never holds the write lock (issue #12).
    with db.read() if dry_run else db.begin() as conn:
        existing = Existing(conn)
        since_id = None if dry_run else max_case_id(conn)  # the import's cases are those after it (one transaction)
        first_row: dict[object, int] = {}  # ref or match key -> the row that had it
        batch: list = []
        for rowno, cells in source:
            if header is None:
                header = read_header(cells)
                for name in header.unknown:
                    typer.echo(visible(f"Warning: column '{name}' is not an import column and is ignored (`lado import --template` lists them)."), err=True)
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets leave at the end
            rows += 1
            if bad_text := mojibake(cells):
                garbled.append((rowno, bad_text))
            raw = row_values(header, cells)
            if two_digit_years:
                raw = expand_row_years(raw, today)
            try:  # every problem of the row is listed, not only the first
                rec = row_problems(rowno, raw, profile, now)
            except LadoError as err:
                problems.append(f"row {rowno}: {err}")
                continue
            if isinstance(rec, list):
                problems += [err.for_row(rowno) for err in rec]
                short_years = short_years or any(err.problem == "has a two-digit year" for err in rec)
                continue
            key = rec.ref or rec.match_key
            if key in first_row:
                what = f"ref {rec.ref}" if rec.ref else "the same adult, date of birth and concern-arose"
                problems.append(f"row {rowno}: {what} as row {first_row[key]}; expected each case once in a file")
                continue
            first_row[key] = rowno
            conflict = existing.conflict(rec)
            if conflict:
                if on_conflict is OnConflict.error:
                    problems.append(f"row {rowno}: case {conflict[1]} is already stored; expected a new case (or --on-conflict skip|update)")
                elif on_conflict is OnConflict.skip:
                    skipped += 1
                elif rec.version is None:
                    problems.append(f"row {rowno}: column version is empty for case {conflict[1]}; expected the version `lado export` wrote, so a later change is never overwritten")
                elif rec.version != existing.version[conflict[0]]:
                    problems.append(f"row {rowno}: case {conflict[1]} was changed after this file was exported (version {rec.version} in the file, "
                                    f"{existing.version[conflict[0]]} stored); expected a fresh `lado export` with the change made again")  # fmt: skip
                else:
                    updated += 1
                    if not (problems or dry_run):
                        update_case(conn, conflict[0], rec, f"Updated from {file.name}, row {rowno}.", now=now, actor=actor)
                continue
            year = rec.referral.received.astimezone(tz).year
            added += 1
            if problems or dry_run:
                continue  # keep checking, stop writing
            batch.append((rec, year, *import_effects(rec, profile, file.name)))
            if len(batch) >= BATCH:
                insert_batch(conn, batch, prefix=profile.ref_prefix, now=now, actor=actor)
                batch.clear()
        if header is None:
            raise LadoError(f"{file} has no header row; expected the columns of `lado import --template`")
        if garbled:  # a warning, not a refusal: the names may really be so spelt (README "Encodings")
            first_row, text = garbled[0]
            more = f" and {len(garbled) - 1} more row{'s' if len(garbled) > 2 else ''}" if len(garbled) > 1 else ""
            typer.echo(visible(f"Warning: row {first_row}{more} of {file} {'hold' if more else 'holds'} text like '{text}', which looks like UTF-8 read with the wrong encoding; "
                               f"check the names, and try --encoding utf-8 (or re-save the file as UTF-8) if they are garbled."), err=True)  # fmt: skip
        if problems:
            for line in problems[:MAX_LISTED]:  # the file's text, with any control character shown, not obeyed by the terminal
                typer.echo(visible(line), err=True)
            if short_years:
                typer.echo(f"Hint: {TWO_DIGIT_HINT}.", err=True)
            more = f" ({len(problems) - MAX_LISTED} more not listed)" if len(problems) > MAX_LISTED else ""
            raise LadoError(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in {file}{more}; nothing was imported")
        insert_batch(conn, batch, prefix=profile.ref_prefix, now=now, actor=actor)
        hits = [] if dry_run or not added else _history_check(app, conn, since_id, now=now, actor=actor)
    return added, updated, skipped, rows, hits


def _history_check(app, conn, since_id: int, *, now, actor: str) -> list[dict]:
    """R11a on import, as `lado refer` does at intake: every added case against the earlier
    records (stored before, or earlier rows of this file), with a "history-check" entry in the
    chronology of each case that has matches, written in the import's transaction."""
    from lado_cli.cli.match import nicknames, thresholds
    from lado_cli.store.matching import matches_of_new_cases
    from lado_cli.store.transfer import add_history_entries

    hits = matches_of_new_cases(conn, since_id, nick=nicknames(app.profile), thresholds=thresholds(app.profile))
    per_case: dict[int, list[dict]] = {}
    for h in hits:
        per_case.setdefault(h["case_id"], []).append(h)
    texts = {}
    for case_id, found in per_case.items():
        listed = "; ".join(f"{h['other']} ({'the adult' if h['match'] == 'subject' else 'a child'}, {h['band']} {h['score']:.2f})" for h in found)
        texts[case_id] = f"Earlier records about the same adult or child found at import (R11a): {listed}."
    add_history_entries(conn, texts, now=now, actor=actor)
    return hits

def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv (the import columns), json, or xlsx (a workbook with date cells; needs --output)."),
    all_: bool = typer.Option(False, "--all", "-a", help="Every case, closed and advice-only too (default: open cases)."),
    redact: bool = typer.Option(False, "--redact", help="Leave out the names of children and third parties (R26), every part of them, from every column; the adult's name is kept. For sharing; such a file does not import back the same."),
    output: Path = output_param("the cases (needed for xlsx and --full)"),
    full: bool = typer.Option(False, "--full", help="Everything, as one JSON file (lado-export/1) that `lado import` turns back into the same database: limits, meetings, chronology, ..."),
) -> None:
    """Export cases in the columns of `lado import` (CSV, JSON or an .xlsx workbook).

    `lado export --all` imported into an empty database gives the same case details back;
    `lado export --full --output FILE` gives everything back, limits and chronology included.

    CSV cells a spreadsheet would run as a formula (starting = + - @, also after spaces,
    or TAB or CR) get a leading apostrophe, which `lado import` removes again.
    """
    import json

    from lado_cli.cli.render import jsonable
    from lado_cli.domain.csvsafe import Writer
    from lado_cli.domain.transfer import COLUMNS, export_row
    from lado_cli.store.transfer import export_cases

    app = app_context(ctx)
    profile = app.profile
    tz = profile.calendar().tz
    statuses = None if all_ else ["open"]
    # With --output FILE, stdout is that file (lado_cli/files.py puts it in place when complete).
    if full:
        from lado_cli.cli.full_export import export_full

        if output is None:
            raise LadoError("--full: give --output FILE; expected the name of a new .json file", usage=True)
        if redact or fmt is not ExportFormat.csv and fmt is not ExportFormat.json:
            raise LadoError("--full: is the whole database as JSON; expected no --redact and no --format other than json", usage=True)
        n = export_full(app, sys.stdout)
        typer.echo(f"Exported {n} case{'s' if n != 1 else ''} with everything recorded on them to {output}.", err=True)
        return
    if fmt is ExportFormat.xlsx:
        from lado_cli.cli.xlsx import xlsx_bytes

        if output is None:
            raise LadoError("--format xlsx: give --output FILE.xlsx; a workbook is not written to a terminal", usage=True)
        with app.db.read() as conn:
            data = xlsx_bytes(COLUMNS, (export_row(case, profile, redact=redact) for case in export_cases(conn, statuses)), tz)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        typer.echo(f"Exported to {output}.", err=True)
        return
    out = sys.stdout
    with app.db.read() as conn:
        rows = (jsonable(export_row(case, profile, redact=redact), tz) for case in export_cases(conn, statuses))
        if fmt is ExportFormat.json:  # streamed: one case per line inside the array
            wrote = False
            out.write("[")
            for row in rows:
                out.write(("," if wrote else "") + "\n  " + json.dumps(row, ensure_ascii=False))
                wrote = True
            out.write("\n]\n" if wrote else "]\n")
        else:
            writer = Writer(out, "\r\n")
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow([";".join(str(v) for v in row[c]) if isinstance(row[c], list) else None if row[c] is None else str(row[c]) for c in COLUMNS])
