"""A console's Reports view gets HQ's figures through its session, its replica's when HQ cannot be
reached, and every export is audited at HQ: at once, or (HQ unreachable) kept in the data folder and
sent before the next export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.reports import OutcomeReport, ReportQuery, ReportSource
from core.store import LocalStore, StoreKey
from hq.schema import audit
from sync import Session
from sync.errors import HQRefused
from tests.fixtures.hq import SEED_USERS, HQServer
from ui.operations.report_sources import PENDING_FILE, console_report_loader
from ui.operations.reports import NoHQSession

QUERY = ReportQuery(date(2020, 1, 1), date(2030, 12, 31), district="VNS")


def _exports(hq: HQServer) -> list[tuple[str, str, dict[str, object]]]:
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(
                select(audit.c.username, audit.c.outcome, audit.c.detail).where(audit.c.action == "report_export")
            ).all()
    finally:
        db.dispose()
    return [(r.username, r.outcome, json.loads(r.detail)) for r in rows]


def test_hq_first_then_the_replica_and_every_export_audited(hq_server: HQServer, tmp_path: Path) -> None:
    for _ in range(2):
        hq_server.intake("VNS")
    store = LocalStore.open(tmp_path / "rakshak.db", StoreKey.ephemeral())
    session = Session(hq_server.url, "dev-reports-1")
    session.login(hq_server.url, "demo-vns", SEED_USERS["demo-vns"], "dev-reports-1", "console")
    try:
        loader = console_report_loader(store, session, tmp_path, "Demo VNS")
        from_hq = loader.load("outcomes", QUERY)
        assert isinstance(from_hq, OutcomeReport) and from_hq.header.source is ReportSource.HQ
        assert [(r.district, r.counts.alerts) for r in from_hq.rows] == [("VNS", 2)]
        # another district is refused by HQ, not answered from local data
        with pytest.raises(HQRefused):
            loader.load("outcomes", ReportQuery(QUERY.date_from, QUERY.date_to, district="LKO"))

        # HQ cannot be reached (this console has no login there): the replica answers, the export waits
        offline = console_report_loader(store, Session("http://127.0.0.1:9", "dev-reports-1"), tmp_path, "Demo VNS")
        local = offline.load("outcomes", QUERY)
        assert local.header.source is ReportSource.REPLICA
        offline.record_export("outcomes", QUERY, "pdf")
        assert (tmp_path / PENDING_FILE).exists() and _exports(hq_server) == []

        # the next export, with HQ back, sends the waiting record first
        loader.record_export("timing", QUERY, "xlsx")
        assert not (tmp_path / PENDING_FILE).exists()
        got = [(who, outcome, d["report"], d["format"], d["district"]) for who, outcome, d in _exports(hq_server)]
        assert got == [("demo-vns", "ok", "outcomes", "pdf", "VNS"), ("demo-vns", "ok", "timing", "xlsx", "VNS")]
        # an export outside the user's scope is refused (no file is written by the view) and audited
        with pytest.raises(HQRefused):
            loader.record_export("outcomes", ReportQuery(QUERY.date_from, QUERY.date_to, district="LKO"), "csv")
        assert _exports(hq_server)[-1][1] == "denied"
    finally:
        session.close()
        store.close()


def test_the_registers_reports_come_from_hq_only(hq_server: HQServer, tmp_path: Path) -> None:
    from core.reports import AccountsReport, ClaimsReport

    store = LocalStore.open(tmp_path / "rakshak.db", StoreKey.ephemeral())
    session = Session(hq_server.url, "dev-reports-2")
    session.login(hq_server.url, "hq", SEED_USERS["hq"], "dev-reports-2", "console")
    state = ReportQuery(QUERY.date_from, QUERY.date_to)
    try:
        loader = console_report_loader(store, session, tmp_path, "HQ Operator")
        assert isinstance(loader.load("claims", state), ClaimsReport)
        assert isinstance(loader.load("accounts", state), AccountsReport)
        loader.record_export("claims", state, "csv")
        assert [(d["report"], d["format"]) for _, _, d in _exports(hq_server)] == [("claims", "csv")]
        offline = console_report_loader(store, Session("http://127.0.0.1:9", "dev-reports-2"), tmp_path, "HQ")
        with pytest.raises(NoHQSession):  # never answered from the replica, which does not hold them
            offline.load("claims", state)
    finally:
        session.close()
        store.close()
