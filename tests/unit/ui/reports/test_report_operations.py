"""The reports' operations without a view: which failures fall back to the replica, the chart's weeks
and months, the quick periods, and the view's controls all named for a screen reader."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QTableView
from pytestqt.qtbot import QtBot

from core.reports import ReportQuery, ReportSource
from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError
from tests.unit.ui.reports.fakes import PUBLISHED_PERIOD, FakeLoader
from ui.operations import TaskManager
from ui.operations.reports import HQFirstLoader, chart_buckets
from ui.reports import ReportsView
from ui.reports.period import quick_period

QUERY = ReportQuery(*PUBLISHED_PERIOD)


def loader_failing_with(exc: BaseException) -> tuple[HQFirstLoader, FakeLoader]:
    replica = FakeLoader(source=ReportSource.REPLICA)

    def from_hq(kind: str, query: ReportQuery) -> Any:
        raise exc

    return HQFirstLoader(from_hq, replica.load, audit=replica.record_export), replica  # type: ignore[arg-type]


@pytest.mark.parametrize("exc", [HQUnreachable("timeout"), LoginRequired("no refresh token")])
def test_hq_out_of_reach_falls_back_to_the_replica(exc: BaseException) -> None:
    loader, replica = loader_failing_with(exc)
    report = loader.load("outcomes", QUERY)
    assert report.header.source is ReportSource.REPLICA
    assert replica.loads == [("outcomes", QUERY)]


@pytest.mark.parametrize("exc", [HQRefused(403, "forbidden", "not your district"), ProtocolError("bad reply")])
def test_hq_refusing_or_answering_wrongly_is_not_hidden_behind_the_replica(exc: BaseException) -> None:
    loader, replica = loader_failing_with(exc)
    with pytest.raises(type(exc)):
        loader.load("outcomes", QUERY)
    assert replica.loads == []


def test_hq_answer_is_used_and_exports_are_audited() -> None:
    hq = FakeLoader()
    replica = FakeLoader(source=ReportSource.REPLICA)
    audited: list[tuple[str, ReportQuery, str]] = []
    loader = HQFirstLoader(hq.load, replica.load, audit=lambda *a: audited.append(a))  # type: ignore[arg-type]
    assert loader.load("timing", QUERY).header.source is ReportSource.HQ
    loader.record_export("timing", QUERY, "pdf")
    assert replica.loads == [] and audited == [("timing", QUERY, "pdf")]


def test_chart_buckets_are_months_for_long_periods_and_weeks_for_short_ones() -> None:
    months = chart_buckets(*PUBLISHED_PERIOD)
    assert len(months) == 18
    assert months[0] == (date(2023, 1, 1), date(2023, 1, 31))
    assert months[1] == (date(2023, 2, 1), date(2023, 2, 28))
    assert months[-1] == (date(2024, 6, 1), date(2024, 6, 30))
    weeks = chart_buckets(date(2024, 6, 5), date(2024, 6, 30))  # a Wednesday to a Sunday
    assert weeks[0] == (date(2024, 6, 5), date(2024, 6, 9))  # cut to the period, ends on Sunday
    assert weeks[1] == (date(2024, 6, 10), date(2024, 6, 16))
    assert weeks[-1] == (date(2024, 6, 24), date(2024, 6, 30))
    for buckets in (months, weeks):  # no day lost or counted twice
        assert all((b[0] - a[1]).days == 1 for a, b in pairwise(buckets))
    assert chart_buckets(date(2024, 7, 2), date(2024, 7, 1)) == []


def test_quick_periods() -> None:
    today = date(2024, 3, 15)
    assert quick_period("this_month", today) == (date(2024, 3, 1), today)
    assert quick_period("last_month", today) == (date(2024, 2, 1), date(2024, 2, 29))
    assert quick_period("last_month", date(2024, 1, 10)) == (date(2023, 12, 1), date(2023, 12, 31))
    assert quick_period("this_year", today) == (date(2024, 1, 1), today)
    assert quick_period("last_year", today) == (date(2023, 1, 1), date(2023, 12, 31))
    assert quick_period("last_12_months", today) == (date(2023, 4, 1), today)


@pytest.fixture
def taskman(qtbot: QtBot) -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    qtbot.waitUntil(lambda: tm.pending == 0, timeout=10000)
    tm.shutdown()


def test_every_control_of_the_view_has_an_accessible_name(qtbot: QtBot, taskman: TaskManager) -> None:
    view = ReportsView(FakeLoader(), taskman)
    qtbot.addWidget(view)
    view.show()
    for tab in view.tab_by_kind.values():
        view.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda t=tab: t.kind in view.reports, timeout=5000)
        view.progress.show()
        view.cancel_button.show()
        kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QTableView)
        controls = [w for k in kinds for w in view.findChildren(k) if w.isVisible()]
        assert len(controls) >= 7
        unnamed = [
            w.metaObject().className()
            for w in controls
            if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
        ]
        assert unnamed == []
