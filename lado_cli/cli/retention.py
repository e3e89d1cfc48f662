"""`lado retention`: records due for review or end of retention under the profile's schedule,
and deletion of a case only by an explicit, confirmed, recorded decision (R37b)."""

from __future__ import annotations

import typer

from lado_cli.cli.context import app_context, can_prompt
from lado_cli.cli.render import Format, format_option
from lado_cli.errors import LadoError


def retention(
    ctx: typer.Context,
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATETIME", help="List as at this time instead of now, e.g. '01/01/2036 09:00' (UK time). Not with --delete."
    ),
    all_: bool = typer.Option(False, "--all", "-a", help="Every closed case with the date its period ends, not only those due."),
    delete: str = typer.Option(
        None, "--delete", metavar="REF", help="Delete this case and every record of it, if the schedule allows it now; needs --reason."
    ),
    reason: str = typer.Option(None, "--reason", metavar="TEXT", help="With --delete: why (the decision, kept in the audit log, R37b)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="With --delete: do not ask to type the reference (required with --no-input)."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt (also env LADO_NO_INPUT=1)."),
    fmt: Format = format_option(" JSON is [] when nothing is due; with --delete, the audit entry."),
) -> None:
    """Records due for review or end of retention under the profile's schedule (R37b).

    Each closed case follows the \\[retention] rule of its outcome (`lado profile show`):
    N years after its closure (or the referral) it is due for `review`, or its `keep`
    period has ended. The list gives the date the period ends and the reason in words.
    Cases whose period has not ended are left out: --all lists every closed case.
    Open cases are never listed.

    An advice-only consultation (R37c) has no outcome: it follows a rule named
    `advice-only` if the profile has one (with `advice-only` in \\[outcomes] too). The
    built-in profile has none, so consultations are kept and never listed as due.

    Nothing is deleted unless you decide it. `--delete REF --reason TEXT` deletes a closed
    case whose period has ended and that has no outstanding duty, open time limit or open
    escalation; you are asked to type the reference (with --no-input, give --yes). The
    case, its chronology and every linked record go in one transaction, and the audit log
    keeps who deleted it, when, under which rule and why: counts, no names (`lado audit`).
    """
    if delete is None:
        if reason is not None or yes:
            raise LadoError("--reason and --yes go with --delete REF", usage=True)
        _list(ctx, as_of, all_, fmt)
        return
    app_context(ctx).lado_only("lado retention --delete")  # issue #11: the LADO's schedule (R37b)
    if all_:
        raise LadoError("--all lists cases; it cannot be given with --delete", usage=True)
    if as_of is not None:
        raise LadoError("--as-of cannot be given with --delete: a deletion is judged at the present time (R37b)", usage=True)
    _delete(ctx, delete, reason, yes=yes, no_input=no_input, fmt=fmt)


def _list(ctx: typer.Context, as_of: str | None, every: bool, fmt: Format) -> None:
    from lado_cli.cli.render import emit
    from lado_cli.domain.retention import ROW_COLUMNS, schedule
    from lado_cli.store.retention import closed_cases

    app = app_context(ctx)
    profile = app.profile
    tz = profile.calendar().tz
    if as_of is not None:
        from lado_cli.domain.dates import parse_instant

        at = parse_instant(as_of, "as-of", tz)
    else:
        at = app.now()
    with app.db.read() as conn:
        found = schedule(closed_cases(conn), profile, at, every=every)
    emit(fmt, [a.as_row() for a in found], tz=tz, columns=ROW_COLUMNS, table=lambda: _table(found, at, every, profile))


def _table(found, at, every, profile):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from lado_cli.cli.render import when
    from lado_cli.cli.views import esc
    from lado_cli.domain.retention import DUE, NOT_DUE

    tz = profile.calendar().tz
    n = len(found)
    if not found:
        return Text(f"No {'closed cases' if every else 'records due for review or end of retention'} at {when(at, tz)} (R37b).")
    what = ("closed case" if every else "record") + ("s" if n != 1 else "") + ("" if every else " due for review or end of retention")
    title = f"Retention (R37b) at {when(at, tz)}: {n} {what}"
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Ref", "Closed", "Period ends"):
        t.add_column(col, no_wrap=True)
    if every:
        t.add_column("Status", no_wrap=True)
    t.add_column("Reason", min_width=24)
    for a in found:
        row = [a.ref, f"{a.closed_at.astimezone(tz):%d/%m/%Y}" if a.closed_at else "", f"{a.ends:%d/%m/%Y}" if a.ends else "kept"]
        if every:
            row.append({DUE: "[bold]due[/]", NOT_DUE: "not yet"}.get(a.status, "no rule"))
        t.add_row(*row, esc(a.reason))
    note = Text("Nothing is deleted without a recorded decision: lado retention --delete REF --reason TEXT", style="dim")
    return Group(t, note)


