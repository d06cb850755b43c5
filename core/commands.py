"""Local commands: check a proposed event against the case's current state, then make it.

The fold accepts any merged history; commands are stricter. They stop an operator from recording
what makes no sense *given what this replica knows* (dispatching a closed case, closing without an
outcome, recording "not reached" after "reached"). Both the desktop client and HQ call ``decide``
before appending.

What each event type may contradict, and what is refused (each with a reason an operator can act on;
tests in ``tests/unit/core/test_commands.py``):

- ``created`` twice; ``assigned`` to the place the case already is, or by a district author
  (``HQ_ONLY``: HQ routes cases);
- ``acknowledged`` a second time by the same tier (HQ, or the assigned district);
- ``dispatched``/``forwarded``/``en_route``/``reached``/``outcome_recorded`` before the author's tier
  acknowledged; anything but aftercare on a closed case;
- ``en_route`` before a dispatch, after the team has reached the person, or after an outcome;
- ``reached`` after the outcome "not reached", or at a time more than ``REACHED_FUTURE_SLACK`` ahead;
- a second ``outcome_recorded`` (the recorded outcome is corrected with ``amended``, not contradicted);
- any entry or correction that leaves the case both reached and "not reached", or reached before the
  alert was received (``contradiction``, checked on the state the new event would make);
- ``follow_up_done`` of a follow-up that is not open; ``alarm_muted`` of a case that does not ring for
  the author's tier, or for longer than ``MAX_MUTE_MIN``; ``closed`` of a suicide-risk case without an
  outcome; ``reopened`` of an open case; ``risk_raised`` of a case that already is suicide-risk;
  ``amended`` of an entry not in the case or not amendable, or into an invalid payload;
- ``tip_officer_assigned``/``tip_action``/``tip_outcome`` on a case that is not a tip; the officer
  the tip is already with (a later outcome supersedes an earlier one, so a second ``tip_outcome`` is
  not refused; a tip may close without one, as HQ closes a tip that is plainly no tip).
- ``located``, ``counselling_note``, ``follow_up_scheduled``, ``escalated`` and ``contact_revealed``
  contradict nothing (they add information).

What the case's state alone refuses (whatever the payload) is ``refusal``; a console enables its
actions by ``allowed``, and ``check`` refuses by the same rule before it looks at the payload.
``amendment_refusal`` is also HQ's rule for an ``amended`` entry pushed to it.

Acknowledgements and mutes carry the author's tier (``Author.tier``); a district acknowledgement
also names the district the case is assigned to on this replica. The command fills both in; a
payload that claims another tier than the author's is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.errors import CommandRefused, InvalidEvent
from core.events import (
    AMENDABLE,
    PAYLOADS,
    TIP_WORK_EVENTS,
    Author,
    CaseKind,
    Event,
    EventType,
    Outcome,
    Tier,
    new_event,
    parse_time,
    utcnow,
    validate_payload,
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
        EventType.RISK_RAISED,
        # a complaint's publication in flight and its clock's marks are recorded even after closing
        EventType.REPLY_PUBLISHED,
        EventType.REPLY_PUBLISH_FAILED,
        EventType.CITIZEN_REPLIED,
        EventType.SLA_WARNED,
        EventType.SLA_BREACHED,
    }
)

NEEDS_ACKNOWLEDGEMENT = frozenset(
    {EventType.DISPATCHED, EventType.FORWARDED, EventType.EN_ROUTE, EventType.REACHED, EventType.OUTCOME_RECORDED}
)


# What only HQ records (its push refuses the same from a district account): routing a case. (A
# district console never offers to open a case either; its push of a ``created`` is refused at HQ.)
HQ_ONLY: dict[EventType, str] = {
    EventType.ASSIGNED: "only HQ assigns cases to districts",
}

# A reached time this far ahead of the recording console's clock is a mistake, not clock skew.
REACHED_FUTURE_SLACK = timedelta(minutes=10)


def refusal(state: CaseState, etype: EventType, tier: Tier = Tier.DISTRICT) -> str | None:
    """Why the case's state refuses an ``etype`` entry by an author of ``tier``, whatever its payload;
    None if the state allows it. The one rule of what a case allows: ``check`` refuses by it and a
    console enables its actions by it (``allowed``)."""
    if etype in HQ_ONLY and tier is not Tier.HQ:
        return HQ_ONLY[etype]
    if etype is EventType.CREATED:
        return "this case already exists" if state.exists else None
    if not state.exists:
        return "unknown case: its creation has not reached this workstation"
    if state.is_closed and etype not in ALLOWED_WHEN_CLOSED:
        return "the case is closed; reopen it first"
    acknowledged = state.acknowledged_for(tier) is not None
    if etype in NEEDS_ACKNOWLEDGEMENT and not acknowledged:
        return "acknowledge the case first"
    if etype is EventType.ACKNOWLEDGED and acknowledged:
        by = state.hq_acknowledged_by if tier is Tier.HQ else state.acknowledged_by
        return f"already acknowledged by {by}"
    if etype is EventType.EN_ROUTE:
        if state.dispatched_at is None:
            return "record the dispatch first"
        if state.reached_at is not None:
            return "the team has already reached the person; 'on the way' would contradict that"
        if state.outcome is not None:
            return "the outcome is already recorded; 'on the way' would contradict it"
    if etype is EventType.REACHED and state.outcome == Outcome.NOT_REACHED:
        return "the outcome says the person was not reached; correct that outcome instead"
    if etype is EventType.OUTCOME_RECORDED and state.outcome is not None:
        return "an outcome is already recorded; correct it instead of recording another"
    if etype in TIP_WORK_EVENTS and state.kind != CaseKind.TIP:
        return "only a tip takes an officer, action notes and a tip outcome"
    if etype is EventType.RISK_RAISED and state.is_suicide_risk:
        return "this case is already a suicide-risk case"
    if etype is EventType.REOPENED and not state.is_closed:
        return "the case is not closed"
    if etype is EventType.CLOSED and state.is_suicide_risk and state.outcome is None:
        return "record the outcome before closing"
    if etype is EventType.FOLLOW_UP_DONE and not state.open_follow_ups():
        return "no open follow-up on this case"
    if etype is EventType.ALARM_MUTED and not state.needs_alarm_for(tier):
        return "this case is not alarming"
    return None


def refusals(state: CaseState, tier: Tier = Tier.DISTRICT) -> dict[EventType, str]:
    """Every event type the case's state refuses to an author of ``tier``, with the reason."""
    out: dict[EventType, str] = {}
    for etype in EventType:
        reason = refusal(state, etype, tier)
        if reason is not None:
            out[etype] = reason
    return out


