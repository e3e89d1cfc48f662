"""Settings kept with the database (table `settings`): the authority's procedure profile set
by `lado init --profile FILE`, read by every later command that is given no --profile."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.store import audit
from lado_cli.store.tables import settings

PROFILE = "profile"
# Who this installation serves (issue #11): `lado init --role lado|referrer --org NAME --authority NAME`.
ROLE, ORG, AUTHORITY = "role", "org", "authority"


def get(conn: Connection, name: str) -> str | None:
    """The value of a setting, or None when it was never set."""
    return conn.execute(sa.select(settings.c.value).where(settings.c.name == name)).scalar()


def put(conn: Connection, name: str, value: str, *, at: datetime, actor: str, detail: str) -> bool:
    """Set a setting, in the caller's transaction, with an audit-log entry (who, when, `detail`).
    Returns False (and records nothing) when it already holds exactly this value."""
    old = get(conn, name)
    if old == value:
        return False
    if old is None:
        conn.execute(settings.insert().values(name=name, value=value, set_at=at, set_by=actor))
    else:
        conn.execute(settings.update().where(settings.c.name == name).values(value=value, set_at=at, set_by=actor))
    audit.record(conn, at=at, actor=actor, action=f"set-{name}", ref=None, detail=detail)
    return True


def all_settings(conn: Connection, names: tuple[str, ...]) -> dict[str, str]:
    """The settings among `names` that were ever set, by name."""
    rows = conn.execute(sa.select(settings.c.name, settings.c.value).where(settings.c.name.in_(names)))
    return {name: value for name, value in rows}
