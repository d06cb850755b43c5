"""The range scope: a DIG sees every tip of its range (its districts' and its triage), an SP's office
its district's tips; neither sees suicide-risk alerts, and another range's DIG or another district's
SP gets nothing (feed, case reads, media, questions). The SP's office passes a tip to an officer of
its district's list and records the outcome; HQ refuses what the role may not write. On SQLite and
PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from core.events import EventType
from hq import admin
from hq.demo import synthetic_alert
from hq.intake import intake
from hq.tipline.relay import RELAY
from tests.fixtures.hq import API, HQClient, HQServer
from tests.fixtures.whatsapp_sim import WhatsAppSim, whatsapp_sim
from tests.integration.hq.helpers import ack, event, events_of
from tests.integration.hq.test_tipline import NUMBER, _deliver, _wait_for_case, hindi_tip

__all__ = ["whatsapp_sim"]

PASSWORD = "range-password"
USERS = (
    ("sp-vns", "sp_office", "VNS", None),
    ("sp-jnp", "sp_office", "JNP", None),
    ("sp-lko", "sp_office", "LKO", None),
    ("dig-vns", "range_dig", None, "Varanasi"),
    ("dig-lko", "range_dig", None, "Lucknow"),
)


def _setup(hq: HQServer) -> dict[str, HQClient]:
    db = hq.database()
    try:
        admin.create_district(db, "JNP", "Jaunpur", ["9000000401"], range_="Varanasi")
        admin.create_district(db, "GZP", "Ghazipur", ["9000000501"], range_="Varanasi")
        for username, role, district, range_ in USERS:
            admin.create_user(db, username, PASSWORD, role, username.upper(), district, range_=range_)
    finally:
        db.dispose()
    return {u[0]: hq.login(u[0], password=PASSWORD) for u in USERS}


def _case_ids(client: HQClient, cursor: int = 0) -> tuple[set[str], set[str], int]:
    """Cases the client's stream delivered (events) and revoked since ``cursor``, and the new cursor."""
    items, cursor = client.pull_all(cursor)
    got = {i["event"]["case_id"] for i in items if i["kind"] == "event"}
    revoked = {i["case_id"] for i in items if i["kind"] == "revoke"}
    return got, revoked, cursor


def _tip(hq: HQServer, district: str | None, place: str, tip_range: str | None = None) -> str:
    tip: dict[str, Any] = {"category": "gambling", "pseudonym": "Tipster TEST", "prior_tips": 0, "place": place}
    if tip_range:
        tip["range"] = tip_range
    body = synthetic_alert(district=district or "LKO") | {
        "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{uuid.uuid4().hex}", "tip": tip,
    }  # fmt: skip
    body.pop("police_station")
    if district is None:
        body.pop("district")
    db = hq.database()  # as the relay files a tip (HTTP intake takes no tip object)
    try:
        return intake(db, RELAY, body).case_id
    finally:
        db.dispose()


@pytest.fixture
def range_hq(hq: HQServer) -> tuple[HQServer, dict[str, HQClient]]:
    return hq, _setup(hq)


