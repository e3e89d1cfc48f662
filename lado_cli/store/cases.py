"""Reading and writing cases with SQLAlchemy Core (fast, and no ORM objects row by row)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.deadlines import NewDeadline
from lado_cli.domain.referral import ChildInfo, Referral, name_key
from lado_cli.errors import LadoError
from lado_cli.store.tables import (
    cases, children, deadlines, discussions, duties, employers, events, meetings, police_updates, ref_counters, referrers, subjects,
)  # fmt: skip




def reserve_refs(conn: Connection, year: int, n: int = 1) -> int:
    """Take `n` reference numbers for `year` at once; returns the first. The UPDATE locks the
    counter's row until commit, so concurrent writers on either backend queue, never clash."""
    _ensure_counter(conn, year)
    last = conn.execute(
        ref_counters.update().where(ref_counters.c.year == year).values(seq=ref_counters.c.seq + n).returning(ref_counters.c.seq)
    ).scalar_one()
    return last - n + 1


def keep_counter_past(conn: Connection, year: int, seq: int) -> None:
    """After storing a kept reference (an import's `ref`), new numbers start after it."""
    _ensure_counter(conn, year)
    c = ref_counters.c.seq
    conn.execute(ref_counters.update().where(ref_counters.c.year == year, c < seq).values(seq=seq))


def _ensure_counter(conn: Connection, year: int) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(ref_counters).values(year=year, seq=0).on_conflict_do_nothing(index_elements=["year"]))


def touch_case(conn: Connection, case: dict[str, Any], *, now: datetime, actor: str, tz: tzinfo | None = None, **updates: Any) -> None:
    """Change a case only if nobody else has since it was read (optimistic check on
    `version`); records who changed it and when (`tz`: the zone to name that time in)."""
    done = conn.execute(
        cases.update()
        .where(cases.c.id == case["id"], cases.c.version == case["version"])
        .values(version=case["version"] + 1, updated_at=now, updated_by=actor, **updates)
    )
    if done.rowcount != 1:
        raise stale_error(conn, case, tz)


def stale_error(conn: Connection, case: dict[str, Any], tz: tzinfo | None = None) -> LadoError:
    """"REF was changed by X at T while you worked": the error of a change refused because
    another officer saved one to the case since it was read."""
    found = conn.execute(sa.select(cases.c.updated_by, cases.c.updated_at).where(cases.c.id == case["id"])).first()
    who, at = found if found else (None, None)
    when = f" at {at.astimezone(tz):%d/%m/%Y %H:%M %Z}" if at and tz else f" at {at:%d/%m/%Y %H:%M} UTC" if at else ""
    return LadoError(f"{case['ref']} was changed by {who or 'someone else'}{when} while you worked; nothing was saved: "
                     f"reload it (`lado show {case['ref']}`) and run the command again")  # fmt: skip


