"""What a case allows (core.commands.allowed / refusal) is the rule ``check`` refuses by; ``decide``
checks before it makes the event (a refused action does not tick the clock), folds once and
validates the event once; the amend targets a console offers."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

import core.commands as commands
import core.events as events
from core.commands import allowed, amend_targets, amendment_refusal, decide, decide_folded, refusal, refusals
from core.errors import CommandRefused, InvalidEvent
from core.events import AMENDABLE, Author, Event, EventType, Tier, iso
from core.fold import CaseState, fold
from core.hlc import HybridClock, Stamp
from tests.unit.core.conftest import DEFAULT_PAYLOADS, T0, created_payload

NOW = T0 + timedelta(hours=1)


def _payload(etype: EventType, history: list[Event], state: CaseState) -> dict[str, Any]:
    """A payload the payload rules accept, so that only the state can refuse."""
    if etype is EventType.CREATED:
        return created_payload()
    if etype is EventType.ALARM_MUTED:
        return {"reason": "on the phone", "until": iso(NOW + timedelta(minutes=10))}
    if etype is EventType.FOLLOW_UP_SCHEDULED:
        return {"due": iso(NOW + timedelta(days=1))}
    if etype is EventType.FOLLOW_UP_DONE:
        open_ids = [f.id for f in state.open_follow_ups()]
        return {"follow_up_id": open_ids[0] if open_ids else str(uuid.uuid4())}
    if etype is EventType.CONTACT_REVEALED:
        return {"field": "phone"}
    if etype is EventType.RISK_RAISED:
        return {"reason": "goodbye post"}
    if etype is EventType.ASSIGNED:
        return {"district": "Gaya"} if state.district != "Gaya" else {"district": "Patna"}
    if etype is EventType.AMENDED:
        target = next(e for e in history if e.type is EventType.CREATED)
        return {"target_event_id": target.id, "fields": {"summary": "corrected"}, "reason": "typo"}
    return dict(DEFAULT_PAYLOADS[etype])


# Steps that take a case through the states the rules tell apart.
SCRIPTS: dict[str, tuple[str, list[EventType]]] = {
    "a new alert": ("suicide_risk", []),
    "acknowledged and dispatched": ("suicide_risk", [EventType.ACKNOWLEDGED, EventType.DISPATCHED]),
    "reached, outcome, closed": (
        "suicide_risk",
        [
            EventType.ACKNOWLEDGED,
            EventType.DISPATCHED,
            EventType.REACHED,
            EventType.OUTCOME_RECORDED,
            EventType.CLOSED,
        ],
    ),
    "a complaint with a follow-up": ("complaint", [EventType.FOLLOW_UP_SCHEDULED]),
    "a closed complaint": ("complaint", [EventType.CLOSED]),
}


def _grow(kind: str, steps: list[EventType], author: Author) -> list[Event]:
    clock = HybridClock("dev-a")
    case_id = str(uuid.uuid4())
    history: list[Event] = []
    for etype in [EventType.CREATED, *steps]:
        state = fold(case_id, history)
        payload = created_payload(kind=kind) if etype is EventType.CREATED else _payload(etype, history, state)
        history.append(
            decide(case_id=case_id, history=history, etype=etype, payload=payload, author=author, clock=clock, now=NOW)
        )
    return history


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("tier", list(Tier))
def test_what_allowed_refuses_decide_refuses_with_the_same_reason_and_the_rest_it_records(
    script: str, tier: Tier
) -> None:
    author = Author("u-1", "Insp. Meena", tier)
    kind, steps = SCRIPTS[script]
    history = _grow(kind, steps, author)
    case_id = history[0].case_id
    state = fold(case_id, history)
    can = allowed(state, tier)
    reasons = refusals(state, tier)
    assert can == frozenset(EventType) - reasons.keys()
    assert can and reasons  # every script leaves something allowed and something refused
    for etype in EventType:
        payload = _payload(etype, history, state)
        try:
            decide(
                case_id=case_id,
                history=history,
                etype=etype,
                payload=payload,
                author=author,
                clock=HybridClock("dev-a", last=history[-1].hlc),
                now=NOW,
            )
        except CommandRefused as exc:
            assert etype in reasons, f"{etype} is allowed on {script!r} but refused: {exc}"
            assert str(exc) == reasons[etype]
        else:
            assert etype in can, f"{etype} is refused on {script!r} ({reasons.get(etype)}) but was recorded"


def test_the_closed_case_allows_only_aftercare_and_says_why() -> None:
    history = _grow("complaint", [EventType.CLOSED], Author("u-1", "Insp. Meena"))
    state = fold(history[0].case_id, history)
    assert refusal(state, EventType.DISPATCHED) == "the case is closed; reopen it first"
    assert EventType.REOPENED in allowed(state) and EventType.COUNSELLING_NOTE in allowed(state)
    assert refusal(CaseState(case_id="x"), EventType.ACKNOWLEDGED) == (
        "unknown case: its creation has not reached this workstation"
    )


def test_a_refused_action_does_not_tick_the_clock() -> None:
    wall = 1_800_000_000_000
    clock = HybridClock("dev-a", wall_ms=lambda: wall)
    author = Author("u-1", "Insp. Meena")
    case_id = str(uuid.uuid4())
    created = decide(
        case_id=case_id, history=[], etype=EventType.CREATED, payload=created_payload(), author=author, clock=clock
    )
    with pytest.raises(CommandRefused, match="acknowledge the case first"):
        decide(
            case_id=case_id,
            history=[created],
            etype=EventType.DISPATCHED,
            payload=DEFAULT_PAYLOADS[EventType.DISPATCHED],
            author=author,
            clock=clock,
            now=NOW,
        )
    with pytest.raises(InvalidEvent):
        decide(
            case_id=case_id, history=[created], etype=EventType.DISPATCHED, payload={}, author=author, clock=clock
        )
    ack = decide(
        case_id=case_id, history=[created], etype=EventType.ACKNOWLEDGED, payload={}, author=author, clock=clock
    )
    assert Stamp.parse(ack.hlc).counter == Stamp.parse(created.hlc).counter + 1


def test_an_invalid_payload_is_reported_before_a_refusal() -> None:
    author = Author("u-1", "Insp. Meena")
    history = _grow("suicide_risk", [], author)
    with pytest.raises(InvalidEvent, match="officer"):
        decide(
            case_id=history[0].case_id,
            history=history,
            etype=EventType.DISPATCHED,
            payload={"phone": "+919800000099"},
            author=author,
            clock=HybridClock("dev-a"),
        )


def test_decide_folds_once_and_validates_once_given_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    author = Author("u-1", "Insp. Meena")
    history = _grow("suicide_risk", [EventType.ACKNOWLEDGED], author)
    case_id = history[0].case_id
    state = fold(case_id, history)
    calls = {"fold": 0, "payload": 0, "validate": 0}
    real_fold, real_payload, real_validate = commands.fold, events._validate_payload, events.validate

    def counting_fold(*args: Any, **kwargs: Any) -> CaseState:
        calls["fold"] += 1
        return real_fold(*args, **kwargs)

    def counting_payload(*args: Any, **kwargs: Any) -> str:
        calls["payload"] += 1
        return real_payload(*args, **kwargs)

    def counting_validate(*args: Any, **kwargs: Any) -> None:
        calls["validate"] += 1
        real_validate(*args, **kwargs)

    monkeypatch.setattr(commands, "fold", counting_fold)
    monkeypatch.setattr(events, "_validate_payload", counting_payload)
    monkeypatch.setattr(events, "validate", counting_validate)
    decision = decide_folded(
        case_id=case_id,
        history=history,
        etype=EventType.DISPATCHED,
        payload=DEFAULT_PAYLOADS[EventType.DISPATCHED],
        author=author,
        clock=HybridClock("dev-a", last=history[-1].hlc),
        now=NOW,
        state=state,
    )
    assert calls == {"fold": 1, "payload": 1, "validate": 0}
    assert decision.state == real_fold(case_id, [*history, decision.event])
    assert decision.state.dispatched_at == decision.event.wall_time
    real_validate(decision.event)  # the event made without a second validation is a valid one


def test_amendment_refusals_name_the_rule() -> None:
    assert amendment_refusal(None) == "the entry to correct is not in this case"
    assert amendment_refusal(EventType.ACKNOWLEDGED) == (
        "a acknowledged entry cannot be corrected; record a new entry instead"
    )
    assert all(amendment_refusal(t) is None for t in AMENDABLE)


def test_amend_targets_are_the_console_amendable_entries_with_their_corrected_payloads() -> None:
    author = Author("u-1", "Insp. Meena")
    history = _grow("suicide_risk", [EventType.ACKNOWLEDGED, EventType.DISPATCHED], author)
    dispatch = history[-1]
    correction = decide(
        case_id=dispatch.case_id,
        history=history,
        etype=EventType.AMENDED,
        payload={"target_event_id": dispatch.id, "fields": {"officer": "SI Verma"}, "reason": "wrong name"},
        author=author,
        clock=HybridClock("dev-a", last=history[-1].hlc),
        now=NOW,
    )
    targets = amend_targets([*history, correction])
    assert [t.event.id for t in targets] == [dispatch.id]  # not the alert itself, not the acknowledgement
    assert targets[0].current["officer"] == "SI Verma" and targets[0].event.type is EventType.DISPATCHED
