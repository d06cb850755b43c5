"""Side effects of a new alarm on the desktop: raise the window, flash the taskbar, tray notification.

GUI thread only. Connect ``AlarmController.alarm_started`` to ``Attention.alarm_started``.
While the console is locked the tray message carries no personal data (the screen may be seen
by anyone walking past); it never does anyway: only "New suicide-risk alert" and the count.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

TRAY_MESSAGE_MS = 0  # 0: the platform's longest; some platforms keep it until clicked


class Attention(QObject):
    """Bring the operator's eyes to the console when an alarm starts.

    ``tray`` is optional: pass the window's QSystemTrayIcon if it has one; otherwise one is made
    when the platform has a system tray (none under the offscreen platform used in tests).
    """

    def __init__(self, window: QWidget, tray: QSystemTrayIcon | None = None, icon: QIcon | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._tray = tray
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            tray_icon = icon or window.windowIcon()
            if tray_icon.isNull():  # a tray icon without an icon is invisible (and Qt warns)
                tray_icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            self._tray = QSystemTrayIcon(tray_icon, window)
            self._tray.show()
        self.raised_count = 0
        self.notified_count = 0

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self._tray

    def alarm_started(self, case_id: str = "") -> None:
        """Un-minimise, raise and activate the window, flash its taskbar entry, show a tray message."""
        window = self._window
        state = window.windowState()
        if state & Qt.WindowState.WindowMinimized:
            window.setWindowState((state & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        if not window.isVisible():
            window.show()
        window.raise_()
        window.activateWindow()
        # Windows/X11 may refuse focus stealing; the taskbar flash (0 = until the window is activated) still works.
        QApplication.alert(window, 0)
        self.raised_count += 1
        if self._tray is not None and self._tray.isVisible():
            self._tray.showMessage(
                self.tr("Rakshak: new alert"),
                self.tr("A suicide-risk alert needs acknowledgement now."),
                QSystemTrayIcon.MessageIcon.Critical,
                TRAY_MESSAGE_MS,
            )
            self.notified_count += 1
