"""The whole database as one document and back (`lado export --full`, format lado-export/1).

Every table's rows are written column by column from the schema itself (tables.py), so a
column added later is carried too; surrogate ids are left out and links between rows are
written as positions within their case instead (a deadline's meeting is the meeting at
that position in the case's `meetings`). Importing a document into a database gives the
same rows back, ids apart. Chronology entries are appended through `add_event`, in their
order, so anything the store computes on an entry is computed again (the reference numbers
are kept, and the counters moved past them).

Format (JSON object):
  {"format": "lado-export/1", "schema": "<alembic head>", "exported_at": ISO-8601,
   "cases": [{"case": {...}, "subject": {...}, "employer": {...}, "referrer": {...},
              "children": [...], "discussion": {...} | null, "meetings": [...],
              "escalations": [{..., "steps": [...]}], "police_updates": [...], "duties": [...],
              "deadlines": [{..., "meeting": i | null, "escalation": i | null}],
              "events": [{..., "corrects": i | null}]}],
   "ref_counters": [{"year": ..., "seq": ...}], "audit_log": [{...}]}
Instants are ISO-8601 in UTC with offset, dates ISO, JSON columns as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.errors import LadoError
from lado_cli.store.audit import record
from lado_cli.store.cases import add_event, keep_counter_past
from lado_cli.store.tables import CASEWORK_TABLES, metadata
from lado_cli.store.tables import (
    UTCDateTime, audit_log, cases, children, deadlines, discussions, duties, employers, escalation_steps, escalations, events,
    intake_facts, known_names, meetings, other_settings, police_updates, ref_counters, referrers, subjects,
)  # fmt: skip

FORMAT = "lado-export/1"
_ONE = {"subject": subjects, "employer": employers, "referrer": referrers, "intake": intake_facts}
_MANY = {"children": children, "meetings": meetings, "police_updates": police_updates, "duties": duties, "known_names": known_names,
         "other_settings": other_settings}  # fmt: skip
_MANY.update({name: metadata.tables[name] for name in CASEWORK_TABLES})  # R45-R50
# Columns that are ids or links by id: never written; links are written as positions.
_LINKS = {"id", "case_id", "meeting_id", "escalation_id", "corrects_id"}
_EVENT_FIELDS = ("kind", "at", "text", "actor", "rationale")  # what add_event is given; recorded_at is its `now`


def _out(table: sa.Table, row: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for col in table.c:
        if col.name in _LINKS:
            continue
        v = row[col.name]
        out[col.name] = v.isoformat() if isinstance(v, (datetime, date)) else v
    return out


def _in(table: sa.Table, data: Mapping[str, Any], where: str, *, all_columns: bool = True) -> dict[str, Any]:
    """A row of the document as column values, checked against the schema."""
    if not isinstance(data, Mapping):
        raise LadoError(f"{where}: expected an object of {table.name} columns")
    out: dict[str, Any] = {}
    for col in table.c:
        if col.name in _LINKS:
            continue
        if col.name not in data:
            if not all_columns or col.nullable or col.default is not None or col.server_default is not None:
                continue
            raise LadoError(f"{where}: the column {col.name} is missing; expected every column of {table.name} (lado-export/1)")
        v = data[col.name]
        try:
            if v is not None and isinstance(col.type, UTCDateTime):
                v = datetime.fromisoformat(v)
                if v.tzinfo is None:
                    raise ValueError("no offset")
            elif v is not None and isinstance(col.type, sa.Date):
                v = date.fromisoformat(v)
        except (TypeError, ValueError):
            raise LadoError(f"{where}: {col.name} '{v}' is not an ISO-8601 {'instant with offset' if isinstance(col.type, UTCDateTime) else 'date'}") from None
        out[col.name] = v
    unknown = set(data) - {c.name for c in table.c} - {"meeting", "escalation", "corrects", "steps"}
    if unknown:
        raise LadoError(f"{where}: unknown column {', '.join(sorted(unknown))}; expected the columns of {table.name} in this version of lado")
    return out


def _grouped(conn: Connection, table: sa.Table, key: str = "case_id") -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(sa.select(table).order_by(table.c[key], table.c.id)).mappings():
        out.setdefault(row[key], []).append(dict(row))
    return out


def export_all(conn: Connection, *, now: datetime, schema: str) -> dict[str, Any]:
    """Every case with everything recorded on it, the reference counters and the audit log."""
    ones = {name: {r["case_id"]: r for rows in _grouped(conn, t).values() for r in rows} for name, t in _ONE.items()}
    many = {name: _grouped(conn, t) for name, t in _MANY.items()}
    disc = {r["case_id"]: r for rows in _grouped(conn, discussions).values() for r in rows}
    escs, steps = _grouped(conn, escalations), _grouped(conn, escalation_steps, "escalation_id")
    dls, evs = _grouped(conn, deadlines), _grouped(conn, events)
    out_cases = []
    for case in conn.execute(sa.select(cases).order_by(cases.c.ref_year, cases.c.ref_seq, cases.c.ref)).mappings():
        cid = case["id"]
        item: dict[str, Any] = {"case": _out(cases, case)}
        for name, t in _ONE.items():
            item[name] = _out(t, ones[name][cid]) if cid in ones[name] else None
        for name, t in _MANY.items():
            item[name] = [_out(t, r) for r in many[name].get(cid, [])]
        item["discussion"] = _out(discussions, disc[cid]) if cid in disc else None
        meeting_pos = {r["id"]: i for i, r in enumerate(many["meetings"].get(cid, []))}
        esc_rows = escs.get(cid, [])
        esc_pos = {r["id"]: i for i, r in enumerate(esc_rows)}
        item["escalations"] = [dict(_out(escalations, e), steps=[_out(escalation_steps, s) for s in steps.get(e["id"], [])]) for e in esc_rows]
        item["deadlines"] = [dict(_out(deadlines, d), meeting=meeting_pos.get(d["meeting_id"]), escalation=esc_pos.get(d["escalation_id"]))
                             for d in dls.get(cid, [])]  # fmt: skip
        ev_rows = evs.get(cid, [])
        ev_pos = {r["id"]: i for i, r in enumerate(ev_rows)}
        item["events"] = [dict(_out(events, e), corrects=ev_pos.get(e["corrects_id"])) for e in ev_rows]
        out_cases.append(item)
    return {
        "format": FORMAT,
        "schema": schema,
        "exported_at": now.isoformat(),
        "cases": out_cases,
        "ref_counters": [dict(r) for r in conn.execute(sa.select(ref_counters).order_by(ref_counters.c.year)).mappings()],
        "audit_log": [_out(audit_log, r) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings()],
    }


def _list(item: Mapping[str, Any], name: str, where: str) -> list:
    value = item.get(name) or []
    if not isinstance(value, list):
        raise LadoError(f"{where}: {name} is not a list; expected a list (lado-export/1)")
    return value


def _position(value: Any, ids: list[int], where: str, what: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(ids):
        raise LadoError(f"{where}: {what} {value!r} is not the position of one of the case's {what}s")
    return ids[value]


def import_all(conn: Connection, doc: Mapping[str, Any], *, skip_existing: bool) -> tuple[int, list[str]]:
    """Insert the document's cases; returns (cases added, refs skipped). A ref already in the
    database is refused (LadoError naming it) unless `skip_existing`: a case's chronology is
    never merged into another's."""
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, Mapping) else None
        raise LadoError(f"the file's format is {found!r}; expected '{FORMAT}' (a file of `lado export --full`)")
    items = _list(doc, "cases", "the file")
    stored = {r.upper() for r in conn.execute(sa.select(cases.c.ref)).scalars()}
    skipped: list[str] = []
    new_ids: list[int] = []
    added = 0
    for n, item in enumerate(items, 1):
        where = f"case {n} of the file"
        if not isinstance(item, Mapping):
            raise LadoError(f"{where}: expected an object (lado-export/1)")
        case = _in(cases, item.get("case"), where)
        ref = str(case.get("ref") or "")
        where = f"case {ref or n}"
        if ref.upper() in stored:
            if not skip_existing:
                raise LadoError(f"{where} is already in this database; expected a database without it "
                                "(or --on-conflict skip); a case's chronology is never merged; nothing was imported")  # fmt: skip
            skipped.append(ref)
            continue
        stored.add(ref.upper())
        case.pop("chain_head", None)  # the chronology is chained anew as it goes in (store/chain.py)
        cid = conn.execute(cases.insert().values(**case)).inserted_primary_key[0]
        keep_counter_past(conn, case["ref_year"], case["ref_seq"])
        for name, t in _ONE.items():
            if item.get(name) is not None:
                conn.execute(t.insert().values(case_id=cid, **_in(t, item[name], f"{where}, {name}")))
        for name, t in _MANY.items():
            rows = [dict(_in(t, r, f"{where}, {name}"), case_id=cid) for r in _list(item, name, where)]
            if name == "meetings":  # their ids are needed for the deadlines' links: one by one
                meeting_ids = [conn.execute(t.insert().values(**r)).inserted_primary_key[0] for r in rows]
            elif rows:
                conn.execute(t.insert(), rows)
        if item.get("discussion") is not None:
            conn.execute(discussions.insert().values(case_id=cid, **_in(discussions, item["discussion"], f"{where}, discussion")))
        esc_ids = []
        for e in _list(item, "escalations", where):
            eid = conn.execute(escalations.insert().values(case_id=cid, **_in(escalations, e, f"{where}, escalation"))).inserted_primary_key[0]
            esc_ids.append(eid)
            for s in _list(e, "steps", where):
                conn.execute(escalation_steps.insert().values(escalation_id=eid, **_in(escalation_steps, s, f"{where}, escalation step")))
        for d in _list(item, "deadlines", where):
            links = dict(meeting_id=_position(d.get("meeting"), meeting_ids, where, "meeting"),
                         escalation_id=_position(d.get("escalation"), esc_ids, where, "escalation"))  # fmt: skip
            conn.execute(deadlines.insert().values(case_id=cid, **_in(deadlines, d, f"{where}, deadline"), **links))
        event_ids: list[int] = []
        for e in _list(item, "events", where):
            row = _in(events, e, f"{where}, chronology", all_columns=False)  # columns the store computes may be absent
            missing = [k for k in (*_EVENT_FIELDS, "recorded_at") if k not in row and k != "rationale"]
            if missing:
                raise LadoError(f"{where}, chronology: the column {missing[0]} is missing; expected every column of events (lado-export/1)")
            corrects = _position(e.get("corrects"), event_ids, where, "chronology entr")
            event_ids.append(add_event(conn, cid, now=row["recorded_at"], corrects_id=corrects, **{k: row.get(k) for k in _EVENT_FIELDS}))
        added += 1
        new_ids.append(cid)
    from lado_cli.store.matching import index_cases

    index_cases(conn, new_ids)  # R11a blocking keys, computed anew
    _counters(conn, _list(doc, "ref_counters", "the file"))
    _audit(conn, _list(doc, "audit_log", "the file"), skipped)
    return added, skipped


def _counters(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    for r in rows:
        if not isinstance(r, Mapping) or not isinstance(r.get("year"), int) or not isinstance(r.get("seq"), int):
            raise LadoError("the file's ref_counters: expected objects of year and seq (whole numbers)")
        keep_counter_past(conn, r["year"], r["seq"])


def _audit(conn: Connection, rows: list, skipped: list[str]) -> None:
    """The audit log's entries, but those about a case skipped (it has its own already)."""
    gone = {r.upper() for r in skipped}
    data = [_in(audit_log, r, "the file's audit_log") for r in rows]
    data = [r for r in data if not (r.get("ref") and r["ref"].upper() in gone)]
    for r in data:  # chained anew in this database's audit log (store/chain.py)
        record(conn, at=r["at"], actor=r["actor"], action=r["action"], ref=r.get("ref"), detail=r["detail"])
