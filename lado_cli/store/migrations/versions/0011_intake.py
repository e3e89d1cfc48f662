"""Intake facts (issue #10 item 1, the form fields of #11): when the allegation was first
raised (R42), the immediate referral to police or MASH (R43), foster carers (R44), the
child's address and social worker, other places (R51), an associated person (P§68) and the
referral-form fields of R11.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from lado_cli.store.tables import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TABLES = ("intake_facts", "other_settings")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("first_raised", UTCDateTime(), nullable=True))
    with op.batch_alter_table("children") as batch:
        batch.add_column(sa.Column("address", sa.String(), nullable=True))
        batch.add_column(sa.Column("social_worker", sa.String(), nullable=True))
    op.create_table(
        "intake_facts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("police_referred", UTCDateTime(), nullable=True),
        sa.Column("police_referred_to", sa.String(), nullable=True),
        sa.Column("earlier_concerns", sa.String(), nullable=True),
        sa.Column("subject_sex", sa.String(length=60), nullable=True),
        sa.Column("service_length", sa.String(), nullable=True),
        sa.Column("own_children", sa.Boolean(), nullable=True),
        sa.Column("supervising_social_worker", sa.String(), nullable=True),
        sa.Column("placement_social_workers", sa.JSON(), nullable=False),
        sa.Column("placement_social_workers_told", UTCDateTime(), nullable=True),
        sa.Column("associated_with", sa.String(length=40), nullable=True),
        sa.Column("association", sa.String(length=60), nullable=True),
        sa.Column("associated_worker", sa.String(), nullable=True),
        sa.Column("associated_employer", sa.String(), nullable=True),
        sa.Column("incidents", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("injury", sa.String(), nullable=True),
        sa.Column("physical_intervention", sa.Boolean(), nullable=True),
        sa.Column("others_told", sa.String(), nullable=True),
        sa.Column("action_taken", sa.String(), nullable=True),
        sa.Column("adult_knows", sa.Boolean(), nullable=True),
    )
    op.create_index("ix_intake_facts_associated_with", "intake_facts", ["associated_with"])
    op.create_table(
        "other_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=True),
        sa.Column("authority", sa.String(), nullable=True),
    )
    op.create_index("ix_other_settings_case_id", "other_settings", ["case_id"])
    if op.get_bind().dialect.name == "postgresql":  # a restricted case's facts stay hidden too (0009)
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY lado_{table} ON {table} USING (lado_can_see(case_id)) WITH CHECK (lado_can_see(case_id))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"DROP POLICY IF EXISTS lado_{table} ON {table}")
    op.drop_index("ix_other_settings_case_id", "other_settings")
    op.drop_table("other_settings")
    op.drop_index("ix_intake_facts_associated_with", "intake_facts")
    op.drop_table("intake_facts")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("social_worker")
        batch.drop_column("address")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("first_raised")
