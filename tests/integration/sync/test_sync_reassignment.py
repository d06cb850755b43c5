"""Work recorded on a case HQ moved to another district is never lost (HQ on PostgreSQL, real
consoles with SQLCipher stores, uvicorn on loopback).

The reproduction: intake routes a case to LKO and an LKO console syncs it; HQ reassigns it to KNP
while the console has not synced since; the operator records an acknowledgement, a ``reached`` or
an outcome; the console syncs (push, then the pull's revoke purges the case). The work must end at
HQ and in the KNP console's replica. Work made after the console learnt of the move is refused and
stays in the console's refused list, with HQ's reason, where the operator sees it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.commands import decide
from core.errors import CommandRefused
from core.events import Event, EventType, iso, utcnow
from hq.schema import events as hq_events
from tests.fixtures.hq import API, HQServer
from tests.integration.sync.sync_harness import Workstation, hq_event_table
from ui.status_bar import RefusedDialog

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REACHED = {"place": "the bridge"}  # "at": the time of the test, after the intake
OUTCOME = {"outcome": "handed_to_family", "detail": "with his sister"}
NOTE = {"officer_name": "SI Verma", "officer_rank": "SI", "text": "sister's number 9811112222"}


@pytest.fixture
def consoles(hq_server_pg: HQServer, tmp_path: Path) -> Iterator[tuple[Workstation, Workstation]]:
    lko = Workstation.create(tmp_path / "lko", hq_server_pg.url, "demo", start=False)
    knp = Workstation.create(tmp_path / "knp", hq_server_pg.url, "demo-knp", start=False)
    yield lko, knp
    lko.close()
    knp.close()


def _move(server: HQServer, case_id: str, district: str) -> dict[str, Any]:
    r = server.login("hq").http.post(f"{API}/cases/{case_id}/assign", json={"district": district})
    assert r.status_code == 200, r.text
    return dict(r.json()["event"])


def _hq_events(server: HQServer, case_id: str) -> list[Event]:
    db = server.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(hq_events.c.content, hq_events.c.seq).where(hq_events.c.case_id == case_id).order_by(
                    hq_events.c.seq
                )
            ).all()
    finally:
        db.dispose()
    return [Event.from_wire(json.loads(r.content)).with_seq(r.seq) for r in rows]


def _synced(ws: Workstation) -> None:
    status = ws.engine.run_once()
    assert status.last_error is None, status.last_error


@pytest.mark.parametrize("action", ["acknowledged", "reached", "outcome_recorded"])
def test_work_recorded_after_hq_moved_the_case_reaches_hq_and_the_new_district(
    hq_server_pg: HQServer, consoles: tuple[Workstation, Workstation], action: str
) -> None:
    lko, knp = consoles
    case_id = hq_server_pg.intake("LKO")
    _synced(lko)
    assert lko.has_case(case_id)
    # the steps before the one under test, synced while the case was LKO's
    before = {"acknowledged": [], "reached": ["acknowledged"], "outcome_recorded": ["acknowledged", "reached"]}[action]
    payloads = {"acknowledged": {}, "reached": {**REACHED, "at": iso(utcnow())}, "outcome_recorded": OUTCOME}
    for etype in before:
        lko.act(case_id, EventType(etype), payloads[etype], notify=False)
    _synced(lko)

    _move(hq_server_pg, case_id, "KNP")  # the LKO console has not synced since
    made = lko.act(case_id, EventType(action), payloads[action], notify=False)
    assert lko.counts() == (1, 0)  # committed locally, pending
    _synced(lko)  # push, then the pull's revoke purges the case here

    assert not lko.has_case(case_id) and lko.counts() == (0, 0)
    at_hq = {e.id: e for e in _hq_events(hq_server_pg, case_id)}
    assert made.id in at_hq and at_hq[made.id].author_id == lko.author.user_id
    assert json.loads(at_hq[made.id].content_key()) == json.loads(made.content_key())
    # HQ shows the district's work on the case
    state = hq_server_pg.login("hq").http.get(f"{API}/cases/{case_id}").json()["state"]
    # (an acknowledgement belongs to the district it was made for: KNP's consoles still ring until a KNP
    # operator acknowledges, but the case's history shows LKO's work)
    assert state["district"] == "KNP" and state["acknowledged_at"] is None
    if action != "acknowledged":
        assert state["status"] == ("reached" if action == "reached" else "outcome_recorded")
    # district KNP gets it as part of the case's history: LKO's team already acted
    _synced(knp)
    with knp.store.reader() as uow:
        stored = {s.event.id: s for s in uow.events.history(case_id)}
        knp_state = uow.cases.state(case_id)
    assert made.id in stored and stored[made.id].sync_state == "accepted"
    assert knp_state is not None and knp_state.district == "KNP" and knp_state.needs_alarm
    if action == "outcome_recorded":
        assert knp_state.outcome == "handed_to_family"
    assert set(stored) == set(at_hq)


def test_console_an_hour_ahead_keeps_work_made_before_the_move(
    hq_server_pg: HQServer, tmp_path: Path
) -> None:
    lko = Workstation.create(tmp_path / "ahead", hq_server_pg.url, "demo", start=False, wall_offset_s=3600)
    try:
        case_id = hq_server_pg.intake("LKO")
        _synced(lko)
        ack = lko.act(case_id, EventType.ACKNOWLEDGED, {}, notify=False)  # before HQ moves the case
        to_knp = _move(hq_server_pg, case_id, "KNP")
        # by clock order the acknowledgement comes after the move: a rule by clock alone would refuse it
        assert ack.hlc > to_knp["hlc"]
        _synced(lko)
        assert lko.counts() == (0, 0)
        assert ack.id in hq_event_table(hq_server_pg)
    finally:
        lko.close()


def test_work_made_after_the_console_saw_the_move_is_refused_and_kept_visible(
    qtbot, hq_server_pg: HQServer, consoles: tuple[Workstation, Workstation]
) -> None:
    lko, _ = consoles
    case_id = hq_server_pg.intake("LKO")
    _synced(lko)
    to_knp = _move(hq_server_pg, case_id, "KNP")
    _synced(lko)  # the console learns of the move: the case is purged here
    assert not lko.has_case(case_id)
    with pytest.raises(CommandRefused):  # the console no longer offers the case
        lko.act(case_id, EventType.ACKNOWLEDGED, {}, notify=False)
    # An event made by a console that held the move (its last assignment is KNP's), e.g. by a
    # client that let the operator write on after the revoke.
    history = _hq_events(hq_server_pg, case_id)
    assert history[-1].id == to_knp["id"]
    lko.clock.observe(history[-1].hlc)
    late = decide(
        case_id=case_id, history=history, etype=EventType.COUNSELLING_NOTE, payload=NOTE,
        author=lko.author, clock=lko.clock, now=utcnow(),
    )
    assert late.seen_assignment == to_knp["id"]
    with lko.store.unit_of_work() as uow:
        uow.events.append_local(late)
        uow.commit()
    _synced(lko)

    assert late.id not in hq_event_table(hq_server_pg)
    pending, refused = lko.counts()
    assert (pending, refused) == (0, 1)
    with lko.store.reader() as uow:
        [kept] = uow.outbox.rejected()
    assert kept.event.id == late.id and kept.reject_code == "forbidden"
    assert kept.reject_reason == "the case is not in your district"
    assert kept.event.payload == {"officer_name": "SI Verma", "officer_rank": "SI"}  # the case's free text is gone
    assert lko.engine.status.rejected == 1
    # HQ's audit shows it
    audits = [a for a in hq_server_pg.push_audits("demo") if a["rejected"]]
    assert [r["id"] for a in audits for r in a["rejected"]] == [late.id]
    # the operator sees it, with HQ's reason
    dialog = RefusedDialog([kept])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1
    assert kept.reject_reason in dialog.list.item(0).text() and lko.author.display_name in dialog.list.item(0).text()
    dialog.close()
