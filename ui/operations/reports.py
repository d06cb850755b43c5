"""Reports: where the figures come from (HQ first, this console's replica when HQ cannot be reached)
and the named operations the Reports view runs (load a report, load a chart's series, export).

A widget never calls HQ or the store for a report: it asks a ``ReportLoader`` through these ops, on
the network pool (a report from HQ is an HTTP call; from the replica a scan of the local cases).

``HQFirstLoader`` takes its producers as callables so this module depends on no producer's code:
``from_hq(kind, query)`` (HQ's report endpoint, e.g. ``HQClient.report`` with the session's token)
and ``from_replica(kind, query)`` (the same figures from the local store, e.g.
``core.store.reports.compute(store, kind, query, run_by)``), plus ``audit(kind, query, format)``
that records an export. Only "HQ cannot be reached" (``HQUnreachable``, no login, no session) falls
back to the replica; HQ refusing the request (a role not allowed that scope) is shown as a refusal,
never quietly answered from local data.

Exports run on the bulk reader (long, low priority): the file is written beside its destination under
a temporary name, the export is audited, and only then is the file moved into place, so a cancelled or
failed export, or one whose audit failed, leaves no file behind.
"""

from __future__ import annotations

import calendar
import contextlib
import enum
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from core.reports import (
    AccountsReport,
    ClaimsReport,
    ConsoleHealthReport,
    FollowUpReport,
    OutcomeReport,
    ReportQuery,
    TimingReport,
)
from sync.errors import HQRefused, HQUnreachable, LoginRequired
from ui.operations.base import QueryOp

Report = OutcomeReport | TimingReport | ConsoleHealthReport | FollowUpReport | ClaimsReport | AccountsReport


class ReportKind(enum.StrEnum):
    OUTCOMES = "outcomes"
    TIMING = "timing"
    CONSOLE_HEALTH = "console-health"
    FOLLOW_UPS = "follow-ups"


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


class ReportLoader(Protocol):
    """What the Reports view needs. Both methods run on a worker thread, never on the GUI thread."""

    def load(self, kind: str, query: ReportQuery) -> Report: ...

    def record_export(self, kind: str, query: ReportQuery, fmt: str) -> None: ...


class NoHQSession(HQUnreachable):
    """This console has no HQ session (never logged in, or running without HQ): use the replica."""


# What "HQ cannot be reached" means for a report: only these fall back to the replica.
FALLBACK_ERRORS: tuple[type[BaseException], ...] = (HQUnreachable, LoginRequired)


class HQFirstLoader:
    """HQ's figures when HQ answers, this console's replica's when it cannot be reached.

    ``from_hq`` and ``from_replica`` return a report of the asked kind (its header says which source
    computed it and as of when); ``audit`` records an export (kind, query, format) where HQ's audit can
    see it. All three are called on worker threads.
    """

    def __init__(
        self,
        from_hq: Callable[[str, ReportQuery], Report],
        from_replica: Callable[[str, ReportQuery], Report],
        *,
        audit: Callable[[str, ReportQuery, str], None],
    ) -> None:
        self._from_hq = from_hq
        self._from_replica = from_replica
        self._audit = audit

    def load(self, kind: str, query: ReportQuery) -> Report:
        try:
            return self._from_hq(kind, query)
        except FALLBACK_ERRORS:
            return self._from_replica(kind, query)

    def record_export(self, kind: str, query: ReportQuery, fmt: str) -> None:
        self._audit(kind, query, fmt)


def refused_by_hq(exc: BaseException) -> tuple[int, str] | None:
    """(HTTP status, HQ's reason) when HQ refused the request, else None: for the view's message."""
    if isinstance(exc, HQRefused):
        return exc.status, exc.detail or exc.code or str(exc.status)
    return None


# ---- loading ---------------------------------------------------------------------------------------
def load_report(loader: ReportLoader, kind: str, query: ReportQuery) -> QueryOp[Report]:
    """The report of ``kind`` for ``query``; a newer load of the same kind drops an older one's result."""
    return QueryOp(lambda: loader.load(kind, query), stamp=f"report-{kind}", pool="net")


