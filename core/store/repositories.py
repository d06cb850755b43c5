"""Repositories over one unit of work's connection. Use them only through ``UnitOfWork``.

Threading: a unit of work and its repositories belong to the thread that opened it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.errors import InvalidEvent
from core.events import Event, EventType, iso, utcnow, validate
from core.fold import CaseState, fold
from core.store import schema as t
from core.store.projection import state_from_json
from core.store.records import ApplyResult, CaseRow, Draft, PurgeResult, StoredEvent
from core.store.schema import SyncState

if TYPE_CHECKING:
    from core.store.store import UnitOfWork

IN_CHUNK = 500

META_DEVICE_ID = "device_id"
META_CURSOR = "hq_cursor"
META_EPOCH = "hq_epoch"
META_PROJECTION_VERSION = "projection_version"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def event_from_row(row: Any) -> Event:
    return Event(
        id=row.id,
        case_id=row.case_id,
        type=EventType(row.type),
        payload=json.loads(row.payload),
        author_id=row.author_id,
        author_name=row.author_name,
        device_id=row.device_id,
        wall_time=row.wall_time,
        hlc=row.hlc,
        hq_seq=row.hq_seq,
    )


def _stored(row: Any) -> StoredEvent:
    return StoredEvent(
        event=event_from_row(row),
        sync_state=SyncState(row.sync_state),
        local_seq=row.local_seq,
        reject_reason=row.reject_reason,
        reject_code=row.reject_code,
    )


def _event_values(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "case_id": event.case_id,
        "type": str(event.type),
        "payload": _dumps(dict(event.payload)),
        "author_id": event.author_id,
        "author_name": event.author_name,
        "device_id": event.device_id,
        "wall_time": event.wall_time,
        "hlc": event.hlc,
        "hq_seq": event.hq_seq,
    }


_CASE_ROW_COLUMNS = [c for c in t.cases.c if c.name not in ("search_text", "state_json")]


def _case_row(row: Any) -> CaseRow:
    return CaseRow(
        case_id=row.case_id,
        kind=row.kind,
        status=row.status,
        priority=row.priority,
        received_at=row.received_at,
        district=row.district,
        police_station=row.police_station,
        summary=row.summary,
        subject_name=row.subject_name,
        needs_alarm=bool(row.needs_alarm),
        acknowledged_at=row.acknowledged_at,
        dispatched_at=row.dispatched_at,
        muted_until=row.muted_until,
        pending_count=row.pending_count,
        rejected_count=row.rejected_count,
        updated_hlc=row.updated_hlc,
        purged=bool(row.purged),
    )


class EventRepository:
    """The append-only log. Local events enter as ``pending``; HQ's as ``synced``."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    # -- writes ---------------------------------------------------------------------------------

    def append(self, event: Event) -> bool:
        """Store an event made on this device as pending. Returns False if this exact event is stored.

        Raises InvalidEvent for a bad event or an id already used by a different event.
        """
        self._uow.require_write()
        validate(event)
        existing = self._conn.execute(sa.select(t.events).where(t.events.c.id == event.id)).first()
        if existing is not None:
            if event_from_row(existing).content_key() == event.content_key():
                return False
            raise InvalidEvent(f"event.id: {event.id} is already used by a different event")
        values = _event_values(event) | {
            "sync_state": SyncState.PENDING.value,
            "hq_seq": None,
            "local_seq": self._uow.next_local_seq(),
        }
        self._conn.execute(sa.insert(t.events), [values])
        self._uow.mark_dirty(event.case_id)
        return True

    def apply_remote(self, events: Iterable[Event]) -> ApplyResult:
        """Store events pulled from HQ. Idempotent: applying the same page twice changes nothing.

        A known id with the same content gets HQ's ``hq_seq`` and becomes ``synced`` (our own event
        coming back). A known id with different content is replaced by HQ's copy: HQ's log is the one
        every replica converges on.
        """
        self._uow.require_write()
        batch: dict[str, Event] = {}
        for event in events:
            validate(event)
            batch[event.id] = event
        inserted = updated = unchanged = replaced = 0
        touched: set[str] = set()
        ids = list(batch)
        existing: dict[str, Any] = {}
        for i in range(0, len(ids), IN_CHUNK):
            chunk = ids[i : i + IN_CHUNK]
            for row in self._conn.execute(sa.select(t.events).where(t.events.c.id.in_(chunk))):
                existing[row.id] = row
        new_rows: list[dict[str, Any]] = []
        for event in batch.values():
            found = existing.get(event.id)
            if found is None:
                new_rows.append(
                    _event_values(event)
                    | {"sync_state": SyncState.SYNCED.value, "local_seq": self._uow.next_local_seq()}
                )
                inserted += 1
                touched.add(event.case_id)
                continue
            row = found
            stored = event_from_row(row)
            if stored.content_key() != event.content_key():
                values = _event_values(event)
                values.pop("id")
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(**values, sync_state=SyncState.SYNCED.value, reject_reason=None, reject_code=None)
                )
                replaced += 1
                touched.update({event.case_id, stored.case_id})
            elif row.sync_state != SyncState.SYNCED or (event.hq_seq is not None and row.hq_seq != event.hq_seq):
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(
                        hq_seq=event.hq_seq if event.hq_seq is not None else row.hq_seq,
                        sync_state=SyncState.SYNCED.value,
                        reject_reason=None,
                        reject_code=None,
                    )
                )
                updated += 1
                touched.add(event.case_id)
            else:
                unchanged += 1
        if new_rows:
            self._conn.execute(sa.insert(t.events), new_rows)
        for case_id in touched:
            self._uow.mark_dirty(case_id)
        return ApplyResult(inserted, updated, unchanged, replaced, frozenset(touched))

    def mark_accepted(self, event_id: str, hq_seq: int) -> bool:
        """HQ accepted our event. False if the event is unknown here."""
        return self._set_state(event_id, SyncState.SYNCED, hq_seq=hq_seq, reject_reason=None, reject_code=None)

    def mark_rejected(self, event_id: str, reason: str, code: str) -> bool:
        """HQ refused our event: kept with the reason, left out of the case's state from now on."""
        return self._set_state(event_id, SyncState.REJECTED, hq_seq=None, reject_reason=reason, reject_code=code)

    def _set_state(self, event_id: str, state: SyncState, **values: Any) -> bool:
        self._uow.require_write()
        case_id = self._conn.execute(sa.select(t.events.c.case_id).where(t.events.c.id == event_id)).scalar()
        if case_id is None:
            return False
        self._conn.execute(
            sa.update(t.events).where(t.events.c.id == event_id).values(sync_state=state.value, **values)
        )
        self._uow.mark_dirty(case_id)
        return True

    def requeue_own(self, device_id: str) -> int:
        """HQ's epoch changed: every event of this device that HQ had accepted becomes pending again.

        Rejected events stay rejected (re-sending them to a restored HQ could let through what HQ
        once refused). Returns the number requeued. Push order stays creation order (``local_seq``).
        """
        self._uow.require_write()
        cond = sa.and_(t.events.c.device_id == device_id, t.events.c.sync_state == SyncState.SYNCED.value)
        case_ids = self._conn.execute(sa.select(t.events.c.case_id).where(cond).distinct()).scalars().all()
        result = self._conn.execute(
            sa.update(t.events).where(cond).values(sync_state=SyncState.PENDING.value, hq_seq=None)
        )
        self._uow.refresh_counts([str(c) for c in case_ids])
        return int(result.rowcount)

    # -- reads ----------------------------------------------------------------------------------

    def get(self, event_id: str) -> StoredEvent | None:
        row = self._conn.execute(sa.select(t.events).where(t.events.c.id == event_id)).first()
        return None if row is None else _stored(row)

    def for_case(self, case_id: str, *, include_rejected: bool = False) -> list[Event]:
        """The case's events in fold order (HLC, id); HQ-rejected ones left out unless asked for."""
        query = sa.select(t.events).where(t.events.c.case_id == case_id)
        if not include_rejected:
            query = query.where(t.events.c.sync_state != SyncState.REJECTED.value)
        rows = self._conn.execute(query.order_by(t.events.c.hlc, t.events.c.id))
        return [event_from_row(r) for r in rows]

    def timeline(self, case_id: str) -> list[StoredEvent]:
        """Every stored event of the case, rejected ones included, in fold order, with sync state."""
        rows = self._conn.execute(
            sa.select(t.events).where(t.events.c.case_id == case_id).order_by(t.events.c.hlc, t.events.c.id)
        )
        return [_stored(r) for r in rows]

    def pending(self, limit: int = 500) -> list[Event]:
        """The outbox: events not yet accepted by HQ, oldest first (creation order on this device)."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.sync_state == SyncState.PENDING.value)
            .order_by(t.events.c.local_seq)
            .limit(limit)
        )
        return [event_from_row(r) for r in rows]

    def pending_count(self) -> int:
        return int(
            self._conn.execute(
                sa.select(sa.func.count()).where(t.events.c.sync_state == SyncState.PENDING.value)
            ).scalar_one()
        )

    def rejected(self, limit: int = 200) -> list[StoredEvent]:
        """Events HQ refused, newest first, for the operator to see and re-record."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.sync_state == SyncState.REJECTED.value)
            .order_by(t.events.c.local_seq.desc())
            .limit(limit)
        )
        return [_stored(r) for r in rows]

    def max_hlc(self) -> str | None:
        """The largest stamp stored: seed for this device's HybridClock at start-up."""
        return self._conn.execute(sa.select(sa.func.max(t.events.c.hlc))).scalar()

    def count(self) -> int:
        return int(self._conn.execute(sa.select(sa.func.count()).select_from(t.events)).scalar_one())


