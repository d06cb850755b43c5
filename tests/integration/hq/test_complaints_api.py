"""The complaint endpoints through a real HQ on loopback: Meta's webhook (signature checked before
parsing; a forged delivery stores nothing), the queue, triage, a reply drafted, approved by a
supervisor and published once through a Graph simulator, and the connectors' health."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from hq import service
from hq.connectors import signature
from tests.fixtures.hq import API, HQFactory, HQServer
from tests.fixtures.social_sims import GraphSim

SECRET = "app-secret-for-tests"


def _delivery(comment_id: str = "post1_c1", message: str = "My phone was snatched near Patna Junction") -> bytes:
    body = {
        "object": "page",
        "entry": [
            {
                "id": GraphSim.PAGE,
                "time": int(time.time()),
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment", "verb": "add", "comment_id": comment_id, "post_id": "post1",
                            "parent_id": "post1", "message": message, "created_time": int(time.time()) - 60,
                            "from": {"id": "4242", "name": "Ravi"},
                        },
                    }
                ],
            }
        ],
    }  # fmt: skip
    return json.dumps(body).encode()


@pytest.fixture
def server(hq_factory: HQFactory, graph_sim: GraphSim, monkeypatch: pytest.MonkeyPatch) -> HQServer:
    for name, value in {
        "RAKSHAK_META_APP_SECRET": SECRET,
        "RAKSHAK_META_VERIFY_TOKEN": "verify-me",
        "RAKSHAK_META_PAGE_TOKEN": "page-token",
        "RAKSHAK_META_PAGE_ID": GraphSim.PAGE,
        "RAKSHAK_META_GRAPH_URL": graph_sim.url,
        "RAKSHAK_COMPLAINTS_POLL_S": "3600",
    }.items():
        monkeypatch.setenv(name, value)
    return hq_factory("sqlite")


def _counts(hq: HQServer) -> tuple[int, ...]:
    db = hq.database()
    try:
        return tuple(service.count(db, t) for t in ("events", "cases", "complaint_items"))
    finally:
        db.dispose()


def _post(hq: HQServer, raw: bytes, sig: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"} | ({signature.HEADER: sig} if sig else {})
    return httpx.post(f"{hq.url}{API}/webhooks/meta", content=raw, headers=headers)


def test_forged_webhook_stores_nothing_and_a_signed_one_makes_one_complaint(server: HQServer) -> None:
    raw = _delivery()
    before = _counts(server)
    forged = signature.sign("not-the-secret", raw)
    tampered = signature.sign(SECRET, raw)
    for sig, body in ((None, raw), (forged, raw), ("sha256=zz", raw), (tampered, raw.replace(b"Ravi", b"Ravx"))):
        r = _post(server, body, sig)
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated", r.text
    assert _counts(server) == before
    good = signature.sign(SECRET, raw)
    assert _post(server, raw, good).json() == {"taken": 1}
    assert _post(server, raw, good).json() == {"taken": 1}  # Meta delivers again: no twin
    _, cases, items = _counts(server)
    assert (cases - before[1], items - before[2]) == (1, 1)


def test_webhook_subscription_handshake(server: HQServer) -> None:
    url = f"{server.url}{API}/webhooks/meta"
    ok = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"})
    assert ok.status_code == 200 and ok.text == "42"
    bad = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"})
    assert bad.status_code == 401


def test_queue_triage_reply_approval_and_publication(server: HQServer, graph_sim: GraphSim) -> None:
    raw = _delivery()
    assert _post(server, raw, signature.sign(SECRET, raw)).status_code == 200
    op, sup = server.login("hq"), server.login("supervisor")
    rows = op.http.get(f"{API}/complaints").json()
    assert len(rows) == 1, rows
    [row] = rows
    assert row["platform"] == "facebook" and row["author_handle"] == "Ravi" and row["signal"] is None
    assert row["due"]["deadline"] == "first_response" and 0 < row["due"]["remaining_s"] <= 2 * 3600
    case_id = row["case_id"]
    r = op.http.post(f"{API}/complaints/{case_id}/triage", json={"category": "crime_report", "district": "LKO"})
    assert r.status_code == 200, r.text
    assert op.http.post(f"{API}/complaints/{case_id}/triage", json={"category": "gossip"}).status_code == 422
    reply: dict[str, Any] = op.http.post(
        f"{API}/complaints/{case_id}/replies", json={"text": "FIR lodged at Kotwali", "needs_approval": True}
    ).json()
    publish = f"{API}/complaints/{case_id}/replies/{reply['reply_id']}/publish"
    approve = f"{API}/complaints/{case_id}/replies/{reply['reply_id']}/approve"
    assert op.http.post(publish).status_code == 409  # awaits approval
    assert op.http.post(approve).status_code == 403  # the author is not a second pair of eyes
    assert sup.http.post(approve).json()["status"] == "ready"
    out = op.http.post(publish).json()
    assert out["status"] == "published" and out["platform_reply_id"]
    assert graph_sim.count("POST", "/post1_c1/comments") == 1
    assert op.http.post(publish).json()["status"] == "published"  # publishing again sends nothing
    assert graph_sim.count("POST", "/post1_c1/comments") == 1
    [row] = op.http.get(f"{API}/complaints").json()
    assert row["category"] == "crime_report" and row["district"] == "LKO"
    assert [d["state"] for d in row["deadlines"]][:1] == ["met"]
    assert op.http.get(f"{API}/connectors/health").status_code == 200
    district = server.login("demo")
    assert district.http.get(f"{API}/complaints").status_code == 403
