"""`lado show REF` and `lado list`."""

from __future__ import annotations

from enum import Enum

import typer

from lado_cli.cli.context import app_context
from lado_cli.cli.render import Format, emit, format_option


class CaseStatus(str, Enum):
    open = "open"
    advice_only = "advice-only"
    closed = "closed"


def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="Case reference, e.g. LADO-2026-0001 (any letter case)."),
    fmt: Format = format_option(" CSV gives field,value rows."),
) -> None:
    """Show one case: the adult, the allegation, its time limits with their status, and the chronology."""
    from lado_cli.cli import views
    from lado_cli.store.cases import load_case

    app = app_context(ctx)
    profile, now = app.profile, app.now()
    from lado_cli.store.access import record_view

    with app.db.read() as conn:
        case = load_case(conn, ref)
    data = views.case_data(case, profile, now)
    if app.db.engine.dialect.name == "postgresql":  # who opened which case on the team database (R34): `lado audit --views`
        with app.db.begin() as conn:  # (an SQLite file has one user; there `show` never waits for a writer)
            record_view(conn, case, at=now, actor=app.actor())
    emit(fmt, data, tz=profile.calendar().tz, columns=["field", "value"], rows=lambda: views.flatten(data),
         table=lambda: views.case_view(data, profile))  # fmt: skip


def list_cases(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", "-a", help="All cases, closed and advice-only too (default: open cases)."),
    status: list[CaseStatus] = typer.Option(None, "--status", "-s", help="Only cases with this status; repeatable."),
    subject: str = typer.Option(None, "--subject", help="Only cases whose adult's name contains this text (case and spacing ignored)."),
    fmt: Format = format_option(),
) -> None:
    """List cases, oldest first, with each one's next time limit and how many are overdue."""
    from lado_cli.cli import views
    from lado_cli.store.cases import list_cases as query

    app = app_context(ctx)
    profile, now = app.profile, app.now()
    statuses = [s.value for s in status] if status else (None if all_ else [CaseStatus.open.value])
    with app.db.read() as conn:
        rows = query(conn, statuses=statuses, subject=subject, now=now)
    emit(fmt, [{c: r[c] for c in views.LIST_COLUMNS} for r in rows], tz=profile.calendar().tz,
         columns=views.LIST_COLUMNS, table=lambda: views.list_table(rows, profile))  # fmt: skip
