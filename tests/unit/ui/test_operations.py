"""The operations layer: work off the GUI thread, callbacks on it, stale results dropped, errors by cause."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from core.errors import CommandRefused, StoreUnavailable
from ui.operations import CollectionOp, QueryOp, TaskManager


@pytest.fixture
def taskman(qtbot):
    tm = TaskManager()
    yield tm
    tm.shutdown()


def test_work_runs_off_gui_thread_and_callback_on_it(qtbot, taskman):
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def work() -> str:
        seen["work_thread"] = threading.current_thread().name
        return "done"

    def success(result: str) -> None:
        seen["result"] = result
        seen["callback_on_gui"] = QThread.currentThread() is gui

    QueryOp(fn=work, success=success).run(taskman)
    qtbot.waitUntil(lambda: "result" in seen)
    assert str(seen["work_thread"]).startswith("rakshak-db")
    assert seen["callback_on_gui"] is True


def test_db_ops_run_in_submission_order_on_one_thread(qtbot, taskman):
    order: list[int] = []
    threads: set[str] = set()

    def step(i: int) -> None:
        threads.add(threading.current_thread().name)
        time.sleep(0.002 * (5 - i))
        order.append(i)

    for i in range(5):
        QueryOp(fn=lambda i=i: step(i)).run(taskman)
    qtbot.waitUntil(lambda: taskman.pending == 0)
    assert order == [0, 1, 2, 3, 4] and len(threads) == 1


def test_stale_result_is_dropped(qtbot, taskman):
    delivered: list[str] = []
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "old"

    QueryOp(fn=slow, success=delivered.append, stamp="detail", network=True).run(taskman)
    QueryOp(fn=lambda: "new", success=delivered.append, stamp="detail").run(taskman)
    qtbot.waitUntil(lambda: delivered == ["new"])
    release.set()
    qtbot.waitUntil(lambda: taskman.pending == 0)
    assert delivered == ["new"]


def test_collection_op_announces_changes_and_user_errors_reach_failure(qtbot, taskman):
    with qtbot.waitSignal(taskman.cases_changed) as changed:
        CollectionOp(fn=lambda: None, changes=("case-1",)).run(taskman)
    assert changed.args == [frozenset({"case-1"})]

    errors: list[BaseException] = []

    def refuse() -> None:
        raise CommandRefused("the case is closed; reopen it first")

    CollectionOp(fn=refuse, failure=errors.append, changes=("case-1",)).run(taskman)
    qtbot.waitUntil(lambda: errors != [])
    assert isinstance(errors[0], CommandRefused)


def test_unhandled_errors_are_sorted_by_cause(qtbot, taskman):
    def disk_full() -> None:
        raise StoreUnavailable("database or disk is full")

    with qtbot.waitSignal(taskman.environment_error) as env:
        QueryOp(fn=disk_full).run(taskman)
    assert "disk is full" in env.args[0]

    def bug() -> None:
        raise KeyError("oops")

    with qtbot.waitSignal(taskman.bug) as b:
        QueryOp(fn=bug).run(taskman)
    assert "KeyError" in b.args[0]
