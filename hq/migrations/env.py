"""Alembic environment for HQ. Run through ``hq.db.migrate`` (never needs an alembic.ini)."""

from __future__ import annotations

from alembic import context

from hq.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run HQ migrations through hq.db.migrate(), which passes a connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
