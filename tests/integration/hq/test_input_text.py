"""Text HQ cannot store: NUL and other control characters, lone surrogates, in every field of every
endpoint, on both backends. Each is refused with 422 ``invalid`` naming the field (an event inside a
push: rejected ``invalid`` on its own), never 500; nothing is stored. PostgreSQL is the backend that
cannot hold a NUL in a text column at all, so it is the one these tests exist for.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from core.events import EventType, iso, utcnow
from hq import service
from hq.api import create_app
from hq.demo import synthetic_alert
from tests.fixtures.hq import API, SEED_USERS, HQClient, HQServer
from tests.integration.hq.helpers import event

NUL = "\u0000"


def _text_leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every text (at any depth) in a JSON value."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _text_leaves(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _text_leaves(sub, (*path, i))


def _with(value: Any, path: tuple[Any, ...], text: str) -> Any:
    """A copy of ``value`` with the text at ``path`` replaced by ``text``."""
    out = copy.deepcopy(value)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text
    return out


def _spoilt(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field, body) for each text field of ``body``, that field holding a NUL in the middle."""
    for path in _text_leaves(body):
        original = body
        for step in path:
            original = original[step]
        yield ".".join(str(p) for p in path), _with(body, path, f"{original[:1]}{NUL}{original[1:]}")


def _refused(r: httpx.Response, field: str) -> None:
    assert r.status_code == 422, (field, r.status_code, r.text)
    body = r.json()
    assert set(body) == {"detail", "code"} and body["code"] == "invalid", body
    # The reason names the field (its last part at least) and the character, never quoting it.
    assert field.split(".")[-1].split("[")[0] in body["detail"], (field, body["detail"])
    assert NUL not in body["detail"]


def _stored(hq: HQServer) -> tuple[int, ...]:
    db = hq.database()
    try:
        return tuple(service.count(db, t) for t in ("events", "feed", "cases", "devices", "refresh_tokens"))
    finally:
        db.dispose()


