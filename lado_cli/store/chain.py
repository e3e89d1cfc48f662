"""Tamper evidence: hash chains over the chronology and the audit log (issue 12, R34, R37a).

Every chronology entry (`events`) and every audit-log entry carries `prev_hash`, the hash
of the entry before it in its chain, and `hash`, the SHA-256 of a canonical serialisation
of its own fields together with `prev_hash`. There is one chain per case for the
chronology, and one chain for the whole audit log:

- per case, because a case is deleted legitimately under the retention schedule (R37b),
  chronology and all: its chain goes with it, and the audit log's entry of that deletion
  (itself chained) keeps the case's last hash (`final chain hash` in its detail);
- `cases.chain_head` holds the hash of a case's newest entry, so deleting the newest entry
  is detected as well as changing or deleting any before it.

Canonical serialisation: a JSON array (UTF-8, no spaces, no ASCII escaping) of the table
name and the row's fields in a fixed order, instants as UTC ISO 8601 with microseconds
(`2026-12-23T09:15:00.000000Z`), then hashed as `prev_hash + "\\n" + json`. The row id is
not part of it (it is not known before the insert, and entries are never updated); order
is fixed by the chain itself. The first entry's `prev_hash` is GENESIS (64 zeros).

Chain order is safe with two writers: on SQLite a write transaction holds the database's
write lock (BEGIN IMMEDIATE); on PostgreSQL an entry's case row is locked (SELECT ... FOR
UPDATE) and the audit log by a transaction-scoped advisory lock, until commit.

What this detects: an entry changed, deleted or inserted by anyone who bypassed lado's
triggers with plain SQL. What it cannot: someone able to rewrite the tables who also
recomputes every later hash (the chains hold no secret); against that, the PostgreSQL
roles (`lado db grant`) keep officers away from the tables' owner rights altogether.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

GENESIS = "0" * 64
AUDIT_CHAIN_LOCK = 0x6C61646E  # PostgreSQL advisory lock id held while appending to the audit log

EVENT_FIELDS = ("case_id", "at", "recorded_at", "actor", "kind", "text", "rationale", "corrects_id")
AUDIT_FIELDS = ("at", "actor", "action", "ref", "detail")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a chained row; instants must be aware")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def _digest(table: str, fields: tuple[str, ...], row: dict[str, Any], prev: str) -> str:
    body = json.dumps([table, *(_plain(row.get(f)) for f in fields)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


def event_hash(row: dict[str, Any], prev: str) -> str:
    return _digest("events", EVENT_FIELDS, row, prev)


def audit_hash(row: dict[str, Any], prev: str) -> str:
    return _digest("audit_log", AUDIT_FIELDS, row, prev)


def lock_case_chain(conn: Connection, case_id: int) -> str:
    """Lock the case's chain until commit and return its head (the newest entry's hash)."""
    from lado_cli.store.tables import cases

    q = sa.select(cases.c.chain_head).where(cases.c.id == case_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return conn.execute(q).scalar() or GENESIS


def set_case_head(conn: Connection, case_id: int, head: str) -> None:
    from lado_cli.store.tables import cases

    conn.execute(cases.update().where(cases.c.id == case_id).values(chain_head=head))


def chained_event(row: dict[str, Any], prev: str) -> dict[str, Any]:
    """The row with its prev_hash and hash."""
    return dict(row, prev_hash=prev, hash=event_hash(row, prev))


def lock_audit_chain(conn: Connection) -> str:
    """Lock the audit log's chain until commit and return its head."""
    from lado_cli.store.tables import audit_log

    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_CHAIN_LOCK})")
    return conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar() or GENESIS


# -- verification (`lado db check`) ------------------------------------------------------------


def verify_events(conn: Connection) -> tuple[int, list[str]]:
    """(entries checked, problems): the first broken entry of each case's chain."""
    from lado_cli.store.tables import cases, events

    problems: list[str] = []
    refs, heads = {}, {}
    for cid, ref, head in conn.execute(sa.select(cases.c.id, cases.c.ref, cases.c.chain_head)):
        refs[cid], heads[cid] = ref, head
    cols = [events.c[f] for f in ("id", *EVENT_FIELDS, "prev_hash", "hash")]
    state: dict[int, tuple[str, int | None, bool]] = {}  # case -> (last hash, last id, broken)
    n = 0
    for r in conn.execute(sa.select(*cols).order_by(events.c.case_id, events.c.id)).mappings():
        n += 1
        cid = r["case_id"]
        prev, prev_id, broken = state.get(cid, (GENESIS, None, False))
        if broken:
            continue
        where = f"{refs.get(cid, f'case {cid}')} entry #{r['id']}"
        problem = None
        if r["hash"] is None or r["prev_hash"] is None:
            problem = f"{where} has no hash (written outside lado)"
        elif r["prev_hash"] != prev:
            after = f"entry #{prev_id}" if prev_id is not None else "the start of the chain"
            problem = f"{where} does not follow {after}: an entry between them was deleted, or this one was inserted out of order"
        elif event_hash(dict(r), r["prev_hash"]) != r["hash"]:
            problem = f"{where} was changed after it was recorded (its contents do not match its hash)"
        if problem:
            problems.append(problem)
            state[cid] = (prev, prev_id, True)
        else:
            state[cid] = (r["hash"], r["id"], False)
    for cid, head in heads.items():
        last, last_id, broken = state.get(cid, (GENESIS, None, False))
        if broken or (head or GENESIS) == last:
            continue
        if last_id is None:
            problems.append(f"{refs[cid]}: every entry was deleted")
        else:
            problems.append(f"{refs[cid]}: the entry after #{last_id}, the newest, was deleted (or the case's chain head was changed)")
    return n, problems


def verify_audit_log(conn: Connection) -> tuple[int, list[str]]:
    """(entries checked, problems): the first broken entry of the audit log's chain."""
    from lado_cli.store.tables import audit_log

    prev, prev_id, n = GENESIS, None, 0
    for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        n += 1
        where = f"entry {r['id']}"
        if r["hash"] is None or r["prev_hash"] is None:
            return n, [f"{where} has no hash (written outside lado)"]
        if r["prev_hash"] != prev:
            after = f"entry {prev_id}" if prev_id is not None else "the start of the log"
            return n, [f"{where} does not follow {after}: an entry between them was deleted, or this one was inserted out of order"]
        if audit_hash(dict(r), prev) != r["hash"]:
            return n, [f"{where} was changed after it was recorded (its contents do not match its hash)"]
        prev, prev_id = r["hash"], r["id"]
    return n, []
