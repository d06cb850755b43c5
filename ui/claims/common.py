"""What the Claims and Register views share: the words for each stored value, table filling, times.

Translation context ``Claims``: every status, reason, action and platform name is said here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ui.operations.claims import failure_cause

_Q = QCoreApplication


def value_label(value: str) -> str:
    """The operator's word for a stored value (a status, reason, action kind, platform, link kind)."""
    labels = {
        "investigating": _Q.translate("Claims", "Investigating"),
        "rebutted": _Q.translate("Claims", "Rebutted"),
        "closed": _Q.translate("Claims", "Closed"),
        "suggested": _Q.translate("Claims", "To decide"),
        "confirmed": _Q.translate("Claims", "Confirmed"),
        "dismissed": _Q.translate("Claims", "Dismissed"),
        "text": _Q.translate("Claims", "Similar text"),
        "image": _Q.translate("Claims", "Same image"),
        "incitement": _Q.translate("Claims", "Incitement"),
        "communal_content": _Q.translate("Claims", "Communal content"),
        "fake_news": _Q.translate("Claims", "Fake news"),
        "impersonation": _Q.translate("Claims", "Impersonation"),
        "fraud": _Q.translate("Claims", "Fraud"),
        "reported_to_platform": _Q.translate("Claims", "Reported to the platform"),
        "notice_served": _Q.translate("Claims", "Notice served"),
        "fir_registered": _Q.translate("Claims", "FIR registered"),
        "watching": _Q.translate("Claims", "Watching"),
        "actioned": _Q.translate("Claims", "Action taken"),
        "removed": _Q.translate("Claims", "Removed by the platform"),
        "facebook": "Facebook",
        "instagram": "Instagram",
        "x": "X",
        "youtube": "YouTube",
        "whatsapp": "WhatsApp",
        "other": _Q.translate("Claims", "Other"),
        "post": _Q.translate("Claims", "Post"),
        "claim": _Q.translate("Claims", "Claim"),
        "case": _Q.translate("Claims", "Case"),
    }
    return labels.get(value, value)


def labels(values: Sequence[str]) -> str:
    return ", ".join(value_label(v) for v in values)


def when(value: str | None) -> str:
    """A stored UTC time as the views show it: date and minute (UTC, said in the column title)."""
    return "" if not value else value[:16].replace("T", " ")


def make_table(columns: Sequence[str], name: str, stretch: int = -1) -> QTableWidget:
    """A read-only, row-selecting table; column ``stretch`` (default the last) takes the spare width,
    the others fit their contents, so no number or date is cut off."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch % len(columns), QHeaderView.ResizeMode.Stretch)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None) -> None:
    """Replace the table's rows; ``keys[i]`` is kept on row i's first cell (``Qt.UserRole``)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)


def selected_key(table: QTableWidget) -> Any:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def failure_text(exc: BaseException) -> str:
    """One sentence for a failed call to HQ, by cause."""
    cause, detail = failure_cause(exc)
    if cause == "login":
        return _Q.translate("Claims", "Sign in to HQ again to see this.")
    if cause == "unreachable":
        return _Q.translate("Claims", "HQ cannot be reached; the list is as it was last loaded.")
    if cause == "refused":
        return _Q.translate("Claims", "HQ refused: {reason}").format(reason=detail)
    return _Q.translate("Claims", "Could not load: {reason}").format(reason=detail)
