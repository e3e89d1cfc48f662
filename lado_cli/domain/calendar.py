"""Working days, bank holidays and local time: the clock of PROCEDURE §3.

Pure logic: nothing here reads the system clock; every instant is a parameter. Instants are
aware datetimes; a date-only deadline falls due at the end of its day (23:59:59 local time).

Rules served: R9 (working hours, for the out-of-hours service), R12–R18 (time limits counted
in working days or in clock hours).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lado_cli.errors import LadoError

# Profile region name -> subdivision code of `holidays.UK`. The subdivision matters: plain
# `holidays.UK()` leaves out Easter Monday and the August bank holiday in England.
REGIONS: dict[str, str] = {"england-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}

_END_OF_DAY = time(23, 59, 59)


def _check_region(region: str) -> str:
    try:
        return REGIONS[region]
    except (KeyError, TypeError):
        accepted = ", ".join(REGIONS)
        raise LadoError(f"unknown bank-holiday region '{region}'; expected one of: {accepted}") from None


@lru_cache(maxsize=None)
def bank_holidays(region: str, year: int) -> frozenset[date]:
    """The bank holidays (substitute days included) of `region` in `year`.

    Built once per (region, year) per process. The `holidays` import is deferred to here so
    that commands which never count working days (e.g. `--help`) do not pay for it.
    """
    subdiv = _check_region(region)
    return frozenset(d for d in _uk_holidays_class()(subdiv=subdiv, years=year) if d.year == year)


@lru_cache(maxsize=1)
def _uk_holidays_class():
    """`holidays.UK`, loaded without the package's index of every country.

    `import holidays.countries` imports some 250 country modules (~50 ms, a fifth of a
    `lado due` run); only the United Kingdom's is needed. If the library ever changes shape,
    this falls back to the ordinary import: same class, same dates (tests compare both).
    """
    import importlib.util
    import sys
    import types

    import holidays

    if "holidays.countries" in sys.modules:
        return holidays.UK
    try:
        spec = importlib.util.find_spec("holidays.countries")
        stub = types.ModuleType("holidays.countries")
        stub.__path__ = list(spec.submodule_search_locations)
        sys.modules["holidays.countries"] = stub
        try:
            from holidays.countries.united_kingdom import UnitedKingdom
        finally:
            del sys.modules["holidays.countries"]  # a later full import works as usual
        return UnitedKingdom
    except (ImportError, AttributeError, TypeError):
        return holidays.UK


@lru_cache(maxsize=None)
def _holidays_on_workdays(region: str, workdays: tuple[int, ...], year: int) -> tuple[date, ...]:
    """Sorted bank holidays of `year` that fall on a workday (the ones that cost a working day)."""
    return tuple(sorted(d for d in bank_holidays(region, year) if d.weekday() in workdays))


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and hours of a profile (R9; defaults: Mon–Fri 09:00–17:00, England & Wales).

    Invalid settings raise `LadoError` when the calendar is built, so a bad profile fails early.
    """

    region: str = "england-wales"
    timezone: str = "Europe/London"
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)

    def __post_init__(self) -> None:
        _check_region(self.region)
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise LadoError(f"unknown time zone '{self.timezone}'; expected e.g. Europe/London") from None
        days = tuple(sorted(set(self.workdays)))
        if not days or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise LadoError("workdays must be one or more of 0 (Monday) to 6 (Sunday)")
        object.__setattr__(self, "workdays", days)  # normalised: sorted, no repeats, a tuple
        if not self.day_start < self.day_end:
            raise LadoError("the working day must start before it ends")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # -- working days (PROCEDURE §3) -------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """A workday of the week that is not a bank holiday of the region."""
        return d.weekday() in self.workdays and d not in bank_holidays(self.region, d.year)

    def add_working_days(self, d: date, n: int) -> date:
        """The Nth working day after `d` ("within N working days of day D", PROCEDURE §3).

        `d` itself is never counted; if `d` is not a working day, the first working day after
        it is day 1. n=0 returns `d` unchanged.
        """
        if n < 0:
            raise ValueError("n must be zero or more")
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days d with start < d <= end (negative if end < start).

        Counts whole weeks arithmetically and subtracts workday bank holidays found by bisect,
        so long spans cost O(years), not O(days).
        Invariant: working_days_between(d, add_working_days(d, n)) == n.
        """
        if end < start:
            return -self.working_days_between(end, start)
        span = (end - start).days
        weeks, rest = divmod(span, 7)
        # The `rest` leftover days are the last ones of the span: end, end-1, ...
        count = weeks * len(self.workdays)
        count += sum(1 for i in range(rest) if (end.weekday() - i) % 7 in self.workdays)
        for year in range(start.year, end.year + 1):
            hols = _holidays_on_workdays(self.region, self.workdays, year)
            count -= bisect_right(hols, end) - bisect_right(hols, start)
        return count

    # -- instants --------------------------------------------------------------------------

    def local(self, instant: datetime) -> datetime:
        """`instant` in the calendar's time zone. Naive datetimes are refused (ValueError)."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("a naive datetime has no definite instant; give it a time zone")
        return instant.astimezone(self.tz)

    def end_of_day(self, d: date) -> datetime:
        """23:59:59 local time on `d`: when a date-only deadline falls due."""
        return datetime.combine(d, _END_OF_DAY, tzinfo=self.tz)

    def due_in_working_days(self, instant: datetime, n: int) -> datetime:
        """Due time for "within N working days" of an event (R12, R15–R18)."""
        return self.end_of_day(self.add_working_days(self.local(instant).date(), n))

    def due_in_hours(self, instant: datetime, hours: int) -> datetime:
        """Due time for "within N hours" (R12, R13, R14): elapsed clock time, shown locally.

        The sum is done in UTC, so 24 hours across a clock change are 24 real hours.
        """
        if hours < 0:
            raise ValueError("hours must be zero or more")
        utc = self.local(instant).astimezone(UTC)
        return (utc + timedelta(hours=hours)).astimezone(self.tz)

    def is_working_time(self, instant: datetime) -> bool:
        """Within working hours on a working day (R9: otherwise the Emergency Duty Service)."""
        here = self.local(instant)
        return self.is_working_day(here.date()) and self.day_start <= here.time() < self.day_end