# Every endpoint, and the test below that sends it text it cannot store. A new endpoint fails
# ``test_every_endpoint_is_covered`` until it has a case here.
COVERED = {
    ("GET", f"{API}/health"): "test_query_parameters_and_paths",
    ("POST", f"{API}/auth/login"): "test_login_and_refresh",
    ("POST", f"{API}/auth/refresh"): "test_login_and_refresh",
    ("POST", f"{API}/intake"): "test_intake",
    ("POST", f"{API}/cases/{{case_id}}/assign"): "test_assign_and_read_case",
    ("GET", f"{API}/cases/{{case_id}}"): "test_assign_and_read_case",
    ("GET", f"{API}/districts"): "test_query_parameters_and_paths",
    ("POST", f"{API}/sync/push"): "test_push",
    ("GET", f"{API}/sync/pull"): "test_query_parameters_and_paths",
    ("POST", f"{API}/presence"): "test_presence",
    ("GET", f"{API}/presence"): "test_query_parameters_and_paths",
    ("POST", f"{API}/sync/held"): "test_held_review_and_repair",
    ("GET", f"{API}/review"): "test_held_review_and_repair",
    ("POST", f"{API}/review/{{event_id}}/{{verdict}}"): "test_held_review_and_repair",
    ("POST", f"{API}/sync/repair"): "test_held_review_and_repair",
    ("GET", f"{API}/mailbox/health"): "test_query_parameters_and_paths",
    ("GET", f"{API}/escalation/policies/{{district}}"): "test_escalation_policy_and_receipt",
    ("PUT", f"{API}/escalation/policies/{{district}}"): "test_escalation_policy_and_receipt",
    ("GET", f"{API}/escalation/contacts/{{district}}"): "test_escalation_policy_and_receipt",
    ("POST", f"{API}/channels/receipts/{{token}}"): "test_escalation_policy_and_receipt",
    ("GET", f"{API}/board"): "test_query_parameters_and_paths",
    ("GET", f"{API}/reports/{{kind}}"): "test_reports",
    ("POST", f"{API}/reports/{{kind}}/exports"): "test_reports",
    # The tip line (tests/integration/hq/test_tipline.py). The webhook takes Meta's shape and never
    # refuses a tipster's words for their characters (a refusal would make Meta redeliver forever):
    # what no event may hold becomes U+FFFD before it reaches a case. The officers' routes follow
    # HQ's rule (422 naming the field).
    ("GET", f"{API}/tipline/webhook"): "test_tipline.py::test_the_webhook_verification_handshake",
    ("POST", f"{API}/tipline/webhook"): "test_tipline.py::test_text_hq_cannot_store_in_the_tip_line",
    ("POST", f"{API}/tips/{{case_id}}/questions"): "test_tipline.py::test_text_hq_cannot_store_in_the_tip_line",
    ("GET", f"{API}/tips/media/{{media_id}}"): "test_tipline.py::test_text_hq_cannot_store_in_the_tip_line",
    ("GET", f"{API}/complaints/canned"): "test_canned_replies_and_tip_officers",
    ("PUT", f"{API}/complaints/canned/{{canned_id}}"): "test_canned_replies_and_tip_officers",
    ("GET", f"{API}/tips/officers"): "test_canned_replies_and_tip_officers",
    ("POST", f"{API}/tips/officers"): "test_canned_replies_and_tip_officers",
    ("POST", f"{API}/tips/officers/{{officer_id}}/retire"): "test_canned_replies_and_tip_officers",
    ("GET", f"{API}/complaints"): "test_complaint_endpoints",
    ("GET", f"{API}/complaints/policy"): "test_complaint_endpoints",
    ("POST", f"{API}/complaints/{{case_id}}/triage"): "test_complaint_endpoints",
    ("POST", f"{API}/complaints/{{case_id}}/replies"): "test_complaint_endpoints",
    ("POST", f"{API}/complaints/{{case_id}}/replies/{{reply_id}}/approve"): "test_complaint_endpoints",
    ("POST", f"{API}/complaints/{{case_id}}/replies/{{reply_id}}/publish"): "test_complaint_endpoints",
    ("GET", f"{API}/connectors/health"): "test_complaint_endpoints",
    ("GET", f"{API}/webhooks/meta"): "test_complaint_endpoints",
    ("POST", f"{API}/webhooks/meta"): "test_complaint_endpoints",
    ("GET", f"{API}/claims"): "test_claims_and_accounts",
    ("POST", f"{API}/claims"): "test_claims_and_accounts",
    ("GET", f"{API}/claims/report"): "test_claims_and_accounts",
    ("GET", f"{API}/claims/{{claim_id}}"): "test_claims_and_accounts",
    ("PATCH", f"{API}/claims/{{claim_id}}"): "test_claims_and_accounts",
    ("POST", f"{API}/claims/{{claim_id}}/rebuttals"): "test_claims_and_accounts",
    ("POST", f"{API}/claims/suggest"): "test_claims_and_accounts",
    ("POST", f"{API}/claims/{{claim_id}}/suggestions/{{suggestion_id}}/{{verdict}}"): "test_claims_and_accounts",
    ("GET", f"{API}/accounts"): "test_claims_and_accounts",
    ("POST", f"{API}/accounts"): "test_claims_and_accounts",
    ("POST", f"{API}/accounts/flag"): "test_claims_and_accounts",
    ("GET", f"{API}/accounts/{{account_id}}"): "test_claims_and_accounts",
    ("PATCH", f"{API}/accounts/{{account_id}}"): "test_claims_and_accounts",
    ("POST", f"{API}/accounts/{{account_id}}/actions"): "test_claims_and_accounts",
}


def test_every_endpoint_is_covered() -> None:
    routes = {
        (method, route.path)
        for route in create_app().routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if method != "HEAD"
    }
    assert routes == set(COVERED)


