"""Record an event: the one way an operator action reaches the store (the DB worker, works offline).

A commit whose outcome the disk left unknown is settled by the event's id before the operator is told
anything, so a retry never records the action twice. Once the event is stored the operation wakes the
sync engine's push itself, on the DB worker, so no caller has to remember it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.commands import role_refusal
from core.errors import CommandRefused, OutcomeUnknown, StoreUnavailable
from core.events import Author, Event, EventType
from core.hlc import HybridClock
from core.store import service
from ui.operations.base import CollectionOp, writing
from ui.operations.cases import case_with_upstream_ref

if TYPE_CHECKING:
    from core.store import LocalStore, UnitOfWork
    from ui.context import ApplicationContext

Success = Callable[[Any], None] | None
Failure = Callable[[BaseException], None] | None


def record_checked(
    store: LocalStore,
    clock: HybridClock,
    author: Author,
    case_id: str,
    etype: EventType,
    payload: Mapping[str, Any],
    *,
    check_first: str | None = None,
    discard_draft: str | None = None,
) -> Event | None:
    """Record one operator action, never reporting "not saved" for an event that is stored.

    Runs on the DB worker (never the GUI thread). The event and, with ``discard_draft`` (a form id),
    the discarding of that form's draft are one transaction. When the disk fails during COMMIT
    (``OutcomeUnknown``) this asks the store (``LocalStore.commit_outcome``): stored returns the event
    as if nothing went wrong; not stored raises StoreUnavailable (nothing saved, the caller says so);
    cannot tell re-raises the ``OutcomeUnknown``, whose ``event_id`` the caller keeps and passes back
    as ``check_first`` on the next attempt, so a retry first settles the earlier one.
    """

    def settled(event_id: str, exc: OutcomeUnknown) -> Event | None:
        outcome = store.commit_outcome(event_id)
        if outcome is None:
            raise exc
        if outcome:
            with store.reader() as r:
                stored = r.events.get(event_id)
                return stored.event if stored is not None else None
        return None

    if check_first is not None:
        event = settled(check_first, OutcomeUnknown("the earlier attempt is still undecided", event_id=check_first))
        if event is not None:
            return event
    try:
        with store.unit_of_work() as uow:
            event = service.record_in(uow, clock, author, case_id, etype, payload)
            if discard_draft is not None:
                uow.drafts.discard(case_id, discard_draft)
            commit_action(uow, event)
    except OutcomeUnknown as exc:
        if exc.event_id is None:
            raise
        event = settled(exc.event_id, exc)
        if event is not None:
            return event
        raise StoreUnavailable(f"not saved: {exc}", exc.cause) from exc
    return event


def commit_action(uow: UnitOfWork, event: Event) -> None:
    """Commit an operator action's unit of work. A disk failure during COMMIT (``OutcomeUnknown``)
    leaves it unknown whether ``event`` is stored: the error then carries the event's id."""
    try:
        uow.commit()
    except OutcomeUnknown as exc:
        if exc.event_id is None:
            exc.event_id = event.id
        raise


def record_event(
    ctx: ApplicationContext,
    case_id: str,
    etype: EventType,
    payload: Mapping[str, Any],
    *,
    check_first: str | None = None,
    discard_draft: str | None = None,
    success: Success = None,
    failure: Failure = None,
) -> CollectionOp[Any]:
    """Record ``etype`` on ``case_id`` in the console user's name (read now, on the GUI thread). A
    type the account's role never records (a tip desk's acknowledgement: ``core.commands.ROLE_WRITES``,
    which HQ's push also applies) is refused here, before anything is stored."""
    store, clock, author, engine = ctx.store, ctx.clock, ctx.author, ctx.engine
    not_for_role = role_refusal(ctx.role, etype)

    def fn() -> Event | None:
        if not_for_role is not None:
            raise CommandRefused(not_for_role)
        event = record_checked(
            store, clock, author, case_id, etype, payload, check_first=check_first, discard_draft=discard_draft
        )
        if engine is not None:
            engine.notify_local_change()  # in the outbox now: push it
        return event

    return CollectionOp(fn=fn, success=success, failure=failure, changes=(case_id,))


def reveal_contact(ctx: ApplicationContext, case_id: str, field: str, *, success: Success = None) -> CollectionOp[Any]:
    """Record ``contact_revealed`` (audited) for one phone field; the pane unmasks on success."""
    return record_event(ctx, case_id, EventType.CONTACT_REVEALED, {"field": field}, success=success)


def mark_refused_dealt_with(
    ctx: ApplicationContext, event_ids: list[str], *, success: Success = None
) -> CollectionOp[int]:
    """Record that the console user dealt with these HQ-refused entries; returns how many were marked."""
    by = f"{ctx.author.display_name} ({ctx.author.user_id})"

    def body(uow: UnitOfWork) -> int:
        return int(uow.outbox.mark_dealt_with(event_ids, by))

    return CollectionOp(fn=writing(ctx.store, body), success=success, failure=ctx.taskman.report, changes=())


@dataclass(frozen=True)
class IntakeRecorded:
    """What manual intake did: recorded the new case (``event``, its ``created``), or found the case
    this replica already holds for the alert (``existing``) and recorded nothing."""

    event: Event | None
    existing: str | None = None


def record_intake(
    ctx: ApplicationContext,
    case_id: str,
    created: Mapping[str, Any],
    assignment: Mapping[str, Any] | None,
    *,
    discard_draft: tuple[str, str] | None = None,
    success: Success = None,
    failure: Failure = None,
) -> CollectionOp[IntakeRecorded]:
    """Open a case at this console: look its upstream reference up first, then record ``created``
    (and, with ``assignment``, the ``assigned`` that routes it) in one unit of work. Works offline;
    the sync engine pushes both. ``discard_draft``: (draft key, form id) discarded in the same
    transaction.

    The lookup and the writes share the transaction, so two submits cannot both make the case. A
    commit whose outcome the disk left unknown needs no settling of its own: the next submit's
    lookup finds the case if it was stored, and shows it instead of making it twice.
    """
    store, clock, author, engine = ctx.store, ctx.clock, ctx.author, ctx.engine

    def body(uow: UnitOfWork) -> IntakeRecorded:
        existing = case_with_upstream_ref(uow, str(created.get("upstream_ref") or ""))
        if existing is not None:
            return IntakeRecorded(None, existing)
        event = service.record_in(uow, clock, author, case_id, EventType.CREATED, created)
        if assignment:
            service.record_in(uow, clock, author, case_id, EventType.ASSIGNED, assignment)
        if discard_draft is not None:
            uow.drafts.discard(*discard_draft)
        commit_action(uow, event)
        return IntakeRecorded(event)

    def fn() -> IntakeRecorded:
        with store.unit_of_work() as uow:
            recorded = body(uow)
        if recorded.event is not None and engine is not None:
            engine.notify_local_change()  # in the outbox now: push it
        return recorded

    return CollectionOp(fn=fn, success=success, failure=failure, changes=(case_id,))
