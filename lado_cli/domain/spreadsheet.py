"""What spreadsheets do to a file that is saved again: two-digit years (`lado import
--two-digit-years`) and UTF-8 text read with the wrong encoding (mojibake). Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

# -- two-digit years (`lado import --two-digit-years`) -----------------------------------------
# What LibreOffice and Excel write back in a UK locale: 03/11/26 or 03/11/26 09:05.
_SHORT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})((?: \d{1,2}:\d{2}(?::\d{2})?)?)", re.ASCII)
ADULT_MIN_AGE = 16  # the youngest age a two-digit year of birth may give the adult
TWO_DIGIT_HINT = ("dates such as 03/11/26 have a two-digit year: format the date columns as DD/MM/YYYY "
                  "(Format > Cells > Date) before saving the CSV, or import with --two-digit-years")  # fmt: skip


def _century(field: str, day: int, month: int, yy: int, today: date) -> int:
    """The full year of a two-digit one (README "Two-digit years"):
    * subject-dob: 20yy if that makes the adult ADULT_MIN_AGE or older today, else 19yy;
    * child-dob: 20yy unless that date is after today, then 19yy (which R1 then refuses);
    * every other date (an event): 20yy; an event after today is then refused as in the future.
    The date compared is the one written; 29/02 of a year that is not leap stays invalid."""
    late = 2000 + yy
    if field == "subject-dob":
        try:
            sixteenth = date(late + ADULT_MIN_AGE, month, day)
        except ValueError:  # 29/02, or not a real date: leave it to the parser to refuse
            sixteenth = date(late + ADULT_MIN_AGE, month, 28 if month == 2 else 1)
        return late if sixteenth <= today else late - 100
    if field == "child-dob":
        try:
            return late if date(late, month, day) <= today else late - 100
        except ValueError:
            return late
    return late


def expand_years(field: str, value: str, today: date) -> str:
    """`value` with a dd/mm/yy date written with its full year, per `_century`; other text unchanged."""
    m = _SHORT_YEAR.fullmatch(value.strip())
    if not m:
        return value
    d, mo, yy = int(m[1]), int(m[2]), int(m[3])
    return f"{m[1]}/{m[2]}/{_century(field, d, mo, yy, today)}{m[4]}"


DATE_COLUMNS = ("subject-dob", "child-dob", "happened", "concern-arose", "received", "outcome-date", "closed")


def expand_row_years(raw: dict[str, Any], today: date) -> dict[str, Any]:
    for field in DATE_COLUMNS:
        value = raw.get(field)
        if isinstance(value, list):
            raw[field] = [expand_years(field, v, today) for v in value]
        elif isinstance(value, str):
            raw[field] = expand_years(field, value, today)
    return raw


# -- mojibake -------------------------------------------------------------------------------
# UTF-8 text read as Latin-1/cp1252: é -> Ã©, ë -> Ã«, ’ -> â€™, a non-breaking space -> Â.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152-\u2122]|â€|Â[\u00a0-\u00bf]")


def mojibake(cells: Sequence[str]) -> str | None:
    """The first cell that looks like UTF-8 read with the wrong encoding, or None."""
    for cell in cells:
        if isinstance(cell, str) and _MOJIBAKE.search(cell):
            return cell
    return None
