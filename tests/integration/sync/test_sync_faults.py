"""Faults on the link and at HQ. Every test ends with client and HQ holding the same events, each
event created on a client stored at HQ exactly once, and nothing pending."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import delete

from core.events import EventType
from hq.schema import refresh_tokens
from sync import ConnectionState
from tests.fixtures.faultproxy import Fault, FaultProxy
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import (
    Workstation,
    add_operator,
    assert_converged,
    hq_event_table,
    wait_converged,
    wait_until,
)

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"


def _own_ids(ws: Workstation, events: list) -> set[str]:  # type: ignore[type-arg]
    return {e.id for e in events}


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("drop_reply", PUSH),  # HQ committed, the reply never came: the retry must not double anything
        ("duplicate", PUSH),  # the request reached HQ twice, one after the other
        ("duplicate_concurrent", PUSH),  # ... and at the same moment
        ("reset_request", PUSH),  # cut mid-request: HQ saw half a request
        ("hang_reply", PUSH),  # HQ committed, the link went silent: the read timeout must end it
        ("drop_reply", PULL),  # a page lost after HQ sent it
        ("duplicate", PULL),
        ("reset_request", PULL),
    ],
)
def test_request_faults(hq_server: HQServer, proxy: FaultProxy, tmp_path: Path, kind: str, path: str) -> None:
    case_id = hq_server.intake("LKO")
    ws = Workstation.create(tmp_path / "a", proxy.url, "demo", http_timeout_s=2.0)
    try:
        wait_until(lambda: ws.has_case(case_id), 15, "case delivered")
        fault = proxy.add_fault(Fault(kind, path_prefix=path, times=1))
        if path == PULL:
            hq_server.intake("LKO")  # something new for the faulty pull to carry
        made = [ws.act(case_id, EventType.ACKNOWLEDGED, {}, notify=False)]
        made += [ws.note(case_id, f"note {i}", notify=False) for i in range(3)]
        ws.engine.notify_local_change()
        wait_until(lambda: fault.fired == 1, 15, f"{kind} to fire")
        wait_converged(hq_server, ws, timeout_s=30)
        assert_converged(hq_server, ws, created=_own_ids(ws, made))
        if kind.startswith("duplicate"):
            wait_until(lambda: proxy.extra_deliveries == 1, 15, "the second copy to reach HQ")
    finally:
        ws.close()


def test_link_cut_then_restored_syncs_both_ways_without_user_action(
    hq_server: HQServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    add_operator(hq_server, "demo2")
    a = Workstation.create(tmp_path / "a", proxy.url, "demo")
    b = Workstation.create(tmp_path / "b", hq_server.url, "demo2")  # B keeps its link
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: a.has_case(case_id) and b.has_case(case_id), 15, "case delivered")
        proxy.blackhole()
        made = [a.act(case_id, EventType.ACKNOWLEDGED, {}), a.note(case_id, "offline note")]
        from_b = b.note(case_id, "written while A is cut off")
        new_case = hq_server.intake("LKO")
        wait_until(lambda: a.engine.status.state is ConnectionState.OFFLINE, 20, "A to notice it is offline")
        assert a.counts()[0] == 2  # still in the outbox, nothing lost
        proxy.restore()
        wait_converged(hq_server, a, b, timeout_s=30)
        assert a.has_case(new_case) and from_b.id in a.events()
        assert_converged(hq_server, a, b, created=_own_ids(a, made) | {from_b.id})
    finally:
        a.close()
        b.close()


def test_slow_link(hq_server: HQServer, proxy: FaultProxy, tmp_path: Path) -> None:
    proxy.delay_s = 0.3
    ws = Workstation.create(tmp_path / "a", proxy.url, "demo")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: ws.has_case(case_id), 20, "case delivered over a slow link")
        made = [ws.act(case_id, EventType.ACKNOWLEDGED, {})] + [ws.note(case_id) for _ in range(3)]
        wait_converged(hq_server, ws, timeout_s=30)
        assert_converged(hq_server, ws, created=_own_ids(ws, made))
    finally:
        ws.close()


def test_hq_restarted_mid_sync(hq_server: HQServer, tmp_path: Path) -> None:
    add_operator(hq_server, "demo2")
    a = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    b = Workstation.create(tmp_path / "b", hq_server.url, "demo2")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: a.has_case(case_id) and b.has_case(case_id), 15, "case delivered")
        made: list = []  # type: ignore[type-arg]
        stop = threading.Event()

        def keep_writing(ws: Workstation) -> None:
            while not stop.is_set():
                made.append(ws.note(case_id))
                time.sleep(0.03)

        writers = [threading.Thread(target=keep_writing, args=(w,)) for w in (a, b)]
        for w in writers:
            w.start()
        time.sleep(0.5)
        hq_server.stop()
        time.sleep(1.0)
        hq_server.start()
        time.sleep(0.5)
        stop.set()
        for w in writers:
            w.join()
        wait_converged(hq_server, a, b, timeout_s=30)
        assert_converged(hq_server, a, b, created={e.id for e in made})
        assert len(made) > 20
    finally:
        a.close()
        b.close()


def test_hq_restored_from_an_older_backup(hq_server: HQServer, tmp_path: Path) -> None:
    """New epoch: clients pull from the start and push again everything HQ lost."""
    add_operator(hq_server, "demo2")
    a = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    b = Workstation.create(tmp_path / "b", hq_server.url, "demo2")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: a.has_case(case_id) and b.has_case(case_id), 15, "case delivered")
        early = [a.act(case_id, EventType.ACKNOWLEDGED, {})]
        wait_converged(hq_server, a, b)
        old_epoch = hq_server.epoch
        snapshot = hq_server.backup()
        late = [a.note(case_id, "after the backup"), b.note(case_id, "also after the backup")]
        wait_converged(hq_server, a, b)
        with sqlite3.connect(snapshot.path) as old:
            in_backup = {r[0] for r in old.execute("SELECT id FROM events")}
        assert early[0].id in in_backup and not {e.id for e in late} & in_backup  # the restore loses them
        hq_server.restore(snapshot)
        assert hq_server.epoch != old_epoch
        wait_until(lambda: a.engine.status.epoch == hq_server.epoch, 20, "A to see the new epoch")
        wait_converged(hq_server, a, b, timeout_s=30)
        assert_converged(hq_server, a, b, created={e.id for e in early + late})
        assert b.engine.status.epoch == hq_server.epoch
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("offset_days", [2, -2])
def test_client_clock_two_days_off(hq_server: HQServer, tmp_path: Path, offset_days: int) -> None:
    add_operator(hq_server, "demo2")
    skewed = Workstation.create(tmp_path / "skewed", hq_server.url, "demo", wall_offset_s=offset_days * 86400)
    good = Workstation.create(tmp_path / "good", hq_server.url, "demo2")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: skewed.has_case(case_id) and good.has_case(case_id), 15, "case delivered")
        made = [skewed.act(case_id, EventType.ACKNOWLEDGED, {}), good.note(case_id, "after the skewed ack")]
        made.append(skewed.note(case_id, "skewed note"))
        wait_converged(hq_server, skewed, good, timeout_s=30)
        assert_converged(hq_server, skewed, good, created={e.id for e in made})
        skew = skewed.engine.status.clock_skew_s
        assert skew is not None and abs(skew + offset_days * 86400) < 60
        assert good.engine.status.clock_skew_s is None
        # Both replicas fold the same history to the same state (HLC order, not wall clocks).
        with skewed.store.reader() as u1, good.store.reader() as u2:
            assert u1.cases.state(case_id) == u2.cases.state(case_id)
    finally:
        skewed.close()
        good.close()


def test_wake_from_sleep_frees_a_long_poll_stuck_on_a_dead_connection(
    hq_server: HQServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    """After a suspend the long poll's connection is dead but nothing reports it; the wall clock jump
    must make the engine sync at once instead of waiting out the read timeout (40 s here)."""
    ws = Workstation.create(
        tmp_path / "a", proxy.url, "demo", long_poll_wait_s=30, http_timeout_s=10.0, heartbeat_interval_s=600
    )
    try:
        first = hq_server.intake("LKO")
        wait_until(lambda: ws.has_case(first), 15, "case delivered")
        time.sleep(0.5)  # the pull loop is now inside a long poll
        proxy.blackhole()
        proxy.restore()  # the open long poll is now dead; new connections work
        second = hq_server.intake("LKO")
        time.sleep(1.0)
        assert not ws.has_case(second)  # the dead long poll hides it
        ws.wall_offset_s += 3600  # the machine "slept" an hour
        wait_until(lambda: ws.has_case(second), 8, "the case after the wake-up")
    finally:
        ws.close()


def test_login_lost_then_restored(hq_server: HQServer, tmp_path: Path) -> None:
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: ws.has_case(case_id), 15, "case delivered")
        db = hq_server.database()
        try:
            with db.writer() as conn:
                conn.execute(delete(refresh_tokens))
        finally:
            db.dispose()
        ws.session._access_expires_wall = 0.0  # the access token has run out
        made = ws.act(case_id, EventType.ACKNOWLEDGED, {})
        wait_until(lambda: ws.engine.status.state is ConnectionState.LOGIN_REQUIRED, 15, "login required")
        time.sleep(1.0)
        assert len(ws.login_required) == 1  # told once, not on every retry
        assert ws.counts()[0] == 1  # the acknowledgement waits safely
        ws.session.login(hq_server.url, "demo", ws.password, ws.session.device_id, "console a")
        wait_converged(hq_server, ws, timeout_s=20)
        assert made.id in hq_event_table(hq_server)
        assert ws.engine.status.state is not ConnectionState.LOGIN_REQUIRED
    finally:
        ws.close()
