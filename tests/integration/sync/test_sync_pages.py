"""Pull pages against the real HQ: a page and its cursor land together or not at all."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from core.events import EventType
from sync.errors import HQUnreachable, ProtocolError
from sync.wire import PullReply
from tests.fixtures.hq import API, HQServer
from tests.integration.sync.sync_harness import SeenStore, Workstation, wait_converged, wait_until


def _snapshot(ws: Workstation) -> tuple[int, str | None, dict[str, tuple[str, int | None]]]:
    with ws.store.reader() as uow:
        return uow.meta.cursor, uow.meta.epoch, ws.events()


def test_repeated_and_out_of_order_pages_change_nothing(hq_server: HQServer, tmp_path: Path) -> None:
    for _ in range(3):
        hq_server.intake("LKO")  # 3 cases x (created, assigned) = 6 feed items
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        client, engine = ws.session.client, ws.engine
        first: PullReply = ws.session.call(lambda t: client.pull(t, 0, limit=2))
        second: PullReply = ws.session.call(lambda t: client.pull(t, first.cursor, limit=2))
        assert first.has_more and second.items
        now = time.time()

        before = _snapshot(ws)
        engine.pull.apply_page(second, first.cursor, None, now)  # out of order: asked at a cursor we are not at
        assert _snapshot(ws) == before

        engine.pull.apply_page(first, 0, None, now)
        after_first = _snapshot(ws)
        assert after_first[0] == first.cursor and after_first[1] == first.epoch and len(after_first[2]) == 2
        engine.pull.apply_page(first, 0, None, now)  # the same page again (a duplicated reply)
        engine.pull.apply_page(first, 0, first.epoch, now)
        assert _snapshot(ws) == after_first

        engine.pull.apply_page(second, first.cursor, first.epoch, now)
        assert _snapshot(ws)[0] == second.cursor and len(_snapshot(ws)[2]) == 4

        backwards = PullReply(second.epoch, second.server_time, first.cursor, False, second.items)
        before = _snapshot(ws)
        with pytest.raises(ProtocolError):
            engine.pull.apply_page(backwards, second.cursor, second.epoch, now)
        assert _snapshot(ws) == before  # a bad page leaves no trace

        ws.engine.run_once()
        wait_converged(hq_server, ws, timeout_s=5)
    finally:
        ws.close()


def test_case_moved_to_another_district_is_purged_here(hq_server: HQServer, tmp_path: Path) -> None:
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    hq_op = hq_server.login("hq")
    try:
        case_id = hq_server.intake("LKO")
        wait_until(lambda: ws.has_case(case_id), 15, "case delivered")
        ws.act(case_id, EventType.ACKNOWLEDGED, {})
        wait_until(lambda: ws.synced(), 15, "acknowledgement pushed")
        r = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "KNP"})
        r.raise_for_status()
        wait_until(lambda: case_id not in ws.cases(), 15, "the case to leave this console's queue")
        with ws.store.reader() as uow:
            assert uow.events.history(case_id) == []  # personal data gone from this workstation
        assert any(case_id in ids for ids in ws.changed)
        # Back to this district: the whole history is delivered again.
        hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": "LKO"}).raise_for_status()
        wait_until(lambda: case_id in ws.cases(), 15, "the case to come back")
        with ws.store.reader() as uow:
            state = uow.cases.state(case_id)
        assert state is not None and state.acknowledged_at is not None and state.district == "LKO"
    finally:
        ws.close()


def test_catch_up_over_many_pages_with_prefetch(hq_server: HQServer, tmp_path: Path) -> None:
    """Small pages force many back-to-back pages, each fetched while the previous one is applied;
    a console writing meanwhile and a second catch-up must not disturb the result."""
    made = [hq_server.intake("LKO") for _ in range(12)]
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        ws.engine.pull_page_limit = 5
        status = ws.engine.run_once()
        assert status.last_error is None
        assert set(made) <= ws.cases()
        ws.note(made[0], "while others arrive")
        more = [hq_server.intake("LKO") for _ in range(4)]
        ws.engine.start()  # the pull loop catches up the same way
        wait_until(lambda: set(more) <= ws.cases(), 15, "the later cases")
        wait_converged(hq_server, ws, timeout_s=15)
    finally:
        ws.close()


def test_catch_up_shares_units_of_work_and_keeps_what_it_applied(
    hq_server: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While catching up, consecutive pages go into one unit of work (fewer commits), bounded by
    ``CATCH_UP_TX_EVENTS``; when a fetch fails mid-way, the pages already applied are committed with
    their cursor, and the next catch-up continues from there to the same end state."""
    import sync.pull as engine_module

    made = [hq_server.intake("LKO") for _ in range(10)]  # 10 x (created, assigned) = 20 feed items
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        engine = ws.engine
        engine.pull_page_limit = 2
        monkeypatch.setattr(engine_module, "CATCH_UP_TX_EVENTS", 6)  # three pages per unit of work
        monkeypatch.setattr(engine_module, "CATCH_UP_TX_S", 60.0)  # only the event bound, however slow CI is
        commits: list[int] = []

        def counting_unit(background: bool) -> Any:
            class Counted:
                def __enter__(self) -> Any:
                    self.cm = ws.store.unit_of_work(background=background)
                    uow = self.cm.__enter__()
                    real_commit = uow.commit

                    def commit() -> None:
                        real_commit()
                        commits.append(uow.meta.cursor)

                    uow.commit = commit  # type: ignore[method-assign]
                    return uow

                def __exit__(self, *exc: Any) -> Any:
                    return self.cm.__exit__(*exc)

            return Counted()

        monkeypatch.setattr(engine.pull, "store", SeenStore(ws.store, counting_unit))
        real_fetch_raw = engine._fetch_raw  # every page request goes through it
        calls = {"n": 0}

        def flaky_fetch_raw(cursor: int, wait_s: float) -> Any:
            calls["n"] += 1
            if calls["n"] == 5:  # the 5th page (fetched ahead while pages 2-4 are applied) fails
                raise HQUnreachable("link cut mid-catch-up")
            return real_fetch_raw(cursor, wait_s)

        monkeypatch.setattr(engine, "_fetch_raw", flaky_fetch_raw)
        with pytest.raises(HQUnreachable):
            engine.pull.until_caught_up()
        # page 1 alone (it adopts HQ's epoch), pages 2-4 together, then page 5 failed: nothing lost
        assert len(commits) == 2
        cursor_after_failure, _, events = _snapshot(ws)
        assert cursor_after_failure == commits[-1] > 0
        assert len(events) == 8, (commits, calls)  # four pages of two items, stored with their cursor

        monkeypatch.setattr(engine, "_fetch_raw", real_fetch_raw)
        commits.clear()
        engine.pull.until_caught_up()
        assert set(made) <= ws.cases()
        assert len(commits) < 20 / 2 - 4  # fewer commits than the remaining pages
        wait_converged(hq_server, ws, timeout_s=15)
    finally:
        ws.close()


