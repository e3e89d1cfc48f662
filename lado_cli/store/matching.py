"""R11a matching in the store: blocking keys per case, candidates found by key (an indexed
lookup, never a scan of every adult), decisions on pairs, and other authorities' indexes.

Blocking keys are made with the shipped nickname table only, so that they do not change when
a profile does; a profile's own nickname groups still count when candidates are scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain import matching as m
from lado_cli.domain.text import clean, name_key
from lado_cli.errors import LadoError
from lado_cli.store.tables import (
    cases, children, employers, index_sources, index_tokens, known_names, match_decisions, match_keys, subjects,
)  # fmt: skip

_CHUNK = 500


def _key_nicks() -> m.Nicknames:
    return m.default_nicknames()


def index_cases(conn: Connection, case_ids: Sequence[int]) -> None:
    """(Re)compute the blocking keys of these cases' adults (with their known-as names) and children."""
    nick = _key_nicks()
    for i in range(0, len(case_ids), _CHUNK):
        ids = list(case_ids[i : i + _CHUNK])
        conn.execute(match_keys.delete().where(match_keys.c.case_id.in_(ids)))
        alts: dict[int, list[str]] = {}
        for cid, name in conn.execute(sa.select(known_names.c.case_id, known_names.c.name).where(known_names.c.case_id.in_(ids)).order_by(known_names.c.id)):
            alts.setdefault(cid, []).append(name)
        rows = []
        for cid, name, dob in conn.execute(sa.select(subjects.c.case_id, subjects.c.name, subjects.c.dob).where(subjects.c.case_id.in_(ids))):
            ident = m.Identity((name, *alts.get(cid, [])), dob)
            rows += [dict(case_id=cid, position=0, key=k) for k in m.blocking_keys(ident, nick)]
        for cid, pos, name, dob in conn.execute(
            sa.select(children.c.case_id, children.c.position, children.c.name, children.c.dob).where(children.c.case_id.in_(ids))
        ):
            rows += [dict(case_id=cid, position=pos, key=k) for k in m.blocking_keys(m.Identity((name,), dob), nick)]
        if rows:
            conn.execute(match_keys.insert(), rows)


def rebuild_keys(conn: Connection) -> None:
    """Keys for every stored case (the migration that adds matching)."""
    index_cases(conn, [r[0] for r in conn.execute(sa.select(cases.c.id).order_by(cases.c.id))])


def add_known_names(conn: Connection, case_id: int, names: Iterable[str], *, now: datetime) -> list[str]:
    """Record known-as or previous names of a case's adult; returns those added."""
    have = {r[0] for r in conn.execute(sa.select(known_names.c.name_key).where(known_names.c.case_id == case_id))}
    added = []
    for n in names:
        n = " ".join(clean(n).split())
        if n and name_key(n) not in have:
            conn.execute(known_names.insert().values(case_id=case_id, name=n, name_key=name_key(n), recorded_at=now))
            have.add(name_key(n))
            added.append(n)
    if added:
        index_cases(conn, [case_id])
    return added


def _candidates(conn: Connection, keys: set[str], position0: bool) -> set[tuple[int, int]]:
    """(case id, position) pairs sharing a key: position 0 the adult, else a child."""
    out: set[tuple[int, int]] = set()
    keys_l = sorted(keys)
    for i in range(0, len(keys_l), _CHUNK):
        s = sa.select(match_keys.c.case_id, match_keys.c.position).where(match_keys.c.key.in_(keys_l[i : i + _CHUNK]))
        s = s.where(match_keys.c.position == 0) if position0 else s.where(match_keys.c.position > 0)
        out |= {(r[0], r[1]) for r in conn.execute(s.distinct())}
    return out


def decisions_for(conn: Connection, ref: str) -> dict[str, dict[str, Any]]:
    """Decisions recorded about a case: other ref -> {same, why, decided_at, actor}."""
    out = {}
    for r in conn.execute(sa.select(match_decisions).where(sa.or_(match_decisions.c.ref_a == ref, match_decisions.c.ref_b == ref))).mappings():
        out[r["ref_b"] if r["ref_a"] == ref else r["ref_a"]] = dict(r)
    return out


