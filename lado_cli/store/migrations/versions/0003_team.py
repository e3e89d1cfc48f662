"""Team safety: reference counters, who changed a case last, an audit log, and triggers that
keep the chronology append-only (R37a) on SQLite and PostgreSQL alike.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GUARD_MESSAGE = "the chronology cannot be changed or deleted (R37a): add a correction instead"


def upgrade() -> None:
    op.create_table(
        "ref_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.execute("INSERT INTO ref_counters (year, seq) SELECT ref_year, MAX(ref_seq) FROM cases GROUP BY ref_year")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_ref"), ["ref"], unique=False)
    op.create_table(
        "deletion_permits",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION lado_events_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM deletion_permits WHERE case_id = OLD.case_id) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{GUARD_MESSAGE}';
            END $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER events_guard BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION lado_events_guard()")
    else:
        op.execute(f"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END")
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
            "WHEN NOT EXISTS (SELECT 1 FROM deletion_permits WHERE case_id = OLD.case_id) "
            f"BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER events_guard ON events")
        op.execute("DROP FUNCTION lado_events_guard()")
    else:
        op.execute("DROP TRIGGER events_no_update")
        op.execute("DROP TRIGGER events_no_delete")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("updated_by")
        batch_op.drop_column("updated_at")
    op.drop_table("deletion_permits")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_ref"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
    op.drop_table("ref_counters")
