"""The complaint queue (a tab of the HQ layout): one row per open complaint with its live countdown,
most urgent first, filters, and the open complaint's pane with the composer.

Rows come from the replica through ``ui.operations.complaints`` on the reader pool, read again only
when the replica changes (``TaskManager.cases_changed``, debounced). A one-second timer repaints the
countdowns from the rows already read. The soft complaint signal (warnings and breaches) is shown in
this tab's own bar and its title, in words, apart from the suicide siren's banner and never on its
sound channel.

The countdowns run on HQ's clock policy (``GET /complaints/policy``): the last one HQ gave, read
from the data folder before the first rows are read, then HQ's own, fetched with the canned replies.
A new policy makes the rows be computed again under it, so the warning and breach states are those
of HQ's sweep. A policy HQ's reply gets wrong is refused and logged; the view keeps the one it has.

With ``open_as_case`` (HQ's and a district's consoles) the pane's "Open as a case" asks for the
complaint in the Cases tab (``case_open_requested``). On a district's console (docs/COMPLAINTS.md,
"At a district's console") the rows are the complaints routed to the district, the district filter
and column are hidden, and the composer is hidden where the account can neither send nor edit
canned replies (HQ's endpoints refuse it both).

``now`` is the view's clock (tests pass a fake one). Translation context ``ComplaintQueueView``.
Threading: GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.complaints import PLATFORMS
from core.events import ComplaintCategory, utcnow
from core.sla import SlaPolicy
from ui.complaints.composer import Composer
from ui.complaints.model import ComplaintModel
from ui.complaints.pane import APPROVERS, ComplaintPane
from ui.complaints.sender import ReplySender
from ui.context import ApplicationContext
from ui.labels import complaint_category_label, platform_label, sla_state_label
from ui.operations.base import alive
from ui.operations.complaint_queue import fill_queue
from ui.operations.complaints import (
    ComplaintFilter,
    ComplaintRow,
    ComplaintRows,
    HQComplaints,
    Json,
    cached_canned,
    cached_policy,
    fetch_canned,
    fetch_policy,
    hq_cause,
    load_queue,
    net_op,
    refusal_reason,
)

log = logging.getLogger(__name__)

TICK_MS = 1000
POLICY_RETRY_MS = 60_000  # HQ out of reach at start: ask for its clock policy again this often
RELOAD_DEBOUNCE_MS = 300
# Beside the alarm queue (a layout's tab) the first reads wait this long after the window opens, so the
# alarm queue's first page and count are not queued behind them; opening the tab starts them at once.
BESIDE_ALARMS_START_MS = 3000
FIRST_PAGE_ROWS = 200  # rows whose detail is read first, before the rest (more than a screen shows)
SIGNAL_STYLE = {
    "breached": "background: #f8d0d0; color: #8a1010; padding: 4px; font-weight: bold;",
    "warning": "background: #ffe9b3; color: #6b4a00; padding: 4px; font-weight: bold;",
}


class ComplaintQueueView(QWidget):
    counts_changed = Signal(int, int)  # breached, warning
    case_open_requested = Signal(str)  # case id: show the complaint as a case (a district's console)

    def __init__(
        self,
        ctx: ApplicationContext,
        *,
        now: Callable[[], datetime] = utcnow,
        policy: SlaPolicy | None = None,
        open_as_case: bool = False,
        start_after_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("complaint-queue")
        self._ctx = ctx
        self.now = now
        self.rows = ComplaintRows(policy or SlaPolicy())
        self._policy_from_hq = False
        self.source = HQComplaints(ctx.session, ctx.data_dir) if ctx.session is not None else None
        self.outbox = ReplySender(ctx, self.source, self)
        self._counts = (0, 0)
        self._canned_from_hq = False

        self.platform = QComboBox()
        self.platform.setObjectName("complaint-platform")
        self.platform.addItem(self.tr("All platforms"), "")
        for p in PLATFORMS:
            self.platform.addItem(platform_label(str(p)), str(p))
        self.category = QComboBox()
        self.category.setObjectName("complaint-category")
        self.category.addItem(self.tr("All categories"), "")
        self.category.addItem(complaint_category_label(None), "-")
        for c in ComplaintCategory:
            self.category.addItem(complaint_category_label(str(c)), str(c))
        self.district = QComboBox()
        self.district.setObjectName("complaint-district")
        self.district.addItem(self.tr("All districts"), "")
        self.state = QComboBox()
        self.state.setObjectName("complaint-state")
        self.state.addItem(self.tr("Any state"), "")
        for s in ("breached", "warning", "running"):
            self.state.addItem(sla_state_label(s), s)
        self.search = QLineEdit()
        self.search.setObjectName("complaint-search")
        self.search.setPlaceholderText(self.tr("Search text or handle"))
        self.search.setClearButtonEnabled(True)
        for box in (self.platform, self.category, self.district, self.state):
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        filters = QHBoxLayout()
        for w in (self.platform, self.category, self.district, self.state):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)

        self.signal = QLabel()
        self.signal.setObjectName("complaint-signal")
        self.signal.setWordWrap(True)
        self.total = QLabel()
        self.total.setObjectName("complaint-total")

        self.model = ComplaintModel(ctx.places.name)
        self.table = QTableView()
        self.table.setObjectName("complaint-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ComplaintModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((ComplaintModel.COL_STATE, 95), (ComplaintModel.COL_DUE, 160),
                           (ComplaintModel.COL_PLATFORM, 72), (ComplaintModel.COL_AUTHOR, 110),
                           (ComplaintModel.COL_CATEGORY, 110), (ComplaintModel.COL_DISTRICT, 100),
                           (ComplaintModel.COL_REPLY, 120)):  # fmt: skip
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        role = ctx.role
        can_send, can_edit = role == "hq_operator", role in APPROVERS  # as HQ's reply and canned endpoints allow
        self.composer = Composer(lang=ctx.lang, can_send=can_send and self.source is not None,
                                 can_edit_canned=can_edit and self.source is not None)  # fmt: skip
        self._can_reply = can_send or can_edit
        self.pane = ComplaintPane(self.composer, role=role, user_id=ctx.author.user_id,
                                  can_reply=self._can_reply, open_as_case=open_as_case)  # fmt: skip
        self.pane.open_case_requested.connect(self.case_open_requested)
        self.district.setVisible(not ctx.district)  # a district's console holds its own complaints only
        self.table.setColumnHidden(ComplaintModel.COL_DISTRICT, bool(ctx.district))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the pane wraps to fit
        scroll.setWidget(self.pane)

        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(filters)
        lay.addWidget(self.signal)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.total)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([960, 400])  # the text excerpt needs the width; the pane wraps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.composer.send_requested.connect(self._send)
        self.composer.edit_canned_requested.connect(self.edit_canned)
        self.pane.approve_requested.connect(self._approve)
        self.pane.discard_requested.connect(self.outbox.discard)
        self.outbox.changed.connect(self._pending_changed)
        self.outbox.sent.connect(self._reply_sent)

        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DEBOUNCE_MS)
        self._reload.timeout.connect(self.refresh)
        ctx.taskman.cases_changed.connect(self._cases_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._policy_retry = QTimer(self)
        self._policy_retry.setSingleShot(True)
        self._policy_retry.setInterval(POLICY_RETRY_MS)
        self._policy_retry.timeout.connect(self.fetch_policy)
        self.loaded = False
        self._started = False
        self._given_policy = policy is not None
        if start_after_ms > 0:
            QTimer.singleShot(start_after_ms, self, self.start)
        else:
            self.start()

    def start(self) -> None:
        """The first reads, once: the clock policy, the rows, the replies waiting, the canned replies.
        Beside the alarm queue a layout starts the view ``start_after_ms`` after the window opens (the
        alarm queue's first page and count go first), or when the operator opens its tab."""
        if self._started:
            return
        self._started = True
        if not self._given_policy:  # the last policy HQ gave, before the first rows are computed
            cached_policy(self._ctx, success=self._cached_policy, failure=lambda _exc: self.refresh()).run(
                self._ctx.taskman
            )
        else:
            self.refresh()
        self.outbox.load()
        self.load_canned()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start()

    def tab_title(self, breached: int, warning: int) -> str:
        """The title of a layout's tab for this view: the soft complaint signal in words (never the siren)."""
        if breached:
            return self.tr("Complaints (%1 breached)").replace("%1", str(breached))
        if warning:
            return self.tr("Complaints (%1 warning)").replace("%1", str(warning))
        return self.tr("Complaints")

    # ---- rows ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        load_queue(self._ctx, self.rows, success=self._loaded).run(self._ctx.taskman)

    def _cases_changed(self, case_ids: Any) -> None:
        self.rows.invalidate(case_ids)
        if self._started:
            self._reload.start()

    def _loaded(self, rows: list[ComplaintRow]) -> None:
        if not alive(self):
            return
        keep = self.pane.case_id
        self.model.set_rows(rows, self.now())
        self._fill_districts(rows)
        self.loaded = True
        self._after_change(keep)
        if not all(r.has_detail for r in rows):  # the first read: keys only; the details follow
            first = [r.case_id for r in self.model.rows[:FIRST_PAGE_ROWS] if not r.has_detail]
            if first:
                fill_queue(self._ctx, self.rows, first, success=self._filled, pool="read").run(self._ctx.taskman)
            fill_queue(self._ctx, self.rows, None, success=self._filled).run(self._ctx.taskman)

    def _filled(self, _case_ids: list[str]) -> None:
        # repainted even when this fill found nothing left: an earlier one's result may have been
        # dropped as stale (a newer fill was asked for) after it filled the rows
        if not alive(self):
            return
        keep = self.pane.case_id
        self.model.details_filled(self.now())
        self._after_change(keep)

    def _fill_districts(self, rows: list[ComplaintRow]) -> None:
        codes = sorted({r.district for r in rows if r.district}, key=self._ctx.places.name)
        keep = self.district.currentData()
        self.district.blockSignals(True)
        while self.district.count() > 1:
            self.district.removeItem(1)
        for code in codes:
            self.district.addItem(self._ctx.places.name(code), code)
        self.district.setCurrentIndex(max(0, self.district.findData(keep)))
        self.district.blockSignals(False)

    def current_filter(self) -> ComplaintFilter:
        return ComplaintFilter(
            platform=self.platform.currentData() or "", category=self.category.currentData() or "",
            district=self.district.currentData() or "", state=self.state.currentData() or "",
            text=self.search.text().strip(),
        )  # fmt: skip

    def apply_filter(self) -> None:
        keep = self.pane.case_id
        self.model.set_filter(self.current_filter(), self.now())
        self._after_change(keep)

    def _after_change(self, keep: str | None) -> None:
        self.total.setText(
            self.tr("%1 of %2 open complaints shown")
            .replace("%1", str(len(self.model.rows))).replace("%2", str(len(self.model.all_rows)))
        )  # fmt: skip
        self._show_signal()
        r = self.model.row_of(keep) if keep else -1
        if r >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(r, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self._show_case(keep)
        elif keep:
            self._show_case(None)

    def tick(self) -> None:
        """Every second: the countdowns, the open complaint's deadlines and the signal, from rows read."""
        now = self.now()
        keep = self.pane.case_id
        if self.model.tick(now):
            self._after_change(keep)
        else:
            self._show_signal()
        self.pane.refresh_times(now)

    def _show_signal(self) -> None:
        counts = self.model.counts()
        breached, warning = counts.get("breached", 0), counts.get("warning", 0)
        if breached or warning:
            parts = []
            if breached:
                parts.append(self.tr("%n complaint(s) past the deadline: answer now", "", breached))
            if warning:
                text = self.tr("%n complaint(s) in the last %1 minutes before the deadline", "", warning)
                parts.append(text.replace("%1", str(self.policy.warn_before_min)))
            self.signal.setText(" · ".join(parts))
            self.signal.setStyleSheet(SIGNAL_STYLE["breached" if breached else "warning"])
            self.signal.show()
        else:
            self.signal.hide()
        if (breached, warning) != self._counts:
            self._counts = (breached, warning)
            self.counts_changed.emit(breached, warning)

    # ---- the open complaint --------------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A reset (a filter, a reload) may announce a current row the new rows no longer have.
        valid = current.isValid() and current.row() < self.model.rowCount()
        self._show_case(self.model.row_at(current.row()).case_id if valid else None)

    def open_case(self, case_id: str) -> bool:
        r = self.model.row_of(case_id)
        if r < 0:
            return False
        self.table.selectRow(r)
        self._show_case(case_id)
        return True

    def _show_case(self, case_id: str | None) -> None:
        row = next((r for r in self.model.all_rows if r.case_id == case_id), None) if case_id else None
        district = self._ctx.places.name(row.district) if row and row.district else None
        pending = self.outbox.for_case(case_id) if case_id else []
        self.pane.show_row(row, self.now(), pending, self.outbox.refused, district)

    def _pending_changed(self) -> None:
        self.model.pending_cases = self.outbox.cases()
        self.model.tick(self.now())
        case_id = self.pane.case_id
        waiting = [p for p in self.outbox.for_case(case_id) if p.tried] if case_id else []
        if any(p.local_id not in self.outbox.refused for p in waiting):
            self.pane.message.setText(
                self.tr("HQ cannot be reached: the reply is kept on this console and sent when HQ answers.")
            )
        self._show_case(case_id)

    # ---- replies ----------------------------------------------------------------------------------------
    def _send(self, case_id: str, text: str, needs_approval: bool) -> None:
        self.pane.message.setText(self.tr("Sending to HQ…"))
        self.outbox.send(case_id, text, needs_approval)

    def _reply_sent(self, case_id: str, row: Json) -> None:
        if case_id == self.pane.case_id:
            self.pane.message.setText(self.tr("HQ has the reply (%1).").replace(
                "%1", self.tr("published") if row.get("status") == "published" else self.tr("to be published")))
        self._ctx.notify_local_change()

    def _approve(self, case_id: str, reply_id: str) -> None:
        source = self.source
        if source is None:
            return
        net_op(lambda: source.approve(case_id, reply_id), lambda _row: self._approved(case_id),
               self._approve_failed).run(self._ctx.taskman)  # fmt: skip

    def _approved(self, case_id: str) -> None:
        if alive(self) and case_id == self.pane.case_id:
            self.pane.message.setText(self.tr("Approved: HQ publishes the reply."))

    def _approve_failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        cause = hq_cause(exc)
        if cause == "unreachable":
            self.pane.message.setText(self.tr("HQ cannot be reached; the reply is not approved yet."))
        else:
            self.pane.message.setText(self.tr("HQ refused: %1").replace("%1", refusal_reason(exc)))

    # ---- the clock's policy -------------------------------------------------------------------------------
    @property
    def policy(self) -> SlaPolicy:
        """The policy the countdowns are computed with (from the next read on, after ``set_policy``)."""
        return self.rows.wanted_policy

    def set_policy(self, policy: SlaPolicy) -> None:
        """Count down under ``policy``: when it differs, every row is computed again (one read)."""
        if self.rows.set_policy(policy):
            self.refresh()

    def _cached_policy(self, policy: SlaPolicy | None) -> None:
        if not alive(self):
            return
        if policy is not None and not self._policy_from_hq:
            self.rows.set_policy(policy)
        self.refresh()

    def fetch_policy(self) -> None:
        """HQ's clock policy on the network pool (it refreshes the cache)."""
        if self.source is not None:
            fetch_policy(self.source, success=self._hq_policy, failure=self._policy_failed).run(self._ctx.taskman)

    def _hq_policy(self, policy: SlaPolicy) -> None:
        if alive(self):
            self._policy_from_hq = True
            self.set_policy(policy)

    def _policy_failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        if hq_cause(exc) in ("unreachable", "login"):
            self._policy_retry.start()
            return
        log.warning("complaint clock policy: HQ's reply not used (%s); the countdowns keep the policy they had",
                    refusal_reason(exc))  # fmt: skip

    # ---- canned replies -----------------------------------------------------------------------------------
    def load_canned(self) -> None:
        """The cached list at once, then HQ's (which refreshes the cache); HQ's clock policy with it.
        An account without the composer (a district's) asks HQ for no canned replies (HQ refuses it)."""
        if self._can_reply:
            cached_canned(self._ctx, success=self._cached_canned).run(self._ctx.taskman)
            if self.source is not None:
                fetch_canned(self.source, success=self._hq_canned, failure=lambda _exc: None).run(self._ctx.taskman)
        self.fetch_policy()

    def _cached_canned(self, items: list[Json]) -> None:
        if alive(self) and items and not self._canned_from_hq:
            self.composer.set_canned(items)

    def _hq_canned(self, items: list[Json]) -> None:
        """HQ's list replaces the cached one, even when empty (every reply retired)."""
        if alive(self):
            self._canned_from_hq = True
            self.composer.set_canned(items)

    def edit_canned(self) -> Any:
        from ui.complaints.canned_editor import CannedEditor

        if self.source is None:
            return None
        editor = CannedEditor(self.source, self._ctx.taskman, self)
        editor.finished.connect(lambda _r: self.load_canned())
        editor.refresh()
        editor.show()
        return editor

    def stop(self) -> None:
        self.timer.stop()
        self._policy_retry.stop()
        self.outbox.stop()


__all__ = ["BESIDE_ALARMS_START_MS", "ComplaintQueueView"]
