"""Initial schema: cases, subjects, employers, children, referrers, deadlines, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Migrations are frozen copies of the schema at their time: they use plain SQLAlchemy
types and never import the live table classes.
"""

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("cases",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("ref", sa.String(length=40), nullable=False),
    sa.Column("ref_year", sa.Integer(), nullable=False),
    sa.Column("ref_seq", sa.Integer(), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("received", sa.DateTime(timezone=True), nullable=False),
    sa.Column("concern_arose", sa.DateTime(timezone=True), nullable=False),
    sa.Column("happened", sa.DateTime(timezone=True), nullable=True),
    sa.Column("source", sa.String(length=60), nullable=False),
    sa.Column("source_detail", sa.String(), nullable=True),
    sa.Column("category", sa.String(length=60), nullable=False),
    sa.Column("criteria", sa.JSON(), nullable=False),
    sa.Column("suitability", sa.JSON(), nullable=False),
    sa.Column("summary", sa.String(), nullable=False),
    sa.Column("immediate_danger", sa.Boolean(), nullable=False),
    sa.Column("out_of_hours", sa.Boolean(), nullable=False),
    sa.Column("works_in", sa.String(), nullable=True),
    sa.Column("cross_border", sa.Boolean(), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("ref")
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_ref_year"), ["ref_year"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table("children",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("name_key", sa.String(), nullable=False),
    sa.Column("dob", sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_children_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_children_name_key"), ["name_key"], unique=False)

    op.create_table("deadlines",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=40), nullable=False),
    sa.Column("rule", sa.String(length=10), nullable=False),
    sa.Column("due", sa.DateTime(timezone=True), nullable=False),
    sa.Column("target", sa.DateTime(timezone=True), nullable=True),
    sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("not_applicable", sa.Boolean(), nullable=False),
    sa.Column("owner", sa.String(), nullable=True),
    sa.Column("note", sa.String(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadlines_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_due"), ["due"], unique=False)

    op.create_table("employers",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(), nullable=True),
    sa.Column("sector", sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("case_id")
    )
    op.create_table("events",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.Column("kind", sa.String(length=40), nullable=False),
    sa.Column("text", sa.String(), nullable=False),
    sa.Column("rationale", sa.String(), nullable=True),
    sa.Column("corrects_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.ForeignKeyConstraint(["corrects_id"], ["events.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_case_id"), ["case_id"], unique=False)

    op.create_table("referrers",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("organisation", sa.String(), nullable=False),
    sa.Column("contact", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("case_id")
    )
    op.create_table("subjects",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("name_key", sa.String(), nullable=False),
    sa.Column("dob", sa.Date(), nullable=True),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("employment", sa.String(length=60), nullable=False),
    sa.Column("status", sa.String(length=60), nullable=True),
    sa.Column("address", sa.String(), nullable=True),
    sa.Column("regulator", sa.String(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("case_id")
    )
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subjects_name_key"), ["name_key"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subjects_name_key"))

    op.drop_table("subjects")
    op.drop_table("referrers")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_case_id"))

    op.drop_table("events")
    op.drop_table("employers")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadlines_due"))
        batch_op.drop_index(batch_op.f("ix_deadlines_case_id"))

    op.drop_table("deadlines")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_name_key"))
        batch_op.drop_index(batch_op.f("ix_children_case_id"))

    op.drop_table("children")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_ref_year"))

    op.drop_table("cases")
