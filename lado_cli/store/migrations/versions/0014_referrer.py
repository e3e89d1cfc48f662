"""The referrer's side (issue #11): when the referrer told the LADO, and how (R12). Both
empty on a LADO's database, where receiving the referral is the telling (cases.received).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from lado_cli.store.tables import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("told_lado", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("told_lado_via", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("told_lado_via")
        batch_op.drop_column("told_lado")
