"""The referrer's side (issue 11): telling the LADO about a case.

A minimal version, so that `lado send` can record the sending; the referrer-mode work of
issue 11 items 1 and 2 replaces this module with its own (same signature).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.store.cases import add_event, case_row
from lado_cli.store.tables import deadlines


def record_told_lado(conn: Connection, ref: str, *, at: datetime, via: str | None, now: datetime, actor: str) -> None:
    """The referrer told the LADO at `at` (R12): the case's open notify-lado limit is met then,
    and the chronology says so (how, when `via` is given)."""
    case = case_row(conn, ref)
    conn.execute(
        deadlines.update()
        .where(deadlines.c.case_id == case["id"], deadlines.c.kind == "notify-lado", deadlines.c.met_at.is_(None),
               deadlines.c.not_applicable.is_(False))
        .values(met_at=at)
    )  # fmt: skip
    how = f" ({via})" if via else ""
    add_event(conn, case["id"], kind="told-lado", at=at, text=f"The LADO was told of the referral{how} (R12).", now=now, actor=actor)
