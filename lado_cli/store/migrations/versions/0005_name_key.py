"""Name keys recomputed (R11a): NFKC, invisible characters stripped, apostrophes and hyphens
unified (lado_cli.domain.text.name_key). A data migration: the stored names do not change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("subjects", "children")


def _old_key(name: str) -> str:
    """The key before this revision: case and spacing ignored, nothing else."""
    return " ".join(name.casefold().split())


def _rekey(key) -> None:
    conn = op.get_bind()
    for name in TABLES:
        t = sa.table(name, sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String))
        changed = [{"row_id": i, "new_key": key(n)} for i, n, k in conn.execute(sa.select(t.c.id, t.c.name, t.c.name_key)) if key(n) != k]
        if changed:
            conn.execute(t.update().where(t.c.id == sa.bindparam("row_id")).values(name_key=sa.bindparam("new_key")), changed)


def upgrade() -> None:
    from lado_cli.domain.text import name_key

    _rekey(name_key)


def downgrade() -> None:
    _rekey(_old_key)
