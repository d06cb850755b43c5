"""Repositories over one unit of work's connection. Reach them only through ``UnitOfWork``.

Threading: a unit of work and its repositories belong to the thread that opened it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.errors import InvalidEvent
from core.events import Event, EventType, iso, utcnow, validate
from core.fold import CaseState, fold
from core.store import schema as t
from core.store.projection import state_from_json
from core.store.records import CaseRow, QueueFilter, StoredEvent
from core.store.schema import SyncState

if TYPE_CHECKING:
    from core.store.store import UnitOfWork

IN_CHUNK = 500

META_DEVICE_ID = "device_id"
META_CURSOR = "hq_cursor"
META_EPOCH = "hq_epoch"
META_LAST_SYNC_AT = "sync.last_sync_at"
META_CLOCK_SKEW_S = "sync.clock_skew_s"
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


def stored_from_row(row: Any) -> StoredEvent:
    return StoredEvent(
        event=event_from_row(row),
        sync_state=SyncState(row.sync_state),
        reject_reason=row.reject_reason,
        reject_code=row.reject_code,
        local_seq=row.local_seq,
    )


def _event_values(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "case_id": event.case_id,
        "type": str(event.type),
        "payload": event.payload_json(),
        "author_id": event.author_id,
        "author_name": event.author_name,
        "device_id": event.device_id,
        "wall_time": event.wall_time,
        "hlc": event.hlc,
        "hq_seq": event.hq_seq,
    }


# Built once: SQLAlchemy then only looks up their compiled form (the append path runs per event).
# ON CONFLICT (id) DO NOTHING, not INSERT OR IGNORE: OR IGNORE would also drop a row that breaks
# NOT NULL, CHECK or the local_seq uniqueness, silently.
# (Written as text: SQLAlchemy 2.0 recompiles the sqlite dialect's on_conflict insert on every call.)
_EVENT_COLUMNS = ", ".join(c.name for c in t.events.c)  # the schema's own names, no input
_EVENT_PARAMS = ", ".join(":" + c.name for c in t.events.c)
_INSERT_NEW_EVENT = sa.text(
    f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({_EVENT_PARAMS}) ON CONFLICT (id) DO NOTHING"  # noqa: S608
)
_EVENT_BY_ID = sa.select(t.events).where(t.events.c.id == sa.bindparam("id"))
# HQ's events in bulk, as positional tuples through the driver (no per-row parameter processing).
_INSERT_REMOTE_EVENT = (
    f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({', '.join('?' for _ in t.events.c)})"  # noqa: S608
)
# ``x IN (the values of a JSON array)``: one bound parameter however many ids, so these statements
# are compiled once and cached (an expanding IN list is re-rendered for every call; an initial sync
# makes thousands of such calls). SQLite still probes the index on ``x`` once per id.
_IDS: sa.Select[Any] = sa.select(sa.literal_column("value")).select_from(sa.func.json_each(sa.bindparam("ids")))
_EVENTS_BY_ID = sa.select(t.events).where(t.events.c.id.in_(_IDS))
_CASES_WITH_EVENTS = sa.select(t.events.c.case_id).where(t.events.c.case_id.in_(_IDS)).distinct()
_CASES_WITH_ROWS = sa.select(t.cases.c.case_id).where(t.cases.c.case_id.in_(_IDS))
_STATE_OF_EVENTS = sa.select(t.events.c.id, t.events.c.case_id, t.events.c.sync_state).where(t.events.c.id.in_(_IDS))
_PURGED_CASES = sa.select(t.cases.c.case_id).where(t.cases.c.case_id.in_(_IDS), t.cases.c.purged == 1)
_SET_ACCEPTED = (
    sa.update(t.events)
    .where(t.events.c.id == sa.bindparam("eid"))
    .values(sync_state=sa.bindparam("state"), hq_seq=sa.bindparam("seq"), reject_reason=None, reject_code=None)
)


def _ids_param(ids: Iterable[str]) -> dict[str, str]:
    return {"ids": json.dumps(list(ids))}


def _remote_row(event: Event, sync_state: str, local_seq: int) -> tuple[Any, ...]:
    """An HQ event as a row of ``events`` in column order (see ``_INSERT_REMOTE_EVENT``)."""
    return (
        event.id,
        event.case_id,
        str(event.type),
        event.payload_json(),
        event.author_id,
        event.author_name,
        event.device_id,
        event.wall_time,
        event.hlc,
        event.hq_seq,
        sync_state,
        None,
        None,
        local_seq,
    )

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
    """The append-only log. Local events enter as ``pending``; HQ's as ``accepted``."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def append_local(self, event: Event) -> None:
        """Store an event made on this device, pending for HQ; its case is refolded before commit.

        Appending the very same event again does nothing. Raises InvalidEvent for a bad event or an
        id already used by a different event.
        """
        self._uow.require_write()
        validate(event)
        values = _event_values(event) | {
            "sync_state": SyncState.PENDING.value,
            "hq_seq": None,
            "reject_reason": None,
            "reject_code": None,
            "local_seq": self._uow.next_local_seq(),
        }
        if self._conn.execute(_INSERT_NEW_EVENT, values).rowcount == 1:
            self._uow.mark_dirty(event.case_id)
            return
        self._uow.forget_local_seq()
        existing = self._conn.execute(_EVENT_BY_ID, {"id": event.id}).first()
        if existing is None or event_from_row(existing).content_key() != event.content_key():
            raise InvalidEvent(f"event.id: {event.id} is already used by a different event")

    def apply_remote(self, events: Iterable[Event], *, validated: bool = False) -> list[str]:
        """Store events pulled from HQ; returns the affected case ids (each refolded once, at commit).

        Idempotent: applying the same page twice changes nothing. An unknown id is inserted as
        ``accepted``; a known id with the same content gets HQ's ``hq_seq`` and becomes ``accepted``
        (our own event coming back); a known id with *different* content is replaced by HQ's copy,
        since HQ's log is the one every replica converges on.

        ``validated=True`` skips ``core.events.validate``: only for events the caller has just built
        with ``Event.from_wire`` (which validates fully), i.e. the sync pull path
        (``sync.replica.SyncTx.apply_remote``). Every other caller leaves it False.

        A case none of whose events is stored yet and that has no projection row (the common case
        of an initial sync) is folded at flush from the events given here, without reading them back.
        """
        self._uow.require_write()
        batch: dict[str, Event] = {}
        for event in events:
            if not validated:
                validate(event)
            batch[event.id] = event
        touched: set[str] = set()
        ids = list(batch)
        existing: dict[str, Any] = {found.id: found for found in self._conn.execute(_EVENTS_BY_ID, _ids_param(ids))}
        new_rows: list[tuple[Any, ...]] = []
        new_by_case: dict[str, list[Event]] = {}
        accepted = SyncState.ACCEPTED.value
        for event in batch.values():
            row: Any = existing.get(event.id)
            if row is None:
                seq = self._uow.next_local_seq()
                new_rows.append(_remote_row(event, accepted, seq))
                new_by_case.setdefault(event.case_id, []).append(event)
                continue
            if event_from_row(row).content_key() != event.content_key():
                values = _event_values(event)
                values.pop("id")
                if event.hq_seq is None:
                    values.pop("hq_seq")
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(**values, sync_state=accepted, reject_reason=None, reject_code=None)
                )
                touched.update({event.case_id, row.case_id})
            elif row.sync_state != accepted or (event.hq_seq is not None and row.hq_seq != event.hq_seq):
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(
                        hq_seq=event.hq_seq if event.hq_seq is not None else row.hq_seq,
                        sync_state=accepted,
                        reject_reason=None,
                        reject_code=None,
                    )
                )
                touched.add(event.case_id)
        # cases with new events but nothing stored before them: candidates for folding from memory
        fresh = set(new_by_case) - touched
        fresh -= self._cases_with_events(sorted(fresh))
        touched.update(new_by_case)
        if new_rows:
            self._conn.exec_driver_sql(_INSERT_REMOTE_EVENT, new_rows)
        # HQ's feed carries only cases in this workstation's scope: a created event of a purged case
        # means the case came back (its whole history is re-delivered), so it is revived.
        created = sorted({e.case_id for e in batch.values() if e.type is EventType.CREATED})
        for i in range(0, len(created), IN_CHUNK):
            tombstones = (
                sa.delete(t.cases)
                .where(t.cases.c.case_id.in_(created[i : i + IN_CHUNK]), t.cases.c.purged == 1)
                .returning(t.cases.c.case_id)
            )
            touched.update(str(c) for c in self._conn.execute(tombstones).scalars())
        fresh -= self._cases_with_rows(sorted(fresh))  # a tombstone (not revived) stays one at refold
        for case_id in touched:
            if case_id in fresh:
                self._uow.mark_fresh(case_id, new_by_case[case_id])
            else:
                self._uow.mark_dirty(case_id)
        return sorted(touched)

    def _cases_with_events(self, case_ids: list[str]) -> set[str]:
        if not case_ids:
            return set()
        return set(self._conn.execute(_CASES_WITH_EVENTS, _ids_param(case_ids)).scalars())

    def _cases_with_rows(self, case_ids: list[str]) -> set[str]:
        if not case_ids:
            return set()
        return set(self._conn.execute(_CASES_WITH_ROWS, _ids_param(case_ids)).scalars())

    def history(self, case_id: str) -> list[StoredEvent]:
        """Every stored event of the case, HQ-rejected ones included, in fold order (HLC, then id)."""
        rows = self._conn.execute(
            sa.select(t.events).where(t.events.c.case_id == case_id).order_by(t.events.c.hlc, t.events.c.id)
        )
        return [stored_from_row(r) for r in rows]

    def for_fold(self, case_id: str) -> list[Event]:
        """The events the case's state is folded from: its history without HQ-rejected events."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.case_id == case_id, t.events.c.sync_state != SyncState.REJECTED.value)
            .order_by(t.events.c.hlc, t.events.c.id)
        )
        return [event_from_row(r) for r in rows]

    def get(self, event_id: str) -> StoredEvent | None:
        row = self._conn.execute(_EVENT_BY_ID, {"id": event_id}).first()
        return None if row is None else stored_from_row(row)

    def count(self) -> int:
        return int(self._conn.execute(sa.select(sa.func.count()).select_from(t.events)).scalar_one())


_HELD = t.events.c.reject_code == t.HELD_FOR_REVIEW
_NOT_HELD = sa.func.coalesce(t.events.c.reject_code, "") != t.HELD_FOR_REVIEW


class Outbox:
    """This device's events on their way to HQ. Only own events are ever pending or rejected."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def pending(self, limit: int = 500) -> list[Event]:
        """Events HQ has not accepted yet, in creation order on this device (causal for this device).
        Events HQ holds for review (``mark_held``) are not among them: they are not pushed again."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.sync_state == SyncState.PENDING.value, _NOT_HELD)
            .order_by(t.events.c.local_seq)
            .limit(limit)
        )
        return [event_from_row(r) for r in rows]

    def mark_held(self, event_id: str, note: str) -> None:
        """HQ put the event in its review queue: it stays pending (in the case's state) but is not
        pushed again until HQ's verdict settles it (``mark_accepted``/``mark_rejected``) or
        ``release_held`` queues it again. An id unknown here, or already settled, is ignored."""
        self._set_held(event_id, note, t.HELD_FOR_REVIEW)

    def release_held(self, event_id: str) -> None:
        """HQ no longer knows a held event (e.g. restored from a backup): queue it to push again."""
        self._set_held(event_id, None, None)

    def _set_held(self, event_id: str, note: str | None, code: str | None) -> None:
        self._uow.require_write()
        self._conn.execute(
            sa.update(t.events)
            .where(t.events.c.id == event_id, t.events.c.sync_state == SyncState.PENDING.value)
            .values(reject_reason=note, reject_code=code)
        )

    def held(self) -> list[StoredEvent]:
        """Events HQ holds for review, newest first, with HQ's note (shown with the refused ones)."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.sync_state == SyncState.PENDING.value, _HELD)
            .order_by(t.events.c.local_seq.desc())
        )
        return [stored_from_row(r) for r in rows]

    def held_ids(self) -> list[str]:
        """Ids of the events HQ holds for review, oldest first (what the console asks HQ about)."""
        rows = self._conn.execute(
            sa.select(t.events.c.id)
            .where(t.events.c.sync_state == SyncState.PENDING.value, _HELD)
            .order_by(t.events.c.local_seq)
        )
        return [str(i) for i in rows.scalars()]

    def mark_accepted(self, event_id: str, hq_seq: int) -> None:
        """HQ accepted the event under ``hq_seq``. An id unknown here is ignored."""
        self._set_state(event_id, SyncState.ACCEPTED, hq_seq=hq_seq, reject_reason=None, reject_code=None)

    def mark_accepted_many(self, accepted: Iterable[tuple[str, int]]) -> set[str]:
        """``mark_accepted`` for several (event id, hq_seq) at once; returns the cases touched.

        Settling a *pending* event does not change what its case's state is folded from (only
        rejected events are left out, and the fold does not read ``hq_seq``), so those cases are not
        refolded: only their pending/rejected counts are recomputed. That keeps applying a push
        reply short, so the operator's next write does not wait behind it. Events in any other state,
        and events of purged cases (whose settled events the refold deletes), go the ordinary way.
        """
        self._uow.require_write()
        seqs = dict(accepted)
        if not seqs:
            return set()
        rows = self._conn.execute(_STATE_OF_EVENTS, _ids_param(seqs)).all()
        if not rows:
            return set()
        self._conn.execute(
            _SET_ACCEPTED, [{"eid": r.id, "seq": seqs[r.id], "state": SyncState.ACCEPTED.value} for r in rows]
        )
        cases = {str(r.case_id) for r in rows}
        refold = {str(r.case_id) for r in rows if r.sync_state != SyncState.PENDING.value}
        refold |= set(self._conn.execute(_PURGED_CASES, _ids_param(sorted(cases))).scalars())
        for case_id in refold:
            self._uow.mark_dirty(case_id)
        self._uow.refresh_counts(sorted(cases - refold))
        return cases

    def mark_rejected(self, event_id: str, reason: str, code: str | None = None) -> None:
        """HQ refused the event: quarantined with the reason, left out of the case's state, never
        re-sent and never blocking the events after it. An id unknown here is ignored."""
        self._set_state(event_id, SyncState.REJECTED, hq_seq=None, reject_reason=reason, reject_code=code)

    def _set_state(self, event_id: str, state: SyncState, **values: Any) -> None:
        self._uow.require_write()
        case_id = self._conn.execute(sa.select(t.events.c.case_id).where(t.events.c.id == event_id)).scalar()
        if case_id is None:
            return
        self._conn.execute(
            sa.update(t.events).where(t.events.c.id == event_id).values(sync_state=state.value, **values)
        )
        self._uow.mark_dirty(case_id)  # of a purged case, the refold deletes the event once settled

    def counts(self) -> tuple[int, int]:
        """(pending, rejected). Pending excludes the events HQ holds for review (``held_count``)."""
        rows = dict(
            self._conn.execute(
                sa.select(t.events.c.sync_state, sa.func.count())
                .where(t.events.c.sync_state != SyncState.ACCEPTED.value)
                .group_by(t.events.c.sync_state)
            )
            .tuples()
            .all()
        )
        pending = int(rows.get(SyncState.PENDING.value, 0))
        held = self.held_count() if pending else 0
        return pending - held, int(rows.get(SyncState.REJECTED.value, 0))

    def held_count(self) -> int:
        return int(
            self._conn.execute(
                sa.select(sa.func.count()).where(t.events.c.sync_state == SyncState.PENDING.value, _HELD)
            ).scalar_one()
        )

    def rejected(self) -> list[StoredEvent]:
        """Events HQ refused, newest first, for the operator to see and record again if still needed."""
        rows = self._conn.execute(
            sa.select(t.events)
            .where(t.events.c.sync_state == SyncState.REJECTED.value)
            .order_by(t.events.c.local_seq.desc())
        )
        return [stored_from_row(r) for r in rows]

    def requeue_own(self, device_id: str) -> int:
        """HQ's epoch changed: every event of this device that HQ had accepted becomes pending again
        (``hq_seq`` cleared), keeping creation order. Returns how many.

        Rejected events stay quarantined: HQ refused them once, and re-sending them to a restored HQ
        could let through what was refused. The operator sees them and can record them again.
        """
        self._uow.require_write()
        self._uow.flush()  # the counts below are refreshed on rows, so earlier writes need theirs
        cond = sa.and_(t.events.c.device_id == device_id, t.events.c.sync_state == SyncState.ACCEPTED.value)
        case_ids = [str(c) for c in self._conn.execute(sa.select(t.events.c.case_id).where(cond).distinct()).scalars()]
        result = self._conn.execute(
            sa.update(t.events).where(cond).values(sync_state=SyncState.PENDING.value, hq_seq=None)
        )
        self._uow.refresh_counts(case_ids)
        return int(result.rowcount)


