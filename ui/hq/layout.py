"""The HQ layout: two tabs, the board of every district (first) and the cases (the queue and the
case detail the district consoles use, second). From a district on the board, one step to its cases:
the Cases tab opens with the queue filtered to that district and a bar saying so, with a button back
to every district's cases.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.context import ApplicationContext
from ui.hq.board import BoardView
from ui.queue_view import QueueView

BOARD_TAB, CASES_TAB = 0, 1


class HQLayout(QTabWidget):
    def __init__(
        self,
        ctx: ApplicationContext,
        cases: QWidget,
        queue: QueueView,
        *,
        with_sound: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hq-layout")
        self._ctx = ctx
        self.queue = queue
        self.board = BoardView(ctx, with_sound=with_sound)

        self.district_label = QLabel()
        self.district_label.setObjectName("district-filter")
        self.all_districts = QPushButton(self.tr("All districts"))
        self.all_districts.clicked.connect(lambda: self.show_district(None))
        self.district_bar = QWidget()
        bar = QHBoxLayout(self.district_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.district_label, 1)
        bar.addWidget(self.all_districts)
        self.district_bar.hide()

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.district_bar)
        layout.addWidget(cases, 1)

        self.addTab(self.board, self.tr("Board"))
        self.addTab(page, self.tr("Cases"))
        self.board.district_opened.connect(self.open_district)

    def open_district(self, code: str) -> None:
        """The district's cases: the Cases tab, its queue filtered to ``code``."""
        self.show_district(code)
        self.setCurrentIndex(CASES_TAB)

    def show_cases(self) -> None:
        """The Cases tab in front: opening a case (the alarm's F2, a refused entry, a slow case in a
        report) must show it, not leave the operator on the board."""
        self.setCurrentIndex(CASES_TAB)

    def show_district(self, code: str | None) -> None:
        self.queue.show_district(code)
        if code:
            self.district_label.setText(self.tr("Cases of %1 only").replace("%1", self._ctx.places.name(code)))
            self.district_bar.show()
        else:
            self.district_bar.hide()

    def stop(self) -> None:
        self.board.stop()