def find_matches(
    conn: Connection,
    subject: m.Identity,
    kids: Sequence[m.Identity] = (),
    *,
    nick: m.Nicknames,
    thresholds: m.Thresholds,
    exclude_case: int | None = None,
) -> list[dict[str, Any]]:
    """Earlier cases about the same adult or child (R11a), strongest first, each with its band
    ("strong" or "possible") and reasons. Rows keep find_history's fields (ref, status,
    received, category, name, dob, match, dob_known) for the views."""
    found: list[dict[str, Any]] = []
    wanted = [(0, subject)] + [(i, k) for i, k in enumerate(kids, 1)]
    for pos, ident in wanted:
        pairs = _candidates(conn, m.query_keys(ident, _key_nicks()), pos == 0)
        pairs = {p for p in pairs if p[0] != exclude_case}
        if not pairs:
            continue
        ids = sorted({p[0] for p in pairs})
        table = subjects if pos == 0 else children
        base = (
            sa.select(cases.c.id, cases.c.ref, cases.c.status, cases.c.received, cases.c.category, table.c.name, table.c.dob,
                      employers.c.name.label("employer"), *([] if pos == 0 else [children.c.position]))
            .join(table, table.c.case_id == cases.c.id)
            .join(employers, employers.c.case_id == cases.c.id)
        )  # fmt: skip
        alts: dict[int, list[str]] = {}
        if pos == 0:
            for i in range(0, len(ids), _CHUNK):
                for cid, name in conn.execute(sa.select(known_names.c.case_id, known_names.c.name).where(known_names.c.case_id.in_(ids[i : i + _CHUNK]))):
                    alts.setdefault(cid, []).append(name)
        for i in range(0, len(ids), _CHUNK):
            for row in conn.execute(base.where(cases.c.id.in_(ids[i : i + _CHUNK]))).mappings():
                if pos and (row["id"], row["position"]) not in pairs:
                    continue
                other = m.Identity((row["name"], *alts.get(row["id"], [])), row["dob"], row["employer"] if pos == 0 else None)
                hit = m.compare(ident, other, nick)
                b = m.band(hit.score, thresholds)
                if b is None:
                    continue
                found.append(dict(
                    ref=row["ref"], status=row["status"], received=row["received"], category=row["category"], name=row["name"],
                    dob=row["dob"], employer=row["employer"], match="subject" if pos == 0 else "child",
                    dob_known=row["dob"] is not None and ident.dob is not None, band=b, score=hit.score,
                    reasons=list(hit.reasons), via=hit.name if hit.name != row["name"] else None,
                ))  # fmt: skip
    found.sort(key=lambda h: (h["match"] != "subject", -h["score"], h["received"], h["ref"]))
    return found


# -- decisions on a pair ---------------------------------------------------------------------


def record_decision(conn: Connection, ref1: str, ref2: str, *, same: bool, why: str, now: datetime, actor: str) -> tuple[str, str]:
    """Record (or replace, by a new decision) whether two cases are about the same adult; an
    entry goes into both chronologies (R34)."""
    from lado_cli.store.cases import add_event, case_row

    c1, c2 = case_row(conn, ref1), case_row(conn, ref2)
    if c1["id"] == c2["id"]:
        raise LadoError("--decide needs two different case references")
    a, b = sorted((c1["ref"], c2["ref"]))
    conn.execute(match_decisions.delete().where(match_decisions.c.ref_a == a, match_decisions.c.ref_b == b))
    conn.execute(match_decisions.insert().values(ref_a=a, ref_b=b, same=same, why=why, decided_at=now, actor=actor))
    verdict = "the same adult" if same else "not the same adult"
    for me, other in ((c1, c2), (c2, c1)):
        add_event(conn, me["id"], kind="match-decision", at=now, now=now, actor=actor,
                  text=f"R11a: this case and {other['ref']} are about {verdict}.", rationale=why)  # fmt: skip
    return a, b


def linked_refs(conn: Connection, ref: str) -> list[str]:
    """Every case decided to be about the same adult as `ref`, following decisions (transitively)."""
    seen, todo = {ref}, [ref]
    while todo:
        cur = todo.pop()
        for other, d in decisions_for(conn, cur).items():
            if d["same"] and other not in seen:
                seen.add(other)
                todo.append(other)
    return sorted(seen)


# -- other authorities' indexes -------------------------------------------------------------


def own_index_tokens(conn: Connection, key: bytes) -> list[str]:
    """This service's adults as keyed tokens (no names): sorted, without duplicates."""
    nick = _key_nicks()
    alts: dict[int, list[str]] = {}
    for cid, name in conn.execute(sa.select(known_names.c.case_id, known_names.c.name)):
        alts.setdefault(cid, []).append(name)
    out: set[str] = set()
    for cid, name, dob in conn.execute(sa.select(subjects.c.case_id, subjects.c.name, subjects.c.dob)):
        for t in m.index_tokens(m.Identity((name, *alts.get(cid, [])), dob), nick, variants=False):
            out.add(m.hmac_token(key, t))
    return sorted(out)


