"""``HQClient.report``: a console asks HQ for a report and gets the core type back, in its user's scope."""

from __future__ import annotations

from datetime import date

import pytest

from core.reports import ConsoleHealthReport, OutcomeReport, ReportQuery, ReportSource, TimingReport
from sync.client import HQClient
from sync.errors import HQRefused
from tests.fixtures.hq import SEED_USERS, HQServer

QUERY = ReportQuery(date(2020, 1, 1), date(2030, 12, 31))


def test_a_console_reads_reports_in_its_scope(hq_server: HQServer) -> None:
    for district in ("LKO", "VNS", "VNS"):
        hq_server.intake(district)
    client = HQClient(hq_server.url)
    try:
        token = client.login("demo-vns", SEED_USERS["demo-vns"], "dev-vns-r", "console").access_token
        outcomes = client.report(token, "outcomes", QUERY)
        assert isinstance(outcomes, OutcomeReport) and outcomes.header.source is ReportSource.HQ
        assert [(r.district, r.counts.alerts, r.counts.still_open) for r in outcomes.rows] == [("VNS", 2, 2)]
        assert isinstance(client.report(token, "timing", QUERY), TimingReport)
        assert isinstance(client.report(token, "console-health", QUERY), ConsoleHealthReport)
        with pytest.raises(HQRefused) as refused:
            client.report(token, "follow-ups", ReportQuery(QUERY.date_from, QUERY.date_to, district="LKO"))
        assert refused.value.status == 403
        with pytest.raises(ValueError):
            client.report(token, "no-such-report", QUERY)

        token = client.login("supervisor", SEED_USERS["supervisor"], "dev-sup-r", "console").access_token
        state = client.report(token, "outcomes", ReportQuery(QUERY.date_from, QUERY.date_to, range="Lucknow"))
        assert [(r.district, r.range, r.counts.alerts) for r in state.rows] == [("LKO", "Lucknow", 1)]
    finally:
        client.close()
