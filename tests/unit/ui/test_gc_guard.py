"""ui/gc_guard.py: cyclic garbage made on worker threads is freed on the GUI thread, never on the worker."""

from __future__ import annotations

import gc
import threading
from typing import Any

from ui import gc_guard


class _Cycle:
    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread().name)


def test_worker_thread_cycles_are_collected_on_the_gui_thread(qtbot: Any, qapp: Any) -> None:
    guard = gc_guard.install(qapp)
    assert not gc.isenabled()
    _Cycle.freed_on.clear()

    def worker() -> None:
        for _ in range(20_000):  # far past every generation's threshold, in this thread
            _Cycle()
            [{"x": i} for i in range(5)]

    thread = threading.Thread(target=worker, name="rakshak-test-worker")
    thread.start()
    thread.join(30)
    assert _Cycle.freed_on == []  # the worker allocated plenty, yet collected nothing
    qtbot.waitUntil(lambda: len(_Cycle.freed_on) > 0, timeout=5000)  # the guard's timer, GUI thread
    guard.collect_now()
    assert set(_Cycle.freed_on) == {threading.main_thread().name}
    assert len(_Cycle.freed_on) == 20_000


def test_install_is_idempotent_and_refused_off_the_gui_thread(qapp: Any) -> None:
    first = gc_guard.install(qapp)
    assert gc_guard.install(qapp) is first is gc_guard.installed()
    errors: list[BaseException] = []

    def other() -> None:
        try:
            gc_guard.install(qapp)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=other)
    t.start()
    t.join(5)
    assert errors and "GUI thread" in str(errors[0])
