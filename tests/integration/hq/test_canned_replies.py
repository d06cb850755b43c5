"""Canned bilingual replies over HTTP, on SQLite and PostgreSQL: the seeded defaults, who may read
and who may edit, every change audited, and a reply retired, never deleted."""

from __future__ import annotations

import json

from sqlalchemy import select

from hq import service
from hq.schema import audit
from tests.fixtures.hq import API, HQServer

CANNED = f"{API}/complaints/canned"


def _canned_audits(hq: HQServer) -> list[dict[str, object]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit).where(audit.c.action == "canned_reply").order_by(audit.c.id)).all()
    finally:
        db.dispose()
    return [dict(r._mapping) for r in rows]


def _count(hq: HQServer) -> int:
    db = hq.database()
    try:
        return service.count(db, "canned_replies")
    finally:
        db.dispose()


def test_canned_replies_roles_audit_and_retire_not_delete(hq: HQServer) -> None:
    op, sup, admin, lko = hq.login("hq"), hq.login("supervisor"), hq.login("admin"), hq.login("demo")
    seeded = op.http.get(CANNED).json()
    assert {c["id"] for c in seeded} == {"acknowledge", "helplines", "forwarded"}
    helplines = next(c for c in seeded if c["id"] == "helplines")
    assert "112" in helplines["text_en"] and "1930" in helplines["text_hi"] and "{handle}" in helplines["text_hi"]
    assert "{district}" in next(c for c in seeded if c["id"] == "forwarded")["text_en"]
    assert sup.http.get(CANNED).status_code == 200 and admin.http.get(CANNED).status_code == 200
    assert lko.http.get(CANNED).status_code == 403  # a district operator

    body = {"title": "Traffic: forwarded", "text_hi": "{handle} जी, यातायात पुलिस को भेजा गया।",
            "text_en": "{handle}, sent to the traffic police.", "category": "traffic"}  # fmt: skip
    assert op.http.put(f"{CANNED}/traffic", json=body).status_code == 403  # an operator does not edit
    assert lko.http.put(f"{CANNED}/traffic", json=body).status_code == 403
    r = sup.http.put(f"{CANNED}/traffic", json=body)
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["updated_by"] == "supervisor" and made["category"] == "traffic" and made["retired"] is False
    assert sup.http.put(f"{CANNED}/traffic", json=body | {"category": "gossip"}).status_code == 422
    assert sup.http.put(f"{CANNED}/Bad Id", json=body).status_code in (404, 422)
    assert sup.http.put(f"{CANNED}/empty", json={"title": "x"}).status_code == 422
    assert "traffic" in {c["id"] for c in op.http.get(CANNED).json()}

    changed = admin.http.put(f"{CANNED}/traffic", json=body | {"text_en": "{handle}, forwarded to traffic."})
    assert changed.json()["updated_by"] == "admin" and changed.json()["text_en"].endswith("traffic.")
    before = _count(hq)
    retired = sup.http.put(f"{CANNED}/traffic", json=body | {"retired": True}).json()
    assert retired["retired"] is True
    assert _count(hq) == before  # retired, not deleted
    assert "traffic" not in {c["id"] for c in op.http.get(CANNED).json()}
    kept = op.http.get(CANNED, params={"include_retired": "true"}).json()
    assert next(c for c in kept if c["id"] == "traffic")["retired"] is True
    assert op.http.delete(f"{CANNED}/traffic").status_code == 405  # there is no delete

    audits = _canned_audits(hq)
    assert [a["outcome"] for a in audits] == ["created", "changed", "retired"]
    assert [a["username"] for a in audits] == ["supervisor", "admin", "supervisor"]
    assert json.loads(str(audits[1]["detail"])) == {"id": "traffic", "changed": ["text_en"]}
