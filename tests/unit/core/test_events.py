"""Event validation and wire format: bad input gives InvalidEvent naming the field and the rule."""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from core.errors import InvalidEvent
from core.events import (
    MAX_PAYLOAD_BYTES,
    Author,
    Event,
    EventType,
    iso,
    new_event,
    parse_time,
    validate,
)
from core.fold import fold
from tests.unit.core.conftest import EventMaker, created_payload


def _wire(maker: EventMaker, **over: Any) -> dict[str, Any]:
    data = maker.created().to_wire()
    data.update(over)
    return data


def test_wire_round_trip(maker: EventMaker) -> None:
    event = maker.created().with_seq(5)
    wire = json.loads(json.dumps(event.to_wire()))
    back = Event.from_wire(wire)
    assert back == event and back.hq_seq == 5 and back.payload == event.payload
    assert set(wire) == {
        "id", "case_id", "type", "payload", "author_id", "author_name", "device_id", "wall_time", "hlc", "hq_seq"
    }


def test_content_key_ignores_hq_seq_and_equality_too(maker: EventMaker) -> None:
    event = maker.created()
    assert event.with_seq(9).content_key() == event.content_key()
    assert event.with_seq(9) == event
    assert "hq_seq" not in event.content_key()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "not-a-uuid"}, "event.id"),
        ({"case_id": 12}, "event.case_id"),
        ({"type": "teleported"}, "event.type"),
        ({"type": ["x"]}, "event.type"),
        ({"author_id": ""}, "event.author_id"),
        ({"author_name": "x" * 201}, "event.author_name"),
        ({"wall_time": "yesterday"}, "event.wall_time"),
        ({"wall_time": "2026-11-22T10:00:00"}, "event.wall_time"),  # no time zone
        ({"hlc": "001795000000000.000000"}, "event.hlc"),
        ({"hlc": 5}, "event.hlc"),
        ({"hq_seq": 0}, "event.hq_seq"),
        ({"hq_seq": True}, "event.hq_seq"),
        ({"hq_seq": "3"}, "event.hq_seq"),
        ({"payload": []}, "event.payload"),
    ],
)
def test_from_wire_names_the_bad_field(maker: EventMaker, change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEvent, match="^" + re.escape(field)):
        Event.from_wire(_wire(maker, **change))


def test_from_wire_missing_field_and_non_object(maker: EventMaker) -> None:
    data = _wire(maker)
    del data["author_name"]
    with pytest.raises(InvalidEvent, match=r"event\.author_name: is required"):
        Event.from_wire(data)
    with pytest.raises(InvalidEvent, match="JSON object"):
        Event.from_wire([1, 2])


@pytest.mark.parametrize(
    ("payload_change", "field", "rule"),
    [
        ({"priority": 5}, "event.payload.priority", "whole number from 1 to 4"),
        ({"priority": True}, "event.payload.priority", "whole number"),
        ({"source": "telegram"}, "event.payload.source", "must be one of"),
        ({"upstream_ref": "   "}, "event.payload.upstream_ref", "must not be empty"),
        ({"received_at": "2026-11-22"}, "event.payload.received_at", "time zone"),
        ({"subject": {"phones": ["1"] * 11}}, "event.payload.subject.phones", "more than 10"),
        ({"subject": {"phones": [5]}}, r"event.payload.subject.phones\[0\]", "must be text"),
        ({"subject": {"nickname": "x"}}, "event.payload.subject", "unknown field"),
        ({"location": {"text": "x", "latitude": 91}}, "event.payload.location.latitude", "between"),
        ({"location": {"text": "x", "longitude": math.nan}}, "event.payload.location.longitude", "between"),
        ({"location": {"text": "x", "latitude": "26.6"}}, "event.payload.location.latitude", "number"),
        ({"location": {}}, "event.payload.location.text", "required"),
        ({"summary": "x" * 1001}, "event.payload.summary", "longer than 1000"),
        ({"extra": 1}, "event.payload", "unknown field"),
    ],
)
def test_created_payload_errors_name_the_field(maker: EventMaker, payload_change: dict, field: str, rule: str) -> None:
    with pytest.raises(InvalidEvent, match=field.replace(".", r"\.") + ": .*" + rule):
        maker.event(str(uuid.uuid4()), EventType.CREATED, created_payload(**payload_change))


