"""Builders for desktop-client tests: a real SQLCipher store, a real TaskManager, cases made as HQ makes them.

Nothing here is a fake of what runs in production: cases enter the store through
``EventRepository.apply_remote`` exactly as the sync engine applies a pulled page.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.events import Author, Event, EventType, iso, new_event
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, StoreKey

HQ_AUTHOR = Author("hq-intake", "HQ intake")
OPERATOR = Author("op-1", "Operator Sunita")
_seq = itertools.count(1)

NAMES = ["Ravi Kumar", "Anjali Verma", "Mohd. Imran", "Pooja Yadav", "सुनील शर्मा", "Deepak Singh", "प्रिया गुप्ता"]
STATIONS = ["Hazratganj", "Gomti Nagar", "Aliganj", "Chinhat", "Kaiserbagh"]


def created_event(
    clock: HybridClock,
    *,
    name: str = "Ravi Kumar",
    kind: str = "suicide_risk",
    priority: int = 1,
    station: str = "Hazratganj",
    received_at: datetime | None = None,
    phones: tuple[str, ...] = ("+91 98765 43210",),
    post_text: str = "मैं अब और नहीं जी सकता। Goodbye everyone.",
    case_id: str | None = None,
) -> Event:
    received = received_at or datetime.now(UTC)
    return new_event(
        case_id=case_id or str(uuid.uuid4()),
        type=EventType.CREATED,
        payload={
            "kind": kind,
            "source": "facebook",
            "upstream_ref": f"META-{uuid.uuid4().hex[:10]}",
            "received_at": iso(received),
            "priority": priority,
            "subject": {
                "name": name,
                "phones": list(phones),
                "profile_url": "https://facebook.example/profile/1",
                "post_text": post_text,
                "language": "hi",
            },
            "location": {"text": f"Near {station} crossing, Lucknow", "latitude": 26.8467, "longitude": 80.9462},
            "district": "Lucknow",
            "police_station": station,
            "summary": "Post expressing intent to end life",
        },
        author=HQ_AUTHOR,
        device_id="hq",
        hlc=clock.now(),
        wall_time=received,
    )


def as_from_hq(event: Event) -> Event:
    return event.with_seq(next(_seq))


def add_cases_from_hq(store: LocalStore, events: list[Event]) -> None:
    with store.unit_of_work() as uow:
        uow.events.apply_remote([as_from_hq(e) for e in events])
        uow.commit()


def seed_many(store: LocalStore, n: int, *, batch: int = 2000, alarming_every: int = 997) -> None:
    """``n`` cases (a few alarming, most acknowledged-looking older tips), inserted in batches."""
    hq_clock = HybridClock("hq")
    now = datetime.now(UTC)
    for start in range(0, n, batch):
        events = []
        for i in range(start, min(n, start + batch)):
            events.append(
                created_event(
                    hq_clock,
                    name=f"{NAMES[i % len(NAMES)]} {i}",
                    kind="suicide_risk" if i % alarming_every == 0 else ("tip" if i % 3 else "complaint"),
                    priority=1 + i % 4,
                    station=STATIONS[i % len(STATIONS)],
                    received_at=now - timedelta(minutes=i),
                    phones=(f"+91 9{i:09d}",),
                )
            )
        add_cases_from_hq(store, events)


@dataclass
class UiEnv:
    data_dir: Path
    store: LocalStore
    key: bytes
    hq_clock: HybridClock


def open_store(data_dir: Path, key: bytes) -> LocalStore:
    return LocalStore.open(data_dir / "rakshak.db", key)


def make_context(env: UiEnv, settings: Settings | None = None) -> Any:
    from ui.context import ApplicationContext, SyncBridge
    from ui.operations import TaskManager

    taskman = TaskManager()
    with env.store.reader() as uow:
        last = uow.meta.hlc_last()
    clock = HybridClock(env.store.device_id, last=last)
    return ApplicationContext(
        data_dir=env.data_dir,
        settings=settings or Settings.load(env.data_dir),
        store=env.store,
        clock=clock,
        author=OPERATOR,
        device_id=env.store.device_id,
        taskman=taskman,
        bridge=SyncBridge(taskman),
        username="op1",
        role="district_operator",
        district="Lucknow",
    )


@pytest.fixture
def ui_env(tmp_path: Path) -> Iterator[UiEnv]:
    key = StoreKey.ephemeral()
    store = open_store(tmp_path, key)
    yield UiEnv(tmp_path, store, key, HybridClock("hq"))
    store.close()


def wait_idle(qtbot: Any, ctx: Any, timeout_ms: int = 5000) -> None:
    """Wait until every queued operation has delivered its callback on the GUI thread."""
    qtbot.waitUntil(lambda: ctx.taskman.pending == 0, timeout=timeout_ms)
