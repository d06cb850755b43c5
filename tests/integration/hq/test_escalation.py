"""Escalation at HQ on PostgreSQL with two runners (separate engines on one database, each on its
own thread, as two HQ processes would be), a gateway simulator and an SMTP server on loopback, and
policies of seconds instead of minutes.

HQ runs on uvicorn (intake, the consoles' acknowledgements and heartbeats, the admin's policy edit,
the gateway's receipts all go over HTTP); the runners write to the same database.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.events import EventType, utcnow
from hq.channels import Channel
from hq.channels.email import EmailChannel, SmtpConfig
from hq.channels.gateway import Gateway, GatewayConfig, SmsChannel, VoiceChannel
from hq.db import Database
from hq.escalation import RECEIPTS_PATH, store
from hq.escalation.runner import EscalationRunner, TickReport
from hq.feed import case_history
from hq.schema import escalation_deliveries, escalations
from tests.fixtures.gateway_sim import GatewaySim
from tests.fixtures.hq import API, ROOT, HQFactory, HQServer
from tests.fixtures.smtp import SmtpSink
from tests.integration.hq.helpers import ack, dispatch

pytestmark = pytest.mark.postgres

RECEIPT_TOKEN = "receipt-secret-for-tests"
TICK_S = 0.05
WAIT_S = 60.0
# 1.2 s of silence, then the consoles and HQ, then SP control room and SHO by SMS and call, 0.6 s more,
# then the range DIG by SMS and e-mail; the chain runs twice: 8 steps.
SHORT_POLICY: dict[str, Any] = {
    "steps": [
        {"action": "wait", "minutes": 0.02},
        {"action": "realarm_district"},
        {"action": "alarm_hq"},
        {"action": "notify", "roles": ["sp_control_room", "sho"], "channels": ["sms", "voice"]},
        {"action": "wait", "minutes": 0.01},
        {"action": "notify", "roles": ["range_dig"], "channels": ["sms", "email"]},
        {"action": "repeat", "times": 1},
    ],
    "dispatch_overdue_min": 0.02,
}


@pytest.fixture
def gateway() -> Iterator[GatewaySim]:
    sim = GatewaySim.start()
    yield sim
    sim.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink.start()
    yield sink
    sink.stop()


@pytest.fixture
def hq(hq_factory: HQFactory, monkeypatch: pytest.MonkeyPatch) -> HQServer:
    monkeypatch.setenv("RAKSHAK_RECEIPT_TOKEN", RECEIPT_TOKEN)
    server = hq_factory("postgres")
    admin = server.login("admin")
    r = admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": SHORT_POLICY})
    assert r.status_code == 200, r.text
    db = server.database()
    try:
        store.add_contact(db, "LKO", "sp_control_room", "SP Control Room Lucknow", phone="9000000201",
                          email="sp.lko@example.test")  # fmt: skip
        store.add_contact(db, "LKO", "sho", "SHO Hazratganj", phone="9000000202", station="HAZ")
        store.add_contact(db, "LKO", "sho", "SHO Alambagh", phone="9000000203", station="ALM")  # not the case's
        store.add_contact(db, "LKO", "range_dig", "DIG Lucknow Range", phone="9000000204", email="dig@example.test")
    finally:
        db.dispose()
    return server


Runners = Callable[..., list[EscalationRunner]]


@pytest.fixture
def runners(hq: HQServer, gateway: GatewaySim, smtp: SmtpSink) -> Iterator[Runners]:
    made: list[tuple[EscalationRunner, Database, Gateway]] = []

    def make(n: int = 2, *, start: bool = True, timeout_s: float = 2.0) -> list[EscalationRunner]:
        out = []
        for i in range(n):
            db = Database(hq.db_url, pool_size=3)
            gw = Gateway(GatewayConfig(gateway.url, "sid", "token", timeout_s=timeout_s, retries=3, backoff_s=0.01))
            mail = EmailChannel(SmtpConfig("127.0.0.1", smtp.port, starttls=False, retries=2, backoff_s=0.01))
            channels: dict[str, Channel] = {"sms": SmsChannel(gw), "voice": VoiceChannel(gw), "email": mail}
            runner = EscalationRunner(
                db, channels, worker_id=f"w{i + 1}", tick_s=TICK_S,
                receipt_url=f"{hq.url}{RECEIPTS_PATH}/{RECEIPT_TOKEN}",
            )  # fmt: skip
            made.append((runner, db, gw))
            out.append(runner)
            if start:
                runner.start()
        return out

    yield make
    for runner, db, gw in made:
        runner.stop()
        gw.close()
        db.dispose()


def _audible_console(hq: HQServer, username: str = "demo") -> None:
    """A console of the user's district that can sound (its heartbeat says so)."""
    client = hq.login(username)
    r = client.http.post(
        f"{API}/presence",
        json={"device_id": client.device_id, "app_version": "test", "pending": 0, "audio": {"ok": True}},
    )
    assert r.status_code == 200, r.text


