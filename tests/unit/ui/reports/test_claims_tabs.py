"""The misinformation report tabs: HQ's ``/claims/report`` read through the console's session into
``core.reports`` types, shown in the Reports view's tabs and written to CSV like every tab."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from core.reports import AccountsReport, ClaimsReport, ReportQuery
from sync.session import Session
from tests.fixtures.hq import API, SEED_USERS, HQServer
from tests.unit.ui.reports.fakes import FakeLoader
from ui.operations.base import TaskManager
from ui.operations.claims import ACCOUNTS_REPORT, CLAIMS_REPORT, HQClaimsSource
from ui.operations.reports import ExportJob
from ui.reports.claims_tabs import AccountsTab, ClaimsTab, accounts_tables, claims_tables
from ui.reports.exports import write_csv
from ui.reports.tables import ExportDocument
from ui.reports.view import ReportsView


def test_reports_come_from_hq(hq_server: HQServer) -> None:
    op = hq_server.login("hq")
    cid = op.http.post(f"{API}/claims", json={"text": "rumour", "official_version": "false"}).json()["id"]
    created = op.http.get(f"{API}/claims/{cid}").json()["created_at"]
    from datetime import datetime

    published = (datetime.fromisoformat(created) + timedelta(minutes=45)).isoformat()
    op.http.post(
        f"{API}/claims/{cid}/rebuttals", json={"platform": "x", "link": "https://x.com/p/1", "published_at": published}
    ).raise_for_status()
    op.http.patch(f"{API}/claims/{cid}", json={"status": "rebutted"}).raise_for_status()
    op.http.post(f"{API}/accounts", json={"platform": "x", "handle": "a", "reasons": ["fraud"]}).raise_for_status()
    session = Session(hq_server.url, "dev-claims-report")
    session.login(hq_server.url, "supervisor", SEED_USERS["supervisor"], "dev-claims-report", "console")
    source = HQClaimsSource(session)
    query = ReportQuery(date.today() - timedelta(days=1), date.today() + timedelta(days=1))
    claims = source.report(CLAIMS_REPORT, query)
    accounts = source.report(ACCOUNTS_REPORT, query)
    assert isinstance(claims, ClaimsReport) and isinstance(accounts, AccountsReport)
    assert (claims.recorded, claims.rebutted) == (1, 1)
    assert claims.rebuttal_p50_s is not None and abs(claims.rebuttal_p50_s - 2700) < 5
    assert claims.header.run_by == "Demo Supervisor" and claims.header.query == query
    assert {r.key: r.count for r in accounts.by_reason}["fraud"] == 1


def test_tabs_show_and_export(qtbot: Any, tmp_path: Any) -> None:
    taskman = TaskManager()
    try:
        view = ReportsView(FakeLoader(), taskman)
        qtbot.addWidget(view)
        view.show()
        for cls in (ClaimsTab, AccountsTab):
            tab = view.tab_by_kind[cls.kind]
            view.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda t=tab: t.kind in view.reports, timeout=5000)
            assert isinstance(tab, cls)
            assert [m.rowCount() for m in tab.models] == [len(t.rows) for t in tab.tables(view.reports[tab.kind])]
        claims = claims_tables(view.reports[CLAIMS_REPORT])  # type: ignore[arg-type]
        assert claims[0].rows == ((12, 7, 4, 1, 30.0, 90.0),)
        accounts = accounts_tables(view.reports[ACCOUNTS_REPORT])  # type: ignore[arg-type]
        assert accounts[0].rows[-1] == ("Added", 9) and accounts[0].rows[4] == ("Fraud", 5)
        path = tmp_path / "claims.csv"
        write_csv(ExportDocument("Claims", (), claims, ()), path, ExportJob())
        text = path.read_text(encoding="utf-8-sig")
        assert "Time to rebuttal p90 (min)" in text and "पटना में कल कर्फ्यू" in text
        assert list(csv.reader(text.splitlines()))
    finally:
        taskman.shutdown()
