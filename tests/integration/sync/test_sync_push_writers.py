"""The operator goes first during a push too: applying HQ's push results yields the write lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import SeenStore, Workstation, wait_converged


def test_push_results_yield_the_write_lock_to_an_operator(
    hq_server: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While an operator's write is open (``LocalStore.writers``), the push applies HQ's results one
    per unit of work, each begun only after waiting for the operator; with nobody waiting, a reply is
    applied in one unit of work. Deterministic: counts units of work, not milliseconds."""
    import sync.push as engine_module

    case_id = hq_server.intake("LKO")
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        engine = ws.engine
        engine.run_once()
        assert ws.has_case(case_id)
        monkeypatch.setattr(engine_module, "PUSH_APPLY_TX_S", 60.0)
        monkeypatch.setattr(engine_module, "WRITER_YIELD_MAX_S", 0.05)  # the operator below never finishes
        units: list[bool] = []  # per unit of work: background, and entered while an operator waited
        interactive: list[int] = []

        def recording_unit(background: bool) -> None:
            if background:
                units.append(ws.store.writers.waiting())
            else:
                interactive.append(1)

        monkeypatch.setattr(engine.push, "store", SeenStore(ws.store, recording_unit))
        for i in range(8):
            ws.note(case_id, f"offline {i}", notify=False)
        assert ws.counts() == (8, 0)
        with ws.store.unit_of_work():  # an operator's write, open (it has not written yet)
            assert ws.store.writers.waiting()
            engine.push.push_all()
        assert not ws.store.writers.waiting()
        assert len(units) == 8 and all(units)  # one result per unit of work while the operator waited
        assert ws.counts() == (0, 0)

        for i in range(8):
            ws.note(case_id, f"later {i}", notify=False)
        units.clear()
        engine.push.push_all()
        assert units == [False]  # the whole reply in one unit of work
        assert interactive == []  # the push path never counts itself as an operator's write
        wait_converged(hq_server, ws, timeout_s=15)
    finally:
        ws.close()


def test_a_push_unit_an_operator_interrupts_is_rolled_back_and_redone(
    hq_server: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator who comes in while a push unit of work runs does not wait for its commit (an
    fsync): the unit is rolled back and redone once the operator's write is done."""
    import threading

    import sync.push as engine_module
    from core.store import Outbox, UnitOfWork

    case_id = hq_server.intake("LKO")
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False)
    try:
        engine = ws.engine
        engine.run_once()
        monkeypatch.setattr(engine_module, "PUSH_APPLY_TX_S", 60.0)
        for i in range(6):
            ws.note(case_id, f"offline {i}", notify=False)
        commits: list[int] = []  # pending count seen by each commit of a push unit
        arrivals: list[bool] = []
        real_settle, real_commit = Outbox.mark_accepted_many, UnitOfWork.commit

        def settle(self: Outbox, accepted: list[tuple[str, int]]) -> set[str]:
            out = real_settle(self, accepted)
            if not arrivals:  # the first statement batch: an operator opens a write now, for 0.2 s
                arrivals.append(True)
                ws.store.writers.enter()
                threading.Timer(0.2, ws.store.writers.leave).start()
            return out

        def commit(self: UnitOfWork) -> None:  # only the push's units commit while it runs
            commits.append(self.outbox.counts()[0])
            real_commit(self)

        monkeypatch.setattr(Outbox, "mark_accepted_many", settle)
        monkeypatch.setattr(UnitOfWork, "commit", commit)
        engine.push.push_all()
        assert arrivals == [True]
        assert commits == [0]  # the interrupted unit wrote nothing; the redone one settled all six
        assert ws.counts() == (0, 0) and not ws.store.writers.waiting()
        wait_converged(hq_server, ws, timeout_s=15)
    finally:
        ws.close()
