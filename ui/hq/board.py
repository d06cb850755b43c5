"""The HQ board: every district on one screen, worst first, live.

A filter bar (police range, when HQ last answered) and the mailbox strip (``MailboxStrip``: each
mailbox's health, red when it stopped answering or failed) above one table. The districts are wrapped into
side-by-side blocks (``BoardModel.set_blocks``): 3 on a 1,920-pixel-wide screen, 2 at 1,366, so 75
districts fit a 1,920×1,080 screen in rows of ``ROW_HEIGHT_PX``; at 1,366×768 the table scrolls and
every column stays readable (``tests/unit/ui/hq/test_board_view.py`` and docs/screenshots).

Data: ``ui.operations.hq.fetch_board`` on the network pool, every ``board_refresh_s`` seconds and
soon after a change arrives in this console's feed (``TaskManager.cases_changed``). Between fetches
a one-second tick ages the waiting cases and re-sorts, with no fetch. A district crossing into an
alert (``ALERTING``) chimes once (``BoardChime``, the soft notification, not the siren).

From a district, one step (double-click or Enter): on the console columns (online, sound, outbox,
alert) its consoles (``ConsolesDialog``); on any other column its cases (``district_opened``).

Threading: GUI thread only; the fetch runs on the network pool.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import ApplicationContext
from ui.hq.board_paint import BoardPainter
from ui.hq.chime import BoardChime
from ui.hq.consoles import ConsolesDialog
from ui.hq.mailboxes import MailboxStrip
from ui.hq.model import BoardModel
from ui.operations.hq import fetch_board

if TYPE_CHECKING:
    from sync.wire import Board

log = logging.getLogger(__name__)

TICK_MS = 1000
CHANGE_REFRESH_MS = 500  # a feed change reaches the board this soon (coalesced)
ROW_HEIGHT_PX = 22
# Least field widths (pixels) at the default font; a block is their sum, and width to spare goes to
# the district's name and the alert. Hindi labels fit these too (the view test measures both).
FIELD_WIDTHS = (136, 60, 52, 40, 44, 52, 46, 52, 52, 58, 40, 176)
SPARE_TO_NAME = 0.4  # the rest of the spare width goes to the alert
SPACER_PX = 8
ALL_RANGES = ""
CONSOLE_FIELDS = frozenset({BoardModel.COL_ONLINE, BoardModel.COL_SOUND, BoardModel.COL_OUTBOX, BoardModel.COL_ALERT})


def blocks_for_width(width: int) -> int:
    """How many district blocks fit side by side in ``width`` pixels (1 to 3): 2 on a 1,920-pixel
    screen (75 districts in 38 rows), 1 at 1,366."""
    block = sum(FIELD_WIDTHS) + SPACER_PX
    return max(1, min(3, (width + SPACER_PX) // block))


class BoardTable(QTableView):
    """The table; Enter on a district does what a double-click does. Painted by ``BoardPainter``
    (ui/hq/board_paint.py), not cell by cell through the item delegate; ``stock_paint`` True paints
    it the stock way (the benchmark's baseline)."""

    entered = Signal(QModelIndex)
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.painter = BoardPainter(self)
        self.stock_paint = False

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if self.stock_paint or not isinstance(model, BoardModel):
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        try:
            self.painter.paint(painter, event.region(), model)
        finally:
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.entered.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class BoardView(QWidget):
    district_opened = Signal(str)  # a district's code: show its cases

    def __init__(self, ctx: ApplicationContext, *, with_sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hq-board")
        self._ctx = ctx
        self._stopped = False
        self._last_ok: datetime | None = None
        self.consoles_dialog: ConsolesDialog | None = None
        self.model = BoardModel(float(ctx.settings.board_unack_alert_min), self)
        self.chime = BoardChime(parent=self) if with_sound else None
        self.crossings = 0

        self.range_filter = QComboBox()
        self.range_filter.setAccessibleName(self.tr("Filter by range"))
        self.range_filter.addItem(self.tr("All ranges"), ALL_RANGES)
        self.range_filter.setMinimumContentsLength(14)
        self.range_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("board-summary")
        self.state = QLabel(self.tr("Waiting for HQ…"))
        self.state.setObjectName("board-state")
        self.mailboxes = MailboxStrip()
        self.table = BoardTable()
        self.cases_button = QPushButton(self.tr("Cases"))
        self.cases_button.setToolTip(self.tr("The selected district's cases (double-click or Enter)"))
        self.cases_button.clicked.connect(lambda: self._open(self.table.currentIndex(), consoles=False))
        self.consoles_button = QPushButton(self.tr("Consoles…"))
        self.consoles_button.setToolTip(self.tr("The selected district's consoles"))
        self.consoles_button.clicked.connect(lambda: self._open(self.table.currentIndex(), consoles=True))

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Range:")))
        bar.addWidget(self.range_filter)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.state)
        bar.addWidget(self.cases_button)
        bar.addWidget(self.consoles_button)

        self.table.setAccessibleName(self.tr("Board of every district"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT_PX)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setMinimumSectionSize(SPACER_PX)
        self.table.doubleClicked.connect(lambda index: self._open(index))
        self.table.entered.connect(lambda index: self._open(index))
        self.table.resized.connect(self._table_resized)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.mailboxes)
        layout.addWidget(self.table, 1)

        self.model.crossed.connect(self._crossed)
        self.model.modelReset.connect(self._size_columns)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(lambda: self.model.tick())
        self._tick.start()
        self._poll = QTimer(self)
        self._poll.setInterval(max(1, int(ctx.settings.board_refresh_s)) * 1000)
        self._poll.timeout.connect(self.refresh)
        self._poll.start()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(CHANGE_REFRESH_MS)
        self._soon.timeout.connect(self.refresh)
        ctx.taskman.cases_changed.connect(self._feed_changed)
        self._size_columns()
        QTimer.singleShot(0, self, self.refresh)

    # ---- data --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Fetch the board now (network pool); the reply replaces the rows."""
        if self._stopped:
            return
        range_name = self.range_filter.currentData() or None
        op = fetch_board(self._ctx, range_name, success=self.show_board, failure=self._failed)
        if op is None:
            self.state.setText(self.tr("Not signed in to HQ: the board cannot be fetched."))
            return
        op.run(self._ctx.taskman)

    def _feed_changed(self, _case_ids: Any) -> None:
        if not self._stopped and not self._soon.isActive():
            self._soon.start()

    def show_board(self, board: Board) -> None:
        if self._stopped:
            return
        self.model.set_board(board)
        self.mailboxes.set_board(board)
        self._set_ranges(list(board.ranges))
        self._last_ok = board.as_of
        local = board.as_of.astimezone().strftime("%H:%M:%S")
        self.state.setText(self.tr("HQ as of %1").replace("%1", local))
        self.state.setStyleSheet("")
        alerts = sum(1 for d in board.districts if d.alert_kind)
        waiting = sum(1 for d in board.districts if d.oldest_unack_at is not None)
        text = self.tr("%1 districts · %2 waiting · %3 heartbeat alerts · %4 unrouted at HQ")
        self.summary.setText(
            text.replace("%1", str(len(board.districts))).replace("%2", str(waiting))
            .replace("%3", str(alerts)).replace("%4", str(board.unrouted))
        )

    def _failed(self, exc: BaseException) -> None:
        if self._stopped:
            return
        log.info("board not refreshed: %s", exc)
        since = self._last_ok.astimezone().strftime("%H:%M:%S") if self._last_ok else "—"
        self.state.setText(self.tr("Board not updated since %1: %2").replace("%1", since).replace("%2", str(exc)[:80]))
        self.state.setStyleSheet("color: #8b0000; font-weight: bold;")

    def _set_ranges(self, ranges: list[str]) -> None:
        have = [self.range_filter.itemData(i) for i in range(1, self.range_filter.count())]
        if have == ranges:
            return
        current = self.range_filter.currentData()
        self.range_filter.blockSignals(True)
        self.range_filter.clear()
        self.range_filter.addItem(self.tr("All ranges"), ALL_RANGES)
        for name in ranges:
            self.range_filter.addItem(name, name)
        self.range_filter.setCurrentIndex(max(0, self.range_filter.findData(current)))
        self.range_filter.blockSignals(False)

    def _crossed(self, codes: list[str]) -> None:
        """Districts that just turned worse (overdue, silent, critical): chime once for all of them."""
        self.crossings += 1
        names = ", ".join(self.model.row_at(i).district.name for i in range(self.model.districts)
                          if self.model.row_at(i).code in codes)
        log.warning("board: %s crossed into an alert", names)
        if self.chime is not None:
            self.chime.play()

    # ---- layout ------------------------------------------------------------------------------------
    def _table_resized(self) -> None:
        blocks = blocks_for_width(self._usable_width())
        if blocks != self.model.blocks:
            self.model.set_blocks(blocks)  # the reset sizes the columns
        else:
            self._size_columns()

    def _usable_width(self) -> int:
        """The table's width for columns (a vertical scroll bar's width kept free)."""
        return max(0, self.table.width() - 2 * self.table.frameWidth()
                   - self.table.verticalScrollBar().sizeHint().width())

    def _size_columns(self) -> None:
        blocks = self.model.blocks
        spare = max(0, self._usable_width() - blocks * sum(FIELD_WIDTHS) - (blocks - 1) * SPACER_PX) // blocks
        to_name = int(spare * SPARE_TO_NAME)
        for col in range(self.model.columnCount()):
            field = col % (BoardModel.COLUMNS + 1)
            width = FIELD_WIDTHS[field] if field < BoardModel.COLUMNS else SPACER_PX
            if field == BoardModel.COL_DISTRICT:
                width += to_name
            elif field == BoardModel.COL_ALERT:
                width += spare - to_name
            self.table.setColumnWidth(col, width)

    # ---- one step to a district --------------------------------------------------------------------
    def _open(self, index: QModelIndex, *, consoles: bool | None = None) -> None:
        row, field = self.model.locate(index)
        if row is None:
            return
        if consoles is None:
            consoles = field in CONSOLE_FIELDS
        if consoles:
            self.open_consoles(row.code)
        else:
            self.district_opened.emit(row.code)

    def open_consoles(self, code: str) -> ConsolesDialog | None:
        i = next((n for n in range(self.model.districts) if self.model.row_at(n).code == code), -1)
        if i < 0:
            return None
        if self.consoles_dialog is not None:
            self.consoles_dialog.close()
        dialog = ConsolesDialog(self.model.row_at(i).district, self)
        self.consoles_dialog = dialog
        dialog.open()
        return dialog

    def stop(self) -> None:
        """The window closes: no more fetches, ticks or chimes."""
        self._stopped = True
        for timer in (self._tick, self._poll, self._soon):
            timer.stop()
        if self.chime is not None:
            self.chime.stop()
