"""The clock of PROCEDURE §3: working days, bank holidays, local time (R9, R12–R18).

Real `holidays` data throughout: a wrong subdivision or a library change must show up here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lado_cli.domain.calendar import REGIONS, WorkingCalendar, bank_holidays
from lado_cli.errors import LadoError

LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar()
SCT = WorkingCalendar(region="scotland")
NIR = WorkingCalendar(region="northern-ireland")


def d(text: str) -> date:
    return date.fromisoformat(text)


def london(text: str) -> datetime:
    """An unambiguous local London time (fold 0)."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- bank holidays and working days ------------------------------------------------------------

@pytest.mark.parametrize(
    ("cal", "day", "working", "why"),
    [
        (ENG, "2026-12-19", False, "Saturday"),
        (ENG, "2026-12-20", False, "Sunday"),
        (ENG, "2026-12-21", True, "ordinary Monday"),
        (ENG, "2026-12-24", True, "Christmas Eve is not a bank holiday"),
        (ENG, "2026-12-25", False, "Christmas Day, Friday"),
        (ENG, "2026-12-28", False, "Boxing Day substitute (26th is a Saturday)"),
        (ENG, "2026-12-29", True, "first working day after Christmas 2026"),
        (ENG, "2021-12-27", False, "Christmas Day substitute (25th is a Saturday)"),
        (ENG, "2021-12-28", False, "Boxing Day substitute (26th is a Sunday)"),
        (ENG, "2021-12-29", True, "after the 2021 substitutes"),
        (ENG, "2022-12-26", False, "Boxing Day, Monday"),
        (ENG, "2022-12-27", False, "Christmas Day substitute (25th is a Sunday)"),
        (ENG, "2026-04-03", False, "Good Friday"),
        (ENG, "2026-04-06", False, "Easter Monday (England & Wales)"),
        (ENG, "2026-04-07", True, "Tuesday after Easter"),
        (ENG, "2022-09-19", False, "State Funeral of Queen Elizabeth II"),
        (ENG, "2023-05-08", False, "Coronation of King Charles III"),
        (ENG, "2026-08-31", False, "August bank holiday (England & Wales)"),
        (ENG, "2026-08-03", True, "Scottish summer holiday is not English"),
        (ENG, "2026-01-02", True, "2 January is not an English bank holiday"),
        (ENG, "2025-12-01", True, "St Andrew's substitute is not English"),
        (SCT, "2026-04-06", True, "Easter Monday is not a Scottish bank holiday"),
        (SCT, "2026-04-03", False, "Good Friday in Scotland"),
        (SCT, "2026-01-02", False, "2 January in Scotland"),
        (SCT, "2026-08-03", False, "first Monday of August in Scotland"),
        (SCT, "2026-08-31", True, "late August is not a Scottish bank holiday"),
        (SCT, "2025-12-01", False, "St Andrew's Day substitute (30 Nov 2025 is a Sunday)"),
        (SCT, "2022-09-19", False, "State Funeral, whole UK"),
        (NIR, "2026-03-17", False, "St Patrick's Day in Northern Ireland"),
        (ENG, "2026-03-17", True, "St Patrick's Day is not English"),
    ],
)
def test_is_working_day(cal: WorkingCalendar, day: str, working: bool, why: str) -> None:
    assert cal.is_working_day(d(day)) is working, why


def test_bank_holidays_are_for_the_year_and_region() -> None:
    eng = bank_holidays("england-wales", 2026)
    assert {d("2026-04-06"), d("2026-08-31"), d("2026-12-28")} <= eng
    assert all(h.year == 2026 for h in eng)
    assert d("2026-04-06") not in bank_holidays("scotland", 2026)
    assert isinstance(eng, frozenset)


def test_bank_holidays_are_cached_per_region_and_year() -> None:
    assert bank_holidays("scotland", 2031) is bank_holidays("scotland", 2031)
    assert bank_holidays("england-wales", 2031) is not bank_holidays("scotland", 2031)


