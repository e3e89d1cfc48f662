"""Escalation as the guidance reads (R38-R41): who raises an escalation, when each step's
reply came or that it never came, a step skipped with its reason (so a skipped step has no
one contacted), and the branch taken at R39 steps 3-4.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from lado_cli.store.tables import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.add_column(sa.Column("raised_by", sa.String(), nullable=True))
    with op.batch_alter_table("escalation_steps") as batch_op:
        batch_op.alter_column("contacted", existing_type=sa.String(), nullable=True)
        batch_op.add_column(sa.Column("replied_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("no_reply", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("skip_reason", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("branch", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # A skipped step had no one contacted; the older schema needs a name there, so it says why.
    op.execute("UPDATE escalation_steps SET contacted = 'step skipped: ' || skip_reason WHERE contacted IS NULL")
    with op.batch_alter_table("escalation_steps") as batch_op:
        batch_op.drop_column("branch")
        batch_op.drop_column("skip_reason")
        batch_op.drop_column("no_reply")
        batch_op.drop_column("replied_at")
        batch_op.alter_column("contacted", existing_type=sa.String(), nullable=False)
    with op.batch_alter_table("escalations") as batch_op:
        batch_op.drop_column("raised_by")
