"""The engine's narrow view of the local store (core/store/): exactly what sync needs, in one place.

``core.store`` was written in parallel with this package against docs/STORE_API.md and its committed
names differ in places (``uow.events.pending`` instead of ``uow.outbox.pending``, ``meta.cursor()``
instead of a property). This adapter is the only module of ``sync`` that touches the store's API, so
such differences are absorbed here and the engine's invariants are stated against ``SyncTx``:

* a pulled page and its cursor are written by one ``SyncTx`` and one ``commit()``;
* nothing is written unless ``commit()`` is called (the store's unit of work rolls back on exit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from core.events import Event

META_LAST_SYNC_AT = "sync.last_sync_at"
META_CLOCK_SKEW_S = "sync.clock_skew_s"
REJECTED_LIST_MAX = 1000


class SyncTx:
    """One unit of work on the store, seen through the operations sync needs."""

    def __init__(self, uow: Any):
        self.uow = uow
        self._outbox = getattr(uow, "outbox", None) or uow.events

    # -- outbox ------------------------------------------------------------------------------------

    def pending(self, limit: int) -> list[Event]:
        return list(self._outbox.pending(limit=limit))

    def counts(self) -> tuple[int, int]:
        if hasattr(self._outbox, "counts"):
            pending, rejected = self._outbox.counts()
            return int(pending), int(rejected)
        return int(self._outbox.pending_count()), len(self._outbox.rejected(limit=REJECTED_LIST_MAX))

    def rejected(self) -> list[tuple[str, str]]:
        try:
            rows = self._outbox.rejected(limit=REJECTED_LIST_MAX)
        except TypeError:
            rows = self._outbox.rejected()
        return [(s.event.id, s.reject_reason or "") for s in rows]

    def mark_accepted(self, event_id: str, hq_seq: int) -> None:
        self._outbox.mark_accepted(event_id, hq_seq)

    def mark_rejected(self, event_id: str, reason: str, code: str | None) -> None:
        self._outbox.mark_rejected(event_id, reason, code or "rejected")

    def requeue_own(self, device_id: str) -> int:
        return int(self._outbox.requeue_own(device_id))

    # -- feed --------------------------------------------------------------------------------------

    def apply_remote(self, events: Iterable[Event]) -> set[str]:
        """Apply HQ's events; returns the ids of the cases they touched.

        Only for events of a pulled page: ``sync.wire.parse_pull`` built each with ``Event.from_wire``,
        which validates fully, so the store is told not to validate them again.
        """
        result = self.uow.events.apply_remote(list(events), validated=True)
        touched = getattr(result, "touched", None)
        if touched is None:
            touched = getattr(result, "case_ids", result)
        return {str(c) for c in touched}

    def purge(self, case_id: str) -> None:
        self.uow.cases.purge(case_id)

    def hlc_last(self) -> str | None:
        meta = self.uow.meta
        if hasattr(meta, "hlc_last"):
            value: str | None = meta.hlc_last()
            return value
        value = self.uow.events.max_hlc()
        return value

    # -- meta --------------------------------------------------------------------------------------

    def _get(self, name: str) -> Any:
        value = getattr(self.uow.meta, name)
        return value() if callable(value) else value

    @property
    def cursor(self) -> int:
        return int(self._get("cursor") or 0)

    @cursor.setter
    def cursor(self, value: int) -> None:
        meta = self.uow.meta
        if hasattr(meta, "set_cursor"):
            meta.set_cursor(int(value))
        else:
            meta.cursor = int(value)

    @property
    def epoch(self) -> str | None:
        value = self._get("epoch")
        return None if value is None else str(value)

    @epoch.setter
    def epoch(self, value: str) -> None:
        meta = self.uow.meta
        if hasattr(meta, "set_epoch"):
            meta.set_epoch(value)
        else:
            meta.epoch = value

    def get(self, key: str) -> str | None:
        value = self.uow.meta.get(key)
        return None if value is None else str(value)

    def set(self, key: str, value: str | None) -> None:
        meta = self.uow.meta
        if value is None:
            if hasattr(meta, "delete"):
                meta.delete(key)
            else:
                meta.set(key, None)
        else:
            meta.set(key, value)

    @property
    def last_sync_at(self) -> str | None:
        return self.get(META_LAST_SYNC_AT)

    @last_sync_at.setter
    def last_sync_at(self, value: str | None) -> None:
        self.set(META_LAST_SYNC_AT, value)

    @property
    def clock_skew_s(self) -> float | None:
        value = self.get(META_CLOCK_SKEW_S)
        try:
            return None if value is None else float(value)
        except ValueError:
            return None

    @clock_skew_s.setter
    def clock_skew_s(self, value: float | None) -> None:
        self.set(META_CLOCK_SKEW_S, None if value is None else repr(float(value)))

    def commit(self) -> None:
        self.uow.commit()


class Replica:
    """Opens ``SyncTx`` units of work on a store (``core.store.Store``). Thread-safe like the store."""

    def __init__(self, store: Any):
        self.store = store

    @contextlib.contextmanager
    def tx(self) -> Iterator[SyncTx]:
        """A writing unit of work; rolls back unless ``commit()`` is called."""
        with self.store.unit_of_work() as uow:
            yield SyncTx(uow)

    @contextlib.contextmanager
    def read(self) -> Iterator[SyncTx]:
        """A read-only snapshot where the store offers one."""
        opener = getattr(self.store, "reader", None) or self.store.unit_of_work
        with opener() as uow:
            yield SyncTx(uow)

    @property
    def device_id(self) -> str | None:
        value = getattr(self.store, "device_id", None)
        return None if value is None else str(value)
