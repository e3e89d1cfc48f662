"""Calendar months and years (lado_cli.domain.months, python-dateutil's relativedelta): the
R28a targets (1, 3 and 12 months), the R36 caseload ages and historic cut-off, and the R37b
retention periods in years. Every expected date is worked out by hand from the rule "same day
of the month, or the month's last day when it is shorter"."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from lado_cli.domain.months import add_months, add_years

UK = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February 2026 has 28 days
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 1, 28), 1, date(2026, 2, 28)),  # the day exists: unchanged
        (date(2026, 10, 31), 1, date(2026, 11, 30)),  # November has 30 days
        (date(2026, 12, 31), 1, date(2027, 1, 31)),  # across the year end
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards too
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 10), -12, date(2025, 1, 10)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # no 29 February in 2025
        (date(2024, 2, 29), 4, date(2028, 2, 29)),  # 2028 has one
        (date(2024, 2, 29), 10, date(2034, 2, 28)),  # R37b: reviewed after 10 years
        (date(2024, 2, 29), 100, date(2124, 2, 29)),  # R37b: kept 100 years; 2124 is a leap year
        (date(2000, 2, 29), 100, date(2100, 2, 28)),  # 2100 is not (a century not divisible by 400)
        (date(2026, 3, 1), 10, date(2036, 3, 1)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


def test_the_stats_and_retention_rules_use_the_same_arithmetic():
    from lado_cli.domain import retention, stats

    assert stats.add_months is add_months and retention.add_years is add_years


def test_r28a_one_month_from_31_january_ends_on_the_last_day_of_february():
    from lado_cli.domain.stats import within

    # 2027 is not a leap year: 28 February is within, 1 March is not.
    assert within("1-month", date(2027, 1, 31), date(2027, 2, 28))
    assert not within("1-month", date(2027, 1, 31), date(2027, 3, 1))
    # 2028 is: 29 February is within.
    assert within("1-month", date(2028, 1, 31), date(2028, 2, 29))
    assert not within("1-month", date(2028, 1, 31), date(2028, 3, 1))
    # Twelve months from 29 February 2028: 28 February 2029 is the last day within.
    assert within("12-months", date(2028, 2, 29), date(2029, 2, 28))
    assert not within("12-months", date(2028, 2, 29), date(2029, 3, 1))


def test_r36_historic_means_more_than_12_calendar_months_before_receipt():
    from lado_cli.domain.stats import is_historic

    received = datetime(2025, 2, 28, 12, 0, tzinfo=timezone.utc)  # 12 months before: 28 Feb 2024
    assert not is_historic(datetime(2024, 2, 28, 12, 0, tzinfo=timezone.utc), received, UK)  # exactly 12 months: current
    assert is_historic(datetime(2024, 2, 27, 12, 0, tzinfo=timezone.utc), received, UK)  # a day more: historic


def test_r36_open_longer_than_cut_offs_are_local_midnights_n_months_back():
    from lado_cli.domain.stats import open_cutoffs

    # 31 March 2026 12:00 BST: one month back is 28 February (GMT), three months 31 December,
    # twelve months 31 March 2025 (BST, so 23:00 UTC on the 30th).
    cut = open_cutoffs(datetime(2026, 3, 31, 11, 0, tzinfo=timezone.utc), UK)
    assert cut[1] == datetime(2026, 2, 28, 0, 0, tzinfo=UK)
    assert cut[3] == datetime(2025, 12, 31, 0, 0, tzinfo=UK)
    assert cut[12] == datetime(2025, 3, 31, 0, 0, tzinfo=UK)
    assert cut[12].astimezone(timezone.utc) == datetime(2025, 3, 30, 23, 0, tzinfo=timezone.utc)
