"""The one place output is formatted: rich tables for people, JSON and CSV for machines.

Machine output has ISO-8601 instants with their UTC offset (local time of the profile's
zone), ISO dates, no markup, and `[]` for an empty list.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import typer


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def format_option(help_extra: str = "") -> Any:
    return typer.Option(Format.table, "--format", "-f", case_sensitive=False,
                        help=f"Output: a table for people, or json/csv for scripts (ISO-8601 times).{help_extra}")  # fmt: skip


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def err(message: str) -> None:
    """A note for the person at the terminal (stderr, so stdout stays clean for scripts)."""
    console(stderr=True).print(message)


def jsonable(value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: jsonable(v, tz) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, tz) for v in value]
    return value


def print_json(data: Any, tz: ZoneInfo) -> None:
    sys.stdout.write(json.dumps(jsonable(data, tz), indent=2, ensure_ascii=False) + "\n")


def print_csv(rows: Iterable[Mapping[str, Any]], columns: list[str], tz: ZoneInfo) -> None:
    """Formula-safe CSV (lado_cli.domain.csvsafe: the one CSV writer)."""
    from lado_cli.domain.csvsafe import Writer

    out = Writer(sys.stdout, "\n")
    out.writerow(columns)
    for row in rows:
        out.writerow([None if row.get(c) is None else _csv_cell(jsonable(row.get(c), tz)) for c in columns])


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value  # text is neutralised by the writer; numbers stay numbers


END_OF_DAY = time(23, 59, 59)


def when(value: datetime | date | None, tz: ZoneInfo) -> str:
    """A time as people read it in the UK: 'Tue 24/11/2026 10:00'; a date-only deadline
    (due at the end of its day) as 'end of Tue 24/11/2026'."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    local = value.astimezone(tz)
    if local.time() == END_OF_DAY:
        return f"end of {local:%a %d/%m/%Y}"
    return f"{local:%a %d/%m/%Y %H:%M}"


def emit(fmt: Format, data: Any, *, tz: ZoneInfo, columns: list[str] | None = None,
         rows: Callable[[], Iterable[Mapping[str, Any]]] | None = None, table: Callable[[], Any]) -> None:  # fmt: skip
    """Print `data` as JSON, CSV (`rows()` in `columns`) or the rich renderable `table()`."""
    if fmt is Format.json:
        print_json(data, tz)
    elif fmt is Format.csv:
        print_csv(rows() if rows else data, columns or [], tz)
    else:
        console().print(table())