def test_catch_up_yields_the_write_lock_to_an_operator(
    hq_server: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's write lock has no queue: while an operator's write is open (``LocalStore.writers``),
    the catch-up ends its unit of work after each page instead of batching; once the operator is done
    it batches again. Deterministic: counts units of work, not milliseconds."""
    import sync.pull as engine_module

    for _ in range(8):
        hq_server.intake("LKO")  # 16 feed items
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        engine = ws.engine
        engine.pull_page_limit = 2
        monkeypatch.setattr(engine_module, "CATCH_UP_TX_S", 60.0)
        monkeypatch.setattr(engine_module, "WRITER_YIELD_MAX_S", 0.05)  # the operator below never finishes
        units: list[bool] = []  # per background unit of work: was it entered while an operator waited

        def recording_unit(background: bool) -> None:
            if background:
                units.append(ws.store.writers.waiting())

        monkeypatch.setattr(engine.pull, "store", SeenStore(ws.store, recording_unit))
        with ws.store.unit_of_work():  # an operator's write, open (it has not written yet)
            assert ws.store.writers.waiting()
            engine.pull.until_caught_up()
        assert not ws.store.writers.waiting()
        assert len(units) == 8 and all(units)  # one page per unit of work while the operator waited

        for _ in range(8):
            hq_server.intake("LKO")
        units.clear()
        engine.pull.until_caught_up()
        assert len(units) < 8 and not any(units)  # batched again
        wait_converged(hq_server, ws, timeout_s=15)
    finally:
        ws.close()