def test_each_role_gets_the_tips_of_its_scope_and_no_suicide_alert(
    range_hq: tuple[HQServer, dict[str, HQClient]],
) -> None:
    hq, c = range_hq
    vns_tip = _tip(hq, "VNS", "Lanka")
    lko_tip = _tip(hq, "LKO", "Hazratganj")
    triage = _tip(hq, None, "जौनपुर गाजीपुर सीमा", tip_range="Varanasi")
    alert = hq.intake("VNS")  # a suicide-risk alert of the same district
    seen = {name: _case_ids(client)[0] for name, client in c.items()}
    assert seen["sp-vns"] == {vns_tip}
    assert seen["dig-vns"] == {vns_tip, triage}
    assert seen["sp-lko"] == {lko_tip}
    assert seen["dig-lko"] == {lko_tip}
    assert seen["sp-jnp"] == set()
    assert alert not in set().union(*seen.values())

    # case reads: in scope 200, out of scope 403; a suicide alert is no case of theirs
    def read(who: str, case_id: str) -> int:
        return c[who].http.get(f"{API}/cases/{case_id}").status_code

    assert read("sp-vns", vns_tip) == 200 and read("dig-vns", triage) == 200 and read("dig-vns", vns_tip) == 200
    assert read("sp-lko", vns_tip) == 403 and read("dig-lko", vns_tip) == 403 and read("dig-lko", triage) == 403
    assert read("sp-vns", triage) == 403 and read("sp-vns", alert) == 403 and read("dig-vns", alert) == 403
    districts = c["dig-vns"].http.get(f"{API}/districts").json()
    assert sorted(d["code"] for d in (districts["districts"] if isinstance(districts, dict) else districts)) == [
        "GZP", "JNP", "VNS",
    ]  # fmt: skip

    # The DIG routes its triage tip to a district of its range, not outside it; the SP of that
    # district then gets the tip with its whole history, at once.
    _, _, jnp_cursor = _case_ids(c["sp-jnp"])
    _, _, dig_cursor = _case_ids(c["dig-vns"])
    refused = c["dig-vns"].http.post(f"{API}/cases/{triage}/assign", json={"district": "LKO"})
    assert refused.status_code == 403
    assert c["dig-lko"].http.post(f"{API}/cases/{triage}/assign", json={"district": "LKO"}).status_code == 403
    assert c["dig-vns"].http.post(f"{API}/cases/{triage}/assign", json={"district": "JNP"}).status_code == 200
    items, _ = c["sp-jnp"].pull_all(jnp_cursor)
    assert [e["type"] for e in events_of(items, triage)] == ["created", "assigned"]
    got, revoked, _ = _case_ids(c["dig-vns"], dig_cursor)
    assert got == {triage} and not revoked  # still the range's: one new event, no revoke
    # The same by push (the desktop's routing form): inside the range accepted, outside refused.
    second = _tip(hq, None, "Varanasi range", tip_range="Varanasi")
    dig = c["dig-vns"]
    outside = event(dig, second, EventType.ASSIGNED, {"district": "LKO"})
    inside = event(dig, second, EventType.ASSIGNED, {"district": "GZP"})
    results = dig.push([outside, inside])["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"] and results[0]["code"] == "forbidden"
    assert c["sp-vns"].push([event(c["sp-vns"], second, EventType.ASSIGNED, {"district": "VNS"})])[
        "results"
    ][0]["code"] == "forbidden"

    # A district moved to another range takes its tips with it: the old DIG gets a revoke, the new
    # one the whole history.
    _, _, lko_cursor = _case_ids(c["dig-lko"])
    _, _, dig_cursor = _case_ids(c["dig-vns"])
    db = hq.database()
    try:
        assert admin.set_district_range(db, "JNP", "Lucknow") == 1
    finally:
        db.dispose()
    assert _case_ids(c["dig-vns"], dig_cursor)[1] == {triage}
    items, _ = c["dig-lko"].pull_all(lko_cursor)
    assert [e["type"] for e in events_of(items, triage)] == ["created", "assigned"]


