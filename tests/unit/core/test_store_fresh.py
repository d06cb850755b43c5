"""A new store is created in one step (core/store/fresh.py): the same schema as replaying every migration,
stamped at the head, and without importing Alembic."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

from core.store import LocalStore, QueueFilter, fresh
from core.store.engine import make_engine
from core.store.migrate import HEAD_REVISION, upgrade
from tests.unit.core.conftest import EventMaker, commit

ROOT = Path(__file__).resolve().parents[3]


def _normalised(sql: str | None) -> str | None:
    """The statement with its layout removed: SQLite keeps the text as written, and ``ALTER TABLE ADD
    COLUMN`` splices the new column in before the closing parenthesis with the original indentation."""
    if sql is None:
        return None
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"\s*([(),])\s*", r"\1", sql)


def _schema(engine: sa.Engine) -> dict[str, object]:
    with engine.connect() as conn:
        master = {
            (kind, name, table, _normalised(sql))
            for kind, name, table, sql in conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master")
        }
        tables = [name for kind, name, _t, _s in master if kind == "table"]
        indexes = [name for kind, name, _t, _s in master if kind == "index"]
        columns = {name: conn.exec_driver_sql(f"PRAGMA table_xinfo('{name}')").all() for name in tables}
        index_columns = {name: conn.exec_driver_sql(f"PRAGMA index_xinfo('{name}')").all() for name in indexes}
        fts_config = conn.exec_driver_sql("SELECT k, v FROM cases_fts_config ORDER BY k").all()
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        conn.rollback()
    return {"master": master, "columns": columns, "index_columns": index_columns, "fts": fts_config,
            "version": version}


def test_a_created_store_has_the_schema_the_migrations_build(tmp_path: Path, store_key: bytes) -> None:
    migrated = make_engine(tmp_path / "migrated.db", store_key)
    created = make_engine(tmp_path / "created.db", store_key)
    try:
        upgrade(migrated)
        with created.connect() as conn:
            conn = conn.execution_options(rakshak_write=True)
            assert fresh.is_empty(conn)
            fresh.create(conn)
            conn.commit()
        want, got = _schema(migrated), _schema(created)
    finally:
        migrated.dispose()
        created.dispose()
    kinds = {kind for kind, *_ in want["master"]}  # type: ignore[attr-defined]
    assert kinds == {"table", "index", "trigger"}
    assert got["master"] == want["master"]
    assert got["columns"] == want["columns"]
    assert got["index_columns"] == want["index_columns"]
    assert got["fts"] == want["fts"] == [("secure-delete", 1), ("version", 4)]
    assert got["version"] == want["version"] == [(HEAD_REVISION,)]


def test_the_created_schema_is_the_head_revision() -> None:
    # LocalStore.open runs the migrations after REVISION through Alembic: correct, but slow at first start
    assert fresh.REVISION == HEAD_REVISION


def test_a_new_store_opened_works_and_reopens_at_the_head(tmp_path: Path, store_key: bytes) -> None:
    path = tmp_path / "new.db"
    maker = EventMaker("dev-new")
    created = maker.created()
    with LocalStore.open(path, store_key) as store:
        commit(store, created)
        with store.reader() as r:
            sql = r.connection.exec_driver_sql
            assert sql("PRAGMA integrity_check").scalar() == "ok"
            assert sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
            assert [c.case_id for c in r.cases.queue(QueueFilter(search="ravi"))] == [created.case_id]
            assert sql("SELECT count(*) FROM case_report").scalar() == 1
        device = store.device_id
    with LocalStore.open(path, store_key) as again, again.reader() as r:
        assert again.device_id == device
        assert r.cases.count(QueueFilter()) == 1


def test_creating_and_reopening_a_store_never_imports_alembic(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from core.store import LocalStore, StoreKey
        key = StoreKey.ephemeral()
        LocalStore.open({str(tmp_path / "s.db")!r}, key).close()
        LocalStore.open({str(tmp_path / "s.db")!r}, key).close()
        assert "alembic" not in sys.modules, sorted(m for m in sys.modules if m.startswith("alembic"))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
