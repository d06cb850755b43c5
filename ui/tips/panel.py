"""A tip in the case detail: its category, what/where/when, the tipster's pseudonym, the media, the
question to the tipster, and the follow-up work (officer, actions, outcome: ``ui.tips.work``).

Everything shown comes from the case's events in the replica (the ``tip`` object of ``created``, the
media of ``tip_added`` and ``tip_answer``): no tipster detail beyond what HQ put in them, which is
the pseudonym and how many tips it sent before (docs/TIPLINE.md). The media files and the question
go to HQ on the network pool (``ui.operations.tips``); the answer arrives later as a ``tip_answer``
event in the timeline.

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.events import EventType
from core.fold import fold
from ui.context import ApplicationContext
from ui.labels import tip_category_label, tip_media_label
from ui.operations import alive
from ui.operations.tips import ask_tipster, fetch_tip_media, tip_error_text
from ui.tips.notice import TipNotice
from ui.tips.viewer import MediaViewer, remove_quietly, suffix_for
from ui.tips.work import TipWorkBox

# HQ's question route takes these roles (hq/tipline/officers.py ``ASKERS``); others would get 403.
ASKING_ROLES = frozenset({"hq_operator", "district_operator", "sp_office", "range_dig"})
QUESTION_MAX_CHARS = 2000
MESSAGE_MS = 10_000


def tip_facts(history: list[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The ``tip`` object of a case's ``created`` event and every media item of the tip (the tip's own,
    then added ones, then answers'), or None when the case is not a tip. Refused entries are skipped."""
    tip: dict[str, Any] | None = None
    media: list[dict[str, Any]] = []
    for stored in history:
        if str(getattr(stored.sync_state, "value", stored.sync_state)) == "rejected":
            continue
        e = stored.event
        if e.type is EventType.CREATED and isinstance(e.payload.get("tip"), dict):
            tip = dict(e.payload["tip"])
            media[:0] = [dict(m) for m in tip.get("media") or []]
        elif e.type in (EventType.TIP_ADDED, EventType.TIP_ANSWER):
            media.extend(dict(m) for m in e.payload.get("media") or [])
    return None if tip is None else (tip, media)


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


