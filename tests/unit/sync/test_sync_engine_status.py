"""``SyncEngine.status`` is the last snapshot the engine published, read without touching the store:
the GUI thread asks for it, and the GUI thread does no database work."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.events import Author, EventType, new_event
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, StoreKey
from sync import SyncEngine
from sync.session import Session
from sync.status import ConnectionState, SyncStatus
from tests.unit.sync.scripted_hq import Reply, ScriptedServer

USER = {"id": "u1", "username": "op", "display_name": "Op One", "role": "district_operator", "district": "LKO"}


def _note(store: LocalStore, clock: HybridClock, case_id: str, text: str) -> None:
    payload = {"officer_name": "SI", "officer_rank": "SI", "text": text}
    with store.unit_of_work() as uow:
        uow.events.append_local(new_event(case_id=case_id, type=EventType.COUNSELLING_NOTE, payload=payload,
                                          author=Author("u1", "Op One"), device_id=store.device_id, hlc=clock.now()))
        uow.commit()


@pytest.fixture
def engine(scripted: ScriptedServer, tmp_path: Path) -> Iterator[tuple[SyncEngine, HybridClock]]:
    store = LocalStore.open(tmp_path / "rakshak.db", StoreKey.ephemeral())
    device = store.device_id
    login = {"access_token": "a", "refresh_token": "r", "expires_in": 900, "user": USER}
    scripted.replies["/api/v1/auth/login"] = Reply(200, json.dumps(login).encode())
    scripted.replies["/api/v1/sync/push"] = Reply(422, b'{"detail": "body: field required", "code": "invalid"}')
    session = Session(scripted.url, device)
    session.login(scripted.url, "op", "pw", device, "console")
    clock = HybridClock(device)
    yield SyncEngine(store, session, clock, settings=Settings({})), clock
    session.close()
    store.close()


def test_status_before_the_first_publish_is_offline_and_reads_nothing(
    engine: tuple[SyncEngine, HybridClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_engine, _ = engine
    opened: list[str] = []

    def forbidden(*_a: Any, **_k: Any) -> Any:
        opened.append("store")
        raise AssertionError("status read the store")

    monkeypatch.setattr(sync_engine.store, "reader", forbidden)
    monkeypatch.setattr(sync_engine.store, "unit_of_work", forbidden)
    assert sync_engine.status == SyncStatus(state=ConnectionState.OFFLINE)
    assert opened == []


def test_status_is_the_last_published_snapshot_and_never_reads_the_store(
    engine: tuple[SyncEngine, HybridClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_engine, clock = engine
    case_id = str(uuid.uuid4())
    for i in range(3):
        _note(sync_engine.store, clock, case_id, f"note {i}")
    published = sync_engine.run_once()  # HQ refuses the batch: three pending, an error shown
    assert published.pending == 3 and published.state is ConnectionState.ERROR

    _note(sync_engine.store, clock, case_id, "written after the publish")
    opened: list[str] = []

    def forbidden(*_a: Any, **_k: Any) -> Any:
        opened.append("store")
        raise AssertionError("status read the store")

    with monkeypatch.context() as patch:
        patch.setattr(sync_engine.store, "reader", forbidden)
        patch.setattr(sync_engine.store, "unit_of_work", forbidden)
        for _ in range(3):
            assert sync_engine.status is published  # the snapshot itself, not a fresh count of four
    assert opened == []

    fresh = sync_engine.board.publish()  # what the engine's threads do after each step
    assert fresh.pending == 4
    assert sync_engine.status is fresh