def _escalated(hq: HQServer, case_id: str) -> list[dict[str, Any]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            return [dict(e.payload) for e in case_history(conn, case_id) if e.type is EventType.ESCALATED]
    finally:
        db.dispose()


def _rows(hq: HQServer, case_id: str) -> list[Any]:
    db = hq.database()
    try:
        with db.reader() as conn:
            return list(conn.execute(select(escalations).where(escalations.c.case_id == case_id)))
    finally:
        db.dispose()


def _wait_for(what: Callable[[], bool], timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _finished(hq: HQServer, case_id: str) -> Callable[[], bool]:
    return lambda: bool(_rows(hq, case_id)) and all(r.status != "running" for r in _rows(hq, case_id))


def test_no_acknowledgement_every_step_fires_in_order_exactly_once(
    hq: HQServer, runners: Runners, gateway: GatewaySim, smtp: SmtpSink
) -> None:
    _audible_console(hq)
    case_id = hq.intake("LKO", police_station="HAZ")
    started = time.monotonic()
    runners(2)
    _wait_for(_finished(hq, case_id))
    (row,) = _rows(hq, case_id)
    assert row.status == "done" and row.trigger == "unacknowledged" and row.next_step == 8
    steps = _escalated(hq, case_id)
    # Every step, in order, each delivery exactly once: two workers never ran a step twice.
    numbers = [p["step"] for p in steps]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 9))
    keys = Counter((p["step"], p.get("channel"), p.get("target")) for p in steps)
    assert max(keys.values()) == 1, keys
    per_round = [
        ("realarm_district", "consoles", "LKO"),
        ("alarm_hq", "consoles", "HQ"),
        ("notify", "sms", "sp_control_room: SP Control Room Lucknow"),
        ("notify", "voice", "sp_control_room: SP Control Room Lucknow"),
        ("notify", "sms", "sho: SHO Hazratganj"),
        ("notify", "voice", "sho: SHO Hazratganj"),
        ("notify", "sms", "range_dig: DIG Lucknow Range"),
        ("notify", "email", "range_dig: DIG Lucknow Range"),
    ]
    assert [(p["action"], p["channel"], p["target"]) for p in steps] == per_round * 2
    assert all(p["result"] == "sent" and p["tier"] in ("district", "hq") for p in steps)
    assert [p["round"] for p in steps] == [1] * 8 + [2] * 8
    assert steps[0]["realarm"] is True and steps[0]["tier"] == "district" and steps[1]["tier"] == "hq"
    # The first step waited out the policy's 1.2 s (the district has a console that can sound).
    assert time.monotonic() - started >= 1.2
    # The loopback servers received them: SMS and calls at the gateway, e-mail at the SMTP server.
    sms = gateway.sent("/sms")
    assert sorted(r.body["to"] for r in sms) == sorted(["9000000201", "9000000202", "9000000204"] * 2)
    assert len(gateway.sent("/calls")) == 4 and all(r.auth == ("sid", "token") for r in gateway.requests)
    assert [rcpt for _, rcpt, _ in smtp.messages] == [["dig@example.test"]] * 2
    text = sms[0].body["body"]
    assert "Lucknow" in text and "रक्षक" in text and case_id[:8].upper() in text
    # The subject's phone numbers never travel by SMS, call or e-mail.
    db = hq.database()
    try:
        with db.reader() as conn:
            created = case_history(conn, case_id)[0]
    finally:
        db.dispose()
    phones = created.payload["subject"]["phones"]
    assert phones
    for phone in phones:
        assert all(phone not in str(r.body) for r in gateway.requests)
        assert all(phone not in m.get_content() for _, _, m in smtp.messages)
    # The gateway's receipts reached HQ and were recorded against the deliveries.
    _wait_for(lambda: len(gateway.receipts) == len(sms) + 4)
    assert {code for _, _, code in gateway.receipts} == {200}
    db = hq.database()
    try:
        with db.reader() as conn:
            receipts = conn.execute(
                select(escalation_deliveries.c.receipt_status).where(escalation_deliveries.c.channel != "email")
            ).scalars()
            assert set(receipts) == {"delivered"}
    finally:
        db.dispose()


