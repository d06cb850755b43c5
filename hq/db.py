"""Engines, migrations and the single-writer rule.

Every write that allocates feed positions or event sequence numbers goes through ``Database.writer()``,
which serialises writers so that *commit order equals sequence order*: a pull can never see position
N+1 committed while N is still invisible (docs/HQ.md, "Why one writer"). On PostgreSQL this is a
transaction-level advisory lock, held until COMMIT has made the transaction visible, so it works across
uvicorn worker processes and HQ hosts. On SQLite it is a process lock plus ``BEGIN IMMEDIATE``.

No engine is created at import time; the app factory, the CLI and the tests create one ``Database``.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, event, select, text, update
from sqlalchemy.engine import Engine, make_url

from hq.schema import counters, meta

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Arbitrary 64-bit key for pg_advisory_xact_lock: "rakshak feed writer".
WRITER_LOCK_KEY = 0x52414B5348414B01
NOTIFY_CHANNEL = "rakshak_feed"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as libpq tools write them) and use psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Database:
    """One HQ database: an engine plus the writer lock. Thread-safe; share one per process."""

    def __init__(self, url: str, *, pool_size: int = 10):
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        self._sqlite_write_lock = threading.Lock()
        # Called with the streams a committed write touched (SQLite only; PostgreSQL uses NOTIFY).
        self.commit_listeners: list[Callable[[set[str]], None]] = []
        if self.is_postgres:
            self.engine: Engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, pool_recycle=1800
            )
        else:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                self.url,
                connect_args={"check_same_thread": False, "isolation_level": None},
                pool_size=pool_size,
                max_overflow=pool_size * 4,
            )
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writer(self) -> Iterator[Connection]:
        """A write transaction holding HQ's writer lock until it commits (or rolls back).

        Call ``announce(conn, streams)`` inside it to wake long-polls on those streams once the
        transaction has committed (never before: a woken pull must find the rows).
        """
        if self.is_postgres:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
                yield conn
            return
        streams: set[str] = set()
        with self._sqlite_write_lock, self.engine.connect() as conn:
            conn.info["begin_immediate"] = True
            conn.info["announce"] = streams
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("begin_immediate", None)
                conn.info.pop("announce", None)
        if streams:
            for listener in list(self.commit_listeners):
                listener(streams)

    def announce(self, conn: Connection, streams: set[str]) -> None:
        """Tell every HQ worker, at commit, that these feed streams have new items."""
        if not streams:
            return
        if self.is_postgres:
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": ",".join(sorted(streams))},
            )
        else:
            conn.info["announce"].update(streams)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A plain write transaction for rows that take no feed position (devices, login failures)."""
        if self.is_postgres:
            with self.engine.begin() as conn:
                yield conn
        else:
            with self._sqlite_write_lock, self.engine.connect() as conn:
                conn.info["begin_immediate"] = True
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.info.pop("begin_immediate", None)

    # -- schema -------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest revision and make sure the epoch and secrets exist.

        Safe to run from several processes at once on PostgreSQL (serialised by an advisory lock).
        """
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            if self.is_postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY + 1})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _bootstrap(conn)

    def get_meta(self, key: str) -> str | None:
        with self.reader() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()

    def rotate_epoch(self) -> str:
        """Give the database a new epoch: do this after every restore (docs/DEPLOY.md)."""
        new = new_epoch()
        with self.writer() as conn:
            conn.execute(update(meta).where(meta.c.key == "epoch").values(value=new))
        return new


def new_epoch() -> str:
    return secrets.token_hex(8)


def _bootstrap(conn: Connection) -> None:
    have = {row.key for row in conn.execute(select(meta.c.key))}
    defaults: dict[str, Any] = {
        "epoch": new_epoch(),
        "jwt_secret": secrets.token_urlsafe(48),
        "schema_note": json.dumps({"created_by": "hq.db.migrate"}),
    }
    for key, value in defaults.items():
        if key not in have:
            conn.execute(meta.insert().values(key=key, value=value))
    have_counters = {row.name for row in conn.execute(select(counters.c.name))}
    for name in ("event_seq", "feed_pos"):
        if name not in have_counters:
            conn.execute(counters.insert().values(name=name, value=0))


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: an accepted push must survive a power cut (the client deletes its outbox copy on ack).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("begin_immediate") else "BEGIN")


def allocate(conn: Connection, name: str, n: int) -> int:
    """Reserve ``n`` consecutive values of a counter; returns the first. Only inside ``writer()``."""
    if n <= 0:
        return 0
    current = conn.execute(select(counters.c.value).where(counters.c.name == name)).scalar_one()
    conn.execute(update(counters).where(counters.c.name == name).values(value=current + n))
    return int(current) + 1


__all__ = ["NOTIFY_CHANNEL", "Database", "allocate", "normalise_url", "sqlite_url"]
