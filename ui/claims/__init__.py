"""The Claims view (``ClaimsView``) and ``open_claims``, ``open_register`` that open it and the
Register view (``ui.accounts``) from the main window (menu View). Both read from HQ through the
console's session; a console without one says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.claims.view import ClaimsView
from ui.operations.claims import HQClaimsSource

if TYPE_CHECKING:
    from ui.main_window import MainWindow

HQ_OPERATOR = "hq_operator"


def _source(window: MainWindow) -> HQClaimsSource | None:
    session = window.ctx.session
    if session is None:
        window.notice(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Claims", "Misinformation claims"),
            QCoreApplication.translate("Claims", "Claims and the register are kept at HQ; this console has no HQ."),
        )
        return None
    return HQClaimsSource(session)


def _raise(view: QWidget) -> None:
    view.show()
    view.raise_()
    view.activateWindow()


def open_claims(window: MainWindow) -> ClaimsView | None:
    """Show the window's Claims view (one per main window), making it if needed."""
    existing = window.findChild(ClaimsView)
    if existing is not None:
        existing.refresh()
        _raise(existing)
        return existing
    source = _source(window)
    if source is None:
        return None
    view = ClaimsView(source, window.ctx.taskman, can_decide=window.ctx.role == HQ_OPERATOR, parent=window)
    view.resize(1300, 720)
    view.refresh()
    _raise(view)
    return view


def open_register(window: MainWindow) -> QWidget | None:
    """Show the window's Register view (one per main window), making it if needed."""
    # imported here, not at the top: ui.accounts.view imports ui.claims.common, and so this package
    from ui.accounts.view import RegisterView

    existing = window.findChild(RegisterView)
    if existing is not None:
        existing.refresh()
        _raise(existing)
        return existing
    source = _source(window)
    if source is None:
        return None
    view = RegisterView(source, window.ctx.taskman, parent=window)
    view.resize(1300, 720)
    view.refresh()
    _raise(view)
    return view


__all__ = ["ClaimsView", "open_claims", "open_register"]