def test_an_acknowledgement_midway_stops_the_rest(hq: HQServer, runners: Runners, gateway: GatewaySim) -> None:
    _audible_console(hq)
    case_id = hq.intake("LKO", police_station="HAZ")
    runners(2)
    _wait_for(lambda: any(p.get("action") == "notify" for p in _escalated(hq, case_id)))
    console = hq.login("demo")
    assert console.push([ack(console, case_id)])["results"][0]["status"] == "accepted"
    def unacknowledged() -> list[dict[str, Any]]:
        return [p for p in _escalated(hq, case_id) if p["trigger"] == "unacknowledged"]

    _wait_for(lambda: any(p["result"] == "stopped" for p in unacknowledged()))
    rows = {r.trigger: r for r in _rows(hq, case_id)}
    assert rows["unacknowledged"].status == "stopped"
    assert "acknowledged by" in rows["unacknowledged"].stop_reason
    steps = unacknowledged()
    assert steps[-1]["result"] == "stopped" and "acknowledged" in steps[-1]["reason"]
    taken = [p for p in steps if p["result"] != "stopped"]
    assert max(p["step"] for p in taken) < 8 and all(p["round"] == 1 for p in taken)
    sent_before = len(gateway.requests)
    time.sleep(2.0)  # well past every wait of the policy: nothing more is sent for this trigger
    assert len(unacknowledged()) == len(steps)
    # Acknowledged but not dispatched: a dispatch-overdue escalation (HQ sees it) ...
    _wait_for(lambda: any(p["trigger"] == "dispatch_overdue" for p in _escalated(hq, case_id)))
    # ... which a dispatch stops.
    assert console.push([dispatch(console, case_id)])["results"][0]["status"] == "accepted"
    _wait_for(lambda: all(r.status != "running" for r in _rows(hq, case_id)))
    overdue = next(r for r in _rows(hq, case_id) if r.trigger == "dispatch_overdue")
    assert overdue.status == "stopped" and "dispatched" in overdue.stop_reason
    assert len(gateway.requests) >= sent_before


def test_a_district_with_no_audible_console_skips_the_wait(hq: HQServer, runners: Runners) -> None:
    admin = hq.login("admin")
    slow = {"steps": [{"action": "wait", "minutes": 10}, {"action": "realarm_district"}, {"action": "alarm_hq"}]}
    assert admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": slow}).status_code == 200
    silent = hq.login("demo")  # a console whose audio path is broken
    r = silent.http.post(
        f"{API}/presence",
        json={"device_id": silent.device_id, "app_version": "t", "pending": 0, "audio": {"ok": False}},
    )
    assert r.status_code == 200
    case_id = hq.intake("LKO")
    runners(2)
    _wait_for(_finished(hq, case_id), timeout=20)  # not ten minutes
    steps = _escalated(hq, case_id)
    assert [p["action"] for p in steps] == ["realarm_district", "alarm_hq"]
    assert "can sound" in steps[0]["reason"]


def test_a_policy_edited_midway_does_not_change_the_running_escalation(hq: HQServer, runners: Runners) -> None:
    _audible_console(hq)
    case_id = hq.intake("LKO", police_station="HAZ")
    (runner,) = runners(1, start=False)
    runner.tick()  # the escalation starts with a snapshot of SHORT_POLICY
    (row,) = _rows(hq, case_id)
    admin = hq.login("admin")
    edited = {"steps": [{"action": "wait", "minutes": 0}, {"action": "alarm_hq"}]}
    r = admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": edited})
    assert r.status_code == 200 and r.json()["version"] == 2
    newer = hq.intake("LKO", police_station="HAZ")
    runner.start()
    _wait_for(_finished(hq, case_id))
    _wait_for(_finished(hq, newer))
    assert len(_escalated(hq, case_id)) == 16  # the snapshot's eight steps, two rounds
    assert [p["action"] for p in _escalated(hq, newer)] == ["alarm_hq"]  # the edit governs the next one
    assert row.policy_version == 1


