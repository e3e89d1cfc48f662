"""Case work after the initial discussion (R45-R50): suspension over time, consent to share
evidence, specialised risk assessments, contact with the child, what the adult was told,
minutes requests and complaints. Each table holds one case"s rows (row-level security on
PostgreSQL, as 0009"s CASE_CHILD_TABLES).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from lado_cli.store.tables import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints")


def upgrade() -> None:
    op.create_table(
        "suspensions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("told_lado", UTCDateTime(), nullable=True),
        sa.Column("why", sa.String(), nullable=True),
        sa.Column("named_contact", sa.String(), nullable=True),
        sa.Column("support", sa.String(), nullable=True),
        sa.Column("updates", sa.String(), nullable=True),
        sa.Column("union_advised", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_suspensions_case_id", "suspensions", ["case_id"])
    op.create_table(
        "evidence_consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("given_by", sa.String(), nullable=True),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_evidence_consents_case_id", "evidence_consents", ["case_id"])
    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("commissioned_by", sa.String(), nullable=False),
        sa.Column("assessor", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_risk_assessments_case_id", "risk_assessments", ["case_id"])
    op.create_table(
        "child_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("arrangements", sa.String(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_child_contacts_case_id", "child_contacts", ["case_id"])
    op.create_table(
        "subject_told",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("told_by", sa.String(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_subject_told_case_id", "subject_told", ["case_id"])
    op.create_table(
        "minutes_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("chair", sa.String(), nullable=False),
        sa.Column("redaction", sa.String(), nullable=True),
        sa.Column("ig_advice", sa.String(), nullable=True),
        sa.Column("decision", sa.String(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_minutes_requests_case_id", "minutes_requests", ["case_id"])
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("complainant", sa.String(), nullable=False),
        sa.Column("about", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
    )
    op.create_index("ix_complaints_case_id", "complaints", ["case_id"])
    if op.get_bind().dialect.name == "postgresql":  # a restricted case"s case work stays hidden too (0009)
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY lado_{table} ON {table} USING (lado_can_see(case_id)) WITH CHECK (lado_can_see(case_id))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP POLICY IF EXISTS lado_{table} ON {table}")
    for table in reversed(TABLES):
        op.drop_table(table)
