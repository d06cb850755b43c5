"""The complaints' breach policy is stored like a district's escalation policy: without one the
code's default (HQ's duty officers by SMS and e-mail) is snapshotted into each breach's escalation;
a stored one (set with the admin CLI or ``PUT /escalation/policies/*complaint_breach``, versioned and
audited) changes who the next breach notifies, while an escalation already running keeps its
snapshot; bad input gets a 4xx or a clear CLI error. HQ on SQLite and PostgreSQL, started for real so
its start-up registers the breach hook; a gateway simulator on loopback takes the SMS."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.escalation import COMPLAINT_BREACH_KEY, Policy
from core.events import ItemKind, Source
from core.sla import SlaPolicy
from hq import admin as admin_ops
from hq.__main__ import main as hq_main
from hq.admin import AdminError
from hq.channels.gateway import Gateway, GatewayConfig, SmsChannel
from hq.complaints.queue import triage
from hq.complaints.sweep import sweep
from hq.complaints.take import IncomingItem, take_item
from hq.db import Database
from hq.escalation import store
from hq.escalation.complaint_breach import COMPLAINT_BREACH, COMPLAINT_BREACH_POLICY
from hq.escalation.runner import EscalationRunner
from hq.principals import Principal, Role
from hq.schema import audit, escalations
from tests.fixtures.gateway_sim import GatewaySim
from tests.fixtures.hq import API, HQFactory, HQServer

OPERATOR = Principal(actor="u-operator", display_name="HQ operator", role=Role.HQ_OPERATOR)
SLA = SlaPolicy()
HQ_DUTY_PHONE = "9000000301"
SP_PHONE = "9000000401"
# The district's SP control room first; HQ's duty officer ten minutes later.
TO_THE_SP = {"steps": [
    {"action": "notify", "roles": ["sp_control_room"], "channels": ["sms"]},
    {"action": "wait", "minutes": 10},
    {"action": "notify", "roles": ["hq_duty"], "channels": ["sms"]},
]}  # fmt: skip


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def gateway() -> Iterator[GatewaySim]:
    sim = GatewaySim.start()
    yield sim
    sim.stop()


@pytest.fixture
def server(hq_factory: HQFactory, backend: str) -> HQServer:
    return hq_factory(backend)  # started: its lifespan registers the breach hook


@pytest.fixture
def db(server: HQServer) -> Iterator[Database]:
    database = server.database()
    store.add_contact(database, "*", "hq_duty", "Social media desk supervisor", phone=HQ_DUTY_PHONE)
    store.add_contact(database, "LKO", "sp_control_room", "SP control room Lucknow", phone=SP_PHONE)
    yield database
    database.dispose()


def _complaint(db: Database, platform_id: str, posted: datetime) -> str:
    item = IncomingItem(Source.X, ItemKind.MENTION, platform_id, posted, "@police my phone was snatched",
                        author_id=platform_id, author_handle=f"citizen{platform_id}")  # fmt: skip
    case_id = take_item(db, item, now=posted + timedelta(minutes=1)).case_id
    triage(db, OPERATOR, case_id, district="LKO")
    return case_id


def _row(db: Database, case_id: str) -> Any:
    with db.reader() as conn:
        return conn.execute(
            select(escalations).where(escalations.c.case_id == case_id, escalations.c.trigger == COMPLAINT_BREACH)
        ).one()


def test_a_stored_breach_policy_changes_who_is_notified(db: Database, gateway: GatewaySim) -> None:
    shown = store.get_policy(db, None, COMPLAINT_BREACH_KEY)
    assert shown.inherited and shown.version == 0 and shown.policy == COMPLAINT_BREACH_POLICY
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    before = _complaint(db, "b-1", posted)
    clock = FakeClock(posted + timedelta(minutes=121))
    gw = Gateway(GatewayConfig(gateway.url, "sid", "token", timeout_s=2.0, retries=1, backoff_s=0.01))
    runner = EscalationRunner(db, {"sms": SmsChannel(gw)}, worker_id="bp", clock=clock)
    try:
        assert sweep(db, SLA, clock.now).breached == 1  # no stored policy: the code's default
        row = _row(db, before)
        assert Policy.loads(row.snapshot) == COMPLAINT_BREACH_POLICY and row.policy_version == 0

        stored = store.set_policy(db, None, COMPLAINT_BREACH_KEY, TO_THE_SP, by="os:test")
        assert stored.version == 1 and not stored.inherited
        after = _complaint(db, "b-2", posted + timedelta(minutes=1))
        clock.now += timedelta(minutes=1)
        assert sweep(db, SLA, clock.now).breached == 1
        row = _row(db, after)
        assert Policy.loads(row.snapshot) == Policy.from_json(TO_THE_SP) and row.policy_version == 1
        assert Policy.loads(_row(db, before).snapshot) == COMPLAINT_BREACH_POLICY  # the running one kept its own

        clock.now += timedelta(minutes=1)
        runner.tick()
        sent = [str(r.body) for r in gateway.requests]
        assert len(sent) == 2, sent  # one SMS per breach, each to its own policy's first contact
        assert sum(HQ_DUTY_PHONE in body for body in sent) == 1 and sum(SP_PHONE in body for body in sent) == 1
        clock.now += timedelta(minutes=5)
        runner.tick()
        assert len(gateway.requests) == 2  # the stored policy's wait
        clock.now += timedelta(minutes=6)
        runner.tick()
        sent = [str(r.body) for r in gateway.requests]
        assert len(sent) == 3 and HQ_DUTY_PHONE in sent[2]  # then its second step
        clock.now += timedelta(minutes=30)
        runner.tick()
        assert len(gateway.requests) == 3
        with db.reader() as conn:
            audits = [r for r in conn.execute(select(audit)) if r.action == "escalation_policy_set"]
        assert [json.loads(a.detail)["district"] for a in audits] == [COMPLAINT_BREACH_KEY]
    finally:
        gw.close()


def test_bad_breach_policies_are_refused_with_a_reason(
    server: HQServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = server.login("admin")
    url = f"{API}/escalation/policies/{COMPLAINT_BREACH_KEY}"
    got = admin.http.get(url)
    assert got.status_code == 200 and got.json()["inherited"] is True
    assert got.json()["policy"] == COMPLAINT_BREACH_POLICY.to_json()
    siren = {"steps": [{"action": "alarm_hq"}, {"action": "notify", "roles": ["hq_duty"], "channels": ["sms"]}]}
    r = admin.http.put(url, json={"policy": siren})
    assert 400 <= r.status_code < 500 and "only notifies" in r.text
    nobody = {"steps": [{"action": "notify", "roles": ["nobody"], "channels": ["sms"]}]}
    r = admin.http.put(url, json={"policy": nobody})
    assert 400 <= r.status_code < 500 and "must be one of" in r.text
    operator = server.login("hq")
    assert operator.http.put(url, json={"policy": TO_THE_SP}).status_code == 403
    assert operator.http.get(url).status_code == 200  # HQ's roles read it
    ok = admin.http.put(url, json={"policy": TO_THE_SP})
    assert ok.status_code == 200 and ok.json()["version"] == 1

    def cli(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return hq_main(["admin", "--db", server.db_url, "escalation", *args])

    assert cli("show", COMPLAINT_BREACH_KEY) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 1 and shown["policy"]["steps"] == TO_THE_SP["steps"]
    assert cli("set", COMPLAINT_BREACH_KEY, "-", stdin="{not json") == 1
    assert "not JSON" in capsys.readouterr().err
    assert cli("set", COMPLAINT_BREACH_KEY, "-", stdin=json.dumps(siren)) == 1
    assert "only notifies" in capsys.readouterr().err
    assert cli("set", COMPLAINT_BREACH_KEY, "-", stdin='{"steps": [{"action": "wait", "minutes": 5}]}') == 1
    assert "does nothing" in capsys.readouterr().err
    assert cli("set", COMPLAINT_BREACH_KEY, "-", stdin=json.dumps(COMPLAINT_BREACH_POLICY.to_json())) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 2
    db = server.database()
    try:  # no district can take the breach policy's key
        with pytest.raises(AdminError, match="cannot start with"):
            admin_ops.create_district(db, COMPLAINT_BREACH_KEY, "Not a district")
    finally:
        db.dispose()
