"""The machinery of the operations layer: the worker pools and the ops that run on them.

Every database or network call a widget needs runs off the GUI thread through these, called by the
named operations next to this module (``ui.operations.cases``, ``.drafts``, ``.console``, ...).

Modelled on Anki's ``aqt/operations`` and ``aqt/taskman``:

* **One DB worker.** ``TaskManager.run_db`` queues work on a single thread, so writes from the UI are
  serialised (SQLite has one writer anyway) and reads see every write queued before them.
* **Readers beside the writer.** ``QueryOp(..., pool="read")`` runs a read on a small reader pool
  (SQLite in WAL mode lets readers run while the writer commits): queue pages, the case detail, the
  alarm query. ``pool="bulk"`` is one more reader thread for scans that take seconds at 100,000 cases
  (exact counts, the station list, the overdue sweep), so they delay neither an acknowledgement on the
  DB worker nor the page a filter is waiting for. A read issued after a write's callback sees that write.
* **A network pool.** ``TaskManager.run_net`` runs HTTP calls (login, unlock verification, "sync now")
  on a small pool so a slow HQ never delays a database read.
* **Results on the GUI thread.** The work function runs on a worker thread and must never touch a
  widget; ``success``/``failure`` callbacks always run on the GUI thread, via a queued Qt signal.
* **Stale results are dropped.** A ``QueryOp`` started with a ``stamp`` key supersedes every earlier
  op with the same key: when an older op finishes late, its result is discarded instead of painted
  over a newer one (git-cola's generation stamps). Use it for "load the selected case" and queue pages.
* **Changes are announced.** A successful ``CollectionOp`` emits ``TaskManager.cases_changed`` with the
  case ids it touched, so views refresh only what changed (and the alarm re-queries).

Errors are sorted by cause: ``CommandRefused``/``InvalidEvent`` are the operator's to fix
and reach the ``failure`` callback for the form to show; ``StoreUnavailable`` is the environment's and,
when no failure callback is given, goes to ``TaskManager.environment_error`` as one translated
sentence chosen by its ``StoreCause`` (``store_error_text``); anything else is a bug and goes to
``TaskManager.bug`` with a traceback.

Operator actions go through ``ui.operations.record.record_event``: a commit whose outcome the disk
left unknown is settled by the event's id before the operator is told anything.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from core.errors import CommandRefused, InvalidEvent, OutcomeUnknown, StoreCause, StoreUnavailable

if TYPE_CHECKING:
    from core.store import LocalStore, UnitOfWork

log = logging.getLogger(__name__)

T = TypeVar("T")

NET_POOL_SIZE = 4
READ_POOL_SIZE = 2  # interactive reads: a page and the detail/alarm can run side by side
BULK_POOL_SIZE = 1  # long scans queue behind each other, never in front of interactive reads
BULK_NICE = 10
# A worker may hold at most this many queued DB ops before the UI is told it is falling behind.
DB_QUEUE_WARN = 200

USER_ERRORS = (CommandRefused, InvalidEvent)


def _lower_thread_priority() -> None:
    """Long scans yield the CPU to interactive reads and the GUI (Linux: per-thread nice; elsewhere no-op)."""
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BULK_NICE)
        except OSError:
            pass


class Superseded(Exception):
    """A stamped read that a newer one replaced before it started; never delivered."""


@dataclass
class _Delivery:
    callback: Callable[[], None]


class TaskManager(QObject):
    """Owns the DB worker thread and the network pool. Create one per application, on the GUI thread."""

    cases_changed = Signal(object)  # frozenset[str] of case ids, or None for "anything may have changed"
    environment_error = Signal(str)  # StoreUnavailable and OSError: show with a way forward
    bug = Signal(str)  # unexpected exception: traceback text for a report
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rakshak-db")
        self._read = ThreadPoolExecutor(max_workers=READ_POOL_SIZE, thread_name_prefix="rakshak-read")
        self._bulk = ThreadPoolExecutor(
            max_workers=BULK_POOL_SIZE, thread_name_prefix="rakshak-bulk", initializer=_lower_thread_priority
        )
        self._net = ThreadPoolExecutor(max_workers=NET_POOL_SIZE, thread_name_prefix="rakshak-net")
        self._generations: dict[str, int] = {}
        self._gen_lock = threading.Lock()
        self._pending = 0
        self._closed = False
        self._deliver.connect(self._on_deliver)

    # ---- generation stamps -------------------------------------------------------------------------
    def next_generation(self, key: str) -> int:
        with self._gen_lock:
            gen = self._generations.get(key, 0) + 1
            self._generations[key] = gen
            return gen

    def is_current(self, key: str, gen: int) -> bool:
        with self._gen_lock:
            return self._generations.get(key, 0) == gen

    # ---- running work ------------------------------------------------------------------------------
    def run_db(self, fn: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
        """Run ``fn`` on the DB worker; ``done(future)`` runs on the GUI thread."""
        self._submit(self._db, fn, done)

    def run_read(self, fn: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
        """Run a read-only ``fn`` on the reader pool; ``done(future)`` runs on the GUI thread."""
        self._submit(self._read, fn, done)

    def run_bulk(self, fn: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
        """Run a long read-only scan on the bulk reader; ``done(future)`` runs on the GUI thread."""
        self._submit(self._bulk, fn, done)

    def run_net(self, fn: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
        """Run ``fn`` on the network pool; ``done(future)`` runs on the GUI thread."""
        self._submit(self._net, fn, done)

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[[], T], done: Callable[[Future[T]], None]) -> None:
        if self._closed:
            log.warning("operation submitted after shutdown: dropped")
            return
        self._pending += 1
        future = pool.submit(fn)

        def finished(fut: Future[T]) -> None:
            # Worker thread: only emit; the signal is queued to the GUI thread.
            self._deliver.emit(_Delivery(lambda: done(fut)))

        future.add_done_callback(finished)

    @Slot(object)
    def _on_deliver(self, delivery: _Delivery) -> None:
        self._pending -= 1
        try:
            delivery.callback()
        except Exception:
            text = traceback.format_exc()
            log.error("operation callback failed:\n%s", text)
            self.bug.emit(text)

    @property
    def pending(self) -> int:
        """Operations submitted whose callback has not run yet (for tests and the shutdown wait)."""
        return self._pending

    def run_db_blocking(self, fn: Callable[[], T], timeout_s: float = 30.0) -> T:
        """Run on the DB worker and wait. Only for start-up and shutdown, never from an event handler."""
        return self._db.submit(fn).result(timeout=timeout_s)

    def run_net_blocking(self, fn: Callable[[], T], timeout_s: float = 60.0) -> T:
        """Run on the network pool and wait. Only at start-up, before any window exists."""
        return self._net.submit(fn).result(timeout=timeout_s)

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Finish queued DB work (drafts must reach the disk), then stop the threads."""
        self._closed = True
        done = threading.Event()
        self._db.submit(done.set)
        done.wait(timeout_s)
        self._db.shutdown(wait=True, cancel_futures=False)
        self._read.shutdown(wait=True, cancel_futures=True)
        self._bulk.shutdown(wait=True, cancel_futures=True)
        self._net.shutdown(wait=False, cancel_futures=True)

    def report(self, exc: BaseException) -> None:
        """Route an exception nobody handled to the right signal by its cause."""
        if isinstance(exc, StoreUnavailable):
            self.environment_error.emit(f"{store_error_text(exc)}\n({exc})")
        elif isinstance(exc, OSError):
            self.environment_error.emit(str(exc))
        else:
            text = "".join(traceback.format_exception(exc))
            log.error("unexpected error in an operation:\n%s", text)
            self.bug.emit(text)


