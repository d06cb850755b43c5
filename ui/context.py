"""The application context: what every window, form and view needs, handed around instead of globals.

Like git-cola's ``ApplicationContext``: one object built at start-up by ``ui.app`` (or ``ui.demo``)
and passed to each widget's constructor. Nothing here is created at import time.

Threading: the context is created and mutated on the GUI thread only. ``store`` and ``clock`` are
thread-safe and are used from the DB worker through ``ui.operations``; a widget never calls
``store`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.events import Author
from core.hlc import HybridClock
from core.settings import Settings
from ui.operations import TaskManager
from ui.places import PlaceNames


class SyncBridge(QObject):
    """Carries the sync engine's callbacks (made on its threads) to the GUI thread as queued signals."""

    status = Signal(object)  # sync.SyncStatus
    login_required = Signal(str)

    def __init__(self, taskman: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._taskman = taskman

    # The three callbacks below are handed to SyncEngine and run on its threads: emit only.
    def on_status(self, status: Any) -> None:
        self.status.emit(status)

    def on_cases_changed(self, case_ids: Iterable[str] | None = None, *_: Any) -> None:
        self._taskman.cases_changed.emit(frozenset(case_ids) if case_ids is not None else None)

    def on_login_required(self, reason: Any = "", *_: Any) -> None:
        self.login_required.emit(str(reason or ""))


@dataclass
class ApplicationContext:
    data_dir: Path
    settings: Settings
    store: Any  # core.store.LocalStore
    clock: HybridClock
    author: Author
    device_id: str
    taskman: TaskManager
    bridge: SyncBridge
    session: Any = None  # sync.Session, None until logged in
    engine: Any = None  # sync.SyncEngine, None in tests that drive sync by hand
    username: str = ""
    role: str = ""
    district: str | None = None
    hq_url: str = ""
    demo: bool = False
    lang: str = "en"
    # The control room said the last test alarm was NOT heard (ui/alarm/sound.py AudioCheck, reason
    # NOT_HEARD). Kept here, not in the window, so a rebuilt window (language switch) keeps it.
    audio_not_heard: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    places: PlaceNames = field(default_factory=PlaceNames)  # district / police station code -> name

    @property
    def title_suffix(self) -> str:
        return " — DEMO — synthetic data" if self.demo else ""

    def notify_local_change(self) -> None:
        """Tell the sync engine a local event is waiting to be pushed (GUI thread)."""
        if self.engine is not None:
            self.engine.notify_local_change()
