"""Command rules (core.commands.check via decide): what an operator may record given the case's state."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from core.commands import MAX_MUTE_MIN, decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Author, Event, EventType, Tier, iso, tier_for_role
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
    case.refused(EventType.ASSIGNED, {"district": "Patna", "police_station": "Gandhi Maidan"}, "only HQ assigns")
    case.author = HQ_OPERATOR
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


# ---- acknowledgement tiers -------------------------------------------------------------------------

HQ_OPERATOR = Author("u-hq", "HC Verma (HQ)", Tier.HQ)
DISTRICT_OPERATOR = Author("u-1", "Insp. Meena", Tier.DISTRICT)


def test_hq_acknowledgement_quiets_hq_only_and_keeps_the_case_new() -> None:
    case = Case()
    case.author = HQ_OPERATOR
    ack = case.do(EventType.ACKNOWLEDGED)
    assert ack.payload == {"tier": "hq"}
    s = case.state
    assert s.hq_acknowledged_by == "HC Verma (HQ)" and s.hq_acknowledged_at == iso(NOW)
    assert s.acknowledged_at is None and s.status is Status.NEW
    assert s.needs_alarm and not s.hq_needs_alarm
    case.refused(EventType.ACKNOWLEDGED, match="already acknowledged by HC Verma")
    case.author = DISTRICT_OPERATOR
    ack = case.do(EventType.ACKNOWLEDGED)
    assert ack.payload == {"tier": "district", "district": "Patna"}
    s = case.state
    assert s.acknowledged_by == "Insp. Meena" and s.status is Status.ACKNOWLEDGED
    assert not s.needs_alarm and not s.hq_needs_alarm
    assert s.hq_acknowledged_by == "HC Verma (HQ)"


def test_a_payload_cannot_claim_another_tier_than_the_authors() -> None:
    case = Case()
    case.refused(EventType.ACKNOWLEDGED, {"tier": "hq"}, "acknowledges for district, not for hq")
    until = iso(NOW + timedelta(minutes=5))
    case.refused(EventType.ALARM_MUTED, {"reason": "x", "until": until, "tier": "hq"}, "not for hq")


def test_progress_needs_the_authors_tier_to_have_acknowledged() -> None:
    case = Case()
    case.author = HQ_OPERATOR
    case.do(EventType.ACKNOWLEDGED)
    case.author = DISTRICT_OPERATOR
    case.refused(EventType.DISPATCHED, match="acknowledge the case first")


def test_mutes_are_per_tier() -> None:
    case = Case()
    until = iso(NOW + timedelta(minutes=5))
    case.author = HQ_OPERATOR
    case.do(EventType.ALARM_MUTED, {"reason": "on a call", "until": until})
    s = case.state
    assert s.alarm_muted_at(NOW, Tier.HQ) and not s.alarm_muted_at(NOW, Tier.DISTRICT)
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.ALARM_MUTED, {"reason": "x", "until": until}, "not alarming")
    case.author = DISTRICT_OPERATOR
    case.do(EventType.ALARM_MUTED, {"reason": "on a call", "until": until})  # the district still rings
    assert case.state.alarm_muted_at(NOW, Tier.DISTRICT)


def test_after_a_reassignment_the_new_district_must_acknowledge_again() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    assert case.state.status is Status.ACKNOWLEDGED
    case.author = HQ_OPERATOR
    case.do(EventType.ACKNOWLEDGED)
    case.do(EventType.ASSIGNED, {"district": "Gaya", "police_station": "Kotwali"})
    s = case.state
    assert s.acknowledged_at is None and s.needs_alarm and s.status is Status.NEW
    assert s.hq_acknowledged_at is not None and not s.hq_needs_alarm  # HQ's receipt stands
    case.author = Author("u-gaya", "SI Gaya", Tier.DISTRICT)
    ack = case.do(EventType.ACKNOWLEDGED)
    assert ack.payload["district"] == "Gaya"
    assert case.state.acknowledged_by == "SI Gaya" and case.state.status is Status.ACKNOWLEDGED


def test_an_old_districts_late_acknowledgement_does_not_silence_the_new_district() -> None:
    """The old district's console acknowledged offline; its stamp sorts after the reassignment."""
    case = Case()
    history = list(case.history)
    case.author = HQ_OPERATOR
    case.do(EventType.ASSIGNED, {"district": "Gaya", "police_station": "Kotwali"})
    late_clock = HybridClock("dev-old")
    late_clock.observe(case.history[-1].hlc)
    late = decide(
        case_id=case.case_id,
        history=history,
        etype=EventType.ACKNOWLEDGED,
        payload={},
        author=DISTRICT_OPERATOR,
        clock=late_clock,
        now=NOW,
    )
    assert late.payload["district"] == "Patna" and late.hlc > case.history[-1].hlc
    state = fold(case.case_id, [*case.history, late])
    assert state.district == "Gaya" and state.acknowledged_at is None and state.needs_alarm
    # moved back to Patna: that acknowledgement counts again
    back = [*case.history, late]
    moved = decide(
        case_id=case.case_id,
        history=back,
        etype=EventType.ASSIGNED,
        payload={"district": "Patna", "police_station": "Kankarbagh"},
        author=HQ_OPERATOR,
        clock=case.clock,
        now=NOW,
    )
    assert fold(case.case_id, [*back, moved]).acknowledged_by == "Insp. Meena"


