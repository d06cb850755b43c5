"""The SQLAlchemy engine over SQLCipher, and the rules every connection must satisfy.

Every pooled connection, when the pool opens it:

1. is keyed with the raw 256-bit key (no key derivation, so a new connection costs milliseconds);
2. proves the key by reading the schema (a wrong key fails here with "file is not a database");
3. runs in WAL mode with ``synchronous=FULL``, both read back and *refused* otherwise: a committed
   outcome must survive a power cut, and ``NORMAL`` in WAL may lose the last commits;
4. has foreign keys on, a busy timeout, ``secure_delete`` so purged personal data is overwritten
   rather than left in free pages, a 32 MB page cache and a bounded WAL file (``journal_size_limit``).

Overwriting deleted content in the database pages is not enough while the WAL holds older images of
those pages: ``scrub_wal`` (checkpoint, then truncate the WAL to nothing) runs after a purge commits
(``core.store.store``).

Transactions: the DB-API driver's own implicit BEGIN is switched off (``isolation_level=None``) and
the ``begin`` event emits ``BEGIN IMMEDIATE`` for writers and a plain deferred ``BEGIN`` for readers.
A writer takes the write lock at the start, so two writers queue on ``busy_timeout`` instead of
failing with SQLITE_BUSY when a reader's snapshot tries to upgrade.

Pool: ``QueuePool`` (SQLAlchemy's default for a file database; ``check_same_thread`` is off). Each
connection is used by one thread at a time and returned to the pool. ``SingletonThreadPool`` would
pin a connection to every thread that ever touched the store (a thread pool makes many) and closes
connections still in use once it has more than ``pool_size``; ``NullPool`` would re-key and re-check
on every unit of work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event, exc
from sqlalchemy.pool import QueuePool

from core.errors import StoreCause, StoreUnavailable
from core.store.keys import key_pragma

BUSY_TIMEOUT_MS = 10_000
# Decrypted pages each pooled connection may keep (KiB). SQLCipher decrypts every page it reads
# (no mmap), so a cache that holds the queue and search indexes makes a repeated search ~2.5x faster
# at 60,000 cases; memory grows only as pages are read.
CACHE_KIB = 32 * 1024
# WAL pages before a commit also checkpoints into the database file (SQLite's default is 1,000).
# An initial sync commits a page of 1,000 events at a time; with the default almost every few
# commits paid a checkpoint of randomly placed pages, with 10,000 (a WAL of up to ~40 MB) a page
# that is rewritten by several commits is copied back once: ~20 % faster applying. Durability is
# unchanged: every commit still fsyncs the WAL (synchronous=FULL).
WAL_AUTOCHECKPOINT_PAGES = 10_000
# What the WAL file is cut back to when a checkpoint resets it. Without a limit the file keeps the
# size of its largest run (tens of MB after a catch-up that readers kept from checkpointing), and
# its stale frames: older images of pages. A purge truncates the WAL to zero anyway (scrub_wal).
JOURNAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024
# scrub_wal: a checkpoint waits at most this long for readers on older snapshots, then tries again,
# up to SCRUB_ATTEMPTS times; the writer that purged (the sync thread) waits that long at most.
SCRUB_BUSY_MS = 250
SCRUB_ATTEMPTS = 20
POOL_SIZE = 3
POOL_MAX_OVERFLOW = 5
SYNCHRONOUS_FULL = 2
WRITE_OPTION = "rakshak_write"


def make_engine(path: Path, key: bytes, *, dbapi: Any = sqlcipher) -> sa.Engine:
    """The pooled engine for the store at ``path``.

    ``dbapi`` exists only so bench/bench_store.py can run the identical code over stdlib ``sqlite3``
    as its unencrypted baseline (there ``PRAGMA key`` is an unknown pragma and does nothing). The
    application never passes it; ``LocalStore.open`` has no such option.
    """
    engine = sa.create_engine(
        f"sqlite:///{path}",
        module=dbapi,
        poolclass=QueuePool,
        pool_size=POOL_SIZE,
        max_overflow=POOL_MAX_OVERFLOW,
    )
    pragma_key = key_pragma(key)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(pragma_key)
            try:
                cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except dbapi.DatabaseError as e:
                cause = cause_of(e)
                raise StoreUnavailable(
                    f"cannot open the local store {path.name}: wrong key or not a Rakshak database ({e})"
                    if cause in (StoreCause.KEY, StoreCause.OTHER)
                    else f"cannot open the local store {path.name}: {e}",
                    StoreCause.KEY if cause is StoreCause.OTHER else cause,
                ) from e
            mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            cur.execute("PRAGMA synchronous = FULL")
            sync_level = cur.execute("PRAGMA synchronous").fetchone()[0]
            if str(mode).lower() != "wal" or sync_level != SYNCHRONOUS_FULL:
                raise StoreUnavailable(
                    f"the local store cannot run durably here (journal_mode={mode}, synchronous={sync_level}); "
                    "it needs WAL with synchronous=FULL",
                    StoreCause.VERSION,
                )
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA secure_delete = ON")
            cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cur.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            cur.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT_BYTES}")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def scrub_wal(dbapi_conn: Any) -> bool:
    """Checkpoint every WAL frame into the database file and truncate the WAL to zero bytes.

    Deleted content is overwritten (``secure_delete``) only in the newest image of each page; the
    WAL's older frames, and the database file's pages the WAL shadows, still hold it until a full
    checkpoint has copied the new images back and the WAL is gone. Runs outside any transaction on
    a keyed DB-API connection. A reader on an older snapshot keeps the checkpoint from finishing: it
    is retried (``SCRUB_ATTEMPTS`` x ``SCRUB_BUSY_MS``). True when the WAL is empty, False otherwise
    (the caller keeps the scrub pending).
    """
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {SCRUB_BUSY_MS}")
        try:
            for _attempt in range(SCRUB_ATTEMPTS):
                row = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                # (busy, frames in the WAL, frames checkpointed); TRUNCATE leaves (0, 0, 0)
                if row is not None and row[0] == 0 and row[1] <= 0:
                    return True
                time.sleep(SCRUB_BUSY_MS / 1000)
            return False
        finally:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        cur.close()


# SQLite primary result codes (the low byte of an extended code such as SQLITE_IOERR_SHMSIZE).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PERM = 3
SQLITE_NOTADB = 26
_CAUSE_OF_CODE = {
    SQLITE_FULL: StoreCause.DISK_FULL,
    SQLITE_IOERR: StoreCause.IO_ERROR,
    SQLITE_BUSY: StoreCause.LOCKED,
    SQLITE_LOCKED: StoreCause.LOCKED,
    SQLITE_NOTADB: StoreCause.KEY,
    SQLITE_CORRUPT: StoreCause.CORRUPT,
    SQLITE_CANTOPEN: StoreCause.ACCESS,
    SQLITE_PERM: StoreCause.ACCESS,
    SQLITE_READONLY: StoreCause.ACCESS,
}


def sqlite_code(error: BaseException) -> int | None:
    """The SQLite (extended) result code carried by a driver error or SQLAlchemy's wrapper of one."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def cause_of(error: BaseException) -> StoreCause:
    """The ``StoreCause`` of a driver error, from its SQLite result code (not its English text)."""
    if isinstance(error, StoreUnavailable):
        return error.cause
    code = sqlite_code(error)
    if code is None:
        return StoreCause.OTHER
    return _CAUSE_OF_CODE.get(code & 0xFF, StoreCause.OTHER)


def translate(error: BaseException) -> BaseException:
    """Map what the environment caused (I/O, disk full, lock, corruption) to StoreUnavailable with
    its ``StoreCause``.

    Integrity and programming errors are bugs and pass through unchanged.
    """
    if isinstance(error, StoreUnavailable):
        return error
    if isinstance(error, exc.DBAPIError) and isinstance(error.orig, StoreUnavailable):
        return error.orig
    if isinstance(error, exc.IntegrityError | exc.ProgrammingError | exc.InterfaceError):
        return error
    if isinstance(error, exc.OperationalError | exc.DatabaseError):
        orig = getattr(error, "orig", None) or error
        return StoreUnavailable(f"the local store failed: {orig}", cause_of(error))
    if isinstance(error, sqlcipher.OperationalError | sqlcipher.DatabaseError) and not isinstance(
        error, sqlcipher.IntegrityError | sqlcipher.ProgrammingError
    ):
        return StoreUnavailable(f"the local store failed: {error}", cause_of(error))
    return error