@pytest.mark.parametrize("region", ["england", "ENG", "", "uk"])
def test_unknown_region_is_refused(region: str) -> None:
    with pytest.raises(LadoError, match="england-wales, scotland, northern-ireland"):
        bank_holidays(region, 2026)
    with pytest.raises(LadoError, match="unknown bank-holiday region"):
        WorkingCalendar(region=region)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Londres"}, "unknown time zone"),
        ({"workdays": ()}, "workdays"),
        ({"workdays": (0, 7)}, "workdays"),
        ({"day_start": time(17, 0), "day_end": time(9, 0)}, "start before it ends"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(LadoError, match=message):
        WorkingCalendar(**kwargs)


def test_regions_map_to_holidays_subdivisions() -> None:
    assert REGIONS == {"england-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


def test_workdays_are_normalised() -> None:
    assert WorkingCalendar(workdays=[4, 0, 2, 2]).workdays == (0, 2, 4)  # type: ignore[arg-type]


# -- add_working_days (PROCEDURE §3) ----------------------------------------------------------

@pytest.mark.parametrize(
    ("cal", "start", "n", "due", "why"),
    [
        (ENG, "2026-11-18", 0, "2026-11-18", "n=0 is the day itself"),
        (ENG, "2026-11-21", 0, "2026-11-21", "n=0 on a Saturday is the Saturday"),
        (ENG, "2026-11-18", 1, "2026-11-19", "Wednesday + 1 = Thursday"),
        (ENG, "2026-11-20", 1, "2026-11-23", "Friday + 1 = Monday"),
        (ENG, "2026-11-21", 1, "2026-11-23", "Saturday: Monday is day 1"),
        (ENG, "2026-11-22", 1, "2026-11-23", "Sunday: Monday is day 1"),
        (ENG, "2026-08-29", 1, "2026-09-01", "Saturday before the August bank holiday"),
        (SCT, "2026-08-29", 1, "2026-08-31", "same Saturday in Scotland: Monday works"),
        (ENG, "2026-12-24", 1, "2026-12-29", "Christmas Eve 2026 + 1 skips 25th, weekend, 28th"),
        (ENG, "2026-04-02", 1, "2026-04-07", "Maundy Thursday + 1 skips Easter"),
        (SCT, "2026-04-02", 1, "2026-04-06", "in Scotland Easter Monday is a working day"),
        (ENG, "2026-03-31", 7, "2026-04-13", "R15: 7 working days across Easter"),
        (ENG, "2026-12-17", 15, "2027-01-12", "R17: 15 working days across Christmas/New Year"),
        (ENG, "2022-09-16", 1, "2022-09-20", "State Funeral Monday skipped"),
        (ENG, "2023-05-05", 1, "2023-05-09", "Coronation Monday skipped"),
        (ENG, "2026-11-18", 20, "2026-12-16", "R18: a 20-working-day review with no holidays"),
        (ENG, "2026-11-18", 5, "2026-11-25", "five working days = one calendar week"),
    ],
)
def test_add_working_days(cal: WorkingCalendar, start: str, n: int, due: str, why: str) -> None:
    assert cal.add_working_days(d(start), n) == d(due), why


def test_add_working_days_refuses_negative_n() -> None:
    with pytest.raises(ValueError):
        ENG.add_working_days(d("2026-11-18"), -1)


def test_custom_workdays() -> None:
    four_days = WorkingCalendar(workdays=(0, 1, 2, 3))  # Monday to Thursday
    assert four_days.add_working_days(d("2026-11-19"), 1) == d("2026-11-23")
    assert four_days.working_days_between(d("2026-11-15"), d("2026-11-29")) == 8


# -- working_days_between ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cal", "start", "end", "count"),
    [
        (ENG, "2026-11-18", "2026-11-18", 0),
        (ENG, "2026-11-18", "2026-11-19", 1),
        (ENG, "2026-11-19", "2026-11-18", -1),
        (ENG, "2026-11-20", "2026-11-22", 0),  # Friday to Sunday
        (ENG, "2026-11-21", "2026-11-23", 1),  # Saturday to Monday
        (ENG, "2026-12-24", "2026-12-29", 1),
        # 2026: 260 weekdays after Thu 1 Jan, less 7 weekday bank holidays after it
        (ENG, "2026-01-01", "2026-12-31", 253),
        (SCT, "2026-03-31", "2026-04-13", 8),  # Easter Monday works in Scotland
        (ENG, "2026-03-31", "2026-04-13", 7),
        (ENG, "1990-01-01", "2090-01-01", 25283),
    ],
)
def test_working_days_between(cal: WorkingCalendar, start: str, end: str, count: int) -> None:
    assert cal.working_days_between(d(start), d(end)) == count


def naive_count(cal: WorkingCalendar, start: date, end: date) -> int:
    """Reference implementation: day by day."""
    sign = 1 if start <= end else -1
    lo, hi = min(start, end), max(start, end)
    return sign * sum(
        1 for i in range(1, (hi - lo).days + 1) if cal.is_working_day(lo + timedelta(days=i))
    )


def test_long_span_reference_count() -> None:
    """The year-2026 figure above, checked against the naive count (guards the table)."""
    assert ENG.working_days_between(d("2026-01-01"), d("2026-12-31")) == naive_count(
        ENG, d("2026-01-01"), d("2026-12-31")
    )
    assert ENG.working_days_between(d("1990-01-01"), d("2090-01-01")) == naive_count(
        ENG, d("1990-01-01"), d("2090-01-01")
    )


# -- instants: local time, end of day, hours ----------------------------------------------------

def test_local_converts_and_refuses_naive() -> None:
    assert ENG.local(utc("2026-07-01T08:30")) == london("2026-07-01T09:30")
    assert ENG.local(utc("2026-07-01T08:30")).utcoffset() == timedelta(hours=1)
    assert ENG.local(utc("2026-01-05T08:30")).utcoffset() == timedelta(0)
    with pytest.raises(ValueError):
        ENG.local(datetime(2026, 7, 1, 8, 30))
    assert ENG.tz == LONDON


@pytest.mark.parametrize(
    ("day", "as_utc"),
    [
        ("2026-12-24", "2026-12-24T23:59:59"),  # GMT
        ("2026-07-01", "2026-07-01T22:59:59"),  # BST
        ("2026-03-29", "2026-03-29T22:59:59"),  # the spring-forward day ends in BST
        ("2026-10-25", "2026-10-25T23:59:59"),  # the fall-back day ends in GMT
    ],
)
def test_end_of_day(day: str, as_utc: str) -> None:
    end = ENG.end_of_day(d(day))
    assert end.tzinfo is not None
    assert (end.date(), end.time()) == (d(day), time(23, 59, 59))
    assert end.astimezone(UTC) == utc(as_utc)


@pytest.mark.parametrize(
    ("event", "n", "due_utc"),
    [
        # GMT: Thursday 24 Dec 2026, 1 working day -> end of Tue 29 Dec, 23:59:59+00:00
        (utc("2026-12-24T15:00"), 1, "2026-12-29T23:59:59"),
        # BST: Wednesday 1 July 2026, 3 working days (R16) -> end of Mon 6 July, 23:59:59+01:00
        (utc("2026-07-01T10:00"), 3, "2026-07-06T22:59:59"),
        # 23:30 UTC on 30 June is already 1 July in London: the local date counts
        (utc("2026-06-30T23:30"), 1, "2026-07-02T22:59:59"),
        # R15 over Easter, event given with an offset
        (london("2026-03-31T16:00"), 7, "2026-04-13T22:59:59"),
        # n=0: the end of the event's own day
        (utc("2026-11-18T09:00"), 0, "2026-11-18T23:59:59"),
    ],
)
def test_due_in_working_days(event: datetime, n: int, due_utc: str) -> None:
    due = ENG.due_in_working_days(event, n)
    assert due.astimezone(UTC) == utc(due_utc)
    assert due.tzinfo == LONDON


@pytest.mark.parametrize(
    ("event", "hours", "due_local", "offset_hours"),
    [
        # R13/R14: 24 hours is clock time. Autumn: 24 real hours end at 11:00 GMT, not 12:00.
        (london("2026-10-24T12:00"), 24, "2026-10-25T11:00", 0),
        # Spring: 24 real hours end at 13:00 BST.
        (london("2026-03-28T12:00"), 24, "2026-03-29T13:00", 1),
        (utc("2026-03-28T12:00"), 24, "2026-03-29T13:00", 1),
        (london("2026-12-24T10:00"), 24, "2026-12-25T10:00", 0),  # bank holidays do not matter
        (london("2026-07-01T10:00"), 0, "2026-07-01T10:00", 1),
    ],
)
def test_due_in_hours(event: datetime, hours: int, due_local: str, offset_hours: int) -> None:
    due = ENG.due_in_hours(event, hours)
    assert due.replace(tzinfo=None) == datetime.fromisoformat(due_local)
    assert due.utcoffset() == timedelta(hours=offset_hours)
    assert due.astimezone(UTC) - event.astimezone(UTC) == timedelta(hours=hours)


def test_due_in_hours_refuses_naive_and_negative() -> None:
    with pytest.raises(ValueError):
        ENG.due_in_hours(datetime(2026, 7, 1, 10), 24)
    with pytest.raises(ValueError):
        ENG.due_in_hours(utc("2026-07-01T10:00"), -1)


@pytest.mark.parametrize(
    ("instant", "working"),
    [
        (london("2026-11-18T08:59"), False),
        (london("2026-11-18T09:00"), True),
        (london("2026-11-18T16:59"), True),
        (london("2026-11-18T17:00"), False),
        (london("2026-07-01T09:00"), True),
        (utc("2026-07-01T08:30"), True),  # 09:30 BST
        (utc("2026-07-01T16:30"), False),  # 17:30 BST
        (utc("2026-01-07T16:30"), True),  # 16:30 GMT
        (london("2026-11-21T10:00"), False),  # Saturday
        (london("2026-04-06T10:00"), False),  # Easter Monday
        (london("2026-12-28T10:00"), False),  # Boxing Day substitute
    ],
)
def test_is_working_time(instant: datetime, working: bool) -> None:
    """R9: outside these hours the Emergency Duty Service is shown."""
    assert ENG.is_working_time(instant) is working


def test_is_working_time_by_region_and_hours() -> None:
    easter_monday = london("2026-04-06T10:00")
    assert SCT.is_working_time(easter_monday) is True
    late = WorkingCalendar(day_start=time(8, 0), day_end=time(18, 0))
    assert late.is_working_time(london("2026-11-18T08:00")) is True
    assert late.is_working_time(london("2026-11-18T17:30")) is True


# -- properties ------------------------------------------------------------------------------

CALENDARS = st.sampled_from([ENG, SCT, NIR, WorkingCalendar(workdays=(1, 2, 3, 5))])
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2088, 12, 31))
COUNTS = st.integers(min_value=0, max_value=400)
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(cal=CALENDARS, start=DATES, n=COUNTS)
def test_between_inverts_add(cal: WorkingCalendar, start: date, n: int) -> None:
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@PROPERTY
@given(cal=CALENDARS, start=DATES, n=COUNTS, m=COUNTS)
def test_add_is_monotonic(cal: WorkingCalendar, start: date, n: int, m: int) -> None:
    n, m = sorted((n, m))
    if n < m:
        assert cal.add_working_days(start, n) < cal.add_working_days(start, m)


