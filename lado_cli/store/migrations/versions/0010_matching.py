"""Explainable matching (R11a): known-as names, blocking keys, decisions on pairs, and other
authorities' pseudonymous indexes. Keys for the cases already stored are computed here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from lado_cli.store.tables import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_names",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_known_names_case_id", "known_names", ["case_id"])
    op.create_index("ix_known_names_name_key", "known_names", ["name_key"])
    op.create_table(
        "match_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
    )
    op.create_index("ix_match_keys_case_id", "match_keys", ["case_id"])
    op.create_index("ix_match_keys_key", "match_keys", ["key"])
    op.create_table(
        "match_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref_a", sa.String(length=40), nullable=False),
        sa.Column("ref_b", sa.String(length=40), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("ref_a", "ref_b"),
    )
    op.create_table(
        "index_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("authority", sa.String(length=200), nullable=False, unique=True),
        sa.Column("contact", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.String(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "index_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("index_sources.id"), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_index_tokens_source_id", "index_tokens", ["source_id"])
    op.create_index("ix_index_tokens_token", "index_tokens", ["token"])
    if op.get_bind().dialect.name == "postgresql":  # a restricted case's names stay hidden too (0009)
        for table in ("known_names", "match_keys"):
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY lado_{table} ON {table} USING (lado_can_see(case_id)) WITH CHECK (lado_can_see(case_id))")
    from lado_cli.store.matching import rebuild_keys

    rebuild_keys(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("known_names", "match_keys"):
            op.execute(f"DROP POLICY IF EXISTS lado_{table} ON {table}")
    for t in ("index_tokens", "index_sources", "match_decisions", "match_keys", "known_names"):
        op.drop_table(t)
