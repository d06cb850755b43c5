"""Shift change: a console pushes events its earlier operator recorded offline (docs/HQ.md, "Push").

HQ accepts an event by another author when it was made on the caller's device and that author has
signed in on that device; everything else about the author is still checked (an author who never
signed in there, a disabled account, a role or district that could not write the event). Each push
made on someone's behalf is audited with the authors and the events stored for them.
"""

from __future__ import annotations

import uuid

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from core.events import EventType
from hq import admin
from hq.db import MIGRATIONS_DIR
from hq.schema import device_users, events
from tests.fixtures.hq import API, SEED_USERS, HQClient, HQServer
from tests.integration.hq.helpers import ack, event, events_of, outcome


def _operator(hq: HQServer, district: str = "LKO") -> str:
    """A new district operator account (the seed has one per district); returns the username."""
    username = f"op-{uuid.uuid4().hex[:8]}"
    SEED_USERS[username] = f"{username}-password"
    db = hq.database()
    try:
        admin.create_user(db, username, SEED_USERS[username], "district_operator", f"Operator {username}", district)
    finally:
        db.dispose()
    return username


def _shift_change(hq: HQServer, first: str, second: str) -> tuple[HQClient, HQClient]:
    """``first`` signs in on a console, then ``second`` signs in on the same console."""
    device = f"console-{uuid.uuid4().hex[:8]}"
    return hq.login(first, device_id=device), hq.login(second, device_id=device)


def _stored(hq: HQServer, event_id: str) -> list[dict]:  # type: ignore[type-arg]
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(events.c.author_id, events.c.device_id).where(events.c.id == event_id)).all()
    finally:
        db.dispose()
    return [{"author_id": r.author_id, "device_id": r.device_id} for r in rows]


