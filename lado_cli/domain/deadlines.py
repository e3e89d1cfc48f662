"""Time limits: which ones a step creates, when they fall due, and their status.

Due instants are computed once, when the step that starts the clock is recorded, and
stored; whether a limit is overdue is derived at read time against "now" (PROCEDURE §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lado_cli.domain.profile import Profile, TimeLimit

OPEN, OVERDUE, MET, NOT_APPLICABLE = "open", "overdue", "met", "not-applicable"


@dataclass(frozen=True)
class NewDeadline:
    kind: str
    rule: str
    due: datetime
    target: datetime | None = None  # an earlier aim shown beside the due time (R12's 24 hours)
    met_at: datetime | None = None
    owner: str | None = None
    note: str | None = None
    title: str | None = None  # what an action asks for (R20)


def due_for(limit: TimeLimit, start: datetime, profile: Profile) -> datetime:
    """When `limit` falls due for a clock that started at `start`."""
    cal = profile.calendar()
    if limit.working_days is not None:
        return cal.due_in_working_days(start, limit.working_days)
    return cal.due_in_hours(start, limit.hours)


def new_deadline(kind: str, start: datetime, profile: Profile, **extra) -> NewDeadline:
    limit = profile.time_limit(kind)
    target = None
    if limit.also_hours:
        target = profile.calendar().due_in_hours(start, limit.also_hours)
    return NewDeadline(kind=kind, rule=limit.rule, due=due_for(limit, start, profile), target=target, **extra)


def status(due: datetime, met_at: datetime | None, not_applicable: bool, now: datetime) -> str:
    """`met`, `not-applicable`, `overdue` (its due time has passed) or `open`."""
    if met_at is not None:
        return MET
    if not_applicable:
        return NOT_APPLICABLE
    return OVERDUE if now > due else OPEN
