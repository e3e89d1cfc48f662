"""Time limits set aside with a reason; duties withdrawn with a reason (PROCEDURE §3, R30, R33).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(), nullable=True))
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_at")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("reason")
