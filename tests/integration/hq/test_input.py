"""Bad input: clear 4xx with the protocol's error body, and nothing stored."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from sqlalchemy import select

from hq import service
from hq.demo import synthetic_alert
from hq.schema import audit
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import ack


def _stored(hq: HQServer) -> tuple[int, int, int]:
    db = hq.database()
    try:
        return service.count(db, "events"), service.count(db, "feed"), service.count(db, "cases")
    finally:
        db.dispose()


def _is_error(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]


def test_garbage_and_wrong_types_get_422_and_nothing_is_stored(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    before = _stored(hq)
    headers = {"Content-Type": "application/json"}
    _is_error(lko.http.post(f"{API}/sync/push", content=b"{not json", headers=headers), 422, "invalid")
    _is_error(lko.http.post(f"{API}/sync/push", json=[1, 2, 3]), 422, "invalid")
    _is_error(lko.http.post(f"{API}/sync/push", json={"device_id": lko.device_id, "events": "x"}), 422, "invalid")
    _is_error(lko.http.post(f"{API}/sync/push", json={"device_id": 7, "events": []}), 422, "invalid")
    _is_error(
        lko.http.post(f"{API}/sync/push", json={"device_id": lko.device_id, "events": [], "extra": 1}), 422, "invalid"
    )
    for params in ({"cursor": -1}, {"cursor": "abc"}, {"limit": 0}, {"limit": 100000}, {"wait": 61}):
        _is_error(lko.http.get(f"{API}/sync/pull", params=params), 422, "invalid")
    # an unknown (e.g. misspelt) query parameter is refused, not silently ignored
    misspelt = lko.http.get(f"{API}/sync/pull", params={"cursor": 0, "curosr": 5})
    _is_error(misspelt, 422, "invalid")
    assert "'curosr'" in misspelt.json()["detail"]
    _is_error(lko.http.get(f"{API}/sync/pull?cursor=0&=null"), 422, "invalid")
    good = ack(lko, case_id).to_wire()
    bad_events = [
        "not an object",
        good | {"type": "teleported"},
        good | {"id": "not-a-uuid"},
        good | {"payload": {"note": 5}},
        good | {"payload": {"surprise": "field"}},
        good | {"hlc": "yesterday"},
        good | {"wall_time": "2026-11-22T10:00:00"},
        {k: v for k, v in good.items() if k != "author_id"},
    ]
    bad_events = [e if isinstance(e, str) else e | {"id": e.get("id", str(uuid.uuid4()))} for e in bad_events]
    results = lko.push(bad_events)["results"]
    assert [r["code"] for r in results] == ["invalid"] * len(bad_events)
    reasons = [r["reason"] for r in results]
    assert "unknown event type 'teleported'" in reasons[1]
    assert "event.payload.note" in reasons[3]
    assert "surprise" in reasons[4]
    assert _stored(hq) == before


def test_intake_rejects_bad_alerts_with_the_field_named(hq: HQServer) -> None:
    key = {"X-Api-Key": hq.intake_key}
    before = _stored(hq)
    cases = [
        ({"source": "carrier-pigeon"}, "intake.source"),
        ({"priority": 9}, "intake.priority"),
        ({"received_at": "last tuesday"}, "intake.received_at"),
        ({"location": {"text": "x", "latitude": 123}}, "intake.location.latitude"),
        ({"district": "ATLANTIS"}, "unknown district"),
        ({"police_station": "NOPE"}, "unknown police station"),
        ({"subject": {"phones": "9000000000"}}, "intake.subject.phones"),
    ]
    for change, expected in cases:
        r = httpx.post(f"{hq.url}{API}/intake", json=synthetic_alert(district="LKO") | change, headers=key)
        _is_error(r, 422, "invalid")
        assert expected in r.json()["detail"], (change, r.json())
    missing = synthetic_alert(district="LKO")
    del missing["upstream_ref"]
    _is_error(httpx.post(f"{hq.url}{API}/intake", json=missing, headers=key), 422, "invalid")
    assert _stored(hq) == before
    # Every refused alert that reached the service is in the audit log, with its reason.
    db = hq.database()
    try:
        with db.reader() as conn:
            refused = conn.execute(
                select(audit.c.actor, audit.c.detail).where(audit.c.action == "intake", audit.c.outcome == "invalid")
            ).all()
    finally:
        db.dispose()
    assert len(refused) == len(cases)
    assert all(r.actor == "key:test-intake" and "reason" in json.loads(r.detail) for r in refused)


def test_oversized_batches_and_bodies_get_413(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    before = _stored(hq)
    batch = [ack(lko, case_id).to_wire() for _ in range(service.MAX_PUSH_EVENTS + 1)]
    r = lko.http.post(f"{API}/sync/push", json={"device_id": lko.device_id, "events": batch})
    _is_error(r, 413, "too_large")
    assert "500" in r.json()["detail"]
    huge = json.dumps({"device_id": lko.device_id, "events": [{"pad": "x" * (6 * 1024 * 1024)}]}).encode()
    _is_error(
        lko.http.post(f"{API}/sync/push", content=huge, headers={"Content-Type": "application/json"}), 413, "too_large"
    )

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(7):
            yield b"x" * (1024 * 1024)

    # No Content-Length (chunked): the limit still holds while the body streams in.
    chunked = lko.http.post(f"{API}/sync/push", content=chunks(), headers={"Content-Type": "application/json"})
    _is_error(chunked, 413, "too_large")
    assert _stored(hq) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", f"{API}/nowhere"), ("DELETE", f"{API}/sync/push"), ("GET", f"{API}/cases/not-a-uuid")],
)
def test_unknown_routes_methods_and_ids(hq_server: HQServer, method: str, path: str) -> None:
    hq_op = hq_server.login("hq")
    r = hq_op.http.request(method, path)
    assert r.status_code in (404, 405)
    assert set(r.json()) == {"detail", "code"}
