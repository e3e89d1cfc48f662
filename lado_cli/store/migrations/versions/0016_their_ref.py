"""A referral received as a file (`lado import FILE.referral.json`) keeps the referrer's own
reference and organisation: the same file imported twice is one case (unique together).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("their_ref", sa.String(length=40), nullable=True))
    op.add_column("cases", sa.Column("their_org", sa.String(length=200), nullable=True))
    op.create_index("ix_cases_their_org_ref", "cases", ["their_org", "their_ref"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_cases_their_org_ref", table_name="cases")
    with op.batch_alter_table("cases") as batch:  # SQLite before 3.35 cannot drop a column in place
        batch.drop_column("their_org")
        batch.drop_column("their_ref")