def test_the_sp_office_assigns_an_officer_and_records_the_outcome_the_dig_sees_it(
    range_hq: tuple[HQServer, dict[str, HQClient]],
) -> None:
    hq, c = range_hq
    tip = _tip(hq, "VNS", "Lanka")
    alert = hq.intake("VNS")
    sp = c["sp-vns"]
    # the officer list: the SP keeps its own district's, not another's
    ravi = {"district": "VNS", "name": "Ravi Kumar", "rank": "SI", "station": "LNK"}
    r = sp.http.post(f"{API}/tips/officers", json=ravi)
    assert r.status_code == 201, r.text
    officer = r.json()["officer"]
    assert sp.http.post(f"{API}/tips/officers", json={"district": "LKO", "name": "X", "rank": "SI"}).status_code == 403
    listed = c["dig-vns"].http.get(f"{API}/tips/officers", params={"district": "VNS"}).json()["officers"]
    assert [o["name"] for o in listed] == ["Ravi Kumar"]
    assert c["dig-lko"].http.get(f"{API}/tips/officers", params={"district": "VNS"}).status_code == 403

    _, _, dig_cursor = _case_ids(c["dig-vns"])
    assigned = event(sp, tip, EventType.TIP_OFFICER_ASSIGNED,
                     {"officer_id": officer["id"], "name": "Ravi Kumar", "rank": "SI", "station": "LNK"})  # fmt: skip
    nobody = {"officer_id": str(uuid.uuid4()), "name": "Z", "rank": "SI"}
    stranger = event(sp, tip, EventType.TIP_OFFICER_ASSIGNED, nobody)
    action = event(sp, tip, EventType.TIP_ACTION, {"text": "Raid planned with the Lanka station"})
    outcome = event(sp, tip, EventType.TIP_OUTCOME, {"outcome": "fir_registered", "detail": "FIR 12/2026"})
    closed = event(sp, tip, EventType.CLOSED, {"reason": "FIR registered"})
    on_alert = event(sp, alert, EventType.TIP_ACTION, {"text": "not a tip"})
    hq_ack = ack(sp, tip)  # an SP's tier is HQ's: it must not silence HQ's consoles
    results = {r["id"]: r for r in sp.push([assigned, stranger, action, outcome, closed, on_alert, hq_ack])["results"]}
    assert [results[e.id]["status"] for e in (assigned, action, outcome, closed)] == ["accepted"] * 4
    assert results[stranger.id]["status"] == "rejected" and "officer list" in results[stranger.id]["reason"]
    assert results[on_alert.id]["status"] == "rejected"
    assert results[hq_ack.id]["status"] == "rejected" and results[hq_ack.id]["code"] == "forbidden"

    # the DIG's stream carries the SP's work at once; another range's DIG neither the tip nor the work
    items, _ = c["dig-vns"].pull_all(dig_cursor)
    types = [e["type"] for e in events_of(items, tip)]
    assert types == ["tip_officer_assigned", "tip_action", "tip_outcome", "closed"]
    assert _case_ids(c["dig-lko"])[0] == set()
    # the DIG may note an action but not assign an officer or push to another range's tip
    dig = c["dig-vns"]
    same = {"officer_id": officer["id"], "name": "R", "rank": "S"}
    dig_assign = event(dig, tip, EventType.TIP_OFFICER_ASSIGNED, same)
    other = event(c["dig-lko"], tip, EventType.TIP_ACTION, {"text": "not mine"})
    assert dig.push([dig_assign])["results"][0]["code"] == "forbidden"
    assert c["dig-lko"].push([other])["results"][0]["code"] == "forbidden"

    # A retired officer leaves the list and can no longer be given a tip; the old entry stays.
    assert c["sp-lko"].http.post(f"{API}/tips/officers/{officer['id']}/retire").status_code == 403
    retired = sp.http.post(f"{API}/tips/officers/{officer['id']}/retire")
    assert retired.status_code == 200 and retired.json()["officer"]["active"] is False
    assert sp.http.get(f"{API}/tips/officers", params={"district": "VNS"}).json()["officers"] == []
    reopened = event(sp, tip, EventType.REOPENED, {"reason": "new information"})
    again = event(sp, tip, EventType.TIP_OFFICER_ASSIGNED, {"officer_id": officer["id"], "name": "R", "rank": "S"})
    results = sp.push([reopened, again])["results"]
    assert results[0]["status"] == "accepted" and results[1]["status"] == "rejected"
    case = sp.http.get(f"{API}/cases/{tip}").json()
    assert case["state"]["tip_officer"]["name"] == "Ravi Kumar"


def test_a_whatsapp_tip_reaches_the_sp_and_dig_and_its_media_and_question_stay_in_scope(
    whatsapp_sim: WhatsAppSim, hq_factory: Any, backend: str
) -> None:
    hq = hq_factory(backend)
    c = _setup(hq)
    _deliver(whatsapp_sim, hq, hindi_tip(whatsapp_sim))
    whatsapp_sim.wait_sent(10)
    case_id, history = _wait_for_case(c["sp-vns"])
    assert _wait_for_case(c["dig-vns"])[0] == case_id
    assert case_id not in _case_ids(c["dig-lko"])[0] | _case_ids(c["sp-lko"])[0]
    media = history[0].payload["tip"]["media"]
    for who, status in (("sp-vns", 200), ("dig-vns", 200), ("dig-lko", 404), ("sp-lko", 404)):
        assert c[who].http.get(f"{API}/tips/media/{media[0]['id']}").status_code == status, who
    asked = c["dig-lko"].http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which shop?"})
    assert asked.status_code == 404
    assert c["dig-vns"].http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which shop?"}).status_code == 201
    assert NUMBER not in hq.log_tail(200_000)
