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

BATCH = 2000
MAX_LISTED = 100  # problems printed one per line; the rest are counted


class OnConflict(str, Enum):
    skip = "skip"
    update = "update"
    error = "error"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


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
    file: Path = typer.Argument(None, metavar="FILE.csv", help="CSV file: a header row of column names (`--template`), then one case per row."),
    template: bool = typer.Option(False, "--template", help="Print the header row of an import file and exit."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report; write nothing."),
    on_conflict: OnConflict = typer.Option(OnConflict.skip, "--on-conflict", help="A row for a case already stored (same ref, or same adult, date of birth and concern-arose): skip it, update the case from it, or count it as an error."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="The file's text encoding, e.g. cp1252 for some Windows exports (default: UTF-8, with or without BOM)."),
) -> None:
    """Import cases from a CSV file, all or nothing.

    Every row is checked with the rules of `lado refer` before anything is written; any
    problem means nothing is imported, and each is listed with its spreadsheet row number.
    Importing the same file twice adds nothing.
    """
    from lado_cli.domain.transfer import COLUMNS

    if template:
        typer.echo(",".join(COLUMNS))
        return
    if file is None:
        raise LadoError("give the CSV file to import (or --template for its header row)", usage=True)
    from rich.progress import Progress

    from lado_cli.cli import views

    show_progress = sys.stderr.isatty()
    with Progress(transient=True, disable=not show_progress, console=views.console(stderr=True)) as progress:
        added, updated, skipped, rows = _import(app_context(ctx), file, encoding, on_conflict, dry_run, progress if show_progress else None)
    shown = views.visible(str(file))  # a file name is shown, never obeyed by the terminal
    if rows == 0:
        typer.echo(f"{shown} has a header but no data rows; nothing was imported.")
    elif dry_run:
        typer.echo(f"Checked {shown}: {rows} rows, all valid; would add {added}, update {updated}, skip {skipped} (--dry-run: nothing written).")
    else:
        typer.echo(f"Imported {shown}: {added} added, {updated} updated, {skipped} skipped.")
        if added:
            from lado_cli.cli.match import report_import_matches

            report_import_matches(app_context(ctx), added)  # R11a on import


def _import(app, file: Path, encoding: str, on_conflict: OnConflict, dry_run: bool, progress) -> tuple[int, int, int, int]:
    from lado_cli.cli.views import visible
    from lado_cli.domain.transfer import check_row, import_effects, read_header, row_values
    from lado_cli.errors import FieldError
    from lado_cli.store.transfer import Existing, insert_batch, update_case

    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    tz = profile.calendar().tz
    problems: list[str] = []
    added = updated = skipped = rows = 0
    header = None
    with db.begin() as conn:  # one transaction: an error or an interruption leaves the database as it was
        existing = Existing(conn)
        first_row: dict[object, int] = {}  # ref or match key -> the row that had it
        batch: list = []
        for rowno, cells in _rows(file, encoding, progress):
            if header is None:
                header = read_header(cells)
                for name in header.unknown:
                    typer.echo(visible(f"Warning: column '{name}' is not an import column and is ignored (`lado import --template` lists them)."), err=True)
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets leave at the end
            rows += 1
            try:
                rec = check_row(rowno, row_values(header, cells), profile, now)
            except FieldError as err:
                problems.append(err.for_row(rowno))
                continue
            except LadoError as err:
                problems.append(f"row {rowno}: {err}")
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
        if problems:
            for line in problems[:MAX_LISTED]:  # the file's text, with any control character shown, not obeyed by the terminal
                typer.echo(visible(line), err=True)
            more = f" ({len(problems) - MAX_LISTED} more not listed)" if len(problems) > MAX_LISTED else ""
            raise LadoError(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in {file}{more}; nothing was imported")
        insert_batch(conn, batch, prefix=profile.ref_prefix, now=now, actor=actor)
    return added, updated, skipped, rows


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv (the import columns) or json."),
    all_: bool = typer.Option(False, "--all", "-a", help="Every case, closed and advice-only too (default: open cases)."),
    redact: bool = typer.Option(False, "--redact", help="Leave out the names of children and third parties (R26), every part of them, from every column; the adult's name is kept. For sharing; such a file does not import back the same."),
) -> None:
    """Export cases in the columns of `lado import` (CSV or JSON).

    `lado export --all` imported into an empty database gives the same cases back.

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
            return
        writer = Writer(out, "\r\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([";".join(str(v) for v in row[c]) if isinstance(row[c], list) else None if row[c] is None else str(row[c]) for c in COLUMNS])