def test_login_and_refresh(hq: HQServer) -> None:
    good = {"username": "demo", "password": SEED_USERS["demo"], "device_id": "lko-1", "device_name": "console"}
    before = _stored(hq)
    for field, body in _spoilt(good):
        _refused(httpx.post(f"{hq.url}{API}/auth/login", json=body), field)
    # No sign-in was counted as a failure either: nothing reached the password check.
    assert httpx.post(f"{hq.url}{API}/auth/login", json=good).status_code == 200
    after_login = _stored(hq)
    assert after_login[:3] == before[:3]
    client = hq.login("demo", device_id="lko-2")
    refresh = {"refresh_token": client.session["refresh_token"], "device_id": client.device_id}
    for field, body in _spoilt(refresh):
        _refused(httpx.post(f"{hq.url}{API}/auth/refresh", json=body), field)
    client.refresh()  # the token was not spent by the refused attempts


def test_intake(hq: HQServer) -> None:
    alert = synthetic_alert(district="LKO")
    before = _stored(hq)
    key = {"X-Api-Key": hq.intake_key}
    fields = []
    for field, body in _spoilt(alert):
        _refused(httpx.post(f"{hq.url}{API}/intake", json=body, headers=key), field)
        fields.append(field)
    assert {"upstream_ref", "subject.name", "subject.phones.0", "subject.post_text", "location.text"} <= set(fields)
    # An HQ operator's intake goes through the same edge.
    hq_op = hq.login("hq")
    _refused(hq_op.http.post(f"{API}/intake", json=alert | {"summary": f"a{NUL}"}), "summary")
    assert _stored(hq)[:3] == before[:3]
    # Free text (names pasted with a line break too) keeps line breaks and tabs; a one-line field does not.
    multi = alert | {"summary": "line one\nline two\tend"}
    multi["subject"] = alert["subject"] | {"post_text": "अलविदा\r\nगुडबाय 😀", "name": "Pasted Name\n"}
    assert httpx.post(f"{hq.url}{API}/intake", json=multi, headers=key).status_code == 201
    for field, spoilt in (
        ("subject.language", _with(alert, ("subject", "language"), "hi\n")),
        ("upstream_ref", alert | {"upstream_ref": "ref\t1"}),
        ("summary", alert | {"summary": "bell\x07"}),
    ):
        _refused(httpx.post(f"{hq.url}{API}/intake", json=spoilt, headers=key), field)


