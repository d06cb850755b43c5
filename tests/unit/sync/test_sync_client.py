"""HQClient against replies a correct HQ never sends: each must raise, never pass garbage on."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest

from core.events import Author, EventType, new_event
from core.sla import SlaPolicy
from sync.client import HQClient, check_url
from sync.errors import HQRefused, HQUnreachable, InsecureURL, ProtocolError, Unauthenticated
from tests.unit.sync.scripted_hq import Reply, ScriptedServer

NOW = "2026-11-22T13:00:00.000Z"


def _event(node: str = "dev-1") -> object:
    return new_event(
        case_id=str(uuid.uuid4()),
        type=EventType.ACKNOWLEDGED,
        payload={},
        author=Author("u1", "Op One"),
        device_id=node,
        hlc=f"{1795000000000:015d}.000000.{node}",
    )


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.5.6.7", "http://[::1]:9000/", "http://localhost:1", "https://hq.example"],
)
def test_accepts_https_and_loopback_http(url: str) -> None:
    assert not check_url(url).endswith("/")


@pytest.mark.parametrize(
    "url", ["http://hq.example", "http://10.0.0.1:8000", "ftp://127.0.0.1", "hq.example", "https://x/?a=1", ""]
)
def test_refuses_plain_http_off_loopback_and_non_urls(url: str) -> None:
    with pytest.raises(InsecureURL):
        HQClient(url)


def test_verify_is_on_and_ca_bundle_narrows_it(tmp_path: object) -> None:
    assert HQClient("https://hq.example")._http.verify is True
    assert HQClient("https://hq.example", ca_bundle="/etc/rakshak/ca.pem")._http.verify == "/etc/rakshak/ca.pem"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"status": "ok", "epoch": "", "server_time": NOW}).encode(),
        json.dumps({"status": "ok", "epoch": "e1", "server_time": "yesterday"}).encode(),
        json.dumps({"status": "ok", "epoch": "e1", "server_time": "2026-11-22T13:00:00"}).encode(),  # no zone
    ],
)
def test_malformed_health_is_a_protocol_error(scripted: ScriptedServer, body: bytes) -> None:
    scripted.replies["/api/v1/health"] = Reply(200, body)
    with pytest.raises(ProtocolError):
        HQClient(scripted.url).health()


def _pull_body(**over: object) -> bytes:
    body: dict[str, object] = {"epoch": "e1", "server_time": NOW, "cursor": 3, "has_more": False, "items": []}
    body.update(over)
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    "body",
    [
        _pull_body(cursor=-1),
        _pull_body(cursor="3"),
        _pull_body(cursor=True),
        _pull_body(has_more="no"),
        _pull_body(items={}),
        _pull_body(items=[{"kind": "gossip"}]),
        _pull_body(items=[{"kind": "revoke", "case_id": "not-a-uuid"}]),
        _pull_body(items=[{"kind": "event", "event": {"id": "x"}}]),
    ],
)
def test_malformed_pull_is_a_protocol_error(scripted: ScriptedServer, body: bytes) -> None:
    scripted.replies["/api/v1/sync/pull"] = Reply(200, body)
    with pytest.raises(ProtocolError):
        HQClient(scripted.url).pull("token", 0)


def test_pulled_event_without_hq_seq_is_a_protocol_error(scripted: ScriptedServer) -> None:
    event = _event()
    wire = event.to_wire()  # type: ignore[attr-defined]
    scripted.replies["/api/v1/sync/pull"] = Reply(200, _pull_body(items=[{"kind": "event", "event": wire}]))
    with pytest.raises(ProtocolError, match="hq_seq"):
        HQClient(scripted.url).pull("token", 0)
    wire["hq_seq"] = 9
    scripted.replies["/api/v1/sync/pull"] = Reply(200, _pull_body(items=[{"kind": "event", "event": wire}]))
    reply = HQClient(scripted.url).pull("token", 0)
    assert reply.items[0].event is not None and reply.items[0].event.hq_seq == 9


def _push_body(results: list[dict[str, object]]) -> bytes:
    return json.dumps({"epoch": "e1", "server_time": NOW, "results": results}).encode()


def test_push_results_must_answer_each_event_in_order(scripted: ScriptedServer) -> None:
    a, b = _event(), _event()
    client = HQClient(scripted.url)
    ok_a = {"id": a.id, "status": "accepted", "hq_seq": 1}  # type: ignore[attr-defined]
    ok_b = {"id": b.id, "status": "accepted", "hq_seq": 2}  # type: ignore[attr-defined]
    for results in ([ok_a], [ok_b, ok_a], [ok_a, {**ok_b, "hq_seq": 0}], [ok_a, {**ok_b, "status": "maybe"}]):
        scripted.replies["/api/v1/sync/push"] = Reply(200, _push_body(results))
        with pytest.raises(ProtocolError):
            client.push("t", "dev-1", [a, b])  # type: ignore[list-item]
    scripted.replies["/api/v1/sync/push"] = Reply(
        200, _push_body([ok_a, {"id": b.id, "status": "rejected", "reason": "closed", "code": "refused"}])  # type: ignore[attr-defined]
    )
    reply = client.push("t", "dev-1", [a, b])  # type: ignore[list-item]
    assert [r.accepted for r in reply.results] == [True, False]
    assert reply.results[1].reason == "closed" and reply.results[1].code == "refused"
    sent = json.loads(scripted.seen[-1][2])
    assert "hq_seq" not in sent["events"][0]  # HQ assigns it


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, HQUnreachable), (502, HQUnreachable), (503, HQUnreachable), (429, HQUnreachable), (408, HQUnreachable),
     (401, Unauthenticated), (403, HQRefused), (413, HQRefused), (422, HQRefused), (301, ProtocolError)],
)
def test_status_codes_map_to_causes(scripted: ScriptedServer, status: int, error: type[Exception]) -> None:
    scripted.replies["/api/v1/health"] = Reply(status, b'{"detail": "because", "code": "some_code"}')
    with pytest.raises(error) as info:
        HQClient(scripted.url).health()
    if isinstance(info.value, HQRefused):
        assert info.value.status == status and info.value.code == "some_code" and info.value.detail == "because"


def test_read_timeout_is_unreachable_not_a_hang(scripted: ScriptedServer) -> None:
    scripted.replies["/api/v1/health"] = Reply(200, b"{}", delay_s=3.0)
    started = time.monotonic()
    with pytest.raises(HQUnreachable, match="in time"):
        HQClient(scripted.url, timeout_s=0.3).health()
    assert time.monotonic() - started < 2.5


def test_connection_refused_is_unreachable() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(HQUnreachable):
        HQClient(f"http://127.0.0.1:{port}", timeout_s=1).health()


def test_abort_frees_a_request_stuck_on_a_silent_link(scripted: ScriptedServer) -> None:
    scripted.replies["/api/v1/sync/pull"] = Reply(200, _pull_body(), delay_s=20.0)
    client = HQClient(scripted.url, timeout_s=30)
    outcome: list[BaseException] = []

    def stuck() -> None:
        try:
            client.pull("token", 0, wait_s=25)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=stuck)
    started = time.monotonic()
    thread.start()
    deadline = time.monotonic() + 5
    while not client._adapter._live and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert client.abort() >= 1
    thread.join(5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 5
    assert isinstance(outcome[0], HQUnreachable)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"first_response_min": 120}',
     b'{"first_response_min": 120, "next_response_min": 120, "resolution_min": 4320, "warn_before_min": 30,'
     b' "first_response_by_category": {"womens_safety": "soon"}, "resolution_by_category": {}}'],
)  # fmt: skip
def test_a_malformed_complaint_policy_is_a_protocol_error(scripted: ScriptedServer, body: bytes) -> None:
    scripted.replies["/api/v1/complaints/policy"] = Reply(200, body)
    with pytest.raises(ProtocolError):
        HQClient(scripted.url).complaint_policy("token")


def test_complaint_policy_reads_back_what_hq_sent(scripted: ScriptedServer) -> None:
    policy = SlaPolicy(first_response_by_category={"womens_safety": 30}, warn_before_min=10)
    scripted.replies["/api/v1/complaints/policy"] = Reply(200, json.dumps(policy.to_json()).encode())
    assert HQClient(scripted.url).complaint_policy("token") == policy