@dataclass
class _Op(Generic[T]):
    fn: Callable[[], T]
    success: Callable[[T], None] | None = None
    failure: Callable[[BaseException], None] | None = None
    stamp: str | None = None
    _gen: int = field(default=0, init=False)

    def _finish(self, taskman: TaskManager, fut: Future[T]) -> bool:
        """Deliver the result; returns True if delivered (not stale, not failed)."""
        if self.stamp is not None and not taskman.is_current(self.stamp, self._gen):
            return False
        exc = fut.exception()
        if exc is not None:
            if self.failure is not None:
                self.failure(exc)
            else:
                taskman.report(exc)
            return False
        if self.success is not None:
            self.success(fut.result())
        return True


@dataclass
class QueryOp(_Op[T]):
    """A read (or a network call): ``fn`` runs off the GUI thread; ``success`` gets its result on it.

    ``pool``: "db" (the DB worker, in order with writes: drafts, anything that writes), "read" (the
    reader pool: pure reads), "bulk" (the reader for long scans) or "net" (HTTP). With ``stamp`` set,
    only the newest op with that key delivers; older ones are skipped if they have not started,
    dropped if they finish late.
    """

    network: bool = False
    pool: str = "db"

    def run(self, taskman: TaskManager) -> None:
        fn = self.fn
        if self.stamp is not None:
            self._gen = taskman.next_generation(self.stamp)
            key, gen, work = self.stamp, self._gen, self.fn

            def fn() -> T:
                # Superseded while it waited in the queue: skip the work (its result would be dropped).
                if not taskman.is_current(key, gen):
                    raise Superseded(key)
                return work()

        pool = "net" if self.network else self.pool
        runner = {"db": taskman.run_db, "read": taskman.run_read, "bulk": taskman.run_bulk, "net": taskman.run_net}[
            pool
        ]

        def done(fut: Future[T]) -> None:
            self._finish(taskman, fut)

        runner(fn, done)


