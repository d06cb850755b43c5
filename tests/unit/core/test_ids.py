"""UUIDv7 ids (core/ids.py): valid RFC 9562 v7, time-ordered across milliseconds, unique, and
accepted by event validation like any UUID."""

from __future__ import annotations

import uuid

import pytest

from core.events import Author, EventType, new_event
from core.hlc import HybridClock
from core.ids import new_id, uuid7


def test_version_variant_and_embedded_time() -> None:
    u = uuid7(unix_ms=1_790_000_000_123)
    assert u.version == 7
    assert u.variant == uuid.RFC_4122
    assert u.int >> 80 == 1_790_000_000_123


def test_ids_sort_by_creation_millisecond() -> None:
    ids = [str(uuid7(unix_ms=ms)) for ms in (1_000, 1_001, 5_000, 1 << 47)]
    assert ids == sorted(ids)  # canonical strings sort like the ints: B-tree inserts land at the end


def test_unique_without_coordination() -> None:
    same_ms = {uuid7(unix_ms=42) for _ in range(50_000)}
    assert len(same_ms) == 50_000


def test_out_of_range_time_is_refused() -> None:
    with pytest.raises(ValueError, match="48 bits"):
        uuid7(unix_ms=1 << 48)
    with pytest.raises(ValueError):
        uuid7(unix_ms=-1)


def test_new_events_get_v7_ids_and_validate() -> None:
    event = new_event(case_id=new_id(), type=EventType.ACKNOWLEDGED, payload={}, author=Author("u1", "U"),
                      device_id="d1", hlc=HybridClock("d1").now())
    assert uuid.UUID(event.id).version == 7
    assert uuid.UUID(event.case_id).version == 7