def allowed(state: CaseState, tier: Tier = Tier.DISTRICT) -> frozenset[EventType]:
    """The event types an author of ``tier`` may record on the case now (a payload may still be
    refused by ``check``: a mute too long, a follow-up id that is not open)."""
    return frozenset(t for t in EventType if refusal(state, t, tier) is None)


# What the tip desks' accounts may record at all (HQ refuses the rest from them: ``hq.scope``): the
# SP's office does a tip's follow-up work; the DIG supervises, notes actions, routes its range's
# tips to a district of the range and may raise a tip to suicide-risk. Neither acknowledges or
# mutes (their tier is HQ's) nor dispatches. Other roles: any type ``allowed`` gives.
ROLE_WRITES: dict[str, frozenset[EventType]] = {
    "sp_office": TIP_WORK_EVENTS | {EventType.CLOSED, EventType.REOPENED, EventType.RISK_RAISED},
    "range_dig": frozenset({EventType.TIP_ACTION, EventType.RISK_RAISED, EventType.ASSIGNED}),
}


ROLE_REFUSAL = "this account does not record this; HQ's operators do"


def role_refusal(role: str | None, etype: EventType) -> str | None:
    """Why an account of ``role`` may not record ``etype`` at all (``ROLE_WRITES``); None if it may."""
    return ROLE_REFUSAL if role in ROLE_WRITES and etype not in ROLE_WRITES[role] else None


