"""Painting the board: each district's row drawn once into a pixmap, then copied; the grid on top.

Why not the item delegate: ``QTableView`` paints each of the board's ~950 cells through
``QStyledItemDelegate``, which asks the model for five roles and lays the text out again
(``QTextLayout``) on every paint; even with Qt's own C++ model that takes several frames for a full
repaint of 75 districts (bench/bench_board.py, "floor"). Here a district's cells (one background,
its texts as ``QStaticText``, which keep their glyph layout, elided to their cell when they would not
fit) are drawn into a pixmap kept by district; a paint copies one pixmap per district row in the
region (75 ``drawPixmap`` for the whole board), then the selected cell, the grid (one-pixel
rectangles) and the focus frame. The model reuses the cell objects of a district whose texts did
not change, so a pixmap is redrawn only where a cell is a new object (a tick's age: that cell
alone), or whole when the widths, font or the district's colours change (a resize, a severity).
The values come from the model's grid (``BoardModel.grid_row``): no ``data()`` call.

Only the cells that meet the region Qt asks for are painted, rectangle by rectangle, so a tick that
changed a few waiting ages repaints those cells alone.

Threading: GUI thread only.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

if TYPE_CHECKING:
    from ui.hq.model import BoardModel

TEXT_PAD_PX = 4  # text inset from a cell's edges, as the style's item margin
TEXT_CACHE_MAX = 5000  # strings kept; past it the cache starts afresh (ages tick, names stay)
PIXMAPS_MAX = 400  # district pixmaps kept (75 districts shown); past it the cache starts afresh
REGION_RECTS_MAX = 64  # a region of more rectangles is painted as its bounding rectangle

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_CODE = int(Qt.ItemDataRole.UserRole) + 1


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
        self.font_key = ""
        self._metrics: tuple[QFontMetrics, QFontMetrics] | None = None
        self._texts: dict[tuple[str, bool, int], tuple[QStaticText, int]] = {}

    def use(self, font: QFont) -> tuple[QFont, QFont]:
        key = font.key()
        if self._fonts is None or key != self.font_key:
            bold = QFont(font)
            bold.setBold(True)
            self._fonts = (QFont(font), bold)
            self._metrics = (QFontMetrics(self._fonts[0]), QFontMetrics(bold))
            self.font_key = key
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
    grid: QColor | None
    base: QColor


class BoardPainter:
    """Paints a ``BoardTable``'s viewport from its ``BoardModel`` (see the module's docstring)."""

    def __init__(self, table: QTableView) -> None:
        self._table = table
        self.texts = StaticTexts()
        self._grid_colour: QColor | None = None
        self._pixmaps: dict[str, tuple[Any, list[Any], QPixmap]] = {}  # district code -> (key, cells, pixmap)

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
            grid=self.grid_colour() if table.showGrid() else None, base=palette.color(QPalette.ColorRole.Base),
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
        for row in range(first_row, last_row + 1):
            y = f.top + row * f.height
            line = model.grid_row(row)
            for block in range(first_col // fields, last_col // fields + 1):
                start = block * fields
                if start >= len(line) or line[start] is None:  # past the last district
                    continue
                painter.drawPixmap(f.xs[start], y, self._district_pixmap(line, start, f))
            for col in range(first_col, last_col + 1):
                cell = line[col] if (row, col) in f.selected and col < len(line) else None
                if cell is not None:
                    painter.fillRect(QRect(f.xs[col], y, f.widths[col], f.height), f.highlight)
                    self._text(painter, cell, f.xs[col], y, f.widths[col], f.highlighted_text, f)
        self._grid(painter, f, first_row, last_row, first_col, last_col)

    def _district_pixmap(self, line: list[dict[int, Any] | None], start: int, f: _Frame) -> QPixmap:
        """A district's cells drawn into a pixmap, kept while its widths, font and colours stay the
        same; the model reuses the cell objects of a district whose texts did not change, so only
        cells that are new objects (a tick's age) are drawn again, over their own rectangle."""
        cells = line[start:start + f.model.COLUMNS]
        widths = f.widths[start:start + f.model.COLUMNS]
        head = cells[0]
        assert head is not None
        code = str(head.get(_CODE))
        background = head.get(_BACKGROUND)
        fill = background.color() if isinstance(background, QBrush) else f.base
        foreground = head.get(_FOREGROUND)
        colour = foreground.color() if isinstance(foreground, QBrush) else f.text_colour
        layout = (tuple(widths), f.height, self.texts.font_key, fill.rgba(), colour.rgba())
        known = self._pixmaps.get(code)
        if known is not None and known[0] == layout:
            drawn, pixmap = known[1], known[2]
            stale = [i for i, cell in enumerate(cells) if cell is not drawn[i]]
            if not stale:
                return pixmap
        else:
            ratio = self._table.devicePixelRatioF()
            pixmap = QPixmap(max(1, round(sum(widths) * ratio)), max(1, round(f.height * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(fill)
            stale = [i for i, cell in enumerate(cells) if cell is not None]
        painter = QPainter(pixmap)
        try:
            for i in stale:
                x = sum(widths[:i])
                if known is not None and known[0] == layout:
                    painter.fillRect(x, 0, widths[i], f.height, fill)
                cell = cells[i]
                if cell is not None:
                    self._text(painter, cell, x, 0, widths[i], colour, f)
        finally:
            painter.end()
        if len(self._pixmaps) > PIXMAPS_MAX:
            self._pixmaps.clear()
        self._pixmaps[code] = (layout, cells, pixmap)  # the cells kept: compared by identity next time
        return pixmap

    def _text(self, painter: QPainter, cell: dict[int, Any], x: int, y: int, width: int, pen: QColor,
              f: _Frame) -> None:
        text = cell.get(_DISPLAY)
        if not text:
            return
        is_bold = _FONT in cell
        static, text_width = self.texts.get(text, is_bold, width - 2 * TEXT_PAD_PX)
        painter.setFont(f.fonts[1] if is_bold else f.fonts[0])
        painter.setPen(pen)
        left = x + ((width - text_width) / 2 if cell.get(_ALIGN) == _CENTER else TEXT_PAD_PX)
        painter.drawStaticText(QPointF(left, y + (f.height - f.line_h) / 2), static)

    def _selected(self) -> set[tuple[int, int]]:
        selection = self._table.selectionModel()
        if selection is None or not selection.hasSelection():
            return set()
        return {(i.row(), i.column()) for i in selection.selectedIndexes()}

    def _grid(self, painter: QPainter, f: _Frame, first_row: int, last_row: int, first_col: int,
              last_col: int) -> None:
        """The grid lines over the painted cells (each cell's right and bottom pixel, as the stock
        view draws them), as one-pixel rectangles: cheaper than lines on the raster engine."""
        if f.grid is None:
            return
        top = f.top + first_row * f.height
        height = (last_row - first_row + 1) * f.height
        left = f.xs[first_col]
        width = f.xs[last_col] + f.widths[last_col] - left
        for c in range(first_col, last_col + 1):
            painter.fillRect(f.xs[c] + f.widths[c] - 1, top, 1, height, f.grid)
        for r in range(first_row, last_row + 1):
            painter.fillRect(left, f.top + (r + 1) * f.height - 1, width, 1, f.grid)

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
