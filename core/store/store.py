"""The local encrypted replica: ``LocalStore`` (one per data folder) and its ``UnitOfWork``.

Kept in one file because the store, its unit of work, the writer gate and the purge scrub are one
protocol around SQLite's single write lock: who may begin a write, when a commit scrubs the WAL, and
what a failed commit means are decided together here.

    store = LocalStore.open(path, StoreKey.load_or_create())
    with store.unit_of_work() as uow:          # a writer: BEGIN IMMEDIATE
        uow.events.append_local(event)
        uow.commit()                           # nothing is kept unless committed
    with store.reader() as r:                  # a consistent read snapshot, refuses writes
        rows, total = r.cases.queue(flt, 500), r.cases.count(flt)

Every write that touches a case marks it in the unit of work's ``Projector``
(``core.store.projector``); before the commit (and before any projection read in the same unit of
work) the projector rewrites each marked case's ``cases`` row from its fold, in the same transaction.
So a crash can never leave an event without its projection.

Threading: ``LocalStore`` is safe to share between threads; a ``UnitOfWork`` is used by one thread only
(the DB worker, never the GUI thread). Errors the environment causes (disk full, I/O, wrong key,
locked file) surface as ``StoreUnavailable`` with a ``StoreCause``; integrity and programming errors
are bugs and pass. A disk failure during COMMIT itself is ``OutcomeUnknown``: the caller settles it
with ``LocalStore.commit_outcome(event_id)`` before telling anyone "not saved".
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import sqlalchemy as sa

from core.errors import OutcomeUnknown, StoreCause, StoreUnavailable
from core.store import fresh
from core.store import schema as t
from core.store.engine import WRITE_OPTION, make_engine, scrub_wal, translate
from core.store.keys import StoreKey, check_key
from core.store.migrate import HEAD_REVISION, current_revision, upgrade
from core.store.projection import PROJECTION_VERSION
from core.store.projector import Projector
from core.store.repositories import (
    META_DEVICE_ID,
    META_PROJECTION_VERSION,
    META_SCRUB_PENDING,
    CaseRepository,
    Drafts,
    EventRepository,
    Outbox,
    SyncMeta,
)

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0011", "0012")

STORE_FILE_NAME = "rakshak.db"
# Free space, beyond the WAL's own size, that ``commit_outcome`` asks for before it checkpoints: a
# checkpoint on a disk that fills under it stops half-way, and is never started on purpose there.
CHECKPOINT_SPARE_BYTES = 1 << 20


LOCK_FILE_NAME = "rakshak.lock"

# The store's files and its folder are the user's alone (POSIX): encrypted, but their size, times and
# pages are nobody else's business on a shared workstation. SQLite gives the -wal and -shm files the
# database file's own permissions, so a database file made 0600 keeps its companions 0600.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def _make_private(path: Path) -> None:
    """Create ``path`` empty with owner-only permissions (SQLite then writes a new database into it),
    or, when it exists, take group and other permissions away from it and its -wal/-shm files."""
    if os.name != "posix":
        return
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
            return
        except FileExistsError:  # another opener made it meanwhile: tighten it as any existing one
            pass
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        # best effort: a store we may read but not chmod (another owner, a read-only mount) still opens
        with contextlib.suppress(OSError):
            mode = p.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(p, mode & 0o700)


@contextlib.contextmanager
def _data_dir_lock(data_dir: Path) -> Iterator[None]:
    """An exclusive OS lock on ``data_dir/rakshak.lock`` (released by the OS if the process dies)."""
    try:
        data_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        fh = open(data_dir / LOCK_FILE_NAME, "a+b")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the data folder {data_dir}: {exc}", _cause_of_os_error(exc)) from exc
    try:
        try:
            # each lock module exists on its own platform only
            if sys.platform == "win32":
                import msvcrt  # Windows only: imported where the platform is known

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError
            else:
                import fcntl  # POSIX only

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except OSError as exc:
            raise StoreUnavailable(
                f"another Rakshak process holds {data_dir / LOCK_FILE_NAME}: {exc}", StoreCause.LOCKED
            ) from exc
        yield
    finally:
        fh.close()  # closing the file releases the lock


def _require_fts_secure_delete(engine: sa.Engine) -> None:
    """Refuse a store whose name index would keep a revoked case's words in its pages."""
    with engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT v FROM cases_fts_config WHERE k = 'secure-delete'").scalar()
        conn.rollback()
    if value != 1:
        raise StoreUnavailable(
            "the local store's search index cannot erase revoked cases here (FTS5 secure-delete needs SQLite 3.44)"
        )


