"""Fixtures for core tests: a fresh encrypted store per test (copied from a template built once)
and a maker of valid events."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.events import Author, Event, EventType, iso, new_event
from core.hlc import HybridClock
from core.store import LocalStore, StoreKey

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def created_payload(**over: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": "suicide_risk",
        "source": "facebook",
        "upstream_ref": f"meta-{uuid.uuid4().hex[:10]}",
        "received_at": iso(T0),
        "priority": 2,
        "subject": {
            "name": "Ravi Kumar",
            "phones": ["+919800000001"],
            "post_text": "अब और नहीं सहा जाता",
        },
        "location": {"text": "Kankarbagh, Patna"},
        "district": "Patna",
        "police_station": "Kankarbagh",
        "summary": "Post expressing intent, live video",
    }
    payload.update(over)
    return payload


DEFAULT_PAYLOADS: dict[EventType, Mapping[str, Any]] = {
    EventType.ASSIGNED: {"district": "Patna", "police_station": "Gandhi Maidan"},
    EventType.ACKNOWLEDGED: {},
    EventType.LOCATED: {"location": {"text": "Rajendra Nagar"}, "method": "cdr_tower"},
    EventType.DISPATCHED: {"officer": "SI Sharma", "phone": "+919800000099"},
    EventType.FORWARDED: {"to": "erss_112", "reference": "ERSS-1"},
    EventType.EN_ROUTE: {},
    EventType.REACHED: {"at": iso(T0 + timedelta(minutes=30))},
    EventType.OUTCOME_RECORDED: {"outcome": "safe_counselled"},
    EventType.COUNSELLING_NOTE: {"officer_name": "SI Sharma", "officer_rank": "SI", "text": "Spoke with family."},
    EventType.ESCALATED: {"reason": "no answer"},
    EventType.CLOSED: {"reason": "done"},
    EventType.REOPENED: {"reason": "new post"},
    EventType.TIP_ADDED: {"text": "one more detail"},
    EventType.TIP_QUESTION: {"text": "Which day?"},
    EventType.TIP_ANSWER: {"question_id": "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "text": "Monday"},
    EventType.TIP_OFFICER_ASSIGNED: {"officer_id": "01a228fc-6a07-77f0-8bb7-df3f586c6799", "name": "R K", "rank": "SI"},
    EventType.TIP_ACTION: {"text": "raid planned"},
    EventType.TIP_OUTCOME: {"outcome": "fir_registered", "detail": "FIR 12/2026"},
    EventType.CATEGORISED: {"category": "traffic"},
    EventType.DUPLICATE_LINKED: {"duplicate_of": "01a228fc-6a07-77f0-8bb7-df3f586c6710"},
    EventType.REPLY_DRAFTED: {
        "reply_id": "01a228fc-6a07-77f0-8bb7-df3f586c6711",
        "text": "We have informed the police station.",
        "needs_approval": False,
    },
    EventType.REPLY_APPROVED: {"reply_id": "01a228fc-6a07-77f0-8bb7-df3f586c6711"},
    EventType.REPLY_PUBLISHED: {
        "reply_id": "01a228fc-6a07-77f0-8bb7-df3f586c6711",
        "platform_id": "1790000000000000001",
        "published_at": iso(T0 + timedelta(minutes=20)),
    },
    EventType.REPLY_PUBLISH_FAILED: {
        "reply_id": "01a228fc-6a07-77f0-8bb7-df3f586c6711",
        "error": "HTTP 503",
        "attempt": 1,
    },
    EventType.CITIZEN_REPLIED: {
        "platform_id": "1790000000000000002",
        "at": iso(T0 + timedelta(minutes=40)),
        "text": "?",
    },
    EventType.SLA_WARNED: {
        "deadline": "first_response",
        "started_at": iso(T0),
        "due_at": iso(T0 + timedelta(hours=2)),
    },
    EventType.SLA_BREACHED: {
        "deadline": "first_response",
        "started_at": iso(T0),
        "due_at": iso(T0 + timedelta(hours=2)),
    },
}


class EventMaker:
    """Valid events from one simulated device (its own HybridClock)."""

    def __init__(self, device_id: str = "dev-a", author: Author | None = None):
        self.clock = HybridClock(device_id)
        self.author = author or Author("u-1", "Insp. Meena")

    def event(self, case_id: str, etype: EventType, payload: Mapping[str, Any] | None = None) -> Event:
        return new_event(
            case_id=case_id,
            type=etype,
            payload=DEFAULT_PAYLOADS[etype] if payload is None else payload,
            author=self.author,
            device_id=self.clock.node,
            hlc=self.clock.now(),
        )

    def created(self, case_id: str | None = None, **over: Any) -> Event:
        return self.event(case_id or str(uuid.uuid4()), EventType.CREATED, created_payload(**over))


def commit(store: LocalStore, *events: Event) -> None:
    """Append ``events`` as this console's own work in one unit of work, committed."""
    with store.unit_of_work() as uow:
        for e in events:
            uow.events.append_local(e)
        uow.commit()


@pytest.fixture
def maker() -> EventMaker:
    return EventMaker()


@pytest.fixture(scope="session")
def store_key() -> bytes:
    return StoreKey.ephemeral()


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory, store_key: bytes) -> Path:
    """A store at the current schema, built once (migrations take ~0.2 s; a copy takes ~1 ms)."""
    path = tmp_path_factory.mktemp("template") / "rakshak.db"
    LocalStore.open(path, store_key).close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def store(tmp_path: Path, store_template: Path, store_key: bytes) -> Iterator[LocalStore]:
    path = tmp_path / "rakshak.db"
    shutil.copyfile(store_template, path)
    opened = LocalStore.open(path, store_key)
    yield opened
    opened.close()


def insert_case_row_as_of(conn: Any, row: dict[str, Any]) -> None:
    """Insert a projection row into a store migrated to an older revision: only the columns that
    revision's ``cases`` table has (later migrations add columns the current ``projection_row`` fills)."""
    import sqlalchemy as sa

    from core.store import schema as t

    columns = {c["name"] for c in sa.inspect(conn).get_columns("cases")}
    conn.execute(t.cases.insert(), [{k: v for k, v in row.items() if k in columns}])
