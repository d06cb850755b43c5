"""Recording an operator action wakes the sync engine's push itself, on the DB worker, once the event
is committed: no form or pane has to remember to. A real SQLCipher store; the engine is a recorder
(the push it wakes is tested in tests/integration/sync)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest

from core.errors import CommandRefused
from core.events import EventType
from core.ids import new_id
from tests.e2e.kit import add_cases_from_hq, created_event, make_context, wait_idle
from ui.operations.record import record_event, record_intake

NOTE = {"officer_name": "SI Verma", "officer_rank": "SI", "text": "Spoke with the family"}


class WakeRecorder:
    """Stands in for ``SyncEngine.notify_local_change``: notes the thread and what the outbox held."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.wakes: list[tuple[str, bool, int]] = []  # (thread name, on the GUI (main) thread, pending then)

    def notify_local_change(self) -> None:
        with self._store.reader() as uow:  # a fresh reader sees only what is committed
            pending = len(uow.outbox.pending())
        thread = threading.current_thread()
        self.wakes.append((thread.name, thread is threading.main_thread(), pending))


@pytest.fixture
def ctx(qtbot: Any, ui_env: Any) -> Any:
    base = make_context(ui_env)
    ctx = dataclasses.replace(base, engine=WakeRecorder(ui_env.store))
    yield ctx
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_a_recorded_event_wakes_the_push_after_commit_off_the_gui_thread(qtbot: Any, ui_env: Any, ctx: Any) -> None:
    ev = created_event(ui_env.hq_clock, name="Ravi Waketest")
    add_cases_from_hq(ui_env.store, [ev])
    done: list[Any] = []
    record_event(ctx, ev.case_id, EventType.COUNSELLING_NOTE, NOTE, success=done.append).run(ctx.taskman)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert len(ctx.engine.wakes) == 1
    thread, on_gui, pending = ctx.engine.wakes[0]
    assert thread.startswith("rakshak-db") and not on_gui
    assert pending == 1  # the note was committed, in the outbox, before the push was woken


def test_a_refused_action_wakes_nothing(qtbot: Any, ctx: Any) -> None:
    failed: list[BaseException] = []
    record_event(ctx, new_id(), EventType.COUNSELLING_NOTE, NOTE, failure=failed.append).run(ctx.taskman)
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert isinstance(failed[0], CommandRefused)
    assert ctx.engine.wakes == []


def test_manual_intake_wakes_the_push_and_a_twin_does_not(qtbot: Any, ui_env: Any, ctx: Any) -> None:
    created = {k: v for k, v in created_event(ui_env.hq_clock, name="Asha Intake").payload.items()}
    created["upstream_ref"] = "META-WAKE-1"
    results: list[Any] = []
    record_intake(ctx, new_id(), created, None, success=results.append).run(ctx.taskman)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=5000)
    assert results[0].event is not None
    assert [(t.startswith("rakshak-db"), p) for t, _gui, p in ctx.engine.wakes] == [(True, 1)]

    record_intake(ctx, new_id(), created, None, success=results.append).run(ctx.taskman)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert results[1].existing is not None and results[1].event is None
    assert len(ctx.engine.wakes) == 1  # nothing recorded, nothing to push