def test_events_of_an_earlier_operator_of_the_console_are_accepted_and_audited(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    a, b = _shift_change(hq, "demo", _operator(hq))
    offline = [ack(a, case_id), outcome(a, case_id)]  # recorded by A, never pushed with A's token
    own = ack(b, case_id)
    first = b.push([*offline, own])["results"]
    assert [(r["status"], r["code"]) for r in first] == [("accepted", None)] * 3
    for e in offline:
        assert _stored(hq, e.id) == [{"author_id": a.user["id"], "device_id": a.device_id}]
    # A retry (lost reply), and A pushing the same events itself later, get the same hq_seq back.
    assert b.push(offline)["results"] == first[:2]
    assert a.push(offline)["results"] == first[:2]
    items, _ = hq.login("hq").pull_all()
    pulled = {e["id"]: e for e in events_of(items, case_id)}
    assert [pulled[e.id]["author_id"] for e in offline] == [a.user["id"]] * 2
    assert [pulled[e.id]["author_name"] for e in offline] == [a.user["display_name"]] * 2
    # The audit names who pushed (B, on B's device) and on whose behalf, with the events stored for A.
    audits = hq.push_audits(b.user["username"])
    assert audits[0]["on_behalf_of"] == [
        {
            "user_id": a.user["id"],
            "username": "demo",
            "stored": 2,
            "rejected": 0,
            "event_ids": sorted(e.id for e in offline),
        }
    ]
    assert audits[0]["stored"] == 3
    assert audits[1]["on_behalf_of"][0]["stored"] == 0  # the retry stored nothing new
    assert "on_behalf_of" not in hq.push_audits("demo")[0]


def test_an_author_who_never_signed_in_on_the_console_is_refused(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    a, b = _shift_change(hq, "demo", _operator(hq))
    stranger = hq.login(_operator(hq))  # same district, but signed in only on another console
    forged = ack(stranger, case_id).to_wire() | {"device_id": b.device_id}
    unknown_user = ack(a, case_id).to_wire() | {"author_id": str(uuid.uuid4())}
    mine = ack(b, case_id)
    results = b.push([forged, unknown_user, mine])["results"]
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
        ("accepted", None),
    ]
    assert "has never signed in on this device" in results[0]["reason"]
    assert stranger.user["username"] in results[0]["reason"]
    assert "not a known HQ user" in results[1]["reason"]
    assert _stored(hq, forged["id"]) == [] and _stored(hq, unknown_user["id"]) == []
    detail = hq.push_audits(b.user["username"])[0]
    assert {"id": forged["id"], "code": "forbidden"} in detail["rejected"]
    assert [(x["user_id"], x["stored"], x["rejected"]) for x in detail["on_behalf_of"]] == sorted(
        [(stranger.user["id"], 0, 1), (unknown_user["author_id"], 0, 1)]
    )


def test_an_event_made_on_another_device_is_refused_even_from_an_earlier_operator(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    a, b = _shift_change(hq, "demo", _operator(hq))
    elsewhere = ack(a, case_id).to_wire() | {"device_id": "another-console"}
    result = b.push([elsewhere])["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "forbidden")
    assert "not made on this device" in result["reason"]


def test_a_disabled_authors_events_are_held_for_review_not_stored(hq: HQServer) -> None:
    """A disabled author's work is not stored, and not dropped either: it waits in the review queue
    (tests/integration/hq/test_review.py follows it through the verdicts)."""
    case_id = hq.intake("LKO")
    gone = _operator(hq)
    a, b = _shift_change(hq, gone, "demo")
    pending = ack(a, case_id)
    db = hq.database()
    try:
        admin.set_active(db, gone, False)
    finally:
        db.dispose()
    result = b.push([pending])["results"][0]
    assert (result["status"], result["code"], result["hq_seq"]) == ("held", "review", None)
    assert "disabled" in result["reason"] and gone in result["reason"]
    assert _stored(hq, pending.id) == []


def test_the_authors_own_rights_still_apply(hq: HQServer) -> None:
    """A district operator of another district, a role that writes nothing, an assignment by a
    district operator: refused, however they reach HQ."""
    lko_case, knp_case = hq.intake("LKO"), hq.intake("KNP")
    device = f"console-{uuid.uuid4().hex[:8]}"
    knp = hq.login("demo-knp", device_id=device)
    sup = hq.login("supervisor", device_id=device)
    lko = hq.login("demo", device_id=device)  # the operator on duty now
    foreign_district = ack(knp, lko_case)
    supervisors = ack(sup, lko_case)
    knp_on_knp = ack(knp, knp_case)  # the author may; the LKO operator pushing it may not
    results = lko.push([foreign_district, supervisors, knp_on_knp])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "forbidden")] * 3
    assert "not in the author's district" in results[0]["reason"]
    assert "supervisor" in results[1]["reason"] and "may not" in results[1]["reason"]
    assert "not in your district" in results[2]["reason"]

    hq_device = f"hq-console-{uuid.uuid4().hex[:8]}"
    district_op = hq.login("demo", device_id=hq_device)
    hq_op = hq.login("hq", device_id=hq_device)
    reroute = event(district_op, lko_case, EventType.ASSIGNED, {"district": "VNS"})
    note_by_demo = ack(district_op, lko_case)
    results = hq_op.push([reroute, note_by_demo])["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "forbidden"), ("accepted", None)]
    assert "only HQ assigns" in results[0]["reason"]
    assert all(_stored(hq, e.id) == [] for e in (foreign_district, supervisors, knp_on_knp, reroute))


def test_sign_ins_recorded_before_the_upgrade_count(hq: HQServer) -> None:
    """An HQ upgraded from a schema without sign-in records learns past sign-ins from the refresh
    tokens it issued, so a console's pending events from before the upgrade still get in."""
    case_id = hq.intake("LKO")
    a, b = _shift_change(hq, "demo", _operator(hq))
    pending = outcome(a, case_id)
    hq.stop()
    db = hq.database()
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        db.migrate()
        with db.reader() as conn:
            pairs = set(conn.execute(select(device_users.c.device_id, device_users.c.user_id)).tuples())
    finally:
        db.dispose()
    assert {(a.device_id, a.user["id"]), (b.device_id, b.user["id"])} <= pairs
    hq.start()
    b.refresh()  # the access token outlives a restart; refreshed anyway, as a console would after hours
    result = b.push([pending])["results"][0]
    assert (result["status"], result["code"]) == ("accepted", None)
    assert _stored(hq, pending.id) == [{"author_id": a.user["id"], "device_id": a.device_id}]
    assert b.http.get(f"{API}/cases/{case_id}").status_code == 200
