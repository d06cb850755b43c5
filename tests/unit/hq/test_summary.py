"""The summary's shortcut: a case touched only by events its row cannot depend on is not refolded, and
that is safe because folding those events in gives the same row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from core.events import Author, Event, EventType, new_event
from core.fold import fold
from core.hlc import HybridClock
from core.report_rows import STEP_SECONDS_COLUMNS
from core.reports import STEPS, step_seconds, step_times
from hq.schema import case_summary, events, metadata
from hq.summary import Touched, refresh, summary_row

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
AUTHOR = Author("u1", "SI Test")


class History:
    def __init__(self) -> None:
        self.case_id = str(uuid.uuid4())
        self.clock = HybridClock("dev-1")
        self.events: list[Event] = []

    def add(self, etype: EventType, payload: dict[str, Any], minutes: float) -> Event:
        e = new_event(
            case_id=self.case_id,
            type=etype,
            payload=payload,
            author=AUTHOR,
            device_id="dev-1",
            hlc=self.clock.now(),
            wall_time=T0 + timedelta(minutes=minutes),
        )
        self.events.append(e)
        return e


def note(minutes: float, follow_up: bool = False) -> tuple[EventType, dict[str, Any], float]:
    payload: dict[str, Any] = {"officer_name": "SI A", "officer_rank": "SI", "text": "spoke with family"}
    if follow_up:
        payload["follow_up_date"] = "2026-03-08T10:00:00.000Z"
    return EventType.COUNSELLING_NOTE, payload, minutes


def base() -> History:
    h = History()
    h.add(
        EventType.CREATED,
        {
            "kind": "suicide_risk",
            "source": "facebook",
            "upstream_ref": f"t-{h.case_id}",
            "received_at": "2026-03-01T09:59:00.000Z",
            "priority": 1,
            "summary": "test",
            "subject": {},
            "location": {"text": "Lanka"},
        },
        0,
    )
    h.add(EventType.ASSIGNED, {"district": "VNS"}, 1)
    h.add(EventType.ACKNOWLEDGED, {"tier": "district", "district": "VNS"}, 2)
    h.add(*note(10))
    return h


def row(h: History) -> dict[str, Any]:
    return summary_row(fold(h.case_id, h.events), "-")


INERT = [
    (EventType.LOCATED, {"location": {"text": "Lanka gate"}, "method": "cdr_tower"}, 5),
    (EventType.ALARM_MUTED, {"reason": "on the phone", "until": "2026-03-01T11:00:00.000Z"}, 6),
    (EventType.CONTACT_REVEALED, {"field": "phones"}, 7),
    note(11),
    note(10),
]
NOT_INERT = [note(9), note(20, follow_up=True), (EventType.DISPATCHED, {"officer": "SI B", "phone": "9000000999"}, 12)]


@pytest.fixture
def conn():  # type: ignore[no-untyped-def]
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as c:
        yield c
    engine.dispose()


def store(conn, h: History) -> None:  # type: ignore[no-untyped-def]
    conn.execute(
        events.insert(),
        [
            {
                "seq": i + 1,
                "id": e.id,
                "case_id": e.case_id,
                "type": str(e.type),
                "hlc": e.hlc,
                "author_id": e.author_id,
                "device_id": e.device_id,
                "content": e.content_key(),
                "stored_at": e.wall_time,
            }
            for i, e in enumerate(h.events)
        ],
    )


@pytest.mark.parametrize("spec", INERT, ids=lambda s: f"{s[0]}@{s[2]}")
def test_an_inert_event_leaves_the_row_as_the_fold_would(conn, spec) -> None:  # type: ignore[no-untyped-def]
    h = base()
    store(conn, h)
    refresh(conn, [h.case_id])
    before = row(h)
    extra = h.add(*spec)
    assert row(h) == before  # the shortcut is sound: folding the event in changes nothing
    touched = Touched()
    touched.add(extra)
    assert touched.flush(conn) == 0


@pytest.mark.parametrize("spec", NOT_INERT, ids=lambda s: f"{s[0]}@{s[2]}")
def test_an_event_that_can_change_the_row_refolds_its_case(conn, spec) -> None:  # type: ignore[no-untyped-def]
    h = base()
    store(conn, h)
    refresh(conn, [h.case_id])
    before = row(h)
    extra = h.add(*spec)
    assert row(h) != before
    conn.execute(events.delete())
    store(conn, h)
    touched = Touched()
    touched.add(extra)
    assert touched.flush(conn) == 1
    stored = dict(conn.execute(select(case_summary).where(case_summary.c.case_id == h.case_id)).mappings().one())
    expected = row(h)
    stored.pop("updated_at"), expected.pop("updated_at")
    assert stored == expected


def test_a_case_without_a_row_is_refolded_whatever_touched_it(conn) -> None:  # type: ignore[no-untyped-def]
    h = base()
    store(conn, h)
    touched = Touched()
    touched.add(h.add(*INERT[0]))
    assert touched.flush(conn) == 1
    assert conn.execute(select(case_summary.c.case_id)).scalars().all() == [h.case_id]


def test_the_row_keeps_each_step_duration_as_a_number() -> None:
    h = base()
    h.add(EventType.ACKNOWLEDGED, {"tier": "hq"}, 0.5)
    h.add(EventType.DISPATCHED, {"officer": "SI B", "phone": "9000000999"}, 4.25)
    r = row(h)
    # received 09:59:00 (the payload's time), HQ ack 10:00:30, routed 10:01, district ack 10:02,
    # dispatched 10:04:15, first note 10:10 (each from the latest earlier step the case reached)
    assert [r[STEP_SECONDS_COLUMNS[s]] for s in STEPS] == [90.0, 30.0, 60.0, 135.0, None, 345.0]
    state = fold(h.case_id, h.events)
    seconds = step_seconds(step_times(state), state.received_at)
    assert {s: r[c] for s, c in STEP_SECONDS_COLUMNS.items() if r[c] is not None} == seconds
