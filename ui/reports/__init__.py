"""The Reports view (``ReportsView``), its tabs, charts and exports; ``open_reports`` opens it from the
main window (menu View → Reports…, Ctrl+Shift+R).

The window's context provides the ``ReportLoader`` (``ctx.reports``: HQ first, the replica when HQ
cannot be reached; ``ui.operations.reports.HQFirstLoader``). A district user's view is its district; an
HQ operator's or supervisor's is the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from core.events import Tier, tier_for_role
from ui.reports.view import ReportsView

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def open_reports(window: MainWindow) -> ReportsView | None:
    """Show the window's Reports view (one per main window), making it if needed."""
    existing = window.findChild(ReportsView)
    if existing is not None:
        if not existing.isVisible():
            existing.refresh()  # closed and opened again: the figures may have moved on
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    ctx = window.ctx
    loader = ctx.reports
    if loader is None:
        window.notice(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Reports", "Reports"),
            QCoreApplication.translate("Reports", "Reports are not available on this console."),
        )
        return None
    district = ctx.district if tier_for_role(ctx.role) is Tier.DISTRICT else None
    names = {district: ctx.places.name(district)} if district else {}
    view = ReportsView(loader, ctx.taskman, district=district, names=names, parent=window)

    def open_case(case_id: str) -> None:
        window.open_case(case_id)
        window.raise_()
        window.activateWindow()

    view.case_requested.connect(open_case)
    view.show()
    return view


__all__ = ["ReportsView", "open_reports"]
