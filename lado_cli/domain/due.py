"""What is due: open time limits sorted into overdue, due today and upcoming (PROCEDURE §3).

Pure logic: "now" and the calendar are parameters. Due instants are stored; whether a limit
is overdue is worked out here, at read time, against the moment asked about (`--as-of`).

* overdue: its due time has passed (a limit due at 16:30 is overdue at 16:31);
* due-today: not yet passed, and due on today's local date (a limit due at the end of
  today, 23:59:59, is due today until that second has passed);
* upcoming: due after today, up to the end of the local day `within` calendar days ahead.

How late an overdue limit is counts working days (R12-R18 are counted in working days):
the working days after its local due date up to and including today, so a limit due
earlier today is 0 working days late, and one due on the Friday before is 1 on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from lado_cli.domain.calendar import WorkingCalendar

OVERDUE, DUE_TODAY, UPCOMING = "overdue", "due-today", "upcoming"
GROUPS: tuple[str, ...] = (OVERDUE, DUE_TODAY, UPCOMING)


def horizon(now: datetime, within_days: int, cal: WorkingCalendar) -> datetime:
    """The last instant an upcoming limit may fall due: the end of the local day
    `within_days` calendar days after today."""
    if within_days < 0:
        raise ValueError("within_days must be zero or more")
    return cal.end_of_day(cal.local(now).date() + timedelta(days=within_days))


def due_report(rows: Iterable[Mapping[str, Any]], now: datetime, cal: WorkingCalendar, within_days: int) -> list[dict[str, Any]]:
    """The rows (each with an aware `due`) that are overdue, due today or upcoming, sorted
    by due time (then id), each a copy with `status` and `working_days_overdue` added
    (None unless overdue)."""
    until = horizon(now, within_days, cal)
    tz = cal.tz
    today = now.astimezone(tz).date()
    start_of_today = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    out = []
    late_since: dict[Any, int] = {}  # local due date -> working days late (many limits share a day)
    for row in rows:
        due = row["due"]
        late = None
        if due < now:
            status = OVERDUE
            if due >= start_of_today:
                late = 0
            else:  # due before today started: the working days after its local date, up to today
                day = due.astimezone(tz).date()
                late = late_since.get(day)
                if late is None:
                    late = late_since[day] = cal.working_days_between(day, today)
        elif due <= until:
            status = DUE_TODAY if due.astimezone(tz).date() == today else UPCOMING
        else:
            continue
        item = dict(row)
        item["status"] = status
        item["working_days_overdue"] = late
        out.append(item)
    out.sort(key=lambda r: (r["due"], r.get("id") or 0))
    return out


def counts(report: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many rows of each group, every group present (0 when empty)."""
    out = dict.fromkeys(GROUPS, 0)
    for row in report:
        out[row["status"]] += 1
    return out
