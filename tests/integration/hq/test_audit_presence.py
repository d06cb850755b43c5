"""The audit log (who did what, from which device, when, with what outcome) and presence."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from hq.schema import audit
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import ack


def _audit_rows(hq: HQServer) -> list[dict]:  # type: ignore[type-arg]
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit).order_by(audit.c.id)).mappings().all()
        return [dict(r) | {"detail": json.loads(r["detail"]) if r["detail"] else None} for r in rows]
    finally:
        db.dispose()


def test_audit_records_logins_intake_assignment_pushes_and_every_read_of_personal_details(hq: HQServer) -> None:
    bad = {"username": "demo", "password": "wrong-password", "device_id": "lko-1", "device_name": "c"}
    assert httpx.post(f"{hq.url}{API}/auth/login", json=bad).status_code == 401
    case_id = hq.intake("LKO")
    hq.intake("LKO", upstream_ref=_ref_of(hq, case_id))  # duplicate
    lko = hq.login("demo", device_id="lko-1")
    knp = hq.login("demo-knp", device_id="knp-1")
    lko.push([ack(lko, case_id)])
    lko.pull_all()
    assert lko.http.get(f"{API}/cases/{case_id}").status_code == 200
    assert knp.http.get(f"{API}/cases/{case_id}").status_code == 403
    hq_op = hq.login("hq", device_id="hq-1")
    assert hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "KNP"}).status_code == 200

    rows = _audit_rows(hq)
    by = {(r["action"], r["outcome"], r["username"], r["device_id"]) for r in rows}
    assert ("login", "failure", "demo", "lko-1") in by
    assert ("login", "ok", "demo", "lko-1") in by
    assert ("intake", "created", None, None) in by and ("intake", "duplicate", None, None) in by
    assert ("push", "ok", "demo", "lko-1") in by
    assert ("read_case", "ok", "demo", "lko-1") in by
    assert ("read_case", "forbidden", "demo-knp", "knp-1") in by
    assert ("assign", "ok", "hq", "hq-1") in by
    pulls = [r for r in rows if r["action"] == "pull" and r["username"] == "demo"]
    assert pulls and case_id in pulls[0]["detail"]["cases_with_details"]
    intake_row = next(r for r in rows if r["action"] == "intake" and r["outcome"] == "created")
    assert intake_row["actor"] == "key:test-intake" and intake_row["case_id"] == case_id
    assert all(r["at"] and r["at"].endswith("Z") for r in rows)
    assert all(r["ip"] == "127.0.0.1" for r in rows if r["action"] in ("push", "read_case", "login"))


def _ref_of(hq: HQServer, case_id: str) -> str:
    client = hq.login("hq")
    return str(client.http.get(f"{API}/cases/{case_id}").json()["state"]["upstream_ref"])


def test_presence_heartbeat_and_list(hq: HQServer) -> None:
    lko = hq.login("demo", device_id="lko-console-7")
    body = {
        "device_id": "lko-console-7",
        "app_version": "0.1.0",
        "pending": 3,
        "audio": {"ok": False, "checked_at": "2026-11-22T10:00:00.000Z", "detail": "no output device"},
    }
    assert lko.http.post(f"{API}/presence", json=body).status_code == 200
    spoof = lko.http.post(f"{API}/presence", json=body | {"device_id": "someone-else"})
    assert spoof.status_code == 403
    sup = hq.login("supervisor")
    listed = {p["device_id"]: p for p in sup.http.get(f"{API}/presence").json()}
    me = listed["lko-console-7"]
    assert me["online"] is True and me["user"] == "demo" and me["district"] == "LKO"
    assert me["pending"] == 3 and me["audio"]["ok"] is False and me["audio"]["detail"] == "no output device"