@dataclass(frozen=True)
class SeriesPoint:
    start: date
    end: date
    alerts: int
    lives_saved: int


# A period up to this long is charted per week, a longer one per month.
WEEKLY_UP_TO_DAYS = 92


def chart_buckets(date_from: date, date_to: date) -> list[tuple[date, date]]:
    """The chart's periods: ISO weeks (Monday to Sunday) for a period up to ``WEEKLY_UP_TO_DAYS``,
    calendar months otherwise; the first and last are cut to the period."""
    if date_to < date_from:
        return []
    out: list[tuple[date, date]] = []
    start = date_from
    weekly = (date_to - date_from).days < WEEKLY_UP_TO_DAYS
    while start <= date_to:
        if weekly:
            end = start + timedelta(days=6 - start.weekday())
        else:
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        end = min(end, date_to)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


class SeriesSuperseded(Exception):
    """A newer period or scope was asked for while a chart's series was loading: the rest was skipped."""


def load_series(
    loader: ReportLoader, query: ReportQuery, superseded: threading.Event | None = None
) -> QueryOp[list[SeriesPoint]]:
    """Alerts and lives saved per week or month of ``query``'s period: one outcomes report per bucket
    (the same definitions as the table, so the bars add up to it). A newer load drops this one's result;
    setting ``superseded`` also stops it between two buckets (a year from the replica is twelve scans)."""

    def work() -> list[SeriesPoint]:
        points = []
        for start, end in chart_buckets(query.date_from, query.date_to):
            if superseded is not None and superseded.is_set():
                raise SeriesSuperseded()
            report = loader.load(ReportKind.OUTCOMES, replace(query, date_from=start, date_to=end))
            if not isinstance(report, OutcomeReport):
                raise TypeError(f"an outcomes load returned {type(report).__name__}")
            points.append(SeriesPoint(start, end, report.total.alerts, report.total.lives_saved))
        return points

    return QueryOp(work, stamp="report-series", pool="net")


# ---- exporting -------------------------------------------------------------------------------------
class ExportCancelled(Exception):
    """The operator cancelled the export; nothing was written."""


class ExportJob(QObject):
    """One export's progress and cancel switch, shared by the GUI (which shows and cancels) and the
    worker (which reports and checks). ``progress`` is emitted from the worker: connect it to widgets
    only (a queued connection delivers it on the GUI thread)."""

    progress = Signal(int, int)  # done, total

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int) -> None:
        """Worker side: report progress, and stop here if the operator cancelled."""
        if self._cancel.is_set():
            raise ExportCancelled()
        self.progress.emit(done, total)


Writer = Callable[[Path, ExportJob], None]  # writes the whole file at the given path, calling job.step


def write_atomically(path: Path, write: Writer, job: ExportJob, before_publish: Callable[[], None]) -> Path:
    """Write with ``write`` to a temporary file beside ``path``, call ``before_publish`` (the audit),
    then move it to ``path``. Any exception (a cancel included) removes the temporary file."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=".rakshak-export-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp, job)
        job.step(1, 1)  # a cancel that came during the last write still counts
        before_publish()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def export_report(
    loader: ReportLoader, kind: str, query: ReportQuery, fmt: str, path: Path, write: Writer, job: ExportJob
) -> QueryOp[Path]:
    """Write an export on the bulk reader; the export is recorded through ``loader.record_export`` before
    the file appears. Fails with ``ExportCancelled`` when ``job`` was cancelled (no file left)."""
    return QueryOp(
        lambda: write_atomically(path, write, job, lambda: loader.record_export(kind, query, fmt)), pool="bulk"
    )


__all__ = [
    "FALLBACK_ERRORS",
    "ExportCancelled",
    "ExportFormat",
    "ExportJob",
    "HQFirstLoader",
    "NoHQSession",
    "Report",
    "ReportKind",
    "ReportLoader",
    "SeriesPoint",
    "SeriesSuperseded",
    "chart_buckets",
    "export_report",
    "load_report",
    "load_series",
    "refused_by_hq",
    "write_atomically",
]
