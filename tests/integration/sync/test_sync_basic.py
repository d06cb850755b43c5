"""The engine against the real HQ with a healthy link: both directions, status, callbacks, login."""

from __future__ import annotations

from pathlib import Path

from core.events import EventType
from sync import ConnectionState
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import Workstation, add_operator, hq_event_table, wait_converged, wait_until


def test_case_reaches_both_consoles_and_their_actions_reach_hq_and_each_other(
    hq_server: HQServer, tmp_path: Path
) -> None:
    add_operator(hq_server, "demo2")
    a = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    b = Workstation.create(tmp_path / "b", hq_server.url, "demo2")
    try:
        wait_until(lambda: a.engine.status.state is ConnectionState.ONLINE, what="A online")
        case_id = hq_server.intake("LKO")
        wait_until(lambda: a.has_case(case_id) and b.has_case(case_id), 10, "case delivered by long poll")
        ack = a.act(case_id, EventType.ACKNOWLEDGED, {})
        note = b.note(case_id, "spoke to the family")
        wait_converged(hq_server, a, b)
        hq = hq_event_table(hq_server)
        assert ack.id in hq and note.id in hq
        assert any(case_id in ids for ids in a.changed)
        status = a.engine.status
        assert status.pending == 0 and status.rejected == 0
        assert status.epoch == hq_server.epoch and status.cursor > 0 and status.last_sync_at
        assert status.clock_skew_s is None
        assert ConnectionState.ONLINE in {s.state for s in a.statuses}
    finally:
        a.close()
        b.close()


def test_run_once_without_threads(hq_server: HQServer, tmp_path: Path) -> None:
    a = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        case_id = hq_server.intake("LKO")
        status = a.engine.run_once()
        assert status.state is ConnectionState.ONLINE, status
        assert a.has_case(case_id)
        a.act(case_id, EventType.ACKNOWLEDGED, {})
        assert a.engine.status.pending == 1
        status = a.engine.run_once()
        assert status.pending == 0 and status.last_error is None
        wait_converged(hq_server, a, timeout_s=1)
    finally:
        a.close()
