"""The engine's narrow view of the local store (core/store/): exactly what sync needs, in one place.

This is the only module of ``sync`` that touches the store's API (docs/STORE_API.md), so the
engine's invariants are stated against ``SyncTx``:

* a pulled page and its cursor are written by one ``SyncTx`` and one ``commit()``;
* nothing is written unless ``commit()`` is called (the store's unit of work rolls back on exit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Generic, TypeVar, cast

from core.events import Event
from core.store import LocalStore, UnitOfWork
from sync.status import reportable_skew

T = TypeVar("T")

REJECTED_LIST_MAX = 1000
WRITER_YIELD_MAX_S = 2.0  # background sync work waits at most this long for an operator's open write


class _Meta(Generic[T]):
    """A ``SyncTx`` attribute read and written through the unit of work's ``meta`` (``SyncMeta``)."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, tx: SyncTx, owner: type | None = None) -> T:
        return cast(T, getattr(tx.uow.meta, self.name))

    def __set__(self, tx: SyncTx, value: T) -> None:
        setattr(tx.uow.meta, self.name, value)


class SyncTx:
    """One unit of work on the store, seen through the operations sync needs."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow

    # -- outbox ------------------------------------------------------------------------------------

    def pending(self, limit: int) -> list[Event]:
        return list(self.uow.outbox.pending(limit=limit))

    def counts(self) -> tuple[int, int]:
        pending, rejected = self.uow.outbox.counts()
        return int(pending), int(rejected)

    def rejected(self) -> list[tuple[str, str]]:
        rows = self.uow.outbox.rejected()[:REJECTED_LIST_MAX]
        return [(s.event.id, s.reject_reason or "") for s in rows]

    def mark_accepted(self, event_id: str, hq_seq: int) -> None:
        self.uow.outbox.mark_accepted(event_id, hq_seq)

    def mark_accepted_many(self, accepted: list[tuple[str, int]]) -> set[str]:
        return self.uow.outbox.mark_accepted_many(accepted)

    def mark_rejected(self, event_id: str, reason: str, code: str | None) -> None:
        self.uow.outbox.mark_rejected(event_id, reason, code or "rejected")

    def mark_held(self, event_id: str, note: str) -> None:
        self.uow.outbox.mark_held(event_id, note)

    def release_held(self, event_id: str) -> None:
        self.uow.outbox.release_held(event_id)

    def held_ids(self) -> list[str]:
        return self.uow.outbox.held_ids()

    def held_count(self) -> int:
        return int(self.uow.outbox.held_count())

    def held(self) -> list[tuple[str, str]]:
        rows = self.uow.outbox.held()[:REJECTED_LIST_MAX]
        return [(s.event.id, s.reject_reason or "") for s in rows]

    def requeue_own(self, device_id: str) -> int:
        return int(self.uow.outbox.requeue_own(device_id))

    # -- feed --------------------------------------------------------------------------------------

    def apply_remote(self, events: Iterable[Event]) -> set[str]:
        """Apply HQ's events; returns the ids of the cases they touched.

        Only for events of a pulled page: ``sync.wire.parse_pull`` built each with ``Event.from_wire``,
        which validates fully, so the store is told not to validate them again.
        """
        return {str(c) for c in self.uow.events.apply_remote(list(events), validated=True)}

    def purge(self, case_id: str) -> None:
        self.uow.cases.purge(case_id)

    def hlc_last(self) -> str | None:
        return self.uow.meta.hlc_last()

    # -- meta (same transaction as the data it describes) -------------------------------------------

    cursor: _Meta[int] = _Meta("cursor")  # HQ's pull cursor; written with the page it follows
    epoch: _Meta[str | None] = _Meta("epoch")
    last_sync_at: _Meta[str | None] = _Meta("last_sync_at")

    @property
    def clock_skew_s(self) -> float | None:
        try:
            return self.uow.meta.clock_skew_s
        except ValueError:  # a value this version cannot read: treat as unknown, never crash sync
            return None

    def record_skew(self, server_time: datetime, local_wall: float) -> None:
        """HQ's clock minus ours (``local_wall``: our wall clock when HQ's ``server_time`` was read);
        stored only when it changes what is reported."""
        skew = reportable_skew(server_time.timestamp() - local_wall)
        if skew != self.clock_skew_s:
            self.uow.meta.clock_skew_s = skew

    def commit(self) -> None:
        self.uow.commit()


class Replica:
    """Opens ``SyncTx`` units of work on a ``core.store.LocalStore``. Thread-safe like the store."""

    def __init__(self, store: LocalStore):
        self.store = store

    @contextlib.contextmanager
    def tx(self, *, background: bool = False) -> Iterator[SyncTx]:
        """A writing unit of work; rolls back unless ``commit()`` is called. ``background=True`` for
        long work that yields to the operator's writes (it checks ``writers_waiting`` between pages)."""
        with self.store.unit_of_work(background=background) as uow:
            yield SyncTx(uow)

    def writers_waiting(self) -> bool:
        """An operator's write (or a draft) has a unit of work open and wants the write lock."""
        return self.store.writers.waiting()

    def wait_for_writers(self, timeout_s: float) -> None:
        self.store.writers.wait_idle(timeout_s)

    @contextlib.contextmanager
    def read(self) -> Iterator[SyncTx]:
        """A read-only snapshot (never blocks the writer)."""
        with self.store.reader() as uow:
            yield SyncTx(uow)
