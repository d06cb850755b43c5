"""CSV and XLSX exports of a report (``ExportDocument``: plain data built on the GUI thread).

Both writers run on a worker thread (``ui.operations.reports.export_report``), call ``job.step`` as
they go (which raises ``ExportCancelled`` when the operator cancelled) and write to the path they are
given: the operations layer hands them a temporary file and moves it into place only when the whole
file is written and the export recorded.

- CSV: UTF-8 with a byte-order mark, so Excel opens Hindi correctly; the header lines (period, scope,
  source, who ran it and when), each table with its title and footnotes, then the definitions.
- XLSX (openpyxl): a first sheet "Report" with the header lines and definitions, then one sheet per
  table, its header row frozen, numbers stored as numbers (minutes with one decimal, shares as %),
  column widths from the longest text.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from ui.operations.reports import ExportJob
from ui.reports.tables import ExportDocument, Table, cell_text

STEP_ROWS = 200  # progress is reported (and a cancel noticed) every this many rows


def _total_rows(doc: ExportDocument) -> int:
    return max(1, sum(len(t.rows) for t in doc.tables))


def write_csv(doc: ExportDocument, path: Path, job: ExportJob) -> None:
    total = _total_rows(doc)
    done = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([doc.title])
        for label, value in doc.header:
            out.writerow([label, value])
        for table in doc.tables:
            out.writerow([])
            out.writerow([table.title])
            out.writerow([c.title for c in table.columns])
            for row in table.rows:
                out.writerow(
                    [cell_text(v, c.kind) if v is not None else "" for v, c in zip(row, table.columns, strict=True)]
                )
                done += 1
                if done % STEP_ROWS == 0:
                    job.step(done, total)
            for note in table.notes:
                out.writerow([note])
        out.writerow([])
        for line in doc.definitions:
            out.writerow([line])
    job.step(total, total)


_SHEET_BAD = re.compile(r"[\[\]\*\?/\\:]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


_NUMBER_FORMATS = {"minutes": "0.0", "percent": "0.0%", "int": "0"}


def write_xlsx(doc: ExportDocument, path: Path, job: ExportJob) -> None:
    # openpyxl loads with the first Excel export, not with the client
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    total = _total_rows(doc)
    done = 0
    book = Workbook()
    about = book.active
    assert about is not None
    used: set[str] = set()
    about.title = _sheet_title(doc.header[0][0] if doc.header else "Report", used)
    bold = Font(bold=True)
    about.append([doc.title])
    about["A1"].font = Font(bold=True, size=13)
    for label, value in doc.header:
        about.append([label, value])
    about.append([])
    for line in doc.definitions:
        about.append([line])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 70
    for table in doc.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append([c.title for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        first_total = len(table.rows) - table.total_rows
        for i, row in enumerate(table.rows):
            sheet.append(list(row))
            excel_row = sheet.max_row
            for col, column in enumerate(table.columns, start=1):
                fmt = _NUMBER_FORMATS.get(column.kind)
                if fmt:
                    sheet.cell(excel_row, col).number_format = fmt
                if i >= first_total:
                    sheet.cell(excel_row, col).font = bold
            done += 1
            if done % STEP_ROWS == 0:
                job.step(done, total)
        for note in table.notes:
            sheet.append([note])
        sheet.freeze_panes = "A2"
        _set_widths(sheet, table)
    job.step(total, total)
    book.save(path)


def _set_widths(sheet: Any, table: Table) -> None:
    """Each column as wide as its longest text among the first 500 rows (a wrapped title counts less),
    between 8 and 60 characters."""
    from openpyxl.utils import get_column_letter

    for col, column in enumerate(table.columns, start=1):
        texts = [len(cell_text(r[col - 1], column.kind)) for r in table.rows[:500]]
        longest = max([len(column.title) / 1.6, *texts])
        sheet.column_dimensions[get_column_letter(col)].width = min(60.0, max(8.0, longest * 1.15 + 2))


__all__ = ["write_csv", "write_xlsx"]
