"""The one CSV writer of every CSV lado prints (`list`, `show`, `due`, `audit`, `stats`,
`retention`, `profile show`, `export`): cells a spreadsheet would run as a formula are
neutralised, and a line break of any kind never splits a row. Pure: writes to the stream
it is given.

Formula neutralisation (CSV injection, as OWASP advises): a text cell that starts with
TAB, CR, LF or NUL, or whose first character after any leading whitespace is = + - @ (or
their full-width forms), gets a leading apostrophe, which spreadsheets take as "this is
text". Leading spaces count: some spreadsheets trim them on opening, and " =1+1" then runs.
Numbers lado computes (counts, percentages, working days overdue) are never prefixed:
"-2" is a number to a spreadsheet, not a formula.

So that `lado import` can give back exactly what `lado export` wrote, a cell that already
starts with apostrophes followed by such a start gets one more, and `unneutralise` takes
exactly one off again: "=x" -> "'=x" -> "=x", and "'=x" -> "''=x" -> "'=x".

Quoting (RFC 4180): a cell holding a comma, a double quote, CR or LF is quoted. Python's
csv module leaves a bare CR unquoted when rows end in LF alone, and Excel and LibreOffice
then start a new row there; this writer quotes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

#: What a spreadsheet may run as a formula when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA = re.compile(r"[\t\r\n\x00]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_QUOTE = re.compile(r'[,"\r\n]')


def _formula(cell: str) -> bool:
    """The cell, without any apostrophes it starts with, is one a spreadsheet would run."""
    return _FORMULA.match(cell.lstrip("'")) is not None


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (or one that `unneutralise` would change)
    gets a leading apostrophe."""
    return "'" + cell if _formula(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise`: "'=..." comes back as "=...", "''=..." as "'=..."; any other cell as it is."""
    return cell[1:] if cell[:1] == "'" and _formula(cell[1:]) else cell


def cell_text(value: Any) -> str:
    """One cell as written: None empty, a number as it is, any other value as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        text = neutralise(str(value))
    return '"' + text.replace('"', '""') + '"' if _QUOTE.search(text) else text


def row_text(cells: Iterable[Any], end: str = "\n") -> str:
    """One row of cells (see `cell_text`) ending in `end`."""
    texts = [cell_text(c) for c in cells]
    if texts == [""]:
        texts = ['""']  # one empty cell is not an empty line
    return ",".join(texts) + end


class Writer:
    """Rows written to `out`, each ended by `end` ("\\n" for lado's tables, "\\r\\n" for `export`)."""

    def __init__(self, out: TextIO, end: str = "\n") -> None:
        self.out, self.end = out, end

    def writerow(self, cells: Iterable[Any]) -> None:
        self.out.write(row_text(cells, self.end))
