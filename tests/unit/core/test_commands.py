"""Command rules (core.commands.check via decide): what an operator may record given the case's state."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from core.commands import MAX_MUTE_MIN, decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Author, Event, EventType, iso
from core.fold import Status, fold
from core.hlc import HybridClock
from tests.unit.core.conftest import DEFAULT_PAYLOADS, T0, created_payload

NOW = T0 + timedelta(hours=1)


class Case:
    """A case history grown through decide(), as an operator's console would."""

    def __init__(self, kind: str = "suicide_risk"):
        self.clock = HybridClock("dev-a")
        self.author = Author("u-1", "Insp. Meena")
        self.case_id = str(uuid.uuid4())
        self.history: list[Event] = []
        self.do(EventType.CREATED, created_payload(kind=kind))

    def do(self, etype: EventType, payload: dict[str, Any] | None = None) -> Event:
        event = decide(
            case_id=self.case_id,
            history=self.history,
            etype=etype,
            payload=DEFAULT_PAYLOADS[etype] if payload is None else payload,
            author=self.author,
            clock=self.clock,
            now=NOW,
        )
        self.history.append(event)
        return event

    def refused(self, etype: EventType, payload: dict[str, Any] | None = None, match: str = "") -> None:
        before = list(self.history)
        with pytest.raises(CommandRefused, match=match):
            self.do(etype, payload)
        assert self.history == before

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return fold(self.case_id, self.history)


def test_the_whole_response_in_order() -> None:
    case = Case()
    for etype in (
        EventType.ACKNOWLEDGED,
        EventType.LOCATED,
        EventType.DISPATCHED,
        EventType.EN_ROUTE,
        EventType.REACHED,
        EventType.OUTCOME_RECORDED,
        EventType.COUNSELLING_NOTE,
        EventType.CLOSED,
    ):
        case.do(etype)
    assert case.state.status is Status.CLOSED
    assert case.state.outcome == "safe_counselled"
    assert [e.hlc for e in case.history] == sorted(e.hlc for e in case.history)


def test_created_only_once_and_nothing_before_it() -> None:
    case = Case()
    case.refused(EventType.CREATED, created_payload(), "already exists")
    with pytest.raises(CommandRefused, match="unknown case"):
        decide(
            case_id=str(uuid.uuid4()),
            history=[],
            etype=EventType.ACKNOWLEDGED,
            payload={},
            author=case.author,
            clock=case.clock,
            now=NOW,
        )


@pytest.mark.parametrize(
    "etype",
    [EventType.DISPATCHED, EventType.FORWARDED, EventType.EN_ROUTE, EventType.REACHED, EventType.OUTCOME_RECORDED],
)
def test_progress_needs_an_acknowledgement_first(etype: EventType) -> None:
    Case().refused(etype, match="acknowledge the case first")


def test_acknowledged_once_naming_who() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.ACKNOWLEDGED, match="already acknowledged by Insp. Meena")


def test_en_route_needs_a_dispatch() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.EN_ROUTE, match="dispatch first")
    case.do(EventType.DISPATCHED)
    case.do(EventType.EN_ROUTE)


def test_suicide_risk_closes_only_with_an_outcome_but_a_tip_may_close() -> None:
    case = Case()
    case.refused(EventType.CLOSED, match="outcome before closing")
    tip = Case(kind="tip")
    tip.do(EventType.CLOSED)
    assert tip.state.is_closed


def test_closed_case_takes_only_aftercare_until_reopened() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.do(EventType.OUTCOME_RECORDED)
    case.do(EventType.CLOSED)
    case.refused(EventType.DISPATCHED, match="closed; reopen it first")
    case.refused(EventType.ESCALATED, match="closed")
    case.refused(EventType.CLOSED, match="closed")
    note = case.do(EventType.COUNSELLING_NOTE)
    follow_up = case.do(EventType.FOLLOW_UP_SCHEDULED, {"due": iso(NOW + timedelta(days=3))})
    case.do(EventType.FOLLOW_UP_DONE, {"follow_up_id": follow_up.id})
    case.do(EventType.AMENDED, {"target_event_id": note.id, "fields": {"text": "fixed"}, "reason": "typo"})
    case.do(EventType.REOPENED)
    assert case.state.status is Status.OUTCOME_RECORDED and case.state.reopen_count == 1
    case.refused(EventType.REOPENED, match="not closed")


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        ({"outcome": "not_reached"}, "not reached"),
        ({"outcome": "false_alarm"}, "false alarm"),
    ],
)
def test_outcome_reasons_required(payload: dict[str, Any], match: str) -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.OUTCOME_RECORDED, payload, match)


