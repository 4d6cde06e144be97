"""Alembic environment: runs on the connection the application hands over."""

from __future__ import annotations

from alembic import context

from knowledge.db.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations always run through knowledge.db.engine
    raise RuntimeError("run migrations through knowledge.db.engine.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
