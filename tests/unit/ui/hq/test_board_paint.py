"""The board's own painting (``BoardPainter``) draws what the stock item delegate draws: each
district's severity colour over its cells, its texts in its text colour, nothing in empty cells, the
selected cell highlighted; and long texts are elided to their cell. Offscreen Qt, the real view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFont, QImage

from tests.e2e.kit import make_context, wait_idle
from tests.unit.ui.hq.boards import up_board
from ui.hq.board import BoardView
from ui.hq.board_paint import TEXT_PAD_PX, StaticTexts
from ui.hq.model import COLOURS, BoardModel

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


@pytest.fixture
def view(qtbot: Any, ui_env: Any, app: Any) -> Iterator[BoardView]:
    ctx = make_context(ui_env)
    board = BoardView(ctx, with_sound=False)
    qtbot.addWidget(board)
    board.resize(1908, 910)
    board.show()
    board.model.set_board(up_board(75, 200, NOW), now=NOW)
    qtbot.waitUntil(lambda: board.model.blocks == 2, timeout=2000)
    yield board
    board.stop()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def _shot(view: BoardView, *, stock: bool) -> QImage:
    view.table.stock_paint = stock
    view.table.viewport().update()
    return view.table.viewport().grab().toImage()


def _cell_rect(view: BoardView, code: str, field: int) -> QRect:
    return view.table.visualRect(view.model.index_of(code, field))


def _ink(image: QImage, rect: QRect, background: QColor) -> int:
    """Pixels inside ``rect`` (grid line and padding left out) that differ from ``background``."""
    inner = rect.adjusted(2, 2, -3, -3)
    bg = background.rgb()
    return sum(1 for x in range(inner.left(), inner.right() + 1) for y in range(inner.top(), inner.bottom() + 1)
               if image.pixel(x, y) != bg)


def test_backgrounds_and_texts_match_the_stock_painting(view: BoardView) -> None:
    ours, stock = _shot(view, stock=False), _shot(view, stock=True)
    model = view.model
    base = view.table.palette().base().color()
    checked = 0
    for i in range(model.districts):
        row = model.row_at(i)
        colours = COLOURS.get(row.severity)
        background = QColor(colours[0]) if colours else base
        for field in range(BoardModel.COLUMNS):
            rect = _cell_rect(view, row.code, field)
            if not view.table.viewport().rect().contains(rect):
                continue
            corner = rect.topLeft() + QPoint(1, 1)
            assert QColor(ours.pixel(corner)) == background, (row.district.name, field)
            assert QColor(stock.pixel(corner)) == background, (row.district.name, field)
            checked += 1
            if i % 3:
                continue  # the ink of every third district's cells (counting pixels is slow)
            text = str(model.index_of(row.code, field).data() or "")
            ink_ours, ink_stock = _ink(ours, rect, background), _ink(stock, rect, background)
            if text:
                assert ink_ours > 5 and ink_stock > 5, (row.district.name, field, text)
                # the same text in the same font: about as much ink either way
                assert 0.5 * ink_stock <= ink_ours <= 2 * ink_stock, (row.district.name, field, text)
            else:
                assert ink_ours == 0, (row.district.name, field)
    assert checked >= 75 * BoardModel.COLUMNS


def test_text_is_in_the_districts_text_colour(view: BoardView) -> None:
    top = view.model.row_at(0)  # critical: white on dark red
    rect = _cell_rect(view, top.code, BoardModel.COL_DISTRICT)
    image = _shot(view, stock=False)
    white = sum(1 for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())
                if QColor(image.pixel(x, y)).lightness() > 200)
    assert white > 20, "the name drawn in white on the critical row"


def test_the_selected_cell_is_highlighted(view: BoardView) -> None:
    code = view.model.row_at(40).code
    index = view.model.index_of(code, BoardModel.COL_ONLINE)
    view.table.setCurrentIndex(index)
    rect = view.table.visualRect(index)
    image = _shot(view, stock=False)
    highlight = view.table.palette().highlight().color()
    assert QColor(image.pixel(rect.left() + 2, rect.top() + 2)) == highlight
    other = _cell_rect(view, code, BoardModel.COL_SOUND)
    assert QColor(image.pixel(other.left() + 2, other.top() + 2)) != highlight


def test_long_texts_are_elided_to_their_cell(app: Any) -> None:
    texts = StaticTexts()
    texts.use(QFont())
    whole, whole_width = texts.get("No heartbeat since 09:30", False, 1000)
    assert whole.text() == "No heartbeat since 09:30"
    short, width = texts.get("No heartbeat since 09:30", False, 60)
    assert width <= 60 and short.text() != whole.text() and short.text().endswith("…")
    assert texts.get("No heartbeat since 09:30", False, 60)[0] is short  # cached, not prepared again
    assert whole_width > 60 > TEXT_PAD_PX


def test_cells_changed_since_are_painted_as_afresh(view: BoardView, qtbot: Any) -> None:
    """Kept district pictures redraw the cells that changed (a tick's ages, a new board): the
    result is what a painter with nothing kept draws."""
    from datetime import timedelta

    from ui.hq.board_paint import BoardPainter

    _shot(view, stock=False)  # every district drawn and kept
    waiting = next(i for i in range(view.model.districts) if view.model.row_at(i).waited_s)
    code = view.model.row_at(waiting).code
    before = str(view.model.index_of(code, BoardModel.COL_WAITING).data())
    view.model.tick(NOW + timedelta(seconds=61))
    board = up_board(75, 200, NOW)
    view.model.set_board(board, now=NOW + timedelta(seconds=125))
    assert str(view.model.index_of(code, BoardModel.COL_WAITING).data()) != before
    kept = _shot(view, stock=False)
    view.table.painter = BoardPainter(view.table)
    fresh = _shot(view, stock=False)
    assert kept == fresh
