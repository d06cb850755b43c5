"""The HQ layout: four tabs, the board of every district (first), the cases (the queue and the
case detail the district consoles use, second), the escalation policies (``PolicyEditor``: an
admin edits, HQ operators and supervisors read) and the complaints (``ComplaintQueueView``: the
queue with its live countdowns, the composer; its title says how many are breached or warned).
From a district on the board, one step to its cases:
the Cases tab opens with the queue filtered to that district and a bar saying so, with a button back
to every district's cases.

A ringing suicide-risk alarm is never left behind another tab: ``show_alarm_target`` (connected by
the window to ``AlarmController.alarm_started``) brings the Cases tab forward from any tab but the
Board and Cases. Cases, because that is where HQ acts on the ringing case (its detail, Acknowledge,
the contacts to call); the Board, which counts each district's waiting and unacknowledged cases,
is HQ's other view of the same alarm and is left in front. Open forms are separate windows: they
stay open, keep their text and keep their focus.

Complaints are HQ's Complaints tab's: the Cases queue leaves them out by default
(``QueueView.hide_complaints``), and the complaint's pane "Open as a case" shows one in Cases.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.complaints import ComplaintQueueView
from ui.complaints.view import BESIDE_ALARMS_START_MS
from ui.context import ApplicationContext
from ui.hq.board import BoardView
from ui.hq.policy import PolicyEditor
from ui.queue_view import QueueView

BOARD_TAB, CASES_TAB, POLICY_TAB, COMPLAINTS_TAB = 0, 1, 2, 3


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
        self.policies: PolicyEditor | None = None
        self.addTab(QWidget(), self.tr("Escalation policies"))
        self.complaints = ComplaintQueueView(ctx, open_as_case=True, start_after_ms=BESIDE_ALARMS_START_MS)
        self.addTab(self.complaints, self.tr("Complaints"))
        self.complaints.counts_changed.connect(self._complaint_counts)
        self.currentChanged.connect(self._tab_changed)
        self.board.district_opened.connect(self.open_district)

    def _tab_changed(self, index: int) -> None:
        """The policy editor is built when its tab is first opened (it asks HQ for a policy)."""
        if index == POLICY_TAB and self.policies is None:
            self.policies = PolicyEditor(self._ctx)
            self.blockSignals(True)
            self.removeTab(POLICY_TAB)
            self.insertTab(POLICY_TAB, self.policies, self.tr("Escalation policies"))
            self.setCurrentIndex(POLICY_TAB)
            self.blockSignals(False)

    def _complaint_counts(self, breached: int, warning: int) -> None:
        if self.complaints is not None:
            self.setTabText(COMPLAINTS_TAB, self.complaints.tab_title(breached, warning))

    def open_complaints(self) -> ComplaintQueueView:
        self.setCurrentIndex(COMPLAINTS_TAB)
        return self.complaints

    def open_policies(self) -> PolicyEditor:
        self.setCurrentIndex(POLICY_TAB)
        self._tab_changed(POLICY_TAB)
        assert self.policies is not None
        return self.policies

    def user_changed(self) -> None:
        """A shift change at this console (``ui.shift``): what the new user may do changes."""
        if self.policies is not None:
            self.policies.user_changed()

    def open_district(self, code: str) -> None:
        """The district's cases: the Cases tab, its queue filtered to ``code``."""
        self.show_district(code)
        self.setCurrentIndex(CASES_TAB)

    def show_cases(self) -> None:
        """The Cases tab in front: opening a case (the alarm's F2, a refused entry, a slow case in a
        report) must show it, not leave the operator on the board."""
        self.setCurrentIndex(CASES_TAB)

    def show_alarm_target(self, *_: object) -> None:
        """A suicide-risk alarm started: the Cases tab in front unless the Board or Cases already is."""
        if self.currentIndex() not in (BOARD_TAB, CASES_TAB):
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
        self.complaints.stop()
