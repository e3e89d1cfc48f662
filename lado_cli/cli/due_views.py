"""What `lado due` puts on the screen or in a file: rich tables and an iCalendar feed. The
printable HTML page is in `printing`; JSON and CSV go through `render` like every other command."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.cli.render import when
from lado_cli.cli.views import esc  # markup escaped
from lado_cli.domain.calendar import WorkingCalendar
from lado_cli.domain.due import DUE_TODAY, GROUPS, OVERDUE, UPCOMING, counts

END_OF_DAY = time(23, 59, 59)  # when a date-only limit falls due (WorkingCalendar.end_of_day)

GROUP_TITLES = {OVERDUE: "Overdue", DUE_TODAY: "Due today", UPCOMING: "Upcoming"}
GROUP_STYLES = {OVERDUE: "bold red", DUE_TODAY: "bold yellow", UPCOMING: "bold"}


def _late(r: Mapping[str, Any]) -> str:
    """How late, in working days (bank holidays and weekends not counted)."""
    n = r["working_days_overdue"]
    if n is None:
        return ""
    return "late today" if n == 0 else f"{n} working day{'s' if n != 1 else ''} late"


def footer(report: Sequence[Mapping[str, Any]], until: datetime, tz: ZoneInfo) -> str:
    n = counts(report)
    return f"{n[OVERDUE]} overdue · {n[DUE_TODAY]} due today · {n[UPCOMING]} upcoming (to {when(until, tz)})"


def due_view(report: Sequence[Mapping[str, Any]], now: datetime, until: datetime, authority: str, tz: ZoneInfo,
             first: Sequence[str] = ()):  # fmt: skip
    """One table per non-empty group (overdue in red), then the counts. Limits of the kinds
    in `first` (a referrer's notify-lado, issue #11) come before every group, in their own table."""
    from rich import box
    from rich.console import Group
    from rich.table import Table

    parts: list[Any] = [f"[bold]Time limits[/] · {esc(authority)} · as of {when(now, tz)}"]
    lead = [r for r in report if r["kind"] in first]
    for group in ("first", *GROUPS):
        rows = lead if group == "first" else [r for r in report if r["status"] == group and r["kind"] not in first]
        if not rows:
            continue
        style = GROUP_STYLES.get(group, "bold red")
        title = "Tell the LADO first (R12)" if group == "first" else GROUP_TITLES[group]
        t = Table(title=f"{title} ({len(rows)})", title_justify="left", title_style=style, box=box.SIMPLE_HEAD)
        t.add_column("Ref", no_wrap=True)
        t.add_column("Time limit", min_width=25)
        t.add_column("Due", no_wrap=True)
        t.add_column("Adult · owner", min_width=12)
        for r in rows:
            what = f"{r['kind']} ({r['rule']})" + (f"\n[dim]{esc(r['title'])}[/]" if r.get("title") else "")
            due = when(r["due"], tz) + (f"\n[dim]aim: {when(r['target'], tz)}[/]" if group == "first" and r.get("target") else "")
            if r["status"] == OVERDUE:
                due = f"[red]{due}[/]\n[bold red]{_late(r)}[/]"
            who = esc(r.get("subject") or "") + (f"\n[dim]owner: {esc(r['owner'])}[/]" if r.get("owner") else "")
            t.add_row(esc(r["ref"]), what, due, who)
        parts.append(t)
    if not report:
        parts.append(f"Nothing overdue or due by {when(until, tz)}.")
    parts.append(footer(report, until, tz))
    return Group(*parts)


# -- iCalendar ------------------------------------------------------------------------------


def ics_uid(deadline_id: int) -> str:
    """A deadline's event UID: the same on every run, so a subscribed calendar updates the
    event instead of adding a second one."""
    return f"deadline-{deadline_id}@lado"


CANCELLED_FOR = timedelta(days=30)  # how long a met or set-aside limit stays in the feed, cancelled
EVENT_LENGTH = timedelta(minutes=30)  # a limit due at a time of day: an event ending at that time


def ics_title(r: Mapping[str, Any]) -> str:
    """What the limit is and, for an action (R20), what it asks for and whose: two actions of
    one case must not look the same in a calendar."""
    title = f"{r['ref']} {r['kind']} ({r['rule']})"
    if r.get("title"):
        title += f": {r['title']}"
    if r.get("owner") and r["owner"] not in (r.get("title") or ""):  # an escalation's reply names its owner already
        title += f" [{r['owner']}]"
    return title


def _when_in_calendar(ev: Any, due: datetime, cal: WorkingCalendar) -> date:
    """DTSTART/DTEND. A limit due at the end of a day (23:59:59 local: the working-day limits)
    is an all-day event on that day, which calendars show as a banner on the day rather than
    a sliver across midnight; a limit due at a time of day (the hour limits, R13) is a
    30-minute event ending at the moment it falls due. Returns the local due date."""
    local = cal.local(due)
    day = local.date()
    if local.time() == END_OF_DAY:
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    else:
        ev.add("dtstart", (due - EVENT_LENGTH).astimezone(UTC))
        ev.add("dtend", due.astimezone(UTC))
    return day


def reminder_at(due_day: date, cal: WorkingCalendar) -> datetime:
    """The start of the working day before the one a limit is due on (weekends and bank
    holidays of the profile's calendar skipped), e.g. Thursday 09:00 for a limit due on
    Monday 28/12/2026 with Friday 25th a bank holiday."""
    day = due_day - timedelta(days=1)
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, cal.day_start, tzinfo=cal.tz)


