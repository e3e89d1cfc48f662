"""Parsing the dates and times a UK user types (flags, prompts, import columns).

Accepted shapes, nothing else:
  ISO  2026-12-24, 2026-12-24 10:00, 2026-12-24T10:00:30, ... with optional Z / +01:00 / -05:00
  UK   24/12/2026 or 4/1/2026, optionally followed by a space and 10:00 or 10:00:30
Numeric dates are always day first (03/04/2026 is 3 April). Two-digit years, words
("yesterday") and impossible dates are refused with a `FieldError` naming the field.
Local times are PROCEDURE §3's Europe/London unless told otherwise; instants come back in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from lado_cli.errors import FieldError

DATE_EXPECTED = "a date such as 24/12/2026 or 2026-12-24"
INSTANT_EXPECTED = "a date and time such as 24/12/2026 10:00 or 2026-12-24 10:00"
MIN_YEAR, MAX_YEAR = 1900, 2100  # anything outside is a typo (e.g. 0226), not a case date

_TIME = r"(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?"
_ISO = re.compile(
    rf"(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})"
    rf"(?:[T ]{_TIME}(?P<zone>Z|(?P<sign>[+-])(?P<oh>\d{{2}}):(?P<om>\d{{2}}))?)?",
    re.ASCII,
)
_UK = re.compile(rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})(?: {_TIME})?", re.ASCII)
_UK_SHORT_YEAR = re.compile(rf"\d{{1,2}}/\d{{1,2}}/\d{{2}}(?: {_TIME})?", re.ASCII)



def _split(text: str, field: str, expected: str) -> tuple[str, re.Match[str], bool]:
    """Check the shape; return the stripped text, its match and whether it is ISO."""
    value = text.strip()
    if not value:
        raise FieldError(field, value, "is empty", expected)
    if match := _ISO.fullmatch(value):
        return value, match, True
    if match := _UK.fullmatch(value):
        return value, match, False
    if _UK_SHORT_YEAR.fullmatch(value):
        raise FieldError(field, value, "has a two-digit year", expected)
    raise FieldError(field, value, "is not a date", expected)


def _wall_time(value: str, match: re.Match[str], iso: bool, field: str, expected: str) -> datetime:
    """The naive date and time written, built from the parts the strict pattern matched.

    The pattern fixes which part is the day (UK day/month/year, ISO year-month-day), so the
    value is never read US-style; datetime() refuses impossible dates (31/02, month 13).
    Building it directly is ten times faster than a general parser, which matters for imports.
    """
    hh, mi, ss = (int(match[k] or 0) for k in ("hh", "mi", "ss"))
    if hh > 23 or mi > 59 or ss > 59:
        raise FieldError(field, value, "is not a real time", expected)
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise FieldError(field, value, f"has a year outside {MIN_YEAR}-{MAX_YEAR}", expected)
    try:
        return datetime(y, m, d, hh, mi, ss)
    except ValueError:
        raise FieldError(field, value, "is not a real date", expected) from None


def parse_date(text: str, field: str) -> date:
    """A calendar date (no time part), e.g. 24/12/2026 or 2026-12-24."""
    value, match, iso = _split("" if text is None else text, field, DATE_EXPECTED)
    if match["hh"] is not None:
        raise FieldError(field, value, "should be a date without a time", DATE_EXPECTED)
    return _wall_time(value, match, iso, field, DATE_EXPECTED).date()


def parse_optional_date(text: str | None, field: str) -> date | None:
    """Like `parse_date`, but None, blank and "unknown" (any case) mean no date."""
    if text is None or text.strip().lower() in ("", "unknown"):
        return None
    return parse_date(text, field)


def parse_instant(text: str, field: str, tz: ZoneInfo) -> datetime:
    """A moment in time, returned as an aware datetime in UTC.

    Without an offset the value is local time in `tz` (a bare date is 00:00 that day). A
    local time skipped when the clocks go forward is refused; one repeated when they go back
    is refused as ambiguous unless an offset (or Z) says which. An offset given is honoured.
    """
    value, match, iso = _split("" if text is None else text, field, INSTANT_EXPECTED)
    wall = _wall_time(value, match, iso, field, INSTANT_EXPECTED)
    if iso and match["zone"]:
        if match["zone"] == "Z":
            offset = timedelta(0)
        else:
            oh, om = int(match["oh"]), int(match["om"])
            if oh > 23 or om > 59:
                raise FieldError(field, value, "has an impossible UTC offset", INSTANT_EXPECTED)
            offset = timedelta(hours=oh, minutes=om) * (-1 if match["sign"] == "-" else 1)
        return wall.replace(tzinfo=timezone(offset)).astimezone(UTC)

    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        where = "UK time" if tz.key == "Europe/London" else f"{tz.key or 'local'} time"
        if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
            raise FieldError(
                field, value, f"does not exist in {where} (the clocks go forward)", INSTANT_EXPECTED
            )
        raise FieldError(
            field,
            value,
            f"is ambiguous in {where} (the clocks go back); "
            f"add {_offset(first)} or {_offset(second)}",
            INSTANT_EXPECTED,
        )
    return first.astimezone(UTC)


def _offset(instant: datetime) -> str:
    """+HH:MM for an aware datetime's UTC offset."""
    minutes = int(instant.utcoffset().total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