@pytest.mark.parametrize(
    ("etype", "payload", "field"),
    [
        (EventType.DISPATCHED, {"officer": "SI"}, "event.payload.phone"),
        (EventType.OUTCOME_RECORDED, {"outcome": "fine"}, "event.payload.outcome"),
        (EventType.REACHED, {"at": 5}, "event.payload.at"),
        (EventType.EN_ROUTE, {"eta_min": 24 * 60 + 1}, "event.payload.eta_min"),
        (EventType.FOLLOW_UP_DONE, {"follow_up_id": "x"}, "event.payload.follow_up_id"),
        (EventType.COUNSELLING_NOTE, {"officer_name": "a", "officer_rank": "b", "text": "t", "family_contacted": 1},
         "event.payload.family_contacted"),
        (EventType.ALARM_MUTED, {"reason": "x"}, "event.payload.until"),
        (EventType.AMENDED, {"target_event_id": str(uuid.uuid4()), "fields": {}, "reason": "r"},
         "event.payload.fields"),
        (EventType.AMENDED, {"target_event_id": str(uuid.uuid4()), "fields": [], "reason": "r"},
         "event.payload.fields"),
    ],
)
def test_other_payload_errors_name_the_field(maker: EventMaker, etype: EventType, payload: dict, field: str) -> None:
    with pytest.raises(InvalidEvent, match=field.replace(".", r"\.")):
        maker.event(str(uuid.uuid4()), etype, payload)


def test_payload_must_be_plain_json(maker: EventMaker) -> None:
    target = str(uuid.uuid4())
    for bad in (float("nan"), float("inf"), datetime.now(UTC), {1, 2}):
        with pytest.raises(InvalidEvent, match="plain JSON"):
            maker.event(str(uuid.uuid4()), EventType.AMENDED, {"target_event_id": target, "fields": {"x": bad},
                                                               "reason": "r"})


