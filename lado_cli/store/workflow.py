"""Loading a case's current state for the workflow steps, and writing their plans."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.deadlines import NewDeadline
from lado_cli.domain.workflow import Plan
from lado_cli.store.cases import add_deadlines, add_event, case_row, deadlines, events, subjects, touch_case
from lado_cli.store.tables import discussions, duties, escalations, meetings, police_updates



def load_state(conn: Connection, ref: str) -> dict[str, Any]:
    """What the workflow rules need to know about a case, as plain data."""
    case = case_row(conn, ref)
    cid = case["id"]
    case["regulator"], case["subject_status"], case["employment_type"] = conn.execute(
        sa.select(subjects.c.regulator, subjects.c.status, subjects.c.employment).where(subjects.c.case_id == cid)
    ).one()
    case["deadlines"] = [dict(m) for m in conn.execute(sa.select(deadlines).where(deadlines.c.case_id == cid).order_by(deadlines.c.due, deadlines.c.id)).mappings()]
    case["duties"] = [dict(m) for m in conn.execute(sa.select(duties).where(duties.c.case_id == cid).order_by(duties.c.id)).mappings()]
    case["events"] = [dict(m) for m in conn.execute(sa.select(events.c.id, events.c.kind).where(events.c.case_id == cid)).mappings()]
    row = conn.execute(sa.select(discussions).where(discussions.c.case_id == cid)).mappings().first()
    case["discussion"] = dict(row) if row else None
    case["meetings"] = [dict(m) for m in conn.execute(sa.select(meetings.c.type, meetings.c.held).where(meetings.c.case_id == cid)).mappings()]
    case["police"] = [dict(m) for m in conn.execute(sa.select(police_updates.c.at).where(police_updates.c.case_id == cid)).mappings()]
    from lado_cli.store.casework import casework_rows  # R45-R50 (imports this module)

    case["casework"] = casework_rows(conn, cid)
    case["open_escalation"] = conn.execute(
        sa.select(sa.func.count()).where(escalations.c.case_id == cid, escalations.c.resolved_at.is_(None))
    ).scalar_one() > 0
    return case


def conflicts(plan: Plan, row: bool = False) -> bool:
    """Whether writing the plan depends on the case as it was read, so that a change another
    officer saved meanwhile must refuse it: anything but new chronology entries (a note or a
    correction stands whatever else happened, and is never refused as stale)."""
    return bool(row or plan.case_updates or plan.met or plan.not_applicable or plan.duties_done or plan.new_deadlines or plan.new_duties)


def apply_plan(conn: Connection, case: dict[str, Any], plan: Plan, *, now: datetime, actor: str,
               actions: list[NewDeadline] = (), row: tuple[str, dict[str, Any]] | None = None,
               tz: tzinfo | None = None) -> int | None:  # fmt: skip
    """Write a plan, and `row` (table name, values: a discussion, meeting or police update)
    with it; returns the row's id. Unless the plan only adds chronology entries, the case's
    version must be the one read, checked FIRST, before anything is written: a change another
    officer saved in between refuses it with their name ("changed by X at T"), never a
    clash of unique rows. The caller's transaction makes it all or nothing."""
    cid = case["id"]
    if conflicts(plan, row is not None):
        touch_case(conn, case, now=now, actor=actor, tz=tz, **plan.case_updates)
    row_id = insert_row(conn, row[0], case, row[1], now=now, actor=actor) if row is not None else None
    for deadline_id, at, note in plan.met:
        conn.execute(deadlines.update().where(deadlines.c.id == deadline_id).values(met_at=at, note=note))
    for deadline_id in plan.not_applicable:  # PROCEDURE §3: set aside, with why
        conn.execute(deadlines.update().where(deadlines.c.id == deadline_id).values(not_applicable=True, reason=plan.na_reasons.get(deadline_id)))
    add_deadlines(conn, cid, plan.new_deadlines, now=now)
    add_deadlines(conn, cid, actions, now=now, meeting_id=row_id if row is not None and row[0] == "meetings" else None)
    for d in plan.new_duties:
        conn.execute(duties.insert().values(case_id=cid, kind=d.kind, rule=d.rule, reason=d.reason, done_at=d.done_at, note=d.note, created_at=now))
    for duty_id, at, note in plan.duties_done:
        conn.execute(duties.update().where(duties.c.id == duty_id).values(done_at=at, note=note))
    for duty_id, at, why in plan.duties_withdrawn:  # R30, R33: no longer due, with why
        conn.execute(duties.update().where(duties.c.id == duty_id).values(withdrawn_at=at, withdrawn_reason=why))
    for e in plan.events:
        add_event(conn, cid, kind=e.kind, at=e.at, text=e.text, now=now, actor=actor, rationale=e.rationale, corrects_id=e.corrects_id)
    return row_id


def insert_row(conn: Connection, table_name: str, case: dict[str, Any], row: dict[str, Any], *, now: datetime, actor: str) -> int:
    """Insert a discussion, meeting or police update for the case; returns its id."""
    table = {"discussions": discussions, "meetings": meetings, "police_updates": police_updates}[table_name]
    return conn.execute(table.insert().values(case_id=case["id"], recorded_at=now, actor=actor, **row)).inserted_primary_key[0]
