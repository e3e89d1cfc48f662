"""The referrer's side of `lado` (issue #11): `lado init --role referrer --org NAME`, `lado
told-lado`, `lado discuss` in referrer mode, the "What to do now" list after `lado refer`,
and the referrer's duties in `lado due`."""

from __future__ import annotations

import shutil
import textwrap
from typing import Any

import typer

from lado_cli import saved
from lado_cli.cli.context import AppContext, app_context
from lado_cli.errors import FieldError, LadoError

_DT = "dd/mm/yyyy hh:mm or ISO, UK time"


def save_role(context: AppContext, db, *, role: str | None, org: str | None, authority: str | None) -> None:
    """`lado init --role/--org/--authority`: saved with the database, audit-logged. The role is
    fixed once the database holds a case: a referrer's records are not a LADO's register, and
    changing it would change what every saved case means (start a new database instead)."""
    from lado_cli.domain.role import LADO, REFERRER, Installation, check_role
    from lado_cli.store import settings
    from lado_cli.store.referrer import case_count

    role = check_role(role) if role is not None else None
    values = {}
    for fld, value in (("org", org), ("authority", authority)):
        if value is not None:
            value = " ".join(value.split())
            if not value:
                raise FieldError(fld, value, "is blank", "a name, e.g. --org \"St Mary's School\"" if fld == "org" else "a local authority's name")
            values[fld] = value
    now, actor = context.now(), context.actor()
    with db.begin() as conn:
        found = settings.all_settings(conn, (settings.ROLE, settings.ORG, settings.AUTHORITY))
        current = found.get(settings.ROLE) or LADO
        if role is not None and role != current:
            n = case_count(conn)
            if n:
                raise LadoError(f"--role: this database already holds {n} case{'s' if n != 1 else ''} recorded as a "
                                f"{'LADO service' if current == LADO else 'referrer'}; the role cannot change once a case is recorded "
                                "(use a new database for the other role: lado --db PATH init --role ...)")  # fmt: skip
        new_role = role or current
        if new_role == REFERRER and not (values.get("org") or found.get(settings.ORG)):
            raise FieldError("org", "", "is missing", "your organisation's name with --role referrer, e.g. --org \"St Mary's School\"")
        if role is not None:
            settings.put(conn, settings.ROLE, role, at=now, actor=actor, detail=f"role set: {role} (was {current})")
        for fld, key in (("org", settings.ORG), ("authority", settings.AUTHORITY)):
            if fld in values:
                settings.put(conn, key, values[fld], at=now, actor=actor, detail=f"{fld} set: {values[fld]}")
    saved.name("the role")
    context.__dict__.pop("installation", None)
    inst = Installation(role=new_role, org=values.get("org") or found.get(settings.ORG),
                        authority=values.get("authority") or found.get(settings.AUTHORITY))  # fmt: skip
    typer.echo(f"Saved. {inst.describe(context.profile.name)}.")
    if inst.referrer:
        typer.echo(wrapped_items(["Next: record a concern with lado refer; lado due then shows when the LADO must be told (R12)."]))


def wrapped_items(items: list[str], numbered: bool = False) -> str:
    """Paragraphs wrapped to the terminal (60 to 100 columns), never cropped; plain text."""
    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 100)
    out = []
    for i, item in enumerate(items, 1):
        lead = f"{i}. " if numbered else ""
        out.append(textwrap.fill(item, width=width, initial_indent=lead, subsequent_indent=" " * len(lead),
                                 break_on_hyphens=False, break_long_words=False))  # fmt: skip
    return "\n".join(out)


def what_to_do(app: AppContext, ref: str, notify, told_at, now) -> str:
    """The "What to do now" list printed after `lado refer` in referrer mode."""
    from lado_cli.domain.referrer import what_to_do_now

    items = what_to_do_now(app.profile, notify=notify, told_at=told_at, now=now, ref=ref)
    return "What to do now:\n" + wrapped_items(items, numbered=True)


