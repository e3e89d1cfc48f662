"""Counting the statistics return (R36, R28a) with SQLAlchemy Core.

Everything is counted in SQL (GROUP BY and conditional sums) except what needs a list held
in a JSON column (criteria, routes) or calendar months per case (historic, resolution): for
those one slim row per referral is read, and `lado_cli.domain.stats` does the arithmetic.
The moments (period bounds, "overdue at", "open at", the month cut-offs) are parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.store.tables import cases, deadlines, discussions, duties, employers, suspensions


ADVICE_ONLY_STATUS, CLOSED_STATUS = "advice-only", "closed"


def _threshold():
    """The threshold criteria (R4, R21): the initial discussion's when there was one, else the
    referral's. Needs `cases` outer-joined to `discussions`."""
    return sa.func.coalesce(discussions.c.criteria, cases.c.criteria)


def _advice_only():
    """An advice-only consultation (R37c): so marked, or no criterion met (a closed one too)."""
    return sa.or_(cases.c.status == ADVICE_ONLY_STATUS, sa.func.json_array_length(_threshold(), type_=sa.Integer) == 0)


def _latest_suspension():
    """R36, R45: a case's LATEST suspension decision: the last of `lado suspension` (by time,
    a same-instant one recorded later winning), else the initial discussion's (R24)."""
    s = suspensions.c
    later = sa.select(s.decision).where(s.case_id == cases.c.id).order_by(s.at.desc(), s.id.desc()).limit(1).scalar_subquery()
    return sa.func.coalesce(later, discussions.c.suspension)


def _with_discussion():
    return cases.outerjoin(employers, employers.c.case_id == cases.c.id).outerjoin(discussions, discussions.c.case_id == cases.c.id)


def _sum(condition) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _by_kind(result) -> dict[str, dict[str, int]]:
    """Rows of (kind, figure...) as kind -> {figure: count}."""
    return {m["kind"]: {k: int(v or 0) for k, v in m.items() if k != "kind"} for m in result.mappings()}


def count_return(
    conn: Connection,
    *,
    start: datetime,
    end: datetime,
    overdue_at: datetime,
    open_at: datetime,
    open_cutoffs: Mapping[int, datetime],
    kinds: Sequence[str],
    duty_kinds: Sequence[str] = ("dbs-referral", "regulator-referral"),
) -> dict[str, Any]:
    """The counts behind the return for contacts received in [start, end).

    Returns plain data: `referrals` and `advice_only` (contacts); `grouped` (dimension ->
    value -> referrals) for source, sector, category, outcome and suspension; `rows` (one
    per referral: received, happened, criteria, routes, s47, discussed, outcome,
    outcome_date); `timeliness` (kind -> on_time, late, open, overdue, not_applicable);
    `duties` (kind -> raised, done); `open` (the referrals open at `open_at`, whenever
    received: "open", and per month count of `open_cutoffs` those received before its cut-off).
    """
    period = (
        sa.select(
            cases.c.id, cases.c.received, cases.c.happened, cases.c.source, cases.c.category, cases.c.outcome,
            cases.c.outcome_date, cases.c.first_raised, cases.c.concern_arose, employers.c.sector, discussions.c.id.label("discussion_id"), _threshold().label("criteria"),
            discussions.c.routes, discussions.c.s47, _latest_suspension().label("suspension"),
            sa.case((_advice_only(), 1), else_=0).label("advice_only"),
        )
        .select_from(_with_discussion())
        .where(cases.c.received >= start, cases.c.received < end)
        .cte("period")
    )  # fmt: skip
    p = period.c
    referral = p.advice_only == 0

    totals = conn.execute(sa.select(sa.func.count(), _sum(p.advice_only == 1)).select_from(period)).one()
    out: dict[str, Any] = {"referrals": totals[0] - totals[1], "advice_only": totals[1]}

    # Single-valued breakdowns: one GROUP BY per dimension, in one statement.
    dims = {"source": p.source, "sector": p.sector, "category": p.category, "outcome": p.outcome, "suspension": p.suspension}
    grouped = sa.union_all(*(
        sa.select(sa.literal(name).label("dim"), sa.cast(col, sa.String).label("item"), sa.func.count().label("n"))
        .where(referral).group_by(col)
        for name, col in dims.items()
    ))  # fmt: skip
    out["grouped"] = {name: {} for name in dims}
    for dim, item, n in conn.execute(grouped):
        out["grouped"][dim][item] = n

    # Per referral, what needs a JSON list or calendar months.
    rows = conn.execute(
        sa.select(p.received, p.happened, p.criteria, p.routes, p.s47, (p.discussion_id.is_not(None)).label("discussed"),
                  p.outcome, p.outcome_date, p.first_raised, p.concern_arose).where(referral).order_by(p.received, p.id)  # fmt: skip
    )
    keys = tuple(rows.keys())
    out["rows"] = [dict(zip(keys, r, strict=True)) for r in rows.all()]

    # R12-R17: each time limit of the period's referrals.
    d = deadlines.c
    met, still_open = d.met_at.is_not(None), sa.and_(d.met_at.is_(None), d.not_applicable.is_(False))
    timeliness = (
        sa.select(
            d.kind,
            _sum(sa.and_(met, d.met_at <= d.due)).label("on_time"),
            _sum(sa.and_(met, d.met_at > d.due)).label("late"),
            _sum(still_open).label("open"),
            _sum(sa.and_(still_open, d.due < overdue_at)).label("overdue"),
            _sum(sa.and_(d.met_at.is_(None), d.not_applicable.is_(True))).label("not_applicable"),
        )
        .join(period, p.id == d.case_id)
        .where(referral, d.kind.in_(list(kinds)))
        .group_by(d.kind)
    )  # fmt: skip
    out["timeliness"] = _by_kind(conn.execute(timeliness))

    # R30, R31: duties raised on the period's referrals, and done.
    u = duties.c
    duty_counts = (
        sa.select(u.kind, sa.func.count().label("raised"), sa.func.count(u.done_at).label("done"))
        .join(period, p.id == u.case_id)
        .where(referral, u.kind.in_(list(duty_kinds)), u.withdrawn_at.is_(None))  # a withdrawn duty was never due (R30)
        .group_by(u.kind)
    )  # fmt: skip
    out["duties"] = _by_kind(conn.execute(duty_counts))

    # The caseload at `open_at`: referrals received by then and not closed by then.
    c = cases.c
    not_closed = sa.or_(sa.and_(c.closed_at.is_(None), c.status != CLOSED_STATUS), c.closed_at > open_at)
    months = list(open_cutoffs)
    caseload = (
        sa.select(sa.func.count().label("open"), *(_sum(c.received < open_cutoffs[n]).label(f"m{n}") for n in months))
        .select_from(_with_discussion())
        .where(sa.not_(_advice_only()), c.received <= open_at, not_closed)
    )  # fmt: skip
    row = conn.execute(caseload).mappings().one()
    out["open"] = {"open": row["open"], **{n: row[f"m{n}"] for n in months}}
    return out