def test_follow_up_done_needs_an_open_follow_up() -> None:
    case = Case()
    case.refused(EventType.FOLLOW_UP_DONE, {"follow_up_id": str(uuid.uuid4())}, "no open follow-up")
    follow_up = case.do(EventType.FOLLOW_UP_SCHEDULED, {"due": iso(NOW + timedelta(days=1))})
    case.do(EventType.FOLLOW_UP_DONE, {"follow_up_id": follow_up.id})
    case.refused(EventType.FOLLOW_UP_DONE, {"follow_up_id": follow_up.id}, "no open follow-up")


def test_alarm_mute_rules() -> None:
    case = Case()
    case.refused(EventType.ALARM_MUTED, {"reason": "x", "until": iso(NOW - timedelta(seconds=1))}, "future")
    too_long = iso(NOW + timedelta(minutes=MAX_MUTE_MIN, seconds=1))
    case.refused(EventType.ALARM_MUTED, {"reason": "x", "until": too_long}, f"at most {MAX_MUTE_MIN} minutes")
    case.do(EventType.ALARM_MUTED, {"reason": "on a call", "until": iso(NOW + timedelta(minutes=5))})
    assert case.state.alarm_muted_at(NOW) and not case.state.alarm_muted_at(NOW + timedelta(minutes=6))
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.ALARM_MUTED, {"reason": "x", "until": iso(NOW + timedelta(minutes=1))}, "not alarming")
    tip = Case(kind="tip")
    tip.refused(EventType.ALARM_MUTED, {"reason": "x", "until": iso(NOW + timedelta(minutes=1))}, "not alarming")


def test_amendment_rules() -> None:
    case = Case()
    ack = case.do(EventType.ACKNOWLEDGED)
    dispatch = case.do(EventType.DISPATCHED)
    case.refused(
        EventType.AMENDED,
        {"target_event_id": str(uuid.uuid4()), "fields": {"x": 1}, "reason": "r"},
        "not in this case",
    )
    case.refused(
        EventType.AMENDED, {"target_event_id": ack.id, "fields": {"note": "x"}, "reason": "r"}, "cannot be corrected"
    )
    case.refused(
        EventType.AMENDED,
        {"target_event_id": dispatch.id, "fields": {"phone": 100}, "reason": "r"},
        r"correction is not valid: fields\.phone",
    )
    case.refused(
        EventType.AMENDED,
        {"target_event_id": dispatch.id, "fields": {"vehicle": "jeep"}, "reason": "r"},
        "unknown field",
    )
    case.do(EventType.AMENDED, {"target_event_id": dispatch.id, "fields": {"officer": "SI Verma"}, "reason": "typo"})
    assert case.state.dispatch is not None and case.state.dispatch["officer"] == "SI Verma"


def test_assignment_must_change_something() -> None:
    case = Case()
    case.refused(EventType.ASSIGNED, {"district": "Patna", "police_station": "Kankarbagh"}, "already assigned there")
    case.do(EventType.ASSIGNED, {"district": "Patna", "police_station": "Gandhi Maidan"})
    assert case.state.police_station == "Gandhi Maidan"


def test_invalid_payload_is_invalid_event_not_refusal() -> None:
    case = Case()
    with pytest.raises(InvalidEvent, match="officer"):
        case.do(EventType.DISPATCHED, {"phone": "1"})


def test_decide_stamps_with_the_device_clock_and_the_given_time() -> None:
    case = Case()
    event = case.do(EventType.ACKNOWLEDGED)
    assert event.device_id == "dev-a" and event.hlc.endswith(".dev-a")
    assert event.wall_time == iso(NOW)
    assert event.author_name == "Insp. Meena"


def test_dispatch_overdue() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    state = case.state
    assert state.acknowledged_at == iso(NOW)
    assert not state.dispatch_overdue(NOW + timedelta(minutes=9), 10)
    assert state.dispatch_overdue(NOW + timedelta(minutes=10), 10)
    case.do(EventType.FORWARDED)
    assert not case.state.dispatch_overdue(NOW + timedelta(hours=1), 10)


def test_decide_records_the_last_assignment_the_replica_holds() -> None:
    case = Case()
    assert case.history[0].seen_assignment is None  # created: never judged by it
    assert case.do(EventType.ACKNOWLEDGED).seen_assignment is None  # a case never assigned
    to_lko = case.do(EventType.ASSIGNED, {"district": "LKO"})
    assert to_lko.seen_assignment is None  # assigned: never judged by it
    assert case.do(EventType.COUNSELLING_NOTE).seen_assignment == to_lko.id
    to_knp = case.do(EventType.ASSIGNED, {"district": "KNP"})
    note = case.do(EventType.COUNSELLING_NOTE)
    assert note.seen_assignment == to_knp.id
    # the fold's order decides which assignment is the last, not the order the replica got them in
    case.history.reverse()
    assert case.do(EventType.COUNSELLING_NOTE).seen_assignment == to_knp.id
