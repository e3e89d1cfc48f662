"""Integrity: hash chains on the chronology and the audit log (tamper evidence), an
append-only audit log, restricted cases (PostgreSQL row-level security) and a record of who
opened which case (R34).

- events: `prev_hash` and `hash` (SHA-256, see lado_cli/store/chain.py), one chain per case;
  `cases.chain_head` holds the hash of the case's newest entry, so a deleted last entry is
  detected too. audit_log: one chain for the whole log.
- Existing rows get their hashes here, oldest first, exactly as the store computes them.
- audit_log refuses UPDATE, DELETE and TRUNCATE, as the chronology does (R37a).
- cases.restricted and case_access: who may see a restricted case; on PostgreSQL policies on
  the case tables hide it from everyone else (the table owner, i.e. the administrator who ran
  the migrations, bypasses them). case_views: who opened which case, when.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

AUDIT_GUARD = "the audit log cannot be changed or deleted (R34)"
EVENT_GUARD = "the chronology cannot be changed or deleted (R37a): add a correction instead"

#: The tables holding one case's rows, with the column naming the case (RLS policies).
CASE_CHILD_TABLES = (
    "subjects", "employers", "children", "referrers", "deadlines", "events", "discussions", "meetings",
    "police_updates", "duties", "escalations", "case_views", "amendments",
)  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_head", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "case_access",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "role"),
    )
    op.create_table(
        "case_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_views_case_id"), ["case_id"], unique=False)

    _hash_existing_rows(bind, pg)

    if pg:
        op.execute(f"""
            CREATE FUNCTION lado_audit_guard() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{AUDIT_GUARD}';
            END $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION lado_audit_guard()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION lado_audit_guard()")
        # Row-level security. The functions run as their owner (the administrator), so the
        # policies need no read access to case_access, and cases' policy does not recurse.
        op.execute("""
            CREATE FUNCTION lado_allowed(cid integer) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
                SELECT EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = cid AND a.role = session_user)
            $$""")
        op.execute("""
            CREATE FUNCTION lado_can_see(cid integer) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
                SELECT NOT EXISTS (
                    SELECT 1 FROM cases c WHERE c.id = cid AND c.restricted
                    AND NOT EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.role = session_user))
            $$""")
        op.execute("ALTER TABLE cases ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY lado_cases ON cases USING (NOT restricted OR lado_allowed(id)) WITH CHECK (NOT restricted OR lado_allowed(id))")
        for table in CASE_CHILD_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY lado_{table} ON {table} USING (lado_can_see(case_id)) WITH CHECK (lado_can_see(case_id))")
        op.execute("ALTER TABLE escalation_steps ENABLE ROW LEVEL SECURITY")
        op.execute(
            "CREATE POLICY lado_escalation_steps ON escalation_steps USING (EXISTS (SELECT 1 FROM escalations e WHERE e.id = escalation_id)) "
            "WITH CHECK (EXISTS (SELECT 1 FROM escalations e WHERE e.id = escalation_id))"
        )
        op.execute("ALTER TABLE case_access ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY lado_case_access ON case_access USING (lado_can_see(case_id)) WITH CHECK (lado_can_see(case_id))")
    else:
        op.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD}'); END")
        op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD}'); END")


def _hash_existing_rows(bind, pg: bool) -> None:
    """Chain the rows already stored, oldest first, as the store would have."""
    from lado_cli.store import chain

    ev = sa.table("events", *(sa.column(c) for c in ("id", "case_id", "at", "recorded_at", "actor", "kind", "text", "rationale", "corrects_id", "prev_hash", "hash")))
    log = sa.table("audit_log", *(sa.column(c) for c in ("id", "at", "actor", "action", "ref", "detail", "prev_hash", "hash")))
    cs = sa.table("cases", sa.column("id"), sa.column("chain_head"))
    # The chronology's guard refuses UPDATE; lifted for this transaction only.
    if pg:
        op.execute("ALTER TABLE events DISABLE TRIGGER events_guard")
    else:
        op.execute("DROP TRIGGER events_no_update")
    heads: dict[int, str] = {}
    rows = bind.execute(sa.select(ev).order_by(ev.c.id)).mappings().all()
    for r in rows:
        prev = heads.get(r["case_id"], chain.GENESIS)
        h = chain.event_hash(dict(r, at=_aware(r["at"]), recorded_at=_aware(r["recorded_at"])), prev)
        bind.execute(ev.update().where(ev.c.id == r["id"]).values(prev_hash=prev, hash=h))
        heads[r["case_id"]] = h
    for cid, h in heads.items():
        bind.execute(cs.update().where(cs.c.id == cid).values(chain_head=h))
    prev = chain.GENESIS
    for r in bind.execute(sa.select(log).order_by(log.c.id)).mappings().all():
        h = chain.audit_hash(dict(r, at=_aware(r["at"])), prev)
        bind.execute(log.update().where(log.c.id == r["id"]).values(prev_hash=prev, hash=h))
        prev = h
    if pg:
        op.execute("ALTER TABLE events ENABLE TRIGGER events_guard")
    else:
        op.execute(f"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '{EVENT_GUARD}'); END")


def _aware(value):
    """A stored instant as an aware UTC datetime (SQLite returns naive UTC text or datetimes)."""
    from datetime import datetime, timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("cases", "escalation_steps", "case_access", *CASE_CHILD_TABLES):
            op.execute(f"DROP POLICY IF EXISTS lado_{table} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP FUNCTION lado_can_see(integer)")
        op.execute("DROP FUNCTION lado_allowed(integer)")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION lado_audit_guard()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    with op.batch_alter_table("case_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_views_case_id"))
    op.drop_table("case_views")
    op.drop_table("case_access")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("restricted")
        batch_op.drop_column("chain_head")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    if op.get_bind().dialect.name != "postgresql":  # SQLite dropped the columns by copying the table, triggers lost
        op.execute(f"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '{EVENT_GUARD}'); END")
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
            "WHEN NOT EXISTS (SELECT 1 FROM deletion_permits WHERE case_id = OLD.case_id) "
            f"BEGIN SELECT RAISE(ABORT, '{EVENT_GUARD}'); END"
        )
