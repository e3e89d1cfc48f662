"""The case workflow: initial discussions, meetings, police updates, duties, escalations;
outcome columns on cases; action and escalation links on deadlines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("discussions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("held", sa.DateTime(timezone=True), nullable=False),
    sa.Column("participants", sa.String(), nullable=True),
    sa.Column("criteria", sa.JSON(), nullable=False),
    sa.Column("rationale", sa.String(), nullable=False),
    sa.Column("routes", sa.JSON(), nullable=False),
    sa.Column("s47", sa.Boolean(), nullable=True),
    sa.Column("social_care_referred", sa.DateTime(timezone=True), nullable=True),
    sa.Column("employer_action", sa.String(length=40), nullable=True),
    sa.Column("pot_meeting", sa.Boolean(), nullable=False),
    sa.Column("considerations", sa.JSON(), nullable=False),
    sa.Column("suspension", sa.String(length=40), nullable=True),
    sa.Column("suspension_note", sa.String(), nullable=True),
    sa.Column("named_contact", sa.String(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("case_id")
    )
    op.create_table("duties",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=40), nullable=False),
    sa.Column("rule", sa.String(length=10), nullable=False),
    sa.Column("reason", sa.String(), nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("note", sa.String(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duties_case_id"), ["case_id"], unique=False)

    op.create_table("escalations",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("ladder", sa.String(length=40), nullable=False),
    sa.Column("reason", sa.String(length=40), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("step", sa.Integer(), nullable=False),
    sa.Column("practice_review", sa.String(), nullable=True),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("resolution", sa.String(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_case_id"), ["case_id"], unique=False)

    op.create_table("meetings",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("type", sa.String(length=40), nullable=False),
    sa.Column("held", sa.DateTime(timezone=True), nullable=False),
    sa.Column("chair", sa.String(), nullable=True),
    sa.Column("attendees", sa.JSON(), nullable=False),
    sa.Column("confidentiality", sa.Boolean(), nullable=False),
    sa.Column("decisions", sa.String(), nullable=True),
    sa.Column("minutes_ref", sa.String(), nullable=True),
    sa.Column("next_review", sa.Date(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_case_id"), ["case_id"], unique=False)

    op.create_table("police_updates",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outcome", sa.String(length=40), nullable=True),
    sa.Column("result", sa.String(), nullable=True),
    sa.Column("text", sa.String(), nullable=True),
    sa.Column("review_date", sa.Date(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("police_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_police_updates_case_id"), ["case_id"], unique=False)

    op.create_table("escalation_steps",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("escalation_id", sa.Integer(), nullable=False),
    sa.Column("step", sa.Integer(), nullable=False),
    sa.Column("contacted", sa.String(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("response", sa.String(), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("escalation_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_steps_escalation_id"), ["escalation_id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complex", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("outcome", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("outcome_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("employment_outcome", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("employment_outcome_date", sa.Date(), nullable=True))

    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_deadlines_meeting_id", "meetings", ["meeting_id"], ["id"])
        batch_op.create_foreign_key("fk_deadlines_escalation_id", "escalations", ["escalation_id"], ["id"])



def downgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint("fk_deadlines_escalation_id", type_="foreignkey")
        batch_op.drop_constraint("fk_deadlines_meeting_id", type_="foreignkey")
        batch_op.drop_column("escalation_id")
        batch_op.drop_column("meeting_id")
        batch_op.drop_column("title")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ("employment_outcome_date", "employment_outcome", "outcome_date", "outcome", "complex"):
            batch_op.drop_column(column)
    for table in ("escalation_steps", "police_updates", "meetings", "escalations", "duties", "discussions"):
        op.drop_table(table)
