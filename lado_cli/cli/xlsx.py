"""Spreadsheet (.xlsx) files for `lado export --format xlsx` and `lado import FILE.xlsx`,
through openpyxl (imported here, lazily: `lado --help` never loads it).

Written: the CSV columns, one case per row, instants as real date-time cells in UK local
time (number format dd/mm/yyyy hh:mm; the seconds are kept in the value), dates as date
cells (dd/mm/yyyy), lists joined with ';'. No cell is ever a formula: text starting with
'=' is stored as text. A local time the clocks repeat (the hour after 01:00 on the last
Sunday of October) is written as ISO text with its offset, because a spreadsheet date-time
has no time zone and would make it ambiguous.

Read: the first sheet; date cells become the same text the CSV import reads (naive, so
Europe/London local time per the profile), text cells go through the same checks.
A formula cell is refused: its value is whatever the spreadsheet last computed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.errors import LadoError

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
DATE_ONLY = ("subject-dob", "outcome-date", "closed")  # the other date columns hold instants
SHEET_TITLE = "Cases"


def _ambiguous(local: datetime) -> bool:
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], tz: ZoneInfo) -> bytes:
    """The workbook of `rows` (export_row dicts: aware instants, dates, lists, text)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = list(rows)
    for row in rows:  # checked before the workbook is begun, so a refusal leaves nothing half-written
        for column in columns:
            value = row.get(column)
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str) and (bad := ILLEGAL_CHARACTERS_RE.search(v)):  # never altered silently: a record
                    raise LadoError(f"case {row.get('ref')}, column {column} holds a control character (U+{ord(bad[0]):04X}) "
                                    "that an .xlsx file cannot hold; expected --format csv or json for this case")  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)

    def cell(value: Any) -> Any:
        if value is None or value == []:
            return None
        if isinstance(value, list):
            value = ";".join("" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v) for v in value)
        if isinstance(value, datetime):
            local = value.astimezone(tz)
            if _ambiguous(local):
                c = WriteOnlyCell(ws, local.isoformat())
                c.data_type = "s"
                return c
            c = WriteOnlyCell(ws, local.replace(tzinfo=None))
            c.number_format = DATETIME_FORMAT
            return c
        if isinstance(value, date):
            c = WriteOnlyCell(ws, value)
            c.number_format = DATE_FORMAT
            return c
        c = WriteOnlyCell(ws, str(value))
        c.data_type = "s"  # never a formula, whatever the text starts with
        return c

    ws.append(list(columns))
    for row in rows:
        ws.append([cell(row.get(c)) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(column: str, value: Any, number_format: str) -> str:
    """A cell as the text the CSV import would have read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        value = value.replace(microsecond=0) + timedelta(seconds=round(value.microsecond / 1e6))
        if column in DATE_ONLY or column == "child-dob" or (value.time() == time(0) and "h" not in number_format.lower()):
            return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M:%S")
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the first sheet; the header row is row 1."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except OSError as err:
        raise LadoError(f"cannot read {path}: {err.strerror}") from None
    except (BadZipFile, KeyError, ValueError) as err:
        raise LadoError(f"{path} is not an .xlsx workbook ({err}); expected a file saved as Excel 2007-365 (.xlsx)") from None
    try:
        ws = wb.worksheets[0]
        header: list[str] = []
        for rowno, cells in enumerate(ws.iter_rows(), 1):
            if rowno == 1:
                header = [_text("", c.value, "") for c in cells]
                from lado_cli.domain.transfer import column_name

                header_slugs = [column_name(h) for h in header]
                yield rowno, header
                continue
            out = []
            for i, c in enumerate(cells):
                column = header_slugs[i] if i < len(header_slugs) else ""
                if c.data_type == "f":
                    raise LadoError(f"row {rowno}, column {column or i + 1} of {path} is a formula ({c.value}); "
                                    "expected values: copy the sheet and paste as values before importing")  # fmt: skip
                out.append(_text(column, c.value, c.number_format or ""))
            yield rowno, out
    finally:
        wb.close()