def _delete(ctx: typer.Context, ref: str, reason: str | None, *, yes: bool, no_input: bool, fmt: Format) -> None:
    from lado_cli.cli.render import err, print_csv, print_json, when
    from lado_cli.cli.views import esc
    from lado_cli.domain.retention import CLOSED, assess, check_deletion, counts_in_words, deletion_detail
    from lado_cli.store.audit import RETENTION_DELETE, deletion_of, record
    from lado_cli.store.cases import case_row
    from lado_cli.store.retention import delete_case, outstanding, row_counts

    app = app_context(ctx)
    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    tz = profile.calendar().tz

    def checked(conn):
        try:
            case = case_row(conn, ref)
        except LadoError:
            gone = deletion_of(conn, ref)
            if gone is None:
                raise
            raise LadoError(
                f"{gone['ref']} was deleted under the retention schedule on {when(gone['at'], tz)} by {gone['actor']} "
                f"(`lado audit {gone['ref']}`); nothing was deleted"
            ) from None
        a = assess(case, profile, now) if case["status"] == CLOSED else None
        return case, check_deletion(case, a, **outstanding(conn, case["id"]))

    with db.read() as conn:
        case, a = checked(conn)
        counts = row_counts(conn, case["id"])
    ref = case["ref"]
    interactive = can_prompt(no_input)
    if not (reason and reason.strip()):
        if not interactive:
            raise LadoError("--delete needs --reason TEXT: the decision is recorded with its reason (R37b); nothing was deleted", usage=True)
    if not yes and not interactive:
        raise LadoError(f"deleting {ref} needs --yes when nobody is at a terminal (--no-input); nothing was deleted", usage=True)
    if interactive:
        from lado_cli.wizards.common import required, text

        err(f"[bold]{ref}[/] · {esc(a.reason)}; period ended {a.ends:%d/%m/%Y}.")
        err(f"Deleting it removes for ever: {counts_in_words(counts)}. The audit log keeps who, when and why, without names.")
        if not (reason and reason.strip()):
            reason = text("Why is it being deleted (recorded in the audit log)?", validate=required)
        if not yes:
            typed = text(f"Type the reference {ref} to delete it:", validate=None)
            if typed.strip().upper() != ref.upper():
                raise LadoError(f"'{typed.strip()}' is not {ref}; nothing was deleted")

    with db.begin() as conn:  # judged again inside the transaction that deletes
        fresh, a = checked(conn)
        if fresh["version"] != case["version"]:
            raise LadoError(
                f"{ref} was changed by {fresh['updated_by'] or 'someone else'} while you confirmed; nothing was deleted: run the command again"
            )
        done = delete_case(conn, fresh["id"])
        # The case's chronology chain ends here: its last hash stays in the (chained) audit log.
        detail = deletion_detail(a, reason, done) + f" Chronology chain ended with {fresh['chain_head'] or 'no entries'}."
        entry_id = record(conn, at=now, actor=actor, action=RETENTION_DELETE, ref=ref, detail=detail)
    entry = {"recorded_at": now, "at": now, "actor": actor, "ref": ref, "source": "audit-log", "id": entry_id, "kind": RETENTION_DELETE,
             "text": detail, "rationale": None, "corrects_id": None}  # fmt: skip
    if fmt is not Format.table:  # the audit entry, as `lado audit` gives it (JSON: with the counts)
        from lado_cli.cli.audit import AUDIT_COLUMNS

        print_json(dict(entry, deleted=done), tz) if fmt is Format.json else print_csv([entry], AUDIT_COLUMNS, tz)
        return
    typer.echo(f"Deleted {ref} under the retention schedule (R37b): {counts_in_words(done)}.")
    typer.echo(f"Recorded in the audit log (`lado audit {ref}`).")
