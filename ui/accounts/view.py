"""The Register view: suspicious accounts, filtered by reason, action taken, status and platform; an
account's handle, link, reasons, actions (FIR numbers, notices), linked posts, claims and cases,
and its history.

Loads go through ``ui.operations.claims`` on the network pool. Translation context ``Claims``
(the words for reasons, actions and statuses are shared with the Claims view).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.accounts import AccountStatus, ActionKind, Reason
from core.claims import PLATFORMS
from ui.claims.common import failure_text, fill, labels, make_table, selected_key, value_label, when
from ui.operations.base import TaskManager, alive
from ui.operations.claims import ClaimsSource, load_account, load_accounts

# The filters' values, in the order core declares them.
REASONS = tuple(str(r) for r in Reason)
ACTIONS = tuple(str(a) for a in ActionKind)
STATUSES = tuple(str(s) for s in AccountStatus)

_Q = QCoreApplication


def change_text(change: dict[str, Any]) -> str:
    """One history entry in the operator's words."""
    if "created" in change:
        return _Q.translate("Claims", "added the account to the register")
    if "action" in change:
        return _Q.translate("Claims", "recorded an action: {action}").format(
            action=value_label(change["action"]["kind"])
        )
    if set(change) == {"links_added"}:
        return _Q.translate("Claims", "linked {links}").format(links=", ".join(change["links_added"]))
    return _Q.translate("Claims", "changed {fields}").format(fields=", ".join(sorted(change)))


class RegisterView(QWidget):
    """A window of its own, read-only: the register is changed at HQ (``python -m hq accounts``, API)."""

    def __init__(self, source: ClaimsSource, taskman: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("register-view")
        self.setWindowTitle(_Q.translate("Claims", "Suspicious accounts"))
        self._source = source
        self._taskman = taskman
        self._account: dict[str, Any] | None = None

        self.filters: dict[str, QComboBox] = {}
        top = QHBoxLayout()
        for key, title, values in (
            ("reason", _Q.translate("Claims", "Reason:"), REASONS),
            ("action", _Q.translate("Claims", "Action:"), ACTIONS),
            ("status", _Q.translate("Claims", "Status:"), STATUSES),
            ("platform", _Q.translate("Claims", "Platform:"), PLATFORMS),
        ):
            combo = QComboBox()
            combo.setObjectName(f"register-{key}")
            combo.addItem(_Q.translate("Claims", "Any"), "")
            for v in values:
                combo.addItem(value_label(v), v)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
            self.filters[key] = combo
            top.addWidget(QLabel(title))
            top.addWidget(combo)
        refresh = QPushButton(_Q.translate("Claims", "Refresh"))
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        top.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("register-message")
        self.message.setWordWrap(True)

        self.list = make_table(
            [
                _Q.translate("Claims", "Platform"),
                _Q.translate("Claims", "Handle"),
                _Q.translate("Claims", "Reasons"),
                _Q.translate("Claims", "Status"),
                _Q.translate("Claims", "Actions taken"),
                _Q.translate("Claims", "District"),
                _Q.translate("Claims", "Seen again"),
            ],
            "register-list",
            stretch=2,
        )
        self.list.itemSelectionChanged.connect(self._selected)

        self.handle = QLabel()
        self.handle.setObjectName("account-handle")
        self.url = QLabel()
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_Q.translate("Claims", "Account:"), self.handle)
        form.addRow(_Q.translate("Claims", "Link:"), self.url)
        form.addRow(_Q.translate("Claims", "Reasons:"), self.reasons)
        form.addRow(_Q.translate("Claims", "Note:"), self.note)
        self.action_table = make_table(
            [_Q.translate("Claims", "Action"), _Q.translate("Claims", "Reference"), _Q.translate("Claims", "Date")],
            "account-actions",
        )
        self.links = make_table(
            [_Q.translate("Claims", "Linked"), _Q.translate("Claims", "Reference")], "account-links"
        )
        self.history = make_table(
            [_Q.translate("Claims", "When (UTC)"), _Q.translate("Claims", "Change")], "account-history"
        )
        detail = QWidget()
        right = QVBoxLayout(detail)
        right.addLayout(form)
        right.addWidget(QLabel(_Q.translate("Claims", "Actions taken")))
        right.addWidget(self.action_table, 1)
        right.addWidget(QLabel(_Q.translate("Claims", "Linked posts, claims and cases")))
        right.addWidget(self.links, 1)
        right.addWidget(QLabel(_Q.translate("Claims", "History")))
        right.addWidget(self.history, 1)

        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self._show_account(None)

    def refresh(self) -> None:
        filters = {key: str(combo.currentData() or "") for key, combo in self.filters.items()}
        op = load_accounts(self._source, filters)
        op.success = self._listed
        op.failure = self._failed
        op.run(self._taskman)

    def _listed(self, entries: list[dict[str, Any]]) -> None:
        if not alive(self):
            return
        keep = self._account["id"] if self._account else None
        rows = [
            (
                value_label(a["platform"]),
                a["handle"],
                labels(a["reasons"]),
                value_label(a["status"]),
                labels(a["actions"]),
                a["district"] or "",
                a["flagged"],
            )
            for a in entries
        ]
        self.list.blockSignals(True)
        fill(self.list, rows, [a["id"] for a in entries])
        self.list.clearSelection()  # the selection below always announces itself, so the detail follows it
        self.list.blockSignals(False)
        self.message.setText(_Q.translate("Claims", "Accounts shown: {n}").format(n=len(entries)))
        ids = [a["id"] for a in entries]
        if keep in ids:
            self.list.selectRow(ids.index(keep))
        elif ids:
            self.list.selectRow(0)
        else:
            self._show_account(None)

    def _selected(self) -> None:
        account_id = selected_key(self.list)
        if account_id is None:
            return
        op = load_account(self._source, account_id)
        op.success = self._show_account
        op.failure = self._failed
        op.run(self._taskman)

    def _failed(self, exc: BaseException) -> None:
        if alive(self):
            self.message.setText(failure_text(exc))

    def _show_account(self, account: dict[str, Any] | None) -> None:
        if not alive(self):
            return
        self._account = account
        a = account or {}
        self.handle.setText(
            f"{value_label(a['platform'])} · @{a['handle']} · {value_label(a['status'])}" if account else ""
        )
        self.url.setText(a.get("url") or "")
        self.reasons.setText(labels(a.get("reasons", [])))
        self.note.setText(a.get("note", ""))
        fill(
            self.action_table,
            [(value_label(x["kind"]), x["reference"], x["on_date"]) for x in a.get("actions", [])],
        )
        fill(self.links, [(value_label(x["kind"]), x["ref"]) for x in a.get("links", [])])
        fill(
            self.history,
            [
                (when(h["at"]), f"{h.get('username') or h['actor']}: {change_text(h['change'])}")
                for h in reversed(a.get("history", []))
            ],
        )