def allowed_for(state: CaseState, tier: Tier, role: str | None) -> frozenset[EventType]:
    """``allowed``, narrowed to what an account of ``role`` may record (``ROLE_WRITES``)."""
    can = allowed(state, tier)
    return can & ROLE_WRITES[role] if role in ROLE_WRITES else can


def check(
    state: CaseState,
    events: Sequence[Event],
    etype: EventType,
    payload: Mapping[str, Any],
    now: datetime,
    tier: Tier = Tier.DISTRICT,
) -> None:
    """Raise CommandRefused with an operator-readable reason if ``etype`` is not allowed now.

    First what the state allows (``refusal``), then what this payload says. ``payload`` has been
    validated against the event type's schema (``check`` reads its fields as the schema has them).
    """
    reason = refusal(state, etype, tier)
    if reason is not None:
        raise CommandRefused(reason)
    if etype is EventType.REACHED:
        reached = parse_time(str(payload["at"]))
        if reached > now + REACHED_FUTURE_SLACK:
            raise CommandRefused("the time reached is in the future")
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
        until = parse_time(str(payload["until"]))
        if until <= now:
            raise CommandRefused("a mute must end in the future")
        if until - now > timedelta(minutes=MAX_MUTE_MIN):
            raise CommandRefused(f"a mute lasts at most {MAX_MUTE_MIN} minutes")
    if etype is EventType.AMENDED:
        _check_amendment(events, payload)
    officer = state.tip_officer
    if etype is EventType.TIP_OFFICER_ASSIGNED and officer is not None and officer.get("officer_id") == payload.get(
        "officer_id"
    ):
        raise CommandRefused("the tip is already with this officer")
    same_place = (state.district, state.police_station) == (payload.get("district"), payload.get("police_station"))
    if etype is EventType.ASSIGNED and same_place:
        raise CommandRefused("the case is already assigned there")


def contradiction(state: CaseState) -> str | None:
    """What in a case's state contradicts itself, as an operator-readable reason; None if nothing."""
    if state.reached_at is not None and state.outcome == Outcome.NOT_REACHED:
        return "the person cannot be both reached and not reached; correct one of the two entries"
    if state.reached_at is not None and state.received_at is not None:
        try:
            if parse_time(state.reached_at) < parse_time(state.received_at):
                return "the time reached is before the alert was received"
        except ValueError:
            return None
    return None


def _with_tier(etype: EventType, payload: Mapping[str, Any], author: Author, state: CaseState) -> dict[str, Any]:
    """The payload with the author's tier (and, for a district acknowledgement, the district)."""
    out = dict(payload)
    if etype not in (EventType.ACKNOWLEDGED, EventType.ALARM_MUTED):
        return out
    claimed = out.get("tier")
    if claimed is not None and claimed != author.tier:
        raise CommandRefused(f"this account acknowledges for {author.tier}, not for {claimed}")
    out["tier"] = str(author.tier)
    if etype is EventType.ACKNOWLEDGED and author.tier is Tier.DISTRICT and state.district:
        out.setdefault("district", state.district)
    return out


NOT_IN_CASE = "the entry to correct is not in this case"


def amendment_refusal(target_type: EventType | None) -> str | None:
    """Why an ``amended`` entry may not correct its target; ``target_type`` is the target's type, or
    None if the target is not an entry of the same case. HQ's push refuses by the same rule."""
    if target_type is None:
        return NOT_IN_CASE
    if target_type not in AMENDABLE:
        return f"a {target_type} entry cannot be corrected; record a new entry instead"
    return None


def _check_amendment(events: Sequence[Event], payload: Mapping[str, Any]) -> None:
    target_id = payload.get("target_event_id")
    target = next((e for e in events if e.id == target_id), None)
    if target is None:
        raise CommandRefused(NOT_IN_CASE)
    reason = amendment_refusal(target.type)
    if reason is not None:
        raise CommandRefused(reason)
    current = effective_payloads(sorted(events, key=lambda e: e.sort_key))[target.id]
    fields = dict(payload["fields"])
    try:
        PAYLOADS[target.type](current | fields, "fields")
    except InvalidEvent as exc:
        raise CommandRefused(f"the correction is not valid: {exc}") from None