def test_payload_size_limit(maker: EventMaker) -> None:
    target = str(uuid.uuid4())
    big = {"target_event_id": target, "fields": {"detail": "x" * MAX_PAYLOAD_BYTES}, "reason": "r"}
    with pytest.raises(InvalidEvent, match="larger than"):
        maker.event(str(uuid.uuid4()), EventType.AMENDED, big)
    # the limit is in bytes: Devanagari text takes three bytes a character
    hindi = {"target_event_id": target, "fields": {"detail": "क" * (MAX_PAYLOAD_BYTES // 3)}, "reason": "r"}
    with pytest.raises(InvalidEvent, match="larger than"):
        maker.event(str(uuid.uuid4()), EventType.AMENDED, hindi)


def test_validate_rejects_a_non_enum_type(maker: EventMaker) -> None:
    event = maker.created()
    object.__setattr__(event, "type", "created")
    with pytest.raises(InvalidEvent, match=r"event\.type"):
        validate(event)


def test_new_event_makes_an_id_and_a_canonical_wall_time() -> None:
    event = new_event(
        case_id=str(uuid.uuid4()),
        type=EventType.ACKNOWLEDGED,
        payload={},
        author=Author("u", "U"),
        device_id="d",
        hlc="000000000001000.000000.d",
        wall_time=datetime(2026, 11, 22, 15, 30, 1, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    )
    assert uuid.UUID(event.id)
    assert event.wall_time == "2026-11-22T10:00:01.123Z"


def test_iso_and_parse_time() -> None:
    with pytest.raises(ValueError):
        iso(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="time zone"):
        parse_time("2026-01-01T00:00:00")
    assert parse_time("2026-01-01T05:30:00+05:30") == datetime(2026, 1, 1, tzinfo=UTC)


def test_fold_skips_an_amendment_that_would_break_the_target(maker: EventMaker) -> None:
    created = maker.created(priority=2)
    bad = maker.event(
        created.case_id,
        EventType.AMENDED,
        {"target_event_id": created.id, "fields": {"priority": "urgent", "subject": 5}, "reason": "r"},
    )
    good = maker.event(
        created.case_id, EventType.AMENDED, {"target_event_id": created.id, "fields": {"priority": 1}, "reason": "r"}
    )
    state = fold(created.case_id, [created, bad])
    assert state.priority == 2 and state.subject == created.payload["subject"]
    assert fold(created.case_id, [created, bad, good]).priority == 1


def test_payload_json_is_canonical_cached_and_follows_a_new_payload(maker: EventMaker) -> None:
    """``Event.payload_json`` is the text the store keeps and the size limit counts: sorted keys,
    compact, Devanagari kept as is; a copy with another payload never reuses the first one's text."""
    import dataclasses
    import json

    event = maker.created()
    text = event.payload_json()
    assert text == json.dumps(dict(event.payload), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert event.payload_json() is text  # computed once
    other = dataclasses.replace(event, payload={**event.payload, "summary": "आत्महत्या की आशंका"})
    assert '"summary":"आत्महत्या की आशंका"' in other.payload_json()
    assert other == dataclasses.replace(event, payload=dict(other.payload))  # the cache is not a field


# -- seen_assignment: what the author had seen of the case's assignment -------------------------


def test_seen_assignment_is_content_and_round_trips(maker: EventMaker) -> None:
    case = maker.created()
    assigned = str(uuid.uuid4())
    ack = new_event(
        case_id=case.case_id,
        type=EventType.ACKNOWLEDGED,
        payload={},
        author=maker.author,
        device_id="dev-a",
        hlc=maker.clock.now(),
        seen_assignment=assigned,
    )
    wire = json.loads(json.dumps(ack.to_wire()))
    assert wire["seen_assignment"] == assigned
    back = Event.from_wire(wire)
    assert back == ack and back.seen_assignment == assigned
    # part of the content: the same id naming another assignment is another event (HQ: conflict)
    other = Event.from_wire(wire | {"seen_assignment": str(uuid.uuid4())})
    assert other.content_key() != ack.content_key() and other != ack


def test_an_event_without_seen_assignment_keeps_its_old_wire_form_and_content(maker: EventMaker) -> None:
    event = maker.created()
    wire = event.to_wire()
    assert "seen_assignment" not in wire and "seen_assignment" not in event.content_key()
    # an old client's event (no field) and one sending null are the same event
    assert Event.from_wire(wire).seen_assignment is None
    assert Event.from_wire(wire | {"seen_assignment": None}).content_key() == event.content_key()


@pytest.mark.parametrize("value", ["not-a-uuid", 17, "", ["x"]])
def test_seen_assignment_must_be_an_event_id(maker: EventMaker, value: Any) -> None:
    ack = maker.event(str(uuid.uuid4()), EventType.ACKNOWLEDGED).to_wire()
    with pytest.raises(InvalidEvent, match=r"event\.seen_assignment"):
        Event.from_wire(ack | {"seen_assignment": value})


@pytest.mark.parametrize("etype", [EventType.CREATED, EventType.ASSIGNED])
def test_created_and_assigned_carry_no_seen_assignment(maker: EventMaker, etype: EventType) -> None:
    case_id = str(uuid.uuid4())
    event = (maker.created(case_id) if etype is EventType.CREATED else maker.event(case_id, etype)).to_wire()
    with pytest.raises(InvalidEvent, match=r"event\.seen_assignment: a .* event does not carry one"):
        Event.from_wire(event | {"seen_assignment": str(uuid.uuid4())})
