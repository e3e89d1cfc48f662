"""Who may do what (R34): PostgreSQL roles for officers, managers and auditors, restricted
cases (row-level security, migration 0007), and the record of who opened which case.

The roles (PostgreSQL only; created by `lado db grant`, run by the administrator who owns
the tables, i.e. who ran the migrations):

- lado_officer: SELECT, INSERT, UPDATE on the case tables; INSERT and SELECT only on the
  chronology, the amendments, the audit log and the record of views (append-only, R37a);
  SELECT on the settings (the saved profile, set by the administrator); DELETE on
  children only (an import update replaces a case's children); case_access to restrict
  cases they can see; the sequences.
- lado_manager: an officer, who may also delete a case under the retention schedule (R37b).
- lado_auditor: reads everything, and is recorded when opening a case.

None of them owns a table, so none can disable a trigger, drop a policy or rewrite the
chronology. The owner (and any superuser) bypasses row-level security: restricted cases
are hidden from officers, not from the database's administrator.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lado_cli.errors import LadoError
from lado_cli.store.tables import case_access, case_views, cases

GROUPS = {"officer": "lado_officer", "manager": "lado_manager", "auditor": "lado_auditor"}
WORK_TABLES = (
    "cases", "subjects", "employers", "children", "referrers", "deadlines", "discussions", "meetings",
    "police_updates", "duties", "escalations", "escalation_steps", "intake_facts", "other_settings", "ref_counters",
    "suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints",  # R45-R50
)  # fmt: skip
APPEND_ONLY = ("events", "audit_log", "case_views", "amendments")
RETENTION_TABLES = (*(t for t in WORK_TABLES if t != "ref_counters"), "events", "amendments", "known_names", "match_keys")  # what a deletion under the schedule removes


def _grants(schema: str, database: str) -> list[str]:
    work, append = ", ".join(WORK_TABLES), ", ".join(APPEND_ONLY)
    return [
        f"GRANT CONNECT ON DATABASE {database} TO lado_officer, lado_auditor",
        f"GRANT USAGE ON SCHEMA {schema} TO lado_officer, lado_auditor",
        f"GRANT SELECT, INSERT, UPDATE ON {work} TO lado_officer",
        "GRANT DELETE ON children, other_settings TO lado_officer",  # replaced as a whole by an amendment
        f"GRANT SELECT, INSERT ON {append} TO lado_officer",
        "GRANT SELECT, INSERT, DELETE ON case_access TO lado_officer",
        "GRANT SELECT ON alembic_version, settings TO lado_officer",
        # R11a matching: the keys are recomputed when names change; decisions and other
        # authorities' indexes are replaced whole.
        "GRANT SELECT, INSERT ON known_names TO lado_officer",
        "GRANT SELECT, INSERT, DELETE ON match_keys, match_decisions, index_sources, index_tokens TO lado_officer",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO lado_officer",
        "GRANT lado_officer TO lado_manager",
        f"GRANT DELETE ON {', '.join(RETENTION_TABLES)} TO lado_manager",
        "GRANT SELECT, INSERT, DELETE ON deletion_permits TO lado_manager",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO lado_auditor",
        "GRANT INSERT ON case_views TO lado_auditor",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO lado_auditor",
    ]


def grant(conn: Connection, user: str, role: str) -> bool:
    """Make `user` (a PostgreSQL login role, created without a password when missing) an
    officer, manager or auditor; creates the group roles and their privileges when missing.
    Returns whether the login role was created."""
    q = conn.dialect.identifier_preparer.quote
    owner = conn.exec_driver_sql("SELECT tableowner FROM pg_tables WHERE tablename = 'cases' AND schemaname = current_schema()").scalar()
    if user == owner:
        raise LadoError(f"{user} owns the tables (the administrator); officers, managers and auditors must be other roles")
    found = conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :u"), {"u": user}).first()
    if found is not None and found[0]:
        raise LadoError(f"{user} is a superuser, who bypasses every restriction; give officers, managers and auditors ordinary roles")
    for group in GROUPS.values():
        if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :g"), {"g": group}).first() is None:
            conn.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
    schema = q(conn.exec_driver_sql("SELECT current_schema()").scalar())
    database = q(conn.exec_driver_sql("SELECT current_database()").scalar())
    for statement in _grants(schema, database):
        conn.exec_driver_sql(statement)
    if found is None:
        conn.exec_driver_sql(f"CREATE ROLE {q(user)} LOGIN")
    for other in GROUPS.values():  # one role at a time: a new one replaces the old
        if other != GROUPS[role]:
            conn.exec_driver_sql(f"REVOKE {other} FROM {q(user)}")
    conn.exec_driver_sql(f"GRANT {GROUPS[role]} TO {q(user)}")
    return found is None


def role_exists(conn: Connection, name: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is not None


def allowed(conn: Connection, case_id: int) -> list[str]:
    return list(conn.execute(sa.select(case_access.c.role).where(case_access.c.case_id == case_id).order_by(case_access.c.role)).scalars())


def set_access(conn: Connection, case_id: int, roles: set[str]) -> None:
    """Allow exactly `roles` to see the case (from now on)."""
    conn.execute(case_access.delete().where(case_access.c.case_id == case_id, case_access.c.role.not_in(roles)))
    have = set(allowed(conn, case_id))
    new = sorted(roles - have)
    if new:
        conn.execute(case_access.insert(), [{"case_id": case_id, "role": r} for r in new])


def record_view(conn: Connection, case: dict[str, Any], *, at: datetime, actor: str) -> None:
    """Who opened the case, when (R34)."""
    conn.execute(case_views.insert().values(case_id=case["id"], ref=case["ref"], at=at, actor=actor))


def views(conn: Connection, ref: str | None = None) -> list[dict[str, Any]]:
    """Who opened which case, newest first (only the cases the reader may see)."""
    s = sa.select(case_views.c.at, case_views.c.actor, case_views.c.ref).order_by(case_views.c.at.desc(), case_views.c.id.desc())
    if ref is not None:
        s = s.where(sa.func.upper(case_views.c.ref) == ref.strip().upper())
    return [dict(m) for m in conn.execute(s).mappings()]


def restricted(conn: Connection, case_id: int) -> bool:
    return bool(conn.execute(sa.select(cases.c.restricted).where(cases.c.id == case_id)).scalar())
