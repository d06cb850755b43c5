"""Repositories over one unit of work's connection. Reach them only through ``UnitOfWork``.

Kept in one file because the five repositories work on the same unit of work and share the
statements compiled once at import (the ids-as-JSON ``IN`` lists, the event columns), and the queue's
search plans are explained next to the ``CaseRepository`` queries that choose between them.

A repository sees its unit of work as ``Work`` (its connection, its local sequence, its
``Projector``): this module does not import ``core.store.store``, which builds on it.

Threading: a unit of work and its repositories belong to the thread that opened it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any, Protocol

import sqlalchemy as sa

from core.errors import InvalidEvent
from core.events import Event, EventType, Tier, iso, utcnow, validate
from core.fold import CaseState, Status, fold
from core.store import schema as t
from core.store.projection import state_from_json
from core.store.projector import Projector
from core.store.records import CaseRow, QueueFilter, StoredEvent
from core.store.rows import IN_CHUNK, dumps, event_from_row, minimise_refused, stored_from_row
from core.store.schema import SyncState


class Work(Protocol):
    """What a repository uses of its unit of work (``core.store.store.UnitOfWork``)."""

    purged: bool  # a purge was written in the current transaction
    projection: Projector

    @property
    def connection(self) -> sa.Connection: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def meta(self) -> SyncMeta: ...

    def require_write(self) -> None: ...

    def next_local_seq(self) -> int: ...

    def forget_local_seq(self) -> None: ...

    def flush(self) -> None: ...

META_DEVICE_ID = "device_id"
META_CURSOR = "hq_cursor"
META_EPOCH = "hq_epoch"
META_LAST_SYNC_AT = "sync.last_sync_at"
META_CLOCK_SKEW_S = "sync.clock_skew_s"
META_PROJECTION_VERSION = "projection_version"
# Written in a purge's own transaction, cleared once the WAL has been scrubbed (store.PurgeScrub).
META_SCRUB_PENDING = "purge.scrub_pending"


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
        "seen_assignment": event.seen_assignment,
        "signature": event.signature,
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
        event.seen_assignment,
        None,
        None,
        event.signature,
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
        hq_needs_alarm=bool(row.hq_needs_alarm),
        hq_acknowledged_at=row.hq_acknowledged_at,
        hq_muted_until=row.hq_muted_until,
        follow_up_due=row.follow_up_due,
        refused_silence=row.refused_silence,
    )


class EventRepository:
    """The append-only log. Local events enter as ``pending``; HQ's as ``accepted``."""

    def __init__(self, uow: Work):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def append_local(self, event: Event, *, validated: bool = False, state: CaseState | None = None) -> None:
        """Store an event made on this device, pending for HQ; its case is refolded before commit.

        Appending the very same event again does nothing. Raises InvalidEvent for a bad event or an
        id already used by a different event.

        ``validated=True`` skips ``core.events.validate``: only for an event just made by
        ``core.commands.decide_folded`` (which validates it). ``state``: the case's state with this
        event, folded by the caller from ``for_fold`` and the event (``Decision.state``); the
        projection row is then written from it instead of a refold (``Projector.mark_known``).
        """
        self._uow.require_write()
        if not validated:
            validate(event)
        values = _event_values(event) | {
            "sync_state": SyncState.PENDING.value,
            "hq_seq": None,
            "reject_reason": None,
            "reject_code": None,
            "local_seq": self._uow.next_local_seq(),
            "dealt_with_at": None,
            "dealt_with_by": None,
        }
        if self._conn.execute(_INSERT_NEW_EVENT, values).rowcount == 1:
            if state is None:
                self._uow.projection.mark_dirty(event.case_id)
            else:
                self._uow.projection.mark_known(event.case_id, state)
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
        (``sync.pull``). Every other caller leaves it False.

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
                if event.signature is None:
                    values.pop("signature")
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(**values, sync_state=accepted, reject_reason=None, reject_code=None)
                )
                touched.update({event.case_id, row.case_id})
            elif (
                row.sync_state != accepted
                or (event.hq_seq is not None and row.hq_seq != event.hq_seq)
                or (event.signature is not None and row.signature != event.signature)
            ):
                self._conn.execute(
                    sa.update(t.events)
                    .where(t.events.c.id == event.id)
                    .values(
                        hq_seq=event.hq_seq if event.hq_seq is not None else row.hq_seq,
                        signature=event.signature if event.signature is not None else row.signature,
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
            # the refold indexes them again
            self._uow.projection.fts_remove(created[i : i + IN_CHUNK], tombstones_only=True)
            tombstones = (
                sa.delete(t.cases)
                .where(t.cases.c.case_id.in_(created[i : i + IN_CHUNK]), t.cases.c.purged == 1)
                .returning(t.cases.c.case_id)
            )
            touched.update(str(c) for c in self._conn.execute(tombstones).scalars())
        fresh -= self._cases_with_rows(sorted(fresh))  # a tombstone (not revived) stays one at refold
        for case_id in touched:
            if case_id in fresh:
                self._uow.projection.mark_fresh(case_id, new_by_case[case_id])
            else:
                self._uow.projection.mark_dirty(case_id)
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

    def __init__(self, uow: Work):
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
            self._uow.projection.mark_dirty(case_id)
        self._uow.projection.refresh_counts(sorted(cases - refold))
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
        # of a purged case, the refold deletes it if accepted, minimises it if refused
        self._uow.projection.mark_dirty(case_id)

    def counts(self) -> tuple[int, int]:
        """(pending, rejected and not yet dealt with). Pending excludes the events HQ holds for review
        (``held_count``)."""
        rows = dict(
            self._conn.execute(
                sa.select(t.events.c.sync_state, sa.func.count())
                .where(t.events.c.sync_state != SyncState.ACCEPTED.value, t.events.c.dealt_with_at.is_(None))
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

    def rejected(self, *, include_dealt_with: bool = False) -> list[StoredEvent]:
        """Events HQ refused, newest first, for the operator to see and record again if still needed.

        A refused event is never deleted, also not when its case is revoked from this workstation
        (it is kept without personal details then, see ``CaseRepository.purge``). Once an operator
        has marked it dealt with (``mark_dealt_with``) it leaves this list unless asked for.
        """
        query = sa.select(t.events).where(t.events.c.sync_state == SyncState.REJECTED.value)
        if not include_dealt_with:
            query = query.where(t.events.c.dealt_with_at.is_(None))
        rows = self._conn.execute(query.order_by(t.events.c.local_seq.desc()))
        return [stored_from_row(r) for r in rows]

    def mark_dealt_with(self, event_ids: Iterable[str], by: str, at: str | None = None) -> int:
        """An operator or supervisor has dealt with these refused events (recorded again, told HQ,
        or judged nothing is to be done): record who and when. Events not refused, or already dealt
        with, are left as they are. Returns how many were marked."""
        self._uow.require_write()
        ids = list(event_ids)
        if not ids:
            return 0
        result = self._conn.execute(
            sa.update(t.events)
            .where(
                t.events.c.id.in_(_IDS),
                t.events.c.sync_state == SyncState.REJECTED.value,
                t.events.c.dealt_with_at.is_(None),
            )
            .values(dealt_with_at=at or iso(utcnow()), dealt_with_by=by),
            _ids_param(ids),
        )
        return int(result.rowcount)

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
        self._uow.projection.refresh_counts(case_ids)
        return int(result.rowcount)

    def unnumbered(self, *, signed: bool, limit: int = 100_000) -> list[Event]:
        """Accepted events the current epoch's feed has not numbered (``hq_seq`` empty): after an
        epoch change and a full pull, what HQ no longer holds. ``signed=True``: those HQ signed
        (its own events, which it can take back), causal order (each case's ``created`` first, then
        clock order); ``signed=False``: the others (other consoles' events)."""
        sig = t.events.c.signature
        rows = self._conn.execute(
            sa.select(t.events)
            .where(
                t.events.c.sync_state == SyncState.ACCEPTED.value,
                t.events.c.hq_seq.is_(None),
                sig.is_not(None) if signed else sig.is_(None),
            )
            .order_by(sa.case((t.events.c.type == EventType.CREATED.value, 0), else_=1), t.events.c.hlc, t.events.c.id)
            .limit(limit)
        )
        return [event_from_row(r) for r in rows]

    def forget_hq_seqs(self) -> int:
        """HQ's epoch changed: sequence numbers belong to the epoch that gave them, so every stored
        event's ``hq_seq`` is cleared (the events stay, in their state). HQ's new feed numbers again
        what it holds; an event it lost keeps no number the new epoch could give to another event.
        Returns how many numbers were cleared. The fold does not read ``hq_seq``: no case is refolded.
        """
        self._uow.require_write()
        self._uow.flush()
        result = self._conn.execute(sa.update(t.events).where(t.events.c.hq_seq.is_not(None)).values(hq_seq=None))
        return int(result.rowcount)


def _open_only(flt: QueueFilter) -> bool:
    if flt.follow_ups_due_by is not None and flt.statuses is None:
        return False
    return Status.CLOSED not in flt.statuses if flt.statuses is not None else not flt.include_closed


def _indexed_words(flt: QueueFilter) -> list[str]:
    """The search words the trigram index can look up (3 characters or more)."""
    words = flt.search.casefold().split() if flt.search else []
    return [w for w in words if len(w) >= FTS_MIN_CHARS]


def _filter_conditions(flt: QueueFilter, matches: list[int] | str | None = None) -> list[Any]:
    """The WHERE terms of a queue page or count. ``matches``, required when the search has words of
    3+ characters: the rowids the trigram index gave for them if there are at most
    ``FTS_FETCH_MAX``, else ``MANY_MATCHES`` (``CaseRepository._fts_matches``); or ``SCAN_TEXT``
    to test every word with instr on the narrow search index instead."""
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
    if flt.district is not None:
        conds.append(t.cases.c.district == flt.district)
    if flt.follow_ups_due_by is not None:
        conds.append(t.cases.c.follow_up_due.is_not(None))
        conds.append(t.cases.c.follow_up_due <= flt.follow_ups_due_by)
    words = flt.search.casefold().split() if flt.search else []
    if _indexed_words(flt) and matches != SCAN_TEXT:
        # Words of 3+ characters are looked up in the trigram index (a match there is exactly a
        # substring of search_text); shorter ones are tested with instr on those rows only. A few
        # matches (already read) are fetched by rowid and sorted. Many (a common name) would mean
        # fetching and sorting thousands of wide rows: "+rowid" makes SQLite walk an open-case
        # index in queue order instead, testing each entry against the index's matches, and stop
        # at the page's end (index-only for a count without short words).
        if matches is None:
            raise ValueError("a search with words of 3+ characters needs the trigram index's matches")
        if isinstance(matches, list):
            rowids = sa.func.json_each(json.dumps(matches))
            ids: sa.Select[Any] = sa.select(sa.literal_column("value")).select_from(rowids)
            conds.append(sa.literal_column("cases.rowid").in_(ids))
        else:
            column: sa.ColumnElement[Any] = sa.literal_column("+cases.rowid" if open_only else "cases.rowid")
            conds.append(column.in_(_fts_rowids(_indexed_words(flt))))
        conds.extend(sa.func.instr(t.cases.c.search_text, w) > 0 for w in words if len(w) < FTS_MIN_CHARS)
    elif words:
        # Only short words (or SCAN_TEXT): matched inside a narrow partial index of search_text (its WHERE written
        # literally so it matches; INDEXED BY, since the planner cannot tell the open-case one is the
        # smaller), then the few matching rows are fetched by rowid: scanning the wide rows is ~8x slower.
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


# The trigram tokenizer indexes runs of 3 characters; a shorter word cannot be looked up in it.
FTS_MIN_CHARS = 3


def fts_query(words: list[str]) -> str:
    """An FTS5 query requiring every word as a substring: each one a quoted string (so no word is
    read as an operator, a column name or a prefix query), joined by AND."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


# Up to this many matches, a search fetches them by rowid and sorts them (a few ms); beyond, an
# open-case search walks the queue index (tens of ms at 100,000 open cases, however many match).
FTS_FETCH_MAX = 300
MANY_MATCHES = "many"
# A count of many matches that also has short words: testing those on each match's row reads more
# pages than testing every word on the narrow search index (1.6x slower at 100,000 open cases).
SCAN_TEXT = "scan"
_FTS_MATCHES = sa.text("SELECT rowid FROM cases_fts WHERE cases_fts MATCH :fts_query LIMIT :fts_limit")


def _fts_rowids(words: list[str]) -> sa.Select[Any]:
    return (
        sa.select(sa.literal_column("cases_fts.rowid"))
        .select_from(sa.text("cases_fts"))
        .where(sa.text("cases_fts MATCH :fts_query").bindparams(fts_query=fts_query(words)))
    )


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

    def __init__(self, uow: Work):
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def state(self, case_id: str) -> CaseState | None:
        """The case's folded state; None if the case is unknown here or was purged."""
        purged, state = self._stored_state(case_id)
        if purged:
            return None
        if state is not None:
            return state
        state = fold(case_id, self._uow.events.for_fold(case_id))
        return state if state.exists else None

    def projected(self, case_id: str) -> CaseState | None:
        """The case's state as its projection row holds it, without folding: None if the case has
        no current row here (unknown, purged, or a row of another projection version)."""
        return self._stored_state(case_id)[1]

    def _stored_state(self, case_id: str) -> tuple[bool, CaseState | None]:
        """(purged, the state in the row's ``state_json`` if it is readable)."""
        self._uow.flush()
        row = self._conn.execute(
            sa.select(t.cases.c.state_json, t.cases.c.purged).where(t.cases.c.case_id == case_id)
        ).first()
        if row is None:
            return False, None
        if row.purged:
            return True, None
        return False, state_from_json(row.state_json)

    def get(self, case_id: str) -> CaseRow | None:
        self._uow.flush()
        row = self._conn.execute(sa.select(*_CASE_ROW_COLUMNS).where(t.cases.c.case_id == case_id)).first()
        return None if row is None else _case_row(row)

    def queue(self, flt: QueueFilter = QueueFilter(), limit: int = 500, offset: int = 0) -> list[CaseRow]:  # noqa: B008
        """Cases matching ``flt``: alarming first, then priority (1 highest), then oldest first."""
        self._uow.flush()
        matches = self._fts_matches(flt)
        if matches == []:
            return []
        query = (
            sa.select(*_CASE_ROW_COLUMNS)
            .where(*_filter_conditions(flt, matches))
            .order_by(*t.QUEUE_ORDER)
            .limit(limit)
            .offset(offset)
        )
        return [_case_row(r) for r in self._conn.execute(query)]

    def count(self, flt: QueueFilter = QueueFilter()) -> int:  # noqa: B008
        self._uow.flush()
        matches = self._fts_matches(flt)
        if matches == []:
            return 0
        words = flt.search.casefold().split() if flt.search else []
        if matches == MANY_MATCHES and any(len(w) < FTS_MIN_CHARS for w in words):
            matches = SCAN_TEXT
        query = sa.select(sa.func.count()).select_from(t.cases).where(*_filter_conditions(flt, matches))
        return int(self._conn.execute(query).scalar_one())

    def _fts_matches(self, flt: QueueFilter) -> list[int] | str | None:
        """Rowids of the cases whose search text holds every word of 3+ characters, or MANY_MATCHES
        when there are more than FTS_FETCH_MAX (the index stops reading there); None: no such word."""
        words = _indexed_words(flt)
        if not words:
            return None
        params = {"fts_query": fts_query(words), "fts_limit": FTS_FETCH_MAX + 1}
        found = [int(r) for r in self._conn.execute(_FTS_MATCHES, params).scalars()]
        return MANY_MATCHES if len(found) > FTS_FETCH_MAX else found

    def alarming(self, tier: Tier = Tier.DISTRICT) -> list[CaseRow]:
        """Every open case that needs the alarm on a console of ``tier``, muted or not (``core.alarm``
        decides): unacknowledged by the assigned district, or by HQ."""
        self._uow.flush()
        column = t.cases.c.hq_needs_alarm if tier is Tier.HQ else t.cases.c.needs_alarm
        rows = self._conn.execute(
            sa.select(*_CASE_ROW_COLUMNS).where(t.OPEN_CASES, column == 1).order_by(*t.QUEUE_ORDER)
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

        Deletes the case's accepted events and its drafts, and blanks its row to a tombstone
        (``purged``, no personal field, no state) that the queue and search skip. Events HQ refused
        stay in the refused list with HQ's reason, their payload cut to ``minimised_payload`` (an
        operator must still learn what was refused and act on it). Pending local events stay for
        the outbox; once HQ settles one it is deleted if accepted, or kept minimised if refused
        (``UnitOfWork.refold_many``); any late event of the case from HQ is deleted. Only HQ
        re-delivering the case's created event (the case came back to this district) revives it.

        Unreadable from the files too: ``secure_delete`` overwrites the deleted content in the newest
        page images; ``fts_remove`` takes the name index's entries out (FTS5
        ``secure-delete``); the scrub marker written here makes the commit checkpoint and truncate
        the WAL, which still holds the older images (``store.PurgeScrub``), or the next open do it.
        """
        self._uow.require_write()
        e = t.events
        self._conn.execute(
            sa.delete(e).where(e.c.case_id == case_id, e.c.sync_state == SyncState.ACCEPTED.value)
        )
        minimise_refused(self._conn, [case_id])
        self._conn.execute(sa.delete(t.drafts).where(t.drafts.c.case_id == case_id))
        self._uow.projection.discard(case_id)
        pending = int(
            self._conn.execute(
                sa.select(sa.func.count()).where(e.c.case_id == case_id, e.c.sync_state == SyncState.PENDING.value)
            ).scalar_one()
        )
        rejected = int(
            self._conn.execute(
                sa.select(sa.func.count()).where(e.c.case_id == case_id, e.c.sync_state == SyncState.REJECTED.value)
            ).scalar_one()
        )
        tombstone = {
            "kind": None,
            "status": str(Status.CLOSED),
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
            "hq_needs_alarm": 0,
            "hq_acknowledged_at": None,
            "hq_muted_until": None,
            "follow_up_due": None,
            "refused_silence": None,
            "pending_count": pending,
            "rejected_count": rejected,
            "purged": 1,
            "state_json": "{}",
        }
        self._uow.projection.fts_remove([case_id])
        self._conn.execute(
            sa.insert(t.cases).prefix_with("OR REPLACE"),
            [tombstone | {"case_id": case_id, "district": None, "updated_hlc": None}],
        )
        self._uow.projection.fts_add([case_id])
        self._uow.meta.set(META_SCRUB_PENDING, "1")
        self._uow.purged = True

    def refold(self, case_id: str) -> CaseState:
        """Recompute one case's projection row from its events now."""
        self._uow.require_write()
        return self._uow.projection.refold(case_id)

    def rebuild_all(self) -> int:
        """Recompute every projection row from the log (after a fold change). Returns cases folded."""
        self._uow.require_write()
        case_ids = [str(c) for c in self._conn.execute(sa.select(t.events.c.case_id).distinct()).scalars()]
        # the name index is rebuilt too: emptied at once (not entry by entry), refilled by the
        # refolds, and the tombstones' (empty) entries put back
        self._conn.exec_driver_sql("INSERT INTO cases_fts (cases_fts) VALUES ('delete-all')")
        self._conn.execute(sa.delete(t.cases).where(t.cases.c.purged == 0))
        tombstones = [str(c) for c in self._conn.execute(sa.select(t.cases.c.case_id)).scalars()]
        for i in range(0, len(tombstones), IN_CHUNK):
            self._uow.projection.fts_add(tombstones[i : i + IN_CHUNK])
        for i in range(0, len(case_ids), IN_CHUNK):
            self._uow.projection.refold_many(case_ids[i : i + IN_CHUNK])
        return len(case_ids)


class SyncMeta:
    """Small named values kept in the same transaction as the data they describe."""

    def __init__(self, uow: Work):
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

    def __init__(self, uow: Work):
        self._uow = uow

    def save(self, case_id: str, form: str, fields: dict[str, Any]) -> None:
        self._uow.require_write()
        self._uow.connection.execute(
            sa.insert(t.drafts).prefix_with("OR REPLACE"),
            [{"case_id": case_id, "form": form, "fields": dumps(dict(fields)), "saved_at": iso(utcnow())}],
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
