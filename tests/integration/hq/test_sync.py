"""Push, pull, intake and routing against a real HQ on each backend (docs/PROTOCOL.md)."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from core.events import EventType
from core.hlc import HybridClock
from hq import db as hq_db
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import ack, dispatch, event, events_of, note, outcome, revokes_of


def test_health_needs_no_auth_and_each_database_has_its_own_epoch(hq: HQServer, hq_factory) -> None:  # type: ignore[no-untyped-def]
    body = httpx.get(f"{hq.url}{API}/health").json()
    assert body["status"] == "ok" and len(body["epoch"]) >= 8
    other = hq_factory(hq.backend)
    assert other.epoch != hq.epoch


def test_intake_creates_routes_and_counts_duplicates(hq: HQServer) -> None:
    ref = f"meta-{uuid.uuid4()}"
    headers = {"X-Api-Key": hq.intake_key}
    from hq.demo import synthetic_alert

    body = synthetic_alert(district="LKO") | {"upstream_ref": ref}
    first = httpx.post(f"{hq.url}{API}/intake", json=body, headers=headers)
    assert first.status_code == 201
    assert first.json()["duplicate"] is False
    case_id = first.json()["case_id"]
    for n in (1, 2):
        again = httpx.post(f"{hq.url}{API}/intake", json=body, headers=headers)
        assert again.status_code == 200
        assert again.json() == {"case_id": case_id, "duplicate": True, "duplicates": n}
    lko = hq.login("demo")
    items, _ = lko.pull_all()
    evs = events_of(items, case_id)
    assert [e["type"] for e in evs] == ["created", "assigned"]
    assert evs[0]["author_id"] == "key:test-intake" and evs[0]["device_id"] == "hq"
    assert evs[1]["payload"]["district"] == "LKO"
    assert evs[0]["hlc"] < evs[1]["hlc"]
    assert evs[0]["hq_seq"] < evs[1]["hq_seq"]


def test_push_is_idempotent_and_conflicting_content_is_rejected_alone(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    a = ack(lko, case_id)
    d = dispatch(lko, case_id)
    first = lko.push([a, d])
    assert [r["status"] for r in first["results"]] == ["accepted", "accepted"]
    seqs = [r["hq_seq"] for r in first["results"]]
    assert seqs[0] < seqs[1]
    # A retry after a lost reply: same ids, same content -> same acks, same hq_seq, nothing new stored.
    again = lko.push([a, d])
    assert again["results"] == first["results"]
    # Same id, other content -> conflict; the rest of the batch is still processed.
    tampered = a.to_wire() | {"payload": {"note": "changed"}}
    n = note(lko, case_id)
    mixed = lko.push([tampered, n])
    assert mixed["results"][0]["status"] == "rejected" and mixed["results"][0]["code"] == "conflict"
    assert mixed["results"][1]["status"] == "accepted"
    items, _ = lko.pull_all()
    stored = events_of(items, case_id)
    assert [e["id"] for e in stored].count(a.id) == 1
    assert next(e for e in stored if e["id"] == a.id)["payload"] == dict(a.payload)
    assert {e["id"] for e in stored} >= {a.id, d.id, n.id}


def test_push_accepts_merged_offline_history_the_fold_can_absorb(hq: HQServer) -> None:
    """Two consoles of one district: one closes the case, the other (offline) records an outcome
    afterwards. HQ must keep both: refusing the late outcome would lose field data."""
    case_id = hq.intake("LKO")
    one = hq.login("demo", device_id="lko-1")
    two = hq.login("demo", device_id="lko-2")
    assert all(r["status"] == "accepted" for r in one.push([ack(one, case_id), outcome(one, case_id)])["results"])
    closed = event(one, case_id, EventType.CLOSED, {"reason": "done"})
    assert one.push([closed])["results"][0]["status"] == "accepted"
    late = dispatch(two, case_id)
    assert two.push([late])["results"][0]["status"] == "accepted"
    state = one.http.get(f"{API}/cases/{case_id}").json()["state"]
    assert state["status"] == "closed"
    assert any("after the case was closed" in a for a in state["anomalies"])


def test_push_refuses_what_is_not_the_callers_to_write(hq: HQServer) -> None:
    lko_case = hq.intake("LKO")
    knp_case = hq.intake("KNP")
    lko = hq.login("demo")
    knp = hq.login("demo-knp")
    hq_op = hq.login("hq")
    foreign_author = ack(knp, lko_case).to_wire() | {"device_id": lko.device_id}
    other_device = ack(lko, lko_case).to_wire() | {"device_id": "someone-elses-console"}
    unknown_case = ack(lko, str(uuid.uuid4()))
    foreign_case = ack(lko, knp_case)
    created = event(
        lko,
        str(uuid.uuid4()),
        EventType.CREATED,
        {
            "kind": "suicide_risk",
            "source": "facebook",
            "upstream_ref": "x",
            "received_at": "2026-11-22T10:00:00.000Z",
            "priority": 1,
            "subject": {},
            "location": {"text": ""},
        },
    )
    assign = event(lko, lko_case, EventType.ASSIGNED, {"district": "KNP"})
    bad_amend = event(
        lko,
        lko_case,
        EventType.AMENDED,
        {
            "target_event_id": str(uuid.uuid4()),
            "fields": {"note": "x"},
            "reason": "typo",
        },
    )
    results = lko.push([foreign_author, other_device, unknown_case, foreign_case, created, assign, bad_amend])[
        "results"
    ]
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("rejected", "unknown_case"),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("rejected", "refused"),
    ]
    assert all(r["reason"] for r in results)
    # Nothing of that was stored: HQ's full feed holds only the two intakes' events.
    items, _ = hq_op.pull_all()
    assert {e["type"] for e in events_of(items)} == {"created", "assigned"}


def test_hq_operator_may_reassign_by_push_but_only_to_a_real_district(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    hq_op, knp = hq.login("hq"), hq.login("demo-knp")
    _, knp_cursor = knp.pull_all()
    nowhere = event(hq_op, case_id, EventType.ASSIGNED, {"district": "ATLANTIS"})
    to_knp = event(hq_op, case_id, EventType.ASSIGNED, {"district": "KNP", "police_station": "KLY"})
    results = hq_op.push([nowhere, to_knp])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "refused"), ("accepted", None)]
    assert "ATLANTIS" in results[0]["reason"]
    items, _ = knp.pull_all(knp_cursor)
    assert [e["type"] for e in events_of(items, case_id)] == ["created", "assigned", "assigned"]


def test_push_with_a_device_id_other_than_the_session_is_refused(hq: HQServer) -> None:
    lko = hq.login("demo")
    r = lko.http.post(f"{API}/sync/push", json={"device_id": "not-mine", "events": []})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_pull_is_scoped_paged_and_in_order(hq: HQServer) -> None:
    lko_cases = [hq.intake("LKO") for _ in range(3)]
    knp_case = hq.intake("KNP")
    unassigned = hq.intake(None)
    lko, knp, sup = hq.login("demo"), hq.login("demo-knp"), hq.login("supervisor")
    seen, cursor, pages = [], 0, 0
    while True:
        page = lko.pull(cursor, limit=2)
        assert page["cursor"] >= cursor
        seen += page["items"]
        cursor, pages = page["cursor"], pages + 1
        if not page["has_more"]:
            break
    assert pages >= 3
    assert {e["case_id"] for e in events_of(seen)} == set(lko_cases)
    seqs = [e["hq_seq"] for e in events_of(seen)]
    assert seqs == sorted(seqs)
    knp_items, _ = knp.pull_all()
    assert {e["case_id"] for e in events_of(knp_items)} == {knp_case}
    all_items, _ = sup.pull_all()
    assert {e["case_id"] for e in events_of(all_items)} == {*lko_cases, knp_case, unassigned}
    # Nothing after the end: an empty page keeps the cursor.
    tail = lko.pull(cursor)
    assert tail["items"] == [] and tail["cursor"] == cursor and tail["has_more"] is False


def test_reassignment_revokes_the_old_district_and_redelivers_the_whole_history(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko, knp, hq_op = hq.login("demo"), hq.login("demo-knp"), hq.login("hq")
    lko_items, lko_cursor = lko.pull_all()
    _, knp_cursor = knp.pull_all()
    a, n = ack(lko, case_id), note(lko, case_id)
    lko.push([a, n])
    # An outcome the LKO console records offline *before* HQ reroutes the case...
    offline = outcome(lko, case_id)
    r = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "KNP", "police_station": "KLY"})
    assert r.status_code == 200, r.text
    assigned = r.json()["event"]
    assert assigned["type"] == "assigned" and assigned["device_id"] == "hq" and assigned["hq_seq"]
    lko_after, lko_cursor = lko.pull_all(lko_cursor)
    assert revokes_of(lko_after) == [case_id]
    # The revoke is the last thing the old district hears of the case (its own echoes come before).
    assert lko_after[-1] == {"kind": "revoke", "case_id": case_id}
    assert [e["id"] for e in events_of(lko_after, case_id)] == [a.id, n.id]
    knp_items, knp_cursor = knp.pull_all(knp_cursor)
    history = events_of(knp_items, case_id)
    assert [e["type"] for e in history] == ["created", "assigned", "acknowledged", "counselling_note", "assigned"]
    # ...still reaches HQ when the console comes back, and the new district receives it.
    assert lko.push([offline])["results"][0]["status"] == "accepted"
    knp_more, _ = knp.pull_all(knp_cursor)
    assert [e["id"] for e in events_of(knp_more, case_id)] == [offline.id]
    # Work the old district starts after it has seen the reassignment is refused.

    later = event(
        lko,
        case_id,
        EventType.COUNSELLING_NOTE,
        {
            "officer_name": "x",
            "officer_rank": "SI",
            "text": "late",
        },
        hlc=str(HybridClock(lko.device_id, last=assigned["hlc"]).now()),
    )
    res = lko.push([later])["results"][0]
    assert (res["status"], res["code"]) == ("rejected", "forbidden")
    # A district operator may no longer read it; the new district may.
    assert lko.http.get(f"{API}/cases/{case_id}").status_code == 403
    assert knp.http.get(f"{API}/cases/{case_id}").json()["state"]["district"] == "KNP"
    assert len(lko_items) >= 2


def test_assign_validates_district_and_refuses_a_no_op(hq: HQServer) -> None:
    case_id = hq.intake("LKO", police_station="HAZ")
    hq_op = hq.login("hq")
    bad = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "NOPE"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    bad_station = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "LKO", "police_station": "KLY"})
    assert bad_station.status_code == 422 and "KLY" in bad_station.json()["detail"]
    same = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "LKO", "police_station": "HAZ"})
    assert same.status_code == 409 and same.json()["code"] == "conflict"
    moved = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "LKO", "police_station": "GOM"})
    assert moved.status_code == 200
    assert hq_op.http.get(f"{API}/cases/{case_id}").json()["state"]["police_station"] == "GOM"
    missing = hq_op.http.post(f"{API}/cases/{uuid.uuid4()}/assign", json={"district": "LKO"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_long_poll_returns_when_a_change_in_scope_commits(hq: HQServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the safety re-query pushed far beyond the wait, only a notification can end the wait
    early with items: if notifications were broken, the pull would come back empty."""
    monkeypatch.setattr(hq_db, "SAFETY_REQUERY_S", 600.0)
    lko, knp = hq.login("demo"), hq.login("demo-knp")
    _, cursor = lko.pull_all()
    _, knp_cursor = knp.pull_all()
    results: dict[str, dict] = {}

    def wait(name: str, client, cur: int, wait_s: float) -> None:  # type: ignore[no-untyped-def]
        results[name] = client.pull(cur, wait=wait_s)

    lko_waiter = threading.Thread(target=wait, args=("lko", lko, cursor, 30))
    knp_waiter = threading.Thread(target=wait, args=("knp", knp, knp_cursor, 3))
    lko_waiter.start()
    knp_waiter.start()
    time.sleep(0.3)  # let both pulls reach HQ and be held (if not yet held, they find the case at once)
    case_id = hq.intake("LKO")
    lko_waiter.join(30)
    assert {e["case_id"] for e in events_of(results["lko"]["items"])} == {case_id}
    # The other district was not handed anything; its pull is still held (or came back empty).
    assert "knp" not in results or results["knp"]["items"] == []
    knp_waiter.join(30)
    assert results["knp"]["items"] == []


def test_long_poll_gives_up_after_wait_with_nothing(hq: HQServer) -> None:
    lko = hq.login("demo")
    _, cursor = lko.pull_all()
    page = lko.pull(cursor, wait=0.5)
    assert page["items"] == [] and page["cursor"] == cursor and page["epoch"] == hq.epoch
