"""The reply composer: canned bilingual replies filled from the case, a character count against the
platform's limit, the second-pair-of-eyes switch, and send.

The canned list is the console's last known list (the cache file) at once, then HQ's when it
answers, so the composer works with HQ out of reach. A field the case cannot fill stays visible in
braces and is named under the text; a reply over the platform's limit cannot be sent.

Translation context ``Composer``. Threading: GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.complaints.templates import case_values, fill, limit_for, unfilled
from ui.operations.complaints import ComplaintRow, Json

LANGS = ("hi", "en")


class Composer(QWidget):
    send_requested = Signal(str, str, bool)  # case id, text, needs approval
    edit_canned_requested = Signal()

    def __init__(self, *, lang: str = "en", can_send: bool = True, can_edit_canned: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("complaint-composer")
        self._row: ComplaintRow | None = None
        self._district_name: str | None = None
        self._canned: list[Json] = []
        self._can_send = can_send

        self.canned = QComboBox()
        self.canned.setObjectName("canned-list")
        self.canned.setMinimumContentsLength(12)
        self.language = QComboBox()
        self.language.setObjectName("canned-language")
        self.language.addItem("हिंदी", "hi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(LANGS.index(lang) if lang in LANGS else 1)
        self.insert_button = QPushButton(self.tr("Use this reply"))
        self.insert_button.setObjectName("canned-insert")
        self.insert_button.clicked.connect(self.insert_canned)
        self.edit_canned = QPushButton(self.tr("Edit canned replies…"))
        self.edit_canned.setObjectName("canned-edit")
        self.edit_canned.setVisible(can_edit_canned)
        self.edit_canned.clicked.connect(self.edit_canned_requested.emit)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Canned reply:")))
        top.addWidget(self.canned, 1)
        second = QHBoxLayout()
        second.addWidget(self.language)
        second.addWidget(self.insert_button)
        second.addStretch(1)
        second.addWidget(self.edit_canned)

        self.text = QPlainTextEdit()
        self.text.setObjectName("reply-text")
        self.text.setPlaceholderText(self.tr("Write the reply to the citizen here."))
        self.text.setMaximumHeight(120)
        self.text.textChanged.connect(self._update)
        self.count = QLabel()
        self.count.setObjectName("reply-count")
        self.missing = QLabel()
        self.missing.setObjectName("reply-missing")
        self.missing.setWordWrap(True)
        self.second_eyes = QCheckBox(self.tr("Needs a second pair of eyes"))
        self.second_eyes.setObjectName("reply-second-eyes")
        eyes_note = QLabel(self.tr("A supervisor approves it before it is published."))
        eyes_note.setWordWrap(True)
        self.send_button = QPushButton(self.tr("Send reply"))
        self.send_button.setObjectName("reply-send")
        self.send_button.clicked.connect(self._send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.text)
        layout.addWidget(self.missing)
        layout.addWidget(self.second_eyes)
        layout.addWidget(eyes_note)
        layout.addLayout(bottom)
        self.set_row(None, None)

    # ---- inputs ---------------------------------------------------------------------------------------
    def set_row(self, row: ComplaintRow | None, district_name: str | None) -> None:
        """The complaint the composer answers (None: nothing open). Keeps what is typed when the same
        complaint is shown again after a refresh."""
        if row is None or self._row is None or row.case_id != self._row.case_id:
            self.text.clear()
            self.second_eyes.setChecked(False)
        self._row = row
        self._district_name = district_name
        self.setEnabled(row is not None)
        self._update()

    def set_canned(self, items: list[Json]) -> None:
        """The canned replies, those of the open complaint's category first."""
        keep = self.canned.currentData()
        self._canned = [c for c in items if not c.get("retired")]
        category = self._row.category if self._row else None
        ordered = sorted(self._canned, key=lambda c: (c.get("category") not in (None, category), c["title"]))
        self.canned.blockSignals(True)
        self.canned.clear()
        for c in ordered:
            self.canned.addItem(c["title"], c["id"])
        if keep is not None and self.canned.findData(keep) >= 0:
            self.canned.setCurrentIndex(self.canned.findData(keep))
        self.canned.blockSignals(False)
        self.insert_button.setEnabled(bool(ordered))

    def canned_text(self, canned_id: str, lang: str) -> str:
        """The canned reply's text in ``lang`` (the other language when that one is empty), filled."""
        item = next((c for c in self._canned if c["id"] == canned_id), None)
        if item is None or self._row is None:
            return ""
        other = "en" if lang == "hi" else "hi"
        text = str(item.get(f"text_{lang}") or item.get(f"text_{other}") or "")
        values = case_values(self._row.case_id, self._row.author_handle, self._district_name, self._row.platform)
        return fill(text, values)

    def insert_canned(self) -> None:
        canned_id = self.canned.currentData()
        if canned_id is None:
            return
        self.text.setPlainText(self.canned_text(str(canned_id), str(self.language.currentData())))

    # ---- state -----------------------------------------------------------------------------------------
    def limit(self) -> int:
        return limit_for(self._row.platform if self._row else None)

    def _update(self) -> None:
        text = self.text.toPlainText()
        n, limit = len(text), self.limit()
        over = n > limit
        self.count.setText(
            (self.tr("%1 / %2 characters: too long for this platform") if over else self.tr("%1 / %2 characters"))
            .replace("%1", str(n)).replace("%2", str(limit))
        )  # fmt: skip
        self.count.setStyleSheet("color: #8a1010; font-weight: bold;" if over else "")
        fields = unfilled(text)
        self.missing.setText(
            self.tr("Still to fill in: %1").replace("%1", ", ".join("{" + f + "}" for f in fields)) if fields else ""
        )
        self.missing.setVisible(bool(fields))
        self.send_button.setEnabled(self._can_send and self._row is not None and bool(text.strip()) and not over)

    def _send(self) -> None:
        if self._row is None or not self.send_button.isEnabled():
            return
        text = self.text.toPlainText().strip()
        self.send_requested.emit(self._row.case_id, text, self.second_eyes.isChecked())
        self.text.clear()
        self.second_eyes.setChecked(False)

    def state(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText(), "needs_approval": self.second_eyes.isChecked()}


__all__ = ["Composer"]