def _cause_of_os_error(exc: OSError) -> StoreCause:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreCause.DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreCause.ACCESS
    return StoreCause.IO_ERROR


def _reraise(exc: Exception) -> NoReturn:
    """Raise ``exc`` as StoreUnavailable if the environment caused it, else unchanged."""
    mapped = translate(exc)
    if mapped is exc:
        raise exc
    raise mapped from exc


class WriterGate:
    """Counts the interactive writers (an operator's action, a draft) that have a unit of work open,
    and the background units of work (the sync catch-up, applying push replies) that are open.

    SQLite has one write lock and no queue: a writer that finds it taken sleeps and retries, so a
    background job that commits and at once begins again can keep an operator's acknowledgement
    waiting for many seconds. Background writers (the sync catch-up) ask ``waiting()`` between pages
    and end their unit of work, and call ``wait_idle()`` before beginning the next one.

    An interactive writer also waits here, on a condition, for the background units open when it
    arrives to end (``enter``), instead of in SQLite's busy handler: that handler polls the lock with
    growing sleeps (1, 2, 5, 10, 15, 20 ms...), so a lock released after 3 ms was taken only after 8 or
    18 ms; the condition wakes the writer as the background unit leaves. The wait is bounded
    (``INTERACTIVE_WAIT_S``; SQLite's busy timeout still applies after it) and never waits for a
    background unit of the writer's own thread.
    """

    INTERACTIVE_WAIT_S = 5.0

    def __init__(self) -> None:
        self._open = 0
        self._background: dict[int, int] = {}  # thread id -> background units it has open
        self._cond = threading.Condition()

    def enter(self) -> None:
        me = threading.get_ident()
        with self._cond:
            self._open += 1
            self._cond.wait_for(
                lambda: not any(t != me for t in self._background), timeout=self.INTERACTIVE_WAIT_S
            )

    def leave(self) -> None:
        with self._cond:
            self._open -= 1
            if self._open == 0:
                self._cond.notify_all()

    def enter_background(self) -> None:
        me = threading.get_ident()
        with self._cond:
            self._background[me] = self._background.get(me, 0) + 1

    def leave_background(self) -> None:
        me = threading.get_ident()
        with self._cond:
            left = self._background.get(me, 0) - 1
            if left > 0:
                self._background[me] = left
            else:
                self._background.pop(me, None)
                self._cond.notify_all()

    def waiting(self) -> bool:
        return self._open > 0

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until no interactive writer is open (True) or ``timeout_s`` passed (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._open == 0, timeout=timeout_s)


