"""HQ's board (``GET /api/v1/board``) on a real HQ (uvicorn on loopback, SQLite): open cases by step,
the oldest unacknowledged case, consoles and heartbeat alerts raised and cleared (audited once each),
the severity order, the range filter, and who may read it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from core.board import BoardStep, HeartbeatAlert, Severity, heartbeat_alert, severity, sort_key
from core.events import iso, parse_time, utcnow
from hq.presence import PRESENCE_ONLINE_S
from hq.schema import audit, devices, districts
from tests.fixtures.hq import API, HQClient, HQServer
from tests.integration.hq.helpers import ack, dispatch

AUDIO_OK = {"ok": True, "checked_at": None, "detail": "audio output: Speakers"}
AUDIO_BAD = {"ok": False, "checked_at": None, "detail": "no audio output device"}


def _beat(client: HQClient, audio: dict[str, Any] = AUDIO_OK, pending: int = 0) -> None:
    body = {"device_id": client.device_id, "app_version": "test", "pending": pending, "audio": audio}
    assert client.http.post(f"{API}/presence", json=body).status_code == 200


def _board(hq: HQServer, **params: str) -> dict[str, Any]:
    r = hq.login("hq", device_id="hq-board").http.get(f"{API}/board", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _row(board: dict[str, Any], code: str) -> dict[str, Any]:
    return next(d for d in board["districts"] if d["code"] == code)


def _age_consoles(hq: HQServer, *device_ids: str, seconds: float = PRESENCE_ONLINE_S + 60) -> None:
    """The consoles last beat ``seconds`` ago (as if they had gone quiet since)."""
    db = hq.database()
    try:
        with db.transaction() as conn:
            conn.execute(update(devices).where(devices.c.id.in_(device_ids))
                         .values(last_seen=iso(utcnow() - timedelta(seconds=seconds))))
    finally:
        db.dispose()


def _alert_audits(hq: HQServer) -> list[tuple[str, str, str]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit.c.outcome, audit.c.detail).where(audit.c.action == "heartbeat_alert")
                                .order_by(audit.c.id)).all()
    finally:
        db.dispose()
    return [(r.outcome, json.loads(r.detail)["district"], json.loads(r.detail)["kind"]) for r in rows]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_open_cases_by_step_and_the_oldest_unacknowledged(hq_factory: Any, backend: str) -> None:
    hq = hq_factory(backend)
    first, second, third = hq.intake("LKO"), hq.intake("LKO"), hq.intake("LKO")
    knp_case = hq.intake("KNP")
    lko = hq.login("demo", device_id="lko-1")
    assert lko.push([ack(lko, second), ack(lko, third), dispatch(lko, third)])["results"]
    board = _board(hq)
    row = _row(board, "LKO")
    assert row["name"] == "Lucknow"
    assert row["open_cases"] == 3
    assert row["by_step"] == {BoardStep.UNACKNOWLEDGED: 1, BoardStep.ACKNOWLEDGED: 1, BoardStep.DISPATCHED: 1}
    received = hq.login("hq").http.get(f"{API}/cases/{first}").json()["state"]["received_at"]
    assert parse_time(row["oldest_unack_at"]) == parse_time(received)
    assert _row(board, "KNP")["by_step"] == {BoardStep.UNACKNOWLEDGED: 1}
    assert _row(board, "VNS")["open_cases"] == 0 and _row(board, "VNS")["oldest_unack_at"] is None
    # the district acknowledges the oldest: the next oldest unacknowledged is none (the others are acked)
    lko.push([ack(lko, first)])
    row = _row(_board(hq), "LKO")
    assert row["oldest_unack_at"] is None and row["by_step"][BoardStep.ACKNOWLEDGED] == 2
    assert knp_case


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_consoles_and_heartbeat_alerts_raised_and_cleared_once_each(hq_factory: Any, backend: str) -> None:
    hq = hq_factory(backend)
    one, two = hq.login("demo", device_id="lko-1"), hq.login("demo", device_id="lko-2")
    _beat(one, pending=4)
    _beat(two, AUDIO_BAD)
    row = _row(_board(hq), "LKO")
    assert row["consoles_online"] == 2 and row["consoles_can_sound"] == 1 and row["alert"] is None
    by_id = {c["device_id"]: c for c in row["consoles"]}
    assert by_id["lko-1"]["pending"] == 4 and by_id["lko-1"]["can_sound"] is True
    assert by_id["lko-2"]["can_sound"] is False and by_id["lko-2"]["audio_detail"] == "no audio output device"

    _beat(one, {"ok": False, "checked_at": None, "detail": "test alarm NOT heard (confirmed by A at 10:00)"})
    row = _row(_board(hq), "LKO")
    assert row["alert"]["kind"] == HeartbeatAlert.CANNOT_SOUND
    assert {c["device_id"]: c["test_heard"] for c in row["consoles"]}["lko-1"] is False
    since = row["alert"]["since"]
    assert _row(_board(hq), "LKO")["alert"]["since"] == since  # kept while it lasts, not "now" each time

    _age_consoles(hq, "lko-1", "lko-2")
    row = _row(_board(hq), "LKO")
    assert row["alert"]["kind"] == HeartbeatAlert.NO_HEARTBEAT and row["consoles_online"] == 0
    assert row["alert"]["since"] == max(c["last_seen"] for c in row["consoles"])  # the last beat heard

    _beat(two, {"ok": True, "checked_at": None, "detail": "test alarm heard, confirmed by A at 10:05"})
    row = _row(_board(hq), "LKO")
    assert row["alert"] is None and row["consoles_can_sound"] == 1
    assert {c["device_id"]: c["test_heard"] for c in row["consoles"]}["lko-2"] is True
    _board(hq)  # reading again records nothing new
    assert _alert_audits(hq) == [
        ("raised", "LKO", HeartbeatAlert.CANNOT_SOUND),
        ("cleared", "LKO", HeartbeatAlert.CANNOT_SOUND),
        ("raised", "LKO", HeartbeatAlert.NO_HEARTBEAT),
        ("cleared", "LKO", HeartbeatAlert.NO_HEARTBEAT),
    ]


def test_worst_district_first(hq_server: HQServer) -> None:
    hq = hq_server
    lko, knp = hq.login("demo", device_id="lko-1"), hq.login("demo-knp", device_id="knp-1")
    vns = hq.login("demo-vns", device_id="vns-1")
    for c in (lko, knp, vns):
        _beat(c)
    hq.intake("KNP")  # waiting, consoles fine
    hq.intake("VNS")  # waiting, and its console goes quiet: critical
    _age_consoles(hq, "vns-1")
    board = _board(hq)
    order = [(d["code"], d["severity"]) for d in board["districts"]]
    assert order == [("VNS", "CRITICAL"), ("KNP", "WAITING"), ("LKO", "QUIET")]


def test_range_filter(hq_server: HQServer) -> None:
    hq = hq_server
    db = hq.database()
    try:
        with db.transaction() as conn:
            conn.execute(update(districts).where(districts.c.code.in_(["LKO"])).values(range="Lucknow"))
            conn.execute(update(districts).where(districts.c.code.in_(["KNP", "VNS"])).values(range="Kanpur"))
    finally:
        db.dispose()
    hq.intake("KNP")
    board = _board(hq, range="Kanpur")
    assert sorted(d["code"] for d in board["districts"]) == ["KNP", "VNS"]
    assert board["range"] == "Kanpur" and board["ranges"] == ["Kanpur", "Lucknow"]
    assert [d["code"] for d in _board(hq, range="Lucknow")["districts"]] == ["LKO"]
    assert len(_board(hq)["districts"]) == 3
    assert _board(hq, range="Nowhere")["districts"] == []


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_hq_roles_read_the_board(hq_server: HQServer, username: str) -> None:
    assert hq_server.login(username).http.get(f"{API}/board").status_code == 200


def test_a_district_operator_and_an_intake_key_are_refused(hq_server: HQServer) -> None:
    r = hq_server.login("demo", device_id="lko-1").http.get(f"{API}/board")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    import httpx

    r = httpx.get(f"{hq_server.url}{API}/board", headers={"X-Api-Key": hq_server.intake_key})
    assert r.status_code in (401, 403)
    bad = hq_server.login("hq").http.get(f"{API}/board", params={"range": "a\x00b"})
    assert bad.status_code == 422


def test_severity_rule() -> None:
    now = utcnow()
    old, young = now - timedelta(minutes=9), now - timedelta(minutes=1)
    assert heartbeat_alert(0, 0, 0) is None
    assert heartbeat_alert(2, 0, 0) is HeartbeatAlert.NO_HEARTBEAT
    assert heartbeat_alert(2, 1, 0) is HeartbeatAlert.CANNOT_SOUND
    assert heartbeat_alert(2, 1, 1) is None
    s = dict(now=now, consoles=2, open_cases=1, unack_alert_min=5)
    assert severity(oldest_unack_at=young, alert="no_heartbeat", **s) is Severity.CRITICAL
    assert severity(oldest_unack_at=young, alert=None, **{**s, "consoles": 0}) is Severity.CRITICAL
    assert severity(oldest_unack_at=old, alert=None, **s) is Severity.OVERDUE
    assert severity(oldest_unack_at=None, alert="cannot_sound", **s) is Severity.SILENT
    assert severity(oldest_unack_at=young, alert=None, **s) is Severity.WAITING
    assert severity(oldest_unack_at=None, alert=None, **{**s, "consoles": 0}) is Severity.NO_CONSOLES
    assert severity(oldest_unack_at=None, alert=None, **s) is Severity.OPEN
    assert severity(oldest_unack_at=None, alert=None, **{**s, "open_cases": 0}) is Severity.QUIET
    keys = [sort_key(Severity.OVERDUE, young, 1, "B"), sort_key(Severity.OVERDUE, old, 1, "C"),
            sort_key(Severity.CRITICAL, None, 0, "Z"), sort_key(Severity.QUIET, None, 3, "A")]
    assert [k[3] for k in sorted(keys)] == ["z", "c", "b", "a"]


def test_the_board_carries_each_mailboxs_health(hq_server: HQServer) -> None:
    from hq.mailbox.health import record_contact, record_error, record_fetch

    assert _board(hq_server)["mailboxes"] == []  # no mailbox read yet
    db = hq_server.database()
    try:
        record_fetch(db, "alerts@meta.example", taken=2)
        record_contact(db, "tips@meta.example")
        record_error(db, "tips@meta.example", "IMAP login refused: AUTHENTICATIONFAILED")
    finally:
        db.dispose()
    good, failing = _board(hq_server)["mailboxes"]
    assert good["mailbox"] == "alerts@meta.example" and not good["failing"]
    assert good["last_contact_at"] == good["last_fetch_at"] and good["last_error"] is None
    assert failing["mailbox"] == "tips@meta.example" and failing["failing"]
    assert failing["last_fetch_at"] is None and failing["last_error"].startswith("IMAP login refused")
    assert set(good) == {"mailbox", "last_contact_at", "last_fetch_at", "last_error", "last_error_at", "failing"}
    db = hq_server.database()
    try:
        record_fetch(db, "tips@meta.example")  # a good run after the error: no longer failing
    finally:
        db.dispose()
    assert not _board(hq_server)["mailboxes"][1]["failing"]
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_confirmed_test_alarm_is_a_field_a_later_software_check_keeps(hq_factory: Any, backend: str) -> None:
    """The answer travels as fields (``audio.test_alarm``), is kept on the device row, and outlives
    the software checks sent after it; a console that sends no such field keeps the old reading."""
    hq = hq_factory(backend)
    one, old = hq.login("demo", device_id="lko-1"), hq.login("demo", device_id="lko-2")
    at = iso(utcnow() - timedelta(minutes=3))
    not_heard = {"heard": False, "at": at, "by": "A. Singh"}
    _beat(one, {"ok": False, "checked_at": at, "detail": "test alarm NOT heard", "test_alarm": not_heard})
    _beat(old, {"ok": True, "checked_at": None, "detail": "test alarm heard, confirmed by B at 10:05"})

    def consoles() -> dict[str, dict[str, Any]]:
        return {c["device_id"]: c for c in _row(_board(hq), "LKO")["consoles"]}

    c = consoles()["lko-1"]
    assert (c["test_heard"], c["test_confirmed_by"]) == (False, "A. Singh")
    assert parse_time(c["test_confirmed_at"]) == parse_time(at)
    # an older console: the answer read from its detail, with no time or name
    assert (consoles()["lko-2"]["test_heard"], consoles()["lko-2"]["test_confirmed_by"]) == (True, None)

    # the software check runs again and again: the verdict changes, the human's answer stays
    for _ in range(2):
        _beat(one, {"ok": True, "checked_at": iso(utcnow()), "detail": "alarm ready on audio output 'Speakers'"})
    c = consoles()["lko-1"]
    assert c["audio_detail"] == "alarm ready on audio output 'Speakers'" and c["audio_ok"] is True
    assert (c["test_heard"], c["test_confirmed_by"]) == (False, "A. Singh")
    assert parse_time(c["test_confirmed_at"]) == parse_time(at)

    # a newer answer replaces it, and is kept with the checks sent beside it
    later = iso(utcnow())
    heard = {"heard": True, "at": later, "by": "C. Yadav"}
    _beat(one, {"ok": True, "checked_at": later, "detail": "alarm ready on audio output 'Speakers'",
                "test_alarm": heard})
    c = consoles()["lko-1"]
    assert (c["test_heard"], c["test_confirmed_by"]) == (True, "C. Yadav")
    assert parse_time(c["test_confirmed_at"]) == parse_time(later)
    db = hq.database()
    try:
        with db.reader() as conn:
            stored = conn.execute(select(devices.c.audio).where(devices.c.id == "lko-1")).scalar_one()
    finally:
        db.dispose()
    assert "test_alarm" not in json.loads(stored)  # the verdict as sent, the answer in its own columns


def test_a_malformed_test_alarm_is_refused(hq_server: HQServer) -> None:
    client = hq_server.login("demo", device_id="lko-1")
    for bad in ({"heard": "yes", "at": iso(utcnow()), "by": "A"}, {"heard": True, "at": "yesterday", "by": "A"},
                {"heard": True, "at": iso(utcnow()), "by": ""}, {"heard": True, "at": iso(utcnow())}):
        body = {"device_id": client.device_id, "app_version": "test", "pending": 0,
                "audio": {**AUDIO_OK, "test_alarm": bad}}
        assert client.http.post(f"{API}/presence", json=body).status_code == 422, bad
