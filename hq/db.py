"""Engines, migrations, the single-writer rule, and the long polls woken by what it commits.

Every write that allocates feed positions or event sequence numbers goes through ``Database.writer()``,
which serialises writers so that *commit order equals sequence order*: a pull can never see position
N+1 committed while N is still invisible (docs/HQ.md, "Why one writer"). On PostgreSQL this is a
transaction-level advisory lock, held until COMMIT has made the transaction visible, so it works across
uvicorn worker processes and HQ hosts. On SQLite it is a process lock plus ``BEGIN IMMEDIATE``.

Waking a held pull is the writer's own after-commit step. ``ChangeNotifier`` lives on the server's
event loop. Writers announce the streams a commit touched (``Database.announce``): on SQLite the
writer hands them to its ``commit_listeners`` directly after COMMIT; on PostgreSQL with NOTIFY inside
the transaction, which the server delivers only at COMMIT, to every worker process's ``PgListener``.

Race-free wait: a pull reads ``version(stream)`` *before* querying and, if the query found nothing,
waits for the version to move past it. A commit between the query and the wait has already moved the
version, so it cannot be missed. As a second line of defence (a NOTIFY lost while a listener
reconnects), waiters re-query at least every ``SAFETY_REQUERY_S``.

No engine is created at import time; the app factory, the CLI and the tests create one ``Database``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, event, select, text, update
from sqlalchemy.engine import Engine, make_url

from core.settings import HQSettings
from hq.schema import counters, meta

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Arbitrary 64-bit key for pg_advisory_xact_lock: "rakshak feed writer".
WRITER_LOCK_KEY = 0x52414B5348414B01
NOTIFY_CHANNEL = "rakshak_feed"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# None: ``HQSettings.safety_requery_s`` (declared in core.settings, read from the environment when a
# pull waits). A test in the same process may set a number here instead.
SAFETY_REQUERY_S: float | None = None
LISTENER_RETRY_S = 1.0


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


class ChangeNotifier:
    def __init__(self) -> None:
        self._versions: dict[str, int] = defaultdict(int)
        self._waiters: dict[str, set[asyncio.Future[None]]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def version(self, stream: str) -> int:
        """Event-loop thread only."""
        return self._versions[stream]

    def publish(self, streams: Iterable[str]) -> None:
        """Thread-safe: may be called from any thread after a commit."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._bump, tuple(streams))
        except RuntimeError:  # loop shutting down
            pass

    def publish_all(self) -> None:
        """Wake every waiter (after a listener reconnect, when NOTIFYs may have been missed)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(lambda: self._bump(tuple(self._waiters)))
        except RuntimeError:
            pass

    def _bump(self, streams: tuple[str, ...]) -> None:
        for stream in streams:
            self._versions[stream] += 1
            for fut in self._waiters.pop(stream, set()):
                if not fut.done():
                    fut.set_result(None)

    async def wait(self, stream: str, since: int, timeout_s: float) -> bool:
        """Wait until ``stream`` moves past version ``since``. True if it did."""
        if self.closed:
            return False
        if self._versions[stream] != since:
            return True
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[stream].add(fut)
        try:
            await asyncio.wait_for(fut, timeout=min(timeout_s, _safety_requery_s()))
        except TimeoutError:
            pass
        finally:
            self._waiters[stream].discard(fut)
        return self._versions[stream] != since

    def close(self) -> None:
        """Release every held pull (server shutdown). Event-loop thread or via call_soon_threadsafe."""
        self.closed = True
        for waiters in self._waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.set_result(None)
        self._waiters.clear()


class PgListener:
    """A thread holding one PostgreSQL connection that LISTENs and forwards NOTIFYs to a notifier."""

    def __init__(self, conninfo: str, notifier: ChangeNotifier):
        self.conninfo = conninfo
        self.notifier = notifier
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hq-pg-listener", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.connected.set()
                    self.notifier.publish_all()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self.notifier.publish(note.payload.split(","))
            except psycopg.Error as exc:
                self.connected.clear()
                if self._stop.is_set():
                    return
                log.warning("HQ change listener lost its PostgreSQL connection (%s); retrying", exc)
                self._stop.wait(LISTENER_RETRY_S)


def _safety_requery_s() -> float:
    return HQSettings().safety_requery_s if SAFETY_REQUERY_S is None else SAFETY_REQUERY_S


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


__all__ = ["NOTIFY_CHANNEL", "ChangeNotifier", "Database", "PgListener", "allocate", "normalise_url", "sqlite_url"]
