"""The case's chain in the detail pane: each step, its time, and how long it took from the step before.

The chain is computed by ``core.chain`` (no Qt: the reports count the same durations); this widget
only paints it. A step not reached yet is shown greyed with no time; a time earlier than every step
before it, the alert's receipt included (two clocks that disagree), is shown with "?" instead of a
duration; an open follow-up shows its due time. Texts use the translation context ``ChainView``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.chain import FOLLOW_UP, OUTCOME, RECEIVED, ChainLink, chain
from core.events import Event
from core.fold import CaseState
from core.reports import Step
from ui.labels import local_time

_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("ChainView", ...)`` calls
NOT_YET_COLOUR = "#8a8a8a"


def step_label(key: str) -> str:
    return {
        RECEIVED: _Q.translate("ChainView", "Alert received"),
        Step.HQ_ACKNOWLEDGED: _Q.translate("ChainView", "HQ acknowledged"),
        Step.ROUTED: _Q.translate("ChainView", "Routed to the district"),
        Step.DISTRICT_ACKNOWLEDGED: _Q.translate("ChainView", "District acknowledged"),
        Step.DISPATCHED: _Q.translate("ChainView", "Team dispatched"),
        Step.REACHED: _Q.translate("ChainView", "Person reached"),
        OUTCOME: _Q.translate("ChainView", "Outcome recorded"),
        Step.COUNSELLED: _Q.translate("ChainView", "Counselled"),
        FOLLOW_UP: _Q.translate("ChainView", "Follow-up"),
    }.get(key, key)


def duration_label(seconds: float) -> str:
    """A duration as a control room reads it ("45 s", "13 min", "2 h 05 min", "3 d 4 h"), translated."""
    s = round(seconds)
    if s < 60:
        return _Q.translate("ChainView", "%1 s").replace("%1", str(s))
    minutes = s // 60
    if minutes < 60:
        return _Q.translate("ChainView", "%1 min").replace("%1", str(minutes))
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _Q.translate("ChainView", "%1 h %2 min").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")
    days, hours = divmod(hours, 24)
    return _Q.translate("ChainView", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))


def took_text(link: ChainLink) -> str:
    if link.at is None:
        return ""
    if not link.done:
        return _Q.translate("ChainView", "due")
    if link.out_of_order:
        return "?"
    if link.seconds is None:
        return ""
    return _Q.translate("ChainView", "+%1").replace("%1", duration_label(link.seconds))


class ChainView(QGroupBox):
    """Paints ``core.chain.chain`` for one case; ``links`` holds what is shown (for tests)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Chain"), parent)
        self.setObjectName("detail-chain")
        self.links: list[ChainLink] = []
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("chain-table")
        self.table.setAccessibleName(self.tr("Chain of the response"))
        self.table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Time"), self.tr("Took")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip(self.tr("Each step's time, and how long it took from the step before it."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table)

    def show_chain(self, state: CaseState, history: Iterable[Event]) -> None:
        self.links = chain(state, history)
        self.table.setRowCount(len(self.links))
        grey = QBrush(QColor(NOT_YET_COLOUR))
        for r, link in enumerate(self.links):
            when = local_time(link.at) if link.at else self.tr("not yet")
            cells = (step_label(link.key), when, took_text(link))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if link.at is None or not link.done:
                    item.setForeground(grey)
                if c == 2 and link.out_of_order:
                    item.setToolTip(
                        self.tr("This time is before the alert was received: a clock or an entry is wrong.")
                    )
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        for col in (1, 2):
            self.table.resizeColumnToContents(col)
        self.table.resizeRowsToContents()
        height = sum(self.table.rowHeight(r) for r in range(len(self.links)))
        self.table.setFixedHeight(height + self.table.horizontalHeader().height() + 2 * self.table.frameWidth())

    def clear(self) -> None:
        self.links = []
        self.table.setRowCount(0)


__all__ = ["ChainView", "duration_label", "step_label", "took_text"]
