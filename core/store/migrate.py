"""Schema migrations, run at open. Alembic is configured in code (no alembic.ini) and finds its
scripts next to this file, so a PyInstaller build only has to ship ``core/store/migrations`` as data.

Opening an up-to-date store never imports Alembic: the current revision is compared with
``HEAD_REVISION`` (a test checks it is Alembic's head), which keeps opening in milliseconds. Nor does
creating a new one: ``core.store.fresh`` makes the schema in one step and stamps it.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0012"


def current_revision(conn: sa.Connection) -> str | None:
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if has_table is None:
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


# Alembic is imported in the functions that use it, to keep start-up light: ``alembic.command`` took
# about half a second to import on a loaded 2-core machine, and a store already at the current
# schema (every start but the first after an upgrade) never needs it.


def alembic_config(conn: sa.Connection | None = None):  # type: ignore[no-untyped-def]
    # alembic is imported by the functions that use it, off the import path of every process that
    # imports core.store: an open at the current revision never needs it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def upgrade(engine: sa.Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` in one transaction (no-op when already there)."""
    from alembic import command

    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        command.upgrade(alembic_config(conn), target)
        conn.commit()


def head_from_scripts() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