class PurgeScrub:
    """Makes a committed purge unreadable from the files, not only from SQL.

    ``CaseRepository.purge`` writes the ``purge.scrub_pending`` marker in its own transaction; once
    that commits, ``run`` checkpoints the WAL into the database file and truncates it to nothing
    (``engine.scrub_wal``), then clears the marker. A process killed in between leaves the marker,
    and the next ``LocalStore.open`` scrubs before anything else. If readers keep the checkpoint
    from finishing for the whole bound, the scrub stays pending here: the next background commit
    (the sync thread's, never an operator's) and ``close`` try again.
    """

    def __init__(self) -> None:
        self.pending = False
        self._lock = threading.Lock()

    def run(self, conn: sa.Connection) -> bool:
        """Scrub through ``conn`` (a unit of work's connection, outside any transaction)."""
        with self._lock:
            self.pending = True
            dbapi_conn = conn.connection.dbapi_connection
            if not scrub_wal(dbapi_conn):
                return False
            # Clearing the marker needs no fsync: if a power cut loses it, the next open scrubs
            # once more, which is harmless. (Its frame, the meta page, is all the WAL holds after.)
            dbapi_conn.execute("PRAGMA synchronous = OFF")  # type: ignore[union-attr]
            try:
                conn.execute(sa.delete(t.meta).where(t.meta.c.key == META_SCRUB_PENDING))
                conn.commit()
            finally:
                dbapi_conn.execute("PRAGMA synchronous = FULL")  # type: ignore[union-attr]
            self.pending = False
            return True


