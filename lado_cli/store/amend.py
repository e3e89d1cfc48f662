"""Writing an amendment (R37a) in the caller's transaction: the new values, what follows
from them, one chronology entry, and one `amendments` row per corrected fact."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.amend import Amendment
from lado_cli.store.cases import add_deadlines, add_event, touch_case
from lado_cli.store.tables import amendments, children, deadlines, discussions, duties, employers, subjects


def apply_amendment(conn: Connection, case: dict[str, Any], a: Amendment, *, now: datetime, actor: str, tz: tzinfo | None = None) -> int:
    """Write `a` for `case` (refused if someone changed the case since it was read); returns
    the id of its chronology entry."""
    cid = case["id"]
    touch_case(conn, case, now=now, actor=actor, tz=tz, **a.case_updates)
    if a.subject_updates:
        conn.execute(subjects.update().where(subjects.c.case_id == cid).values(**a.subject_updates))
    if a.employer_updates:
        conn.execute(employers.update().where(employers.c.case_id == cid).values(**a.employer_updates))
    if a.children is not None:
        conn.execute(children.delete().where(children.c.case_id == cid))
        if a.children:
            conn.execute(children.insert(), [dict(case_id=cid, position=i, **c) for i, c in enumerate(a.children, 1)])
    if a.intake is not None:  # domain/intake.py: replaced as a whole
        from lado_cli.store.intake import check_associated, save_intake

        worker = a.intake.facts.get("associated_with")
        check_associated(conn, worker, case["ref"])
        save_intake(conn, cid, a.intake)
        if worker and worker != ((case.get("intake") or {}).get("facts") or {}).get("associated_with"):  # P§68: the worker's case records the link
            from lado_cli.store.cases import case_row

            add_event(conn, case_row(conn, worker)["id"], kind="association", at=now, now=now, actor=actor,
                      text=f"Linked case {case['ref']} (by an amendment): an allegation about {case['subject']['name']}, "
                           f"{a.intake.facts.get('association')} of this case's worker (P§68, R51).")  # fmt: skip
    if a.discussion_updates:
        conn.execute(discussions.update().where(discussions.c.case_id == cid).values(**a.discussion_updates))
    for deadline_id, values in a.deadline_updates.items():
        if values:
            conn.execute(deadlines.update().where(deadlines.c.id == deadline_id, deadlines.c.case_id == cid).values(**values))
    if a.not_applicable:
        conn.execute(deadlines.update().where(deadlines.c.id.in_(a.not_applicable)).values(not_applicable=True, reason=f"set aside by an amendment: {a.why}"))
    add_deadlines(conn, cid, a.new_deadlines, now=now)
    for kind, rule, reason in a.new_duties:
        conn.execute(duties.insert().values(case_id=cid, kind=kind, rule=rule, reason=reason, done_at=None, note=None, created_at=now))
    if a.withdrawn_duties:  # kept, marked withdrawn with the reason (R30, R33)
        conn.execute(duties.update().where(duties.c.id.in_(a.withdrawn_duties), duties.c.case_id == cid)
                     .values(withdrawn_at=now, withdrawn_reason=f"no longer applies after an amendment: {a.why}"))  # fmt: skip
    if a.subject_updates or a.children is not None or a.employer_updates:
        from lado_cli.store.matching import index_cases

        index_cases(conn, [cid])  # R11a: the corrected names and dates are matched from now on
    event_id = add_event(conn, cid, kind="amendment", at=now, text=a.text, now=now, actor=actor, rationale=a.why, corrects_id=a.corrects_id)
    conn.execute(amendments.insert(), [
        dict(case_id=cid, event_id=event_id, field=c.field, old=c.old, new=c.new, why=a.why, actor=actor, at=now) for c in a.changes
    ])  # fmt: skip
    return event_id


def case_amendments(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """The amendments of a case, oldest first (for `lado show`)."""
    s = sa.select(amendments).where(amendments.c.case_id == case_id).order_by(amendments.c.at, amendments.c.id)
    return [dict(m) for m in conn.execute(s).mappings()]