def told_lado(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="Case reference."),
    at: str = typer.Option(..., "--at", metavar="DATETIME", help=f"When you told the LADO ({_DT}); not in the future, not before the concern arose."),
    via: str = typer.Option(None, "--via", help="How: e.g. 'phone to the duty LADO', 'email to the LADO team'."),
) -> None:
    """Referrer: record when you told the LADO (R12). Meets notify-lado at --at; recorded once."""
    from lado_cli.cli.views import esc
    from lado_cli.cli.render import console
    from lado_cli.domain.dates import parse_instant
    from lado_cli.store.referrer import record_told_lado

    app = app_context(ctx)
    if not app.installation.referrer:
        raise LadoError("lado told-lado is for a referrer's database; on a LADO's database receiving the referral is the "
                        "telling (lado refer --received), so it is refused (the role is set with lado init --role)")  # fmt: skip
    profile = app.profile
    when = parse_instant(at, "at", profile.calendar().tz)
    now = app.now()
    with app.db.begin() as conn:
        record_told_lado(conn, ref, at=when, via=via, now=now, actor=app.actor(), profile=profile)
        from lado_cli.store.cases import case_row
        from lado_cli.store.referrer import newest_entry_text

        case = case_row(conn, ref)
        text = newest_entry_text(conn, case["id"])
    saved.name(case["ref"])
    console().print(f"[bold]{esc(case['ref'])}[/] · {esc(text)}")


def discuss(ctx: typer.Context, ref: str, given: dict[str, Any], no_input: bool = False) -> None:
    """`lado discuss` in referrer mode: the LADO's advice and the actions agreed."""
    from lado_cli.cli import views
    from lado_cli.cli.context import can_prompt
    from lado_cli.domain.referrer import LADO_DECISIONS, advice, require_told
    from lado_cli.store.workflow import apply_plan, load_state

    app = app_context(ctx)
    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    with db.read() as conn:
        case = load_state(conn, ref)
    if can_prompt(no_input) and not any(k in given for k in LADO_DECISIONS):  # a LADO's flag is refused at once, below
        require_told(case)  # before any question
        from lado_cli.wizards.referrer import advice as wizard

        views.err(f"[bold]{views.esc(case['ref'])}[/]")
        given = wizard(given, profile=profile, now=now, notify=views.Notices(profile), clock=app.now)
        if given is None:
            views.err("Nothing was saved.")
            raise typer.Exit(0)
        now = app.now()
    plan = advice(given, case, profile, now, org=app.installation.org)
    with db.begin() as conn:
        apply_plan(conn, case, plan, now=now, actor=actor, tz=profile.calendar().tz)
    saved.name(case["ref"])
    views.step_saved(case["ref"], plan, [], profile, now)


def duty_rows(conn, org: str | None, ref: str | None) -> list[dict[str, Any]]:
    """`lado due` in referrer mode: the outstanding duties of open cases (R30-R32), which have
    no time limit, each owned by my organisation."""
    from lado_cli.store.referrer import outstanding_duties

    return [dict(ref=r.ref, kind=r.kind, rule=r.rule, title=r.reason, due=None, status="duty", working_days_overdue=None,
                 subject=None, employer=None, owner=org or "my organisation", target=None, escalation_id=None, id=None)
            for r in outstanding_duties(conn, ref)]  # fmt: skip


def owned(row: dict[str, Any], kinds, owner: str | None, owner_is: str | None) -> bool:
    """A duty row passes `lado due --kind/--owner/--mine` as a time limit would."""
    who = (row["owner"] or "").casefold()
    return ((not kinds or row["kind"] in kinds) and (owner is None or owner.casefold() in who)
            and (owner_is is None or owner_is.casefold() == who))  # fmt: skip


def duties_view(rows: list[dict[str, Any]]):
    """`lado due` in referrer mode: my organisation's outstanding duties (R30-R32)."""
    from rich import box
    from rich.table import Table

    from lado_cli.cli.views import esc

    t = Table(title=f"Your organisation's duties, no time limit ({len(rows)})", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
    t.add_column("Ref", no_wrap=True)
    t.add_column("Duty", min_width=25)
    t.add_column("Owner", min_width=12)
    for r in rows:
        t.add_row(esc(r["ref"]), f"{r['kind']} ({r['rule']})\n[dim]{esc(r['title'])}[/]", esc(r["owner"]))
    return t


def role_line(context: AppContext) -> str | None:
    """Who the database serves, for `lado db path` and `lado profile show`. An encrypted file
    not opened yet is not opened for this (no key is asked just for it), and a database that
    cannot be read is not an error here (the command's own output stands): None then."""
    from lado_cli.store.db import file_kind, sqlite_path

    path = sqlite_path(context.url)
    if context._db is None and path is not None and file_kind(path) not in ("new", "plain"):
        return None
    try:
        inst = context.installation
        name = context.profile.name
    except Exception:  # noqa: BLE001 - the path or the profile was printed; the role is a courtesy
        return None
    return inst.describe(name)
