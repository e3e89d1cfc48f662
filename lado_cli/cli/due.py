"""`lado due`: every open time limit of the open cases, overdue first (PROCEDURE §3, R12-R20, R39-R40)."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer

from lado_cli.cli.context import app_context
from lado_cli.errors import LadoError
from lado_cli.files import finish_output, output_param


#: `lado due --format json|csv`: the fields of each row, in order (a stable interface).
DUE_COLUMNS: list[str] = ["ref", "kind", "rule", "title", "due", "status", "working_days_overdue",
                          "subject", "employer", "owner", "target", "escalation_id", "id"]  # fmt: skip


#: `--within` at most ten years (3660 days): further is no working horizon, and a huge
#: number would run past the last date a calendar can hold (issue #12).
MAX_WITHIN = 3660


class DueFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"
    html = "html"


def due(
    ctx: typer.Context,
    as_of: str = typer.Option(None, "--as-of", metavar="DATETIME",
                              help="Report as at this time instead of now, e.g. '01/01/2027 09:00' (UK time): what will be due on Friday?"),
    within: int = typer.Option(7, "--within", metavar="DAYS", min=0,
                               help="Upcoming: due by the end of the day this many calendar days ahead (0 or more)."),
    case: str = typer.Option(None, "--case", metavar="REF", help="Only this case (any letter case)."),
    kind: list[str] = typer.Option(None, "--kind", metavar="KIND",
                                   help="Only time limits of this kind, repeatable, e.g. initial-discussion, escalation-response."),
    owner: str = typer.Option(None, "--owner", metavar="TEXT", help="Only limits whose owner's name contains this text (any case), e.g. actions (R20)."),
    mine: bool = typer.Option(False, "--mine", help="Only limits owned by you (env LADO_USER)."),
    fmt: DueFormat = typer.Option(DueFormat.table, "--format", "-f", case_sensitive=False,
                                  help="table for people; json/csv for scripts; ics for a calendar (stable event ids); html to print."),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue", help="Exit with status 1 when anything is overdue (for cron and scripts)."),
    output: Path = output_param("the report"),  # noqa: ARG001 - handled by its callback and LadoGroup
) -> None:
    """What is overdue, due today and coming up, across all open cases, sorted by due time.

    Overdue limits show how many working days late they are (bank holidays excluded).
    With nothing due the report is empty (JSON `[]`) and the exit status is 0.
    """
    from lado_cli.domain.due import OVERDUE, due_report, horizon
    from lado_cli.store.reports import case_ref, due_deadlines

    app = app_context(ctx)
    profile = app.profile
    cal = profile.calendar()
    tz = cal.tz
    if as_of is not None:
        from lado_cli.domain.dates import parse_instant

        now = parse_instant(as_of, "as-of", tz)
    else:
        now = app.now()
    owner_is = None
    if mine:
        owner_is = (os.environ.get("LADO_USER") or "").strip()
        if not owner_is:
            raise LadoError("--mine: env LADO_USER is not set; expected your name as action owners are recorded (or use --owner TEXT)")
    if within > MAX_WITHIN:
        from lado_cli.errors import FieldError

        raise FieldError("within", within, "is more than ten years ahead", f"a number of days from 0 to {MAX_WITHIN}")
    until = horizon(now, within, cal)
    db = app.db
    with db.read() as conn:
        if case:
            case_ref(conn, case)  # a reference that does not exist is an error, not an empty report
        rows = due_deadlines(conn, until=until, ref=case, kinds=kind or (), owner=owner, owner_is=owner_is)
        settled = []
        if fmt is DueFormat.ics:  # met / set aside lately: published as cancelled so calendars drop them
            from lado_cli.cli.due_views import CANCELLED_FOR
            from lado_cli.store.reports import settled_deadlines

            settled = settled_deadlines(conn, since=now - CANCELLED_FOR, ref=case, kinds=kind or (), owner=owner, owner_is=owner_is)
        inst = app.installation
        if inst.referrer:  # issue #11: my organisation's duties (R30-R32), which have no time limit
            from lado_cli.cli.referrer import duty_rows, owned

            duties = [d for d in duty_rows(conn, inst.org, case) if owned(d, kind, owner, owner_is)]
    report = due_report(rows, now, cal, within)
    first = ("notify-lado",) if inst.referrer else ()  # issue #11: telling the LADO (R12) comes first
    report = [r for r in report if r["kind"] in first] + [r for r in report if r["kind"] not in first]

    if fmt is DueFormat.json or fmt is DueFormat.csv:
        from lado_cli.cli.render import print_csv, print_json

        data = [{c: r.get(c) for c in DUE_COLUMNS} for r in report + (duties if inst.referrer else [])]
        print_json(data, tz) if fmt is DueFormat.json else print_csv(data, DUE_COLUMNS, tz)
    elif fmt is DueFormat.ics:
        from lado_cli.cli.due_views import due_ics

        data = due_ics(report, now, profile.name, cal, settled)  # bytes, lines ending CRLF as RFC 5545 asks
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            binary.write(data)
            binary.flush()
    elif fmt is DueFormat.html:
        from lado_cli.cli.printing import due_html

        sys.stdout.write(due_html(report, now, until, profile.name, tz, profile.protective_marking))
    else:
        from lado_cli.cli.due_views import due_view
        from lado_cli.cli.render import console

        console().print(due_view(report, now, until, profile.name, tz, first=first))
        if inst.referrer and duties:
            from lado_cli.cli.referrer import duties_view

            console().print(duties_view(duties))

    if fail_on_overdue:
        late = sum(1 for r in report if r["status"] == OVERDUE)
        if late:
            finish_output()  # the report is complete: written, though the exit status is 1
            raise LadoError(f"{late} time limit{'s are' if late != 1 else ' is'} overdue (--fail-on-overdue)")
