"""The HQ board view (pytest-qt, offscreen): worst first, names not codes, colours by severity, the
waiting age ticking without a fetch, a chime-worthy crossing, 75 districts on one 1,920×1,080 screen
and readable at 1,366×768, one step to a district's cases and consoles, and the HQ layout chosen by
the user's tier."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics

from core.board import BoardStep, Severity
from core.events import Author, Tier
from tests.e2e.kit import make_context, wait_idle
from tests.unit.ui.hq.boards import district, up_board
from ui.hq.board import BoardView
from ui.hq.model import BoardModel, clock_text

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


@pytest.fixture
def board_view(qtbot: Any, ui_env: Any, app: Any) -> Iterator[BoardView]:
    ctx = make_context(ui_env)
    view = BoardView(ctx, with_sound=False)
    qtbot.addWidget(view)
    yield view
    view.stop()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def _texts(model: BoardModel, row: int) -> list[str]:
    index = model.index_of(model.row_at(row).code)
    return [str(model.index(index.row(), index.column() + f).data() or "") for f in range(BoardModel.COLUMNS)]


def test_worst_first_with_names_and_colours(board_view: BoardView) -> None:
    from tests.unit.ui.hq.boards import up_board as make

    board = make(now=NOW)
    board = dataclasses.replace(board, as_of=NOW)
    board_view.model.set_board(board, now=NOW)
    model = board_view.model
    severities = [model.row_at(i).severity for i in range(model.districts)]
    assert severities == sorted(severities)
    assert severities[0] is Severity.CRITICAL and Severity.QUIET in severities
    top = model.index_of(model.row_at(0).code)
    assert top.data() == model.row_at(0).district.name  # the name, not the code
    assert model.row_at(0).code not in top.data()
    assert top.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#8b0000"
    quiet = next(i for i in range(model.districts) if model.row_at(i).severity is Severity.QUIET)
    assert model.index_of(model.row_at(quiet).code).data(Qt.ItemDataRole.BackgroundRole) is None
    # the oldest waiting overdue districts come before the younger ones
    overdue = [model.row_at(i).waited_s for i in range(model.districts) if model.row_at(i).severity is Severity.OVERDUE]
    assert overdue == sorted(overdue, reverse=True) and len(overdue) > 2


def test_age_ticks_each_second_and_crossing_the_threshold_is_announced(board_view: BoardView, qtbot: Any) -> None:
    model = board_view.model
    model.unack_alert_min = 5
    d = district("LKO", "Lucknow", "Lucknow", NOW, waiting_s=4 * 60 + 58)
    quiet = district("KNP", "Kanpur Nagar", "Kanpur", NOW)
    board = dataclasses.replace(up_board(2, 6, NOW), districts=(quiet, d))
    model.set_board(board, now=NOW)
    assert model.row_at(0).code == "LKO" and model.row_at(0).severity is Severity.WAITING
    assert _texts(model, 0)[BoardModel.COL_WAITING] == "4:58"
    with qtbot.waitSignal(model.crossed, timeout=1000) as crossed:
        model.tick(NOW + timedelta(seconds=3))
    assert crossed.args == [["LKO"]]
    assert _texts(model, 0)[BoardModel.COL_WAITING] == "5:01"
    assert model.row_at(0).severity is Severity.OVERDUE
    assert board_view.crossings == 1
    model.tick(NOW + timedelta(seconds=4))  # still overdue: no second announcement
    assert board_view.crossings == 1
    # and the view's own one-second timer ticks without any fetch
    before = _texts(model, 0)[BoardModel.COL_WAITING]
    qtbot.waitUntil(lambda: _texts(model, 0)[BoardModel.COL_WAITING] != before, timeout=3000)


def test_the_first_board_sets_the_baseline_a_heartbeat_alert_then_crosses(board_view: BoardView, qtbot: Any) -> None:
    model = board_view.model
    ok = district("VNS", "Varanasi", "Varanasi", NOW)
    silent = district("VNS", "Varanasi", "Varanasi", NOW, online=0)
    base = up_board(1, 3, NOW)
    model.set_board(dataclasses.replace(base, districts=(silent,)), now=NOW)
    assert board_view.crossings == 0  # sign-in: nothing "crossed"
    model.set_board(dataclasses.replace(base, districts=(ok,)), now=NOW)
    assert model.row_at(0).severity is Severity.QUIET
    model.set_board(dataclasses.replace(base, districts=(silent,)), now=NOW)
    assert board_view.crossings == 1 and model.row_at(0).severity is Severity.SILENT
    assert _texts(model, 0)[BoardModel.COL_ALERT].startswith("No heartbeat since")


def test_clock_text() -> None:
    assert clock_text(0) == "0:00" and clock_text(65) == "1:05" and clock_text(3723) == "1:02:03"


@pytest.mark.parametrize(("lang", "size", "blocks"), [("en", (1920, 1080), 2), ("hi", (1920, 1080), 2),
                                                       ("en", (1366, 768), 1), ("hi", (1366, 768), 1)])
def test_75_districts_fit_1920x1080_and_stay_readable_at_1366x768(
    board_view: BoardView, app: Any, qtbot: Any, lang: str, size: tuple[int, int], blocks: int
) -> None:
    from ui.fonts import load_fonts
    from ui.i18n import install_translator

    load_fonts(app)  # as the client does at start: Devanagari measured in the shipped font
    install_translator(app, lang)
    view = BoardView(board_view._ctx, with_sound=False)
    qtbot.addWidget(view)
    try:
        # the board's share of the screen: the window's banner, tabs and status bar take ~170 px
        view.resize(size[0] - 12, size[1] - 170)
        view.show()
        view.model.set_board(up_board(75, 200, NOW), now=NOW)
        qtbot.waitUntil(lambda: view.model.blocks == blocks, timeout=2000)
        table = view.table
        total = sum(table.columnWidth(c) for c in range(view.model.columnCount()))
        assert total <= table.viewport().width(), "no sideways scrolling"
        rows_px = view.model.rowCount() * table.verticalHeader().defaultSectionSize()
        if size == (1920, 1080):
            assert rows_px <= table.viewport().height(), "all 75 districts on one screen"
        metrics = QFontMetrics(table.horizontalHeader().font())
        for field in range(BoardModel.COLUMNS):
            label = str(view.model.headerData(field, Qt.Orientation.Horizontal))
            assert metrics.horizontalAdvance(label) + 8 <= table.columnWidth(field), (lang, label)
        body = QFontMetrics(table.font())
        assert body.height() + 2 <= table.verticalHeader().defaultSectionSize()
        bold = QFontMetrics(view.model._bold)
        for i in range(view.model.districts):  # every name and alert shown whole, not elided
            d = view.model.row_at(i).district
            assert bold.horizontalAdvance(d.name) + 8 <= table.columnWidth(BoardModel.COL_DISTRICT), d.name
            alert = str(view.model.index_of(d.code, BoardModel.COL_ALERT).data() or "")
            assert bold.horizontalAdvance(alert) + 8 <= table.columnWidth(BoardModel.COL_ALERT), alert
    finally:
        view.stop()
        install_translator(app, "en")


def test_one_step_to_a_districts_cases_and_its_consoles(board_view: BoardView, qtbot: Any) -> None:
    board_view.resize(1900, 900)
    board_view.show()
    board_view.model.set_board(up_board(75, 200, NOW), now=NOW)
    model, table = board_view.model, board_view.table
    code = model.row_at(0).code
    index = model.index_of(code, BoardModel.COL_DISTRICT)
    where = table.visualRect(index).center()
    with qtbot.waitSignal(board_view.district_opened, timeout=1000) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened.args == [code]
    table.setCurrentIndex(model.index_of(model.row_at(5).code, BoardModel.COL_WAITING))
    with qtbot.waitSignal(board_view.district_opened, timeout=1000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [model.row_at(5).code]
    # the consoles columns open the consoles
    table.setCurrentIndex(model.index_of(code, BoardModel.COL_ONLINE))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = board_view.consoles_dialog
    assert dialog is not None and dialog.isVisible()
    d = model.row_at(0).district
    assert dialog.table.rowCount() == len(d.consoles) > 0
    assert dialog.table.item(0, 0).text() == d.consoles[0].device_name
    assert d.name in dialog.windowTitle()
    dialog.close()
    # a click on the blank spacer between blocks opens nothing
    assert model.locate(model.index(0, BoardModel.COLUMNS))[0] is None
    assert table.indexAt(QPoint(-5, -5)).isValid() is False


def test_range_filter_lists_the_ranges_and_without_a_login_says_so(board_view: BoardView) -> None:
    board_view.show_board(up_board(75, 200, NOW))
    items = [board_view.range_filter.itemText(i) for i in range(board_view.range_filter.count())]
    assert items[0] == "All ranges" and "Varanasi" in items and "Lucknow" in items
    board_view.range_filter.setCurrentIndex(items.index("Varanasi"))
    assert "Not signed in" in board_view.state.text()
    assert "75 districts" in board_view.summary.text()


def test_failed_fetch_keeps_the_rows_and_says_since_when(board_view: BoardView) -> None:
    board_view.show_board(up_board(10, 20, NOW))
    board_view._failed(RuntimeError("HQ unreachable"))
    assert "not updated since" in board_view.state.text() and "HQ unreachable" in board_view.state.text()
    assert board_view.model.districts == 10


def test_hq_user_gets_the_hq_layout_and_a_district_user_does_not(qtbot: Any, ui_env: Any, app: Any) -> None:
    from ui.main_window import MainWindow

    for tier, role in ((Tier.HQ, "hq_operator"), (Tier.DISTRICT, "district_operator")):
        ctx = make_context(ui_env)
        ctx.user.author = Author("u-" + role, "Someone", tier)
        ctx.user.role = role
        ctx.user.district = None if tier is Tier.HQ else "LKO"
        win = MainWindow(ctx, with_sound=False)
        qtbot.addWidget(win)
        try:
            if tier is Tier.HQ:
                assert win.hq is not None and win.stack.widget(0) is win.hq
                assert win.hq.currentWidget() is win.hq.board  # the board first
                win.hq.board.model.set_board(up_board(3, 6, NOW), now=NOW)
                code = win.hq.board.model.row_at(0).code
                win.hq.board.district_opened.emit(code)
                assert win.hq.currentIndex() == 1 and win.queue.model.queue_filter.district == code
                assert win.hq.district_bar.isVisibleTo(win.hq)
                win.hq.all_districts.click()
                assert win.queue.model.queue_filter.district is None
                # opening a case (the alarm's F2, a refused entry) from the board brings the Cases tab
                win.hq.setCurrentIndex(0)
                win.open_case("case-from-the-alarm")
                assert win.hq.currentIndex() == 1
            else:
                # a district's tabs: its cases first (the queue and detail), then its complaints
                assert win.hq is None and win.stack.widget(0) is win.tabs and win.tabs.widget(0) is win.splitter
        finally:
            win.close()
            wait_idle(qtbot, ctx)
            ctx.taskman.shutdown()


def test_steps_shown_in_their_columns(board_view: BoardView) -> None:
    d = district("LKO", "Lucknow", "Lucknow", NOW, by_step={str(BoardStep.ACKNOWLEDGED): 2,
                                                            str(BoardStep.OUTCOME): 1})
    board_view.model.set_board(dataclasses.replace(up_board(1, 3, NOW), districts=(d,)), now=NOW)
    texts = _texts(board_view.model, 0)
    assert texts[BoardModel.COL_ACK] == "2" and texts[BoardModel.COL_OUTCOME] == "1"
    assert texts[BoardModel.COL_UNACK] == "" and texts[BoardModel.COL_ONLINE] == "3/3"


def test_a_districts_cases_in_the_queue(qtbot: Any, ui_env: Any, app: Any) -> None:
    """The queue filtered to a district (the board's one step) lists that district's cases only."""
    from tests.e2e.kit import add_cases_from_hq, created_event
    from ui.queue_view import QueueView

    lko = [created_event(ui_env.hq_clock, name=f"L {i}", district="LKO") for i in range(2)]
    knp = created_event(ui_env.hq_clock, name="K 1", district="KNP")
    add_cases_from_hq(ui_env.store, [*lko, knp])
    ctx = make_context(ui_env)
    view = QueueView(ctx)
    qtbot.addWidget(view)
    try:
        view.refresh()
        qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5000)
        view.show_district("KNP")
        qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
        assert view.model.case_row(0).case_id == knp.case_id
        view.show_district(None)
        qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5000)
    finally:
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


@pytest.mark.sound
def test_the_chime_makes_sound_once(qtbot: Any, sink_recording: Any) -> None:
    """The board's soft notification reaches the (null) sink: recorded, loud enough, and over in a
    second (it never loops like the siren)."""
    from PySide6.QtMultimedia import QSoundEffect

    from tests.fixtures.pulse import RATE_HZ, first_loud_frame, read_samples, rms
    from ui.hq.chime import BoardChime

    chime = BoardChime()
    qtbot.waitUntil(lambda: chime._effect.status() == QSoundEffect.Status.Ready, timeout=5000)
    qtbot.wait(300)  # silence before
    assert chime.play()
    qtbot.wait(2500)
    sink_recording.stop()
    samples = read_samples(sink_recording.path)
    onset = first_loud_frame(samples, threshold=0.02)
    assert onset is not None, f"the sink stayed silent (RMS {rms(samples):.4f})"
    assert rms(samples, onset, onset + RATE_HZ // 5) > 0.02
    assert rms(samples, onset + int(RATE_HZ * 1.2), onset + int(RATE_HZ * 1.6)) < 0.005  # played once, then silence
    assert chime.played == 1 and chime.failed == 0
