"""Local commands: check a proposed event against the case's current state, then make it.

The fold accepts any merged history; commands are stricter. They stop an operator from recording
what makes no sense *given what this replica knows* (dispatching a closed case, closing without an
outcome). Both the desktop client and HQ call ``decide`` before appending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from core.errors import CommandRefused, InvalidEvent
from core.events import (
    AMENDABLE,
    PAYLOADS,
    Author,
    CaseKind,
    Event,
    EventType,
    Outcome,
    new_event,
    parse_time,
    utcnow,
)
from core.fold import CaseState, Status, effective_payloads, fold
from core.hlc import HybridClock

MAX_MUTE_MIN = 30

# What may still be recorded on a closed case: follow-up care goes on after the case is closed.
ALLOWED_WHEN_CLOSED = frozenset(
    {
        EventType.REOPENED,
        EventType.COUNSELLING_NOTE,
        EventType.FOLLOW_UP_SCHEDULED,
        EventType.FOLLOW_UP_DONE,
        EventType.AMENDED,
        EventType.CONTACT_REVEALED,
        EventType.ASSIGNED,
    }
)

NEEDS_ACKNOWLEDGEMENT = frozenset(
    {EventType.DISPATCHED, EventType.FORWARDED, EventType.EN_ROUTE, EventType.REACHED, EventType.OUTCOME_RECORDED}
)


def check(
    state: CaseState, events: Sequence[Event], etype: EventType, payload: Mapping[str, Any], now: datetime
) -> None:
    """Raise CommandRefused with an operator-readable reason if ``etype`` is not allowed now."""
    if etype is EventType.CREATED:
        if state.exists:
            raise CommandRefused("this case already exists")
        return
    if not state.exists:
        raise CommandRefused("unknown case: its creation has not reached this workstation")
    if state.is_closed and etype not in ALLOWED_WHEN_CLOSED:
        raise CommandRefused("the case is closed; reopen it first")
    if etype in NEEDS_ACKNOWLEDGEMENT and state.acknowledged_at is None:
        raise CommandRefused("acknowledge the case first")
    if etype is EventType.ACKNOWLEDGED and state.acknowledged_at is not None:
        raise CommandRefused(f"already acknowledged by {state.acknowledged_by}")
    if etype is EventType.EN_ROUTE and state.dispatched_at is None:
        raise CommandRefused("record the dispatch first")
    if etype is EventType.REOPENED and not state.is_closed:
        raise CommandRefused("the case is not closed")
    if etype is EventType.CLOSED and state.kind == CaseKind.SUICIDE_RISK and state.outcome is None:
        raise CommandRefused("record the outcome before closing")
    if etype is EventType.OUTCOME_RECORDED:
        if payload.get("outcome") == Outcome.NOT_REACHED and not payload.get("not_reached_reason"):
            raise CommandRefused("say why the person was not reached")
        if payload.get("outcome") == Outcome.FALSE_ALARM and not payload.get("false_alarm_reason"):
            raise CommandRefused("say why this was a false alarm")
    if etype is EventType.FOLLOW_UP_DONE:
        open_ids = {f.id for f in state.open_follow_ups()}
        if payload.get("follow_up_id") not in open_ids:
            raise CommandRefused("no open follow-up with that id")
    if etype is EventType.ALARM_MUTED:
        if not state.needs_alarm:
            raise CommandRefused("this case is not alarming")
        until = parse_time(str(payload["until"]))
        if until <= now:
            raise CommandRefused("a mute must end in the future")
        if until - now > timedelta(minutes=MAX_MUTE_MIN):
            raise CommandRefused(f"a mute lasts at most {MAX_MUTE_MIN} minutes")
    if etype is EventType.AMENDED:
        _check_amendment(events, payload)
    same_place = (state.district, state.police_station) == (payload.get("district"), payload.get("police_station"))
    if etype is EventType.ASSIGNED and same_place:
        raise CommandRefused("the case is already assigned there")


def _check_amendment(events: Sequence[Event], payload: Mapping[str, Any]) -> None:
    target_id = payload.get("target_event_id")
    target = next((e for e in events if e.id == target_id), None)
    if target is None:
        raise CommandRefused("the entry to correct is not in this case")
    if target.type not in AMENDABLE:
        raise CommandRefused(f"a {target.type} entry cannot be corrected; record a new entry instead")
    current = effective_payloads(sorted(events, key=lambda e: e.sort_key))[target.id]
    fields = dict(payload["fields"])
    try:
        PAYLOADS[target.type](current | fields, "fields")
    except InvalidEvent as exc:
        raise CommandRefused(f"the correction is not valid: {exc}") from None


def decide(
    *,
    case_id: str,
    history: Sequence[Event],
    etype: EventType,
    payload: Mapping[str, Any],
    author: Author,
    clock: HybridClock,
    now: datetime | None = None,
) -> Event:
    """Validate and make the next event of a case. Raises InvalidEvent or CommandRefused.

    The event records the case's last ``assigned`` event in ``history`` (``Event.seen_assignment``):
    what this replica knew of the case's district when the event was made.
    """
    now = now or utcnow()
    state = fold(case_id, history)
    event = new_event(
        case_id=case_id,
        type=etype,
        payload=payload,
        author=author,
        device_id=clock.node,
        hlc=clock.now(),
        wall_time=now,
        seen_assignment=None if etype in NOT_JUDGED_BY_ASSIGNMENT else last_assignment(history),
    )
    check(state, history, etype, payload, now)
    return event


# Events HQ never judges by what their author had seen of the assignment: only intake creates a
# case, and only HQ operators (who may write to any case) assign one.
NOT_JUDGED_BY_ASSIGNMENT = frozenset({EventType.CREATED, EventType.ASSIGNED})


def last_assignment(history: Sequence[Event]) -> str | None:
    """The id of the case's last ``assigned`` event in fold order (the one the case's district comes
    from), or None if the history holds none."""
    assigned = [e for e in history if e.type is EventType.ASSIGNED]
    return max(assigned, key=lambda e: e.sort_key).id if assigned else None


__all__ = ["MAX_MUTE_MIN", "NOT_JUDGED_BY_ASSIGNMENT", "Status", "check", "decide", "last_assignment"]
