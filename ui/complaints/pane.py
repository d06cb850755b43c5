"""One complaint: the post and its thread, its deadlines, the replies with their publication state
(failed attempts with HQ's error and the next retry), the replies still on this PC, approval for a
supervisor, and the composer. Where the account cannot reply (a district's console: HQ's endpoints
answer citizens), the composer is hidden and a line says who replies; "Open as a case" shows the
complaint in the detail pane, whose actions follow ``core.commands.allowed_for``.

Translation context ``ComplaintPane``. Threading: GUI thread only.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ui.claims.common import fill as fill_table
from ui.claims.common import make_table, selected_key
from ui.complaints.composer import Composer
from ui.complaints.model import hms
from ui.labels import (
    complaint_category_label,
    deadline_label,
    local_time,
    platform_label,
    reply_status_label,
    sla_state_label,
)
from ui.operations.complaints import ComplaintRow, PendingReply

APPROVERS = ("supervisor", "admin")


def _link(url: str | None, text: str | None = None) -> str:
    if not url:
        return ""
    from html import escape

    return f'<a href="{escape(url, quote=True)}">{escape(text or url)}</a>'


class ComplaintPane(QWidget):
    approve_requested = Signal(str, str)  # case id, reply id
    discard_requested = Signal(str)  # a pending reply's local id
    open_case_requested = Signal(str)  # case id: show it as a case (the detail pane's actions)

    def __init__(self, composer: Composer, *, role: str, user_id: str, can_reply: bool = True,
                 open_as_case: bool = False, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("complaint-pane")
        self._row: ComplaintRow | None = None
        self._role = role
        self._user_id = user_id
        self.composer = composer

        self.title = QLabel()
        self.title.setObjectName("complaint-title")
        self.title.setWordWrap(True)
        self.post = QLabel()
        self.post.setObjectName("complaint-post")
        self.thread_label = QLabel()
        self.thread_label.setObjectName("complaint-thread")
        self.links = QLabel()
        self.links.setObjectName("complaint-links")
        self.links.setOpenExternalLinks(True)
        self.links.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.post, self.thread_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Post:"), self.post)
        form.addRow(self.tr("In reply to:"), self.thread_label)
        form.addRow(self.tr("Links:"), self.links)

        self.deadlines = make_table([self.tr("Deadline"), self.tr("Due"), self.tr("State")], "complaint-deadlines")
        self.deadlines.setMaximumHeight(110)
        self.replies = make_table(
            [self.tr("Reply"), self.tr("State"), self.tr("Attempts"), self.tr("Last error"), self.tr("Next retry")],
            "complaint-replies",
            stretch=0,
        )
        self.replies.setMaximumHeight(150)
        self.replies.itemSelectionChanged.connect(self._update_buttons)
        self.approve_button = QPushButton(self.tr("Approve the selected reply"))
        self.approve_button.setObjectName("reply-approve")
        self.approve_button.clicked.connect(self._approve)
        self.discard_button = QPushButton(self.tr("Discard the refused reply"))
        self.discard_button.setObjectName("reply-discard")
        self.discard_button.clicked.connect(self._discard)
        self.message = QLabel()
        self.message.setObjectName("complaint-message")
        self.message.setWordWrap(True)
        self.open_case_button = QPushButton(self.tr("Open as a case"))
        self.open_case_button.setObjectName("complaint-open-case")
        self.open_case_button.setToolTip(
            self.tr("Show this complaint in the Cases tab, with the actions this console may record")
        )
        self.open_case_button.setVisible(open_as_case)
        self.open_case_button.clicked.connect(self._open_case)
        self.reply_note = QLabel(self.tr(
            "Replies to citizens are written and published at HQ; this console shows them and their deadlines."
        ))  # fmt: skip
        self.reply_note.setObjectName("complaint-reply-note")
        self.reply_note.setWordWrap(True)
        self.reply_note.setVisible(not can_reply)
        composer.setVisible(can_reply)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_case_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.deadlines)
        layout.addWidget(QLabel(self.tr("Replies")))
        layout.addWidget(self.replies)
        layout.addLayout(buttons)
        layout.addWidget(self.reply_note)
        layout.addWidget(composer)
        layout.addStretch(1)
        self._pending: list[PendingReply] = []
        self._refused: dict[str, str] = {}
        self.show_row(None, datetime.now().astimezone(), [], {})

    @property
    def case_id(self) -> str | None:
        return self._row.case_id if self._row else None

    def show_row(
        self, row: ComplaintRow | None, now: datetime, pending: list[PendingReply], refused: dict[str, str],
        district_name: str | None = None,
    ) -> None:  # fmt: skip
        self._row, self._pending, self._refused = row, pending, refused
        if row is None:
            self.title.setText(self.tr("Open a complaint in the list to see it and reply."))
            for w in (self.post, self.thread_label, self.links):
                w.setText("")
            fill_table(self.deadlines, [])
            fill_table(self.replies, [])
            self.composer.set_row(None, None)
            self._update_buttons()
            return
        category = complaint_category_label(row.category)
        self.title.setText(
            self.tr("%1 on %2 · %3 · %4")
            .replace("%1", row.author_handle or self.tr("(no handle)"))
            .replace("%2", platform_label(row.platform))
            .replace("%3", category)
            .replace("%4", district_name or self.tr("Not routed"))
        )
        self.post.setText(row.text)
        self.thread_label.setText(row.thread_text or "—")
        self.links.setText(" · ".join(x for x in (
            _link(row.post_url, self.tr("the post")), _link(row.author_url, self.tr("the author")),
            _link(row.thread_url, self.tr("the thread")),
        ) if x) or "—")  # fmt: skip
        self.refresh_times(now)
        rows: list[tuple[str, ...]] = []
        keys: list[str] = []
        for p in pending:
            state = (self.tr("HQ refused: %1").replace("%1", refused[p.local_id]) if p.local_id in refused
                     else reply_status_label("not_sent"))  # fmt: skip
            rows.append((p.text, state, "", p.last_error or "", ""))
            keys.append(f"pending:{p.local_id}")
        for r in row.replies:
            rows.append((
                str(r["text"]), reply_status_label(str(r["status"])), str(r.get("attempts") or ""),
                str(r.get("last_error") or ""), local_time(r.get("retry_at")) if r.get("retry_at") else "",
            ))  # fmt: skip
            keys.append(f"reply:{r['reply_id']}")
        fill_table(self.replies, rows, keys)
        self.composer.set_row(row, district_name)
        self._update_buttons()

    def refresh_times(self, now: datetime) -> None:
        """The deadlines' states and time left (the view's timer calls this every second)."""
        if self._row is None:
            return
        out = []
        for d in self._row.deadlines:
            state = d.state(now)
            left = (d.due_at - now).total_seconds()
            when = local_time(d.due_at.isoformat())
            if d.met_at is None:
                span = self.tr("%1 left") if left >= 0 else self.tr("%1 late")
                when += "  (" + span.replace("%1", hms(abs(left))) + ")"
            out.append((deadline_label(str(d.kind)), when, sla_state_label(str(state))))
        fill_table(self.deadlines, out)

    def _selected_reply(self) -> dict[str, object] | None:
        key = selected_key(self.replies)
        if not key or not str(key).startswith("reply:") or self._row is None:
            return None
        rid = str(key).split(":", 1)[1]
        return next((r for r in self._row.replies if r["reply_id"] == rid), None)

    def _update_buttons(self) -> None:
        reply = self._selected_reply()
        can_approve = self._role in APPROVERS
        self.approve_button.setVisible(can_approve)
        self.approve_button.setEnabled(
            can_approve and reply is not None and reply["status"] == "awaiting_approval"
        )
        self.open_case_button.setEnabled(self._row is not None)
        key = selected_key(self.replies)
        refused = bool(key) and str(key).startswith("pending:") and str(key).split(":", 1)[1] in self._refused
        self.discard_button.setVisible(bool(self._refused))
        self.discard_button.setEnabled(refused)

    def _approve(self) -> None:
        reply = self._selected_reply()
        if reply is not None and self._row is not None:
            self.message.setText(self.tr("Asking HQ…"))
            self.approve_requested.emit(self._row.case_id, str(reply["reply_id"]))

    def _open_case(self) -> None:
        if self._row is not None:
            self.open_case_requested.emit(self._row.case_id)

    def _discard(self) -> None:
        key = selected_key(self.replies)
        if key and str(key).startswith("pending:"):
            self.discard_requested.emit(str(key).split(":", 1)[1])

    def table(self) -> QTableWidget:
        return self.replies


__all__ = ["ComplaintPane"]
