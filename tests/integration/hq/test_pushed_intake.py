"""A case entered at an HQ operator's console (manual intake, offline too) and pushed: HQ opens it with
intake's checks (``hq.intake.admit_case``), refuses a twin naming the existing case, and a pushed
reassignment revokes the case from its old district as HQ's own assignment does."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from core.events import EventType, iso, utcnow
from hq.demo import synthetic_alert
from hq.schema import audit, cases
from tests.fixtures.hq import API, HQClient, HQServer
from tests.integration.hq.helpers import ack, event, events_of, revokes_of


def _created(client: HQClient, ref: str | None = None, **over: Any) -> Any:
    body = synthetic_alert(district="LKO")
    payload = {k: body[k] for k in ("kind", "source", "upstream_ref", "received_at", "priority", "subject", "location")}
    payload["source"] = "manual"
    payload["received_at"] = iso(utcnow())
    if ref is not None:
        payload["upstream_ref"] = ref
    payload.update(over)
    return event(client, str(uuid.uuid4()), EventType.CREATED, payload)


def _intake_audits(hq: HQServer, username: str) -> list[tuple[str, str]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(audit.c.outcome, audit.c.case_id)
                .where(audit.c.action == "intake", audit.c.username == username)
                .order_by(audit.c.id)
            ).all()
    finally:
        db.dispose()
    return [(r.outcome, r.case_id) for r in rows]


def _case_row(hq: HQServer, case_id: str) -> Any:
    db = hq.database()
    try:
        with db.reader() as conn:
            return conn.execute(select(cases).where(cases.c.id == case_id)).first()
    finally:
        db.dispose()


def test_a_case_made_at_an_hq_console_is_opened_routed_and_reaches_the_district(hq: HQServer) -> None:
    hq_op, lko = hq.login("hq"), hq.login("demo")
    _, lko_cursor = lko.pull_all()
    created = _created(hq_op)
    route = event(hq_op, created.case_id, EventType.ASSIGNED, {"district": "LKO", "police_station": "HAZ"})
    results = hq_op.push([created, route])["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted"], results
    row = _case_row(hq, created.case_id)
    assert (row.upstream_ref, row.district, row.police_station, row.duplicates) == (
        created.payload["upstream_ref"], "LKO", "HAZ", 0,
    )  # fmt: skip
    # the district's consoles get the case whole, and it rings there
    items, _ = lko.pull_all(lko_cursor)
    assert [e["id"] for e in events_of(items, created.case_id)] == [created.id, route.id]
    assert ("created", created.case_id) in _intake_audits(hq, "hq")  # who opened the case, audited
    state = hq_op.http.get(f"{API}/cases/{created.case_id}").json()["state"]
    assert state["exists"] and state["district"] == "LKO" and state["source"] == "manual"
    # a retry (a lost reply) is the same answer, not a duplicate
    again = hq_op.push([created, route])["results"]
    assert [r["hq_seq"] for r in again] == [r["hq_seq"] for r in results]
    assert _case_row(hq, created.case_id).duplicates == 0


def test_a_twin_made_offline_is_refused_naming_the_existing_case_and_counted(hq: HQServer) -> None:
    ref = f"META-{uuid.uuid4().hex[:10]}"
    existing = hq.intake("LKO", upstream_ref=ref)  # the mailbox (or another console) took the alert first
    hq_op = hq.login("hq")
    twin = _created(hq_op, ref)
    ack_on_twin = ack(hq_op, twin.case_id)
    results = hq_op.push([twin, ack_on_twin])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "duplicate"), ("rejected", "unknown_case")]
    assert existing in results[0]["reason"] and ref in results[0]["reason"]
    assert _case_row(hq, twin.case_id) is None
    assert _case_row(hq, existing).duplicates == 1
    assert _intake_audits(hq, "hq") == [("duplicate", existing)]
    # two twins in one push: the first opens the case, the second is its duplicate
    ref2 = f"META-{uuid.uuid4().hex[:10]}"
    first, second = _created(hq_op, ref2), _created(hq_op, ref2)
    results = hq_op.push([first, second])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("accepted", None), ("rejected", "duplicate")]
    assert first.case_id in results[1]["reason"]


def test_intake_checks_apply_to_a_pushed_case_and_a_district_operator_may_not_create(hq: HQServer) -> None:
    hq_op, lko = hq.login("hq"), hq.login("demo")
    unknown_place = _created(hq_op, district="NOWHERE")
    wrong_station = _created(hq_op, district="LKO", police_station="KLY")  # a Kanpur station
    results = hq_op.push([unknown_place, wrong_station])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "refused")] * 2
    assert "unknown district" in results[0]["reason"] and "unknown police station" in results[1]["reason"]
    taken = hq.intake("LKO")
    same_id = event(hq_op, taken, EventType.CREATED, dict(_created(hq_op).payload))
    [result] = hq_op.push([same_id])["results"]
    assert (result["status"], result["code"], result["reason"]) == ("rejected", "refused", "this case already exists")
    by_district = _created(lko)
    [result] = lko.push([by_district])["results"]
    assert (result["status"], result["code"], result["reason"]) == (
        "rejected", "forbidden", "only HQ operators create cases",
    )  # fmt: skip
    for e in (unknown_place, wrong_station, by_district):
        assert _case_row(hq, e.case_id) is None


def test_a_case_pushed_with_its_district_routes_from_its_first_entry(hq: HQServer) -> None:
    hq_op, knp = hq.login("hq"), hq.login("demo-knp")
    _, cursor = knp.pull_all()
    created = _created(hq_op, district="KNP", police_station="KLY")
    assert hq_op.push([created])["results"][0]["status"] == "accepted"
    items, _ = knp.pull_all(cursor)
    assert [e["id"] for e in events_of(items, created.case_id)] == [created.id]


def test_a_reassignment_pushed_from_an_hq_console_revokes_the_case_from_the_old_district(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    hq_op, lko, knp = hq.login("hq"), hq.login("demo"), hq.login("demo-knp")
    items, lko_cursor = lko.pull_all()
    [to_lko] = [e for e in events_of(items, case_id) if e["type"] == "assigned"]
    _, knp_cursor = knp.pull_all()
    move = event(hq_op, case_id, EventType.ASSIGNED, {"district": "KNP", "police_station": "KLY", "note": "wrong"})
    [result] = hq_op.push([move])["results"]
    assert result["status"] == "accepted", result
    lko_items, _ = lko.pull_all(lko_cursor)
    assert revokes_of(lko_items) == [case_id]
    knp_items, _ = knp.pull_all(knp_cursor)
    delivered = events_of(knp_items, case_id)
    assert delivered[0]["type"] == "created" and delivered[-1]["id"] == move.id  # the whole history
    assert to_lko["id"] in [e["id"] for e in delivered]
    row = _case_row(hq, case_id)
    assert (row.district, row.police_station) == ("KNP", "KLY")
    # LKO's work made after its console saw the move is refused; KNP may now act
    late = event(lko, case_id, EventType.ACKNOWLEDGED, {"tier": "district", "district": "LKO"},
                 seen_assignment=move.id)  # fmt: skip
    assert lko.push([late])["results"][0]["code"] == "forbidden"
    assert knp.push([ack(knp, case_id)])["results"][0]["status"] == "accepted"
    # the very same event again (a lost reply) is the same answer
    assert hq_op.push([move])["results"][0]["hq_seq"] == result["hq_seq"]
