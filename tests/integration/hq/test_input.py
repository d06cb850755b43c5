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
    # Every refused alert is in the audit log, with its reason: those the service refused and the one
    # the request model refused (missing upstream_ref).
    db = hq.database()
    try:
        with db.reader() as conn:
            refused = conn.execute(
                select(audit.c.actor, audit.c.detail).where(audit.c.action == "intake", audit.c.outcome == "invalid")
            ).all()
    finally:
        db.dispose()
    assert len(refused) == len(cases) + 1
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


def test_request_types_are_strict_no_coercion(hq: HQServer) -> None:
    """Where the protocol says bool or int, "yes", "5", 5.0 or true for 1 is refused, not coerced."""
    lko = hq.login("demo")
    presence = {"device_id": lko.device_id, "app_version": "1.0.0", "pending": 0, "audio": {"ok": True}}
    assert lko.http.post(f"{API}/presence", json=presence).status_code == 200
    for audio in ({"ok": "yes"}, {"ok": 1}, {"ok": "true"}, {"ok": None}, {"ok": True, "extra": 1},
                  {"ok": True, "checked_at": "yesterday"}, {"ok": True, "detail": 5}):  # fmt: skip
        r = lko.http.post(f"{API}/presence", json=presence | {"audio": audio})
        _is_error(r, 422, "invalid")
        assert "audio" in r.json()["detail"], audio
    for pending in ("5", 5.0, True, -1):
        r = lko.http.post(f"{API}/presence", json=presence | {"pending": pending})
        _is_error(r, 422, "invalid")
        assert "pending" in r.json()["detail"]
    _is_error(lko.http.post(f"{API}/presence", json=presence | {"app_version": 1}), 422, "invalid")
    key = {"X-Api-Key": hq.intake_key}
    before = _stored(hq)
    for priority in ("1", True, 1.0):
        body = synthetic_alert(district="LKO") | {"priority": priority}
        r = httpx.post(f"{hq.url}{API}/intake", json=body, headers=key)
        _is_error(r, 422, "invalid")
        assert "priority" in r.json()["detail"]
    bad_login = {"username": 5, "password": "x", "device_id": "d", "device_name": "n"}
    _is_error(httpx.post(f"{hq.url}{API}/auth/login", json=bad_login), 422, "invalid")
    case_id = hq.intake("LKO")
    hq_op = hq.login("hq")
    _is_error(hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": ["KNP"]}), 422, "invalid")
    assert _stored(hq)[2] == before[2] + 1  # only the good intake made a case


def test_push_refuses_an_hq_seq_sent_by_the_client(hq: HQServer) -> None:
    """``hq_seq`` is HQ's to assign: an event pushed with one is rejected ``invalid`` (on its own),
    not silently renumbered; the same event without it (or with null) is accepted."""
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    before = _stored(hq)
    numbered = ack(lko, case_id).to_wire() | {"hq_seq": 12345}
    result = lko.push([numbered])["results"][0]
    assert (result["status"], result["code"], result["id"]) == ("rejected", "invalid", numbered["id"])
    assert "hq_seq" in result["reason"]
    assert _stored(hq) == before
    accepted = lko.push([numbered | {"hq_seq": None}])["results"][0]
    assert accepted["status"] == "accepted" and accepted["hq_seq"] != 12345
    retry = lko.push([{k: v for k, v in numbered.items() if k != "hq_seq"}])["results"][0]
    assert (retry["status"], retry["hq_seq"]) == ("accepted", accepted["hq_seq"])


def test_intake_bodies_refused_at_the_edge_are_audited(hq: HQServer) -> None:
    """An intake body refused by the request model (before the service) leaves an audit row like one
    the service refuses: who sent it (key or user), the reason, the upstream reference if readable."""
    key = {"X-Api-Key": hq.intake_key}
    alert = synthetic_alert(district="LKO")
    nul_ref = alert | {"upstream_ref": "a\u0000b"}
    assert httpx.post(f"{hq.url}{API}/intake", json=nul_ref, headers=key).status_code == 422
    assert httpx.post(f"{hq.url}{API}/intake", json=alert | {"priority": "1"}, headers=key).status_code == 422
    hq_op = hq.login("hq", device_id="hq-1")
    assert hq_op.http.post(f"{API}/intake", json=alert | {"surprise": 1}).status_code == 422
    # Not signed in: 401 before the body is judged, and nothing audited as intake.
    assert httpx.post(f"{hq.url}{API}/intake", json=alert | {"priority": "1"}).status_code == 401
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(audit.c.actor, audit.c.username, audit.c.device_id, audit.c.detail)
                .where(audit.c.action == "intake", audit.c.outcome == "invalid")
                .order_by(audit.c.id)
            ).all()
    finally:
        db.dispose()
    assert [(r.actor, r.username, r.device_id) for r in rows] == [
        ("key:test-intake", None, None),
        ("key:test-intake", None, None),
        (hq_op.user["id"], "hq", "hq-1"),
    ]
    details = [json.loads(r.detail) for r in rows]
    assert "upstream_ref" in details[0]["reason"] and "NUL" in details[0]["reason"]
    assert details[0]["upstream_ref"] is None  # not readable text: not copied into the audit
    assert "priority" in details[1]["reason"] and details[1]["upstream_ref"] == alert["upstream_ref"]
    assert "surprise" in details[2]["reason"]
