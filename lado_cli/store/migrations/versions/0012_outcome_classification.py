"""Outcome classification (R28, P§55): the answers to the evidence questions of `lado outcome`
(proves, disproves, a deliberate act to deceive, no basis at all) and the reason for an
outcome chosen against them, stored on the case beside its outcome.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ANSWERS = ("outcome_proves", "outcome_disproves", "outcome_deceit", "outcome_no_basis")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in _ANSWERS:
            batch_op.add_column(sa.Column(column, sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("outcome_why", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ("outcome_why", *reversed(_ANSWERS)):
            batch_op.drop_column(column)
