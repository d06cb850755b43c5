"""Alembic environment for the local store. Run only through ``core.store.migrate``.

The caller hands over an open SQLAlchemy connection (already keyed for SQLCipher) in
``config.attributes["connection"]``; no URL, no ini file, so it works the same when frozen.
The whole upgrade runs in one transaction (SQLite DDL is transactional), so a crash mid-upgrade
leaves the previous version intact.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
