"""Exports from the Reports view: CSV read back with its BOM, XLSX read back with openpyxl (numbers as
numbers, header frozen), PDF rendered to an image (non-blank, the Devanagari font embedded), the audit
through ``record_export``, and a cancel or a failed audit leaving no file."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.reports import ReportQuery
from tests.unit.ui.reports.fakes import ALERTS, PUBLISHED_PERIOD, RUN_BY, SAVED, FakeLoader, as_of_text
from ui.fonts import load_fonts
from ui.operations import TaskManager
from ui.operations.reports import ExportCancelled, ExportJob, write_atomically
from ui.reports import ReportsView

SHOTS = Path(os.environ.get("RAKSHAK_PDF_PNG_DIR", "")) if os.environ.get("RAKSHAK_PDF_PNG_DIR") else None


@pytest.fixture
def fonts(qtbot: QtBot) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = QFont(app.font())
    load_fonts(app)
    yield app
    app.setFont(saved)


@pytest.fixture
def taskman(qtbot: QtBot) -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    qtbot.waitUntil(lambda: tm.pending == 0, timeout=20000)
    tm.shutdown()


def loaded_view(qtbot: QtBot, taskman: TaskManager, loader: FakeLoader, kind: str = "outcomes") -> ReportsView:
    view = ReportsView(loader, taskman, today=lambda: date(2024, 7, 15))
    qtbot.addWidget(view)
    view.period.set_period(*PUBLISHED_PERIOD)
    view.tabs.setCurrentWidget(view.tab_by_kind[kind])
    qtbot.waitUntil(
        lambda: kind in view.reports and view.reports[kind].header.query.date_from == PUBLISHED_PERIOD[0], timeout=5000
    )
    if kind == "outcomes":
        qtbot.waitUntil(lambda: len(view.tab_by_kind["outcomes"].points) == 18, timeout=5000)  # type: ignore[attr-defined]
    return view


def export(qtbot: QtBot, view: ReportsView, fmt: str, path: Path, timeout: int = 15000) -> str:
    with qtbot.waitSignal(view.export_finished, timeout=timeout) as done:
        view.export(fmt, path)
    return str(done.args[0])


def test_csv_has_a_bom_the_header_lines_the_table_and_the_definitions(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    loader = FakeLoader()
    view = loaded_view(qtbot, taskman, loader)
    path = tmp_path / "outcomes.csv"
    assert export(qtbot, view, "csv", path) == str(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 (Hindi) only with the BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = {r[0]: r[1] for r in rows[1:7]}
    assert head["Period"] == "1 Jan 2023 – 30 Jun 2024"
    assert head["Scope"] == "Whole state"
    assert head["Source"].startswith("Figures from HQ, as of ")
    assert head["Run by"] == RUN_BY
    assert head["Exported at"]
    header_row = next(i for i, r in enumerate(rows) if r[:3] == ["District", "Range", "Alerts"])
    state = next(r for r in rows if r and r[0] == "State total")
    assert int(state[2]) == ALERTS and int(state[rows[header_row].index("Lives saved")]) == SAVED
    assert any(r and r[0] == "प्रयागराज ज़िला" for r in rows)
    assert any(r and r[0].startswith("Lives saved: outcome") for r in rows)  # the definitions
    assert loader.exports == [("outcomes", ReportQuery(*PUBLISHED_PERIOD), "csv")]


def test_slowest_cases_export_case_ids_and_districts_only(qtbot: QtBot, taskman: TaskManager, tmp_path: Path) -> None:
    view = loaded_view(qtbot, taskman, FakeLoader(), "timing")
    path = tmp_path / "timing.csv"
    export(qtbot, view, "csv", path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    slow = next(i for i, r in enumerate(rows) if r == ["Slowest cases"])
    assert rows[slow + 1] == ["Case", "District", "Step", "Time (min)"]
    assert rows[slow + 2] == ["case-0000", "Lucknow", "HQ acknowledged", "333.3"]


def test_xlsx_stores_numbers_as_numbers_with_the_header_frozen(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    loader = FakeLoader()
    view = loaded_view(qtbot, taskman, loader, "timing")
    path = tmp_path / "timing.xlsx"
    assert export(qtbot, view, "xlsx", path) == str(path)
    book = load_workbook(path)
    about, timing, slowest = book.worksheets
    values = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row and row[0]}
    assert values["Period"] == "1 Jan 2023 – 30 Jun 2024" and values["Run by"] == RUN_BY
    assert any(str(k).startswith("A step's time runs from") for k in values)
    assert timing.freeze_panes == "A2" and slowest.freeze_panes == "A2"
    header = [c.value for c in timing[1]]
    assert header[:3] == ["District", "Step", "Cases"]
    first = [c.value for c in timing[2]]
    assert isinstance(first[2], int) and isinstance(first[3], float)
    assert timing.cell(2, 4).number_format == "0.0"
    assert timing.column_dimensions["A"].width >= 10
    assert timing.max_row == 1 + 5 * 6 + 6
    assert [c.value for c in slowest[2]][:2] == ["case-0000", "Lucknow"]
    assert loader.exports[-1][2] == "xlsx"


def test_xlsx_outcomes_state_row_is_numbers(qtbot: QtBot, taskman: TaskManager, tmp_path: Path) -> None:
    view = loaded_view(qtbot, taskman, FakeLoader())
    path = tmp_path / "o.xlsx"
    export(qtbot, view, "xlsx", path)
    sheet = load_workbook(path).worksheets[1]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "State total" and last[2] == ALERTS and last[5] == SAVED


def render(path: Path, page: int = 0, width: int = 1600) -> QImage:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    size = doc.pagePointSize(page)
    image = doc.render(page, QSize(width, int(width * size.height() / size.width())))
    doc.close()
    page_image = QImage(image.size(), QImage.Format.Format_RGB32)  # the page is transparent: put it on paper
    page_image.fill(QColor("white"))
    painter = QPainter(page_image)
    painter.drawImage(0, 0, image)
    painter.end()
    return page_image


def ink(image: QImage) -> float:
    """The share of sampled pixels that are not white."""
    dark = total = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            total += 1
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_pdf_renders_a_non_blank_page_with_the_devanagari_font_embedded(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path, fonts: QApplication, lang: str
) -> None:
    from ui.i18n import install_translator

    install_translator(fonts, lang)
    try:
        view = loaded_view(qtbot, taskman, FakeLoader())
        path = tmp_path / f"outcomes-{lang}.pdf"
        assert export(qtbot, view, "pdf", path) == str(path)
    finally:
        install_translator(fonts, "en")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"NotoSansDevanagari" in data  # the bundled font, embedded: prints where none is installed
    doc = QPdfDocument()
    doc.load(str(path))
    pages = doc.pageCount()
    text = doc.getAllText(0).text()
    doc.close()
    assert pages >= 2  # the table, then the charts
    image = render(path)
    assert 0.01 < ink(image) < 0.6
    assert 0.002 < ink(render(path, pages - 1)) < 0.6  # the charts page has something on it
    # shaped Devanagari does not survive text extraction (matras reorder, conjuncts are one glyph): the
    # Hindi page is checked by its pixels and by eye (docs/screenshots/report-pdf-hi.png)
    assert "Outcomes" in text if lang == "en" else "2023 – 30" in text
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        render(path, 0, 2000).save(str(SHOTS / f"report-pdf-{lang}.png"))
        render(path, pages - 1, 2000).save(str(SHOTS / f"report-pdf-charts-{lang}.png"))


def test_cancel_mid_export_leaves_no_file_and_records_nothing(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    loader = FakeLoader(n=75)
    view = loaded_view(qtbot, taskman, loader, "timing")  # 75 x 6 rows: several progress steps
    path = tmp_path / "big.pdf"
    seen: list[int] = []

    job = ExportJob(view)
    # cancelled from the worker at its first progress report (a direct connection: a queued one could
    # arrive after a fast export had already finished)
    job.progress.connect(lambda d, _t: (seen.append(d), job.cancel()), Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(view.export_finished, timeout=20000) as done:
        assert view.export("pdf", path, job) is job
    assert done.args == [""]
    assert seen  # it had started
    assert view.status.text() == "Export cancelled: no file was written."
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary
    assert loader.exports == []
    assert view.progress.isHidden() and view.job is None


def test_a_failed_audit_leaves_no_file(tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "x.csv"

    def write(p: Path, job: ExportJob) -> None:
        p.write_text("figures")

    def audit() -> None:
        raise OSError("HQ audit unavailable")

    with pytest.raises(OSError):
        write_atomically(path, write, ExportJob(), audit)
    assert list(tmp_path.iterdir()) == []
    cancelled = ExportJob()
    cancelled.cancel()
    with pytest.raises(ExportCancelled):
        write_atomically(path, write, cancelled, lambda: None)
    assert list(tmp_path.iterdir()) == []
    assert write_atomically(path, write, ExportJob(), lambda: None) == path and path.read_text() == "figures"


def test_export_of_a_report_not_loaded_yet_is_refused_in_words(qtbot: QtBot, taskman: TaskManager) -> None:
    loader: Any = FakeLoader(fail=RuntimeError("store busy"))
    view = ReportsView(loader, taskman)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() != "", timeout=5000)
    assert view.status.text() == "The report could not be computed: store busy"
    view.choose_export_file("csv")
    assert view.status.text() == "Nothing to export: no figures are shown yet."


def test_an_export_from_the_replica_says_so_and_names_the_district(
    qtbot: QtBot, taskman: TaskManager, tmp_path: Path
) -> None:
    from core.reports import ReportSource

    loader = FakeLoader(source=ReportSource.REPLICA)
    view = ReportsView(loader, taskman, district="LKO", names={"LKO": "Lucknow"}, today=lambda: date(2024, 7, 15))
    qtbot.addWidget(view)
    view.period.set_period(*PUBLISHED_PERIOD)
    qtbot.waitUntil(
        lambda: "outcomes" in view.reports and view.reports["outcomes"].header.query.date_from == PUBLISHED_PERIOD[0],
        timeout=5000,
    )
    path = tmp_path / "lko.csv"
    export(qtbot, view, "csv", path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    head = {r[0]: r[1] for r in rows[1:7]}
    assert head["Scope"] == "District: Lucknow"
    assert head["Source"] == f"HQ cannot be reached: figures from this console's replica, as of {as_of_text()}"
    assert loader.exports == [("outcomes", ReportQuery(*PUBLISHED_PERIOD, district="LKO"), "csv")]
