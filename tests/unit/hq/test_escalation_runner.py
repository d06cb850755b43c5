"""The runner's step selection driven by a fake clock, on a real SQLite HQ database (no server, no
sleeping): waits held to the minute, a console that stops beating makes the district silent, an
acknowledgement stops the rest, and acknowledged-not-dispatched starts the dispatch-overdue chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.commands import decide
from core.events import Author, EventType, Tier, iso
from core.hlc import HybridClock
from hq.db import Database
from hq.demo import DEMO_INTAKE, synthetic_alert
from hq.escalation import store
from hq.escalation.runner import EscalationRunner
from hq.feed import Batch, case_history, load_cases
from hq.intake import assign, intake
from hq.principals import Principal, Role
from hq.schema import devices, escalations, users
from tests.fixtures.hq import HQFactory

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
POLICY: dict[str, Any] = {
    "steps": [
        {"action": "wait", "minutes": 5},
        {"action": "realarm_district"},
        {"action": "wait", "minutes": 3},
        {"action": "alarm_hq"},
        {"action": "notify", "roles": ["sho"], "channels": ["sms"]},
    ],
    "dispatch_overdue_min": 10,
}


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(hq_factory: HQFactory) -> Iterator[Database]:
    server = hq_factory("sqlite", start=False)
    database = Database(server.db_url, pool_size=2)
    store.set_policy(database, None, "LKO", POLICY, by="test")
    yield database
    database.dispose()


def _console(db: Database, now: datetime, ok: bool = True) -> None:
    """The LKO console's heartbeat at ``now`` (audio working or not)."""
    with db.transaction() as conn:
        user = conn.execute(select(users.c.id).where(users.c.username == "demo")).scalar_one()
        conn.execute(devices.delete().where(devices.c.id == "lko-1"))
        conn.execute(
            devices.insert().values(
                id="lko-1", name="LKO 1", user_id=user, first_seen=iso(now), last_seen=iso(now),
                audio='{"ok": %s}' % ("true" if ok else "false"),
            )
        )  # fmt: skip


def _case(db: Database) -> str:
    body = synthetic_alert(district="LKO")
    body["police_station"] = "HAZ"
    return intake(db, DEMO_INTAKE, body).case_id


def _district_event(db: Database, case_id: str, etype: EventType, payload: dict[str, Any], now: datetime) -> None:
    """An LKO operator's event as HQ stores a pushed one."""
    author = Author("u-lko", "LKO Operator", Tier.DISTRICT)
    with db.writer() as conn:
        history = case_history(conn, case_id)
        event = decide(case_id=case_id, history=history, etype=etype, payload=payload, author=author,
                       clock=HybridClock("lko-1", last=max(e.hlc for e in history)), now=now)  # fmt: skip
        batch = Batch.open(conn)
        batch.add(event, load_cases(conn, [case_id])[case_id])
        batch.flush(db)


def _steps(db: Database, case_id: str) -> list[dict[str, Any]]:
    with db.reader() as conn:
        return [dict(e.payload) for e in case_history(conn, case_id) if e.type is EventType.ESCALATED]


def _at(runner: EscalationRunner, clock: FakeClock, db: Database, minutes: float, *, beat: bool = True) -> None:
    clock.now = T0 + timedelta(minutes=minutes)
    if beat:
        _console(db, clock.now)
    runner.tick()


def test_waits_are_held_and_steps_run_in_order(db: Database) -> None:
    clock = FakeClock()
    _console(db, T0)
    case_id = _case(db)
    runner = EscalationRunner(db, {}, clock=clock)
    _at(runner, clock, db, 0)
    _at(runner, clock, db, 4.9)
    assert _steps(db, case_id) == []
    _at(runner, clock, db, 5)
    assert [p["action"] for p in _steps(db, case_id)] == ["realarm_district"]
    _at(runner, clock, db, 7.9)
    assert len(_steps(db, case_id)) == 1
    _at(runner, clock, db, 8)  # alarm_hq, and the notify step right after it in the same tick (no wait)
    steps = _steps(db, case_id)
    assert [(p["step"], p["action"]) for p in steps] == [(1, "realarm_district"), (2, "alarm_hq"), (3, "notify")]
    # No SHO contact and no SMS channel: recorded, not silently dropped.
    assert steps[2]["result"] == "skipped" and steps[2]["target"] == "sho"
    _at(runner, clock, db, 60)
    assert len(_steps(db, case_id)) == 3


