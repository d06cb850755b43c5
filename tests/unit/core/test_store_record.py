"""``core.store.record`` on real SQLCipher files: a decided event stored, a refused one not."""

from __future__ import annotations

import uuid

import pytest

from core.errors import CommandRefused, InvalidEvent
from core.events import Author, EventType
from core.hlc import HybridClock
from core.store import LocalStore, record
from tests.unit.core.conftest import EventMaker, created_payload

# -- record() ---------------------------------------------------------------------------------------


def test_record_stores_a_decided_event(store: LocalStore) -> None:
    clock = HybridClock(store.device_id)
    author = Author("u-9", "HC Yadav")
    case_id = str(uuid.uuid4())
    created = record(store, clock, author, case_id, EventType.CREATED, created_payload())
    ack = record(store, clock, author, case_id, EventType.ACKNOWLEDGED, {})
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [created.id, ack.id]
        state = r.cases.state(case_id)
        assert state is not None and state.acknowledged_by == "HC Yadav"


def test_record_refused_or_invalid_stores_nothing(store: LocalStore) -> None:
    clock = HybridClock(store.device_id)
    author = Author("u-9", "HC Yadav")
    case_id = str(uuid.uuid4())
    record(store, clock, author, case_id, EventType.CREATED, created_payload())
    with pytest.raises(CommandRefused, match="acknowledge"):
        record(store, clock, author, case_id, EventType.DISPATCHED, {"officer": "SI", "phone": "1"})
    with pytest.raises(InvalidEvent, match="officer"):
        record(store, clock, author, case_id, EventType.DISPATCHED, {"phone": "1"})
    with store.reader() as r:
        assert r.outbox.counts() == (1, 0)


def test_record_orders_after_the_known_history_despite_a_slow_clock(store: LocalStore) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    slow = HybridClock(store.device_id, wall_ms=lambda: 1_000)  # wall clock in 1970
    ack = record(store, slow, Author("u", "Op"), created.case_id, EventType.ACKNOWLEDGED, {})
    assert ack.hlc > created.hlc
