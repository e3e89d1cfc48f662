"""Escalations (R38-R41) and their steps, with SQLAlchemy Core.

Rows as written:
* `escalations`: one per escalation; `step` is the step reached, `practice_review` the
  latest R41 decision, `resolved_at` / `resolution` set when it is closed (the case's open
  escalation is the one with `resolved_at` NULL; there is at most one).
* `escalation_steps`: one per step (step 1 is the opening contact): who was `contacted`,
  `at` when, and `response`, the reply that step received, filled in when the next step or
  the resolution records it.
* `deadlines` of kind `escalation-response` carry `escalation_id`; the next step or the
  resolution marks them met.
* `events` of kind `escalation` tell the story in the chronology.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.escalation import ADVANCE, EVENT_KIND, OPEN, RESOLVE, Current, Plan
from lado_cli.store.cases import add_deadlines, add_event, deadlines
from lado_cli.store.tables import escalation_steps, escalations



def open_escalation(conn: Connection, case_id: int) -> Current | None:
    """The case's escalation that is not resolved yet, or None."""
    row = (
        conn.execute(
            sa.select(escalations).where(escalations.c.case_id == case_id, escalations.c.resolved_at.is_(None)).order_by(escalations.c.id.desc())
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    last_at = conn.execute(
        sa.select(escalation_steps.c.at).where(escalation_steps.c.escalation_id == row["id"]).order_by(escalation_steps.c.at.desc()).limit(1)
    ).scalar()
    return Current(
        id=row["id"], ladder=row["ladder"], reason=row["reason"], step=row["step"], opened_at=row["opened_at"],
        last_at=last_at or row["opened_at"], practice_review=row["practice_review"],
    )  # fmt: skip


def record(conn: Connection, case_id: int, current: Current | None, plan: Plan, *, now: datetime, actor: str) -> int:
    """Write what `plan` says, in the caller's transaction; returns the escalation's id."""
    if plan.action == OPEN:
        esc_id = conn.execute(escalations.insert().values(
            case_id=case_id, ladder=plan.ladder.slug, reason=plan.reason, opened_at=plan.at, step=1,
            practice_review=plan.practice_review, recorded_at=now, actor=actor,
        )).inserted_primary_key[0]  # fmt: skip
    else:
        assert current is not None
        esc_id = current.id
        _close_step(conn, esc_id, current.step, plan.response)
        conn.execute(
            deadlines.update()
            .where(deadlines.c.escalation_id == esc_id, deadlines.c.met_at.is_(None), deadlines.c.not_applicable.is_(False))
            .values(met_at=plan.at)
        )
        values: dict[str, Any] = {}
        if plan.action == ADVANCE:
            values["step"] = plan.step
        if plan.practice_review is not None:
            values["practice_review"] = plan.practice_review
        if plan.action == RESOLVE:
            values.update(resolved_at=plan.at, resolution=plan.resolution)
        conn.execute(escalations.update().where(escalations.c.id == esc_id).values(**values))
    if plan.action in (OPEN, ADVANCE):
        conn.execute(escalation_steps.insert().values(
            escalation_id=esc_id, step=plan.step, contacted=plan.contacted, at=plan.at, response=None, recorded_at=now, actor=actor,
        ))  # fmt: skip
        if plan.deadline is not None:
            add_deadlines(conn, case_id, [plan.deadline], now=now, escalation_id=esc_id)
    add_event(conn, case_id, kind=EVENT_KIND, at=plan.at, text=plan.text, now=now, actor=actor)
    return esc_id


def _close_step(conn: Connection, escalation_id: int, step: int, response: str | None) -> None:
    """Record the reply the step received (R41), if one was given."""
    if response is None:
        return
    conn.execute(
        escalation_steps.update()
        .where(escalation_steps.c.escalation_id == escalation_id, escalation_steps.c.step == step, escalation_steps.c.response.is_(None))
        .values(response=response)
    )


def escalation_history(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """Every escalation of a case, oldest first, each with its `steps` (for `lado show`)."""
    rows = [dict(m) for m in conn.execute(sa.select(escalations).where(escalations.c.case_id == case_id).order_by(escalations.c.id)).mappings()]
    if not rows:
        return rows
    steps = conn.execute(
        sa.select(escalation_steps).where(escalation_steps.c.escalation_id.in_([r["id"] for r in rows])).order_by(escalation_steps.c.step, escalation_steps.c.id)
    ).mappings()
    by_id: dict[int, list[dict[str, Any]]] = {r["id"]: [] for r in rows}
    for s in steps:
        by_id[s["escalation_id"]].append(dict(s))
    for r in rows:
        r["steps"] = by_id[r["id"]]
    return rows