def _open_only(flt: QueueFilter) -> bool:
    return "closed" not in flt.statuses if flt.statuses is not None else not flt.include_closed


def _filter_conditions(flt: QueueFilter) -> list[Any]:
    # The open-case condition is written literally so SQLite matches the partial indexes
    # (ix_cases_queue, ix_cases_open_station, ix_cases_open_kind, ix_cases_search_open).
    conds: list[Any] = []
    open_only = _open_only(flt)
    if flt.statuses is not None:
        conds.append(t.cases.c.status.in_(sorted(flt.statuses)))
    conds.append(t.OPEN_CASES if open_only else t.NOT_PURGED)
    if flt.kinds is not None:
        conds.append(t.cases.c.kind.in_(sorted(flt.kinds)))
    if flt.police_station is not None:
        conds.append(t.cases.c.police_station == flt.police_station)
    words = flt.search.casefold().split() if flt.search else []
    if words:
        # Matched inside a narrow partial index of search_text (its WHERE written literally so it
        # matches; INDEXED BY, since the planner cannot tell the open-case one is the smaller), then
        # the few matching rows are fetched by rowid: scanning the wide rows is ~8x slower.
        source, where = _SEARCH_OPEN if open_only else _SEARCH_ALL
        inner: sa.Select[Any] = sa.select(sa.literal_column("cs.rowid")).select_from(source).where(where)
        for word in words:
            inner = inner.where(sa.func.instr(_SEARCH_TEXT, word) > 0)
        # Open cases: "+rowid" keeps SQLite from fetching every match by rowid and sorting them all
        # (half a second when a common word matches all 40,000 open cases of 100,000); it walks an
        # open-case index instead (queue order for a page, stopping at its end; index-only for a
        # count) and tests each entry against the matches.
        conds.append(sa.literal_column("+cases.rowid" if open_only else "cases.rowid").in_(inner))
    return conds