class QuestionDialog(QDialog):
    def __init__(self, pseudonym: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-question-dialog")
        self.setWindowTitle(self.tr("Question to the tipster"))
        intro = QLabel(self.tr(
            "HQ relays your question to %1 over WhatsApp. The tipster sees only the question, not your "
            "name; the answer appears in this tip's timeline."
        ).replace("%1", pseudonym))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("tip-question-text")
        self.text.setAccessibleName(self.tr("Question"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if ok is not None:
            ok.setText(self.tr("Send through HQ"))
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.resize(480, 260)
        self._check()

    def question(self) -> str:
        return self.text.toPlainText().strip()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(0 < len(self.question()) <= QUESTION_MAX_CHARS)


class TipBox(QGroupBox):
    """The tip part of the detail pane; hidden for any other case. ``message`` carries a sentence for
    the status bar (a question sent, a file that could not be fetched)."""

    message = Signal(str)

    def __init__(self, ctx: ApplicationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Tip"))
        self.setObjectName("tip-box")
        self._ctx = ctx
        self.case_id = ""
        self.tip: dict[str, Any] = {}
        self.media: list[dict[str, Any]] = []
        self.viewer: MediaViewer | None = None
        self.dialog: QuestionDialog | None = None
        self.facts = QLabel()
        self.facts.setObjectName("tip-facts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.media_box = QWidget()
        self.media_grid = QGridLayout(self.media_box)
        self.media_grid.setContentsMargins(0, 0, 0, 0)
        self.media_grid.setColumnStretch(3, 1)
        self.media_buttons: list[QPushButton] = []
        self.ask_button = QPushButton(self.tr("Question to the tipster…"))
        self.ask_button.setObjectName("tip-ask")
        self.ask_button.clicked.connect(self.open_question)
        row = QHBoxLayout()
        row.addWidget(self.ask_button)
        row.addStretch(1)
        self.work = TipWorkBox(ctx)
        self.work.message.connect(self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.media_box)
        layout.addLayout(row)
        layout.addWidget(self.work)
        self.message.connect(self._to_status_bar)
        # The quiet notice of new tips lives here, with the detail pane, so the window needs no hook.
        self.notice = TipNotice(ctx, self._to_status_bar, self)
        self.hide()

    def _to_status_bar(self, text: str, ms: int = MESSAGE_MS) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, ms)

    def show_tip(self, case_id: str, history: list[Any], closed: bool) -> None:
        found = tip_facts(history)
        if found is None:
            self.clear()
            return
        self.case_id = case_id
        self.tip, self.media = found
        t = self.tip
        prior = int(t.get("prior_tips") or 0)
        seen = (self.tr("sent %1 tip(s) before").replace("%1", str(prior)) if prior
                else self.tr("first tip from this tipster"))
        lines = [
            self.tr("Category: %1").replace("%1", tip_category_label(t.get("category"))),
            self.tr("Tipster: %1 (%2)").replace("%1", str(t.get("pseudonym") or "")).replace("%2", seen),
            self.tr("What: %1").replace("%1", str(t.get("what") or "—")),
            self.tr("Where: %1").replace("%1", str(t.get("place") or "—")),
            self.tr("When: %1").replace("%1", str(t.get("when") or "—")),
        ]
        if t.get("place_unclear") and t.get("range"):
            lines.append(self.tr("The place is unclear: the range's DIG decides which district takes it."))
        elif t.get("place_unclear"):
            lines.append(self.tr("The place is unclear: HQ decides which district takes it."))
        if t.get("confirmed") is False:
            lines.append(self.tr("Not confirmed by the tipster (filed when the conversation went quiet)."))
        self.facts.setText("\n".join(lines))
        self._set_media()
        kept = [h.event for h in history if str(getattr(h.sync_state, "value", h.sync_state)) != "rejected"]
        self.work.show_state(fold(case_id, kept))
        online = self._ctx.session is not None and getattr(self._ctx.session, "logged_in", False)
        self.ask_button.setEnabled(bool(online) and not closed and self._ctx.role in ASKING_ROLES)
        self.show()

    def clear(self) -> None:
        """Empty the box and close its viewer and question dialog (the idle lock leaves no tip on screen)."""
        if self.viewer is not None and alive(self.viewer):
            self.viewer.close()
        if self.dialog is not None and alive(self.dialog):
            self.dialog.reject()
        self.work.close_dialog()
        self.viewer = self.dialog = None
        self.case_id = ""
        self.tip, self.media = {}, []
        self.facts.clear()
        self._set_media()
        self.hide()

    def _set_media(self) -> None:
        while self.media_grid.count():
            item = self.media_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.media_buttons = []
        if not self.media:
            self.media_grid.addWidget(QLabel(self.tr("No photo, voice note or video.")), 0, 0, 1, 4)
            return
        for i, m in enumerate(self.media):
            kind = QLabel(tip_media_label(str(m.get("kind"))))
            size = QLabel(size_text(int(m.get("bytes") or 0)))
            digest = QLabel(self.tr("SHA-256 %1").replace("%1", str(m.get("sha256") or "")[:12] + "…"))
            digest.setToolTip(self.tr("Police copy: %1\nOriginal (evidence, sealed at HQ): %2").replace(
                "%1", str(m.get("sha256") or "")).replace("%2", str(m.get("original_sha256") or "—")))
            button = QPushButton(self.tr("Open"))
            button.setObjectName(f"tip-media-{i}")
            button.setAccessibleName(self.tr("Open %1").replace("%1", kind.text()))
            button.clicked.connect(lambda _c=False, n=i: self.open_media(n))
            for c, w in enumerate((kind, size, button, digest)):
                self.media_grid.addWidget(w, i, c)
            self.media_buttons.append(button)

    # ---- actions -----------------------------------------------------------------------------------
    def open_media(self, index: int) -> None:
        """Fetch the police copy of media ``index`` from HQ and show or play it."""
        if not 0 <= index < len(self.media):
            return
        m = self.media[index]
        kind, title = str(m.get("kind")), tip_media_label(str(m.get("kind")))

        def done(path: str) -> None:
            if not alive(self):
                remove_quietly(path)
                return
            if self.viewer is not None and alive(self.viewer):
                self.viewer.close()
            self.viewer = MediaViewer(path, kind, title, self)
            self.viewer.open()

        def failed(exc: BaseException) -> None:
            if alive(self):
                text = self.tr("The file could not be fetched from HQ: %1")
                self.message.emit(text.replace("%1", tip_error_text(exc)))

        op = fetch_tip_media(self._ctx, str(m.get("id")), suffix_for(m), success=done, failure=failed)
        if op is None:
            self.message.emit(self.tr("Tip media are kept at HQ: sign in to HQ to open them."))
            return
        op.run(self._ctx.taskman)

    def open_question(self) -> None:
        dialog = QuestionDialog(str(self.tip.get("pseudonym") or ""), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        case_id = self.case_id  # the question belongs to this tip, whatever is shown when it is sent
        dialog.accepted.connect(lambda: self.ask(dialog.question(), case_id))
        self.dialog = dialog
        dialog.open()

    def ask(self, text: str, case_id: str | None = None) -> None:
        """Send ``text`` to the tipster of ``case_id`` (the shown tip by default) through HQ (never
        stored to send later)."""
        ctx, case_id = self._ctx, case_id or self.case_id

        def done(_event: Any) -> None:
            if ctx.engine is not None:
                ctx.engine.sync_now()  # pull the stored question now; the long poll brings the answer
            if alive(self):
                self.message.emit(self.tr("Question sent to HQ's tip line; the answer will appear in the timeline."))

        def failed(exc: BaseException) -> None:
            if alive(self):
                self.message.emit(self.tr("HQ did not take the question: %1").replace("%1", tip_error_text(exc)))

        op = ask_tipster(ctx, case_id, text, success=done, failure=failed)
        if op is None:
            self.message.emit(self.tr("Questions go through HQ: sign in to HQ to ask."))
            return
        op.run(ctx.taskman)
