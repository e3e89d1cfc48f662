"""Parsing what a UK user types: day-first dates, ISO, UK local time (PROCEDURE §3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lado_cli.domain.dates import (
    DATE_EXPECTED,
    INSTANT_EXPECTED,
    parse_date,
    parse_instant,
    parse_optional_date,
)
from lado_cli.errors import FieldError

LONDON = ZoneInfo("Europe/London")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- parse_date --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/12/2026", date(2026, 12, 24)),
        ("2026-12-24", date(2026, 12, 24)),
        ("03/04/2026", date(2026, 4, 3)),  # day first, never US style
        ("2026-03-04", date(2026, 3, 4)),  # ISO is year-month-day
        ("3/4/2026", date(2026, 4, 3)),
        ("1/12/2026", date(2026, 12, 1)),
        ("12/1/2026", date(2026, 1, 12)),
        ("29/02/2028", date(2028, 2, 29)),  # leap year
        ("  24/12/2026\t", date(2026, 12, 24)),  # surrounding whitespace ignored
        ("\n2026-12-24 ", date(2026, 12, 24)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, "concern-arose") == expected


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("", "", "is empty"),
        ("   ", "", "is empty"),
        ("24/12/26", "24/12/26", "has a two-digit year"),
        ("1/1/26", "1/1/26", "has a two-digit year"),
        ("31/02/2026", "31/02/2026", "is not a real date"),
        ("29/02/2026", "29/02/2026", "is not a real date"),  # not a leap year
        ("2026-02-29", "2026-02-29", "is not a real date"),
        ("2026-13-01", "2026-13-01", "is not a real date"),
        ("2026-00-10", "2026-00-10", "is not a real date"),
        ("00/12/2026", "00/12/2026", "is not a real date"),
        ("04/13/2026", "04/13/2026", "is not a real date"),  # US style is never guessed
        ("12/25/2026", "12/25/2026", "is not a real date"),
        ("24/12/0226", "24/12/0226", "has a year outside 1900-2100"),
        ("2226-12-24", "2226-12-24", "has a year outside 1900-2100"),
        ("yesterday", "yesterday", "is not a date"),
        ("next tuesday", "next tuesday", "is not a date"),
        ("today", "today", "is not a date"),
        ("24 December 2026", "24 December 2026", "is not a date"),
        ("24-12-2026", "24-12-2026", "is not a date"),
        ("24.12.2026", "24.12.2026", "is not a date"),
        ("2026/12/24", "2026/12/24", "is not a date"),
        ("20261224", "20261224", "is not a date"),
        ("2026-1-5", "2026-1-5", "is not a date"),
        ("24/12/2026 10:00", "24/12/2026 10:00", "should be a date without a time"),
        ("2026-12-24T10:00", "2026-12-24T10:00", "should be a date without a time"),
        ("2026-12-24 10:00Z", "2026-12-24 10:00Z", "should be a date without a time"),
        ("٢٤/١٢/٢٠٢٦", "٢٤/١٢/٢٠٢٦", "is not a date"),  # non-ASCII digits
    ],
)
def test_parse_date_refuses(text: str, value: str, problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_date(text, "concern-arose")
    err = caught.value
    assert (err.field, err.value, err.problem, err.expected) == (
        "concern-arose",
        value,
        problem,
        DATE_EXPECTED,
    )
    assert str(err) == f"--concern-arose: '{value}' {problem}; expected {DATE_EXPECTED}"


def test_date_expected_wording() -> None:
    assert DATE_EXPECTED == "a date such as 24/12/2026 or 2026-12-24"
    assert INSTANT_EXPECTED == "a date and time such as 24/12/2026 10:00 or 2026-12-24 10:00"


# -- parse_optional_date -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [None, "", "  ", "unknown", "Unknown", "UNKNOWN", " unknown "])
def test_parse_optional_date_blank(text: str | None) -> None:
    assert parse_optional_date(text, "date-of-birth") is None


def test_parse_optional_date_value_and_error() -> None:
    assert parse_optional_date("05/06/1980", "date-of-birth") == date(1980, 6, 5)
    with pytest.raises(FieldError) as caught:
        parse_optional_date("not known", "date-of-birth")
    assert (caught.value.field, caught.value.problem) == ("date-of-birth", "is not a date")


# -- parse_instant -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("24/12/2026 10:00", "2026-12-24T10:00"),  # GMT
        ("2026-12-24 10:00", "2026-12-24T10:00"),
        ("2026-12-24T10:00:30", "2026-12-24T10:00:30"),
        ("01/07/2026 10:00", "2026-07-01T09:00"),  # BST
        ("2026-07-01T10:00", "2026-07-01T09:00"),
        ("1/7/2026 10:00:15", "2026-07-01T09:00:15"),
        ("03/04/2026 12:00", "2026-04-03T11:00"),  # 3 April, BST
        ("24/12/2026", "2026-12-24T00:00"),  # a bare date is local midnight
        ("01/07/2026", "2026-06-30T23:00"),
        ("2026-07-01T10:00Z", "2026-07-01T10:00"),  # explicit offsets are honoured
        ("2026-07-01 10:00+01:00", "2026-07-01T09:00"),
        ("2026-07-01T10:00-05:00", "2026-07-01T15:00"),
        ("2026-07-01T10:00+05:30", "2026-07-01T04:30"),
        ("2026-12-24T10:00:00+00:00", "2026-12-24T10:00"),
        (" 2026-12-24 23:59:59 ", "2026-12-24T23:59:59"),
        # around the clock changes: unambiguous local times
        ("2026-03-29 00:59", "2026-03-29T00:59"),
        ("2026-03-29 02:00", "2026-03-29T01:00"),
        ("2026-10-25 00:59", "2026-10-24T23:59"),
        ("2026-10-25 02:00", "2026-10-25T02:00"),
        # the two readings of an ambiguous time, disambiguated by the offset
        ("2026-10-25T01:30+01:00", "2026-10-25T00:30"),
        ("2026-10-25T01:30+00:00", "2026-10-25T01:30"),
        ("2026-10-25T01:30Z", "2026-10-25T01:30"),
        # an offset makes a non-existent local time a real instant
        ("2026-03-29T01:30+00:00", "2026-03-29T01:30"),
    ],
)
def test_parse_instant_accepts(text: str, expected_utc: str) -> None:
    got = parse_instant(text, "concern-arose", LONDON)
    assert got == utc(expected_utc)
    assert got.tzinfo is UTC


def test_parse_instant_uses_the_given_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    assert parse_instant("2026-07-01 10:00", "at", new_york) == utc("2026-07-01T14:00")
    with pytest.raises(FieldError) as caught:
        parse_instant("2026-03-08 02:30", "at", new_york)
    assert caught.value.problem == "does not exist in America/New_York time (the clocks go forward)"


GAP = "does not exist in UK time (the clocks go forward)"
AMBIGUOUS = "is ambiguous in UK time (the clocks go back); add +01:00 or +00:00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-03-29 01:00", GAP),
        ("29/03/2026 01:30", GAP),
        ("2026-03-29T01:59:59", GAP),
        ("2027-03-28 01:15", GAP),
        ("2026-10-25 01:00", AMBIGUOUS),
        ("25/10/2026 01:30", AMBIGUOUS),
        ("2026-10-25T01:59:59", AMBIGUOUS),
        ("2027-10-31 01:15", AMBIGUOUS),
        ("", "is empty"),
        ("yesterday", "is not a date"),
        ("now", "is not a date"),
        ("24/12/26 10:00", "has a two-digit year"),
        ("2026-12-24 25:00", "is not a real time"),
        ("24/12/2026 24:00", "is not a real time"),
        ("24/12/2026 10:60", "is not a real time"),
        ("24/12/2026 10:00:60", "is not a real time"),
        ("31/02/2026 10:00", "is not a real date"),
        ("2026-12-24 10", "is not a date"),
        ("2026-12-24 10:00 PM", "is not a date"),
        ("24/12/2026 10:00Z", "is not a date"),  # offsets only with ISO dates
        ("24/12/2026T10:00", "is not a date"),
        ("2026-12-24T10:00+0100", "is not a date"),
        ("2026-12-24T10:00 +01:00", "is not a date"),
        ("2026-12-24T10:00+24:00", "has an impossible UTC offset"),
        ("2026-12-24T10:00+01:60", "has an impossible UTC offset"),
        ("2026-12-24T", "is not a date"),
    ],
)
def test_parse_instant_refuses(text: str, problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_instant(text, "concern-arose", LONDON)
    err = caught.value
    assert (err.field, err.value, err.problem, err.expected) == (
        "concern-arose",
        text.strip(),
        problem,
        INSTANT_EXPECTED,
    )


# -- properties --------------------------------------------------------------------------------

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=DATES, style=st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "uk-short"]))
def test_formatted_dates_parse_back(day: date, style: str) -> None:
    text = f"{day.day}/{day.month}/{day.year:04d}" if style == "uk-short" else day.strftime(style)
    assert parse_date(text, "d") == day
    # a date-only instant is local midnight of that very day
    instant = parse_instant(text, "d", LONDON)
    assert instant.astimezone(LONDON).replace(tzinfo=None) == datetime(day.year, day.month, day.day)


def _repeated(instant, zone: ZoneInfo) -> bool:
    """A local time that occurs twice (the clocks go back): typed without an offset it is refused."""
    wall = instant.astimezone(zone).replace(tzinfo=None)
    return wall.replace(tzinfo=zone, fold=0).utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(),
        st.from_regex(r"\A\s*\d{1,4}[-/]\d{1,2}[-/]\d{1,4}([ T]\d{1,2}:\d{1,2}(:\d{1,2})?)?"
                      r"(Z|[+-]\d{2}:\d{2})?\s*\Z"),
    ),
    zone=st.sampled_from([LONDON, ZoneInfo("UTC"), ZoneInfo("Australia/Lord_Howe")]),
)
def test_arbitrary_text_only_raises_field_error(text: str, zone: ZoneInfo) -> None:
    for kind, parse in (
        ("date", lambda: parse_date(text, "f")),
        ("optional", lambda: parse_optional_date(text, "f")),
        ("instant", lambda: parse_instant(text, "f", zone)),
    ):
        try:
            result = parse()
        except FieldError as err:
            assert err.field == "f" and err.problem
            assert err.value == text.strip() or err.value == text, (err.value, text)  # names what was typed
            continue
        # What was accepted reads back the same: written out the way the user would type it
        # again, it parses to the same value (nothing is silently shifted or truncated).
        if kind == "instant":
            assert result.utcoffset() == timedelta(0), result  # stored unambiguously, in UTC
            assert parse_instant(result.isoformat(), "f", zone) == result
            assert parse_instant(f"{result.astimezone(zone):%d/%m/%Y %H:%M:%S}", "f", zone) == result or _repeated(result, zone)
        elif result is not None:
            assert parse_date(f"{result:%d/%m/%Y}", "f") == result
            assert parse_optional_date(text, "f") == result
        else:
            assert kind == "optional" and text.strip().lower() in ("", "unknown"), text
