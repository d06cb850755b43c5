"""The review queue: a disabled author's pushed work waits for a supervisor's verdict (docs/HQ.md).

Held events are stored apart (no case log, no feed); a supervisor (or admin) lists them with who
pushed them from which device and accepts or rejects each with a reason, both audited. Accepted: the
event is stored as if pushed (its own author, a fresh hq_seq) and reaches the district's feed.
Rejected: the console learns the reason from ``POST /sync/held``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

from sqlalchemy import select

from core.events import Event
from hq import admin
from hq.schema import audit, events
from tests.fixtures.hq import API, ROOT, SEED_USERS, HQClient, HQServer
from tests.integration.hq.helpers import ack, events_of, note


def _operator(hq: HQServer, district: str = "LKO") -> str:
    username = f"op-{uuid.uuid4().hex[:8]}"
    SEED_USERS[username] = f"{username}-password"
    db = hq.database()
    try:
        admin.create_user(db, username, SEED_USERS[username], "district_operator", f"Operator {username}", district)
    finally:
        db.dispose()
    return username


def _disable(hq: HQServer, username: str) -> None:
    db = hq.database()
    try:
        admin.set_active(db, username, False)
    finally:
        db.dispose()


def _held_work(hq: HQServer) -> tuple[str, str, HQClient, list[Event]]:
    """A console where operator A (now disabled) recorded two entries offline, pushed by B.
    Returns (case id, A's username, B's client, the held events)."""
    case_id = hq.intake("LKO")
    gone = _operator(hq)
    device = f"console-{uuid.uuid4().hex[:8]}"
    a = hq.login(gone, device_id=device)
    work = [ack(a, case_id), note(a, case_id, "written by A before A's account was disabled")]
    b = hq.login("demo", device_id=device)
    _disable(hq, gone)
    results = b.push(work)["results"]
    assert [(r["status"], r["code"]) for r in results] == [("held", "review")] * 2
    return case_id, gone, b, work


def _stored_ids(hq: HQServer, ids: list[str]) -> dict[str, tuple[str, str, int]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(events.c.id, events.c.author_id, events.c.device_id, events.c.seq).where(events.c.id.in_(ids))
            ).all()
    finally:
        db.dispose()
    return {r.id: (r.author_id, r.device_id, r.seq) for r in rows}


def _audits(hq: HQServer, action: str) -> list[dict]:  # type: ignore[type-arg]
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(audit.c.username, audit.c.case_id, audit.c.detail).where(audit.c.action == action)
            ).all()
    finally:
        db.dispose()
    return [{"username": r.username, "case_id": r.case_id, "detail": json.loads(r.detail or "{}")} for r in rows]


def _verdicts(client: HQClient, ids: list[str]) -> list[dict]:  # type: ignore[type-arg]
    r = client.http.post(f"{API}/sync/held", json={"device_id": client.device_id, "ids": ids})
    assert r.status_code == 200, r.text
    return list(r.json()["verdicts"])


def test_held_work_is_apart_until_accepted_then_stored_as_if_pushed(hq: HQServer) -> None:
    case_id, gone, b, work = _held_work(hq)
    held = [e.id for e in work]
    assert _stored_ids(hq, held) == {}
    for reader in (hq.login("demo"), hq.login("hq")):  # the district's feed and HQ's: nothing held in either
        assert not {e["id"] for e in events_of(reader.pull_all()[0])} & set(held)

    assert [v["status"] for v in _verdicts(b, held)] == ["held", "held"]

    assert hq.login("demo").http.get(f"{API}/review").status_code == 403  # operators do not review
    sup = hq.login("supervisor")
    listed = sup.http.get(f"{API}/review").json()
    mine = [x for x in listed if x["event"]["id"] in held]
    assert len(mine) == 2
    first = mine[0]
    assert first["case_id"] == case_id and first["status"] == "held" and first["cause"] == "author_disabled"
    assert first["pushed_by"]["username"] == "demo" and first["device_id"] == b.device_id
    assert gone in first["note"] and first["event"]["author_id"] != b.user["id"]

    r = sup.http.post(f"{API}/review/{held[0]}/accept", json={"reason": ""})
    assert r.status_code == 422  # a verdict needs a reason
    why = "A's field work from before the account was closed"
    r = sup.http.post(f"{API}/review/{held[0]}/accept", json={"reason": why})
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["status"] == "accepted" and decided["decided_by"]["username"] == "supervisor"
    assert decided["reason"].startswith("A's field work") and decided["hq_seq"] >= 1
    assert sup.http.post(f"{API}/review/{held[0]}/reject", json={"reason": "twice"}).status_code == 409

    stored = _stored_ids(hq, held)
    assert list(stored) == [held[0]]
    author, device, seq = stored[held[0]]
    assert author == first["event"]["author_id"] and device == b.device_id and seq == decided["hq_seq"]
    district_feed = events_of(hq.login("demo").pull_all()[0], case_id)
    assert held[0] in [e["id"] for e in district_feed] and held[1] not in [e["id"] for e in district_feed]

    # The console asks again, or pushes the same events again (a lost reply): the same answers.
    assert [(v["status"], v["hq_seq"]) for v in _verdicts(b, held)] == [("accepted", seq), ("held", None)]
    again = b.push(work)["results"]
    assert [(r["status"], r["hq_seq"]) for r in again] == [("accepted", seq), ("held", None)]
    assert list(_stored_ids(hq, held)) == [held[0]]

    (accept_audit,) = [a for a in _audits(hq, "review_accept") if a["detail"]["event_id"] == held[0]]
    assert accept_audit["username"] == "supervisor" and accept_audit["case_id"] == case_id
    assert accept_audit["detail"]["pushed_by"] == b.user["id"] and accept_audit["detail"]["hq_seq"] == seq
    assert any(held[0] in a["detail"]["events"] for a in _audits(hq, "review_list"))
    push_audit = [d for d in hq.push_audits("demo") if d.get("held_for_review")]
    assert {h["id"] for d in push_audit for h in d["held_for_review"]} == set(held)


def test_rejected_work_stays_out_and_the_console_learns_the_reason(hq: HQServer) -> None:
    case_id, _gone, b, work = _held_work(hq)
    held = [e.id for e in work]
    admin_user = hq.login("admin")
    r = admin_user.http.post(f"{API}/review/{held[1]}/reject", json={"reason": "duplicate of the SHO's note"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected"
    verdicts = _verdicts(b, [*held, str(uuid.uuid4())])
    assert [(v["status"], v["reason"]) for v in verdicts[1:]] == [
        ("rejected", "duplicate of the SHO's note"), ("unknown", None)
    ]
    assert verdicts[0]["status"] == "held"
    assert _stored_ids(hq, held) == {}
    # Another device cannot learn about this console's held events.
    other = hq.login("demo", device_id=f"other-{uuid.uuid4().hex[:6]}")
    assert [v["status"] for v in _verdicts(other, held)] == ["unknown", "unknown"]
    (rejected,) = [a for a in _audits(hq, "review_reject") if a["detail"]["event_id"] == held[1]]
    assert rejected["username"] == "admin" and rejected["detail"]["reason"] == "duplicate of the SHO's note"
    assert rejected["case_id"] == case_id
    again = b.push(work)["results"]
    assert [(r["status"], r["code"]) for r in again] == [("held", "review"), ("rejected", "review_rejected")]
    assert again[1]["reason"] == "duplicate of the SHO's note"


def test_review_from_the_command_line(hq: HQServer) -> None:
    _case_id, _gone, _b, work = _held_work(hq)
    held = [e.id for e in work]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hq", "admin", "--db", hq.db_url, "review", *args],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )

    listed = cli("list", "--by", "supervisor")
    assert listed.returncode == 0, listed.stderr
    assert {x["event"]["id"] for x in json.loads(listed.stdout)} >= set(held)
    refused = cli("accept", held[0], "--by", "demo", "--reason", "ok")
    assert refused.returncode == 1 and "supervisor" in refused.stderr  # an operator cannot decide
    done = cli("accept", held[0], "--by", "supervisor", "--reason", "checked with the SHO")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "accepted"
    done = cli("reject", held[1], "--by", "supervisor", "--reason", "not this case")
    assert done.returncode == 0 and json.loads(done.stdout)["reason"] == "not this case"
    assert list(_stored_ids(hq, held)) == [held[0]]
