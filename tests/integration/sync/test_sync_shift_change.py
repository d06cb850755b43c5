"""Shift change on one console: operator A's offline work reaches HQ after operator B signs in.

One workstation (one store, one device id), two operators of one district. A records an outcome
while the link is down and goes off shift (logs out); the link comes back; B logs in on the same
console. The engine pushes A's pending events with B's token: HQ must store them once, with A as
author, and quarantine nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.events import EventType
from hq.schema import events as hq_events
from sync import ConnectionState
from tests.fixtures.faultproxy import FaultProxy
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import (
    Workstation,
    add_operator,
    assert_converged,
    hq_event_table,
    wait_converged,
    wait_until,
)


def _stored(server: HQServer, event_ids: set[str]) -> list[tuple[str, str, str]]:
    """(id, author_id, device_id) of these events as HQ stores them."""
    db = server.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(hq_events.c.id, hq_events.c.author_id, hq_events.c.device_id).where(
                    hq_events.c.id.in_(event_ids)
                )
            ).all()
    finally:
        db.dispose()
    return sorted((r.id, r.author_id, r.device_id) for r in rows)


def test_operator_a_offline_work_reaches_hq_after_operator_b_logs_in(
    hq_server: HQServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    password_b = add_operator(hq_server, "demo2")
    ws = Workstation.create(tmp_path / "console", proxy.url, "demo")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: ws.has_case(case_id), 15, "case delivered")
        user_a = ws.session.user
        assert user_a is not None and user_a.username == "demo"

        proxy.blackhole()
        made = [
            ws.act(case_id, EventType.ACKNOWLEDGED, {}),
            ws.act(case_id, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled", "detail": "talked to him"}),
            ws.note(case_id, "written offline by A"),
        ]
        wait_until(lambda: ws.engine.status.state is ConnectionState.OFFLINE, 20, "the console to notice the cut")
        assert ws.counts() == (3, 0)

        # End of A's shift: A logs out. The link comes back; nothing can go out without a login.
        ws.session.logout()
        proxy.restore()
        wait_until(lambda: ws.engine.status.state is ConnectionState.LOGIN_REQUIRED, 20, "login required")
        assert ws.counts() == (3, 0)
        assert not set(hq_event_table(hq_server)) & {e.id for e in made}

        user_b = ws.session.login(proxy.url, "demo2", password_b, ws.store.device_id, "console")
        assert user_b.id != user_a.id
        from_b = ws.note(case_id, "B takes over")
        wait_converged(hq_server, ws)
        assert_converged(hq_server, ws, created={e.id for e in [*made, from_b]})
        assert ws.engine.status.rejected == 0 and ws.engine.status.rejected_reasons == []

        device = ws.store.device_id
        assert _stored(hq_server, {e.id for e in [*made, from_b]}) == sorted(
            [(e.id, user_a.id, device) for e in made] + [(from_b.id, user_b.id, device)]
        )
        on_behalf = [x for d in hq_server.push_audits("demo2") for x in d.get("on_behalf_of", [])]
        assert {x["user_id"] for x in on_behalf} == {user_a.id}
        assert sorted(i for x in on_behalf for i in x["event_ids"]) == sorted(e.id for e in made)
    finally:
        ws.close()
