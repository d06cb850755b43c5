"""Keeping a top-level window inside its screen's available area (an event filter on the window).

At start the window takes ``DEFAULT_SIZE`` or the available area, whichever is smaller (a 1,366 x 768
laptop has ~730 px under its panel). Afterwards it only shrinks and moves back what sticks out, after
every show, resize, layout request (a text changed) and screen change. Nothing may make it grow past
the screen: every long text in the main window elides or wraps, so its minimum size stays below
1,366 x 700 (tests check it at that size, in Hindi too). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

DEFAULT_SIZE = (1366, 800)  # width, height at start; never more than the screen's available area


class ScreenFit(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False
        self._screen_hooked = False
        window.installEventFilter(self)
        self.fit(initial=True)

    def fit(self, initial: bool = False) -> None:
        win = self._window
        screen = win.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        frame = win.frameGeometry()
        extra_w = max(0, frame.width() - win.width())
        extra_h = max(0, frame.height() - win.height())
        room_w, room_h = avail.width() - extra_w, avail.height() - extra_h
        if initial:
            win.resize(min(DEFAULT_SIZE[0], room_w), min(DEFAULT_SIZE[1], room_h))
            return
        if win.isMaximized() or win.isFullScreen():
            return
        w, h = min(win.width(), room_w), min(win.height(), room_h)
        if (w, h) != (win.width(), win.height()):
            win.resize(w, h)
        frame = win.frameGeometry()
        x = max(avail.x(), min(frame.x(), avail.right() + 1 - frame.width()))
        y = max(avail.y(), min(frame.y(), avail.bottom() + 1 - frame.height()))
        if (x, y) != (frame.x(), frame.y()):
            win.move(x, y)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            # The frame's size is known only once the window manager has framed the window.
            QTimer.singleShot(0, self, self.fit)
            handle = self._window.windowHandle()
            if handle is not None and not self._screen_hooked:
                self._screen_hooked = True
                handle.screenChanged.connect(lambda _s: self.fit())
        elif kind in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            # A layout that asked for more room than the screen has is pulled back (after Qt settles);
            # a text changed: what could not shrink a moment ago may shrink now.
            self._schedule()
        return False

    def _schedule(self) -> None:
        if self._window.isVisible() and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._fit_later)

    def _fit_later(self) -> None:
        self._pending = False
        self.fit()
