"""What `lado due` puts on the screen or in a file: rich tables and an iCalendar feed. The
printable HTML page is in `printing`; JSON and CSV go through `render` like every other command."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.cli.render import when
from lado_cli.cli.views import esc  # markup escaped
from lado_cli.domain.due import DUE_TODAY, GROUPS, OVERDUE, UPCOMING, counts

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


def due_view(report: Sequence[Mapping[str, Any]], now: datetime, until: datetime, authority: str, tz: ZoneInfo):
    """One table per non-empty group (overdue in red), then the counts."""
    from rich import box
    from rich.console import Group
    from rich.table import Table

    parts: list[Any] = [f"[bold]Time limits[/] · {esc(authority)} · as of {when(now, tz)}"]
    for group in GROUPS:
        rows = [r for r in report if r["status"] == group]
        if not rows:
            continue
        style = GROUP_STYLES[group]
        t = Table(title=f"{GROUP_TITLES[group]} ({len(rows)})", title_justify="left", title_style=style, box=box.SIMPLE_HEAD)
        t.add_column("Ref", no_wrap=True)
        t.add_column("Time limit", min_width=25)
        t.add_column("Due", no_wrap=True)
        t.add_column("Adult · owner", min_width=12)
        for r in rows:
            what = f"{r['kind']} ({r['rule']})" + (f"\n[dim]{esc(r['title'])}[/]" if r.get("title") else "")
            due = when(r["due"], tz)
            if group == OVERDUE:
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


def due_ics(report: Sequence[Mapping[str, Any]], now: datetime, authority: str, tz: ZoneInfo) -> bytes:
    """One VEVENT per time limit. Names of adults are left out: a calendar feed travels
    further than the database does (R34)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//lado//time limits//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"LADO time limits ({authority})")
    stamp = now.astimezone(UTC)
    for r in report:
        ev = Event()
        ev.add("uid", ics_uid(r["id"]))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", r["due"].astimezone(UTC))
        ev.add("summary", f"{r['ref']} {r['kind']} ({r['rule']})")
        lines = [f"{GROUP_TITLES[r['status']]}: {r['kind']} ({r['rule']}) of case {r['ref']}, due {when(r['due'], tz)}."]
        if r.get("title"):
            lines.append(r["title"])
        if r.get("owner"):
            lines.append(f"Owner: {r['owner']}")
        if r["working_days_overdue"] is not None:
            lines.append(_late(r).capitalize() + ".")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [r["status"]])
        cal.add_component(ev)
    return cal.to_ical()
