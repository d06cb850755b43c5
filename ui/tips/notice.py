"""The quiet notice of a new tip: a status-bar sentence, never the siren.

Tips are not suicide alerts: ``core.alarm`` never rings for the kind ``tip`` (a tip raised to
suicide-risk becomes that kind and rings like any other case). So that a new tip is still noticed,
``TipNotice`` watches the changes the sync engine reports (``TaskManager.cases_changed``), reads the
changed cases' rows on the reader pool, and announces each tip received since this console started
once (less ``STARTED_MARGIN``), in the window's status bar ("New tip received (21:07): open it from the queue.").

Threading: GUI thread; the read runs on the reader pool.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.events import parse_time, utcnow
from ui.context import ApplicationContext
from ui.labels import clock_time
from ui.operations.base import QueryOp, reading

NOTICE_MS = 60_000
# A tip counts as new if it was received at most this long before the console started: HQ stamps a
# tip with the start of the tipster's conversation (whole seconds), which can precede the start.
STARTED_MARGIN = timedelta(minutes=5)
ANNOUNCED_MAX = 10_000


class TipNotice(QObject):
    """``announced(case_ids)`` fires once per batch of new tips; ``show(text)`` puts the sentence up."""

    announced = Signal(list)

    def __init__(self, ctx: ApplicationContext, show: Callable[[str, int], None], parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._show = show
        self._since = utcnow() - STARTED_MARGIN
        self._announced: set[str] = set()
        ctx.taskman.cases_changed.connect(self._changed)

    def _changed(self, case_ids: Any) -> None:
        if not case_ids:
            return  # None: a rebuild, not an arrival
        ids = [c for c in case_ids if c not in self._announced]
        if not ids:
            return
        since = self._since

        def body(uow: Any) -> list[str]:
            fresh = []
            for case_id in ids:
                row = uow.cases.get(case_id)
                if row is None or row.kind != "tip" or row.purged or not row.received_at:
                    continue
                try:
                    if parse_time(row.received_at) >= since:
                        fresh.append(case_id)
                except ValueError:
                    continue
            return fresh

        QueryOp(fn=reading(self._ctx.store, body), success=self._announce, pool="read").run(self._ctx.taskman)

    def _announce(self, case_ids: list[str]) -> None:
        new = [c for c in case_ids if c not in self._announced]
        if not new:
            return
        if len(self._announced) > ANNOUNCED_MAX:
            self._announced.clear()
        self._announced.update(new)
        if len(new) == 1:
            text = self.tr("New tip received (%1): open it from the queue.").replace("%1", clock_time(utcnow()))
        else:
            text = self.tr("%1 new tips received: open them from the queue.").replace("%1", str(len(new)))
        self._show(text, NOTICE_MS)
        self.announced.emit(new)
