"""PDF export of a report, rendered by Qt: QTextDocument (for text shaping and tables) paged onto a
QPdfWriter, the charts painted with the same functions the view uses, in the bundled Noto Sans
Devanagari so Hindi (conjuncts included) prints on a PC with no Devanagari font installed.

Runs on a worker thread (``ui.operations.reports.export_report``): it uses only paint devices, fonts
and a QTextDocument it creates itself, never a widget. ``families`` (the font families to use, the
application font's list with Noto Sans Devanagari) are read on the GUI thread and passed in.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ui.operations.reports import ExportJob
from ui.reports.charts import paint_chart
from ui.reports.tables import ExportDocument, Table, cell_text

PDF_DPI = 150
BODY_PT = 8
ROWS_PER_STEP = 100


def _table_html(table: Table, job: ExportJob, done: int, total: int) -> tuple[str, int]:
    parts = [
        f"<h3>{html.escape(table.title)}</h3>",
        '<table border="1" cellspacing="0" cellpadding="2" width="100%"><thead><tr>',
    ]
    parts += [f'<th bgcolor="#e8e8e8">{html.escape(c.title)}</th>' for c in table.columns]
    parts.append("</tr></thead><tbody>")
    first_total = len(table.rows) - table.total_rows
    for i, row in enumerate(table.rows):
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            text = html.escape(cell_text(value, column.kind))
            align = "left" if column.kind == "text" else "right"
            cells.append(f'<td align="{align}">{"<b>" + text + "</b>" if i >= first_total else text}</td>')
        parts.append("<tr>" + "".join(cells) + "</tr>")
        done += 1
        if done % ROWS_PER_STEP == 0:
            job.step(done, total)
    parts.append("</tbody></table>")
    parts += [f"<p><i>{html.escape(note)}</i></p>" for note in table.notes]
    return "".join(parts), done


def document_html(doc: ExportDocument, job: ExportJob, total: int) -> str:
    head = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in doc.header)
    parts = [f"<h2>{html.escape(doc.title)}</h2>", f'<table cellpadding="1">{head}</table>']
    done = 0
    for table in doc.tables:
        text, done = _table_html(table, job, done, total)
        parts.append(text)
    parts.append("<h3>&nbsp;</h3><ul>" + "".join(f"<li>{html.escape(d)}</li>" for d in doc.definitions) + "</ul>")
    return "".join(parts)


def write_pdf(doc: ExportDocument, path: Path, job: ExportJob, families: Sequence[str]) -> None:
    total = max(1, sum(len(t.rows) for t in doc.tables)) * 2  # building the text, then its pages
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(doc.title)
    writer.setCreator("Rakshak")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    font = QFont()
    font.setFamilies(list(families))
    font.setPointSizeF(BODY_PT)
    text = QTextDocument()
    text.setDefaultFont(font)
    text.setDocumentMargin(0)
    text.setHtml(document_html(doc, job, total))
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    text.setPageSize(QSizeF(page.width(), page.height()))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF file {path}")
    try:
        painter.setFont(font)
        pages = max(1, text.pageCount())
        half = total // 2
        for n in range(pages):
            if n:
                writer.newPage()
            painter.save()
            painter.translate(0, -n * page.height())
            text.drawContents(painter, QRectF(0, n * page.height(), page.width(), page.height()))
            painter.restore()
            job.step(half + half * (n + 1) // pages, total)
        if doc.charts:
            writer.newPage()
            chart_h = page.height() / max(2, len(doc.charts))
            for i, chart in enumerate(doc.charts):
                painter.save()
                paint_chart(painter, QRectF(0, i * chart_h, page.width(), chart_h - 20), chart)
                painter.restore()
    finally:
        painter.end()


__all__ = ["write_pdf"]
