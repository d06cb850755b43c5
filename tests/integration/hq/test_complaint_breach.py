"""A complaint's missed deadline escalates to the supervisor through HQ's escalation engine: on a
fake clock a mention breaches at 120 minutes and the supervisor's SMS (a gateway simulator on
loopback) receives exactly one notice; later sweeps send nothing more; a failing hook rolls the
breach back and the next sweep records and sends it once. HQ on SQLite and PostgreSQL, started
for real so its start-up registers the hook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select

from core.events import EventType, ItemKind, Source
from core.fold import fold
from core.sla import Mark, SlaPolicy
from hq.channels.gateway import Gateway, GatewayConfig, SmsChannel
from hq.complaints import sweep as sweep_module
from hq.complaints.sweep import on_breach, remove_breach_hook, sweep
from hq.complaints.take import IncomingItem, take_item
from hq.db import Database
from hq.escalation import store
from hq.escalation.complaint_breach import COMPLAINT_BREACH, escalate_breach
from hq.escalation.runner import EscalationRunner
from hq.feed import case_history
from hq.schema import escalations
from tests.fixtures.gateway_sim import GatewaySim
from tests.fixtures.hq import HQFactory

POLICY = SlaPolicy()


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
def db(hq_factory: HQFactory, backend: str) -> Iterator[Database]:
    server = hq_factory(backend)  # started: its lifespan registers the breach hook
    database = server.database()
    store.add_contact(database, "*", "hq_duty", "Social media desk supervisor", phone="9000000301")
    yield database
    database.dispose()


def _mention(db: Database, platform_id: str, posted: datetime) -> str:
    item = IncomingItem(Source.X, ItemKind.MENTION, platform_id, posted, "@police my phone was snatched",
                        author_id="77", author_handle="citizen77")  # fmt: skip
    return take_item(db, item, now=posted + timedelta(minutes=1)).case_id


def _escalated(db: Database, case_id: str) -> list[dict[str, Any]]:
    with db.reader() as conn:
        return [dict(e.payload) for e in case_history(conn, case_id) if e.type is EventType.ESCALATED]


def _rows(db: Database) -> list[Any]:
    with db.reader() as conn:
        return list(conn.execute(select(escalations).where(escalations.c.trigger == COMPLAINT_BREACH)))


def _types(db: Database, case_id: str) -> list[str]:
    with db.reader() as conn:
        return [str(e.type) for e in case_history(conn, case_id)]


def test_breach_notifies_the_supervisor_once(db: Database, gateway: GatewaySim) -> None:
    assert escalate_breach in sweep_module._BREACH_HOOKS  # registered by HQ's start-up
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    case_id = _mention(db, "m-1", posted)
    clock = FakeClock(posted + timedelta(minutes=90))
    gw = Gateway(GatewayConfig(gateway.url, "sid", "token", timeout_s=2.0, retries=1, backoff_s=0.01))
    runner = EscalationRunner(db, {"sms": SmsChannel(gw)}, worker_id="t1", clock=clock)
    try:
        assert sweep(db, POLICY, clock.now).warned == 1
        runner.tick()
        assert _rows(db) == [] and gateway.requests == []  # a warning escalates nothing

        clock.now = posted + timedelta(minutes=120)
        assert sweep(db, POLICY, clock.now).breached == 1
        [row] = _rows(db)
        assert row.case_id == case_id and row.tier == "hq" and row.assignment.startswith("first_response@")
        clock.now += timedelta(minutes=1)
        runner.tick()
        assert len(gateway.requests) == 1
        text = gateway.requests[0].body
        assert "first response" in str(text) and "citizen77" not in str(text)  # no handle in a notice
        sent, mail = _escalated(db, case_id)  # SMS sent; e-mail has no channel configured here
        assert mail["channel"] == "email" and mail["result"] == "not_configured"
        assert sent["trigger"] == COMPLAINT_BREACH and sent["channel"] == "sms" and sent["result"] == "sent"
        assert sent["tier"] == "hq" and "realarm" not in sent
        with db.reader() as conn:
            state = fold(case_id, case_history(conn, case_id))
        assert not state.needs_alarm and not state.hq_needs_alarm  # never a siren

        for minute in (122, 135, 200):  # further sweeps and ticks: nothing more
            clock.now = posted + timedelta(minutes=minute)
            sweep(db, POLICY, clock.now)
            runner.tick()
        assert len(gateway.requests) == 1 and len(_rows(db)) == 1 and len(_escalated(db, case_id)) == 2
        assert _types(db, case_id).count("sla_breached") == 1
    finally:
        gw.close()


def test_hook_failure_rolls_back_and_the_next_sweep_sends_once(db: Database, gateway: GatewaySim) -> None:
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    case_id = _mention(db, "m-2", posted)
    clock = FakeClock(posted + timedelta(minutes=121))
    gw = Gateway(GatewayConfig(gateway.url, "sid", "token", timeout_s=2.0, retries=1, backoff_s=0.01))
    runner = EscalationRunner(db, {"sms": SmsChannel(gw)}, worker_id="t2", clock=clock)

    def fail(conn: Connection, cid: str, mark: Mark) -> None:
        raise RuntimeError("hook failed after the escalation row was written")

    fails: Callable[[Connection, str, Mark], None] = on_breach(fail)  # runs after the escalation hook
    try:
        with pytest.raises(RuntimeError):
            sweep(db, POLICY, clock.now)
    finally:
        remove_breach_hook(fails)
    assert "sla_breached" not in _types(db, case_id) and _rows(db) == []  # both rolled back
    runner.tick()
    assert gateway.requests == []
    seen: list[Mark] = []

    def record(conn: Connection, cid: str, mark: Mark) -> None:
        seen.append(mark)

    on_breach(record)
    try:
        clock.now += timedelta(minutes=1)
        assert sweep(db, POLICY, clock.now).breached == 1
        runner.tick()
        sweep(db, POLICY, clock.now + timedelta(minutes=30))
        runner.tick()
        assert len(gateway.requests) == 1 and len(_rows(db)) == 1
        [mark] = seen
        with db.writer() as conn:  # the hook itself is idempotent on (case, deadline, start)
            escalate_breach(conn, case_id, mark)
        assert len(_rows(db)) == 1
    finally:
        remove_breach_hook(record)
        gw.close()
