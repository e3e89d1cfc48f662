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


PIPED_WIDTH = 1000  # piped without COLUMNS: lines as long as their content, never wrapped or cut


def console(stderr: bool = False):
    """Where people read output. On a terminal (or with COLUMNS set) everything is wrapped to
    the width, from 60 columns up: table columns fold rather than crop (`fit`). Piped (cron
    mail, `| less`) without COLUMNS, lines are as long as their content, without padding."""
    import os

    from rich.console import Console

    class _Console(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            objects = tuple(fit(o, self.width, self) for o in objects)
            if not plain:
                return super().print(*objects, **kwargs)
            with self.capture() as captured:
                super().print(*objects, **kwargs)
            self.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
            self.file.flush()

    stream = sys.stderr if stderr else sys.stdout
    plain = not (getattr(stream, "isatty", lambda: False)() or os.environ.get("COLUMNS", "").strip().isdigit())
    return _Console(stderr=stderr, highlight=False, soft_wrap=False, width=PIPED_WIDTH if plain else None)


def fit(renderable: Any, width: int, console: Any = None) -> Any:
    """Make rich tables (also inside panels and groups) wrap instead of crop at `width`:
    every column may fold, and no minimum width is wider than its share of the line."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    if isinstance(renderable, Table):
        cols = renderable.columns
        share = max(width // max(len(cols), 1), 8)
        if renderable.min_width and renderable.min_width > width:
            renderable.min_width = None
        # Short values (references, dates) stay on one line while the rest of the table
        # can still fit with 10 columns for each wrapping column; otherwise everything folds.
        edges = _edges(renderable)
        kept = sum(_longest(c) if c.no_wrap else max(_longest(c, words=True), 3) for c in cols)
        keep = kept + edges <= width
        if not keep and renderable.show_header and len(cols) >= 3:
            return _stacked(renderable, width)
        too_wide = sum(c.min_width or 0 for c in cols) + edges > width
        for col in cols:
            col.no_wrap = col.no_wrap and keep
            col.overflow = "fold"
            if too_wide and col.min_width and col.min_width > share:
                col.min_width = None
        if console is not None and keep and _overflows(console, renderable, width):  # rich's sizing is not exact
            return _stacked(renderable, width) if renderable.show_header and len(cols) >= 3 else _unpinned(renderable)
        for col in cols:
            for cell in col._cells:
                fit(cell, width, console)
    elif isinstance(renderable, Panel):
        renderable.renderable = fit(renderable.renderable, width - 4, console)
    elif isinstance(renderable, Group):
        renderable.renderables[:] = [fit(r, width, console) for r in renderable.renderables]
    return renderable


def _overflows(console: Any, table: Any, width: int) -> bool:
    """Would `table` be wider than `width`? (rendered, not cropped, and measured)"""

    import io

    from rich.cells import cell_len
    from rich.console import Console

    for col in table.columns:  # a word broken in two, or a value cut: rich cannot fit it
        if col.no_wrap and col.width is not None and col.width < _longest(col):
            return True
    probe = Console(width=width, file=io.StringIO(), highlight=False, soft_wrap=False, color_system=None)
    probe.print(table, crop=False)
    lines = probe.file.getvalue().splitlines()
    if any(cell_len(line.rstrip()) > width for line in lines):
        return True
    words = {w for col in table.columns if not col.no_wrap for cell in col._cells if isinstance(cell, str)
             for w in _plain(cell).split() if len(w) > 1}  # fmt: skip
    shown = set(" ".join(lines).split())
    return not words <= shown


def _plain(markup: str) -> str:
    from rich.text import Text

    return Text.from_markup(markup).plain


def _unpinned(table: Any) -> Any:
    """A table whose columns may all fold: it fits any width, if not prettily."""
    for col in table.columns:
        col.no_wrap, col.min_width = False, None
    return table


def _stacked(table: Any, width: int) -> Any:
    """A table too wide for the terminal, as one block per row: the first column's value,
    then 'Header  value' lines that wrap. Nothing is cut; the order of rows is kept."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    cols = table.columns
    headers = [Text.from_markup(c.header).plain if isinstance(c.header, str) else str(c.header) for c in cols]
    parts: list[Any] = []
    if table.title:
        parts.append(Text.from_markup(table.title, style=table.title_style or "") if isinstance(table.title, str) else table.title)
    for i in range(table.row_count):
        cells = [c._cells[i] if i < len(c._cells) else "" for c in cols]
        first = cells[0]
        if isinstance(first, str) and first.isdigit():
            first = f"{headers[0]} {first}"  # an id alone says nothing
        parts.append(Text.from_markup(first, style="bold") if isinstance(first, str) else first)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold", style="dim", width=min(2 + max(len(h) for h in headers[1:]), width // 3))
        grid.add_column(overflow="fold")
        for header, cell in zip(headers[1:], cells[1:], strict=True):
            if cell not in ("", None):
                grid.add_row("  " + header, cell)
        parts.append(grid)
    if table.caption:
        parts.append(Text.from_markup(table.caption) if isinstance(table.caption, str) else table.caption)
    return Group(*parts)


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


def _edges(table: Any) -> int:
    """Columns of a table's line taken by padding, borders and column separators."""
    n = len(table.columns)
    pad = table.padding[1] + table.padding[3] if len(table.padding) == 4 else 2
    inner = n * pad - (pad if not table.pad_edge else 0)
    if table.box is None:
        return inner
    vertical = table.box.head_vertical.strip() != ""
    return inner + (n - 1 if vertical else 0) + (2 if table.show_edge else 0)


def _longest(column: Any, words: bool = False) -> int:
    """The widest line (or, with `words`, word) of a column's cells (markup strings as shown)."""
    from rich.cells import cell_len
    from rich.text import Text

    widest = 0
    for cell in [column.header, *column._cells]:
        if isinstance(cell, str):
            plain = Text.from_markup(cell).plain
            parts = plain.split() if words else plain.split("\n")
            widest = max([widest, *(cell_len(p) for p in parts)])
    return widest