def test_a_console_that_stops_beating_makes_the_district_silent(db: Database) -> None:
    clock = FakeClock()
    _console(db, T0)
    case_id = _case(db)
    runner = EscalationRunner(db, {}, clock=clock)
    _at(runner, clock, db, 0)
    _at(runner, clock, db, 1)
    assert _steps(db, case_id) == []
    _at(runner, clock, db, 4.5, beat=False)  # last heard 3.5 minutes ago: offline, so silent
    # The whole first round at once: neither its 5- nor its 3-minute wait.
    assert [p["action"] for p in _steps(db, case_id)] == ["realarm_district", "alarm_hq", "notify"]
    assert "can sound" in _steps(db, case_id)[0]["reason"]


def test_an_acknowledgement_stops_it_and_a_late_dispatch_escalates_again(db: Database) -> None:
    clock = FakeClock()
    _console(db, T0)
    case_id = _case(db)
    runner = EscalationRunner(db, {}, clock=clock)
    _at(runner, clock, db, 0)
    _at(runner, clock, db, 5)
    _district_event(db, case_id, EventType.ACKNOWLEDGED, {"district": "LKO"}, T0 + timedelta(minutes=6))
    _at(runner, clock, db, 6)
    steps = _steps(db, case_id)
    assert [p["result"] for p in steps] == ["sent", "stopped"] and "acknowledged by LKO Operator" in steps[1]["reason"]
    _at(runner, clock, db, 21)  # acknowledged at 6 min; M = 10 min, then the chain's own 5-minute wait
    overdue = [p for p in _steps(db, case_id) if p["trigger"] == "dispatch_overdue"]
    assert [p["action"] for p in overdue] == ["realarm_district"]
    assert "acknowledged, not dispatched" in overdue[0]["reason"]


def test_every_assignment_starts_its_own_escalation(db: Database) -> None:
    clock = FakeClock()
    _console(db, T0)
    case_id = _case(db)
    runner = EscalationRunner(db, {}, clock=clock)
    hq_operator = Principal(actor="u-hq", display_name="HQ Operator", role=Role.HQ_OPERATOR)
    _at(runner, clock, db, 0)
    assign(db, hq_operator, case_id, "KNP", None)
    _at(runner, clock, db, 1)
    assign(db, hq_operator, case_id, "LKO", "HAZ")  # back where it started: escalated afresh
    _at(runner, clock, db, 2)
    with db.reader() as conn:
        rows = conn.execute(select(escalations).order_by(escalations.c.started_at)).all()
    assert [(r.district, r.status) for r in rows] == [("LKO", "stopped"), ("KNP", "stopped"), ("LKO", "running")]
    assert "reassigned to KNP" in str(rows[0].stop_reason)
    # KNP has no console that can sound: its escalation ran its first round at once, then stopped.
    knp = [p for p in _steps(db, case_id) if p["escalation_id"] == rows[1].id]
    # (KNP has no policy of its own: the state-wide default, whose notify steps find no contacts.)
    assert [p["action"] for p in knp][:3] == ["realarm_district", "alarm_hq", "notify"]
    assert {p["round"] for p in knp} == {1, 2} and [p["round"] for p in knp].count(2) == 1
    assert knp[-1]["result"] == "stopped" and "reassigned to LKO" in knp[-1]["reason"]
    _at(runner, clock, db, 6.9)
    assert not [p for p in _steps(db, case_id) if p["escalation_id"] == rows[2].id]
    _at(runner, clock, db, 7)  # five minutes after the case came back to LKO
    lko = [p for p in _steps(db, case_id) if p["escalation_id"] == rows[2].id]
    assert [(p["action"], p["target"]) for p in lko] == [("realarm_district", "LKO")]
