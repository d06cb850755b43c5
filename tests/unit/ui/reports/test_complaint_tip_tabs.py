"""The compliance and tip-line tabs (tables, chart, a missed deadline one click from its case, CSV
export) and the replica's gaps: duplicates merged and console health shown as not known offline (a
dash with a footnote saying why, in the view and in the exports), never a false zero."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from core.reports import ReportQuery, ReportSource
from tests.unit.ui.reports.fakes import PUBLISHED_PERIOD, FakeLoader, header, health_report
from ui.operations import TaskManager
from ui.reports import ReportsView
from ui.reports.charts import BarChartData
from ui.reports.complaint_tabs import ComplianceTab
from ui.reports.tables import NOT_KNOWN, health_table
from ui.reports.tip_tabs import TipsTab


@pytest.fixture
def taskman(qtbot: QtBot) -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    qtbot.waitUntil(lambda: tm.pending == 0, timeout=20000)
    tm.shutdown()


def _view(qtbot: QtBot, taskman: TaskManager, loader: FakeLoader, kind: str) -> ReportsView:
    view = ReportsView(loader, taskman, today=lambda: date(2024, 7, 15))
    qtbot.addWidget(view)
    view.show()
    view.period.set_period(*PUBLISHED_PERIOD)
    view.tabs.setCurrentWidget(view.tab_by_kind[kind])
    qtbot.waitUntil(
        lambda: kind in view.reports and view.reports[kind].header.query.date_from == PUBLISHED_PERIOD[0], timeout=5000
    )
    return view


def _export_csv(qtbot: QtBot, view: ReportsView, path: Path) -> list[list[str]]:
    with qtbot.waitSignal(view.export_finished, timeout=15000):
        view.export("csv", path)
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_compliance_tab_tables_chart_and_a_breach_opens_its_case(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    view = _view(qtbot, taskman, FakeLoader(), "compliance")
    tab = view.tab_by_kind["compliance"]
    assert isinstance(tab, ComplianceTab)
    by_district, by_category, breaches = (m.table for m in tab.models)
    assert [r[0] for r in by_district.rows] == ["Lucknow", "प्रयागराज ज़िला", "(not routed)", "State total"]
    assert by_district.rows[0][1:6] == (10, 8, 6, 2, 0.75)  # received, due, met, missed, compliance
    assert tab.models[0].data(tab.models[0].index(0, 5)) == "75.0%"
    assert [r[0] for r in by_category.rows][-2:] == ["Not yet categorised", "State total"]
    assert breaches.case_ids == ("case-late-1", "case-late-2") and breaches.rows[0][6] == 30.0
    chart = tab.chart.data
    assert isinstance(chart, BarChartData) and chart.labels == ("Lucknow", "प्रयागराज ज़िला")
    assert chart.series[0].values == (75, 100)
    asked: list[str] = []
    view.case_requested.connect(asked.append)
    tab.breaches_view.activated_row.emit(1)  # type: ignore[attr-defined]
    assert asked == ["case-late-2"]
    rows = _export_csv(qtbot, view, tmp_path / "compliance.csv")
    flat = [r[0] for r in rows if r]
    assert "Two-hour compliance by district" in flat and "Missed deadlines" in flat and "case-late-1" in flat


def test_tips_tab_counts_by_district_category_and_month(qtbot: QtBot, taskman: TaskManager, tmp_path: Path) -> None:
    view = _view(qtbot, taskman, FakeLoader(), "tips")
    tab = view.tab_by_kind["tips"]
    assert isinstance(tab, TipsTab)
    by_district, by_category, over_time = (m.table for m in tab.models)
    assert by_district.rows[-1] == ("State total", 7, 3, 2, 1, 1, 3, 2)
    assert by_category.rows[-1] == by_district.rows[-1]
    assert over_time.title == "Tips received per month" and [r[1] for r in over_time.rows] == [4, 3]
    chart = tab.chart.data
    assert isinstance(chart, BarChartData) and chart.series[0].values == (4, 3)
    rows = _export_csv(qtbot, view, tmp_path / "tips.csv")
    text = "\n".join(",".join(r) for r in rows)
    assert "Tips by category" in text and "Tipster" not in text


def test_replica_shows_duplicates_as_not_known_with_a_footnote_also_in_the_export(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    view = _view(qtbot, taskman, FakeLoader(source=ReportSource.REPLICA), "outcomes")
    tab: Any = view.tab_by_kind["outcomes"]
    table = tab.model.table
    dup = [c.title for c in table.columns].index("Duplicates merged")
    assert {r[dup] for r in table.rows} == {NOT_KNOWN}  # never 0
    assert tab.model.data(tab.model.index(0, dup)) == "–"
    [note] = table.notes
    assert "not known offline" in note
    shown = [w.text() for w in tab.findChildren(type(view.source)) if w.isVisible()]
    assert note in shown
    rows = _export_csv(qtbot, view, tmp_path / "replica.csv")
    header_row = next(i for i, r in enumerate(rows) if "Duplicates merged" in r)
    col = rows[header_row].index("Duplicates merged")
    body = [r for r in rows[header_row + 1 :] if len(r) > col]
    assert body and {r[col] for r in body} == {"–"}
    assert [note] in rows


def test_console_health_from_the_replica_says_it_has_no_figures(qtbot: QtBot) -> None:
    query = ReportQuery(*PUBLISHED_PERIOD)
    hq = health_report(query)
    replica = type(hq)(header(query, ReportSource.REPLICA), hq.rows)
    table = health_table(replica)
    assert all(r[1:] == (NOT_KNOWN, NOT_KNOWN, NOT_KNOWN) for r in table.rows)
    assert table.notes and "no console-health figures" in table.notes[0]
    assert health_table(hq).notes == ()  # HQ's own figures carry no such note
