"""A complaint never rings the siren; raised to suicide-risk (``risk_raised``) it rings like any
alert, on HQ's and the district's consoles (core.alarm over the fold's state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.alarm import RingReason, ringing_cases
from core.commands import decide
from core.complaints import complaint_payload
from core.events import Author, Event, EventType, ItemKind, Source, Tier
from core.fold import fold
from core.hlc import HybridClock
from core.ids import new_id

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
HQ_OP = Author("u-hq", "HQ operator", Tier.HQ)


@dataclass(frozen=True)
class Row:
    case_id: str
    kind: str | None
    status: str
    priority: int
    received_at: str | None
    police_station: str | None
    subject_name: str | None
    needs_alarm: bool
    acknowledged_at: str | None
    dispatched_at: str | None
    muted_until: str | None
    purged: bool
    hq_needs_alarm: bool
    hq_muted_until: str | None
    refused_silence: str | None


def _row(case_id: str, history: list[Event]) -> Row:
    s = fold(case_id, history)
    return Row(
        case_id, s.effective_kind, str(s.status), s.priority, s.received_at, s.police_station, None,
        s.needs_alarm, s.acknowledged_at, s.dispatched_at, s.muted_until, False, s.hq_needs_alarm,
        s.hq_muted_until, None,
    )  # fmt: skip


def test_a_complaint_is_silent_until_raised_then_rings() -> None:
    case_id, clock = new_id(), HybridClock("hq")
    payload = complaint_payload(
        platform=Source.X, item=ItemKind.MENTION, platform_id="1790", posted_at=NOW - timedelta(minutes=150),
        received_at=NOW - timedelta(minutes=149), text="@police I will end it all tonight", author_handle="@x",
    )  # fmt: skip
    history: list[Event] = []
    for etype, body in [
        (EventType.CREATED, payload),
        (EventType.ASSIGNED, {"district": "Patna"}),
        (EventType.SLA_WARNED, {"deadline": "first_response", "started_at": payload["complaint"]["posted_at"],
                                "due_at": "2026-11-22T09:30:00.000Z"}),
        (EventType.SLA_BREACHED, {"deadline": "first_response", "started_at": payload["complaint"]["posted_at"],
                                  "due_at": "2026-11-22T09:30:00.000Z"}),
    ]:  # fmt: skip
        history.append(decide(case_id=case_id, history=history, etype=etype, payload=body, author=HQ_OP, clock=clock))
    for tier in (Tier.HQ, Tier.DISTRICT):  # a breached complaint is a soft alert, never the siren
        assert ringing_cases([_row(case_id, history)], NOW, 10, tier) == []
    history.append(
        decide(case_id=case_id, history=history, etype=EventType.RISK_RAISED, payload={"reason": "self-harm post"},
               author=HQ_OP, clock=clock)
    )  # fmt: skip
    for tier in (Tier.HQ, Tier.DISTRICT):
        [ringing] = ringing_cases([_row(case_id, history)], NOW, 10, tier)
        assert ringing.case_id == case_id and ringing.reason is RingReason.UNACKNOWLEDGED
