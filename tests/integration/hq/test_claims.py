"""Claims and the suspicious-accounts register over HTTP, on both backends: who may read and write
what, district scope, every change audited and in the record's history, suggestions that wait for an
operator, flag on arrival, the CLI and the reports."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hq.claims import flag_on_arrival, suggest_claims
from hq.schema import audit
from tests.fixtures.hq import API, ROOT, HQServer

CURFEW = "पटना में कल कर्फ्यू लगेगा, सभी दुकानें बंद रहेंगी!"
CURFEW_VARIANT = "पटना मे कल कर्फ़्यू लगेगा सभी दुकाने बंद रहेगी"


def _png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), (20 * seed % 255, 80, 140))
    draw = ImageDraw.Draw(img)
    for i in range(5):
        x, y = (seed * 89 + i * 67) % 400, (seed * 41 + i * 53) % 300
        draw.ellipse((x, y, x + 100, y + 80), fill=((i * 60) % 255, (seed * 70) % 255, 30))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _audits(hq: HQServer, prefix: str) -> list[dict[str, object]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit).where(audit.c.action.like(f"{prefix}%")).order_by(audit.c.id)).all()
    finally:
        db.dispose()
    return [dict(r._mapping) for r in rows]


def test_claim_lifecycle_scope_and_audit(hq: HQServer) -> None:
    hq_op, sup, lko, knp = hq.login("hq"), hq.login("supervisor"), hq.login("demo"), hq.login("demo-knp")
    body = {
        "text": CURFEW,
        "platforms": ["facebook", "x"],
        "districts": ["LKO"],
        "links": ["https://x.com/a/status/1"],
        "media": [{"link": "https://example.org/a.png", "image_b64": base64.b64encode(_png(1)).decode()}],
    }
    r = hq_op.http.post(f"{API}/claims", json=body)
    assert r.status_code == 201, r.text
    claim = r.json()
    cid = claim["id"]
    assert claim["status"] == "investigating" and claim["media"][0]["phash"] and len(claim["media"][0]["sha256"]) == 64
    # supervisors read, never write; districts read only their own; admins do not read
    assert sup.http.get(f"{API}/claims/{cid}").status_code == 200
    assert sup.http.post(f"{API}/claims", json={"text": "x"}).status_code == 403
    assert lko.http.get(f"{API}/claims/{cid}").status_code == 200
    assert [c["id"] for c in lko.http.get(f"{API}/claims").json()] == [cid]
    assert knp.http.get(f"{API}/claims/{cid}").status_code == 404
    assert knp.http.get(f"{API}/claims").json() == []
    assert lko.http.patch(f"{API}/claims/{cid}", json={"status": "closed"}).status_code == 403
    assert hq.login("admin").http.get(f"{API}/claims").status_code == 403
    # rebutted needs the official version and a published rebuttal
    r = hq_op.http.patch(f"{API}/claims/{cid}", json={"status": "rebutted"})
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    hq_op.http.patch(
        f"{API}/claims/{cid}", json={"official_version": "No curfew. Shops open as usual."}
    ).raise_for_status()
    published = "2026-11-29T10:00:00+00:00"
    r = hq_op.http.post(
        f"{API}/claims/{cid}/rebuttals",
        json={"platform": "x", "link": "https://x.com/police/status/2", "published_at": published},
    )
    assert r.status_code == 200, r.text
    r = hq_op.http.patch(f"{API}/claims/{cid}", json={"status": "rebutted", "districts": ["LKO", "KNP"]})
    assert r.status_code == 200, r.text
    claim = r.json()
    assert claim["status"] == "rebutted" and claim["rebutted_at"] and claim["rebuttals"][0]["link"].endswith("/2")
    assert knp.http.get(f"{API}/claims/{cid}").status_code == 200  # it spread there now
    # history: who and what, in order; the same changes in the audit log
    changes = [h["change"] for h in claim["history"]]
    assert list(changes[0]) == ["created"]
    assert changes[1] == {"official_version": ["", "No curfew. Shops open as usual."]}
    assert changes[3]["status"] == ["investigating", "rebutted"] and changes[3]["districts"] == [
        ["LKO"],
        ["KNP", "LKO"],
    ]
    assert {h["username"] for h in claim["history"]} == {"hq"}
    actions = [a["action"] for a in _audits(hq, "claim_")]
    assert actions == ["claim_create", "claim_update", "claim_rebuttal", "claim_update"]
    summary = hq_op.http.get(f"{API}/claims", params={"status": "rebutted"}).json()
    assert summary[0]["rebuttals"] == 1 and summary[0]["districts"] == ["KNP", "LKO"]
    assert hq_op.http.get(f"{API}/claims", params={"status": "closed"}).json() == []


def test_suggestions_wait_for_an_operator(hq: HQServer) -> None:
    hq_op = hq.login("hq")
    cid = hq_op.http.post(
        f"{API}/claims", json={"text": CURFEW, "media": [{"image_b64": base64.b64encode(_png(3)).decode()}]}
    ).json()["id"]
    other = hq_op.http.post(f"{API}/claims", json={"text": "Ganga bridge at Patna cracked, closed from Monday"}).json()[
        "id"
    ]
    db = hq.database()
    try:
        found = suggest_claims(db, CURFEW_VARIANT)
        assert [(s.claim_id, s.kind) for s in found] == [(cid, "text")]
        assert suggest_claims(db, "Police arrest mobile thieves in Gaya") == []
    finally:
        db.dispose()
    r = hq_op.http.post(
        f"{API}/claims/suggest",
        json={"post_ref": "fb:123", "text": CURFEW_VARIANT, "post_link": "https://facebook.com/p/123"},
    )
    assert r.status_code == 200, r.text
    [s] = r.json()
    assert s["claim_id"] == cid and s["status"] == "suggested" and s["kind"] == "text"
    # the same picture re-posted (smaller, as JPEG) with unrelated words
    from PIL import Image

    jpeg = io.BytesIO()
    Image.open(io.BytesIO(_png(3))).resize((200, 150)).convert("RGB").save(jpeg, "JPEG", quality=60)
    r = hq_op.http.post(
        f"{API}/claims/suggest",
        json={"post_ref": "x:9", "text": "see this", "image_b64": base64.b64encode(jpeg.getvalue()).decode()},
    )
    assert [(x["claim_id"], x["kind"]) for x in r.json()] == [(cid, "image")]
    # proposing the same post again does not make a second suggestion
    again = hq_op.http.post(f"{API}/claims/suggest", json={"post_ref": "fb:123", "text": CURFEW_VARIANT}).json()
    assert [x["id"] for x in again] == [s["id"]]
    claim = hq_op.http.get(f"{API}/claims/{cid}").json()
    assert {x["status"] for x in claim["suggestions"]} == {"suggested"}  # nothing confirmed by itself
    sup = hq.login("supervisor")
    assert sup.http.post(f"{API}/claims/{cid}/suggestions/{s['id']}/confirm").status_code == 403
    assert hq_op.http.post(f"{API}/claims/{other}/suggestions/{s['id']}/confirm").status_code == 404
    claim = hq_op.http.post(f"{API}/claims/{cid}/suggestions/{s['id']}/confirm").json()
    assert [x["status"] for x in claim["suggestions"] if x["id"] == s["id"]] == ["confirmed"]
    assert hq_op.http.post(f"{API}/claims/{cid}/suggestions/{s['id']}/dismiss").status_code == 409
    listed = hq_op.http.get(f"{API}/claims").json()
    assert {c["id"]: (c["suggested"], c["confirmed"]) for c in listed}[cid] == (1, 1)
    assert "claim_suggestion_confirmed" in [a["action"] for a in _audits(hq, "claim_")]
    # the server's matcher (built by the calls above) follows later changes: a changed text, a closed claim
    hq_op.http.patch(f"{API}/claims/{other}", json={"text": CURFEW + " (again)"}).raise_for_status()
    hq_op.http.patch(f"{API}/claims/{cid}", json={"status": "closed"}).raise_for_status()
    later = hq_op.http.post(f"{API}/claims/suggest", json={"post_ref": "fb:200", "text": CURFEW_VARIANT}).json()
    assert [x["claim_id"] for x in later] == [other]


def test_register_flag_on_arrival_scope_and_filters(hq: HQServer) -> None:
    hq_op, lko, knp = hq.login("hq"), hq.login("demo"), hq.login("demo-knp")
    r = hq_op.http.post(
        f"{API}/accounts",
        json={
            "platform": "x",
            "handle": "https://twitter.com/Rumour_Mill/status/77",
            "reasons": ["fake_news", "communal_content"],
            "district": "LKO",
            "links": [{"kind": "post", "ref": "x:77"}],
        },
    )
    assert r.status_code == 201, r.text
    acc = r.json()
    assert (acc["platform"], acc["handle"], acc["status"]) == ("x", "rumour_mill", "watching")
    assert (
        hq_op.http.post(
            f"{API}/accounts", json={"platform": "x", "handle": "@RUMOUR_MILL", "reasons": ["fraud"]}
        ).status_code
        == 409
    )
    fraud = hq_op.http.post(
        f"{API}/accounts", json={"platform": "facebook", "handle": "Cheap.Loans", "reasons": ["fraud"]}
    ).json()
    # flagged on arrival, whatever form the handle comes in; an unknown one is not
    r = hq_op.http.post(
        f"{API}/accounts/flag", json={"platform": "x", "handle": "@rumour_MILL", "source": "complaint:1"}
    )
    assert r.json()["flagged"] is True and r.json()["account"]["id"] == acc["id"]
    assert hq_op.http.post(f"{API}/accounts/flag", json={"platform": "x", "handle": "someone_else"}).json() == {
        "flagged": False,
        "account": None,
    }
    db = hq.database()
    try:
        entry = flag_on_arrival(db, "x", "x.com/Rumour_Mill", source="claim:1")
        assert entry is not None and entry["flagged"] == 2 and entry["last_flagged_at"]
        assert flag_on_arrival(db, "x", "not a handle") is None
    finally:
        db.dispose()
    flags = _audits(hq, "account_flagged")
    assert [json.loads(str(a["detail"]))["source"] for a in flags] == ["complaint:1", "claim:1"]
    # an action: an FIR needs its number; the account becomes actioned
    assert (
        hq_op.http.post(
            f"{API}/accounts/{acc['id']}/actions", json={"kind": "fir_registered", "on_date": "2026-11-28"}
        ).status_code
        == 422
    )
    r = hq_op.http.post(
        f"{API}/accounts/{acc['id']}/actions",
        json={"kind": "fir_registered", "reference": "FIR 123/2026 Kotwali", "on_date": "2026-11-28"},
    )
    assert (
        r.status_code == 200
        and r.json()["status"] == "actioned"
        and r.json()["actions"][0]["reference"] == "FIR 123/2026 Kotwali"
    )
    r = hq_op.http.patch(
        f"{API}/accounts/{acc['id']}",
        json={"note": "runs three pages", "links": [{"kind": "claim", "ref": "c-1"}, {"kind": "post", "ref": "x:77"}]},
    )
    assert r.status_code == 200, r.text
    assert [(x["kind"], x["ref"]) for x in r.json()["links"]] == [("post", "x:77"), ("claim", "c-1")]
    assert r.json()["history"][-1]["change"] == {"links_added": ["claim:c-1"], "note": ["", "runs three pages"]}
    # filters
    by = lambda **q: [a["handle"] for a in hq_op.http.get(f"{API}/accounts", params=q).json()]  # noqa: E731
    assert by(reason="fraud") == ["cheap.loans"]
    assert by(action="fir_registered") == ["rumour_mill"]
    assert by(status="watching") == ["cheap.loans"]
    assert sorted(by()) == ["cheap.loans", "rumour_mill"]
    assert hq_op.http.get(f"{API}/accounts", params={"reason": "gossip"}).status_code == 422
    # districts read their own entries only; nobody but HQ operators writes
    assert [a["id"] for a in lko.http.get(f"{API}/accounts").json()] == [acc["id"]]
    assert knp.http.get(f"{API}/accounts").json() == []
    assert knp.http.get(f"{API}/accounts/{acc['id']}").status_code == 404
    assert lko.http.get(f"{API}/accounts/{fraud['id']}").status_code == 404
    assert lko.http.post(f"{API}/accounts/flag", json={"platform": "x", "handle": "a"}).status_code == 403
    assert hq.login("supervisor").http.patch(f"{API}/accounts/{acc['id']}", json={"note": "x"}).status_code == 403
    actions = [a["action"] for a in _audits(hq, "account_") if a["action"] != "account_flagged"]
    assert actions == ["account_create", "account_create", "account_action", "account_update"]


def test_reports_count_rebuttals_and_accounts(hq: HQServer) -> None:
    hq_op = hq.login("hq")
    today = date.today()
    for i in range(3):
        cid = hq_op.http.post(f"{API}/claims", json={"text": f"rumour number {i}", "official_version": "false"}).json()[
            "id"
        ]
        if i < 2:
            created = hq_op.http.get(f"{API}/claims/{cid}").json()["created_at"]
            from datetime import datetime

            published = (datetime.fromisoformat(created) + timedelta(minutes=30 * (i + 1))).isoformat()
            hq_op.http.post(
                f"{API}/claims/{cid}/rebuttals",
                json={"platform": "facebook", "link": f"https://fb.com/p/{i}", "published_at": published},
            ).raise_for_status()
            hq_op.http.patch(f"{API}/claims/{cid}", json={"status": "rebutted"}).raise_for_status()
    acc = hq_op.http.post(
        f"{API}/accounts", json={"platform": "x", "handle": "a1", "reasons": ["fraud", "fake_news"]}
    ).json()
    hq_op.http.post(
        f"{API}/accounts/{acc['id']}/actions",
        json={"kind": "notice_served", "reference": "N-1", "on_date": today.isoformat()},
    ).raise_for_status()
    period = {"date_from": (today - timedelta(days=1)).isoformat(), "date_to": (today + timedelta(days=1)).isoformat()}
    r = hq_op.http.get(f"{API}/claims/report", params=period)
    assert r.status_code == 200, r.text
    claims, accounts = r.json()["claims"], r.json()["accounts"]
    assert (claims["recorded"], claims["rebutted"], claims["investigating"]) == (3, 2, 1)
    assert claims["rebuttal_p50_s"] == pytest.approx(1800, abs=5) and claims["rebuttal_p90_s"] == pytest.approx(
        3600, abs=5
    )
    assert claims["slowest"][0]["text"] == "rumour number 1"
    assert {row["key"]: row["count"] for row in accounts["by_reason"]}["fraud"] == 1
    assert {row["key"]: row["count"] for row in accounts["by_action"]} == {
        "reported_to_platform": 0,
        "notice_served": 1,
        "fir_registered": 0,
    }
    assert hq.login("demo").http.get(f"{API}/claims/report", params=period).status_code == 403


def test_cli(hq: HQServer) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hq", *args[:1], "--db", hq.db_url, "--by", "hq", *args[1:]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    r = cli("claims", "add", "--text", CURFEW, "--district", "LKO", "--platform", "facebook")
    assert r.returncode == 0, r.stderr
    cid = json.loads(r.stdout)["id"]
    assert [c["id"] for c in json.loads(cli("claims", "list").stdout)] == [cid]
    r = cli("claims", "status", cid, "rebutted")
    assert r.returncode == 1 and "official version" in r.stderr
    r = cli("accounts", "add", "x", "@Someone", "--reason", "impersonation")
    assert r.returncode == 0, r.stderr
    assert json.loads(cli("accounts", "lookup", "x", "https://x.com/someone").stdout)["handle"] == "someone"
