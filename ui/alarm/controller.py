"""The alarm's decision loop, on the GUI thread: ``AlarmFeed`` keeps it fed from the store,
``AlarmController`` turns the rows into "ring / stop ringing".

``AlarmFeed.refresh`` re-reads the alarm's rows (``ui.operations.cases.alarm_rows``, stamped "alarm":
``cases.alarming()`` plus the watched cases in status ``acknowledged``, for the dispatch-overdue
re-alarm) after every change the store announces and at start-up, and hands them to
``AlarmController.update_rows(rows, now)`` and their mutes to the mute notice. ``sweep`` finds every
acknowledged, undispatched suicide-risk case (a scan: at start and every ``OVERDUE_SWEEP_MS``) so
"dispatch overdue" rings for cases acknowledged before a restart or on another console. The cases
seen ringing, changed or swept are watched (re-read by id) while they stay acknowledged and
undispatched. The reads run on the reader pools.

The controller does no database work; the decision itself is ``core.alarm``. Between
deliveries it re-decides on its own, with the last rows it got, at the moment the decision can change
(a mute running out, a dispatch falling overdue) and at least every ``SAFETY_TICK_MS`` in case the
wall clock jumped. It never silences a case without a row that says so: a case stops ringing only
when a delivered row shows it acknowledged, dispatched, closed, revoked or muted (by this console or
another one via HQ).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.alarm import AlarmRow, RefusedSilence, Ringing, next_change_at, refused_silences, ringing_cases
from core.events import Tier, utcnow
from core.settings import DEFAULTS, Settings
from ui.alarm.sound import AlarmSound
from ui.operations.cases import MuteRow, alarm_rows, overdue_case_ids

if TYPE_CHECKING:
    from ui.alarm.mute import MuteNotice
    from ui.context import ApplicationContext

SAFETY_TICK_MS = 30_000
OVERDUE_SWEEP_MS = 5 * 60_000
# A timer for a moment far ahead is clamped; the safety tick covers the rest.
MAX_TIMER_MS = 24 * 3600 * 1000


class AlarmController(QObject):
    """Decides which cases ring and drives the siren.

    Signals (GUI thread):

    - ``ringing_changed(list[Ringing])``: the ringing set or a reason changed; most urgent first
      (feed it to ``AlarmBanner.set_ringing``). An empty list means silence.
    - ``alarm_started(str)``: a case id that was not ringing at the previous decision now rings.
      The window raises itself and flashes (``ui.alarm.attention.Attention.alarm_started``).
    - ``alarm_stopped(str)``: a case id stopped ringing.
    - ``refusals_changed(list[RefusedSilence])``: the cases this console silenced by an
      acknowledgement or mute that HQ refused (they do not ring; show the refusal and its reason).

    ``tier`` is the console user's (``core.events.Tier``): an HQ console rings until HQ acknowledges,
    a district console until the assigned district does.
    """

    ringing_changed = Signal(list)
    refusals_changed = Signal(list)
    alarm_started = Signal(str)
    alarm_stopped = Signal(str)

    def __init__(
        self,
        sound: AlarmSound | None,
        *,
        dispatch_overdue_min: float = DEFAULTS.dispatch_overdue_min,
        clock: Callable[[], datetime] = utcnow,
        tier: Tier = Tier.DISTRICT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sound = sound
        self.tier = tier
        self._refusals: list[RefusedSilence] = []
        self._limit_min = float(dispatch_overdue_min)
        self._clock = clock
        self._rows: list[AlarmRow] = []
        self._ringing: list[Ringing] = []
        self._next_timer = QTimer(self)
        self._next_timer.setSingleShot(True)
        self._next_timer.timeout.connect(self.reevaluate)
        self._safety_timer = QTimer(self)
        self._safety_timer.setInterval(SAFETY_TICK_MS)
        self._safety_timer.timeout.connect(self.reevaluate)
        self._safety_timer.start()

    @classmethod
    def from_settings(
        cls, sound: AlarmSound | None, settings: Settings, parent: QObject | None = None, tier: Tier = Tier.DISTRICT
    ) -> AlarmController:
        return cls(sound, dispatch_overdue_min=settings.dispatch_overdue_min, tier=tier, parent=parent)

    @property
    def ringing(self) -> list[Ringing]:
        """The current ringing set, most urgent first (a copy)."""
        return list(self._ringing)

    @property
    def refusals(self) -> list[RefusedSilence]:
        """Cases silenced here by an acknowledgement or mute HQ refused (a copy)."""
        return list(self._refusals)

    @property
    def is_ringing(self) -> bool:
        return bool(self._ringing)

    def update_rows(self, rows: Sequence[AlarmRow], now: datetime | None = None) -> list[Ringing]:
        """Replace the rows the decision is made from, decide at ``now`` (default: the clock)."""
        self._rows = list(rows)
        return self._decide(now or self._clock())

    def reevaluate(self) -> list[Ringing]:
        """Decide again with the last rows at the clock's current time (timers call this)."""
        return self._decide(self._clock())

    def _decide(self, now: datetime) -> list[Ringing]:
        new = ringing_cases(self._rows, now, self._limit_min, self.tier)
        refusals = refused_silences(self._rows, now, self.tier)
        refusals_changed = [(r.case_id, r.what, r.reason) for r in refusals] != [
            (r.case_id, r.what, r.reason) for r in self._refusals
        ]
        self._refusals = refusals
        old = self._ringing
        old_ids = {r.case_id for r in old}
        new_ids = {r.case_id for r in new}
        # Rows compare by value (CaseRow is a frozen dataclass): a changed name or priority repaints the banner.
        changed = [(r.case_id, r.reason, r.row) for r in new] != [(r.case_id, r.reason, r.row) for r in old]
        self._ringing = new
        if self._sound is not None:
            if new:
                self._sound.start()
            else:
                self._sound.stop()
        for r in self._ringing:
            if r.case_id not in old_ids:
                self.alarm_started.emit(r.case_id)
        for case_id in sorted(old_ids - new_ids):
            self.alarm_stopped.emit(case_id)
        if changed:
            self.ringing_changed.emit(self.ringing)
        if refusals_changed:
            self.refusals_changed.emit(self.refusals)
        self._schedule(now)
        return self.ringing

    def _schedule(self, now: datetime) -> None:
        moment = next_change_at(self._rows, now, self._limit_min, self.tier)
        if moment is None:
            self._next_timer.stop()
            return
        ms = int((moment - now).total_seconds() * 1000) + 50
        self._next_timer.start(max(0, min(ms, MAX_TIMER_MS)))


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
