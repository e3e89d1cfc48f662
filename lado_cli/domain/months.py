"""Calendar-month and calendar-year arithmetic (python-dateutil's relativedelta), for the
R28a resolution targets (one, three and twelve months), the R36 periods and caseload ages,
and the R37b retention periods in years.

A month or year later is the same day of the month, or the last day of the month when that
month is shorter: 31 January + 1 month = 28 February (29 in a leap year); 29 February + 1 year
= 28 February. Going back works the same way (31 March - 1 month = 28 or 29 February).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(d: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier, when negative); the month's
    last day when it is shorter."""
    return d + relativedelta(months=months)


def add_years(d: date, years: int) -> date:
    """The same calendar date `years` later (or earlier); 29 February becomes 28 February in a
    year without one."""
    return d + relativedelta(years=years)