class UnitOfWork:
    """One transaction on one pooled connection. Rolls back on exit unless ``commit()`` was called."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        write: bool,
        gate: WriterGate | None = None,
        scrub: PurgeScrub | None = None,
        background: bool = False,
    ):
        self._engine = engine
        self.write = write
        self._gate = gate
        self._scrub = scrub
        self._background = background
        self.purged = False  # a purge was written in the current transaction
        self._conn: sa.Connection | None = None
        self._next_seq: int | None = None
        self.projection = Projector(lambda: self.connection)
        self.events = EventRepository(self)
        self.cases = CaseRepository(self)
        self.outbox = Outbox(self)
        self.meta = SyncMeta(self)
        self.drafts = Drafts(self)

    # -- lifecycle ------------------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        if self._gate is not None:
            if self._background:
                self._gate.enter_background()
            else:
                self._gate.enter()
        try:
            self._conn = self._engine.connect().execution_options(**{WRITE_OPTION: self.write})
        except Exception as exc:
            self._leave_gate()
            _reraise(exc)
        return self

    def _leave_gate(self) -> None:
        if self._gate is not None:
            if self._background:
                self._gate.leave_background()
            else:
                self._gate.leave()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn, self._conn = self._conn, None
        self.projection.reset()
        try:
            if conn is not None:
                try:
                    try:
                        conn.rollback()
                    finally:
                        conn.close()
                except Exception as close_exc:
                    if exc is None:
                        _reraise(close_exc)
        finally:
            if conn is not None:
                self._leave_gate()
        if exc is not None:
            mapped = translate(exc)
            if mapped is not exc:
                raise mapped from exc

    @property
    def connection(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._conn

    def commit(self) -> None:
        """Refold every touched case, then commit. The unit of work may be used again afterwards.

        Raises StoreUnavailable if nothing was stored, and ``OutcomeUnknown`` if the disk failed
        during COMMIT itself (an SQLite I/O error there may come after the transaction's last WAL
        frame is on disk: a later open would recover it). A full disk during COMMIT (SQLITE_FULL)
        means the WAL write itself failed, so the transaction is rolled back and StoreUnavailable
        is raised as for any other statement.
        """
        self.require_write()
        try:
            try:
                self.flush()
            except Exception as exc:
                _reraise(exc)
            try:
                self.connection.commit()
            except Exception as exc:
                mapped = translate(exc)
                if isinstance(mapped, StoreUnavailable) and mapped.cause is StoreCause.IO_ERROR:
                    raise OutcomeUnknown(
                        f"the disk failed while the local store committed; it is not known whether "
                        f"the change was stored ({mapped})",
                        StoreCause.IO_ERROR,
                    ) from exc
                _reraise(exc)
        finally:
            self._next_seq = None
        purged, self.purged = self.purged, False
        if self._scrub is not None and (purged or (self._scrub.pending and self._background)):
            try:
                self._scrub.run(self.connection)
            except Exception:
                # committed all the same; the marker stays, so a later commit, close or open scrubs
                self.connection.rollback()

    def rollback(self) -> None:
        self.purged = False
        self.projection.reset()
        self._next_seq = None
        self.connection.rollback()

    def require_write(self) -> None:
        if not self.write:
            raise RuntimeError("this unit of work is a reader; use LocalStore.unit_of_work() to write")

    # -- used by the repositories ----------------------------------------------------------------

    def next_local_seq(self) -> int:
        if self._next_seq is None:
            current = self.connection.execute(sa.select(sa.func.max(t.events.c.local_seq))).scalar()
            self._next_seq = int(current or 0) + 1
        seq = self._next_seq
        self._next_seq += 1
        return seq

    def forget_local_seq(self) -> None:
        """The number last handed out was not used (the insert was a duplicate): read it afresh."""
        self._next_seq = None

    def flush(self) -> None:
        """Rewrite the projection rows of the cases written in this unit of work, so reads see them."""
        self.projection.flush()


class LocalStore:
    """The encrypted local replica in one SQLCipher file. Open once per process; share between threads."""

    def __init__(self, engine: sa.Engine, path: Path, device_id: str):
        self._engine = engine
        self.path = path
        self.device_id = device_id
        self.writers = WriterGate()
        self.scrub = PurgeScrub()

    @classmethod
    def open(cls, path: Path, key: bytes, *, create: bool = True) -> LocalStore:
        """Open the store at ``path`` with a raw 32-byte key, creating it or migrating it to the
        current schema. Raises StoreUnavailable (wrong key, not durable here, newer schema, I/O)."""
        return cls._open(path, check_key(key), create=create)

    @classmethod
    def _open(cls, path: Path, key: bytes, *, create: bool, dbapi: Any = None) -> LocalStore:
        path = Path(path)
        if not path.exists():
            if not create:
                raise StoreUnavailable(f"there is no local store at {path}", StoreCause.ACCESS)
            try:
                path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot create the folder for the local store: {exc}", _cause_of_os_error(exc)
                ) from exc
        try:
            _make_private(path)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the local store at {path}: {exc}", _cause_of_os_error(exc)) from exc
        engine = make_engine(path, key) if dbapi is None else make_engine(path, key, dbapi=dbapi)
        try:
            with engine.connect() as conn:
                revision = current_revision(conn)
                values: dict[str, str] = {}
                if revision is not None:
                    values = dict(conn.execute(sa.select(t.meta.c.key, t.meta.c.value)).tuples().all())
                conn.rollback()
                scrub = PurgeScrub()
                if META_SCRUB_PENDING in values:
                    # a purge committed but its WAL was not scrubbed (the process died): first of all
                    scrub.run(conn.execution_options(**{WRITE_OPTION: True}))
                if revision is None:
                    # A new store gets its schema in one step, without Alembic (core/store/fresh.py). The
                    # check runs in the writer's transaction, so another opener cannot create it meanwhile.
                    conn = conn.execution_options(**{WRITE_OPTION: True})
                    if fresh.is_empty(conn):
                        fresh.create(conn)
                        conn.commit()
                        revision = fresh.REVISION
                    else:
                        conn.rollback()
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise StoreUnavailable(
                    f"the local store was written by a newer Rakshak (schema {revision}); install that version",
                    StoreCause.VERSION,
                )
            if revision != HEAD_REVISION:
                upgrade(engine)
            if dbapi is None:
                _require_fts_secure_delete(engine)
            device_id = values.get(META_DEVICE_ID)
            if device_id is None or values.get(META_PROJECTION_VERSION) != str(PROJECTION_VERSION):
                with UnitOfWork(engine, write=True) as uow:
                    device_id = uow.meta.ensure_device_id()
                    if values.get(META_PROJECTION_VERSION) != str(PROJECTION_VERSION):
                        uow.cases.rebuild_all()
                        uow.meta.set(META_PROJECTION_VERSION, str(PROJECTION_VERSION))
                    uow.commit()
        except BaseException as exc:
            engine.dispose()
            mapped = translate(exc)
            if mapped is not exc:
                raise mapped from exc
            raise
        store = cls(engine, path, device_id)
        store.scrub = scrub  # still pending if readers held the WAL for the whole bound
        return store

    @classmethod
    def open_in(cls, data_dir: Path, *, profile: str = "default") -> LocalStore:
        """Open the store in ``data_dir`` with its key from the OS keyring (made on first use).

        If the store file exists but the keyring has no key for it, this refuses (a new key could
        never read it) instead of silently starting an empty store. A lock file in ``data_dir``
        serialises key creation and the first open, so two processes starting for the first time
        together (the GUI and the sync CLI) cannot each make a key and lock the other out.
        """
        path = Path(data_dir) / STORE_FILE_NAME
        with _data_dir_lock(Path(data_dir)):
            key = StoreKey.load(profile)
            if key is None:
                if path.exists():
                    raise StoreUnavailable(
                        f"the local store {path} exists but its key is not in this user's OS keyring "
                        f"(service 'rakshak', profile {profile!r}); it cannot be read",
                        StoreCause.KEY,
                    )
                key = StoreKey.load_or_create(profile)
            return cls.open(path, key)

    def commit_outcome(self, event_id: str) -> bool | None:
        """After ``OutcomeUnknown``: is the event stored? True, False (and never will be), or None
        (cannot tell yet: try again once there is free space or the store is idle).

        A commit that failed with an I/O error may have left its frames on disk past the end that
        the WAL index knows of. This process does not see them, but a later open (after a crash)
        would recover them; and the next write of this process would overwrite them. So "not
        visible" does not mean "not stored". A truncating checkpoint settles it: it copies what the
        WAL index knows into the database file and empties the WAL, so the unknown frames are gone
        for good, and the answer read after it is final. If the checkpoint cannot finish (the disk
        is still full, a reader stays past the busy timeout), the answer is None. It is not even
        started unless the data folder has the WAL's size plus ``CHECKPOINT_SPARE_BYTES`` free.

        Runs on the DB worker (it may wait up to the busy timeout for readers); never the GUI thread.
        """
        try:
            if self._stored(event_id):
                return True
            wal = Path(f"{self.path}-wal")
            wal_bytes = wal.stat().st_size if wal.exists() else 0
            if shutil.disk_usage(self.path.parent).free < wal_bytes + CHECKPOINT_SPARE_BYTES:
                return None  # a checkpoint may have to grow the database file by the WAL's size
            raw = self._engine.raw_connection()
            try:
                cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
                try:
                    busy, _log, _done = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                finally:
                    cur.close()
            finally:
                raw.close()
            if busy or (wal.exists() and os.path.getsize(wal) > 0):
                return None
            return self._stored(event_id)
        except Exception as exc:
            if isinstance(exc, StoreUnavailable | OSError) or translate(exc) is not exc:
                return None  # the environment still fails the store: cannot tell yet
            raise

    def _stored(self, event_id: str) -> bool:
        with self.reader() as r:
            return r.events.get(event_id) is not None

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        """A writer (takes the write lock at its first statement). Roll back unless committed.

        An interactive writer (the default) is counted in ``writers`` while it is open, so long
        background work yields the write lock to it; ``background=True`` is for that background work
        (the sync catch-up, push replies), which checks ``writers.waiting()`` between its steps. An
        interactive writer first waits (bounded) for the background units open on other threads to
        end, woken as they end (``WriterGate``), rather than polling SQLite's lock.
        """
        return UnitOfWork(self._engine, write=True, gate=self.writers, scrub=self.scrub, background=background)

    def reader(self) -> UnitOfWork:
        """A read-only snapshot (deferred BEGIN, never blocks the writer); writing through it raises."""
        return UnitOfWork(self._engine, write=False)

    def close(self) -> None:
        if self.scrub.pending:
            try:
                with self._engine.connect() as conn:
                    self.scrub.run(conn.execution_options(**{WRITE_OPTION: True}))
            except Exception:
                pass
        self._engine.dispose()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