def test_a_gateway_that_refuses_or_times_out_is_recorded_and_retried(
    hq: HQServer, runners: Runners, gateway: GatewaySim
) -> None:
    _audible_console(hq)
    admin = hq.login("admin")
    policy = {
        "steps": [
            {"action": "notify", "roles": ["sp_control_room"], "channels": ["sms"]},
            {"action": "notify", "roles": ["range_dig"], "channels": ["sms"]},
            {"action": "notify", "roles": ["sho"], "channels": ["voice"]},
        ]
    }
    assert admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": policy}).status_code == 200
    gateway.fail_next(1, "refuse")  # 503
    gateway.fail_next(1, "timeout", delay_s=1.5)  # past the 0.5 s timeout
    gateway.fail_next(1, "late", delay_s=0.2)  # late, within the timeout: taken
    gateway.fail_next(1, "reject")  # 400 for the DIG: refused at once, not retried
    for _ in range(4):
        gateway.fail_next(1, "refuse")  # the SHO's call: refused through every retry
    case_id = hq.intake("LKO", police_station="HAZ")
    runners(2, timeout_s=0.5)
    _wait_for(_finished(hq, case_id))
    sp, dig, sho = _escalated(hq, case_id)
    assert (sp["result"], sp["attempts"]) == ("sent", 3) and sp["answer"].startswith("201")
    assert (dig["result"], dig["attempts"]) == ("refused", 1) and dig["answer"].startswith("400")
    assert (sho["result"], sho["attempts"]) == ("failed", 4) and sho["answer"].startswith("503")
    # The failures did not stop the later steps, and each is on the case with the channel's answer.
    assert [p["step"] for p in (sp, dig, sho)] == [1, 2, 3]
    assert [r.answered for r in gateway.requests] == [503, 201, 201, 400, 503, 503, 503, 503]


def test_policy_and_receipt_endpoints_refuse_what_they_must(hq: HQServer) -> None:
    operator = hq.login("hq")
    got = operator.http.get(f"{API}/escalation/policies/KNP").json()
    assert got["inherited"] is True and got["version"] == 0 and got["policy"]["steps"]
    assert operator.http.get(f"{API}/escalation/policies/LKO").json()["inherited"] is False
    # Only an admin changes a policy; a district operator reads none.
    assert operator.http.put(f"{API}/escalation/policies/KNP", json={"policy": SHORT_POLICY}).status_code == 403
    assert hq.login("demo").http.get(f"{API}/escalation/policies/LKO").status_code == 403
    admin = hq.login("admin")
    bad = {"steps": [{"action": "repeat", "times": 1}, {"action": "alarm_hq"}]}
    r = admin.http.put(f"{API}/escalation/policies/KNP", json={"policy": bad})
    assert r.status_code == 422 and "repeat" in r.json()["detail"]
    assert admin.http.get(f"{API}/escalation/policies/NOPE").status_code == 404
    assert admin.http.put(f"{API}/escalation/policies/*", json={"policy": SHORT_POLICY}).json()["version"] == 1
    assert operator.http.get(f"{API}/escalation/policies/KNP").json()["policy"]["steps"] == SHORT_POLICY["steps"]
    # A receipt with the wrong token is refused like an unknown path; an unknown message id too.
    body = {"id": "sim-unknown", "status": "delivered"}
    assert httpx.post(f"{hq.url}{RECEIPTS_PATH}/wrong", json=body).status_code == 404
    assert httpx.post(f"{hq.url}{RECEIPTS_PATH}/{RECEIPT_TOKEN}", json=body).status_code == 404


