"""Painting the board: the visible district rows drawn in one pass, their texts kept as QStaticText.

Why not the item delegate: ``QTableView`` paints each of the board's ~950 cells through
``QStyledItemDelegate``, which asks the model for five roles and lays the text out again
(``QTextLayout``) on every paint; with Qt's own C++ model that alone takes several frames for a full
repaint of 75 districts (bench/bench_board.py, "floor"). Here a paint is: one background rectangle
per district row (every cell of a district shares its severity's colours), one ``drawStaticText``
per non-empty cell (a ``QStaticText`` keeps its glyph layout from one paint to the next; the
strings, elided ones included, are cached by text, weight and width), the grid in one ``drawLines``
call, then the selected cell and the focus frame. The values come from the model's grid
(``BoardModel.grid_row``): no ``data()`` call, no Qt role lookup per cell.

Only the cells that meet the region Qt asks for are painted, rectangle by rectangle, so a tick that
changed a few waiting ages repaints those cells alone.

Threading: GUI thread only.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLine, QPointF, QRect, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QRegion,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

if TYPE_CHECKING:
    from ui.hq.model import BoardModel

TEXT_PAD_PX = 4  # text inset from a cell's edges, as the style's item margin
TEXT_CACHE_MAX = 5000  # strings kept; past it the cache starts afresh (ages tick, names stay)
REGION_RECTS_MAX = 64  # a region of more rectangles is painted as its bounding rectangle

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def _merged(region: QRegion) -> list[QRect]:
    """The region's rectangles, cells above one another joined (a changed cell's rectangle leaves
    out the grid line, so a column of changed cells would otherwise be painted cell by cell); the
    bounding rectangle when they are many."""
    if region.rectCount() > REGION_RECTS_MAX:
        return [region.boundingRect()]
    merged = QRegion()
    for rect in region:  # type: ignore[attr-defined]
        merged = merged.united(rect.adjusted(-1, -1, 1, 1))
    return list(merged)  # type: ignore[call-overload]


class StaticTexts:
    """Prepared strings for one normal and one bold font: (QStaticText, width) by (text, bold, width
    available). A font change starts the cache afresh."""

    def __init__(self) -> None:
        self._fonts: tuple[QFont, QFont] | None = None
        self._font_key = ""
        self._metrics: tuple[QFontMetrics, QFontMetrics] | None = None
        self._texts: dict[tuple[str, bool, int], tuple[QStaticText, int]] = {}

    def use(self, font: QFont) -> tuple[QFont, QFont]:
        key = font.key()
        if self._fonts is None or key != self._font_key:
            bold = QFont(font)
            bold.setBold(True)
            self._fonts = (QFont(font), bold)
            self._metrics = (QFontMetrics(self._fonts[0]), QFontMetrics(bold))
            self._font_key = key
            self._texts.clear()
        return self._fonts

    def line_height(self) -> int:
        assert self._metrics is not None
        return self._metrics[0].height()

    def get(self, text: str, bold: bool, room: int) -> tuple[QStaticText, int]:
        key = (text, bold, room)
        found = self._texts.get(key)
        if found is not None:
            return found
        assert self._fonts is not None and self._metrics is not None
        metrics = self._metrics[1 if bold else 0]
        width = metrics.horizontalAdvance(text)
        if width > room:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, room))
            width = metrics.horizontalAdvance(text)
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(QTransform(), self._fonts[1 if bold else 0])
        if len(self._texts) >= TEXT_CACHE_MAX:
            self._texts.clear()
        self._texts[key] = (static, width)
        return static, width


@dataclass
class _Frame:
    """What one paint event needs, read from the table once."""

    model: BoardModel
    rows: int
    height: int
    top: int  # the first row's y in the viewport
    xs: list[int]  # each column's x in the viewport
    widths: list[int]
    fonts: tuple[QFont, QFont]  # normal, bold
    line_h: int
    palette: QPalette
    text_colour: QColor
    selected: set[tuple[int, int]]
    highlight: QBrush
    highlighted_text: QColor
    grid_pen: QPen | None


class BoardPainter:
    """Paints a ``BoardTable``'s viewport from its ``BoardModel`` (see the module's docstring)."""

    def __init__(self, table: QTableView) -> None:
        self._table = table
        self.texts = StaticTexts()
        self._grid_colour: QColor | None = None

    def grid_colour(self) -> QColor:
        if self._grid_colour is None:
            option = QStyleOptionViewItem()
            self._table.initViewItemOption(option)
            hint = self._table.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self._table)
            self._grid_colour = QColor.fromRgba(hint & 0xFFFFFFFF)
        return self._grid_colour

    def paint(self, painter: QPainter, region: QRegion, model: BoardModel) -> None:
        """Paint the cells that meet ``region`` (the paint event's), rectangle by rectangle."""
        table = self._table
        rows, columns = model.rowCount(), model.columnCount()
        if rows == 0 or columns == 0:
            return
        widths = [table.columnWidth(c) for c in range(columns)]
        xs = []
        x = -table.horizontalOffset()
        for w in widths:
            xs.append(x)
            x += w
        normal, bold = self.texts.use(table.font())
        palette = table.palette()
        frame = _Frame(
            model=model, rows=rows, height=table.rowHeight(0), top=-table.verticalOffset(), xs=xs, widths=widths,
            fonts=(normal, bold), line_h=self.texts.line_height(), palette=palette,
            text_colour=palette.color(QPalette.ColorRole.Text), selected=self._selected(),
            highlight=palette.highlight(), highlighted_text=palette.color(QPalette.ColorRole.HighlightedText),
            grid_pen=QPen(self.grid_colour(), 0) if table.showGrid() else None,
        )
        for rect in _merged(region):
            self._paint_rect(painter, rect, frame)
        self._focus(painter, xs, widths, frame.height)

    def _paint_rect(self, painter: QPainter, rect: QRect, f: _Frame) -> None:
        first_row = max(0, (rect.top() - f.top) // f.height)
        last_row = min(f.rows - 1, (rect.bottom() - f.top) // f.height)
        first_col = max(0, bisect_right(f.xs, rect.left()) - 1)
        last_col = max(0, bisect_right(f.xs, rect.right()) - 1)
        if first_row > last_row:
            return
        model = f.model
        fields = model.COLUMNS + 1
        normal, bold = f.fonts
        highlight, highlighted_text = f.highlight, f.highlighted_text
        xs, widths, height = f.xs, f.widths, f.height
        font_now: QFont | None = None
        pen_now: Any = None
        for row in range(first_row, last_row + 1):
            y = f.top + row * height
            line = model.grid_row(row)
            for block in range(first_col // fields, last_col // fields + 1):
                start = block * fields
                head = line[start] if start < len(line) else None
                if head is None:  # past the last district
                    continue
                lo, hi = max(start, first_col), min(start + model.COLUMNS - 1, last_col)
                if lo > hi:
                    continue
                background = head.get(_BACKGROUND)
                if background is not None:
                    painter.fillRect(QRect(xs[lo], y, xs[hi] + widths[hi] - xs[lo], height), background)
                foreground = head.get(_FOREGROUND)
                colour = foreground.color() if isinstance(foreground, QBrush) else f.text_colour
                for col in range(lo, hi + 1):
                    cell = line[col]
                    if cell is None:
                        continue
                    is_selected = (row, col) in f.selected
                    if is_selected:
                        painter.fillRect(QRect(xs[col], y, widths[col], height), highlight)
                    text = cell.get(_DISPLAY)
                    if not text:
                        continue
                    is_bold = _FONT in cell
                    static, width = self.texts.get(text, is_bold, widths[col] - 2 * TEXT_PAD_PX)
                    pen = highlighted_text if is_selected else colour
                    wanted_font = bold if is_bold else normal
                    if wanted_font is not font_now:
                        painter.setFont(wanted_font)
                        font_now = wanted_font
                    if pen is not pen_now:
                        painter.setPen(pen)
                        pen_now = pen
                    centred = cell.get(_ALIGN) == _CENTER
                    left = xs[col] + ((widths[col] - width) / 2 if centred else TEXT_PAD_PX)
                    painter.drawStaticText(QPointF(left, y + (height - f.line_h) / 2), static)
        self._grid(painter, f, first_row, last_row, first_col, last_col)

    def _selected(self) -> set[tuple[int, int]]:
        selection = self._table.selectionModel()
        if selection is None or not selection.hasSelection():
            return set()
        return {(i.row(), i.column()) for i in selection.selectedIndexes()}

    def _grid(self, painter: QPainter, f: _Frame, first_row: int, last_row: int, first_col: int,
              last_col: int) -> None:
        if f.grid_pen is None:
            return
        top = f.top + first_row * f.height
        bottom = f.top + (last_row + 1) * f.height - 1
        left, right = f.xs[first_col], f.xs[last_col] + f.widths[last_col] - 1
        rights = [f.xs[c] + f.widths[c] - 1 for c in range(first_col, last_col + 1)]
        lines = [QLine(x, top, x, bottom) for x in rights]
        lines += [QLine(left, f.top + (r + 1) * f.height - 1, right, f.top + (r + 1) * f.height - 1)
                  for r in range(first_row, last_row + 1)]
        painter.setPen(f.grid_pen)
        painter.drawLines(lines)

    def _focus(self, painter: QPainter, xs: list[int], widths: list[int], height: int) -> None:
        table = self._table
        current = table.currentIndex()
        if not current.isValid() or not table.hasFocus():
            return
        col = current.column()
        y = table.rowViewportPosition(current.row())
        pen = QPen(table.palette().color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRect(xs[col] + 1, y + 1, widths[col] - 3, height - 3))


__all__ = ["TEXT_PAD_PX", "BoardPainter", "StaticTexts"]
