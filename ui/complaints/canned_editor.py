"""The canned replies' editor for supervisors and admins: HQ's list (retired ones too), a title, an
optional category, the Hindi and English texts, and "retired". A reply is retired, never deleted.

Every load and save goes to HQ on the network pool (``ui.operations.complaints``); HQ refuses anyone
else, and the refusal's reason is shown. Translation context ``CannedEditor``.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.events import ComplaintCategory
from ui.labels import complaint_category_label
from ui.operations.base import TaskManager, alive
from ui.operations.complaints import HQComplaints, Json, fetch_canned, hq_cause, net_op, refusal_reason

HINT_FIELDS = "{handle}, {district}, {reference}"


def new_id(title: str, taken: set[str]) -> str:
    """An id for a new canned reply from its title (lower case, digits, dashes), unique."""
    base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:50] or "reply"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class CannedEditor(QDialog):
    def __init__(self, source: HQComplaints, taskman: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canned-editor")
        self.setWindowTitle(self.tr("Canned replies"))
        self._source = source
        self._taskman = taskman
        self._items: list[Json] = []
        self._current: str | None = None

        self.list = QListWidget()
        self.list.setObjectName("canned-editor-list")
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show(cur))
        self.new_button = QPushButton(self.tr("New reply"))
        self.new_button.clicked.connect(self._new)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)

        self.title = QLineEdit()
        self.title.setObjectName("canned-title")
        self.category = QComboBox()
        self.category.addItem(self.tr("Any complaint"), None)
        for c in ComplaintCategory:
            self.category.addItem(complaint_category_label(str(c)), str(c))
        self.text_hi = QPlainTextEdit()
        self.text_hi.setObjectName("canned-text-hi")
        self.text_en = QPlainTextEdit()
        self.text_en.setObjectName("canned-text-en")
        self.retired = QCheckBox(self.tr("Retired (no longer offered; kept, never deleted)"))
        self.retired.setObjectName("canned-retired")
        hint = QLabel(self.tr("Fields filled from the case: %1").replace("%1", HINT_FIELDS))
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Title:"), self.title)
        form.addRow(self.tr("Category:"), self.category)
        form.addRow(self.tr("Hindi:"), self.text_hi)
        form.addRow(self.tr("English:"), self.text_en)
        form.addRow("", self.retired)
        form.addRow("", hint)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("canned-save")
        self.save_button.clicked.connect(self._save)
        self.message = QLabel()
        self.message.setObjectName("canned-message")
        self.message.setWordWrap(True)
        right = QVBoxLayout()
        right.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        right.addLayout(row)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)
        self.resize(900, 520)

    def refresh(self) -> None:
        fetch_canned(self._source, include_retired=True, success=self._listed, failure=self._failed).run(
            self._taskman
        )

    def _listed(self, items: list[Json]) -> None:
        if not alive(self):
            return
        self._items = items
        keep = self._current
        self.list.blockSignals(True)
        self.list.clear()
        for c in items:
            text = c["title"] + (self.tr(" (retired)") if c.get("retired") else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c["id"])
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [c["id"] for c in items]
        if keep in ids:
            self.list.setCurrentRow(ids.index(keep))
        elif ids:
            self.list.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None) -> None:
        c: dict[str, Any] = {}
        if item is not None:
            cid = item.data(Qt.ItemDataRole.UserRole)
            c = next((x for x in self._items if x["id"] == cid), {})
        self._current = c.get("id")
        self.title.setText(c.get("title", ""))
        self.category.setCurrentIndex(max(0, self.category.findData(c.get("category"))))
        self.text_hi.setPlainText(c.get("text_hi", ""))
        self.text_en.setPlainText(c.get("text_en", ""))
        self.retired.setChecked(bool(c.get("retired")))
        self.message.setText("")

    def _new(self) -> None:
        self.list.clearSelection()
        self._show(None)
        self._current = None
        self.title.setFocus()

    def body(self) -> Json:
        return {
            "title": self.title.text().strip(),
            "text_hi": self.text_hi.toPlainText(),
            "text_en": self.text_en.toPlainText(),
            "category": self.category.currentData(),
            "retired": self.retired.isChecked(),
        }

    def _save(self) -> None:
        body = self.body()
        if not body["title"] or not (body["text_hi"].strip() or body["text_en"].strip()):
            self.message.setText(self.tr("Give a title and a Hindi or an English text."))
            return
        cid = self._current or new_id(body["title"], {c["id"] for c in self._items})
        self._current = cid
        self.save_button.setEnabled(False)
        source = self._source
        net_op(lambda: source.put_canned(cid, body), self._saved, self._failed).run(self._taskman)

    def _saved(self, _item: Json) -> None:
        if alive(self):
            self.save_button.setEnabled(True)
            self.message.setText(self.tr("Saved at HQ."))
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        self.save_button.setEnabled(True)
        cause = hq_cause(exc)
        if cause == "unreachable":
            self.message.setText(self.tr("HQ cannot be reached; nothing was changed. Try again in a moment."))
        elif cause == "login":
            self.message.setText(self.tr("Sign in to HQ again to edit canned replies."))
        else:
            self.message.setText(self.tr("HQ refused: %1").replace("%1", refusal_reason(exc)))


__all__ = ["CannedEditor", "new_id"]