_SEARCH_TEXT: sa.ColumnElement[str] = sa.literal_column("cs.search_text")
_SEARCH_OPEN = (
    sa.text("cases AS cs INDEXED BY ix_cases_search_open"),
    sa.text("cs.purged = 0 AND cs.status != 'closed' AND cs.search_text IS NOT NULL"),
)
_SEARCH_ALL = (
    sa.text("cases AS cs INDEXED BY ix_cases_search"),
    sa.text("cs.purged = 0 AND cs.search_text IS NOT NULL"),
)


class CaseRepository:
    """The ``cases`` projection: queue reads never fold; ``state`` reads the stored fold."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def state(self, case_id: str) -> CaseState | None:
        """The case's folded state; None if the case is unknown here or was purged."""
        self._uow.flush()
        row = self._conn.execute(
            sa.select(t.cases.c.state_json, t.cases.c.purged).where(t.cases.c.case_id == case_id)
        ).first()
        if row is not None and row.purged:
            return None
        if row is not None:
            state = state_from_json(row.state_json)
            if state is not None:
                return state
        state = fold(case_id, self._uow.events.for_fold(case_id))
        return state if state.exists else None

    def get(self, case_id: str) -> CaseRow | None:
        self._uow.flush()
        row = self._conn.execute(sa.select(*_CASE_ROW_COLUMNS).where(t.cases.c.case_id == case_id)).first()
        return None if row is None else _case_row(row)

    def queue(self, flt: QueueFilter = QueueFilter(), limit: int = 500, offset: int = 0) -> list[CaseRow]:  # noqa: B008
        """Cases matching ``flt``: alarming first, then priority (1 highest), then oldest first."""
        self._uow.flush()
        query = (
            sa.select(*_CASE_ROW_COLUMNS)
            .where(*_filter_conditions(flt))
            .order_by(*t.QUEUE_ORDER)
            .limit(limit)
            .offset(offset)
        )
        return [_case_row(r) for r in self._conn.execute(query)]

    def count(self, flt: QueueFilter = QueueFilter()) -> int:  # noqa: B008
        self._uow.flush()
        query = sa.select(sa.func.count()).select_from(t.cases).where(*_filter_conditions(flt))
        return int(self._conn.execute(query).scalar_one())

    def alarming(self) -> list[CaseRow]:
        """Every open case that needs the alarm, muted or not (``CaseRow.alarming_at(now)`` tells)."""
        self._uow.flush()
        rows = self._conn.execute(
            sa.select(*_CASE_ROW_COLUMNS).where(t.OPEN_CASES, t.cases.c.needs_alarm == 1).order_by(*t.QUEUE_ORDER)
        )
        return [_case_row(r) for r in rows]

    def stations(self) -> list[str]:
        """Distinct police stations of the cases here, for the queue filter."""
        self._uow.flush()
        rows = self._conn.execute(
            sa.select(t.cases.c.police_station)
            .where(t.NOT_PURGED, t.cases.c.police_station.is_not(None))
            .distinct()
            .order_by(t.cases.c.police_station)
        )
        return [str(r) for r in rows.scalars()]

    def changed_since(self, hlc: str | None) -> list[str]:
        """Ids of cases whose latest event stamp is after ``hlc`` (all cases for None)."""
        self._uow.flush()
        query = sa.select(t.cases.c.case_id)
        if hlc is not None:
            query = query.where(t.cases.c.updated_hlc > hlc)
        return [str(c) for c in self._conn.execute(query.order_by(t.cases.c.updated_hlc)).scalars()]

    def purge(self, case_id: str) -> None:
        """The case was revoked from this district: remove its personal data from this workstation.

        Deletes the case's accepted and rejected events and its drafts, and blanks its row to a
        tombstone (``purged``, no personal field, no state) that the queue and search skip. Pending
        local events stay for the outbox; each is deleted once HQ settles it (accepted or rejected),
        and so is any late event of the case. Only HQ re-delivering the case's created event (the
        case came back to this district) revives it. ``secure_delete`` overwrites deleted content.
        """
        self._uow.require_write()
        e = t.events
        self._conn.execute(
            sa.delete(e).where(e.c.case_id == case_id, e.c.sync_state != SyncState.PENDING.value)
        )
        self._conn.execute(sa.delete(t.drafts).where(t.drafts.c.case_id == case_id))
        self._uow.discard_dirty(case_id)
        pending = int(
            self._conn.execute(
                sa.select(sa.func.count()).where(e.c.case_id == case_id, e.c.sync_state == SyncState.PENDING.value)
            ).scalar_one()
        )
        tombstone = {
            "kind": None,
            "status": "closed",
            "priority": 3,
            "received_at": None,
            "summary": None,
            "subject_name": None,
            "search_text": None,
            "police_station": None,
            "needs_alarm": 0,
            "acknowledged_at": None,
            "dispatched_at": None,
            "muted_until": None,
            "pending_count": pending,
            "rejected_count": 0,
            "purged": 1,
            "state_json": "{}",
        }
        self._conn.execute(
            sa.insert(t.cases).prefix_with("OR REPLACE"),
            [tombstone | {"case_id": case_id, "district": None, "updated_hlc": None}],
        )

    def refold(self, case_id: str) -> CaseState:
        """Recompute one case's projection row from its events now."""
        self._uow.require_write()
        return self._uow.refold(case_id)

    def rebuild_all(self) -> int:
        """Recompute every projection row from the log (after a fold change). Returns cases folded."""
        self._uow.require_write()
        case_ids = [str(c) for c in self._conn.execute(sa.select(t.events.c.case_id).distinct()).scalars()]
        self._conn.execute(sa.delete(t.cases).where(t.cases.c.purged == 0))
        for i in range(0, len(case_ids), IN_CHUNK):
            self._uow.refold_many(case_ids[i : i + IN_CHUNK])
        return len(case_ids)


