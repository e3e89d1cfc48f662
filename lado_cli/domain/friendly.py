"""Friendly dates and times for the wizards: what a person types at a question, made
into the strict form of `lado_cli.domain.dates` (dd/mm/yyyy hh:mm) or refused.

Accepted, besides the strict forms (which are tried first):
  now                                  the current time (the `now` given, read at each question)
  today 09:15, yesterday 16:00         a day word and a time
  1 Sept 2026 10:30, 1 September 2026 10.30am, Tue 1 Sep 2026 10:30
                                       a month by name, a four-digit year and a time
A moment that starts a clock (R12, R13...) needs a time: a date alone is refused, never
read as midnight (that would move a time limit hours early). Numbers alone are read only
by the strict UK day-first parser (03/04/2026 is 3 April), never month-first. Two-digit
years, "tomorrow", or a date without a year are refused: they could mislead.
Pure: `now` is a parameter (an aware datetime); `tz` the profile's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from lado_cli.domain.dates import DATE_EXPECTED, parse_date, parse_instant
from lado_cli.errors import FieldError

FRIENDLY_INSTANT = "a date and time such as 24/12/2026 10:00, today 09:15, yesterday 16:00 or 1 Sept 2026 10:30"
FRIENDLY_DATE = "a date such as 24/12/2026, today, yesterday or 1 Sept 2026"
_DAY_WORD = re.compile(r"(today|yesterday)(?:\s+(?:at\s+)?(.+))?", re.IGNORECASE)
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b")
_STRICT_DATE_ONLY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


def _clock(text: str, field: str, whole: str) -> tuple[int, int]:
    """hh:mm, hh.mm, 9am, 4.30pm: hours and minutes, or a FieldError."""
    m = _TIME.fullmatch(text.strip())
    if not m or (m[2] is None and m[3] is None):  # "10" alone could be anything
        raise FieldError(field, whole, "has no time (or not one this can read)", FRIENDLY_INSTANT)
    hh, mi = int(m[1]), int(m[2] or 0)
    if m[3]:
        if not 1 <= hh <= 12:
            raise FieldError(field, whole, "is not a real time", FRIENDLY_INSTANT)
        hh = hh % 12 + (12 if m[3].lower() == "pm" else 0)
    if hh > 23 or mi > 59:
        raise FieldError(field, whole, "is not a real time", FRIENDLY_INSTANT)
    return hh, mi


def _named_month(value: str, field: str, expected: str) -> tuple[date, str]:
    """'1 Sept 2026 10:30' -> (the date, what follows the year). dateutil reads the date part,
    day first; we insist on a month by name and a four-digit year, so it cannot mislead."""
    from dateutil import parser

    years = _YEAR.findall(value)
    if len(years) != 1:
        raise FieldError(field, value, "needs the year in four digits", expected)
    head, _, tail = value.partition(years[0])
    try:
        parsed = parser.parse(head + years[0], dayfirst=True, default=datetime(2000, 1, 1))
        check = parser.parse(head + years[0], dayfirst=True, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        raise FieldError(field, value, "is not a date", expected) from None
    if parsed.day != check.day or parsed.month != check.month:
        raise FieldError(field, value, "needs the day and the month", expected)
    return parsed.date(), tail.strip().removeprefix("at ").strip().lstrip(",").strip()


def _local_date(word: str, now: datetime, tz: ZoneInfo) -> date:
    today = now.astimezone(tz).date()
    return today if word.lower() == "today" else today - timedelta(days=1)


def friendly_instant(text: str | None, field: str, tz: ZoneInfo, now: datetime) -> str:
    """The moment typed, as strict 'dd/mm/yyyy hh:mm' local time (offsets kept as typed)."""
    value = " ".join((text or "").split())
    if not value:
        raise FieldError(field, value, "is empty", FRIENDLY_INSTANT)
    if value.lower() == "now":
        return f"{now.astimezone(tz):%d/%m/%Y %H:%M}"
    if _STRICT_DATE_ONLY.fullmatch(value):  # a date alone would be midnight: ask for the time
        raise FieldError(field, value, "has no time; add the time it happened, e.g. 09:15", FRIENDLY_INSTANT)
    try:
        parse_instant(value, field, tz)
        return value
    except FieldError as err:
        if not (_DAY_WORD.fullmatch(value) or _MONTH.search(value)):
            raise FieldError(field, value, err.problem, FRIENDLY_INSTANT) from None
    if m := _DAY_WORD.fullmatch(value):
        if not m[2]:
            raise FieldError(field, value, "has no time; add one, e.g. today 09:15", FRIENDLY_INSTANT)
        day, rest = _local_date(m[1], now, tz), m[2]
    else:
        day, rest = _named_month(value, field, FRIENDLY_INSTANT)
        if not rest:
            raise FieldError(field, value, "has no time; add one, e.g. 1 Sept 2026 10:30", FRIENDLY_INSTANT)
    hh, mi = _clock(rest, field, value)
    strict = f"{day:%d/%m/%Y} {hh:02d}:{mi:02d}"
    parse_instant(strict, field, tz)  # clocks going forward or back: refused as the strict parser does
    return strict


def friendly_date(text: str | None, field: str, tz: ZoneInfo, now: datetime) -> str:
    """A calendar date typed, as strict 'dd/mm/yyyy'."""
    value = " ".join((text or "").split())
    try:
        return f"{parse_date(value, field):%d/%m/%Y}"
    except FieldError as err:
        if value.lower() in ("today", "yesterday"):
            return f"{_local_date(value, now, tz):%d/%m/%Y}"
        if not _MONTH.search(value):
            raise FieldError(field, value, err.problem, FRIENDLY_DATE) from None
    day, rest = _named_month(value, field, FRIENDLY_DATE)
    if rest:
        raise FieldError(field, value, "should be a date without a time", FRIENDLY_DATE)
    return f"{day:%d/%m/%Y}"


__all__ = ["DATE_EXPECTED", "FRIENDLY_DATE", "FRIENDLY_INSTANT", "friendly_date", "friendly_instant"]
