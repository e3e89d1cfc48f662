"""Alembic environment. `lado_cli.store.db.migrate` passes an open connection inside a
transaction, so a migration either applies completely or not at all."""

from alembic import context

from lado_cli.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite ALTER TABLE support for later migrations
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