def store_index(conn: Connection, *, authority: str, contact: str, key: bytes, tokens: list[str], now: datetime) -> bool:
    """Store another authority's index, replacing its earlier one; True when it replaced one."""
    old = conn.execute(sa.select(index_sources.c.id).where(index_sources.c.authority == authority)).scalar()
    if old is not None:
        conn.execute(index_tokens.delete().where(index_tokens.c.source_id == old))
        conn.execute(index_sources.delete().where(index_sources.c.id == old))
    sid = conn.execute(index_sources.insert().values(
        authority=authority, contact=contact, key_id=m.key_id(key), secret=key.hex(), imported_at=now,
    )).inserted_primary_key[0]  # fmt: skip
    for i in range(0, len(tokens), 5000):
        conn.execute(index_tokens.insert(), [dict(source_id=sid, token=t) for t in tokens[i : i + 5000]])
    return old is not None


def index_hits(conn: Connection, ident: m.Identity) -> list[dict[str, str]]:
    """Other authorities whose index holds an adult with the same or a close identity."""
    hits = []
    nick = _key_nicks()
    raw = m.index_tokens(ident, nick, variants=True)
    if not raw:
        return []
    for sid, authority, contact, secret in conn.execute(sa.select(index_sources.c.id, index_sources.c.authority, index_sources.c.contact, index_sources.c.secret).order_by(index_sources.c.authority)):
        key = bytes.fromhex(secret)
        mine = sorted({m.hmac_token(key, t) for t in raw})
        n = conn.execute(sa.select(sa.func.count()).select_from(index_tokens).where(index_tokens.c.source_id == sid, index_tokens.c.token.in_(mine))).scalar_one()
        if n:
            hits.append({"authority": authority, "contact": contact})
    return hits


def identity_of(conn: Connection, ref: str) -> tuple[int, str, m.Identity, list[m.Identity]]:
    """A stored case's adult (with known-as names) and children, as identities."""
    from lado_cli.store.cases import case_row

    c = case_row(conn, ref)
    s = conn.execute(sa.select(subjects.c.name, subjects.c.dob).where(subjects.c.case_id == c["id"])).one()
    emp = conn.execute(sa.select(employers.c.name).where(employers.c.case_id == c["id"])).scalar()
    alts = [r[0] for r in conn.execute(sa.select(known_names.c.name).where(known_names.c.case_id == c["id"]).order_by(known_names.c.id))]
    kids = [m.Identity((r.name,), r.dob) for r in conn.execute(sa.select(children.c.name, children.c.dob).where(children.c.case_id == c["id"]).order_by(children.c.position))]
    return c["id"], c["ref"], m.Identity((s.name, *alts), s.dob, emp, c["ref"]), kids



def max_case_id(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.max(cases.c.id))).scalar() or 0


