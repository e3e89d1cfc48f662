"""Bulk import and export with SQLAlchemy Core: executemany inserts in batches, never ORM
objects row by row (issue 5: ~150k rows/s for Core against ~7k for ORM add_all)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.deadlines import NewDeadline
from lado_cli.domain.referral import name_key
from lado_cli.domain.transfer import ImportRecord
from lado_cli.errors import LadoError
from lado_cli.store.cases import add_event, cases, children, deadlines, employers, events, keep_counter_past, referrers, reserve_refs, subjects
from lado_cli.store.chain import GENESIS, chained_event
from lado_cli.store.tables import UTCDateTime, duties

_REF_PARTS = re.compile(r"^[A-Z][A-Z0-9]*-(\d{4})-(\d+)$")


class Existing:
    """What the database already holds, to match rows against (ref, and adult + concern time)."""

    def __init__(self, conn: Connection) -> None:
        self.by_ref: dict[str, int] = {}
        self.by_key: dict[tuple, tuple[int, str]] = {}
        self.version: dict[int, int] = {}  # case id -> its version now
        s = sa.select(cases.c.id, cases.c.ref, subjects.c.name_key, subjects.c.dob, cases.c.concern_arose, cases.c.version).join(
            subjects, subjects.c.case_id == cases.c.id
        )
        for cid, ref, key, dob, arose, version in conn.execute(s):
            self.by_ref[ref.upper()] = cid
            self.version[cid] = version
            self.by_key[(key, dob, arose)] = (cid, ref)

    def conflict(self, rec: ImportRecord) -> tuple[int, str] | None:
        """(case id, ref) of the case this row describes, if it is already stored."""
        if rec.ref:
            cid = self.by_ref.get(rec.ref)
            return (cid, rec.ref) if cid else None
        return self.by_key.get(rec.match_key)



def ref_parts(ref: str, fallback_year: int) -> tuple[int, int]:
    """(year, sequence) of a kept reference; a foreign format keeps sequence 0."""
    m = _REF_PARTS.match(ref)
    return (int(m[1]), int(m[2])) if m else (fallback_year, 0)


def _case_row(rec: ImportRecord, now: datetime) -> dict[str, Any]:
    r = rec.referral
    return dict(
        status=rec.status, recorded_at=now, received=r.received, concern_arose=r.concern_arose, happened=r.happened,
        source=r.source, source_detail=r.source_detail, category=r.category, criteria=list(r.criteria),
        suitability=list(r.suitability), summary=r.summary, immediate_danger=r.immediate_danger, out_of_hours=r.out_of_hours,
        works_in=r.works_in, cross_border=r.cross_border, complex=False, outcome=rec.outcome,
        outcome_date=rec.outcome_date if rec.outcome else None, employment_outcome=rec.employment_outcome,
        employment_outcome_date=rec.outcome_date if rec.employment_outcome else None, closed_at=rec.closed_at,
        updated_at=now, first_raised=r.first_raised, their_ref=rec.their_ref, their_org=rec.their_org,
    )  # fmt: skip


def _people(cid: int, rec: ImportRecord) -> tuple[dict, dict, dict, list[dict]]:
    r = rec.referral
    subject = dict(case_id=cid, name=r.subject_name, name_key=name_key(r.subject_name), dob=r.subject_dob, role=r.subject_role,
                   employment=r.employment, status=r.subject_status, address=r.subject_address, regulator=r.regulator)  # fmt: skip
    employer = dict(case_id=cid, name=r.employer, sector=r.sector)
    referrer = dict(case_id=cid, name=r.referrer_name, role=r.referrer_role, organisation=r.referrer_org, contact=r.referrer_contact)
    kids = [dict(case_id=cid, position=i, name=c.name, name_key=name_key(c.name), dob=c.dob, address=c.address, social_worker=c.social_worker)
            for i, c in enumerate(r.children, 1)]  # fmt: skip
    return subject, employer, referrer, kids


def _sqlite_converter(column: sa.Column) -> Any:
    """How SQLAlchemy's SQLite dialect stores a value of this column, done up front."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return lambda v: None if v is None else v.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(kind, sa.DateTime):
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(kind, sa.JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(kind, sa.Boolean):
        return lambda v: None if v is None else int(v)
    return None


def _insert_many(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany of plain rows. On SQLite the values are converted once, here, the way
    SQLAlchemy would store them, and handed straight to the driver: the per-row parameter
    processing of a Core executemany is most of an import's time. Elsewhere: Core.
    tests/test_transfer.py checks that imported rows are stored exactly as `lado refer` stores them."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    convert = [(i, f) for i, n in enumerate(names) if (f := _sqlite_converter(table.c[n])) is not None]
    values = []
    for row in rows:
        v = [row[n] for n in names]
        for i, f in convert:
            v[i] = f(v[i])
        values.append(tuple(v))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.exec_driver_sql(sql, values)


def insert_batch(conn: Connection, batch: Sequence[tuple[ImportRecord, int, list[NewDeadline], list, str]], *, prefix: str,
                 now: datetime, actor: str) -> None:  # fmt: skip
    """Insert new cases: (record, year, time limits, duties, chronology text) each. A record
    with its own `ref` keeps it; the others take the next numbers of their year."""
    if not batch:
        return
    need: dict[int, int] = {}
    for rec, year, *_ in batch:
        if rec.ref:  # kept numbers first, so the numbers given out next come after them
            keep_counter_past(conn, *ref_parts(rec.ref, year))
        else:
            need[year] = need.get(year, 0) + 1
    next_seq = {year: reserve_refs(conn, year, n) for year, n in need.items()}
    rows = []
    for rec, year, *_ in batch:
        if rec.ref:
            year, seq = ref_parts(rec.ref, year)
            ref = rec.ref
        else:
            seq = next_seq[year]
            next_seq[year] += 1
            ref = f"{prefix}-{year}-{seq:04d}"
        rows.append(dict(_case_row(rec, now), ref=ref, ref_year=year, ref_seq=seq, version=1, updated_by=actor))
    try:
        if conn.dialect.name == "sqlite":  # the write transaction holds the lock: the next ids are ours
            first = (conn.execute(sa.select(sa.func.max(cases.c.id))).scalar() or 0) + 1
            ids = list(range(first, first + len(rows)))
            _insert_many(conn, cases, [dict(row, id=i) for row, i in zip(rows, ids, strict=True)])
        else:
            ids = [row[0] for row in conn.execute(cases.insert().returning(cases.c.id, sort_by_parameter_order=True), rows)]
    except sa.exc.IntegrityError:
        if any(rec.their_ref for rec, *_ in batch):
            raise LadoError("a ref, or a their-ref with its their-org, in the file is one already stored on another case; nothing was imported") from None
        raise LadoError("a ref in the file is one already given to another case (perhaps to a row without a ref); "
                        "give every row a ref, or none; nothing was imported") from None  # fmt: skip
    subject_rows, employer_rows, referrer_rows, child_rows, deadline_rows, duty_rows, event_rows = [], [], [], [], [], [], []
    for cid, (rec, _year, new_deadlines, new_duties, text) in zip(ids, batch, strict=True):
        subject, employer, referrer, kids = _people(cid, rec)
        subject_rows.append(subject)
        employer_rows.append(employer)
        referrer_rows.append(referrer)
        child_rows += kids
        deadline_rows += [dict(case_id=cid, created_at=now, not_applicable=False, **vars(d)) for d in new_deadlines]
        duty_rows += [dict(case_id=cid, kind=u.kind, rule=u.rule, reason=u.reason, done_at=None, note=None, created_at=now) for u in new_duties]
        event_rows.append(chained_event(dict(case_id=cid, at=rec.referral.received, recorded_at=now, actor=actor, kind="import", text=text), GENESIS))
    for table, data in ((subjects, subject_rows), (employers, employer_rows), (referrers, referrer_rows), (children, child_rows),
                        (deadlines, deadline_rows), (duties, duty_rows), (events, event_rows)):  # fmt: skip
        _insert_many(conn, table, data)
    from lado_cli.store.intake import check_associated, insert_many

    insert_many(conn, ((cid, rec.referral.intake) for cid, (rec, *_) in zip(ids, batch, strict=True)))  # domain/intake.py
    for row, (rec, *_) in zip(rows, batch, strict=True):  # P§68, R51: the worker's case must exist, and records the link
        worker = rec.referral.intake.facts.get("associated_with")
        if worker:
            try:
                check_associated(conn, worker, row["ref"])
            except LadoError as err:
                raise LadoError(f"row {rec.row}: {err}; nothing was imported") from None
            worker_id = conn.execute(sa.select(cases.c.id).where(sa.func.upper(cases.c.ref) == worker.upper())).scalar_one()
            add_event(conn, worker_id, kind="association", at=now, now=now, actor=actor,
                      text=f"Linked case {row['ref']} (imported): an allegation about {rec.referral.subject_name}, "
                           f"{rec.referral.intake.facts.get('association')} of this case's worker (P§68, R51).")  # fmt: skip
    # Each new case's chain starts with its import entry (store/chain.py).
    heads = [{"cid": e["case_id"], "head": e["hash"]} for e in event_rows]
    conn.execute(cases.update().where(cases.c.id == sa.bindparam("cid")).values(chain_head=sa.bindparam("head")), heads)

    from lado_cli.store.matching import index_cases

    index_cases(conn, ids)  # R11a blocking keys


def add_history_entries(conn: Connection, texts: dict[int, str], *, now: datetime, actor: str) -> None:
    """R11a on import: a "history-check" chronology entry on each of these new cases (case id ->
    text), chained after its newest entry as `add_event` chains one (store/chain.py), in bulk:
    thousands of matched rows cost one executemany, not a statement per case. Only for cases
    this transaction inserted, which no other writer can see or append to before commit."""
    ids = sorted(texts)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        heads = dict(conn.execute(sa.select(cases.c.id, cases.c.chain_head).where(cases.c.id.in_(chunk))).all())
        rows = [chained_event(dict(case_id=cid, at=now, recorded_at=now, actor=actor, kind="history-check", text=texts[cid]), heads[cid] or GENESIS)
                for cid in chunk]  # fmt: skip
        _insert_many(conn, events, rows)
        conn.execute(cases.update().where(cases.c.id == sa.bindparam("cid")).values(chain_head=sa.bindparam("head")),
                     [{"cid": r["case_id"], "head": r["hash"]} for r in rows])  # fmt: skip


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def update_case(conn: Connection, case_id: int, rec: ImportRecord, text: str, *, now: datetime, actor: str) -> None:
    """`--on-conflict update`: the row's details replace the case's; its time limits and
    chronology stay, and the chronology says what was imported and every value it replaced,
    old and new (R37a: a saved fact changes only by recorded amendment)."""
    row = _case_row(rec, now)
    del row["recorded_at"]
    subject, employer, referrer, kids = _people(case_id, rec)
    replaced: list[str] = []

    def compare(table: sa.Table, new: dict[str, Any], label: str) -> None:
        names = [k for k in new if k not in ("case_id", "name_key", "updated_at", "status")]
        old = conn.execute(sa.select(*(table.c[k] for k in names)).where(table.c.case_id == case_id if table is not cases else table.c.id == case_id)).mappings().first() or {}
        for k in names:
            before, after = old.get(k), new[k]
            if isinstance(before, datetime) and isinstance(after, datetime) and before == after:
                continue
            if (before or None) != (after or None) and _shown(before) != _shown(after):
                replaced.append(f"{label}{k.replace('_', ' ')} was {_shown(before)!r}, now {_shown(after)!r}")

    compare(cases, row, "")
    compare(subjects, subject, "adult's ")
    compare(employers, employer, "employer's ")
    compare(referrers, referrer, "referrer's ")
    old_kids = [(r.name, r.dob, r.address, r.social_worker) for r in conn.execute(
        sa.select(children.c.name, children.c.dob, children.c.address, children.c.social_worker).where(children.c.case_id == case_id).order_by(children.c.position))]  # fmt: skip
    new_kids = [(k["name"], k["dob"], k["address"], k["social_worker"]) for k in kids]
    if old_kids != new_kids:
        were = "; ".join(f"{n} ({d or 'date of birth unknown'}" + "".join(f", {x}" for x in (a, w) if x) + ")" for n, d, a, w in old_kids) or "(none)"
        replaced.append(f"children were {were!r}")
    from lado_cli.store.intake import check_associated, fact_row, save_intake
    from lado_cli.store.tables import intake_facts, other_settings

    old_facts = dict(conn.execute(sa.select(intake_facts).where(intake_facts.c.case_id == case_id)).mappings().first() or {})
    for k, after in fact_row(rec.referral.intake).items():
        before = old_facts.get(k)
        if (before or None) != (after or None) and _shown(before) != _shown(after):
            replaced.append(f"{k.replace('_', ' ')} was {_shown(before)!r}, now {_shown(after)!r}")
    old_places = [(p.name, p.kind, p.authority) for p in conn.execute(sa.select(other_settings).where(other_settings.c.case_id == case_id).order_by(other_settings.c.position))]
    if old_places != [(p.name, p.kind, p.authority) for p in rec.referral.intake.settings]:
        replaced.append("other places were " + repr("; ".join(", ".join(x for x in p if x) for p in old_places) or "(none)"))
    check_associated(conn, rec.referral.intake.facts.get("associated_with"))
    save_intake(conn, case_id, rec.referral.intake)
    status = conn.execute(sa.select(cases.c.status).where(cases.c.id == case_id)).scalar()
    if status != row["status"]:
        replaced.append(f"status was {status!r}, now {row['status']!r}")
    conn.execute(cases.update().where(cases.c.id == case_id).values(version=cases.c.version + 1, updated_by=actor, **row))
    for table, values in ((subjects, subject), (employers, employer), (referrers, referrer)):
        conn.execute(table.update().where(table.c.case_id == case_id).values(**values))
    conn.execute(children.delete().where(children.c.case_id == case_id))
    if kids:
        conn.execute(children.insert(), kids)
    from lado_cli.store.matching import index_cases

    index_cases(conn, [case_id])  # R11a blocking keys
    text += " Replaced: " + "; ".join(replaced) + "." if replaced else " No value changed."
    add_event(conn, case_id, kind="import-update", at=now, text=text, now=now, actor=actor)


def export_cases(conn: Connection, statuses: list[str] | None, ref: str | None = None) -> Iterator[dict[str, Any]]:
    """Every case with its people (or the case `ref` alone), in reference order, streamed in chunks."""
    s = (
        sa.select(
            cases, subjects.c.name.label("subject_name"), subjects.c.dob.label("subject_dob"), subjects.c.role.label("subject_role"),
            subjects.c.status.label("subject_status"), subjects.c.address.label("subject_address"), subjects.c.regulator,
            subjects.c.employment, employers.c.name.label("employer"), employers.c.sector,
            referrers.c.name.label("referrer_name"), referrers.c.role.label("referrer_role"),
            referrers.c.organisation.label("referrer_org"), referrers.c.contact.label("referrer_contact"),
        )
        .join(subjects, subjects.c.case_id == cases.c.id)
        .join(employers, employers.c.case_id == cases.c.id)
        .join(referrers, referrers.c.case_id == cases.c.id)
        .order_by(cases.c.ref_year, cases.c.ref_seq, cases.c.ref)
    )  # fmt: skip
    if statuses:
        s = s.where(cases.c.status.in_(statuses))
    kid_rows = sa.select(children.c.case_id, children.c.name, children.c.dob, children.c.address, children.c.social_worker).order_by(children.c.case_id, children.c.position)
    if ref is not None:
        s = s.where(sa.func.upper(cases.c.ref) == ref.strip().upper())
        kid_rows = kid_rows.join(cases, cases.c.id == children.c.case_id).where(sa.func.upper(cases.c.ref) == ref.strip().upper())
    kids: dict[int, list[dict]] = {}
    for row in conn.execute(kid_rows):
        kids.setdefault(row.case_id, []).append({"name": row.name, "dob": row.dob, "address": row.address, "social_worker": row.social_worker})
    from lado_cli.store.intake import export_facts

    facts, places = export_facts(conn)
    for row in conn.execute(s).mappings():
        yield dict(row, children=kids.get(row["id"], []), intake_facts=facts.get(row["id"]), other_settings=places.get(row["id"], []))


def received_case(conn: Connection, their_org: str, their_ref: str) -> str | None:
    """The reference of the case made from the referral file `their_ref` of `their_org`, if any."""
    return conn.execute(sa.select(cases.c.ref).where(cases.c.their_org == their_org, cases.c.their_ref == their_ref)).scalar()