def test_tier_of_an_account_role() -> None:
    assert tier_for_role("district_operator") is Tier.DISTRICT
    assert {tier_for_role(r) for r in ("hq_operator", "supervisor", "admin")} == {Tier.HQ}
    assert tier_for_role("") is Tier.DISTRICT and tier_for_role(None) is Tier.DISTRICT


# ---- follow-ups ------------------------------------------------------------------------------------


def test_a_counselling_notes_follow_up_date_is_a_due_follow_up_that_can_be_completed() -> None:
    case = Case()
    due = iso(NOW + timedelta(days=2))
    note = case.do(
        EventType.COUNSELLING_NOTE, dict(DEFAULT_PAYLOADS[EventType.COUNSELLING_NOTE]) | {"follow_up_date": due}
    )
    assert [(f.id, f.due, f.done_at) for f in case.state.open_follow_ups()] == [(note.id, due, None)]
    later = iso(NOW + timedelta(days=4))
    case.do(EventType.AMENDED, {"target_event_id": note.id, "fields": {"follow_up_date": later}, "reason": "moved"})
    assert [f.due for f in case.state.open_follow_ups()] == [later]
    case.do(EventType.FOLLOW_UP_DONE, {"follow_up_id": note.id, "note": "family says he is well"})
    assert case.state.open_follow_ups() == () and case.state.follow_ups[0].done_at == iso(NOW)
    case.refused(EventType.FOLLOW_UP_DONE, {"follow_up_id": note.id}, "no open follow-up")
    plain = case.do(EventType.COUNSELLING_NOTE)  # no date: no follow-up
    assert plain.id not in {f.id for f in case.state.follow_ups}


# ---- contradictions --------------------------------------------------------------------------------

NOT_REACHED = {"outcome": "not_reached", "not_reached_reason": "phone_switched_off"}


def _reached_case() -> Case:
    case = Case()
    for etype in (EventType.ACKNOWLEDGED, EventType.DISPATCHED, EventType.EN_ROUTE, EventType.REACHED):
        case.do(etype)
    return case


def test_not_reached_after_reached_is_refused() -> None:
    _reached_case().refused(EventType.OUTCOME_RECORDED, NOT_REACHED, "cannot be both reached and not reached")


def test_en_route_after_reached_or_after_an_outcome_is_refused() -> None:
    case = _reached_case()
    case.refused(EventType.EN_ROUTE, match="already reached the person")
    other = Case()
    for etype in (EventType.ACKNOWLEDGED, EventType.DISPATCHED):
        other.do(etype)
    other.do(EventType.OUTCOME_RECORDED, NOT_REACHED)
    other.refused(EventType.EN_ROUTE, match="outcome is already recorded")


def test_reached_after_the_outcome_not_reached_is_refused() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.do(EventType.OUTCOME_RECORDED, NOT_REACHED)
    case.refused(EventType.REACHED, match="correct that outcome instead")


