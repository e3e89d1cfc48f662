"""`lado audit [REF]`: who did what, and when (R34, R37a)."""

from __future__ import annotations

from pathlib import Path

import typer

from lado_cli.cli.context import app_context
from lado_cli.cli.render import Format, emit, format_option
from lado_cli.errors import LadoError
from lado_cli.files import output_param

#: `lado audit --format json|csv`: the fields of each entry, in order (a stable interface).
AUDIT_COLUMNS: list[str] = ["recorded_at", "at", "actor", "ref", "source", "id", "kind", "text", "rationale", "corrects_id"]
#: `lado audit --views --format json|csv`: who opened which case, when.
VIEW_COLUMNS: list[str] = ["at", "actor", "ref"]


def audit(
    ctx: typer.Context,
    ref: str = typer.Argument(None, metavar="REF", help="Only this case (any letter case); a deleted case's reference shows its deletion."),
    since: str = typer.Option(
        None, "--since", metavar="DATE", help="Only entries recorded on or after this date (00:00 UK time), or date and time, e.g. 01/12/2026."
    ),
    actor: str = typer.Option(
        None, "--actor", metavar="NAME", help="Only entries by this person, as recorded (PostgreSQL: the login role; SQLite: the OS login, LADO_USER beside it); any letter case."
    ),
    views: bool = typer.Option(False, "--views", help="Instead: who opened which case (`lado show`, recorded on PostgreSQL), newest first (R34); with REF, that case only."),
    fmt: Format = format_option(" JSON is [] when nothing matches."),
    output: Path = output_param("the entries"),  # noqa: ARG001 - handled by its callback and LadoGroup
) -> None:
    """Who did what, and when (R34): every chronology entry and the audit log, newest first.

    Each entry shows when it was recorded (typed in), when it happened, who recorded it
    (PostgreSQL: the login role; SQLite: the OS login, with LADO_USER beside it), the case
    and what was recorded. The audit log
    holds changes that are not case events: deletions under the retention schedule (R37b)
    and key changes.

    The chronology cannot be edited or deleted through lado, and the database refuses it
    too (R37a). A mistake is put right by a correction, a new entry that points at the one
    it corrects, which stays: `lado note REF --corrects ID --text TEXT --why TEXT`; a
    wrong fact is corrected with `lado amend REF --FLAG VALUE --why TEXT`, which adds an entry too.
    A case is removed only by a recorded decision under the retention schedule
    (`lado retention --delete`), which leaves an audit-log entry.
    """
    from lado_cli.store.audit import entries, known_ref

    app = app_context(ctx)
    profile = app.profile
    tz = profile.calendar().tz
    start = None
    if since is not None:
        from lado_cli.domain.dates import parse_instant

        start = parse_instant(since, "since", tz)
    if views:
        if app.db.engine.dialect.name != "postgresql":
            raise LadoError("--views: who opened which case is recorded on the PostgreSQL team backend only; an SQLite file has one user")
        return _views(app, ref, start, actor, fmt, tz)
    with app.db.read() as conn:
        stored_ref = known_ref(conn, ref) if ref is not None else None
        rows = entries(conn, ref=stored_ref, since=start, actor=actor)
    data = [{c: r[c] for c in AUDIT_COLUMNS} for r in rows]
    emit(fmt, data, tz=tz, columns=AUDIT_COLUMNS, table=lambda: _table(rows, stored_ref, tz))


def _table(rows, ref, tz):
    from rich import box
    from rich.table import Table

    from lado_cli.cli.views import esc
    from lado_cli.store.audit import AUDIT_LOG

    n = len(rows)
    title = f"Audit trail{' of ' + ref if ref else ''}: {n} entr{'ies' if n != 1 else 'y'}, newest first"
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD,
              caption="The chronology is never edited or deleted (R37a): corrections are new entries.", caption_justify="left")  # fmt: skip
    t.add_column("Recorded", no_wrap=True)
    t.add_column("By")
    if not ref:
        t.add_column("Ref", no_wrap=True)
    t.add_column("What", min_width=30)
    for r in rows:
        recorded = r["recorded_at"].astimezone(tz)
        entry = f"audit log {r['id']}" if r["source"] == AUDIT_LOG else f"#{r['id']}"
        what = f"[bold]{esc(r['kind'])}[/] {entry}"
        if r["corrects_id"]:
            what += f", corrects #{r['corrects_id']}"
        happened = r["at"].astimezone(tz)
        if abs((happened - recorded).total_seconds()) >= 60:
            what += f" [dim]· happened {happened:%d/%m/%Y %H:%M}[/]"
        what += "\n" + esc(r["text"])
        if r["rationale"]:
            what += f"\n[dim]Why: {esc(r['rationale'])}[/]"
        t.add_row(f"{recorded:%d/%m/%Y %H:%M}", esc(r["actor"]), *([] if ref else [esc(r["ref"] or "")]), what)
    return t


def _views(app, ref, start, actor, fmt, tz) -> None:
    from lado_cli.store.access import views as query
    from lado_cli.store.audit import known_ref

    with app.db.read() as conn:
        stored_ref = known_ref(conn, ref) if ref is not None else None
        rows = query(conn, stored_ref)
    rows = [r for r in rows if (start is None or r["at"] >= start) and (actor is None or r["actor"].lower() == actor.strip().lower())]
    emit(fmt, [{c: r[c] for c in VIEW_COLUMNS} for r in rows], tz=tz, columns=VIEW_COLUMNS, table=lambda: _views_table(rows, stored_ref, tz))


def _views_table(rows, ref, tz):
    from rich import box
    from rich.table import Table

    from lado_cli.cli.views import esc

    n = len(rows)
    t = Table(title=f"Who opened {ref or 'which case'}: {n} time{'s' if n != 1 else ''}, newest first", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Opened", no_wrap=True)
    t.add_column("By")
    t.add_column("Ref", no_wrap=True)
    for r in rows:
        t.add_row(f"{r['at'].astimezone(tz):%d/%m/%Y %H:%M}", esc(r["actor"]), esc(r["ref"]))
    return t
