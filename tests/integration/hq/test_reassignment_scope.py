"""Work on a case HQ moved to another district: HQ decides by what the author had seen of the
case's assignment (``seen_assignment``), not by clock order (docs/HQ.md, push rule 5)."""

from __future__ import annotations

import uuid
from typing import Any

from core.events import EventType
from core.hlc import HybridClock
from tests.fixtures.hq import API, HQClient, HQServer
from tests.integration.hq.helpers import event, events_of

HOUR_MS = 3600 * 1000


def _moved_case(hq: HQServer) -> tuple[str, dict[str, Any], dict[str, Any], HQClient, HQClient, int]:
    """A case intake routed to LKO, seen by an LKO console, then moved by HQ to KNP. Returns the
    case, its LKO and KNP assignments, the LKO and KNP consoles and the KNP console's cursor."""
    case_id = hq.intake("LKO")
    lko, knp, hq_op = hq.login("demo"), hq.login("demo-knp"), hq.login("hq")
    items, _ = lko.pull_all()
    [to_lko] = [e for e in events_of(items, case_id) if e["type"] == "assigned"]
    _, knp_cursor = knp.pull_all()
    r = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "KNP"})
    assert r.status_code == 200, r.text
    return case_id, to_lko, r.json()["event"], lko, knp, knp_cursor


def test_work_made_before_the_console_learnt_of_the_move_is_kept_and_reaches_the_new_district(hq: HQServer) -> None:
    case_id, to_lko, to_knp, lko, knp, knp_cursor = _moved_case(hq)
    # Made offline after HQ's reassignment (its stamp is later), but the console still held the
    # LKO assignment: under clock order this was refused and lost.
    later_clock = HybridClock(lko.device_id, last=to_knp["hlc"])
    made = [
        event(lko, case_id, EventType.ACKNOWLEDGED, seen_assignment=to_lko["id"], hlc=later_clock.now()),
        event(lko, case_id, EventType.REACHED, {"at": to_knp["wall_time"]}, seen_assignment=to_lko["id"],
              hlc=later_clock.now()),
        event(lko, case_id, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"},
              seen_assignment=to_lko["id"], hlc=later_clock.now()),
    ]
    assert all(e.hlc > to_knp["hlc"] for e in made)
    results = lko.push(made)["results"]
    assert [r["status"] for r in results] == ["accepted"] * 3, results
    # a retry is the same event (seen_assignment is part of the content)
    again = lko.push(made)["results"]
    assert [r["hq_seq"] for r in again] == [r["hq_seq"] for r in results]
    # the new district gets A's work as part of the case's history; HQ shows it on the case
    more, _ = knp.pull_all(knp_cursor)
    delivered = events_of(more, case_id)
    assert [e["id"] for e in delivered][-3:] == [e.id for e in made]
    assert delivered[-1]["seen_assignment"] == to_lko["id"]
    case = hq.login("hq").http.get(f"{API}/cases/{case_id}").json()
    state = case["state"]
    assert state["district"] == "KNP" and state["acknowledged_at"] and state["outcome"] == "safe_counselled"
    assert [e["seen_assignment"] for e in case["events"]][-3:] == [to_lko["id"]] * 3


def test_work_made_after_the_author_saw_the_move_is_refused_whatever_its_clock(hq: HQServer) -> None:
    case_id, to_lko, to_knp, lko, _, _ = _moved_case(hq)
    # The console held the KNP assignment: its stamp runs an hour *behind* HQ's, which under clock
    # order would have let it in.
    behind = HybridClock(lko.device_id, wall_ms=lambda: int(to_lko["hlc"].split(".")[0]) - HOUR_MS)
    saw_move = event(lko, case_id, EventType.ACKNOWLEDGED, seen_assignment=to_knp["id"], hlc=behind.now())
    assert saw_move.hlc < to_knp["hlc"]
    other_case = hq.intake("LKO")
    items, _ = lko.pull_all()
    [other_assignment] = [e for e in events_of(items, other_case) if e["type"] == "assigned"]
    wrong_case = event(lko, case_id, EventType.ACKNOWLEDGED, seen_assignment=other_assignment["id"])
    unknown = event(lko, case_id, EventType.ACKNOWLEDGED, seen_assignment=str(uuid.uuid4()))
    results = lko.push([saw_move, wrong_case, unknown])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "forbidden")] * 3, results
    assert results[0]["reason"] == "the case is not in your district"
    # HQ's audit shows each refusal
    [audit] = [a for a in hq.push_audits("demo") if a["rejected"]]
    refused = {e.id: "forbidden" for e in (saw_move, wrong_case, unknown)}
    assert {r["id"]: r["code"] for r in audit["rejected"]} == refused
    assert audit["stored"] == 0


def test_old_clients_without_the_field_keep_the_clock_rule(hq: HQServer) -> None:
    case_id, to_lko, to_knp, lko, _, _ = _moved_case(hq)
    lko_ms = int(to_lko["hlc"].split(".")[0])
    before_clock = HybridClock(lko.device_id, wall_ms=lambda: lko_ms + 1)
    before = event(lko, case_id, EventType.ACKNOWLEDGED, hlc=before_clock.now())
    after = event(lko, case_id, EventType.ACKNOWLEDGED, hlc=HybridClock(lko.device_id, last=to_knp["hlc"]).now())
    assert before.seen_assignment is None and to_lko["hlc"] < before.hlc < to_knp["hlc"] < after.hlc
    results = lko.push([before, after])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("accepted", None), ("rejected", "forbidden")]


def test_the_new_district_and_hq_operators_write_as_before(hq: HQServer) -> None:
    case_id, _, to_knp, _, knp, _ = _moved_case(hq)
    hq_op = hq.login("hq")
    mine = event(knp, case_id, EventType.ACKNOWLEDGED, seen_assignment=to_knp["id"])
    hqs = event(hq_op, case_id, EventType.COUNSELLING_NOTE,
                {"officer_name": "SI Test", "officer_rank": "SI", "text": "called"})
    assert knp.push([mine])["results"][0]["status"] == "accepted"
    assert hq_op.push([hqs])["results"][0]["status"] == "accepted"