def test_a_second_outcome_is_refused_a_correction_is_not() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    first = case.do(EventType.OUTCOME_RECORDED)
    case.refused(EventType.OUTCOME_RECORDED, {"outcome": "hospitalised"}, "already recorded; correct it")
    case.do(EventType.AMENDED, {"target_event_id": first.id, "fields": {"outcome": "hospitalised"}, "reason": "r"})
    assert case.state.outcome == "hospitalised"


def test_a_correction_that_makes_a_contradiction_is_refused() -> None:
    case = _reached_case()
    outcome = case.do(EventType.OUTCOME_RECORDED)
    case.refused(
        EventType.AMENDED,
        {"target_event_id": outcome.id, "fields": NOT_REACHED, "reason": "r"},
        "cannot be both reached and not reached",
    )


def test_reached_before_the_alert_or_in_the_future_is_refused() -> None:
    case = Case()
    case.do(EventType.ACKNOWLEDGED)
    case.refused(EventType.REACHED, {"at": iso(T0 - timedelta(minutes=1))}, "before the alert was received")
    case.refused(EventType.REACHED, {"at": iso(NOW + timedelta(hours=1))}, "in the future")


def test_a_merged_history_that_contradicts_itself_does_not_block_other_work() -> None:
    """Two consoles offline: one recorded reached, the other not reached. The fold accepts both;
    the commands still allow unrelated entries and the correction that resolves it."""
    case = _reached_case()
    other_clock = HybridClock("dev-b")
    outcome = decide(
        case_id=case.case_id,
        history=case.history[:2],
        etype=EventType.OUTCOME_RECORDED,
        payload=NOT_REACHED,
        author=DISTRICT_OPERATOR,
        clock=other_clock,
        now=NOW,
    )
    case.history.append(outcome)
    assert case.state.reached_at is not None and case.state.outcome == "not_reached"
    case.do(EventType.COUNSELLING_NOTE)
    case.do(EventType.AMENDED, {"target_event_id": outcome.id, "fields": {"outcome": "safe_counselled"}, "reason": "r"})
    assert case.state.outcome == "safe_counselled"


# ---- raise to suicide-risk -------------------------------------------------------------------------


def test_a_complaint_raised_to_suicide_risk_rings_and_needs_an_acknowledgement_after_the_raise() -> None:
    case = Case(kind="complaint")
    case.do(EventType.ACKNOWLEDGED)  # acknowledged as a complaint
    assert not case.state.needs_alarm and not case.state.is_suicide_risk
    with pytest.raises(InvalidEvent, match="reason"):
        case.do(EventType.RISK_RAISED, {})
    case.do(EventType.RISK_RAISED, {"reason": "the complaint's text says goodbye"})
    s = case.state
    assert s.is_suicide_risk and s.effective_kind == "suicide_risk" and s.kind == "complaint"
    assert s.risk_raised_by == "Insp. Meena" and s.risk_raised_reason == "the complaint's text says goodbye"
    assert s.needs_alarm and s.hq_needs_alarm and s.acknowledged_at is None and s.status is Status.NEW
    case.refused(EventType.RISK_RAISED, {"reason": "again"}, "already a suicide-risk case")
    case.refused(EventType.CLOSED, match="outcome before closing")
    case.do(EventType.ACKNOWLEDGED)
    assert not case.state.needs_alarm
    Case().refused(EventType.RISK_RAISED, {"reason": "x"}, "already a suicide-risk case")


def test_decide_records_the_last_assignment_the_replica_holds() -> None:
    case = Case()
    assert case.history[0].seen_assignment is None  # created: never judged by it
    assert case.do(EventType.ACKNOWLEDGED).seen_assignment is None  # a case never assigned
    case.author = HQ_OPERATOR
    to_lko = case.do(EventType.ASSIGNED, {"district": "LKO"})
    assert to_lko.seen_assignment is None  # assigned: never judged by it
    assert case.do(EventType.COUNSELLING_NOTE).seen_assignment == to_lko.id
    to_knp = case.do(EventType.ASSIGNED, {"district": "KNP"})
    note = case.do(EventType.COUNSELLING_NOTE)
    assert note.seen_assignment == to_knp.id
    # the fold's order decides which assignment is the last, not the order the replica got them in
    case.history.reverse()
    assert case.do(EventType.COUNSELLING_NOTE).seen_assignment == to_knp.id