class CaseRepository:
    """The ``cases`` projection: queue reads never fold; ``state`` reads the stored fold."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def state(self, case_id: str) -> CaseState:
        """The case's state (``exists`` is False for a case unknown here or purged)."""
        self._uow.flush()
        text = self._conn.execute(
            sa.select(t.cases.c.state_json).where(t.cases.c.case_id == case_id, t.cases.c.purged == 0)
        ).scalar()
        if text is not None:
            state = state_from_json(text)
            if state is not None:
                return state
        return fold(case_id, self._uow.events.for_case(case_id))

    def get(self, case_id: str) -> CaseRow | None:
        self._uow.flush()
        row = self._conn.execute(sa.select(*_CASE_ROW_COLUMNS).where(t.cases.c.case_id == case_id)).first()
        return None if row is None else _case_row(row)

    def queue(self, limit: int = 500, offset: int = 0) -> list[CaseRow]:
        """Open cases: alarming first, then by priority, then oldest first."""
        self._uow.flush()
        rows = self._conn.execute(
            sa.select(*_CASE_ROW_COLUMNS).where(t.OPEN_CASES).order_by(*t.QUEUE_ORDER).limit(limit).offset(offset)
        )
        return [_case_row(r) for r in rows]

    def count_open(self) -> int:
        self._uow.flush()
        return int(
            self._conn.execute(sa.select(sa.func.count()).select_from(t.cases).where(t.OPEN_CASES)).scalar_one()
        )

    def alarming(self) -> list[CaseRow]:
        """Open cases that need the alarm (muted or not: check ``CaseRow.alarming_at(now)``)."""
        self._uow.flush()
        rows = self._conn.execute(
            sa.select(*_CASE_ROW_COLUMNS)
            .where(t.OPEN_CASES, t.cases.c.needs_alarm == 1)
            .order_by(*t.QUEUE_ORDER)
        )
        return [_case_row(r) for r in rows]

    def closed(self, limit: int = 200, offset: int = 0) -> list[CaseRow]:
        """Closed cases, most recently changed first."""
        self._uow.flush()
        rows = self._conn.execute(
            sa.select(*_CASE_ROW_COLUMNS)
            .where(t.cases.c.purged == 0, t.cases.c.status == "closed")
            .order_by(t.cases.c.updated_hlc.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_case_row(r) for r in rows]

    def search(self, text: str, limit: int = 200) -> list[CaseRow]:
        """Cases (open or closed) whose name, phone, place, summary, reference or id contain every word."""
        self._uow.flush()
        words = text.casefold().split()
        if not words:
            return []
        query = sa.select(*_CASE_ROW_COLUMNS).where(t.cases.c.purged == 0)
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(t.cases.c.search_text.like(f"%{escaped}%", escape="\\"))
        rows = self._conn.execute(query.order_by(*t.QUEUE_ORDER).limit(limit))
        return [_case_row(r) for r in rows]

    def purge(self, case_id: str) -> PurgeResult:
        """The case left this district (HQ ``revoke``): delete its events and drafts, blank its row.

        A tombstone row stays (``purged`` = 1, no personal field, no state) so the queue and search
        skip it; if HQ later re-delivers the case, its events rebuild the row. ``secure_delete`` is on,
        so the deleted content is overwritten in the file, not left in free pages.
        """
        self._uow.require_write()
        counts: dict[str, int] = {
            str(state): int(n)
            for state, n in self._conn.execute(
                sa.select(t.events.c.sync_state, sa.func.count())
                .where(t.events.c.case_id == case_id)
                .group_by(t.events.c.sync_state)
            )
        }
        removed = self._conn.execute(sa.delete(t.events).where(t.events.c.case_id == case_id)).rowcount
        drafts = self._conn.execute(sa.delete(t.drafts).where(t.drafts.c.case_id == case_id)).rowcount
        self._uow.discard_dirty(case_id)
        self._conn.execute(
            sa.update(t.cases)
            .where(t.cases.c.case_id == case_id)
            .values(
                summary=None,
                subject_name=None,
                search_text=None,
                police_station=None,
                needs_alarm=0,
                acknowledged_at=None,
                dispatched_at=None,
                muted_until=None,
                pending_count=0,
                rejected_count=0,
                purged=1,
                state_json="{}",
            )
        )
        return PurgeResult(case_id, int(removed), int(counts.get(SyncState.PENDING.value, 0)), int(drafts))

    def refold(self, case_id: str) -> CaseState:
        """Recompute one case's projection row from its events now."""
        self._uow.require_write()
        return self._uow.refold(case_id)

    def rebuild_all(self) -> int:
        """Recompute every projection row from the log (after a fold change). Returns cases folded."""
        self._uow.require_write()
        case_ids = self._conn.execute(sa.select(t.events.c.case_id).distinct()).scalars().all()
        self._conn.execute(sa.delete(t.cases).where(t.cases.c.purged == 0))
        for case_id in case_ids:
            self._uow.refold(case_id)
        return len(case_ids)


class MetaRepository:
    """Small named values: device id, HQ cursor and epoch, projection version."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self._uow.connection.execute(sa.select(t.meta.c.value).where(t.meta.c.key == key)).scalar()
        return default if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        self._uow.require_write()
        self._uow.connection.execute(sa.insert(t.meta).prefix_with("OR REPLACE"), [{"key": key, "value": value}])

    def delete(self, key: str) -> None:
        self._uow.require_write()
        self._uow.connection.execute(sa.delete(t.meta).where(t.meta.c.key == key))

    def cursor(self) -> int:
        """HQ pull cursor; store it in the same unit of work as the page it ends."""
        return int(self.get(META_CURSOR) or 0)

    def set_cursor(self, cursor: int) -> None:
        self.set(META_CURSOR, str(int(cursor)))

    def epoch(self) -> str | None:
        return self.get(META_EPOCH)

    def set_epoch(self, epoch: str) -> None:
        self.set(META_EPOCH, epoch)

    def device_id(self) -> str:
        value = self.get(META_DEVICE_ID)
        if value is None:
            raise LookupError("store has no device id (it is set when the store is opened)")
        return value

    def ensure_device_id(self) -> str:
        value = self.get(META_DEVICE_ID)
        if value is None:
            value = str(uuid.uuid4())
            self.set(META_DEVICE_ID, value)
        return value


class DraftRepository:
    """Half-filled forms, one per (case, form). Kept until the form is submitted or discarded."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def save(self, case_id: str, form: str, fields: Mapping[str, Any], saved_at: datetime | None = None) -> Draft:
        self._uow.require_write()
        draft = Draft(case_id, form, dict(fields), iso(saved_at or utcnow()))
        self._uow.connection.execute(
            sa.insert(t.drafts).prefix_with("OR REPLACE"),
            [{"case_id": case_id, "form": form, "fields": _dumps(dict(fields)), "saved_at": draft.saved_at}],
        )
        return draft

    def get(self, case_id: str, form: str) -> Draft | None:
        row = self._uow.connection.execute(
            sa.select(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.form == form)
        ).first()
        return None if row is None else Draft(row.case_id, row.form, json.loads(row.fields), row.saved_at)

    def for_case(self, case_id: str) -> list[Draft]:
        rows = self._uow.connection.execute(
            sa.select(t.drafts).where(t.drafts.c.case_id == case_id).order_by(t.drafts.c.form)
        )
        return [Draft(r.case_id, r.form, json.loads(r.fields), r.saved_at) for r in rows]

    def all(self) -> list[Draft]:
        rows = self._uow.connection.execute(sa.select(t.drafts).order_by(t.drafts.c.saved_at.desc()))
        return [Draft(r.case_id, r.form, json.loads(r.fields), r.saved_at) for r in rows]

    def delete(self, case_id: str, form: str) -> bool:
        self._uow.require_write()
        result = self._uow.connection.execute(
            sa.delete(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.form == form)
        )
        return bool(result.rowcount)