def insert_referral(
    conn: Connection,
    r: Referral,
    *,
    ref_prefix: str,
    year: int,
    new_deadlines: Iterable[NewDeadline],
    chronology: Iterable[tuple[str, datetime, str]],
    now: datetime,
    actor: str,
    association_label: str | None = None,
) -> str:
    """Save a referral and everything it starts; returns the new case reference.

    `chronology` is (kind, at, text) entries. The caller's transaction makes it all or nothing.
    With an association to a worker's case (P§68, R51) that case's chronology records the
    link too (`association_label`: the association in words).
    """
    from lado_cli.store.intake import check_associated, save_intake

    associated = r.intake.facts.get("associated_with")
    check_associated(conn, associated)
    row = dict(
        status="advice-only" if r.advice_only else "open",
        recorded_at=now, received=r.received, concern_arose=r.concern_arose, happened=r.happened,
        source=r.source, source_detail=r.source_detail, category=r.category,
        criteria=list(r.criteria), suitability=list(r.suitability), summary=r.summary,
        immediate_danger=r.immediate_danger, out_of_hours=r.out_of_hours,
        works_in=r.works_in, cross_border=r.cross_border, version=1, updated_at=now, updated_by=actor,
        first_raised=r.first_raised,
        told_lado=r.told_lado,
    )  # fmt: skip
    seq = reserve_refs(conn, year)
    ref = f"{ref_prefix}-{year}-{seq:04d}"
    case_id = conn.execute(cases.insert().values(ref=ref, ref_year=year, ref_seq=seq, **row)).inserted_primary_key[0]
    conn.execute(subjects.insert().values(
        case_id=case_id, name=r.subject_name, name_key=name_key(r.subject_name), dob=r.subject_dob,
        role=r.subject_role, employment=r.employment, status=r.subject_status,
        address=r.subject_address, regulator=r.regulator,
    ))  # fmt: skip
    conn.execute(employers.insert().values(case_id=case_id, name=r.employer, sector=r.sector))
    if r.children:
        conn.execute(children.insert(), [
            dict(case_id=case_id, position=i, name=c.name, name_key=name_key(c.name), dob=c.dob, address=c.address, social_worker=c.social_worker)
            for i, c in enumerate(r.children, 1)
        ])  # fmt: skip
    save_intake(conn, case_id, r.intake)
    from lado_cli.store.matching import index_cases

    index_cases(conn, [case_id])  # R11a blocking keys
    conn.execute(referrers.insert().values(
        case_id=case_id, name=r.referrer_name, role=r.referrer_role,
        organisation=r.referrer_org, contact=r.referrer_contact,
    ))  # fmt: skip
    add_deadlines(conn, case_id, new_deadlines, now=now)
    for kind, at, text in chronology:
        add_event(conn, case_id, kind=kind, at=at, text=text, now=now, actor=actor)
    if associated:  # P§68, R51: the worker's own case records the link
        worker = case_row(conn, associated)
        how = association_label or r.intake.facts.get("association")
        add_event(conn, worker["id"], kind="association", at=now, now=now, actor=actor,
                  text=f"Linked case {ref}: an allegation about {r.subject_name}, {how} of this case's worker (P§68, R51).")  # fmt: skip
    return ref


def case_row(conn: Connection, ref: str) -> dict[str, Any]:
    """The `cases` row for a reference (any letter case), or a clear error."""
    row = conn.execute(sa.select(cases).where(sa.func.upper(cases.c.ref) == ref.strip().upper())).mappings().first()
    if row is None:
        raise LadoError(f"no case with reference '{ref}'; `lado list --all` shows the references")
    return dict(row)


def add_deadlines(conn: Connection, case_id: int, new: Iterable[NewDeadline], *, now: datetime, **links: Any) -> list[int]:
    """Insert time limits; `links` sets meeting_id / escalation_id / title on all of them."""
    ids = []
    for d in new:
        ids.append(conn.execute(deadlines.insert().values(case_id=case_id, created_at=now, not_applicable=False, **vars(d), **links)).inserted_primary_key[0])
    return ids


def add_event(conn: Connection, case_id: int, *, kind: str, at: datetime, text: str, now: datetime, actor: str,
              rationale: str | None = None, corrects_id: int | None = None) -> int:  # fmt: skip
    """Append to the chronology (R34, R37a): entries are never updated or deleted. The entry
    is chained to the case's newest one (store/chain.py); the case row stays locked until commit."""
    from lado_cli.store.chain import chained_event, lock_case_chain, set_case_head

    row = chained_event(dict(case_id=case_id, at=at, recorded_at=now, actor=actor, kind=kind, text=text, rationale=rationale,
                             corrects_id=corrects_id), lock_case_chain(conn, case_id))  # fmt: skip
    new_id = conn.execute(events.insert().values(**row)).inserted_primary_key[0]
    set_case_head(conn, case_id, row["hash"])
    return new_id


