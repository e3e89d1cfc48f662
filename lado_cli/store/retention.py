"""The retention schedule's data (R37b): the closed cases, what is still outstanding on a
case, and the one way a case is ever deleted.

`delete_case` is the only code that deletes a case or its chronology. It runs inside the
caller's transaction: a `deletion_permits` row for the case lets the chronology's guard
triggers (migration 0003) allow its entries to go, every row of the case is removed, and the
permit is removed again before the transaction commits; the caller records the decision in
the audit log in the same transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.retention import DELETION_ORDER
from lado_cli.store.tables import CASEWORK_TABLES, metadata
from lado_cli.store.tables import (
    amendments, cases, children, deadlines, deletion_permits as permits, discussions, duties, employers, escalation_steps, escalations, events, intake_facts, known_names, match_keys, meetings, other_settings, police_updates, referrers, subjects,
)  # fmt: skip


#: Every table holding a case's rows, by name (see DELETION_ORDER for the order).
CASE_TABLES: dict[str, sa.Table] = {
    t.name: t
    for t in (amendments, events, deadlines, duties, known_names, match_keys, children, subjects, employers, referrers,
              discussions, meetings, police_updates, escalation_steps, escalations, intake_facts, other_settings, cases)
} | {name: metadata.tables[name] for name in CASEWORK_TABLES}  # R45-R50  # fmt: skip


def closed_cases(conn: Connection) -> list[dict[str, Any]]:
    """Every closed case: what the schedule needs to know, oldest reference first."""
    s = (
        sa.select(cases.c.id, cases.c.ref, cases.c.status, cases.c.outcome, cases.c.received, cases.c.closed_at, cases.c.version)
        .where(cases.c.status == "closed")
        .order_by(cases.c.ref_year, cases.c.ref_seq, cases.c.id)
    )
    return [dict(m) for m in conn.execute(s).mappings()]


def outstanding(conn: Connection, case_id: int) -> dict[str, Any]:
    """What is still to be done on a case: duties not done (R30-R32), time limits neither
    met nor set aside, and escalations not resolved (R39-R40)."""
    return {
        "outstanding_duties": [dict(m) for m in conn.execute(
            sa.select(duties.c.kind, duties.c.rule).where(duties.c.case_id == case_id, duties.c.done_at.is_(None), duties.c.withdrawn_at.is_(None)).order_by(duties.c.id)
        ).mappings()],
        "open_limits": [dict(m) for m in conn.execute(
            sa.select(deadlines.c.kind, deadlines.c.rule)
            .where(deadlines.c.case_id == case_id, deadlines.c.met_at.is_(None), deadlines.c.not_applicable.is_(False))
            .order_by(deadlines.c.due, deadlines.c.id)
        ).mappings()],
        "open_escalations": conn.execute(
            sa.select(sa.func.count()).where(escalations.c.case_id == case_id, escalations.c.resolved_at.is_(None))
        ).scalar_one(),
    }  # fmt: skip


def _rows_of(table: sa.Table, case_id: int):
    if table is cases:
        return cases.c.id == case_id
    if table is escalation_steps:
        return escalation_steps.c.escalation_id.in_(sa.select(escalations.c.id).where(escalations.c.case_id == case_id))
    return table.c.case_id == case_id


def row_counts(conn: Connection, case_id: int) -> dict[str, int]:
    """How many rows the case has in each of its tables (what a deletion would remove)."""
    return {name: conn.execute(sa.select(sa.func.count()).select_from(CASE_TABLES[name]).where(_rows_of(CASE_TABLES[name], case_id))).scalar_one()
            for name in DELETION_ORDER}  # fmt: skip


def delete_case(conn: Connection, case_id: int) -> dict[str, int]:
    """Delete every row of the case, the chronology included; returns the rows removed per
    table. Only ever called after the schedule allowed it and the user confirmed (R37b)."""
    conn.execute(permits.insert().values(case_id=case_id))
    counts = {}
    for name in DELETION_ORDER:
        table = CASE_TABLES[name]
        counts[name] = conn.execute(table.delete().where(_rows_of(table, case_id))).rowcount
    conn.execute(permits.delete().where(permits.c.case_id == case_id))
    return counts
