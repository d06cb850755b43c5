"""The local encrypted replica: ``LocalStore`` (one per data folder) and its ``UnitOfWork``.

    store = LocalStore.open(path, StoreKey.load_or_create())
    with store.unit_of_work() as uow:          # a writer: BEGIN IMMEDIATE
        uow.events.append_local(event)
        uow.commit()                           # nothing is kept unless committed
    with store.reader() as r:                  # a consistent read snapshot, refuses writes
        rows, total = r.cases.queue(flt, 500), r.cases.count(flt)

Every write that touches a case marks it; before the commit (and before any projection read in
the same unit of work) each marked case is refolded from its stored events and its ``cases`` row
rewritten, in the same transaction. So a crash can never leave an event without its projection.

Threading: ``LocalStore`` is safe to share between threads; a ``UnitOfWork`` is used by one thread only
(the DB worker, never the GUI thread). Errors the environment causes (disk full, I/O, wrong key,
locked file) surface as ``StoreUnavailable``; integrity and programming errors are bugs and pass.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import sqlalchemy as sa

from core.errors import StoreUnavailable
from core.events import Event
from core.fold import CaseState, fold
from core.store import schema as t
from core.store.engine import WRITE_OPTION, make_engine, translate
from core.store.keys import StoreKey, check_key
from core.store.migrate import HEAD_REVISION, current_revision, upgrade
from core.store.projection import PROJECTION_VERSION, projection_values
from core.store.repositories import (
    IN_CHUNK,
    META_DEVICE_ID,
    META_PROJECTION_VERSION,
    CaseRepository,
    Drafts,
    EventRepository,
    Outbox,
    SyncMeta,
    event_from_row,
)
from core.store.schema import SyncState

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")

# Statements on the hot path, built once (SQLAlchemy then only looks up their compiled form).
_EVENTS_OF_CASES = (
    sa.select(t.events)
    .where(t.events.c.case_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(t.events.c.case_id, t.events.c.hlc, t.events.c.id)
)
# Projection rows as positional tuples in ``t.cases`` column order (``projection_values``).
_CASE_COLUMNS = ", ".join(c.name for c in t.cases.c)
_CASE_PARAMS = ", ".join("?" for _ in t.cases.c)
_UPSERT_CASE_ROW = f"INSERT OR REPLACE INTO cases ({_CASE_COLUMNS}) VALUES ({_CASE_PARAMS})"  # noqa: S608
_INSERT_CASE_ROW = f"INSERT INTO cases ({_CASE_COLUMNS}) VALUES ({_CASE_PARAMS})"  # noqa: S608
_PURGED_AMONG = sa.select(t.cases.c.case_id).where(
    t.cases.c.case_id.in_(sa.bindparam("ids", expanding=True)), t.cases.c.purged == 1
)
_DELETE_EVENT = sa.delete(t.events).where(t.events.c.id == sa.bindparam("id"))
_DELETE_UNPURGED_CASE = sa.delete(t.cases).where(t.cases.c.case_id == sa.bindparam("cid"), t.cases.c.purged == 0)
_UPDATE_TOMBSTONE_COUNTS = (
    sa.update(t.cases)
    .where(t.cases.c.case_id == sa.bindparam("cid"))
    .values(pending_count=sa.bindparam("pending"), rejected_count=sa.bindparam("rejected"))
)
STORE_FILE_NAME = "rakshak.db"


LOCK_FILE_NAME = "rakshak.lock"


@contextlib.contextmanager
def _data_dir_lock(data_dir: Path) -> Iterator[None]:
    """An exclusive OS lock on ``data_dir/rakshak.lock`` (released by the OS if the process dies)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(data_dir / LOCK_FILE_NAME, "a+b")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the data folder {data_dir}: {exc}") from exc
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except OSError as exc:
            raise StoreUnavailable(f"another Rakshak process holds {data_dir / LOCK_FILE_NAME}: {exc}") from exc
        yield
    finally:
        fh.close()  # closing the file releases the lock


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


