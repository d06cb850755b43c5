"""The misinformation reports' tabs in the Reports view's registry: claims rebutted and the time to
rebuttal; suspicious accounts by reason and by action (``core.reports.ClaimsReport``,
``AccountsReport``, computed at HQ). Their tables go to CSV, XLSX and PDF like every tab's.

Registered by importing this module (``ui.reports.tabs`` does, at its end). Translation context
``Reports``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.reports import AccountsReport, ClaimsReport
from ui.claims.common import value_label
from ui.operations.claims import ACCOUNTS_REPORT, CLAIMS_REPORT
from ui.reports.tables import Column, Table
from ui.reports.tabs import ReportTab, TableModel, _table_view, report_tab

_Q = QCoreApplication


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def claims_tables(report: ClaimsReport) -> tuple[Table, ...]:
    summary = Table(
        _Q.translate("Reports", "Claims rebutted"),
        (
            Column(_Q.translate("Reports", "Claims recorded")),
            Column(_Q.translate("Reports", "Rebutted")),
            Column(_Q.translate("Reports", "Still investigating")),
            Column(_Q.translate("Reports", "Closed without rebuttal")),
            Column(_Q.translate("Reports", "Time to rebuttal p50 (min)"), "minutes"),
            Column(_Q.translate("Reports", "Time to rebuttal p90 (min)"), "minutes"),
        ),
        (
            (
                report.recorded,
                report.rebutted,
                report.investigating,
                report.closed_unrebutted,
                _minutes(report.rebuttal_p50_s),
                _minutes(report.rebuttal_p90_s),
            ),
        ),
    )
    slowest = Table(
        _Q.translate("Reports", "Slowest rebuttals"),
        (Column(_Q.translate("Reports", "Claim"), "text"), Column(_Q.translate("Reports", "Time (min)"), "minutes")),
        tuple((s.text, s.seconds / 60) for s in report.slowest),
    )
    return summary, slowest


def accounts_tables(report: AccountsReport) -> tuple[Table, ...]:
    count = _Q.translate("Reports", "Accounts")
    by_reason = Table(
        _Q.translate("Reports", "Accounts added, by reason"),
        (Column(_Q.translate("Reports", "Reason"), "text"), Column(count)),
        (*((value_label(r.key), r.count) for r in report.by_reason), (_Q.translate("Reports", "Added"), report.added)),
        total_rows=1,
    )
    by_action = Table(
        _Q.translate("Reports", "Actions taken, by kind"),
        (Column(_Q.translate("Reports", "Action"), "text"), Column(_Q.translate("Reports", "Actions"))),
        (
            *((value_label(r.key), r.count) for r in report.by_action),
            (_Q.translate("Reports", "Accounts actioned"), report.actioned_accounts),
        ),
        total_rows=1,
    )
    return by_reason, by_action


class _TablesTab(ReportTab):
    """A tab with two tables one under the other, each under its title."""

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        layout = QVBoxLayout(self)
        self.titles: list[QLabel] = []
        self.models: list[TableModel] = []
        for i in range(2):
            title = QLabel()
            view, model = _table_view(f"{self.kind}-{i}")
            layout.addWidget(title)
            layout.addWidget(view, 1)
            self.titles.append(title)
            self.models.append(model)

    def _show(self, tables: tuple[Table, ...]) -> None:
        for title, model, table in zip(self.titles, self.models, tables, strict=False):
            title.setText(table.title)
            model.set_table(table)


@report_tab
class ClaimsTab(_TablesTab):
    kind = CLAIMS_REPORT

    def title(self) -> str:
        return _Q.translate("Reports", "Claims")

    def tables(self, report: object) -> tuple[Table, ...]:
        assert isinstance(report, ClaimsReport)
        return claims_tables(report)


@report_tab
class AccountsTab(_TablesTab):
    kind = ACCOUNTS_REPORT

    def title(self) -> str:
        return _Q.translate("Reports", "Suspicious accounts")

    def tables(self, report: object) -> tuple[Table, ...]:
        assert isinstance(report, AccountsReport)
        return accounts_tables(report)


__all__ = ["AccountsTab", "ClaimsTab", "ReportTab", "accounts_tables", "claims_tables"]
