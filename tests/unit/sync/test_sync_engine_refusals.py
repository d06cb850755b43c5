"""The push worker against whole-batch refusals a correct HQ rarely sends (413/422 for a batch).

A real SQLCipher store; the HQ side is scripted because HQ answers bad events one by one, and a
batch-level refusal is what a proxy or an older HQ may send. The bad event must end up alone in
quarantine with HQ's reason while every other event goes through.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from core.events import Author, EventType, new_event
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, StoreKey
from sync import SyncEngine
from sync.session import Session
from tests.unit.sync.scripted_hq import Reply, ScriptedServer

NOW = "2026-11-22T13:00:00.000Z"
USER = {"id": "u1", "username": "op", "display_name": "Op One", "role": "district_operator", "district": "LKO"}


def test_a_bad_event_in_a_refused_batch_is_quarantined_alone(scripted: ScriptedServer, tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path / "rakshak.db", StoreKey.ephemeral())
    device = store.device_id
    clock = HybridClock(device)
    case_id = str(uuid.uuid4())
    made = []
    with store.unit_of_work() as uow:
        for i in range(7):
            payload = {"officer_name": "SI", "officer_rank": "SI", "text": "BAD" if i == 4 else f"note {i}"}
            event = new_event(case_id=case_id, type=EventType.COUNSELLING_NOTE, payload=payload,
                              author=Author("u1", "Op One"), device_id=device, hlc=clock.now())
            uow.events.append_local(event)
            made.append(event)
        uow.commit()
    bad = made[4]
    seq = iter(range(1, 100))
    pushed: list[str] = []

    def push(body: bytes) -> Reply:
        events = json.loads(body)["events"]
        if any(e["payload"]["text"] == "BAD" for e in events):
            return Reply(422, b'{"detail": "event.payload.text: not allowed here", "code": "invalid"}')
        pushed.extend(e["id"] for e in events)
        results = [{"id": e["id"], "status": "accepted", "hq_seq": next(seq)} for e in events]
        return Reply(200, json.dumps({"epoch": "e1", "server_time": NOW, "results": results}).encode())

    login = {"access_token": "a", "refresh_token": "r", "expires_in": 900, "user": USER}
    scripted.replies["/api/v1/auth/login"] = Reply(200, json.dumps(login).encode())
    scripted.replies["/api/v1/sync/push"] = push
    session = Session(scripted.url, device)
    session.login(scripted.url, "op", "pw", device, "console")
    engine = SyncEngine(store, session, clock, settings=Settings({}))
    engine.push.push_all()

    assert sorted(pushed) == sorted(e.id for e in made if e is not bad)  # each good one exactly once
    with store.reader() as uow:
        assert uow.outbox.counts() == (0, 1)
        (quarantined,) = uow.outbox.rejected()
    assert quarantined.event.id == bad.id
    assert quarantined.reject_reason == "event.payload.text: not allowed here"
    assert engine.status.rejected_reasons == [(bad.id, "event.payload.text: not allowed here")]
    store.close()


def test_when_hq_refuses_every_event_nothing_is_quarantined(scripted: ScriptedServer, tmp_path: Path) -> None:
    """A systematic refusal (HQ or a proxy broken, not the events) must not empty the outbox into
    quarantine: everything stays pending and the engine reports the error."""
    store = LocalStore.open(tmp_path / "rakshak.db", StoreKey.ephemeral())
    device = store.device_id
    clock = HybridClock(device)
    case_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        for i in range(5):
            payload = {"officer_name": "SI", "officer_rank": "SI", "text": f"note {i}"}
            uow.events.append_local(new_event(case_id=case_id, type=EventType.COUNSELLING_NOTE, payload=payload,
                                              author=Author("u1", "Op One"), device_id=device, hlc=clock.now()))
        uow.commit()
    login = {"access_token": "a", "refresh_token": "r", "expires_in": 900, "user": USER}
    scripted.replies["/api/v1/auth/login"] = Reply(200, json.dumps(login).encode())
    scripted.replies["/api/v1/sync/push"] = Reply(422, b'{"detail": "body: field required", "code": "invalid"}')
    session = Session(scripted.url, device)
    session.login(scripted.url, "op", "pw", device, "console")
    engine = SyncEngine(store, session, clock, settings=Settings({}))
    status = engine.run_once()
    assert status.pending == 5 and status.rejected == 0
    assert status.state == "error" and status.last_error and "field required" in status.last_error
    assert status.error_cause == "refused"  # what the status bar explains, without reading the English text
    store.close()


def test_error_causes_follow_the_exception_type_not_its_text() -> None:
    from core.errors import StoreUnavailable
    from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError
    from sync.status import ErrorCause, error_cause

    assert error_cause(HQUnreachable("anything")) is ErrorCause.UNREACHABLE
    assert error_cause(HQRefused(400, "bad", "nope")) is ErrorCause.REFUSED
    assert error_cause(ProtocolError("anything")) is ErrorCause.PROTOCOL
    assert error_cause(StoreUnavailable("anything")) is ErrorCause.LOCAL_STORE
    assert error_cause(LoginRequired("anything")) is ErrorCause.LOGIN
    assert error_cause(KeyError("x")) is ErrorCause.INTERNAL
