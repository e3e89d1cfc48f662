"""Reading and writing the case work after the initial discussion (R45-R50)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.workflow import Plan
from lado_cli.store.cases import touch_case
from lado_cli.store.tables import CASEWORK_TABLES, metadata
from lado_cli.store.workflow import apply_plan, conflicts


def casework_rows(conn: Connection, case_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every case-work table's rows of one case, oldest first (by time, then as recorded)."""
    out = {}
    for name in CASEWORK_TABLES:
        t = metadata.tables[name]
        out[name] = [dict(m) for m in conn.execute(sa.select(t).where(t.c.case_id == case_id).order_by(t.c.at, t.c.id)).mappings()]
    return out


def save(conn: Connection, case: dict[str, Any], table: str | None, row: dict[str, Any] | None, plan: Plan, *,
         now: datetime, actor: str, tz: tzinfo | None = None, update_id: int | None = None) -> int | None:  # fmt: skip
    """Write one step: the row (new, or `update_id`'s columns: a minutes decision), then the
    plan (duties, chronology). The case's version is checked first, so a change another officer
    saved meanwhile refuses it. The caller's transaction makes it all or nothing."""
    if not conflicts(plan):  # apply_plan checks it otherwise
        touch_case(conn, case, now=now, actor=actor, tz=tz)
    row_id = None
    if table is not None and row is not None:
        t = metadata.tables[table]
        if update_id is not None:
            done = conn.execute(t.update().where(t.c.id == update_id, t.c.case_id == case["id"], t.c.decision.is_(None)).values(**row)).rowcount
            if done != 1:  # decided by someone else since it was read
                from lado_cli.store.cases import stale_error

                raise stale_error(conn, case, tz)
            row_id = update_id
        else:
            row_id = conn.execute(t.insert().values(case_id=case["id"], recorded_at=now, actor=actor, **row)).inserted_primary_key[0]
    apply_plan(conn, case, plan, now=now, actor=actor, tz=tz)
    return row_id
