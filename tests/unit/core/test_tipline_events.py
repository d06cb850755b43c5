"""Tip events in core: the ``tip`` object of a created event, the tip event types, and the alarm rule
(a tip never rings the suicide siren; a tip raised to suicide-risk does)."""

from __future__ import annotations

import uuid

import pytest

from core.errors import InvalidEvent
from core.events import HQ_ONLY_TIP_EVENTS, PAYLOADS, EventType
from core.fold import fold
from tests.unit.core.conftest import EventMaker, created_payload

TIP = {"category": "drugs_liquor", "pseudonym": "Tipster K7F3", "prior_tips": 2, "language": "hi",
       "what": "शराब", "place": "लंका, वाराणसी", "confirmed": True,
       "media": [{"id": str(uuid.uuid4()), "kind": "image", "sha256": "a" * 64, "bytes": 1234,
                  "original_sha256": "b" * 64, "mime": "image/jpeg"}]}  # fmt: skip


def tip_created() -> dict[str, object]:
    return created_payload(kind="tip", source="whatsapp_tipline", subject={}, tip=TIP)


def test_a_tip_created_event_is_valid_and_an_earlier_created_event_still_is() -> None:
    PAYLOADS[EventType.CREATED](tip_created(), "p")
    PAYLOADS[EventType.CREATED](created_payload(), "p")


@pytest.mark.parametrize(
    "change",
    [{"category": "murder"}, {"pseudonym": ""}, {"prior_tips": -1}, {"phone": "+919876543210"},
     {"media": [{"id": "x", "kind": "image", "sha256": "a" * 64, "bytes": 1}]}],
)  # fmt: skip
def test_a_tip_object_with_an_unknown_field_or_value_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(InvalidEvent):
        PAYLOADS[EventType.CREATED](created_payload(kind="tip", tip=TIP | change), "p")


def test_tip_event_payloads() -> None:
    PAYLOADS[EventType.TIP_QUESTION]({"text": "Which day?"}, "p")
    PAYLOADS[EventType.TIP_ANSWER]({"question_id": str(uuid.uuid4()), "text": "Monday"}, "p")
    PAYLOADS[EventType.TIP_ADDED]({"media": TIP["media"]}, "p")
    with pytest.raises(InvalidEvent):
        PAYLOADS[EventType.TIP_ANSWER]({"text": "no question"}, "p")
    assert {EventType.TIP_ADDED, EventType.TIP_QUESTION, EventType.TIP_ANSWER} == HQ_ONLY_TIP_EVENTS


def test_a_tip_does_not_ring_and_a_tip_raised_to_suicide_risk_does() -> None:
    maker = EventMaker()
    case_id = str(uuid.uuid4())
    history = [maker.event(case_id, EventType.CREATED, tip_created())]
    history.append(maker.event(case_id, EventType.TIP_QUESTION, {"text": "Is anyone in danger?"}))
    history.append(maker.event(case_id, EventType.TIP_ANSWER, {"question_id": history[1].id, "text": "yes"}))
    state = fold(case_id, history)
    assert state.kind == "tip" and not state.needs_alarm and not state.hq_needs_alarm
    history.append(maker.event(case_id, EventType.RISK_RAISED, {"reason": "the tipster says a girl may harm herself"}))
    raised = fold(case_id, history)
    assert raised.effective_kind == "suicide_risk" and raised.needs_alarm and raised.hq_needs_alarm
