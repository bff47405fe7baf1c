"""Alembic environment: run programmatically by app.storage.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from app.storage.tables import Base, with_postgresql_options

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes its own connection
    raise RuntimeError("Run migrations through app.storage.migrate (vagafraga db upgrade).")
if connection.dialect.name == "postgresql":
    with_postgresql_options()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