class UnitOfWork:
    """One transaction on one pooled connection. Rolls back on exit unless ``commit()`` was called."""

    def __init__(self, engine: sa.Engine, *, write: bool, gate: WriterGate | None = None, background: bool = False):
        self._engine = engine
        self.write = write
        self._gate = gate
        self._background = background
        self._conn: sa.Connection | None = None
        self._dirty: set[str] = set()
        self._fresh: dict[str, list[Event]] = {}  # dirty cases whose whole log is this list (not yet read back)
        self._next_seq: int | None = None
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
        self._dirty.clear()
        self._fresh.clear()
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
        """Refold every touched case, then commit. The unit of work may be used again afterwards."""
        self.require_write()
        try:
            self.flush()
            self.connection.commit()
        except Exception as exc:
            _reraise(exc)
        finally:
            self._next_seq = None

    def rollback(self) -> None:
        self._dirty.clear()
        self._fresh.clear()
        self._next_seq = None
        self.connection.rollback()

    def require_write(self) -> None:
        if not self.write:
            raise RuntimeError("this unit of work is a reader; use LocalStore.unit_of_work() to write")

    # -- projection bookkeeping (used by the repositories) -----------------------------------------

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

    def mark_dirty(self, case_id: str) -> None:
        self._dirty.add(case_id)
        self._fresh.pop(case_id, None)

    def mark_fresh(self, case_id: str, events: list[Event]) -> None:
        """The case's whole stored log is ``events`` (just inserted, all accepted) and it has no
        projection row: it is folded from them at flush, without reading them back. Any later write
        to the case in this unit of work calls ``mark_dirty``, which makes it an ordinary refold."""
        self._dirty.add(case_id)
        self._fresh[case_id] = events

    def discard_dirty(self, case_id: str) -> None:
        self._dirty.discard(case_id)
        self._fresh.pop(case_id, None)

    def flush(self) -> None:
        """Refold the cases written in this unit of work, so reads see them."""
        if not self._dirty:
            return
        fresh, self._fresh = self._fresh, {}
        case_ids = sorted(self._dirty - fresh.keys())
        self._dirty.clear()
        for i in range(0, len(case_ids), IN_CHUNK):
            self.refold_many(case_ids[i : i + IN_CHUNK])
        rows = []
        for case_id, events in fresh.items():
            state = fold(case_id, events)
            if state.exists:
                rows.append(projection_values(state, 0, 0))
        if rows:
            self.connection.exec_driver_sql(_INSERT_CASE_ROW, rows)

    def refold(self, case_id: str) -> CaseState:
        return self.refold_many([case_id])[case_id]

    def refold_many(self, case_ids: list[str]) -> dict[str, CaseState]:
        """Fold each case from its stored events and rewrite its projection row: one read of the
        events and one batched write for all the cases given.

        A purged (revoked) case stays a tombstone here, whatever its events: only HQ re-delivering
        its created event revives it (``EventRepository.apply_remote``). Of a tombstone's events only
        this device's pending ones are kept, for the outbox; any other (a late event from HQ, or one
        of ours that HQ has now settled) is deleted as it is folded.
        """
        conn = self.connection
        grouped: dict[str, list[Any]] = {c: [] for c in case_ids}
        for row in conn.execute(_EVENTS_OF_CASES, {"ids": case_ids}):
            grouped[row.case_id].append(row)
        tombstones = set(conn.execute(_PURGED_AMONG, {"ids": case_ids}).scalars())
        states: dict[str, CaseState] = {}
        upserts: list[tuple[Any, ...]] = []
        gone: list[dict[str, Any]] = []
        settled_of_tombstones: list[dict[str, Any]] = []
        for case_id, rows in grouped.items():
            pending = sum(1 for r in rows if r.sync_state == SyncState.PENDING)
            rejected = sum(1 for r in rows if r.sync_state == SyncState.REJECTED)
            if case_id in tombstones:
                settled_of_tombstones += [{"id": r.id} for r in rows if r.sync_state != SyncState.PENDING]
                gone.append({"cid": case_id, "pending": pending, "rejected": 0})
                states[case_id] = CaseState(case_id=case_id)
                continue
            state = fold(case_id, [event_from_row(r) for r in rows if r.sync_state != SyncState.REJECTED])
            states[case_id] = state
            if state.exists:
                upserts.append(projection_values(state, pending, rejected))
            else:
                gone.append({"cid": case_id, "pending": pending, "rejected": rejected})
        if upserts:
            conn.exec_driver_sql(_UPSERT_CASE_ROW, upserts)
        if settled_of_tombstones:
            conn.execute(_DELETE_EVENT, settled_of_tombstones)
        if gone:
            # no created event (yet), or a tombstone: no row, or the tombstone with its counts
            conn.execute(_DELETE_UNPURGED_CASE, gone)
            conn.execute(_UPDATE_TOMBSTONE_COUNTS, gone)
        return states

    def refresh_counts(self, case_ids: list[str]) -> None:
        """Recompute pending/rejected counts only (sync state changed, content did not)."""
        e = t.events

        def count(state: SyncState) -> sa.ScalarSelect[Any]:
            return (
                sa.select(sa.func.count())
                .where(e.c.case_id == t.cases.c.case_id, e.c.sync_state == state.value)
                .scalar_subquery()
            )

        for i in range(0, len(case_ids), IN_CHUNK):
            self.connection.execute(
                sa.update(t.cases)
                .where(t.cases.c.case_id.in_(case_ids[i : i + IN_CHUNK]), t.cases.c.purged == 0)
                .values(pending_count=count(SyncState.PENDING), rejected_count=count(SyncState.REJECTED))
            )


class LocalStore:
    """The encrypted local replica in one SQLCipher file. Open once per process; share between threads."""

    def __init__(self, engine: sa.Engine, path: Path, device_id: str):
        self._engine = engine
        self.path = path
        self.device_id = device_id
        self.writers = WriterGate()

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
                raise StoreUnavailable(f"there is no local store at {path}")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"cannot create the folder for the local store: {exc}") from exc
        engine = make_engine(path, key) if dbapi is None else make_engine(path, key, dbapi=dbapi)
        try:
            with engine.connect() as conn:
                revision = current_revision(conn)
                values: dict[str, str] = {}
                if revision is not None:
                    values = dict(conn.execute(sa.select(t.meta.c.key, t.meta.c.value)).tuples().all())
                conn.rollback()
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise StoreUnavailable(
                    f"the local store was written by a newer Rakshak (schema {revision}); install that version"
                )
            if revision != HEAD_REVISION:
                upgrade(engine)
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
        return cls(engine, path, device_id)

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
                        f"(service 'rakshak', profile {profile!r}); it cannot be read"
                    )
                key = StoreKey.load_or_create(profile)
            return cls.open(path, key)

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        """A writer (takes the write lock at its first statement). Roll back unless committed.

        An interactive writer (the default) is counted in ``writers`` while it is open, so long
        background work yields the write lock to it; ``background=True`` is for that background work
        (the sync catch-up, push replies), which checks ``writers.waiting()`` between its steps. An
        interactive writer first waits (bounded) for the background units open on other threads to
        end, woken as they end (``WriterGate``), rather than polling SQLite's lock.
        """
        return UnitOfWork(self._engine, write=True, gate=self.writers, background=background)

    def reader(self) -> UnitOfWork:
        """A read-only snapshot (deferred BEGIN, never blocks the writer); writing through it raises."""
        return UnitOfWork(self._engine, write=False)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