def due_ics(report: Sequence[Mapping[str, Any]], now: datetime, authority: str, cal: WorkingCalendar,
            settled: Sequence[Mapping[str, Any]] = ()) -> bytes:  # fmt: skip
    """One VEVENT per time limit, with an end and a reminder the working day before; the
    limits met or set aside in the last 30 days (`settled`) as STATUS:CANCELLED, so that a
    calendar that imported them earlier removes them. Names of adults are left out: a
    calendar feed travels further than the database does (R34)."""
    from icalendar import Alarm, Calendar, Event

    tz = cal.tz
    ical = Calendar()
    ical.add("prodid", "-//lado//time limits//EN")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", f"LADO time limits ({authority})")
    stamp = now.astimezone(UTC)
    for r in report:
        ev = Event()
        ev.add("uid", ics_uid(r["id"]))
        ev.add("dtstamp", stamp)
        day = _when_in_calendar(ev, r["due"], cal)
        ev.add("summary", ics_title(r))
        lines = [f"{GROUP_TITLES[r['status']]}: {r['kind']} ({r['rule']}) of case {r['ref']}, due {when(r['due'], tz)}."]
        if r.get("title"):
            lines.append(r["title"])
        if r.get("owner"):
            lines.append(f"Owner: {r['owner']}")
        if r["working_days_overdue"] is not None:
            lines.append(_late(r).capitalize() + ".")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [r["status"]])
        ev.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Due {when(r['due'], tz)}: {ics_title(r)}")
        alarm.add("trigger", reminder_at(day, cal).astimezone(UTC))
        ev.add_component(alarm)
        ical.add_component(ev)
    for r in settled:
        ev = Event()
        ev.add("uid", ics_uid(r["id"]))
        ev.add("dtstamp", stamp)
        _when_in_calendar(ev, r["due"], cal)
        ev.add("summary", ics_title(r))
        done = f"met {when(r['met_at'], tz)}" if r.get("met_at") else "set aside as not applicable"
        ev.add("description", f"{r['kind']} ({r['rule']}) of case {r['ref']}: {done}; no longer due.")
        ev.add("status", "CANCELLED")
        ev.add("sequence", 1)  # later than the published event, so clients apply the cancellation
        ical.add_component(ev)
    return ical.to_ical()
