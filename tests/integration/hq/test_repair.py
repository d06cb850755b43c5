"""POST /api/v1/sync/repair: a restored HQ takes back only its own events, signed by a trusted key,
in causal order; every refusal has a code and is audited."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from core.events import Event, EventType
from hq import admin, signing
from tests.fixtures.hq import API, HQClient, HQServer
from tests.integration.hq.helpers import note


def _repair(client: HQClient, events: list[Event]) -> list[dict[str, Any]]:
    wire = [e.to_wire(include_seq=False) | {"signature": e.signature} for e in events]
    r = client.http.post(f"{API}/sync/repair", json={"device_id": client.device_id, "events": wire})
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def _codes(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] if r["status"] == "accepted" else r["code"] for r in results]


def _case_events(client: HQClient, case_id: str) -> list[Event]:
    items, _ = client.pull_all()
    seen: dict[str, Event] = {}
    for i in items:
        if i["kind"] == "event" and i["event"]["case_id"] == case_id:
            seen[i["event"]["id"]] = Event.from_wire(i["event"])
    return sorted(seen.values(), key=lambda e: e.sort_key)


@pytest.mark.slow
def test_repair_reinstates_signed_events_in_causal_order_and_refuses_the_rest(
    hq_server: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "hq.pem"
    signing.generate(key)
    monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(key))
    snapshot = hq_server.backup()
    case_id = hq_server.intake("LKO")
    hq_client = hq_server.login("hq")
    moved = hq_client.http.post(f"{API}/cases/{case_id}/assign", json={"district": "KNP"})
    assert moved.status_code == 200, moved.text
    created, to_lko, to_knp = _case_events(hq_client, case_id)
    assert (created.type, to_lko.type, to_knp.type) == (EventType.CREATED, EventType.ASSIGNED, EventType.ASSIGNED)
    upstream_ref = created.payload["upstream_ref"]

    hq_server.restore(snapshot)
    console = hq_server.login("demo-knp")
    assert _codes(_repair(console, [to_lko])) == ["unknown_case"]
    tampered = dataclasses.replace(created, payload={**created.payload, "summary": "changed"})
    assert _codes(_repair(console, [tampered])) == ["bad_signature"]
    assert _codes(_repair(console, [note(console, case_id)])) == ["not_hq_event"]
    # handed back out of order: HQ applies created, then the assignments in clock order
    results = _repair(console, [to_knp, to_lko, created])
    assert _codes(results) == ["accepted"] * 3
    seqs = {r["id"]: r["hq_seq"] for r in results}
    assert seqs[created.id] < seqs[to_lko.id] < seqs[to_knp.id]
    assert _repair(console, [created, to_lko, to_knp]) == [
        {"id": e.id, "status": "accepted", "hq_seq": seqs[e.id], "reason": None, "code": None}
        for e in (created, to_lko, to_knp)
    ]  # idempotent
    state = hq_client.http.get(f"{API}/cases/{case_id}").json()["state"]
    assert state["district"] == "KNP"
    back = _case_events(console, case_id)  # KNP's feed has the case, signatures kept as HQ made them
    assert [e.id for e in back] == [created.id, to_lko.id, to_knp.id]
    assert all(e.signature and signing.current().verify(e) for e in back)
    assert hq_server.intake("LKO", upstream_ref=upstream_ref) == case_id  # a re-sent alert: no twin

    hq_server.restore(snapshot)  # again: now the older route arrives after the newer one
    console = hq_server.login("demo-knp")
    assert _codes(_repair(console, [created, to_knp])) == ["accepted", "accepted"]
    assert _codes(_repair(console, [to_lko])) == ["superseded"]

    hq_server.restore(snapshot)  # again: the alert was re-sent before any console repaired HQ
    twin = hq_server.intake("LKO", upstream_ref=upstream_ref)
    console = hq_server.login("demo-knp")
    assert _codes(_repair(console, [created])) == ["twin"]
    db = hq_server.database()
    try:
        listed = admin.repair_refused(db)
    finally:
        db.dispose()
    assert [(r["case_id"], r["code"]) for r in listed] == [(case_id, "twin")]
    assert twin in listed[0]["reason"]