@PROPERTY
@given(cal=CALENDARS, start=DATES, n=st.integers(min_value=1, max_value=400))
def test_add_lands_on_a_working_day(cal: WorkingCalendar, start: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(start, n))


@PROPERTY
@given(cal=CALENDARS, a=DATES, b=DATES)
def test_between_is_antisymmetric(cal: WorkingCalendar, a: date, b: date) -> None:
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)


@PROPERTY
@given(cal=CALENDARS, a=DATES, b=DATES, c=DATES)
def test_between_is_additive(cal: WorkingCalendar, a: date, b: date, c: date) -> None:
    assert cal.working_days_between(a, c) == (
        cal.working_days_between(a, b) + cal.working_days_between(b, c)
    )


@PROPERTY
@given(cal=CALENDARS, a=DATES, span=st.integers(min_value=-730, max_value=730))
def test_between_agrees_with_day_by_day_count(cal: WorkingCalendar, a: date, span: int) -> None:
    b = a + timedelta(days=span)
    assert cal.working_days_between(a, b) == naive_count(cal, a, b)


def test_the_light_holidays_loader_gives_the_library_dates():
    """calendar._uk_holidays_class skips the library's index of countries; same dates."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from lado_cli.domain.calendar import bank_holidays\n"
        "light = {(r, y): bank_holidays(r, y) for r in ('england-wales', 'scotland', 'northern-ireland') for y in range(2019, 2031)}\n"
        "assert 'holidays.countries' not in sys.modules or len([m for m in sys.modules if m.startswith('holidays.countries.')]) == 1\n"
        "import holidays\n"
        "subdiv = {'england-wales': 'ENG', 'scotland': 'SCT', 'northern-ireland': 'NIR'}\n"
        "full = {(r, y): frozenset(d for d in holidays.UK(subdiv=subdiv[r], years=y) if d.year == y) for r, y in light}\n"
        "assert light == full\n"
        "print('same')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "same", out.stderr
