"""Acknowledgement tiers at HQ's push: a user acknowledges (or mutes) only for their own tier and,
in a district, only for their own district; HQ's acknowledgement quiets HQ, not the district."""

from __future__ import annotations

from datetime import timedelta

from core.events import EventType, iso, utcnow
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import ack, event


def _state(client, case_id: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    r = client.http.get(f"{API}/cases/{case_id}")
    r.raise_for_status()
    return dict(r.json()["state"])


def test_a_district_user_cannot_forge_the_hq_tier(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    forged_ack = event(lko, case_id, EventType.ACKNOWLEDGED, {"tier": "hq"})
    until = iso(utcnow() + timedelta(minutes=5))
    forged_mute = event(lko, case_id, EventType.ALARM_MUTED, {"reason": "on a call", "until": until, "tier": "hq"})
    other_district = event(lko, case_id, EventType.ACKNOWLEDGED, {"tier": "district", "district": "KNP"})
    results = lko.push([forged_ack, forged_mute, other_district])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "forbidden")] * 3
    assert "not for hq" in results[0]["reason"] and "not for hq" in results[1]["reason"]
    assert "own district" in results[2]["reason"]
    state = _state(hq.login("hq"), case_id)
    assert state["hq_acknowledged_at"] is None and state["acknowledged_at"] is None


def test_an_hq_user_cannot_acknowledge_for_the_district(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    hq_op = hq.login("hq")
    as_district = event(hq_op, case_id, EventType.ACKNOWLEDGED, {"tier": "district", "district": "LKO"})
    untiered = event(hq_op, case_id, EventType.ACKNOWLEDGED, {})  # an older client: counts as the district's
    results = hq_op.push([as_district, untiered])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "forbidden")] * 2
    assert "not for district" in results[0]["reason"]


def test_hq_acknowledgement_quiets_hq_only_until_the_district_acknowledges(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    hq_op, lko = hq.login("hq"), hq.login("demo")
    assert hq_op.push([ack(hq_op, case_id)])["results"][0]["status"] == "accepted"
    state = _state(hq_op, case_id)
    assert state["hq_acknowledged_by"] == hq_op.user["display_name"]
    assert state["acknowledged_at"] is None and state["status"] == "new"  # the district still rings
    assert lko.push([ack(lko, case_id)])["results"][0]["status"] == "accepted"
    state = _state(lko, case_id)
    assert state["acknowledged_by"] == lko.user["display_name"] and state["status"] == "acknowledged"
    assert state["hq_acknowledged_at"] is not None


def test_a_tip_raised_to_suicide_risk_by_a_district_reaches_hq(hq: HQServer) -> None:
    case_id = hq.intake("LKO", kind="tip")
    lko = hq.login("demo")
    raised = event(lko, case_id, EventType.RISK_RAISED, {"reason": "the tip says he said goodbye"})
    assert lko.push([raised])["results"][0]["status"] == "accepted"
    state = _state(hq.login("hq"), case_id)
    assert state["kind"] == "tip" and state["risk_raised_reason"] == "the tip says he said goodbye"
    assert state["hq_acknowledged_at"] is None and state["acknowledged_at"] is None
