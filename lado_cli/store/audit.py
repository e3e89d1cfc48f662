"""Who did what, and when (R34): the chronology of every case and the audit log, read
together; and writing an audit-log entry (a change that is not a case event, such as a
deletion under the retention schedule, R37b).

The chronology (`events`) is append-only (R37a): triggers refuse UPDATE and DELETE on both
backends, except inside the one transaction that deletes a case under the schedule.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.errors import LadoError
from lado_cli.store.tables import audit_log, cases, events


CHRONOLOGY, AUDIT_LOG = "chronology", "audit-log"
RETENTION_DELETE = "retention-delete"  # the audit-log action of a deletion under the schedule (R37b)


def record(conn: Connection, *, at: datetime, actor: str, action: str, ref: str | None, detail: str) -> int:
    """Append an audit-log entry; returns its id. The caller's transaction holds it with the
    change it records, so there is never one without the other."""
    from lado_cli.store.chain import audit_hash, lock_audit_chain

    row = dict(at=at, actor=actor, action=action, ref=ref, detail=detail)
    prev = lock_audit_chain(conn)
    return conn.execute(audit_log.insert().values(**row, prev_hash=prev, hash=audit_hash(row, prev))).inserted_primary_key[0]


def known_ref(conn: Connection, ref: str) -> str:
    """The reference as stored, for a case that exists or one the audit log names (e.g. a
    deleted case); any letter case. Otherwise a clear error."""
    key = ref.strip().upper()
    found = conn.execute(sa.select(cases.c.ref).where(sa.func.upper(cases.c.ref) == key)).scalar()
    if found is None:
        found = conn.execute(sa.select(audit_log.c.ref).where(sa.func.upper(audit_log.c.ref) == key).limit(1)).scalar()
    if found is None:
        raise LadoError(f"no case or audit entry with reference '{ref}'; `lado list --all` shows the references")
    return found


def entries(conn: Connection, *, ref: str | None = None, since: datetime | None = None, actor: str | None = None) -> list[dict[str, Any]]:
    """Chronology entries and audit-log entries, newest recorded first (ties: the later
    entry first). `ref` is a stored reference (see `known_ref`); `actor` matches whole,
    any letter case; `since` keeps entries recorded at or after it."""
    ev = (
        sa.select(events.c.id, events.c.recorded_at, events.c.at, events.c.actor, events.c.kind, cases.c.ref,
                  events.c.text, events.c.rationale, events.c.corrects_id)
        .join(cases, cases.c.id == events.c.case_id)
    )  # fmt: skip
    log = sa.select(audit_log)
    if ref is not None:
        ev = ev.where(cases.c.ref == ref)
        log = log.where(sa.func.upper(audit_log.c.ref) == ref.upper())
    if since is not None:
        ev = ev.where(events.c.recorded_at >= since)
        log = log.where(audit_log.c.at >= since)
    if actor is not None:
        who = actor.strip().lower()
        ev = ev.where(sa.func.lower(events.c.actor) == who)
        log = log.where(sa.func.lower(audit_log.c.actor) == who)
    rows = [dict(m, source=CHRONOLOGY) for m in conn.execute(ev).mappings()]
    rows += [
        dict(source=AUDIT_LOG, id=m["id"], recorded_at=m["at"], at=m["at"], actor=m["actor"], kind=m["action"], ref=m["ref"],
             text=m["detail"], rationale=None, corrects_id=None)
        for m in conn.execute(log).mappings()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r["recorded_at"], r["source"] == AUDIT_LOG, r["id"]), reverse=True)
    return rows


def deletion_of(conn: Connection, ref: str) -> dict[str, Any] | None:
    """The audit entry of a case's deletion under the retention schedule, if it was deleted."""
    row = (
        conn.execute(
            sa.select(audit_log)
            .where(sa.func.upper(audit_log.c.ref) == ref.strip().upper(), audit_log.c.action == RETENTION_DELETE)
            .order_by(audit_log.c.at.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def record_raw(dbapi_conn, *, at: datetime, actor: str, action: str, ref: str | None, detail: str) -> None:
    """`record` on a DB-API connection to an SQLite file (`lado db rekey`, whose entry must be
    in the transaction that PRAGMA rekey commits), chained like every other entry."""
    from datetime import timezone

    from lado_cli.store.chain import GENESIS, audit_hash

    row = dict(at=at, actor=actor, action=action, ref=ref, detail=detail)
    last = dbapi_conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = (last[0] if last else None) or GENESIS
    stored_at = at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite form (naive UTC)
    dbapi_conn.execute("INSERT INTO audit_log (at, actor, action, ref, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (stored_at, actor, action, ref, detail, prev, audit_hash(row, prev)))  # fmt: skip
