"""The console's layout below the alarm banner, chosen by who signs in.

An HQ account gets the HQ layout (``ui.hq``: board, cases, escalation policies, complaints). A
district's console gets two tabs: **Cases** (the suicide-alert queue and the case detail, first and
the default) and **Complaints** (``ComplaintQueueView`` over the complaints routed to the district
in its replica: countdowns, the soft warning and breach signal in words, the complaint's pane). The
Complaints tab's title carries the soft signal ("Complaints (2 breached)"); the siren never rings
for a complaint. A ringing alarm always brings Cases to the front (the window connects
``AlarmController.alarm_started`` to ``show_alarm_target``, which both layouts have), whatever the
operator was reading.

Where a Complaints tab exists (a district's own accounts, HQ), the Cases queue leaves complaints out
by default (``QueueView.hide_complaints``: "All but complaints" in its kind list; "Complaint" and
"All kinds" still list them): the Cases queue stays the suicide-alert queue, and a complaint is one
click away through its pane's "Open as a case".

What a district's account may do to a complaint is what it may do to any case: its actions are
the detail pane's, enabled by ``core.commands.allowed_for`` ("Open as a case" in the complaint's
pane shows it there). Replies to citizens and canned replies are HQ's (its endpoints refuse other
accounts): the view hides its composer where it cannot send and says so.

The tip desks (the SP's office, the range DIG) keep the cases alone: their replica holds their tips,
no complaints, so the tab bar hides itself.

Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from core.events import Tier
from ui.complaints import ComplaintQueueView
from ui.complaints.view import BESIDE_ALARMS_START_MS
from ui.context import ApplicationContext
from ui.hq import TIP_DESK_ROLES, HQLayout, hq_layout
from ui.queue_view import QueueView

CASES_TAB, COMPLAINTS_TAB = 0, 1


class DistrictLayout(QTabWidget):
    def __init__(
        self,
        ctx: ApplicationContext,
        cases: QWidget,
        *,
        open_case: Callable[[str], None],
        with_complaints: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("district-layout")
        self.setTabBarAutoHide(True)  # a tip desk: the cases alone, no tab bar
        self.addTab(cases, self.tr("Cases"))
        self.complaints: ComplaintQueueView | None = None
        if with_complaints:
            self.complaints = ComplaintQueueView(ctx, open_as_case=True, start_after_ms=BESIDE_ALARMS_START_MS)
            self.addTab(self.complaints, self.tr("Complaints"))
            self.complaints.counts_changed.connect(self._complaint_counts)
            self.complaints.case_open_requested.connect(open_case)

    def _complaint_counts(self, breached: int, warning: int) -> None:
        if self.complaints is not None:
            self.setTabText(COMPLAINTS_TAB, self.complaints.tab_title(breached, warning))

    def show_cases(self, *_: object) -> None:
        """The Cases tab in front: a ringing alarm, or a case opened from anywhere, must be seen."""
        self.setCurrentIndex(CASES_TAB)

    def show_alarm_target(self, *_: object) -> None:
        """A suicide-risk alarm started: the Cases tab, where the ringing case is shown, in front."""
        self.show_cases()

    def open_complaints(self) -> ComplaintQueueView | None:
        if self.complaints is not None:
            self.setCurrentIndex(COMPLAINTS_TAB)
        return self.complaints

    def stop(self) -> None:
        if self.complaints is not None:
            self.complaints.stop()


def console_tabs(
    ctx: ApplicationContext, cases: QWidget, queue: QueueView, *, with_sound: bool, open_case: Callable[[str], None]
) -> tuple[HQLayout | None, HQLayout | DistrictLayout]:
    """The HQ layout (twice: as ``hq``, and as the tabs) for an HQ account; for anyone else None and
    a district's tabs around ``cases`` (with the Complaints tab for a district's own accounts)."""
    hq = hq_layout(ctx, cases, queue, with_sound=with_sound)
    if hq is not None:
        hq.complaints.case_open_requested.connect(open_case)
        queue.hide_complaints()
        return hq, hq
    complaints = ctx.author.tier is Tier.DISTRICT and ctx.role not in TIP_DESK_ROLES
    if complaints:
        queue.hide_complaints()
    return None, DistrictLayout(ctx, cases, open_case=open_case, with_complaints=complaints)


__all__ = ["CASES_TAB", "COMPLAINTS_TAB", "DistrictLayout", "console_tabs"]
