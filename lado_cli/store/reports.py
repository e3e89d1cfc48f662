"""Reports across all cases, read with one SQLAlchemy Core query each (no ORM objects).

Reports run on every open case at once and may be run from cron, so this module does not
import the SQLModel classes of `tables` (pydantic and the mapped classes cost more than the
query itself): it names only the columns it reads, as lightweight Core `table()` clauses.
`tests/test_due.py` checks every name against the real schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.errors import LadoError


class _Instant(sa.types.TypeDecorator):
    """An instant stored in UTC (as `tables.UTCDateTime` writes it), read as an aware datetime.
    (Reading SQLite's text with `datetime.fromisoformat` instead was measured: no gain.)"""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("ref", sa.String), sa.column("status", sa.String),
                  sa.column("updated_at", _Instant()))
_subjects = sa.table("subjects", sa.column("case_id", sa.Integer), sa.column("name", sa.String))
_employers = sa.table("employers", sa.column("case_id", sa.Integer), sa.column("name", sa.String))
_deadlines = sa.table(
    "deadlines",
    *(sa.column(n, sa.Integer) for n in ("id", "case_id", "escalation_id")),
    *(sa.column(n, sa.String) for n in ("kind", "rule", "title", "owner")),
    *(sa.column(n, _Instant()) for n in ("due", "target", "met_at")),
    sa.column("not_applicable", sa.Boolean),
)

#: The tables and columns this module reads (checked against the migrations by a test).
READS: dict[str, tuple[str, ...]] = {t.name: tuple(c.name for c in t.c) for t in (_cases, _subjects, _employers, _deadlines)}


def case_ref(conn: Connection, ref: str) -> str:
    """The stored spelling of a case reference given in any letter case, or a clear error."""
    found = conn.execute(sa.select(_cases.c.ref).where(sa.func.upper(_cases.c.ref) == ref.strip().upper())).scalar()
    if found is None:
        raise LadoError(f"no case with reference '{ref}'; `lado list --all` shows the references")
    return found


def due_deadlines(
    conn: Connection,
    *,
    until: datetime,
    ref: str | None = None,
    kinds: Sequence[str] = (),
    owner: str | None = None,
    owner_is: str | None = None,
) -> list[dict[str, Any]]:
    """Open time limits (not met, not not-applicable) of open cases due by `until`, by due time.

    `ref` (any letter case), `kinds`, `owner` (part of the owner's name, any case) and
    `owner_is` (the whole owner name, any case) narrow it. Overdue, due-today and upcoming
    are decided by the caller (lado_cli.domain.due), against the time asked about.
    """
    d = _deadlines.c
    # The open cases are found first (status index), then their time limits (case_id index).
    # Said as `case_id IN (open cases)` so SQLite keeps that order even when ANALYZE
    # statistics tempt it to walk the whole due-date index instead (~40x slower at 100,000
    # cases: see benchmarks/due.py).
    # An advice-only consultation (R37c) can carry an escalation's limits (R40), and only those.
    open_cases = sa.select(_cases.c.id).where(_cases.c.status.in_(("open", "advice-only")))
    s = (
        sa.select(d.id, _cases.c.ref, d.kind, d.rule, d.title, d.due, d.target, d.owner, d.escalation_id,
                  _subjects.c.name.label("subject"), _employers.c.name.label("employer"))
        .select_from(_deadlines)
        .join(_cases, _cases.c.id == d.case_id)
        .outerjoin(_subjects, _subjects.c.case_id == _cases.c.id)
        .outerjoin(_employers, _employers.c.case_id == _cases.c.id)
        .where(d.case_id.in_(open_cases), d.met_at.is_(None), d.not_applicable.is_(False), d.due <= until,
               sa.or_(_cases.c.status == "open", d.escalation_id.is_not(None)))
        .order_by(d.due, d.id)
    )  # fmt: skip
    return _fetch(conn, s, ref=ref, kinds=kinds, owner=owner, owner_is=owner_is)


def settled_deadlines(
    conn: Connection,
    *,
    since: datetime,
    ref: str | None = None,
    kinds: Sequence[str] = (),
    owner: str | None = None,
    owner_is: str | None = None,
) -> list[dict[str, Any]]:
    """Time limits taken off the due list lately, for a calendar feed to cancel: those met at
    or after `since`, and the not-applicable ones of cases changed at or after `since` (a limit
    set aside has no time of its own; the change of its case that set it aside, or a later
    one, stands for it). Same filters as `due_deadlines`; ordered by due time."""
    d = _deadlines.c
    recent_case = _cases.c.updated_at >= since
    s = (
        sa.select(d.id, _cases.c.ref, d.kind, d.rule, d.title, d.due, d.owner, d.met_at, d.not_applicable)
        .select_from(_deadlines)
        .join(_cases, _cases.c.id == d.case_id)
        .where(sa.or_(d.met_at >= since, sa.and_(d.met_at.is_(None), d.not_applicable.is_(True), recent_case)))
        .order_by(d.due, d.id)
    )  # fmt: skip
    return _fetch(conn, s, ref=ref, kinds=kinds, owner=owner, owner_is=owner_is)


def _fetch(conn: Connection, s: sa.Select, *, ref: str | None, kinds: Sequence[str], owner: str | None, owner_is: str | None) -> list[dict[str, Any]]:
    """The rows of a deadlines query `s`, with the filters `due` shares by case, kind and owner."""
    d = _deadlines.c
    if ref:
        s = s.where(sa.func.upper(_cases.c.ref) == ref.strip().upper())
    if kinds:
        s = s.where(d.kind.in_(list(kinds)))
    if owner:
        s = s.where(sa.func.lower(d.owner).contains(owner.strip().lower(), autoescape=True))
    if owner_is:
        s = s.where(sa.func.lower(d.owner) == owner_is.strip().lower())
    result = conn.execute(s)
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]  # fetchall: one call, not one per row