class SyncMeta:
    """Small named values kept in the same transaction as the data they describe."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def get(self, key: str) -> str | None:
        value = self._uow.connection.execute(sa.select(t.meta.c.value).where(t.meta.c.key == key)).scalar()
        return None if value is None else str(value)

    def set(self, key: str, value: str | None) -> None:
        """Set ``key``; None removes it."""
        self._uow.require_write()
        conn = self._uow.connection
        if value is None:
            conn.execute(sa.delete(t.meta).where(t.meta.c.key == key))
        else:
            conn.execute(sa.insert(t.meta).prefix_with("OR REPLACE"), [{"key": key, "value": str(value)}])

    @property
    def cursor(self) -> int:
        """HQ pull cursor (0 before the first pull); set it in the unit of work that applies the page."""
        return int(self.get(META_CURSOR) or 0)

    @cursor.setter
    def cursor(self, value: int) -> None:
        self.set(META_CURSOR, str(int(value)))

    @property
    def epoch(self) -> str | None:
        return self.get(META_EPOCH)

    @epoch.setter
    def epoch(self, value: str | None) -> None:
        self.set(META_EPOCH, value)

    @property
    def device_id(self) -> str | None:
        """This workstation's id, made once when the store is created and kept."""
        return self.get(META_DEVICE_ID)

    @device_id.setter
    def device_id(self, value: str | None) -> None:
        self.set(META_DEVICE_ID, value)

    @property
    def last_sync_at(self) -> str | None:
        return self.get(META_LAST_SYNC_AT)

    @last_sync_at.setter
    def last_sync_at(self, value: str | None) -> None:
        self.set(META_LAST_SYNC_AT, value)

    @property
    def clock_skew_s(self) -> float | None:
        value = self.get(META_CLOCK_SKEW_S)
        return None if value is None else float(value)

    @clock_skew_s.setter
    def clock_skew_s(self, value: float | None) -> None:
        self.set(META_CLOCK_SKEW_S, None if value is None else repr(float(value)))

    def ensure_device_id(self) -> str:
        value = self.device_id
        if value is None:
            value = str(uuid.uuid4())
            self.device_id = value
        return value

    def hlc_last(self) -> str | None:
        """The greatest HLC stamp stored, to restart this device's HybridClock past it."""
        return self._uow.connection.execute(sa.select(sa.func.max(t.events.c.hlc))).scalar()


class Drafts:
    """Half-filled forms, one per (case, form): nothing typed is lost if the window closes or the app crashes."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def save(self, case_id: str, form: str, fields: dict[str, Any]) -> None:
        self._uow.require_write()
        self._uow.connection.execute(
            sa.insert(t.drafts).prefix_with("OR REPLACE"),
            [{"case_id": case_id, "form": form, "fields": _dumps(dict(fields)), "saved_at": iso(utcnow())}],
        )

    def load(self, case_id: str, form: str) -> dict[str, Any] | None:
        text = self._uow.connection.execute(
            sa.select(t.drafts.c.fields).where(t.drafts.c.case_id == case_id, t.drafts.c.form == form)
        ).scalar()
        return None if text is None else dict(json.loads(text))

    def discard(self, case_id: str, form: str) -> None:
        self._uow.require_write()
        self._uow.connection.execute(sa.delete(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.form == form))

    def forms(self, case_id: str) -> list[str]:
        """The forms with a saved draft for this case."""
        rows = self._uow.connection.execute(
            sa.select(t.drafts.c.form).where(t.drafts.c.case_id == case_id).order_by(t.drafts.c.form)
        )
        return [str(f) for f in rows.scalars()]