def find_history(conn: Connection, subject_name: str, subject_dob: date | None, kids: Sequence[ChildInfo] = ()) -> list[dict[str, Any]]:
    """Earlier cases about the same adult or the same child (R11a).

    Names match with case and spacing folded; dates of birth must agree where both are
    known (a match with an unknown date of birth is still shown: `dob_known` says so).
    """
    found: list[dict[str, Any]] = []

    def dob_ok(col, dob):
        return sa.true() if dob is None else sa.or_(col.is_(None), col == dob)

    s = (
        sa.select(cases.c.ref, cases.c.status, cases.c.received, cases.c.category, subjects.c.name, subjects.c.dob)
        .join(subjects, subjects.c.case_id == cases.c.id)
        .where(subjects.c.name_key == name_key(subject_name), dob_ok(subjects.c.dob, subject_dob))
        .order_by(cases.c.received, cases.c.id)
    )
    for m in conn.execute(s).mappings():
        found.append(dict(m, match="subject", dob_known=m["dob"] is not None and subject_dob is not None))
    for child in kids:
        s = (
            sa.select(cases.c.ref, cases.c.status, cases.c.received, cases.c.category, children.c.name, children.c.dob)
            .join(children, children.c.case_id == cases.c.id)
            .where(children.c.name_key == name_key(child.name), dob_ok(children.c.dob, child.dob))
            .order_by(cases.c.received, cases.c.id)
        )
        for m in conn.execute(s).mappings():
            found.append(dict(m, match="child", dob_known=m["dob"] is not None and child.dob is not None))
    return found


def load_case(conn: Connection, ref: str) -> dict[str, Any]:
    """Everything about one case, as plain data."""
    case = case_row(conn, ref)
    cid = case["id"]
    one = lambda t: dict(conn.execute(sa.select(t).where(t.c.case_id == cid)).mappings().first() or {})  # noqa: E731
    case["subject"] = one(subjects)
    case["employer"] = one(employers)
    case["referrer"] = one(referrers)
    case["children"] = [dict(m) for m in conn.execute(sa.select(children).where(children.c.case_id == cid).order_by(children.c.position)).mappings()]
    case["deadlines"] = [dict(m) for m in conn.execute(sa.select(deadlines).where(deadlines.c.case_id == cid).order_by(deadlines.c.due, deadlines.c.id)).mappings()]
    case["events"] = [dict(m) for m in conn.execute(sa.select(events).where(events.c.case_id == cid).order_by(events.c.at, events.c.id)).mappings()]

    def rows(table, order):
        return [dict(m) for m in conn.execute(sa.select(table).where(table.c.case_id == cid).order_by(order, table.c.id)).mappings()]

    case["discussion"] = one(discussions) or None
    case["meetings"] = rows(meetings, meetings.c.held)
    case["police"] = rows(police_updates, police_updates.c.at)
    case["duties"] = rows(duties, duties.c.id)
    from lado_cli.store.escalations import escalation_history  # (imports this module)

    case["escalations"] = escalation_history(conn, cid)
    from lado_cli.store.amend import case_amendments

    case["amendments"] = case_amendments(conn, cid)
    from lado_cli.store.intake import load_intake

    case["intake"] = load_intake(conn, case)
    from lado_cli.store.casework import casework_rows  # R45-R50

    case["casework"] = casework_rows(conn, cid)
    return case


def list_cases(conn: Connection, *, statuses: list[str] | None, subject: str | None, now: datetime) -> list[dict[str, Any]]:
    """One row per case: who, where, and its next open time limit (Core, one query)."""
    open_dl = sa.and_(deadlines.c.met_at.is_(None), deadlines.c.not_applicable.is_(False))
    next_due = (
        sa.select(deadlines.c.case_id, sa.func.min(deadlines.c.due).label("next_due"),
                  sa.func.sum(sa.case((deadlines.c.due < now, 1), else_=0)).label("overdue"))
        .where(open_dl)
        .group_by(deadlines.c.case_id)
        .subquery()
    )  # fmt: skip
    s = (
        sa.select(
            cases.c.ref, cases.c.status, cases.c.received, cases.c.concern_arose, cases.c.category,
            subjects.c.name.label("subject"), subjects.c.dob.label("subject_dob"),
            employers.c.name.label("employer"), employers.c.sector,
            next_due.c.next_due, sa.func.coalesce(next_due.c.overdue, 0).label("overdue"),
        )
        .join(subjects, subjects.c.case_id == cases.c.id)
        .join(employers, employers.c.case_id == cases.c.id)
        .outerjoin(next_due, next_due.c.case_id == cases.c.id)
        .order_by(cases.c.received, cases.c.id)
    )  # fmt: skip
    if statuses:
        s = s.where(cases.c.status.in_(statuses))
    if subject:
        s = s.where(subjects.c.name_key.contains(name_key(subject), autoescape=True))
    return [dict(m) for m in conn.execute(s).mappings()]
