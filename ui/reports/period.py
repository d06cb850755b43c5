"""The report period: quick picks (this month, last month, this year, last year, last 12 months) and a
custom from/to (any days, e.g. 1 Jan 2023 – 30 Jun 2024). Both ends are inclusive, as ``ReportQuery``
defines them."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def quick_period(pick: str, today: date) -> tuple[date, date]:
    """The period a quick pick means on ``today`` (the current month and year run to today)."""
    if pick == "this_month":
        return today.replace(day=1), today
    if pick == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if pick == "this_year":
        return today.replace(month=1, day=1), today
    if pick == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if pick == "last_12_months":
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for _ in range(10):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, today
    raise ValueError(pick)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.quick = QComboBox()
        self.quick.setAccessibleName(self.tr("Period"))
        for code, text in (
            ("this_month", self.tr("This month")),
            ("last_month", self.tr("Last month")),
            ("this_year", self.tr("This year")),
            ("last_year", self.tr("Last year")),
            ("last_12_months", self.tr("Last 12 months")),
            ("custom", self.tr("Custom")),
        ):
            self.quick.addItem(text, code)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, self.tr("From")), (self.date_to, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Period:")))
        row.addWidget(self.quick)
        row.addWidget(QLabel(self.tr("From")))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("To")))
        row.addWidget(self.date_to)
        self._setting = False
        self.quick.currentIndexChanged.connect(self._quick_chosen)
        self.date_from.dateChanged.connect(self._edited)
        self.date_to.dateChanged.connect(self._edited)
        self._quick_chosen()

    def period(self) -> tuple[date, date]:
        a, b = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        return (a, b) if a <= b else (b, a)

    def set_period(self, date_from: date, date_to: date) -> None:
        """A custom period (e.g. 1 Jan 2023 – 30 Jun 2024)."""
        self._setting = True
        self.quick.setCurrentIndex(self.quick.findData("custom"))
        self.date_from.setDate(_qdate(date_from))
        self.date_to.setDate(_qdate(date_to))
        self._setting = False
        self.changed.emit()

    def _quick_chosen(self, *_: object) -> None:
        code = self.quick.currentData()
        if code == "custom":
            return
        start, end = quick_period(str(code), self._today())
        self._setting = True
        self.date_from.setDate(_qdate(start))
        self.date_to.setDate(_qdate(end))
        self._setting = False
        self.changed.emit()

    def _edited(self, *_: object) -> None:
        if self._setting:
            return
        self._setting = True
        self.quick.setCurrentIndex(self.quick.findData("custom"))
        self._setting = False
        self.changed.emit()


__all__ = ["PeriodPicker", "quick_period"]