def matches_of_new_cases(conn: Connection, since_id: int, *, nick: m.Nicknames, thresholds: m.Thresholds) -> list[dict[str, Any]]:
    """R11a on import, the history check of `lado refer` for every case added after `since_id`:
    its adult and children against the cases stored before it, both those already in the
    database and those of earlier rows of the same file (a lower id). Candidates come from the
    stored blocking keys (indexed lookups per chunk of new cases, never a scan), and are scored
    with `compare` and banded as refer's are. An identity without a date of birth is not
    looked up here (a surname alone is too common to report on import; `lado match REF` checks
    it). Each hit: ref (the new case), other (the earlier one), match ("subject" or "child"),
    band, score, reasons, case_id (the new case's); the best hit per pair and kind, by ref, the
    adult before the children, then strongest."""
    knick = _key_nicks()
    new_ids = [r[0] for r in conn.execute(sa.select(cases.c.id).where(cases.c.id > since_id).order_by(cases.c.id))]
    pairs: set[tuple[int, int, int, int]] = set()  # (new case, its position, earlier case, its position); position 0 the adult
    for i in range(0, len(new_ids), _CHUNK):
        chunk = new_ids[i : i + _CHUNK]
        alts_c: dict[int, list[str]] = {}
        for cid, name in conn.execute(sa.select(known_names.c.case_id, known_names.c.name).where(known_names.c.case_id.in_(chunk))):
            alts_c.setdefault(cid, []).append(name)
        people = [(cid, 0, m.Identity((name, *alts_c.get(cid, [])), dob))
                  for cid, name, dob in conn.execute(sa.select(subjects.c.case_id, subjects.c.name, subjects.c.dob).where(subjects.c.case_id.in_(chunk)))]
        people += [(cid, pos, m.Identity((name,), dob)) for cid, pos, name, dob in conn.execute(
            sa.select(children.c.case_id, children.c.position, children.c.name, children.c.dob).where(children.c.case_id.in_(chunk)))]  # fmt: skip
        for adult in (True, False):
            wanted: dict[str, set[tuple[int, int]]] = {}  # a query key (with the close dates of birth) -> who asks for it
            for cid, pos, ident in people:
                if (pos == 0) == adult and ident.dob is not None:
                    for k in m.query_keys(ident, knick):
                        wanted.setdefault(k, set()).add((cid, pos))
            keys = sorted(wanted)
            add = pairs.add
            for j in range(0, len(keys), _CHUNK):
                s_ = sa.select(match_keys.c.key, match_keys.c.case_id, match_keys.c.position).where(
                    match_keys.c.key.in_(keys[j : j + _CHUNK]), match_keys.c.case_id < chunk[-1])  # earlier than the chunk's last
                s_ = s_.where(match_keys.c.position == 0) if adult else s_.where(match_keys.c.position > 0)
                for key, other, opos in conn.execute(s_).all():
                    for new, pos in wanted[key]:
                        if other < new:  # earlier cases only
                            add((new, pos, other, opos))
    if not pairs:
        return []
    ids = sorted({p[0] for p in pairs} | {p[2] for p in pairs})
    refs: dict[int, str] = {}
    idents: dict[tuple[int, int], m.Identity] = {}
    alts: dict[int, list[str]] = {}
    wanted_kids = {(p[0], p[1]) for p in pairs if p[1]} | {(p[2], p[3]) for p in pairs if p[3]}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for cid, name in conn.execute(sa.select(known_names.c.case_id, known_names.c.name).where(known_names.c.case_id.in_(chunk))):
            alts.setdefault(cid, []).append(name)
        for r in conn.execute(sa.select(cases.c.id, cases.c.ref, subjects.c.name, subjects.c.dob, employers.c.name.label("employer"))
                              .join(subjects, subjects.c.case_id == cases.c.id).join(employers, employers.c.case_id == cases.c.id)
                              .where(cases.c.id.in_(chunk))):  # fmt: skip
            refs[r.id] = r.ref
            idents[(r.id, 0)] = m.Identity((r.name, *alts.get(r.id, [])), r.dob, r.employer)
        if wanted_kids:
            for cid, pos, name, dob in conn.execute(
                sa.select(children.c.case_id, children.c.position, children.c.name, children.c.dob).where(children.c.case_id.in_(chunk))
            ):
                if (cid, pos) in wanted_kids:
                    idents[(cid, pos)] = m.Identity((name,), dob)
    best: dict[tuple[int, int, str], dict[str, Any]] = {}
    for new, pos, other, opos in pairs:
        hit = m.compare(idents[(new, pos)], idents[(other, opos)], nick)
        b_ = m.band(hit.score, thresholds)
        kind = "subject" if pos == 0 else "child"
        if b_ and ((new, other, kind) not in best or hit.score > best[(new, other, kind)]["score"]):
            best[(new, other, kind)] = {"ref": refs[new], "other": refs[other], "match": kind, "band": b_, "score": hit.score,
                                        "reasons": list(hit.reasons), "case_id": new}  # fmt: skip
    return sorted(best.values(), key=lambda h: (h["ref"], h["match"] != "subject", -h["score"], h["other"]))  # the adult first


def person_cases(conn: Connection, refs: Sequence[str]) -> list[dict[str, Any]]:
    """The cases `refs` with their adult and employer, oldest first (`lado person`)."""
    s = (
        sa.select(cases.c.ref, cases.c.received, cases.c.status, cases.c.category, cases.c.outcome, subjects.c.name,
                  subjects.c.role, employers.c.name.label("employer"), employers.c.sector)
        .join(subjects, subjects.c.case_id == cases.c.id).join(employers, employers.c.case_id == cases.c.id)
        .where(cases.c.ref.in_(list(refs))).order_by(cases.c.received, cases.c.ref)
    )  # fmt: skip
    return [dict(r) for r in conn.execute(s).mappings()]
