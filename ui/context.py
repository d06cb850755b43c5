"""The application context: what every window, form and view needs, handed around instead of globals.

Like git-cola's ``ApplicationContext``: one object built at start-up by ``ui.app`` (or the demo,
which goes through ``ui.app``) and passed to each widget's constructor. Nothing here is created at
import time, and the context is frozen: a language switch builds a new one (``with_language``).

What changes while the client runs lives in two small holders the context owns, each changed in one
place: ``user`` (the console's operator, changed by a shift change at the lock screen,
``ui.shift``) and ``audio`` (the control room's "the test alarm was not heard", ``ui.alarm.health``),
kept here so a window rebuilt for a language switch keeps both.

Threading: the context is created on the GUI thread. ``store`` and ``clock`` are thread-safe and are
used from the workers through ``ui.operations``; a widget never calls ``store`` itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from core.events import Author, tier_for_role
from core.hlc import HybridClock
from core.settings import Settings
from ui.operations import TaskManager
from ui.places import PlaceNames

if TYPE_CHECKING:
    from core.store import LocalStore
    from sync import Session, SyncEngine
    from ui.alarm.audio_check import AudioCheck
    from ui.operations.reports import ReportLoader


class SyncBridge(QObject):
    """Carries the sync engine's callbacks (made on its threads) to the GUI thread as queued signals.

    The cases a pull or a push reply changed need no method here: the engine is handed
    ``taskman.cases_changed.emit`` itself, the signal every local write emits too."""

    status = Signal(object)  # sync.SyncStatus
    login_required = Signal(str)

    def __init__(self, taskman: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taskman = taskman

    # The callbacks below are handed to SyncEngine and run on its threads: emit only.
    def on_status(self, status: Any) -> None:
        self.status.emit(status)

    def on_login_required(self, reason: Any = "", *_: Any) -> None:
        self.login_required.emit(str(reason or ""))


@dataclass
class ConsoleUser:
    """Who works at this console now; entries are recorded in ``author``'s name.

    Changed only by ``switch`` (a shift change at the lock screen), on the GUI thread. An operation
    reads ``author`` when it is built, on the GUI thread, so a write never mixes two users.
    """

    author: Author
    username: str = ""
    role: str = ""
    district: str | None = None

    def switch(self, identity: dict[str, Any]) -> None:
        self.username = str(identity["username"])
        self.role = str(identity.get("role") or self.role)
        # the tier goes with the role: an HQ operator's acknowledgement quiets HQ's consoles only
        name = str(identity.get("display_name") or identity["username"])
        self.author = Author(str(identity["id"]), name, tier_for_role(self.role))

    def identity(self) -> dict[str, Any]:
        return {"id": self.author.user_id, "username": self.username, "display_name": self.author.display_name,
                "role": self.role, "district": self.district}


@dataclass
class AudioVerdict:
    """The control room's answer to the last test alarm, when it was "not heard" (else None).

    A human's "not heard" outranks the software check until a test is confirmed heard
    (``ui.alarm.health.AudioHealth`` holds the rule; this only keeps the answer across windows).
    """

    not_heard: AudioCheck | None = None


@dataclass(frozen=True)
class ApplicationContext:
    data_dir: Path
    settings: Settings
    store: LocalStore
    clock: HybridClock
    user: ConsoleUser
    device_id: str
    taskman: TaskManager
    bridge: SyncBridge
    session: Session | None = None  # None in tests that run without HQ
    engine: SyncEngine | None = None  # None in tests that drive sync by hand
    hq_url: str = ""
    demo: bool = False
    lang: str = "en"
    audio: AudioVerdict = field(default_factory=AudioVerdict)
    places: PlaceNames = field(default_factory=PlaceNames)  # district / police station code -> name
    reports: ReportLoader | None = None  # the Reports view's figures (HQ first, then the replica)

    @property
    def author(self) -> Author:
        return self.user.author

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def district(self) -> str | None:
        return self.user.district

    @property
    def title_suffix(self) -> str:
        return " — DEMO — synthetic data" if self.demo else ""

    def with_language(self, lang: str) -> ApplicationContext:
        """The same context in another UI language (the user, audio verdict and place names are shared)."""
        return dataclasses.replace(self, lang=lang)

    def notify_local_change(self) -> None:
        """Tell the sync engine a local event is waiting to be pushed (GUI thread)."""
        if self.engine is not None:
            self.engine.notify_local_change()
