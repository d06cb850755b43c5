"""The Claims view: the claims with their status and counts; a claim's text, official version,
rebuttals, the posts suggested as the same rumour (an HQ operator confirms or dismisses each), and
its history.

Every load and verdict goes through ``ui.operations.claims`` on the network pool; this widget builds
requests and paints results. Translation context ``Claims``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from core.claims import ClaimStatus
from ui.claims.common import failure_text, fill, labels, make_table, selected_key, value_label, when
from ui.operations.base import TaskManager, alive
from ui.operations.claims import ClaimsSource, decide_suggestion, load_claim, load_claims

STATUSES = ("", *(str(s) for s in ClaimStatus))  # "": all statuses
PREVIEW_CHARS = 90


class ClaimsView(QWidget):
    """A window of its own. ``can_decide``: the signed-in role may confirm or dismiss suggestions
    (HQ operators; HQ refuses anyone else anyway)."""

    def __init__(
        self, source: ClaimsSource, taskman: TaskManager, *, can_decide: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("claims-view")
        self.setWindowTitle(self.tr("Misinformation claims"))
        self._source = source
        self._taskman = taskman
        self._can_decide = can_decide
        self._claim: dict[str, Any] | None = None

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("claims-status")
        for s in STATUSES:
            self.status_filter.addItem(value_label(s) if s else self.tr("All statuses"), s)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel()
        self.message.setObjectName("claims-message")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Status:")))
        top.addWidget(self.status_filter)
        top.addWidget(self.refresh_button)
        top.addWidget(self.message, 1)

        self.list = make_table(
            [
                self.tr("Status"),
                self.tr("Claim"),
                self.tr("Districts"),
                self.tr("Rebuttals"),
                self.tr("To decide"),
                self.tr("Confirmed posts"),
                self.tr("Recorded (UTC)"),
            ],
            "claims-list",
            stretch=1,
        )
        self.list.itemSelectionChanged.connect(self._selected)

        self.text = QLabel()
        self.text.setObjectName("claim-text")
        self.official = QLabel()
        self.official.setObjectName("claim-official")
        for label in (self.text, self.official):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.spread = QLabel()
        self.spread.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Rumour:"), self.text)
        form.addRow(self.tr("Official version:"), self.official)
        form.addRow(self.tr("Spread:"), self.spread)
        self.rebuttals = make_table(
            [self.tr("Platform"), self.tr("Published (UTC)"), self.tr("Link")], "claim-rebuttals"
        )
        self.suggestions = make_table(
            [self.tr("Post"), self.tr("Match"), self.tr("Likeness"), self.tr("Decision")],
            "claim-suggestions",
            stretch=0,
        )
        self.suggestions.itemSelectionChanged.connect(self._update_buttons)
        self.confirm_button = QPushButton(self.tr("Confirm: same rumour"))
        self.confirm_button.setObjectName("suggestion-confirm")
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("suggestion-dismiss")
        self.confirm_button.clicked.connect(lambda: self._decide(True))
        self.dismiss_button.clicked.connect(lambda: self._decide(False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        self.history = make_table([self.tr("When (UTC)"), self.tr("Change")], "claim-history")

        detail = QWidget()
        right = QVBoxLayout(detail)
        right.addLayout(form)
        right.addWidget(QLabel(self.tr("Rebuttals published")))
        right.addWidget(self.rebuttals, 1)
        right.addWidget(QLabel(self.tr("Posts suggested as the same rumour")))
        right.addWidget(self.suggestions, 2)
        right.addLayout(buttons)
        right.addWidget(QLabel(self.tr("History")))
        right.addWidget(self.history, 1)

        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)  # the claim's text needs the width; the detail wraps
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._show_claim(None)

    # ---- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        op = load_claims(self._source, self.status_filter.currentData() or None)
        op.success = self._listed
        op.failure = self._failed
        op.run(self._taskman)

    def _listed(self, claims: list[dict[str, Any]]) -> None:
        if not alive(self):
            return
        keep = self._claim["id"] if self._claim else None
        rows = [
            (
                value_label(c["status"]),
                " ".join(c["text"].split())[:PREVIEW_CHARS],
                ", ".join(c["districts"]),
                c["rebuttals"],
                c["suggested"],
                c["confirmed"],
                when(c["created_at"]),
            )
            for c in claims
        ]
        self.list.blockSignals(True)
        fill(self.list, rows, [c["id"] for c in claims])
        self.list.clearSelection()  # the selection below always announces itself, so the detail follows it
        self.list.blockSignals(False)
        self.message.setText(self.tr("%n claim(s)", "", len(claims)))
        ids = [c["id"] for c in claims]
        if keep in ids:
            self.list.selectRow(ids.index(keep))
        elif ids:
            self.list.selectRow(0)
        else:
            self._show_claim(None)

    def _selected(self) -> None:
        claim_id = selected_key(self.list)
        if claim_id is None:
            return
        op = load_claim(self._source, claim_id)
        op.success = self._show_claim
        op.failure = self._failed
        op.run(self._taskman)

    def _failed(self, exc: BaseException) -> None:
        if alive(self):
            self.message.setText(failure_text(exc))

    # ---- the claim -----------------------------------------------------------------------------------
    def _show_claim(self, claim: dict[str, Any] | None) -> None:
        if not alive(self):
            return
        self._claim = claim
        c = claim or {}
        self.text.setText(c.get("text", ""))
        self.official.setText(c.get("official_version") or (self.tr("(not written yet)") if claim else ""))
        self.spread.setText(
            self.tr("{platforms}; districts: {districts}").format(
                platforms=labels(c.get("platforms", [])) or "—", districts=", ".join(c.get("districts", [])) or "—"
            )
            if claim
            else ""
        )
        fill(
            self.rebuttals,
            [(value_label(r["platform"]), when(r["published_at"]), r["link"]) for r in c.get("rebuttals", [])],
        )
        sug = c.get("suggestions", [])
        fill(
            self.suggestions,
            [
                (
                    " ".join(s["post_text"].split())[:PREVIEW_CHARS] or s["post_ref"],
                    value_label(s["kind"]),
                    f"{round(s['score'] * 100)}%",
                    value_label(s["status"]),
                )
                for s in sug
            ],
            [s["id"] for s in sug],
        )
        fill(self.history, [(when(h["at"]), self._change_text(h)) for h in reversed(c.get("history", []))])
        self._update_buttons()

    def _change_text(self, entry: dict[str, Any]) -> str:
        change = entry["change"]
        who = entry.get("username") or entry["actor"]
        if "created" in change:
            what = self.tr("recorded the claim")
        elif "rebuttal" in change:
            what = self.tr("added a rebuttal on {platform}").format(
                platform=value_label(change["rebuttal"]["platform"])
            )
        elif "suggestion" in change:
            what = self.tr("{decision} a suggested post").format(
                decision=value_label(change["suggestion"]["status"]).lower()
            )
        elif "status" in change:
            what = self.tr("changed the status to {status}").format(status=value_label(change["status"][1]))
        else:
            what = self.tr("changed {fields}").format(fields=", ".join(sorted(change)))
        return f"{who}: {what}"

    def _update_buttons(self) -> None:
        sid = selected_key(self.suggestions)
        pending = False
        if sid is not None and self._claim is not None:
            pending = any(s["id"] == sid and s["status"] == "suggested" for s in self._claim["suggestions"])
        for button in (self.confirm_button, self.dismiss_button):
            button.setVisible(self._can_decide)
            button.setEnabled(self._can_decide and pending)

    def _decide(self, confirm: bool) -> None:
        sid = selected_key(self.suggestions)
        if sid is None or self._claim is None:
            return
        for button in (self.confirm_button, self.dismiss_button):
            button.setEnabled(False)
        op = decide_suggestion(self._source, self._claim["id"], int(sid), confirm)
        op.success = self._decided
        op.failure = self._failed
        op.run(self._taskman)

    def _decided(self, claim: dict[str, Any]) -> None:
        if alive(self):
            self._show_claim(claim)
            self.refresh()

    def table(self, name: str) -> QTableWidget:
        found = self.findChild(QTableWidget, name)
        assert found is not None
        return found