def test_hq_serve_runs_the_runner_in_two_worker_processes_and_stops_cleanly(
    hq_factory: HQFactory, gateway: GatewaySim, smtp: SmtpSink
) -> None:
    env = {
        "RAKSHAK_HQ_ESCALATION": "1",
        "RAKSHAK_ESCALATION_TICK_S": "0.1",
        "RAKSHAK_GATEWAY_URL": gateway.url,
        "RAKSHAK_GATEWAY_SID": "sid",
        "RAKSHAK_GATEWAY_TOKEN": "token",
        "RAKSHAK_SMTP_HOST": "127.0.0.1",
        "RAKSHAK_SMTP_PORT": str(smtp.port),
        "RAKSHAK_SMTP_STARTTLS": "false",
    }
    server = hq_factory("postgres", mode="process", workers=2, env=env)
    admin = server.login("admin")
    assert admin.http.put(f"{API}/escalation/policies/LKO", json={"policy": SHORT_POLICY}).status_code == 200
    db = server.database()
    try:
        store.add_contact(db, "LKO", "sp_control_room", "SP Control Room Lucknow", phone="9000000201")
        store.add_contact(db, "LKO", "range_dig", "DIG Lucknow Range", phone="9000000204", email="dig@example.test")
    finally:
        db.dispose()
    _audible_console(server)
    case_id = server.intake("LKO", police_station="HAZ")
    _wait_for(_finished(server, case_id))
    steps = _escalated(server, case_id)
    keys = Counter((p["step"], p.get("channel"), p.get("target")) for p in steps)
    assert max(keys.values()) == 1 and {p["step"] for p in steps} == set(range(1, 9))
    assert len(gateway.sent("/sms")) == 4 and len(gateway.sent("/calls")) == 2 and len(smtp.messages) == 2
    proc = server._proc
    assert proc is not None
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0


def test_the_admin_cli_shows_and_sets_policies_and_contacts(hq: HQServer) -> None:
    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hq", "admin", "--db", hq.db_url, "escalation", *args],
            cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    shown = json.loads(cli("show", "KNP").stdout)
    assert shown["inherited"] is True and shown["policy"]["steps"][0] == {"action": "wait", "minutes": 5.0}
    policy = {"steps": [{"action": "wait", "minutes": 2}, {"action": "alarm_hq"}], "dispatch_overdue_min": 10}
    done = cli("set", "KNP", "-", stdin=json.dumps(policy))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1 and json.loads(cli("show", "KNP").stdout)["inherited"] is False
    bad = cli("set", "KNP", "-", stdin='{"steps": [{"action": "wait", "minutes": 2}]}')
    assert bad.returncode == 1 and "does nothing" in bad.stderr
    added = cli("contacts", "add", "KNP", "--role", "sho", "--name", "SHO Kalyanpur", "--phone", "9000000301",
                "--station", "KLY")  # fmt: skip
    assert added.returncode == 0, added.stderr
    contact_id = json.loads(added.stdout)["id"]
    listed = json.loads(cli("contacts", "list", "KNP").stdout)
    assert [(c["name"], c["station"]) for c in listed] == [("SHO Kalyanpur", "KLY")]
    assert cli("contacts", "add", "KNP", "--role", "sho", "--name", "No Address").returncode == 1
    assert cli("contacts", "remove", contact_id).returncode == 0
    assert json.loads(cli("list").stdout) == []
    case_id = hq.intake("LKO")
    runner = EscalationRunner(hq.database(), {})
    runner.scan()
    runner.db.dispose()
    (listed_esc,) = json.loads(cli("list").stdout)
    assert listed_esc["case_id"] == case_id and listed_esc["steps_taken"] == "0/8"
    assert listed_esc["trigger"] == "unacknowledged" and listed_esc["status"] == "running"
    assert json.loads(cli("contacts", "list", "KNP").stdout) == []


def test_two_runners_racing_for_the_same_due_steps_take_each_once(
    hq: HQServer, runners: Runners, gateway: GatewaySim
) -> None:
    _audible_console(hq)
    case_ids = [hq.intake("LKO", police_station="HAZ") for _ in range(12)]
    first, second = runners(2, start=False)
    first.scan()
    later = utcnow() + timedelta(minutes=10)  # past every wait of the first round
    for runner in (first, second):
        runner.clock = lambda: later
    reports = [TickReport(), TickReport()]
    barrier = threading.Barrier(2)

    def race(runner: EscalationRunner, report: TickReport) -> None:
        barrier.wait()
        runner.run_due(report)

    threads = [threading.Thread(target=race, args=(r, rep)) for r, rep in zip((first, second), reports, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for case_id in case_ids:
        steps = _escalated(hq, case_id)
        keys = Counter((p["step"], p.get("channel"), p.get("target")) for p in steps)
        assert keys and max(keys.values()) == 1, keys
        assert [p["step"] for p in steps] == sorted(p["step"] for p in steps)
    # Both took steps, and each lost some claims to the other: the claim, not luck, kept them apart.
    assert all(r.steps > 0 for r in reports), reports
    assert sum(r.lost_claims for r in reports) > 0, reports
    assert sum(r.steps for r in reports) == sum(len({p["step"] for p in _escalated(hq, c)}) for c in case_ids)
