"""Escalations (R38-R41) and their steps, with SQLAlchemy Core.

Rows as written:
* `escalations`: one per escalation; `step` is the step reached, `raised_by` who escalates,
  `practice_review` the latest R41 decision, `resolved_at` / `resolution` set when it is
  closed. A case has at most one open escalation (`resolved_at` NULL) on each ladder.
* `escalation_steps`: one per step (step 1 is the opening contact): who was `contacted`,
  `at` when, its `branch` (R39 steps 3-4), and its reply: `response` with `replied_at`, or
  `no_reply` when it never came. A skipped step (R39 step 2) has no one contacted and its
  `skip_reason`.
* `deadlines` carry `escalation_id`: kind `escalation-response` (a step's reply; met when the
  reply is recorded, left unmet when none came) and `escalation-step` (R40 step 2: the
  escalating side's limit, met by going up, set aside with a reason when the escalation is
  resolved or the step skipped).
* `events` of kind `escalation` tell the story in the chronology.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.escalation import ADVANCE, EVENT_KIND, NO_REPLY, OPEN, REPLIED, RESOLVE, RESPONSE_KIND, STEP_KIND, Current, Plan
from lado_cli.store.cases import add_deadlines, add_event, deadlines
from lado_cli.store.tables import escalation_steps, escalations, referrers


def open_escalations(conn: Connection, case_id: int) -> dict[str, Current]:
    """The case's escalations not resolved yet, by ladder (at most one on each)."""
    rows = conn.execute(
        sa.select(escalations).where(escalations.c.case_id == case_id, escalations.c.resolved_at.is_(None)).order_by(escalations.c.id)
    ).mappings().all()  # fmt: skip
    return {row["ladder"]: _current(conn, row) for row in rows}


def _current(conn: Connection, row: Any) -> Current:
    steps = conn.execute(
        sa.select(escalation_steps).where(escalation_steps.c.escalation_id == row["id"]).order_by(escalation_steps.c.step, escalation_steps.c.id)
    ).mappings().all()  # fmt: skip
    times = [t for s in steps for t in (s["at"], s["replied_at"]) if t is not None]
    last = next((s for s in reversed(steps) if s["step"] == row["step"]), None)
    replied = None
    if last is not None:
        replied = REPLIED if last["response"] is not None else NO_REPLY if last["no_reply"] else None
    pending = sa.and_(deadlines.c.escalation_id == row["id"], deadlines.c.met_at.is_(None), deadlines.c.not_applicable.is_(False))
    reply_due = None
    if last is not None and not last["no_reply"]:  # the current step's own reply limit (written with it)
        reply_due = conn.execute(sa.select(deadlines.c.due).where(pending, _reply_limit_of(row["step"]))).scalar()
    step_due = conn.execute(sa.select(deadlines.c.due).where(pending, deadlines.c.kind == STEP_KIND)).scalar()
    branch = next((s["branch"] for s in reversed(steps) if s["branch"]), None)
    return Current(
        id=row["id"], ladder=row["ladder"], reason=row["reason"], step=row["step"], opened_at=row["opened_at"],
        last_at=max(times, default=row["opened_at"]), practice_review=row["practice_review"], raised_by=row["raised_by"],
        replied=replied, reply_due=reply_due, step_due=step_due, branch=branch,
    )  # fmt: skip


def referrer_of(conn: Connection, case_id: int) -> str | None:
    """The case's referrer as 'name (role, organisation)': who escalates on R40 by default."""
    row = conn.execute(sa.select(referrers).where(referrers.c.case_id == case_id)).mappings().first()
    if row is None or not row["name"]:
        return None
    more = ", ".join(p for p in (row["role"], row["organisation"]) if p)
    return f"{row['name']} ({more})" if more else row["name"]


def record(conn: Connection, case_id: int, current: Current | None, plan: Plan, *, now: datetime, actor: str) -> int:
    """Write what `plan` says, in the caller's transaction; returns the escalation's id."""
    if plan.action == OPEN:
        esc_id = conn.execute(escalations.insert().values(
            case_id=case_id, ladder=plan.ladder.slug, reason=plan.reason, opened_at=plan.at, step=1, raised_by=plan.raised_by,
            practice_review=plan.practice_review, recorded_at=now, actor=actor,
        )).inserted_primary_key[0]  # fmt: skip
    else:
        assert current is not None
        esc_id = current.id
        _reply(conn, esc_id, current, plan)
        pending = sa.and_(deadlines.c.escalation_id == esc_id, deadlines.c.met_at.is_(None), deadlines.c.not_applicable.is_(False))
        if plan.step_limit_met:  # R40: the escalating side went up in time (or late: lateness shows)
            conn.execute(deadlines.update().where(pending, deadlines.c.kind == STEP_KIND).values(met_at=plan.at))
        if plan.step_limit_set_aside:  # PROCEDURE §3: set aside, with why
            conn.execute(deadlines.update().where(pending, deadlines.c.kind == STEP_KIND).values(not_applicable=True, reason=plan.step_limit_set_aside))
        values: dict[str, Any] = {}
        if plan.action == ADVANCE:
            values["step"] = plan.step
        if plan.practice_review is not None:
            values["practice_review"] = plan.practice_review
        if plan.action == RESOLVE:
            values.update(resolved_at=plan.at, resolution=plan.resolution)
        if values:
            conn.execute(escalations.update().where(escalations.c.id == esc_id).values(**values))
    if plan.skipped is not None:
        conn.execute(escalation_steps.insert().values(
            escalation_id=esc_id, step=plan.skipped, contacted=None, at=plan.at, skip_reason=plan.skip_reason, recorded_at=now, actor=actor,
        ))  # fmt: skip
    if plan.action in (OPEN, ADVANCE):
        conn.execute(escalation_steps.insert().values(
            escalation_id=esc_id, step=plan.step, contacted=plan.contacted, at=plan.at, response=None, branch=plan.branch,
            recorded_at=now, actor=actor,
        ))  # fmt: skip
        if plan.deadline is not None:
            add_deadlines(conn, case_id, [plan.deadline], now=now, escalation_id=esc_id)
    if plan.step_deadline is not None:
        add_deadlines(conn, case_id, [plan.step_deadline], now=now, escalation_id=esc_id)
    add_event(conn, case_id, kind=EVENT_KIND, at=plan.at, text=plan.text, now=now, actor=actor)
    return esc_id


def _reply(conn: Connection, escalation_id: int, current: Current, plan: Plan) -> None:
    """The reply the current step received (R41), or that it never came. A reply meets the
    step's reply limit at the time it came; no reply leaves it unmet (overdue once due)."""
    if plan.response is None and not plan.no_reply:
        return
    this_step = sa.and_(escalation_steps.c.escalation_id == escalation_id, escalation_steps.c.step == current.step,
                        escalation_steps.c.contacted.is_not(None))  # fmt: skip
    if plan.no_reply:
        conn.execute(escalation_steps.update().where(this_step).values(no_reply=True))
        return
    conn.execute(escalation_steps.update().where(this_step).values(response=plan.response, replied_at=plan.replied_at))
    conn.execute(
        deadlines.update()
        .where(deadlines.c.escalation_id == escalation_id, _reply_limit_of(current.step), deadlines.c.met_at.is_(None),
               deadlines.c.not_applicable.is_(False))
        .values(met_at=plan.replied_at)
    )  # fmt: skip


def _reply_limit_of(step: int):
    """The reply limit a step created: its title ends with '(step N)' (domain.escalation)."""
    return sa.and_(deadlines.c.kind == RESPONSE_KIND, deadlines.c.title.like(f"%(step {step})"))


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
