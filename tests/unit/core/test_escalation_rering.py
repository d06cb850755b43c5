"""An escalation's re-alarm rings a muted case again, on both sides (core.events.realarm_tier, applied
by core.fold, read by core.alarm), and an escalated event that only reports a notification does not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.alarm import RingReason, reason_for
from core.errors import InvalidEvent
from core.events import Author, Event, EventType, Tier, iso, new_event, realarm_tier
from core.fold import CaseState, fold
from core.hlc import HybridClock

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
DISTRICT = Author("u-lko", "LKO operator", Tier.DISTRICT)
HQ = Author("hq-escalation", "HQ escalation", Tier.HQ)
CASE = "3f2b8a4e-1c1d-4a4e-9a8b-2b2f0c4d5e6f"


@dataclass(frozen=True)
class Row:
    """The alarm's view of a case (what core.store's projection would hold)."""

    state: CaseState

    def __getattr__(self, name: str) -> Any:
        return getattr(self.state, name)

    @property
    def kind(self) -> str | None:
        return self.state.effective_kind

    @property
    def status(self) -> str:
        return str(self.state.status)

    purged = False
    refused_silence = None


def _history() -> tuple[HybridClock, list[Event]]:
    clock = HybridClock("dev")
    created = new_event(
        case_id=CASE, type=EventType.CREATED, author=HQ, device_id="hq", hlc=clock.now(), wall_time=NOW,
        payload={
            "kind": "suicide_risk", "source": "facebook", "upstream_ref": "meta-1", "received_at": iso(NOW),
            "priority": 1, "subject": {}, "location": {"text": "Hazratganj"}, "district": "LKO",
        },
    )  # fmt: skip
    muted = new_event(
        case_id=CASE, type=EventType.ALARM_MUTED, author=DISTRICT, device_id="dev", hlc=clock.now(), wall_time=NOW,
        payload={"reason": "on the phone", "until": iso(NOW + timedelta(minutes=10)), "tier": "district"},
    )  # fmt: skip
    return clock, [created, muted]


def _escalated(clock: HybridClock, **payload: Any) -> Event:
    return new_event(
        case_id=CASE, type=EventType.ESCALATED, author=HQ, device_id="hq", hlc=clock.now(), wall_time=NOW,
        payload={"reason": "no answer", **payload},
    )  # fmt: skip


def test_a_realarm_ends_the_district_mute_and_the_case_rings() -> None:
    clock, history = _history()
    assert reason_for(Row(fold(CASE, history)), NOW, 15) is None  # muted
    realarm = _escalated(clock, tier="district", realarm=True, step=1, round=1, action="realarm_district")
    state = fold(CASE, [*history, realarm])
    assert state.muted_until is None and state.escalations == 1
    assert reason_for(Row(state), NOW, 15) is RingReason.UNACKNOWLEDGED


def test_a_notification_report_does_not_ring_and_a_later_mute_counts_again() -> None:
    clock, history = _history()
    sms = _escalated(clock, tier="district", step=3, channel="sms", target="sho: SHO", result="sent", answer="201")
    assert reason_for(Row(fold(CASE, [*history, sms])), NOW, 15) is None
    realarm = _escalated(clock, tier="district", realarm=True)
    again = new_event(
        case_id=CASE, type=EventType.ALARM_MUTED, author=DISTRICT, device_id="dev", hlc=clock.now(), wall_time=NOW,
        payload={"reason": "calling back", "until": iso(NOW + timedelta(minutes=5)), "tier": "district"},
    )  # fmt: skip
    assert reason_for(Row(fold(CASE, [*history, realarm, again])), NOW, 15) is None


def test_an_hq_realarm_ends_only_hqs_mute() -> None:
    clock, history = _history()
    hq_realarm = _escalated(clock, tier="hq", realarm=True, action="alarm_hq")
    state = fold(CASE, [*history, hq_realarm])
    assert state.muted_until is not None  # the district's mute stands
    assert realarm_tier(hq_realarm.payload) is Tier.HQ
    assert realarm_tier({"reason": "old event"}) is None


def test_old_escalated_events_stay_valid_and_new_fields_are_checked() -> None:
    clock, _ = _history()
    _escalated(clock, to="SP")  # the fields older consoles wrote
    for bad in ({"step": 0}, {"tier": "state"}, {"realarm": "yes"}, {"escalation_id": "x"}, {"colour": "red"}):
        try:
            _escalated(clock, **bad)
        except InvalidEvent:
            continue
        raise AssertionError(f"{bad} was accepted")