@dataclass
class CollectionOp(_Op[T]):
    """A write on the DB worker. On success, ``cases_changed`` is emitted with ``changes``.

    ``changes`` may be a set of case ids, or a function of the result that returns them.
    """

    changes: Iterable[str] | Callable[[T], Iterable[str]] | None = None

    def run(self, taskman: TaskManager) -> None:
        if self.stamp is not None:
            self._gen = taskman.next_generation(self.stamp)

        def done(fut: Future[T]) -> None:
            # A write that happened is announced even if its caller has moved on (stale stamp).
            if not self._finish(taskman, fut) and fut.exception() is not None:
                return
            if callable(self.changes):
                changed: Any = frozenset(self.changes(fut.result()))
            elif self.changes is not None:
                changed = frozenset(self.changes)
            else:
                changed = None
            taskman.cases_changed.emit(changed)

        taskman.run_db(self.fn, done)


def store_error_text(exc: StoreUnavailable) -> str:
    """One sentence for the operator, in the UI language, from the error's cause (never its English
    text, which stays for the IT cell). Callable from the GUI thread only (translation)."""
    if isinstance(exc, OutcomeUnknown):
        return QCoreApplication.translate(
            "StoreError",
            "It is not known whether this was saved: the disk failed while saving. What you entered is "
            "kept. Free space on the disk or call the IT cell, then submit again: Rakshak checks first "
            "and never saves it twice.",
        )
    cause = exc.cause
    if cause is StoreCause.DISK_FULL:
        return QCoreApplication.translate(
            "StoreError", "The disk is full: nothing new can be saved. Free space or call the IT cell."
        )
    if cause is StoreCause.IO_ERROR:
        return QCoreApplication.translate(
            "StoreError",
            "The disk could not be written (it may be full or failing): nothing new can be saved. "
            "Free space or call the IT cell.",
        )
    if cause is StoreCause.LOCKED:
        return QCoreApplication.translate(
            "StoreError", "The local store is busy or held by another Rakshak program; try again in a moment."
        )
    if cause is StoreCause.KEY:
        return QCoreApplication.translate(
            "StoreError", "The local store cannot be opened with this workstation's key. Call the IT cell."
        )
    if cause is StoreCause.KEYRING:
        return QCoreApplication.translate(
            "StoreError", "This workstation has no keyring for the store's key. Call the IT cell."
        )
    if cause is StoreCause.CORRUPT:
        return QCoreApplication.translate(
            "StoreError", "The local store is damaged. Call the IT cell and delete nothing."
        )
    if cause is StoreCause.ACCESS:
        return QCoreApplication.translate(
            "StoreError", "The data folder cannot be opened or written (permissions). Call the IT cell."
        )
    if cause is StoreCause.VERSION:
        return QCoreApplication.translate(
            "StoreError", "This local store needs another Rakshak version or set-up. Call the IT cell."
        )
    return QCoreApplication.translate("StoreError", "The local store failed. Call the IT cell.")


def reading(store: LocalStore, body: Callable[[UnitOfWork], T]) -> Callable[[], T]:
    """A worker function that runs ``body`` in a reader (read-only unit of work) the layer opens."""

    def fn() -> T:
        with store.reader() as uow:
            return body(uow)

    return fn


def writing(store: LocalStore, body: Callable[[UnitOfWork], T]) -> Callable[[], T]:
    """A worker function that runs ``body`` in a unit of work the layer opens and commits (DB worker).

    ``body`` never commits; anything it raises rolls the whole unit back.
    """

    def fn() -> T:
        with store.unit_of_work() as uow:
            result = body(uow)
            uow.commit()
        return result

    return fn


def is_user_error(exc: BaseException) -> bool:
    return isinstance(exc, USER_ERRORS)


def alive(obj: Any) -> bool:
    """False once Qt has deleted the C++ side of a widget (a form closed before its op finished)."""
    return bool(shiboken6.isValid(obj))
