"""`lado db grant USER --role ...` and `lado restrict REF --allow USER...` (R34): who may
work on the team database, and who may see a case. PostgreSQL only: an SQLite file is one
person's, and anyone holding it can read every record in it."""

from __future__ import annotations

from enum import Enum

import typer

from lado_cli.cli.context import app_context
from lado_cli.errors import LadoError


class Role(str, Enum):
    officer = "officer"
    manager = "manager"
    auditor = "auditor"


def _team_db(app, what: str):
    db = app.db
    if db.engine.dialect.name != "postgresql":
        raise LadoError(f"{what} needs the PostgreSQL team backend (see Team set-up in the README): "
                        "an SQLite file has one user, and anyone with the file can read every case in it")  # fmt: skip
    return db


def grant(
    ctx: typer.Context,
    user: str = typer.Argument(..., metavar="USER", help="The officer's own PostgreSQL login role (created, without a password, if missing)."),
    role: Role = typer.Option(..., "--role", help="officer: records cases; manager: also deletes under the retention schedule; auditor: reads only."),
) -> None:
    """Give a person their own login on the team database as an officer, manager or auditor.

    Run by the database's administrator (the role that owns the tables: whoever ran the
    migrations). Creates the group roles lado_officer, lado_manager and lado_auditor and
    their privileges when missing, and makes USER a member of one of them (replacing any
    other). Recorded in the audit log. PostgreSQL only."""
    import sqlalchemy as sa

    from lado_cli.store.access import GROUPS, grant as do_grant
    from lado_cli.store.audit import record
    from lado_cli.store.db import one_line

    app = app_context(ctx)
    db = _team_db(app, "lado db grant")
    name = user.strip()
    if not name or name.startswith("pg_") or "\x00" in name:
        raise LadoError(f"USER: '{user}' is not a role name lado can grant; expected a login name such as a.officer", usage=True)
    actor, now = app.actor(), app.now()
    try:
        with db.begin() as conn:
            created = do_grant(conn, name, role.value)
            record(conn, at=now, actor=actor, action="grant", ref=None, detail=f"{name} made {role.value} ({GROUPS[role.value]})")
    except sa.exc.DBAPIError as err:
        raise LadoError(f"cannot grant: {one_line(err.orig)} (run lado db grant as the database's administrator); nothing was changed") from None
    typer.echo(f"{name} is now {'an' if role is Role.officer or role is Role.auditor else 'a'} {role.value} ({GROUPS[role.value]})."
               + (f" Created the login role {name}: set its password as the administrator (psql: \\password {name})." if created else ""))  # fmt: skip


def restrict(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="Case reference (any letter case)."),
    allow: list[str] = typer.Option(None, "--allow", metavar="USER", help="A login role that may see the case, repeatable; you are always included."),
    lift: bool = typer.Option(False, "--lift", help="Lift the restriction: everyone on the team sees the case again."),
) -> None:
    """Hide a case from everyone but the officers named (e.g. an officer who knows the adult).

    Enforced by the PostgreSQL server (row-level security): other officers, managers and
    auditors do not see the case, its chronology or its records at all. The administrator
    who owns the tables still does. Recorded in the case's chronology (R34). PostgreSQL only."""
    from lado_cli.store.access import allowed, role_exists, set_access
    from lado_cli.store.cases import add_event, case_row, touch_case

    app = app_context(ctx)
    db = _team_db(app, "restricting a case")
    if lift and allow:
        raise LadoError("--allow and --lift: give one of them", usage=True)
    if not lift and not allow:
        raise LadoError("--allow USER (repeatable) names who may see the case; or --lift", usage=True)
    actor, now, tz = app.actor(), app.now(), app.profile.calendar().tz
    with db.begin() as conn:
        case = case_row(conn, ref)
        if lift:
            if not case["restricted"]:
                raise LadoError(f"{case['ref']} is not restricted; nothing was changed")
            touch_case(conn, case, now=now, actor=actor, tz=tz, restricted=False)
            set_access(conn, case["id"], set())
            add_event(conn, case["id"], kind="restriction-lifted", at=now, text="Restriction lifted: every officer may see the case.", now=now, actor=actor)
            message = f"{case['ref']} is no longer restricted."
        else:
            roles = {a.strip() for a in allow} | {actor}
            for r in sorted(roles):
                if not role_exists(conn, r):
                    raise LadoError(f"--allow: no login role '{r}' on this database; expected a role given by lado db grant")
            roles |= set(allowed(conn, case["id"])) if case["restricted"] else set()
            set_access(conn, case["id"], roles)
            touch_case(conn, case, now=now, actor=actor, tz=tz, restricted=True)
            names = ", ".join(sorted(roles))
            add_event(conn, case["id"], kind="restricted", at=now, text=f"Restricted: only {names} may see the case.", now=now, actor=actor)
            message = f"{case['ref']} is restricted: only {names} may see it."
    typer.echo(message)
