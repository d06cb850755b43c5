"""Small widgets shared by the window's parts.

``ElidedLabel``: a one-line label that never widens its window. A plain ``QLabel``'s minimum width
is its whole text, so a long status text (an error, a Hindi sentence, a confirmation) pushes the
window wider than a 1,366 px screen, and Qt never shrinks it back. This label may be squeezed to
``MIN_CHARS`` characters; it then paints its text cut with "…", and the tooltip holds all of it.
``text()`` still returns the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QStyle, QStyleOption, QWidget

MIN_CHARS = 6


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._own_tooltip = ""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._sync_tooltip()

    def set_detail_tooltip(self, text: str) -> None:
        """A tooltip of its own (shown under the full text when the text is cut)."""
        self._own_tooltip = text
        self._sync_tooltip()

    def _sync_tooltip(self) -> None:
        parts = [p for p in (self.text() if self.is_elided() else "", self._own_tooltip) if p]
        self.setToolTip("\n\n".join(parts))

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        m = self.contentsMargins()
        width = self.fontMetrics().averageCharWidth() * MIN_CHARS + m.left() + m.right()
        return QSize(min(hint.width(), width), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sync_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        if self.fontMetrics().horizontalAdvance(self.text()) <= rect.width():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)  # style sheet background
        elided = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()
