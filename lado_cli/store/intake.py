"""Storing and reading the intake facts (domain/intake.py): the case's `intake_facts` row,
its `other_settings` rows, and the association links between cases (P§68, R51)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.domain.intake import FACT_SPECS, Intake, Setting
from lado_cli.errors import FieldError
from lado_cli.store.tables import cases, intake_facts, other_settings, subjects


def fact_row(intake: Intake) -> dict[str, Any]:
    """The `intake_facts` columns of `intake` (a list column is never NULL)."""
    row = {s.col: intake.facts.get(s.col) for s in FACT_SPECS}
    row["placement_social_workers"] = list(row["placement_social_workers"] or [])
    return row


def setting_rows(case_id: int, settings: Iterable[Setting]) -> list[dict[str, Any]]:
    return [dict(case_id=case_id, position=i, name=s.name, kind=s.kind, authority=s.authority) for i, s in enumerate(settings, 1)]


def check_associated(conn: Connection, ref: str | None, own_ref: str | None = None) -> None:
    """P§68: --associated-with names the worker's own case, which must be in this database."""
    if not ref:
        return
    if own_ref is not None and ref.upper() == own_ref.upper():
        raise FieldError("associated-with", ref, "is this case itself", "the reference of the worker's own case")
    found = conn.execute(sa.select(cases.c.id).where(sa.func.upper(cases.c.ref) == ref.upper())).first()
    if found is None:
        raise FieldError("associated-with", ref, "is not a case in this database", "the reference of the worker's own case (`lado list --all`)")


def save_intake(conn: Connection, case_id: int, intake: Intake) -> None:
    """Write (or replace) the case's intake facts and other places. The facts row is updated in
    place (an officer may not delete it, store/access.py); the places are replaced as a list."""
    done = conn.execute(intake_facts.update().where(intake_facts.c.case_id == case_id).values(**fact_row(intake)))
    if done.rowcount == 0 and intake.any_fact():
        conn.execute(intake_facts.insert().values(case_id=case_id, **fact_row(intake)))
    conn.execute(other_settings.delete().where(other_settings.c.case_id == case_id))
    if intake.settings:
        conn.execute(other_settings.insert(), setting_rows(case_id, intake.settings))


def insert_many(conn: Connection, items: Iterable[tuple[int, Intake]]) -> None:
    """Intake facts of new cases (an import batch): one executemany per table."""
    facts, places = [], []
    for cid, intake in items:
        if intake.any_fact():
            facts.append(dict(case_id=cid, **fact_row(intake)))
        places += setting_rows(cid, intake.settings)
    if facts:
        conn.execute(intake_facts.insert(), facts)
    if places:
        conn.execute(other_settings.insert(), places)


def load_intake(conn: Connection, case: Mapping[str, Any]) -> dict[str, Any]:
    """`case["intake"]`: the facts (column -> value, None when not recorded), the other places,
    and the cases linked by association: `associated` (cases about a person associated with
    this case's worker: ref, association, subject name)."""
    cid = case["id"]
    row = conn.execute(sa.select(intake_facts).where(intake_facts.c.case_id == cid)).mappings().first()
    facts = {s.col: (row[s.col] if row else None) for s in FACT_SPECS}
    facts["placement_social_workers"] = list(facts["placement_social_workers"] or [])
    places = [dict(name=r.name, kind=r.kind, authority=r.authority)
              for r in conn.execute(sa.select(other_settings).where(other_settings.c.case_id == cid).order_by(other_settings.c.position))]  # fmt: skip
    linked = conn.execute(
        sa.select(cases.c.ref, intake_facts.c.association, subjects.c.name)
        .join(intake_facts, intake_facts.c.case_id == cases.c.id)
        .join(subjects, subjects.c.case_id == cases.c.id)
        .where(sa.func.upper(intake_facts.c.associated_with) == case["ref"].upper())
        .order_by(cases.c.ref_year, cases.c.ref_seq, cases.c.ref)
    )  # fmt: skip
    return {"facts": facts, "other_settings": places, "associated": [dict(ref=r.ref, association=r.association, subject=r.name) for r in linked]}


def export_facts(conn: Connection) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """Every case's intake facts and other places, by case id (for `lado export`)."""
    facts = {r["case_id"]: dict(r) for r in conn.execute(sa.select(intake_facts)).mappings()}
    places: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(sa.select(other_settings).order_by(other_settings.c.case_id, other_settings.c.position)).mappings():
        places.setdefault(r["case_id"], []).append(dict(r))
    return facts, places
