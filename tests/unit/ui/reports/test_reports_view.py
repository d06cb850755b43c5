"""The Reports view over a loader returning the producers' types: the published table (740 alerts, 457
lives saved), the source line (HQ, or the replica as of its time when HQ cannot be reached), scopes,
the slowest cases opening in the main window, the menu entry."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.reports import ReportQuery, ReportSource
from sync.errors import HQRefused, HQUnreachable
from tests.unit.ui.reports.fakes import ALERTS, PUBLISHED_PERIOD, SAVED, FakeLoader, as_of_text, outcome_report
from ui.operations import TaskManager
from ui.operations.reports import HQFirstLoader
from ui.reports import ReportsView

TODAY = date(2024, 7, 15)


@pytest.fixture
def taskman(qtbot: QtBot) -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    qtbot.waitUntil(lambda: tm.pending == 0, timeout=10000)
    tm.shutdown()


def make_view(qtbot: QtBot, taskman: TaskManager, loader: Any, **kw: Any) -> ReportsView:
    view = ReportsView(loader, taskman, today=lambda: TODAY, **kw)
    qtbot.addWidget(view)
    view.show()
    return view


def published(view: ReportsView, qtbot: QtBot) -> None:
    view.period.set_period(*PUBLISHED_PERIOD)
    qtbot.waitUntil(
        lambda: "outcomes" in view.reports and view.reports["outcomes"].header.query.date_from == PUBLISHED_PERIOD[0],
        timeout=5000,
    )


def column(table: Any, title: str) -> int:
    return [c.title for c in table.columns].index(title)


def test_outcomes_tab_shows_the_published_table_with_district_rows_and_the_state_row(
    qtbot: QtBot, taskman: TaskManager
) -> None:
    loader = FakeLoader()
    view = make_view(qtbot, taskman, loader)
    published(view, qtbot)
    model = view.tab_by_kind["outcomes"].model  # type: ignore[attr-defined]
    table = model.table
    assert model.rowCount() == 6  # five districts and the state
    state = table.rows[-1]
    assert state[0] == "State total"
    assert state[column(table, "Alerts")] == ALERTS
    assert state[column(table, "Lives saved")] == SAVED
    assert state[column(table, "Not reached: Location could not be traced")] == 151
    assert state[column(table, "Not reached: Phone switched off")] == 89
    assert state[column(table, "Not reached: Person is in another state")] == 43
    for title in ("Alerts", "Lives saved", "Safe, counselled", "Handed to family", "Hospitalised"):
        c = column(table, title)
        assert sum(r[c] for r in table.rows[:-1]) == state[c]  # the state row is the districts' sum
    shown = model.data(model.index(5, column(table, "Alerts")))
    assert shown == "740"
    assert model.data(model.index(5, 0), Qt.ItemDataRole.FontRole).bold()
    assert view.source.text() == f"Figures from HQ, as of {as_of_text()}"
    # the query asked for the whole state over the published period
    assert ("outcomes", ReportQuery(*PUBLISHED_PERIOD)) in loader.loads


def test_chart_shows_alerts_and_lives_saved_per_month(qtbot: QtBot, taskman: TaskManager) -> None:
    view = make_view(qtbot, taskman, FakeLoader())
    published(view, qtbot)
    tab = view.tab_by_kind["outcomes"]
    qtbot.waitUntil(lambda: len(tab.points) == 18, timeout=5000)  # type: ignore[attr-defined]
    data = tab.chart.data  # type: ignore[attr-defined]
    assert data.title == "Alerts and lives saved per month"
    assert data.labels[0] == "Jan 23" and data.labels[-1] == "Jun 24"
    assert [s.name for s in data.series] == ["Alerts", "Lives saved"]
    assert all(a >= s for a, s in zip(data.series[0].values, data.series[1].values, strict=True))
    image = tab.chart.grab().toImage()  # type: ignore[attr-defined]
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
    assert "#5b7fa6" in colours and "#2e8b57" in colours  # both series' bars were painted


def test_quick_picks_set_the_period(qtbot: QtBot, taskman: TaskManager) -> None:
    view = make_view(qtbot, taskman, FakeLoader())
    picker = view.period
    picker.quick.setCurrentIndex(picker.quick.findData("last_month"))
    assert picker.period() == (date(2024, 6, 1), date(2024, 6, 30))
    picker.quick.setCurrentIndex(picker.quick.findData("this_year"))
    assert picker.period() == (date(2024, 1, 1), TODAY)
    picker.quick.setCurrentIndex(picker.quick.findData("this_month"))
    assert picker.period() == (date(2024, 7, 1), TODAY)
    picker.set_period(date(2023, 1, 1), date(2024, 6, 30))
    assert picker.quick.currentData() == "custom"
    assert view.query() == ReportQuery(date(2023, 1, 1), date(2024, 6, 30))


def test_hq_user_can_narrow_to_a_range_or_a_district(qtbot: QtBot, taskman: TaskManager) -> None:
    loader = FakeLoader()
    view = make_view(qtbot, taskman, loader)
    published(view, qtbot)
    choices = [view.scope.itemData(i) for i in range(view.scope.count())]
    assert ("range", "Kanpur Range") in choices and ("district", "PRY") in choices
    view.scope.setCurrentIndex(choices.index(("district", "PRY")))
    want = ReportQuery(*PUBLISHED_PERIOD, district="PRY")
    qtbot.waitUntil(lambda: ("outcomes", want) in loader.loads, timeout=5000)
    assert view.query() == want


def test_district_user_sees_its_own_district_only(qtbot: QtBot, taskman: TaskManager) -> None:
    loader = FakeLoader()
    view = make_view(qtbot, taskman, loader, district="LKO", names={"LKO": "Lucknow"})
    qtbot.waitUntil(lambda: "outcomes" in view.reports, timeout=5000)
    assert not view.scope.isEnabled()
    assert view.scope.currentText() == "District: Lucknow"
    assert {q.district for k, q in loader.loads if k == "outcomes"} == {"LKO"}


def test_hq_unreachable_falls_back_to_the_replica_and_says_so(qtbot: QtBot, taskman: TaskManager) -> None:
    replica = FakeLoader(source=ReportSource.REPLICA)
    hq_calls: list[str] = []

    def from_hq(kind: str, query: ReportQuery) -> Any:
        hq_calls.append(kind)
        raise HQUnreachable("connection refused")

    loader = HQFirstLoader(from_hq, replica.load, audit=replica.record_export)  # type: ignore[arg-type]
    view = make_view(qtbot, taskman, loader)
    published(view, qtbot)
    assert hq_calls and replica.loads
    assert view.source.text() == f"HQ cannot be reached: figures from this console's replica, as of {as_of_text()}"
    assert "fff3cd" in view.source.styleSheet()  # the replica's banner stands out
    table = view.tab_by_kind["outcomes"].model.table  # type: ignore[attr-defined]
    assert table.rows[-1][column(table, "Lives saved")] == SAVED


def test_hq_refusal_is_shown_not_answered_from_the_replica(qtbot: QtBot, taskman: TaskManager) -> None:
    replica = FakeLoader(source=ReportSource.REPLICA)

    def from_hq(kind: str, query: ReportQuery) -> Any:
        raise HQRefused(403, "forbidden", "scope not allowed")

    view = make_view(
        qtbot,
        taskman,
        HQFirstLoader(
            from_hq,
            replica.load,  # type: ignore[arg-type]
            audit=replica.record_export,
        ),
    )
    qtbot.waitUntil(lambda: view.status.text() != "", timeout=5000)
    assert view.status.text() == "HQ does not allow this report for your role or scope."
    assert replica.loads == []
    assert view.source.text() == "No figures shown."


def test_a_failed_load_leaves_no_older_figures_on_screen(qtbot: QtBot, taskman: TaskManager) -> None:
    loader = FakeLoader()
    view = make_view(qtbot, taskman, loader)
    published(view, qtbot)
    model = view.tab_by_kind["outcomes"].model  # type: ignore[attr-defined]
    assert model.rowCount() == 6
    loader.fail = HQRefused(500, None, "internal error")
    view.period.set_period(date(2024, 1, 1), date(2024, 6, 30))
    qtbot.waitUntil(lambda: view.status.text() != "", timeout=5000)
    assert view.status.text() == "HQ refused the report: internal error"
    assert model.rowCount() == 0 and "outcomes" not in view.reports
    view.choose_export_file("csv")  # nothing shown, so nothing to export
    assert view.status.text() == "Nothing to export: no figures are shown yet."


def timing_view(qtbot: QtBot, taskman: TaskManager) -> ReportsView:
    view = make_view(qtbot, taskman, FakeLoader())
    published(view, qtbot)
    view.tabs.setCurrentWidget(view.tab_by_kind["timing"])
    qtbot.waitUntil(lambda: "timing" in view.reports, timeout=5000)
    return view


def test_timing_tab_lists_percentiles_per_step_and_district_and_the_slowest_cases(
    qtbot: QtBot, taskman: TaskManager
) -> None:
    view = timing_view(qtbot, taskman)
    tab: Any = view.tab_by_kind["timing"]
    table = tab.model.table
    assert [c.title for c in table.columns] == [
        "District",
        "Step",
        "Cases",
        "p50 (min)",
        "p90 (min)",
        "p99 (min)",
        "Target (min)",
        "Over target",
    ]
    assert len(table.rows) == 5 * 6 + 6
    assert table.rows[-6][:2] == ("State total", "HQ acknowledged")
    assert table.rows[-6][3] == pytest.approx(0.8)  # 48 s as minutes
    slow = tab.slowest_model.table
    assert [c.title for c in slow.columns] == ["Case", "District", "Step", "Time (min)"]
    assert slow.rows[0][:2] == ("case-0000", "Lucknow")  # the district's name, not its code
    assert tab.chart.data.rows[0].label == "HQ acknowledged"
    assert tab.chart.data.title == "Time each step took (State total)"
    tab.view.setCurrentIndex(tab.model.index(6 + 3, 0))  # Kanpur Nagar's "Team dispatched" row
    assert tab.chart.data.title == "Time each step took (Kanpur Nagar)"
    assert tab.chart.data.rows[3].p50 == pytest.approx((240 + 1) / 60)  # the fake's district 1: 0.4 x 600 s + 1
    tab.view.setCurrentIndex(tab.model.index(len(table.rows) - 1, 0))
    assert tab.chart.data.title == "Time each step took (State total)"


def test_double_click_or_enter_on_a_slow_case_asks_for_it(qtbot: QtBot, taskman: TaskManager) -> None:
    view = timing_view(qtbot, taskman)
    tab: Any = view.tab_by_kind["timing"]
    table_view = tab.slowest_view
    with qtbot.waitSignal(view.case_requested, timeout=2000) as got:
        index = table_view.model().index(2, 0)
        rect = table_view.visualRect(index)
        # Qt 6's QTest double-click is the second click only: the item view needs the first press too
        qtbot.mouseClick(table_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert got.args == ["case-0002"]
    table_view.setCurrentIndex(table_view.model().index(4, 1))
    with qtbot.waitSignal(view.case_requested, timeout=2000) as got:
        qtbot.keyClick(table_view, Qt.Key.Key_Return)
    assert got.args == ["case-0004"]


def test_console_health_and_follow_ups_tabs(qtbot: QtBot, taskman: TaskManager) -> None:
    view = make_view(qtbot, taskman, FakeLoader())
    for kind in ("console-health", "follow-ups"):
        view.tabs.setCurrentWidget(view.tab_by_kind[kind])
        qtbot.waitUntil(lambda k=kind: k in view.reports, timeout=5000)
    health: Any = view.tab_by_kind["console-health"]
    assert health.model.data(health.model.index(0, 1)) == "90.0%"
    follow: Any = view.tab_by_kind["follow-ups"]
    assert follow.model.table.rows[-1] == ("State total", 60, 50, 10)


def test_view_speaks_hindi(app: QApplication, qtbot: QtBot, taskman: TaskManager) -> None:
    from ui.i18n import install_translator

    install_translator(app, "hi")
    view = make_view(qtbot, taskman, FakeLoader())
    published(view, qtbot)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles == [
        "परिणाम", "श्रृंखला का समय", "कंसोल की स्थिति", "फ़ॉलो-अप", "दावे", "संदिग्ध खाते", "शिकायतें: अनुपालन",
        "सूचना-लाइन",
    ]  # fmt: skip
    assert view.source.text().startswith("मुख्यालय के आँकड़े")
    table = view.tab_by_kind["outcomes"].model.table  # type: ignore[attr-defined]
    assert table.rows[-1][0] == "पूरा राज्य"


def test_reports_menu_opens_the_view_and_a_slow_case_opens_in_the_main_window(qtbot: QtBot, ui_env: Any) -> None:
    from tests.e2e.kit import add_cases_from_hq, created_event, make_context, wait_idle
    from ui.main_window import MainWindow

    ev = created_event(ui_env.hq_clock, name="Ravi Kumar")
    add_cases_from_hq(ui_env.store, [ev])
    ctx = dataclasses.replace(make_context(ui_env), reports=FakeLoader())
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    try:
        action = next(a for a in win.actions() if a.objectName() == "reports")
        assert action.shortcut().toString() == "Ctrl+Shift+R"
        action.trigger()
        view = win.findChild(ReportsView)
        assert view is not None and view.isVisible()
        assert view.district == "Lucknow"  # a district operator's view is its district
        action.trigger()
        assert win.findChildren(ReportsView) == [view]  # one view per window
        view.case_requested.emit(ev.case_id)
        qtbot.waitUntil(lambda: win.detail.case_id == ev.case_id, timeout=5000)
        view.close()
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_state_row_of_the_fake_is_the_published_figure() -> None:
    report = outcome_report(ReportQuery(*PUBLISHED_PERIOD), n=75)
    assert (report.total.alerts, report.total.lives_saved) == (ALERTS, SAVED)


class SlowLoader(FakeLoader):
    def load(self, kind: str, query: ReportQuery) -> object:
        time.sleep(0.05)
        return super().load(kind, query)


def test_a_new_period_stops_the_older_chart_series_between_buckets(qtbot: QtBot, taskman: TaskManager) -> None:
    loader = SlowLoader()
    view = make_view(qtbot, taskman, loader)
    tab: Any = view.tab_by_kind["outcomes"]

    def old_buckets() -> int:  # the months of 2023 the chart asked for
        return sum(1 for k, q in list(loader.loads) if k == "outcomes" and q.date_to.year == 2023)

    view.period.set_period(*PUBLISHED_PERIOD)  # 18 monthly loads for the chart
    qtbot.waitUntil(lambda: old_buckets() >= 1, timeout=5000)
    view.period.set_period(date(2024, 6, 1), date(2024, 6, 30))  # five weeks
    qtbot.waitUntil(lambda: len(tab.points) == 5, timeout=10000)
    qtbot.waitUntil(lambda: taskman.pending == 0, timeout=10000)
    assert old_buckets() < 12  # the older series stopped early instead of asking for all 18 months
    assert tab.chart.data.title == "Alerts and lives saved per week"
