"""Python's cyclic garbage collector runs on the GUI thread only.

CPython runs a collection in whichever thread happens to allocate when the generation-0 count
crosses its threshold. This client allocates constantly on worker threads (the DB worker, the reader
pools, the sync engine, APScheduler), so an automatic collection usually runs on one of them. If that
collection frees a Qt object owned by Python (a closed form, a notice box, a window in a reference
cycle through a lambda connected to its own signal), Qt's destructor runs on a thread that does not
own the object: undefined behaviour, in practice a segmentation fault some time later. For a console
that must ring an alarm at 3 a.m., an occasional crash of that kind is not acceptable.

``install(app)`` turns automatic collection off and collects from a ``QTimer`` on the GUI thread
instead, using the same per-generation thresholds (the pattern used by PyQt/PySide applications
with worker threads, e.g. OpenCue's CueGUI). Reference counting still frees acyclic garbage at
once, on any thread; only cycles wait for the GUI thread, at most ``INTERVAL_MS``.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 1000
_guard: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setObjectName("gc-guard")
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        """Collect the oldest generation whose count is over its threshold (as CPython would)."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                self.collections += 1
                return

    def collect_now(self) -> int:
        """A full collection, here and now (GUI thread only)."""
        self.collections += 1
        return gc.collect()


def install(app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> GuiThreadCollector:
    """Idempotent. Call on the GUI thread right after the QApplication exists, before worker threads start."""
    global _guard
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("the garbage-collection guard must be installed from the GUI thread")
    if _guard is None:
        _guard = GuiThreadCollector(app, interval_ms)
        log.info("automatic garbage collection moved to the GUI thread (every %d ms)", interval_ms)
    return _guard


def installed() -> GuiThreadCollector | None:
    return _guard
