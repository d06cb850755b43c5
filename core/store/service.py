"""Operator actions as one call: check against the stored history, make the event, store it.

Runs on the DB worker thread (never the GUI thread).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.commands import decide_folded
from core.errors import OutcomeUnknown
from core.events import Author, Event, EventType
from core.hlc import HybridClock
from core.store.store import LocalStore, UnitOfWork


def record_in(
    uow: UnitOfWork,
    clock: HybridClock,
    author: Author,
    case_id: str,
    etype: EventType,
    payload: Mapping[str, Any],
    now: datetime | None = None,
) -> Event:
    """Record one operator action on a case in the caller's unit of work; returns the new (pending) event.

    Loads the case's history (without HQ-rejected events, as the fold sees it) and its state from
    the projection row, lets ``core.commands.decide_folded`` check and make the event (the one fold
    of the case, with the new event), and appends it with that state (so the row is written without
    a refold). The caller commits, so other writes of the same action (discarding the form's draft)
    land in the same transaction. The clock first observes the case's latest stamp, so the new event
    sorts after everything this workstation knows of the case even if its wall clock is behind the
    other devices'. Raises InvalidEvent (bad payload) or CommandRefused (the case's state does not
    allow it); nothing is appended then.
    """
    history = uow.events.for_fold(case_id)
    if history:
        clock.observe(max(e.hlc for e in history))
    decision = decide_folded(
        case_id=case_id,
        history=history,
        etype=etype,
        payload=payload,
        author=author,
        clock=clock,
        now=now,
        state=uow.cases.projected(case_id),
    )
    uow.events.append_local(decision.event, validated=True, state=decision.state)
    return decision.event


def record(
    store: LocalStore,
    clock: HybridClock,
    author: Author,
    case_id: str,
    etype: EventType,
    payload: Mapping[str, Any],
    now: datetime | None = None,
) -> Event:
    """``record_in`` in a unit of work of its own, committed; returns the stored (pending) event.

    Raises what ``record_in`` raises, or StoreUnavailable; nothing is stored in any of those cases.
    ``OutcomeUnknown`` (a StoreUnavailable) carries the event's id: the disk failed during COMMIT and
    the event may be stored; ask ``store.commit_outcome(exc.event_id)``.
    """
    with store.unit_of_work() as uow:
        event = record_in(uow, clock, author, case_id, etype, payload, now)
        try:
            uow.commit()
        except OutcomeUnknown as exc:
            exc.event_id = event.id
            raise
    return event
