"""The alarm feed: keeps the alarm controller and the mute notice fed from the store.

``refresh`` re-reads the alarm's rows (``ui.operations.cases.alarm_rows``, stamped "alarm") after
every change; ``sweep`` finds every acknowledged, undispatched suicide-risk case (a scan: at start
and every ``OVERDUE_SWEEP_MS``) so "dispatch overdue" rings for cases acknowledged before a restart
or on another console. The cases seen ringing, changed or swept are watched (re-read by id) while
they stay acknowledged and undispatched. GUI thread; the reads run on the reader pools.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from core.events import utcnow
from ui.operations.cases import MuteRow, alarm_rows, overdue_case_ids

if TYPE_CHECKING:
    from ui.alarm.controller import AlarmController
    from ui.alarm.mute import MuteNotice
    from ui.context import ApplicationContext

OVERDUE_SWEEP_MS = 5 * 60_000


class AlarmFeed(QObject):
    def __init__(
        self, ctx: ApplicationContext, alarm: AlarmController, mute_notice: MuteNotice, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._alarm = alarm
        self._mute_notice = mute_notice
        self.rows: list[Any] = []
        self.watch: set[str] = set()
        self._stopped = False
        self._mute_end_timer = QTimer(self)
        self._mute_end_timer.setSingleShot(True)
        self._mute_end_timer.timeout.connect(self.refresh)
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setInterval(OVERDUE_SWEEP_MS)
        self._sweep_timer.timeout.connect(self.sweep)
        self._sweep_timer.start()

    def watch_cases(self, case_ids: Iterable[str]) -> None:
        self.watch |= set(case_ids)

    def refresh(self) -> None:
        alarm_rows(self._ctx, frozenset(self.watch), success=self._loaded).run(self._ctx.taskman)

    def _loaded(self, result: tuple[list[Any], list[MuteRow]]) -> None:
        rows, mutes = result
        self.rows = rows
        self.watch = {r.case_id for r in rows}
        self._alarm.update_rows(rows)
        self._mute_notice.set_mutes(mutes)
        if mutes:
            # Take the notice down when the first mute ends, even if nothing else changes.
            ms = int((mutes[0][3] - utcnow()).total_seconds() * 1000) + 200
            self._mute_end_timer.start(max(200, ms))

    def sweep(self) -> None:
        if not self._stopped:
            overdue_case_ids(self._ctx, success=self._swept).run(self._ctx.taskman)

    def _swept(self, ids: set[str]) -> None:
        if not ids <= self.watch:
            self.watch |= ids
            self.refresh()

    def stop(self) -> None:
        self._stopped = True
        self._sweep_timer.stop()
        self._mute_end_timer.stop()
