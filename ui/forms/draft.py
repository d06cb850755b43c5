"""A form's draft: saved as the operator types, restored when the form opens again.

Every edit restarts a short timer (``DRAFT_DEBOUNCE_MS``); when it fires the values go to the store on
the DB worker (``ui.operations.drafts``), in order with the writes. Closing the form saves at once.
The draft also keeps the id of a submit whose outcome the disk left unknown (``UNDECIDED_KEY``), so
the next submit, even after a restart, settles that attempt first. A successful submit discards the
draft in the event's own transaction. GUI thread; the load and save run on the DB worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.operations import alive
from ui.operations.drafts import load_draft, save_draft

if TYPE_CHECKING:
    from ui.context import ApplicationContext

DRAFT_DEBOUNCE_MS = 400
# Draft key holding the id of a submit whose outcome the disk left unknown.
UNDECIDED_KEY = "__undecided_event__"


class DraftKeeper(QObject):
    loaded = Signal(object)  # the draft's values (without UNDECIDED_KEY), or None: no draft
    saved = Signal()

    def __init__(
        self, ctx: ApplicationContext, case_id: str, form_id: str, values: Callable[[], dict[str, Any]],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case_id = case_id
        self._form_id = form_id
        self._values = values
        self.undecided: str | None = None  # id of an earlier submit whose outcome the disk left unknown
        self.dirty = False  # edits not yet handed to a save
        self.closed = False  # submitted: no more saves
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.save)

    def load(self) -> None:
        def apply(draft: dict[str, Any] | None) -> None:
            if not alive(self):
                return
            if draft and UNDECIDED_KEY in draft:
                self.undecided = draft.pop(UNDECIDED_KEY) or self.undecided
            self.loaded.emit(draft or None)

        load_draft(self._ctx, self._case_id, self._form_id, success=apply).run(self._ctx.taskman)

    def edited(self) -> None:
        self.dirty = True
        self._timer.start()

    def save(self) -> None:
        """Queue a save on the DB worker (the newest save wins)."""
        self._timer.stop()
        if self.closed or not self.dirty:
            return
        values = self._values()
        if self.undecided is not None:
            values[UNDECIDED_KEY] = self.undecided  # survives a restart: the next submit still checks it

        def done(_: None) -> None:
            if alive(self):
                self.saved.emit()

        self.dirty = False
        save_draft(self._ctx, self._case_id, self._form_id, values, success=done).run(self._ctx.taskman)

    def save_now(self) -> None:
        """Closing: save what is pending at once."""
        self.dirty = True
        self.save()

    def flush(self) -> None:
        if self._timer.isActive() or (self.dirty and not self.closed):
            self.save()

    def stop(self) -> None:
        """Submitting: no save may race the record (it discards the draft)."""
        self.closed = True
        self._timer.stop()