def test_assign_and_read_case(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    hq_op = hq.login("hq")
    before = _stored(hq)
    for field, body in _spoilt({"district": "KNP", "police_station": "KLY"}):
        _refused(hq_op.http.post(f"{API}/cases/{case_id}/assign", json=body), field)
    _refused(hq_op.http.post(f"{API}/cases/a%00b/assign", json={"district": "KNP"}), "case_id")
    _refused(hq_op.http.get(f"{API}/cases/a%00b"), "case_id")
    _refused(hq_op.http.get(f"{API}/cases/{case_id}%00"), "case_id")
    assert _stored(hq) == before
    # Not a case but harmless text: 404, like any unknown case.
    assert hq_op.http.get(f"{API}/cases/not-a-uuid").status_code == 404
    assert hq_op.http.get(f"{API}/cases/{case_id}").status_code == 200


def test_query_parameters_and_paths(hq: HQServer) -> None:
    hq_op = hq.login("hq")
    for path in ("/health", "/districts", "/sync/pull", "/presence", "/mailbox/health", "/board"):
        r = hq_op.http.get(f"{API}{path}?a%00b=1")
        assert r.status_code == 422 and r.json()["code"] == "invalid", (path, r.text)
        assert NUL not in r.json()["detail"]
    for params in ("cursor=0%00", "limit=5%00", "wait=0%00", "cursor=%00"):
        r = hq_op.http.get(f"{API}/sync/pull?{params}")
        assert r.status_code == 422 and r.json()["code"] == "invalid", (params, r.text)
    _refused(hq_op.http.get(f"{API}/board?range=Luck%00now"), "range")


def test_reports(hq: HQServer) -> None:
    hq_op = hq.login("hq")
    period = "from=2024-01-01&to=2024-06-30"
    for params, field in ((f"{period}&district=L%00KO", "district"), (f"{period}&range=R%00", "range"),
                          ("from=2024-01-01%00&to=2024-06-30", "from")):
        _refused(hq_op.http.get(f"{API}/reports/outcomes?{params}"), field)
    assert hq_op.http.get(f"{API}/reports/outcomes?{period}&district=LKO").status_code == 200
    export = {"from": "2024-01-01", "to": "2024-06-30", "district": "LKO", "format": "csv",
              "exported_at": iso(utcnow())}
    for field, body in _spoilt(export):
        _refused(hq_op.http.post(f"{API}/reports/outcomes/exports", json=body), field)
    for bad in ({**export, "from": "2024-1-1"}, {**export, "format": "docx"}, {**export, "exported_at": "yesterday"}):
        assert hq_op.http.post(f"{API}/reports/outcomes/exports", json=bad).status_code == 422, bad
    assert hq_op.http.post(f"{API}/reports/outcomes/exports", json=export).json() == {"recorded": True}


def test_complaint_endpoints(hq: HQServer) -> None:
    """The complaint endpoints refuse text they cannot store; the webhook (unconfigured here) refuses
    every delivery before reading it."""
    hq_op = hq.login("hq")
    case = str(uuid.uuid4())
    before = _stored(hq)
    triage = {"category": "traffic", "district": "LKO", "duplicate_of": case, "note": "seen twice"}
    for field, body in _spoilt(triage):
        _refused(hq_op.http.post(f"{API}/complaints/{case}/triage", json=body), field)
    for field, body in _spoilt({"text": "We are on it"}):
        _refused(hq_op.http.post(f"{API}/complaints/{case}/replies", json=body), field)
    for path in (f"/complaints/{case}/replies/a%00b/approve", f"/complaints/a%00b/replies/{case}/publish",
                 "/complaints?district=a%00b", "/connectors/health?a%00b=1", "/complaints/policy?a%00b=1"):  # fmt: skip
        reads = ("/complaints?", "/connectors", "/complaints/policy")
        method = hq_op.http.get if path.startswith(reads) else hq_op.http.post
        r = method(f"{API}{path}")
        assert r.status_code == 422 and r.json()["code"] == "invalid", (path, r.text)
        assert NUL not in r.json()["detail"]
    r = httpx.get(f"{hq.url}{API}/webhooks/meta", params={"hub.mode": f"sub{NUL}", "hub.challenge": "1"})
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    r = httpx.post(f"{hq.url}{API}/webhooks/meta", content=b'{"object": "page\\u0000"}')
    assert r.status_code == 401
    assert _stored(hq)[:3] == before[:3]


def test_presence(hq: HQServer) -> None:
    lko = hq.login("demo")
    good = {
        "device_id": lko.device_id,
        "app_version": "1.0.0",
        "pending": 0,
        "audio": {"ok": True, "checked_at": iso(utcnow()), "detail": "null sink"},
    }
    for field, body in _spoilt(good):
        _refused(lko.http.post(f"{API}/presence", json=body), field)
    assert lko.http.post(f"{API}/presence", json=_with(good, ("audio", "detail"), "line\none")).status_code == 200


def test_escalation_policy_and_receipt(hq: HQServer) -> None:
    admin = hq.login("admin")
    policy = {
        "steps": [
            {"action": "wait", "minutes": 5},
            {"action": "notify", "roles": ["sho"], "channels": ["sms"]},
            {"action": "repeat", "times": 1},
        ]
    }
    for field, body in _spoilt({"policy": policy}):
        _refused(admin.http.put(f"{API}/escalation/policies/LKO", json=body), field)
    _refused(admin.http.get(f"{API}/escalation/policies/L%00KO"), "district")
    _refused(admin.http.put(f"{API}/escalation/policies/L%00KO", json={"policy": policy}), "district")
    _refused(admin.http.get(f"{API}/escalation/contacts/L%00KO"), "district")
    assert admin.http.get(f"{API}/escalation/policies/LKO").json()["version"] == 0  # nothing was stored
    assert admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": policy}).status_code == 200
    receipt = {"id": "sim-1", "status": "delivered"}
    for field, body in _spoilt(receipt):
        _refused(httpx.post(f"{hq.url}{API}/channels/receipts/token", json=body), field)
    _refused(httpx.post(f"{hq.url}{API}/channels/receipts/to%00ken", json=receipt), "token")


def _sample_events(client: HQClient, case_id: str) -> list[dict[str, Any]]:
    """One valid event of each type a console makes, as it would push it."""
    now = iso(utcnow())
    other = str(uuid.uuid4())
    payloads: dict[EventType, dict[str, Any]] = {
        EventType.ACKNOWLEDGED: {"note": "seen"},
        EventType.LOCATED: {"location": {"text": "Hazratganj", "latitude": 26.8}, "method": "cdr_tower", "note": "n"},
        EventType.DISPATCHED: {"officer": "SI Test", "phone": "9000000999", "team": "PRV 12", "note": "n"},
        EventType.FORWARDED: {"to": "erss_112", "reference": "R-1", "agency": "ERSS", "state": "Bihar", "note": "n"},
        EventType.EN_ROUTE: {"note": "n", "eta_min": 5},
        EventType.REACHED: {"at": now, "place": "gate", "note": "n"},
        EventType.OUTCOME_RECORDED: {"outcome": "safe_counselled", "detail": "talked"},
        EventType.COUNSELLING_NOTE: {
            "officer_name": "SI Test",
            "officer_rank": "SI",
            "text": "note",
            "referral": "clinic",
            "follow_up_date": now,
        },
        EventType.FOLLOW_UP_SCHEDULED: {"due": now, "note": "n"},
        EventType.FOLLOW_UP_DONE: {"follow_up_id": other, "note": "n"},
        EventType.ESCALATED: {"reason": "no answer", "to": "SP"},
        EventType.ALARM_MUTED: {"reason": "drill", "until": now},
        EventType.CONTACT_REVEALED: {"field": "phones"},
        EventType.CLOSED: {"reason": "done"},
        EventType.REOPENED: {"reason": "again"},
        EventType.AMENDED: {"target_event_id": other, "fields": {"note": "fixed"}, "reason": "typo"},
    }
    return [event(client, case_id, etype, payload).to_wire(include_seq=False) for etype, payload in payloads.items()]


def test_push(hq: HQServer) -> None:
    case_id = hq.intake("LKO")
    lko = hq.login("demo")
    before = _stored(hq)
    _refused(lko.http.post(f"{API}/sync/push", json={"device_id": f"a{NUL}", "events": []}), "device_id")
    spoilt: list[tuple[str, dict[str, Any]]] = []
    for sample in _sample_events(lko, case_id):
        for field, bad in _spoilt(sample):
            spoilt.append((field, bad | ({"id": str(uuid.uuid4())} if field != "id" else {})))
    assert len(spoilt) > 100
    results = lko.push([bad for _, bad in spoilt])["results"]
    assert len(results) == len(spoilt)
    for (field, _), result in zip(spoilt, results, strict=True):
        assert (result["status"], result["code"]) == ("rejected", "invalid"), (field, result)
        assert NUL not in result["reason"]
        if field not in ("id", "case_id", "type", "hlc", "wall_time"):  # these say what they must be instead
            assert f"event.{field}".replace(".0", "[0]") in result["reason"], (field, result["reason"])
    assert _stored(hq) == before
    # Free text keeps line breaks and tabs; a one-line field refuses them; valid events get in.
    note = event(lko, case_id, EventType.ACKNOWLEDGED, {"note": "line one\r\nline two\tend"})
    one_line = event(lko, case_id, EventType.CONTACT_REVEALED, {"field": "phones"})
    one_line_wire = _with(one_line.to_wire(include_seq=False), ("payload", "field"), "phones\n")
    out = lko.push([note.to_wire(include_seq=False), one_line_wire])["results"]
    assert [r["status"] for r in out] == ["accepted", "rejected"]
    assert "event.payload.field: must be one line" in out[1]["reason"]


def test_held_review_and_repair(hq: HQServer) -> None:
    lko = hq.login("demo")
    supervisor = hq.login("supervisor")
    before = _stored(hq)
    held = {"device_id": lko.device_id, "ids": [str(uuid.uuid4())]}
    for field, body in _spoilt(held):
        _refused(lko.http.post(f"{API}/sync/held", json=body), field)
    _refused(supervisor.http.get(f"{API}/review", params={"status": f"held{NUL}"}), "status")
    decision = {"reason": "checked with the SP's office"}
    for field, body in _spoilt(decision):
        _refused(supervisor.http.post(f"{API}/review/{uuid.uuid4()}/accept", json=body), field)
    r = supervisor.http.post(f"{API}/review/a%00b/accept", json=decision)
    assert r.status_code == 422 and r.json()["code"] == "invalid", r.text
    _refused(lko.http.post(f"{API}/sync/repair", json={"device_id": f"a{NUL}", "events": []}), "device_id")
    assert _stored(hq) == before


def test_lone_surrogates_are_refused_for_the_whole_body(hq: HQServer) -> None:
    """A lone surrogate (valid JSON escape, not Unicode) cannot be stored or even quoted back: 422."""
    lko = hq.login("demo")
    case_id = hq.intake("LKO")
    before = _stored(hq)
    json_headers = {"Content-Type": "application/json"}
    login = b'{"username": "de\\ud800mo", "password": "x", "device_id": "d", "device_name": "n"}'
    r = httpx.post(f"{hq.url}{API}/auth/login", content=login, headers=json_headers)
    _refused(r, "body.username")
    ack = event(lko, case_id, EventType.ACKNOWLEDGED, {"note": "PLACEHOLDER"}).to_wire(include_seq=False)
    raw = json.dumps({"device_id": lko.device_id, "events": [ack]}).replace("PLACEHOLDER", "\\udc00x")
    r = lko.http.post(f"{API}/sync/push", content=raw.encode(), headers=json_headers)
    _refused(r, "body.events[0].payload.note")
    key_raw = json.dumps({"device_id": lko.device_id, "events": [ack]}).replace('"note"', '"\\ud83d"')
    _refused(lko.http.post(f"{API}/sync/push", content=key_raw.encode(), headers=json_headers), "payload")
    # Bytes that are not UTF-8 at all: refused as not JSON.
    r = lko.http.post(f"{API}/sync/push", content=b'{"device_id": "\xff\xfe", "events": []}', headers=json_headers)
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    assert _stored(hq) == before
    # A valid pair (an emoji escaped as two surrogates, as ensure_ascii encoders write it) is text.
    good = json.dumps({"device_id": lko.device_id, "events": [ack]}).replace("PLACEHOLDER", "\\ud83d\\ude00")
    r = lko.http.post(f"{API}/sync/push", content=good.encode(), headers=json_headers)
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted", r.text


@pytest.mark.parametrize("depth", [900])
def test_deeply_nested_json_is_refused_not_a_crash(hq: HQServer, depth: int) -> None:
    lko = hq.login("demo")
    case_id = hq.intake("LKO")
    amend = event(lko, case_id, EventType.ACKNOWLEDGED, {"note": "x"}).to_wire(include_seq=False)
    amend["type"] = "amended"
    nested = "[" * depth + "]" * depth
    raw = json.dumps({"device_id": lko.device_id, "events": [amend]}).replace(
        '{"note": "x"}', f'{{"target_event_id": "{uuid.uuid4()}", "fields": {{"note": {nested}}}, "reason": "r"}}'
    )
    r = lko.http.post(f"{API}/sync/push", content=raw.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 422), r.text
    if r.status_code == 200:
        assert r.json()["results"][0]["status"] == "rejected"


def _register_rows(hq: HQServer) -> tuple[int, ...]:
    db = hq.database()
    try:
        return tuple(
            service.count(db, t)
            for t in (
                "claims",
                "claim_rebuttals",
                "claim_suggestions",
                "accounts",
                "account_actions",
                "register_history",
            )
        )
    finally:
        db.dispose()


def test_claims_and_accounts(hq: HQServer) -> None:
    hq_op = hq.login("hq")
    claim = {
        "text": "अफ़वाह: कल कर्फ्यू",
        "official_version": "no curfew",
        "districts": ["LKO"],
        "links": ["https://x.com/a"],
    }
    account = {"platform": "x", "handle": "@rumour", "reasons": ["fake_news"], "note": "n", "district": "LKO"}
    before = _register_rows(hq)
    for path, body in (
        ("/claims", claim),
        ("/claims/suggest", {"post_ref": "fb:1", "text": "post", "post_link": "https://fb.com/1"}),
        ("/accounts", account | {"links": [{"kind": "post", "ref": "x:1"}]}),
        ("/accounts/flag", {"platform": "x", "handle": "rumour", "source": "complaint:1"}),
    ):
        for field, spoilt in _spoilt(body):
            _refused(hq_op.http.post(f"{API}{path}", json=spoilt), field)
    assert _register_rows(hq) == before
    cid = hq_op.http.post(f"{API}/claims", json=claim).json()["id"]
    aid = hq_op.http.post(f"{API}/accounts", json=account).json()["id"]
    for field, spoilt in _spoilt({"official_version": "x", "links": ["https://x.com/b"]}):
        _refused(hq_op.http.patch(f"{API}/claims/{cid}", json=spoilt), field)
    for field, spoilt in _spoilt({"platform": "x", "link": "https://x.com/c", "published_at": iso(utcnow())}):
        if field != "platform":
            _refused(hq_op.http.post(f"{API}/claims/{cid}/rebuttals", json=spoilt), field)
    for field, spoilt in _spoilt({"note": "x", "links": [{"kind": "post", "ref": "x:2"}]}):
        if field != "links.0.kind":
            _refused(hq_op.http.patch(f"{API}/accounts/{aid}", json=spoilt), field)
    for field, spoilt in _spoilt({"kind": "notice_served", "reference": "N-1", "on_date": "2026-11-29", "note": "n"}):
        if field != "kind":
            _refused(hq_op.http.post(f"{API}/accounts/{aid}/actions", json=spoilt), field)
    after_create = _register_rows(hq)
    # paths and query parameters
    for path in ("/claims/a%00b", "/accounts/a%00b", f"/claims/{cid}/suggestions/1/confirm?x%00=1"):
        r = hq_op.http.get(f"{API}{path}") if "suggestions" not in path else hq_op.http.post(f"{API}{path}")
        assert r.status_code == 422 and r.json()["code"] == "invalid", (path, r.text)
        assert NUL not in r.json()["detail"]
    for query in ("/claims?status=closed%00", "/accounts?reason=fraud%00", "/claims/report?date_from=2026-11-01%00"):
        r = hq_op.http.get(f"{API}{query}")
        assert r.status_code == 422 and r.json()["code"] == "invalid", (query, r.text)
    assert _register_rows(hq) == after_create


def test_canned_replies_and_tip_officers(hq: HQServer) -> None:
    """The supervisors' canned replies and the SP offices' officer lists: a NUL in any text field,
    path or query is refused naming the field, and nothing is stored."""
    db = hq.database()
    try:
        before = tuple(service.count(db, t) for t in ("canned_replies", "tip_officers"))
        sup, hq_op = hq.login("supervisor"), hq.login("hq")
        reply = {"title": "Noted", "text_hi": "आपकी शिकायत दर्ज है", "text_en": "Noted", "category": "traffic"}
        for field, spoilt in _spoilt(reply):
            _refused(sup.http.put(f"{API}/complaints/canned/noted", json=spoilt), field)
        officer = {"district": "LKO", "name": "SI Ravi Kumar", "rank": "SI", "station": "Hazratganj"}
        for field, spoilt in _spoilt(officer):
            _refused(hq_op.http.post(f"{API}/tips/officers", json=spoilt), field)
        for r in (
            sup.http.put(f"{API}/complaints/canned/a%00b", json=reply),
            sup.http.get(f"{API}/complaints/canned?include_retired=true%00"),
            hq_op.http.get(f"{API}/tips/officers?district=LK%00O"),
            hq_op.http.post(f"{API}/tips/officers/a%00b/retire"),
        ):
            assert r.status_code == 422 and r.json()["code"] == "invalid", r.text
            assert NUL not in r.json()["detail"]
        assert tuple(service.count(db, t) for t in ("canned_replies", "tip_officers")) == before
    finally:
        db.dispose()
