"""A disabled author's field work, end to end on PostgreSQL: held at HQ, reviewed, then settled.

Operator A records work offline on a console and goes off shift; A's account is disabled; B signs in
on the same console. The push puts A's events in HQ's review queue (not refused, not stored); the
console shows them as held and does not push them again. A supervisor accepts one: it reaches the
case at HQ and both consoles of the district. The supervisor rejects the other: the console shows it
as refused with the supervisor's reason.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from core.events import EventType
from core.store.schema import HELD_FOR_REVIEW
from hq import admin
from tests.fixtures.hq import API, HQServer
from tests.integration.sync.sync_harness import Workstation, add_operator, hq_event_table

pytestmark = pytest.mark.postgres


def test_disabled_authors_work_is_reviewed_then_reaches_the_district_or_shows_the_reason(
    hq_server_pg: HQServer, tmp_path: Path
) -> None:
    hq = hq_server_pg
    gone = f"op-{uuid.uuid4().hex[:6]}"
    password_b = add_operator(hq, f"b-{uuid.uuid4().hex[:6]}")
    add_operator(hq, gone)
    case_id = hq.intake("LKO")
    console = Workstation.create(tmp_path / "console", hq.url, gone, start=False)
    peer = Workstation.create(tmp_path / "peer", hq.url, "demo", start=False)
    try:
        console.engine.run_once()
        peer.engine.run_once()
        assert console.has_case(case_id) and peer.has_case(case_id)

        # A's shift, offline (nothing pushed): the acknowledgement and a counselling note.
        outcome = console.act(case_id, EventType.ACKNOWLEDGED, {}, notify=False)
        note = console.note(case_id, "family present; follow up tomorrow", notify=False)
        console.session.logout()
        db = hq.database()
        try:
            admin.set_active(db, gone, False)
        finally:
            db.dispose()
        b_name = next(u for u in hq_users(hq) if u.startswith("b-"))
        console.session.login(hq.url, b_name, password_b, console.store.device_id, "console")

        status = console.engine.run_once()
        assert status.held == 2 and status.pending == 0 and status.rejected == 0, status
        assert {i for i, _ in status.held_notes} == {outcome.id, note.id}
        assert all("disabled" in n and "review" in n for _, n in status.held_notes)
        with console.store.reader() as uow:
            assert uow.outbox.pending() == []  # not pushed again in a loop
            held = {s.event.id: s for s in uow.outbox.held()}
            assert set(held) == {outcome.id, note.id}
            assert all(s.reject_code == HELD_FOR_REVIEW for s in held.values())
            assert uow.cases.state(case_id) is not None
        pushes = len(hq.push_audits(b_name))
        console.engine.run_once()
        assert len(hq.push_audits(b_name)) == pushes  # held events are not pushed again
        assert not {outcome.id, note.id} & set(hq_event_table(hq))

        sup = hq.login("supervisor")
        r = sup.http.post(f"{API}/review/{outcome.id}/accept", json={"reason": "acknowledged on the duty phone log"})
        assert r.status_code == 200, r.text
        r = sup.http.post(f"{API}/review/{note.id}/reject", json={"reason": "note belongs to another case"})
        assert r.status_code == 200, r.text

        status = console.engine.run_once()
        peer.engine.run_once()
        at_hq = hq_event_table(hq)
        assert outcome.id in at_hq and note.id not in at_hq
        seq = at_hq[outcome.id][1]
        assert status.held == 0 and status.pending == 0 and status.rejected == 1
        assert status.rejected_reasons == [(note.id, "note belongs to another case")]
        for ws in (console, peer):
            assert ws.events()[outcome.id][1] == seq  # accepted, with HQ's number, on both consoles
        assert note.id not in peer.events(include_rejected=True)
        with console.store.reader() as uow:
            stored = uow.events.get(note.id)
            assert stored is not None and stored.sync_state == "rejected"
            assert stored.reject_reason == "note belongs to another case"
            assert uow.outbox.held() == []
        case_at_hq = sup.http.get(f"{API}/cases/{case_id}").json()
        assert outcome.id in [e["id"] for e in case_at_hq["events"]]
    finally:
        console.close()
        peer.close()


def hq_users(hq: HQServer) -> list[str]:
    db = hq.database()
    try:
        return [u["username"] for u in admin.list_users(db)]
    finally:
        db.dispose()