# What a console's correction form offers: the amendable entries but the alert itself (``created``),
# whose details come from the upstream alert and are corrected at HQ.
CONSOLE_AMENDABLE = AMENDABLE - {EventType.CREATED}


@dataclass(frozen=True)
class AmendTarget:
    """An entry a console may correct: the event (its ``type`` is the key of its label) and its
    payload as corrected so far (what the correction form starts from)."""

    event: Event
    current: dict[str, Any]


def amend_targets(history: Iterable[Event]) -> list[AmendTarget]:
    """The entries of a case a console may correct, in the order given. ``history``: the events the
    case is folded from (HQ-refused ones left out)."""
    events = list(history)
    current = effective_payloads(sorted(events, key=lambda e: e.sort_key))
    return [AmendTarget(e, current[e.id]) for e in events if e.type in CONSOLE_AMENDABLE]


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
    return decide_folded(
        case_id=case_id, history=history, etype=etype, payload=payload, author=author, clock=clock, now=now
    ).event


@dataclass(frozen=True)
class Decision:
    """A new event and the case's state with it (``fold`` of the history and the event)."""

    event: Event
    state: CaseState


def decide_folded(
    *,
    case_id: str,
    history: Sequence[Event],
    etype: EventType,
    payload: Mapping[str, Any],
    author: Author,
    clock: HybridClock,
    now: datetime | None = None,
    state: CaseState | None = None,
) -> Decision:
    """``decide``, also returning the state the event makes, so a caller that stores the event need
    not fold the case again.

    ``state``: the case's state folded from ``history`` if the caller holds it (the store's
    projection), else it is folded here. The payload is validated, then checked, and only then is
    the event made: a refused action does not tick ``clock``. The case is folded once with the new
    event (for ``contradiction`` and the returned state), and the event is validated once.
    """
    now = now or utcnow()
    before = fold(case_id, history) if state is None else state
    payload = _with_tier(etype, payload, author, before)
    payload_json = validate_payload(etype, payload)
    check(before, history, etype, payload, now, author.tier)
    event = new_event(
        case_id=case_id,
        type=etype,
        payload=payload,
        author=author,
        device_id=clock.node,
        hlc=clock.now(),
        wall_time=now,
        seen_assignment=None if etype in NOT_JUDGED_BY_ASSIGNMENT else last_assignment(history),
        payload_json=payload_json,
    )
    after = fold(case_id, [*history, event])
    if etype is not EventType.CREATED and contradiction(before) is None:
        # only what this entry introduces: a merged history that already contradicts itself must
        # not block unrelated work (or the correction that resolves it)
        reason = contradiction(after)
        if reason is not None:
            raise CommandRefused(reason)
    return Decision(event, after)


# Events HQ never judges by what their author had seen of the assignment: only intake creates a
# case, and only HQ operators (who may write to any case) assign one.
NOT_JUDGED_BY_ASSIGNMENT = frozenset({EventType.CREATED, EventType.ASSIGNED})


def last_assignment(history: Sequence[Event]) -> str | None:
    """The id of the case's last ``assigned`` event in fold order (the one the case's district comes
    from), or None if the history holds none."""
    assigned = [e for e in history if e.type is EventType.ASSIGNED]
    return max(assigned, key=lambda e: e.sort_key).id if assigned else None


__all__ = [
    "CONSOLE_AMENDABLE",
    "HQ_ONLY",
    "MAX_MUTE_MIN",
    "NOT_JUDGED_BY_ASSIGNMENT",
    "ROLE_REFUSAL",
    "ROLE_WRITES",
    "AmendTarget",
    "Decision",
    "Status",
    "allowed",
    "allowed_for",
    "amend_targets",
    "amendment_refusal",
    "check",
    "contradiction",
    "decide",
    "decide_folded",
    "last_assignment",
    "refusal",
    "refusals",
    "role_refusal",
]
