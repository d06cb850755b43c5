"""The case detail pane: who, what they posted, where they are, what has been done, and the actions.

Loading: ``show_case`` starts a ``QueryOp`` stamped "detail"; if the operator clicks through three
cases quickly, only the last one's state is painted. A change to the shown case (a local action, a
pull from HQ) reloads it.

Privacy: phone numbers are masked; revealing one records a ``contact_revealed`` event first (on the
DB worker) and unmasks only when that event is stored, so every reveal is audited. ``clear()`` empties
every widget (used by the idle lock), so no personal text remains in the widget tree.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.commands import ROLE_WRITES, allowed_for
from core.events import EventType, Tier, parse_time
from core.reports import tip_status
from ui.chain_view import ChainView
from ui.context import ApplicationContext
from ui.entry_text import (
    _esc,
    _summary,
    event_text,
    mask_phone,
)
from ui.forms.specs import specs_for
from ui.labels import (
    author_label,
    clock_time,
    event_label,
    forward_label,
    kind_label,
    local_time,
    outcome_label,
    source_label,
    status_label,
    sync_label,
    tip_status_label,
)
from ui.location_box import LocationBox
from ui.operations import alive
from ui.operations.cases import load_case
from ui.operations.record import reveal_contact
from ui.tips.panel import TipBox


class DetailPane(QWidget):
    """Shows one case. ``action_requested(form_id)`` asks the main window to open a form."""

    action_requested = Signal(str)
    loaded = Signal(str)  # case id, after a load was painted

    def action_labels(self) -> tuple[tuple[str, str], ...]:
        return (
            ("acknowledge", self.tr("Acknowledge (Ctrl+K)")),
            ("assign", self.tr("Route / reassign")),
            ("locate", self.tr("Trace location")),
            ("dispatch", self.tr("Dispatch (Ctrl+D)")),
            ("forward", self.tr("Forward")),
            ("en_route", self.tr("En route")),
            ("reached", self.tr("Reached")),
            ("outcome", self.tr("Outcome (Ctrl+O)")),
            ("note", self.tr("Counselling note (Ctrl+N)")),
            ("follow_up", self.tr("Schedule follow-up")),
            ("follow_up_done", self.tr("Complete follow-up")),
            ("raise_risk", self.tr("Raise to suicide risk")),
            ("close", self.tr("Close case")),
            ("reopen", self.tr("Reopen")),
            ("amend", self.tr("Correct an entry")),
        )

    def __init__(self, ctx: ApplicationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = ""
        self.state: Any = None
        self.history: list[Any] = []
        self._revealed: set[str] = set()

        self.header = QLabel()
        self.header.setObjectName("detail-header")
        hf = QFont(self.header.font())
        hf.setPointSizeF(hf.pointSizeF() * 1.3)
        hf.setBold(True)
        self.header.setFont(hf)
        self.header.setWordWrap(True)
        self.header.setAccessibleName(self.tr("Case"))
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.subject = QLabel()
        self.subject.setObjectName("detail-subject")
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject.setAccessibleName(self.tr("Subject"))
        self.links = QLabel()
        self.links.setOpenExternalLinks(True)
        self.phones_box = QWidget()
        self.phones_layout = QGridLayout(self.phones_box)
        self.phones_layout.setContentsMargins(0, 0, 0, 0)
        self.phones_layout.setColumnStretch(3, 1)
        self.post = QTextBrowser()
        self.post.setObjectName("detail-post")
        self.post.setAccessibleName(self.tr("Post text"))
        self.post.setMaximumHeight(64)
        self.post.setOpenExternalLinks(False)

        self.probable = LocationBox(self.tr("Probable location (from the alert)"))
        self.traced = LocationBox(self.tr("Traced location"))
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.progress.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain = ChainView()

        self.timeline = QTableWidget(0, 5)
        self.timeline.setObjectName("detail-timeline")
        self.timeline.setAccessibleName(self.tr("Timeline"))
        self.timeline.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Entry"), self.tr("By"), self.tr("Details"), self.tr("Sync")]
        )
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.timeline.setMinimumHeight(150)
        self.timeline.setWordWrap(False)
        self.timeline.itemActivated.connect(self._open_entry)
        self._entry_dialog: QDialog | None = None

        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        hq_only = {"assign"} if ctx.author.tier is not Tier.HQ else set()  # routing is HQ's
        # An account that records only some entries (a DIG, an SP's office: ``ROLE_WRITES``) gets only
        # their buttons: the others would stay greyed out on every case, clutter at a tip desk.
        writes = ROLE_WRITES.get(ctx.role) if ctx.role else None
        forms = specs_for()
        shown = [
            (f, label)
            for f, label in self.action_labels()
            if f not in hq_only and (writes is None or forms[f].etype in writes)
        ]
        for i, (form_id, label) in enumerate(shown):
            button = QPushButton(label)
            button.setObjectName(f"action-{form_id}")
            button.setAccessibleName(label)
            button.clicked.connect(lambda _c=False, f=form_id: self.action_requested.emit(f))
            actions.addWidget(button, i // 4, i % 4)
            self.buttons[form_id] = button

        self.tip_box = TipBox(ctx)
        who = self.who = QGroupBox(self.tr("Person"))
        wl = QVBoxLayout(who)
        wl.addWidget(self.subject)
        wl.addWidget(self.phones_box)
        wl.addWidget(self.links)
        wl.addWidget(self.post)

        body = QWidget()
        bl = QVBoxLayout(body)
        bl.addWidget(self.header)
        bl.addWidget(self.meta)
        bl.addLayout(actions)
        bl.addWidget(self.tip_box)
        bl.addWidget(who)
        bl.addWidget(self.probable)
        bl.addWidget(self.traced)
        bl.addWidget(self.progress)
        bl.addWidget(self.chain)
        bl.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.placeholder = QLabel(self.tr("Select a case in the queue."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        # Case facts scroll on top; the timeline keeps its own pane below, always in view.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.timeline)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout.addWidget(split)
        self._scroll = split
        self.clear()

    # ---- loading -----------------------------------------------------------------------------------
    def show_case(self, case_id: str) -> None:
        if case_id != self.case_id:
            self._revealed.clear()
        self.case_id = case_id
        if not case_id:
            self.clear()
            return
        def done(result: tuple[Any, list[Any]]) -> None:
            if alive(self) and case_id == self.case_id:
                self._paint(*result)

        load_case(self._ctx, case_id, success=done).run(self._ctx.taskman)

    def reload(self) -> None:
        if self.case_id:
            self.show_case(self.case_id)

    def clear(self) -> None:
        """Empty every widget that may hold personal data (idle lock, no case selected)."""
        self.state = None
        self.history = []
        self._revealed.clear()
        for label in (self.header, self.meta, self.subject, self.links, self.progress):
            label.clear()
        self.post.clear()
        self.chain.clear()
        self.tip_box.clear()
        self._set_phones([])
        for box in (self.probable, self.traced):
            box.place.clear()
            box.coords.clear()
            box.link.clear()
        self.timeline.setRowCount(0)
        self._scroll.hide()
        self.placeholder.show()
        for b in self.buttons.values():
            b.setEnabled(False)

    def forget(self) -> None:
        """Clear and stop following the case (lock); ``show_case`` starts again."""
        self.clear()
        self.case_id = ""

    def _paint(self, state: Any, history: list[Any]) -> None:
        if state is None or not state.exists:
            self.clear()
            self.placeholder.setText(self.tr("This case's details have not reached this workstation yet."))
            return
        self.state = state
        self.history = history
        self.placeholder.hide()
        self._scroll.show()
        alarm = "⚠ " if state.needs_alarm else ""
        status = tip_status_label(str(tip_status(state))) if state.kind == "tip" else status_label(str(state.status))
        self.header.setText(f"{alarm}{kind_label(state.kind)} — {status}")
        self.header.setStyleSheet("color: #9b0000;" if state.needs_alarm else "")
        meta = [
            self.tr("Priority %1").replace("%1", str(state.priority)),
            self.tr("received %1").replace("%1", local_time(state.received_at)),
            # a tip's upstream reference is the relay's own key: of no use to an officer
            source_label(state.source)
            if state.kind == "tip"
            else f"{state.source or ''} {state.upstream_ref or ''}".strip(),
            " / ".join(self.place_name(x) for x in (state.district, state.police_station) if x),
        ]
        if state.acknowledged_by:
            meta.append(self.tr("acknowledged by %1").replace("%1", state.acknowledged_by))
        self.meta.setText(" · ".join(m for m in meta if m))
        subject = dict(state.subject or {})
        name = subject.get("name") or self.tr("(name not known)")
        self.subject.setText(f"<b>{_esc(str(name))}</b>")
        links = []
        for key, label in (
            ("profile_url", self.tr("Profile")), ("post_url", self.tr("Post")), ("picture_url", self.tr("Picture"))
        ):
            if subject.get(key):
                links.append(f'<a href="{_esc(str(subject[key]))}">{label}</a>')
        self.links.setText(" · ".join(links))
        self.post.setPlainText(str(subject.get("post_text") or state.summary or ""))
        self._set_phones(list(subject.get("phones") or []))
        self.who.setVisible(state.kind != "tip")  # a tipster is a pseudonym, shown in the tip box
        self.tip_box.show_tip(state.case_id, history, state.is_closed)
        self.probable.show_location(dict(state.location or {}))
        method = state.location_method or ""
        self.traced.show_location(dict(state.traced_location or {}) if state.traced_location else None, method)
        self.progress.setText(self._progress_text(state))
        self.chain.show_chain(state, [s.event for s in history if str(s.sync_state) != "rejected"])
        self._paint_timeline(history)
        self._enable_actions(state)
        self.loaded.emit(state.case_id)

    def _progress_text(self, state: Any) -> str:
        lines = []
        if state.dispatch:
            d = dict(state.dispatch)
            who = " · ".join(str(x) for x in (d.get("officer"), d.get("team")) if x)
            lines.append(self.tr("Dispatched: %1").replace("%1", who))
        eta = self._eta_text(state)
        if eta:
            lines.append(eta)
        for f in state.forwards:
            lines.append(self.tr("Forwarded: %1 (ref %2)").replace("%1", forward_label(str(f.get("to")))).replace(
                "%2", str(f.get("reference"))
            ))
        if state.reached_at:
            lines.append(self.tr("Reached: %1 %2").replace("%1", local_time(state.reached_at)).replace(
                "%2", state.reached_place or ""
            ))
        if state.outcome:
            lines.append(self.tr("Outcome: %1").replace("%1", outcome_label(state.outcome)))
        for n in state.counselling_notes:
            lines.append(self.tr("Counselled by %1 %2").replace("%1", str(n.get("officer_rank", ""))).replace(
                "%2", str(n.get("officer_name", ""))
            ))
            if n.get("referral"):
                lines.append("    " + self.tr("Referral: %1").replace("%1", str(n["referral"])))
            if n.get("text"):
                lines.append("    " + self.tr("Note: %1").replace("%1", " ".join(str(n["text"]).split())))
        for fu in state.open_follow_ups():
            lines.append(self.tr("Follow-up due %1").replace("%1", local_time(fu.due)))
        if state.anomalies:
            lines.append(self.tr("Note: %1").replace("%1", "; ".join(state.anomalies)))
        return "\n".join(lines)

    def _eta_text(self, state: Any) -> str:
        """ "En route since 21:28, expected in 12 min (by 21:40)" from the latest en-route entry."""
        if not state.en_route_at or state.reached_at:
            return ""
        latest = None
        for stored in self.history:
            e = stored.event
            if e.type is EventType.EN_ROUTE and str(stored.sync_state) != "rejected":
                latest = e
        if latest is None:
            return ""
        since = local_time(latest.wall_time)[-8:-3]
        eta = latest.payload.get("eta_min")
        if not isinstance(eta, int):
            return self.tr("En route since %1").replace("%1", since)
        try:
            by = clock_time(parse_time(latest.wall_time) + timedelta(minutes=eta))
        except ValueError:
            by = ""
        return self.tr("En route since %1, expected in %2 min (by %3)").replace("%1", since).replace(
            "%2", str(eta)).replace("%3", by)

    def _set_phones(self, phones: list[str]) -> None:
        while self.phones_layout.count():
            item = self.phones_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.phone_labels: list[QLabel] = []
        self.reveal_buttons: list[QPushButton] = []
        for i, phone in enumerate(phones):
            field = f"phones[{i}]"
            revealed = field in self._revealed
            label = QLabel(phone if revealed else mask_phone(phone))
            label.setObjectName(f"phone-{i}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(self.tr("Phone number %1").replace("%1", str(i + 1)))
            button = QPushButton(self.tr("Reveal (audited)"))
            button.setObjectName(f"reveal-{i}")
            button.setAccessibleName(self.tr("Reveal phone number %1").replace("%1", str(i + 1)))
            button.setEnabled(not revealed)
            button.clicked.connect(lambda _c=False, f=field: self.reveal(f))
            self.phones_layout.addWidget(QLabel(self.tr("Phone")), i, 0)
            self.phones_layout.addWidget(label, i, 1)
            self.phones_layout.addWidget(button, i, 2)
            self.phone_labels.append(label)
            self.reveal_buttons.append(button)

    def reveal(self, field: str) -> None:
        """Record ``contact_revealed`` (audited), then unmask. Works offline (the event syncs later)."""
        ctx, case_id = self._ctx, self.case_id

        def done(_event: Any) -> None:
            if alive(self) and case_id == self.case_id:
                self._revealed.add(field)

        reveal_contact(ctx, case_id, field, success=done).run(ctx.taskman)

    def _paint_timeline(self, history: list[Any]) -> None:
        self.timeline.setRowCount(len(history))
        for r, stored in enumerate(history):
            e = stored.event
            state = str(getattr(stored.sync_state, "value", stored.sync_state))
            cells = (
                local_time(e.wall_time),
                event_label(str(e.type), getattr(self.state, "kind", None)),
                author_label(e.author_id, e.author_name),
                _summary(e, self.place_name),
                sync_label(state, stored.reject_reason),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4 and state == "rejected":
                    item.setForeground(Qt.GlobalColor.darkRed)
                    item.setToolTip(stored.reject_reason or "")
                if c == 3:
                    item.setToolTip(self.tr("Double-click or press Enter to read the whole entry."))
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.timeline.setItem(r, c, item)
        for col in (0, 1, 2, 4):
            self.timeline.resizeColumnToContents(col)

    def place_name(self, code: str | None) -> str:
        """A police station or district code as its name (the code when the name is not known)."""
        return self._ctx.places.name(code)

    def _open_entry(self, item: QTableWidgetItem) -> None:
        """The whole entry in a readable window (a long counselling note does not fit a cell or a tooltip)."""
        row = item.row()
        if not 0 <= row < len(self.history):
            return
        stored = self.history[row]
        e = stored.event
        dialog = QDialog(self)
        dialog.setObjectName("timeline-entry")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        label = event_label(str(e.type), getattr(self.state, "kind", None))
        dialog.setWindowTitle(f"{label} — {local_time(e.wall_time)}")
        head = QLabel(self.tr("%1 by %2 at %3").replace("%1", label).replace(
            "%2", author_label(e.author_id, e.author_name)).replace("%3", local_time(e.wall_time)))
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        body = QTextBrowser()
        body.setObjectName("timeline-entry-text")
        body.setAccessibleName(self.tr("Entry"))
        body.setPlainText(event_text(e, self.place_name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Close"))
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(head)
        layout.addWidget(body, 1)
        layout.addWidget(buttons)
        dialog.resize(560, 380)
        self._entry_dialog = dialog
        dialog.destroyed.connect(lambda _o=None: setattr(self, "_entry_dialog", None))
        dialog.open()

    def close_entry(self) -> None:
        if self._entry_dialog is not None and alive(self._entry_dialog):
            self._entry_dialog.close()

    def _enable_actions(self, s: Any) -> None:
        """Each action button as ``core.commands.allowed_for`` says for this console's tier and role."""
        can = allowed_for(s, self._ctx.author.tier, self._ctx.role)
        forms = specs_for()
        for form_id, button in self.buttons.items():
            button.setEnabled(forms[form_id].etype in can)
